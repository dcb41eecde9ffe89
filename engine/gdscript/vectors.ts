// Vector2, Vector2i, Vector3, Vector3i, Vector4, Vector4i: immutable values (Godot copies them on
// assignment; `v.x = 1` builds a modified copy that the VM stores back). Float vectors keep their
// components as 32-bit floats (real_t is float in Godot's standard builds), so Vector2(0.1, 0).x is
// 0.100000001490116 like in Godot; integer vectors keep int32 components (wrap-around like C++).
// Operators are in vector-operators.ts.

import { ArgReader, type MethodContext, type MethodSpec, type TypeMethods } from './builtin-methods';
import type { UtilityFunction } from './globals';
import { ScriptError, type NativeClass } from './host';
import { formatReal } from './stringify';
import {
  GdBuiltinValue, GdClassRef, GdFloat, VariantType, isStringLike, makeFloat, stringValue, typeName, type Value,
} from './values';

export interface VectorKind {
  readonly name: string;
  readonly size: number;
  readonly integer: boolean;
  readonly variant: number;
  /** Component names in order: x, y, z, w. */
  readonly axes: readonly string[];
}

const AXES = ['x', 'y', 'z', 'w'];
function kind(name: string, size: number, integer: boolean, variant: number): VectorKind {
  return { name, size, integer, variant, axes: AXES.slice(0, size) };
}
export const VECTOR2 = kind('Vector2', 2, false, VariantType.VECTOR2);
export const VECTOR2I = kind('Vector2i', 2, true, VariantType.VECTOR2I);
export const VECTOR3 = kind('Vector3', 3, false, VariantType.VECTOR3);
export const VECTOR3I = kind('Vector3i', 3, true, VariantType.VECTOR3I);
export const VECTOR4 = kind('Vector4', 4, false, VariantType.VECTOR4);
export const VECTOR4I = kind('Vector4i', 4, true, VariantType.VECTOR4I);
export const VECTOR_KINDS: readonly VectorKind[] = [VECTOR2, VECTOR2I, VECTOR3, VECTOR3I, VECTOR4, VECTOR4I];

/** The float kind of the same size (Vector2i → Vector2) and the integer one (Vector2 → Vector2i). */
export function floatKindOf(k: VectorKind): VectorKind {
  return k.size === 2 ? VECTOR2 : k.size === 3 ? VECTOR3 : VECTOR4;
}
export function intKindOf(k: VectorKind): VectorKind {
  return k.size === 2 ? VECTOR2I : k.size === 3 ? VECTOR3I : VECTOR4I;
}

/** A number as an int32 (C++'s int32_t conversion: truncation, then wrap-around). */
export function toInt32(x: number): number {
  if (!Number.isFinite(x)) return x === Infinity ? 2147483647 : -2147483648;
  return Number(BigInt.asIntN(32, BigInt(Math.trunc(x))));
}

/** A component as the kind stores it: float32 for float vectors, int32 (wrapped) for integer ones. */
export function storeComponent(k: VectorKind, x: number): number {
  return k.integer ? toInt32(x) : Math.fround(x);
}

export class GdVector extends GdBuiltinValue {
  /** Components, already stored as the kind stores them (see storeComponent). */
  readonly c: readonly number[];
  constructor(readonly kind: VectorKind, components: readonly number[]) {
    super();
    this.c = components.map((x) => storeComponent(kind, x));
  }
  get variantType(): number {
    return this.kind.variant;
  }
  get typeName(): string {
    return this.kind.name;
  }
  get shared(): boolean {
    return false;
  }
  get methods(): TypeMethods {
    return vectorMethods(this.kind);
  }
  /** A component as a script value: int for integer vectors, float otherwise. */
  component(i: number): Value {
    return this.kind.integer ? this.c[i] : makeFloat(this.c[i]);
  }
  toText(): string {
    return '(' + this.c.map((x) => (this.kind.integer ? String(x) : formatReal(x))).join(', ') + ')';
  }
  sameAs(other: Value): boolean {
    return other instanceof GdVector && other.kind === this.kind && this.c.every((x, i) => x === other.c[i]);
  }
  keyText(): string {
    return this.kind.name + '(' + this.c.join(',') + ')';
  }
  truthy(): boolean {
    return this.c.some((x) => x !== 0);
  }
  getMember(name: string): Value | undefined {
    const i = this.kind.axes.indexOf(name);
    return i < 0 ? undefined : this.component(i);
  }
  setMember(name: string, value: Value): Value | undefined {
    const i = this.kind.axes.indexOf(name);
    if (i < 0) return undefined;
    return this.withComponent(i, componentValue(value, () => `Invalid assignment of property or key '${name}' with value of type '${typeName(value)}' on a base object of type '${this.kind.name}'.`));
  }
  getIndex(index: Value): Value {
    return this.component(this.indexOf(index, 'get'));
  }
  setIndex(index: Value, value: Value): Value {
    const i = this.indexOf(index, 'set');
    return this.withComponent(i, componentValue(value, () => `Invalid assignment of index '${i}' (on base: '${this.kind.name}') with value of type '${typeName(value)}'.`));
  }
  withComponent(i: number, x: number): GdVector {
    const c = this.c.slice();
    c[i] = x;
    return new GdVector(this.kind, c);
  }
  /** A vector of the same kind from `f` applied to each component. */
  map(f: (x: number, i: number) => number): GdVector {
    return new GdVector(this.kind, this.c.map(f));
  }
  private indexOf(index: Value, access: 'get' | 'set'): number {
    if (isStringLike(index)) {
      const i = this.kind.axes.indexOf(stringValue(index));
      if (i >= 0) return i;
      throw new ScriptError(`Invalid ${access === 'get' ? 'access to' : 'assignment of'} property or key '${stringValue(index)}' on a base object of type '${this.kind.name}'.`);
    }
    if (typeof index !== 'number' && typeof index !== 'bigint' && !(index instanceof GdFloat)) {
      throw new ScriptError(`Invalid ${access === 'get' ? 'access to' : 'assignment of'} property or key '${String(index)}' on a base object of type '${this.kind.name}'.`);
    }
    const n = Math.trunc(Number(index instanceof GdFloat ? index.value : index));
    const j = n < 0 ? n + this.kind.size : n;
    if (j < 0 || j >= this.kind.size) throw new ScriptError(`Out of bounds ${access} index '${n}' (on base: '${this.kind.name}')`);
    return j;
  }
}

/** The number of an int/float (or bool) assigned to a component; `message` for anything else. */
function componentValue(v: Value, message: () => string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GdFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new ScriptError(message());
}

export function makeVector(k: VectorKind, ...components: number[]): GdVector {
  return new GdVector(k, components);
}
export function isVector(v: Value, k?: VectorKind): v is GdVector {
  return v instanceof GdVector && (k === undefined || v.kind === k);
}

// ---- constructors ----------------------------------------------------------------------------

function signature(k: VectorKind, args: Value[]): string {
  return `No constructor of "${k.name}" matches the signature "${k.name}(${args.map(typeName).join(', ')})".`;
}
function isNum(v: Value): v is number | bigint | GdFloat {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof GdFloat;
}
function numOf(v: number | bigint | GdFloat): number {
  return v instanceof GdFloat ? v.value : Number(v);
}

/** `Vector2()`, `Vector2(x, y)`, `Vector2(Vector2i)`, `Vector2(Vector2)`: Godot's constructors. */
export function constructVector(k: VectorKind, args: Value[]): GdVector {
  if (args.length === 0) return new GdVector(k, new Array<number>(k.size).fill(0));
  if (args.length === 1) {
    const v = args[0];
    if (v instanceof GdVector && v.kind.size === k.size) return new GdVector(k, v.c);
    throw new ScriptError(signature(k, args));
  }
  if (args.length === k.size && args.every(isNum)) {
    return new GdVector(k, args.map((a) => numOf(a as number | bigint | GdFloat)));
  }
  throw new ScriptError(signature(k, args));
}

export const VECTOR_CONSTRUCTORS: Readonly<Record<string, UtilityFunction>> = Object.fromEntries(
  VECTOR_KINDS.map((k) => [k.name, { min: 0, max: k.size, fn: (args: Value[]) => constructVector(k, args) }]),
);

// ---- constants (Vector2.ZERO, Vector3.FORWARD, ...) --------------------------------------------

function constants(k: VectorKind): Record<string, Value> {
  const v = (...c: number[]): GdVector => new GdVector(k, c);
  const axisEnum = Object.fromEntries(k.axes.map((a, i) => [`AXIS_${a.toUpperCase()}`, i]));
  const zero = new Array<number>(k.size).fill(0);
  const out: Record<string, Value> = { ...axisEnum, ZERO: v(...zero), ONE: v(...zero.map(() => 1)) };
  if (!k.integer) {
    out.INF = v(...zero.map(() => Infinity));
  } else {
    out.MIN = v(...zero.map(() => -2147483648));
    out.MAX = v(...zero.map(() => 2147483647));
  }
  if (k.size === 2) {
    Object.assign(out, { LEFT: v(-1, 0), RIGHT: v(1, 0), UP: v(0, -1), DOWN: v(0, 1) });
  } else if (k.size === 3) {
    Object.assign(out, { LEFT: v(-1, 0, 0), RIGHT: v(1, 0, 0), UP: v(0, 1, 0), DOWN: v(0, -1, 0), FORWARD: v(0, 0, -1), BACK: v(0, 0, 1) });
    if (!k.integer) {
      Object.assign(out, {
        MODEL_LEFT: v(1, 0, 0), MODEL_RIGHT: v(-1, 0, 0), MODEL_TOP: v(0, 1, 0), MODEL_BOTTOM: v(0, -1, 0),
        MODEL_FRONT: v(0, 0, 1), MODEL_REAR: v(0, 0, -1),
      });
    }
  }
  return out;
}

/** `Vector2`, `Vector3i`, ... as values: their constants (Vector2.ZERO) and no static methods. */
export const VECTOR_TYPE_REFS: Readonly<Record<string, GdClassRef>> = Object.fromEntries(
  VECTOR_KINDS.map((k) => {
    const cls: NativeClass = { name: k.name, constants: constants(k) };
    return [k.name, new GdClassRef(cls)];
  }),
);

// ---- methods ---------------------------------------------------------------------------------

const EPSILON = 0.00001; // CMP_EPSILON
const UNIT_EPSILON = 0.001;

function approx(a: number, b: number): boolean {
  if (a === b) return true;
  const tolerance = Math.max(EPSILON * Math.abs(a), EPSILON);
  return Math.abs(a - b) < tolerance;
}

/** The vector argument `i`, which must be of kind `k` (ints/floats are not vectors). */
function vectorArg(r: ArgReader, i: number, k: VectorKind): GdVector {
  const v = r.args[i];
  if (v instanceof GdVector && v.kind === k) return v;
  if (v instanceof GdVector && v.kind.size === k.size) return new GdVector(k, v.c); // Vector2i → Vector2, like Godot's implicit conversion
  throw new ScriptError(
    `Invalid type in function '${r.method}' in base '${k.name}'. Cannot convert argument ${i + 1} from ${typeName(v)} to ${k.name}.`,
  );
}
function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
function lengthOf(v: GdVector): number {
  return Math.sqrt(dot(v.c, v.c));
}
function normalized(v: GdVector): GdVector {
  const l = lengthOf(v);
  return l === 0 ? v.map(() => 0) : v.map((x) => x / l);
}
function isNormalized(v: GdVector): boolean {
  return Math.abs(dot(v.c, v.c) - 1) < UNIT_EPSILON;
}
/** Godot's Math::round: halves away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
function snapped(x: number, step: number): number {
  return step === 0 ? x : Math.floor(x / step + 0.5) * step;
}
function axisIndex(v: GdVector, pickMax: boolean): number {
  let best = 0;
  for (let i = 1; i < v.c.length; i++) if (pickMax ? v.c[i] > v.c[best] : v.c[i] < v.c[best]) best = i;
  return best;
}
function rotated2(v: GdVector, angle: number): GdVector {
  // real_t is float: Godot rotates by the float32 angle (so rotated(PI) leaves y at -8.7e-08, printed -0).
  const s = Math.fround(Math.sin(Math.fround(angle)));
  const c = Math.fround(Math.cos(Math.fround(angle)));
  return new GdVector(v.kind, [v.c[0] * c - v.c[1] * s, v.c[0] * s + v.c[1] * c]);
}
function cross3(a: readonly number[], b: readonly number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Godot's ERR_FAIL_COND_V_MSG for a normal/axis that is not normalized: an error line, then a zero vector. */
function notNormalized(v: GdVector, n: GdVector, ctx: MethodContext, what = 'normal'): GdVector {
  ctx.warn(`The ${what} ${v.kind.name} ${n.toText()} must be normalized.`);
  return v.map(() => 0);
}

/**
 * A real_t result of a float vector method (length(), dot(), angle() …): Godot computes it in 32-bit
 * floats, so Vector2(1, 1).length() is 1.41421353816986, not 1.4142135623731. Integer vectors'
 * length()/distance_to() are doubles in Godot 4.3.
 */
function real(v: GdVector, x: number): GdFloat {
  return makeFloat(v.kind.integer ? x : Math.fround(x));
}

type M = MethodSpec<GdVector>;
const m = (min: number, max: number, fn: M['fn']): M => ({ min, max, fn });
const reader = (name: string, v: GdVector, a: Value[]): ArgReader => new ArgReader(name, v.kind.name, a);

/** Methods shared by float and integer vectors. */
const COMMON: Record<string, M> = {
  abs: m(0, 0, (v) => v.map(Math.abs)),
  sign: m(0, 0, (v) => v.map((x) => (x > 0 ? 1 : x < 0 ? -1 : 0))),
  length: m(0, 0, (v) => real(v, lengthOf(v))),
  length_squared: m(0, 0, (v) => (v.kind.integer ? dot(v.c, v.c) : real(v, dot(v.c, v.c)))),
  min_axis_index: m(0, 0, (v) => axisIndex(v, false)),
  max_axis_index: m(0, 0, (v) => axisIndex(v, true)),
  clamp: m(2, 2, (v, a) => {
    const r = reader('clamp', v, a);
    const lo = vectorArg(r, 0, v.kind);
    const hi = vectorArg(r, 1, v.kind);
    return v.map((x, i) => Math.min(Math.max(x, lo.c[i]), hi.c[i]));
  }),
  min: m(1, 1, (v, a) => { const o = vectorArg(reader('min', v, a), 0, v.kind); return v.map((x, i) => Math.min(x, o.c[i])); }),
  max: m(1, 1, (v, a) => { const o = vectorArg(reader('max', v, a), 0, v.kind); return v.map((x, i) => Math.max(x, o.c[i])); }),
  distance_to: m(1, 1, (v, a) => { const o = vectorArg(reader('distance_to', v, a), 0, v.kind); return real(v, Math.sqrt(v.c.reduce((s, x, i) => s + (x - o.c[i]) ** 2, 0))); }),
  distance_squared_to: m(1, 1, (v, a) => {
    const o = vectorArg(reader('distance_squared_to', v, a), 0, v.kind);
    const d = v.c.reduce((s, x, i) => s + (x - o.c[i]) ** 2, 0);
    return v.kind.integer ? d : real(v, d);
  }),
  aspect: m(0, 0, (v) => real(v, v.c[0] / v.c[1])),
};

const FLOAT_ONLY: Record<string, M> = {
  normalized: m(0, 0, (v) => normalized(v)),
  is_normalized: m(0, 0, (v) => isNormalized(v)),
  dot: m(1, 1, (v, a) => real(v, dot(v.c, vectorArg(reader('dot', v, a), 0, v.kind).c))),
  cross: m(1, 1, (v, a) => {
    const o = vectorArg(reader('cross', v, a), 0, v.kind);
    if (v.kind.size === 2) return real(v, v.c[0] * o.c[1] - v.c[1] * o.c[0]);
    if (v.kind.size === 3) return new GdVector(v.kind, cross3(v.c, o.c));
    throw new ScriptError(`Invalid call. Nonexistent function 'cross' in base '${v.kind.name}'.`);
  }),
  lerp: m(2, 2, (v, a) => {
    const r = reader('lerp', v, a);
    const to = vectorArg(r, 0, v.kind);
    const t = r.float(1);
    return v.map((x, i) => x + (to.c[i] - x) * t);
  }),
  floor: m(0, 0, (v) => v.map(Math.floor)),
  ceil: m(0, 0, (v) => v.map(Math.ceil)),
  round: m(0, 0, (v) => v.map(roundHalfAway)),
  snapped: m(1, 1, (v, a) => { const s = vectorArg(reader('snapped', v, a), 0, v.kind); return v.map((x, i) => snapped(x, s.c[i])); }),
  is_equal_approx: m(1, 1, (v, a) => { const o = vectorArg(reader('is_equal_approx', v, a), 0, v.kind); return v.c.every((x, i) => approx(x, o.c[i])); }),
  is_zero_approx: m(0, 0, (v) => v.c.every((x) => Math.abs(x) < EPSILON)),
  is_finite: m(0, 0, (v) => v.c.every(Number.isFinite)),
  direction_to: m(1, 1, (v, a) => {
    const o = vectorArg(reader('direction_to', v, a), 0, v.kind);
    return normalized(o.map((x, i) => x - v.c[i]));
  }),
  limit_length: m(0, 1, (v, a) => {
    const max = reader('limit_length', v, a).float(0, 1);
    const l = lengthOf(v);
    return l > 0 && max < l ? v.map((x) => (x / l) * max) : v;
  }),
  move_toward: m(2, 2, (v, a) => {
    const r = reader('move_toward', v, a);
    const to = vectorArg(r, 0, v.kind);
    const delta = r.float(1);
    const d = to.map((x, i) => x - v.c[i]);
    const len = lengthOf(d);
    return len <= delta || len < EPSILON ? to : v.map((x, i) => x + (d.c[i] / len) * delta);
  }),
  project: m(1, 1, (v, a) => {
    const b = vectorArg(reader('project', v, a), 0, v.kind);
    const k = dot(v.c, b.c) / dot(b.c, b.c);
    return b.map((x) => x * k);
  }),
  slide: m(1, 1, (v, a, ctx) => {
    const n = vectorArg(reader('slide', v, a), 0, v.kind);
    if (!isNormalized(n)) return notNormalized(v, n, ctx);
    const d = dot(v.c, n.c);
    return v.map((x, i) => x - n.c[i] * d);
  }),
  reflect: m(1, 1, (v, a, ctx) => {
    const n = vectorArg(reader('reflect', v, a), 0, v.kind);
    if (!isNormalized(n)) return notNormalized(v, n, ctx);
    const d = dot(v.c, n.c);
    return n.map((x, i) => 2 * x * d - v.c[i]);
  }),
  bounce: m(1, 1, (v, a, ctx) => {
    const n = vectorArg(reader('bounce', v, a), 0, v.kind);
    if (!isNormalized(n)) return notNormalized(v, n, ctx);
    const d = dot(v.c, n.c);
    return n.map((x, i) => -(2 * x * d - v.c[i]));
  }),
  inverse: m(0, 0, (v) => v.map((x) => 1 / x)),
};

const VECTOR2_ONLY: Record<string, M> = {
  angle: m(0, 0, (v) => real(v, Math.atan2(v.c[1], v.c[0]))),
  angle_to: m(1, 1, (v, a) => {
    const o = vectorArg(reader('angle_to', v, a), 0, v.kind);
    return real(v, Math.atan2(v.c[0] * o.c[1] - v.c[1] * o.c[0], dot(v.c, o.c)));
  }),
  angle_to_point: m(1, 1, (v, a) => {
    const o = vectorArg(reader('angle_to_point', v, a), 0, v.kind);
    return real(v, Math.atan2(o.c[1] - v.c[1], o.c[0] - v.c[0]));
  }),
  rotated: m(1, 1, (v, a) => rotated2(v, reader('rotated', v, a).float(0))),
  orthogonal: m(0, 0, (v) => new GdVector(v.kind, [v.c[1], -v.c[0]])),
};

const VECTOR3_ONLY: Record<string, M> = {
  angle_to: m(1, 1, (v, a) => {
    const o = vectorArg(reader('angle_to', v, a), 0, v.kind);
    const c = cross3(v.c, o.c);
    return real(v, Math.atan2(Math.sqrt(dot(c, c)), dot(v.c, o.c)));
  }),
  rotated: m(2, 2, (v, a, ctx) => {
    // Rodrigues' rotation formula around a normalized axis.
    const r = reader('rotated', v, a);
    const axis = vectorArg(r, 0, v.kind);
    const angle = r.float(1);
    if (!isNormalized(axis)) return notNormalized(v, axis, ctx, 'axis');
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const k = cross3(axis.c, v.c);
    const d = dot(axis.c, v.c);
    return v.map((x, i) => x * cos + k[i] * sin + axis.c[i] * d * (1 - cos));
  }),
};

const INT_ONLY: Record<string, M> = {
  snapped: m(1, 1, (v, a) => { const s = vectorArg(reader('snapped', v, a), 0, v.kind); return v.map((x, i) => snapped(x, s.c[i])); }),
};

function table(...parts: Record<string, M>[]): TypeMethods {
  return Object.assign({}, ...parts) as TypeMethods;
}
const FLOAT_VECTOR_METHODS_2 = table(COMMON, FLOAT_ONLY, VECTOR2_ONLY);
const FLOAT_VECTOR_METHODS_3 = table(COMMON, FLOAT_ONLY, VECTOR3_ONLY);
const FLOAT_VECTOR_METHODS_4 = table(COMMON, FLOAT_ONLY);
const INT_VECTOR_METHODS = table(COMMON, INT_ONLY);

/** The methods of a kind (only Vector2 has angle(), only Vector3's cross() gives a Vector3, ...). */
function vectorMethods(k: VectorKind): TypeMethods {
  if (k.integer) return INT_VECTOR_METHODS;
  return k.size === 2 ? FLOAT_VECTOR_METHODS_2 : k.size === 3 ? FLOAT_VECTOR_METHODS_3 : FLOAT_VECTOR_METHODS_4;
}
