// Syntax tree produced by parser.ts. Every node carries a document-absolute `range`.

import type { Range } from './range';

interface NodeBase {
  range: Range;
}

// ---- types ---------------------------------------------------------------------------------

/** A type annotation: `int`, `PacketPeerDTLS`, `Array[PacketPeerDTLS]`, `Dictionary[String, int]`, `Node.ProcessMode`. */
export interface TypeNode extends NodeBase {
  kind: 'Type';
  /** Dotted name, e.g. "int" or "PacketPeerDTLS.Status". */
  name: string;
  /** Element types of `Array[T]` / `Dictionary[K, V]`. */
  typeArguments: TypeNode[];
}

// ---- expressions ---------------------------------------------------------------------------

export type LiteralKind = 'int' | 'float' | 'string' | 'string_name' | 'node_path' | 'bool' | 'null';

export interface LiteralExpr extends NodeBase {
  kind: 'Literal';
  literalKind: LiteralKind;
  value: number | bigint | string | boolean | null;
}
export interface IdentifierExpr extends NodeBase {
  kind: 'Identifier';
  name: string;
}
export interface SelfExpr extends NodeBase {
  kind: 'Self';
}
/** `super` (only valid as `super.method()` or `super()`). */
export interface SuperExpr extends NodeBase {
  kind: 'Super';
}
/** `object.name` */
export interface MemberExpr extends NodeBase {
  kind: 'Member';
  object: Expr;
  name: string;
  nameRange: Range;
}
/** `callee(args)`; callee is an Identifier (function), a Member (method call) or Super. */
export interface CallExpr extends NodeBase {
  kind: 'Call';
  callee: Expr;
  args: Expr[];
}
/** `object[index]` */
export interface SubscriptExpr extends NodeBase {
  kind: 'Subscript';
  object: Expr;
  index: Expr;
}
export type UnaryOperator = '-' | '+' | 'not' | '~';
export interface UnaryExpr extends NodeBase {
  kind: 'Unary';
  operator: UnaryOperator;
  operand: Expr;
}
export type BinaryOperator =
  | '+' | '-' | '*' | '/' | '%' | '**'
  | '<<' | '>>' | '&' | '|' | '^'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | 'and' | 'or' | 'in' | 'not in';
export interface BinaryExpr extends NodeBase {
  kind: 'Binary';
  operator: BinaryOperator;
  left: Expr;
  right: Expr;
  operatorRange: Range;
}
/** `whenTrue if condition else whenFalse` */
export interface TernaryExpr extends NodeBase {
  kind: 'Ternary';
  condition: Expr;
  whenTrue: Expr;
  whenFalse: Expr;
}
export interface ArrayExpr extends NodeBase {
  kind: 'Array';
  elements: Expr[];
}
export interface DictionaryEntry {
  key: Expr;
  value: Expr;
}
export interface DictionaryExpr extends NodeBase {
  kind: 'Dictionary';
  entries: DictionaryEntry[];
}
/** `value is Type` / `value is not Type` */
export interface IsExpr extends NodeBase {
  kind: 'Is';
  value: Expr;
  type: TypeNode;
  negated: boolean;
}
/** `value as Type` */
export interface AsExpr extends NodeBase {
  kind: 'As';
  value: Expr;
  type: TypeNode;
}
/** `await expr` (evaluates expr; signals/coroutines are not supported yet). */
export interface AwaitExpr extends NodeBase {
  kind: 'Await';
  value: Expr;
}
/** `$Path/To/Node`, `$"path"` or `%Unique` — shorthand for get_node("path") (`%Unique` → path "%Unique"). */
export interface GetNodeExpr extends NodeBase {
  kind: 'GetNode';
  path: string;
  /** How it was written: "$" (with `$"..."` as "$\"") or "%". */
  syntax: '$' | '$"' | '%';
}
/** `preload("res://...")` */
export interface PreloadExpr extends NodeBase {
  kind: 'Preload';
  path: Expr;
}
/** `func(params): body` */
export interface LambdaExpr extends NodeBase {
  kind: 'Lambda';
  name: string | undefined;
  params: Parameter[];
  returnType: TypeNode | undefined;
  body: Statement[];
}

export type Expr =
  | LiteralExpr | IdentifierExpr | SelfExpr | SuperExpr | MemberExpr | CallExpr | SubscriptExpr
  | UnaryExpr | BinaryExpr | TernaryExpr | ArrayExpr | DictionaryExpr | IsExpr | AsExpr
  | AwaitExpr | GetNodeExpr | PreloadExpr | LambdaExpr;

// ---- statements ----------------------------------------------------------------------------

export interface Annotation extends NodeBase {
  kind: 'Annotation';
  /** Without the "@". */
  name: string;
  args: Expr[];
}

/** A property accessor: `set(value):` / `get:` with a body, or `set = method` / `get = method`. */
export type Accessor =
  | { kind: 'InlineAccessor'; parameter: Parameter | undefined; body: Statement[]; range: Range }
  | { kind: 'NamedAccessor'; name: string; range: Range };

/** `var name: Type = value` (member or local), optionally with `set`/`get` accessors (members only). */
export interface VarStatement extends NodeBase {
  kind: 'Var';
  name: string;
  nameRange: Range;
  type: TypeNode | undefined;
  /** True for `:=` (type inferred from the initializer). */
  inferType: boolean;
  initializer: Expr | undefined;
  isStatic: boolean;
  annotations: Annotation[];
  setter?: Accessor;
  getter?: Accessor;
  /** Text of the `##` comments right above the declaration. */
  doc?: string;
}
/** `const NAME = value` (member or local). */
export interface ConstStatement extends NodeBase {
  kind: 'Const';
  name: string;
  nameRange: Range;
  type: TypeNode | undefined;
  /** True for `const X := value`. */
  inferType?: boolean;
  initializer: Expr;
  doc?: string;
}
export type AssignmentOperator = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '**=' | '<<=' | '>>=' | '&=' | '|=' | '^=';
export interface AssignStatement extends NodeBase {
  kind: 'Assign';
  operator: AssignmentOperator;
  /** Identifier, Member or Subscript. */
  target: Expr;
  value: Expr;
}
export interface ExprStatement extends NodeBase {
  kind: 'Expression';
  expression: Expr;
}
export interface IfBranch {
  condition: Expr;
  body: Statement[];
  range: Range;
}
export interface IfStatement extends NodeBase {
  kind: 'If';
  /** The `if` branch followed by the `elif` branches. */
  branches: IfBranch[];
  elseBody: Statement[] | undefined;
}
export interface WhileStatement extends NodeBase {
  kind: 'While';
  condition: Expr;
  body: Statement[];
}
export interface ForStatement extends NodeBase {
  kind: 'For';
  variable: string;
  variableRange: Range;
  variableType: TypeNode | undefined;
  iterable: Expr;
  body: Statement[];
}
export interface BreakStatement extends NodeBase {
  kind: 'Break';
}
export interface ContinueStatement extends NodeBase {
  kind: 'Continue';
}
export interface PassStatement extends NodeBase {
  kind: 'Pass';
}
export interface BreakpointStatement extends NodeBase {
  kind: 'Breakpoint';
}
export interface ReturnStatement extends NodeBase {
  kind: 'Return';
  value: Expr | undefined;
}
export interface AssertStatement extends NodeBase {
  kind: 'Assert';
  condition: Expr;
  message: Expr | undefined;
}

export type Pattern =
  | { kind: 'ExpressionPattern'; expression: Expr; range: Range } // literal or constant expression
  | { kind: 'WildcardPattern'; range: Range } // _
  | { kind: 'BindingPattern'; name: string; range: Range } // var x
  | { kind: 'ArrayPattern'; elements: Pattern[]; rest: boolean; range: Range } // [a, _, ..]
  | { kind: 'DictionaryPattern'; entries: { key: Expr; value: Pattern | undefined }[]; rest: boolean; range: Range }; // {"k": v, ..}

export interface MatchBranch {
  patterns: Pattern[];
  guard: Expr | undefined;
  body: Statement[];
  range: Range;
}
export interface MatchStatement extends NodeBase {
  kind: 'Match';
  subject: Expr;
  branches: MatchBranch[];
}

export type Statement =
  | VarStatement | ConstStatement | AssignStatement | ExprStatement | IfStatement | WhileStatement
  | ForStatement | BreakStatement | ContinueStatement | PassStatement | BreakpointStatement
  | ReturnStatement | AssertStatement | MatchStatement;

// ---- class members ---------------------------------------------------------------------------

export interface Parameter extends NodeBase {
  kind: 'Parameter';
  name: string;
  type: TypeNode | undefined;
  inferType: boolean;
  defaultValue: Expr | undefined;
}
export interface FunctionDecl extends NodeBase {
  kind: 'Function';
  name: string;
  nameRange: Range;
  params: Parameter[];
  returnType: TypeNode | undefined;
  body: Statement[];
  isStatic: boolean;
  annotations: Annotation[];
  doc?: string;
}
export interface SignalDecl extends NodeBase {
  kind: 'Signal';
  name: string;
  nameRange?: Range;
  /** Undefined for `signal name` without parentheses. */
  params: Parameter[];
  hasParens?: boolean;
  annotations?: Annotation[];
  doc?: string;
}
export interface EnumValue {
  name: string;
  value: Expr | undefined;
  range: Range;
}
export interface EnumDecl extends NodeBase {
  kind: 'Enum';
  /** Undefined for an unnamed enum (its values become class constants). */
  name: string | undefined;
  values: EnumValue[];
  doc?: string;
}
/** An inner `class Name [extends Base]:`. */
export interface ClassDecl extends NodeBase {
  kind: 'Class';
  name: string;
  nameRange?: Range;
  body: ClassBody;
  doc?: string;
}

export type Member = VarStatement | ConstStatement | FunctionDecl | SignalDecl | EnumDecl | ClassDecl;

export interface ClassBody {
  /** `extends Name`, `extends Outer.Inner` or `extends "file.gd"` (then the path). */
  extendsName: string | undefined;
  extendsRange: Range | undefined;
  /** True when extends names a file path (`extends "res://x.gd"`). */
  extendsPath?: boolean;
  className: string | undefined;
  members: Member[];
  annotations: Annotation[];
}

export interface ScriptNode extends NodeBase, ClassBody {
  kind: 'Script';
}

export type Node = Expr | Statement | Member | ScriptNode | TypeNode | Annotation | Parameter;

// ---- Godot 3 syntax ----------------------------------------------------------------------------

/**
 * A Godot 3 construct the parser recognised (and reported as a syntax error, since Godot 4 rejects it),
 * then read as its Godot 4 equivalent so the rest of the script parses as intended. The ranges let
 * engine/analysis/godot3-migrations.ts offer the exact fix.
 * - `tool` / `onready` / `export`: the keyword (for `export(int, 1, 10)`, up to the closing ")"); read as
 *   the annotation `@tool` / `@onready` / `@export`, whose `range` is this same range.
 * - `rpc`: Godot 3's RPC keyword before `func` (remote, master, puppet, remotesync, …); read as `@rpc`.
 * - `setget`: from `setget` to the last accessor name; read as `set = setter` / `get = getter`.
 * - `yield`: the whole `yield(…)` call; read as `await object.signal` (or `await` of its argument).
 */
export type Godot3Syntax =
  | { kind: 'tool' | 'onready'; range: Range }
  /** `remote func`, `puppet func`, `remotesync func`, …: the keyword; read as `@rpc`. */
  | { kind: 'rpc'; keyword: string; range: Range }
  | { kind: 'export'; range: Range; args: Expr[] }
  | { kind: 'setget'; range: Range; setter?: string; getter?: string }
  | { kind: 'yield'; range: Range; args: Expr[] };
