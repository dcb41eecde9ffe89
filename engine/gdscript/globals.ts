// Global scope: utility functions (print, str, len, range, abs, randi, ...), builtin type
// constructors (int(), float(), String(), Array(), PackedByteArray(), ...) and global constants
// (PI, INF, OK, ERR_*, TYPE_*).

import { stringToFloat, stringToInt } from './builtin-methods';
import { ScriptError } from './host';
import { equals, truthy, binaryOperation, BinOp } from './operators';
import { stringify } from './stringify';
import { COLOR_CONSTRUCTORS, COLOR_TYPE_REF } from './color';
import { GdPackedArray, PACKED_CONSTRUCTORS } from './packed-arrays';
import { RECT_CONSTRUCTORS } from './rect';
import { packedBytesFromArray } from './types';
import { varToStr } from './value-text';
import { VALUE_TYPE_UTILITIES, valueTypeUtility } from './value-utilities';
import { strToVar } from './variant-parser';
import { VECTOR_CONSTRUCTORS, VECTOR_TYPE_REFS } from './vectors';
import {
  GdArray, GdBuiltinValue, GdCallable, GdClassRef, GdDictionary, GdFloat, GdNodePath, GdPackedByteArray, GdScriptObject, GdSignal,
  GdStringName, VariantType, checkCollectionSize, intNumber, isNativeObject, isStringLike, makeFloat, makeInt, stringValue,
  typeName, variantType, type Value,
} from './values';

/** What utility functions may need from the interpreter. */
export interface UtilityEnv {
  print(text: string, stream: 'stdout' | 'stderr'): void;
  readonly random: Random;
  /** The host's resource loader, when it has one. */
  load?(path: string): Value;
}

export interface UtilityFunction {
  readonly min: number;
  readonly max: number;
  fn(args: Value[], env: UtilityEnv): Value;
}

/** A small seedable PRNG (one per script instance, like Godot's global RandomNumberGenerator). */
export class Random {
  private state: number;
  constructor(seed = (Math.random() * 0x100000000) >>> 0) {
    this.state = seed >>> 0;
  }
  seed(n: number): void {
    this.state = Number(BigInt.asUintN(32, BigInt(Math.trunc(n)))) >>> 0;
  }
  /** Uniform 32-bit unsigned integer (mulberry32). */
  randi(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  randf(): number {
    return this.randi() / 0x100000000;
  }
}

// ---- helpers ------------------------------------------------------------------------------

function num(v: Value, fn: string, i: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GdFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new ScriptError(`Invalid type in utility function "${fn}()". Cannot convert argument ${i + 1} from ${typeName(v)} to float.`);
}
function int(v: Value, fn: string, i: number): number {
  return intNumber(makeInt(num(v, fn, i)));
}
const isFloatValue = (v: Value): boolean => v instanceof GdFloat;

/** Applies a float function, keeping int arguments int where Godot does (floor(3) → 3). */
function sameKind(v: Value, fn: string, f: (x: number) => number): Value {
  if (typeof v === 'bigint') return fn === 'sign' ? (v < 0n ? -1 : 1) : fn === 'abs' ? makeInt(v < 0n ? -v : v) : v;
  if (typeof v === 'number') return makeInt(f(v));
  return makeFloat(f(num(v, fn, 0)));
}
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}
function f1(name: string, f: (x: number) => number): UtilityFunction {
  return { min: 1, max: 1, fn: (a) => makeFloat(f(num(a[0], name, 0))) };
}
function printJoined(sep: string, stream: 'stdout' | 'stderr'): UtilityFunction['fn'] {
  return (args, env) => {
    env.print(args.map((v) => stringify(v)).join(sep), stream);
    return null;
  };
}
function variadicExtreme(name: string, pickSecond: (a: Value, b: Value) => boolean): UtilityFunction {
  return {
    min: 2, max: Infinity,
    fn: (args) => {
      let best = args[0];
      args.forEach((v, i) => num(v, name, i));
      for (let i = 1; i < args.length; i++) if (pickSecond(best, args[i])) best = args[i];
      // Mixed int/float arguments give a float, like Godot's Variant min/max.
      if (args.some(isFloatValue) && typeof best === 'number') return makeFloat(best);
      return best;
    },
  };
}

export function lengthOf(v: Value): number {
  if (isStringLike(v)) return Array.from(stringValue(v)).length;
  if (v instanceof GdArray) return v.items.length;
  if (v instanceof GdDictionary) return v.size;
  if (v instanceof GdPackedByteArray) return v.size;
  if (v instanceof GdPackedArray) return v.items.length;
  throw new ScriptError(`Value of type '${typeName(v)}' can't provide a length.`);
}

/** The ints of range(...) as a start/end/step triple (validated). */
export function rangeBounds(args: Value[]): [number, number, number] {
  const ints = args.map((a, i) => int(a, 'range', i));
  let start = 0;
  let end = 0;
  let step = 1;
  if (ints.length === 1) end = ints[0];
  else if (ints.length === 2) [start, end] = ints;
  else if (ints.length === 3) [start, end, step] = ints;
  else throw new ScriptError(`Invalid call to function 'range'. Expected 1 to 3 arguments, received ${ints.length}.`);
  if (step === 0) throw new ScriptError('Step argument is zero!');
  return [start, end, step];
}

export const TYPE_NAMES: readonly string[] = [
  'Nil', 'bool', 'int', 'float', 'String', 'Vector2', 'Vector2i', 'Rect2', 'Rect2i', 'Vector3', 'Vector3i',
  'Transform2D', 'Vector4', 'Vector4i', 'Plane', 'Quaternion', 'AABB', 'Basis', 'Transform3D', 'Projection',
  'Color', 'StringName', 'NodePath', 'RID', 'Object', 'Callable', 'Signal', 'Dictionary', 'Array',
  'PackedByteArray', 'PackedInt32Array', 'PackedInt64Array', 'PackedFloat32Array', 'PackedFloat64Array',
  'PackedStringArray', 'PackedVector2Array', 'PackedVector3Array', 'PackedColorArray', 'PackedVector4Array',
];

function toInt(v: Value): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (v instanceof GdFloat) return makeInt(v.value);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (isStringLike(v)) return stringToInt(stringValue(v));
  throw new ScriptError(`Invalid type in constructor of 'int'. Cannot convert argument 1 from ${typeName(v)} to int.`);
}
function toFloat(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GdFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (isStringLike(v)) return stringToFloat(stringValue(v));
  throw new ScriptError(`Invalid type in constructor of 'float'. Cannot convert argument 1 from ${typeName(v)} to float.`);
}

// ---- utility functions ------------------------------------------------------------------------

export const UTILITY_FUNCTIONS: Readonly<Record<string, UtilityFunction>> = {
  // output
  print: { min: 0, max: Infinity, fn: printJoined('', 'stdout') },
  print_debug: { min: 0, max: Infinity, fn: printJoined('', 'stdout') },
  print_rich: {
    min: 0, max: Infinity,
    fn: (args, env) => {
      env.print(args.map((v) => stringify(v)).join('').replace(/\[\/?[a-z_]+(=[^\]]*)?\]/g, ''), 'stdout');
      return null;
    },
  },
  printraw: { min: 0, max: Infinity, fn: printJoined('', 'stdout') },
  prints: { min: 0, max: Infinity, fn: printJoined(' ', 'stdout') },
  printt: { min: 0, max: Infinity, fn: printJoined('\t', 'stdout') },
  printerr: { min: 0, max: Infinity, fn: printJoined('', 'stderr') },
  print_verbose: { min: 0, max: Infinity, fn: () => null },
  push_error: {
    min: 0, max: Infinity,
    fn: (args, env) => {
      env.print('ERROR: ' + args.map((v) => stringify(v)).join(''), 'stderr');
      return null;
    },
  },
  push_warning: {
    min: 0, max: Infinity,
    fn: (args, env) => {
      env.print('WARNING: ' + args.map((v) => stringify(v)).join(''), 'stderr');
      return null;
    },
  },

  // conversion and introspection
  str: { min: 0, max: Infinity, fn: (args) => (args.length === 1 ? stringify(args[0]) : args.map((v) => stringify(v)).join('')) },
  var_to_str: {
    min: 1, max: 1,
    fn: (a) => varToStr(a[0]),
  },
  str_to_var: { min: 1, max: 1, fn: (a) => strToVar(isStringLike(a[0]) ? stringValue(a[0]) : stringify(a[0])) },
  load: {
    min: 1, max: 3,
    fn: (a, env) => {
      const path = isStringLike(a[0]) ? stringValue(a[0]) : stringify(a[0]);
      if (env.load) return env.load(path);
      throw new ScriptError(`load("${path}"): the lab runs one script on its own and cannot load other files or resources.`);
    },
  },
  error_string: {
    min: 1, max: 1,
    fn: (a) => {
      const code = int(a[0], 'error_string', 0);
      return code >= 0 && code < ERROR_DESCRIPTIONS.length ? ERROR_DESCRIPTIONS[code] : '(invalid error code)';
    },
  },
  is_instance_of: {
    min: 2, max: 2,
    fn: (a) => {
      const t = a[1];
      if (typeof t === 'number') return variantType(a[0]) === t;
      if (t instanceof GdClassRef) {
        const v = a[0];
        if (isNativeObject(v)) return v.className === t.nativeClass.name || (v.isClass?.(t.nativeClass.name) ?? false);
        if (v instanceof GdScriptObject) return (v as unknown as { isClass?(n: string): boolean }).isClass?.(t.nativeClass.name) ?? false;
        return false;
      }
      const cls = t as unknown as { cls?: { index: number } };
      if (t instanceof GdScriptObject && cls.cls) {
        const v = a[0] as unknown as { inheritsScriptClass?(i: number): boolean };
        return a[0] instanceof GdScriptObject && (v.inheritsScriptClass?.(cls.cls.index) ?? false);
      }
      throw new ScriptError('Invalid type in utility function "is_instance_of()". The second argument must be a type constant or a class.');
    },
  },
  hash: { min: 1, max: 1, fn: (a) => { let h = 5381; for (const ch of stringify(a[0])) h = (Math.imul(h, 33) + (ch.codePointAt(0) ?? 0)) >>> 0; return h; } },
  get_stack: { min: 0, max: 0, fn: () => new GdArray() },
  print_stack: { min: 0, max: 0, fn: () => null },
  len: { min: 1, max: 1, fn: (a) => lengthOf(a[0]) },
  range: {
    min: 1, max: 3,
    fn: (a) => {
      const [start, end, step] = rangeBounds(a);
      const out: Value[] = [];
      const count = step > 0 ? Math.ceil((end - start) / step) : Math.ceil((start - end) / -step);
      checkCollectionSize('Array', count);
      if (step > 0) for (let i = start; i < end; i += step) out.push(i);
      else for (let i = start; i > end; i += step) out.push(i);
      return new GdArray(out);
    },
  },
  typeof: { min: 1, max: 1, fn: (a) => variantType(a[0]) },
  type_string: {
    min: 1, max: 1,
    fn: (a) => {
      const t = int(a[0], 'type_string', 0);
      return TYPE_NAMES[t] ?? '<invalid type>';
    },
  },
  is_instance_valid: {
    min: 1, max: 1,
    fn: (a) => a[0] !== null && (isNativeObject(a[0]) || a[0] instanceof GdScriptObject || a[0] instanceof GdClassRef),
  },
  is_same: {
    min: 2, max: 2,
    fn: (a) => a[0] === a[1] || (typeof a[0] !== 'object' && typeof a[1] !== 'object' && equalsSafe(a[0], a[1]) && variantType(a[0]) === variantType(a[1])),
  },
  char: { min: 1, max: 1, fn: (a) => String.fromCodePoint(int(a[0], 'char', 0)) },
  instance_from_id: { min: 1, max: 1, fn: () => null },

  // builtin type constructors
  int: { min: 0, max: 1, fn: (a) => (a.length ? toInt(a[0]) : 0) },
  float: { min: 0, max: 1, fn: (a) => makeFloat(a.length ? toFloat(a[0]) : 0) },
  bool: { min: 0, max: 1, fn: (a) => (a.length ? truthy(a[0]) : false) },
  String: { min: 0, max: 1, fn: (a) => (a.length ? stringify(a[0]) : '') },
  StringName: { min: 0, max: 1, fn: (a) => GdStringName.of(a.length ? stringify(a[0]) : '') },
  NodePath: { min: 0, max: 1, fn: (a) => GdNodePath.of(a.length ? stringify(a[0]) : '') },
  Callable: {
    min: 0, max: 2,
    fn: (a) => {
      if (a.length === 0) throw new ScriptError('The lab does not support null Callables; use Callable(object, "method").');
      if (a.length === 1 && a[0] instanceof GdCallable) return a[0];
      const obj = a[0];
      if (a.length !== 2 || obj === null || typeof obj !== 'object' || !isStringLike(a[1])) {
        throw new ScriptError(`Invalid type in constructor of 'Callable'. Expected (Object, StringName).`);
      }
      return new GdCallable(obj as object, stringValue(a[1]));
    },
  },
  Signal: {
    min: 2, max: 2,
    fn: (a) => {
      const obj = a[0];
      if (obj === null || typeof obj !== 'object' || !isStringLike(a[1])) {
        throw new ScriptError(`Invalid type in constructor of 'Signal'. Expected (Object, StringName).`);
      }
      return new GdSignal(obj as object, stringValue(a[1]));
    },
  },
  Array: {
    min: 0, max: 1,
    fn: (a) => {
      const v = a[0];
      if (v === undefined) return new GdArray();
      if (v instanceof GdArray) return new GdArray(v.items.slice());
      if (v instanceof GdPackedByteArray) return new GdArray(Array.from(v.bytes));
      if (v instanceof GdPackedArray) return new GdArray(v.items.slice());
      throw new ScriptError(`Invalid type in constructor of 'Array'. Cannot convert argument 1 from ${typeName(v)} to Array.`);
    },
  },
  Dictionary: {
    min: 0, max: 1,
    fn: (a) => {
      const out = new GdDictionary();
      const v = a[0];
      if (v instanceof GdDictionary) for (const [k, x] of v.entries()) out.set(k, x);
      else if (v !== undefined) throw new ScriptError(`Invalid type in constructor of 'Dictionary'. Cannot convert argument 1 from ${typeName(v)} to Dictionary.`);
      return out;
    },
  },
  PackedByteArray: {
    min: 0, max: 1,
    fn: (a) => {
      const v = a[0];
      if (v === undefined) return GdPackedByteArray.from([]);
      if (v instanceof GdPackedByteArray) return GdPackedByteArray.from(v.bytes);
      if (v instanceof GdArray) return packedBytesFromArray(v);
      throw new ScriptError(`Invalid type in constructor of 'PackedByteArray'. Cannot convert argument 1 from ${typeName(v)} to PackedByteArray.`);
    },
  },
  ...VECTOR_CONSTRUCTORS,
  ...COLOR_CONSTRUCTORS,
  ...RECT_CONSTRUCTORS,
  ...PACKED_CONSTRUCTORS,

  // math
  abs: { min: 1, max: 1, fn: (a) => sameKind(a[0], 'abs', Math.abs) },
  absi: { min: 1, max: 1, fn: (a) => Math.abs(int(a[0], 'absi', 0)) },
  absf: { min: 1, max: 1, fn: (a) => makeFloat(Math.abs(num(a[0], 'absf', 0))) },
  sign: { min: 1, max: 1, fn: (a) => sameKind(a[0], 'sign', (x) => (x > 0 ? 1 : x < 0 ? -1 : 0)) },
  signi: { min: 1, max: 1, fn: (a) => Math.sign(int(a[0], 'signi', 0)) },
  signf: { min: 1, max: 1, fn: (a) => makeFloat(Math.sign(num(a[0], 'signf', 0))) },
  floor: { min: 1, max: 1, fn: (a) => sameKind(a[0], 'floor', Math.floor) },
  ceil: { min: 1, max: 1, fn: (a) => sameKind(a[0], 'ceil', Math.ceil) },
  round: { min: 1, max: 1, fn: (a) => sameKind(a[0], 'round', roundHalfAway) },
  floori: { min: 1, max: 1, fn: (a) => makeInt(Math.floor(num(a[0], 'floori', 0))) },
  ceili: { min: 1, max: 1, fn: (a) => makeInt(Math.ceil(num(a[0], 'ceili', 0))) },
  roundi: { min: 1, max: 1, fn: (a) => makeInt(roundHalfAway(num(a[0], 'roundi', 0))) },
  floorf: f1('floorf', Math.floor),
  ceilf: f1('ceilf', Math.ceil),
  roundf: f1('roundf', roundHalfAway),
  sqrt: f1('sqrt', Math.sqrt),
  exp: f1('exp', Math.exp),
  log: f1('log', Math.log),
  sin: f1('sin', Math.sin),
  cos: f1('cos', Math.cos),
  tan: f1('tan', Math.tan),
  asin: f1('asin', Math.asin),
  acos: f1('acos', Math.acos),
  atan: f1('atan', Math.atan),
  deg_to_rad: f1('deg_to_rad', (x) => (x * Math.PI) / 180),
  rad_to_deg: f1('rad_to_deg', (x) => (x * 180) / Math.PI),
  atan2: { min: 2, max: 2, fn: (a) => makeFloat(Math.atan2(num(a[0], 'atan2', 0), num(a[1], 'atan2', 1))) },
  pow: { min: 2, max: 2, fn: (a) => makeFloat(Math.pow(num(a[0], 'pow', 0), num(a[1], 'pow', 1))) },
  fmod: { min: 2, max: 2, fn: (a) => makeFloat(num(a[0], 'fmod', 0) % num(a[1], 'fmod', 1)) },
  fposmod: {
    min: 2, max: 2,
    fn: (a) => {
      const x = num(a[0], 'fposmod', 0);
      const y = num(a[1], 'fposmod', 1);
      const r = x % y;
      return makeFloat(r !== 0 && (r < 0) !== (y < 0) ? r + y : r);
    },
  },
  posmod: {
    min: 2, max: 2,
    fn: (a) => {
      const x = int(a[0], 'posmod', 0);
      const y = int(a[1], 'posmod', 1);
      if (y === 0) throw new ScriptError("Modulo by zero error in operator '%'.");
      const r = x % y;
      return r !== 0 && (r < 0) !== (y < 0) ? r + y : r;
    },
  },
  min: variadicExtreme('min', (best, v) => binaryOperation(BinOp.Lt, v, best) === true),
  max: variadicExtreme('max', (best, v) => binaryOperation(BinOp.Gt, v, best) === true),
  mini: { min: 2, max: 2, fn: (a) => Math.min(int(a[0], 'mini', 0), int(a[1], 'mini', 1)) },
  maxi: { min: 2, max: 2, fn: (a) => Math.max(int(a[0], 'maxi', 0), int(a[1], 'maxi', 1)) },
  minf: { min: 2, max: 2, fn: (a) => makeFloat(Math.min(num(a[0], 'minf', 0), num(a[1], 'minf', 1))) },
  maxf: { min: 2, max: 2, fn: (a) => makeFloat(Math.max(num(a[0], 'maxf', 0), num(a[1], 'maxf', 1))) },
  clamp: {
    min: 3, max: 3,
    fn: (a) => {
      const [v, lo, hi] = [num(a[0], 'clamp', 0), num(a[1], 'clamp', 1), num(a[2], 'clamp', 2)];
      const r = Math.min(Math.max(v, lo), hi);
      return a.every((x) => typeof x === 'number') ? r : makeFloat(r);
    },
  },
  clampi: { min: 3, max: 3, fn: (a) => Math.min(Math.max(int(a[0], 'clampi', 0), int(a[1], 'clampi', 1)), int(a[2], 'clampi', 2)) },
  clampf: { min: 3, max: 3, fn: (a) => makeFloat(Math.min(Math.max(num(a[0], 'clampf', 0), num(a[1], 'clampf', 1)), num(a[2], 'clampf', 2))) },
  lerp: {
    min: 3, max: 3,
    fn: (a) => {
      const [x, y, t] = [num(a[0], 'lerp', 0), num(a[1], 'lerp', 1), num(a[2], 'lerp', 2)];
      return makeFloat(x + (y - x) * t);
    },
  },
  lerpf: {
    min: 3, max: 3,
    fn: (a) => {
      const [x, y, t] = [num(a[0], 'lerpf', 0), num(a[1], 'lerpf', 1), num(a[2], 'lerpf', 2)];
      return makeFloat(x + (y - x) * t);
    },
  },
  inverse_lerp: {
    min: 3, max: 3,
    fn: (a) => {
      const [x, y, v] = [num(a[0], 'inverse_lerp', 0), num(a[1], 'inverse_lerp', 1), num(a[2], 'inverse_lerp', 2)];
      return makeFloat((v - x) / (y - x));
    },
  },
  snapped: {
    min: 2, max: 2,
    fn: (a) => {
      const x = num(a[0], 'snapped', 0);
      const step = num(a[1], 'snapped', 1);
      const r = step === 0 ? x : Math.floor(x / step + 0.5) * step;
      return typeof a[0] === 'number' && typeof a[1] === 'number' ? makeInt(r) : makeFloat(r);
    },
  },
  wrapi: {
    min: 3, max: 3,
    fn: (a) => {
      const [v, lo, hi] = [int(a[0], 'wrapi', 0), int(a[1], 'wrapi', 1), int(a[2], 'wrapi', 2)];
      const range = hi - lo;
      return range === 0 ? lo : lo + ((((v - lo) % range) + range) % range);
    },
  },
  wrapf: {
    min: 3, max: 3,
    fn: (a) => {
      const [v, lo, hi] = [num(a[0], 'wrapf', 0), num(a[1], 'wrapf', 1), num(a[2], 'wrapf', 2)];
      const range = hi - lo;
      return makeFloat(range === 0 ? lo : v - range * Math.floor((v - lo) / range));
    },
  },
  is_nan: { min: 1, max: 1, fn: (a) => Number.isNaN(num(a[0], 'is_nan', 0)) },
  is_inf: { min: 1, max: 1, fn: (a) => { const x = num(a[0], 'is_inf', 0); return x === Infinity || x === -Infinity; } },
  is_finite: { min: 1, max: 1, fn: (a) => Number.isFinite(num(a[0], 'is_finite', 0)) },
  is_zero_approx: { min: 1, max: 1, fn: (a) => Math.abs(num(a[0], 'is_zero_approx', 0)) < 0.00001 },
  is_equal_approx: {
    min: 2, max: 2,
    fn: (a) => {
      const x = num(a[0], 'is_equal_approx', 0);
      const y = num(a[1], 'is_equal_approx', 1);
      if (x === y) return true;
      const tolerance = Math.max(0.00001 * Math.abs(x), 0.00001);
      return Math.abs(x - y) < tolerance;
    },
  },

  // random numbers
  randi: { min: 0, max: 0, fn: (_a, env) => env.random.randi() },
  randf: { min: 0, max: 0, fn: (_a, env) => makeFloat(env.random.randf()) },
  randi_range: {
    min: 2, max: 2,
    fn: (a, env) => {
      let lo = int(a[0], 'randi_range', 0);
      let hi = int(a[1], 'randi_range', 1);
      if (lo > hi) [lo, hi] = [hi, lo];
      return lo + Math.floor(env.random.randf() * (hi - lo + 1));
    },
  },
  randf_range: {
    min: 2, max: 2,
    fn: (a, env) => {
      const lo = num(a[0], 'randf_range', 0);
      const hi = num(a[1], 'randf_range', 1);
      return makeFloat(lo + env.random.randf() * (hi - lo));
    },
  },
  randomize: { min: 0, max: 0, fn: (_a, env) => { env.random.seed((Math.random() * 0x100000000) >>> 0); return null; } },
  seed: { min: 1, max: 1, fn: (a, env) => { env.random.seed(int(a[0], 'seed', 0)); return null; } },
};

function equalsSafe(a: Value, b: Value): boolean {
  try {
    return equals(a, b);
  } catch {
    return false;
  }
}

/** Calls a utility function with Godot's argument-count wording. */
export function callUtility(name: string, args: Value[], env: UtilityEnv): Value {
  const f = UTILITY_FUNCTIONS[name];
  // abs(Vector2), lerp(Color, Color, t) … (value-utilities.ts)
  if (args[0] instanceof GdBuiltinValue && VALUE_TYPE_UTILITIES.has(name) && args.length >= f.min && args.length <= f.max) {
    return valueTypeUtility(name, args[0], args.slice(1), env);
  }
  if (args.length < f.min) {
    throw new ScriptError(`Too few arguments for "${name}()" call. Expected at least ${f.min} but received ${args.length}.`);
  }
  if (args.length > f.max) {
    throw new ScriptError(`Too many arguments for "${name}()" call. Expected at most ${f.max} but received ${args.length}.`);
  }
  return f.fn(args, env);
}

// ---- constants ----------------------------------------------------------------------------

/** Godot's @GlobalScope Error enum. */
export const ERROR_CONSTANTS: Readonly<Record<string, number>> = Object.fromEntries(
  [
    'OK', 'FAILED', 'ERR_UNAVAILABLE', 'ERR_UNCONFIGURED', 'ERR_UNAUTHORIZED', 'ERR_PARAMETER_RANGE_ERROR',
    'ERR_OUT_OF_MEMORY', 'ERR_FILE_NOT_FOUND', 'ERR_FILE_BAD_DRIVE', 'ERR_FILE_BAD_PATH', 'ERR_FILE_NO_PERMISSION',
    'ERR_FILE_ALREADY_IN_USE', 'ERR_FILE_CANT_OPEN', 'ERR_FILE_CANT_WRITE', 'ERR_FILE_CANT_READ',
    'ERR_FILE_UNRECOGNIZED', 'ERR_FILE_CORRUPT', 'ERR_FILE_MISSING_DEPENDENCIES', 'ERR_FILE_EOF', 'ERR_CANT_OPEN',
    'ERR_CANT_CREATE', 'ERR_QUERY_FAILED', 'ERR_ALREADY_IN_USE', 'ERR_LOCKED', 'ERR_TIMEOUT', 'ERR_CANT_CONNECT',
    'ERR_CANT_RESOLVE', 'ERR_CONNECTION_ERROR', 'ERR_CANT_ACQUIRE_RESOURCE', 'ERR_CANT_FORK', 'ERR_INVALID_DATA',
    'ERR_INVALID_PARAMETER', 'ERR_ALREADY_EXISTS', 'ERR_DOES_NOT_EXIST', 'ERR_DATABASE_CANT_READ',
    'ERR_DATABASE_CANT_WRITE', 'ERR_COMPILATION_FAILED', 'ERR_METHOD_NOT_FOUND', 'ERR_LINK_FAILED',
    'ERR_SCRIPT_FAILED', 'ERR_CYCLIC_LINK', 'ERR_INVALID_DECLARATION', 'ERR_DUPLICATE_SYMBOL', 'ERR_PARSE_ERROR',
    'ERR_BUSY', 'ERR_SKIP', 'ERR_HELP', 'ERR_BUG', 'ERR_PRINTER_ON_FIRE',
  ].map((name, i) => [name, i]),
);

/** Godot's error_string() texts, by Error code. */
const ERROR_DESCRIPTIONS: readonly string[] = [
  'OK', 'Failed', 'Unavailable', 'Unconfigured', 'Unauthorized', 'Parameter out of range', 'Out of memory',
  'File not found', 'File: Bad drive', 'File: Bad path', 'File: Permission denied', 'File already in use',
  "File: Can't open", "File: Can't write", "File: Can't read", 'File: Unrecognized', 'File: Corrupt',
  'Missing dependencies', 'End of file', "Can't open", "Can't create", 'Query failed', 'Already in use', 'Locked',
  'Timeout', "Can't connect", "Can't resolve", 'Connection error', "Can't acquire resource", "Can't fork process",
  'Invalid data', 'Invalid parameter', 'Already exists', 'Does not exist', "Can't read database",
  "Can't write database", 'Compilation failed', 'Method not found', 'Link failed', 'Script failed', 'Cyclic link',
  'Invalid declaration', 'Duplicate symbol', 'Parse error', 'Busy', 'Skip', 'Help', 'Bug', 'Printer on fire',
];

export const GLOBAL_CONSTANTS: Readonly<Record<string, Value>> = {
  PI: makeFloat(Math.PI),
  TAU: makeFloat(Math.PI * 2),
  INF: makeFloat(Infinity),
  NAN: makeFloat(NaN),
  ...ERROR_CONSTANTS,
  ...Object.fromEntries(Object.entries(VariantType).map(([k, v]) => [`TYPE_${k}`, v])),
  // Vector2.ZERO, Color.RED, Color.from_hsv(): the value types as values
  ...VECTOR_TYPE_REFS,
  Color: COLOR_TYPE_REF,
  TYPE_MAX: 39,
  CONNECT_DEFERRED: 1,
  CONNECT_PERSIST: 2,
  CONNECT_ONE_SHOT: 4,
  CONNECT_REFERENCE_COUNTED: 8,
  OP_EQUAL: 0, OP_NOT_EQUAL: 1, OP_LESS: 2, OP_LESS_EQUAL: 3, OP_GREATER: 4, OP_GREATER_EQUAL: 5,
  OP_ADD: 6, OP_SUBTRACT: 7, OP_MULTIPLY: 8, OP_DIVIDE: 9, OP_NEGATE: 10, OP_POSITIVE: 11, OP_MODULE: 12, OP_POWER: 13,
};

export function isUtilityFunction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(UTILITY_FUNCTIONS, name);
}

export function isGlobalConstant(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(GLOBAL_CONSTANTS, name);
}
