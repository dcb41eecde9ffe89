// Rect2 and Rect2i: immutable values made of a position and a size vector (float32 components for
// Rect2, int32 for Rect2i), printed as `[P: (0, 0), S: (1, 1)]` like Godot 4's Rect2::operator String.

import { ArgReader, type MethodSpec, type TypeMethods } from './builtin-methods';
import type { UtilityFunction } from './globals';
import { ScriptError } from './host';
import { GdVector, VECTOR2, VECTOR2I, type VectorKind } from './vectors';
import { GdBuiltinValue, GdFloat, VariantType, makeFloat, typeName, type Value } from './values';

export interface RectKind {
  readonly name: 'Rect2' | 'Rect2i';
  readonly variant: number;
  readonly vector: VectorKind;
}
// `vector` is a getter: this module may load while vectors.ts is still loading (an import cycle).
export const RECT2: RectKind = { name: 'Rect2', variant: VariantType.RECT2, get vector() { return VECTOR2; } };
export const RECT2I: RectKind = { name: 'Rect2i', variant: VariantType.RECT2I, get vector() { return VECTOR2I; } };

export class GdRect extends GdBuiltinValue {
  readonly position: GdVector;
  readonly size: GdVector;
  constructor(readonly kind: RectKind, position: readonly number[], size: readonly number[]) {
    super();
    this.position = new GdVector(kind.vector, position);
    this.size = new GdVector(kind.vector, size);
  }
  get end(): GdVector {
    return this.position.map((x, i) => x + this.size.c[i]);
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
    return RECT_METHODS;
  }
  toText(): string {
    return `[P: ${this.position.toText()}, S: ${this.size.toText()}]`;
  }
  sameAs(other: Value): boolean {
    return other instanceof GdRect && other.kind === this.kind && this.position.sameAs(other.position) && this.size.sameAs(other.size);
  }
  keyText(): string {
    return `${this.kind.name}(${this.position.c.join(',')},${this.size.c.join(',')})`;
  }
  truthy(): boolean {
    return this.position.truthy() || this.size.truthy();
  }
  getMember(name: string): Value | undefined {
    switch (name) {
      case 'position': return this.position;
      case 'size': return this.size;
      case 'end': return this.end;
    }
    return undefined;
  }
  setMember(name: string, value: Value): Value | undefined {
    if (name !== 'position' && name !== 'size' && name !== 'end') return undefined;
    if (!(value instanceof GdVector) || value.kind.size !== 2) {
      throw new ScriptError(`Invalid assignment of property or key '${name}' with value of type '${typeName(value)}' on a base object of type '${this.kind.name}'.`);
    }
    const v = new GdVector(this.kind.vector, value.c);
    if (name === 'position') return new GdRect(this.kind, v.c, this.size.c);
    if (name === 'size') return new GdRect(this.kind, this.position.c, v.c);
    return new GdRect(this.kind, this.position.c, v.c.map((x, i) => x - this.position.c[i]));
  }
  getIndex(index: Value): Value {
    const v = typeof index === 'string' ? this.getMember(index) : undefined;
    if (v !== undefined) return v;
    throw new ScriptError(`Invalid access to property or key '${String(index)}' on a base object of type '${this.kind.name}'.`);
  }
  setIndex(index: Value, value: Value): Value {
    const v = typeof index === 'string' ? this.setMember(index, value) : undefined;
    if (v !== undefined) return v;
    throw new ScriptError(`Invalid assignment of property or key '${String(index)}' with value of type '${typeName(value)}' on a base object of type '${this.kind.name}'.`);
  }
  /** A rect of the same kind from begin and end corners. */
  static fromCorners(kind: RectKind, begin: readonly number[], end: readonly number[]): GdRect {
    return new GdRect(kind, begin, end.map((x, i) => x - begin[i]));
  }
}

// ---- constructors ----------------------------------------------------------------------------

function isNum(v: Value): v is number | bigint | GdFloat {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof GdFloat;
}

/** Rect2(), Rect2(Rect2i), Rect2(position, size), Rect2(x, y, width, height). */
export function constructRect(kind: RectKind, args: Value[]): GdRect {
  if (args.length === 0) return new GdRect(kind, [0, 0], [0, 0]);
  if (args.length === 1 && args[0] instanceof GdRect) return new GdRect(kind, args[0].position.c, args[0].size.c);
  if (args.length === 2 && args.every((a) => a instanceof GdVector && a.kind.size === 2)) {
    return new GdRect(kind, (args[0] as GdVector).c, (args[1] as GdVector).c);
  }
  if (args.length === 4 && args.every(isNum)) {
    const n = args.map((a) => (a instanceof GdFloat ? a.value : Number(a)));
    return new GdRect(kind, [n[0], n[1]], [n[2], n[3]]);
  }
  throw new ScriptError(`No constructor of "${kind.name}" matches the signature "${kind.name}(${args.map(typeName).join(', ')})".`);
}

export const RECT_CONSTRUCTORS: Readonly<Record<string, UtilityFunction>> = {
  Rect2: { min: 0, max: 4, fn: (args) => constructRect(RECT2, args) },
  Rect2i: { min: 0, max: 4, fn: (args) => constructRect(RECT2I, args) },
};

// ---- methods ---------------------------------------------------------------------------------

function rectArg(r: ArgReader, i: number, kind: RectKind): GdRect {
  const v = r.args[i];
  if (v instanceof GdRect) return v.kind === kind ? v : new GdRect(kind, v.position.c, v.size.c);
  throw new ScriptError(`Invalid type in function '${r.method}' in base '${kind.name}'. Cannot convert argument ${i + 1} from ${typeName(v)} to ${kind.name}.`);
}
function pointArg(r: ArgReader, i: number, kind: RectKind): GdVector {
  const v = r.args[i];
  if (v instanceof GdVector && v.kind.size === 2) return v;
  throw new ScriptError(`Invalid type in function '${r.method}' in base '${kind.name}'. Cannot convert argument ${i + 1} from ${typeName(v)} to ${kind.vector.name}.`);
}
function intersects(a: GdRect, b: GdRect, borders: boolean): boolean {
  const ae = a.end.c;
  const be = b.end.c;
  for (let i = 0; i < 2; i++) {
    if (borders ? a.position.c[i] > be[i] || ae[i] < b.position.c[i] : a.position.c[i] >= be[i] || ae[i] <= b.position.c[i]) return false;
  }
  return true;
}

type M = MethodSpec<GdRect>;
const reader = (name: string, r: GdRect, a: Value[]): ArgReader => new ArgReader(name, r.kind.name, a);
const RECT_METHODS: TypeMethods = {
  has_point: {
    min: 1, max: 1,
    fn: (r, a) => {
      const p = pointArg(reader('has_point', r, a), 0, r.kind).c;
      const e = r.end.c;
      return p[0] >= r.position.c[0] && p[1] >= r.position.c[1] && p[0] < e[0] && p[1] < e[1];
    },
  } satisfies M,
  intersects: {
    min: 1, max: 2,
    fn: (r, a) => {
      const rd = reader('intersects', r, a);
      return intersects(r, rectArg(rd, 0, r.kind), rd.bool(1, false));
    },
  } satisfies M,
  encloses: {
    min: 1, max: 1,
    fn: (r, a) => {
      const o = rectArg(reader('encloses', r, a), 0, r.kind);
      const e = r.end.c;
      const oe = o.end.c;
      return o.position.c[0] >= r.position.c[0] && o.position.c[1] >= r.position.c[1] && oe[0] <= e[0] && oe[1] <= e[1];
    },
  } satisfies M,
  grow: {
    min: 1, max: 1,
    fn: (r, a) => {
      const by = reader('grow', r, a).float(0);
      return new GdRect(r.kind, r.position.c.map((x) => x - by), r.size.c.map((x) => x + 2 * by));
    },
  } satisfies M,
  grow_individual: {
    min: 4, max: 4,
    fn: (r, a) => {
      const rd = reader('grow_individual', r, a);
      const [left, top, right, bottom] = [rd.float(0), rd.float(1), rd.float(2), rd.float(3)];
      return new GdRect(r.kind, [r.position.c[0] - left, r.position.c[1] - top], [r.size.c[0] + left + right, r.size.c[1] + top + bottom]);
    },
  } satisfies M,
  get_center: {
    min: 0, max: 0,
    fn: (r) => (r.kind === RECT2I
      ? new GdVector(VECTOR2I, r.position.c.map((x, i) => x + Math.trunc(r.size.c[i] / 2)))
      : new GdVector(VECTOR2, r.position.c.map((x, i) => x + r.size.c[i] * 0.5))),
  } satisfies M,
  get_area: { min: 0, max: 0, fn: (r) => { const s = r.size.c[0] * r.size.c[1]; return r.kind === RECT2I ? s : makeFloat(Math.fround(s)); } } satisfies M,
  has_area: { min: 0, max: 0, fn: (r) => r.size.c[0] > 0 && r.size.c[1] > 0 } satisfies M,
  abs: {
    min: 0, max: 0,
    fn: (r) => new GdRect(r.kind, r.position.c.map((x, i) => x + Math.min(r.size.c[i], 0)), r.size.c.map(Math.abs)),
  } satisfies M,
  merge: {
    min: 1, max: 1,
    fn: (r, a) => {
      const o = rectArg(reader('merge', r, a), 0, r.kind);
      return GdRect.fromCorners(r.kind, r.position.c.map((x, i) => Math.min(x, o.position.c[i])), r.end.c.map((x, i) => Math.max(x, o.end.c[i])));
    },
  } satisfies M,
  intersection: {
    min: 1, max: 1,
    fn: (r, a) => {
      const o = rectArg(reader('intersection', r, a), 0, r.kind);
      if (!intersects(r, o, false)) return new GdRect(r.kind, [0, 0], [0, 0]);
      return GdRect.fromCorners(r.kind, r.position.c.map((x, i) => Math.max(x, o.position.c[i])), r.end.c.map((x, i) => Math.min(x, o.end.c[i])));
    },
  } satisfies M,
  expand: {
    min: 1, max: 1,
    fn: (r, a) => {
      const p = pointArg(reader('expand', r, a), 0, r.kind).c;
      return GdRect.fromCorners(r.kind, r.position.c.map((x, i) => Math.min(x, p[i])), r.end.c.map((x, i) => Math.max(x, p[i])));
    },
  } satisfies M,
  is_equal_approx: {
    min: 1, max: 1,
    fn: (r, a) => {
      const o = rectArg(reader('is_equal_approx', r, a), 0, r.kind);
      const near = (x: number, y: number): boolean => x === y || Math.abs(x - y) < Math.max(0.00001 * Math.abs(x), 0.00001);
      return [...r.position.c, ...r.size.c].every((x, i) => near(x, [...o.position.c, ...o.size.c][i]));
    },
  } satisfies M,
} as TypeMethods;
