// Godot DTLS Lab extension: starts the language server (diagnostics, lenses, code actions) and wires
// the editor side: run commands (output, inline results, timeline view), the echo server (child
// process, status bar, output), fix-all, certificates and captures. Activation is lazy (gdscript or
// markdown opened, or one of the commands); see client/README.md.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { RunReport } from '../engine/sandbox/report';
import {
  CLIENT_ANNOTATE_COMMAND,
  CLIENT_ECHO_COMMAND,
  CLIENT_RUN_COMMAND,
  FIX_ALL_TITLE,
  RUN_REPORT_NOTIFICATION,
  SERVER_CLIENT_PORT_COMMAND,
  SERVER_RUN_COMMAND,
  type ClientPortResult,
  type InitializationOptions,
  type LinkKind,
  type RunLinkSettings,
  type RunPairResult,
  type RunReportParams,
} from '../server/protocol';
import { RunDecorations, type RunDecoration } from './decorations';
import type { EchoSnapshot } from './echo-log';
import { EchoServerProcess, EchoStartError } from './echo-server';
import { ECHO_MENU_COMMAND, EchoStatusBar } from './echo-status-bar';
import { exportCapture, generateCertificate } from './cli-tasks';
import { readSettings } from './settings';
import { TimelineView } from './timeline-view';
import { trustedFor } from './trust';

/** Command ids of package.json `contributes.commands`. */
export const COMMANDS = {
  runPair: CLIENT_RUN_COMMAND,
  runAllPairs: 'dtlsLab.runAllPairs',
  runWithLinkSettings: 'dtlsLab.runWithLinkSettings',
  showTimeline: 'dtlsLab.showTimeline',
  fixAll: 'dtlsLab.fixAll',
  generateCertificate: 'dtlsLab.generateCertificate',
  exportCapture: 'dtlsLab.exportCapture',
  startEcho: 'dtlsLab.startEcho',
  stopEcho: 'dtlsLab.stopEcho',
  copyGodotSnippet: 'dtlsLab.copyGodotSnippet',
  showEchoLog: 'dtlsLab.showEchoLog',
  echoMenu: ECHO_MENU_COMMAND,
  startEchoForClient: CLIENT_ECHO_COMMAND,
  annotateSnippet: CLIENT_ANNOTATE_COMMAND,
  openExample: 'dtlsLab.walkthrough.openExample',
  openGodot3Example: 'dtlsLab.walkthrough.openGodot3Example',
} as const;

/** What `activate` returns; the end-to-end tests read the extension's state through it. */
export interface DtlsLabApi {
  decorations(uri: vscode.Uri): RunDecoration[];
  lastRun(): { uri: vscode.Uri; report: RunReport } | undefined;
  echo(): { snapshot: EchoSnapshot | undefined; statusBarText: string };
  /** Milliseconds `activate` took (the language server starts after it, see `ready`). */
  activationMs: number;
  /** Resolves when the language server answers. */
  ready: Promise<void>;
}

/** The godot-tools extension (Marketplace id), whose TextMate grammar colours GDScript. */
const GODOT_TOOLS_ID = 'geequlim.godot-tools';

/**
 * Whether the language server should colour GDScript (`dtlsLab.semanticHighlighting`): "auto" colours unless
 * godot-tools is installed (its grammar already does, and two colourings would fight). Read when the server starts.
 */
function wantsSemanticTokens(): boolean {
  const setting = vscode.workspace.getConfiguration('dtlsLab').get<string>('semanticHighlighting', 'auto');
  if (setting === 'on') return true;
  if (setting === 'off') return false;
  return vscode.extensions.getExtension(GODOT_TOOLS_ID) === undefined;
}

let client: LanguageClient | undefined;
let echoServer: EchoServerProcess | undefined;

export function activate(context: vscode.ExtensionContext): DtlsLabApi {
  const started = performance.now();
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const cliPath = context.asAbsolutePath(path.join('dist', 'cli.js'));
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
    initializationOptions: { semanticTokens: wantsSemanticTokens() } satisfies InitializationOptions,
  };
  const languageClient = new LanguageClient('dtlsLab', 'Godot DTLS Lab', serverOptions, clientOptions);
  client = languageClient;

  const output = vscode.window.createOutputChannel('Godot DTLS Lab');
  const echoOutput = vscode.window.createOutputChannel('Godot DTLS Lab Echo');
  const decorations = new RunDecorations(context.extensionUri);
  const timeline = new TimelineView(context.extensionUri);
  const echo = new EchoServerProcess(cliPath, echoOutput);
  echoServer = echo;
  const statusBar = new EchoStatusBar(echo);
  context.subscriptions.push(output, echoOutput, decorations, timeline, echo, statusBar);
  // The server says whether it colours code when it starts: a changed setting takes a reload.
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (!event.affectsConfiguration('dtlsLab.semanticHighlighting')) return;
    const reload = 'Reload Window';
    if (await vscode.window.showInformationMessage('Godot DTLS Lab: reload the window to apply the new highlighting setting.', reload) === reload)
      await vscode.commands.executeCommand('workbench.action.reloadWindow');
  }));

  /** A finished run, however it was started: decorations on the document and the timeline. */
  const showRun = (uri: vscode.Uri, result: RunPairResult, version: number | null) => {
    timeline.update(uri, result.report);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (document && (version === null || document.version === version)) decorations.show(document, result);
  };
  const ready = languageClient.start();
  ready.catch((error: unknown) => output.appendLine(`The language server did not start: ${error instanceof Error ? error.message : String(error)}`));
  const runs = new PairRunner(languageClient, ready, output, showRun);
  const echoControls = new EchoControls(echo, echoOutput, context, languageClient, ready);

  const register = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  register(COMMANDS.runPair, (uri?: vscode.Uri | string, line?: number, link?: LinkKind | null, settings?: RunLinkSettings) =>
    runs.runAt(uri, line, link ?? undefined, settings));
  register(COMMANDS.runAllPairs, (uri?: vscode.Uri | string) => runs.runAll(uri));
  register(COMMANDS.runWithLinkSettings, (link?: LinkKind, lossPercent?: number) => runs.runWithLinkSettings(link, lossPercent));
  register(COMMANDS.showTimeline, () => timeline.show());
  register(COMMANDS.fixAll, (uri?: vscode.Uri | string) => applyFixAll(uri));
  register(COMMANDS.generateCertificate, (folder?: vscode.Uri | string) => trustedFor('Generating a certificate') ? generateCertificate(cliPath, folder) : undefined);
  register(COMMANDS.exportCapture, () => trustedFor('Exporting a capture') ? exportCapture(cliPath, runs.last, output) : undefined);
  register(COMMANDS.startEcho, (port?: number) => echoControls.start(port));
  register(COMMANDS.stopEcho, () => echoControls.stop());
  register(COMMANDS.copyGodotSnippet, () => echoControls.copySnippet());
  register(COMMANDS.showEchoLog, () => echoOutput.show(true));
  register(COMMANDS.echoMenu, () => echoControls.menu());
  register(COMMANDS.startEchoForClient, (uri?: vscode.Uri | string, line?: number) => echoControls.startForClient(uri, line));
  register(COMMANDS.annotateSnippet, annotateSnippet);
  register(COMMANDS.openExample, () => openBundledExample(context, 'examples/echo-pair.gd'));
  register(COMMANDS.openGodot3Example, () => openBundledExample(context, 'media/walkthrough/godot3-client.gd'));

  languageClient.onNotification(RUN_REPORT_NOTIFICATION, (params: RunReportParams) =>
    showRun(vscode.Uri.parse(params.uri), params.result, params.version));

  return {
    decorations: (uri) => decorations.get(uri),
    lastRun: () => timeline.lastRun,
    echo: () => ({ snapshot: echo.snapshot, statusBarText: statusBar.text }),
    activationMs: performance.now() - started,
    ready,
  };
}

export async function deactivate(): Promise<void> {
  await echoServer?.stop();
  echoServer = undefined;
  await client?.stop();
  client = undefined;
}

const toUri = (uri: vscode.Uri | string) => (typeof uri === 'string' ? vscode.Uri.parse(uri) : uri);

/** "Run as server" / "Run as client" on an un-annotated fence: insert `# @dtls ROLE` as its first line. */
async function annotateSnippet(uriArg: vscode.Uri | string, line: number, role: 'server' | 'client'): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  edit.insert(toUri(uriArg), new vscode.Position(line, 0), `# @dtls ${role}\n`);
  return vscode.workspace.applyEdit(edit);
}

/** Opens a copy of a file shipped in the .vsix as an untitled GDScript document (the walkthrough's examples). */
async function openBundledExample(context: vscode.ExtensionContext, relative: string): Promise<vscode.TextEditor> {
  const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, relative)));
  const document = await vscode.workspace.openTextDocument({ language: 'gdscript', content });
  return vscode.window.showTextDocument(document);
}

/** The active editor's document and cursor line, or a warning. */
function activeTarget(): { uri: vscode.Uri; line: number } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !['gdscript', 'markdown'].includes(editor.document.languageId)) {
    void vscode.window.showWarningMessage('Godot DTLS Lab: open a GDScript or Markdown file with a DTLS pair first.');
    return undefined;
  }
  return { uri: editor.document.uri, line: editor.selection.active.line };
}

/** Applies the language server's "Fix all Godot 3 → 4" source action to a document. */
async function applyFixAll(uriArg?: vscode.Uri | string): Promise<boolean> {
  const uri = uriArg ? toUri(uriArg) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showWarningMessage('Godot DTLS Lab: open a GDScript or Markdown file first.');
    return false;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, whole, vscode.CodeActionKind.SourceFixAll.value);
  const fixAll = (actions ?? []).find((a) => a.title === FIX_ALL_TITLE && a.edit);
  if (!fixAll?.edit) {
    void vscode.window.showInformationMessage('Godot DTLS Lab: nothing to fix — no Godot 3 construct with a safe Godot 4 replacement in this file.');
    return false;
  }
  return vscode.workspace.applyEdit(fixAll.edit);
}

/** Runs pairs through the language server and shows the results. */
class PairRunner {
  /** The last run started from this window, with the settings it ran with (export-capture re-runs it). */
  last: { uri: vscode.Uri; line: number; link: LinkKind; settings?: RunLinkSettings } | undefined;

  constructor(
    private readonly languageClient: LanguageClient,
    private readonly ready: Promise<void>,
    private readonly output: vscode.OutputChannel,
    private readonly showRun: (uri: vscode.Uri, result: RunPairResult, version: number | null) => void,
  ) {}

  /** The lens passes `(uri, annotationLine, link?, settings?)`; from the palette the pair at the cursor runs. */
  async runAt(uriArg?: vscode.Uri | string, lineArg?: number, link?: LinkKind, settings?: RunLinkSettings): Promise<RunPairResult | undefined> {
    if (!trustedFor('Running DTLS pairs')) return undefined;
    const target = uriArg !== undefined && typeof lineArg === 'number' ? { uri: toUri(uriArg), line: lineArg } : activeTarget();
    if (!target) return undefined;
    return this.run(target.uri, target.line, link, settings);
  }

  async runAll(uriArg?: vscode.Uri | string): Promise<RunPairResult[]> {
    if (!trustedFor('Running DTLS pairs')) return [];
    const uri = uriArg ? toUri(uriArg) : activeTarget()?.uri;
    if (!uri) return [];
    // The server's run lenses name every pair (one per client); plain lenses only, not "with 20% loss".
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri) ?? [];
    const lines = [...new Set(lenses
      .filter((l) => l.command?.command === CLIENT_RUN_COMMAND && (l.command.arguments?.length ?? 0) <= 2)
      .map((l) => l.command!.arguments![1] as number))];
    if (lines.length === 0) {
      void vscode.window.showWarningMessage('Godot DTLS Lab: this document has no server/client DTLS pair.');
      return [];
    }
    const results: RunPairResult[] = [];
    for (const line of lines) {
      const result = await this.run(uri, line, undefined, undefined, false);
      if (result) results.push(result);
    }
    const failed = results.filter((r) => !r.report.ok).length;
    const summary = `${results.length} pair(s) ran: ${results.length - failed} ok, ${failed} failed.`;
    if (failed > 0) void vscode.window.showWarningMessage(`Godot DTLS Lab: ${summary}`);
    else void vscode.window.showInformationMessage(`Godot DTLS Lab: ${summary}`);
    return results;
  }

  /** Asks for the link (and, on the virtual link, the loss) unless given, then runs the pair at the cursor. */
  async runWithLinkSettings(linkArg?: LinkKind, lossArg?: number): Promise<RunPairResult | undefined> {
    if (!trustedFor('Running DTLS pairs')) return undefined;
    const target = activeTarget();
    if (!target) return undefined;
    let link = linkArg;
    if (!link) {
      const pick = await vscode.window.showQuickPick([
        { label: 'virtual', description: 'in-memory link with a virtual clock: deterministic, can lose, delay and reorder' },
        { label: 'udp', description: 'real UDP sockets on 127.0.0.1' },
      ], { title: 'Run DTLS pair: link', placeHolder: 'Which link?' });
      if (!pick) return undefined;
      link = pick.label as LinkKind;
    }
    let loss = lossArg;
    if (loss === undefined && link === 'virtual') {
      const typed = await vscode.window.showInputBox({
        title: 'Run DTLS pair: loss on the virtual link',
        prompt: 'Share of datagrams lost in each direction, in percent (0–100)',
        value: '20',
        validateInput: (v) => (/^\d+(\.\d+)?$/.test(v.trim()) && Number(v) <= 100 ? undefined : 'A number from 0 to 100'),
      });
      if (typed === undefined) return undefined;
      loss = Number(typed);
    }
    const settings = link === 'virtual' && loss !== undefined && loss > 0 ? { loss: loss / 100 } : undefined;
    return this.run(target.uri, target.line, link, settings);
  }

  private async run(uri: vscode.Uri, line: number, linkArg?: LinkKind, settingsArg?: RunLinkSettings, notify = true): Promise<RunPairResult | undefined> {
    const configured = readSettings(uri);
    const link = linkArg ?? configured.link;
    const settings = settingsArg ?? (link === 'virtual' ? configured.runSettings : undefined);
    const name = uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri) : uri.toString();
    const version = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.version ?? null;
    let result: RunPairResult;
    try {
      await this.ready;
      const args: unknown[] = [uri.toString(), line, link, ...(settings ? [settings] : [])];
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `DTLS Lab: running ${name}:${line + 1}` },
        () => this.languageClient.sendRequest(ExecuteCommandRequest.type, { command: SERVER_RUN_COMMAND, arguments: args }),
      ) as RunPairResult;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.output.appendLine(`✗ ${name}:${line + 1}: ${message}`);
      void vscode.window.showErrorMessage(`Godot DTLS Lab: ${message}`);
      return undefined;
    }
    this.last = { uri, line, link, ...(settings ? { settings } : {}) };
    const { report } = result;
    const shape = settings?.loss ? `, ${Math.round(settings.loss * 1000) / 10}% loss` : '';
    this.output.appendLine(`── ${name} · ${report.link} link${shape} · ${new Date().toLocaleTimeString()} ──`);
    this.output.appendLine(result.text.replace(/\s+$/, ''));
    this.output.appendLine('');
    this.output.show(true);
    this.showRun(uri, result, version);
    if (notify && !report.ok) {
      const first = report.problems.find((p) => p.severity === 'error');
      void vscode.window.showWarningMessage(`DTLS pair failed${first ? `: ${first.message}` : ''}`, 'Show timeline').then((choice) => {
        if (choice) void vscode.commands.executeCommand(COMMANDS.showTimeline);
      });
    }
    return result;
  }
}

/** The echo server commands: start/stop, busy port, the menu, copying the Godot snippet. */
class EchoControls {
  constructor(
    private readonly echo: EchoServerProcess,
    private readonly output: vscode.OutputChannel,
    private readonly context: vscode.ExtensionContext,
    private readonly languageClient: LanguageClient,
    private readonly ready: Promise<void>,
  ) {}

  private configDir(): string {
    return vscode.Uri.joinPath(this.context.storageUri ?? this.context.globalStorageUri, 'echo').fsPath;
  }

  /** Starts on `port` (default: the setting); offers the next free port when it is busy. */
  async start(portArg?: number, why?: string): Promise<EchoSnapshot | undefined> {
    if (!trustedFor('Starting the echo server')) return undefined;
    if (this.echo.running) {
      const s = this.echo.snapshot;
      void vscode.window.showInformationMessage(`Godot DTLS Lab: the echo server is already running${s?.port !== undefined ? ` on port ${s.port}` : ''}.`);
      return s;
    }
    const settings = readSettings();
    const host = settings.echoHost;
    const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
    if (!loopback) {
      const go = await vscode.window.showWarningMessage(
        `The echo server setting binds ${host}: anyone who can reach this machine on that port can use it.`,
        { modal: true }, 'Start anyway');
      if (go !== 'Start anyway') return undefined;
    }
    const port = portArg ?? settings.echoPort;
    try {
      const s = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'DTLS Lab: starting the echo server' },
        () => this.echo.start({ port, host, configDir: this.configDir(), allowRemote: !loopback }));
      void vscode.window.showInformationMessage(
        `Godot DTLS Lab: echo server listening on udp ${host}:${s.port}${why ? ` (${why})` : ''}.`, 'Copy Godot client snippet', 'Show log')
        .then((action) => {
          if (action === 'Copy Godot client snippet') void this.copySnippet();
          else if (action === 'Show log') this.output.show(true);
        });
      return s;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof EchoStartError && error.portInUse) {
        void vscode.window.showErrorMessage(`Godot DTLS Lab: UDP port ${error.portInUse.port} on ${error.portInUse.host} is already in use (another echo server or a game?).`, 'Use next free port')
          .then((choice) => (choice ? this.startOnNextFreePort(error.portInUse!.port) : undefined));
        return undefined;
      }
      void vscode.window.showErrorMessage(`Godot DTLS Lab: ${message}`, 'Show log').then((choice) => (choice ? this.output.show(true) : undefined));
      return undefined;
    }
  }

  /** Tries the ports after `busy` (the CLI's --next-free-port does the same from the command line). */
  private async startOnNextFreePort(busy: number): Promise<EchoSnapshot | undefined> {
    for (let port = busy + 1; port <= Math.min(65535, busy + 20); port++) {
      try {
        const settings = readSettings();
        const s = await this.echo.start({ port, host: settings.echoHost, configDir: this.configDir(), allowRemote: false });
        void vscode.window.showInformationMessage(`Godot DTLS Lab: echo server listening on udp ${settings.echoHost}:${s.port} (port ${busy} was busy).`);
        return s;
      } catch (error) {
        if (!(error instanceof EchoStartError && error.portInUse)) {
          void vscode.window.showErrorMessage(`Godot DTLS Lab: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        }
      }
    }
    void vscode.window.showErrorMessage(`Godot DTLS Lab: ports ${busy}–${busy + 20} are all in use; set "dtlsLab.echo.port".`);
    return undefined;
  }

  async stop(): Promise<boolean> {
    if (!this.echo.running) {
      void vscode.window.showInformationMessage('Godot DTLS Lab: the echo server is not running.');
      return false;
    }
    await this.echo.stop();
    return true;
  }

  async copySnippet(): Promise<string | undefined> {
    const snippet = this.echo.snapshot?.godotSnippet;
    if (!snippet) {
      void vscode.window.showWarningMessage('Godot DTLS Lab: start the echo server first; its Godot 4 client snippet pins its certificate.');
      return undefined;
    }
    await vscode.env.clipboard.writeText(snippet);
    void vscode.window.setStatusBarMessage('Godot 4 client snippet copied', 3000);
    return snippet;
  }

  /** "⚡ Echo server for this client": start on the port the client snippet connects to. */
  async startForClient(uriArg?: vscode.Uri | string, lineArg?: number): Promise<EchoSnapshot | undefined> {
    const target = uriArg !== undefined && typeof lineArg === 'number' ? { uri: toUri(uriArg), line: lineArg } : activeTarget();
    if (!target) return undefined;
    let found: ClientPortResult;
    try {
      await vscode.workspace.openTextDocument(target.uri); // the server reads open documents as they are in the editor
      await this.ready;
      found = await this.languageClient.sendRequest(ExecuteCommandRequest.type,
        { command: SERVER_CLIENT_PORT_COMMAND, arguments: [target.uri.toString(), target.line] }) as ClientPortResult;
    } catch (error) {
      void vscode.window.showErrorMessage(`Godot DTLS Lab: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const { port, source } = found;
    if (this.echo.running) {
      const s = this.echo.snapshot;
      if (s?.port === port) {
        void vscode.window.showInformationMessage(`Godot DTLS Lab: the echo server already listens on port ${port}, the port this client connects to.`);
        return s;
      }
      await this.echo.stop();
    }
    const why = source === 'default' ? `no port found in the snippet, so the default ${port}` : `the port of this client's ${source}`;
    return this.start(port, why);
  }

  async menu(): Promise<void> {
    const s = this.echo.snapshot;
    const items: (vscode.QuickPickItem & { run: () => unknown })[] = s
      ? [
          { label: '$(copy) Copy Godot client snippet', description: 'Godot 4, pins this server\'s certificate', run: () => this.copySnippet() },
          ...(s.fingerprint ? [{ label: '$(key) Copy certificate fingerprint', description: s.fingerprint.slice(0, 23) + '…', run: () => vscode.env.clipboard.writeText(s.fingerprint!) }] : []),
          { label: '$(output) Show echo log', run: () => this.output.show(true) },
          { label: '$(debug-stop) Stop echo server', run: () => this.stop() },
        ]
      : [{ label: '$(play) Start echo server', run: () => this.start() }];
    const pick = await vscode.window.showQuickPick(items, { title: s?.port !== undefined ? `DTLS echo server on port ${s.port}` : 'DTLS echo server' });
    await pick?.run();
  }
}
