// The few Variant operations the emulated classes need, over the interpreter's value representation.

import type { NativeObject, Value } from '../gdscript/host';
import { GdDictionary, isFloat, isInt, makeFloat, makeInt, PackedByteArray, typeNameOf } from '../gdscript/values';
import { GodotObject } from './method-table';

export function int(n: number): Value {
  return makeInt(n);
}

export function float(n: number): Value {
  return makeFloat(n);
}

export function toNumber(value: Value): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (isInt(value) || isFloat(value)) return Number((value as unknown as { valueOf(): number }).valueOf());
  return NaN;
}

export function bytesOf(value: Value): Uint8Array {
  return (value as PackedByteArray).bytes;
}

export function packedBytes(bytes: Uint8Array): Value {
  return new PackedByteArray(bytes);
}

/** A Dictionary with string keys, in the given order. */
export function dict(entries: Record<string, Value>): GdDictionary {
  const d = new GdDictionary();
  for (const [k, v] of Object.entries(entries)) d.set(k, v);
  return d;
}

export function variantTypeName(value: Value): string {
  return typeNameOf(value);
}

/** True when `value` is an emulated object of class `name` or of a class inheriting it. */
export function isInstanceOf(value: Value, name: string): boolean {
  return value instanceof GodotObject && value.isClass(name);
}

export function asObject<T extends NativeObject>(value: Value): T | null {
  return value === null ? null : (value as unknown as T);
}
