// Methods of builtin types: String, PackedByteArray, Array, Dictionary, Callable.
// `"hello".to_utf8_buffer()`, `msg.get_string_from_utf8()`, `peers.append(peer)`, `d.keys()`...

import { createHash } from 'node:crypto';
import { ScriptError } from './host';
import { looselyEqual, truthy, binaryOperation, BinOp } from './operators';
import { stringify } from './stringify';
import { convertElement, simpleType } from './types';
import {
  GdArray, GdCallable, GdDictionary, GdFloat, GdPackedByteArray, makeFloat, makeInt, typeName, type Value,
} from './values';

/** What a builtin method may need from the interpreter. */
export interface MethodContext {
  /** Print a Godot-style error line (ERR_FAIL_* style) without stopping the script. */
  warn(message: string): void;
  /** Call a Callable synchronously (Array.map, filter, sort_custom, Callable.call inside natives...). */
  invoke(callable: GdCallable, args: Value[]): Value;
}

type Method<T> = (self: T, args: Value[], ctx: MethodContext) => Value;
interface MethodSpec<T> {
  min: number;
  max: number;
  fn: Method<T>;
}

const INT_MAX = 9223372036854775807;

// ---- argument helpers ------------------------------------------------------------------------

class ArgReader {
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
    if (v instanceof GdFloat) return makeInt(v.value);
    if (typeof v === 'boolean') return v ? 1 : 0;
    return this.bad(i, 'int');
  }
  float(i: number, def?: number): number {
    const v = this.args[i];
    if (v === undefined && def !== undefined) return def;
    if (typeof v === 'number') return v;
    if (v instanceof GdFloat) return v.value;
    return this.bad(i, 'float');
  }
  str(i: number, def?: string): string {
    const v = this.args[i];
    if (v === undefined && def !== undefined) return def;
    if (typeof v === 'string') return v;
    return this.bad(i, 'String');
  }
  bool(i: number, def?: boolean): boolean {
    const v = this.args[i];
    if (v === undefined && def !== undefined) return def;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
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

/** Godot clamps slice/substr bounds and accepts negative indices from the end. */
function normalizeIndex(i: number, size: number): number {
  return i < 0 ? Math.max(0, size + i) : Math.min(i, size);
}

function boundsMessage(index: number, size: number): string {
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

function utf8Encode(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf8'));
}

const WHITESPACE_EDGES = /^[\s\u0000-\u0020]+|[\s\u0000-\u0020]+$/g;

const stringMethods: Record<string, MethodSpec<string>> = {
  length: { min: 0, max: 0, fn: (s) => strLength(s) },
  is_empty: { min: 0, max: 0, fn: (s) => s.length === 0 },
  substr: {
    min: 1, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('substr', 'String', a);
      const from = r.int(0);
      const len = r.int(1, -1);
      const n = strLength(s);
      if (from < 0 || from > n) return '';
      return strSlice(s, from, len < 0 ? undefined : from + len);
    },
  },
  left: {
    min: 1, max: 1,
    fn: (s, a) => {
      const n = new ArgReader('left', 'String', a).int(0);
      const len = strLength(s);
      return strSlice(s, 0, n < 0 ? Math.max(0, len + n) : n);
    },
  },
  right: {
    min: 1, max: 1,
    fn: (s, a) => {
      const n = new ArgReader('right', 'String', a).int(0);
      const len = strLength(s);
      return strSlice(s, n < 0 ? Math.min(len, -n) : Math.max(0, len - n));
    },
  },
  begins_with: { min: 1, max: 1, fn: (s, a) => s.startsWith(new ArgReader('begins_with', 'String', a).str(0)) },
  ends_with: { min: 1, max: 1, fn: (s, a) => s.endsWith(new ArgReader('ends_with', 'String', a).str(0)) },
  contains: { min: 1, max: 1, fn: (s, a) => s.includes(new ArgReader('contains', 'String', a).str(0)) },
  containsn: { min: 1, max: 1, fn: (s, a) => s.toLowerCase().includes(new ArgReader('containsn', 'String', a).str(0).toLowerCase()) },
  find: {
    min: 1, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('find', 'String', a);
      return s.indexOf(r.str(0), Math.max(0, r.int(1, 0)));
    },
  },
  rfind: {
    min: 1, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('rfind', 'String', a);
      const from = r.int(1, -1);
      return s.lastIndexOf(r.str(0), from < 0 ? undefined : from);
    },
  },
  count: {
    min: 1, max: 1,
    fn: (s, a) => {
      const what = new ArgReader('count', 'String', a).str(0);
      return what.length === 0 ? 0 : s.split(what).length - 1;
    },
  },
  split: {
    min: 0, max: 3,
    fn: (s, a) => {
      const r = new ArgReader('split', 'String', a);
      const delimiter = r.str(0, '');
      const allowEmpty = r.bool(1, true);
      const maxSplit = r.int(2, 0);
      let parts: string[];
      if (delimiter === '') {
        parts = Array.from(s);
      } else {
        parts = s.split(delimiter);
        if (maxSplit > 0 && parts.length > maxSplit + 1) {
          parts = [...parts.slice(0, maxSplit), parts.slice(maxSplit).join(delimiter)];
        }
      }
      if (!allowEmpty) parts = parts.filter((p) => p.length > 0);
      return new GdArray(parts, 'String');
    },
  },
  join: {
    min: 1, max: 1,
    fn: (s, a) => new ArgReader('join', 'String', a).array(0).items.map((x) => stringify(x)).join(s),
  },
  strip_edges: {
    min: 0, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('strip_edges', 'String', a);
      const left = r.bool(0, true);
      const right = r.bool(1, true);
      let out = s;
      if (left) out = out.replace(/^[\u0000-\u0020]+/, '');
      if (right) out = out.replace(/[\u0000-\u0020]+$/, '');
      return out;
    },
  },
  strip_escapes: { min: 0, max: 0, fn: (s) => s.replace(/[\u0000-\u001f]/g, '') },
  to_upper: { min: 0, max: 0, fn: (s) => s.toUpperCase() },
  to_lower: { min: 0, max: 0, fn: (s) => s.toLowerCase() },
  capitalize: {
    min: 0, max: 0,
    fn: (s) => s.replace(/_/g, ' ').replace(WHITESPACE_EDGES, '').split(/\s+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join(' '),
  },
  replace: {
    min: 2, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('replace', 'String', a);
      const what = r.str(0);
      return what === '' ? s : s.split(what).join(r.str(1));
    },
  },
  repeat: { min: 1, max: 1, fn: (s, a) => s.repeat(Math.max(0, new ArgReader('repeat', 'String', a).int(0))) },
  reverse: { min: 0, max: 0, fn: (s) => Array.from(s).reverse().join('') },
  trim_prefix: {
    min: 1, max: 1,
    fn: (s, a) => {
      const p = new ArgReader('trim_prefix', 'String', a).str(0);
      return p && s.startsWith(p) ? s.slice(p.length) : s;
    },
  },
  trim_suffix: {
    min: 1, max: 1,
    fn: (s, a) => {
      const p = new ArgReader('trim_suffix', 'String', a).str(0);
      return p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
    },
  },
  lpad: {
    min: 1, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('lpad', 'String', a);
      return s.padStart(r.int(0), r.str(1, ' ') || ' ');
    },
  },
  rpad: {
    min: 1, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('rpad', 'String', a);
      return s.padEnd(r.int(0), r.str(1, ' ') || ' ');
    },
  },
  pad_zeros: {
    min: 1, max: 1,
    fn: (s, a) => {
      const digits = new ArgReader('pad_zeros', 'String', a).int(0);
      const neg = s.startsWith('-');
      const body = neg ? s.slice(1) : s;
      const dot = body.indexOf('.');
      const intPart = dot < 0 ? body : body.slice(0, dot);
      return (neg ? '-' : '') + intPart.padStart(digits, '0') + (dot < 0 ? '' : body.slice(dot));
    },
  },
  is_valid_int: { min: 0, max: 0, fn: (s) => /^[+-]?\d+$/.test(s) },
  is_valid_float: { min: 0, max: 0, fn: (s) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) },
  is_valid_hex_number: {
    min: 0, max: 1,
    fn: (s, a) => (new ArgReader('is_valid_hex_number', 'String', a).bool(0, false) ? /^[+-]?0x[0-9a-fA-F]+$/ : /^[+-]?[0-9a-fA-F]+$/).test(s),
  },
  to_int: { min: 0, max: 0, fn: (s) => stringToInt(s) },
  to_float: { min: 0, max: 0, fn: (s) => makeFloat(stringToFloat(s)) },
  hex_to_int: {
    min: 0, max: 0,
    fn: (s) => {
      const m = /^([+-]?)(?:0x)?([0-9a-fA-F]+)$/.exec(s.trim());
      return m ? makeInt(BigInt((m[1] === '-' ? '-' : '') + '0x' + m[2])) : 0;
    },
  },
  unicode_at: {
    min: 1, max: 1,
    fn: (s, a, ctx) => {
      const i = new ArgReader('unicode_at', 'String', a).int(0);
      const cps = Array.from(s);
      if (i < 0 || i >= cps.length) {
        ctx.warn(boundsMessage(i, cps.length));
        return 0;
      }
      return cps[i].codePointAt(0) ?? 0;
    },
  },
  to_utf8_buffer: { min: 0, max: 0, fn: (s) => GdPackedByteArray.from(utf8Encode(s)) },
  to_ascii_buffer: {
    min: 0, max: 0,
    fn: (s) => GdPackedByteArray.from(Array.from(s, (ch) => { const c = ch.codePointAt(0) ?? 0; return c > 0x7f ? 0x3f : c; })),
  },
  to_utf16_buffer: { min: 0, max: 0, fn: (s) => GdPackedByteArray.from(new Uint8Array(Buffer.from(s, 'utf16le'))) },
  to_utf32_buffer: {
    min: 0, max: 0,
    fn: (s) => {
      const cps = Array.from(s, (c) => c.codePointAt(0) ?? 0);
      const out = new Uint8Array(cps.length * 4);
      const view = new DataView(out.buffer);
      cps.forEach((c, i) => view.setUint32(i * 4, c, true));
      return GdPackedByteArray.from(out);
    },
  },
  hex_decode: {
    min: 0, max: 0,
    fn: (s, _a, ctx) => {
      if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) {
        ctx.warn('Invalid hex string.');
        return GdPackedByteArray.from([]);
      }
      return GdPackedByteArray.from(new Uint8Array(Buffer.from(s, 'hex')));
    },
  },
  md5_text: { min: 0, max: 0, fn: (s) => hashText('md5', s) },
  sha1_text: { min: 0, max: 0, fn: (s) => hashText('sha1', s) },
  sha256_text: { min: 0, max: 0, fn: (s) => hashText('sha256', s) },
  format: {
    min: 1, max: 2,
    fn: (s, a) => {
      const r = new ArgReader('format', 'String', a);
      const values = r.value(0);
      const placeholder = r.str(1, '{_}');
      const [open, close] = placeholder.split('_');
      let out = s;
      const put = (key: string, v: Value): void => {
        out = out.split(open + key + close).join(stringify(v));
      };
      if (values instanceof GdDictionary) {
        for (const [k, v] of values.entries()) put(stringify(k), v);
      } else if (values instanceof GdArray) {
        values.items.forEach((v, i) => {
          if (v instanceof GdArray && v.items.length === 2) put(stringify(v.items[0]), v.items[1]);
          else put(String(i), v);
        });
      }
      return out;
    },
  },
};

function hashText(algorithm: string, s: string): string {
  return createHash(algorithm).update(s, 'utf8').digest('hex');
}

/** String.to_int(): leading sign and digits, ignoring other characters like Godot does. */
export function stringToInt(s: string): number {
  let sign = 1;
  let n = 0n;
  let seenDigit = false;
  for (const ch of s) {
    if (ch === '-' && !seenDigit) sign = -sign;
    else if (ch >= '0' && ch <= '9') {
      n = n * 10n + BigInt(ch.charCodeAt(0) - 48);
      seenDigit = true;
    } else if (ch === '.' && seenDigit) break;
  }
  return makeInt(BigInt(sign) * n);
}

/** String.to_float(): the longest valid prefix, 0 when there is none. */
export function stringToFloat(s: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
  if (m) return Number(m[0]);
  const t = s.trim().toLowerCase();
  if (t === 'inf' || t === '+inf') return Infinity;
  if (t === '-inf') return -Infinity;
  if (t === 'nan') return NaN;
  return 0;
}

// ---- PackedByteArray ---------------------------------------------------------------------

function decodeAt(b: GdPackedByteArray, offset: number, size: number, ctx: MethodContext): DataView | undefined {
  if (offset < 0 || offset + size > b.size) {
    ctx.warn(`Condition "p_offset > int64_t(size) - ${size}" is true. Returning: 0`);
    return undefined;
  }
  const bytes = b.bytes;
  return new DataView(bytes.buffer, bytes.byteOffset + offset, size);
}

function decoder(size: number, read: (v: DataView) => number, float = false): MethodSpec<GdPackedByteArray> {
  return {
    min: 1, max: 1,
    fn: (b, a, ctx) => {
      const view = decodeAt(b, new ArgReader('decode', 'PackedByteArray', a).int(0), size, ctx);
      if (!view) return float ? makeFloat(0) : 0;
      return float ? makeFloat(read(view)) : makeInt(read(view));
    },
  };
}

function encoder(size: number, write: (v: DataView, x: number) => void): MethodSpec<GdPackedByteArray> {
  return {
    min: 2, max: 2,
    fn: (b, a, ctx) => {
      const r = new ArgReader('encode', 'PackedByteArray', a);
      const view = decodeAt(b, r.int(0), size, ctx);
      if (view) write(view, r.float(1));
      return null;
    },
  };
}

const bytesMethods: Record<string, MethodSpec<GdPackedByteArray>> = {
  size: { min: 0, max: 0, fn: (b) => b.size },
  is_empty: { min: 0, max: 0, fn: (b) => b.size === 0 },
  get_string_from_utf8: { min: 0, max: 0, fn: (b) => Buffer.from(b.bytes).toString('utf8').replace(/\0[\s\S]*$/, '') },
  get_string_from_ascii: {
    min: 0, max: 0,
    fn: (b) => {
      let s = '';
      for (const c of b.bytes) {
        if (c === 0) break;
        s += String.fromCharCode(c & 0x7f);
      }
      return s;
    },
  },
  get_string_from_utf16: { min: 0, max: 0, fn: (b) => Buffer.from(b.bytes).toString('utf16le') },
  hex_encode: { min: 0, max: 0, fn: (b) => Buffer.from(b.bytes).toString('hex') },
  slice: {
    min: 1, max: 2,
    fn: (b, a) => {
      const r = new ArgReader('slice', 'PackedByteArray', a);
      const size = b.size;
      const begin = normalizeIndex(r.int(0), size);
      const end = normalizeIndex(r.int(1, INT_MAX), size);
      return GdPackedByteArray.from(b.bytes.subarray(begin, Math.max(begin, end)));
    },
  },
  append: { min: 1, max: 1, fn: (b, a) => { b.append(new ArgReader('append', 'PackedByteArray', a).int(0) & 0xff); return true; } },
  push_back: { min: 1, max: 1, fn: (b, a) => { b.append(new ArgReader('push_back', 'PackedByteArray', a).int(0) & 0xff); return true; } },
  append_array: { min: 1, max: 1, fn: (b, a) => { b.appendBytes(new ArgReader('append_array', 'PackedByteArray', a).bytes(0).toUint8Array()); return null; } },
  resize: { min: 1, max: 1, fn: (b, a) => { b.resize(Math.max(0, new ArgReader('resize', 'PackedByteArray', a).int(0))); return 0; } },
  clear: { min: 0, max: 0, fn: (b) => { b.resize(0); return null; } },
  has: { min: 1, max: 1, fn: (b, a) => { const v = a[0]; return typeof v === 'number' && b.bytes.includes(v); } },
  find: {
    min: 1, max: 2,
    fn: (b, a) => {
      const r = new ArgReader('find', 'PackedByteArray', a);
      return b.bytes.indexOf(r.int(0), Math.max(0, r.int(1, 0)));
    },
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
    min: 2, max: 2,
    fn: (b, a, ctx) => {
      const r = new ArgReader('set', 'PackedByteArray', a);
      const i = r.int(0);
      if (i < 0 || i >= b.size) ctx.warn(boundsMessage(i, b.size));
      else b.set(i, r.int(1) & 0xff);
      return null;
    },
  },
  insert: {
    min: 2, max: 2,
    fn: (b, a, ctx) => {
      const r = new ArgReader('insert', 'PackedByteArray', a);
      const i = r.int(0);
      if (i < 0 || i > b.size) {
        ctx.warn(boundsMessage(i, b.size));
        return 31; // ERR_INVALID_PARAMETER
      }
      b.insert(i, r.int(1) & 0xff);
      return 0;
    },
  },
  remove_at: {
    min: 1, max: 1,
    fn: (b, a, ctx) => {
      const i = new ArgReader('remove_at', 'PackedByteArray', a).int(0);
      if (i < 0 || i >= b.size) ctx.warn(boundsMessage(i, b.size));
      else b.removeAt(i);
      return null;
    },
  },
  fill: { min: 1, max: 1, fn: (b, a) => { b.bytes.fill(new ArgReader('fill', 'PackedByteArray', a).int(0) & 0xff); return null; } },
  reverse: { min: 0, max: 0, fn: (b) => { b.bytes.reverse(); return null; } },
  duplicate: { min: 0, max: 0, fn: (b) => GdPackedByteArray.from(b.bytes) },
  decode_u8: decoder(1, (v) => v.getUint8(0)),
  decode_s8: decoder(1, (v) => v.getInt8(0)),
  decode_u16: decoder(2, (v) => v.getUint16(0, true)),
  decode_s16: decoder(2, (v) => v.getInt16(0, true)),
  decode_u32: decoder(4, (v) => v.getUint32(0, true)),
  decode_s32: decoder(4, (v) => v.getInt32(0, true)),
  decode_u64: decoder(8, (v) => Number(BigInt.asIntN(64, v.getBigUint64(0, true)))),
  decode_s64: decoder(8, (v) => Number(v.getBigInt64(0, true))),
  decode_float: decoder(4, (v) => v.getFloat32(0, true), true),
  decode_double: decoder(8, (v) => v.getFloat64(0, true), true),
  encode_u8: encoder(1, (v, x) => v.setUint8(0, x & 0xff)),
  encode_s8: encoder(1, (v, x) => v.setInt8(0, x)),
  encode_u16: encoder(2, (v, x) => v.setUint16(0, x & 0xffff, true)),
  encode_s16: encoder(2, (v, x) => v.setInt16(0, x, true)),
  encode_u32: encoder(4, (v, x) => v.setUint32(0, x >>> 0, true)),
  encode_s32: encoder(4, (v, x) => v.setInt32(0, x, true)),
  encode_u64: encoder(8, (v, x) => v.setBigUint64(0, BigInt.asUintN(64, BigInt(Math.trunc(x))), true)),
  encode_s64: encoder(8, (v, x) => v.setBigInt64(0, BigInt.asIntN(64, BigInt(Math.trunc(x))), true)),
  encode_float: encoder(4, (v, x) => v.setFloat32(0, x, true)),
  encode_double: encoder(8, (v, x) => v.setFloat64(0, x, true)),
};

// ---- Array --------------------------------------------------------------------------------

function element(arr: GdArray, v: Value): Value {
  return arr.elementType ? convertElement(v, simpleType(arr.elementType)) : v;
}

function defaultLess(a: Value, b: Value): boolean {
  try {
    return binaryOperation(BinOp.Lt, a, b) === true;
  } catch {
    return typeName(a) < typeName(b);
  }
}

const arrayMethods: Record<string, MethodSpec<GdArray>> = {
  size: { min: 0, max: 0, fn: (a) => a.items.length },
  is_empty: { min: 0, max: 0, fn: (a) => a.items.length === 0 },
  append: { min: 1, max: 1, fn: (a, args) => { a.items.push(element(a, args[0])); return null; } },
  push_back: { min: 1, max: 1, fn: (a, args) => { a.items.push(element(a, args[0])); return null; } },
  push_front: { min: 1, max: 1, fn: (a, args) => { a.items.unshift(element(a, args[0])); return null; } },
  append_array: {
    min: 1, max: 1,
    fn: (a, args) => {
      const other = new ArgReader('append_array', 'Array', args).array(0);
      for (const x of other.items) a.items.push(element(a, x));
      return null;
    },
  },
  insert: {
    min: 2, max: 2,
    fn: (a, args, ctx) => {
      const r = new ArgReader('insert', 'Array', args);
      let i = r.int(0);
      if (i < 0) i += a.items.length;
      if (i < 0 || i > a.items.length) {
        ctx.warn(boundsMessage(r.int(0), a.items.length));
        return 31;
      }
      a.items.splice(i, 0, element(a, args[1]));
      return 0;
    },
  },
  pop_back: { min: 0, max: 0, fn: (a) => (a.items.length ? (a.items.pop() as Value) : null) },
  pop_front: { min: 0, max: 0, fn: (a) => (a.items.length ? (a.items.shift() as Value) : null) },
  pop_at: {
    min: 1, max: 1,
    fn: (a, args, ctx) => {
      let i = new ArgReader('pop_at', 'Array', args).int(0);
      if (i < 0) i += a.items.length;
      if (i < 0 || i >= a.items.length) {
        ctx.warn(boundsMessage(i, a.items.length));
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
    min: 1, max: 1,
    fn: (a, args) => {
      const i = a.items.findIndex((x) => looselyEqual(x, args[0]));
      if (i >= 0) a.items.splice(i, 1);
      return null;
    },
  },
  remove_at: {
    min: 1, max: 1,
    fn: (a, args, ctx) => {
      let i = new ArgReader('remove_at', 'Array', args).int(0);
      if (i < 0) i += a.items.length;
      if (i < 0 || i >= a.items.length) ctx.warn(boundsMessage(i, a.items.length));
      else a.items.splice(i, 1);
      return null;
    },
  },
  has: { min: 1, max: 1, fn: (a, args) => a.items.some((x) => looselyEqual(x, args[0])) },
  find: {
    min: 1, max: 2,
    fn: (a, args) => {
      const from = new ArgReader('find', 'Array', args).int(1, 0);
      for (let i = Math.max(0, from < 0 ? a.items.length + from : from); i < a.items.length; i++) {
        if (looselyEqual(a.items[i], args[0])) return i;
      }
      return -1;
    },
  },
  rfind: {
    min: 1, max: 2,
    fn: (a, args) => {
      let from = new ArgReader('rfind', 'Array', args).int(1, -1);
      if (from < 0) from += a.items.length;
      for (let i = Math.min(from, a.items.length - 1); i >= 0; i--) if (looselyEqual(a.items[i], args[0])) return i;
      return -1;
    },
  },
  count: { min: 1, max: 1, fn: (a, args) => a.items.filter((x) => looselyEqual(x, args[0])).length },
  clear: { min: 0, max: 0, fn: (a) => { a.items.length = 0; return null; } },
  resize: {
    min: 1, max: 1,
    fn: (a, args) => {
      const n = Math.max(0, new ArgReader('resize', 'Array', args).int(0));
      const old = a.items.length;
      a.items.length = n;
      for (let i = old; i < n; i++) a.items[i] = null;
      return 0;
    },
  },
  fill: { min: 1, max: 1, fn: (a, args) => { a.items.fill(element(a, args[0])); return null; } },
  reverse: { min: 0, max: 0, fn: (a) => { a.items.reverse(); return null; } },
  duplicate: {
    min: 0, max: 1,
    fn: (a, args) => (new ArgReader('duplicate', 'Array', args).bool(0, false) ? deepCopy(a) : new GdArray(a.items.slice(), a.elementType)),
  },
  slice: {
    min: 1, max: 4,
    fn: (a, args) => {
      const r = new ArgReader('slice', 'Array', args);
      const size = a.items.length;
      const begin = normalizeIndex(r.int(0), size);
      const end = normalizeIndex(r.int(1, INT_MAX), size);
      const step = r.int(2, 1);
      const out: Value[] = [];
      if (step > 0) for (let i = begin; i < end; i += step) out.push(a.items[i]);
      return new GdArray(out, a.elementType);
    },
  },
  sort: { min: 0, max: 0, fn: (a) => { a.items.sort((x, y) => (defaultLess(x, y) ? -1 : defaultLess(y, x) ? 1 : 0)); return null; } },
  sort_custom: {
    min: 1, max: 1,
    fn: (a, args, ctx) => {
      const c = new ArgReader('sort_custom', 'Array', args).callable(0);
      a.items.sort((x, y) => (truthy(ctx.invoke(c, [x, y])) ? -1 : truthy(ctx.invoke(c, [y, x])) ? 1 : 0));
      return null;
    },
  },
  min: { min: 0, max: 0, fn: (a) => (a.items.length ? a.items.reduce((m, x) => (defaultLess(x, m) ? x : m)) : null) },
  max: { min: 0, max: 0, fn: (a) => (a.items.length ? a.items.reduce((m, x) => (defaultLess(m, x) ? x : m)) : null) },
  pick_random: { min: 0, max: 0, fn: (a) => (a.items.length ? a.items[Math.floor(Math.random() * a.items.length)] : null) },
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
      let acc: Value;
      let start = 0;
      if (args.length > 1) acc = args[1];
      else {
        if (!a.items.length) return null;
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
};

function deepCopy(v: Value): Value {
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

const dictionaryMethods: Record<string, MethodSpec<GdDictionary>> = {
  size: { min: 0, max: 0, fn: (d) => d.size },
  is_empty: { min: 0, max: 0, fn: (d) => d.size === 0 },
  has: { min: 1, max: 1, fn: (d, a) => d.has(a[0]) },
  has_all: { min: 1, max: 1, fn: (d, a) => new ArgReader('has_all', 'Dictionary', a).array(0).items.every((k) => d.has(k)) },
  get: { min: 1, max: 2, fn: (d, a) => { const v = d.get(a[0]); return v === undefined ? (a[1] ?? null) : v; } },
  get_or_add: {
    min: 1, max: 2,
    fn: (d, a) => {
      const v = d.get(a[0]);
      if (v !== undefined) return v;
      d.set(a[0], a[1] ?? null);
      return a[1] ?? null;
    },
  },
  set: { min: 2, max: 2, fn: (d, a) => { d.set(a[0], a[1]); return true; } },
  erase: { min: 1, max: 1, fn: (d, a) => d.erase(a[0]) },
  keys: { min: 0, max: 0, fn: (d) => new GdArray(d.keys()) },
  values: { min: 0, max: 0, fn: (d) => new GdArray(d.values()) },
  clear: { min: 0, max: 0, fn: (d) => { d.clear(); return null; } },
  duplicate: {
    min: 0, max: 1,
    fn: (d, a) => {
      if (new ArgReader('duplicate', 'Dictionary', a).bool(0, false)) return deepCopy(d);
      const out = new GdDictionary();
      for (const [k, v] of d.entries()) out.set(k, v);
      return out;
    },
  },
  merge: {
    min: 1, max: 2,
    fn: (d, a) => {
      const r = new ArgReader('merge', 'Dictionary', a);
      const other = r.dict(0);
      const overwrite = r.bool(1, false);
      for (const [k, v] of other.entries()) if (overwrite || !d.has(k)) d.set(k, v);
      return null;
    },
  },
  find_key: {
    min: 1, max: 1,
    fn: (d, a) => {
      for (const [k, v] of d.entries()) if (looselyEqual(v, a[0])) return k;
      return null;
    },
  },
};

// ---- Callable ----------------------------------------------------------------------------

const callableMethods: Record<string, MethodSpec<GdCallable>> = {
  call: { min: 0, max: Infinity, fn: (c, a, ctx) => ctx.invoke(c, a) },
  callv: { min: 1, max: 1, fn: (c, a, ctx) => ctx.invoke(c, new ArgReader('callv', 'Callable', a).array(0).items) },
  is_valid: { min: 0, max: 0, fn: () => true },
  get_method: { min: 0, max: 0, fn: (c) => c.name },
};

// ---- dispatch -----------------------------------------------------------------------------

function tableFor(receiver: Value): [Record<string, MethodSpec<never>>, string] | undefined {
  if (typeof receiver === 'string') return [stringMethods as Record<string, MethodSpec<never>>, 'String'];
  if (receiver instanceof GdArray) return [arrayMethods as Record<string, MethodSpec<never>>, 'Array'];
  if (receiver instanceof GdDictionary) return [dictionaryMethods as Record<string, MethodSpec<never>>, 'Dictionary'];
  if (receiver instanceof GdPackedByteArray) return [bytesMethods as Record<string, MethodSpec<never>>, 'PackedByteArray'];
  if (receiver instanceof GdCallable) return [callableMethods as Record<string, MethodSpec<never>>, 'Callable'];
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
  return (spec.fn as Method<Value>)(receiver, args, ctx);
}
