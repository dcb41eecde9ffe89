// One script on its own, outside a pair: its Godot runtime, the Godot classes as its host, its
// ScriptInstance, and Godot's console format for its errors. `dtls-lab script` runs a file this way
// (like `godot -s FILE.gd`), and `dtls-lab echo --script` runs a packet handler this way.
// Pairs use PeerProcess instead, which adds the node lifecycle and the scheduler's fibers.

import { ScriptInstance, type ast, type Host, type NativeClass, type Range, type Task, type Value } from '../gdscript';
import type { GdCallable } from '../gdscript/values';
import { createGodotHost } from '../godot/godot-host';
import { sceneTree } from '../godot/node';
import { createRuntime, type DatagramNetwork, type FiberHandle, type FileRoots, type GodotLimits, type GodotRuntime, type StreamNetwork } from '../godot/runtime';

export interface StandaloneScriptOptions {
  /** The script's file name; it runs as `res://<fileName>` (errors say `res://<fileName>:<line>`). */
  fileName: string;
  network: DatagramNetwork;
  streams: StreamNetwork;
  /** res:// and user://; default: no res:// folder and an empty in-memory user://. */
  files?: FileRoots;
  /** Milliseconds since the script started (virtual or wall clock). */
  now(): number;
  /** print() and printerr() output (and Godot's "ERROR: …" lines, on stderr). */
  print(text: string, stream: 'stdout' | 'stderr'): void;
  /** For `extends SceneTree` / `extends MainLoop` scripts: those classes construct the runtime's scene tree. */
  sceneTreeBase?: boolean;
  godotLimits?: Partial<GodotLimits>;
  /** Seed of randi()/randf() (default 1). */
  seed?: number;
}

/** A Thread the script started (Thread.start()); the caller runs its task. */
export interface SpawnedThread {
  task: Task;
  handle: FiberHandle & { done: boolean; result: Value; error?: string };
  onDone?: (fiber: FiberHandle) => void;
}

export interface StandaloneScript {
  readonly runtime: GodotRuntime;
  readonly instance: ScriptInstance;
  readonly resPath: string;
  /** Threads started by the script and not yet taken by the caller, in order. */
  readonly threads: SpawnedThread[];
}

/** Creates the runtime, host and instance of a parsed script (nothing runs yet: call instance.initialize()). */
export function createStandaloneScript(script: ast.ScriptNode, options: StandaloneScriptOptions): StandaloneScript {
  const resPath = `res://${options.fileName}`;
  const threads: SpawnedThread[] = [];
  let instance: ScriptInstance | undefined;
  let nextThread = 2;
  const runtime = createRuntime({
    peer: options.fileName,
    network: options.network,
    streams: options.streams,
    files: options.files ?? { user: new Map() },
    now: options.now,
    startedAtUnixMs: Date.now(),
    limits: options.godotLimits,
    record: () => undefined,
    warn: (message) => options.print(`ERROR: ${message}`, 'stderr'),
    scheduler: {
      mainFiberId: 1,
      currentFiberId: () => 1,
      spawn: (callable: GdCallable, args: Value[], _kind, name: string, onDone?: (fiber: FiberHandle) => void) => {
        const handle = { id: nextThread++, name, done: false, result: null as Value };
        threads.push({ task: (instance as ScriptInstance).callCallable(callable, args), handle, onDone });
        return handle;
      },
    },
  });
  const godot = createGodotHost(runtime, (text, stream) => options.print(text, stream));
  const host: Host = {
    print: (text, stream, range) => godot.print(text, stream, range),
    getClass(className: string): NativeClass | undefined {
      const cls = godot.getClass(className);
      if (options.sceneTreeBase && (className === 'SceneTree' || className === 'MainLoop')) {
        return { name: className, constants: cls?.constants ?? {}, construct: () => sceneTree(runtime) };
      }
      return cls;
    },
  };
  instance = new ScriptInstance(script, host, { seed: options.seed ?? 1, path: resPath });
  return { runtime, instance, resPath, threads };
}

/** Godot's console lines for a script error: "SCRIPT ERROR: …" then "          at: function (res://file:line)". */
export function formatScriptError(message: string, functionName: string, resPath: string, lineNumber: number): string[] {
  return [`SCRIPT ERROR: ${message}`, `          at: ${functionName} (${resPath}:${lineNumber})`];
}

/** The function whose body holds `line` (zero-based; the name Godot shows in "at:"), or the implicit initializer. */
export function functionAt(script: ast.ScriptNode, line: number): string {
  let best: { name: string; size: number } | undefined;
  const visit = (members: ast.Member[], prefix: string): void => {
    for (const m of members) {
      const r = m.range;
      if (line < r.start.line || line > r.end.line) continue;
      if (m.kind === 'Class') visit(m.body.members, `${prefix}${m.name}.`);
      const size = r.end.line - r.start.line;
      if (m.kind === 'Function' && (!best || size <= best.size)) best = { name: m.name, size };
      if (m.kind === 'Var' && (m.setter || m.getter)) {
        for (const [a, kind] of [[m.setter, 'setter'], [m.getter, 'getter']] as const) {
          if (a && line >= a.range.start.line && line <= a.range.end.line) best = { name: `@${m.name}_${kind}`, size: 0 };
        }
      }
    }
  };
  visit(script.members, '');
  return best?.name ?? '@implicit_new';
}

/** The "SCRIPT ERROR" lines of a task that ended with an error at `range`. */
export function scriptErrorLines(
  script: ast.ScriptNode, resPath: string, error: { message: string; range: Range; stack?: { function: string }[] },
): string[] {
  const fn = error.stack?.[0]?.function ?? functionAt(script, error.range.start.line);
  return formatScriptError(error.message, fn, resPath, error.range.start.line + 1);
}
