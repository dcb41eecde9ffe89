// The extension's settings (package.json `contributes.configuration`), read in one place.
import * as vscode from 'vscode';
import type { LinkKind, RunLinkSettings } from '../server/protocol';

export interface DtlsLabSettings {
  link: LinkKind;
  /** Link settings of a plain run: `dtlsLab.loss` (percent) as a share, when above 0. */
  runSettings: RunLinkSettings | undefined;
  echoPort: number;
  echoHost: string;
}

export function readSettings(scope?: vscode.Uri): DtlsLabSettings {
  const config = vscode.workspace.getConfiguration('dtlsLab', scope);
  const lossPercent = config.get<number>('loss', 0);
  const port = config.get<number>('echo.port', 4242);
  return {
    link: config.get<LinkKind>('link', 'virtual') === 'udp' ? 'udp' : 'virtual',
    runSettings: lossPercent > 0 && lossPercent <= 100 ? { loss: lossPercent / 100 } : undefined,
    echoPort: Number.isInteger(port) && port >= 0 && port <= 65535 ? port : 4242,
    echoHost: config.get<string>('echo.host', '127.0.0.1').trim() || '127.0.0.1',
  };
}
