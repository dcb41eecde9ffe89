// The resumable interpreter: ScriptInstance (one per peer "process"), the objects of a script's
// classes, and Task (one running call).
//
// A Task executes bytecode with an explicit frame stack, so it can stop after any instruction:
//   - when a native returns a Suspend (poll(), OS.delay_msec()) → { kind: 'suspended' }
//   - when the step budget passed to run() is used up            → { kind: 'sliced' }
// and continue exactly where it stopped on the next run().
//
// `await` works on the same frames: a function that awaits a signal is taken off the frame stack
// (its caller gets a GDScriptFunctionState and goes on, like in Godot) and put back on top of the
// frame stack of whichever task emits the signal, where it continues.

import { callBuiltinMethod, hasBuiltinMethods, type MethodContext } from './builtin-methods';
import { ConvertMode, Op, type CompiledClass, type CompiledFunction, type CompiledScript } from './bytecode';
import { compileScript } from './compiler';
import { callUtility, rangeBounds, Random, type UtilityEnv } from './globals';
import { compileJit, jitSettings, type JitCode, type JitHelpers } from './jit';
import { advance, ITERATION_END, makeIterator, rangeIterator, type LoopIterator } from './iteration';
import { ScriptError, Suspend, type CallContext, type Host, type NativeObject, type NativeResult } from './host';
import { binaryOperation, concatStrings, equals, sameValue, truthy, unaryOperation, intAdd, intSub, BinOp, type UnOp } from './operators';
import type { ScriptNode } from './ast';
import type { Range, SyntaxProblem } from './range';
import {
  CONNECT_DEFERRED, CONNECT_ONE_SHOT, addConnection, callableEquals, connectionsOf, findConnection, removeConnection,
  takeEmission,
} from './signals';
import { objectId, stringify } from './stringify';
import {
  castTo, convertForAssignment, defaultValue, elementError, elementTypeSpec, isOfType, validateElement, type TypeSpec,
} from './types';
import {
  GdArray, GdBuiltinValue, GdCallable, GdClassRef, GdDictionary, GdFloat, GdNodePath, GdPackedByteArray, GdScriptObject, GdSignal,
  GdStringName, checkCollectionSize, className, isNativeObject, isStringLike, makeFloat, stringValue, typeName,
  variantType, type Value,
} from './values';

export interface StackEntry {
  /** Function name as Godot shows it (`_ready`, `<anonymous lambda>`, `@implicit_new`). */
  function: string;
  /** The statement being executed in that function. */
  range: Range;
}

export type RunResult =
  | { kind: 'done'; value: Value; steps: number }
  | { kind: 'suspended'; suspend: Suspend; steps: number }
  | { kind: 'sliced'; steps: number }
  | { kind: 'error'; message: string; range: Range; steps: number; stack?: StackEntry[] };

/** Godot's maximum call depth. */
export const MAX_FRAMES = 1024;
/** Step budget for callables invoked synchronously by builtin methods (Array.map, sort_custom, ...). */
const NESTED_CALL_BUDGET = 10_000_000;

// ---- frames -----------------------------------------------------------------------------------

type Self = ScriptObject | ScriptClass;

class Frame {
  pc = 0;
  /**
   * The value stack: the same array as `locals`, growing past its `fn.localCount` slots (one array
   * per call instead of two). The bytecode compiler always pushes a value before Return, so pops
   * never reach the locals.
   */
  readonly stack: unknown[];
  /** The caller does not want the return value (signal handlers, initializers, resumed coroutines). */
  discard = false;
  /** Set once the function awaited: the state its awaiters wait on. */
  coroutine: Coroutine | undefined;
  constructor(
    readonly fn: CompiledFunction,
    readonly locals: unknown[],
    readonly self: Self,
    readonly argc: number,
  ) {
    this.stack = locals;
  }
}

function arityError(fn: CompiledFunction, argc: number, name = fn.name): string | undefined {
  if (argc < fn.requiredParams) {
    const atLeast = fn.requiredParams === fn.paramCount ? '' : 'at least ';
    return `Too few arguments for "${name}()" call. Expected ${atLeast}${fn.requiredParams} but received ${argc}.`;
  }
  if (argc > fn.paramCount) {
    const atMost = fn.requiredParams === fn.paramCount ? '' : 'at most ';
    return `Too many arguments for "${name}()" call. Expected ${atMost}${fn.paramCount} but received ${argc}.`;
  }
  return undefined;
}

function newFrame(fn: CompiledFunction, self: Self, args: ArrayLike<Value>, closure?: GdCallable): Frame {
  const locals = new Array<unknown>(fn.localCount).fill(null);
  for (let i = 0; i < args.length; i++) locals[i] = args[i];
  const frame = new Frame(fn, locals, self, args.length);
  if (closure?.lambda) for (const [slot, v] of closure.lambda.captures) frame.locals[slot] = v;
  return frame;
}

/** Value an `await` on a signal gets: nothing → null, one argument → it, several → an Array. */
function signalResult(args: Value[]): Value {
  return args.length === 0 ? null : args.length === 1 ? args[0] : new GdArray(args.slice());
}

// ---- coroutines -------------------------------------------------------------------------------

/**
 * A function suspended by `await` (Godot's GDScriptFunctionState). It is resumed on top of the
 * frame stack of the task that emits what it waits for.
 */
export class Coroutine extends GdScriptObject {
  done = false;
  result: Value = null;
  /** Functions awaiting this one's completion. */
  readonly waiters: Coroutine[] = [];
  /** The signal it waits for, while it does. */
  waitingOn: GdSignal | Coroutine | undefined;
  constructor(
    readonly frame: Frame,
    readonly env: Environment,
  ) {
    super();
  }
  get className(): string {
    return 'GDScriptFunctionState';
  }
}

// ---- the per-script environment ---------------------------------------------------------------

/** Work queued for a script from outside any task: signals the host emitted, deferred calls. */
type PendingWork = { kind: 'call'; callable: GdCallable; args: Value[] } | { kind: 'resume'; coroutine: Coroutine; value: Value };

export interface ScriptInstanceOptions {
  /** Seed for randi()/randf()/pick_random() (default: random). */
  seed?: number;
  /** The script's path as Godot would show it, e.g. "res://client.gd" (error lines, str(self)). */
  path?: string;
}

/** What one running script shares between its objects: the host, its classes, randomness, queued work. */
class Environment {
  readonly classObjects: ScriptClass[];
  readonly random: Random;
  readonly utilityEnv: UtilityEnv & { range: Range };
  readonly pending: PendingWork[] = [];
  readonly classRefs = new Map<string, GdClassRef | null>();
  staticsInitialized = false;
  main!: ScriptInstance;

  constructor(
    readonly script: CompiledScript,
    readonly host: Host,
    readonly options: ScriptInstanceOptions,
  ) {
    this.random = new Random(options.seed);
    this.classObjects = script.classes.map((c) => new ScriptClass(c, this));
    const load = host.load;
    const env = {
      range: script.range,
      random: this.random,
      print: (text: string, stream: 'stdout' | 'stderr') => this.host.print(text, stream, env.range),
      load: load ? (path: string) => load.call(host, path, this.callContext(env.range)) : undefined,
    };
    this.utilityEnv = env;
  }

  /** The script file name for messages ("client.gd"), if known. */
  get fileName(): string | undefined {
    const path = this.options.path;
    return path ? path.slice(path.lastIndexOf('/') + 1) : undefined;
  }

  classRef(name: string): GdClassRef | undefined {
    let ref = this.classRefs.get(name);
    if (ref === undefined) {
      const cls = this.host.getClass(name);
      ref = cls ? new GdClassRef(cls) : null;
      if (cls) this.classRefs.set(name, ref);
    }
    return ref ?? undefined;
  }

  callContext(range: Range): CallContext {
    const host = this.host;
    return {
      range,
      warn(message: string) {
        host.print(`ERROR: ${message}`, 'stderr', range);
      },
    };
  }

  warn(message: string, range: Range): void {
    this.host.print(`ERROR: ${message}`, 'stderr', range);
  }
}

// ---- script classes and objects ------------------------------------------------------------------

/** A class of the script used as a value: `Inner.new()`, `Inner.CONSTANT`, static variables and functions. */
export class ScriptClass extends GdScriptObject {
  readonly statics: Value[];
  constructor(
    readonly cls: CompiledClass,
    readonly env: Environment,
  ) {
    super();
    this.statics = cls.staticVars.map((v) => defaultValue(v.type));
  }
  get className(): string {
    return 'GDScript';
  }
  /** Name used in messages: the class name, or the script file. */
  get scriptName(): string {
    return this.cls.name ?? this.env.fileName ?? this.cls.nativeBase ?? 'RefCounted';
  }
  stringifySelf(): string {
    return `<GDScript#${objectId(this)}>`;
  }
}

/** An instance of one of the script's classes (the script's own ScriptInstance, or `Inner.new()`). */
export class ScriptObject extends GdScriptObject {
  members: Value[];
  /** The native base object (constructed from the native class at the root of `extends`). */
  base: NativeObject | undefined;
  freed = false;
  /** @internal */
  readonly env: Environment;

  constructor(
    readonly cls: CompiledClass,
    env: unknown,
  ) {
    super();
    this.env = env as Environment;
    this.members = cls.members.map((m) => defaultValue(m.type));
  }

  /** Class name used in messages: the class name, else its native base class. */
  get className(): string {
    return this.cls.name ?? this.cls.nativeBase ?? 'RefCounted';
  }

  /** Name of the native base class (`extends`), RefCounted when absent. */
  get baseName(): string {
    return this.cls.nativeBase ?? 'RefCounted';
  }

  /** How Godot names the object in errors: "Node (client.gd)", "RefCounted (Inner)". */
  get describe(): string {
    const native = this.base?.className ?? this.baseName;
    const script = this.cls.name ?? this.env.fileName;
    return script ? `${native} (${script})` : native;
  }

  /** The script class of this object as a value. */
  get scriptClass(): ScriptClass {
    return this.env.classObjects[this.cls.index];
  }

  isClass(name: string): boolean {
    if (name === 'Object' || name === this.baseName) return true;
    for (let c: CompiledClass | undefined = this.cls; c; c = c.parent) if (c.name === name) return true;
    return this.base !== undefined && (this.base.className === name || (this.base.isClass?.(name) ?? false));
  }

  inheritsScriptClass(index: number): boolean {
    for (let c: CompiledClass | undefined = this.cls; c; c = c.parent) if (c.index === index) return true;
    return false;
  }

  /** How print(self) shows the object: _to_string(), else like its native base object, else <RefCounted#id>. */
  stringifySelf(): string | undefined {
    const toString = this.cls.methods.get('_to_string');
    if (toString) {
      const v = this.env.main.invokeNow(new GdCallable(this, '_to_string'), [], undefined);
      return isStringLike(v) ? stringValue(v) : stringify(v);
    }
    if (this.base) return stringify(this.base);
    return `<${this.baseName}#${objectId(this)}>`;
  }

  /** Reads a member variable or constant by name (undefined when there is none). */
  getMemberValue(name: string): Value | undefined {
    const slot = this.cls.memberIndex.get(name);
    if (slot !== undefined) return this.members[slot];
    return this.cls.constants.get(name);
  }

  hasFunction(name: string): boolean {
    return this.cls.methods.has(name);
  }
}

// ---- the compiled tier (jit.ts) ----------------------------------------------------------------

/** The compiled blocks of `fn`, compiling it once it ran often enough (each call: one entry or loop iteration). */
function jitOf(fn: CompiledFunction): JitCode | null | undefined {
  const compiled = fn.jit;
  if (compiled !== undefined) return compiled;
  if (++fn.hotness < jitSettings.threshold) return undefined;
  try {
    fn.jit = compileJit(fn, JIT_HELPERS);
  } catch (e) {
    // Not expected; the interpreter runs everything on its own, so a function that does not compile still works.
    fn.jit = null;
    if (jitSettings.strict) throw e;
  }
  return fn.jit;
}

/** Receivers whose method calls go straight to builtin-methods.ts (see Op.CallMethod). */
function isBuiltinCall(receiver: Value): boolean {
  return receiver !== null && !(receiver instanceof GdCallable) && !(receiver instanceof GdSignal) && !(receiver instanceof GdScriptObject) &&
    hasBuiltinMethods(receiver);
}

const JIT_HELPERS: JitHelpers = {
  binary: binaryOperation,
  concat: concatStrings,
  unary: unaryOperation,
  truthy,
  needsInterpreterAccess: (obj, key) => obj instanceof ScriptObject && isStringLike(key),
  isBuiltinCall,
  getIndex: (obj, index) => getIndex(obj, index),
  setIndex: (obj, index, value, env, range) => setIndex(obj, index, value, env as Environment, range),
  getMember: (obj, name) => getMember(obj, name),
  setMember: (obj, name, value) => setMember(obj, name, value),
  assignAndGet: (obj, key, value, isIndex, env, range) => assignAndGet(obj, key, value, isIndex, env as Environment, range),
  callUtility: (env, name, args, range) => (env as Environment).main.callUtility(name, args, range),
  callBuiltin: (env, task, receiver, name, args, range) => {
    const result = callBuiltinMethod(receiver, name, args, (env as Environment).main.methodContext(range, task as Task));
    return result === undefined ? null : result;
  },
  makeArray: (items) => new GdArray(items),
  dictionaryFromPairs: (flat) => dictionaryFromPairs(flat),
  makeIterator,
  rangeIterator: (args) => rangeIterator(rangeBounds(args)),
  advance: (it) => advance(it as LoopIterator),
  iterationEnd: ITERATION_END,
  arrayClass: GdArray,
  isOfType,
  castTo,
  convert: (fn, v, typeIndex, mode, paramIndex) => convertValue(fn, v, typeIndex, mode, paramIndex),
  typeArray: (v, t) => typeArrayLiteral(v as GdArray, t),
  defaultValue,
  matchEquals: (subject, pattern) => matchEquals(subject, pattern),
  matchSize: (isArray, subject, n, rest) => matchSize(isArray, subject, n, rest),
  dictHas: (subject, key) => subject instanceof GdDictionary && subject.has(key),
  assertion: (condition, message) => assertion(condition, message),
};

// ---- Task -------------------------------------------------------------------------------------

type TaskEntry =
  | { frames: () => Frame[] }
  | { error: string; range: Range };

/** One call into a script (initialize(), _ready(), _process(delta), ...), runnable in slices. */
export class Task {
  private readonly frames: Frame[] = [];
  private pending: { suspend: Suspend; range: Range } | undefined;
  private final: RunResult | undefined;
  private started = false;
  /** Steps executed over all run() calls. */
  totalSteps = 0;
  /** @internal reused by ScriptInstance.methodContext() */
  methodContext: MethodContext & { range: Range } | undefined;

  /** @internal use ScriptInstance.call() / initialize() */
  constructor(
    private readonly env: Environment,
    private readonly entry: TaskEntry,
  ) {}

  /** True once the task finished (done or error). */
  get finished(): boolean {
    return this.final !== undefined;
  }

  /** Range of the statement being executed (or about to be), for "runaway loop at line N" diagnostics. */
  get currentRange(): Range | undefined {
    const frame = this.frames[this.frames.length - 1];
    return frame ? statementAt(frame.fn, frame.pc) : undefined;
  }

  /** Function names of the active frames, innermost last. */
  get callStack(): string[] {
    return this.frames.map((f) => f.fn.name);
  }

  /** The active frames as Godot's backtrace shows them, innermost first. */
  get stack(): StackEntry[] {
    return this.frames.map((f) => ({ function: f.fn.name, range: statementAt(f.fn, f.pc) })).reverse();
  }

  private finish(result: RunResult): RunResult {
    this.final = result;
    return result;
  }

  private fail(message: string, range: Range, steps: number, stack?: StackEntry[]): RunResult {
    this.totalSteps += steps;
    return this.finish({ kind: 'error', message, range, steps, stack: stack ?? [] });
  }

  /** Pushes queued work (host-emitted signals, deferred calls) so that it runs before the task's own code. */
  private drainPending(): string | undefined {
    const env = this.env;
    if (env.pending.length === 0) return undefined;
    const work = env.pending.splice(0, env.pending.length);
    for (let i = work.length - 1; i >= 0; i--) {
      const w = work[i];
      if (w.kind === 'resume') {
        const frame = w.coroutine.frame;
        frame.discard = true;
        frame.stack.push(w.value);
        this.frames.push(frame);
      } else {
        const target = resolveScriptCall(w.callable, w.args);
        if (typeof target === 'string') return target;
        if (target) {
          const f = newFrame(target.fn, target.self, target.args, target.closure);
          f.discard = true;
          this.frames.push(f);
        } else {
          const { callable, args } = w.callable.resolve(w.args);
          if (isNativeObject(callable.target as Value)) {
            (callable.target as NativeObject).call(callable.name, args, env.callContext(env.script.range));
          }
        }
      }
    }
    return undefined;
  }

  /**
   * Runs up to `maxSteps` steps (≈ one instruction each). Returns why it stopped. After 'done' or
   * 'error' further calls return the same result with steps = 0.
   */
  run(maxSteps = Infinity): RunResult {
    if (this.final) return { ...this.final, steps: 0 };
    if (!this.started) {
      this.started = true;
      const entry = this.entry;
      if ('error' in entry) return this.fail(entry.error, entry.range, 0);
      try {
        for (const f of entry.frames()) this.frames.push(f);
        const err = this.drainPending();
        if (err) return this.fail(err, this.env.script.range, 0);
      } catch (e) {
        const range = e instanceof EntryError ? e.range : this.env.script.range;
        return this.fail(errorMessage(e), range, 0);
      }
      if (this.frames.length === 0) {
        return this.finish({ kind: 'done', value: null, steps: 0 });
      }
    } else if (this.pending) {
      const { suspend, range } = this.pending;
      this.pending = undefined;
      let value: Value = null;
      try {
        value = suspend.resume ? suspend.resume() : null;
      } catch (e) {
        return this.fail(errorMessage(e), range, 0, this.stack);
      }
      this.frames[this.frames.length - 1].stack.push(value === undefined ? null : value);
    }
    return this.execute(maxSteps);
  }

  private execute(maxSteps: number): RunResult {
    const frames = this.frames;
    const env = this.env;
    let frame = frames[frames.length - 1];
    let fn = frame.fn;
    let code = fn.code;
    let consts = fn.consts;
    let stack = frame.stack;
    let locals = frame.locals;
    let pc = frame.pc;
    let opPc = pc;
    let steps = 0;
    let jit = jitOf(fn);
    const registers = { pc: 0, steps: 0, max: maxSteps };

    // Switches the cached registers to the frame on top of the stack.
    const enter = (f: Frame): void => {
      frame = f;
      fn = f.fn;
      code = fn.code;
      consts = fn.consts;
      stack = f.stack;
      locals = f.locals;
      pc = f.pc;
      jit = jitOf(fn);
    };
    const pushFrame = (f: Frame): void => {
      if (frames.length >= MAX_FRAMES) {
        throw new ScriptError(`Stack overflow (stack size: ${MAX_FRAMES}). Check for infinite recursion in your script.`);
      }
      frames.push(f);
      enter(f);
    };
    const popArgs = (argc: number): Value[] => {
      const args = new Array<Value>(argc);
      for (let i = argc - 1; i >= 0; i--) args[i] = stack.pop() as Value;
      return args;
    };
    /** Calls a script function by pushing its frame. `nextPc` is where the caller continues. */
    const invoke = (target: CompiledFunction, self: Self, args: Value[], nextPc: number, discard = false, closure?: GdCallable, name?: string): void => {
      const arity = arityError(target, args.length, name);
      if (arity) throw new ScriptError(arity);
      frame.pc = nextPc;
      const f = newFrame(target, self, args, closure);
      f.discard = discard;
      pushFrame(f);
    };
    /** Like invoke(), taking the `argc` arguments from the value stack (no arguments array). */
    const invokeFromStack = (target: CompiledFunction, self: Self, argc: number, nextPc: number): void => {
      if (argc < target.requiredParams || argc > target.paramCount) throw new ScriptError(arityError(target, argc) as string);
      frame.pc = nextPc;
      const n = target.localCount;
      const newLocals = new Array<unknown>(n);
      for (let i = argc; i < n; i++) newLocals[i] = null;
      for (let i = argc - 1; i >= 0; i--) newLocals[i] = stack.pop();
      pushFrame(new Frame(target, newLocals, self, argc));
    };
    /** Pushes a value the caller receives, unless it discards it. */
    const deliver = (value: Value, discard: boolean): void => {
      if (!discard) stack.push(value);
    };
    /**
     * Calls a Callable: script functions get a frame (the caller continues at nextPc when it
     * returns); natives run now. Returns a Suspend to hand up, or undefined.
     */
    const callCallable = (c: GdCallable, args: Value[], nextPc: number, discard: boolean, range: Range): Suspend | undefined => {
      const target = resolveScriptCall(c, args);
      if (typeof target === 'string') throw new ScriptError(target);
      if (target) {
        invoke(target.fn, target.self, target.args, nextPc, discard, target.closure, target.name);
        return undefined;
      }
      const resolved = c.resolve(args);
      const result = callOnObject(resolved.callable.target as Value, resolved.callable.name, resolved.args, range);
      pc = nextPc;
      if (result instanceof Suspend) return result;
      deliver(result, discard);
      return undefined;
    };
    /** A method call on a non-script receiver (native object or class, builtin value): returns its result. */
    const callOnObject = (receiver: Value, name: string, args: Value[], range: Range): NativeResult => {
      if (receiver === null) throw new ScriptError(`Attempt to call function '${name}' in base 'null instance' on a null instance.`);
      if (hasBuiltinMethods(receiver)) return callBuiltinMethod(receiver, name, args, env.main.methodContext(range, this));
      if (receiver instanceof GdClassRef) return env.main.callClass(receiver, name, nativeArgs(args), range);
      if (isNativeObject(receiver)) {
        if (!receiver.has(name)) {
          throw new ScriptError(`Invalid call. Nonexistent function '${name}' in base '${receiver.className}'.`);
        }
        return receiver.call(name, nativeArgs(args), env.callContext(range));
      }
      if (receiver instanceof Coroutine) {
        if (name === 'is_valid') return !receiver.done;
        throw new ScriptError(`Invalid call. Nonexistent function '${name}' in base 'GDScriptFunctionState'.`);
      }
      throw new ScriptError(`Invalid call. Nonexistent function '${name}' in base '${typeName(receiver)}'.`);
    };
    /**
     * Emits a signal: connected callables and awaiting functions run now, on top of this task's
     * frames, in connection order; the emitter continues at nextPc afterwards.
     */
    const emit = (owner: object, name: string, args: Value[], nextPc: number, range: Range): void => {
      pc = nextPc;
      frame.pc = nextPc;
      const connections = takeEmission(owner, name);
      for (let i = connections.length - 1; i >= 0; i--) {
        const c = connections[i];
        if (c.waiter) {
          resumeCoroutine(c.waiter as Coroutine, signalResult(args));
          continue;
        }
        const callable = c.callable as GdCallable;
        if (c.flags & CONNECT_DEFERRED) {
          (c.env as Environment).pending.push({ kind: 'call', callable, args });
          continue;
        }
        const target = resolveScriptCall(callable, args);
        if (typeof target === 'string') {
          env.warn(`Error calling from signal '${name}' to callable: '${stringify(callable)}': ${target.replace(/^Too (many|few) arguments for "[^"]*" call\. Expected (at (most|least) )?(\d+) but received (\d+)\.$/, 'Method expected $4 arguments, but called with $5')}.`, range);
          continue;
        }
        if (target) {
          const f = newFrame(target.fn, target.self, target.args, target.closure);
          f.discard = true;
          pushFrame(f);
        } else {
          const resolved = callable.resolve(args);
          const result = callOnObject(resolved.callable.target as Value, resolved.callable.name, resolved.args, range);
          if (result instanceof Suspend) continue; // a native handler cannot block the emitter here
        }
      }
    };
    const resumeCoroutine = (co: Coroutine, value: Value): void => {
      co.waitingOn = undefined;
      const f = co.frame;
      f.discard = true;
      f.stack.push(value);
      pushFrame(f);
    };
    /** `obj.name(args)` on a script object: its methods, signals' and Object's methods, its native base. */
    const callScriptObjectMethod = (obj: ScriptObject, name: string, args: Value[], nextPc: number, range: Range, isSelf: boolean): Suspend | undefined => {
      const method = obj.cls.methods.get(name);
      if (method) {
        invoke(method, method.isStatic ? env.classObjects[method.classIndex] : obj, args, nextPc);
        return undefined;
      }
      if (obj.base && obj.base.has(name)) {
        pc = nextPc;
        const result = obj.base.call(name, nativeArgs(args), env.callContext(range));
        if (result instanceof Suspend) return result;
        stack.push(result === undefined ? null : result);
        return undefined;
      }
      return objectMethod(obj, name, args, nextPc, range, isSelf);
    };
    /** Object's own methods for script objects: emit_signal, connect, call, has_method, get, set, ... */
    const objectMethod = (obj: ScriptObject, name: string, args: Value[], nextPc: number, range: Range, isSelf: boolean): Suspend | undefined => {
      const argString = (i: number, method: string): string => {
        const v = args[i];
        if (!isStringLike(v)) {
          throw new ScriptError(`Invalid type in function '${method}' in base '${obj.describe}'. Cannot convert argument ${i + 1} from ${typeName(v ?? null)} to StringName.`);
        }
        return stringValue(v);
      };
      const need = (min: number, max: number): void => {
        if (args.length < min || args.length > max) {
          const expected = args.length < min ? min : max;
          throw new ScriptError(`Invalid call to function '${name}' in base '${obj.describe}'. Expected ${expected} argument${expected === 1 ? '' : 's'}.`);
        }
      };
      switch (name) {
        case 'emit_signal': {
          if (args.length < 1) need(1, Infinity);
          const signal = argString(0, name);
          if (!obj.cls.signals.has(signal)) {
            pc = nextPc;
            env.warn(`Can't emit non-existing signal "${signal}".`, range);
            stack.push(31);
            return undefined;
          }
          stack.push(0);
          emit(obj, signal, args.slice(1), nextPc, range);
          return undefined;
        }
        case 'connect': {
          need(2, 3);
          const signal = argString(0, name);
          pc = nextPc;
          stack.push(connectSignal(obj, signal, args[1], args[2] ?? 0, range));
          return undefined;
        }
        case 'disconnect': {
          need(2, 2);
          const signal = argString(0, name);
          pc = nextPc;
          disconnectSignal(obj, signal, args[1], range);
          stack.push(null);
          return undefined;
        }
        case 'is_connected': {
          need(2, 2);
          const signal = argString(0, name);
          pc = nextPc;
          stack.push(args[1] instanceof GdCallable && findConnection(obj, signal, args[1]) !== undefined);
          return undefined;
        }
        case 'has_signal':
          need(1, 1);
          pc = nextPc;
          stack.push(obj.cls.signals.has(argString(0, name)));
          return undefined;
        case 'has_method':
          need(1, 1);
          pc = nextPc;
          stack.push(obj.cls.methods.has(argString(0, name)) || (obj.base?.has(argString(0, name)) ?? false));
          return undefined;
        case 'call':
        case 'callv': {
          if (args.length < 1) need(1, Infinity);
          const method = argString(0, name);
          const callArgs = name === 'callv' ? callvArgs(args.slice(1)) : args.slice(1);
          return callScriptObjectMethod(obj, method, callArgs, nextPc, range, isSelf);
        }
        case 'call_deferred': {
          if (args.length < 1) need(1, Infinity);
          pc = nextPc;
          env.pending.push({ kind: 'call', callable: new GdCallable(obj, argString(0, name)), args: args.slice(1) });
          stack.push(null);
          return undefined;
        }
        case 'get': {
          need(1, 1);
          const prop = argString(0, name);
          if (obj.cls.properties.has(prop) || obj.cls.constants.has(prop)) return getMemberVM(obj, prop, nextPc);
          pc = nextPc;
          stack.push(obj.base?.getProperty?.(prop) ?? null);
          return undefined;
        }
        case 'set': {
          need(2, 2);
          const prop = argString(0, name);
          if (obj.cls.properties.has(prop)) {
            stack.push(null);
            setMemberVM(obj, prop, args[1], nextPc);
            return undefined;
          }
          pc = nextPc;
          obj.base?.setProperty?.(prop, args[1]);
          stack.push(null);
          return undefined;
        }
        case 'get_class':
          need(0, 0);
          pc = nextPc;
          stack.push(obj.base?.className ?? obj.baseName);
          return undefined;
        case 'is_class':
          need(1, 1);
          pc = nextPc;
          stack.push(obj.isClass(argString(0, name)) && !obj.cls.name?.includes(argString(0, name)));
          return undefined;
        case 'get_script':
          need(0, 0);
          pc = nextPc;
          stack.push(obj.scriptClass);
          return undefined;
        case 'to_string':
          need(0, 0);
          pc = nextPc;
          stack.push(obj.stringifySelf() ?? '');
          return undefined;
        case 'get_instance_id':
          need(0, 0);
          pc = nextPc;
          stack.push(Number(objectId(obj)));
          return undefined;
        case 'free':
        case 'queue_free':
          need(0, 0);
          pc = nextPc;
          if (obj.cls.nativeBase === undefined || obj.baseName === 'RefCounted') {
            throw new ScriptError(`Invalid call. Nonexistent function '${name}' in base '${obj.describe}'.`);
          }
          obj.freed = true;
          stack.push(null);
          return undefined;
        case 'notification':
          pc = nextPc;
          stack.push(null);
          return undefined;
      }
      if (isSelf) throw new ScriptError(`Function "${name}()" not found in base self.`);
      throw new ScriptError(`Invalid call. Nonexistent function '${name}' in base '${obj.describe}'.`);
    };
    /** `obj.name` on a script object; a getter gets a frame. */
    const getMemberVM = (obj: ScriptObject, name: string, nextPc: number): undefined => {
      const prop = obj.cls.properties.get(name);
      const getter = prop?.getter;
      if (getter) {
        const target = getter.fn ?? obj.cls.methods.get(getter.method as string);
        if (target) {
          invoke(target, obj, [], nextPc);
          return undefined;
        }
      }
      pc = nextPc;
      stack.push(getMember(obj, name));
      return undefined;
    };
    /** `obj.name = value` on a script object; a setter gets a frame. */
    const setMemberVM = (obj: ScriptObject, name: string, value: Value, nextPc: number): void => {
      const prop = obj.cls.properties.get(name);
      const setter = prop?.setter;
      if (prop && setter) {
        const info = obj.cls.members[prop.slot];
        const converted = info.type ? convertForAssignment(value, info.type) : value;
        const target = setter.fn ?? obj.cls.methods.get(setter.method as string);
        if (target) {
          invoke(target, obj, [converted], nextPc, true);
          return;
        }
      }
      pc = nextPc;
      setMember(obj, name, value);
    };
    /** `Inner.new(args)`: the object, then its initializers (root class first) and _init(args) on top. */
    const instantiate = (sc: ScriptClass, args: Value[], nextPc: number, range: Range): void => {
      const obj = new ScriptObject(sc.cls, env);
      const init = sc.cls.methods.get('_init');
      if (init) {
        const arity = arityError(init, args.length, '_init');
        if (arity) throw new ScriptError(arity);
      } else if (args.length > 0) {
        throw new ScriptError(`Too many arguments for "new()" call. Expected at most 0 but received ${args.length}.`);
      }
      const err = constructNativeBase(obj, range);
      if (err) throw new ScriptError(err);
      pc = nextPc;
      frame.pc = nextPc;
      stack.push(obj);
      for (const f of initializerFrames(obj, args)) pushFrame(f);
    };
    const callOnClass = (sc: ScriptClass, name: string, args: Value[], nextPc: number, range: Range): void => {
      if (name === 'new') {
        instantiate(sc, args, nextPc, range);
        return;
      }
      const method = sc.cls.methods.get(name);
      if (!method) throw new ScriptError(`Static function "${name}()" not found in base "${sc.scriptName}".`);
      if (!method.isStatic) {
        throw new ScriptError(`Cannot call non-static function "${name}()" on the class "${sc.scriptName}" directly. Make an instance instead.`);
      }
      invoke(method, env.classObjects[method.classIndex], args, nextPc);
    };

    try {
      for (;;) {
        if (jit) {
          registers.pc = pc;
          registers.steps = steps;
          try {
            jit(locals, stack, registers, frame, env, this);
          } catch (e) {
            opPc = registers.pc;
            steps = registers.steps;
            throw e;
          }
          pc = registers.pc;
          steps = registers.steps;
        }
        if (steps >= maxSteps) {
          frame.pc = pc;
          this.totalSteps += steps;
          return { kind: 'sliced', steps };
        }
        steps++;
        opPc = pc;
        switch (code[pc] as Op) {
          case Op.Const:
            stack.push(consts[code[pc + 1]]);
            pc += 2;
            break;
          case Op.Null:
            stack.push(null);
            pc += 1;
            break;
          case Op.True:
            stack.push(true);
            pc += 1;
            break;
          case Op.False:
            stack.push(false);
            pc += 1;
            break;
          case Op.LoadLocal:
            stack.push(locals[code[pc + 1]]);
            pc += 2;
            break;
          case Op.StoreLocal:
            locals[code[pc + 1]] = stack.pop();
            pc += 2;
            break;
          case Op.LoadMember:
            stack.push((frame.self as ScriptObject).members[code[pc + 1]]);
            pc += 2;
            break;
          case Op.StoreMember:
            (frame.self as ScriptObject).members[code[pc + 1]] = stack.pop() as Value;
            pc += 2;
            break;
          case Op.LoadSelf:
            stack.push(frame.self);
            pc += 1;
            break;
          case Op.LoadGlobal:
            stack.push(resolveGlobal(env, frame.self, fn.names[code[pc + 1]]));
            pc += 2;
            break;
          case Op.StoreGlobal:
            assignGlobal(frame.self, fn.names[code[pc + 1]], stack.pop() as Value);
            pc += 2;
            break;
          case Op.LoadStatic:
            stack.push(env.classObjects[code[pc + 1]].statics[code[pc + 2]]);
            pc += 3;
            break;
          case Op.StoreStatic:
            env.classObjects[code[pc + 1]].statics[code[pc + 2]] = stack.pop() as Value;
            pc += 3;
            break;
          case Op.LoadClass:
            stack.push(env.classObjects[code[pc + 1]]);
            pc += 2;
            break;
          case Op.LoadSignal:
            stack.push(new GdSignal(frame.self, fn.names[code[pc + 1]]));
            pc += 2;
            break;
          case Op.Pop:
            stack.pop();
            pc += 1;
            break;
          case Op.Dup:
            stack.push(stack[stack.length - 1]);
            pc += 1;
            break;
          case Op.Dup2:
            stack.push(stack[stack.length - 2], stack[stack.length - 1]);
            pc += 1;
            break;
          case Op.Binary: {
            const b = stack.pop() as Value;
            const a = stack.pop() as Value;
            const op = code[pc + 1] as BinOp;
            // Fast paths for int arithmetic/comparison.
            if (typeof a === 'number' && typeof b === 'number') {
              if (op === BinOp.Add) {
                stack.push(intAdd(a, b));
                pc += 2;
                break;
              }
              if (op === BinOp.Lt) {
                stack.push(a < b);
                pc += 2;
                break;
              }
              if (op === BinOp.Sub) {
                stack.push(intSub(a, b));
                pc += 2;
                break;
              }
              if (op === BinOp.Eq) {
                stack.push(a === b);
                pc += 2;
                break;
              }
            }
            stack.push(binaryOperation(op, a, b));
            pc += 2;
            break;
          }
          case Op.Unary:
            stack.push(unaryOperation(code[pc + 1] as UnOp, stack.pop() as Value));
            pc += 2;
            break;
          case Op.Jump:
            if (code[pc + 1] <= pc && !jit) jit = jitOf(fn); // a loop: counts toward compiling the function
            pc = code[pc + 1];
            break;
          case Op.JumpIfFalse: {
            const c = stack.pop() as Value;
            pc = (c === true ? true : c === false ? false : truthy(c)) ? pc + 2 : code[pc + 1];
            break;
          }
          case Op.JumpIfTrue: {
            const c = stack.pop() as Value;
            pc = (c === true ? true : c === false ? false : truthy(c)) ? code[pc + 1] : pc + 2;
            break;
          }
          case Op.GetMember: {
            const obj = stack.pop() as Value;
            const name = fn.names[code[pc + 1]];
            if (obj instanceof ScriptObject) {
              getMemberVM(obj, name, pc + 2);
              break;
            }
            stack.push(getMember(obj, name));
            pc += 2;
            break;
          }
          case Op.SetMember: {
            const value = stack.pop() as Value;
            const obj = stack.pop() as Value;
            const name = fn.names[code[pc + 1]];
            if (obj instanceof ScriptObject) {
              setMemberVM(obj, name, value, pc + 2);
              break;
            }
            setMember(obj, name, value);
            pc += 2;
            break;
          }
          case Op.SetMemberValue:
          case Op.SetIndexValue: {
            // `v.x = 1` / `v[0] = 1` on a variable: the variable gets the object's new value (compiler.ts chainedObject)
            const isIndex = code[pc] === Op.SetIndexValue;
            const value = stack.pop() as Value;
            const key = isIndex ? (stack.pop() as Value) : fn.names[code[pc + 1]];
            const obj = stack.pop() as Value;
            const next = pc + (isIndex ? 1 : 2);
            if (obj instanceof ScriptObject && isStringLike(key)) {
              stack.push(obj);
              setMemberVM(obj, stringValue(key), value, next);
              break;
            }
            stack.push(assignAndGet(obj, key, value, isIndex, env, fn.ranges[opPc] as Range));
            pc = next;
            break;
          }
          case Op.GetIndex: {
            const index = stack.pop() as Value;
            const obj = stack.pop() as Value;
            if (obj instanceof ScriptObject && isStringLike(index)) {
              getMemberVM(obj, stringValue(index), pc + 1);
              break;
            }
            stack.push(getIndex(obj, index));
            pc += 1;
            break;
          }
          case Op.SetIndex: {
            const value = stack.pop() as Value;
            const index = stack.pop() as Value;
            const obj = stack.pop() as Value;
            if (obj instanceof ScriptObject && isStringLike(index)) {
              setMemberVM(obj, stringValue(index), value, pc + 1);
              break;
            }
            setIndex(obj, index, value, env, fn.ranges[opPc] as Range);
            pc += 1;
            break;
          }
          case Op.CallSelfMethod: {
            const name = fn.names[code[pc + 1]];
            const self = frame.self as ScriptObject;
            const target = self.cls.methods.get(name);
            if (!target) throw new ScriptError(`Function "${name}()" not found in base self.`);
            invokeFromStack(target, target.isStatic ? env.classObjects[target.classIndex] : self, code[pc + 2], pc + 3);
            break;
          }
          case Op.CallFunction: {
            const cls = env.script.classes[code[pc + 1]];
            const name = fn.names[code[pc + 2]];
            const target = cls.methods.get(name);
            if (!target) throw new ScriptError(`Function "${name}()" not found in base "${env.classObjects[cls.index].scriptName}".`);
            invokeFromStack(target, target.isStatic ? env.classObjects[target.classIndex] : frame.self, code[pc + 3], pc + 4);
            break;
          }
          case Op.CallUtility: {
            const args = popArgs(code[pc + 2]);
            stack.push(env.main.callUtility(fn.names[code[pc + 1]], args, fn.ranges[opPc] as Range));
            pc += 3;
            break;
          }
          case Op.CallNative: {
            const name = fn.names[code[pc + 1]];
            const args = popArgs(code[pc + 2]);
            const range = fn.ranges[opPc] as Range;
            const self = frame.self;
            if (!(self instanceof ScriptObject)) throw new ScriptError(`Function "${name}()" not found in base self.`);
            const suspend = callScriptObjectMethod(self, name, args, pc + 3, range, true);
            if (suspend) return this.suspend(suspend, range, steps, pc);
            break;
          }
          case Op.CallSuperNative: {
            const name = fn.names[code[pc + 1]];
            const args = popArgs(code[pc + 2]);
            const range = fn.ranges[opPc] as Range;
            const self = frame.self as ScriptObject;
            const base = self.base;
            let result: NativeResult;
            if (base && base.has(name)) {
              result = base.call(name, nativeArgs(args), env.callContext(range));
            } else if (name.startsWith('_')) {
              result = null; // super._ready() etc. on a native base without that virtual: nothing to do
            } else {
              throw new ScriptError(`Function "${name}()" not found in base "${self.baseName}".`);
            }
            pc += 3;
            if (result instanceof Suspend) return this.suspend(result, range, steps, pc);
            stack.push(result === undefined ? null : result);
            break;
          }
          case Op.CallMethod: {
            const name = fn.names[code[pc + 1]];
            const args = popArgs(code[pc + 2]);
            const receiver = stack.pop() as Value;
            const range = fn.ranges[opPc] as Range;
            const nextPc = pc + 3;
            if (receiver instanceof ScriptObject) {
              if (receiver.freed) throw new ScriptError(`Attempt to call function '${name}' in base 'previously freed' on a null instance.`);
              const suspend = callScriptObjectMethod(receiver, name, args, nextPc, range, false);
              if (suspend) return this.suspend(suspend, range, steps, pc);
              break;
            }
            if (receiver instanceof ScriptClass) {
              callOnClass(receiver, name, args, nextPc, range);
              break;
            }
            if (receiver instanceof GdCallable && (name === 'call' || name === 'callv')) {
              const suspend = callCallable(receiver, name === 'callv' ? callvArgs(args) : args, nextPc, false, range);
              if (suspend) return this.suspend(suspend, range, steps, pc);
              break;
            }
            if (receiver instanceof GdCallable && name === 'call_deferred') {
              env.pending.push({ kind: 'call', callable: receiver, args });
              stack.push(null);
              pc = nextPc;
              break;
            }
            if (receiver instanceof GdSignal) {
              if (name === 'emit') {
                stack.push(null);
                emit(receiver.owner, receiver.name, args, nextPc, range);
                break;
              }
              stack.push(signalMethod(receiver, name, args, range, env));
              pc = nextPc;
              break;
            }
            const result = callOnObject(receiver, name, args, range);
            pc = nextPc;
            if (result instanceof Suspend) return this.suspend(result, range, steps, pc);
            stack.push(result === undefined ? null : result);
            break;
          }
          case Op.MakeArray: {
            const n = code[pc + 1];
            stack.push(new GdArray(popArgs(n)));
            pc += 2;
            break;
          }
          case Op.MakeDict: {
            const n = code[pc + 1];
            stack.push(dictionaryFromPairs(popArgs(n * 2)));
            pc += 2;
            break;
          }
          case Op.IterBegin:
            locals[code[pc + 1]] = makeIterator(stack.pop() as Value);
            pc += 2;
            break;
          case Op.RangeBegin: {
            locals[code[pc + 1]] = rangeIterator(rangeBounds(popArgs(code[pc + 2])));
            pc += 3;
            break;
          }
          case Op.IterNext: {
            const value = advance(locals[code[pc + 1]] as LoopIterator);
            if (value !== ITERATION_END) {
              locals[code[pc + 2]] = value;
              pc += 4;
            } else {
              locals[code[pc + 1]] = null;
              pc = code[pc + 3];
            }
            break;
          }
          case Op.Return: {
            const value = (stack.pop() ?? null) as Value;
            const done = frames.pop() as Frame;
            const co = done.coroutine;
            if (frames.length > 0 && !done.discard) frames[frames.length - 1].stack.push(value);
            if (co) {
              co.done = true;
              co.result = value;
              const waiters = co.waiters.splice(0, co.waiters.length);
              for (let i = waiters.length - 1; i >= 0; i--) {
                const w = waiters[i];
                w.waitingOn = undefined;
                w.frame.discard = true;
                w.frame.stack.push(value);
                if (frames.length >= MAX_FRAMES) throw new ScriptError(`Stack overflow (stack size: ${MAX_FRAMES}). Check for infinite recursion in your script.`);
                frames.push(w.frame);
              }
            }
            if (frames.length === 0) {
              this.totalSteps += steps;
              return this.finish({ kind: 'done', value, steps });
            }
            enter(frames[frames.length - 1]);
            break;
          }
          case Op.IsType:
            stack.push(isOfType(stack.pop() as Value, fn.types[code[pc + 1]]));
            pc += 2;
            break;
          case Op.AsType:
            stack.push(castTo(stack.pop() as Value, fn.types[code[pc + 1]]));
            pc += 2;
            break;
          case Op.Convert:
            stack.push(convertValue(fn, stack.pop() as Value, code[pc + 1], code[pc + 2], code[pc + 3]));
            pc += 4;
            break;
          case Op.TypeArray:
            stack.push(typeArrayLiteral(stack.pop() as GdArray, fn.types[code[pc + 1]]));
            pc += 2;
            break;
          case Op.PushDefault:
            stack.push(defaultValue(fn.types[code[pc + 1]]));
            pc += 2;
            break;
          case Op.MatchEquals: {
            const pattern = stack.pop() as Value;
            const subject = stack.pop() as Value;
            stack.push(matchEquals(subject, pattern));
            pc += 1;
            break;
          }
          case Op.MatchArray:
          case Op.MatchDict: {
            stack.push(matchSize(code[pc] === Op.MatchArray, stack.pop() as Value, code[pc + 1], code[pc + 2] === 1));
            pc += 3;
            break;
          }
          case Op.MatchDictHas: {
            const key = stack.pop() as Value;
            const subject = stack.pop() as Value;
            stack.push(subject instanceof GdDictionary && subject.has(key));
            pc += 1;
            break;
          }
          case Op.Assert: {
            const message = code[pc + 1] === 1 ? (stack.pop() as Value) : undefined;
            assertion(stack.pop() as Value, message);
            pc += 2;
            break;
          }
          case Op.MakeLambda: {
            const lambda = fn.lambdas[code[pc + 1]];
            const count = code[pc + 2];
            const captures: [number, Value][] = [];
            for (let i = 0; i < count; i++) {
              captures.push([code[pc + 3 + i * 2], locals[code[pc + 4 + i * 2]] as Value]);
            }
            stack.push(new GdCallable(frame.self, lambda.name, { fn: lambda, captures }));
            pc += 3 + count * 2;
            break;
          }
          case Op.MakeCallable:
            stack.push(new GdCallable(frame.self, fn.names[code[pc + 1]]));
            pc += 2;
            break;
          case Op.MakeStaticCallable:
            stack.push(new GdCallable(env.classObjects[code[pc + 1]], fn.names[code[pc + 2]]));
            pc += 3;
            break;
          case Op.JumpIfArg:
            pc = frame.argc > code[pc + 1] ? code[pc + 2] : pc + 3;
            break;
          case Op.Fail:
            throw new ScriptError(String(consts[code[pc + 1]]));
          case Op.Await: {
            const awaited = stack.pop() as Value;
            let waitOn: GdSignal | Coroutine | undefined;
            if (awaited instanceof GdSignal) waitOn = awaited;
            else if (awaited instanceof Coroutine && !awaited.done) waitOn = awaited;
            if (!waitOn) {
              stack.push(awaited instanceof Coroutine ? awaited.result : awaited);
              pc += 1;
              break;
            }
            frame.pc = pc + 1;
            const co = frame.coroutine ?? new Coroutine(frame, env);
            frame.coroutine = co;
            co.waitingOn = waitOn;
            if (waitOn instanceof GdSignal) addConnection(waitOn.owner, waitOn.name, { waiter: co, flags: CONNECT_ONE_SHOT, env });
            else waitOn.waiters.push(co);
            const suspended = frames.pop() as Frame;
            if (frames.length === 0) {
              this.totalSteps += steps;
              return this.finish({ kind: 'done', value: co, steps });
            }
            enter(frames[frames.length - 1]);
            if (!suspended.discard) stack.push(co);
            break;
          }
          case Op.GetNode: {
            const path = String(consts[code[pc + 1]]);
            const self = frame.self as ScriptObject;
            const range = fn.ranges[opPc] as Range;
            if (self.base?.has('get_node')) {
              const result = self.base.call('get_node', [GdNodePath.of(path)], env.callContext(range));
              pc += 2;
              if (result instanceof Suspend) return this.suspend(result, range, steps, pc);
              stack.push(result ?? null);
              break;
            }
            const shown = path.startsWith('%') ? path : `$${/^[A-Za-z_][\w/]*$/.test(path) ? path : JSON.stringify(path)}`;
            throw new ScriptError(`Cannot get node "${path}" (${shown}): the lab runs the script on its own, without a scene tree, so there are no nodes to find.`);
          }
          default:
            throw new Error(`bad opcode ${code[pc]} at ${pc} in ${fn.name}`);
        }
      }
    } catch (e) {
      frame.pc = opPc;
      const range = fn.ranges[opPc] ?? fn.statementRanges[opPc] ?? fn.range;
      const stack = this.stack;
      if (stack.length > 0) stack[0] = { function: fn.name, range: statementAt(fn, opPc) };
      return this.fail(errorMessage(e), range, steps, stack);
    }
  }

  private suspend(suspend: Suspend, range: Range, steps: number, nextPc: number): RunResult {
    const frame = this.frames[this.frames.length - 1];
    frame.pc = nextPc;
    this.pending = { suspend, range };
    this.totalSteps += steps;
    return { kind: 'suspended', suspend, steps };
  }
}

/** Statement range at a pc (for stacks and "currently at" diagnostics). */
function statementAt(fn: CompiledFunction, pc: number): Range {
  for (let p = Math.min(pc, fn.code.length - 1); p >= 0; p--) {
    const r = fn.statementRanges[p];
    if (r) return r;
  }
  return fn.range;
}

class EntryError extends ScriptError {
  constructor(message: string, readonly range: Range) {
    super(message);
  }
}

function errorMessage(e: unknown): string {
  if (e instanceof ScriptError) return e.message;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return 'Stack overflow. Check for infinite recursion in your script.';
  }
  return `Internal interpreter error: ${e instanceof Error ? e.message : String(e)}`;
}

/** Op.Convert: a value for a typed variable, argument (mode extra = parameter index) or return value. */
function convertValue(fn: CompiledFunction, v: Value, typeIndex: number, mode: ConvertMode, paramIndex: number): Value {
  const t = fn.types[typeIndex];
  if (mode === ConvertMode.Variable) return convertForAssignment(v, t);
  try {
    return convertForAssignment(v, t);
  } catch (e) {
    if (mode === ConvertMode.Argument) {
      throw new ScriptError(`Invalid type in function "${fn.name}". Cannot convert argument ${paramIndex + 1} from ${typeName(v)} to ${t.display}.`);
    }
    if (t.variant === 28 && v instanceof GdArray) throw e;
    throw new ScriptError(`Trying to return value of type "${typeName(v)}" from a function whose return type is "${t.display}".`);
  }
}

/** Op.TypeArray: an Array literal checked and tagged as Array[T]. */
function typeArrayLiteral(arr: GdArray, t: TypeSpec): GdArray {
  const element = t.elementType as TypeSpec;
  for (let i = 0; i < arr.items.length; i++) {
    const ok = validateElement(arr.items[i], element);
    if (ok === undefined) {
      throw new ScriptError(`Cannot have an element of type "${typeName(arr.items[i])}" in an array of type "${t.display}".`);
    }
    arr.items[i] = ok;
  }
  arr.elementType = element.display;
  return arr;
}

/** Op.MakeDict: a Dictionary literal from key, value, key, value, ... */
function dictionaryFromPairs(flat: Value[]): GdDictionary {
  const d = new GdDictionary();
  for (let i = 0; i < flat.length; i += 2) d.set(flat[i], flat[i + 1]);
  return d;
}

/** Op.MatchArray / Op.MatchDict: an Array (Dictionary) of exactly n elements, or at least n with `..`. */
function matchSize(isArray: boolean, subject: Value, n: number, rest: boolean): boolean {
  let size = -1;
  if (isArray && subject instanceof GdArray) size = subject.items.length;
  if (!isArray && subject instanceof GdDictionary) size = subject.size;
  return size >= 0 && (rest ? size >= n : size === n);
}

/** Op.Assert */
function assertion(condition: Value, message: Value | undefined): void {
  if (!truthy(condition)) {
    throw new ScriptError(message !== undefined ? `Assertion failed: ${stringify(message)}` : 'Assertion failed.');
  }
}

/** `match` literal patterns: same type (String and StringName count as one) and equal. */
function matchEquals(subject: Value, pattern: Value): boolean {
  const a = variantType(subject);
  const b = variantType(pattern);
  const stringish = (t: number): boolean => t === 4 || t === 21;
  if (a !== b && !(stringish(a) && stringish(b))) return false;
  if (sameValue(subject, pattern)) return true;
  try {
    return equals(subject, pattern);
  } catch {
    return false;
  }
}

function callvArgs(args: Value[]): Value[] {
  const a = args[0];
  if (args.length !== 1 || !(a instanceof GdArray)) {
    throw new ScriptError(`Invalid type in function 'callv' in base 'Callable'. Cannot convert argument 1 from ${typeName(a ?? null)} to Array.`);
  }
  return a.items;
}

/** Natives (engine/godot) take Strings where a script passes a StringName or NodePath. */
function nativeArgs(args: Value[]): Value[] {
  let out: Value[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof GdStringName || a instanceof GdNodePath) {
      out ??= args.slice();
      out[i] = a.value;
    } else if (typeof a === 'bigint') {
      out ??= args.slice();
      out[i] = Number(a); // natives take JS numbers
    }
  }
  return out ?? args;
}

/**
 * Resolves a Callable to a script function to push: undefined when the target is not script code
 * (a native object's method), an error message when it cannot be called.
 */
function resolveScriptCall(c: GdCallable, rawArgs: Value[]): { fn: CompiledFunction; self: Self; args: Value[]; closure?: GdCallable; name: string } | string | undefined {
  const { callable, args } = c.resolve(rawArgs);
  const target = callable.target;
  if (callable.lambda) {
    const fn = callable.lambda.fn as CompiledFunction;
    const arity = arityError(fn, args.length);
    if (arity) return arity;
    return { fn, self: target as Self, args, closure: callable, name: fn.name };
  }
  if (target instanceof ScriptObject) {
    if (target.freed) return `Attempt to call function '${callable.name}' in base 'previously freed' on a null instance.`;
    const fn = target.cls.methods.get(callable.name);
    if (!fn) {
      if (target.base?.has(callable.name)) return undefined;
      return `Invalid call. Nonexistent function '${callable.name}' in base '${target.describe}'.`;
    }
    const arity = arityError(fn, args.length);
    if (arity) return arity;
    return { fn, self: fn.isStatic ? target.env.classObjects[fn.classIndex] : target, args, name: fn.name };
  }
  if (target instanceof ScriptClass) {
    const fn = target.cls.methods.get(callable.name);
    if (!fn) return `Invalid call. Nonexistent function '${callable.name}' in base '${target.scriptName}'.`;
    if (!fn.isStatic) return `Cannot call non-static function "${callable.name}()" on the class "${target.scriptName}" directly. Make an instance instead.`;
    const arity = arityError(fn, args.length);
    if (arity) return arity;
    return { fn, self: target, args, name: fn.name };
  }
  if (target === null) return `Invalid call. Nonexistent function '${callable.name}' in base 'Nil'.`;
  return undefined;
}

// ---- signals ------------------------------------------------------------------------------------

function signalExists(owner: object, name: string): boolean {
  if (owner instanceof ScriptObject) return owner.cls.signals.has(name);
  return true;
}

function connectSignal(owner: object, name: string, callableValue: Value | undefined, flagsValue: Value, range: Range): number {
  const env = owner instanceof ScriptObject ? owner.env : undefined;
  if (!(callableValue instanceof GdCallable)) {
    throw new ScriptError(`Invalid type in function 'connect'. Cannot convert argument ${owner instanceof ScriptObject ? 2 : 1} from ${typeName(callableValue ?? null)} to Callable.`);
  }
  const ownerName = owner instanceof ScriptObject ? owner.describe : className(owner as Value);
  if (!signalExists(owner, name)) {
    env?.warn(`In Object of type '${ownerName}': Attempt to connect nonexistent signal '${name}' to callable '${stringify(callableValue)}'.`, range);
    return 31;
  }
  if (findConnection(owner, name, callableValue)) {
    env?.warn(`Signal '${name}' is already connected to given callable '${stringify(callableValue)}' in that object.`, range);
    return 31;
  }
  const flags = typeof flagsValue === 'number' ? flagsValue : 0;
  const targetEnv = callableEnv(callableValue) ?? env;
  addConnection(owner, name, { callable: callableValue, flags, env: targetEnv });
  return 0;
}

function callableEnv(c: GdCallable): Environment | undefined {
  const t = c.resolve([]).callable.target;
  if (t instanceof ScriptObject || t instanceof ScriptClass) return t.env;
  return undefined;
}

function disconnectSignal(owner: object, name: string, callableValue: Value | undefined, range: Range): void {
  const env = owner instanceof ScriptObject ? owner.env : callableValue instanceof GdCallable ? callableEnv(callableValue) : undefined;
  const conn = callableValue instanceof GdCallable ? findConnection(owner, name, callableValue) : undefined;
  if (!conn) {
    const ownerName = owner instanceof ScriptObject ? owner.describe : className(owner as Value);
    env?.warn(`Attempt to disconnect a nonexistent connection from '${ownerName}'. Signal: '${name}', callable: '${stringify(callableValue ?? null)}'.`, range);
    return;
  }
  removeConnection(owner, name, conn);
}

/** Signal methods other than emit(). */
function signalMethod(sig: GdSignal, name: string, args: Value[], range: Range, env: Environment): Value {
  const need = (n: number): void => {
    if (args.length !== n) {
      throw new ScriptError(`Invalid call to function '${name}' in base 'Signal'. Expected ${n} argument${n === 1 ? '' : 's'}.`);
    }
  };
  switch (name) {
    case 'connect':
      if (args.length < 1 || args.length > 2) need(1);
      return connectSignal(sig.owner, sig.name, args[0], args[1] ?? 0, range);
    case 'disconnect':
      need(1);
      disconnectSignal(sig.owner, sig.name, args[0], range);
      return null;
    case 'is_connected':
      need(1);
      return args[0] instanceof GdCallable && findConnection(sig.owner, sig.name, args[0]) !== undefined;
    case 'has_connections':
      need(0);
      return connectionsOf(sig.owner, sig.name).some((c) => c.callable !== undefined);
    case 'get_connections': {
      need(0);
      return new GdArray(
        connectionsOf(sig.owner, sig.name)
          .filter((c) => c.callable)
          .map((c) => {
            const d = new GdDictionary();
            d.set('signal', sig);
            d.set('callable', c.callable as GdCallable);
            d.set('flags', c.flags);
            return d;
          }),
      );
    }
    case 'get_name':
      need(0);
      return GdStringName.of(sig.name);
    case 'get_object':
      need(0);
      return sig.owner as Value;
    case 'get_object_id':
      need(0);
      return Number(objectId(sig.owner));
    case 'is_null':
      need(0);
      return false;
  }
  void env;
  throw new ScriptError(`Invalid call. Nonexistent function '${name}' in base 'Signal'.`);
}

/**
 * For hosts: a native object emitted one of its signals (a timer's timeout, ...). Functions awaiting
 * it and connected script callables are queued on their scripts; they run at the start of the
 * script's next task (see ScriptInstance.hasPendingWork / runPending()).
 */
export function emitSignal(owner: object, name: string, args: Value[] = []): void {
  for (const c of takeEmission(owner, name)) {
    const env = c.env as Environment | undefined;
    if (!env) continue;
    if (c.waiter) {
      const co = c.waiter as Coroutine;
      co.waitingOn = undefined;
      env.pending.push({ kind: 'resume', coroutine: co, value: signalResult(args) });
    } else if (c.callable) {
      env.pending.push({ kind: 'call', callable: c.callable, args });
    }
  }
}

// ---- indexing -------------------------------------------------------------------------------

function indexInt(index: Value, base: string, kind: 'get' | 'set'): number {
  if (typeof index === 'number') return index;
  if (typeof index === 'bigint') return Number(index);
  if (index instanceof GdFloat) return Math.trunc(index.value);
  throw new ScriptError(`Invalid ${kind} index '${stringify(index)}' (on base: '${base}').`);
}

function baseName(v: Value): string {
  if (v === null) return 'null instance';
  if (v instanceof ScriptObject) return v.describe;
  if (v instanceof GdArray && v.elementType) return `Array[${v.elementType}]`;
  return className(v);
}

function getIndex(obj: Value, index: Value): Value {
  if (obj instanceof GdArray) {
    const i = indexInt(index, baseName(obj), 'get');
    const n = obj.items.length;
    const j = i < 0 ? i + n : i;
    if (j < 0 || j >= n) throw new ScriptError(`Out of bounds get index '${i}' (on base: '${baseName(obj)}')`);
    return obj.items[j];
  }
  if (obj instanceof GdDictionary) {
    const v = obj.get(index);
    if (v === undefined) {
      throw new ScriptError(`Invalid access to property or key '${stringify(index)}' on a base object of type 'Dictionary'.`);
    }
    return v;
  }
  if (isStringLike(obj)) {
    const s = stringValue(obj);
    const i = indexInt(index, 'String', 'get');
    const chars = Array.from(s);
    const j = i < 0 ? i + chars.length : i;
    if (j < 0 || j >= chars.length) throw new ScriptError(`Out of bounds get index '${i}' (on base: 'String')`);
    return chars[j];
  }
  if (obj instanceof GdPackedByteArray) {
    const i = indexInt(index, 'PackedByteArray', 'get');
    const j = i < 0 ? i + obj.size : i;
    if (j < 0 || j >= obj.size) throw new ScriptError(`Out of bounds get index '${i}' (on base: 'PackedByteArray')`);
    return obj.get(j);
  }
  if (obj instanceof GdBuiltinValue) return obj.getIndex(index);
  if (isStringLike(index) && (isNativeObject(obj) || obj instanceof GdClassRef || obj instanceof ScriptClass)) {
    return getMember(obj, stringValue(index));
  }
  throw new ScriptError(
    `Invalid access to property or key '${stringify(index)}' on a base object of type '${baseName(obj)}'.`,
  );
}

function setIndex(obj: Value, index: Value, value: Value, env: Environment, range: Range): void {
  if (obj instanceof GdArray) {
    const i = indexInt(index, baseName(obj), 'set');
    const n = obj.items.length;
    const j = i < 0 ? i + n : i;
    if (j < 0 || j >= n) throw new ScriptError(`Out of bounds set index '${i}' (on base: '${baseName(obj)}')`);
    if (obj.readOnly) {
      env.warn('Array is in read-only state.', range);
      return;
    }
    if (obj.elementType) {
      const t = elementTypeSpec(obj.elementType);
      const ok = validateElement(value, t);
      if (ok === undefined) {
        env.warn(elementError(value, t, 'set'), range);
        return;
      }
      obj.items[j] = ok;
      return;
    }
    obj.items[j] = value;
    return;
  }
  if (obj instanceof GdDictionary) {
    if (obj.readOnly) {
      env.warn('Dictionary is in read-only state.', range);
      return;
    }
    if (!obj.has(index)) checkCollectionSize('Dictionary', obj.size + 1);
    obj.set(index, value);
    return;
  }
  if (obj instanceof GdPackedByteArray) {
    const i = indexInt(index, 'PackedByteArray', 'set');
    const j = i < 0 ? i + obj.size : i;
    if (j < 0 || j >= obj.size) throw new ScriptError(`Out of bounds set index '${i}' (on base: 'PackedByteArray')`);
    if (typeof value !== 'number' && typeof value !== 'bigint' && !(value instanceof GdFloat)) {
      throw new ScriptError(`Invalid assignment of index '${i}' (on base: 'PackedByteArray') with value of type '${typeName(value)}'.`);
    }
    obj.set(j, typeof value === 'bigint' ? Number(BigInt.asUintN(8, value)) : (typeof value === 'number' ? value : Math.trunc(value.value)) & 0xff);
    return;
  }
  if (obj instanceof GdBuiltinValue && obj.shared) {
    obj.setIndex(index, value); // packed arrays change in place
    return;
  }
  if (isStringLike(index) && (isNativeObject(obj) || obj instanceof ScriptClass)) {
    setMember(obj, stringValue(index), value);
    return;
  }
  throw new ScriptError(
    `Invalid assignment of property or key '${stringify(index)}' with value of type '${typeName(value)}' on a base object of type '${baseName(obj)}'.`,
  );
}

// ---- member access ----------------------------------------------------------------------------

/**
 * SetMemberValue/SetIndexValue on anything but a script object (whose setters the VM calls): does
 * `obj.key = value` / `obj[key] = value` and returns the object's new value, a modified copy for the
 * immutable value types (Vector2, Color, Rect2), else the object itself.
 */
function assignAndGet(obj: Value, key: Value, value: Value, isIndex: boolean, env: Environment, range: Range): Value {
  if (obj instanceof GdBuiltinValue && !obj.shared) {
    if (isIndex) return obj.setIndex(key, value);
    const v = obj.setMember(key as string, value);
    if (v === undefined) {
      throw new ScriptError(`Invalid assignment of property or key '${String(key)}' with value of type '${typeName(value)}' on a base object of type '${obj.typeName}'.`);
    }
    return v;
  }
  if (isIndex) setIndex(obj, key, value, env, range);
  else setMember(obj, key as string, value);
  return obj;
}

/** `obj.name` (script objects: without getters, which the VM calls itself). */
function getMember(obj: Value, name: string): Value {
  if (obj instanceof ScriptObject) {
    if (obj.freed) throw new ScriptError(`Invalid access to property or key '${name}' on a base object of type 'previously freed'.`);
    const v = obj.getMemberValue(name);
    if (v !== undefined) return v;
    if (obj.cls.methods.has(name)) return new GdCallable(obj, name);
    if (obj.cls.signals.has(name)) return new GdSignal(obj, name);
    const stat = findStatic(obj.scriptClass, name);
    if (stat) return stat.owner.statics[stat.slot];
    const inner = obj.cls.innerClasses.get(name);
    if (inner) return obj.env.classObjects[inner.index];
    const prop = obj.base?.getProperty?.(name);
    if (prop !== undefined) return prop;
    if (obj.base?.has(name)) return new GdCallable(obj.base, name);
  } else if (obj instanceof ScriptClass) {
    const k = obj.cls.constants.get(name);
    if (k !== undefined) return k;
    const stat = findStatic(obj, name);
    if (stat) return stat.owner.statics[stat.slot];
    const inner = obj.cls.innerClasses.get(name);
    if (inner) return obj.env.classObjects[inner.index];
    const fn = obj.cls.methods.get(name);
    if (fn) return new GdCallable(obj, name);
    throw new ScriptError(`Cannot find member "${name}" in base "${obj.scriptName}".`);
  } else if (obj instanceof GdClassRef) {
    const v = obj.nativeClass.constants[name];
    if (v !== undefined) return v;
    throw new ScriptError(`Cannot find member "${name}" in base "${obj.nativeClass.name}".`);
  } else if (obj instanceof GdDictionary) {
    const v = obj.get(name);
    if (v !== undefined) return v;
  } else if (obj instanceof GdBuiltinValue) {
    const v = obj.getMember(name);
    if (v !== undefined) return v;
  } else if (obj instanceof Coroutine) {
    if (name === 'completed') return new GdSignal(obj, 'completed');
  } else if (obj !== null && isNativeObject(obj)) {
    const v = obj.getProperty?.(name);
    if (v !== undefined) return v;
    if (obj.has(name)) return new GdCallable(obj, name);
  }
  throw new ScriptError(
    `Invalid access to property or key '${name}' on a base object of type '${baseName(obj)}'.`,
  );
}

function findStatic(sc: ScriptClass, name: string): { owner: ScriptClass; slot: number } | undefined {
  for (let c: CompiledClass | undefined = sc.cls; c; c = c.parent) {
    const slot = c.staticIndex.get(name);
    if (slot !== undefined) return { owner: sc.env.classObjects[c.index], slot };
  }
  return undefined;
}

/** `obj.name = value` (script objects: without setters, which the VM calls itself). */
function setMember(obj: Value, name: string, value: Value): void {
  if (obj instanceof ScriptObject) {
    const slot = obj.cls.memberIndex.get(name);
    if (slot !== undefined) {
      const info = obj.cls.members[slot];
      if (info.isConst) throw new ScriptError('Cannot assign a new value to a constant.');
      obj.members[slot] = info.type ? convertForAssignment(value, info.type) : value;
      return;
    }
    if (obj.cls.constants.has(name)) throw new ScriptError('Cannot assign a new value to a constant.');
    const stat = findStatic(obj.scriptClass, name);
    if (stat) {
      const t = stat.owner.cls.staticVars[stat.slot].type;
      stat.owner.statics[stat.slot] = t ? convertForAssignment(value, t) : value;
      return;
    }
    if (obj.base?.setProperty?.(name, nativeArgs([value])[0])) return;
  } else if (obj instanceof ScriptClass) {
    const stat = findStatic(obj, name);
    if (stat) {
      const t = stat.owner.cls.staticVars[stat.slot].type;
      stat.owner.statics[stat.slot] = t ? convertForAssignment(value, t) : value;
      return;
    }
    if (obj.cls.constants.has(name)) throw new ScriptError('Cannot assign a new value to a constant.');
  } else if (obj instanceof GdDictionary) {
    if (obj.readOnly) throw new ScriptError('Dictionary is in read-only state.');
    obj.set(name, value);
    return;
  } else if (obj instanceof GdBuiltinValue && !obj.shared && obj.getMember(name) !== undefined) {
    // Variables write modified vectors back (SetMemberValue); a plain SetMember means a constant.
    throw new ScriptError('Cannot assign a new value to a constant.');
  } else if (obj !== null && isNativeObject(obj)) {
    if (obj.setProperty?.(name, nativeArgs([value])[0])) return;
  }
  throw new ScriptError(
    `Invalid assignment of property or key '${name}' with value of type '${typeName(value)}' on a base object of type '${baseName(obj)}'.`,
  );
}

/** An identifier that is not a local, member, constant or function of the script: a native class or a base property. */
function resolveGlobal(env: Environment, self: Self, name: string): Value {
  const ref = env.classRef(name);
  if (ref) return ref;
  if (self instanceof ScriptObject) {
    const prop = self.base?.getProperty?.(name);
    if (prop !== undefined) return prop;
  }
  throw new ScriptError(`Identifier "${name}" not declared in the current scope.`);
}

/** Assignment to an identifier that is not a local or member: a property of the native base. */
function assignGlobal(self: Self, name: string, value: Value): void {
  if (self instanceof ScriptObject && self.base?.setProperty?.(name, nativeArgs([value])[0])) return;
  throw new ScriptError(`Identifier "${name}" not declared in the current scope.`);
}

// ---- object construction ----------------------------------------------------------------------

const NO_BASE = new Set(['RefCounted', 'Object', 'Resource', 'Reference']);

/** Constructs the native object at the root of `extends` (Node, ...); returns an error message, if any. */
function constructNativeBase(obj: ScriptObject, range: Range): string | undefined {
  if (obj.base) return undefined;
  const name = obj.cls.nativeBase;
  let cls;
  try {
    cls = obj.env.host.getClass(name ?? 'RefCounted');
  } catch (e) {
    return errorMessage(e);
  }
  if (!cls) return name && !NO_BASE.has(name) ? `Could not find base class "${name}".` : undefined;
  if (!cls.construct) return undefined;
  try {
    obj.base = cls.construct(obj.env.callContext(range));
  } catch (e) {
    return errorMessage(e);
  }
  return undefined;
}

/** Frames that initialize a new object, bottom first: _init(args), then initializers leaf → root (root runs first). */
function initializerFrames(obj: ScriptObject, args: Value[]): Frame[] {
  const out: Frame[] = [];
  const init = obj.cls.methods.get('_init');
  if (init) {
    const f = newFrame(init, obj, args);
    f.discard = true;
    out.push(f);
  }
  for (let c: CompiledClass | undefined = obj.cls; c; c = c.parent) {
    const f = newFrame(c.initializer, obj, []);
    f.discard = true;
    out.push(f);
  }
  return out;
}

// ---- ScriptInstance ---------------------------------------------------------------------------

/** What builtin methods (builtin-methods.ts) get: warnings at the calling instruction, synchronous callable calls. */
class TaskMethodContext implements MethodContext {
  range: Range;
  readonly random: Random;
  constructor(
    private readonly instance: ScriptInstance,
    private readonly task: Task,
  ) {
    this.range = instance.script.range;
    this.random = instance.env.random;
  }
  warn(message: string): void {
    this.instance.host.print(`ERROR: ${message}`, 'stderr', this.range);
  }
  invoke(callable: GdCallable, args: Value[]): Value {
    return this.instance.invokeNow(callable, args, this.task);
  }
}

/**
 * A running script: the instance of its main class (members, native base object such as the host's
 * Node), its classes and the global environment. One instance per peer; all its tasks share it.
 */
export class ScriptInstance extends ScriptObject {
  readonly script: CompiledScript;
  readonly host: Host;
  private readyRun = false;

  constructor(scriptNode: ScriptNode, host: Host, options: ScriptInstanceOptions = {}) {
    const script = compileScript(scriptNode);
    const env = new Environment(script, host, options);
    super(script.main, env);
    env.main = this;
    this.script = script;
    this.host = host;
  }

  /** Problems found while compiling (assignment to a constant, duplicate names, ...). */
  get problems(): SyntaxProblem[] {
    return this.script.problems;
  }

  /** The script's path (options.path), if given. */
  get path(): string | undefined {
    return this.env.options.path;
  }

  /** A task that constructs the native base, initializes static variables, runs member initializers and then _init(). */
  initialize(): Task {
    return new Task(this.env, {
      frames: () => {
        const err = constructNativeBase(this, this.script.extendsRange ?? { start: this.script.range.start, end: this.script.range.start });
        if (err) throw new EntryError(err, this.script.extendsRange ?? { start: this.script.range.start, end: this.script.range.start });
        const frames = initializerFrames(this, []);
        if (!this.env.staticsInitialized) {
          this.env.staticsInitialized = true;
          const statics = this.script.classes.filter((c) => c.staticInitializer);
          for (let i = statics.length - 1; i >= 0; i--) {
            const c = statics[i];
            const f = newFrame(c.staticInitializer as CompiledFunction, this.env.classObjects[c.index], []);
            f.discard = true;
            frames.push(f);
          }
        }
        return frames;
      },
    });
  }

  /** A task calling a script function, e.g. call('_ready', []) or call('_process', [makeFloat(delta)]). */
  call(name: string, args: Value[] = []): Task {
    const fn = this.cls.methods.get(name);
    if (fn === undefined) {
      return new Task(this.env, {
        error: `Invalid call. Nonexistent function '${name}' in base '${this.describe}'.`,
        range: { start: this.script.range.start, end: this.script.range.start },
      });
    }
    return new Task(this.env, {
      frames: () => {
        const arity = arityError(fn, args.length);
        if (arity) throw new EntryError(arity, fn.range);
        const frames = [newFrame(fn, fn.isStatic ? this.env.classObjects[fn.classIndex] : this, args)];
        if (name === '_ready' && !this.readyRun) {
          this.readyRun = true;
          // @onready variables are initialized right before _ready(), root class first.
          for (let c: CompiledClass | undefined = this.cls; c; c = c.parent) {
            if (!c.readyInitializer) continue;
            const f = newFrame(c.readyInitializer, this, []);
            f.discard = true;
            frames.push(f);
          }
        }
        return frames;
      },
    });
  }

  /** A task calling a Callable (e.g. one the host received from the script). */
  callCallable(callable: GdCallable, args: Value[] = []): Task {
    const target = resolveScriptCall(callable, args);
    if (typeof target === 'string' || !target) {
      return new Task(this.env, {
        error: typeof target === 'string' ? target : `Invalid call. Nonexistent function '${callable.name}'.`,
        range: this.script.range,
      });
    }
    return new Task(this.env, { frames: () => [newFrame(target.fn, target.self, target.args, target.closure)] });
  }

  /** Whether signals emitted by the host or deferred calls wait to run (see runPending()). */
  get hasPendingWork(): boolean {
    return this.env.pending.length > 0;
  }

  /** A task that runs the queued work: functions resumed by host signals, deferred calls. */
  runPending(): Task {
    return new Task(this.env, { frames: () => [] });
  }

  /** @internal The context of a builtin method call made by `task` at `range` (one object per task, reused). */
  methodContext(range: Range, task: Task): MethodContext {
    const ctx = (task.methodContext ??= new TaskMethodContext(this, task));
    ctx.range = range;
    return ctx;
  }

  /** @internal Runs a callable to completion synchronously (for Array.map & co). It may not suspend. */
  invokeNow(callable: GdCallable, args: Value[], parent: Task | undefined): Value {
    const target = resolveScriptCall(callable, args);
    if (typeof target === 'string') throw new ScriptError(target);
    if (!target) {
      const resolved = callable.resolve(args);
      const t = resolved.callable.target;
      if (isNativeObject(t as Value)) {
        const r = (t as NativeObject).call(resolved.callable.name, nativeArgs(resolved.args), this.env.callContext(this.script.range));
        if (r instanceof Suspend) throw new ScriptError('A callable invoked by a builtin method (map, filter, sort_custom, ...) cannot wait (poll(), OS.delay_msec()).');
        return r ?? null;
      }
      throw new ScriptError(`Invalid call. Nonexistent function '${callable.name}'.`);
    }
    const sub = new Task(this.env, { frames: () => [newFrame(target.fn, target.self, target.args, target.closure)] });
    const result = sub.run(NESTED_CALL_BUDGET);
    if (parent) parent.totalSteps += result.steps;
    switch (result.kind) {
      case 'done':
        return result.value;
      case 'error':
        throw new ScriptError(result.message);
      case 'suspended':
        throw new ScriptError('A callable invoked by a builtin method (map, filter, sort_custom, ...) cannot wait (poll(), OS.delay_msec()).');
      default:
        throw new ScriptError('A callable invoked by a builtin method ran for too long.');
    }
  }

  /** @internal */
  callUtility(name: string, args: Value[], range: Range): Value {
    this.env.utilityEnv.range = range;
    return callUtility(name, args, this.env.utilityEnv);
  }

  /** @internal an identifier that is not a local, member, script function or global constant. */
  resolveGlobal(name: string): Value {
    return resolveGlobal(this.env, this, name);
  }

  /** @internal `X.name(args)` on a native class: new() or a static/singleton method. */
  callClass(ref: GdClassRef, name: string, args: Value[], range: Range): NativeResult {
    const cls = ref.nativeClass;
    if (name === 'new') {
      if (!cls.construct) throw new ScriptError(`Cannot construct native class "${cls.name}".`);
      return cls.construct(this.env.callContext(range));
    }
    if (!cls.callStatic || (cls.hasStatic && !cls.hasStatic(name))) {
      throw new ScriptError(`Invalid call. Nonexistent function '${name}' in base '${cls.name}'.`);
    }
    return cls.callStatic(name, args, this.env.callContext(range));
  }

  /** @internal */
  callContext(range: Range): CallContext {
    return this.env.callContext(range);
  }
}

export { callableEquals };
