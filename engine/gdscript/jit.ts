// The second execution tier: a hot function's bytecode turned into one JavaScript function
// (`new Function`) whose basic blocks run without the interpreter's dispatch, value-stack traffic
// and per-instruction budget checks.
//
// The compiled code works on the interpreter's own frame (locals, value stack, pc), so the two
// tiers hand over at any block boundary and nothing about resumability changes:
//   - Only "simple" instructions are compiled: loads/stores, operators, jumps, loops, indexing,
//     utility functions and methods of builtin values (String, Array, Dictionary, ...). Calls into
//     script code, returns, await, signals and anything else that touches the frame stack end a
//     block; the interpreter executes that instruction and re-enters the compiled code after it.
//   - A block starts with one budget check: when fewer steps are left than the block has
//     instructions, the compiled code returns and the interpreter steps through the block one
//     instruction at a time, so `run(maxSteps)` slices at exactly the same instruction as before.
//   - Values pushed inside a block live in JS variables; at block boundaries the value stack is the
//     interpreter's array again. An instruction that finds operands the compiled code does not
//     handle (a getter on a script object, a method of a script object) puts its operands back,
//     rewinds the step count and leaves that instruction to the interpreter.
//   - A runtime error reports the pc of the failing instruction and the step count the interpreter
//     would have had, so messages, ranges and stacks are the interpreter's.

import { instructionLength, Op, type CompiledFunction } from './bytecode';
import { BinOp, UnOp } from './operators';
import type { Range } from './range';
import type { TypeSpec } from './types';
import type { Value } from './values';

/** Registers exchanged with the interpreter: where to start/where it stopped, the steps so far and the budget. */
export interface JitRegisters {
  pc: number;
  steps: number;
  max: number;
}

/** Runs compiled blocks from R.pc until an instruction needs the interpreter (or the budget is short). */
export type JitCode = (locals: unknown[], stack: unknown[], R: JitRegisters, frame: JitFrame, env: unknown, task: unknown) => void;

export interface JitFrame {
  readonly self: unknown;
  readonly argc: number;
}

/** What compiled code calls: the interpreter's own implementations of the instructions (interpreter.ts). */
export interface JitHelpers {
  binary(op: BinOp, a: Value, b: Value): Value;
  /** String + String */
  concat(a: string, b: string): string;
  unary(op: UnOp, v: Value): Value;
  truthy(v: Value): boolean;
  /** Whether GetIndex/SetIndex/GetMember/SetMember on `obj` must go through the interpreter (accessors). */
  needsInterpreterAccess(obj: Value, key: Value): boolean;
  /** Whether `receiver.name(...)` is a builtin method call the compiled code may make. */
  isBuiltinCall(receiver: Value, name: string): boolean;
  getIndex(obj: Value, index: Value): Value;
  setIndex(obj: Value, index: Value, value: Value, env: unknown, range: Range): void;
  getMember(obj: Value, name: string): Value;
  setMember(obj: Value, name: string, value: Value): void;
  /** SetMemberValue/SetIndexValue: the assignment, then the object's new value (a copy for Vector2/Color/Rect2). */
  assignAndGet(obj: Value, key: Value, value: Value, isIndex: boolean, env: unknown, range: Range): Value;
  callUtility(env: unknown, name: string, args: Value[], range: Range): Value;
  callBuiltin(env: unknown, task: unknown, receiver: Value, name: string, args: Value[], range: Range): Value;
  makeArray(items: Value[]): Value;
  dictionaryFromPairs(flat: Value[]): Value;
  makeIterator(v: Value): unknown;
  rangeIterator(args: Value[]): unknown;
  advance(it: unknown): unknown;
  iterationEnd: unknown;
  /** GdArray, for the inline indexing fast path. */
  arrayClass: unknown;
  isOfType(v: Value, t: TypeSpec): boolean;
  castTo(v: Value, t: TypeSpec): Value;
  convert(fn: CompiledFunction, v: Value, typeIndex: number, mode: number, paramIndex: number): Value;
  typeArray(v: Value, t: TypeSpec): Value;
  defaultValue(t: TypeSpec): Value;
  matchEquals(subject: Value, pattern: Value): boolean;
  matchSize(isArray: boolean, subject: Value, n: number, rest: boolean): boolean;
  dictHas(subject: Value, key: Value): boolean;
  assertion(condition: Value, message: Value | undefined): void;
}

export interface JitSettings {
  /**
   * How often the interpreter enters a function (calls, returns into it) or jumps back in one of its
   * loops before the function is compiled (default 200); 0 compiles every function on its first
   * call, Infinity turns the tier off.
   */
  threshold: number;
  /** Throw when a function fails to compile (tests), instead of leaving it to the interpreter. */
  strict: boolean;
}

export const jitSettings: JitSettings = { threshold: 200, strict: false };

/** Changes jitSettings (tests run whole suites on the compiled tier with { threshold: 0, strict: true }). */
export function configureJit(options: Partial<JitSettings>): void {
  Object.assign(jitSettings, options);
}

/** Instructions the compiled code executes itself. */
function compilable(op: Op): boolean {
  switch (op) {
    case Op.Const: case Op.Null: case Op.True: case Op.False: case Op.LoadLocal: case Op.StoreLocal:
    case Op.LoadMember: case Op.StoreMember: case Op.LoadSelf: case Op.LoadStatic: case Op.StoreStatic:
    case Op.LoadClass: case Op.Pop: case Op.Dup: case Op.Dup2: case Op.Binary: case Op.Unary: case Op.Jump:
    case Op.JumpIfFalse: case Op.JumpIfTrue: case Op.GetMember: case Op.SetMember: case Op.GetIndex:
    case Op.SetIndex: case Op.SetMemberValue: case Op.SetIndexValue: case Op.CallUtility: case Op.CallMethod: case Op.MakeArray: case Op.MakeDict:
    case Op.IterBegin: case Op.IterNext: case Op.RangeBegin: case Op.IsType: case Op.AsType: case Op.Convert:
    case Op.PushDefault: case Op.MatchEquals: case Op.MatchArray: case Op.MatchDict: case Op.MatchDictHas:
    case Op.Assert: case Op.JumpIfArg: case Op.TypeArray:
      return true;
    default:
      return false;
  }
}

/** Instructions that may throw a runtime error (the compiled code then records their pc). */
function mayFail(op: Op): boolean {
  switch (op) {
    case Op.Const: case Op.Null: case Op.True: case Op.False: case Op.LoadLocal: case Op.StoreLocal:
    case Op.LoadMember: case Op.StoreMember: case Op.LoadSelf: case Op.LoadStatic: case Op.StoreStatic:
    case Op.LoadClass: case Op.Pop: case Op.Dup: case Op.Dup2: case Op.Jump: case Op.JumpIfArg: case Op.MakeArray:
      return false;
    default:
      return true;
  }
}

/** Instructions after which control does not simply fall through. */
function endsBlock(op: Op): boolean {
  return op === Op.Jump || op === Op.JumpIfFalse || op === Op.JumpIfTrue || op === Op.IterNext || op === Op.JumpIfArg;
}

type JitFactory = (...args: unknown[]) => JitCode;
/**
 * Generated code by its text: the same function compiled again (every run of a script compiles it
 * anew) reuses the factory, so V8 parses it once and its closures share their warmed-up code.
 */
const factories = new Map<string, JitFactory>();
const MAX_FACTORIES = 2000;

/** Compiles `fn`; null when it has no block worth compiling. */
export function compileJit(fn: CompiledFunction, helpers: JitHelpers): JitCode | null {
  const code = fn.code;
  const starts: number[] = [];
  const leaders = new Set<number>([0]);
  for (let pc = 0; pc < code.length; pc += instructionLength(code, pc)) {
    starts.push(pc);
    const op = code[pc] as Op;
    const next = pc + instructionLength(code, pc);
    if (op === Op.Jump || op === Op.JumpIfFalse || op === Op.JumpIfTrue) leaders.add(code[pc + 1]);
    if (op === Op.IterNext) leaders.add(code[pc + 3]);
    if (op === Op.JumpIfArg) leaders.add(code[pc + 2]);
    if (endsBlock(op) || !compilable(op)) leaders.add(next);
  }
  // steps-to-undo when instruction pc fails: instructions after it in its block
  const undo = new Int32Array(code.length);
  const cases: string[] = [];
  let temp = 0;
  for (const leader of starts) {
    if (!leaders.has(leader) || !compilable(code[leader] as Op)) continue;
    // the block: leader up to (and including) a block-ending instruction, or before the next leader / non-compilable one
    const block: number[] = [];
    for (let pc = leader; pc < code.length; ) {
      const op = code[pc] as Op;
      if (!compilable(op)) break;
      block.push(pc);
      const next = pc + instructionLength(code, pc);
      if (endsBlock(op) || leaders.has(next)) break;
      pc = next;
    }
    const n = block.length;
    block.forEach((pc, i) => (undo[pc] = n - i - 1));
    const out: string[] = [];
    const sym: string[] = []; // value stack above the interpreter's array, as JS variables
    const emit = (line: string): void => {
      out.push(line);
    };
    const pop = (): string => {
      const t = sym.pop();
      if (t !== undefined) return t;
      const name = `t${temp++}`;
      emit(`const ${name} = S.pop();`);
      return name;
    };
    const popN = (count: number): string[] => {
      const items = new Array<string>(count);
      for (let i = count - 1; i >= 0; i--) items[i] = pop();
      return items;
    };
    const push = (expr: string): void => {
      const name = `t${temp++}`;
      emit(`const ${name} = ${expr};`);
      sym.push(name);
    };
    const flush = (): void => {
      if (sym.length > 0) emit(`S.push(${sym.join(', ')});`);
      sym.length = 0;
    };
    /** Leaves instruction `pc` (index i of the block) to the interpreter, with its operands back on the stack. */
    const bail = (condition: string, pc: number, i: number, operands: string[]): void => {
      const back = [...sym, ...operands];
      emit(`if (${condition}) { ${back.length ? `S.push(${back.join(', ')}); ` : ''}steps -= ${n - i}; pc = ${pc}; break run; }`);
    };
    emit(`case ${leader}: {`);
    emit(`if (steps > max - ${n}) break run;`);
    emit(`steps += ${n};`);
    let ended = false;
    block.forEach((pc, i) => {
      const op = code[pc] as Op;
      const a1 = code[pc + 1];
      const a2 = code[pc + 2];
      const a3 = code[pc + 3];
      const next = pc + instructionLength(code, pc);
      if (mayFail(op)) emit(`at = ${pc};`);
      switch (op) {
        case Op.Const:
          push(`K[${a1}]`);
          break;
        case Op.Null:
          push('null');
          break;
        case Op.True:
          push('true');
          break;
        case Op.False:
          push('false');
          break;
        case Op.LoadLocal:
          push(`L[${a1}]`);
          break;
        case Op.StoreLocal:
          emit(`L[${a1}] = ${pop()};`);
          break;
        case Op.LoadMember:
          push(`F.self.members[${a1}]`);
          break;
        case Op.StoreMember:
          emit(`F.self.members[${a1}] = ${pop()};`);
          break;
        case Op.LoadSelf:
          push('F.self');
          break;
        case Op.LoadStatic:
          push(`env.classObjects[${a1}].statics[${a2}]`);
          break;
        case Op.StoreStatic:
          emit(`env.classObjects[${a1}].statics[${a2}] = ${pop()};`);
          break;
        case Op.LoadClass:
          push(`env.classObjects[${a1}]`);
          break;
        case Op.Pop:
          if (sym.length > 0) sym.pop();
          else emit('S.pop();');
          break;
        case Op.Dup: {
          const v = pop();
          sym.push(v, v);
          break;
        }
        case Op.Dup2: {
          const [x, y] = popN(2);
          sym.push(x, y, x, y);
          break;
        }
        case Op.Binary: {
          const [x, y] = popN(2);
          push(binaryExpression(a1 as BinOp, x, y));
          break;
        }
        case Op.Unary: {
          const v = pop();
          if (a1 === UnOp.Not) push(`${v} === true ? false : ${v} === false ? true : !H.truthy(${v})`);
          else if (a1 === UnOp.Negate) push(`typeof ${v} === 'number' && ${v} !== 0 ? -${v} : H.unary(${a1}, ${v})`);
          else push(`H.unary(${a1}, ${v})`);
          break;
        }
        case Op.Jump:
          flush();
          emit(`pc = ${a1}; continue;`);
          ended = true;
          break;
        case Op.JumpIfFalse:
        case Op.JumpIfTrue: {
          const c = pop();
          flush();
          const t = `${c} === true || (${c} !== false && H.truthy(${c}))`;
          emit(op === Op.JumpIfFalse ? `pc = ${t} ? ${next} : ${a1}; continue;` : `pc = ${t} ? ${a1} : ${next}; continue;`);
          ended = true;
          break;
        }
        case Op.JumpIfArg:
          flush();
          emit(`pc = F.argc > ${a1} ? ${a2} : ${next}; continue;`);
          ended = true;
          break;
        case Op.GetMember: {
          const obj = pop();
          bail(`H.needsInterpreterAccess(${obj}, N[${a1}])`, pc, i, [obj]);
          push(`H.getMember(${obj}, N[${a1}])`);
          break;
        }
        case Op.SetMember: {
          const [obj, value] = popN(2);
          bail(`H.needsInterpreterAccess(${obj}, N[${a1}])`, pc, i, [obj, value]);
          emit(`H.setMember(${obj}, N[${a1}], ${value});`);
          break;
        }
        case Op.GetIndex: {
          const [obj, index] = popN(2);
          const name = `t${temp++}`;
          emit(`let ${name};`);
          emit(
            `if (${obj} instanceof GdArray && typeof ${index} === 'number' && ${index} >= 0 && ${index} < ${obj}.items.length) ${name} = ${obj}.items[${index}];`,
          );
          emit(`else {`);
          bail(`H.needsInterpreterAccess(${obj}, ${index})`, pc, i, [obj, index]);
          emit(`${name} = H.getIndex(${obj}, ${index}); }`);
          sym.push(name);
          break;
        }
        case Op.SetIndex: {
          const [obj, index, value] = popN(3);
          bail(`H.needsInterpreterAccess(${obj}, ${index})`, pc, i, [obj, index, value]);
          emit(`H.setIndex(${obj}, ${index}, ${value}, env, G[${pc}]);`);
          break;
        }
        case Op.SetMemberValue:
        case Op.SetIndexValue: {
          const isIndex = op === Op.SetIndexValue;
          const operands = popN(isIndex ? 3 : 2);
          const obj = operands[0];
          const key = isIndex ? operands[1] : `N[${a1}]`;
          const value = operands[operands.length - 1];
          bail(`H.needsInterpreterAccess(${obj}, ${key})`, pc, i, operands);
          const name = `t${temp++}`;
          emit(`const ${name} = H.assignAndGet(${obj}, ${key}, ${value}, ${isIndex}, env, G[${pc}]);`);
          sym.push(name);
          break;
        }
        case Op.CallUtility: {
          const args = popN(a2);
          push(`H.callUtility(env, N[${a1}], [${args.join(', ')}], G[${pc}])`);
          break;
        }
        case Op.CallMethod: {
          const args = popN(a2);
          const receiver = pop();
          bail(`!H.isBuiltinCall(${receiver}, N[${a1}])`, pc, i, [receiver, ...args]);
          push(`H.callBuiltin(env, task, ${receiver}, N[${a1}], [${args.join(', ')}], G[${pc}])`);
          break;
        }
        case Op.MakeArray:
          push(`H.makeArray([${popN(a1).join(', ')}])`);
          break;
        case Op.MakeDict: {
          const items = popN(a1 * 2);
          push(`H.dictionaryFromPairs([${items.join(', ')}])`);
          break;
        }
        case Op.IterBegin: {
          const v = pop();
          emit(`L[${a1}] = H.makeIterator(${v});`);
          break;
        }
        case Op.RangeBegin: {
          const args = popN(a2);
          emit(`L[${a1}] = H.rangeIterator([${args.join(', ')}]);`);
          break;
        }
        case Op.IterNext: {
          flush();
          const v = `t${temp++}`;
          emit(`const ${v} = H.advance(L[${a1}]);`);
          emit(`if (${v} === END) { L[${a1}] = null; pc = ${a3}; } else { L[${a2}] = ${v}; pc = ${next}; }`);
          emit('continue;');
          ended = true;
          break;
        }
        case Op.IsType:
          push(`H.isOfType(${pop()}, T[${a1}])`);
          break;
        case Op.AsType: {
          const v = pop();
          push(`H.castTo(${v}, T[${a1}])`);
          break;
        }
        case Op.Convert: {
          const v = pop();
          push(`H.convert(FN, ${v}, ${a1}, ${a2}, ${a3})`);
          break;
        }
        case Op.TypeArray: {
          const v = pop();
          push(`H.typeArray(${v}, T[${a1}])`);
          break;
        }
        case Op.PushDefault:
          push(`H.defaultValue(T[${a1}])`);
          break;
        case Op.MatchEquals: {
          const [subject, pattern] = popN(2);
          push(`H.matchEquals(${subject}, ${pattern})`);
          break;
        }
        case Op.MatchArray:
        case Op.MatchDict:
          push(`H.matchSize(${op === Op.MatchArray}, ${pop()}, ${a1}, ${a2 === 1})`);
          break;
        case Op.MatchDictHas: {
          const [subject, key] = popN(2);
          push(`H.dictHas(${subject}, ${key})`);
          break;
        }
        case Op.Assert: {
          const message = a1 === 1 ? pop() : 'undefined';
          const condition = pop();
          emit(`H.assertion(${condition}, ${message});`);
          break;
        }
        default:
          throw new Error(`jit: opcode ${op} is not compilable`);
      }
    });
    if (!ended) {
      flush();
      const last = block[block.length - 1];
      emit(`pc = ${last + instructionLength(code, last)}; continue;`);
    }
    emit('}');
    cases.push(out.join('\n'));
  }
  if (cases.length === 0) return null;
  const source = `
return function jit_${fn.name.replace(/\W/g, '_')}(L, S, R, F, env, task) {
  let pc = R.pc, steps = R.steps, at = pc;
  const max = R.max;
  try {
    run: for (;;) {
      switch (pc) {
${cases.join('\n')}
        default:
          break run;
      }
    }
  } catch (e) {
    R.pc = at;
    R.steps = steps - U[at];
    throw e;
  }
  R.pc = pc;
  R.steps = steps;
};`;
  let factory = factories.get(source);
  if (!factory) {
    if (factories.size >= MAX_FACTORIES) factories.clear();
    factory = new Function('H', 'K', 'N', 'T', 'G', 'U', 'FN', 'END', 'GdArray', source) as JitFactory;
    factories.set(source, factory);
  }
  return factory(helpers, fn.consts, fn.names, fn.types, fn.ranges, undo, fn, helpers.iterationEnd, helpers.arrayClass);
}

/** JS for `a (op) b`: int fast paths inline, everything else through the interpreter's operator. */
function binaryExpression(op: BinOp, a: string, b: string): string {
  const ints = `typeof ${a} === 'number' && typeof ${b} === 'number'`;
  const slow = `H.binary(${op}, ${a}, ${b})`;
  switch (op) {
    case BinOp.Add:
      return `${ints} ? (Number.isSafeInteger(${a} + ${b}) ? ${a} + ${b} : ${slow}) : typeof ${a} === 'string' && typeof ${b} === 'string' ? H.concat(${a}, ${b}) : ${slow}`;
    case BinOp.Sub:
      return `${ints} && Number.isSafeInteger(${a} - ${b}) ? ${a} - ${b} : ${slow}`;
    case BinOp.Mul:
      return `${ints} && Number.isSafeInteger(${a} * ${b}) ? ${a} * ${b} + 0 : ${slow}`;
    case BinOp.Mod:
      return `${ints} && ${b} !== 0 ? ${a} % ${b} + 0 : ${slow}`;
    case BinOp.Div:
      return `${ints} && ${b} !== 0 ? Math.trunc(${a} / ${b}) + 0 : ${slow}`;
    case BinOp.Eq:
      return `${ints} ? ${a} === ${b} : ${slow}`;
    case BinOp.Ne:
      return `${ints} ? ${a} !== ${b} : ${slow}`;
    case BinOp.Lt:
      return `${ints} ? ${a} < ${b} : ${slow}`;
    case BinOp.Le:
      return `${ints} ? ${a} <= ${b} : ${slow}`;
    case BinOp.Gt:
      return `${ints} ? ${a} > ${b} : ${slow}`;
    case BinOp.Ge:
      return `${ints} ? ${a} >= ${b} : ${slow}`;
    default:
      return slow;
  }
}
