// The resumable interpreter: ScriptInstance (one per peer "process") and Task (one running call).
//
// A Task executes bytecode with an explicit frame stack, so it can stop after any instruction:
//   - when a native returns a Suspend (poll(), OS.delay_msec()) → { kind: 'suspended' }
//   - when the step budget passed to run() is used up            → { kind: 'sliced' }
// and continue exactly where it stopped on the next run().

import { callBuiltinMethod, hasBuiltinMethods, type MethodContext } from './builtin-methods';
import { ConvertMode, Op, type CompiledFunction, type CompiledScript } from './bytecode';
import { compileScript } from './compiler';
import { callUtility, rangeBounds, Random, type UtilityEnv } from './globals';
import { ScriptError, Suspend, type CallContext, type Host, type NativeObject, type NativeResult } from './host';
import { binaryOperation, equals, sameValue, truthy, unaryOperation, intAdd, BinOp, type UnOp } from './operators';
import type { ScriptNode } from './ast';
import type { Range, SyntaxProblem } from './range';
import { stringify } from './stringify';
import { castTo, convertElement, convertForAssignment, defaultValue, isOfType, simpleType } from './types';
import {
  GdArray, GdCallable, GdClassRef, GdDictionary, GdFloat, GdPackedByteArray, GdScriptObject, className,
  isNativeObject, makeFloat, typeName, variantType, type Value,
} from './values';

export type RunResult =
  | { kind: 'done'; value: Value; steps: number }
  | { kind: 'suspended'; suspend: Suspend; steps: number }
  | { kind: 'sliced'; steps: number }
  | { kind: 'error'; message: string; range: Range; steps: number };

const MAX_FRAMES = 1024;
/** Step budget for callables invoked synchronously by builtin methods (Array.map, sort_custom, ...). */
const NESTED_CALL_BUDGET = 10_000_000;

// ---- iteration ------------------------------------------------------------------------------

const enum IterKind {
  Array,
  Range,
  Values, // snapshot (dictionary keys)
  String,
  Bytes,
  FloatRange,
}

class LoopIterator {
  constructor(
    readonly kind: IterKind,
    readonly source: GdArray | GdPackedByteArray | Value[] | string | null,
    public index: number,
    readonly end: number,
    readonly step: number,
  ) {}
}

function makeIterator(v: Value): LoopIterator {
  if (v instanceof GdArray) return new LoopIterator(IterKind.Array, v, 0, 0, 1);
  if (typeof v === 'number') return new LoopIterator(IterKind.Range, null, 0, v, 1);
  if (v instanceof GdDictionary) return new LoopIterator(IterKind.Values, v.keys(), 0, 0, 1);
  if (typeof v === 'string') return new LoopIterator(IterKind.Values, Array.from(v), 0, 0, 1);
  if (v instanceof GdPackedByteArray) return new LoopIterator(IterKind.Bytes, v, 0, 0, 1);
  if (v instanceof GdFloat) return new LoopIterator(IterKind.FloatRange, null, 0, v.value, 1);
  throw new ScriptError(`Unable to iterate on object of type '${className(v)}'.`);
}

// ---- frames -----------------------------------------------------------------------------------

class Frame {
  pc = 0;
  readonly stack: unknown[] = [];
  constructor(
    readonly fn: CompiledFunction,
    readonly locals: unknown[],
    readonly self: ScriptInstance,
    readonly argc: number,
  ) {}
}

function arityError(fn: CompiledFunction, argc: number): string | undefined {
  if (argc < fn.requiredParams) {
    const atLeast = fn.requiredParams === fn.paramCount ? '' : 'at least ';
    return `Too few arguments for "${fn.name}()" call. Expected ${atLeast}${fn.requiredParams} but received ${argc}.`;
  }
  if (argc > fn.paramCount) {
    const atMost = fn.requiredParams === fn.paramCount ? '' : 'at most ';
    return `Too many arguments for "${fn.name}()" call. Expected ${atMost}${fn.paramCount} but received ${argc}.`;
  }
  return undefined;
}

function newFrame(fn: CompiledFunction, self: ScriptInstance, args: ArrayLike<Value>): Frame {
  const locals = new Array<unknown>(fn.localCount).fill(null);
  for (let i = 0; i < args.length; i++) locals[i] = args[i];
  return new Frame(fn, locals, self, args.length);
}

// ---- Task -------------------------------------------------------------------------------------

/** One call into a script (initialize(), _ready(), _process(delta), ...), runnable in slices. */
export class Task {
  private readonly frames: Frame[] = [];
  private pending: { suspend: Suspend; range: Range } | undefined;
  private final: RunResult | undefined;
  private started = false;
  /** Steps executed over all run() calls. */
  totalSteps = 0;

  /** @internal use ScriptInstance.call() / initialize() */
  constructor(
    private readonly instance: ScriptInstance,
    private readonly entry: { fn: CompiledFunction; self: ScriptInstance; args: Value[]; lambdaCaptures?: GdCallable } | { error: string; range: Range },
    private readonly constructBase = false,
  ) {}

  /** True once the task finished (done or error). */
  get finished(): boolean {
    return this.final !== undefined;
  }

  /** Range of the statement being executed (or about to be), for "runaway loop at line N" diagnostics. */
  get currentRange(): Range | undefined {
    const frame = this.frames[this.frames.length - 1];
    if (!frame) return undefined;
    const fn = frame.fn;
    for (let pc = Math.min(frame.pc, fn.code.length - 1); pc >= 0; pc--) {
      const r = fn.statementRanges[pc];
      if (r) return r;
    }
    return fn.range;
  }

  /** Function names of the active frames, innermost last. */
  get callStack(): string[] {
    return this.frames.map((f) => f.fn.name);
  }

  private finish(result: RunResult): RunResult {
    this.final = result;
    return result;
  }

  private fail(message: string, range: Range, steps: number): RunResult {
    this.totalSteps += steps;
    return this.finish({ kind: 'error', message, range, steps });
  }

  /**
   * Runs up to `maxSteps` steps (≈ one instruction each). Returns why it stopped. After 'done' or
   * 'error' further calls return the same result with steps = 0.
   */
  run(maxSteps = Infinity): RunResult {
    if (this.final) return { ...this.final, steps: 0 };
    const instance = this.instance;
    if (!this.started) {
      this.started = true;
      const entry = this.entry;
      if ('error' in entry) return this.fail(entry.error, entry.range, 0);
      if (this.constructBase) {
        const err = instance.constructBase();
        if (err) return this.fail(err.message, err.range, 0);
      }
      const arity = arityError(entry.fn, entry.args.length);
      if (arity) return this.fail(arity, entry.fn.range, 0);
      const frame = newFrame(entry.fn, entry.self, entry.args);
      if (entry.lambdaCaptures?.lambda) for (const [slot, v] of entry.lambdaCaptures.lambda.captures) frame.locals[slot] = v;
      this.frames.push(frame);
    }
    if (this.pending) {
      const { suspend, range } = this.pending;
      this.pending = undefined;
      let value: Value = null;
      try {
        value = suspend.resume ? suspend.resume() : null;
      } catch (e) {
        return this.fail(errorMessage(e), range, 0);
      }
      this.frames[this.frames.length - 1].stack.push(value === undefined ? null : value);
    }
    return this.execute(maxSteps);
  }

  private execute(maxSteps: number): RunResult {
    const frames = this.frames;
    let frame = frames[frames.length - 1];
    let fn = frame.fn;
    let code = fn.code;
    let consts = fn.consts;
    let stack = frame.stack;
    let locals = frame.locals;
    let pc = frame.pc;
    let opPc = pc;
    let steps = 0;

    // Switches the cached registers to the frame on top of the stack.
    const enter = (f: Frame): void => {
      frame = f;
      fn = f.fn;
      code = fn.code;
      consts = fn.consts;
      stack = f.stack;
      locals = f.locals;
      pc = f.pc;
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
    /** Calls a script function or callable by pushing a frame; returns false if it is not one. */
    const callScriptFunction = (target: CompiledFunction, self: ScriptInstance, args: Value[], closure?: GdCallable): void => {
      const arity = arityError(target, args.length);
      if (arity) throw new ScriptError(arity);
      const f = newFrame(target, self, args);
      if (closure?.lambda) for (const [slot, v] of closure.lambda.captures) f.locals[slot] = v;
      pushFrame(f);
    };

    try {
      for (;;) {
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
            stack.push(frame.self.members[code[pc + 1]]);
            pc += 2;
            break;
          case Op.StoreMember:
            frame.self.members[code[pc + 1]] = stack.pop() as Value;
            pc += 2;
            break;
          case Op.LoadSelf:
            stack.push(frame.self);
            pc += 1;
            break;
          case Op.LoadGlobal:
            stack.push(frame.self.resolveGlobal(fn.names[code[pc + 1]]));
            pc += 2;
            break;
          case Op.StoreGlobal:
            frame.self.assignGlobal(fn.names[code[pc + 1]], stack.pop() as Value);
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
            stack.push(getMember(obj, fn.names[code[pc + 1]]));
            pc += 2;
            break;
          }
          case Op.SetMember: {
            const value = stack.pop() as Value;
            const obj = stack.pop() as Value;
            setMember(obj, fn.names[code[pc + 1]], value);
            pc += 2;
            break;
          }
          case Op.GetIndex: {
            const index = stack.pop() as Value;
            const obj = stack.pop() as Value;
            stack.push(getIndex(obj, index));
            pc += 1;
            break;
          }
          case Op.SetIndex: {
            const value = stack.pop() as Value;
            const index = stack.pop() as Value;
            const obj = stack.pop() as Value;
            setIndex(obj, index, value);
            pc += 1;
            break;
          }
          case Op.CallScript: {
            const target = frame.self.script.functions[code[pc + 1]];
            const args = popArgs(code[pc + 2]);
            frame.pc = pc + 3;
            callScriptFunction(target, frame.self, args);
            break;
          }
          case Op.CallUtility: {
            const args = popArgs(code[pc + 2]);
            stack.push(frame.self.callUtility(fn.names[code[pc + 1]], args, fn.ranges[opPc] as Range));
            pc += 3;
            break;
          }
          case Op.CallSelf:
          case Op.CallSuper: {
            const name = fn.names[code[pc + 1]];
            const args = popArgs(code[pc + 2]);
            const range = fn.ranges[opPc] as Range;
            const base = frame.self.base;
            let result: NativeResult;
            if (base && base.has(name)) {
              result = base.call(name, args, frame.self.callContext(range));
            } else if (code[pc] === Op.CallSuper && name.startsWith('_')) {
              result = null; // super._ready() etc. on a native base without that virtual: nothing to do
            } else if (code[pc] === Op.CallSuper) {
              throw new ScriptError(`Function "${name}()" not found in base "${frame.self.baseName}".`);
            } else {
              throw new ScriptError(`Function "${name}()" not found in base self.`);
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
            if (receiver instanceof ScriptInstance) {
              const index = receiver.script.functionIndex.get(name);
              if (index !== undefined) {
                frame.pc = pc + 3;
                callScriptFunction(receiver.script.functions[index], receiver, args);
                break;
              }
              const base = receiver.base;
              if (!base || !base.has(name)) {
                throw new ScriptError(`Invalid call. Nonexistent function '${name}' in base '${receiver.className}'.`);
              }
              pc += 3;
              const result = base.call(name, args, receiver.callContext(range));
              if (result instanceof Suspend) return this.suspend(result, range, steps, pc);
              stack.push(result === undefined ? null : result);
              break;
            }
            if (receiver instanceof GdCallable && (name === 'call' || name === 'callv')) {
              const callArgs = name === 'callv' ? callvArgs(args) : args;
              const resolved = resolveCallable(receiver);
              if (resolved) {
                frame.pc = pc + 3;
                callScriptFunction(resolved.fn, resolved.self, callArgs, receiver);
                break;
              }
            }
            if (receiver === null) {
              throw new ScriptError(`Attempt to call function '${name}' in base 'null instance' on a null instance.`);
            }
            let result: NativeResult;
            if (hasBuiltinMethods(receiver)) {
              result = callBuiltinMethod(receiver, name, args, frame.self.methodContext(range, this));
            } else if (receiver instanceof GdClassRef) {
              result = frame.self.callClass(receiver, name, args, range);
            } else if (isNativeObject(receiver)) {
              if (!receiver.has(name)) {
                throw new ScriptError(`Invalid call. Nonexistent function '${name}' in base '${receiver.className}'.`);
              }
              result = receiver.call(name, args, frame.self.callContext(range));
            } else {
              throw new ScriptError(`Invalid call. Nonexistent function '${name}' in base '${typeName(receiver)}'.`);
            }
            pc += 3;
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
            const flat = popArgs(n * 2);
            const d = new GdDictionary();
            for (let i = 0; i < flat.length; i += 2) d.set(flat[i], flat[i + 1]);
            stack.push(d);
            pc += 2;
            break;
          }
          case Op.IterBegin:
            locals[code[pc + 1]] = makeIterator(stack.pop() as Value);
            pc += 2;
            break;
          case Op.RangeBegin: {
            const [start, end, step] = rangeBounds(popArgs(code[pc + 2]));
            locals[code[pc + 1]] = new LoopIterator(IterKind.Range, null, start, end, step);
            pc += 3;
            break;
          }
          case Op.IterNext: {
            const it = locals[code[pc + 1]] as LoopIterator;
            let value: Value;
            let has: boolean;
            switch (it.kind) {
              case IterKind.Range:
                has = it.step > 0 ? it.index < it.end : it.index > it.end;
                value = it.index;
                it.index += it.step;
                break;
              case IterKind.Array: {
                const items = (it.source as GdArray).items;
                has = it.index < items.length;
                value = has ? items[it.index++] : null;
                break;
              }
              case IterKind.Values: {
                const items = it.source as Value[];
                has = it.index < items.length;
                value = has ? items[it.index++] : null;
                break;
              }
              case IterKind.Bytes: {
                const bytes = it.source as GdPackedByteArray;
                has = it.index < bytes.size;
                value = has ? bytes.get(it.index++) : null;
                break;
              }
              default:
                has = it.index < it.end;
                value = makeFloat(it.index);
                it.index += 1;
            }
            if (has) {
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
            frames.pop();
            if (frames.length === 0) {
              this.totalSteps += steps;
              return this.finish({ kind: 'done', value, steps });
            }
            enter(frames[frames.length - 1]);
            stack.push(value);
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
          case Op.Convert: {
            const v = stack.pop() as Value;
            const t = fn.types[code[pc + 1]];
            const mode = code[pc + 2] as ConvertMode;
            if (mode === ConvertMode.Variable) {
              stack.push(convertForAssignment(v, t));
            } else {
              try {
                stack.push(convertForAssignment(v, t));
              } catch {
                if (mode === ConvertMode.Argument) {
                  throw new ScriptError(
                    `Invalid argument for "${fn.name}()" function: argument ${code[pc + 3] + 1} should be "${t.display}" but is "${typeName(v)}".`,
                  );
                }
                throw new ScriptError(`Trying to return value of type "${typeName(v)}" from a function whose return type is "${t.display}".`);
              }
            }
            pc += 4;
            break;
          }
          case Op.PushDefault:
            stack.push(defaultValue(fn.types[code[pc + 1]]));
            pc += 2;
            break;
          case Op.MatchEquals: {
            const pattern = stack.pop() as Value;
            const subject = stack.pop() as Value;
            stack.push(variantType(subject) === variantType(pattern) && (sameValue(subject, pattern) || safeEquals(subject, pattern)));
            pc += 1;
            break;
          }
          case Op.MatchArray:
          case Op.MatchDict: {
            const subject = stack.pop() as Value;
            const n = code[pc + 1];
            const rest = code[pc + 2] === 1;
            let size = -1;
            if (code[pc] === Op.MatchArray && subject instanceof GdArray) size = subject.items.length;
            if (code[pc] === Op.MatchDict && subject instanceof GdDictionary) size = subject.size;
            stack.push(size >= 0 && (rest ? size >= n : size === n));
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
            const condition = stack.pop() as Value;
            if (!truthy(condition)) {
              throw new ScriptError(message !== undefined ? `Assertion failed: ${stringify(message)}` : 'Assertion failed.');
            }
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
          case Op.JumpIfArg:
            pc = frame.argc > code[pc + 1] ? code[pc + 2] : pc + 3;
            break;
          case Op.Fail:
            throw new ScriptError(String(consts[code[pc + 1]]));
          default:
            throw new Error(`bad opcode ${code[pc]} at ${pc} in ${fn.name}`);
        }
      }
    } catch (e) {
      frame.pc = opPc;
      const range = fn.ranges[opPc] ?? fn.statementRanges[opPc] ?? fn.range;
      return this.fail(errorMessage(e), range, steps);
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

function errorMessage(e: unknown): string {
  if (e instanceof ScriptError) return e.message;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return 'Stack overflow. Check for infinite recursion in your script.';
  }
  return `Internal interpreter error: ${e instanceof Error ? e.message : String(e)}`;
}

function safeEquals(a: Value, b: Value): boolean {
  try {
    return equals(a, b);
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

function resolveCallable(c: GdCallable): { fn: CompiledFunction; self: ScriptInstance } | undefined {
  const self = c.target;
  if (!(self instanceof ScriptInstance)) return undefined;
  if (c.lambda) return { fn: c.lambda.fn as CompiledFunction, self };
  const index = self.script.functionIndex.get(c.name);
  return index === undefined ? undefined : { fn: self.script.functions[index], self };
}

// ---- indexing -------------------------------------------------------------------------------

function indexInt(index: Value, base: string, kind: 'get' | 'set'): number {
  if (typeof index === 'number') return index;
  if (index instanceof GdFloat) return Math.trunc(index.value);
  throw new ScriptError(`Invalid ${kind} index '${stringify(index)}' (on base: '${base}').`);
}

function getIndex(obj: Value, index: Value): Value {
  if (obj instanceof GdArray) {
    const i = indexInt(index, 'Array', 'get');
    const n = obj.items.length;
    const j = i < 0 ? i + n : i;
    if (j < 0 || j >= n) throw new ScriptError(`Out of bounds get index '${i}' (on base: 'Array')`);
    return obj.items[j];
  }
  if (obj instanceof GdDictionary) {
    const v = obj.get(index);
    if (v === undefined) {
      throw new ScriptError(`Invalid access to property or key '${stringify(index)}' on a base object of type 'Dictionary'.`);
    }
    return v;
  }
  if (typeof obj === 'string') {
    const i = indexInt(index, 'String', 'get');
    const chars = Array.from(obj);
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
  if (typeof index === 'string' && (isNativeObject(obj) || obj instanceof ScriptInstance || obj instanceof GdClassRef)) {
    return getMember(obj, index);
  }
  throw new ScriptError(
    `Invalid access to property or key '${stringify(index)}' on a base object of type '${obj === null ? 'null instance' : className(obj)}'.`,
  );
}

function setIndex(obj: Value, index: Value, value: Value): void {
  if (obj instanceof GdArray) {
    const i = indexInt(index, 'Array', 'set');
    const n = obj.items.length;
    const j = i < 0 ? i + n : i;
    if (j < 0 || j >= n) throw new ScriptError(`Out of bounds set index '${i}' (on base: 'Array')`);
    obj.items[j] = obj.elementType ? convertElement(value, simpleType(obj.elementType)) : value;
    return;
  }
  if (obj instanceof GdDictionary) {
    obj.set(index, value);
    return;
  }
  if (obj instanceof GdPackedByteArray) {
    const i = indexInt(index, 'PackedByteArray', 'set');
    const j = i < 0 ? i + obj.size : i;
    if (j < 0 || j >= obj.size) throw new ScriptError(`Out of bounds set index '${i}' (on base: 'PackedByteArray')`);
    if (typeof value !== 'number' && !(value instanceof GdFloat)) {
      throw new ScriptError(`Invalid assignment of index '${i}' (on base: 'PackedByteArray') with value of type '${typeName(value)}'.`);
    }
    obj.set(j, (typeof value === 'number' ? value : Math.trunc(value.value)) & 0xff);
    return;
  }
  if (typeof index === 'string' && (isNativeObject(obj) || obj instanceof ScriptInstance)) {
    setMember(obj, index, value);
    return;
  }
  throw new ScriptError(
    `Invalid assignment of property or key '${stringify(index)}' with value of type '${typeName(value)}' on a base object of type '${obj === null ? 'null instance' : className(obj)}'.`,
  );
}

// ---- ScriptInstance ---------------------------------------------------------------------------

export interface ScriptInstanceOptions {
  /** Seed for randi()/randf() (default: random). */
  seed?: number;
}

/**
 * A running script: its member variables, its native base object (e.g. the host's Node) and the
 * global environment. One instance per peer; all its tasks share the members.
 */
export class ScriptInstance extends GdScriptObject {
  readonly script: CompiledScript;
  readonly members: Value[];
  /** The native base object (constructed by initialize() from the `extends` class). */
  base: NativeObject | undefined;
  private readonly classes = new Map<string, GdClassRef | null>();
  private readonly random: Random;
  private readonly utilityEnv: UtilityEnv & { range: Range };

  constructor(scriptNode: ScriptNode, readonly host: Host, options: ScriptInstanceOptions = {}) {
    super();
    this.script = compileScript(scriptNode);
    this.members = this.script.members.map((m) => defaultValue(m.type));
    this.random = new Random(options.seed);
    const env = {
      range: this.script.range,
      random: this.random,
      print: (text: string, stream: 'stdout' | 'stderr') => this.host.print(text, stream, env.range),
    };
    this.utilityEnv = env;
  }

  /** Problems found while compiling (assignment to a constant, duplicate names, ...). */
  get problems(): SyntaxProblem[] {
    return this.script.problems;
  }

  get className(): string {
    return this.script.className ?? this.script.extendsName ?? 'RefCounted';
  }

  /** Name of the native base class (`extends`), RefCounted when absent. */
  get baseName(): string {
    return this.script.extendsName ?? 'RefCounted';
  }

  isClass(name: string): boolean {
    return name === this.className || name === this.baseName || name === 'Object' ||
      (this.base !== undefined && (this.base.className === name || (this.base.isClass?.(name) ?? false)));
  }

  /** How print(self) shows the instance: like its native base object, when there is one. */
  stringifySelf(): string | undefined {
    return this.base ? stringify(this.base) : undefined;
  }

  /** A task that constructs the native base, runs member initializers and then _init(). */
  initialize(): Task {
    return new Task(this, { fn: this.script.initializer, self: this, args: [] }, true);
  }

  hasFunction(name: string): boolean {
    return this.script.functionIndex.has(name);
  }

  /** A task calling a script function, e.g. call('_ready', []) or call('_process', [makeFloat(delta)]). */
  call(name: string, args: Value[] = []): Task {
    const index = this.script.functionIndex.get(name);
    if (index === undefined) {
      return new Task(this, {
        error: `Invalid call. Nonexistent function '${name}' in base '${this.className}'.`,
        range: { start: this.script.range.start, end: this.script.range.start },
      });
    }
    return new Task(this, { fn: this.script.functions[index], self: this, args });
  }

  /** A task calling a Callable (e.g. one the host received from the script). */
  callCallable(callable: GdCallable, args: Value[] = []): Task {
    const resolved = resolveCallable(callable);
    if (!resolved) {
      return new Task(this, { error: `Invalid call. Nonexistent function '${callable.name}'.`, range: this.script.range });
    }
    return new Task(this, { fn: resolved.fn, self: resolved.self, args, lambdaCaptures: callable });
  }

  /** Reads a member variable or constant by name (undefined when there is none). */
  getMemberValue(name: string): Value | undefined {
    const slot = this.script.memberIndex.get(name);
    if (slot !== undefined) return this.members[slot];
    return this.script.constants.get(name);
  }

  /** @internal constructs the native base object; returns an error to report, if any. */
  constructBase(): { message: string; range: Range } | undefined {
    if (this.base) return undefined;
    const name = this.script.extendsName;
    const range = this.script.extendsRange ?? { start: this.script.range.start, end: this.script.range.start };
    let cls;
    try {
      cls = this.host.getClass(name ?? 'RefCounted');
    } catch (e) {
      return { message: errorMessage(e), range };
    }
    if (!cls) {
      return name ? { message: `Could not find base class "${name}".`, range } : undefined;
    }
    if (!cls.construct) return undefined;
    try {
      this.base = cls.construct(this.callContext(range));
    } catch (e) {
      return { message: errorMessage(e), range };
    }
    return undefined;
  }

  // ---- services for the VM ------------------------------------------------------------------

  /** @internal */
  callContext(range: Range): CallContext {
    const host = this.host;
    return {
      range,
      warn(message: string) {
        host.print(`ERROR: ${message}`, 'stderr', range);
      },
    };
  }

  /** @internal */
  methodContext(range: Range, task: Task): MethodContext {
    return {
      warn: (message: string) => this.host.print(`ERROR: ${message}`, 'stderr', range),
      invoke: (callable: GdCallable, args: Value[]) => this.invokeNow(callable, args, task),
    };
  }

  /** Runs a callable to completion synchronously (for Array.map & co). It may not suspend. */
  private invokeNow(callable: GdCallable, args: Value[], parent: Task): Value {
    const sub = this.callCallable(callable, args);
    const result = sub.run(NESTED_CALL_BUDGET);
    parent.totalSteps += result.steps;
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
    this.utilityEnv.range = range;
    return callUtility(name, args, this.utilityEnv);
  }

  private classRef(name: string): GdClassRef | undefined {
    let ref = this.classes.get(name);
    if (ref === undefined) {
      const cls = this.host.getClass(name);
      ref = cls ? new GdClassRef(cls) : null;
      if (cls) this.classes.set(name, ref);
    }
    return ref ?? undefined;
  }

  /** @internal an identifier that is not a local, member, script function or global constant. */
  resolveGlobal(name: string): Value {
    const ref = this.classRef(name);
    if (ref) return ref;
    const prop = this.base?.getProperty?.(name);
    if (prop !== undefined) return prop;
    throw new ScriptError(`Identifier "${name}" not declared in the current scope.`);
  }

  /** @internal assignment to an identifier that is not a local or member: a property of the native base. */
  assignGlobal(name: string, value: Value): void {
    if (this.base?.setProperty?.(name, value)) return;
    throw new ScriptError(`Identifier "${name}" not declared in the current scope.`);
  }

  /** @internal `X.name(args)` on a native class: new() or a static/singleton method. */
  callClass(ref: GdClassRef, name: string, args: Value[], range: Range): NativeResult {
    const cls = ref.nativeClass;
    if (name === 'new') {
      if (!cls.construct) throw new ScriptError(`Cannot construct native class "${cls.name}".`);
      return cls.construct(this.callContext(range));
    }
    if (!cls.callStatic || (cls.hasStatic && !cls.hasStatic(name))) {
      throw new ScriptError(`Invalid call. Nonexistent function '${name}' in base '${cls.name}'.`);
    }
    return cls.callStatic(name, args, this.callContext(range));
  }
}

// ---- member access ----------------------------------------------------------------------------

/** `obj.name` */
function getMember(obj: Value, name: string): Value {
  if (obj instanceof ScriptInstance) {
    const v = obj.getMemberValue(name);
    if (v !== undefined) return v;
    if (obj.script.functionIndex.has(name)) return new GdCallable(obj, name);
    const prop = obj.base?.getProperty?.(name);
    if (prop !== undefined) return prop;
  } else if (obj instanceof GdClassRef) {
    const v = obj.nativeClass.constants[name];
    if (v !== undefined) return v;
    throw new ScriptError(`Cannot find member "${name}" in base "${obj.nativeClass.name}".`);
  } else if (obj instanceof GdDictionary) {
    const v = obj.get(name);
    if (v !== undefined) return v;
  } else if (obj !== null && isNativeObject(obj)) {
    const v = obj.getProperty?.(name);
    if (v !== undefined) return v;
  }
  throw new ScriptError(
    `Invalid access to property or key '${name}' on a base object of type '${obj === null ? 'null instance' : className(obj)}'.`,
  );
}

/** `obj.name = value` */
function setMember(obj: Value, name: string, value: Value): void {
  if (obj instanceof ScriptInstance) {
    const slot = obj.script.memberIndex.get(name);
    if (slot !== undefined) {
      const info = obj.script.members[slot];
      if (info.isConst) throw new ScriptError('Cannot assign a new value to a constant.');
      obj.members[slot] = info.type ? convertForAssignment(value, info.type) : value;
      return;
    }
    if (obj.base?.setProperty?.(name, value)) return;
  } else if (obj instanceof GdDictionary) {
    obj.set(name, value);
    return;
  } else if (obj !== null && isNativeObject(obj)) {
    if (obj.setProperty?.(name, value)) return;
  }
  throw new ScriptError(
    `Invalid assignment of property or key '${name}' with value of type '${typeName(value)}' on a base object of type '${obj === null ? 'null instance' : className(obj)}'.`,
  );
}
