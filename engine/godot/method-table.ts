// Declarative description of an emulated Godot class: Godot 4.3 signatures (parameters with types
// and defaults, return types), constants and enums with Godot's values, properties, signals, virtual
// callbacks, a short description of everything written for the lab, and the Godot 3 spellings that
// changed. The same tables drive the runtime (argument checks with Godot's error wording, property
// access, signals) and the read-only query API in class-data.ts (hovers, completion, analyzers).

import { GdCallable, GdSignal, isArray, isBytes, isDictionary } from '../gdscript/values';
import { emitNativeSignal } from './signals';
import { ScriptError, Suspend, type CallContext, type NativeClass, type NativeObject, type NativeResult, type Range, type Value } from '../gdscript/host';
import type { GodotRuntime } from './runtime';
import { isInstanceOf, variantTypeName } from './variant';

/** How Godot 3 spelled something and what replaces it in Godot 4. */
export interface Godot3Note {
  /** The Godot 3 spelling, e.g. `setup(key, cert, chain)`. */
  readonly godot3: string;
  /** The Godot 4 replacement, e.g. `setup(TLSOptions.server(key, cert))`. */
  readonly godot4: string;
}

export interface ParamSpec {
  readonly name: string;
  /** Godot type name: int, float, bool, String, PackedByteArray, Variant, Callable, a class or an enum (`HashingContext.HashType`). */
  readonly type: string;
  /** Present when the parameter is optional: the default value. */
  readonly default?: () => Value;
  /** The default as the class reference writes it (`"*"`, `65536`, `null`, `PackedByteArray()`). */
  readonly defaultText?: string;
}

export interface MethodSpec<Self> {
  readonly params: readonly ParamSpec[];
  /** `void`, a Variant type, a class or an enum (`Error`, `PacketPeerDTLS.Status`). */
  readonly returns: string;
  readonly description: string;
  /** Godot's `const` qualifier. */
  readonly const?: boolean;
  /** Takes any number of extra arguments after `params` (Godot's `vararg`). */
  readonly vararg?: boolean;
  readonly godot3?: Godot3Note;
  call(self: Self, args: Value[], ctx: CallContext): NativeResult;
}

export interface ConstantSpec {
  readonly value: number;
  readonly description: string;
  readonly godot3?: Godot3Note;
}

export interface EnumSpec {
  readonly description: string;
  /** Bit flags (Godot's `flags` enums) rather than exclusive values. */
  readonly bitfield?: boolean;
  readonly values: Readonly<Record<string, ConstantSpec>>;
}

export interface PropertySpec {
  readonly type: string;
  /** The default as the class reference writes it. */
  readonly defaultText?: string;
  readonly description: string;
  /** Names of the accessor methods (they are in `methods`); no setter = read-only. */
  readonly getter: string;
  readonly setter?: string;
  readonly godot3?: Godot3Note;
}

export interface SignalSpec {
  readonly params: readonly ParamSpec[];
  readonly description: string;
  readonly godot3?: Godot3Note;
}

/** A callback the engine calls on the script (`_ready`, `_process`): documented, never called natively. */
export interface VirtualSpec {
  readonly params: readonly ParamSpec[];
  readonly returns: string;
  readonly description: string;
}

/** A Godot 3 member that is gone in Godot 4; calling it is a runtime error that names the replacement. */
export interface RemovedSpec extends Godot3Note {
  readonly description: string;
  /** True when Godot 3 called it on the class (singleton/static), e.g. `OS.get_ticks_msec()`. */
  readonly static?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a base class spec serves subclasses of any Self
export type AnyClassSpec = ClassSpec<any>;

export interface ClassSpec<Self extends GodotObject> {
  readonly name: string;
  readonly inherits?: AnyClassSpec;
  readonly description: string;
  /** Godot's singletons (OS, Time, Marshalls): one global instance; its methods are called on the class name. */
  readonly singleton?: boolean;
  /** The class had another name in Godot 3 (StreamPeerSSL → StreamPeerTLS). */
  readonly godot3?: Godot3Note;
  /** Set when the lab emulates only part of the class: what is left out. */
  readonly partial?: string;
  /** A Variant type rather than a class (Signal). */
  readonly builtinType?: boolean;
  readonly constants?: Readonly<Record<string, ConstantSpec>>;
  readonly enums?: Readonly<Record<string, EnumSpec>>;
  readonly properties?: Readonly<Record<string, PropertySpec>>;
  readonly signals?: Readonly<Record<string, SignalSpec>>;
  readonly virtuals?: Readonly<Record<string, VirtualSpec>>;
  readonly removed?: Readonly<Record<string, RemovedSpec>>;
  /** Absent for classes a script cannot instantiate (singletons, static-only, abstract). */
  construct?(runtime: GodotRuntime): Self;
  readonly methods: Readonly<Record<string, MethodSpec<Self>>>;
  /** Static methods, and the methods of singletons (called as `OS.delay_msec()`). */
  readonly statics?: Readonly<Record<string, MethodSpec<GodotRuntime>>>;
}

// ---- helpers to write specs ----------------------------------------------------------------------

/** A required parameter. */
export function param(name: string, type: string): ParamSpec {
  return { name, type };
}

/** An optional parameter; `text` is how the class reference writes the default (defaults to a rendering of the value). */
export function opt(name: string, type: string, value: Value | (() => Value), text?: string): ParamSpec {
  const make = typeof value === 'function' ? (value as () => Value) : () => value;
  return { name, type, default: make, defaultText: text ?? renderDefault(make()) };
}

function renderDefault(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (isBytes(value)) return 'PackedByteArray()';
  if (isArray(value)) return '[]';
  if (isDictionary(value)) return '{}';
  return String((value as { valueOf(): unknown }).valueOf());
}

/** Builds an enum's values from [name, value, description] triples. */
export function enumOf(description: string, values: [string, number, string][], bitfield = false): EnumSpec {
  return { description, bitfield, values: Object.fromEntries(values.map(([name, value, d]) => [name, { value, description: d }])) };
}

// ---- runtime ---------------------------------------------------------------------------------------

/** Walks a class and its bases, most derived first. */
export function* lineage(spec: AnyClassSpec | undefined): Generator<AnyClassSpec> {
  for (let s = spec; s; s = s.inherits) yield s;
}

function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export function findMethod(spec: AnyClassSpec | undefined, method: string): MethodSpec<GodotObject> | undefined {
  for (const s of lineage(spec)) {
    const m = own(s.methods, method);
    if (m) return m;
  }
  return undefined;
}

function findRemoved(spec: AnyClassSpec, name: string): { spec: AnyClassSpec; removed: RemovedSpec } | undefined {
  for (const s of lineage(spec)) {
    const r = own(s.removed, name);
    if (r) return { spec: s, removed: r };
  }
  return undefined;
}

export function findProperty(spec: AnyClassSpec, name: string): PropertySpec | undefined {
  for (const s of lineage(spec)) {
    const p = own(s.properties, name);
    if (p) return p;
  }
  return undefined;
}

export function findSignal(spec: AnyClassSpec, name: string): SignalSpec | undefined {
  for (const s of lineage(spec)) {
    const p = own(s.signals, name);
    if (p) return p;
  }
  return undefined;
}

/** Every constant and enum value of a class and its bases, by name. */
export function allConstants(spec: AnyClassSpec): Record<string, number> {
  const result: Record<string, number> = {};
  for (const s of lineage(spec)) {
    for (const [k, v] of Object.entries(s.constants ?? {})) if (!(k in result)) result[k] = v.value;
    for (const e of Object.values(s.enums ?? {})) for (const [k, v] of Object.entries(e.values)) if (!(k in result)) result[k] = v.value;
  }
  return result;
}

/** The runtime error for calling a Godot 3 member. */
export function removedError(className: string, name: string, removed: RemovedSpec): ScriptError {
  return new ScriptError(
    `Invalid call. Nonexistent function '${name}' in base '${className}'. Godot 3's ${removed.godot3} is ${removed.godot4} in Godot 4.`,
  );
}

/** Functions of @GlobalScope/@GDScript that the lab provides through the script's base object (load(), var_to_bytes(), ...). */
export interface GlobalFunctionTable {
  has(name: string): boolean;
  call(runtime: GodotRuntime, name: string, args: Value[], ctx: CallContext): NativeResult;
}

let globalFunctions: GlobalFunctionTable | undefined;

/** Installed once by godot-host.ts. */
export function installGlobalFunctions(table: GlobalFunctionTable): void {
  globalFunctions = table;
}

/** Base of every emulated Godot object. */
export abstract class GodotObject implements NativeObject {
  private static nextId = 1;
  /** Godot-like instance ids (large, like Godot's). */
  readonly instanceId = 0x100000000 + GodotObject.nextId++;

  constructor(
    readonly spec: AnyClassSpec,
    readonly runtime: GodotRuntime,
  ) {}

  get className(): string {
    return this.spec.name;
  }

  /** Inheritance-aware class test, for `is` and typed variables. */
  isClass(name: string): boolean {
    for (const s of lineage(this.spec)) if (s.name === name) return true;
    return false;
  }

  has(method: string): boolean {
    return findMethod(this.spec, method) !== undefined || findRemoved(this.spec, method) !== undefined || (globalFunctions?.has(method) ?? false);
  }

  call(method: string, args: Value[], ctx: CallContext): NativeResult {
    const found = findMethod(this.spec, method);
    if (found) return found.call(this, checkArguments(this.className, method, found, args), ctx);
    const removed = findRemoved(this.spec, method);
    if (removed) throw removedError(this.className, method, removed.removed);
    // The script's own base object also answers the global functions (load("res://..."), var_to_bytes(x)).
    if (globalFunctions?.has(method)) return globalFunctions.call(this.runtime, method, args, ctx);
    throw new ScriptError(`Invalid call. Nonexistent function '${method}' in base '${this.className}'.`);
  }

  getProperty(name: string): Value | undefined {
    const property = findProperty(this.spec, name);
    if (property) {
      const getter = findMethod(this.spec, property.getter)!;
      const result = getter.call(this, [], this.runtime.detachedContext());
      return result instanceof Suspend ? null : result;
    }
    if (findSignal(this.spec, name)) return new GdSignal(this, name);
    const constants = allConstants(this.spec);
    if (Object.prototype.hasOwnProperty.call(constants, name)) return constants[name];
    return undefined;
  }

  setProperty(name: string, value: Value): boolean {
    const property = findProperty(this.spec, name);
    if (!property) return false;
    if (!property.setter) throw new ScriptError(`Cannot assign a new value to a read-only property "${name}" of ${this.className}.`);
    const setter = findMethod(this.spec, property.setter)!;
    setter.call(this, checkArguments(this.className, property.setter, setter, [value]), this.runtime.detachedContext());
    return true;
  }

  hasSignal(name: string): boolean {
    return findSignal(this.spec, name) !== undefined;
  }

  /** True for Godot 3 members that only exist to explain their replacement. */
  isRemoved(name: string): boolean {
    return findMethod(this.spec, name) === undefined && findRemoved(this.spec, name) !== undefined;
  }

  signalNames(): string[] {
    const names: string[] = [];
    for (const s of lineage(this.spec)) for (const name of Object.keys(s.signals ?? {})) if (!names.includes(name)) names.push(name);
    return names;
  }

  /** Emits one of this object's signals: awaiting functions and connected callables run in the peer's next task. */
  emitSignal(name: string, args: Value[] = []): void {
    emitNativeSignal(this, name, args);
  }

  stringify(): string {
    return `<${this.className}#${this.instanceId}>`;
  }

  toString(): string {
    return this.stringify();
  }
}

/** Checks count and types like Godot does for native calls, and fills in defaults. */
export function checkArguments(className: string, method: string, spec: Pick<MethodSpec<unknown>, 'params' | 'vararg' | 'godot3'>, args: Value[]): Value[] {
  const params = spec.params;
  const required = params.filter((p) => !p.default).length;
  if (args.length < required || (args.length > params.length && !spec.vararg)) {
    const expected = required === params.length ? `${required}` : `${required} to ${params.length}`;
    const hint = spec.godot3 ? ` Godot 3's ${spec.godot3.godot3} is ${spec.godot3.godot4} in Godot 4.` : '';
    throw new ScriptError(`Invalid call to function '${method}' in base '${className}'. Expected ${expected} argument(s), got ${args.length}.${hint}`);
  }
  const filled = params.map((p, i) => (i < args.length ? args[i] : p.default!()));
  filled.forEach((value, i) => {
    if (!accepts(params[i].type, value)) {
      const hint = spec.godot3 ? ` Godot 3's ${spec.godot3.godot3} is ${spec.godot3.godot4} in Godot 4.` : '';
      throw new ScriptError(
        `Invalid type in function '${method}' in base '${className}'. Cannot convert argument ${i + 1} from ${variantTypeName(value)} to ${params[i].type}.${hint}`,
      );
    }
  });
  return spec.vararg ? [...filled, ...args.slice(params.length)] : filled;
}

/** Enum-typed parameters take ints: `Error`, `PacketPeerDTLS.Status`, `HashingContext.HashType`. */
export function isEnumType(type: string): boolean {
  return type === 'Error' || type.includes('.');
}

function accepts(type: string, value: Value): boolean {
  const actual = variantTypeName(value);
  if (isEnumType(type)) return actual === 'int' || actual === 'float' || actual === 'bool';
  switch (type) {
    case 'Variant':
      return true;
    case 'int':
    case 'float':
      return actual === 'int' || actual === 'float' || actual === 'bool';
    case 'bool':
      return actual === 'bool' || actual === 'int' || actual === 'float';
    case 'String':
    case 'StringName':
    case 'NodePath':
      return actual === 'String' || actual === 'StringName' || actual === 'NodePath';
    case 'Callable':
      return value instanceof GdCallable;
    case 'PackedByteArray':
    case 'Array':
    case 'Dictionary':
      return actual === type;
    case 'PackedStringArray':
      return actual === 'Array' || actual === 'PackedStringArray';
    case 'Object':
      return value === null || actual === 'Object';
    default:
      return value === null || isInstanceOf(value, type);
  }
}

/** Wraps a class spec as the NativeClass the interpreter looks up by name. */
export function nativeClass(spec: AnyClassSpec, runtime: GodotRuntime): NativeClass {
  const hasStatic = (method: string) =>
    (spec.statics !== undefined && Object.prototype.hasOwnProperty.call(spec.statics, method)) ||
    (findRemoved(spec, method)?.removed.static ?? false);
  return {
    name: spec.name,
    constants: allConstants(spec),
    construct: spec.construct ? () => spec.construct!(runtime) : undefined,
    hasStatic,
    callStatic(method, args, ctx) {
      const found = own(spec.statics, method);
      if (found) return found.call(runtime, checkArguments(spec.name, method, found, args), ctx);
      const removed = findRemoved(spec, method);
      if (removed) throw removedError(spec.name, method, removed.removed);
      throw new ScriptError(`Invalid call. Nonexistent function '${method}' in base '${spec.name}'.`);
    },
  };
}

/** A CallContext for work that is not a script call (property access, timers); warnings go to the peer's errors. */
export function contextAt(range: Range, warn: (message: string) => void): CallContext {
  return { range, warn };
}
