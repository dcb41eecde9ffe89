// The read-only query API over the emulated Godot 4.3 API: every class with its methods, properties,
// constants, enums, signals and virtual callbacks (Godot signatures, a short description, Godot 3
// spellings and their replacements), plus @GlobalScope / @GDScript and the Godot 3 renames. Built
// from the same class specs the runtime executes, so hovers, completion and analyzers see exactly
// what runs. Plain frozen data: safe to cache, serialize or send over LSP.

import { GODOT_CLASSES } from './godot-host';
import {
  ERROR_ENUM, GLOBAL_FUNCTIONS, GODOT3_RENAMES, VARIANT_TYPE_ENUM, type GlobalFunctionSpec, type Godot3Rename,
} from './global-scope';
import type { AnyClassSpec, EnumSpec, Godot3Note, MethodSpec, ParamSpec } from './method-table';

export type { Godot3Note } from './method-table';
export type { Godot3Rename } from './global-scope';

export interface ParamInfo {
  readonly name: string;
  /** Godot type: int, String, PackedByteArray, Variant, a class, or an enum (`HashingContext.HashType`). */
  readonly type: string;
  /** The default as GDScript source (`"*"`, `65536`, `null`), when the parameter is optional. */
  readonly default?: string;
}

interface MemberBase {
  readonly name: string;
  /** The class that declares the member (a base class for inherited members). */
  readonly className: string;
  readonly description: string;
  /** How Godot 3 spelled it, when that changed, and the Godot 4 replacement. */
  readonly godot3?: Godot3Note;
}

export interface MethodInfo extends MemberBase {
  readonly kind: 'method';
  readonly params: readonly ParamInfo[];
  readonly returns: string;
  /** Called on the class (`TLSOptions.client()`, `FileAccess.open()`) or, for singletons, on the singleton (`OS.delay_msec()`). */
  readonly static: boolean;
  readonly const: boolean;
  readonly vararg: boolean;
  /** As the class reference prints it: `Error bind(port: int, bind_address: String = "*") const`. */
  readonly signature: string;
}

export interface VirtualInfo extends MemberBase {
  readonly kind: 'virtual';
  readonly params: readonly ParamInfo[];
  readonly returns: string;
  readonly signature: string;
}

export interface PropertyInfo extends MemberBase {
  readonly kind: 'property';
  readonly type: string;
  readonly default?: string;
  readonly getter: string;
  readonly setter?: string;
  readonly readOnly: boolean;
  readonly signature: string;
}

export interface ConstantInfo extends MemberBase {
  readonly kind: 'constant';
  readonly value: number;
  /** The enum the constant belongs to (`Status`), if any. */
  readonly enum?: string;
  readonly signature: string;
}

export interface EnumInfo extends MemberBase {
  readonly kind: 'enum';
  readonly bitfield: boolean;
  readonly values: readonly ConstantInfo[];
}

export interface SignalInfo extends MemberBase {
  readonly kind: 'signal';
  readonly params: readonly ParamInfo[];
  readonly signature: string;
}

/** A Godot 3 member that is gone in Godot 4 (calling it is an error that names `godot3.godot4`). */
export interface RemovedInfo extends MemberBase {
  readonly kind: 'removed';
  readonly static: boolean;
  readonly godot3: Godot3Note;
}

export type MemberInfo = MethodInfo | VirtualInfo | PropertyInfo | ConstantInfo | EnumInfo | SignalInfo | RemovedInfo;

export interface ClassInfo {
  readonly name: string;
  readonly inherits?: string;
  readonly description: string;
  /** OS, Time, Marshalls: one global instance, methods called on the name. */
  readonly singleton: boolean;
  /** `X.new()` works. */
  readonly instantiable: boolean;
  /** A Variant type rather than a class (Signal). */
  readonly builtinType: boolean;
  /** Set when the lab emulates part of the class: what is left out. */
  readonly partial?: string;
  /** The class's Godot 3 name, when it changed. */
  readonly godot3?: Godot3Note;
  /** Members declared by this class (not inherited; see findMember()/membersOf() for those). */
  readonly methods: readonly MethodInfo[];
  readonly properties: readonly PropertyInfo[];
  readonly constants: readonly ConstantInfo[];
  readonly enums: readonly EnumInfo[];
  readonly signals: readonly SignalInfo[];
  readonly virtuals: readonly VirtualInfo[];
  readonly removed: readonly RemovedInfo[];
}

function params(list: readonly ParamSpec[]): ParamInfo[] {
  return list.map((p) => (p.default ? { name: p.name, type: p.type, default: p.defaultText ?? 'null' } : { name: p.name, type: p.type }));
}

function paramText(list: readonly ParamInfo[], vararg: boolean): string {
  const parts = list.map((p) => `${p.name}: ${p.type}${p.default !== undefined ? ` = ${p.default}` : ''}`);
  if (vararg) parts.push('...');
  return parts.join(', ');
}

function methodInfo(className: string, name: string, spec: MethodSpec<unknown> | GlobalFunctionSpec, isStatic: boolean): MethodInfo {
  const list = params(spec.params);
  const m = spec as Partial<MethodSpec<unknown>>;
  const qualifiers = [m.const ? ' const' : '', isStatic ? ' static' : '', m.vararg ? ' vararg' : ''].join('');
  return {
    kind: 'method',
    name,
    className,
    description: spec.description,
    godot3: spec.godot3,
    params: list,
    returns: spec.returns,
    static: isStatic,
    const: m.const ?? false,
    vararg: m.vararg ?? false,
    signature: `${spec.returns} ${name}(${paramText(list, m.vararg ?? false)})${qualifiers}`,
  };
}

function enumInfo(className: string, name: string, spec: EnumSpec): EnumInfo {
  return {
    kind: 'enum',
    name,
    className,
    description: spec.description,
    bitfield: spec.bitfield ?? false,
    values: Object.entries(spec.values).map(([k, v]) => ({
      kind: 'constant',
      name: k,
      className,
      description: v.description,
      godot3: v.godot3,
      value: v.value,
      enum: name,
      signature: `${className}.${name} ${k} = ${v.value}`,
    })),
  };
}

function classInfo(spec: AnyClassSpec): ClassInfo {
  const name = spec.name;
  const methods = [
    ...Object.entries(spec.methods).map(([n, m]) => methodInfo(name, n, m as MethodSpec<unknown>, false)),
    ...Object.entries(spec.statics ?? {}).map(([n, m]) => methodInfo(name, n, m as MethodSpec<unknown>, !spec.singleton)),
  ].sort((a, b) => a.name.localeCompare(b.name));
  return {
    name,
    inherits: spec.inherits?.name,
    description: spec.description,
    singleton: spec.singleton ?? false,
    instantiable: spec.construct !== undefined,
    builtinType: spec.builtinType ?? false,
    partial: spec.partial,
    godot3: spec.godot3,
    methods,
    properties: Object.entries(spec.properties ?? {}).map(([n, p]) => ({
      kind: 'property',
      name: n,
      className: name,
      description: p.description,
      godot3: p.godot3,
      type: p.type,
      default: p.defaultText,
      getter: p.getter,
      setter: p.setter,
      readOnly: p.setter === undefined,
      signature: `${p.type} ${n}${p.defaultText !== undefined ? ` = ${p.defaultText}` : ''}`,
    })),
    constants: Object.entries(spec.constants ?? {}).map(([n, c]) => ({
      kind: 'constant',
      name: n,
      className: name,
      description: c.description,
      godot3: c.godot3,
      value: c.value,
      signature: `const ${n} = ${c.value}`,
    })),
    enums: Object.entries(spec.enums ?? {}).map(([n, e]) => enumInfo(name, n, e)),
    signals: Object.entries(spec.signals ?? {}).map(([n, s]) => {
      const list = params(s.params);
      return { kind: 'signal', name: n, className: name, description: s.description, godot3: s.godot3, params: list, signature: `signal ${n}(${paramText(list, false)})` };
    }),
    virtuals: Object.entries(spec.virtuals ?? {}).map(([n, v]) => {
      const list = params(v.params);
      return { kind: 'virtual', name: n, className: name, description: v.description, params: list, returns: v.returns, signature: `${v.returns} ${n}(${paramText(list, false)}) virtual` };
    }),
    removed: Object.entries(spec.removed ?? {}).map(([n, r]) => ({
      kind: 'removed',
      name: n,
      className: name,
      description: r.description,
      static: r.static ?? false,
      godot3: { godot3: r.godot3, godot4: r.godot4 },
    })),
  };
}

function scopeInfo(name: '@GlobalScope' | '@GDScript', description: string, enums: EnumInfo[]): ClassInfo {
  return {
    name,
    description,
    singleton: false,
    instantiable: false,
    builtinType: false,
    methods: Object.entries(GLOBAL_FUNCTIONS)
      .filter(([, f]) => f.scope === name)
      .map(([n, f]) => methodInfo(name, n, f, false)),
    properties: [],
    constants: [],
    enums,
    signals: [],
    virtuals: [],
    removed: [],
  };
}

let cache: { list: readonly ClassInfo[]; byName: ReadonlyMap<string, ClassInfo> } | undefined;

function data(): { list: readonly ClassInfo[]; byName: ReadonlyMap<string, ClassInfo> } {
  if (!cache) {
    const list = [
      scopeInfo('@GlobalScope', 'Global enums, constants and functions available everywhere (the lab documents the ones it emulates).', [
        enumInfo('@GlobalScope', 'Error', ERROR_ENUM),
        enumInfo('@GlobalScope', 'Variant.Type', VARIANT_TYPE_ENUM),
      ]),
      scopeInfo('@GDScript', 'Functions built into the GDScript language (the lab documents the ones the Godot API provides).', []),
      ...GODOT_CLASSES.map(classInfo),
    ];
    cache = { list: deepFreeze(list), byName: new Map(list.map((c) => [c.name, c])) };
  }
  return cache;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** Every class, plus @GlobalScope and @GDScript, in a stable order. */
export function allClasses(): readonly ClassInfo[] {
  return data().list;
}

export function findClass(name: string): ClassInfo | undefined {
  return data().byName.get(name);
}

/** The class and its bases, most derived first: ['PacketPeerUDP', 'PacketPeer', 'RefCounted', 'Object']. */
export function inheritanceChain(className: string): string[] {
  return [...chainOf(className)];
}

const chains = new Map<string, readonly string[]>();

function chainOf(className: string): readonly string[] {
  let chain = chains.get(className);
  if (!chain) {
    const names: string[] = [];
    for (let c = findClass(className); c; c = c.inherits ? findClass(c.inherits) : undefined) names.push(c.name);
    chain = Object.freeze(names);
    chains.set(className, chain);
  }
  return chain;
}

/** Whether `className` is `base` or inherits it. */
export function isSubclass(className: string, base: string): boolean {
  return chainOf(className).includes(base);
}

function ownMembers(c: ClassInfo): MemberInfo[] {
  return [...c.methods, ...c.properties, ...c.signals, ...c.constants, ...c.enums.flatMap((e) => [e, ...e.values]), ...c.virtuals, ...c.removed];
}

/** Each class's own members by name (the first in ownMembers order wins), built once: analyzers look up a lot. */
const ownByName = new Map<string, ReadonlyMap<string, MemberInfo>>();

function ownMember(c: ClassInfo, name: string): MemberInfo | undefined {
  let byName = ownByName.get(c.name);
  if (!byName) {
    const map = new Map<string, MemberInfo>();
    for (const m of ownMembers(c)) if (!map.has(m.name)) map.set(m.name, m);
    byName = map;
    ownByName.set(c.name, byName);
  }
  return byName.get(name);
}

/**
 * A member by name, looked up in the class and then its bases (methods, properties, signals,
 * constants and enum values, enums, virtual callbacks, then Godot 3 members that were removed).
 */
export function findMember(className: string, name: string): MemberInfo | undefined {
  for (const n of chainOf(className)) {
    const found = ownMember(findClass(n)!, name);
    if (found) return found;
  }
  return undefined;
}

/** Every member of a class, its own first; with `inherited`, the bases' too (overridden names once). */
export function membersOf(className: string, options: { inherited?: boolean; includeRemoved?: boolean } = {}): MemberInfo[] {
  const chain = options.inherited === false ? [className] : inheritanceChain(className);
  const seen = new Set<string>();
  const out: MemberInfo[] = [];
  for (const c of chain.map((n) => findClass(n)!).filter(Boolean)) {
    for (const m of ownMembers(c)) {
      if (m.kind === 'removed' && !options.includeRemoved) continue;
      const key = `${m.kind === 'enum' ? 'enum:' : ''}${m.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(m);
    }
  }
  return out;
}

/** A global function or enum value of @GlobalScope / @GDScript (`load`, `OK`, `ERR_BUSY`, `TYPE_INT`). */
export function findGlobal(name: string): MemberInfo | undefined {
  return findMember('@GDScript', name) ?? findMember('@GlobalScope', name);
}

/** Godot 3 names that are gone (classes, keywords, functions, methods), with their replacements. */
export function godot3Renames(): readonly Godot3Rename[] {
  return GODOT3_RENAMES;
}

/** What replaces a Godot 3 spelling: a renamed class (`StreamPeerSSL`), or a removed/changed member of a class. */
export function findGodot3(name: string, className?: string): Godot3Note | undefined {
  if (className) {
    const member = findMember(className, name);
    if (member?.godot3) return member.godot3;
  }
  const cls = allClasses().find((c) => c.godot3?.godot3 === name || c.godot3?.godot3.startsWith(`${name} `));
  if (cls?.godot3) return cls.godot3;
  return GODOT3_RENAMES.find((r) => r.godot3 === name || r.godot3.startsWith(`${name}(`) || r.godot3.endsWith(`.${name}()`));
}
