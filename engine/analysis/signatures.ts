// What a call is checked against: the argument counts and, where known, the parameter types of a
// Godot method (class-data) or of one of the script's functions.

import type * as ast from '../gdscript/ast';
import type { MethodInfo } from '../godot/class-data';
import { VARIANT, typeFromName, type GdType } from './types';

/** What a call is checked against: argument counts and, where known, parameter types. */
export interface Signature {
  name: string;
  min: number;
  max: number;
  params: { name: string; type: GdType }[];
}

export function scriptSignature(f: ast.FunctionDecl, resolve: (t: ast.TypeNode) => GdType): Signature {
  return {
    name: f.name,
    min: f.params.filter((p) => !p.defaultValue).length,
    max: f.params.length,
    params: f.params.map((p) => ({ name: p.name, type: p.type ? resolve(p.type) : VARIANT })),
  };
}

const nativeSignatures = new WeakMap<MethodInfo, Signature>();

export function nativeSignature(m: MethodInfo): Signature {
  let sig = nativeSignatures.get(m);
  if (!sig) {
    sig = makeNativeSignature(m);
    nativeSignatures.set(m, sig);
  }
  return sig;
}

function makeNativeSignature(m: MethodInfo): Signature {
  return {
    name: m.name,
    min: m.params.filter((p) => p.default === undefined).length,
    max: m.vararg ? Infinity : m.params.length,
    params: m.params.map((p) => ({ name: p.name, type: typeFromName(p.type) })),
  };
}

/**
 * Whether Godot 3 called the method by the same name with other arguments (`setup(key, cert, chain)`,
 * `connect(signal, target, method)`): such calls are the migrations' to check and mend.
 */
export function argumentsChanged(m: MethodInfo): boolean {
  return m.godot3 !== undefined && m.godot3.godot3.replace(/^\w+\./, '').startsWith(`${m.name}(`);
}
