// Commands that run the bundled CLI once and wait for it: a development certificate (`dtls-lab
// cert`: the echo server's certificate store, written into the workspace) and a capture (pcapng +
// key log) of the last run's pair, re-run on the virtual link with the same settings (same seed:
// same timeline).
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CertificateReport } from '../engine/cli/cert-command';
import type { LinkKind, RunLinkSettings } from '../server/protocol';

const CLI_TIMEOUT_MS = 60_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node dist/cli.js ARGS` with the extension host's Node (ELECTRON_RUN_AS_NODE), bounded in time. */
function runCli(cliPath: string, args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { cwd, timeout: CLI_TIMEOUT_MS, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: stderr || (error && typeof error.code !== 'number' ? error.message : '') });
      });
  });
}

export interface DevelopmentCertificate {
  certPath: string;
  keyPath: string;
  fingerprint?: string;
  created: boolean;
}

type CertJson = Pick<CertificateReport, 'action' | 'certPath' | 'keyPath' | 'fingerprint'>;

/** The parts of `dtls-lab cert --json` used here, or undefined when stdout is not that. */
function parseCertJson(stdout: string): CertJson | undefined {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  const v = value as Partial<CertJson> | null;
  if (!v || typeof v !== 'object' || typeof v.certPath !== 'string' || typeof v.keyPath !== 'string' || typeof v.fingerprint !== 'string') return undefined;
  if (v.action !== 'generated' && v.action !== 'renewed' && v.action !== 'reused') return undefined;
  return { action: v.action, certPath: v.certPath, keyPath: v.keyPath, fingerprint: v.fingerprint };
}

/**
 * Writes a self-signed certificate and key for `localhost` / 127.0.0.1 (RSA-2048, the echo server's)
 * into `<folder>/dtls-dev/` with `dtls-lab cert --config-dir <folder>/dtls-dev --json`, or reports the
 * existing one (the echo server started from the extension uses the same folder).
 */
export async function generateCertificate(cliPath: string, folderArg?: vscode.Uri | string): Promise<DevelopmentCertificate | undefined> {
  const folder = folderArg ? (typeof folderArg === 'string' ? vscode.Uri.file(folderArg) : folderArg) : vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder || folder.scheme !== 'file') {
    void vscode.window.showWarningMessage('Godot DTLS Lab: open a folder first; the certificate is written into it (dtls-dev/).');
    return undefined;
  }
  const dir = path.join(folder.fsPath, 'dtls-dev');
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Generating a development certificate…' },
    () => runCli(cliPath, ['cert', '--config-dir', dir, '--json'], folder.fsPath));
  const certificate = result.code === 0 ? parseCertJson(result.stdout) : undefined;
  if (!certificate) {
    void vscode.window.showErrorMessage(`Godot DTLS Lab: could not generate the certificate: ${result.stderr.trim().split('\n')[0] || `exit ${result.code}`}`);
    return undefined;
  }
  const { certPath, keyPath, fingerprint } = certificate;
  const created = certificate.action !== 'reused';
  const shown = vscode.workspace.asRelativePath(certPath);
  void vscode.window.showInformationMessage(
    `Godot DTLS Lab: ${created ? 'generated' : 'kept the existing'} development certificate ${shown} and its key (CN localhost, IP 127.0.0.1; SHA-256 ${fingerprint.slice(0, 23)}…). ` +
      'Load them with X509Certificate.load() / CryptoKey.load(); keep the key out of version control.',
    'Open certificate',
  ).then((choice) => (choice ? vscode.window.showTextDocument(vscode.Uri.file(certPath)) : undefined));
  return { certPath, keyPath, fingerprint, created };
}

export interface CaptureFiles {
  pcap: string;
  keylog: string;
}

/** The `dtls-lab run` options that reproduce a run's link settings. */
export function captureArguments(file: string, settings: RunLinkSettings | undefined, out: CaptureFiles): string[] {
  const args = ['run', file, '--link', 'virtual', '--pcap', out.pcap, '--keylog', out.keylog, '--json'];
  if (settings?.loss !== undefined) args.push('--loss', `${Math.round(settings.loss * 10_000) / 100}%`);
  if (settings?.delayMs !== undefined) args.push('--delay', String(settings.delayMs));
  if (settings?.mtu !== undefined) args.push('--mtu', String(settings.mtu));
  if (settings?.seed !== undefined) args.push('--seed', String(settings.seed));
  return args;
}

/**
 * Re-runs the document of the last run with `dtls-lab run --pcap --keylog` (every pair of the file,
 * on the virtual link: the UDP link is not captured) and writes FILE.pcapng and FILE.keys beside it.
 */
export async function exportCapture(
  cliPath: string,
  last: { uri: vscode.Uri; link: LinkKind; settings?: RunLinkSettings } | undefined,
  output: vscode.OutputChannel,
): Promise<CaptureFiles | undefined> {
  if (!last) {
    void vscode.window.showWarningMessage('Godot DTLS Lab: run a DTLS pair first; its capture is exported.');
    return undefined;
  }
  if (last.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Godot DTLS Lab: save the document first; the capture re-runs it from disk.');
    return undefined;
  }
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === last.uri.toString());
  if (document?.isDirty && !(await document.save())) {
    void vscode.window.showWarningMessage('Godot DTLS Lab: the document has unsaved changes; save it to export its capture.');
    return undefined;
  }
  const file = last.uri.fsPath;
  const base = file.replace(/\.(gd|md|markdown)$/i, '');
  const out = { pcap: `${base}.pcapng`, keylog: `${base}.keys` };
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'DTLS Lab: capturing the run' },
    () => runCli(cliPath, captureArguments(file, last.settings, out), path.dirname(file)));
  if (result.code !== 0 && result.code !== 1) {
    output.appendLine(result.stderr);
    void vscode.window.showErrorMessage(`Godot DTLS Lab: the capture failed: ${result.stderr.trim().split('\n')[0]}`);
    return undefined;
  }
  const note = last.link === 'udp' ? ' (re-run on the virtual link; UDP runs are not captured)' : '';
  output.appendLine(`capture of ${vscode.workspace.asRelativePath(file)}${note}: ${out.pcap}, keys ${out.keylog}`);
  output.appendLine(`  tshark -r ${out.pcap} -o tls.keylog_file:${out.keylog} -d udp.port==4242,dtls`);
  void vscode.window.showInformationMessage(`Godot DTLS Lab: wrote ${path.basename(out.pcap)} and ${path.basename(out.keylog)}${note}. Open them in Wireshark (key log: Preferences → TLS).`);
  return out;
}
