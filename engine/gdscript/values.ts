// Godot Variant-like values.
//
// Representation:
//   null             → Nil
//   boolean          → bool
//   number | bigint  → int: a JS number while it is a safe integer (|v| < 2^53), a bigint beyond
//                      (canonical: the same value always has the same representation, so === works);
//                      64-bit wrap-around is exact
//   GdFloat          → float (a tiny wrapper so that 1 (int) and 1.0 (float) stay distinct)
//   string           → String
//   GdStringName     → StringName (&"..."; interned, so === compares them)
//   GdNodePath       → NodePath (^"..."; interned)
//   GdArray          → Array (reference semantics, optional element type for Array[T])
//   GdDictionary     → Dictionary (insertion ordered, Godot key equality)
//   GdPackedByteArray→ PackedByteArray (reference semantics, like Godot 4)
//   GdCallable       → Callable (script function, lambda, native method; optionally bound/unbound)
//   GdSignal         → Signal (an object's signal by name)
//   GdClassRef       → a native class used as a value (PacketPeerDTLS, OS, ...)
//   GdScriptObject   → a script instance (`self`)
//   NativeObject     → an object provided by the host (see host.ts)

import type { TypeMethods } from './builtin-methods';
import { ScriptError, type NativeClass, type NativeObject } from './host';

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
  | bigint
  | GdFloat
  | string
  | GdStringName
  | GdNodePath
  | GdArray
  | GdDictionary
  | GdPackedByteArray
  | GdBuiltinValue
  | GdCallable
  | GdSignal
  | GdClassRef
  | GdScriptObject
  | NativeObject;

/**
 * Base of the builtin value types that live in their own files: Vector2/2i/3/3i/4/4i (vectors.ts),
 * Color (color.ts), Rect2/Rect2i (rect.ts) and the packed arrays other than PackedByteArray
 * (packed-arrays.ts). The generic parts of the interpreter (typeof, str(), ==, dictionary keys,
 * truthiness) ask the value itself through these members.
 */
export abstract class GdBuiltinValue {
  /** Godot's Variant.Type number (typeof()). */
  abstract get variantType(): number;
  /** Godot's type name (Vector2, PackedStringArray, ...). */
  abstract get typeName(): string;
  /**
   * Packed arrays are shared (reference semantics, like Godot 4's PackedArrayRef); vectors, Color
   * and Rect2 are immutable values: `v.x = 1` builds a modified copy that the VM stores back.
   */
  abstract get shared(): boolean;
  /** str() text; `str` formats nested values the way containers show them. */
  abstract toText(str: (v: Value) => string): string;
  /** Same type and equal (Godot's ==, also for container searches). */
  abstract sameAs(other: Value): boolean;
  /** A string equal for two values exactly when they are the same dictionary key. */
  abstract keyText(key: (v: Value) => string): string;
  /** Variant::booleanize (a zero vector and an empty array are false). */
  abstract truthy(): boolean;
  /** `v.name`; undefined when the type has no such property. */
  abstract getMember(name: string): Value | undefined;
  /**
   * `v.name = value`: the changed value (a modified copy for value types); undefined when the type
   * has no such property. Throws ScriptError when the value has the wrong type.
   */
  abstract setMember(name: string, value: Value): Value | undefined;
  /** `v[index]`; throws ScriptError with Godot's wording for bad or out-of-bounds indices. */
  abstract getIndex(index: Value): Value;
  /** `v[index] = value`: the changed value (a copy for value types, the array itself for packed arrays). */
  abstract setIndex(index: Value, value: Value): Value;
  /** The type's methods (called through builtin-methods.ts's dispatch). */
  abstract get methods(): TypeMethods;
}

/** StringName: an interned string (`&"name"`). Behaves like a String in most operations. */
export class GdStringName {
  private static readonly interned = new Map<string, GdStringName>();
  private constructor(readonly value: string) {}
  static of(value: string): GdStringName {
    let sn = GdStringName.interned.get(value);
    if (!sn) {
      sn = new GdStringName(value);
      GdStringName.interned.set(value, sn);
    }
    return sn;
  }
  toString(): string {
    return this.value;
  }
}

/** NodePath (`^"path"`, `$Path`). Only its text is kept: the sandbox has no scene tree. */
export class GdNodePath {
  private static readonly interned = new Map<string, GdNodePath>();
  private constructor(readonly value: string) {}
  static of(value: string): GdNodePath {
    let np = GdNodePath.interned.get(value);
    if (!np) {
      np = new GdNodePath(value);
      GdNodePath.interned.set(value, np);
    }
    return np;
  }
  toString(): string {
    return this.value;
  }
}

/** String, StringName or NodePath. */
export function isStringLike(v: Value): v is string | GdStringName | GdNodePath {
  return typeof v === 'string' || v instanceof GdStringName || v instanceof GdNodePath;
}
/** The text of a String, StringName or NodePath. */
export function stringValue(v: string | GdStringName | GdNodePath): string {
  return typeof v === 'string' ? v : v.value;
}

// ---- constructors and type guards ----------------------------------------------------------

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** An int from a bigint: wrapped to 64 bits, a number when it is safe, else a bigint. */
export function intFromBig(n: bigint): number | bigint {
  const w = BigInt.asIntN(64, n);
  return w >= MIN_SAFE && w <= MAX_SAFE ? Number(w) : w;
}

/**
 * An int value. Floats are truncated toward zero like C++'s (int64_t) cast on x86, which is what
 * Godot does: NaN and values outside the int64 range become -9223372036854775808. Bigints wrap.
 */
export function makeInt(n: number | bigint): number | bigint {
  if (typeof n === 'bigint') return intFromBig(n);
  if (Number.isSafeInteger(n)) return n === 0 ? 0 : n; // normalise -0
  const t = Math.trunc(n);
  if (Number.isSafeInteger(t)) return t === 0 ? 0 : t;
  if (!(t < 9223372036854775808 && t >= -9223372036854775808)) return INT64_MIN;
  return intFromBig(BigInt(t));
}
const INT64_MIN = -(2n ** 63n);

/** The JS number of an int (bigints lose precision: for indices, sizes, counts). */
export function intNumber(v: number | bigint): number {
  return typeof v === 'number' ? v : Number(v);
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
  return typeof v === 'number' || typeof v === 'bigint';
}
export function isFloat(v: Value): v is GdFloat {
  return v instanceof GdFloat;
}
/** int or float */
export function isNumber(v: Value): v is number | GdFloat {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof GdFloat;
}
export function isString(v: Value): v is string {
  return typeof v === 'string';
}
export function isStringName(v: Value): v is GdStringName {
  return v instanceof GdStringName;
}
export function isSignal(v: Value): v is GdSignal {
  return v instanceof GdSignal;
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
export function isBuiltinValue(v: Value): v is GdBuiltinValue {
  return v instanceof GdBuiltinValue;
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
    !(v instanceof GdPackedByteArray) && !(v instanceof GdBuiltinValue) && !(v instanceof GdCallable) && !(v instanceof GdClassRef) &&
    !(v instanceof GdScriptObject) && !(v instanceof GdStringName) && !(v instanceof GdNodePath) && !(v instanceof GdSignal)
  );
}
/** The JS number of an int or float. */
export function toNumber(v: number | bigint | GdFloat): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v.value;
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
    case 'number': case 'bigint': return VariantType.INT;
    case 'string': return VariantType.STRING;
  }
  if (v instanceof GdFloat) return VariantType.FLOAT;
  if (v instanceof GdArray) return VariantType.ARRAY;
  if (v instanceof GdDictionary) return VariantType.DICTIONARY;
  if (v instanceof GdPackedByteArray) return VariantType.PACKED_BYTE_ARRAY;
  if (v instanceof GdBuiltinValue) return v.variantType;
  if (v instanceof GdCallable) return VariantType.CALLABLE;
  if (v instanceof GdStringName) return VariantType.STRING_NAME;
  if (v instanceof GdNodePath) return VariantType.NODE_PATH;
  if (v instanceof GdSignal) return VariantType.SIGNAL;
  return VariantType.OBJECT;
}

/** Variant type name as Godot spells it in error messages: Nil, bool, int, float, String, Array, ... */
export function typeName(v: Value): string {
  if (v === null) return 'Nil';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'number': case 'bigint': return 'int';
    case 'string': return 'String';
  }
  if (v instanceof GdFloat) return 'float';
  if (v instanceof GdArray) return 'Array';
  if (v instanceof GdDictionary) return 'Dictionary';
  if (v instanceof GdPackedByteArray) return 'PackedByteArray';
  if (v instanceof GdBuiltinValue) return v.typeName;
  if (v instanceof GdCallable) return 'Callable';
  if (v instanceof GdStringName) return 'StringName';
  if (v instanceof GdNodePath) return 'NodePath';
  if (v instanceof GdSignal) return 'Signal';
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
  /** Whether the array refuses changes (a constant). */
  readOnly = false;
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
    case 'number': case 'bigint': return 'i' + v;
    case 'string': return 's' + v;
  }
  if (v instanceof GdFloat) return 'f' + v.value;
  if (v instanceof GdStringName) return 's' + v.value;
  if (v instanceof GdNodePath) return 'P' + v.value;
  if (v instanceof GdSignal) return 'g' + identityOf(v.owner) + ':' + v.name;
  if (v instanceof GdArray) return 'a[' + v.items.map(keyString).join(',') + ']';
  if (v instanceof GdPackedByteArray) return 'p' + Buffer.from(v.bytes).toString('hex');
  if (v instanceof GdBuiltinValue) return v.keyText(keyString);
  if (v instanceof GdDictionary) return 'd{' + [...v.entries()].map(([k, x]) => keyString(k) + ':' + keyString(x)).join(',') + '}';
  return 'o' + identityOf(v as object);
}

function dictKey(v: Value): unknown {
  // Fast path: ints and strings are the common keys.
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return 's' + v;
  if (v instanceof GdStringName) return 's' + v.value; // Godot stores StringName keys as Strings
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
    else this.map.set(k, { key: key instanceof GdStringName ? key.value : key, value });
  }
  /** Whether the dictionary refuses changes (a constant). */
  readOnly = false;
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
  /** Set by bind(): arguments appended to every call. */
  bound?: Value[];
  /** Set by unbind(): number of trailing call arguments dropped. */
  unbound?: number;
  /** For bind()/unbind() results: the callable they wrap. */
  inner?: GdCallable;
  constructor(
    /** The object the callable is bound to: a script object, a script class (static functions), a native object, or null. */
    readonly target: object | null,
    /** Function name (for lambdas: their name or "<anonymous lambda>"). */
    readonly name: string,
    /** Set for lambdas. */
    readonly lambda?: LambdaClosure,
  ) {}
  /** A callable that calls this one with `args` appended. */
  bind(args: Value[]): GdCallable {
    const c = new GdCallable(this.target, this.name, this.lambda);
    c.inner = this;
    c.bound = args;
    return c;
  }
  /** A callable that drops the last `n` arguments before calling this one. */
  unbind(n: number): GdCallable {
    const c = new GdCallable(this.target, this.name, this.lambda);
    c.inner = this;
    c.unbound = n;
    return c;
  }
  /** The callable without bind()/unbind() wrappers, and the argument transformation they make. */
  resolve(args: Value[]): { callable: GdCallable; args: Value[] } {
    let c: GdCallable = this;
    let a = args;
    while (c.inner) {
      if (c.unbound !== undefined) a = a.slice(0, Math.max(0, a.length - c.unbound));
      if (c.bound) a = a.concat(c.bound);
      c = c.inner;
    }
    return { callable: c, args: a };
  }
  /** Arguments added by bind() (outermost last, like Godot's get_bound_arguments()). */
  boundArguments(): Value[] {
    const out: Value[] = [];
    for (let c: GdCallable | undefined = this; c?.inner; c = c.inner) if (c.bound) out.unshift(...c.bound);
    return out;
  }
}

/** A signal of an object (`obj.my_signal`): the object and the signal name. */
export class GdSignal {
  constructor(
    readonly owner: object,
    readonly name: string,
  ) {}
}

/** A native class (or singleton) used as a value: `PacketPeerDTLS`, `OS`. */
export class GdClassRef {
  constructor(readonly nativeClass: NativeClass) {}
}

/** Base class of script instances and the other interpreter-made objects (script classes, coroutine states). */
export abstract class GdScriptObject {
  /** Class name shown in messages: the script's class_name or its native base class. */
  abstract get className(): string;
}

// Aliases used by engine/godot.
export { GdPackedByteArray as PackedByteArray, typeName as typeNameOf };

// ---- sandbox limits ----------------------------------------------------------------------------

/** Largest Array/Dictionary/PackedByteArray (elements) or String (characters) a script may build. */
export const MAX_COLLECTION_SIZE = 10_000_000;

/**
 * Throws "Out of memory" when a collection would grow past the sandbox limit, so that a runaway
 * script fails at the responsible line instead of exhausting the editor's memory.
 */
export function checkCollectionSize(kind: 'Array' | 'Dictionary' | 'PackedByteArray' | 'String', size: number): void {
  if (size > MAX_COLLECTION_SIZE) {
    const unit = kind === 'String' ? 'characters' : kind === 'PackedByteArray' ? 'bytes' : 'elements';
    throw new ScriptError(
      `Out of memory: this ${kind} would have ${size} ${unit}, which exceeds the sandbox limit of ${MAX_COLLECTION_SIZE} ${unit}.`,
    );
  }
}
