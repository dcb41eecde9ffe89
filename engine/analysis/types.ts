// Static types as the analyzer sees them: Variant (unknown), void, null, the builtin Variant types
// (int, String, Array[T], …), enums (PacketPeerDTLS.Status, Error, a script's own enums), instances of
// Godot classes and of the script's classes, and classes used as values (`PacketPeerDTLS.new()`).

import { findClass, isSubclass } from '../godot/class-data';
import { TYPE_NAMES } from '../gdscript/globals';
import type { ScriptClass } from './symbols';

export type GdType =
  | { kind: 'variant' }
  | { kind: 'void' }
  | { kind: 'nil' }
  /** int, float, bool, String, Array (element type when typed), Dictionary, PackedByteArray, Callable, Signal, … */
  | { kind: 'builtin'; name: string; element?: GdType }
  /** A value of an enum: an int that names its enum (`PacketPeerDTLS.Status`, `Error`, a script enum). */
  | { kind: 'enum'; owner: string; name: string }
  /** An instance of a Godot class. */
  | { kind: 'object'; className: string }
  /** An instance of one of the script's classes (the script itself or an inner class). */
  | { kind: 'script'; cls: ScriptClass }
  /** A Godot class used as a value: `PacketPeerDTLS` in `PacketPeerDTLS.new()`, `OS` in `OS.delay_msec()`. */
  | { kind: 'class-ref'; className: string }
  /** One of the script's inner classes used as a value. */
  | { kind: 'script-class-ref'; cls: ScriptClass }
  /** A builtin type's name used as a value (`String`, `PackedByteArray` in `PackedByteArray()`). */
  | { kind: 'builtin-ref'; name: string }
  /** A named enum used as a value (`State` in `State.IDLE`); `values` are its member names. */
  | { kind: 'enum-ref'; owner: string; name: string; values: readonly string[] };

export const VARIANT: GdType = { kind: 'variant' };
export const VOID: GdType = { kind: 'void' };
export const NIL: GdType = { kind: 'nil' };
export const INT: GdType = { kind: 'builtin', name: 'int' };
export const FLOAT: GdType = { kind: 'builtin', name: 'float' };
export const BOOL: GdType = { kind: 'builtin', name: 'bool' };
export const STRING: GdType = { kind: 'builtin', name: 'String' };

export function builtin(name: string, element?: GdType): GdType {
  return element ? { kind: 'builtin', name, element } : { kind: 'builtin', name };
}

/** The Variant type names GDScript knows (int, String, PackedByteArray, …), without Nil. */
export const BUILTIN_TYPE_NAMES: ReadonlySet<string> = new Set(TYPE_NAMES.filter((n) => n !== 'Nil'));

export function isBuiltinTypeName(name: string): boolean {
  return BUILTIN_TYPE_NAMES.has(name);
}

/**
 * The type a name denotes, as written in a type annotation or in class-data (`int`, `Array[PacketPeerDTLS]`,
 * `PacketPeerDTLS.Status`, `Error`, `void`, `Variant`). `scriptType` resolves the script's own classes and
 * enums first. Unknown names give Variant.
 */
export function typeFromName(name: string, scriptType?: (name: string) => GdType | undefined): GdType {
  if (scriptType) return resolveTypeName(name, scriptType);
  // Names from class-data (no script types involved) always mean the same: keep the answers.
  let known = NAMED_TYPES.get(name);
  if (!known) {
    known = resolveTypeName(name, undefined);
    NAMED_TYPES.set(name, known);
  }
  return known;
}

const NAMED_TYPES = new Map<string, GdType>();

function resolveTypeName(name: string, scriptType: ((name: string) => GdType | undefined) | undefined): GdType {
  const text = name.trim();
  if (text === '' || text === 'Variant') return VARIANT;
  if (text === 'void') return VOID;
  const generic = /^(Array|Dictionary)\[(.*)\]$/.exec(text);
  if (generic) {
    const args = splitTypeArguments(generic[2]);
    return generic[1] === 'Array' ? builtin('Array', typeFromName(args[0] ?? '', scriptType)) : builtin('Dictionary');
  }
  if (text === 'Error') return { kind: 'enum', owner: '@GlobalScope', name: 'Error' };
  const own = scriptType?.(text);
  if (own) return own;
  if (BUILTIN_TYPE_NAMES.has(text)) return builtin(text);
  if (findClass(text)) return { kind: 'object', className: text };
  const dot = text.lastIndexOf('.');
  if (dot > 0) {
    const owner = text.slice(0, dot);
    const cls = findClass(owner);
    const enumName = text.slice(dot + 1);
    if (cls && cls.enums.some((e) => e.name === enumName)) return { kind: 'enum', owner, name: enumName };
  }
  return VARIANT;
}

function splitTypeArguments(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']') depth--;
    else if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim());
}

/** How Godot prints the type in messages: `int`, `Array[PacketPeerDTLS]`, `PacketPeerDTLS.Status`. */
export function typeToString(t: GdType): string {
  switch (t.kind) {
    case 'variant': return 'Variant';
    case 'void': return 'void';
    case 'nil': return 'null';
    case 'builtin': return t.element && t.element.kind !== 'variant' ? `${t.name}[${typeToString(t.element)}]` : t.name;
    case 'enum': return t.owner === '@GlobalScope' ? t.name : `${t.owner}.${t.name}`;
    case 'object': return t.className;
    case 'script': return t.cls.name;
    case 'class-ref': return t.className;
    case 'script-class-ref': return t.cls.name;
    case 'builtin-ref': return t.name;
    case 'enum-ref': return t.owner === '@GlobalScope' ? t.name : `${t.owner}.${t.name}`;
  }
}

export function isKnown(t: GdType): boolean {
  return t.kind !== 'variant';
}

export function isNumeric(t: GdType): boolean {
  return (t.kind === 'builtin' && (t.name === 'int' || t.name === 'float')) || t.kind === 'enum';
}

export function isIntLike(t: GdType): boolean {
  return (t.kind === 'builtin' && t.name === 'int') || t.kind === 'enum';
}

export function isBuiltin(t: GdType, name: string): boolean {
  return t.kind === 'builtin' && t.name === name;
}

const STRING_LIKE = new Set(['String', 'StringName', 'NodePath']);

/** The Godot class a value's members come from, for object and script instances. */
export function nativeClassOf(t: GdType): string | undefined {
  if (t.kind === 'object') return t.className;
  if (t.kind === 'script') return t.cls.nativeBase;
  return undefined;
}

/**
 * Whether a value of type `source` can be stored where `target` is expected. 'no' only when it is
 * certain to fail (Godot refuses it at compile time or at run time); 'narrowing' for float → int.
 */
export function assignability(target: GdType, source: GdType): 'yes' | 'no' | 'narrowing' {
  if (target.kind === 'variant' || source.kind === 'variant') return 'yes';
  if (source.kind === 'void') return 'no';
  if (source.kind === 'nil') return target.kind === 'builtin' && target.name !== 'Callable' && target.name !== 'Signal' ? 'no' : 'yes';
  if (target.kind === 'builtin') {
    if (source.kind === 'enum') return target.name === 'int' || target.name === 'float' ? 'yes' : 'no';
    if (source.kind !== 'builtin') return 'no';
    if (target.name === source.name) {
      if (target.name === 'Array' && target.element && source.element && assignability(target.element, source.element) === 'no') return 'no';
      return 'yes';
    }
    if (target.name === 'float' && (source.name === 'int' || source.name === 'bool')) return 'yes';
    if (target.name === 'int' && source.name === 'float') return 'narrowing';
    if (target.name === 'int' && source.name === 'bool') return 'yes';
    if (target.name === 'bool' && (source.name === 'int' || source.name === 'float')) return 'yes';
    if (STRING_LIKE.has(target.name) && STRING_LIKE.has(source.name)) return 'yes';
    // Packed arrays convert from Array literals; PackedStringArray is an Array in the lab.
    if (target.name.startsWith('Packed') && source.name === 'Array') return 'yes';
    if (target.name === 'Array' && source.name.startsWith('Packed')) return 'yes';
    return 'no';
  }
  if (target.kind === 'enum') {
    // Values of another enum are ints too (Godot warns only with INT_AS_ENUM_WITHOUT_CAST, not checked here).
    if (source.kind === 'enum') return 'yes';
    return isIntLike(source) ? 'yes' : source.kind === 'builtin' && source.name === 'float' ? 'narrowing' : 'no';
  }
  if (target.kind === 'object') {
    if (source.kind === 'object') return isSubclass(source.className, target.className) || isSubclass(target.className, source.className) ? 'yes' : 'no';
    if (source.kind === 'script') return isSubclass(source.cls.nativeBase, target.className) || isSubclass(target.className, source.cls.nativeBase) ? 'yes' : 'no';
    return source.kind === 'builtin' || source.kind === 'enum' ? 'no' : 'yes';
  }
  if (target.kind === 'script') {
    if (source.kind === 'builtin' || source.kind === 'enum') return 'no';
    return 'yes';
  }
  return 'yes';
}

/** The common type of two values (ternary branches, array elements), or undefined when they do not mix. */
export function commonType(a: GdType, b: GdType): GdType | undefined {
  if (a.kind === 'variant' || b.kind === 'variant') return VARIANT;
  if (a.kind === 'nil') return b.kind === 'builtin' && b.name !== 'Callable' ? undefined : b;
  if (b.kind === 'nil') return a.kind === 'builtin' && a.name !== 'Callable' ? undefined : a;
  if (assignability(a, b) === 'yes') return a;
  if (assignability(b, a) === 'yes') return b;
  if (isNumeric(a) && isNumeric(b)) return FLOAT;
  return undefined;
}
