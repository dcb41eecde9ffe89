// Godot's str() formatting (Variant::stringify), used by print(), str() and string concatenation.

import {
  GdArray, GdBuiltinValue, GdCallable, GdClassRef, GdDictionary, GdFloat, GdNodePath, GdPackedByteArray, GdScriptObject, GdSignal,
  GdStringName, isNativeObject, type Value,
} from './values';

const MAX_RECURSION = 100;

/** printf's "%.Nf" (ties to even on the exact binary value), as Godot's String::num uses. */
function toFixedC(x: number, decimals: number): string {
  const fixed = x.toFixed(decimals);
  const exact = x.toFixed(Math.min(100, decimals + 25));
  const dot = exact.indexOf('.');
  const tail = dot < 0 ? '' : exact.slice(dot + 1 + decimals);
  if (!/^50*$/.test(tail)) return fixed;
  const truncated = exact.slice(0, decimals === 0 ? dot : dot + 1 + decimals);
  return Number(truncated.slice(-1)) % 2 === 0 ? truncated : fixed;
}

/** Formats a float like Godot 4: 1.0 → "1", 0.5 → "0.5", 1.0/3.0 → "0.33333333333333", inf, nan. */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x)) return Object.is(x, -0) ? '-0' : BigInt(x).toString();
  let decimals = 14;
  const abs = Math.abs(x);
  if (abs > 10) decimals -= Math.floor(Math.log10(abs));
  decimals = Math.max(0, Math.min(decimals, 20));
  let s = toFixedC(x, decimals);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' && x < 0 ? '-0' : s;
}

/** Godot's String::num(x, decimals): printf "%.Nf", trailing zeros (and a bare '.') removed. */
export function formatDecimals(x: number, decimals: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  let s = toFixedC(x, Math.max(0, Math.min(decimals, 20)));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

/**
 * Godot's String::num_real(float) for a 32-bit component of Vector2/Vector3/Rect2 (real_t is float
 * in Godot's standard builds): integers print without decimals, others with 6 significant-ish
 * decimals (fewer above 10), e.g. 0.1f → "0.1", 1234.5678f → "1234.568".
 */
export function formatReal(x: number): string {
  if (Number.isNaN(x) || !Number.isFinite(x)) return formatDecimals(x, 0);
  if (Number.isInteger(x)) return Math.abs(x) < 2 ** 63 ? BigInt(x).toString() : formatDecimals(x, 0);
  let decimals = 6;
  const abs = Math.abs(x);
  if (abs > 10) decimals -= Math.floor(Math.log10(abs));
  // String::num() takes a negative decimal count as "use its default" (14 minus the magnitude).
  if (decimals < 0) decimals = 14 - (abs > 10 ? Math.floor(Math.log10(abs)) : 0);
  return formatDecimals(x, decimals);
}

/**
 * Quotes a string the way Godot shows strings inside arrays and dictionaries: String::c_escape()
 * (which also escapes ' and ?) then quote().
 */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case "'": out += "\\'"; break;
      case '?': out += '\\?'; break;
      case '\n': out += '\\n'; break;
      case '\t': out += '\\t'; break;
      case '\r': out += '\\r'; break;
      case '\x07': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      default: out += ch;
    }
  }
  return out + '"';
}

// Object ids shown as <Class#id>, stable per object, in the style of Godot's RefCounted ids.
const ids = new WeakMap<object, string>();
let idCounter = 0;
export function objectId(o: object): string {
  let id = ids.get(o);
  if (id === undefined) {
    idCounter++;
    id = (-9223372036854775808n + 30000000000n + BigInt(idCounter) * 1048576n).toString();
    ids.set(o, id);
  }
  return id;
}

/** Godot's str(v). */
export function stringify(v: Value): string {
  return stringifyAt(v, 0, false);
}

function stringifyAt(v: Value, depth: number, nested: boolean): string {
  if (v === null) return '<null>';
  switch (typeof v) {
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return Object.is(v, -0) ? '0' : Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
    case 'bigint': return v.toString();
    case 'string': return nested ? quoteString(v) : v;
  }
  if (v instanceof GdFloat) return formatFloat(v.value);
  if (v instanceof GdStringName) return nested ? '&' + quoteString(v.value) : v.value;
  if (v instanceof GdNodePath) return nested ? '^' + quoteString(v.value) : v.value;
  if (v instanceof GdArray) {
    if (depth > MAX_RECURSION) return '[...]';
    return '[' + v.items.map((x) => stringifyAt(x, depth + 1, true)).join(', ') + ']';
  }
  if (v instanceof GdDictionary) {
    if (depth > MAX_RECURSION) return '{ ... }';
    const parts: string[] = [];
    for (const [k, x] of v.entries()) parts.push(stringifyAt(k, depth + 1, true) + ': ' + stringifyAt(x, depth + 1, true));
    return '{ ' + parts.join(', ') + ' }';
  }
  if (v instanceof GdPackedByteArray) return '[' + Array.from(v.bytes).join(', ') + ']';
  if (v instanceof GdBuiltinValue) return depth > MAX_RECURSION ? '[...]' : v.toText((x) => stringifyAt(x, depth + 1, true));
  if (v instanceof GdCallable) return callableText(v);
  if (v instanceof GdSignal) return `${objectText(v.owner)}::${v.name}`;
  if (v instanceof GdClassRef) return v.nativeClass.name;
  if (v instanceof GdScriptObject) {
    const custom = (v as unknown as { stringifySelf?: () => string | undefined }).stringifySelf?.();
    return custom ?? `<${v.className}#${objectId(v)}>`;
  }
  if (isNativeObject(v)) {
    if (typeof v.stringify === 'function') return v.stringify();
    // A host class overriding toString() decides how its objects print.
    if (typeof v.toString === 'function' && v.toString !== Object.prototype.toString) return String(v.toString());
    return `<${v.className}#${objectId(v)}>`;
  }
  return String(v);
}

/** How Godot names an object in Callable/Signal text: "Node(client.gd)", "RefCounted(Inner)". */
function objectText(o: object | null): string {
  if (o === null) return 'null';
  const d = (o as { describe?: string }).describe;
  if (typeof d === 'string') return d.replace(' (', '(');
  if (o instanceof GdScriptObject) return o.className;
  if (o instanceof GdClassRef) return o.nativeClass.name;
  const name = (o as { className?: string }).className;
  return typeof name === 'string' ? name : 'Object';
}

function callableText(c: GdCallable): string {
  if (c.inner) return callableText(c.inner);
  if (c.lambda) return c.name === '<anonymous lambda>' ? '<anonymous lambda>(lambda)' : `${c.name}(lambda)`;
  return `${objectText(c.target)}::${c.name}`;
}
