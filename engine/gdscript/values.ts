// Godot Variant-like values.
//
// Representation:
//   null             → Nil
//   boolean          → bool
//   number           → int (always an integer-valued JS number; 64-bit wrap-around is emulated,
//                      precision beyond ±2^53 is lost)
//   GdFloat          → float (a tiny wrapper so that 1 (int) and 1.0 (float) stay distinct)
//   string           → String (also used for StringName &"..." and NodePath ^"..." for now)
//   GdArray          → Array (reference semantics, optional element type for Array[T])
//   GdDictionary     → Dictionary (insertion ordered, Godot key equality)
//   GdPackedByteArray→ PackedByteArray (reference semantics, like Godot 4)
//   GdCallable       → Callable (script function or lambda)
//   GdClassRef       → a native class used as a value (PacketPeerDTLS, OS, ...)
//   GdScriptObject   → a script instance (`self`)
//   NativeObject     → an object provided by the host (see host.ts)

import type { NativeClass, NativeObject } from './host';

export class GdFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
}

export type Value =
  | null
  | boolean
  | number
  | GdFloat
  | string
  | GdArray
  | GdDictionary
  | GdPackedByteArray
  | GdCallable
  | GdClassRef
  | GdScriptObject
  | NativeObject;

// ---- constructors and type guards ----------------------------------------------------------

/** An int value. Non-integers are truncated toward zero; results are wrapped to 64 bits. */
export function makeInt(n: number | bigint): number {
  if (typeof n === 'bigint') return Number(BigInt.asIntN(64, n));
  if (Number.isSafeInteger(n)) return n === 0 ? 0 : n; // normalise -0
  if (!Number.isFinite(n)) return n !== n ? 0 : n > 0 ? 9223372036854775807 : -9223372036854775808;
  const t = Math.trunc(n);
  return Number.isSafeInteger(t) ? t : Number(BigInt.asIntN(64, BigInt(t)));
}
const FLOAT_ZERO = new GdFloat(0);
const FLOAT_ONE = new GdFloat(1);
export function makeFloat(n: number): GdFloat {
  if (n === 0 && !Object.is(n, -0)) return FLOAT_ZERO;
  if (n === 1) return FLOAT_ONE;
  return new GdFloat(n);
}
export function makeBool(b: boolean): boolean {
  return b;
}
export function makeString(s: string): string {
  return s;
}
export function makeArray(items: Value[] = [], elementType?: string): GdArray {
  return new GdArray(items, elementType);
}
export function makeDictionary(entries: [Value, Value][] = []): GdDictionary {
  const d = new GdDictionary();
  for (const [k, v] of entries) d.set(k, v);
  return d;
}
export function makeBytes(bytes: Uint8Array | number[] = []): GdPackedByteArray {
  return GdPackedByteArray.from(bytes);
}

export function isNil(v: Value): v is null {
  return v === null;
}
export function isBool(v: Value): v is boolean {
  return typeof v === 'boolean';
}
export function isInt(v: Value): v is number {
  return typeof v === 'number';
}
export function isFloat(v: Value): v is GdFloat {
  return v instanceof GdFloat;
}
/** int or float */
export function isNumber(v: Value): v is number | GdFloat {
  return typeof v === 'number' || v instanceof GdFloat;
}
export function isString(v: Value): v is string {
  return typeof v === 'string';
}
export function isArray(v: Value): v is GdArray {
  return v instanceof GdArray;
}
export function isDictionary(v: Value): v is GdDictionary {
  return v instanceof GdDictionary;
}
export function isBytes(v: Value): v is GdPackedByteArray {
  return v instanceof GdPackedByteArray;
}
export function isCallable(v: Value): v is GdCallable {
  return v instanceof GdCallable;
}
export function isClassRef(v: Value): v is GdClassRef {
  return v instanceof GdClassRef;
}
export function isScriptObject(v: Value): v is GdScriptObject {
  return v instanceof GdScriptObject;
}
/** A host-provided object (anything object-like that is not one of the interpreter's own classes). */
export function isNativeObject(v: Value): v is NativeObject {
  return (
    typeof v === 'object' && v !== null &&
    !(v instanceof GdFloat) && !(v instanceof GdArray) && !(v instanceof GdDictionary) &&
    !(v instanceof GdPackedByteArray) && !(v instanceof GdCallable) && !(v instanceof GdClassRef) &&
    !(v instanceof GdScriptObject)
  );
}
/** The JS number of an int or float. */
export function toNumber(v: number | GdFloat): number {
  return typeof v === 'number' ? v : v.value;
}

// ---- Variant types -------------------------------------------------------------------------

/** Godot's Variant.Type values (as returned by typeof()). */
export const VariantType = {
  NIL: 0, BOOL: 1, INT: 2, FLOAT: 3, STRING: 4, VECTOR2: 5, VECTOR2I: 6, RECT2: 7, RECT2I: 8, VECTOR3: 9,
  VECTOR3I: 10, TRANSFORM2D: 11, VECTOR4: 12, VECTOR4I: 13, PLANE: 14, QUATERNION: 15, AABB: 16, BASIS: 17,
  TRANSFORM3D: 18, PROJECTION: 19, COLOR: 20, STRING_NAME: 21, NODE_PATH: 22, RID: 23, OBJECT: 24,
  CALLABLE: 25, SIGNAL: 26, DICTIONARY: 27, ARRAY: 28, PACKED_BYTE_ARRAY: 29, PACKED_INT32_ARRAY: 30,
  PACKED_INT64_ARRAY: 31, PACKED_FLOAT32_ARRAY: 32, PACKED_FLOAT64_ARRAY: 33, PACKED_STRING_ARRAY: 34,
  PACKED_VECTOR2_ARRAY: 35, PACKED_VECTOR3_ARRAY: 36, PACKED_COLOR_ARRAY: 37, PACKED_VECTOR4_ARRAY: 38,
} as const;

export function variantType(v: Value): number {
  if (v === null) return VariantType.NIL;
  switch (typeof v) {
    case 'boolean': return VariantType.BOOL;
    case 'number': return VariantType.INT;
    case 'string': return VariantType.STRING;
  }
  if (v instanceof GdFloat) return VariantType.FLOAT;
  if (v instanceof GdArray) return VariantType.ARRAY;
  if (v instanceof GdDictionary) return VariantType.DICTIONARY;
  if (v instanceof GdPackedByteArray) return VariantType.PACKED_BYTE_ARRAY;
  if (v instanceof GdCallable) return VariantType.CALLABLE;
  return VariantType.OBJECT;
}

/** Variant type name as Godot spells it in error messages: Nil, bool, int, float, String, Array, ... */
export function typeName(v: Value): string {
  if (v === null) return 'Nil';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'number': return 'int';
    case 'string': return 'String';
  }
  if (v instanceof GdFloat) return 'float';
  if (v instanceof GdArray) return 'Array';
  if (v instanceof GdDictionary) return 'Dictionary';
  if (v instanceof GdPackedByteArray) return 'PackedByteArray';
  if (v instanceof GdCallable) return 'Callable';
  return 'Object';
}

/** Like typeName(), but objects report their class (PacketPeerDTLS, OS, Node, ...). */
export function className(v: Value): string {
  if (v instanceof GdClassRef) return v.nativeClass.name;
  if (v instanceof GdScriptObject) return v.className;
  if (isNativeObject(v)) return v.className;
  return typeName(v);
}

// ---- Array ---------------------------------------------------------------------------------

export class GdArray {
  constructor(
    public items: Value[] = [],
    /** Element type name of a typed array (`Array[PacketPeerDTLS]`), if any. */
    public elementType?: string,
  ) {}
  get size(): number {
    return this.items.length;
  }
}

// ---- Dictionary ----------------------------------------------------------------------------

const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;
function identityOf(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(o, id);
  }
  return id;
}

/** A string that is equal for two values exactly when Godot considers them the same dictionary key. */
function keyString(v: Value): string {
  if (v === null) return 'n';
  switch (typeof v) {
    case 'boolean': return v ? 'T' : 'F';
    case 'number': return 'i' + v;
    case 'string': return 's' + v;
  }
  if (v instanceof GdFloat) return 'f' + v.value;
  if (v instanceof GdArray) return 'a[' + v.items.map(keyString).join(',') + ']';
  if (v instanceof GdPackedByteArray) return 'p' + Buffer.from(v.bytes).toString('hex');
  if (v instanceof GdDictionary) return 'd{' + [...v.entries()].map(([k, x]) => keyString(k) + ':' + keyString(x)).join(',') + '}';
  return 'o' + identityOf(v as object);
}

function dictKey(v: Value): unknown {
  // Fast path: ints and strings are the common keys.
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return 's' + v;
  return keyString(v);
}

interface DictEntry {
  key: Value;
  value: Value;
}

export class GdDictionary {
  private readonly map = new Map<unknown, DictEntry>();
  get size(): number {
    return this.map.size;
  }
  get(key: Value): Value | undefined {
    return this.map.get(dictKey(key))?.value;
  }
  has(key: Value): boolean {
    return this.map.has(dictKey(key));
  }
  /** Sets a value; an existing key keeps its position. */
  set(key: Value, value: Value): void {
    const k = dictKey(key);
    const entry = this.map.get(k);
    if (entry) entry.value = value;
    else this.map.set(k, { key, value });
  }
  erase(key: Value): boolean {
    return this.map.delete(dictKey(key));
  }
  clear(): void {
    this.map.clear();
  }
  keys(): Value[] {
    return [...this.map.values()].map((e) => e.key);
  }
  values(): Value[] {
    return [...this.map.values()].map((e) => e.value);
  }
  *entries(): IterableIterator<[Value, Value]> {
    for (const e of this.map.values()) yield [e.key, e.value];
  }
}

// ---- PackedByteArray -----------------------------------------------------------------------

export class GdPackedByteArray {
  private buffer: Uint8Array;
  private length: number;

  /** A new array holding a copy of `bytes`. */
  constructor(bytes: Uint8Array | ArrayLike<number> = []) {
    this.buffer = new Uint8Array(bytes.length);
    this.buffer.set(bytes);
    this.length = bytes.length;
  }
  /** A new array holding a copy of `bytes`. */
  static from(bytes: Uint8Array | ArrayLike<number> = []): GdPackedByteArray {
    return new GdPackedByteArray(bytes);
  }
  /** A zero-filled array of `size` bytes. */
  static ofSize(size: number): GdPackedByteArray {
    const b = new GdPackedByteArray();
    b.resize(size);
    return b;
  }
  get size(): number {
    return this.length;
  }
  /** A view of the current contents (no copy; becomes stale if the array grows). */
  get bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
  /** A copy of the contents. */
  toUint8Array(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
  get(i: number): number {
    return this.buffer[i];
  }
  set(i: number, v: number): void {
    this.buffer[i] = v;
  }
  private reserve(n: number): void {
    if (n <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(n, this.buffer.length * 2, 16));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }
  append(v: number): void {
    this.reserve(this.length + 1);
    this.buffer[this.length++] = v;
  }
  appendBytes(bytes: Uint8Array): void {
    this.reserve(this.length + bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }
  resize(n: number): void {
    this.reserve(n);
    if (n > this.length) this.buffer.fill(0, this.length, n);
    this.length = n;
  }
  insert(at: number, v: number): void {
    this.reserve(this.length + 1);
    this.buffer.copyWithin(at + 1, at, this.length);
    this.buffer[at] = v;
    this.length++;
  }
  removeAt(at: number): void {
    this.buffer.copyWithin(at, at + 1, this.length);
    this.length--;
  }
}

// ---- Callable, class references, script objects ---------------------------------------------

/** A lambda's compiled code and captured values; the interpreter defines what `fn` is. */
export interface LambdaClosure {
  readonly fn: unknown;
  /** Pairs of (local slot in the lambda, captured value). */
  readonly captures: ReadonlyArray<readonly [number, Value]>;
}

export class GdCallable {
  constructor(
    /** The object the callable is bound to. */
    readonly target: GdScriptObject | null,
    /** Function name (for lambdas: their name or "<anonymous lambda>"). */
    readonly name: string,
    /** Set for lambdas. */
    readonly lambda?: LambdaClosure,
  ) {}
}

/** A native class (or singleton) used as a value: `PacketPeerDTLS`, `OS`. */
export class GdClassRef {
  constructor(readonly nativeClass: NativeClass) {}
}

/** Base class of script instances (the interpreter's ScriptInstance extends it). */
export abstract class GdScriptObject {
  /** Class name shown in messages: the script's class_name or its native base class. */
  abstract get className(): string;
}

// Aliases used by engine/godot.
export { GdPackedByteArray as PackedByteArray, typeName as typeNameOf };
