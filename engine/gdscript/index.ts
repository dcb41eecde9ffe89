// Public API of the GDScript language core. See README.md.

export { parse, type ParseOptions, type ParseResult } from './parser';
export { tokenize, type LexResult } from './lexer';
export type { Token, TokenKind } from './tokens';
export type { Position, Range, SyntaxProblem } from './range';
export type * as ast from './ast';
export type { ScriptNode, ScriptNode as ParsedScript } from './ast';
export { ScriptInstance, Task, type RunResult, type RunResult as TaskResult, type ScriptInstanceOptions } from './interpreter';
export {
  ScriptError, Suspend, type CallContext, type Host, type NativeClass, type NativeObject, type NativeResult,
} from './host';
export {
  GdArray, GdCallable, GdClassRef, GdDictionary, GdFloat, GdPackedByteArray, PackedByteArray, GdScriptObject, VariantType,
  className, isArray, isBool, isBytes, isCallable, isClassRef, isDictionary, isFloat, isInt, isNativeObject, isNil,
  isNumber, isScriptObject, isString, makeArray, makeBool, makeBytes, makeDictionary, makeFloat, makeInt, makeString,
  toNumber, typeName, typeNameOf, variantType, type Value,
} from './values';
export { stringify, formatFloat } from './stringify';
export { truthy, equals } from './operators';
