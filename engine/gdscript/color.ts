// Color: an immutable value of four 32-bit float components (r, g, b, a), like Godot 4's Color.
// Constructors (Color(), Color(r, g, b[, a]), Color("#ff8000"), Color("teal", 0.5), Color(c, a)),
// named constants (Color.RED …, color-names.ts), Color.from_hsv()/html()/html_is_valid(), Color8(),
// members r/g/b/a, r8…a8, h/s/v, and the methods scripts use. Operators are in vector-operators.ts.

import { ArgReader, type MethodSpec, type TypeMethods } from './builtin-methods';
import { NAMED_COLORS } from './color-names';
import type { UtilityFunction } from './globals';
import { ScriptError, type CallContext, type NativeClass } from './host';
import { formatDecimals } from './stringify';
import { GdBuiltinValue, GdClassRef, GdFloat, VariantType, isStringLike, makeFloat, stringValue, typeName, type Value } from './values';

const CHANNELS = ['r', 'g', 'b', 'a'];

export class GdColor extends GdBuiltinValue {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
  constructor(r: number, g: number, b: number, a = 1) {
    super();
    this.r = Math.fround(r);
    this.g = Math.fround(g);
    this.b = Math.fround(b);
    this.a = Math.fround(a);
  }
  get components(): number[] {
    return [this.r, this.g, this.b, this.a];
  }
  get variantType(): number {
    return VariantType.COLOR;
  }
  get typeName(): string {
    return 'Color';
  }
  get shared(): boolean {
    return false;
  }
  get methods(): TypeMethods {
    return COLOR_METHODS;
  }
  /** Color::operator String(): four components with at most 4 decimals. */
  toText(): string {
    return '(' + this.components.map((x) => formatDecimals(x, 4)).join(', ') + ')';
  }
  sameAs(other: Value): boolean {
    return other instanceof GdColor && other.r === this.r && other.g === this.g && other.b === this.b && other.a === this.a;
  }
  keyText(): string {
    return 'Color(' + this.components.join(',') + ')';
  }
  truthy(): boolean {
    return this.components.some((x) => x !== 0);
  }
  getMember(name: string): Value | undefined {
    const i = CHANNELS.indexOf(name);
    if (i >= 0) return makeFloat(this.components[i]);
    const i8 = CHANNELS.indexOf(name.slice(0, -1));
    if (name.endsWith('8') && i8 >= 0) return to8(this.components[i8]);
    switch (name) {
      case 'h': return makeFloat(Math.fround(hsv(this)[0]));
      case 's': return makeFloat(Math.fround(hsv(this)[1]));
      case 'v': return makeFloat(Math.fround(hsv(this)[2]));
    }
    return undefined;
  }
  setMember(name: string, value: Value): Value | undefined {
    const fail = (): never => {
      throw new ScriptError(`Invalid assignment of property or key '${name}' with value of type '${typeName(value)}' on a base object of type 'Color'.`);
    };
    const x = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : value instanceof GdFloat ? value.value : fail();
    const c = this.components;
    const i = CHANNELS.indexOf(name);
    if (i >= 0) {
      c[i] = x;
      return new GdColor(c[0], c[1], c[2], c[3]);
    }
    const i8 = CHANNELS.indexOf(name.slice(0, -1));
    if (name.endsWith('8') && i8 >= 0) {
      c[i8] = x / 255;
      return new GdColor(c[0], c[1], c[2], c[3]);
    }
    if (name === 'h' || name === 's' || name === 'v') {
      const [h, s, v] = hsv(this);
      return fromHsv(name === 'h' ? x : h, name === 's' ? x : s, name === 'v' ? x : v, this.a);
    }
    return undefined;
  }
  getIndex(index: Value): Value {
    return makeFloat(this.components[this.indexOf(index, 'get')]);
  }
  setIndex(index: Value, value: Value): Value {
    const i = this.indexOf(index, 'set');
    if (typeof value !== 'number' && typeof value !== 'bigint' && !(value instanceof GdFloat)) {
      throw new ScriptError(`Invalid assignment of index '${i}' (on base: 'Color') with value of type '${typeName(value)}'.`);
    }
    const c = this.components;
    c[i] = value instanceof GdFloat ? value.value : Number(value);
    return new GdColor(c[0], c[1], c[2], c[3]);
  }
  private indexOf(index: Value, access: 'get' | 'set'): number {
    if (isStringLike(index) && CHANNELS.includes(stringValue(index))) return CHANNELS.indexOf(stringValue(index));
    if (typeof index !== 'number' && typeof index !== 'bigint') {
      throw new ScriptError(`Invalid ${access === 'get' ? 'access to' : 'assignment of'} property or key '${isStringLike(index) ? stringValue(index) : String(index)}' on a base object of type 'Color'.`);
    }
    const n = Number(index);
    const j = n < 0 ? n + 4 : n;
    if (j < 0 || j > 3) throw new ScriptError(`Out of bounds ${access} index '${n}' (on base: 'Color')`);
    return j;
  }
}

// ---- HSV, HTML codes, names ------------------------------------------------------------------

/** Color::get_h/get_s/get_v. */
function hsv(c: GdColor): [number, number, number] {
  const max = Math.max(c.r, c.g, c.b);
  const min = Math.min(c.r, c.g, c.b);
  const delta = max - min;
  let h = 0;
  if (delta !== 0) {
    if (c.r === max) h = (c.g - c.b) / delta;
    else if (c.g === max) h = 2 + (c.b - c.r) / delta;
    else h = 4 + (c.r - c.g) / delta;
    h /= 6;
    if (h < 0) h += 1;
  }
  return [h, max === 0 ? 0 : delta / max, max];
}

/** Color::set_hsv / Color.from_hsv(h, s, v, a). */
export function fromHsv(h: number, s: number, v: number, a = 1): GdColor {
  if (s === 0) return new GdColor(v, v, v, a);
  h *= 6;
  h %= 6;
  const i = Math.floor(h);
  const f = h - i;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  switch (i) {
    case 0: return new GdColor(v, t, p, a);
    case 1: return new GdColor(q, v, p, a);
    case 2: return new GdColor(p, v, t, a);
    case 3: return new GdColor(p, q, v, a);
    case 4: return new GdColor(t, p, v, a);
    default: return new GdColor(v, p, q, a);
  }
}

/** The components of an HTML color code ("#rgb", "rgba", "#rrggbb", "rrggbbaa"), or undefined. */
function parseHtml(code: string): [number, number, number, number] | undefined {
  const hex = code.startsWith('#') ? code.slice(1) : code;
  if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  if (hex.length === 3 || hex.length === 4) {
    const c = Array.from(hex, (d) => parseInt(d, 16) / 15);
    return [c[0], c[1], c[2], c[3] ?? 1];
  }
  if (hex.length === 6 || hex.length === 8) {
    const c = [0, 2, 4, 6].map((i) => (i < hex.length ? parseInt(hex.slice(i, i + 2), 16) / 255 : 1));
    return [c[0], c[1], c[2], c[3]];
  }
  return undefined;
}

/** Color.html(code): an error line and Color() for an invalid code, like Godot. */
export function colorFromHtml(code: string, warn: (message: string) => void): GdColor {
  const c = parseHtml(code);
  if (!c) {
    warn(`Invalid color code: ${code}.`);
    return new GdColor(0, 0, 0, 1);
  }
  return new GdColor(c[0], c[1], c[2], c[3]);
}

/**
 * Color(String): an HTML code or a color name ("red", "Web Gray", "dark-blue"); anything else prints
 * Godot's error line and gives Color().
 */
function colorFromString(text: string, warn: (message: string) => void): GdColor {
  const html = parseHtml(text);
  if (html) return new GdColor(html[0], html[1], html[2], html[3]);
  const name = text.replace(/[ -]/g, '_').replace(/['.]/g, '').toUpperCase();
  const named = Object.prototype.hasOwnProperty.call(NAMED_COLORS, name) ? NAMED_COLORS[name] : undefined;
  if (!named) {
    warn(`Invalid color name: ${text}.`);
    return new GdColor(0, 0, 0, 1);
  }
  return new GdColor(named[0], named[1], named[2], named[3]);
}

function toHex(x: number): string {
  return Math.round(Math.min(Math.max(x, 0), 1) * 255).toString(16).padStart(2, '0');
}

/** The 8-bit value of a channel (rounded, clamped to 0…255). */
function to8(x: number): number {
  return Math.min(Math.max(Math.round(x * 255), 0), 255);
}

// ---- constructors ----------------------------------------------------------------------------

function num(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GdFloat) return v.value;
  return undefined;
}

/** Godot's Color constructors; `warn` prints Godot's error line for an unknown color name. */
export function constructColor(args: Value[], warn: (message: string) => void): GdColor {
  const fail = (): never => {
    throw new ScriptError(`No constructor of "Color" matches the signature "Color(${args.map(typeName).join(', ')})".`);
  };
  if (args.length === 0) return new GdColor(0, 0, 0, 1);
  const first = args[0];
  if (args.length <= 2 && (first instanceof GdColor || isStringLike(first))) {
    const base = first instanceof GdColor ? first : colorFromString(stringValue(first as string), warn);
    if (args.length === 1) return base;
    const alpha = num(args[1]) ?? fail();
    return new GdColor(base.r, base.g, base.b, alpha);
  }
  if (args.length === 3 || args.length === 4) {
    const c = args.map((a) => num(a) ?? fail());
    return new GdColor(c[0], c[1], c[2], c[3] ?? 1);
  }
  return fail();
}

function floatArg(args: Value[], i: number, fn: string, def?: number): number {
  const v = args[i];
  if (v === undefined && def !== undefined) return def;
  const x = num(v);
  if (x === undefined) throw new ScriptError(`Invalid type in function '${fn}' in base 'Color'. Cannot convert argument ${i + 1} from ${typeName(v)} to float.`);
  return x;
}

export const COLOR_CONSTRUCTORS: Readonly<Record<string, UtilityFunction>> = {
  Color: { min: 0, max: 4, fn: (args, env) => constructColor(args, (m) => env.print(`ERROR: ${m}`, 'stderr')) },
  // @GDScript.Color8(r8, g8, b8, a8 = 255)
  Color8: {
    min: 3, max: 4,
    fn: (args) => new GdColor(floatArg(args, 0, 'Color8') / 255, floatArg(args, 1, 'Color8') / 255, floatArg(args, 2, 'Color8') / 255, floatArg(args, 3, 'Color8', 255) / 255),
  },
};

const STATIC_METHODS: Record<string, (args: Value[], ctx: CallContext) => Value> = {
  from_hsv: (a) => fromHsv(floatArg(a, 0, 'from_hsv'), floatArg(a, 1, 'from_hsv'), floatArg(a, 2, 'from_hsv'), floatArg(a, 3, 'from_hsv', 1)),
  html: (a, ctx) => colorFromHtml(new ArgReader('html', 'Color', a).str(0), (m) => ctx.warn(m)),
  html_is_valid: (a) => parseHtml(new ArgReader('html_is_valid', 'Color', a).str(0)) !== undefined,
  from_rgba8: (a) => new GdColor(floatArg(a, 0, 'from_rgba8') / 255, floatArg(a, 1, 'from_rgba8') / 255, floatArg(a, 2, 'from_rgba8') / 255, floatArg(a, 3, 'from_rgba8', 255) / 255),
  hex: (a) => {
    const v = BigInt.asUintN(32, BigInt(Math.trunc(floatArg(a, 0, 'hex'))));
    const n = Number(v);
    return new GdColor(((n >>> 24) & 255) / 255, ((n >>> 16) & 255) / 255, ((n >>> 8) & 255) / 255, (n & 255) / 255);
  },
};

/** `Color` as a value: the named colors (Color.RED) and the static methods. */
export const COLOR_TYPE_REF = new GdClassRef({
  name: 'Color',
  constants: Object.fromEntries(Object.entries(NAMED_COLORS).map(([name, c]) => [name, new GdColor(c[0], c[1], c[2], c[3])])),
  hasStatic: (method) => Object.prototype.hasOwnProperty.call(STATIC_METHODS, method),
  callStatic: (method, args, ctx) => STATIC_METHODS[method](args, ctx),
} satisfies NativeClass);

// ---- methods ---------------------------------------------------------------------------------

function colorArg(r: ArgReader, i: number): GdColor {
  const v = r.args[i];
  if (v instanceof GdColor) return v;
  throw new ScriptError(`Invalid type in function '${r.method}' in base 'Color'. Cannot convert argument ${i + 1} from ${typeName(v)} to Color.`);
}

type M = MethodSpec<GdColor>;
const COLOR_METHODS: TypeMethods = {
  to_html: {
    min: 0, max: 1,
    fn: (c, a) => {
      const alpha = new ArgReader('to_html', 'Color', a).bool(0, true);
      return toHex(c.r) + toHex(c.g) + toHex(c.b) + (alpha ? toHex(c.a) : '');
    },
  } satisfies M,
  lightened: { min: 1, max: 1, fn: (c, a) => { const t = new ArgReader('lightened', 'Color', a).float(0); return new GdColor(c.r + (1 - c.r) * t, c.g + (1 - c.g) * t, c.b + (1 - c.b) * t, c.a); } } satisfies M,
  darkened: { min: 1, max: 1, fn: (c, a) => { const t = new ArgReader('darkened', 'Color', a).float(0); return new GdColor(c.r * (1 - t), c.g * (1 - t), c.b * (1 - t), c.a); } } satisfies M,
  inverted: { min: 0, max: 0, fn: (c) => new GdColor(1 - c.r, 1 - c.g, 1 - c.b, c.a) } satisfies M,
  lerp: {
    min: 2, max: 2,
    fn: (c, a) => {
      const r = new ArgReader('lerp', 'Color', a);
      const to = colorArg(r, 0);
      const t = r.float(1);
      const x = c.components;
      const y = to.components;
      const z = x.map((v, i) => v + (y[i] - v) * t);
      return new GdColor(z[0], z[1], z[2], z[3]);
    },
  } satisfies M,
  blend: {
    min: 1, max: 1,
    fn: (c, a) => {
      const over = colorArg(new ArgReader('blend', 'Color', a), 0);
      const sa = 1 - over.a;
      const alpha = c.a * sa + over.a;
      if (alpha === 0) return new GdColor(0, 0, 0, 0);
      const mix = (x: number, y: number): number => (x * c.a * sa + y * over.a) / alpha;
      return new GdColor(mix(c.r, over.r), mix(c.g, over.g), mix(c.b, over.b), alpha);
    },
  } satisfies M,
  clamp: {
    min: 0, max: 2,
    fn: (c, a) => {
      const r = new ArgReader('clamp', 'Color', a);
      const lo = a.length > 0 ? colorArg(r, 0) : new GdColor(0, 0, 0, 0);
      const hi = a.length > 1 ? colorArg(r, 1) : new GdColor(1, 1, 1, 1);
      const x = c.components.map((v, i) => Math.min(Math.max(v, lo.components[i]), hi.components[i]));
      return new GdColor(x[0], x[1], x[2], x[3]);
    },
  } satisfies M,
  is_equal_approx: {
    min: 1, max: 1,
    fn: (c, a) => {
      const o = colorArg(new ArgReader('is_equal_approx', 'Color', a), 0);
      return c.components.every((x, i) => {
        const y = o.components[i];
        return x === y || Math.abs(x - y) < Math.max(0.00001 * Math.abs(x), 0.00001);
      });
    },
  } satisfies M,
  get_luminance: { min: 0, max: 0, fn: (c) => makeFloat(Math.fround(0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b)) } satisfies M,
  to_rgba32: { min: 0, max: 0, fn: (c) => ((to8(c.r) << 24) | (to8(c.g) << 16) | (to8(c.b) << 8) | to8(c.a)) >>> 0 } satisfies M,
  to_argb32: { min: 0, max: 0, fn: (c) => ((to8(c.a) << 24) | (to8(c.r) << 16) | (to8(c.g) << 8) | to8(c.b)) >>> 0 } satisfies M,
} as TypeMethods;
