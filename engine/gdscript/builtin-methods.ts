// Methods of builtin types: String (and StringName/NodePath), PackedByteArray, Array, Dictionary, Callable.
// `"hello".to_utf8_buffer()`, `msg.get_string_from_utf8()`, `peers.append(peer)`, `d.keys()`...
// Behaviour follows Godot 4.3's implementations (core/string/ustring.cpp, core/variant/array.cpp,
// dictionary.cpp, variant_call.cpp), including which misuses print an error and carry on.

import { createHash } from 'node:crypto';
import type { Random } from './globals';
export { containerEquals };
import { ScriptError } from './host';
import { binaryOperation, BinOp, containerEquals, truthy } from './operators';
import {
  GdPackedArray, PACKED_FLOAT32, PACKED_FLOAT64, PACKED_INT32, PACKED_INT64, PACKED_STRING, packedFromBytes,
} from './packed-arrays';
import { stringify } from './stringify';
import { elementError, elementTypeSpec, validateElement } from './types';
import {
  GdArray, GdBuiltinValue, GdCallable, GdDictionary, GdFloat, GdNodePath, GdPackedByteArray, GdStringName, checkCollectionSize,
  intNumber, isStringLike, makeFloat, makeInt, stringValue, typeName, type Value,
} from './values';

/** What a builtin method may need from the interpreter. */
export interface MethodContext {
  /** Print a Godot-style error line (ERR_FAIL_* style) without stopping the script. */
  warn(message: string): void;
  /** Call a Callable synchronously (Array.map, filter, sort_custom, Callable.call inside natives...). */
  invoke(callable: GdCallable, args: Value[]): Value;
  /** The script's random number generator (pick_random, shuffle). */
  random?: Random;
}

type Method<T> = (self: T, args: Value[], ctx: MethodContext) => Value;
export interface MethodSpec<T> {
  min: number;
  max: number;
  fn: Method<T>;
  /** Changes the receiver (refused on read-only arrays/dictionaries). */
  mutates?: boolean;
}

const INT_MAX = 9223372036854775807;

// ---- argument helpers ------------------------------------------------------------------------

/** Reads a builtin method's arguments, with Godot's wording for wrong types. */
export class ArgReader {
  constructor(readonly method: string, readonly base: string, readonly args: Value[]) {}
  private bad(i: number, want: string): never {
    throw new ScriptError(
      `Invalid type in function '${this.method}' in base '${this.base}'. Cannot convert argument ${i + 1} from ${typeName(this.args[i])} to ${want}.`,
    );
  }
  int(i: number, def?: number): number {
    const v = this.args[i];
    if (v === undefined && def !== undefined) return def;
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof GdFloat) return intNumber(makeInt(v.value));
    if (typeof v === 'boolean') return v ? 1 : 0;
    return this.bad(i, 'int');
  }
  float(i: number, def?: number): number {
    const v = this.args[i];
    if (v === undefined && def !== undefined) return def;
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof GdFloat) return v.value;
    if (typeof v === 'boolean') return v ? 1 : 0;
    return this.bad(i, 'float');
  }
  str(i: number, def?: string): string {
    const v = this.args[i];
    if (v === undefined && def !== undefined) return def;
    if (isStringLike(v)) return stringValue(v);
    return this.bad(i, 'String');
  }
  bool(i: number, def?: boolean): boolean {
    const v = this.args[i];
    if (v === undefined && def !== undefined) return def;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (v instanceof GdFloat) return v.value !== 0;
    return this.bad(i, 'bool');
  }
  array(i: number): GdArray {
    const v = this.args[i];
    if (v instanceof GdArray) return v;
    return this.bad(i, 'Array');
  }
  bytes(i: number): GdPackedByteArray {
    const v = this.args[i];
    if (v instanceof GdPackedByteArray) return v;
    if (v instanceof GdArray) return packed(v);
    return this.bad(i, 'PackedByteArray');
  }
  dict(i: number): GdDictionary {
    const v = this.args[i];
    if (v instanceof GdDictionary) return v;
    return this.bad(i, 'Dictionary');
  }
  callable(i: number): GdCallable {
    const v = this.args[i];
    if (v instanceof GdCallable) return v;
    return this.bad(i, 'Callable');
  }
  value(i: number, def: Value = null): Value {
    const v = this.args[i];
    return v === undefined ? def : v;
  }
}

function packed(a: GdArray): GdPackedByteArray {
  const out = GdPackedByteArray.ofSize(a.items.length);
  a.items.forEach((x, i) => out.set(i, typeof x === 'number' ? x & 0xff : typeof x === 'bigint' ? Number(BigInt.asUintN(8, x)) : x instanceof GdFloat ? Math.trunc(x.value) & 0xff : 0));
  return out;
}

/** Godot's ERR_FAIL_INDEX message for a bad index into a container of `size` elements. */
export function boundsMessage(index: number, size: number): string {
  return `Index p_index = ${index} is out of bounds (size() = ${size}).`;
}

// ---- String ------------------------------------------------------------------------------

const HAS_SURROGATES = /[\uD800-\uDFFF]/;
/** Godot strings index by code point; JS strings by UTF-16 unit. */
function codePoints(s: string): string[] | undefined {
  return HAS_SURROGATES.test(s) ? Array.from(s) : undefined;
}
function strLength(s: string): number {
  const cps = codePoints(s);
  return cps ? cps.length : s.length;
}
function strSlice(s: string, from: number, to?: number): string {
  const cps = codePoints(s);
  return cps ? cps.slice(from, to).join('') : s.slice(from, to);
}
/** Code-point index of a UTF-16 index. */
function cpIndex(s: string, unit: number): number {
  if (unit < 0 || !HAS_SURROGATES.test(s)) return unit;
  return Array.from(s.slice(0, unit)).length;
}
/** UTF-16 index of a code-point index. */
function unitIndex(s: string, cp: number): number {
  if (!HAS_SURROGATES.test(s)) return cp;
  return Array.from(s).slice(0, cp).join('').length;
}

function utf8Encode(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf8'));
}

/** String::find: -1 for an empty needle or a negative start. */
function strFind(s: string, what: string, from: number, caseless = false): number {
  if (from < 0 || what.length === 0 || s.length === 0) return -1;
  const hay = caseless ? s.toLowerCase() : s;
  const needle = caseless ? what.toLowerCase() : what;
  return cpIndex(s, hay.indexOf(needle, unitIndex(s, from)));
}

function strRfind(s: string, what: string, from: number, caseless = false): number {
  const len = strLength(s);
  const limit = len - strLength(what);
  if (limit < 0) return -1;
  let start = from < 0 ? limit : Math.min(from, limit);
  if (what.length === 0 || len === 0) return -1;
  const hay = caseless ? s.toLowerCase() : s;
  const needle = caseless ? what.toLowerCase() : what;
  start = unitIndex(s, start);
  return cpIndex(s, hay.lastIndexOf(needle, start));
}

function strCount(s: string, what: string, from: number, to: number, caseless: boolean): number {
  if (what.length === 0) return 0;
  const len = strLength(s);
  if (from < 0 || to < 0 || from > len || to > len) return 0;
  let sub = to === 0 ? strSlice(s, from) : strSlice(s, from, to);
  let needle = what;
  if (caseless) {
    sub = sub.toLowerCase();
    needle = needle.toLowerCase();
  }
  let n = 0;
  for (let i = sub.indexOf(needle); i >= 0; i = sub.indexOf(needle, i + needle.length)) n++;
  return n;
}

function isUpper(c: string): boolean {
  return c !== c.toLowerCase() && c === c.toUpperCase();
}
function isLower(c: string): boolean {
  return c !== c.toUpperCase() && c === c.toLowerCase();
}
function isDigitChar(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** String::_camelcase_to_underscore (lowercased). */
function camelToUnderscore(s: string): string {
  const c = Array.from(s);
  let out = '';
  let start = 0;
  for (let i = 1; i <= c.length; i++) {
    const prev = c[i - 1];
    const cur = c[i] ?? '';
    const next = c[i + 1] ?? '';
    const condA = isLower(prev) && isUpper(cur);
    const condB = (isUpper(prev) || isDigitChar(prev)) && isUpper(cur) && isLower(next);
    const condC = isDigitChar(prev) && isLower(cur) && isLower(next);
    const condD = (isUpper(prev) || isLower(prev)) && isDigitChar(cur);
    if (condA || condB || condC || condD) {
      out += c.slice(start, i).join('') + '_';
      start = i;
    }
  }
  out += c.slice(start).join('');
  return out.toLowerCase();
}

function stripEdges(s: string, left = true, right = true): string {
  let out = s;
  if (left) out = out.replace(/^[\u0000-\u0020]+/, '');
  if (right) out = out.replace(/[\u0000-\u0020]+$/, '');
  return out;
}

function capitalize(s: string): string {
  const aux = stripEdges(camelToUnderscore(s).replace(/_/g, ' '));
  return aux
    .split(' ')
    .filter((w) => w.length > 0)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/** String::c_escape */
export function cEscape(s: string): string {
  return s
    .replace(/\\/g, '\\\\').replace(/\x07/g, '\\a').replace(/\b/g, '\\b').replace(/\f/g, '\\f').replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/\v/g, '\\v').replace(/'/g, "\\'").replace(/\?/g, '\\?')
    .replace(/"/g, '\\"');
}

function cUnescape(s: string): string {
  return s
    .replace(/\\a/g, '\x07').replace(/\\b/g, '\b').replace(/\\f/g, '\f').replace(/\\n/g, '\n').replace(/\\r/g, '\r')
    .replace(/\\t/g, '\t').replace(/\\v/g, '\v').replace(/\\'/g, "'").replace(/\\"/g, '"').replace(/\\\?/g, '?')
    .replace(/\\\\/g, '\\');
}

function jsonEscape(s: string): string {
  return s
    .replace(/\\/g, '\\\\').replace(/\b/g, '\\b').replace(/\f/g, '\\f').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t').replace(/\v/g, '\\v').replace(/"/g, '\\"');
}

/** String::split (and rsplit when `fromRight`). */
function splitString(s: string, delimiter: string, allowEmpty: boolean, maxSplit: number, fromRight: boolean): string[] {
  const out: string[] = [];
  if (s.length === 0) {
    if (allowEmpty) out.push('');
    return out;
  }
  if (fromRight && maxSplit > 0) {
    // Godot's rsplit: split from the end, at most maxsplit times.
    const parts: string[] = [];
    let rest = s;
    while (parts.length < maxSplit) {
      const at = delimiter === '' ? rest.length - 1 : rest.lastIndexOf(delimiter);
      if (at < 0 || (delimiter === '' && rest.length <= 1)) break;
      const piece = rest.slice(at + (delimiter === '' ? 0 : delimiter.length));
      rest = rest.slice(0, at);
      if (allowEmpty || piece.length > 0) parts.unshift(piece);
    }
    if (allowEmpty || rest.length > 0) parts.unshift(rest);
    return parts;
  }
  const chars = delimiter === '' ? Array.from(s) : undefined;
  if (chars) {
    for (const ch of chars) {
      if (maxSplit > 0 && out.length === maxSplit) {
        out.push(chars.slice(out.length).join(''));
        break;
      }
      out.push(ch);
    }
    return out;
  }
  let from = 0;
  for (;;) {
    let end = s.indexOf(delimiter, from);
    if (end < 0) end = s.length;
    if (allowEmpty || end > from) {
      if (maxSplit > 0 && out.length === maxSplit) {
        out.push(s.slice(from));
        break;
      }
      out.push(s.slice(from, end));
    }
    if (end === s.length) break;
    from = end + delimiter.length;
  }
  return out;
}

/** String::is_valid_float */
function isValidFloat(s: string): boolean {
  if (s.length === 0) return false;
  let i = s[0] === '+' || s[0] === '-' ? 1 : 0;
  let exponent = false;
  let period = false;
  let sign = false;
  let exponentValues = false;
  let numbers = false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (isDigitChar(c)) {
      if (exponent) exponentValues = true;
      else numbers = true;
    } else if (numbers && !exponent && c === 'e') exponent = true;
    else if (!period && !exponent && c === '.') period = true;
    else if ((c === '-' || c === '+') && exponent && !exponentValues && !sign) sign = true;
    else return false;
  }
  return numbers;
}

function hashText(algorithm: string, s: string): string {
  return createHash(algorithm).update(s, 'utf8').digest('hex');
}

/** String::hash (djb2 over code points). */
export function stringHash(s: string): number {
  let h = 5381;
  for (const ch of s) h = (Math.imul(h, 33) + (ch.codePointAt(0) ?? 0)) >>> 0;
  return h;
}

/** String::to_int(): digits before the first ".", other characters skipped, "-" counts before any digit. */
export function stringToInt(s: string): number | bigint {
  const dot = s.indexOf('.');
  const to = dot >= 0 ? dot : s.length;
  let n = 0n;
  let sign = 1n;
  for (let i = 0; i < to; i++) {
    const c = s[i];
    if (c >= '0' && c <= '9') {
      n = n * 10n + BigInt(c.charCodeAt(0) - 48);
      if (n > 9223372036854775808n) return sign > 0n ? 2n ** 63n - 1n : -(2n ** 63n);
    } else if (n === 0n && c === '-') {
      sign = -sign;
    }
  }
  return makeInt(sign * n);
}

/** String::to_float(): the longest valid prefix, 0 when there is none. */
export function stringToFloat(s: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
  if (m) return Number(m[0]);
  const t = s.trim().toLowerCase();
  if (t === 'inf' || t === '+inf') return Infinity;
  if (t === '-inf') return -Infinity;
  if (t === 'nan') return NaN;
  return 0;
}

/**
 * `s` read in base 16 or 2 like Godot's hex_to_int()/bin_to_int(): an optional `-`, an optional
 * `0x`/`0b` prefix, then digits; a character that is not a digit warns (Godot's wording) and gives 0.
 */
function radixToInt(s: string, radix: 16 | 2, ctx: MethodContext): number | bigint {
  if (s.length === 0) return 0;
  let i = 0;
  let sign = 1n;
  if (s[0] === '-') {
    sign = -1n;
    i = 1;
  }
  const prefix = radix === 16 ? 'x' : 'b';
  if (s.length > 2 && s[i] === '0' && (s[i + 1] === prefix || s[i + 1] === prefix.toUpperCase())) i += 2;
  let n = 0n;
  for (; i < s.length; i++) {
    const digit = Number.parseInt(s[i], radix);
    if (Number.isNaN(digit)) {
      if (radix === 2) {
        ctx.warn(`Invalid binary notation character "${s[i]}" in string "${s}".`);
      } else {
        const cp = s.codePointAt(i) ?? 0;
        ctx.warn(`Invalid hexadecimal notation character "${String.fromCodePoint(cp)}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) in string "${s}".`);
      }
      return 0;
    }
    n = n * BigInt(radix) + BigInt(digit);
  }
  return makeInt(sign * n);
}

function padZeros(s: string, digits: number): string {
  let out = s;
  let end = out.indexOf('.');
  if (end === -1) end = out.length;
  if (end === 0) return out;
  let begin = 0;
  while (begin < end && !isDigitChar(out[begin])) begin++;
  if (begin >= end) return out;
  while (end - begin < digits) {
    out = out.slice(0, begin) + '0' + out.slice(begin);
    end++;
  }
  return out;
}

function padDecimals(s: string, digits: number): string {
  let out = s;
  let c = out.indexOf('.');
  if (c === -1) {
    if (digits <= 0) return out;
    out += '.';
    c = out.length - 1;
  } else if (digits <= 0) {
    return out.slice(0, c);
  }
  if (out.length - (c + 1) > digits) out = out.slice(0, c + digits + 1);
  else while (out.length - (c + 1) < digits) out += '0';
  return out;
}

/** Godot's String.repeat / lpad / rpad guard against huge strings. */
function repeatString(s: string, count: number): string {
  if (count <= 0 || s.length === 0) return '';
  checkCollectionSize('String', s.length * count);
  return s.repeat(count);
}

/** String::format */
function formatPlaceholders(s: string, values: Value, placeholder: string, ctx: MethodContext): string {
  let out = s;
  const replaceAll = (from: string, to: string): void => {
    if (from.length > 0) out = out.split(from).join(to);
  };
  if (values instanceof GdArray) {
    values.items.forEach((v, i) => {
      if (v instanceof GdArray) {
        if (v.items.length === 2) replaceAll(placeholder.split('_').join(stringify(v.items[0])), stringify(v.items[1]));
        else ctx.warn('STRING.format Inner Array size != 2 ');
      } else if (placeholder.includes('_')) {
        replaceAll(placeholder.split('_').join(String(i)), stringify(v));
      } else {
        const at = out.indexOf(placeholder);
        if (at >= 0) out = out.slice(0, at) + stringify(v) + out.slice(at + placeholder.length);
      }
    });
  } else if (values instanceof GdDictionary) {
    for (const [k, v] of values.entries()) replaceAll(placeholder.split('_').join(stringify(k)), stringify(v));
  } else {
    ctx.warn('Invalid type: use Array or Dictionary.');
  }
  return out;
}

function pathBaseDir(s: string): string {
  const m = /^([a-z]+:\/\/|\/)/.exec(s);
  const root = m ? m[0] : '';
  const rest = s.slice(root.length);
  const sep = rest.lastIndexOf('/');
  return sep < 0 ? root : root + rest.slice(0, sep);
}

function wildcardMatch(s: string, pattern: string, caseless: boolean): boolean {
  const esc = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${esc}$`, caseless ? 'i' : '').test(s);
}

const stringMethods: Record<string, MethodSpec<string>> = {
  length: { min: 0, max: 0, fn: (s) => strLength(s) },
  is_empty: { min: 0, max: 0, fn: (s) => s.length === 0 },
  substr: {
    min: 1, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('substr', 'String', a);
      const from = r.int(0);
      let len = r.int(1, -1);
      const n = strLength(s);
      if (len === -1) len = n - from;
      if (n === 0 || from < 0 || from >= n || len <= 0) return '';
      return strSlice(s, from, Math.min(n, from + len));
    },
  },
  left: {
    min: 1, max: 1,
    fn: (s, a) => {
      let n = new ArgReader('left', 'String', a).int(0);
      const len = strLength(s);
      if (n < 0) n = len + n;
      if (n <= 0) return '';
      return n >= len ? s : strSlice(s, 0, n);
    },
  },
  right: {
    min: 1, max: 1,
    fn: (s, a) => {
      let n = new ArgReader('right', 'String', a).int(0);
      const len = strLength(s);
      if (n < 0) n = len + n;
      if (n <= 0) return '';
      return n >= len ? s : strSlice(s, len - n);
    },
  },
  begins_with: { min: 1, max: 1, fn: (s, a) => s.startsWith(new ArgReader('begins_with', 'String', a).str(0)) },
  ends_with: { min: 1, max: 1, fn: (s, a) => s.endsWith(new ArgReader('ends_with', 'String', a).str(0)) },
  contains: { min: 1, max: 1, fn: (s, a) => strFind(s, new ArgReader('contains', 'String', a).str(0), 0) !== -1 },
  containsn: { min: 1, max: 1, fn: (s, a) => strFind(s, new ArgReader('containsn', 'String', a).str(0), 0, true) !== -1 },
  find: { min: 1, max: 2, fn: (s, a) => { const r = new ArgReader('find', 'String', a); return strFind(s, r.str(0), r.int(1, 0)); } },
  findn: { min: 1, max: 2, fn: (s, a) => { const r = new ArgReader('findn', 'String', a); return strFind(s, r.str(0), r.int(1, 0), true); } },
  rfind: { min: 1, max: 2, fn: (s, a) => { const r = new ArgReader('rfind', 'String', a); return strRfind(s, r.str(0), r.int(1, -1)); } },
  rfindn: { min: 1, max: 2, fn: (s, a) => { const r = new ArgReader('rfindn', 'String', a); return strRfind(s, r.str(0), r.int(1, -1), true); } },
  count: {
    min: 1, max: 3,
    fn: (s, a) => { const r = new ArgReader('count', 'String', a); return strCount(s, r.str(0), r.int(1, 0), r.int(2, 0), false); },
  },
  countn: {
    min: 1, max: 3,
    fn: (s, a) => { const r = new ArgReader('countn', 'String', a); return strCount(s, r.str(0), r.int(1, 0), r.int(2, 0), true); },
  },
  split: {
    min: 0, max: 3,
    fn: (s, a) => {
      const r = new ArgReader('split', 'String', a);
      return new GdPackedArray(PACKED_STRING, splitString(s, r.str(0, ''), r.bool(1, true), r.int(2, 0), false));
    },
  },
  rsplit: {
    min: 0, max: 3,
    fn: (s, a) => {
      const r = new ArgReader('rsplit', 'String', a);
      return new GdPackedArray(PACKED_STRING, splitString(s, r.str(0, ''), r.bool(1, true), r.int(2, 0), true));
    },
  },
  split_floats: {
    min: 1, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('split_floats', 'String', a);
      return new GdPackedArray(PACKED_FLOAT64, splitString(s, r.str(0), r.bool(1, true), 0, false).map((p) => makeFloat(stringToFloat(p))));
    },
  },
  get_slice: {
    min: 2, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('get_slice', 'String', a);
      const parts = s.split(r.str(0));
      const i = r.int(1);
      return i >= 0 && i < parts.length ? parts[i] : '';
    },
  },
  get_slice_count: { min: 1, max: 1, fn: (s, a) => { const d = new ArgReader('get_slice_count', 'String', a).str(0); return d === '' || s === '' ? 0 : s.split(d).length; } },
  join: {
    min: 1, max: 1,
    fn: (s, a) => {
      const parts = a[0] instanceof GdPackedArray && a[0].kind === PACKED_STRING ? a[0] : new ArgReader('join', 'String', a).array(0);
      return parts.items.map((x) => stringify(x)).join(s);
    },
  },
  strip_edges: {
    min: 0, max: 2,
    fn: (s, a) => { const r = new ArgReader('strip_edges', 'String', a); return stripEdges(s, r.bool(0, true), r.bool(1, true)); },
  },
  strip_escapes: { min: 0, max: 0, fn: (s) => s.replace(/[\u0000-\u001f]/g, '') },
  lstrip: { min: 1, max: 1, fn: (s, a) => { const set = new Set(Array.from(new ArgReader('lstrip', 'String', a).str(0))); const c = Array.from(s); let i = 0; while (i < c.length && set.has(c[i])) i++; return c.slice(i).join(''); } },
  rstrip: { min: 1, max: 1, fn: (s, a) => { const set = new Set(Array.from(new ArgReader('rstrip', 'String', a).str(0))); const c = Array.from(s); let i = c.length; while (i > 0 && set.has(c[i - 1])) i--; return c.slice(0, i).join(''); } },
  to_upper: { min: 0, max: 0, fn: (s) => s.toUpperCase() },
  to_lower: { min: 0, max: 0, fn: (s) => s.toLowerCase() },
  capitalize: { min: 0, max: 0, fn: (s) => capitalize(s) },
  to_snake_case: { min: 0, max: 0, fn: (s) => stripEdges(camelToUnderscore(s).replace(/ /g, '_')) },
  to_pascal_case: { min: 0, max: 0, fn: (s) => capitalize(s).replace(/ /g, '') },
  to_camel_case: { min: 0, max: 0, fn: (s) => { const p = capitalize(s).replace(/ /g, ''); return p ? p.charAt(0).toLowerCase() + p.slice(1) : p; } },
  replace: {
    min: 2, max: 2,
    fn: (s, a) => { const r = new ArgReader('replace', 'String', a); const what = r.str(0); return what === '' ? s : checkedJoin(s.split(what), r.str(1)); },
  },
  replacen: {
    min: 2, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('replacen', 'String', a);
      const what = r.str(0);
      if (what === '') return s;
      const re = new RegExp(what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
      const to = r.str(1);
      return s.replace(re, () => to);
    },
  },
  repeat: { min: 1, max: 1, fn: (s, a, ctx) => { const n = new ArgReader('repeat', 'String', a).int(0); if (n < 0) { ctx.warn(`Parameter "p_count" is out of bounds (${n}).`); return ''; } return repeatString(s, n); } },
  reverse: { min: 0, max: 0, fn: (s) => Array.from(s).reverse().join('') },
  insert: {
    min: 2, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('insert', 'String', a);
      const at = r.int(0);
      const len = strLength(s);
      if (at < 0 || at > len) return s;
      return strSlice(s, 0, at) + r.str(1) + strSlice(s, at);
    },
  },
  erase: {
    min: 1, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('erase', 'String', a);
      const at = r.int(0);
      const n = r.int(1, 1);
      if (at < 0 || n < 0) return s;
      return strSlice(s, 0, at) + strSlice(s, at + n);
    },
  },
  trim_prefix: { min: 1, max: 1, fn: (s, a) => { const p = new ArgReader('trim_prefix', 'String', a).str(0); return p && s.startsWith(p) ? s.slice(p.length) : s; } },
  trim_suffix: { min: 1, max: 1, fn: (s, a) => { const p = new ArgReader('trim_suffix', 'String', a).str(0); return p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s; } },
  lpad: {
    min: 1, max: 2,
    fn: (s, a) => { const r = new ArgReader('lpad', 'String', a); const pad = r.int(0) - strLength(s); return pad > 0 ? repeatString(r.str(1, ' '), pad) + s : s; },
  },
  rpad: {
    min: 1, max: 2,
    fn: (s, a) => { const r = new ArgReader('rpad', 'String', a); const pad = r.int(0) - strLength(s); return pad > 0 ? s + repeatString(r.str(1, ' '), pad) : s; },
  },
  pad_zeros: { min: 1, max: 1, fn: (s, a) => padZeros(s, new ArgReader('pad_zeros', 'String', a).int(0)) },
  pad_decimals: { min: 1, max: 1, fn: (s, a) => padDecimals(s, new ArgReader('pad_decimals', 'String', a).int(0)) },
  indent: { min: 1, max: 1, fn: (s, a) => { const p = new ArgReader('indent', 'String', a).str(0); return s.split('\n').map((l) => (l.trim().length ? p + l : l)).join('\n'); } },
  dedent: {
    min: 0, max: 0,
    fn: (s) => {
      const lines = s.split('\n');
      const indents = lines.filter((l) => l.trim().length).map((l) => /^[ \t]*/.exec(l)?.[0] ?? '');
      let common = indents[0] ?? '';
      for (const i of indents) while (!i.startsWith(common)) common = common.slice(0, -1);
      return lines.map((l) => (l.startsWith(common) ? l.slice(common.length) : l)).join('\n');
    },
  },
  is_valid_int: { min: 0, max: 0, fn: (s) => /^[+-]?\d+$/.test(s) && !(s.length === 1 && !isDigitChar(s)) },
  is_valid_float: { min: 0, max: 0, fn: (s) => isValidFloat(s) },
  is_valid_hex_number: {
    min: 0, max: 1,
    fn: (s, a) => (new ArgReader('is_valid_hex_number', 'String', a).bool(0, false) ? /^[+-]?0x[0-9a-fA-F]+$/ : /^[+-]?[0-9a-fA-F]+$/).test(s),
  },
  is_valid_identifier: { min: 0, max: 0, fn: (s) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) },
  is_subsequence_of: {
    min: 1, max: 1,
    fn: (s, a) => {
      const other = new ArgReader('is_subsequence_of', 'String', a).str(0);
      let i = 0;
      for (const ch of other) if (i < s.length && ch === s[i]) i++;
      return i === s.length;
    },
  },
  is_absolute_path: { min: 0, max: 0, fn: (s) => /^([a-z]+:\/\/|\/|[A-Za-z]:[\\/])/.test(s) },
  is_relative_path: { min: 0, max: 0, fn: (s) => !/^([a-z]+:\/\/|\/|[A-Za-z]:[\\/])/.test(s) },
  match: { min: 1, max: 1, fn: (s, a) => wildcardMatch(s, new ArgReader('match', 'String', a).str(0), false) },
  matchn: { min: 1, max: 1, fn: (s, a) => wildcardMatch(s, new ArgReader('matchn', 'String', a).str(0), true) },
  casecmp_to: { min: 1, max: 1, fn: (s, a) => { const o = new ArgReader('casecmp_to', 'String', a).str(0); return s < o ? -1 : s > o ? 1 : 0; } },
  nocasecmp_to: { min: 1, max: 1, fn: (s, a) => { const x = s.toLowerCase(); const o = new ArgReader('nocasecmp_to', 'String', a).str(0).toLowerCase(); return x < o ? -1 : x > o ? 1 : 0; } },
  to_int: { min: 0, max: 0, fn: (s) => stringToInt(s) },
  to_float: { min: 0, max: 0, fn: (s) => makeFloat(stringToFloat(s)) },
  hex_to_int: { min: 0, max: 0, fn: (s, _a, ctx) => radixToInt(s, 16, ctx) },
  bin_to_int: { min: 0, max: 0, fn: (s, _a, ctx) => radixToInt(s, 2, ctx) },
  unicode_at: {
    min: 1, max: 1,
    fn: (s, a, ctx) => {
      const i = new ArgReader('unicode_at', 'String', a).int(0);
      const cps = Array.from(s);
      if (i < 0 || i >= cps.length) {
        ctx.warn(`Index p_idx = ${i} is out of bounds (length() = ${cps.length}).`);
        return 0;
      }
      return cps[i].codePointAt(0) ?? 0;
    },
  },
  to_utf8_buffer: { min: 0, max: 0, fn: (s) => GdPackedByteArray.from(utf8Encode(s)) },
  to_ascii_buffer: {
    min: 0, max: 0,
    fn: (s) => GdPackedByteArray.from(Array.from(s, (ch) => { const c = ch.codePointAt(0) ?? 0; return c > 0xff ? 0x3f : c; })),
  },
  to_utf16_buffer: { min: 0, max: 0, fn: (s) => GdPackedByteArray.from(new Uint8Array(Buffer.from(s, 'utf16le'))) },
  to_utf32_buffer: { min: 0, max: 0, fn: encodeUtf32 },
  // wchar_t is 32 bits on Linux: Godot writes UTF-32 there too.
  to_wchar_buffer: { min: 0, max: 0, fn: encodeUtf32 },
  hex_decode: {
    min: 0, max: 0,
    fn: (s, _a, ctx) => {
      if (s.length % 2 !== 0) {
        ctx.warn('Hexadecimal string of uneven length.');
        return GdPackedByteArray.from([]);
      }
      const out: number[] = [];
      for (let i = 0; i < s.length; i += 2) {
        const pair = s.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(pair)) {
          const bad = /[0-9a-fA-F]/.test(pair[0]) ? pair[1] : pair[0];
          ctx.warn(`Invalid hexadecimal character "${bad}" at index ${/[0-9a-fA-F]/.test(pair[0]) ? i + 1 : i}.`);
          return GdPackedByteArray.from([]);
        }
        out.push(parseInt(pair, 16));
      }
      return GdPackedByteArray.from(out);
    },
  },
  md5_text: { min: 0, max: 0, fn: (s) => hashText('md5', s) },
  sha1_text: { min: 0, max: 0, fn: (s) => hashText('sha1', s) },
  sha256_text: { min: 0, max: 0, fn: (s) => hashText('sha256', s) },
  md5_buffer: { min: 0, max: 0, fn: (s) => GdPackedByteArray.from(createHash('md5').update(s, 'utf8').digest()) },
  sha1_buffer: { min: 0, max: 0, fn: (s) => GdPackedByteArray.from(createHash('sha1').update(s, 'utf8').digest()) },
  sha256_buffer: { min: 0, max: 0, fn: (s) => GdPackedByteArray.from(createHash('sha256').update(s, 'utf8').digest()) },
  hash: { min: 0, max: 0, fn: (s) => stringHash(s) },
  c_escape: { min: 0, max: 0, fn: (s) => cEscape(s) },
  c_unescape: { min: 0, max: 0, fn: (s) => cUnescape(s) },
  json_escape: { min: 0, max: 0, fn: (s) => jsonEscape(s) },
  xml_escape: { min: 0, max: 1, fn: (s, a) => { let o = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'); if (new ArgReader('xml_escape', 'String', a).bool(0, false)) o = o.replace(/'/g, '&apos;').replace(/"/g, '&quot;'); return o; } },
  uri_encode: { min: 0, max: 0, fn: (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()) },
  uri_decode: { min: 0, max: 0, fn: (s) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } } },
  get_extension: { min: 0, max: 0, fn: (s) => { const f = s.slice(s.lastIndexOf('/') + 1); const d = f.lastIndexOf('.'); return d < 0 ? '' : f.slice(d + 1); } },
  get_basename: { min: 0, max: 0, fn: (s) => { const slash = s.lastIndexOf('/'); const d = s.lastIndexOf('.'); return d <= slash ? s : s.slice(0, d); } },
  get_file: { min: 0, max: 0, fn: (s) => s.slice(s.lastIndexOf('/') + 1) },
  get_base_dir: { min: 0, max: 0, fn: (s) => pathBaseDir(s) },
  path_join: { min: 1, max: 1, fn: (s, a) => { const f = new ArgReader('path_join', 'String', a).str(0); return s === '' ? f : s.endsWith('/') || f.startsWith('/') ? s + f : s + '/' + f; } },
  format: {
    min: 1, max: 2,
    fn: (s, a, ctx) => { const r = new ArgReader('format', 'String', a); return formatPlaceholders(s, r.value(0), r.str(1, '{_}'), ctx); },
  },
};

function checkedJoin(parts: string[], sep: string): string {
  let total = sep.length * (parts.length - 1);
  for (const p of parts) total += p.length;
  checkCollectionSize('String', total);
  return parts.join(sep);
}

// ---- PackedByteArray ---------------------------------------------------------------------

function decoder(size: number, read: (v: DataView) => number | bigint, float = false): MethodSpec<GdPackedByteArray> {
  const condition = size === 1 ? 'p_offset < 0 || p_offset > int64_t(size) - 1' : `p_offset < 0 || p_offset > (int64_t(size) - ${size})`;
  return {
    min: 1, max: 1,
    fn: (b, a, ctx) => {
      const offset = new ArgReader('decode', 'PackedByteArray', a).int(0);
      if (offset < 0 || offset > b.size - size) {
        ctx.warn(`Condition "${condition}" is true. Returning: 0`);
        return float ? makeFloat(0) : 0;
      }
      const bytes = b.bytes;
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
      return float ? makeFloat(Number(read(view))) : makeInt(read(view));
    },
  };
}

function encoder(size: number, write: (v: DataView, x: number, raw: Value) => void): MethodSpec<GdPackedByteArray> {
  return {
    min: 2, max: 2, mutates: true,
    fn: (b, a, ctx) => {
      const r = new ArgReader('encode', 'PackedByteArray', a);
      const offset = r.int(0);
      const value = r.float(1);
      if (offset < 0 || offset > b.size - size) {
        ctx.warn(`Condition "p_offset < 0 || p_offset > int64_t(size) - ${size}" is true.`);
        return null;
      }
      const bytes = b.bytes;
      write(new DataView(bytes.buffer, bytes.byteOffset + offset, size), value, a[1]);
      return null;
    },
  };
}

/** The int64 of an argument (exact for ints held as numbers, truncated for floats). */
function bigOf(raw: Value, x: number): bigint {
  return typeof raw === 'bigint' ? raw : BigInt(typeof raw === 'number' ? raw : Math.trunc(Number.isFinite(x) ? x : 0));
}

/** IEEE half float <-> double (Math::make_half_float / half_to_float). */
function toHalf(x: number): number {
  const f32 = new Float32Array([x]);
  const u = new Uint32Array(f32.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  let exp = ((u >>> 23) & 0xff) - 127 + 15;
  let mant = u & 0x7fffff;
  if (((u >>> 23) & 0xff) === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  if (exp >= 0x1f) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant = (mant | 0x800000) >> (1 - exp);
    return sign | ((mant + 0x1000) >> 13);
  }
  const h = sign | (exp << 10) | (mant >> 13);
  return mant & 0x1000 ? h + 1 : h;
}
function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

function decodeText(b: GdPackedByteArray, encoding: 'utf8' | 'utf16le'): string {
  return Buffer.from(b.bytes).toString(encoding);
}

/**
 * The [begin, end) a packed array's slice(begin, end) covers (negative counts from the end, both
 * clamped); undefined, after Godot's warning, when begin > end (the slice is then empty).
 */
export function packedSliceBounds(size: number, beginArg: number, endArg: number, ctx: MethodContext): [number, number] | undefined {
  let begin = Math.min(Math.max(beginArg, -size), size);
  if (begin < 0) begin += size;
  let end = Math.min(Math.max(endArg, -size), size);
  if (end < 0) end += size;
  if (begin > end) {
    ctx.warn('Condition "begin > end" is true. Returning: result');
    return undefined;
  }
  return [begin, end];
}

function bytesSlice(b: GdPackedByteArray, beginArg: number, endArg: number, ctx: MethodContext): GdPackedByteArray {
  const bounds = packedSliceBounds(b.size, beginArg, endArg, ctx);
  return GdPackedByteArray.from(bounds ? b.bytes.subarray(...bounds) : []);
}

/** The string as little-endian UTF-32, one 4-byte unit per code point. */
function encodeUtf32(text: string): GdPackedByteArray {
  const cps = Array.from(text, (c) => c.codePointAt(0) ?? 0);
  const out = new Uint8Array(cps.length * 4);
  const view = new DataView(out.buffer);
  cps.forEach((c, i) => view.setUint32(i * 4, c, true));
  return GdPackedByteArray.from(out);
}

/** Little-endian UTF-32 up to the first NUL; code points beyond U+10FFFF become U+FFFD. */
function decodeUtf32(b: GdPackedByteArray): string {
  let s = '';
  const bytes = b.bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const c = view.getUint32(i, true);
    if (c === 0) break;
    s += c <= 0x10ffff ? String.fromCodePoint(c) : '\ufffd';
  }
  return s;
}

const bytesMethods: Record<string, MethodSpec<GdPackedByteArray>> = {
  size: { min: 0, max: 0, fn: (b) => b.size },
  is_empty: { min: 0, max: 0, fn: (b) => b.size === 0 },
  get_string_from_utf8: { min: 0, max: 0, fn: (b) => { const s = decodeText(b, 'utf8'); const z = s.indexOf('\0'); return z >= 0 ? s.slice(0, z) : s; } },
  get_string_from_ascii: {
    min: 0, max: 0,
    fn: (b) => {
      let s = '';
      for (const c of b.bytes) {
        if (c === 0) break;
        s += String.fromCharCode(c);
      }
      return s;
    },
  },
  get_string_from_utf16: { min: 0, max: 0, fn: (b) => { const s = decodeText(b, 'utf16le'); const z = s.indexOf('\0'); return z >= 0 ? s.slice(0, z) : s; } },
  get_string_from_utf32: { min: 0, max: 0, fn: decodeUtf32 },
  // wchar_t is 32 bits on Linux, where Godot reads these bytes as UTF-32 too.
  get_string_from_wchar: { min: 0, max: 0, fn: decodeUtf32 },
  hex_encode: { min: 0, max: 0, fn: (b) => Buffer.from(b.bytes).toString('hex') },
  slice: {
    min: 1, max: 2,
    fn: (b, a, ctx) => { const r = new ArgReader('slice', 'PackedByteArray', a); return bytesSlice(b, r.int(0), r.int(1, INT_MAX), ctx); },
  },
  append: { min: 1, max: 1, mutates: true, fn: (b, a) => { checkCollectionSize('PackedByteArray', b.size + 1); b.append(new ArgReader('append', 'PackedByteArray', a).int(0) & 0xff); return false; } },
  push_back: { min: 1, max: 1, mutates: true, fn: (b, a) => { checkCollectionSize('PackedByteArray', b.size + 1); b.append(new ArgReader('push_back', 'PackedByteArray', a).int(0) & 0xff); return true; } },
  append_array: {
    min: 1, max: 1, mutates: true,
    fn: (b, a) => {
      const other = new ArgReader('append_array', 'PackedByteArray', a).bytes(0);
      checkCollectionSize('PackedByteArray', b.size + other.size);
      b.appendBytes(other.toUint8Array());
      return null;
    },
  },
  resize: {
    min: 1, max: 1, mutates: true,
    fn: (b, a, ctx) => {
      const n = new ArgReader('resize', 'PackedByteArray', a).int(0);
      if (n < 0) {
        ctx.warn('Size of PackedByteArray cannot be negative.');
        return 31;
      }
      checkCollectionSize('PackedByteArray', n);
      b.resize(n);
      return 0;
    },
  },
  clear: { min: 0, max: 0, mutates: true, fn: (b) => { b.resize(0); return null; } },
  has: { min: 1, max: 1, fn: (b, a) => { const v = a[0]; return (typeof v === 'number' || typeof v === 'bigint') && b.bytes.includes(Number(v)); } },
  find: {
    min: 1, max: 2,
    fn: (b, a) => { const r = new ArgReader('find', 'PackedByteArray', a); const from = r.int(1, 0); return b.bytes.indexOf(r.int(0), from < 0 ? Math.max(0, b.size + from) : from); },
  },
  rfind: {
    min: 1, max: 2,
    fn: (b, a) => { const r = new ArgReader('rfind', 'PackedByteArray', a); let from = r.int(1, -1); if (from < 0) from += b.size; return from < 0 ? -1 : b.bytes.lastIndexOf(r.int(0), from); },
  },
  count: { min: 1, max: 1, fn: (b, a) => { const v = new ArgReader('count', 'PackedByteArray', a).int(0); return b.bytes.filter((x) => x === v).length; } },
  get: {
    min: 1, max: 1,
    fn: (b, a, ctx) => {
      const i = new ArgReader('get', 'PackedByteArray', a).int(0);
      if (i < 0 || i >= b.size) {
        ctx.warn(boundsMessage(i, b.size));
        return 0;
      }
      return b.get(i);
    },
  },
  set: {
    min: 2, max: 2, mutates: true,
    fn: (b, a, ctx) => {
      const r = new ArgReader('set', 'PackedByteArray', a);
      const i = r.int(0);
      if (i < 0 || i >= b.size) ctx.warn(boundsMessage(i, b.size));
      else b.set(i, r.int(1) & 0xff);
      return null;
    },
  },
  insert: {
    min: 2, max: 2, mutates: true,
    fn: (b, a, ctx) => {
      const r = new ArgReader('insert', 'PackedByteArray', a);
      const i = r.int(0);
      if (i < 0 || i > b.size) {
        ctx.warn(boundsMessage(i, b.size + 1));
        return 31; // ERR_INVALID_PARAMETER
      }
      checkCollectionSize('PackedByteArray', b.size + 1);
      b.insert(i, r.int(1) & 0xff);
      return 0;
    },
  },
  remove_at: {
    min: 1, max: 1, mutates: true,
    fn: (b, a, ctx) => {
      const i = new ArgReader('remove_at', 'PackedByteArray', a).int(0);
      if (i < 0 || i >= b.size) ctx.warn(boundsMessage(i, b.size));
      else b.removeAt(i);
      return null;
    },
  },
  fill: { min: 1, max: 1, mutates: true, fn: (b, a) => { b.bytes.fill(new ArgReader('fill', 'PackedByteArray', a).int(0) & 0xff); return null; } },
  reverse: { min: 0, max: 0, mutates: true, fn: (b) => { b.bytes.reverse(); return null; } },
  sort: { min: 0, max: 0, mutates: true, fn: (b) => { b.bytes.sort(); return null; } },
  duplicate: { min: 0, max: 0, fn: (b) => GdPackedByteArray.from(b.bytes) },
  bsearch: {
    min: 1, max: 2,
    fn: (b, a) => {
      const r = new ArgReader('bsearch', 'PackedByteArray', a);
      const v = r.int(0);
      const before = r.bool(1, true);
      let lo = 0;
      let hi = b.size;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const x = b.get(mid);
        if (before ? x < v : x <= v) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  },
  decode_u8: decoder(1, (v) => v.getUint8(0)),
  decode_s8: decoder(1, (v) => v.getInt8(0)),
  decode_u16: decoder(2, (v) => v.getUint16(0, true)),
  decode_s16: decoder(2, (v) => v.getInt16(0, true)),
  decode_u32: decoder(4, (v) => v.getUint32(0, true)),
  decode_s32: decoder(4, (v) => v.getInt32(0, true)),
  decode_u64: decoder(8, (v) => BigInt.asIntN(64, v.getBigUint64(0, true))),
  decode_s64: decoder(8, (v) => v.getBigInt64(0, true)),
  decode_half: decoder(2, (v) => fromHalf(v.getUint16(0, true)), true),
  decode_float: decoder(4, (v) => v.getFloat32(0, true), true),
  decode_double: decoder(8, (v) => v.getFloat64(0, true), true),
  encode_u8: encoder(1, (v, x, raw) => v.setUint8(0, Number(BigInt.asUintN(8, bigOf(raw, x))))),
  encode_s8: encoder(1, (v, x, raw) => v.setInt8(0, Number(BigInt.asIntN(8, bigOf(raw, x))))),
  encode_u16: encoder(2, (v, x, raw) => v.setUint16(0, Number(BigInt.asUintN(16, bigOf(raw, x))), true)),
  encode_s16: encoder(2, (v, x, raw) => v.setInt16(0, Number(BigInt.asIntN(16, bigOf(raw, x))), true)),
  encode_u32: encoder(4, (v, x, raw) => v.setUint32(0, Number(BigInt.asUintN(32, bigOf(raw, x))), true)),
  encode_s32: encoder(4, (v, x, raw) => v.setInt32(0, Number(BigInt.asIntN(32, bigOf(raw, x))), true)),
  encode_u64: encoder(8, (v, x, raw) => v.setBigUint64(0, BigInt.asUintN(64, bigOf(raw, x)), true)),
  encode_s64: encoder(8, (v, x, raw) => v.setBigInt64(0, BigInt.asIntN(64, bigOf(raw, x)), true)),
  encode_half: encoder(2, (v, x) => v.setUint16(0, toHalf(x), true)),
  encode_float: encoder(4, (v, x) => v.setFloat32(0, x, true)),
  encode_double: encoder(8, (v, x) => v.setFloat64(0, x, true)),
  to_int32_array: { min: 0, max: 0, fn: (b) => packedFromBytes(PACKED_INT32, b.bytes) },
  to_int64_array: { min: 0, max: 0, fn: (b) => packedFromBytes(PACKED_INT64, b.bytes) },
  to_float32_array: { min: 0, max: 0, fn: (b) => packedFromBytes(PACKED_FLOAT32, b.bytes) },
  to_float64_array: { min: 0, max: 0, fn: (b) => packedFromBytes(PACKED_FLOAT64, b.bytes) },
  to_byte_array: { min: 0, max: 0, fn: (b) => GdPackedByteArray.from(b.bytes) },
};

// ---- Array --------------------------------------------------------------------------------

/** A value stored into `arr`, checked against its element type; undefined (after an error line) when refused. */
function element(arr: GdArray, v: Value, operation: string, ctx: MethodContext): Value | undefined {
  if (!arr.elementType) return v;
  const t = elementTypeSpec(arr.elementType);
  const ok = validateElement(v, t);
  if (ok === undefined) ctx.warn(elementError(v, t, operation));
  return ok;
}

function less(a: Value, b: Value): boolean {
  try {
    return binaryOperation(BinOp.Lt, a, b) === true;
  } catch {
    return false;
  }
}

/** Sorting like Godot's introsort is not stable-equivalent; JS's stable sort keeps equal elements in order. */
function sortItems(items: Value[], isLess: (a: Value, b: Value) => boolean): void {
  items.sort((x, y) => (isLess(x, y) ? -1 : isLess(y, x) ? 1 : 0));
}

/** Array.sort() when every element is an int (the usual case): a native numeric sort, the same order `less` gives. */
function sortInts(items: Value[]): boolean {
  for (let i = 0; i < items.length; i++) if (typeof items[i] !== 'number') return false;
  const sorted = Float64Array.from(items as number[]).sort();
  for (let i = 0; i < sorted.length; i++) items[i] = sorted[i];
  return true;
}

function arraySlice(a: GdArray, beginArg: number, endArg: number, step: number, deep: boolean, ctx: MethodContext): GdArray {
  const result = new GdArray([], a.elementType);
  if (step === 0) {
    ctx.warn('Slice step cannot be zero.');
    return result;
  }
  const s = a.items.length;
  if (s === 0 || (beginArg < -s && step < 0) || (beginArg >= s && step > 0)) return result;
  let begin = Math.min(Math.max(beginArg, -s), s - 1);
  if (begin < 0) begin += s;
  let end = Math.min(Math.max(endArg, -s - 1), s);
  if (end < 0) end += s;
  if (step > 0 && begin > end) {
    ctx.warn('Slice step is positive, but bounds are decreasing.');
    return result;
  }
  if (step < 0 && begin < end) {
    ctx.warn('Slice step is negative, but bounds are increasing.');
    return result;
  }
  const count = Math.trunc((end - begin) / step) + ((end - begin) % step !== 0 ? 1 : 0);
  for (let i = 0, src = begin; i < count; i++, src += step) result.items.push(deep ? deepCopy(a.items[src]) : a.items[src]);
  return result;
}

function extreme(a: GdArray, greater: boolean): Value {
  if (a.items.length === 0) return null;
  let best = a.items[0];
  for (let i = 1; i < a.items.length; i++) {
    const x = a.items[i];
    let r: Value;
    try {
      r = binaryOperation(greater ? BinOp.Gt : BinOp.Lt, x, best);
    } catch {
      return null; // not a valid comparison
    }
    if (r === true) best = x;
  }
  return best;
}

function randomIndex(n: number, ctx: MethodContext): number {
  return ctx.random ? ctx.random.randi() % n : Math.floor(Math.random() * n);
}

const arrayMethods: Record<string, MethodSpec<GdArray>> = {
  size: { min: 0, max: 0, fn: (a) => a.items.length },
  is_empty: { min: 0, max: 0, fn: (a) => a.items.length === 0 },
  append: { min: 1, max: 1, mutates: true, fn: (a, args, ctx) => { const v = element(a, args[0], 'push_back', ctx); if (v !== undefined) { checkCollectionSize('Array', a.items.length + 1); a.items.push(v); } return null; } },
  push_back: { min: 1, max: 1, mutates: true, fn: (a, args, ctx) => { const v = element(a, args[0], 'push_back', ctx); if (v !== undefined) { checkCollectionSize('Array', a.items.length + 1); a.items.push(v); } return null; } },
  push_front: { min: 1, max: 1, mutates: true, fn: (a, args, ctx) => { const v = element(a, args[0], 'push_front', ctx); if (v !== undefined) { checkCollectionSize('Array', a.items.length + 1); a.items.unshift(v); } return null; } },
  append_array: {
    min: 1, max: 1, mutates: true,
    fn: (a, args, ctx) => {
      const other = new ArgReader('append_array', 'Array', args).array(0);
      checkCollectionSize('Array', a.items.length + other.items.length);
      const add: Value[] = [];
      for (const x of other.items) {
        const v = element(a, x, 'append_array', ctx);
        if (v === undefined) return null;
        add.push(v);
      }
      for (const v of add) a.items.push(v);
      return null;
    },
  },
  assign: {
    min: 1, max: 1, mutates: true,
    fn: (a, args, ctx) => {
      const other = new ArgReader('assign', 'Array', args).array(0);
      const items: Value[] = [];
      for (const x of other.items) {
        const v = element(a, x, 'assign', ctx);
        if (v === undefined) return null;
        items.push(v);
      }
      a.items = items;
      return null;
    },
  },
  insert: {
    min: 2, max: 2, mutates: true,
    fn: (a, args, ctx) => {
      const r = new ArgReader('insert', 'Array', args);
      let i = r.int(0);
      if (i < 0) i += a.items.length;
      if (i < 0 || i > a.items.length) {
        ctx.warn(`Index p_pos = ${i} is out of bounds (_p->array.size() + 1 = ${a.items.length + 1}).`);
        return 31;
      }
      const v = element(a, args[1], 'insert', ctx);
      if (v === undefined) return 31;
      checkCollectionSize('Array', a.items.length + 1);
      a.items.splice(i, 0, v);
      return 0;
    },
  },
  pop_back: { min: 0, max: 0, mutates: true, fn: (a) => (a.items.length ? (a.items.pop() as Value) : null) },
  pop_front: { min: 0, max: 0, mutates: true, fn: (a) => (a.items.length ? (a.items.shift() as Value) : null) },
  pop_at: {
    min: 1, max: 1, mutates: true,
    fn: (a, args, ctx) => {
      const asked = new ArgReader('pop_at', 'Array', args).int(0);
      const i = asked < 0 ? asked + a.items.length : asked;
      if (i < 0 || i >= a.items.length) {
        ctx.warn(`The calculated index ${i} is out of bounds (the array has ${a.items.length} elements). Leaving the array untouched and returning \`null\`.`);
        return null;
      }
      return a.items.splice(i, 1)[0];
    },
  },
  front: {
    min: 0, max: 0,
    fn: (a, _args, ctx) => {
      if (!a.items.length) {
        ctx.warn("Can't take value from empty array.");
        return null;
      }
      return a.items[0];
    },
  },
  back: {
    min: 0, max: 0,
    fn: (a, _args, ctx) => {
      if (!a.items.length) {
        ctx.warn("Can't take value from empty array.");
        return null;
      }
      return a.items[a.items.length - 1];
    },
  },
  erase: {
    min: 1, max: 1, mutates: true,
    fn: (a, args) => {
      const i = a.items.findIndex((x) => containerEquals(x, args[0]));
      if (i >= 0) a.items.splice(i, 1);
      return null;
    },
  },
  remove_at: {
    min: 1, max: 1, mutates: true,
    fn: (a, args, ctx) => {
      let i = new ArgReader('remove_at', 'Array', args).int(0);
      if (i < 0) i += a.items.length;
      if (i < 0 || i >= a.items.length) ctx.warn(boundsMessage(i, a.items.length));
      else a.items.splice(i, 1);
      return null;
    },
  },
  has: { min: 1, max: 1, fn: (a, args) => a.items.some((x) => containerEquals(x, args[0])) },
  find: {
    min: 1, max: 2,
    fn: (a, args) => {
      let from = new ArgReader('find', 'Array', args).int(1, 0);
      if (from < 0) from = Math.max(0, a.items.length + from);
      for (let i = from; i < a.items.length; i++) if (containerEquals(a.items[i], args[0])) return i;
      return -1;
    },
  },
  rfind: {
    min: 1, max: 2,
    fn: (a, args) => {
      let from = new ArgReader('rfind', 'Array', args).int(1, -1);
      if (from < 0) from += a.items.length;
      for (let i = Math.min(from, a.items.length - 1); i >= 0; i--) if (containerEquals(a.items[i], args[0])) return i;
      return -1;
    },
  },
  count: { min: 1, max: 1, fn: (a, args) => a.items.filter((x) => containerEquals(x, args[0])).length },
  clear: { min: 0, max: 0, mutates: true, fn: (a) => { a.items.length = 0; return null; } },
  resize: {
    min: 1, max: 1, mutates: true,
    fn: (a, args, ctx) => {
      const n = new ArgReader('resize', 'Array', args).int(0);
      if (n < 0) {
        ctx.warn('Size of Array cannot be negative.');
        return 31;
      }
      checkCollectionSize('Array', n);
      const old = a.items.length;
      const fill = a.elementType ? defaultForElement(a.elementType) : null;
      a.items.length = n;
      for (let i = old; i < n; i++) a.items[i] = fill;
      return 0;
    },
  },
  fill: { min: 1, max: 1, mutates: true, fn: (a, args, ctx) => { const v = element(a, args[0], 'fill', ctx); if (v !== undefined) a.items.fill(v); return null; } },
  reverse: { min: 0, max: 0, mutates: true, fn: (a) => { a.items.reverse(); return null; } },
  duplicate: {
    min: 0, max: 1,
    fn: (a, args) => (new ArgReader('duplicate', 'Array', args).bool(0, false) ? deepCopy(a) : new GdArray(a.items.slice(), a.elementType)),
  },
  slice: {
    min: 1, max: 4,
    fn: (a, args, ctx) => {
      const r = new ArgReader('slice', 'Array', args);
      return arraySlice(a, r.int(0), r.int(1, INT_MAX), r.int(2, 1), r.bool(3, false), ctx);
    },
  },
  sort: { min: 0, max: 0, mutates: true, fn: (a) => { if (!sortInts(a.items)) sortItems(a.items, less); return null; } },
  sort_custom: {
    min: 1, max: 1, mutates: true,
    fn: (a, args, ctx) => {
      const c = new ArgReader('sort_custom', 'Array', args).callable(0);
      sortItems(a.items, (x, y) => truthy(ctx.invoke(c, [x, y])));
      return null;
    },
  },
  bsearch: {
    min: 1, max: 2,
    fn: (a, args) => {
      const before = new ArgReader('bsearch', 'Array', args).bool(1, true);
      let lo = 0;
      let hi = a.items.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before ? less(a.items[mid], args[0]) : !less(args[0], a.items[mid])) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  },
  bsearch_custom: {
    min: 2, max: 3,
    fn: (a, args, ctx) => {
      const r = new ArgReader('bsearch_custom', 'Array', args);
      const c = r.callable(1);
      const before = r.bool(2, true);
      let lo = 0;
      let hi = a.items.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const go = before ? truthy(ctx.invoke(c, [a.items[mid], args[0]])) : !truthy(ctx.invoke(c, [args[0], a.items[mid]]));
        if (go) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  },
  min: { min: 0, max: 0, fn: (a) => extreme(a, false) },
  max: { min: 0, max: 0, fn: (a) => extreme(a, true) },
  pick_random: {
    min: 0, max: 0,
    fn: (a, _args, ctx) => {
      if (!a.items.length) {
        ctx.warn("Can't take value from empty array.");
        return null;
      }
      return a.items[randomIndex(a.items.length, ctx)];
    },
  },
  shuffle: {
    min: 0, max: 0, mutates: true,
    fn: (a, _args, ctx) => {
      const items = a.items;
      for (let i = items.length - 1; i >= 1; i--) {
        const j = randomIndex(i + 1, ctx);
        [items[i], items[j]] = [items[j], items[i]];
      }
      return null;
    },
  },
  map: {
    min: 1, max: 1,
    fn: (a, args, ctx) => {
      const c = new ArgReader('map', 'Array', args).callable(0);
      return new GdArray(a.items.map((x) => ctx.invoke(c, [x])));
    },
  },
  filter: {
    min: 1, max: 1,
    fn: (a, args, ctx) => {
      const c = new ArgReader('filter', 'Array', args).callable(0);
      return new GdArray(a.items.filter((x) => truthy(ctx.invoke(c, [x]))), a.elementType);
    },
  },
  reduce: {
    min: 1, max: 2,
    fn: (a, args, ctx) => {
      const c = new ArgReader('reduce', 'Array', args).callable(0);
      let acc: Value = args[1] ?? null;
      let start = 0;
      if (acc === null && a.items.length > 0) {
        acc = a.items[0];
        start = 1;
      }
      for (let i = start; i < a.items.length; i++) acc = ctx.invoke(c, [acc, a.items[i]]);
      return acc;
    },
  },
  any: { min: 1, max: 1, fn: (a, args, ctx) => { const c = new ArgReader('any', 'Array', args).callable(0); return a.items.some((x) => truthy(ctx.invoke(c, [x]))); } },
  all: { min: 1, max: 1, fn: (a, args, ctx) => { const c = new ArgReader('all', 'Array', args).callable(0); return a.items.every((x) => truthy(ctx.invoke(c, [x]))); } },
  is_typed: { min: 0, max: 0, fn: (a) => a.elementType !== undefined },
  is_same_typed: { min: 1, max: 1, fn: (a, args) => a.elementType === new ArgReader('is_same_typed', 'Array', args).array(0).elementType },
  get_typed_builtin: { min: 0, max: 0, fn: (a) => (a.elementType ? variantTypeOfName(a.elementType) : 0) },
  get_typed_class_name: { min: 0, max: 0, fn: (a) => GdStringName.of(a.elementType && variantTypeOfName(a.elementType) === 24 ? a.elementType : '') },
  is_read_only: { min: 0, max: 0, fn: (a) => a.readOnly },
  make_read_only: { min: 0, max: 0, fn: (a) => { a.readOnly = true; return null; } },
  hash: { min: 0, max: 0, fn: (a) => stringHash(stringify(a)) },
};

function variantTypeOfName(name: string): number {
  const t = elementTypeSpec(name);
  return t.variant ?? 0;
}

function defaultForElement(name: string): Value {
  switch (variantTypeOfName(name)) {
    case 1: return false;
    case 2: return 0;
    case 3: return makeFloat(0);
    case 4: return '';
    case 21: return GdStringName.of('');
    case 22: return GdNodePath.of('');
    case 27: return new GdDictionary();
    case 28: return new GdArray();
    case 29: return GdPackedByteArray.from([]);
    default: return null;
  }
}

export function deepCopy(v: Value): Value {
  if (v instanceof GdArray) return new GdArray(v.items.map(deepCopy), v.elementType);
  if (v instanceof GdDictionary) {
    const d = new GdDictionary();
    for (const [k, x] of v.entries()) d.set(k, deepCopy(x));
    return d;
  }
  if (v instanceof GdPackedByteArray) return GdPackedByteArray.from(v.bytes);
  return v;
}

// ---- Dictionary ---------------------------------------------------------------------------

function shallowDict(d: GdDictionary): GdDictionary {
  const out = new GdDictionary();
  for (const [k, v] of d.entries()) out.set(k, v);
  return out;
}

const dictionaryMethods: Record<string, MethodSpec<GdDictionary>> = {
  size: { min: 0, max: 0, fn: (d) => d.size },
  is_empty: { min: 0, max: 0, fn: (d) => d.size === 0 },
  has: { min: 1, max: 1, fn: (d, a) => d.has(a[0]) },
  has_all: { min: 1, max: 1, fn: (d, a) => new ArgReader('has_all', 'Dictionary', a).array(0).items.every((k) => d.has(k)) },
  get: { min: 1, max: 2, fn: (d, a) => { const v = d.get(a[0]); return v === undefined ? (a[1] ?? null) : v; } },
  get_or_add: {
    min: 1, max: 2, mutates: true,
    fn: (d, a) => {
      const v = d.get(a[0]);
      if (v !== undefined) return v;
      checkCollectionSize('Dictionary', d.size + 1);
      d.set(a[0], a[1] ?? null);
      return a[1] ?? null;
    },
  },
  set: { min: 2, max: 2, mutates: true, fn: (d, a) => { if (!d.has(a[0])) checkCollectionSize('Dictionary', d.size + 1); d.set(a[0], a[1]); return true; } },
  erase: { min: 1, max: 1, mutates: true, fn: (d, a) => d.erase(a[0]) },
  keys: { min: 0, max: 0, fn: (d) => new GdArray(d.keys()) },
  values: { min: 0, max: 0, fn: (d) => new GdArray(d.values()) },
  clear: { min: 0, max: 0, mutates: true, fn: (d) => { d.clear(); return null; } },
  duplicate: {
    min: 0, max: 1,
    fn: (d, a) => (new ArgReader('duplicate', 'Dictionary', a).bool(0, false) ? deepCopy(d) : shallowDict(d)),
  },
  merge: {
    min: 1, max: 2, mutates: true,
    fn: (d, a) => {
      const r = new ArgReader('merge', 'Dictionary', a);
      const other = r.dict(0);
      const overwrite = r.bool(1, false);
      for (const [k, v] of other.entries()) if (overwrite || !d.has(k)) d.set(k, v);
      checkCollectionSize('Dictionary', d.size);
      return null;
    },
  },
  merged: {
    min: 1, max: 2,
    fn: (d, a) => {
      const r = new ArgReader('merged', 'Dictionary', a);
      const out = shallowDict(d);
      const overwrite = r.bool(1, false);
      for (const [k, v] of r.dict(0).entries()) if (overwrite || !out.has(k)) out.set(k, v);
      return out;
    },
  },
  find_key: {
    min: 1, max: 1,
    fn: (d, a) => {
      for (const [k, v] of d.entries()) if (containerEquals(v, a[0])) return k;
      return null;
    },
  },
  recursive_equal: { min: 2, max: 2, fn: (d, a) => containerEquals(d, new ArgReader('recursive_equal', 'Dictionary', a).dict(0)) },
  is_read_only: { min: 0, max: 0, fn: (d) => d.readOnly },
  make_read_only: { min: 0, max: 0, fn: (d) => { d.readOnly = true; return null; } },
  hash: { min: 0, max: 0, fn: (d) => stringHash(stringify(d)) },
};

// ---- Callable ----------------------------------------------------------------------------

/** Callable methods other than call()/callv()/call_deferred(), which the VM runs itself. */
const callableMethods: Record<string, MethodSpec<GdCallable>> = {
  call: { min: 0, max: Infinity, fn: (c, a, ctx) => ctx.invoke(c, a) },
  callv: { min: 1, max: 1, fn: (c, a, ctx) => ctx.invoke(c, new ArgReader('callv', 'Callable', a).array(0).items) },
  bind: { min: 0, max: Infinity, fn: (c, a) => c.bind(a.slice()) },
  bindv: { min: 1, max: 1, fn: (c, a) => c.bind(new ArgReader('bindv', 'Callable', a).array(0).items.slice()) },
  unbind: {
    min: 1, max: 1,
    fn: (c, a, ctx) => {
      const n = new ArgReader('unbind', 'Callable', a).int(0);
      if (n <= 0) {
        ctx.warn('Amount of unbind() arguments must be 1 or greater.');
        return c;
      }
      return c.unbind(n);
    },
  },
  is_valid: { min: 0, max: 0, fn: () => true },
  is_null: { min: 0, max: 0, fn: () => false },
  is_custom: { min: 0, max: 0, fn: (c) => c.lambda !== undefined || c.inner !== undefined },
  is_standard: { min: 0, max: 0, fn: (c) => c.lambda === undefined && c.inner === undefined },
  get_method: { min: 0, max: 0, fn: (c) => GdStringName.of(c.lambda ? '' : c.resolve([]).callable.name) },
  get_object: { min: 0, max: 0, fn: (c) => (c.resolve([]).callable.target as Value) ?? null },
  get_bound_arguments: { min: 0, max: 0, fn: (c) => new GdArray(c.boundArguments()) },
  get_bound_arguments_count: { min: 0, max: 0, fn: (c) => c.boundArguments().length },
  get_argument_count: {
    min: 0, max: 0,
    fn: (c) => {
      const base = c.resolve([]).callable;
      const fn = base.lambda?.fn as { paramCount?: number } | undefined;
      let n = fn?.paramCount ?? 0;
      const target = base.target as { cls?: { methods: Map<string, { paramCount: number }> } } | null;
      const method = target?.cls?.methods.get(base.name);
      if (method) n = method.paramCount;
      for (let x: GdCallable | undefined = c; x?.inner; x = x.inner) {
        if (x.bound) n -= x.bound.length;
        if (x.unbound) n += x.unbound;
      }
      return n;
    },
  },
  hash: { min: 0, max: 0, fn: (c) => stringHash(stringify(c)) },
};

/** The methods of one builtin type by name (the value types in their own files have one each). */
export type TypeMethods = Record<string, MethodSpec<never>>;

// ---- dispatch -----------------------------------------------------------------------------

type MethodTable = [Record<string, MethodSpec<never>>, string];
// One tuple per type, so that looking a table up allocates nothing (it happens on every method call).
const STRING_TABLE: MethodTable = [stringMethods as Record<string, MethodSpec<never>>, 'String'];
const STRING_NAME_TABLE: MethodTable = [stringMethods as Record<string, MethodSpec<never>>, 'StringName'];
const NODE_PATH_TABLE: MethodTable = [stringMethods as Record<string, MethodSpec<never>>, 'NodePath'];
const ARRAY_TABLE: MethodTable = [arrayMethods as Record<string, MethodSpec<never>>, 'Array'];
const DICTIONARY_TABLE: MethodTable = [dictionaryMethods as Record<string, MethodSpec<never>>, 'Dictionary'];
const BYTES_TABLE: MethodTable = [bytesMethods as Record<string, MethodSpec<never>>, 'PackedByteArray'];
const CALLABLE_TABLE: MethodTable = [callableMethods as Record<string, MethodSpec<never>>, 'Callable'];

function tableFor(receiver: Value): MethodTable | undefined {
  if (typeof receiver === 'string') return STRING_TABLE;
  if (receiver instanceof GdArray) return ARRAY_TABLE;
  if (receiver instanceof GdDictionary) return DICTIONARY_TABLE;
  if (receiver instanceof GdStringName) return STRING_NAME_TABLE;
  if (receiver instanceof GdNodePath) return NODE_PATH_TABLE;
  if (receiver instanceof GdPackedByteArray) return BYTES_TABLE;
  if (receiver instanceof GdCallable) return CALLABLE_TABLE;
  if (receiver instanceof GdBuiltinValue) return [receiver.methods, receiver.typeName];
  return undefined;
}

/** Whether `receiver` is a builtin value whose methods live here (String, Array, ...). */
export function hasBuiltinMethods(receiver: Value): boolean {
  return tableFor(receiver) !== undefined;
}

export function hasBuiltinMethod(receiver: Value, method: string): boolean {
  const t = tableFor(receiver);
  return t !== undefined && Object.prototype.hasOwnProperty.call(t[0], method);
}

/** Calls a builtin method; throws ScriptError with Godot's wording for unknown methods or bad arguments. */
export function callBuiltinMethod(receiver: Value, method: string, args: Value[], ctx: MethodContext): Value {
  const t = tableFor(receiver);
  const base = t ? t[1] : typeName(receiver);
  const spec = t && Object.prototype.hasOwnProperty.call(t[0], method) ? t[0][method] : undefined;
  if (!spec) throw new ScriptError(`Invalid call. Nonexistent function '${method}' in base '${base}'.`);
  if (args.length < spec.min || args.length > spec.max) {
    const expected = args.length < spec.min ? spec.min : spec.max;
    throw new ScriptError(`Invalid call to function '${method}' in base '${base}'. Expected ${expected} argument${expected === 1 ? '' : 's'}.`);
  }
  if (spec.mutates && (receiver instanceof GdArray || receiver instanceof GdDictionary) && receiver.readOnly) {
    ctx.warn(`${receiver instanceof GdArray ? 'Array' : 'Dictionary'} is in read-only state.`);
    return null;
  }
  const self = isStringLike(receiver) ? stringValue(receiver) : receiver;
  return (spec.fn as Method<Value>)(self, args, ctx);
}

const TABLES_BY_TYPE: Readonly<Record<string, Record<string, MethodSpec<never>>>> = {
  String: stringMethods as Record<string, MethodSpec<never>>,
  StringName: stringMethods as Record<string, MethodSpec<never>>,
  NodePath: stringMethods as Record<string, MethodSpec<never>>,
  Array: arrayMethods as Record<string, MethodSpec<never>>,
  Dictionary: dictionaryMethods as Record<string, MethodSpec<never>>,
  PackedByteArray: bytesMethods as Record<string, MethodSpec<never>>,
  Callable: callableMethods as Record<string, MethodSpec<never>>,
};

/**
 * The methods of a builtin type by Godot type name (String, StringName, NodePath, Array, Dictionary,
 * PackedByteArray, Callable) with their argument counts, for static checks and completion; undefined for
 * other types.
 */
export function builtinMethodArities(typeName: string): ReadonlyMap<string, { min: number; max: number }> | undefined {
  const table = Object.prototype.hasOwnProperty.call(TABLES_BY_TYPE, typeName) ? TABLES_BY_TYPE[typeName] : undefined;
  return table && new Map(Object.entries(table).map(([name, spec]) => [name, { min: spec.min, max: spec.max }]));
}
