// Operators on the builtin value types (vectors, Color, Rect2, packed arrays), as Godot 4's Variant
// evaluator defines them: component-wise + - * / between vectors of the same kind, vector * / scalar
// (Vector2i * float gives a Vector2), `%` for integer vectors, lexicographic < <= > >= for vectors,
// == and != within one type (another type is an error, null is never equal), Color arithmetic,
// `+` concatenating packed arrays, `in` on packed arrays. operators.ts calls valueTypeBinary() only
// when an operand is a GdBuiltinValue, so the int/float paths never come here.

import { GdColor } from './color';
import { ScriptError } from './host';
import { BIN_OP_SYMBOL, BinOp, UnOp, containerEquals } from './operators';
import { GdPackedArray } from './packed-arrays';
import { GdVector, floatKindOf } from './vectors';
import { GdBuiltinValue, GdFloat, checkCollectionSize, isStringLike, typeName, type Value } from './values';

function invalidOperands(op: BinOp, a: Value, b: Value): never {
  throw new ScriptError(`Invalid operands '${typeName(a)}' and '${typeName(b)}' in operator '${BIN_OP_SYMBOL[op]}'.`);
}

function scalar(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GdFloat) return v.value;
  return undefined;
}

/** Integer division/modulo of int32 components, with Godot's errors for a zero divisor. */
function intDivide(op: BinOp, x: number, y: number): number {
  if (y === 0) throw new ScriptError(op === BinOp.Div ? "Division by zero error in operator '/'." : "Modulo by zero error in operator '%'.");
  return op === BinOp.Div ? Math.trunc(x / y) : x % y;
}

function componentOp(op: BinOp, x: number, y: number, integer: boolean): number | undefined {
  switch (op) {
    case BinOp.Add: return x + y;
    case BinOp.Sub: return x - y;
    case BinOp.Mul: return x * y;
    case BinOp.Div: return integer ? intDivide(op, x, y) : x / y;
    case BinOp.Mod: return integer ? intDivide(op, x, y) : undefined;
  }
  return undefined;
}

function vectorLess(a: GdVector, b: GdVector): number {
  for (let i = 0; i < a.c.length; i++) if (a.c[i] !== b.c[i]) return a.c[i] < b.c[i] ? -1 : 1;
  return 0;
}

function vectorOp(op: BinOp, a: Value, b: Value): Value {
  if (a instanceof GdVector && b instanceof GdVector) {
    if (a.kind !== b.kind) return invalidOperands(op, a, b);
    switch (op) {
      case BinOp.Lt: return vectorLess(a, b) < 0;
      case BinOp.Le: return vectorLess(a, b) <= 0;
      case BinOp.Gt: return vectorLess(a, b) > 0;
      case BinOp.Ge: return vectorLess(a, b) >= 0;
    }
    if (componentOp(op, 1, 1, a.kind.integer) === undefined) return invalidOperands(op, a, b);
    return a.map((x, i) => componentOp(op, x, b.c[i], a.kind.integer) as number);
  }
  // vector (op) scalar, scalar * vector
  const vector = a instanceof GdVector ? a : (b as GdVector);
  const other = a instanceof GdVector ? b : a;
  const s = scalar(other);
  const commutes = op === BinOp.Mul;
  const allowed = a instanceof GdVector ? op === BinOp.Mul || op === BinOp.Div || (op === BinOp.Mod && vector.kind.integer) : commutes;
  if (s === undefined || !allowed) return invalidOperands(op, a, b);
  // Integer vectors with a float scalar give a float vector (Vector2i * 1.5 → Vector2).
  const floatResult = vector.kind.integer && other instanceof GdFloat;
  if (op === BinOp.Mod && other instanceof GdFloat) return invalidOperands(op, a, b);
  const kind = floatResult ? floatKindOf(vector.kind) : vector.kind;
  return new GdVector(kind, vector.c.map((x) => componentOp(op, x, s, kind.integer) as number));
}

function colorOp(op: BinOp, a: Value, b: Value): Value {
  if (a instanceof GdColor && b instanceof GdColor) {
    if (op === BinOp.Mod) return invalidOperands(op, a, b);
    const x = a.components;
    const y = b.components;
    const r = x.map((v, i) => componentOp(op, v, y[i], false));
    if (r.some((v) => v === undefined)) return invalidOperands(op, a, b);
    return new GdColor(r[0] as number, r[1] as number, r[2] as number, r[3] as number);
  }
  const color = a instanceof GdColor ? a : (b as GdColor);
  const s = scalar(a instanceof GdColor ? b : a);
  const allowed = a instanceof GdColor ? op === BinOp.Mul || op === BinOp.Div : op === BinOp.Mul;
  if (s === undefined || !allowed) return invalidOperands(op, a, b);
  const c = color.components.map((v) => (op === BinOp.Mul ? v * s : v / s));
  return new GdColor(c[0], c[1], c[2], c[3]);
}

/**
 * `a (op) b` when a or b is a vector, Color, Rect2 or packed array. Returns undefined when the
 * generic code handles it (`v in array`, `"%s" % v`).
 */
export function valueTypeBinary(op: BinOp, a: Value, b: Value): Value | undefined {
  switch (op) {
    case BinOp.Eq:
    case BinOp.Ne: {
      if (a === null || b === null) return op === BinOp.Ne;
      if (!(a instanceof GdBuiltinValue) || !(b instanceof GdBuiltinValue) || a.typeName !== b.typeName) return invalidOperands(op, a, b);
      return a.sameAs(b) === (op === BinOp.Eq);
    }
    case BinOp.In:
    case BinOp.NotIn:
      if (b instanceof GdPackedArray) {
        const found = b.items.some((x) => containerEquals(x, b.kind.convert(a) ?? a));
        return found === (op === BinOp.In);
      }
      return undefined; // a vector in an Array/Dictionary: the generic `in`
    case BinOp.Mod:
      if (isStringLike(a)) return undefined; // "format" % value
  }
  if (a instanceof GdVector || b instanceof GdVector) {
    if ((a instanceof GdVector || scalar(a) !== undefined) && (b instanceof GdVector || scalar(b) !== undefined)) return vectorOp(op, a, b);
    return invalidOperands(op, a, b);
  }
  if (a instanceof GdColor || b instanceof GdColor) {
    if ((a instanceof GdColor || scalar(a) !== undefined) && (b instanceof GdColor || scalar(b) !== undefined)) return colorOp(op, a, b);
    return invalidOperands(op, a, b);
  }
  if (op === BinOp.Add && a instanceof GdPackedArray && b instanceof GdPackedArray && a.kind === b.kind) {
    checkCollectionSize('Array', a.items.length + b.items.length);
    return new GdPackedArray(a.kind, a.items.concat(b.items));
  }
  return invalidOperands(op, a, b);
}

/** `-v`, `+v` on vectors and Color (Color's `-` gives 1 - each component, like Godot). */
export function valueTypeUnary(op: UnOp, v: GdBuiltinValue): Value | undefined {
  if (v instanceof GdVector) {
    if (op === UnOp.Negate) return v.map((x) => -x);
    if (op === UnOp.Positive) return v;
  }
  if (v instanceof GdColor) {
    if (op === UnOp.Negate) return new GdColor(1 - v.r, 1 - v.g, 1 - v.b, 1 - v.a);
    if (op === UnOp.Positive) return v;
  }
  return undefined;
}
