// Godot 4's binary Variant encoding (core/io/marshalls.cpp), used by PacketPeer.put_var/get_var,
// StreamPeer.put_var/get_var, Marshalls.variant_to_base64 and var_to_bytes()/bytes_to_var().
//
// Every value starts with a little-endian uint32 header: the Variant type in the low byte, and bit
// 16 as a flag (64-bit int/float, or "object as id"). Then:
//   NIL: nothing · BOOL: uint32 · INT: int32, or int64 with the flag · FLOAT: float32, or float64 with
//   the flag · STRING: uint32 byte length + UTF-8 + zero padding to 4 · ARRAY: uint32 count + values ·
//   DICTIONARY: uint32 count + key/value pairs · PACKED_BYTE_ARRAY: uint32 length + bytes + padding ·
//   OBJECT (without full objects): uint64 instance id · Vector2/3/4, Rect2, Color: float32 components ·
//   Vector2i/3i/4i, Rect2i: int32 components · packed arrays: uint32 count + elements (PackedStringArray:
//   each string's length includes a NUL terminator, then padding to 4).

import type { Value } from '../gdscript/host';
import {
  GdArray, GdBuiltinValue, GdCallable, GdDictionary, GdFloat, GdPackedByteArray, VariantType, isNativeObject, isScriptObject, makeFloat, makeInt,
} from '../gdscript/values';
import { GdColor } from '../gdscript/color';
import { GdPackedArray, PACKED_STRING, packedFromBytes, packedKindByVariant } from '../gdscript/packed-arrays';
import { GdRect, RECT2, RECT2I } from '../gdscript/rect';
import { GdVector, VECTOR_KINDS } from '../gdscript/vectors';
import { ErrorCode } from './error-codes';

const FLAG_64 = 1 << 16;
const FLAG_OBJECT_AS_ID = 1 << 16;
/** Variant::MAX_RECURSION_DEPTH */
const MAX_DEPTH = 1024;
const VARIANT_MAX = 39;

export type EncodeResult = { ok: true; bytes: Uint8Array } | { ok: false; error: number; message: string };
export type DecodeResult = { ok: true; value: Value; length: number } | { ok: false; error: number; message: string };

class Writer {
  private buffer = new Uint8Array(64);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }
  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }
  i32(v: number): void {
    this.reserve(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }
  i64(v: bigint): void {
    this.reserve(8);
    this.view.setBigInt64(this.length, v, true);
    this.length += 8;
  }
  f32(v: number): void {
    this.reserve(4);
    this.view.setFloat32(this.length, v, true);
    this.length += 4;
  }
  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buffer.set(b, this.length);
    this.length += b.length;
  }
  pad(): void {
    while (this.length % 4) this.bytes(new Uint8Array(1));
  }
  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

class EncodeError extends Error {
  constructor(
    readonly error: number,
    message: string,
  ) {
    super(message);
  }
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** Godot's encode_variant(); objects are encoded as their instance id (full_objects is not supported). */
export function encodeVariant(value: Value, maxSize = Infinity): EncodeResult {
  const w = new Writer();
  try {
    encode(value, w, 0, maxSize);
  } catch (e) {
    if (e instanceof EncodeError) return { ok: false, error: e.error, message: e.message };
    throw e;
  }
  return { ok: true, bytes: w.result() };
}

function encode(value: Value, w: Writer, depth: number, maxSize: number): void {
  if (depth > MAX_DEPTH) throw new EncodeError(ErrorCode.ERR_OUT_OF_MEMORY, 'Potential infinite recursion detected. Bailing.');
  if (w.length > maxSize) throw new EncodeError(ErrorCode.ERR_OUT_OF_MEMORY, `the encoded value is bigger than ${maxSize} bytes`);
  if (value === null) return w.u32(VariantType.NIL);
  if (typeof value === 'boolean') {
    w.u32(VariantType.BOOL);
    return w.u32(value ? 1 : 0);
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (value > 2147483647 || value < -2147483648) {
      w.u32(VariantType.INT | FLAG_64);
      return w.i64(BigInt.asIntN(64, BigInt(value)));
    }
    w.u32(VariantType.INT);
    return w.i32(Number(value));
  }
  if (value instanceof GdFloat) {
    const d = value.value;
    if (Math.fround(d) !== d && !Number.isNaN(d)) {
      w.u32(VariantType.FLOAT | FLAG_64);
      return w.f64(d);
    }
    w.u32(VariantType.FLOAT);
    return w.f32(d);
  }
  if (typeof value === 'string') {
    w.u32(VariantType.STRING);
    const b = utf8.encode(value);
    w.u32(b.length);
    w.bytes(b);
    return w.pad();
  }
  if (value instanceof GdPackedByteArray) {
    w.u32(VariantType.PACKED_BYTE_ARRAY);
    w.u32(value.size);
    w.bytes(value.bytes);
    return w.pad();
  }
  if (value instanceof GdArray) {
    w.u32(VariantType.ARRAY);
    w.u32(value.items.length);
    for (const item of value.items) encode(item, w, depth + 1, maxSize);
    return;
  }
  if (value instanceof GdDictionary) {
    w.u32(VariantType.DICTIONARY);
    w.u32(value.size);
    for (const [k, v] of value.entries()) {
      encode(k, w, depth + 1, maxSize);
      encode(v, w, depth + 1, maxSize);
    }
    return;
  }
  if (value instanceof GdBuiltinValue) return encodeValueType(value, w);
  if (value instanceof GdCallable) throw new EncodeError(ErrorCode.ERR_INVALID_DATA, 'a Callable cannot be encoded.');
  if (isNativeObject(value) || isScriptObject(value)) {
    w.u32(VariantType.OBJECT | FLAG_OBJECT_AS_ID);
    const id = (value as { instanceId?: number }).instanceId ?? 0;
    return w.i64(BigInt(id));
  }
  throw new EncodeError(ErrorCode.ERR_INVALID_DATA, 'this value cannot be encoded.');
}

/**
 * Vectors, Color and Rect2 as Godot 4 encodes them in a standard (float real_t) build: float
 * components as float32, integer ones as int32. Packed arrays: uint32 count, then the elements
 * (int32/int64/float32/float64, Vector2 = 2 float32, Color = 4 float32, strings as above).
 */
function encodeValueType(value: GdBuiltinValue, w: Writer): void {
  w.u32(value.variantType);
  if (value instanceof GdVector) {
    for (const x of value.c) value.kind.integer ? w.i32(x) : w.f32(x);
    return;
  }
  if (value instanceof GdRect) {
    for (const x of [...value.position.c, ...value.size.c]) value.kind === RECT2I ? w.i32(x) : w.f32(x);
    return;
  }
  if (value instanceof GdColor) {
    for (const x of value.components) w.f32(x);
    return;
  }
  if (value instanceof GdPackedArray) {
    w.u32(value.items.length);
    if (value.kind === PACKED_STRING) {
      // Each string: uint32 length counting a terminating NUL, UTF-8, NUL, padding (unlike a lone String).
      for (const item of value.items) {
        const b = utf8.encode(item as string + '\0');
        w.u32(b.length);
        w.bytes(b);
        w.pad();
      }
      return;
    }
    return w.bytes(value.toBytes());
  }
  throw new EncodeError(ErrorCode.ERR_INVALID_DATA, `a ${value.typeName} cannot be encoded.`);
}

/** The value types' decoding (see encodeValueType); undefined for other Variant types. */
function decodeValueType(type: number, r: Reader): Value | undefined {
  const vector = VECTOR_KINDS.find((k) => k.variant === type);
  if (vector) return new GdVector(vector, Array.from({ length: vector.size }, () => (vector.integer ? r.i32() : r.f32())));
  if (type === VariantType.RECT2 || type === VariantType.RECT2I) {
    const c = Array.from({ length: 4 }, () => (type === VariantType.RECT2I ? r.i32() : r.f32()));
    return new GdRect(type === VariantType.RECT2I ? RECT2I : RECT2, c.slice(0, 2), c.slice(2));
  }
  if (type === VariantType.COLOR) return new GdColor(r.f32(), r.f32(), r.f32(), r.f32());
  const packed = packedKindByVariant(type);
  if (!packed) return undefined;
  const count = r.u32();
  if (packed === PACKED_STRING) {
    const items: Value[] = [];
    for (let i = 0; i < count; i++) {
      const s = utf8Decoder.decode(r.bytes(r.u32()));
      const nul = s.indexOf('\0');
      items.push(nul >= 0 ? s.slice(0, nul) : s);
      r.pad();
    }
    return new GdPackedArray(packed, items);
  }
  r.need(count * packed.byteSize);
  return packedFromBytes(packed, r.bytes(count * packed.byteSize));
}

class Reader {
  private readonly view: DataView;
  offset = 0;
  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  need(n: number): void {
    if (this.offset + n > this.data.length) throw new EncodeError(ErrorCode.ERR_INVALID_DATA, 'the data ends in the middle of a value.');
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return v;
  }
  i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.offset, true);
    this.offset += 8;
    return v;
  }
  f32(): number {
    this.need(4);
    const v = this.view.getFloat32(this.offset, true);
    this.offset += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const b = this.data.slice(this.offset, this.offset + n);
    this.offset += n;
    return b;
  }
  pad(): void {
    while (this.offset % 4) this.offset++;
    if (this.offset > this.data.length) throw new EncodeError(ErrorCode.ERR_INVALID_DATA, 'the data ends in the middle of a value.');
  }
}

/** Godot's decode_variant(). `allowObjects` = get_var(true): objects are never rebuilt in the lab. */
export function decodeVariant(data: Uint8Array, allowObjects = false): DecodeResult {
  const r = new Reader(data);
  try {
    const value = decode(r, 0, allowObjects);
    return { ok: true, value, length: r.offset };
  } catch (e) {
    if (e instanceof EncodeError) return { ok: false, error: e.error, message: e.message };
    throw e;
  }
}

function decode(r: Reader, depth: number, allowObjects: boolean): Value {
  if (depth > MAX_DEPTH) throw new EncodeError(ErrorCode.ERR_OUT_OF_MEMORY, 'Variant is too deep. Bailing.');
  const header = r.u32();
  const type = header & 0xff;
  const flag = (header & FLAG_64) !== 0;
  if (type >= VARIANT_MAX) throw new EncodeError(ErrorCode.ERR_INVALID_DATA, `unknown Variant type ${type}.`);
  switch (type) {
    case VariantType.NIL:
      return null;
    case VariantType.BOOL:
      return r.u32() !== 0;
    case VariantType.INT:
      return flag ? makeInt(r.i64()) : r.i32();
    case VariantType.FLOAT:
      return makeFloat(flag ? r.f64() : r.f32());
    case VariantType.STRING:
    case VariantType.STRING_NAME: {
      const n = r.u32();
      const s = utf8Decoder.decode(r.bytes(n));
      r.pad();
      return s;
    }
    case VariantType.PACKED_BYTE_ARRAY: {
      const n = r.u32();
      const b = r.bytes(n);
      r.pad();
      return new GdPackedByteArray(b);
    }
    case VariantType.ARRAY: {
      const count = r.u32() & 0x7fffffff;
      const items: Value[] = [];
      for (let i = 0; i < count; i++) items.push(decode(r, depth + 1, allowObjects));
      return new GdArray(items);
    }
    case VariantType.DICTIONARY: {
      const count = r.u32() & 0x7fffffff;
      const d = new GdDictionary();
      for (let i = 0; i < count; i++) {
        const k = decode(r, depth + 1, allowObjects);
        d.set(k, decode(r, depth + 1, allowObjects));
      }
      return d;
    }
    case VariantType.OBJECT: {
      if (header & FLAG_OBJECT_AS_ID) return makeInt(r.i64()); // Godot gives an EncodedObjectAsID; the lab gives the id.
      if (!allowObjects) throw new EncodeError(ErrorCode.ERR_UNAUTHORIZED, 'objects are not allowed (get_var(false)).');
      throw new EncodeError(ErrorCode.ERR_UNAVAILABLE, 'full objects cannot be decoded in the lab.');
    }
    default: {
      const v = decodeValueType(type, r);
      if (v !== undefined) return v;
      throw new EncodeError(ErrorCode.ERR_INVALID_DATA, `Variant type ${type} is not supported by the lab's decoder.`);
    }
  }
}
