// Godot's operator semantics (Variant::evaluate): int vs float arithmetic, string concatenation and
// formatting, comparisons, `in`, truthiness. Invalid combinations throw ScriptError with Godot's wording.

import { ScriptError } from './host';
import { stringify } from './stringify';
import { valueTypeBinary, valueTypeUnary } from './vector-operators';
import {
  GdArray, GdBuiltinValue, GdCallable, GdDictionary, GdFloat, GdNodePath, GdPackedByteArray, GdStringName, checkCollectionSize,
  intFromBig, isStringLike, makeFloat, makeInt, stringValue, typeName, variantType, type Value,
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

// Ints are JS numbers while safe and canonical bigints beyond (values.ts); the fast paths stay on
// numbers and fall back to BigInt arithmetic only when a result leaves the safe range.
type Int = number | bigint;

export function intAdd(a: number, b: number): Int {
  const r = a + b;
  return Number.isSafeInteger(r) ? r : intFromBig(BigInt(a) + BigInt(b));
}
export function intSub(a: number, b: number): Int {
  const r = a - b;
  return Number.isSafeInteger(r) ? r : intFromBig(BigInt(a) - BigInt(b));
}
export function intMul(a: number, b: number): Int {
  const r = a * b;
  if (r === 0) return 0;
  return Number.isSafeInteger(r) ? r : intFromBig(BigInt(a) * BigInt(b));
}
function shiftCount(b: Int): bigint {
  if (b < 0) throw new ScriptError('Invalid operands for bit shifting. Only positive operands are supported.');
  return BigInt(b) > 63n ? 64n : BigInt(b);
}
/** int (op) int for any ints (numbers and bigints). */
function intOp(op: BinOp, a: Int, b: Int): Value | undefined {
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
      case BinOp.BitAnd: case BinOp.BitOr: case BinOp.BitXor:
        if ((a | 0) === a && (b | 0) === b) return op === BinOp.BitAnd ? a & b : op === BinOp.BitOr ? a | b : a ^ b;
        break;
      case BinOp.Shl:
        if (b >= 0 && b < 53) {
          const r = a * 2 ** b;
          if (Number.isSafeInteger(r)) return r;
        }
        break;
      case BinOp.Shr:
        if (b >= 0 && b <= 64) return Math.floor(a / 2 ** b);
        break;
      case BinOp.Pow:
        // Godot computes int ** int as int64_t(pow(double, double)).
        return makeInt(Math.pow(a, b));
    }
  }
  switch (op) {
    case BinOp.Eq: return a === b;
    case BinOp.Ne: return a !== b;
    case BinOp.Lt: return a < b;
    case BinOp.Le: return a <= b;
    case BinOp.Gt: return a > b;
    case BinOp.Ge: return a >= b;
  }
  const x = BigInt(a);
  const y = BigInt(b);
  switch (op) {
    case BinOp.Add: return intFromBig(x + y);
    case BinOp.Sub: return intFromBig(x - y);
    case BinOp.Mul: return intFromBig(x * y);
    case BinOp.Div:
      if (y === 0n) throw new ScriptError("Division by zero error in operator '/'.");
      return intFromBig(x / y);
    case BinOp.Mod:
      if (y === 0n) throw new ScriptError("Modulo by zero error in operator '%'.");
      return intFromBig(x % y);
    case BinOp.Pow:
      return makeInt(Math.pow(Number(x), Number(y)));
    case BinOp.BitAnd: return intFromBig(x & y);
    case BinOp.BitOr: return intFromBig(x | y);
    case BinOp.BitXor: return intFromBig(x ^ y);
    case BinOp.Shl: return intFromBig(x << shiftCount(b));
    case BinOp.Shr: return intFromBig(x >> shiftCount(b));
  }
  return undefined;
}
function isIntValue(v: Value): v is Int {
  return typeof v === 'number' || typeof v === 'bigint';
}
function numberOf(v: Int | GdFloat): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v.value;
}

// ---- truthiness and equality -----------------------------------------------------------------

/** Variant::booleanize: what `if v:` and `not v` see. */
export function truthy(v: Value): boolean {
  if (v === null) return false;
  switch (typeof v) {
    case 'boolean': return v;
    case 'number': return v !== 0;
    case 'bigint': return v !== 0n;
    case 'string': return v.length > 0;
  }
  if (v instanceof GdFloat) return v.value !== 0;
  if (v instanceof GdStringName || v instanceof GdNodePath) return v.value.length > 0;
  if (v instanceof GdArray) return v.items.length > 0;
  if (v instanceof GdDictionary) return v.size > 0;
  if (v instanceof GdPackedByteArray) return v.size > 0;
  if (v instanceof GdBuiltinValue) return v.truthy();
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
  if (a instanceof GdBuiltinValue) return a.sameAs(b);
  return false; // distinct objects
}

function isObjectLike(v: Value): boolean {
  return typeof v === 'object' && v !== null && !(v instanceof GdFloat) && !(v instanceof GdArray) && !(v instanceof GdBuiltinValue) &&
    !(v instanceof GdDictionary) && !(v instanceof GdPackedByteArray) && !(v instanceof GdCallable) &&
    !(v instanceof GdStringName) && !(v instanceof GdNodePath);
}

/** `a == b` with Godot's rules: int/float compare numerically, null compares with anything, other mixes are errors. */
export function equals(a: Value, b: Value, op: BinOp = BinOp.Eq): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (isStringLike(a) && isStringLike(b)) return stringValue(a) === stringValue(b);
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'number' || ta === 'bigint') {
    if (tb === 'number' || tb === 'bigint') return false;
    if (b instanceof GdFloat) return Number(a) === b.value;
    return invalid(op, a, b);
  }
  if (a instanceof GdFloat) {
    if (tb === 'number' || tb === 'bigint') return a.value === Number(b);
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
  let x: number | bigint | string;
  let y: number | bigint | string;
  if (isIntValue(a) || a instanceof GdFloat) {
    if (!isIntValue(b) && !(b instanceof GdFloat)) return invalid(op, a, b);
    x = a instanceof GdFloat ? a.value : a;
    y = b instanceof GdFloat ? b.value : b;
  } else if (isStringLike(a) && isStringLike(b)) {
    x = stringValue(a);
    y = stringValue(b);
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

/**
 * Godot's StringLikeVariantComparator: same type and equal (Variant::hash_compare), or both
 * string-like with the same text. Used by Array.find/has/count/erase, `in`, Dictionary.find_key.
 * (So `1.0 in [1]` is false in Godot 4.)
 */
export function containerEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (isStringLike(a) && isStringLike(b)) return stringValue(a) === stringValue(b);
  if (variantType(a) !== variantType(b)) return false;
  if (a instanceof GdFloat && b instanceof GdFloat) return a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value));
  if (a instanceof GdArray && b instanceof GdArray) {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) if (!containerEquals(a.items[i], b.items[i])) return false;
    return true;
  }
  if (a instanceof GdDictionary && b instanceof GdDictionary) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a.entries()) {
      const o = b.get(k);
      if (o === undefined || !containerEquals(v, o)) return false;
    }
    return true;
  }
  if (a instanceof GdPackedByteArray && b instanceof GdPackedByteArray) {
    return a.size === b.size && a.bytes.every((x, i) => x === b.bytes[i]);
  }
  return sameValue(a, b);
}

/** `needle in haystack` */
export function contains(haystack: Value, needle: Value, op: BinOp = BinOp.In): boolean {
  if (haystack instanceof GdArray) return haystack.items.some((x) => containerEquals(x, needle));
  if (haystack instanceof GdDictionary) return haystack.has(needle);
  if (isStringLike(haystack)) {
    if (!isStringLike(needle)) return invalid(op, needle, haystack);
    const n = stringValue(needle);
    return n.length > 0 && stringValue(haystack).includes(n);
  }
  if (haystack instanceof GdPackedByteArray) {
    if (!isIntValue(needle)) return false;
    return haystack.bytes.includes(Number(needle));
  }
  if (typeof haystack === 'object' && haystack !== null && 'getProperty' in haystack && typeof needle === 'string') {
    return typeof haystack.getProperty === 'function' && haystack.getProperty(needle) !== undefined;
  }
  return invalid(op, needle, haystack);
}

/** @deprecated Godot 4 containers compare with containerEquals (types must match). */
export const looselyEqual = containerEquals;

// ---- binary and unary operators --------------------------------------------------------------

export function binaryOperation(op: BinOp, a: Value, b: Value): Value {
  // int (op) int
  if (isIntValue(a) && isIntValue(b)) {
    const r = intOp(op, a, b);
    if (r !== undefined) return r;
  }
  // Vectors, Color, Rect2, packed arrays (vector-operators.ts)
  if (a instanceof GdBuiltinValue || b instanceof GdBuiltinValue) {
    const r = valueTypeBinary(op, a, b);
    if (r !== undefined) return r;
  }
  switch (op) {
    case BinOp.Eq: return equals(a, b, op);
    case BinOp.Ne: return !equals(a, b, op);
    case BinOp.Lt: case BinOp.Le: case BinOp.Gt: case BinOp.Ge: return compare(op, a, b);
    case BinOp.In: return contains(b, a, op);
    case BinOp.NotIn: return !contains(b, a, op);
  }
  // float arithmetic (at least one float, the other int or float)
  if ((isIntValue(a) || a instanceof GdFloat) && (isIntValue(b) || b instanceof GdFloat)) {
    const x = numberOf(a);
    const y = numberOf(b);
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
    if (typeof a === 'string' && typeof b === 'string') return concatStrings(a, b);
    if (isStringLike(a) && isStringLike(b) && !(a instanceof GdNodePath) && !(b instanceof GdNodePath)) return stringValue(a) + stringValue(b);
    if (a instanceof GdArray && b instanceof GdArray) {
      checkCollectionSize('Array', a.items.length + b.items.length);
      // Godot 4: the result is typed only when both arrays have the same type.
      return new GdArray(a.items.concat(b.items), a.elementType === b.elementType ? a.elementType : undefined);
    }
    if (a instanceof GdPackedByteArray && b instanceof GdPackedByteArray) {
      checkCollectionSize('PackedByteArray', a.size + b.size);
      const r = GdPackedByteArray.from(a.bytes);
      r.appendBytes(b.bytes);
      return r;
    }
  }
  if (op === BinOp.Mod && isStringLike(a)) {
    const result = formatString(stringValue(a), b);
    if (result.error !== undefined) throw new ScriptError(`${result.error} in operator '%'.`);
    return result.text;
  }
  return invalid(op, a, b);
}

/** String + String (checked against the sandbox's size limit). */
export function concatStrings(a: string, b: string): string {
  if (a.length + b.length > 1_000_000) checkCollectionSize('String', a.length + b.length);
  return a + b;
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
    return (v | 0) === v ? ~v : intFromBig(~BigInt(v));
  }
  if (typeof v === 'bigint') {
    if (op === UnOp.Negate) return intFromBig(-v);
    if (op === UnOp.Positive) return v;
    return intFromBig(~v);
  }
  if (v instanceof GdFloat && op !== UnOp.BitNot) return op === UnOp.Negate ? makeFloat(-v.value) : v;
  if (v instanceof GdBuiltinValue) {
    const r = valueTypeUnary(op, v);
    if (r !== undefined) return r;
  }
  throw new ScriptError(`Invalid operand of type '${typeName(v)}' for unary operator '${UN_OP_SYMBOL[op]}'.`);
}

// ---- String % args -------------------------------------------------------------------------

/**
 * printf's "%.Nf" on the exact binary value: ties (exactly halfway) round to even, which is what
 * Godot's snprintf-based String::num does and what JS's toFixed does not.
 */
export function toFixedC(x: number, decimals: number): string {
  const fixed = x.toFixed(decimals);
  if (!Number.isFinite(x) || decimals >= 100) return fixed;
  const exact = x.toFixed(Math.min(100, decimals + 25));
  const dot = exact.indexOf('.');
  const tail = dot < 0 ? '' : exact.slice(dot + 1 + decimals);
  if (!/^50*$/.test(tail)) return fixed;
  // An exact tie: keep the truncated digits if the last one is even, else round away from zero.
  const truncated = dot < 0 ? exact : exact.slice(0, decimals === 0 ? dot : dot + 1 + decimals);
  const last = truncated.replace(/[^0-9]/g, '').slice(-1);
  if (Number(last) % 2 === 0) return truncated;
  return fixed;
}

/** Godot's String::num(value, decimals) — fixed decimals, trailing zeros removed. */
function numString(x: number, decimals: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  let s = toFixedC(x, Math.min(decimals, 16));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

function lpad(s: string, n: number, ch: string): string {
  return s.length >= n ? s : ch.repeat(n - s.length) + s;
}
function rpad(s: string, n: number, ch: string): string {
  return s.length >= n ? s : s + ch.repeat(n - s.length);
}

/**
 * A number's digits (without sign) padded to `minChars` and its sign placed as Godot's `%` does:
 * before the digits, or first of all when zero padding (`signFirst`); `+` only with `showSign`.
 */
function padNumber(
  digits: string,
  negative: boolean,
  o: { minChars: number; leftJustified: boolean; showSign: boolean; padChar: string; signFirst: boolean },
): string {
  const padCount = negative || o.showSign ? o.minChars - 1 : o.minChars;
  const str = o.leftJustified ? rpad(digits, padCount, o.padChar) : lpad(digits, padCount, o.padChar);
  if (!negative && !o.showSign) return str;
  const sign = negative ? '-' : '+';
  if (o.leftJustified) return sign + str;
  const at = o.signFirst ? 0 : str.length - digits.length;
  return str.slice(0, at) + sign + str.slice(at);
}

/**
 * Godot's `"format" % args` (String::sprintf): %s %c %d %o %x %X %b %f %%, flags - + 0, width,
 * precision, `*`. Returns the text, or the error Godot reports (the caller adds " in operator '%'.").
 */
export function formatString(format: string, argsValue: Value): { text: string; error?: string } {
  const args = argsValue instanceof GdArray ? argsValue.items : [argsValue];
  let valueIndex = 0;
  let out = '';
  let inFormat = false;
  let minChars = 0;
  let minDecimals = 6;
  let padWithZeros = false;
  let leftJustified = false;
  let showSign = false;
  let inDecimals = false;
  const isNum = (v: Value | undefined): v is number | bigint | GdFloat => typeof v === 'number' || typeof v === 'bigint' || v instanceof GdFloat;
  const fail = (error: string): { text: string; error: string } => ({ text: '', error });
  const chars = Array.from(format);
  for (const c of chars) {
    if (!inFormat) {
      if (c === '%') {
        inFormat = true;
        minChars = 0;
        minDecimals = 6;
        padWithZeros = false;
        leftJustified = false;
        showSign = false;
        inDecimals = false;
      } else {
        out += c;
      }
      continue;
    }
    switch (c) {
      case '%':
        out += '%';
        inFormat = false;
        break;
      case 'd': case 'o': case 'x': case 'X': case 'b': {
        if (valueIndex >= args.length) return fail('not enough arguments for format string');
        const v = args[valueIndex];
        if (!isNum(v)) return fail('a number is required');
        const n = v instanceof GdFloat ? makeInt(v.value) : v;
        const base = c === 'd' ? 10 : c === 'o' ? 8 : c === 'b' ? 2 : 16;
        let str = (n < 0 ? -BigInt(n) : BigInt(n)).toString(base);
        if (c === 'X') str = str.toUpperCase();
        out += padNumber(str, n < 0, { minChars, leftJustified, showSign, padChar: padWithZeros ? '0' : ' ', signFirst: padWithZeros });
        valueIndex++;
        inFormat = false;
        break;
      }
      case 'f': {
        if (valueIndex >= args.length) return fail('not enough arguments for format string');
        const v = args[valueIndex];
        if (!isNum(v)) return fail('a number is required');
        const x = numberOf(v);
        const negative = x < 0 || Object.is(x, -0);
        const finite = Number.isFinite(x);
        let str = numString(Math.abs(x), minDecimals);
        if (finite) {
          const dot = str.indexOf('.');
          if (dot === -1) {
            if (minDecimals > 0) str += '.' + '0'.repeat(minDecimals);
          } else {
            str = rpad(str, dot + 1 + minDecimals, '0');
          }
        }
        out += padNumber(str, negative, { minChars, leftJustified, showSign, padChar: padWithZeros && finite ? '0' : ' ', signFirst: padWithZeros });
        valueIndex++;
        inFormat = false;
        break;
      }
      case 's': {
        if (valueIndex >= args.length) return fail('not enough arguments for format string');
        const str = stringify(args[valueIndex]);
        out += leftJustified ? rpad(str, minChars, ' ') : lpad(str, minChars, ' ');
        valueIndex++;
        inFormat = false;
        break;
      }
      case 'c': {
        if (valueIndex >= args.length) return fail('not enough arguments for format string');
        const v = args[valueIndex];
        let str: string;
        if (isNum(v)) {
          const n = Math.trunc(numberOf(v));
          if (n < 0) return fail('unsigned integer is lower than minimum');
          if (n >= 0xd800 && n <= 0xdfff) return fail('unsigned integer is invalid Unicode character');
          if (n > 0x10ffff) return fail('unsigned integer is greater than maximum');
          str = String.fromCodePoint(n);
        } else if (typeof v === 'string') {
          if (Array.from(v).length !== 1) return fail('%c requires number or single-character string');
          str = v;
        } else {
          return fail('%c requires number or single-character string');
        }
        out += leftJustified ? rpad(str, minChars, ' ') : lpad(str, minChars, ' ');
        valueIndex++;
        inFormat = false;
        break;
      }
      case '-':
        leftJustified = true;
        break;
      case '+':
        showSign = true;
        break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9': {
        const n = c.charCodeAt(0) - 48;
        if (inDecimals) {
          minDecimals = minDecimals * 10 + n;
        } else if (c === '0' && minChars === 0) {
          if (!leftJustified) padWithZeros = true;
        } else {
          minChars = minChars * 10 + n;
        }
        break;
      }
      case '.':
        if (inDecimals) return fail('too many decimal points in format');
        inDecimals = true;
        minDecimals = 0;
        break;
      case '*': {
        if (valueIndex >= args.length) return fail('not enough arguments for format string');
        const v = args[valueIndex];
        if (!isNum(v)) return fail('* wants number or vector');
        const size = Math.trunc(numberOf(v));
        if (inDecimals) minDecimals = size;
        else minChars = size;
        valueIndex++;
        break;
      }
      default:
        return fail('unsupported format character');
    }
  }
  if (inFormat) return fail('incomplete format');
  if (valueIndex !== args.length) return fail('not all arguments converted during string formatting');
  return { text: out };
}
