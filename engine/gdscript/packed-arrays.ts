// The packed arrays other than PackedByteArray (values.ts): PackedInt32Array, PackedInt64Array,
// PackedFloat32Array, PackedFloat64Array, PackedStringArray, PackedVector2Array, PackedVector3Array,
// PackedColorArray and PackedVector4Array. Like Godot 4 (where a Variant holds a reference-counted
// PackedArrayRef), assigning one or passing it to a function shares it: `var b = a; b.append(1)`
// changes `a` too; duplicate() copies. Elements are stored as the script sees them, already
// converted to the array's element type (int32 wrap-around, float32 rounding, Vector2i → Vector2…).

import { ArgReader, boundsMessage, packedSliceBounds, type MethodContext, type MethodSpec, type TypeMethods } from './builtin-methods';
import { GdColor } from './color';
import type { UtilityFunction } from './globals';
import { ScriptError } from './host';
import { containerEquals } from './operators';
import { GdVector, VECTOR2, VECTOR3, VECTOR4, toInt32, type VectorKind } from './vectors';
import {
  GdArray, GdBuiltinValue, GdFloat, GdPackedByteArray, MAX_COLLECTION_SIZE, VariantType, intFromBig, isStringLike,
  makeFloat, makeInt, stringValue, typeName, type Value,
} from './values';

export interface PackedKind {
  readonly name: string;
  readonly variant: number;
  /** Element type name in messages ("int", "float", "String", "Vector2", "Color"). */
  readonly element: string;
  /** Bytes per element in to_byte_array() (0: PackedStringArray, variable). */
  readonly byteSize: number;
  /** The element as stored, or undefined when `v` cannot become one. */
  convert(v: Value): Value | undefined;
  /** The element a resize() adds. */
  zero(): Value;
  /** Godot's `<` on two elements (sort, bsearch). */
  less(a: Value, b: Value): boolean;
  /** Little-endian bytes of an element (to_byte_array, marshalling). */
  write(view: DataView, at: number, v: Value): void;
  /** Reads an element written by write(). */
  read(view: DataView, at: number): Value;
}

function numberOf(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GdFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}
const numLess = (a: Value, b: Value): boolean => (numberOf(a) as number) < (numberOf(b) as number);
function vectorLess(a: Value, b: Value): boolean {
  const x = (a as GdVector).c;
  const y = (b as GdVector).c;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i];
  return false;
}

// The kinds are built when this module loads, which can be in the middle of an import cycle
// (builtin-methods ↔ vectors/color): everything taken from those modules is used lazily.
function vectorKind(name: string, variant: number, element: string, size: number, vector: () => VectorKind): PackedKind {
  return {
    name, variant, element, byteSize: 4 * size, zero: () => new GdVector(vector(), new Array<number>(size).fill(0)),
    convert: (v) => (v instanceof GdVector && v.kind.size === size ? (v.kind === vector() ? v : new GdVector(vector(), v.c)) : undefined),
    less: vectorLess,
    write: (view, at, v) => (v as GdVector).c.forEach((x, i) => view.setFloat32(at + 4 * i, x, true)),
    read: (view, at) => new GdVector(vector(), Array.from({ length: size }, (_, i) => view.getFloat32(at + 4 * i, true))),
  };
}

export const PACKED_INT32: PackedKind = {
  name: 'PackedInt32Array', variant: VariantType.PACKED_INT32_ARRAY, element: 'int', byteSize: 4, zero: () => 0,
  convert: (v) => { const n = numberOf(v); return n === undefined ? undefined : toInt32(n); },
  less: numLess,
  write: (view, at, v) => view.setInt32(at, v as number, true),
  read: (view, at) => view.getInt32(at, true),
};
export const PACKED_INT64: PackedKind = {
  name: 'PackedInt64Array', variant: VariantType.PACKED_INT64_ARRAY, element: 'int', byteSize: 8, zero: () => 0,
  convert: (v) => {
    if (typeof v === 'number' || typeof v === 'bigint') return v;
    const n = numberOf(v);
    return n === undefined ? undefined : makeInt(n);
  },
  less: (a, b) => (a as number | bigint) < (b as number | bigint),
  write: (view, at, v) => view.setBigInt64(at, BigInt(v as number | bigint), true),
  read: (view, at) => intFromBig(view.getBigInt64(at, true)),
};
export const PACKED_FLOAT32: PackedKind = {
  name: 'PackedFloat32Array', variant: VariantType.PACKED_FLOAT32_ARRAY, element: 'float', byteSize: 4, zero: () => makeFloat(0),
  convert: (v) => { const n = numberOf(v); return n === undefined ? undefined : makeFloat(Math.fround(n)); },
  less: numLess,
  write: (view, at, v) => view.setFloat32(at, (v as GdFloat).value, true),
  read: (view, at) => makeFloat(view.getFloat32(at, true)),
};
export const PACKED_FLOAT64: PackedKind = {
  name: 'PackedFloat64Array', variant: VariantType.PACKED_FLOAT64_ARRAY, element: 'float', byteSize: 8, zero: () => makeFloat(0),
  convert: (v) => { const n = numberOf(v); return n === undefined ? undefined : v instanceof GdFloat ? v : makeFloat(n); },
  less: numLess,
  write: (view, at, v) => view.setFloat64(at, (v as GdFloat).value, true),
  read: (view, at) => makeFloat(view.getFloat64(at, true)),
};
export const PACKED_STRING: PackedKind = {
  name: 'PackedStringArray', variant: VariantType.PACKED_STRING_ARRAY, element: 'String', byteSize: 0, zero: () => '',
  convert: (v) => (isStringLike(v) ? stringValue(v) : undefined),
  less: (a, b) => codePointLess(a as string, b as string),
  write: () => { throw new Error('PackedStringArray elements have no fixed size'); },
  read: () => { throw new Error('PackedStringArray elements have no fixed size'); },
};
export const PACKED_VECTOR2 = vectorKind('PackedVector2Array', VariantType.PACKED_VECTOR2_ARRAY, 'Vector2', 2, () => VECTOR2);
export const PACKED_VECTOR3 = vectorKind('PackedVector3Array', VariantType.PACKED_VECTOR3_ARRAY, 'Vector3', 3, () => VECTOR3);
export const PACKED_VECTOR4 = vectorKind('PackedVector4Array', VariantType.PACKED_VECTOR4_ARRAY, 'Vector4', 4, () => VECTOR4);
export const PACKED_COLOR: PackedKind = {
  name: 'PackedColorArray', variant: VariantType.PACKED_COLOR_ARRAY, element: 'Color', byteSize: 16, zero: () => new GdColor(0, 0, 0, 0),
  convert: (v) => (v instanceof GdColor ? v : undefined),
  less: (a, b) => {
    const x = (a as GdColor).components;
    const y = (b as GdColor).components;
    for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] < y[i];
    return false;
  },
  write: (view, at, v) => (v as GdColor).components.forEach((x, i) => view.setFloat32(at + 4 * i, x, true)),
  read: (view, at) => new GdColor(view.getFloat32(at, true), view.getFloat32(at + 4, true), view.getFloat32(at + 8, true), view.getFloat32(at + 12, true)),
};

export const PACKED_KINDS: readonly PackedKind[] = [
  PACKED_INT32, PACKED_INT64, PACKED_FLOAT32, PACKED_FLOAT64, PACKED_STRING, PACKED_VECTOR2, PACKED_VECTOR3, PACKED_COLOR, PACKED_VECTOR4,
];

/** Godot's String `<`: by code point (JS compares UTF-16 units, which differs above U+FFFF). */
function codePointLess(a: string, b: string): boolean {
  const x = Array.from(a);
  const y = Array.from(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return (x[i].codePointAt(0) as number) < (y[i].codePointAt(0) as number);
  }
  return x.length < y.length;
}

export class GdPackedArray extends GdBuiltinValue {
  constructor(
    readonly kind: PackedKind,
    /** Elements, already converted (kind.convert). */
    public items: Value[] = [],
  ) {
    super();
  }
  get variantType(): number {
    return this.kind.variant;
  }
  get typeName(): string {
    return this.kind.name;
  }
  get shared(): boolean {
    return true;
  }
  get methods(): TypeMethods {
    return PACKED_METHODS;
  }
  toText(str: (v: Value) => string): string {
    return '[' + this.items.map(str).join(', ') + ']';
  }
  sameAs(other: Value): boolean {
    return other instanceof GdPackedArray && other.kind === this.kind && other.items.length === this.items.length &&
      this.items.every((x, i) => containerEquals(x, other.items[i]));
  }
  keyText(key: (v: Value) => string): string {
    return this.kind.name + '[' + this.items.map(key).join(',') + ']';
  }
  truthy(): boolean {
    return this.items.length > 0;
  }
  getMember(): Value | undefined {
    return undefined;
  }
  setMember(): Value | undefined {
    return undefined;
  }
  getIndex(index: Value): Value {
    return this.items[this.indexOf(index, 'get')];
  }
  setIndex(index: Value, value: Value): Value {
    const i = this.indexOf(index, 'set');
    const v = this.kind.convert(value);
    if (v === undefined) {
      throw new ScriptError(`Invalid assignment of index '${i}' (on base: '${this.kind.name}') with value of type '${typeName(value)}'.`);
    }
    this.items[i] = v;
    return this;
  }
  private indexOf(index: Value, access: 'get' | 'set'): number {
    if (typeof index !== 'number' && typeof index !== 'bigint' && !(index instanceof GdFloat)) {
      throw new ScriptError(`Invalid ${access === 'get' ? 'access to' : 'assignment of'} property or key '${isStringLike(index) ? stringValue(index) : String(index)}' on a base object of type '${this.kind.name}'.`);
    }
    const n = Math.trunc(index instanceof GdFloat ? index.value : Number(index));
    const j = n < 0 ? n + this.items.length : n;
    if (j < 0 || j >= this.items.length) throw new ScriptError(`Out of bounds ${access} index '${n}' (on base: '${this.kind.name}')`);
    return j;
  }
  /** Little-endian element bytes (to_byte_array(); PackedStringArray: UTF-8, each string null-terminated). */
  toBytes(): Uint8Array {
    if (this.kind === PACKED_STRING) {
      const parts = this.items.map((s) => Buffer.from(s + '\0', 'utf8'));
      return new Uint8Array(Buffer.concat(parts));
    }
    const out = new Uint8Array(this.items.length * this.kind.byteSize);
    const view = new DataView(out.buffer);
    this.items.forEach((v, i) => this.kind.write(view, i * this.kind.byteSize, v));
    return out;
  }
}

/** A packed array of `kind` from bytes (PackedByteArray.to_int32_array() …): whole elements only. */
export function packedFromBytes(kind: PackedKind, bytes: Uint8Array): GdPackedArray {
  const n = Math.floor(bytes.length / kind.byteSize);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const items: Value[] = [];
  for (let i = 0; i < n; i++) items.push(kind.read(view, i * kind.byteSize));
  return new GdPackedArray(kind, items);
}

function checkSize(kind: PackedKind, n: number): void {
  if (n > MAX_COLLECTION_SIZE) {
    throw new ScriptError(`Out of memory: this ${kind.name} would have ${n} elements, which exceeds the sandbox limit of ${MAX_COLLECTION_SIZE} elements.`);
  }
}

// ---- constructors ----------------------------------------------------------------------------

/** The elements of `v` (Array or packed array) converted for `kind`; throws for elements that do not fit. */
function elementsFor(kind: PackedKind, v: GdArray | GdPackedArray | GdPackedByteArray): Value[] {
  const source: Value[] = v instanceof GdPackedByteArray ? Array.from(v.bytes) : v.items;
  return source.map((x, i) => {
    const e = kind.convert(x);
    if (e === undefined) {
      throw new ScriptError(`Invalid type in constructor of '${kind.name}'. Cannot convert element ${i} from ${typeName(x)} to ${kind.element}.`);
    }
    return e;
  });
}

/** `PackedInt32Array()`, `PackedInt32Array([1, 2])`, `PackedInt32Array(other_packed)`: a new array. */
export function constructPacked(kind: PackedKind, args: Value[]): GdPackedArray {
  const v = args[0];
  if (v === undefined) return new GdPackedArray(kind);
  if (v instanceof GdArray || v instanceof GdPackedArray || v instanceof GdPackedByteArray) return new GdPackedArray(kind, elementsFor(kind, v));
  throw new ScriptError(`Invalid type in constructor of '${kind.name}'. Cannot convert argument 1 from ${typeName(v)} to ${kind.name}.`);
}

/** A packed array from a script Array (typed assignment `var p: PackedStringArray = ["a"]`), or undefined. */
export function packedFromArray(kind: PackedKind, a: GdArray): GdPackedArray | undefined {
  const items: Value[] = [];
  for (const x of a.items) {
    const e = kind.convert(x);
    if (e === undefined) return undefined;
    items.push(e);
  }
  return new GdPackedArray(kind, items);
}

export function packedKindByVariant(variant: number): PackedKind | undefined {
  return PACKED_KINDS.find((k) => k.variant === variant);
}

export const PACKED_CONSTRUCTORS: Readonly<Record<string, UtilityFunction>> = Object.fromEntries(
  PACKED_KINDS.map((k) => [k.name, { min: 0, max: 1, fn: (args: Value[]) => constructPacked(k, args) }]),
);

// ---- methods ---------------------------------------------------------------------------------

const INT_MAX = 2 ** 63;
type M = MethodSpec<GdPackedArray>;
const reader = (name: string, p: GdPackedArray, a: Value[]): ArgReader => new ArgReader(name, p.kind.name, a);

/** Argument `i` converted to the element type, with Godot's message when it cannot be. */
function elementArg(p: GdPackedArray, method: string, args: Value[], i: number): Value {
  const v = p.kind.convert(args[i]);
  if (v === undefined) {
    throw new ScriptError(`Invalid type in function '${method}' in base '${p.kind.name}'. Cannot convert argument ${i + 1} from ${typeName(args[i])} to ${p.kind.element}.`);
  }
  return v;
}
/** The index of the first element equal to `v` (already converted) from `from`, or -1. */
function indexOfElement(p: GdPackedArray, v: Value, from: number): number {
  for (let i = from; i < p.items.length; i++) if (containerEquals(p.items[i], v)) return i;
  return -1;
}
function packedArg(p: GdPackedArray, method: string, args: Value[], i: number): GdPackedArray {
  const v = args[i];
  if (v instanceof GdPackedArray && v.kind === p.kind) return v;
  if (v instanceof GdArray) return new GdPackedArray(p.kind, elementsFor(p.kind, v));
  throw new ScriptError(`Invalid type in function '${method}' in base '${p.kind.name}'. Cannot convert argument ${i + 1} from ${typeName(v)} to ${p.kind.name}.`);
}
function slice(p: GdPackedArray, beginArg: number, endArg: number, ctx: MethodContext): GdPackedArray {
  const bounds = packedSliceBounds(p.items.length, beginArg, endArg, ctx);
  return new GdPackedArray(p.kind, bounds ? p.items.slice(...bounds) : undefined);
}
function sortItems(p: GdPackedArray): void {
  p.items.sort((a, b) => (p.kind.less(a, b) ? -1 : p.kind.less(b, a) ? 1 : 0));
}

const PACKED_METHODS: TypeMethods = {
  size: { min: 0, max: 0, fn: (p) => p.items.length } satisfies M,
  is_empty: { min: 0, max: 0, fn: (p) => p.items.length === 0 } satisfies M,
  append: { min: 1, max: 1, fn: (p, a) => { const v = elementArg(p, 'append', a, 0); checkSize(p.kind, p.items.length + 1); p.items.push(v); return false; } } satisfies M,
  push_back: { min: 1, max: 1, fn: (p, a) => { const v = elementArg(p, 'push_back', a, 0); checkSize(p.kind, p.items.length + 1); p.items.push(v); return false; } } satisfies M,
  append_array: {
    min: 1, max: 1,
    fn: (p, a) => {
      const other = packedArg(p, 'append_array', a, 0);
      checkSize(p.kind, p.items.length + other.items.length);
      p.items.push(...other.items);
      return null;
    },
  } satisfies M,
  insert: {
    min: 2, max: 2,
    fn: (p, a, ctx) => {
      const i = reader('insert', p, a).int(0);
      const v = elementArg(p, 'insert', a, 1);
      if (i < 0 || i > p.items.length) {
        ctx.warn(boundsMessage(i, p.items.length + 1));
        return 31; // ERR_INVALID_PARAMETER
      }
      checkSize(p.kind, p.items.length + 1);
      p.items.splice(i, 0, v);
      return 0;
    },
  } satisfies M,
  remove_at: {
    min: 1, max: 1,
    fn: (p, a, ctx) => {
      const i = reader('remove_at', p, a).int(0);
      if (i < 0 || i >= p.items.length) ctx.warn(boundsMessage(i, p.items.length));
      else p.items.splice(i, 1);
      return null;
    },
  } satisfies M,
  set: {
    min: 2, max: 2,
    fn: (p, a, ctx) => {
      const i = reader('set', p, a).int(0);
      const v = elementArg(p, 'set', a, 1);
      if (i < 0 || i >= p.items.length) ctx.warn(boundsMessage(i, p.items.length));
      else p.items[i] = v;
      return null;
    },
  } satisfies M,
  fill: { min: 1, max: 1, fn: (p, a) => { const v = elementArg(p, 'fill', a, 0); p.items.fill(v); return null; } } satisfies M,
  resize: {
    min: 1, max: 1,
    fn: (p, a, ctx) => {
      const n = reader('resize', p, a).int(0);
      if (n < 0) {
        ctx.warn(`Size of ${p.kind.name} cannot be negative.`);
        return 31;
      }
      checkSize(p.kind, n);
      const old = p.items.length;
      p.items.length = n;
      for (let i = old; i < n; i++) p.items[i] = p.kind.zero();
      return 0;
    },
  } satisfies M,
  clear: { min: 0, max: 0, fn: (p) => { p.items = []; return null; } } satisfies M,
  has: { min: 1, max: 1, fn: (p, a) => indexOfElement(p, elementArg(p, 'has', a, 0), 0) >= 0 } satisfies M,
  find: {
    min: 1, max: 2,
    fn: (p, a) => {
      const v = elementArg(p, 'find', a, 0);
      let from = reader('find', p, a).int(1, 0);
      if (from < 0) from = Math.max(0, p.items.length + from);
      return indexOfElement(p, v, from);
    },
  } satisfies M,
  rfind: {
    min: 1, max: 2,
    fn: (p, a) => {
      const v = elementArg(p, 'rfind', a, 0);
      let from = reader('rfind', p, a).int(1, -1);
      if (from < 0) from += p.items.length;
      for (let i = Math.min(from, p.items.length - 1); i >= 0; i--) if (containerEquals(p.items[i], v)) return i;
      return -1;
    },
  } satisfies M,
  count: {
    min: 1, max: 1,
    fn: (p, a) => { const v = elementArg(p, 'count', a, 0); return p.items.filter((x) => containerEquals(x, v)).length; },
  } satisfies M,
  reverse: { min: 0, max: 0, fn: (p) => { p.items.reverse(); return null; } } satisfies M,
  sort: { min: 0, max: 0, fn: (p) => { sortItems(p); return null; } } satisfies M,
  bsearch: {
    min: 1, max: 2,
    fn: (p, a) => {
      const v = elementArg(p, 'bsearch', a, 0);
      const before = reader('bsearch', p, a).bool(1, true);
      let lo = 0;
      let hi = p.items.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const x = p.items[mid];
        if (before ? p.kind.less(x, v) : !p.kind.less(v, x)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  } satisfies M,
  slice: { min: 1, max: 2, fn: (p, a, ctx) => { const r = reader('slice', p, a); return slice(p, r.int(0), r.int(1, INT_MAX), ctx); } } satisfies M,
  duplicate: { min: 0, max: 0, fn: (p) => new GdPackedArray(p.kind, p.items.slice()) } satisfies M,
  to_byte_array: { min: 0, max: 0, fn: (p) => new GdPackedByteArray(p.toBytes()) } satisfies M,
} as TypeMethods;
