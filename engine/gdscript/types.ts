// Static types written in scripts (`var x: int`, `-> float`, `is PacketPeerDTLS`, `as String`):
// default values, conversion on assignment to typed variables, `is` tests and `as` casts.

import type { TypeNode } from './ast';
import { ScriptError } from './host';
import {
  GdArray, GdCallable, GdClassRef, GdDictionary, GdFloat, GdPackedByteArray, GdScriptObject, VariantType,
  isNativeObject, makeFloat, makeInt, typeName, type Value,
} from './values';

export interface TypeSpec {
  /** As written, e.g. "int", "Array[PacketPeerDTLS]", "PacketPeerDTLS". */
  readonly display: string;
  /** Base name: "int", "Array", "PacketPeerDTLS". */
  readonly name: string;
  /** Variant type for builtin types; OBJECT for classes; undefined for Variant (no checks). */
  readonly variant: number | undefined;
  /** Element type of Array[T]. */
  readonly elementType?: TypeSpec;
}

const BUILTIN: Record<string, number> = {
  bool: VariantType.BOOL,
  int: VariantType.INT,
  float: VariantType.FLOAT,
  String: VariantType.STRING,
  StringName: VariantType.STRING, // StringName values are Strings in this interpreter
  NodePath: VariantType.STRING,
  Array: VariantType.ARRAY,
  Dictionary: VariantType.DICTIONARY,
  PackedByteArray: VariantType.PACKED_BYTE_ARRAY,
  Callable: VariantType.CALLABLE,
};

export function isBuiltinTypeName(name: string): boolean {
  return name in BUILTIN || name === 'Variant' || name === 'void';
}

/**
 * Builds a TypeSpec from a type annotation. `enumNames` are the script's named enums; they and
 * dotted native enum types (PacketPeerDTLS.Status) are ints.
 */
export function typeSpecFromNode(node: TypeNode, enumNames: ReadonlySet<string>): TypeSpec {
  const args = node.typeArguments.map((a) => typeSpecFromNode(a, enumNames));
  const display = node.name + (args.length ? `[${args.map((a) => a.display).join(', ')}]` : '');
  if (node.name === 'Variant' || node.name === 'void') return { display, name: node.name, variant: undefined };
  if (enumNames.has(node.name) || node.name.includes('.')) return { display, name: node.name, variant: VariantType.INT };
  const builtin = BUILTIN[node.name];
  if (builtin !== undefined) {
    return { display, name: node.name, variant: builtin, elementType: builtin === VariantType.ARRAY ? args[0] : undefined };
  }
  return { display, name: node.name, variant: VariantType.OBJECT };
}

export function simpleType(name: string): TypeSpec {
  return { display: name, name, variant: BUILTIN[name] ?? VariantType.OBJECT };
}

/** The value a typed variable holds before assignment: 0, 0.0, false, "", [], {}, null... */
export function defaultValue(t: TypeSpec | undefined): Value {
  if (!t) return null;
  switch (t.variant) {
    case VariantType.BOOL: return false;
    case VariantType.INT: return 0;
    case VariantType.FLOAT: return makeFloat(0);
    case VariantType.STRING: return '';
    case VariantType.ARRAY: return new GdArray([], t.elementType?.display);
    case VariantType.DICTIONARY: return new GdDictionary();
    case VariantType.PACKED_BYTE_ARRAY: return GdPackedByteArray.from([]);
    default: return null;
  }
}

/** Whether an object value is an instance of the class `name`. */
export function isInstanceOfClass(v: Value, name: string): boolean {
  if (v instanceof GdScriptObject) {
    const s = v as unknown as { isClass?(n: string): boolean };
    return v.className === name || (s.isClass?.(name) ?? false);
  }
  if (isNativeObject(v)) return v.className === name || (v.isClass?.(name) ?? false);
  if (v instanceof GdClassRef) return false;
  return false;
}

/** `v is T` */
export function isOfType(v: Value, t: TypeSpec): boolean {
  switch (t.variant) {
    case undefined: return true;
    case VariantType.BOOL: return typeof v === 'boolean';
    case VariantType.INT: return typeof v === 'number';
    case VariantType.FLOAT: return v instanceof GdFloat;
    case VariantType.STRING: return typeof v === 'string';
    case VariantType.ARRAY:
      return v instanceof GdArray && (!t.elementType || v.elementType === t.elementType.display);
    case VariantType.DICTIONARY: return v instanceof GdDictionary;
    case VariantType.PACKED_BYTE_ARRAY: return v instanceof GdPackedByteArray;
    case VariantType.CALLABLE: return v instanceof GdCallable;
    default:
      if (t.name === 'Object') return v !== null && typeof v === 'object' && (isNativeObject(v) || v instanceof GdScriptObject || v instanceof GdClassRef);
      return isInstanceOfClass(v, t.name);
  }
}

/**
 * Converts `v` for storage in a variable/parameter/return of type `t`, as Godot does for typed
 * variables (int ↔ float conversions, typed array literals). Throws ScriptError on mismatch.
 */
export function convertForAssignment(v: Value, t: TypeSpec, what = 'a variable'): Value {
  const fail = (): never => {
    throw new ScriptError(`Trying to assign value of type '${typeName(v)}' to ${what} of type '${t.display}'.`);
  };
  switch (t.variant) {
    case undefined:
      return v;
    case VariantType.INT:
      if (typeof v === 'number') return v;
      if (v instanceof GdFloat) return makeInt(v.value);
      return fail();
    case VariantType.FLOAT:
      if (v instanceof GdFloat) return v;
      if (typeof v === 'number') return makeFloat(v);
      return fail();
    case VariantType.BOOL:
      return typeof v === 'boolean' ? v : fail();
    case VariantType.STRING:
      return typeof v === 'string' ? v : fail();
    case VariantType.ARRAY:
      if (!(v instanceof GdArray)) return fail();
      if (t.elementType) {
        const want = t.elementType.display;
        if (v.elementType === undefined) {
          for (let i = 0; i < v.items.length; i++) v.items[i] = convertElement(v.items[i], t.elementType);
          v.elementType = want;
        } else if (v.elementType !== want) {
          throw new ScriptError(`Trying to assign an array of type "Array[${v.elementType}]" to ${what} of type "Array[${want}]".`);
        }
      }
      return v;
    case VariantType.DICTIONARY:
      return v instanceof GdDictionary ? v : fail();
    case VariantType.PACKED_BYTE_ARRAY:
      if (v instanceof GdPackedByteArray) return v;
      if (v instanceof GdArray) return packedBytesFromArray(v);
      return fail();
    case VariantType.CALLABLE:
      return v instanceof GdCallable ? v : fail();
    default: // object types
      if (v === null) return v;
      if (isNativeObject(v) || v instanceof GdScriptObject) {
        // Without inheritance information (NativeObject.isClass) any object is accepted.
        if (isNativeObject(v) && v.className !== t.name && v.isClass && !v.isClass(t.name) && t.name !== 'Object') {
          throw new ScriptError(`Trying to assign value of type '${v.className}' to ${what} of type '${t.display}'.`);
        }
        return v;
      }
      if (v instanceof GdClassRef) return v;
      return fail();
  }
}

/** Converts an element appended to a typed array `Array[T]`. */
export function convertElement(v: Value, t: TypeSpec): Value {
  try {
    return convertForAssignment(v, t, 'an array element');
  } catch {
    throw new ScriptError(`Attempted to push_back a variable of type '${typeName(v)}' into a TypedArray of type '${t.display}'.`);
  }
}

export function packedBytesFromArray(a: GdArray): GdPackedByteArray {
  const out = GdPackedByteArray.ofSize(a.items.length);
  a.items.forEach((x, i) => {
    out.set(i, typeof x === 'number' ? x & 0xff : x instanceof GdFloat ? Math.trunc(x.value) & 0xff : 0);
  });
  return out;
}

/** `v as T`: a converted value, or null when an object is not of that class. */
export function castTo(v: Value, t: TypeSpec): Value {
  if (t.variant === VariantType.OBJECT) return isOfType(v, t) ? v : null;
  if (v === null) return null;
  try {
    return convertForAssignment(v, t, 'a cast');
  } catch {
    throw new ScriptError(`Invalid cast: could not convert value to '${t.display}'.`);
  }
}
