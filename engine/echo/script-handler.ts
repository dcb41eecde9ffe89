// `dtls-lab echo --script FILE.gd`: a GDScript file answers each packet instead of the echo.
//
// The contract (README.md, "Script handlers"):
//   func handle(packet: PackedByteArray, session: Dictionary) -> Variant      (required)
//     returns a PackedByteArray or a String to send, an Array of them to send several packets, or
//     null to send nothing.
//   func _on_session_started(session: Dictionary) -> Variant                  (optional; same returns)
//   func _on_session_closed(session: Dictionary) -> void                      (optional)
// `session` is one Dictionary per session, the same object on every call: "id", "address", "port",
// "suite", "packets" (received so far, this one included), "reason" (in _on_session_closed) and
// "data", a Dictionary the script may keep its per-session state in.
//
// The script runs in the same sandbox as snippets (engine/godot classes, res:// = the script's
// folder read-only, user:// in memory, network only within the sandbox). One call runs at a time,
// in arrival order. Each call is bounded: steps without returning, real time (sleeps included),
// and the process heap after the call. A call may wait (OS.delay_msec(), `await` a timer or a
// signal); the wait counts against its time. A call that errs or hits a bound answers nothing and is
// logged in Godot's format ("SCRIPT ERROR: … at: handle (res://FILE.gd:LINE)"); the server and
// the other sessions go on.

import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  Coroutine, GdArray, GdDictionary, GdPackedByteArray, isArray, isBytes, isStringLike, makeDictionary, makeInt, parse, stringValue, typeNameOf,
  type ast, type Range, type Task, type Value,
} from '../gdscript';
import { DEFAULT_GODOT_LIMITS } from '../godot/runtime';
import { isWaitFor } from '../godot/wait';
import { createStandaloneScript, formatScriptError, functionAt, scriptErrorLines, type StandaloneScript } from '../sandbox/standalone-script';
import { VirtualClock } from '../sandbox/virtual-clock';
import { VirtualNetwork } from '../sandbox/virtual-network';
import { VirtualStreamNetwork } from '../sandbox/virtual-streams';
import type { HandlerReply, HandlerSession, PacketHandler } from './packet-handler';

export interface ScriptHandlerLimits {
  /** Interpreter steps one call may run (default 1 000 000). */
  stepsPerCall: number;
  /** Real time one call may take, OS.delay_msec() included (default 1000 ms). */
  wallTimeMs: number;
  /** V8 heap (bytes) the process may use after a call; above it the session is closed and its state dropped (default 512 MiB). */
  maxHeapBytes: number;
  /** Calls waiting for their turn, all sessions together; packets beyond are not handled (default 1024). */
  maxQueuedCalls: number;
}

export const DEFAULT_SCRIPT_HANDLER_LIMITS: ScriptHandlerLimits = {
  stepsPerCall: 1_000_000,
  wallTimeMs: 1000,
  maxHeapBytes: 512 * 1024 * 1024,
  maxQueuedCalls: 1024,
};

/** The script could not be loaded: one line per problem, `file:line:column: error: message`. */
export class ScriptLoadError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ScriptLoadError';
  }
}

export interface ScriptHandlerOptions {
  limits?: Partial<ScriptHandlerLimits>;
  /** One structured record per print and per error (`handler-print`, `handler-error`). */
  log(record: Record<string, unknown>): void;
}

/** Steps run before the handler lets the event loop turn (other datagrams, timers). */
const SLICE_STEPS = 50_000;
/** How often a call waiting on something other than a sleep (a Semaphore, a timer) is retried. */
const RETRY_MS = 1;

/** What one call (with what it resumes) has used of its limits. */
interface Budget {
  started: number;
  steps: number;
}

/** A call that failed or was stopped (already logged). */
const FAILED = Symbol('failed');

interface Job {
  name: string;
  session: HandlerSession;
  state: GdDictionary;
  args: Value[];
  reply: HandlerReply;
  /** Whether the call's return value is sent. */
  answers: boolean;
}

export class ScriptHandler implements PacketHandler {
  private readonly limits: ScriptHandlerLimits;
  private readonly clock = new VirtualClock();
  private readonly startedAt = performance.now();
  private readonly sandbox: StandaloneScript;
  private readonly states = new Map<number, GdDictionary>();
  private readonly queue: Job[] = [];
  private running = false;
  private closed = false;
  /** The session whose call is running (for prints and errors). */
  private current?: HandlerSession;

  private constructor(
    readonly file: string,
    private readonly script: ast.ScriptNode,
    private readonly options: ScriptHandlerOptions,
  ) {
    this.limits = { ...DEFAULT_SCRIPT_HANDLER_LIMITS, ...options.limits };
    const network = new VirtualNetwork(this.clock);
    const streams = new VirtualStreamNetwork(this.clock, DEFAULT_GODOT_LIMITS.maxBufferedBytes);
    this.sandbox = createStandaloneScript(script, {
      fileName: basename(file),
      network,
      streams,
      files: { documentFolder: dirname(resolve(file)), user: new Map() },
      now: () => this.clock.now(),
      print: (text, stream) =>
        this.options.log(
          stream === 'stdout'
            ? { event: 'handler-print', text, ...this.where() }
            : { event: 'handler-error', message: text, lines: [text], ...this.where() },
        ),
    });
  }

  /**
   * Reads, parses and compiles FILE.gd, checks that it has `func handle(packet, session)` and runs its
   * initializers and _init(). Throws ScriptLoadError (lines to print) when any of that fails.
   */
  static load(file: string, options: ScriptHandlerOptions): ScriptHandler {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ScriptLoadError([`${file}: cannot read the script: ${(error as Error).message}`]);
    }
    const at = (range: Range) => `${file}:${range.start.line + 1}:${range.start.character + 1}`;
    const { script, errors } = parse(source);
    if (errors.length > 0) throw new ScriptLoadError(errors.map((e) => `${at(e.range)}: error: ${e.message}`));
    const handler = new ScriptHandler(file, script, options);
    const instance = handler.sandbox.instance;
    if (instance.problems.length > 0) throw new ScriptLoadError(instance.problems.map((p) => `${at(p.range)}: error: ${p.message}`));
    const handle = script.members.find((m): m is ast.FunctionDecl => m.kind === 'Function' && m.name === 'handle');
    if (!handle) throw new ScriptLoadError([`${file}:1:1: error: the script has no "func handle(packet: PackedByteArray, session: Dictionary)": the echo server calls it for every packet.`]);
    const required = handle.params.filter((p) => !p.defaultValue).length;
    if (required > 2 || handle.params.length < 2) {
      throw new ScriptLoadError([`${at(handle.nameRange)}: error: handle() takes two parameters (packet: PackedByteArray, session: Dictionary), not ${handle.params.length}.`]);
    }
    const init = handler.runNow(instance.initialize());
    if (init !== 'ok') throw new ScriptLoadError([`${file}: error: the script failed while initializing:`, ...init]);
    return handler;
  }

  get resPath(): string {
    return this.sandbox.resPath;
  }

  sessionStarted(session: HandlerSession, reply: HandlerReply): void {
    const state = makeDictionary([['data', makeDictionary()]]);
    this.states.set(session.id, state);
    if (this.sandbox.instance.hasFunction('_on_session_started')) this.enqueue({ name: '_on_session_started', session, state, args: [state], reply, answers: true });
  }

  handle(data: Uint8Array, session: HandlerSession, reply: HandlerReply): void {
    const state = this.states.get(session.id);
    if (!state) return;
    if (this.queue.length >= this.limits.maxQueuedCalls) {
      this.error(session, 'handle', `${this.queue.length} calls are waiting already (the handler is slower than the packets arrive): this packet is not handled.`);
      return;
    }
    this.enqueue({ name: 'handle', session, state, args: [GdPackedByteArray.from(data), state], reply, answers: true });
  }

  sessionEnded(session: HandlerSession, reason: string): void {
    const state = this.states.get(session.id);
    if (!state) return;
    this.states.delete(session.id);
    state.set('reason', reason);
    if (this.sandbox.instance.hasFunction('_on_session_closed')) {
      this.enqueue({ name: '_on_session_closed', session, state, args: [state], reply: { send: () => undefined, close: () => undefined }, answers: false });
    }
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  /** Calls queued or running (tests). */
  get pendingCalls(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  private enqueue(job: Job): void {
    if (this.closed) return;
    this.queue.push(job);
    if (!this.running) void this.pump();
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      for (let job = this.queue.shift(); job && !this.closed; job = this.queue.shift()) await this.run(job);
    } finally {
      this.running = false;
      this.current = undefined;
    }
  }

  private async run(job: Job): Promise<void> {
    const { session, state } = job;
    state.set('id', makeInt(session.id));
    state.set('address', session.host);
    state.set('port', makeInt(session.port));
    state.set('suite', session.suite ?? '');
    state.set('packets', makeInt(session.packets));
    if (!isDictionaryValue(state.get('data'))) state.set('data', makeDictionary());
    this.current = session;
    const budget: Budget = { started: performance.now(), steps: 0 };
    let value = await this.runBounded(job.name, this.sandbox.instance.call(job.name, job.args), budget);
    // A function that awaits returns its coroutine (GDScriptFunctionState) at its first await.
    if (value instanceof Coroutine) value = await this.finishCoroutine(job.name, value, budget);
    this.current = undefined;
    if (value === FAILED || this.closed) return;
    if (job.answers) {
      const packets = answerPackets(value);
      if (typeof packets === 'string') this.error(session, job.name, `${job.name}() returned ${packets}: return a PackedByteArray, a String, an Array of them, or null (no answer).`);
      else for (const p of packets) job.reply.send(p);
    }
    if (process.memoryUsage().heapUsed > this.limits.maxHeapBytes) {
      state.clear();
      this.error(session, job.name, `after this call the heap holds more than ${formatBytes(this.limits.maxHeapBytes)} (--script-max-heap): the session is closed and its data dropped.`);
      job.reply.close('script-heap-limit');
    }
  }

  /** Runs a task within the call's limits; its return value, or FAILED after an error or a limit (logged). */
  private async runBounded(name: string, task: Task, budget: Budget): Promise<Value | typeof FAILED> {
    for (;;) {
      this.clock.advanceTo(Math.max(this.clock.now(), performance.now() - this.startedAt));
      this.sandbox.runtime.timers.fireDue(this.clock.now());
      const r = task.run(SLICE_STEPS);
      budget.steps += r.steps;
      if (r.kind === 'done') return r.value;
      if (r.kind === 'error') {
        this.errorLines(name, scriptErrorLines(this.script, this.resPath, r), r.range);
        return FAILED;
      }
      if (this.closed) return FAILED;
      if (budget.steps > this.limits.stepsPerCall) {
        const count = this.limits.stepsPerCall.toLocaleString('en-US');
        this.stopped(name, task.currentRange, task.stack[0]?.function, `${name}() was stopped after ${count} steps (--script-steps): a loop here does not end; no answer was sent.`);
        return FAILED;
      }
      if (r.kind === 'suspended') {
        const sleep = !isWaitFor(r.suspend) && r.suspend.kind === 'sleep' ? r.suspend.ms : RETRY_MS;
        const left = this.limits.wallTimeMs - (performance.now() - budget.started);
        await delay(Math.max(0, Math.min(sleep, left + 1)));
      } else {
        await new Promise<void>((done) => setImmediate(done));
      }
      if (this.closed) return FAILED;
      if (this.outOfTime(name, budget, task.currentRange, task.stack[0]?.function)) return FAILED;
    }
  }

  /**
   * Waits for a coroutine the call returned (a function that awaits a timer or a signal): fires the
   * script's timers on the wall clock and runs what they resume, within the same call's limits.
   */
  private async finishCoroutine(name: string, coroutine: Coroutine, budget: Budget): Promise<Value | typeof FAILED> {
    const { instance, runtime } = this.sandbox;
    while (!coroutine.done) {
      this.clock.advanceTo(Math.max(this.clock.now(), performance.now() - this.startedAt));
      runtime.timers.fireDue(this.clock.now());
      if (instance.hasPendingWork) {
        if ((await this.runBounded(name, instance.runPending(), budget)) === FAILED) return FAILED;
        continue;
      }
      const next = runtime.timers.nextAt();
      const left = this.limits.wallTimeMs - (performance.now() - budget.started);
      await delay(Math.max(0, Math.min(next === undefined ? RETRY_MS : next - this.clock.now(), left + 1)));
      if (this.closed) return FAILED;
      const where = this.functionRange(name);
      if (this.outOfTime(name, budget, where, name)) return FAILED;
    }
    return coroutine.result;
  }

  /** Logs and returns true when the call has used up its time. */
  private outOfTime(name: string, budget: Budget, range: Range | undefined, functionName: string | undefined): boolean {
    const elapsed = performance.now() - budget.started;
    if (elapsed <= this.limits.wallTimeMs) return false;
    this.stopped(name, range, functionName, `${name}() was stopped after ${Math.round(elapsed)} ms (--script-timeout ${this.limits.wallTimeMs} ms); no answer was sent.`);
    return true;
  }

  /** The declaration of a top-level function (where a stopped coroutine is blamed). */
  private functionRange(name: string): Range | undefined {
    return this.script.members.find((m) => m.kind === 'Function' && m.name === name)?.range;
  }

  /** Logs a call stopped by a limit, at the line it was running. */
  private stopped(name: string, where: Range | undefined, functionName: string | undefined, message: string): void {
    const range = where ?? this.script.range;
    const fn = functionName ?? functionAt(this.script, range.start.line);
    this.errorLines(name, formatScriptError(message, fn, this.resPath, range.start.line + 1), range);
  }

  /** Runs a task to its end synchronously (the script's initialization); 'ok' or the error lines. */
  private runNow(task: Task): 'ok' | string[] {
    let steps = 0;
    for (;;) {
      const r = task.run(SLICE_STEPS);
      steps += r.steps;
      if (r.kind === 'done') return 'ok';
      if (r.kind === 'error') return scriptErrorLines(this.script, this.resPath, r);
      if (r.kind === 'suspended') return formatScriptError('the script waits (await, OS.delay_msec()) while initializing; do that in handle().', '_init', this.resPath, (task.currentRange ?? this.script.range).start.line + 1);
      if (steps > this.limits.stepsPerCall) {
        const range = task.currentRange ?? this.script.range;
        return formatScriptError(`initializing was stopped after ${this.limits.stepsPerCall.toLocaleString('en-US')} steps: a loop here does not end.`, functionAt(this.script, range.start.line), this.resPath, range.start.line + 1);
      }
    }
  }

  private where(): Record<string, unknown> {
    return this.current ? { session: this.current.id, address: `${this.current.host}:${this.current.port}` } : {};
  }

  private errorLines(name: string, lines: string[], range: Range): void {
    this.options.log({
      event: 'handler-error', function: name, file: this.resPath, line: range.start.line + 1, message: lines[0].replace(/^SCRIPT ERROR: /, ''), lines, ...this.where(),
    });
  }

  private error(session: HandlerSession, name: string, message: string): void {
    this.options.log({
      event: 'handler-error', function: name, file: this.resPath, message, lines: [`ERROR: ${message}`], session: session.id, address: `${session.host}:${session.port}`,
    });
  }
}

function isDictionaryValue(v: Value | undefined): v is GdDictionary {
  return v instanceof GdDictionary;
}

/** The packets a return value stands for, or the name of its type when it is not one of the allowed ones. */
export function answerPackets(value: Value): Uint8Array[] | string {
  if (value === null) return [];
  if (isBytes(value)) return [value.toUint8Array()];
  if (isStringLike(value)) return [Buffer.from(stringValue(value), 'utf8')];
  if (isArray(value)) {
    const out: Uint8Array[] = [];
    for (const item of (value as GdArray).items) {
      if (item === null) continue;
      const one = answerPackets(item);
      if (typeof one === 'string' || isArray(item)) return `an Array holding ${isArray(item) ? 'an Array' : one}`;
      out.push(...one);
    }
    return out;
  }
  return `a value of type ${typeNameOf(value)}`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1048576 ? `${Math.round(bytes / 1048576)} MiB` : `${bytes} bytes`;
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
