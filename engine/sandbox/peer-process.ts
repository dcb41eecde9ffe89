// One peer of a run, behaving like its own Godot process: its script's member initializers, then
// _enter_tree() and _ready(), then every frame _physics_process(delta) and _process(delta), each as a
// resumable task. Next to this main loop run the peer's Threads (one task each). Timers fire on the
// run's clock; the signals they emit resume awaiting functions on the main loop, like in Godot.

import { makeFloat, ScriptInstance, type ParsedScript, type Task, type TaskResult } from '../gdscript';
import type { Range, Value } from '../gdscript/host';
import type { GdCallable } from '../gdscript/values';
import { createGodotHost } from '../godot/godot-host';
import { emitFrameSignal, enterScriptNode, wantsFrames } from '../godot/node';
import {
  createRuntime, type DatagramNetwork, type FiberHandle, type FileRoots, type GodotLimits, type GodotRuntime, type StreamNetwork,
} from '../godot/runtime';
import { isWaitFor, type WaitFor } from '../godot/wait';
import { callFunctionName, type Snippet } from './document';
import { FRAME_MS, type RunLimits } from './limits';
import type { PeerReport, Problem, TimelineEntry } from './report';

/** PacketPeerDTLS.STATUS_CONNECTED: the status after which a snippet's `call=` expressions run. */
const STATUS_CONNECTED = 2;

/** How often a task blocked on a condition (Semaphore.wait(), PacketPeerUDP.wait(), ...) is checked. */
const WAIT_POLL_MS = 0.25;

type Phase = 'initializing' | 'running' | 'exiting' | 'finished' | 'crashed';

interface Fiber extends FiberHandle {
  readonly id: number;
  readonly name: string;
  readonly kind: 'main' | 'thread';
  task?: Task;
  wakeAt: number;
  wait?: WaitFor;
  stepsSinceWait: number;
  done: boolean;
  result: Value;
  error?: string;
  turn: number;
  onDone?: (fiber: FiberHandle) => void;
}

export interface PeerEnvironment {
  network: DatagramNetwork;
  streams: StreamNetwork;
  files: FileRoots;
  now: () => number;
  startedAtUnixMs: number;
  godotLimits?: Partial<GodotLimits>;
  /** SSLKEYLOGFILE lines of the peer's DTLS sessions. */
  keyLog?: (line: string) => void;
}

export class PeerProcess {
  readonly runtime: GodotRuntime;
  readonly report: PeerReport;
  /** Earliest time (run clock) this peer may run again. */
  wakeAt = 0;
  /** Tie-breaker among peers due at the same time: round robin. */
  turn = 0;
  private phase: Phase = 'initializing';
  private readonly instance: ScriptInstance;
  private readonly main: Fiber;
  private readonly threads: Fiber[] = [];
  private nextFiberId = 2;
  private current: Fiber;
  private fiberTurn = 0;
  /** Main-loop work waiting to start, in order (lifecycle callbacks, the calls of one frame). */
  private readonly mainQueue: (() => Task | undefined)[] = [];
  private frameStart = 0;
  private framesStarted = false;
  private readonly now: () => number;
  private callsQueued = false;

  constructor(
    readonly snippet: Snippet,
    script: ParsedScript,
    environment: PeerEnvironment,
    private readonly timeline: TimelineEntry[],
    private readonly problems: Problem[],
    private readonly limits: RunLimits,
  ) {
    const name = snippet.name;
    const now = environment.now;
    this.now = now;
    this.report = { name, role: snippet.role, annotationLine: snippet.annotationLine, prints: [], crashed: false };
    this.main = this.newFiber('main', 'main', 1);
    this.current = this.main;
    const self = this;
    this.runtime = createRuntime({
      peer: name,
      network: environment.network,
      streams: environment.streams,
      files: environment.files,
      now,
      startedAtUnixMs: environment.startedAtUnixMs,
      limits: environment.godotLimits,
      keyLog: environment.keyLog,
      record: (entry) => {
        const full = { ...entry, peer: name, at: now() } as TimelineEntry;
        timeline.push(full);
        if (full.kind === 'status') {
          this.report.finalStatus = { status: full.status, statusName: full.statusName };
          if (full.status === STATUS_CONNECTED) this.queueCalls();
        }
      },
      warn: (message, range) => this.print(`ERROR: ${message}`, 'stderr', range ?? this.currentRange ?? this.annotationRange),
      scheduler: {
        mainFiberId: 1,
        currentFiberId: () => self.current.id,
        spawn: (callable, args, _kind, fiberName, onDone) => self.spawnThread(callable, args, fiberName, onDone),
      },
    });
    const host = createGodotHost(this.runtime, (text, stream, range) => this.print(text, stream, range));
    // A fixed seed per snippet keeps randi()/randf() reproducible from run to run.
    this.instance = new ScriptInstance(script, host, { seed: snippet.annotationLine + 1 });
    this.main.task = this.instance.initialize();
  }

  /**
   * The snippet's `call=` expressions, once, on the main loop after the task that saw the first of
   * this peer's DTLS connections reach STATUS_CONNECTED.
   */
  private queueCalls(): void {
    if (this.callsQueued) return;
    this.callsQueued = true;
    (this.snippet.calls ?? []).forEach((_, index) => {
      const name = callFunctionName(index);
      this.mainQueue.push(() => (this.instance.hasFunction(name) ? this.instance.call(name, []) : undefined));
    });
  }

  get name(): string {
    return this.snippet.name;
  }

  /** True once the peer will never run again. */
  get done(): boolean {
    return this.phase === 'finished' || this.phase === 'crashed';
  }

  private get annotationRange(): Range {
    const line = this.snippet.annotationLine;
    return { start: { line, character: 0 }, end: { line, character: 0 } };
  }

  private newFiber(name: string, kind: Fiber['kind'], id = this.nextFiberId++): Fiber {
    return { id, name, kind, wakeAt: 0, stepsSinceWait: 0, done: false, result: null, turn: 0 };
  }

  private spawnThread(callable: GdCallable, args: Value[], name: string, onDone?: (fiber: FiberHandle) => void): FiberHandle {
    const fiber = this.newFiber(name, 'thread');
    fiber.task = this.instance.callCallable(callable, args);
    fiber.wakeAt = this.now();
    fiber.onDone = onDone;
    this.threads.push(fiber);
    return fiber;
  }

  private print(text: string, stream: 'stdout' | 'stderr', range: Range): void {
    const at = this.now();
    if (stream === 'stdout') {
      this.report.prints.push({ at, text, range });
      this.timeline.push({ kind: 'print', at, peer: this.name, text, range });
    } else {
      this.timeline.push({ kind: 'error', at, peer: this.name, message: text, range });
      this.problems.push({ severity: 'warning', code: 'godot-error', message: text, range, peer: this.name });
    }
  }

  // ---- the main loop ------------------------------------------------------------------------------

  /** Gives the main fiber its next task when it has none; false when it has nothing to do now. */
  private feedMain(now: number): boolean {
    const main = this.main;
    if (main.task) return true;
    if (this.phase === 'exiting') {
      this.phase = 'finished';
      return false;
    }
    if (this.runtime.lifecycle.quitRequested) return this.beginExit();
    while (this.mainQueue.length > 0) {
      const task = this.mainQueue.shift()!();
      if (task) return this.giveMain(task, now);
    }
    if (this.instance.hasPendingWork) return this.giveMain(this.instance.runPending(), now);
    if (this.needsFrames()) {
      const previous = this.framesStarted ? this.frameStart : now - FRAME_MS;
      const next = Math.max(previous + FRAME_MS, now);
      if (next > now) {
        main.wakeAt = next;
        return false;
      }
      this.startFrame(next, (next - previous) / 1000);
      return this.feedMain(now);
    }
    main.wakeAt = Infinity;
    return false;
  }

  private giveMain(task: Task, now: number): boolean {
    this.main.task = task;
    this.main.wakeAt = now;
    return true;
  }

  private needsFrames(): boolean {
    const lifecycle = this.runtime.lifecycle;
    return (
      (lifecycle.processing && this.instance.hasFunction('_process')) ||
      (lifecycle.physicsProcessing && this.instance.hasFunction('_physics_process')) ||
      wantsFrames(this.runtime)
    );
  }

  private startFrame(at: number, delta: number): void {
    this.framesStarted = true;
    this.frameStart = at;
    const runtime = this.runtime;
    runtime.frame++;
    this.mainQueue.push(
      () => {
        emitFrameSignal(runtime, 'physics_frame');
        return undefined;
      },
      () => (runtime.lifecycle.physicsProcessing && this.instance.hasFunction('_physics_process') ? this.instance.call('_physics_process', [makeFloat(FRAME_MS / 1000)]) : undefined),
      () => {
        emitFrameSignal(runtime, 'process_frame');
        return undefined;
      },
      () => (runtime.lifecycle.processing && this.instance.hasFunction('_process') ? this.instance.call('_process', [makeFloat(delta)]) : undefined),
    );
  }

  /** get_tree().quit() or queue_free(): _exit_tree() runs, then the peer is done. */
  private beginExit(): boolean {
    this.phase = 'exiting';
    this.mainQueue.length = 0;
    for (const t of this.threads) t.done = true;
    if (this.instance.hasFunction('_exit_tree')) return this.giveMain(this.instance.call('_exit_tree', []), this.now());
    this.phase = 'finished';
    return false;
  }

  /** The main task finished: what comes after initialization. */
  private mainTaskDone(): void {
    this.main.task = undefined;
    if (this.phase !== 'initializing') return;
    this.phase = 'running';
    enterScriptNode(this.runtime, this.instance.base, this.name);
    if (this.instance.hasFunction('_enter_tree')) this.mainQueue.push(() => this.instance.call('_enter_tree', []));
    if (this.instance.hasFunction('_ready')) this.mainQueue.push(() => this.instance.call('_ready', []));
    this.mainQueue.push(() => {
      (this.instance.base as { emitSignal?: (name: string) => void } | undefined)?.emitSignal?.('ready');
      return undefined;
    });
  }

  // ---- scheduling ---------------------------------------------------------------------------------

  private runnable(fiber: Fiber, now: number): boolean {
    if (fiber.done || !fiber.task || fiber.wakeAt > now) return false;
    if (fiber.wait && !fiber.wait.ready()) return false;
    return true;
  }

  /** Runs at most `steps` steps of one of the peer's tasks; returns the steps used and how the slice ended. */
  runSlice(steps: number): { used: number; outcome: TaskResult['kind'] } {
    const now = this.now();
    this.runtime.timers.fireDue(now);
    if (this.phase !== 'initializing') this.feedMain(now);
    const candidates = [this.main, ...this.threads].filter((f) => this.runnable(f, now));
    if (candidates.length === 0 || this.done) {
      this.settle(now);
      return { used: 0, outcome: 'suspended' };
    }
    const fiber = candidates.reduce((a, b) => (b.turn < a.turn ? b : a));
    fiber.turn = ++this.fiberTurn;
    fiber.wait = undefined;
    this.current = fiber;
    const result = fiber.task!.run(steps);
    const used = result.steps ?? 0;
    fiber.stepsSinceWait += used;
    switch (result.kind) {
      case 'done':
        fiber.stepsSinceWait = 0;
        this.fiberDone(fiber, result.value);
        break;
      case 'suspended': {
        fiber.stepsSinceWait = 0;
        const suspend = result.suspend;
        if (isWaitFor(suspend)) {
          fiber.wait = suspend;
          fiber.wakeAt = this.now();
        } else fiber.wakeAt = this.now() + (suspend.kind === 'sleep' ? suspend.ms : 0);
        break;
      }
      case 'sliced':
        if (fiber.stepsSinceWait > this.limits.stepsWithoutWaiting) {
          const count = this.limits.stepsWithoutWaiting.toLocaleString('en-US');
          const where = fiber.kind === 'thread' ? ` (in ${fiber.name})` : '';
          this.crash(
            'step-budget',
            `Stopped after ${count} steps without waiting${where}: this loop never gives the other peer a turn (no poll(), no OS.delay_msec(), no await). In Godot the game would freeze here.`,
            fiber.task?.currentRange,
          );
        }
        break;
      case 'error':
        if (fiber.kind === 'main') this.crash('runtime', result.message, result.range);
        else {
          this.reportError('runtime', `${result.message} (in ${fiber.name})`, result.range);
          fiber.error = result.message;
          this.fiberDone(fiber, null);
        }
        break;
    }
    this.current = this.main;
    if (!this.done) {
      if (this.runtime.lifecycle.quitRequested && this.phase === 'running' && !this.main.task) this.beginExit();
      this.settle(this.now());
    }
    return { used, outcome: result.kind };
  }

  private fiberDone(fiber: Fiber, value: Value): void {
    fiber.task = undefined;
    if (fiber.kind === 'main') {
      if (this.phase === 'exiting') {
        this.phase = 'finished';
        return;
      }
      this.mainTaskDone();
      return;
    }
    fiber.done = true;
    fiber.result = value ?? null;
    const i = this.threads.indexOf(fiber);
    if (i >= 0) this.threads.splice(i, 1);
    fiber.onDone?.(fiber);
  }

  /** Works out when the peer can run next, whether it is finished, and whether it is deadlocked. */
  private settle(now: number): void {
    if (this.done) return;
    if (this.phase === 'running' && !this.main.task) this.feedMain(now);
    if (this.phase === 'finished') return;
    const fibers = [this.main, ...this.threads].filter((f) => f.task && !f.done);
    const timerAt = this.runtime.timers.nextAt();
    if (fibers.length === 0 && timerAt === undefined && this.main.wakeAt === Infinity && !this.instance.hasPendingWork) {
      this.phase = 'finished';
      return;
    }
    let wake = Math.min(this.main.task ? Infinity : this.main.wakeAt, timerAt ?? Infinity);
    for (const f of fibers) {
      if (f.wait) wake = Math.min(wake, f.wait.ready() ? now : now + WAIT_POLL_MS);
      else wake = Math.min(wake, f.wakeAt);
    }
    if (this.instance.hasPendingWork && !this.main.task) wake = now;
    this.wakeAt = Math.max(wake, now);
    this.checkDeadlock(fibers, timerAt);
  }

  /** Every task waits for another task of this peer (Mutex, Semaphore, Thread), and nothing else can wake them. */
  private checkDeadlock(fibers: Fiber[], timerAt: number | undefined): void {
    if (timerAt !== undefined || this.instance.hasPendingWork || !this.main.task) return;
    if (fibers.length === 0 || !fibers.every((f) => f.wait?.options.sync && !f.wait.ready())) return;
    const waits = fibers.map((f) => `${f.kind === 'main' ? 'the main thread' : f.name} waits in ${f.wait!.reason}`).join('; ');
    this.crash('deadlock', `Deadlock: every thread of this peer is waiting for another one (${waits}). In Godot the game would hang here.`, this.main.task.currentRange);
  }

  private reportError(code: string, message: string, range: Range | undefined): void {
    const at = this.now();
    const where = range ?? this.annotationRange;
    this.timeline.push({ kind: 'error', at, peer: this.name, message, range: where });
    this.problems.push({ severity: 'error', code, message, range: where, peer: this.name });
  }

  /** Stops the peer with an error at `range`. */
  crash(code: string, message: string, range: Range | undefined): void {
    this.phase = 'crashed';
    this.report.crashed = true;
    this.reportError(code, message, range);
  }

  /** The run is over: release what the peer's objects still hold (TLS sessions). */
  close(): void {
    for (const cleanup of [...this.runtime.cleanups]) cleanup();
  }

  /** Where the peer is now (for timeout messages). */
  get currentRange(): Range | undefined {
    if (this.done) return undefined;
    const fiber = this.current.task ? this.current : this.main.task ? this.main : this.threads.find((t) => t.task);
    return fiber?.task?.currentRange;
  }
}
