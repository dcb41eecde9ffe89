// The bytecode the compiler (compiler.ts) produces and the interpreter (interpreter.ts) executes.
//
// A function's code is a flat Int32Array: an opcode followed by its operands. The interpreter keeps
// an explicit stack of frames (no JS recursion), so a script can be paused after any instruction
// and resumed later — that is what lets two peers share one Node.js thread.

import type { Range, SyntaxProblem } from './range';
import type { TypeSpec } from './types';
import type { Value } from './values';

/** Opcodes. Operands are listed in brackets; "pops"/"pushes" describe the value stack. */
export const enum Op {
  /** [const] pushes consts[const] */
  Const,
  Null,
  True,
  False,
  /** [slot] pushes locals[slot] */
  LoadLocal,
  /** [slot] pops into locals[slot] */
  StoreLocal,
  /** [slot] pushes the script member variable */
  LoadMember,
  /** [slot] pops into the script member variable */
  StoreMember,
  LoadSelf,
  /** [name] pushes a global class/singleton or a property of the native base; error if unknown */
  LoadGlobal,
  /** [name] pops into a property of the native base */
  StoreGlobal,
  Pop,
  /** duplicates the top value */
  Dup,
  /** duplicates the top two values */
  Dup2,
  /** [BinOp] pops b, a; pushes a (op) b */
  Binary,
  /** [UnOp] */
  Unary,
  /** [target] */
  Jump,
  /** [target] pops a condition */
  JumpIfFalse,
  /** [target] pops a condition */
  JumpIfTrue,
  /** [name] pops object; pushes object.name */
  GetMember,
  /** [name] pops value, object; object.name = value */
  SetMember,
  /** pops index, object; pushes object[index] */
  GetIndex,
  /** pops value, index, object; object[index] = value */
  SetIndex,
  /** [function, argc] calls a function of this script on self */
  CallScript,
  /** [name, argc] calls a global utility function or builtin type constructor */
  CallUtility,
  /** [name, argc] calls a method of the native base class on self */
  CallSelf,
  /** [name, argc] pops args and receiver; calls receiver.name(args) */
  CallMethod,
  /** [name, argc] super.name(args) */
  CallSuper,
  /** [count] */
  MakeArray,
  /** [pairs] */
  MakeDict,
  /** [iteratorSlot] pops an iterable, stores an iterator */
  IterBegin,
  /** [iteratorSlot, variableSlot, exitTarget] next value into variableSlot, or jump to exit */
  IterNext,
  /** [iteratorSlot, argc] pops range() arguments, stores an int iterator (for i in range(...)) */
  RangeBegin,
  /** pops the return value */
  Return,
  /** [type] pops v; pushes v is type */
  IsType,
  /** [type] pops v; pushes v as type */
  AsType,
  /** [type, mode, extra] converts the top value for a typed variable (mode: ConvertMode) */
  Convert,
  /** [type] pushes the default value of a type */
  PushDefault,
  /** pops pattern, subject; pushes whether they match (same type and equal) */
  MatchEquals,
  /** [count, hasRest] pops subject; pushes whether it is an Array of that size */
  MatchArray,
  /** [count, hasRest] pops subject; pushes whether it is a Dictionary of that size */
  MatchDict,
  /** pops key, subject; pushes subject.has(key) */
  MatchDictHas,
  /** [hasMessage] pops message?, condition */
  Assert,
  /** [lambda, captureCount, (lambdaSlot, localSlot)...] pushes a Callable */
  MakeLambda,
  /** [name] pushes a Callable for a function of this script */
  MakeCallable,
  /** [paramIndex, target] jumps when the caller passed argument paramIndex (skips its default) */
  JumpIfArg,
  /** [message const] raises a runtime error */
  Fail,
}

export const enum ConvertMode {
  Variable = 0,
  /** extra = parameter index */
  Argument = 1,
  Return = 2,
}

export interface CompiledFunction {
  name: string;
  code: Int32Array;
  consts: Value[];
  names: string[];
  types: TypeSpec[];
  /** Lambdas defined in this function (MakeLambda operands index this). */
  lambdas: CompiledFunction[];
  /** Range of the expression/statement each instruction belongs to, indexed by instruction start. */
  ranges: (Range | undefined)[];
  /** Range of the statement (for loops/ifs: their header) each instruction belongs to. */
  statementRanges: (Range | undefined)[];
  localCount: number;
  paramCount: number;
  requiredParams: number;
  isStatic: boolean;
  /** Declaration range. */
  range: Range;
}

export interface MemberInfo {
  name: string;
  type: TypeSpec | undefined;
  isConst: boolean;
  range: Range;
}

export interface CompiledScript {
  className: string | undefined;
  extendsName: string | undefined;
  extendsRange: Range | undefined;
  range: Range;
  functions: CompiledFunction[];
  functionIndex: Map<string, number>;
  members: MemberInfo[];
  memberIndex: Map<string, number>;
  /** Class constants and enums folded at compile time. */
  constants: Map<string, Value>;
  /** Runs member initializers, then _init(). */
  initializer: CompiledFunction;
  signals: Set<string>;
  /** Problems found while compiling (e.g. assigning to a constant); the code raises them if reached. */
  problems: SyntaxProblem[];
}
