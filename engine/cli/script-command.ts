// `dtls-lab script FILE.gd [--call NAME]`: runs one GDScript file on its own, the way
// `godot --headless -s FILE.gd` (or a scene whose root node has the script) would, and prints what
// Godot's console prints: print() output on stdout, errors on stderr in Godot's format.
//
// The script runs on a virtual clock: OS.delay_msec() and timers move time forward instantly, so
// runs are fast and deterministic. Godot classes come from engine/godot (the same emulation the
// sandbox uses); SceneTree gains create_timer() so that `await get_tree().create_timer(1).timeout`
// works.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Suspend, makeFloat, parse, type ast, type Range, type Task } from '../gdscript';
import { DEFAULT_GODOT_LIMITS } from '../godot/runtime';
import type { Snippet } from '../sandbox/document';
import { PeerProcess } from '../sandbox/peer-process';
import type { Problem, TimelineEntry } from '../sandbox/report';
import { createStandaloneScript, formatScriptError, functionAt, scriptErrorLines } from '../sandbox/standalone-script';
import { VirtualClock } from '../sandbox/virtual-clock';
import { VirtualNetwork } from '../sandbox/virtual-network';
import { VirtualStreamNetwork } from '../sandbox/virtual-streams';

export interface ScriptRunOptions {
  /** Run only this function after _init() (no _ready(), no frames), then timers and signals it started. */
  call?: string;
  /** Run time (virtual milliseconds) after which a script that never quits is stopped. Default 10 000. */
  timeoutMs?: number;
  /** Steps the script may run without waiting before it is stopped as a runaway loop. Default 50 000 000. */
  maxSteps?: number;
}

export interface ScriptRunResult {
  /** Lines printed to stdout (print, prints, printt, printraw…). */
  stdout: string[];
  /** Lines printed to stderr (printerr, push_error, errors). */
  stderr: string[];
  /** 0 when the script ran without a script error, 1 otherwise. */
  exitCode: number;
}

const SLICE_STEPS = 100_000;

function lineOf(range: Range): number {
  return range.start.line + 1;
}

/**
 * Runs a script's source as `res://<fileName>` with the sandbox's peer lifecycle (the script is the
 * root node: _init(), _enter_tree(), _ready(), then _process()/_physics_process() frames, timers and
 * signals, until get_tree().quit() or nothing is left to do). Never throws.
 */
export function runScriptSource(source: string, fileName: string, options: ScriptRunOptions = {}): ScriptRunResult {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const resPath = `res://${fileName}`;
  const timeoutMs = options.timeoutMs ?? 10_000;

  const { script, errors } = parse(source);
  if (errors.length > 0) {
    // Like Godot, only the first error is printed (`dtls-lab check` lists them all).
    const first = errors[0];
    stderr.push(...formatScriptError(`Parse Error: ${first.message}`, 'GDScript::reload', resPath, lineOf(first.range)));
    stderr.push(`ERROR: Failed to load script "${resPath}" with error "Parse error".`);
    return { stdout, stderr, exitCode: 1 };
  }

  const clock = new VirtualClock();
  const network = new VirtualNetwork(clock);
  const streams = new VirtualStreamNetwork(clock, DEFAULT_GODOT_LIMITS.maxBufferedBytes);
  const advanceTo = (time: number): void => {
    clock.advanceTo(time);
    network.deliverUntil(clock.now());
    streams.deliverUntil(clock.now());
  };
  if (options.call) return runDirect(script, { call: options.call }, resPath, fileName, clock, advanceTo, options);
  if (script.extendsName === 'SceneTree' || script.extendsName === 'MainLoop') {
    return runDirect(script, { sceneTree: true }, resPath, fileName, clock, advanceTo, options);
  }
  const snippet: Snippet = {
    role: 'client', name: fileName, annotationLine: 0, startLine: 0, endLine: source.split('\n').length, source, options: {},
  };
  const timeline: TimelineEntry[] = [];
  const problems: Problem[] = [];
  const peer = new PeerProcess(
    snippet,
    script,
    { network, streams, files: { user: new Map() }, now: () => clock.now(), startedAtUnixMs: Date.now() },
    timeline,
    problems,
    { stepsWithoutWaiting: options.maxSteps ?? 50_000_000, timeoutMs, wallTimeMs: 120_000, graceMs: 0 },
  );
  let timedOut = false;
  while (!peer.done) {
    if (peer.wakeAt > timeoutMs) {
      timedOut = true;
      break;
    }
    advanceTo(peer.wakeAt);
    const { outcome } = peer.runSlice(SLICE_STEPS);
    if (outcome === 'sliced') peer.wakeAt = Math.max(peer.wakeAt, clock.now());
  }

  let failed = false;
  for (const entry of timeline) {
    if (entry.kind === 'print') stdout.push(entry.text);
    else if (entry.kind === 'error' && entry.range) {
      const range = entry.range;
      const problem = problems.find((p) => p.severity === 'error' && p.message === entry.message && p.range === entry.range);
      if (problem) {
        failed = true;
        stderr.push(...formatScriptError(entry.message, functionAt(script, range.start.line), resPath, lineOf(range)));
      } else {
        stderr.push(entry.message);
      }
    } else if (entry.kind === 'error') {
      stderr.push(entry.message);
    }
  }
  if (timedOut) stderr.push(`dtls-lab: stopped after ${timeoutMs} ms of run time: the script never called get_tree().quit().`);
  return { stdout, stderr, exitCode: failed ? 1 : 0 };
}

/**
 * Without the sandbox's node lifecycle: `--call NAME` (_init(), then NAME()), or a script that
 * extends SceneTree like `godot -s` runs (_init(), _initialize(), then _process(delta) frames until
 * quit() or until _process returns true). Then the timers, signals and threads it started.
 */
function runDirect(
  script: ast.ScriptNode, mode: { call: string } | { sceneTree: true }, resPath: string, fileName: string, clock: VirtualClock,
  advanceTo: (time: number) => void, options: ScriptRunOptions,
): ScriptRunResult {
  const name = 'call' in mode ? mode.call : '_initialize';
  const stdout: string[] = [];
  const stderr: string[] = [];
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxSteps = options.maxSteps ?? 50_000_000;
  const network = new VirtualNetwork(clock);
  const streams = new VirtualStreamNetwork(clock, DEFAULT_GODOT_LIMITS.maxBufferedBytes);
  const { runtime, instance, threads: fibers } = createStandaloneScript(script, {
    fileName, network, streams, now: () => clock.now(), sceneTreeBase: 'sceneTree' in mode,
    print: (text, stream) => (stream === 'stdout' ? stdout : stderr).push(text),
  });
  let failed = false;
  const finish = (task: Task): boolean => {
    let steps = 0;
    for (;;) {
      const r = task.run(SLICE_STEPS);
      if (r.kind === 'done') return true;
      if (r.kind === 'error') {
        failed = true;
        stderr.push(...scriptErrorLines(script, resPath, r));
        return false;
      }
      if (r.kind === 'suspended') {
        steps = 0;
        advanceTo(clock.now() + (r.suspend instanceof Suspend && r.suspend.kind === 'sleep' ? r.suspend.ms : 0.25));
        runtime.timers.fireDue(clock.now());
        continue;
      }
      steps += r.steps;
      if (steps > maxSteps) {
        failed = true;
        stderr.push(...formatScriptError(`Stopped after ${maxSteps.toLocaleString('en-US')} steps without waiting: this loop never ends.`, task.stack[0]?.function ?? name, resPath, lineOf(task.currentRange ?? script.range)));
        return false;
      }
    }
  };
  const done = (): ScriptRunResult => ({ stdout, stderr, exitCode: failed ? 1 : 0 });
  if (!finish(instance.initialize())) return done();
  if ('call' in mode && !instance.hasFunction(name)) {
    stderr.push(`ERROR: The script has no function "${name}()".`);
    return { stdout, stderr, exitCode: 1 };
  }
  if (instance.hasFunction(name) && !runtime.lifecycle.quitRequested && !finish(instance.call(name))) return done();
  const frames = 'sceneTree' in mode && instance.hasFunction('_process');
  let frameAt = clock.now();
  while (!runtime.lifecycle.quitRequested) {
    const fiber = fibers.shift();
    if (fiber) {
      const ok = finish(fiber.task);
      fiber.handle.done = true;
      if (!ok) fiber.handle.error = 'error';
      fiber.onDone?.(fiber.handle);
      if (!ok) break;
      continue;
    }
    if (instance.hasPendingWork) {
      if (!finish(instance.runPending())) break;
      continue;
    }
    const timerAt = runtime.timers.nextAt();
    const next = frames ? Math.min(frameAt + 1000 / 60, timerAt ?? Infinity) : timerAt;
    if (next === undefined) break;
    if (next > timeoutMs) {
      stderr.push(`dtls-lab: stopped after ${timeoutMs} ms of run time: the script never called get_tree().quit().`);
      break;
    }
    advanceTo(next);
    runtime.timers.fireDue(clock.now());
    if (frames && clock.now() >= frameAt + 1000 / 60 - 1e-9) {
      const delta = (clock.now() - frameAt) / 1000;
      frameAt = clock.now();
      const task = instance.call('_process', [makeFloat(delta)]);
      let quit = false;
      for (;;) {
        const r = task.run(SLICE_STEPS);
        if (r.kind === 'done') {
          quit = r.value === true;
          break;
        }
        if (r.kind === 'error') {
          failed = true;
          stderr.push(...formatScriptError(r.message, r.stack?.[0]?.function ?? '_process', resPath, lineOf(r.range)));
          return done();
        }
        if (r.kind === 'suspended') advanceTo(clock.now() + (r.suspend.kind === 'sleep' ? r.suspend.ms : 0.25));
      }
      if (quit) break;
    }
  }
  return done();
}

export interface ScriptCommandIo {
  out(text: string): void;
  err(text: string): void;
}

export const SCRIPT_USAGE = `  dtls-lab script FILE.gd [--call NAME] [--timeout MS]
      Runs one script on its own like Godot would with the script on the root node: _init(),
      _ready(), then _process() frames, timers and signals until get_tree().quit() — or, with
      --call, _init() and then only NAME(). Runs on a virtual clock. print() goes to stdout, errors
      to stderr in Godot's format. Exit code 1 after a script error.`;

export const SCRIPT_HELP = `Usage:
${SCRIPT_USAGE}

Options:
  --call NAME     run _init() and then only NAME() (no _ready(), no frames)
  --timeout MS    run time (virtual ms) after which a script that never quits is stopped (10000)

A script that extends SceneTree or MainLoop runs like "godot -s FILE.gd": _init(), _initialize(),
then _process(delta) until quit() or until _process() returns true.`;

/** The `script` command: returns the exit code (2 for usage errors). */
export function scriptCommand(argv: string[], io: ScriptCommandIo): number {
  let file: string | undefined;
  const options: ScriptRunOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string | undefined => argv[++i];
    if (arg === '--help' || arg === '-h') {
      io.out(SCRIPT_HELP);
      return 0;
    }
    if (arg === '--call') {
      const name = value();
      if (!name) return usage(io, '--call needs a function name.');
      options.call = name;
    } else if (arg === '--timeout') {
      const ms = Number(value());
      if (!(ms > 0)) return usage(io, '--timeout needs a positive number of milliseconds.');
      options.timeoutMs = ms;
    } else if (arg.startsWith('-')) {
      return usage(io, `Unknown option "${arg}".`);
    } else if (!file) {
      file = arg;
    } else {
      return usage(io, `Unexpected argument "${arg}".`);
    }
  }
  if (!file) return usage(io, 'Missing FILE.');
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    return usage(io, `Cannot read ${file}: ${(error as Error).message}`);
  }
  const result = runScriptSource(source, basename(file), options);
  for (const l of result.stdout) io.out(l);
  for (const l of result.stderr) io.err(l);
  return result.exitCode;
}

function usage(io: ScriptCommandIo, message: string): number {
  io.err(`dtls-lab: ${message}\n\nUsage:\n${SCRIPT_USAGE}`);
  return 2;
}
