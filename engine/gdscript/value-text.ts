// var_to_str() as Godot 4.3's VariantWriter writes values: floats through rtos_fix() ("%lg": six
// significant digits, "0" for zero, "inf_neg") with ".0" added to whole numbers, arrays element by
// element, and the value types as constructor calls: `Vector2(1.5, 2)`, `Vector2i(1, 2)`,
// `Color(1, 0, 0, 1)`, `Rect2(0, 0, 4, 3)`, `PackedInt32Array(1, 2)`, `PackedStringArray("a", "b")`,
// `PackedVector2Array(1, 2, 3, 4)`. str_to_var() reads this text back (variant-parser.ts).

import { GdColor } from './color';
import { GdPackedArray, PACKED_STRING } from './packed-arrays';
import { GdRect } from './rect';
import { quoteString, stringify } from './stringify';
import { GdVector } from './vectors';
import { GdArray, GdBuiltinValue, GdFloat, GdNodePath, GdStringName, type Value } from './values';

/** C's "%lg": six significant digits, trailing zeros removed, exponent form below 1e-4 and from 1e6. */
function formatG(x: number): string {
  const exp = Math.floor(Math.log10(Math.abs(x)));
  const rounded = Number(x.toPrecision(6));
  const e = rounded === 0 ? exp : Math.floor(Math.log10(Math.abs(rounded)));
  if (e < -4 || e >= 6) {
    const [mantissa, power] = x.toExponential(5).split('e');
    const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    const p = Number(power);
    return `${m}e${p < 0 ? '-' : '+'}${String(Math.abs(p)).padStart(2, '0')}`;
  }
  let s = x.toFixed(Math.max(0, 5 - e));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

/** VariantWriter's rtos_fix(). */
export function rtosFix(x: number): string {
  if (x === 0) return '0';
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : 'inf_neg';
  return formatG(x);
}

function element(v: Value): string {
  if (typeof v === 'string') return quoteString(v);
  if (v instanceof GdFloat) return rtosFix(v.value);
  if (v instanceof GdVector) return v.c.map((x) => (v.kind.integer ? String(x) : rtosFix(x))).join(', ');
  if (v instanceof GdColor) return v.components.map(rtosFix).join(', ');
  return String(v);
}

/** var_to_str() of a vector, Color, Rect2 or packed array. */
export function valueTypeText(v: GdBuiltinValue): string {
  if (v instanceof GdVector || v instanceof GdColor) return `${v.typeName}(${element(v)})`;
  if (v instanceof GdRect) return `${v.typeName}(${element(v.position)}, ${element(v.size)})`;
  if (v instanceof GdPackedArray) {
    const parts = v.items.map((x) => (v.kind === PACKED_STRING ? quoteString(x as string) : element(x)));
    return `${v.typeName}(${parts.join(', ')})`;
  }
  return v.toText(String);
}

/** VariantWriter's float: rtos_fix(), plus ".0" when the text has neither '.' nor an exponent. */
export function floatText(x: number): string {
  const t = rtosFix(x);
  return t === 'inf' || t === 'inf_neg' || t === 'nan' || t.includes('.') || t.includes('e') ? t : t + '.0';
}

/** var_to_str(v). Dictionaries and objects keep str()'s text. */
export function varToStr(v: Value, depth = 0): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quoteString(v);
  if (v instanceof GdFloat) return floatText(v.value);
  if (v instanceof GdStringName) return '&' + quoteString(v.value);
  if (v instanceof GdNodePath) return 'NodePath(' + quoteString(v.value) + ')';
  if (v instanceof GdBuiltinValue) return valueTypeText(v);
  if (v instanceof GdArray) return depth > 100 ? '[]' : '[' + v.items.map((x) => varToStr(x, depth + 1)).join(', ') + ']';
  return stringify(v);
}
