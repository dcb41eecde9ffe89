// Godot's operator semantics (Variant::evaluate): int vs float arithmetic, string concatenation and
// formatting, comparisons, `in`, truthiness. Invalid combinations throw ScriptError with Godot's wording.

import { ScriptError } from './host';
import { stringify } from './stringify';
import {
  GdArray, GdCallable, GdDictionary, GdFloat, GdPackedByteArray, makeFloat, makeInt, typeName, type Value,
} from './values';

/** Binary operators as used in bytecode. */
export const enum BinOp {
  Add, Sub, Mul, Div, Mod, Pow, Shl, Shr, BitAnd, BitOr, BitXor, Eq, Ne, Lt, Le, Gt, Ge, In, NotIn,
}

export const BIN_OP_SYMBOL: readonly string[] = [
  '+', '-', '*', '/', '%', '**', '<<', '>>', '&', '|', '^', '==', '!=', '<', '<=', '>', '>=', 'in', 'not in',
];

const BIN_OP_BY_SYMBOL: Record<string, BinOp> = Object.fromEntries(BIN_OP_SYMBOL.map((s, i) => [s, i]));
export function binOpFromSymbol(symbol: string): BinOp {
  const op = BIN_OP_BY_SYMBOL[symbol];
  if (op === undefined) throw new Error(`unknown operator ${symbol}`);
  return op;
}

function invalid(op: BinOp, a: Value, b: Value): never {
  throw new ScriptError(`Invalid operands '${typeName(a)}' and '${typeName(b)}' in operator '${BIN_OP_SYMBOL[op]}'.`);
}

// ---- int helpers (64-bit wrap-around) --------------------------------------------------------

function wrap(r: number, big: () => bigint): number {
  return Number.isSafeInteger(r) ? r : Number(BigInt.asIntN(64, big()));
}
export function intAdd(a: number, b: number): number {
  return wrap(a + b, () => BigInt(a) + BigInt(b));
}
export function intSub(a: number, b: number): number {
  return wrap(a - b, () => BigInt(a) - BigInt(b));
}
export function intMul(a: number, b: number): number {
  const r = a * b;
  return r === 0 ? 0 : wrap(r, () => BigInt(a) * BigInt(b));
}
function intBits(op: BinOp, a: number, b: number): number {
  if ((op === BinOp.BitAnd || op === BinOp.BitOr || op === BinOp.BitXor) && (a | 0) === a && (b | 0) === b) {
    return op === BinOp.BitAnd ? a & b : op === BinOp.BitOr ? a | b : a ^ b;
  }
  const x = BigInt(a);
  const y = BigInt(b);
  switch (op) {
    case BinOp.BitAnd: return Number(BigInt.asIntN(64, x & y));
    case BinOp.BitOr: return Number(BigInt.asIntN(64, x | y));
    case BinOp.BitXor: return Number(BigInt.asIntN(64, x ^ y));
    case BinOp.Shl:
      if (b < 0) throw new ScriptError('Invalid operands for bit shifting. Only positive operands are supported.');
      return Number(BigInt.asIntN(64, x << BigInt(Math.min(b, 64))));
    default:
      if (b < 0) throw new ScriptError('Invalid operands for bit shifting. Only positive operands are supported.');
      return Number(BigInt.asIntN(64, x >> BigInt(Math.min(b, 64))));
  }
}
function intPow(a: number, b: number): number {
  if (b < 0) return makeInt(Math.pow(a, b));
  const r = Math.pow(a, b);
  if (Number.isSafeInteger(r)) return r;
  return Number(BigInt.asIntN(64, BigInt(a) ** BigInt(b)));
}

// ---- truthiness and equality -----------------------------------------------------------------

/** Variant::booleanize: what `if v:` and `not v` see. */
export function truthy(v: Value): boolean {
  if (v === null) return false;
  switch (typeof v) {
    case 'boolean': return v;
    case 'number': return v !== 0;
    case 'string': return v.length > 0;
  }
  if (v instanceof GdFloat) return v.value !== 0;
  if (v instanceof GdArray) return v.items.length > 0;
  if (v instanceof GdDictionary) return v.size > 0;
  if (v instanceof GdPackedByteArray) return v.size > 0;
  return true; // objects, callables, classes
}

/**
 * Strict structural equality used for containers and `match` (types must be the same, except that
 * both sides may be objects). Returns false for different types instead of throwing.
 */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof GdFloat) return b instanceof GdFloat && a.value === b.value;
  if (a instanceof GdArray) {
    if (!(b instanceof GdArray) || a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) if (!sameValue(a.items[i], b.items[i])) return false;
    return true;
  }
  if (a instanceof GdDictionary) {
    if (!(b instanceof GdDictionary) || a.size !== b.size) return false;
    for (const [k, v] of a.entries()) {
      const other = b.get(k);
      if (other === undefined || !sameValue(v, other)) return false;
    }
    return true;
  }
  if (a instanceof GdPackedByteArray) {
    if (!(b instanceof GdPackedByteArray) || a.size !== b.size) return false;
    const x = a.bytes;
    const y = b.bytes;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  if (a instanceof GdCallable) {
    return b instanceof GdCallable && !a.lambda && !b.lambda && a.target === b.target && a.name === b.name;
  }
  return false; // distinct objects
}

function isObjectLike(v: Value): boolean {
  return typeof v === 'object' && v !== null && !(v instanceof GdFloat) && !(v instanceof GdArray) &&
    !(v instanceof GdDictionary) && !(v instanceof GdPackedByteArray) && !(v instanceof GdCallable);
}

/** `a == b` with Godot's rules: int/float compare numerically, null compares with anything, other mixes are errors. */
export function equals(a: Value, b: Value, op: BinOp = BinOp.Eq): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'number') {
    if (tb === 'number') return false;
    if (b instanceof GdFloat) return (a as number) === b.value;
    return invalid(op, a, b);
  }
  if (a instanceof GdFloat) {
    if (tb === 'number') return a.value === b;
    if (b instanceof GdFloat) return a.value === b.value;
    return invalid(op, a, b);
  }
  if (ta === 'string' || tb === 'string' || ta === 'boolean' || tb === 'boolean') {
    if (ta === tb) return false; // same primitive type, not ===
    return invalid(op, a, b);
  }
  if (isObjectLike(a) && isObjectLike(b)) return false; // identity already compared
  if (typeName(a) !== typeName(b)) return invalid(op, a, b);
  return sameValue(a, b);
}

function compare(op: BinOp, a: Value, b: Value): boolean {
  let x: number | string;
  let y: number | string;
  if (typeof a === 'number' || a instanceof GdFloat) {
    if (typeof b !== 'number' && !(b instanceof GdFloat)) return invalid(op, a, b);
    x = typeof a === 'number' ? a : a.value;
    y = typeof b === 'number' ? b : b.value;
  } else if (typeof a === 'string' && typeof b === 'string') {
    x = a;
    y = b;
  } else if (typeof a === 'boolean' && typeof b === 'boolean') {
    x = Number(a);
    y = Number(b);
  } else if (a instanceof GdArray && b instanceof GdArray) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      if (!equals(a.items[i], b.items[i])) {
        return compare(op, a.items[i], b.items[i]);
      }
    }
    x = a.items.length;
    y = b.items.length;
  } else {
    return invalid(op, a, b);
  }
  switch (op) {
    case BinOp.Lt: return x < y;
    case BinOp.Le: return x <= y;
    case BinOp.Gt: return x > y;
    default: return x >= y;
  }
}

/** `needle in haystack` */
export function contains(haystack: Value, needle: Value, op: BinOp = BinOp.In): boolean {
  if (haystack instanceof GdArray) return haystack.items.some((x) => looselyEqual(x, needle));
  if (haystack instanceof GdDictionary) return haystack.has(needle);
  if (typeof haystack === 'string') {
    if (typeof needle !== 'string') return invalid(op, needle, haystack);
    return haystack.includes(needle);
  }
  if (haystack instanceof GdPackedByteArray) {
    if (typeof needle !== 'number') return false;
    return haystack.bytes.includes(needle);
  }
  if (typeof haystack === 'object' && haystack !== null && 'getProperty' in haystack && typeof needle === 'string') {
    return typeof haystack.getProperty === 'function' && haystack.getProperty(needle) !== undefined;
  }
  return invalid(op, needle, haystack);
}

/** Equality used by Array.has()/find()/erase() and `in`: numeric int/float equality, never throws. */
export function looselyEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && b instanceof GdFloat) return a === b.value;
  if (a instanceof GdFloat && typeof b === 'number') return a.value === b;
  return sameValue(a, b);
}

// ---- binary and unary operators --------------------------------------------------------------

export function binaryOperation(op: BinOp, a: Value, b: Value): Value {
  // int (op) int
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case BinOp.Add: return intAdd(a, b);
      case BinOp.Sub: return intSub(a, b);
      case BinOp.Mul: return intMul(a, b);
      case BinOp.Div:
        if (b === 0) throw new ScriptError("Division by zero error in operator '/'.");
        return makeInt(a / b);
      case BinOp.Mod:
        if (b === 0) throw new ScriptError("Modulo by zero error in operator '%'.");
        return makeInt(a % b);
      case BinOp.Pow: return intPow(a, b);
      case BinOp.Shl: case BinOp.Shr: case BinOp.BitAnd: case BinOp.BitOr: case BinOp.BitXor:
        return intBits(op, a, b);
      case BinOp.Eq: return a === b;
      case BinOp.Ne: return a !== b;
      case BinOp.Lt: return a < b;
      case BinOp.Le: return a <= b;
      case BinOp.Gt: return a > b;
      case BinOp.Ge: return a >= b;
    }
  }
  switch (op) {
    case BinOp.Eq: return equals(a, b, op);
    case BinOp.Ne: return !equals(a, b, op);
    case BinOp.Lt: case BinOp.Le: case BinOp.Gt: case BinOp.Ge: return compare(op, a, b);
    case BinOp.In: return contains(b, a, op);
    case BinOp.NotIn: return !contains(b, a, op);
  }
  // float arithmetic (at least one float, the other int or float)
  if ((typeof a === 'number' || a instanceof GdFloat) && (typeof b === 'number' || b instanceof GdFloat)) {
    const x = typeof a === 'number' ? a : a.value;
    const y = typeof b === 'number' ? b : b.value;
    switch (op) {
      case BinOp.Add: return makeFloat(x + y);
      case BinOp.Sub: return makeFloat(x - y);
      case BinOp.Mul: return makeFloat(x * y);
      case BinOp.Div: return makeFloat(x / y);
      case BinOp.Pow: return makeFloat(Math.pow(x, y));
    }
    return invalid(op, a, b);
  }
  if (op === BinOp.Add) {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (a instanceof GdArray && b instanceof GdArray) return new GdArray(a.items.concat(b.items), a.elementType);
    if (a instanceof GdPackedByteArray && b instanceof GdPackedByteArray) {
      const r = GdPackedByteArray.from(a.bytes);
      r.appendBytes(b.bytes);
      return r;
    }
  }
  if (op === BinOp.Mod && typeof a === 'string') return formatString(a, b);
  return invalid(op, a, b);
}

export const enum UnOp {
  Negate, Positive, Not, BitNot,
}
const UN_OP_SYMBOL = ['-', '+', 'not', '~'];

export function unaryOperation(op: UnOp, v: Value): Value {
  if (op === UnOp.Not) return !truthy(v);
  if (typeof v === 'number') {
    if (op === UnOp.Negate) return intSub(0, v);
    if (op === UnOp.Positive) return v;
    return (v | 0) === v ? ~v : Number(BigInt.asIntN(64, ~BigInt(v)));
  }
  if (v instanceof GdFloat && op !== UnOp.BitNot) return op === UnOp.Negate ? makeFloat(-v.value) : v;
  throw new ScriptError(`Invalid operand of type '${typeName(v)}' for unary operator '${UN_OP_SYMBOL[op]}'.`);
}

// ---- String % args -------------------------------------------------------------------------

/** Godot's `"format" % args` (String::sprintf): %s %d %i %f %x %X %o %c %%, flags - + 0, width, precision, *. */
export function formatString(format: string, argsValue: Value): string {
  const args = argsValue instanceof GdArray ? argsValue.items : [argsValue];
  let argIndex = 0;
  const nextArg = (): Value => {
    if (argIndex >= args.length) throw new ScriptError('String formatting error: not enough arguments for format string.');
    return args[argIndex++];
  };
  const asNumber = (v: Value, conv: string): number => {
    if (typeof v === 'number') return v;
    if (v instanceof GdFloat) return v.value;
    throw new ScriptError(`String formatting error: a number is required for %${conv}.`);
  };
  let out = '';
  let i = 0;
  while (i < format.length) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    if (format[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    let leftAlign = false;
    let zeroPad = false;
    let plus = false;
    for (; i < format.length; i++) {
      if (format[i] === '-') leftAlign = true;
      else if (format[i] === '0') zeroPad = true;
      else if (format[i] === '+') plus = true;
      else break;
    }
    let width = 0;
    if (format[i] === '*') {
      width = asNumber(nextArg(), '*');
      i++;
    } else {
      while (format[i] >= '0' && format[i] <= '9') width = width * 10 + Number(format[i++]);
    }
    let precision = -1;
    if (format[i] === '.') {
      i++;
      precision = 0;
      if (format[i] === '*') {
        precision = asNumber(nextArg(), '*');
        i++;
      } else {
        while (format[i] >= '0' && format[i] <= '9') precision = precision * 10 + Number(format[i++]);
      }
    }
    const conv = format[i++];
    let s: string;
    switch (conv) {
      case 's':
        s = stringify(nextArg());
        break;
      case 'd':
      case 'i': {
        const n = Math.trunc(asNumber(nextArg(), conv));
        s = String(Math.abs(n));
        if (precision > 0) s = s.padStart(precision, '0');
        s = (n < 0 ? '-' : plus ? '+' : '') + s;
        break;
      }
      case 'f': {
        const n = asNumber(nextArg(), conv);
        s = Math.abs(n).toFixed(precision < 0 ? 6 : precision);
        s = (n < 0 ? '-' : plus ? '+' : '') + s;
        break;
      }
      case 'x':
      case 'X':
      case 'o': {
        const n = Math.trunc(asNumber(nextArg(), conv));
        s = Math.abs(n).toString(conv === 'o' ? 8 : 16);
        if (conv === 'X') s = s.toUpperCase();
        if (precision > 0) s = s.padStart(precision, '0');
        s = (n < 0 ? '-' : plus ? '+' : '') + s;
        break;
      }
      case 'c': {
        const v = nextArg();
        s = typeof v === 'string' ? v.slice(0, 1) : String.fromCodePoint(Math.trunc(asNumber(v, conv)));
        break;
      }
      default:
        throw new ScriptError(`String formatting error: unsupported format character "${conv ?? ''}".`);
    }
    if (s.length < width) {
      if (leftAlign) s = s.padEnd(width, ' ');
      else if (zeroPad && conv !== 's' && conv !== 'c') {
        const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
        s = sign + s.slice(sign.length).padStart(width - sign.length, '0');
      } else s = s.padStart(width, ' ');
    }
    out += s;
  }
  if (argIndex < args.length) throw new ScriptError('String formatting error: not all arguments converted during string formatting.');
  return out;
}
