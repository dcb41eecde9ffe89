// A real LSP client for the tests and the benchmark: spawns `node dist/server.js --stdio` and talks
// JSON-RPC to it over the child's pipes. Every wait is bounded in time.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
const STEP_MS = 20_000;

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface Diagnostic { range: Range; severity?: number; code?: string | number; source?: string; message: string; tags?: number[] }
export interface CodeLens { range: Range; command?: { title: string; command: string; arguments?: unknown[] } }
export interface TextEdit { range: Range; newText: string }
export interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  diagnostics?: Diagnostic[];
  edit?: { changes?: Record<string, TextEdit[]> };
}
export interface RunPairResult {
  report: {
    ok: boolean;
    link: string;
    server: { name: string; annotationLine: number };
    client: { name: string; annotationLine: number };
    peers: { name: string; role: string; annotationLine: number; prints: { text: string; range?: Range }[]; finalStatus?: { status: number; statusName: string }; crashed: boolean }[];
    problems: { severity: string; code: string; message: string; range: Range }[];
    timeline: { kind: string; reason?: string }[];
    expectations?: { text: string; passed: boolean; peer?: string }[];
  };
  text: string;
  lines: { start: number; end: number }[];
}

export const fileUri = (relative: string) => pathToFileURL(path.join(ROOT, relative)).toString();

/** Applies LSP text edits (non-overlapping, positions in the original text) to `text`. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: Position) => Math.min(text.length, (lineStarts[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start) || offset(b.range.end) - offset(a.range.end));
  let result = text;
  for (const e of sorted) result = result.slice(0, offset(e.range.start)) + e.newText + result.slice(offset(e.range.end));
  return result;
}

export class LspClient {
  readonly connection: MessageConnection;
  readonly server: ChildProcessWithoutNullStreams;
  stderr = '';
  /** The last diagnostics published for each uri. */
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** The document version each uri's last diagnostics were published for. */
  readonly diagnosticsVersions = new Map<string, number | undefined>();
  /** Checks of `until` waiting for the next notification. */
  private readonly waiters: (() => void)[] = [];
  private version = 1;
  /** The answers to workspace/configuration, by section (e.g. `dtlsLab.limits`); tests may change them between requests. */
  configuration: Record<string, unknown> = {};

  private constructor() {
    this.server = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, stdio: 'pipe' });
    this.server.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.server.stdout), new StreamMessageWriter(this.server.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      this.diagnosticsVersions.set(params.uri, params.version);
      this.wake();
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section !== undefined ? this.configuration[item.section] ?? null : null)));
    this.connection.listen();
  }

  /**
   * Spawns the server and completes the initialize handshake. With `configuration`, the client
   * announces the workspace/configuration capability and answers from `client.configuration`.
   */
  static async start(initializationOptions?: Record<string, unknown>, configuration?: Record<string, unknown>): Promise<{ client: LspClient; capabilities: Record<string, unknown> }> {
    const client = new LspClient();
    if (configuration) client.configuration = configuration;
    const init = await client.within(client.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(ROOT).toString(),
      capabilities: {
        textDocument: { publishDiagnostics: { tagSupport: { valueSet: [1, 2] } }, codeLens: {}, codeAction: {}, hover: {}, completion: {}, signatureHelp: {}, definition: {}, documentSymbol: { hierarchicalDocumentSymbolSupport: true } },
        workspace: { executeCommand: {}, ...(configuration ? { configuration: true } : {}) },
      },
      initializationOptions,
    }), 'initialize');
    await client.connection.sendNotification('initialized', {});
    return { client, capabilities: init.capabilities };
  }

  within<T>(promise: Promise<T>, what: string, ms = STEP_MS): Promise<T> {
    let timer: NodeJS.Timeout;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}\nserver stderr:\n${this.stderr}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** Resolves once `ready()` returns a value (checked now and after every notification the client sees). */
  until<T>(ready: () => T | undefined, what: string, ms = STEP_MS): Promise<T> {
    return this.within(new Promise<T>((resolve) => {
      const check = () => {
        const value = ready();
        if (value !== undefined) resolve(value);
        else this.waiters.push(check);
      };
      check();
    }), what, ms);
  }

  /** Resolves with the first diagnostics published for `uri` that satisfy `accept`. */
  diagnosticsFor(uri: string, accept: (d: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
    return this.until(() => {
      const current = this.diagnostics.get(uri);
      return current && accept(current) ? current : undefined;
    }, what);
  }

  /** The diagnostics published for `version` of the document at `uri`. */
  diagnosticsOfVersion(uri: string, version: number): Promise<Diagnostic[]> {
    return this.until(() => (this.diagnosticsVersions.get(uri) === version ? this.diagnostics.get(uri) : undefined), `diagnostics of ${uri} version ${version}`);
  }

  /** Records every notification of `method` in the returned array (and wakes `until` waiters). */
  collect<T>(method: string): T[] {
    const seen: T[] = [];
    this.connection.onNotification(method, (params: T) => {
      seen.push(params);
      this.wake();
    });
    return seen;
  }

  /** Opens a document; returns its version. */
  open(uri: string, languageId: string, text: string): number {
    const version = this.version++;
    this.diagnostics.delete(uri);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return version;
  }

  /** Sends one didChange; without a range the change replaces the whole text. Returns the new version. */
  change(uri: string, changes: { range?: Range; text: string }[]): number {
    const version = this.version++;
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<T>(method: string, params: unknown, what = method, ms = STEP_MS): Promise<T> {
    return this.within(this.connection.sendRequest<T>(method, params), what, ms);
  }

  lenses(uri: string): Promise<CodeLens[]> {
    return this.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  }

  codeActions(uri: string, range: Range, only?: string[]): Promise<CodeAction[]> {
    return this.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], ...(only ? { only } : {}) } });
  }

  executeCommand<T = unknown>(command: string, args: unknown[]): Promise<T> {
    return this.request<T>('workspace/executeCommand', { command, arguments: args }, `executeCommand ${command}`);
  }

  run(uri: string, line: number, link: string | null = 'virtual', settings?: Record<string, number>): Promise<RunPairResult> {
    const args = settings ? [uri, line, link, settings] : [uri, line, link];
    return this.request<RunPairResult>('workspace/executeCommand', { command: 'dtlsLab.server.runPair', arguments: args }, 'executeCommand dtlsLab.server.runPair', 60_000);
  }

  async stop(): Promise<void> {
    try {
      await this.within(this.connection.sendRequest('shutdown'), 'shutdown', 3000);
      await this.connection.sendNotification('exit');
    } catch { /* killed below anyway */ }
    this.connection.dispose();
    this.server.kill();
  }

  private wake(): void {
    this.waiters.splice(0).forEach((w) => w());
  }
}
