// Public API of the GDScript language core. See README.md.

export { parse, type ParseOptions, type ParseResult } from './parser';
export { tokenize, type LexResult } from './lexer';
export type { Token, TokenKind } from './tokens';
export type { Position, QuickFix, Range, SyntaxProblem, TextEdit } from './range';
export type * as ast from './ast';
export type { ScriptNode, ScriptNode as ParsedScript } from './ast';
export {
  Coroutine, ScriptClass, ScriptInstance, ScriptObject, Task, emitSignal, MAX_FRAMES, type RunResult, type RunResult as TaskResult,
  type ScriptInstanceOptions, type StackEntry,
} from './interpreter';
export {
  ScriptError, Suspend, type CallContext, type Host, type NativeClass, type NativeObject, type NativeResult,
} from './host';
export {
  GdArray, GdCallable, GdClassRef, GdDictionary, GdFloat, GdNodePath, GdPackedByteArray, PackedByteArray, GdScriptObject,
  GdSignal, GdStringName, MAX_COLLECTION_SIZE, VariantType, className, isArray, isBool, isBytes, isCallable, isClassRef,
  isDictionary, isFloat, isInt, isNativeObject, isNil, isNumber, isScriptObject, isSignal, isString, isStringLike,
  isStringName, makeArray, makeBool, makeBytes, makeDictionary, makeFloat, makeInt, makeString, stringValue, toNumber,
  typeName, typeNameOf, variantType, type Value,
} from './values';
export { GdBuiltinValue, isBuiltinValue } from './values';
export { GdVector, VECTOR2, VECTOR2I, VECTOR3, VECTOR3I, VECTOR4, VECTOR4I, makeVector, type VectorKind } from './vectors';
export { GdColor } from './color';
export { GdRect, RECT2, RECT2I } from './rect';
export {
  GdPackedArray, PACKED_COLOR, PACKED_FLOAT32, PACKED_FLOAT64, PACKED_INT32, PACKED_INT64, PACKED_STRING, PACKED_VECTOR2,
  PACKED_VECTOR3, PACKED_VECTOR4, type PackedKind,
} from './packed-arrays';
export { stringify, formatFloat } from './stringify';
export { truthy, equals } from './operators';
export { printScript } from './printer';
