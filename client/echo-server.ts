// The echo server as a child process of the extension host: the bundled CLI
// `dist/cli.js echo --json-log --stats-interval 1 …` (echo-arguments.ts), run by the host's own
// Node (process.execPath with ELECTRON_RUN_AS_NODE=1, so it works in desktop VS Code and in
// code-server alike). Its stdout (JSON lines) and stderr (human text) go to the output channel and
// into an EchoLog; the `stats` records keep the status bar's packet count live.
import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import { echoArguments, type EchoStartOptions } from './echo-arguments';
import { EchoLog, type EchoSnapshot } from './echo-log';

export type { EchoStartOptions };

/** The server did not start; `portInUse` when the port was taken. */
export class EchoStartError extends Error {
  constructor(message: string, readonly portInUse?: { host: string; port: number }) {
    super(message);
  }
}

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 3_000;

/** Calls `fn` with every complete line of a stream. */
function lines(stream: NodeJS.ReadableStream, fn: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let index: number;
    while ((index = buffered.indexOf('\n')) >= 0) {
      fn(buffered.slice(0, index).replace(/\r$/, ''));
      buffered = buffered.slice(index + 1);
    }
  });
  stream.on('end', () => {
    if (buffered) fn(buffered);
    buffered = '';
  });
}

export class EchoServerProcess implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private log: EchoLog | undefined;
  private readonly changed = new vscode.EventEmitter<EchoSnapshot | undefined>();
  /** Fires on every log record and when the server stops (with undefined). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly cliPath: string, private readonly output: vscode.OutputChannel) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  get snapshot(): EchoSnapshot | undefined {
    return this.child && this.log ? this.log.snapshot : undefined;
  }

  /** Starts the server; resolves once it listens and has printed its Godot snippet. */
  start(options: EchoStartOptions): Promise<EchoSnapshot> {
    if (this.child) return Promise.reject(new EchoStartError(`The echo server is already running on port ${this.log?.snapshot.port}.`));
    const args = [this.cliPath, ...echoArguments(options)];
    const log = new EchoLog();
    this.output.appendLine(`$ dtls-lab ${args.slice(1).join(' ')}`);
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.log = log;
    return new Promise<EchoSnapshot>((resolve, reject) => {
      let settled = false;
      const settle = (error?: EchoStartError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(log.snapshot);
      };
      const timer = setTimeout(() => {
        settle(new EchoStartError(`The echo server did not start within ${START_TIMEOUT_MS / 1000} s (see the "Godot DTLS Lab Echo" output).`));
        void this.stop();
      }, START_TIMEOUT_MS);
      lines(child.stdout!, (line) => {
        this.output.appendLine(line);
        if (log.stdoutLine(line) && this.child === child) this.changed.fire(log.snapshot);
      });
      lines(child.stderr!, (line) => {
        this.output.appendLine(line);
        log.stderrLine(line);
        const s = log.snapshot;
        if (s.port !== undefined && s.godotSnippet !== undefined) settle();
      });
      child.on('error', (error) => settle(new EchoStartError(`Cannot start the echo server: ${error.message}`)));
      child.on('exit', (code, signal) => {
        this.output.appendLine(`[echo server exited: ${signal ?? `code ${code}`}]`);
        if (this.child === child) {
          this.child = undefined;
          this.changed.fire(undefined);
        }
        const s = log.snapshot;
        settle(new EchoStartError(s.lastError ?? `The echo server exited (${signal ?? `code ${code}`}) before it listened.`, s.portInUse));
      });
    });
  }

  /** SIGTERM (the server sends close_notify and prints its counters), SIGKILL after 3 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    this.changed.fire(undefined);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_GRACE_MS));
    if ((await Promise.race([exited, timer])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }
}
