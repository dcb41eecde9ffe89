// Godot DTLS Lab extension: starts the language server (diagnostics + "▶ Run DTLS pair" lenses) and
// implements the run command: ask the server to run the pair, print the timeline, decorate the lines.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CLIENT_ANNOTATE_COMMAND, CLIENT_RUN_COMMAND, SERVER_RUN_COMMAND, type LinkKind, type RunPairResult } from '../server/protocol';
import { RunDecorations, type RunDecoration } from './decorations';

/** What `activate` returns; the end-to-end tests read decorations through it. */
export interface DtlsLabApi {
  decorations(uri: vscode.Uri): RunDecoration[];
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<DtlsLabApi> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['gdscript', 'markdown'].flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    outputChannelName: 'Godot DTLS Lab Language Server',
  };
  client = new LanguageClient('dtlsLab', 'Godot DTLS Lab', serverOptions, clientOptions);

  const output = vscode.window.createOutputChannel('Godot DTLS Lab');
  const decorations = new RunDecorations();
  context.subscriptions.push(output, decorations);
  context.subscriptions.push(vscode.commands.registerCommand(CLIENT_RUN_COMMAND,
    (uri?: vscode.Uri | string, line?: number) => runPair(output, decorations, uri, line)));
  context.subscriptions.push(vscode.commands.registerCommand(CLIENT_ANNOTATE_COMMAND, annotateSnippet));

  await client.start();
  return { decorations: (uri) => decorations.get(uri) };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** "Run as server" / "Run as client" on an un-annotated fence: insert `# @dtls ROLE` as its first line. */
async function annotateSnippet(uriArg: vscode.Uri | string, line: number, role: 'server' | 'client'): Promise<boolean> {
  const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg;
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, new vscode.Position(line, 0), `# @dtls ${role}\n`);
  return vscode.workspace.applyEdit(edit);
}

/** The lens passes `(uri, annotationLine)`; from the palette the pair at the cursor is run. */
async function runPair(output: vscode.OutputChannel, decorations: RunDecorations,
  uriArg?: vscode.Uri | string, lineArg?: number): Promise<RunPairResult | undefined> {
  let uri: vscode.Uri;
  let line: number;
  if (uriArg !== undefined && typeof lineArg === 'number') {
    uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg;
    line = lineArg;
  } else {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showWarningMessage('Godot DTLS Lab: open a GDScript or Markdown file with a DTLS pair first.');
      return undefined;
    }
    uri = editor.document.uri;
    line = editor.selection.active.line;
  }
  if (!client) return undefined;
  const link = vscode.workspace.getConfiguration('dtlsLab', uri).get<LinkKind>('link', 'virtual');
  const name = uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri) : uri.toString();

  let result: RunPairResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `DTLS Lab: running ${name}:${line + 1}` },
      () => client!.sendRequest(ExecuteCommandRequest.type, { command: SERVER_RUN_COMMAND, arguments: [uri.toString(), line, link] }),
    ) as RunPairResult;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.appendLine(`✗ ${name}:${line + 1}: ${message}`);
    void vscode.window.showErrorMessage(`Godot DTLS Lab: ${message}`);
    return undefined;
  }

  const { report } = result;
  output.appendLine(`── ${name} · ${new Date().toLocaleTimeString()} ──`);
  output.appendLine(result.text.replace(/\s+$/, ''));
  output.appendLine('');
  output.show(true);
  decorations.show(uri, report);
  if (!report.ok) {
    const first = report.problems.find((p) => p.severity === 'error');
    void vscode.window.showWarningMessage(`DTLS pair failed${first ? `: ${first.message}` : ''}`);
  }
  return result;
}
