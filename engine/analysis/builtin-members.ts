// What the analyzer knows about GDScript's own functions and the methods of builtin types: names and
// argument counts come from the interpreter's tables (engine/gdscript: UTILITY_FUNCTIONS,
// builtinMethodArities), the result types (which the interpreter does not need) are listed here.

import { builtinMethodArities } from '../gdscript/builtin-methods';
import { UTILITY_FUNCTIONS } from '../gdscript/globals';
import { BOOL, FLOAT, INT, STRING, VARIANT, VOID, builtin, typeToString, type GdType } from './types';

export interface BuiltinCallable {
  name: string;
  min: number;
  max: number;
  returns: GdType;
}

const BYTES = builtin('PackedByteArray');
const ARRAY = builtin('Array');
const DICT = builtin('Dictionary');
const STRINGS = builtin('PackedStringArray');

/** Result types of utility functions; the ones not listed return Variant. */
const UTILITY_RETURNS: Readonly<Record<string, GdType>> = {
  print: VOID, print_debug: VOID, print_rich: VOID, printraw: VOID, prints: VOID, printt: VOID, printerr: VOID,
  print_verbose: VOID, push_error: VOID, push_warning: VOID, print_stack: VOID, randomize: VOID, seed: VOID,
  str: STRING, var_to_str: STRING, error_string: STRING, type_string: STRING, char: STRING,
  len: INT, typeof: INT, hash: INT, absi: INT, signi: INT, floori: INT, ceili: INT, roundi: INT, mini: INT, maxi: INT,
  clampi: INT, wrapi: INT, posmod: INT, randi: INT, randi_range: INT, int: INT,
  float: FLOAT, absf: FLOAT, signf: FLOAT, floorf: FLOAT, ceilf: FLOAT, roundf: FLOAT, sqrt: FLOAT, exp: FLOAT, log: FLOAT,
  sin: FLOAT, cos: FLOAT, tan: FLOAT, asin: FLOAT, acos: FLOAT, atan: FLOAT, atan2: FLOAT, deg_to_rad: FLOAT,
  rad_to_deg: FLOAT, pow: FLOAT, fmod: FLOAT, fposmod: FLOAT, minf: FLOAT, maxf: FLOAT, clampf: FLOAT, lerpf: FLOAT,
  inverse_lerp: FLOAT, wrapf: FLOAT, randf: FLOAT, randf_range: FLOAT,
  bool: BOOL, is_nan: BOOL, is_inf: BOOL, is_finite: BOOL, is_zero_approx: BOOL, is_equal_approx: BOOL,
  is_instance_valid: BOOL, is_instance_of: BOOL, is_same: BOOL,
  range: ARRAY, get_stack: ARRAY,
};

/** A GDScript utility function (print, str, len, range, …) with its argument counts and result type. */
export function utilityFunction(name: string): BuiltinCallable | undefined {
  if (!Object.prototype.hasOwnProperty.call(UTILITY_FUNCTIONS, name)) return undefined;
  let known = utilities.get(name);
  if (!known) {
    const f = UTILITY_FUNCTIONS[name];
    known = { name, min: f.min, max: f.max, returns: UTILITY_RETURNS[name] ?? VARIANT };
    utilities.set(name, known);
  }
  return known;
}

const utilities = new Map<string, BuiltinCallable>();

export function utilityFunctionNames(): string[] {
  return Object.keys(UTILITY_FUNCTIONS);
}

const STRING_RETURNS: Readonly<Record<string, GdType>> = {
  length: INT, is_empty: BOOL, begins_with: BOOL, ends_with: BOOL, contains: BOOL, containsn: BOOL, find: INT, findn: INT,
  rfind: INT, rfindn: INT, count: INT, countn: INT, split: STRINGS, rsplit: STRINGS, split_floats: builtin('PackedFloat64Array'),
  get_slice_count: INT, is_valid_int: BOOL, is_valid_float: BOOL, is_valid_hex_number: BOOL, is_valid_identifier: BOOL,
  is_subsequence_of: BOOL, is_absolute_path: BOOL, is_relative_path: BOOL, match: BOOL, matchn: BOOL, casecmp_to: INT,
  nocasecmp_to: INT, to_int: INT, to_float: FLOAT, hex_to_int: INT, bin_to_int: INT, unicode_at: INT, hash: INT,
  to_utf8_buffer: BYTES, to_ascii_buffer: BYTES, to_utf16_buffer: BYTES, to_utf32_buffer: BYTES, to_wchar_buffer: BYTES,
  hex_decode: BYTES, md5_buffer: BYTES, sha1_buffer: BYTES, sha256_buffer: BYTES,
};

const BYTES_RETURNS: Readonly<Record<string, GdType>> = {
  size: INT, is_empty: BOOL, get_string_from_utf8: STRING, get_string_from_ascii: STRING, get_string_from_utf16: STRING,
  get_string_from_utf32: STRING, get_string_from_wchar: STRING, hex_encode: STRING, slice: BYTES, append: BOOL,
  push_back: BOOL, append_array: VOID, resize: INT, clear: VOID, has: BOOL, find: INT, rfind: INT, count: INT, get: INT,
  set: VOID, insert: INT, remove_at: VOID, fill: VOID, reverse: VOID, sort: VOID, duplicate: BYTES, bsearch: INT,
  decode_u8: INT, decode_s8: INT, decode_u16: INT, decode_s16: INT, decode_u32: INT, decode_s32: INT, decode_u64: INT,
  decode_s64: INT, decode_half: FLOAT, decode_float: FLOAT, decode_double: FLOAT, encode_u8: VOID, encode_s8: VOID,
  encode_u16: VOID, encode_s16: VOID, encode_u32: VOID, encode_s32: VOID, encode_u64: VOID, encode_s64: VOID,
  encode_half: VOID, encode_float: VOID, encode_double: VOID, to_byte_array: BYTES,
};

const ARRAY_RETURNS: Readonly<Record<string, GdType>> = {
  size: INT, is_empty: BOOL, append: VOID, push_back: VOID, push_front: VOID, append_array: VOID, assign: VOID,
  insert: INT, erase: VOID, remove_at: VOID, has: BOOL, find: INT, rfind: INT, count: INT, clear: VOID, resize: INT,
  fill: VOID, reverse: VOID, duplicate: ARRAY, slice: ARRAY, sort: VOID, sort_custom: VOID, bsearch: INT,
  bsearch_custom: INT, shuffle: VOID, map: ARRAY, filter: ARRAY, any: BOOL, all: BOOL, is_typed: BOOL, is_same_typed: BOOL,
  get_typed_builtin: INT, get_typed_class_name: builtin('StringName'), is_read_only: BOOL, make_read_only: VOID, hash: INT,
};

const DICTIONARY_RETURNS: Readonly<Record<string, GdType>> = {
  size: INT, is_empty: BOOL, has: BOOL, has_all: BOOL, set: BOOL, erase: BOOL, keys: ARRAY, values: ARRAY, clear: VOID,
  duplicate: DICT, merge: VOID, merged: DICT, recursive_equal: BOOL, is_read_only: BOOL, make_read_only: VOID, hash: INT,
};

const CALLABLE_RETURNS: Readonly<Record<string, GdType>> = {
  callv: VARIANT, bind: builtin('Callable'), bindv: builtin('Callable'), unbind: builtin('Callable'), is_valid: BOOL,
  is_null: BOOL, is_custom: BOOL, is_standard: BOOL, get_method: builtin('StringName'), get_bound_arguments: ARRAY,
  get_bound_arguments_count: INT, get_argument_count: INT,
};

const RETURNS_BY_TYPE: Readonly<Record<string, Readonly<Record<string, GdType>>>> = {
  String: STRING_RETURNS, StringName: STRING_RETURNS, NodePath: STRING_RETURNS, PackedByteArray: BYTES_RETURNS,
  Array: ARRAY_RETURNS, Dictionary: DICTIONARY_RETURNS, Callable: CALLABLE_RETURNS,
};

/** The lab stores PackedStringArray as an Array of Strings; other packed arrays are not emulated. */
function tableName(typeName: string): string {
  return typeName === 'PackedStringArray' ? 'Array' : typeName;
}

/**
 * The methods of a builtin type, or undefined when the analyzer does not know the type's methods (then
 * nothing is reported about them). String methods return String unless listed; `Array[T]` element methods
 * return T.
 */
export function builtinMethods(type: GdType): BuiltinCallable[] | undefined {
  if (type.kind !== 'builtin') return undefined;
  const key = type.element ? `${type.name}[${typeToString(type.element)}]` : type.name;
  if (!methodsByType.has(key)) methodsByType.set(key, listMethods(type));
  return methodsByType.get(key);
}

const methodsByType = new Map<string, BuiltinCallable[] | undefined>();

function listMethods(type: GdType & { kind: 'builtin' }): BuiltinCallable[] | undefined {
  const name = tableName(type.name);
  const arities = builtinMethodArities(name);
  if (!arities) return undefined;
  const returns = RETURNS_BY_TYPE[name] ?? {};
  const element = type.name === 'PackedStringArray' ? STRING : type.element ?? VARIANT;
  return [...arities].map(([method, { min, max }]) => ({
    name: method,
    min,
    max,
    returns:
      returns[method] ??
      (name === 'Array' && ['front', 'back', 'pop_back', 'pop_front', 'pop_at', 'pick_random', 'min', 'max', 'get'].includes(method)
        ? element
        : name === 'String' || name === 'StringName' || name === 'NodePath'
          ? STRING
          : VARIANT),
  }));
}

export function builtinMethod(type: GdType, method: string): BuiltinCallable | undefined {
  return builtinMethods(type)?.find((m) => m.name === method);
}
