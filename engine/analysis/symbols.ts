// What a script declares: its classes (the script and its inner classes) with their members, and the
// block scopes of function bodies with their locals. Built by declarations.ts and checker.ts; read
// by the queries (hover, definition, completion, symbols).

import type * as ast from '../gdscript/ast';
import type { Range } from '../gdscript/range';
import type { GdType } from './types';

export type SymbolKind =
  | 'variable' | 'constant' | 'function' | 'signal' | 'enum' | 'enum-value' | 'class'
  | 'parameter' | 'local-variable' | 'local-constant' | 'for-variable' | 'pattern-binding';

export interface ScriptSymbol {
  name: string;
  kind: SymbolKind;
  /** The whole declaration. */
  range: Range;
  /** The name in the declaration (what "go to definition" shows). */
  nameRange: Range;
  type: GdType;
  /**
   * True when the type was inferred from an untyped declaration's initializer (`var x = Foo.new()`): Godot
   * does not enforce it, so a wrong member on it is a warning rather than an error.
   */
  weak?: boolean;
  /**
   * Declared without a type (no annotation, no `:=`; a function without `->`): Godot treats its value as
   * Variant, whatever this analyzer inferred, so `var y := x` cannot infer a type from it.
   */
  untyped?: boolean;
  /** The declaration as GDScript, for hovers: `var peer: PacketPeerDTLS`, `func send(data: String) -> void`. */
  declaration: string;
  doc?: string;
  /** Times the symbol is read or written after its declaration. */
  uses: number;
  /** Set once a local without initializer has been assigned (UNASSIGNED_VARIABLE). */
  assigned?: boolean;
  /** True when the value was handed elsewhere (argument, stored, returned): other code may poll it. */
  escapes?: boolean;
  /** Methods called on this symbol directly (`peer.poll()` → "poll"). */
  calledMethods?: Set<string>;
  /** The function declaration, for 'function' symbols. */
  fn?: ast.FunctionDecl;
  /** The class a member belongs to. */
  owner?: ScriptClass;
  /** For 'class' symbols: the inner class. */
  cls?: ScriptClass;
  isStatic?: boolean;
  /** Constant value of constants and enum values, when it is a literal. */
  value?: number | string | boolean;
}

export interface ScriptClass {
  /** `class_name` or the inner class's name; the main script without class_name is "self". */
  name: string;
  body: ast.ClassBody;
  range: Range;
  members: Map<string, ScriptSymbol>;
  /** The Godot class at the root of the chain (`extends Node` → Node; nothing → RefCounted). */
  nativeBase: string;
  /** Set when `extends` names something the lab does not know (Node2D, a file): its members are unknown. */
  unknownBase?: string;
  /** The script class it extends, when it extends one of the script's inner classes. */
  scriptBase?: ScriptClass;
  /** The class it is declared in (inner classes). */
  outer?: ScriptClass;
  inner: ScriptClass[];
}

/** A block of code with its locals; `symbols` in declaration order. */
export interface Scope {
  range: Range;
  symbols: ScriptSymbol[];
  parent?: Scope;
  cls: ScriptClass;
  /** The function or lambda the block belongs to. */
  fn?: ast.FunctionDecl | ast.LambdaExpr;
  isStatic?: boolean;
}

/** A member of a script class, looked up through its script bases (not the Godot base). */
export function findScriptMember(cls: ScriptClass, name: string): ScriptSymbol | undefined {
  for (let c: ScriptClass | undefined = cls; c; c = c.scriptBase) {
    const found = c.members.get(name);
    if (found) return found;
  }
  return undefined;
}
