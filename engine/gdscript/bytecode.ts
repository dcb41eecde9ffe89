// The bytecode the compiler (compiler.ts) produces and the interpreter (interpreter.ts) executes.
//
// A function's code is a flat Int32Array: an opcode followed by its operands. The interpreter keeps
// an explicit stack of frames (no JS recursion), so a script can be paused after any instruction
// and resumed later — that is what lets two peers share one Node.js thread, and what `await` uses.

import type { Range, SyntaxProblem } from './range';
import type { TypeSpec } from './types';
import type { Value } from './values';
import type { JitCode } from './jit';

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
  /** [slot] pushes a member variable of self (no accessor) */
  LoadMember,
  /** [slot] pops into a member variable of self (no accessor) */
  StoreMember,
  LoadSelf,
  /** [name] pushes a global class/singleton or a property of the native base; error if unknown */
  LoadGlobal,
  /** [name] pops into a property of the native base */
  StoreGlobal,
  /** [class, slot] pushes a static variable */
  LoadStatic,
  /** [class, slot] pops into a static variable */
  StoreStatic,
  /** [class] pushes a script class (for Inner.new(), Inner.CONSTANT, ...) */
  LoadClass,
  /** [name] pushes the Signal `name` of self */
  LoadSignal,
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
  /** [name] pops object; pushes object.name (script objects: through the getter) */
  GetMember,
  /** [name] pops value, object; object.name = value (script objects: through the setter) */
  SetMember,
  /** pops index, object; pushes object[index] */
  GetIndex,
  /** pops value, index, object; object[index] = value */
  SetIndex,
  /** [name, argc] calls a method of self's class with virtual dispatch: `f(args)` */
  CallSelfMethod,
  /** [class, name, argc] calls a function of a known class without virtual dispatch (static functions, super.f(), inline accessors) */
  CallFunction,
  /** [name, argc] calls a global utility function or builtin type constructor */
  CallUtility,
  /** [name, argc] calls a method of the native base class (or an Object method) on self */
  CallNative,
  /** [name, argc] pops args and receiver; calls receiver.name(args) */
  CallMethod,
  /** [name, argc] super.name(args) when the parent is a native class */
  CallSuperNative,
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
  /** [name] pushes a Callable for a method of self (or of the class, in a static function) */
  MakeCallable,
  /** [class, name] pushes a Callable for a static function of a known class */
  MakeStaticCallable,
  /** [paramIndex, target] jumps when the caller passed argument paramIndex (skips its default) */
  JumpIfArg,
  /** [message const] raises a runtime error */
  Fail,
  /** pops a Signal or coroutine state; suspends this function until it emits/completes; pushes the result */
  Await,
  /** [path const] pushes get_node(path) of the native base, or fails: the sandbox has no scene tree */
  GetNode,
  /** [type] pops an Array made by a literal; pushes it as a typed Array[T] (elements checked) */
  TypeArray,
  /**
   * [name] pops value, object; object.name = value; pushes the object's new value (a modified copy
   * for Vector2/Color/Rect2, which are immutable; the object itself otherwise), which the compiler
   * stores back into the variable: `velocity.x = 0`
   */
  SetMemberValue,
  /** pops value, index, object; object[index] = value; pushes the object's new value (as SetMemberValue): `v[0] = 1` */
  SetIndexValue,
}

/** Length of the instruction at `pc` in code units (opcode plus operands). */
export function instructionLength(code: Int32Array, pc: number): number {
  switch (code[pc] as Op) {
    case Op.Null: case Op.True: case Op.False: case Op.LoadSelf: case Op.Pop: case Op.Dup: case Op.Dup2:
    case Op.GetIndex: case Op.SetIndex: case Op.SetIndexValue: case Op.Return: case Op.MatchEquals: case Op.MatchDictHas: case Op.Await:
      return 1;
    case Op.LoadStatic: case Op.StoreStatic: case Op.CallSelfMethod: case Op.CallUtility: case Op.CallNative:
    case Op.CallMethod: case Op.CallSuperNative: case Op.RangeBegin: case Op.MatchArray: case Op.MatchDict:
    case Op.MakeStaticCallable: case Op.JumpIfArg:
      return 3;
    case Op.CallFunction: case Op.IterNext: case Op.Convert:
      return 4;
    case Op.MakeLambda:
      return 3 + code[pc + 2] * 2;
    case Op.Const: case Op.LoadLocal: case Op.StoreLocal: case Op.LoadMember: case Op.StoreMember: case Op.LoadGlobal:
    case Op.StoreGlobal: case Op.LoadClass: case Op.LoadSignal: case Op.Binary: case Op.Unary: case Op.Jump:
    case Op.JumpIfFalse: case Op.JumpIfTrue: case Op.GetMember: case Op.SetMember: case Op.SetMemberValue:
    case Op.MakeArray: case Op.MakeDict: case Op.IterBegin: case Op.IsType: case Op.AsType: case Op.PushDefault:
    case Op.Assert: case Op.MakeCallable: case Op.Fail: case Op.GetNode: case Op.TypeArray:
      return 2;
    default:
      // A new opcode must be added above (jit.ts walks the code with this).
      throw new Error(`instructionLength: unknown opcode ${code[pc]} at ${pc}`);
  }
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
  /** Index of the class that declares the function (CompiledScript.classes). */
  classIndex: number;
  paramNames: string[];
  /** Compiled blocks of this function (jit.ts): undefined until it gets hot, null if nothing compiles. */
  jit: JitCode | null | undefined;
  /** Calls and loop iterations seen by the interpreter, until the function is compiled. */
  hotness: number;
}

export interface MemberInfo {
  name: string;
  type: TypeSpec | undefined;
  isConst: boolean;
  range: Range;
}

/** How a property's value is read or written: directly, or by an accessor function. */
export interface Accessor {
  /** Inline `set(v):` / `get:` body. */
  fn?: CompiledFunction;
  /** `set = method` / `get = method`: looked up on the object's class (virtual). */
  method?: string;
}

export interface PropertyInfo {
  slot: number;
  getter?: Accessor;
  setter?: Accessor;
}

export interface SignalInfo {
  name: string;
  params: string[];
  range: Range;
}

export interface CompiledClass {
  /** Position in CompiledScript.classes. */
  index: number;
  /** class_name, inner class name, or undefined for a script without class_name. */
  name: string | undefined;
  /** The script class this one extends, if any. */
  parent: CompiledClass | undefined;
  /** Enclosing class of an inner class. */
  outer: CompiledClass | undefined;
  /** The native class at the root of the inheritance chain (`extends Node`); undefined means RefCounted. */
  nativeBase: string | undefined;
  extendsName: string | undefined;
  extendsRange: Range | undefined;
  range: Range;
  /** Functions declared in this class. */
  functions: Map<string, CompiledFunction>;
  /** Functions callable on instances of this class: its own and inherited ones (virtual table). */
  methods: Map<string, CompiledFunction>;
  /** Instance variables, inherited ones first. */
  members: MemberInfo[];
  memberIndex: Map<string, number>;
  properties: Map<string, PropertyInfo>;
  /** Constants and enums (own and inherited). */
  constants: Map<string, Value>;
  /** Static variables declared in this class. */
  staticVars: MemberInfo[];
  staticIndex: Map<string, number>;
  /** Signals (own and inherited). */
  signals: Map<string, SignalInfo>;
  innerClasses: Map<string, CompiledClass>;
  /** Member initializers of this class (not the parent's), without @onready ones. */
  initializer: CompiledFunction;
  /** @onready initializers of this class, run right before _ready(). */
  readyInitializer: CompiledFunction | undefined;
  /** Static variable initializers, then _static_init(). */
  staticInitializer: CompiledFunction | undefined;
}

export interface CompiledScript {
  /** The script's own class. */
  main: CompiledClass;
  /** Every class: the script's first, then the inner classes. */
  classes: CompiledClass[];
  /** Problems found while compiling (e.g. assigning to a constant); the code raises them if reached. */
  problems: SyntaxProblem[];
  // Shortcuts to the main class:
  className: string | undefined;
  extendsName: string | undefined;
  extendsRange: Range | undefined;
  range: Range;
}
