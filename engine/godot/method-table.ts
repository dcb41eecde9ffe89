// Declarative description of an emulated Godot class: its constants and methods with Godot's
// signatures. The same tables drive the runtime (argument checks with Godot's error wording) and,
// later, hovers and static checks.

import { ScriptError, type CallContext, type NativeClass, type NativeObject, type NativeResult, type Value } from '../gdscript/host';
import type { GodotRuntime } from './runtime';
import { isInstanceOf, variantTypeName } from './variant';

export interface ParamSpec {
  name: string;
  /** Godot type name: int, float, bool, String, PackedByteArray, Variant or a class name. */
  type: string;
  /** Present when the parameter is optional. */
  default?: () => Value;
}

export interface MethodSpec<Self> {
  params: ParamSpec[];
  returns: string;
  call(self: Self, args: Value[], ctx: CallContext): NativeResult;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a base class spec serves subclasses of any Self
export type AnyClassSpec = ClassSpec<any>;

export interface ClassSpec<Self extends GodotObject> {
  name: string;
  inherits?: AnyClassSpec;
  constants?: Record<string, number>;
  /** Absent for classes a script cannot instantiate (singletons, static-only, abstract). */
  construct?(runtime: GodotRuntime): Self;
  methods: Record<string, MethodSpec<Self>>;
  statics?: Record<string, MethodSpec<GodotRuntime>>;
}

/** Base of every emulated Godot object. */
export abstract class GodotObject implements NativeObject {
  private static nextId = 1;
  readonly instanceId = GodotObject.nextId++;

  constructor(
    readonly spec: AnyClassSpec,
    readonly runtime: GodotRuntime,
  ) {}

  get className(): string {
    return this.spec.name;
  }

  /** Inheritance-aware class test, for `is` and typed variables. */
  isClass(name: string): boolean {
    for (let s: AnyClassSpec | undefined = this.spec; s; s = s.inherits) if (s.name === name) return true;
    return false;
  }

  has(method: string): boolean {
    return findMethod(this.spec, method) !== undefined;
  }

  call(method: string, args: Value[], ctx: CallContext): NativeResult {
    const found = findMethod(this.spec, method);
    if (!found) throw new ScriptError(`Invalid call. Nonexistent function '${method}' in base '${this.className}'.`);
    return found.call(this, checkArguments(this.className, method, found.params, args), ctx);
  }

  toString(): string {
    return `<${this.className}#${this.instanceId}>`;
  }
}

function findMethod(spec: AnyClassSpec | undefined, method: string): MethodSpec<GodotObject> | undefined {
  for (let s = spec; s; s = s.inherits) if (Object.prototype.hasOwnProperty.call(s.methods, method)) return s.methods[method];
  return undefined;
}

function allConstants(spec: AnyClassSpec): Record<string, number> {
  const result: Record<string, number> = {};
  for (let s: AnyClassSpec | undefined = spec; s; s = s.inherits) for (const [k, v] of Object.entries(s.constants ?? {})) if (!(k in result)) result[k] = v;
  return result;
}

/** Checks count and types like Godot does for native calls, and fills in defaults. */
export function checkArguments(className: string, method: string, params: ParamSpec[], args: Value[]): Value[] {
  const required = params.filter((p) => !p.default).length;
  if (args.length < required || args.length > params.length) {
    const expected = required === params.length ? `${required}` : `${required} to ${params.length}`;
    throw new ScriptError(`Invalid call to function '${method}' in base '${className}'. Expected ${expected} argument(s), got ${args.length}.`);
  }
  const filled = params.map((p, i) => (i < args.length ? args[i] : p.default!()));
  filled.forEach((value, i) => {
    if (!accepts(params[i].type, value))
      throw new ScriptError(
        `Invalid type in function '${method}' in base '${className}'. Cannot convert argument ${i + 1} from ${variantTypeName(value)} to ${params[i].type}.`,
      );
  });
  return filled;
}

function accepts(type: string, value: Value): boolean {
  const actual = variantTypeName(value);
  switch (type) {
    case 'Variant':
      return true;
    case 'int':
    case 'float':
      return actual === 'int' || actual === 'float' || actual === 'bool';
    case 'bool':
      return actual === 'bool' || actual === 'int' || actual === 'float';
    case 'String':
      return actual === 'String' || actual === 'StringName' || actual === 'NodePath';
    case 'PackedByteArray':
    case 'Array':
    case 'Dictionary':
      return actual === type;
    default:
      return value === null || isInstanceOf(value, type);
  }
}

/** Wraps a class spec as the NativeClass the interpreter looks up by name. */
export function nativeClass(spec: AnyClassSpec, runtime: GodotRuntime): NativeClass {
  return {
    name: spec.name,
    constants: allConstants(spec),
    construct: spec.construct ? () => spec.construct!(runtime) : undefined,
    hasStatic: (method) => spec.statics !== undefined && Object.prototype.hasOwnProperty.call(spec.statics, method),
    callStatic(method, args, ctx) {
      const found = spec.statics?.[method];
      if (!found) throw new ScriptError(`Invalid call. Nonexistent function '${method}' in base '${spec.name}'.`);
      return found.call(runtime, checkArguments(spec.name, method, found.params, args), ctx);
    },
  };
}
