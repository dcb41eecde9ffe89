// The builtin value types as static types (`var v: Vector2`, `-> PackedStringArray`, `x is Color`,
// `Array[Vector2i]`): their names, default values and the conversions Godot makes on assignment to a
// typed variable (Vector2i ↔ Vector2, Rect2i ↔ Rect2, an Array literal → a packed array).

import { GdColor } from './color';
import { GdPackedArray, PACKED_KINDS, packedFromArray } from './packed-arrays';
import { GdRect, RECT2, RECT2I } from './rect';
import { GdVector, VECTOR_KINDS } from './vectors';
import { GdArray, VariantType, type Value } from './values';

/**
 * Type name → Variant type, for every value type implemented in its own file. Spelled out (not
 * built from VECTOR_KINDS/PACKED_KINDS) because types.ts reads it while those modules may still be
 * loading (builtin-methods → types → here).
 */
export const VALUE_TYPE_VARIANTS: Readonly<Record<string, number>> = {
  Vector2: VariantType.VECTOR2, Vector2i: VariantType.VECTOR2I, Vector3: VariantType.VECTOR3, Vector3i: VariantType.VECTOR3I,
  Vector4: VariantType.VECTOR4, Vector4i: VariantType.VECTOR4I, Rect2: VariantType.RECT2, Rect2i: VariantType.RECT2I,
  Color: VariantType.COLOR, PackedInt32Array: VariantType.PACKED_INT32_ARRAY, PackedInt64Array: VariantType.PACKED_INT64_ARRAY,
  PackedFloat32Array: VariantType.PACKED_FLOAT32_ARRAY, PackedFloat64Array: VariantType.PACKED_FLOAT64_ARRAY,
  PackedStringArray: VariantType.PACKED_STRING_ARRAY, PackedVector2Array: VariantType.PACKED_VECTOR2_ARRAY,
  PackedVector3Array: VariantType.PACKED_VECTOR3_ARRAY, PackedColorArray: VariantType.PACKED_COLOR_ARRAY,
  PackedVector4Array: VariantType.PACKED_VECTOR4_ARRAY,
};

const VARIANTS = new Set(Object.values(VALUE_TYPE_VARIANTS));

export function isValueTypeVariant(variant: number | undefined): boolean {
  return variant !== undefined && VARIANTS.has(variant);
}

/** The value of `var v: Vector2` before any assignment: Vector2(0, 0), Color(0, 0, 0, 1), an empty array. */
export function valueTypeDefault(variant: number): Value {
  const vector = VECTOR_KINDS.find((k) => k.variant === variant);
  if (vector) return new GdVector(vector, new Array<number>(vector.size).fill(0));
  if (variant === VariantType.COLOR) return new GdColor(0, 0, 0, 1);
  if (variant === VariantType.RECT2 || variant === VariantType.RECT2I) return new GdRect(variant === VariantType.RECT2 ? RECT2 : RECT2I, [0, 0], [0, 0]);
  const packed = PACKED_KINDS.find((k) => k.variant === variant);
  if (packed) return new GdPackedArray(packed);
  return null;
}

/** `v` converted for a variable of value type `variant`, or undefined when Godot refuses it. */
export function convertValueType(v: Value, variant: number): Value | undefined {
  if (v instanceof GdVector) {
    if (v.kind.variant === variant) return v;
    const target = VECTOR_KINDS.find((k) => k.variant === variant);
    return target && target.size === v.kind.size ? new GdVector(target, v.c) : undefined;
  }
  if (v instanceof GdRect) {
    if (v.kind.variant === variant) return v;
    if (variant === VariantType.RECT2 || variant === VariantType.RECT2I) return new GdRect(variant === VariantType.RECT2 ? RECT2 : RECT2I, v.position.c, v.size.c);
    return undefined;
  }
  if (v instanceof GdColor) return variant === VariantType.COLOR ? v : undefined;
  const packed = PACKED_KINDS.find((k) => k.variant === variant);
  if (!packed) return undefined;
  if (v instanceof GdPackedArray) return v.kind === packed ? v : undefined;
  if (v instanceof GdArray) return packedFromArray(packed, v);
  return undefined;
}

