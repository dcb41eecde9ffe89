// One peer of a run, behaving like its own Godot process: its script's member initializers, then
// _ready(), then _process(delta) every frame, each as a resumable task the scheduler runs in slices.

import { makeFloat, ScriptInstance, type ParsedScript, type Task, type TaskResult } from '../gdscript';
import type { Range } from '../gdscript/host';
import { createGodotHost } from '../godot/godot-host';
import type { DatagramNetwork, GodotRuntime } from '../godot/runtime';
import type { Snippet } from './document';
import { FRAME_MS, type RunLimits } from './limits';
import type { PeerReport, Problem, TimelineEntry } from './report';

type Phase = 'initializing' | 'ready' | 'processing' | 'finished' | 'crashed';

export class PeerProcess {
  readonly runtime: GodotRuntime;
  readonly report: PeerReport;
  /** Earliest time (run clock) this peer may run again. */
  wakeAt = 0;
  /** Tie-breaker among peers due at the same time: round robin. */
  turn = 0;
  private phase: Phase = 'initializing';
  private readonly instance: ScriptInstance;
  private task: Task;
  private frameStart = 0;
  private stepsSinceWait = 0;

  constructor(
    readonly snippet: Snippet,
    script: ParsedScript,
    network: DatagramNetwork,
    private readonly now: () => number,
    private readonly timeline: TimelineEntry[],
    private readonly problems: Problem[],
    private readonly limits: RunLimits,
  ) {
    const name = snippet.name;
    this.report = { name, role: snippet.role, annotationLine: snippet.annotationLine, prints: [], crashed: false };
    this.runtime = {
      peer: name,
      network,
      now,
      record: (entry) => {
        const full = { ...entry, peer: name, at: now() } as TimelineEntry;
        timeline.push(full);
        if (full.kind === 'status') this.report.finalStatus = { status: full.status, statusName: full.statusName };
      },
      lifecycle: { processing: true, quitRequested: false },
    };
    const host = createGodotHost(this.runtime, (text, stream, range) => this.print(text, stream, range));
    // A fixed seed per snippet keeps randi()/randf() reproducible from run to run.
    this.instance = new ScriptInstance(script, host, { seed: snippet.annotationLine + 1 });
    this.task = this.instance.initialize();
  }

  get name(): string {
    return this.snippet.name;
  }

  /** True once the peer will never run again. */
  get done(): boolean {
    return this.phase === 'finished' || this.phase === 'crashed';
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

  /** Runs at most `steps` steps; returns the steps used and how the slice ended. */
  runSlice(steps: number): { used: number; outcome: TaskResult['kind'] } {
    const result = this.task.run(steps);
    const used = result.steps ?? 0;
    this.stepsSinceWait += used;
    switch (result.kind) {
      case 'done':
        this.stepsSinceWait = 0;
        this.advancePhase();
        break;
      case 'suspended':
        this.stepsSinceWait = 0;
        this.wakeAt = this.now() + (result.suspend.kind === 'sleep' ? result.suspend.ms : 0);
        break;
      case 'sliced':
        if (this.stepsSinceWait > this.limits.stepsWithoutWaiting) {
          const steps = this.limits.stepsWithoutWaiting.toLocaleString('en-US');
          this.crash(
            'step-budget',
            `Stopped after ${steps} steps without waiting: this loop never gives the other peer a turn (no poll(), no OS.delay_msec(), no await). In Godot the game would freeze here.`,
            this.task.currentRange,
          );
        }
        break;
      case 'error':
        this.crash('runtime', result.message, result.range);
        break;
    }
    if (this.runtime.lifecycle.quitRequested && !this.done) this.phase = 'finished';
    return { used, outcome: result.kind };
  }

  /** Stops the peer with an error at `range`. */
  crash(code: string, message: string, range: Range | undefined): void {
    this.phase = 'crashed';
    this.report.crashed = true;
    const at = this.now();
    const where = range ?? { start: { line: this.snippet.annotationLine, character: 0 }, end: { line: this.snippet.annotationLine, character: 0 } };
    this.timeline.push({ kind: 'error', at, peer: this.name, message, range: where });
    this.problems.push({ severity: 'error', code, message, range: where, peer: this.name });
  }

  /** Where the peer is now (for timeout messages). */
  get currentRange(): Range | undefined {
    return this.done ? undefined : this.task.currentRange;
  }

  private advancePhase(): void {
    const now = this.now();
    if (this.phase === 'initializing') {
      this.phase = 'ready';
      if (this.instance.hasFunction('_ready')) {
        this.task = this.instance.call('_ready', []);
        return;
      }
    }
    if (this.phase === 'ready' || this.phase === 'processing') {
      if (!this.instance.hasFunction('_process') || !this.runtime.lifecycle.processing) {
        this.phase = 'finished';
        return;
      }
      const previous = this.phase === 'ready' ? now - FRAME_MS : this.frameStart;
      const next = Math.max(previous + FRAME_MS, now);
      this.phase = 'processing';
      this.frameStart = next;
      this.wakeAt = next;
      this.task = this.instance.call('_process', [makeFloat((next - previous) / 1000)]);
    }
  }
}
