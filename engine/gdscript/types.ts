// Static types written in scripts (`var x: int`, `-> float`, `is PacketPeerDTLS`, `as String`):
// default values, conversion on assignment to typed variables, `is` tests and `as` casts.

import type { TypeNode } from './ast';
import { ScriptError } from './host';
import {
  GdArray, GdCallable, GdClassRef, GdDictionary, GdFloat, GdNodePath, GdPackedByteArray, GdScriptObject, GdSignal,
  GdStringName, VariantType, className, isNativeObject, makeFloat, makeInt, typeName, variantType, type Value,
} from './values';
import { VALUE_TYPE_VARIANTS, convertValueType, isValueTypeVariant, valueTypeDefault } from './value-types';

export interface TypeSpec {
  /** As written, e.g. "int", "Array[PacketPeerDTLS]", "PacketPeerDTLS". */
  readonly display: string;
  /** Base name: "int", "Array", "PacketPeerDTLS". */
  readonly name: string;
  /** Variant type for builtin types; OBJECT for classes; undefined for Variant (no checks). */
  readonly variant: number | undefined;
  /** Element type of Array[T]. */
  readonly elementType?: TypeSpec;
  /** For a class of this script (inner classes, class_name): its index in CompiledScript.classes. */
  readonly scriptClass?: number;
}

/** What a type name means in a script: one of its enums (an int), one of its classes, or neither. */
export type TypeResolver = (name: string) => { kind: 'enum' } | { kind: 'class'; index: number; name: string } | undefined;

const BUILTIN: Record<string, number> = {
  bool: VariantType.BOOL,
  int: VariantType.INT,
  float: VariantType.FLOAT,
  String: VariantType.STRING,
  StringName: VariantType.STRING_NAME,
  NodePath: VariantType.NODE_PATH,
  Signal: VariantType.SIGNAL,
  Array: VariantType.ARRAY,
  Dictionary: VariantType.DICTIONARY,
  PackedByteArray: VariantType.PACKED_BYTE_ARRAY,
  Callable: VariantType.CALLABLE,
  ...VALUE_TYPE_VARIANTS,
};

export function isBuiltinTypeName(name: string): boolean {
  return name in BUILTIN || name === 'Variant' || name === 'void';
}

/**
 * Builds a TypeSpec from a type annotation. `enumNames` are the script's named enums; they and
 * dotted native enum types (PacketPeerDTLS.Status) are ints.
 */
export function typeSpecFromNode(node: TypeNode, resolver: ReadonlySet<string> | TypeResolver): TypeSpec {
  const resolve: TypeResolver = typeof resolver === 'function' ? resolver : (n) => (resolver.has(n) ? { kind: 'enum' } : undefined);
  const args = node.typeArguments.map((a) => typeSpecFromNode(a, resolve));
  const display = node.name + (args.length ? `[${args.map((a) => a.display).join(', ')}]` : '');
  if (node.name === 'Variant' || node.name === 'void') return { display, name: node.name, variant: undefined };
  const own = resolve(node.name);
  if (own?.kind === 'enum') return { display, name: node.name, variant: VariantType.INT };
  if (own?.kind === 'class') return { display, name: own.name, variant: VariantType.OBJECT, scriptClass: own.index };
  if (node.name.includes('.')) return { display, name: node.name, variant: VariantType.INT }; // Native.Enum
  const builtin = BUILTIN[node.name];
  if (builtin !== undefined) {
    return { display, name: node.name, variant: builtin, elementType: builtin === VariantType.ARRAY ? args[0] : undefined };
  }
  return { display, name: node.name, variant: VariantType.OBJECT };
}

export function simpleType(name: string): TypeSpec {
  return { display: name, name, variant: BUILTIN[name] ?? VariantType.OBJECT };
}

const elementTypes = new Map<string, TypeSpec>();
/** The TypeSpec of a typed array's element type name (GdArray.elementType), cached. */
export function elementTypeSpec(name: string): TypeSpec {
  let t = elementTypes.get(name);
  if (!t) {
    t = simpleType(name);
    elementTypes.set(name, t);
  }
  return t;
}

/** The value a typed variable holds before assignment: 0, 0.0, false, "", [], {}, null... */
export function defaultValue(t: TypeSpec | undefined): Value {
  if (!t) return null;
  switch (t.variant) {
    case VariantType.BOOL: return false;
    case VariantType.INT: return 0;
    case VariantType.FLOAT: return makeFloat(0);
    case VariantType.STRING: return '';
    case VariantType.STRING_NAME: return GdStringName.of('');
    case VariantType.NODE_PATH: return GdNodePath.of('');
    case VariantType.ARRAY: return new GdArray([], t.elementType?.display);
    case VariantType.DICTIONARY: return new GdDictionary();
    case VariantType.PACKED_BYTE_ARRAY: return GdPackedByteArray.from([]);
    default: return t.variant !== undefined && isValueTypeVariant(t.variant) ? valueTypeDefault(t.variant) : null;
  }
}

/** Implemented by script objects: whether the object's class is (or inherits) script class `index`. */
interface ScriptClassCheck {
  inheritsScriptClass?(index: number): boolean;
  isClass?(n: string): boolean;
}

/** Whether an object value is an instance of the class `t` (a native class name or one of the script's classes). */
function isInstanceOfType(v: Value, t: TypeSpec): boolean {
  if (t.scriptClass !== undefined) {
    return v instanceof GdScriptObject && ((v as unknown as ScriptClassCheck).inheritsScriptClass?.(t.scriptClass) ?? false);
  }
  return isInstanceOfClass(v, t.name);
}

/** Whether an object value is an instance of the class `name`. */
export function isInstanceOfClass(v: Value, name: string): boolean {
  if (v instanceof GdScriptObject) {
    const s = v as unknown as ScriptClassCheck;
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
    case VariantType.INT: return typeof v === 'number' || typeof v === 'bigint';
    case VariantType.FLOAT: return v instanceof GdFloat;
    case VariantType.STRING: return typeof v === 'string';
    case VariantType.STRING_NAME: return v instanceof GdStringName;
    case VariantType.NODE_PATH: return v instanceof GdNodePath;
    case VariantType.SIGNAL: return v instanceof GdSignal;
    case VariantType.ARRAY:
      return v instanceof GdArray && (!t.elementType || v.elementType === t.elementType.display);
    case VariantType.DICTIONARY: return v instanceof GdDictionary;
    case VariantType.PACKED_BYTE_ARRAY: return v instanceof GdPackedByteArray;
    case VariantType.CALLABLE: return v instanceof GdCallable;
    default:
      if (isValueTypeVariant(t.variant)) return variantType(v) === t.variant;
      if (t.name === 'Object') return v !== null && typeof v === 'object' && (isNativeObject(v) || v instanceof GdScriptObject || v instanceof GdClassRef);
      return isInstanceOfType(v, t);
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
      if (typeof v === 'number' || typeof v === 'bigint') return v;
      if (v instanceof GdFloat) return makeInt(v.value);
      return fail();
    case VariantType.FLOAT:
      if (v instanceof GdFloat) return v;
      if (typeof v === 'number' || typeof v === 'bigint') return makeFloat(Number(v));
      return fail();
    case VariantType.BOOL:
      return typeof v === 'boolean' ? v : fail();
    case VariantType.STRING:
      if (typeof v === 'string') return v;
      return v instanceof GdStringName || v instanceof GdNodePath ? v.value : fail();
    case VariantType.STRING_NAME:
      if (v instanceof GdStringName) return v;
      return typeof v === 'string' ? GdStringName.of(v) : fail();
    case VariantType.NODE_PATH:
      if (v instanceof GdNodePath) return v;
      return typeof v === 'string' ? GdNodePath.of(v) : fail();
    case VariantType.SIGNAL:
      return v instanceof GdSignal ? v : fail();
    case VariantType.ARRAY:
      if (!(v instanceof GdArray)) return fail();
      if (t.elementType && v.elementType !== t.elementType.display) {
        const have = v.elementType === undefined ? 'Array' : `Array[${v.elementType}]`;
        throw new ScriptError(`Trying to assign an array of type "${have}" to ${what} of type "${t.display}".`);
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
    default: // value types (Vector2, Color, PackedStringArray, ...), then object types
      if (isValueTypeVariant(t.variant)) return convertValueType(v, t.variant) ?? fail();
      if (v === null) return v;
      if (t.scriptClass !== undefined) {
        if (isInstanceOfType(v, t)) return v;
        if (v instanceof GdScriptObject || isNativeObject(v)) {
          throw new ScriptError(`Trying to assign value of type '${className(v)}' to ${what} of type '${t.display}'.`);
        }
        return fail();
      }
      if (isNativeObject(v) || v instanceof GdScriptObject) {
        // Without inheritance information (isClass) any object is accepted.
        const check = v as unknown as ScriptClassCheck;
        if (t.name !== 'Object' && v.className !== t.name && check.isClass && !check.isClass(t.name)) {
          throw new ScriptError(`Trying to assign value of type '${v.className}' to ${what} of type '${t.display}'.`);
        }
        return v;
      }
      if (v instanceof GdClassRef) return v;
      return fail();
  }
}

/**
 * Checks a value stored into a typed array `Array[T]` like Godot's ContainerTypeValidate: int → float
 * and String ↔ StringName are converted, anything else of another type is refused (undefined).
 */
export function validateElement(v: Value, t: TypeSpec): Value | undefined {
  switch (t.variant) {
    case undefined: return v;
    case VariantType.FLOAT:
      if (v instanceof GdFloat) return v;
      return typeof v === 'number' || typeof v === 'bigint' ? makeFloat(Number(v)) : undefined;
    case VariantType.STRING:
      if (typeof v === 'string') return v;
      return v instanceof GdStringName ? v.value : undefined;
    case VariantType.STRING_NAME:
      if (v instanceof GdStringName) return v;
      return typeof v === 'string' ? GdStringName.of(v) : undefined;
    case VariantType.OBJECT:
      if (v === null) return v;
      return isOfType(v, t) ? v : undefined;
    default:
      return variantType(v) === t.variant && (t.variant !== VariantType.ARRAY || isOfType(v, t)) ? v : undefined;
  }
}

/** Godot's message when a typed array refuses a value (printed as an error; the operation does nothing). */
export function elementError(v: Value, t: TypeSpec, operation: string): string {
  const type = t.variant === VariantType.OBJECT ? (t.scriptClass !== undefined ? 'Object' : 'Object') : t.display;
  return `Attempted to ${operation} a variable of type '${typeName(v)}' into a TypedArray of type '${type}'.`;
}

/** Converts an element for a typed array, throwing Godot's message when it is refused. */
export function convertElement(v: Value, t: TypeSpec, operation = 'push_back'): Value {
  const ok = validateElement(v, t);
  if (ok === undefined) throw new ScriptError(elementError(v, t, operation));
  return ok;
}

export function packedBytesFromArray(a: GdArray): GdPackedByteArray {
  const out = GdPackedByteArray.ofSize(a.items.length);
  a.items.forEach((x, i) => {
    out.set(i, typeof x === 'number' ? x & 0xff : typeof x === 'bigint' ? Number(BigInt.asUintN(8, x)) : x instanceof GdFloat ? Math.trunc(x.value) & 0xff : 0);
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
