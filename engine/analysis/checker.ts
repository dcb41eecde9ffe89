// The walk over a script's bodies: block scopes and locals, name resolution, type inference, member
// and call checks against class-data and the script's own declarations, and Godot's warnings that
// need the types. Records what each name refers to (for hover/definition) and every method call with
// its receiver (for the DTLS lints).

import type * as ast from '../gdscript/ast';
import type { Range } from '../gdscript/range';
import { findClass, type Godot3Note, type MemberInfo } from '../godot/class-data';
import { globalMember as findGlobal, godot3Note as findGodot3, nativeMember as findMember, nativeMembers as membersOf } from './godot-api';
import { isGlobalConstant } from '../gdscript/globals';
import { builtinMethods, utilityFunction, utilityFunctionNames, type BuiltinCallable } from './builtin-members';
import { argumentsChanged, nativeSignature, scriptSignature, type Signature } from './signatures';
import { isUnemulatedGodotClass } from './unemulated-classes';
import { findVisibleClass, functionDeclaration, typeNodeText, type DeclaredClasses } from './declarations';
import { didYouMean } from './did-you-mean';
import type { AnalysisProblem, AnalysisSeverity } from './problem';
import { findScriptMember, type Scope, type ScriptClass, type ScriptSymbol, type SymbolKind } from './symbols';
import {
  BOOL, FLOAT, INT, NIL, STRING, VARIANT, VOID, assignability, builtin, commonType, isBuiltin, isBuiltinTypeName, isIntLike,
  isKnown, isNumeric, nativeClassOf, typeFromName, typeToString, type GdType,
} from './types';
import { UNUSED_WARNINGS, WARNINGS_OFF_BY_DEFAULT, isIgnored, warningMessage, type IgnoredRegion, type WarningCode } from './warnings';

/** What a name or member in the script refers to. */
export interface Occurrence {
  range: Range;
  type: GdType;
  symbol?: ScriptSymbol;
  /** A member of a Godot class or a global of @GlobalScope/@GDScript. */
  native?: MemberInfo;
  /** A Godot class named directly (`PacketPeerDTLS`). */
  className?: string;
  /** A utility function or builtin method. */
  builtin?: BuiltinCallable;
  /** A Godot 3 name (the migrations report it): what Godot 4 uses instead. */
  godot3?: Godot3Note;
}

/** A method call `receiver.method(args)` (or `method(args)` on self), for the DTLS lints. */
export interface CallSite {
  call: ast.CallExpr;
  method: string;
  receiver: ast.Expr | undefined;
  receiverType: GdType;
  /** The symbol the receiver names directly (`peer` in `peer.poll()`). */
  receiverSymbol?: ScriptSymbol;
  argTypes: GdType[];
  /** The type of the call's value. */
  result: GdType;
  /** The function the call is in, and the `while` loops around it (innermost last) inside that function. */
  functionName: string | undefined;
  loops: readonly ast.WhileStatement[];
  statement: ast.Statement | undefined;
}

export interface CheckOptions {
  /** Warnings that are off by default to turn on (RETURN_VALUE_DISCARDED). */
  enable?: readonly WarningCode[];
  /** `@warning_ignore` lines of the document, by the line of the code they apply to. */
  ignoresByLine?: Map<number, Set<string>>;
  /** Names of generated functions (call= options) that are not the user's code. */
  generatedFunctions?: (name: string) => boolean;
  /**
   * Check only this function's body (and no member initializers): enough for the editor queries at a
   * position inside it, and quick on a long script ('none': no body at all). The problems are then incomplete.
   */
  focus?: ast.FunctionDecl | 'none';
}

/** Method calls the DTLS lints report with a better message than the generic check (setup() on a PacketPeerDTLS, …). */
export type LintPreemption = (site: { className: string; method: string; argIndex?: number; argType?: GdType }) => boolean;

export interface CheckResult {
  problems: AnalysisProblem[];
  occurrences: Occurrence[];
  scopes: Scope[];
  calls: CallSite[];
  /** Binary operations and assignments, for the lints. */
  binaries: ast.BinaryExpr[];
  assignments: ast.AssignStatement[];
  /** `while` loops with an `await` in their body: they give the frame back on each turn. */
  awaitingLoops: Set<ast.WhileStatement>;
  /** The symbol of each identifier used as a subscript index in an assignment, and the initializer of each local variable. */
  identifiers: Map<ast.IdentifierExpr, ScriptSymbol>;
  initializers: Map<ScriptSymbol, ast.Expr>;
}

interface FunctionContext {
  name: string;
  decl: ast.FunctionDecl | ast.LambdaExpr;
  isStatic: boolean;
  returnType: GdType;
  loops: ast.WhileStatement[];
}

const SELF_LABEL = 'self';
const NO_LOOPS: readonly ast.WhileStatement[] = [];
const ARITHMETIC: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%', '**']);
/** Object methods that name a signal by a string (using it, for UNUSED_SIGNAL). */
const SIGNAL_BY_NAME: ReadonlySet<string> = new Set(['emit_signal', 'connect', 'disconnect', 'is_connected', 'has_signal']);

export class Checker {
  readonly problems: AnalysisProblem[] = [];
  readonly occurrences: Occurrence[] = [];
  readonly scopes: Scope[] = [];
  readonly calls: CallSite[] = [];
  /** The receiver type of the last call checked (for `await`). */
  private lastReceiver: GdType = VARIANT;
  readonly binaries: ast.BinaryExpr[] = [];
  readonly awaitingLoops = new Set<ast.WhileStatement>();
  readonly assignments: ast.AssignStatement[] = [];
  readonly identifiers = new Map<ast.IdentifierExpr, ScriptSymbol>();
  readonly initializers = new Map<ScriptSymbol, ast.Expr>();
  private readonly ignored: IgnoredRegion[] = [];
  private quiet = 0;
  private fnContext: FunctionContext | undefined;
  private statement: ast.Statement | undefined;
  private readonly inferring = new Set<ScriptSymbol>();
  /** Functions that contain an `await` (coroutines). */
  private readonly coroutines = new Set<ast.FunctionDecl | ast.LambdaExpr>();

  constructor(
    private readonly declared: DeclaredClasses,
    private readonly options: CheckOptions,
    private readonly preempt: LintPreemption,
  ) {}

  run(): CheckResult {
    const root = this.declared.root;
    for (const [symbol, node] of this.declared.typeNodes) symbol.type = this.resolveType(node, symbol.owner ?? root);
    this.checkClass(root);
    if (!this.options.focus) this.finishClassWarnings(root);
    const problems = this.problems.filter((p) => !isIgnored(this.ignored, p.code, p.range));
    return {
      problems, occurrences: this.occurrences, scopes: this.scopes, calls: this.calls, binaries: this.binaries, awaitingLoops: this.awaitingLoops,
      assignments: this.assignments, identifiers: this.identifiers, initializers: this.initializers,
    };
  }

  /** The type of an expression in a scope, without reporting or recording anything (editor queries). */
  typeIn(e: ast.Expr, scope: Scope): GdType {
    this.quiet++;
    try {
      return this.expr(e, scope);
    } finally {
      this.quiet--;
    }
  }

  // ---- reporting ------------------------------------------------------------------------------

  private error(code: string, message: string, range: Range, severity: AnalysisSeverity = 'error'): void {
    if (this.quiet > 0) return;
    this.problems.push({ severity, code, message, range });
  }

  private warn(code: WarningCode, message: string, range: Range): void {
    if (this.quiet > 0) return;
    if (WARNINGS_OFF_BY_DEFAULT.has(code) && !this.options.enable?.includes(code)) return;
    this.problems.push({ severity: 'warning', code, message, range, ...(UNUSED_WARNINGS.has(code) ? { tags: ['unnecessary' as const] } : {}) });
  }

  private record(o: Occurrence): void {
    if (this.quiet === 0) this.occurrences.push(o);
  }

  private noteIgnores(node: { range: Range }): void {
    const codes = this.options.ignoresByLine?.get(node.range.start.line);
    if (codes) this.ignored.push({ range: node.range, codes });
  }

  // ---- types ----------------------------------------------------------------------------------

  resolveType(node: ast.TypeNode, cls: ScriptClass): GdType {
    if (node.name === 'Array' && node.typeArguments.length === 1) return builtin('Array', this.resolveType(node.typeArguments[0], cls));
    return typeFromName(typeNodeText(node), (name) => this.scriptType(name, cls));
  }

  /** The script's own classes and enums as types, seen from `cls`. */
  private scriptType(name: string, cls: ScriptClass): GdType | undefined {
    const inner = findVisibleClass(cls, name);
    if (inner) return { kind: 'script', cls: inner };
    if (name === this.declared.root.name && name !== SELF_LABEL) return { kind: 'script', cls: this.declared.root };
    const parts = name.split('.');
    const enumName = parts.pop()!;
    const owner = parts.length ? findVisibleClass(cls, parts.join('.')) : undefined;
    for (let c: ScriptClass | undefined = owner ?? cls; c; c = owner ? undefined : c.outer) {
      const e = findScriptMember(c, enumName);
      if (e?.kind === 'enum') return { kind: 'enum', owner: c.name, name: enumName };
    }
    return undefined;
  }

  /** A member's type, inferring it from its initializer on first use. */
  private symbolType(symbol: ScriptSymbol): GdType {
    const pending = this.declared.pending.get(symbol);
    if (!pending) return symbol.type;
    if (this.inferring.has(symbol)) return VARIANT;
    this.inferring.add(symbol);
    this.quiet++;
    const scope: Scope = { range: pending.cls.range, symbols: [], cls: pending.cls, isStatic: true };
    const saved = this.fnContext;
    this.fnContext = undefined;
    let t = this.expr(pending.initializer, scope);
    this.fnContext = saved;
    this.quiet--;
    this.inferring.delete(symbol);
    this.declared.pending.delete(symbol);
    if (t.kind === 'nil' || t.kind === 'void') t = VARIANT;
    symbol.type = t;
    symbol.weak = !pending.strict;
    return t;
  }

  // ---- classes --------------------------------------------------------------------------------

  private checkClass(cls: ScriptClass): void {
    const classScope: Scope = { range: cls.range, symbols: [], cls };
    const focus = this.options.focus;
    for (const m of cls.body.members) {
      if (focus && m !== focus && m.kind !== 'Class') continue;
      this.noteIgnores(m);
      switch (m.kind) {
        case 'Var': {
          const symbol = cls.members.get(m.name);
          if (symbol) this.symbolType(symbol);
          if (m.initializer) {
            const scope: Scope = { ...classScope, isStatic: m.isStatic };
            const t = this.expr(m.initializer, scope);
            if (symbol && m.type) this.checkAssignable(symbol.type, t, m.initializer.range, `variable "${m.name}"`);
            if (m.inferType) this.checkInferable(m.name, m.initializer, scope);
          }
          for (const accessor of [m.setter, m.getter]) {
            if (accessor?.kind !== 'InlineAccessor') continue;
            const scope = this.openScope(accessor.range, classScope, cls, undefined, m.isStatic);
            if (accessor.parameter) this.declareLocal(scope, accessor.parameter.name, 'parameter', accessor.parameter.range, accessor.parameter.range, symbol?.type ?? VARIANT, `${accessor.parameter.name}`);
            this.block(accessor.body, scope);
          }
          if (symbol) symbol.declaration = `${m.isStatic ? 'static ' : ''}var ${m.name}${isKnown(symbol.type) ? `: ${typeToString(symbol.type)}` : ''}`;
          break;
        }
        case 'Const': {
          const symbol = cls.members.get(m.name);
          if (symbol) this.symbolType(symbol);
          this.expr(m.initializer, classScope);
          if (symbol) symbol.declaration = `const ${m.name}${isKnown(symbol.type) ? `: ${typeToString(symbol.type)}` : ''}${symbol.value !== undefined ? ` = ${JSON.stringify(symbol.value)}` : ''}`;
          break;
        }
        case 'Function':
          this.checkFunction(m, cls, classScope);
          break;
        case 'Signal':
          for (const p of m.params) if (p.type) this.resolveType(p.type, cls);
          break;
        case 'Enum': {
          const seen = new Set<string>();
          for (const v of m.values) {
            if (seen.has(v.name)) this.error('duplicate-declaration', `Name "${v.name}" was already in this enum.`, v.range);
            seen.add(v.name);
            if (v.value) this.expr(v.value, classScope);
          }
          break;
        }
        case 'Class': {
          const inner = cls.inner.find((i) => i.body === m.body);
          if (inner) this.checkClass(inner);
          break;
        }
      }
    }
  }

  private checkFunction(f: ast.FunctionDecl, cls: ScriptClass, classScope: Scope): void {
    const symbol = cls.members.get(f.name);
    const returnType = f.returnType ? this.resolveType(f.returnType, cls) : VARIANT;
    if (symbol && symbol.fn === f) symbol.declaration = functionDeclaration(f, f.returnType ? typeToString(returnType) : undefined);
    const scope = this.openScope(f.range, classScope, cls, f, f.isStatic);
    const saved = this.fnContext;
    this.fnContext = { name: f.name, decl: f, isStatic: f.isStatic, returnType, loops: [] };
    const params = this.declareParams(f.params, scope, cls);
    this.block(f.body, scope);
    this.finishScope(scope);
    if (!this.options.generatedFunctions?.(f.name))
      for (const p of params) if (p.uses === 0 && !p.name.startsWith('_')) this.warn('UNUSED_PARAMETER', warningMessage.UNUSED_PARAMETER(f.name, p.name), p.nameRange);
    this.fnContext = saved;
  }

  private declareParams(params: ast.Parameter[], scope: Scope, cls: ScriptClass): ScriptSymbol[] {
    const out: ScriptSymbol[] = [];
    for (const p of params) {
      let t = p.type ? this.resolveType(p.type, cls) : VARIANT;
      if (p.defaultValue) {
        const d = this.expr(p.defaultValue, scope);
        if (p.inferType) t = d;
        else if (p.type) this.checkAssignable(t, d, p.defaultValue.range, `parameter "${p.name}"`);
      }
      const nameRange: Range = { start: p.range.start, end: { line: p.range.start.line, character: p.range.start.character + p.name.length } };
      const symbol = this.declareLocal(scope, p.name, 'parameter', p.range, nameRange, t, `${p.name}${isKnown(t) ? `: ${typeToString(t)}` : ''}`);
      symbol.assigned = true;
      symbol.untyped = !p.type && !p.inferType;
      out.push(symbol);
    }
    return out;
  }

  /** UNUSED_SIGNAL: a signal never named in the class (as `sig`, `sig.emit()`, or "sig" in emit_signal/connect). */
  private finishClassWarnings(cls: ScriptClass): void {
    for (const symbol of cls.members.values()) {
      if (symbol.kind === 'signal' && symbol.uses === 0 && !symbol.name.startsWith('_'))
        this.warn('UNUSED_SIGNAL', warningMessage.UNUSED_SIGNAL(symbol.name), symbol.nameRange);
    }
    for (const inner of cls.inner) this.finishClassWarnings(inner);
  }

  // ---- scopes ---------------------------------------------------------------------------------

  private openScope(range: Range, parent: Scope, cls: ScriptClass, fn?: ast.FunctionDecl | ast.LambdaExpr, isStatic?: boolean): Scope {
    const scope: Scope = { range, symbols: [], parent, cls, fn: fn ?? parent.fn, isStatic: isStatic ?? parent.isStatic };
    if (this.quiet === 0) this.scopes.push(scope);
    return scope;
  }

  private declareLocal(scope: Scope, name: string, kind: SymbolKind, range: Range, nameRange: Range, type: GdType, declaration: string): ScriptSymbol {
    const symbol: ScriptSymbol = { name, kind, range, nameRange, type, declaration, uses: 0 };
    if (!this.checkDuplicate(scope, symbol)) this.checkShadowing(scope, symbol);
    scope.symbols.push(symbol);
    this.record({ range: nameRange, type, symbol });
    return symbol;
  }

  /**
   * A local may not reuse the name of a parameter or of a local of an enclosing block of the same function
   * (Godot: "There is already a variable named … declared in this scope."). Two declarations in one block
   * are the compiler's to report (checkDocument). Returns true when reported.
   */
  private checkDuplicate(scope: Scope, symbol: ScriptSymbol): boolean {
    const fn = scope.fn;
    for (let s: Scope | undefined = scope; s && s.fn === fn && fn; s = s.parent) {
      const existing = s.symbols.find((x) => x.name === symbol.name);
      if (!existing) continue;
      // Loop variables and pattern bindings live in the block of their loop or branch, like parameters in their function's.
      const boundByHeader = existing.kind === 'parameter' || existing.kind === 'for-variable' || existing.kind === 'pattern-binding';
      const sameBlock = s === scope && !(boundByHeader && symbol.kind !== existing.kind);
      if (sameBlock) return false;
      const what = existing.kind === 'parameter' ? 'parameter' : existing.kind === 'local-constant' ? 'constant' : 'variable';
      this.error('duplicate-declaration', `There is already a ${what} named "${symbol.name}" declared in this scope.`, symbol.nameRange);
      return true;
    }
    return false;
  }

  /** Godot's order: a global name first, then the script's classes, then the Godot base class. */
  private checkShadowing(scope: Scope, symbol: ScriptSymbol): void {
    if (symbol.name.startsWith('_') || this.quiet > 0) return;
    const what = LOCAL_KIND_WORDS[symbol.kind] ?? 'variable';
    const global = globalKind(symbol.name);
    if (global) {
      this.warn('SHADOWED_GLOBAL_IDENTIFIER', warningMessage.SHADOWED_GLOBAL_IDENTIFIER(what, symbol.name, global), symbol.nameRange);
      return;
    }
    const member = this.lookupClassMember(scope.cls, symbol.name);
    if (member) {
      this.warn('SHADOWED_VARIABLE', warningMessage.SHADOWED_VARIABLE(what, symbol.name, MEMBER_KIND_WORDS[member.kind] ?? 'variable', member.nameRange.start.line + 1), symbol.nameRange);
      return;
    }
    if (!scope.cls.unknownBase) {
      const native = findMember(scope.cls.nativeBase, symbol.name);
      if (native && native.kind !== 'removed' && native.kind !== 'virtual')
        this.warn('SHADOWED_VARIABLE_BASE_CLASS', warningMessage.SHADOWED_VARIABLE_BASE_CLASS(what, symbol.name, NATIVE_KIND_WORDS[native.kind] ?? 'member', native.className), symbol.nameRange);
    }
  }

  /** UNUSED_VARIABLE / UNUSED_LOCAL_CONSTANT of a finished block. */
  private finishScope(scope: Scope): void {
    for (const s of scope.symbols) {
      if (s.uses > 0 || s.name.startsWith('_')) continue;
      if (s.kind === 'local-variable') this.warn('UNUSED_VARIABLE', warningMessage.UNUSED_VARIABLE(s.name), s.nameRange);
      else if (s.kind === 'local-constant') this.warn('UNUSED_LOCAL_CONSTANT', warningMessage.UNUSED_LOCAL_CONSTANT(s.name), s.nameRange);
    }
  }

  private lookupLocal(scope: Scope | undefined, name: string, at: Range): ScriptSymbol | undefined {
    for (let s = scope; s; s = s.parent) {
      for (let i = s.symbols.length - 1; i >= 0; i--) {
        const symbol = s.symbols[i];
        if (symbol.name === name && !isAfter(symbol.nameRange, at)) return symbol;
      }
    }
    return undefined;
  }

  /** A member of the class, its script bases and (for constants, enums, classes and statics) its outer classes. */
  private lookupClassMember(cls: ScriptClass, name: string): ScriptSymbol | undefined {
    const own = findScriptMember(cls, name);
    if (own) return own;
    for (let outer = cls.outer; outer; outer = outer.outer) {
      const found = findScriptMember(outer, name);
      if (found && (found.kind === 'constant' || found.kind === 'enum' || found.kind === 'enum-value' || found.kind === 'class')) return found;
    }
    return undefined;
  }

  // ---- statements -----------------------------------------------------------------------------

  /** Checks a block; returns true when it always ends in `return` (the code after it is unreachable). */
  private block(statements: ast.Statement[], scope: Scope): boolean {
    let returned = false;
    let reported = false;
    for (const s of statements) {
      if (returned && !reported && this.fnContext) {
        this.warn('UNREACHABLE_CODE', warningMessage.UNREACHABLE_CODE(this.fnContext.name), { start: s.range.start, end: statements[statements.length - 1].range.end });
        reported = true;
      }
      if (this.statementNode(s, scope)) returned = true;
    }
    return returned;
  }

  private nested(statements: ast.Statement[], scope: Scope, range: Range): boolean {
    const inner = this.openScope(range, scope, scope.cls);
    const returned = this.block(statements, inner);
    this.finishScope(inner);
    return returned;
  }

  private statementNode(s: ast.Statement, scope: Scope): boolean {
    this.noteIgnores(s);
    const saved = this.statement;
    this.statement = s;
    try {
      return this.statementKind(s, scope);
    } finally {
      this.statement = saved;
    }
  }

  private statementKind(s: ast.Statement, scope: Scope): boolean {
    switch (s.kind) {
      case 'Var': {
        let t = s.type ? this.resolveType(s.type, scope.cls) : VARIANT;
        let weak = false;
        if (s.initializer) {
          const init = this.expr(s.initializer, scope);
          if (init.kind === 'void') this.voidUse(s.initializer);
          else if (s.inferType) {
            if (init.kind === 'nil') this.error('infer-null', `Cannot infer the type of "${s.name}" variable because the value is "null".`, s.initializer.range);
            else this.checkInferable(s.name, s.initializer, scope);
            t = init.kind === 'nil' ? VARIANT : init;
          } else if (s.type) this.checkAssignable(t, init, s.initializer.range, `variable "${s.name}"`);
          else if (init.kind !== 'nil') {
            t = init;
            weak = true;
          }
        }
        const symbol = this.declareLocal(scope, s.name, 'local-variable', s.range, s.nameRange, t, `var ${s.name}${isKnown(t) ? `: ${typeToString(t)}` : ''}`);
        symbol.weak = weak;
        symbol.untyped = !s.type && !s.inferType;
        symbol.assigned = s.initializer !== undefined || s.type !== undefined;
        if (s.initializer && this.quiet === 0) this.initializers.set(symbol, s.initializer);
        return false;
      }
      case 'Const': {
        const init = this.expr(s.initializer, scope);
        const t = s.type ? this.resolveType(s.type, scope.cls) : init;
        const symbol = this.declareLocal(scope, s.name, 'local-constant', s.range, s.nameRange, t, `const ${s.name}${isKnown(t) ? `: ${typeToString(t)}` : ''}`);
        symbol.assigned = true;
        return false;
      }
      case 'Assign':
        this.assignment(s, scope);
        return false;
      case 'Expression':
        this.expressionStatement(s, scope);
        return false;
      case 'If': {
        let allReturn = s.elseBody !== undefined;
        for (const b of s.branches) {
          this.condition(b.condition, scope);
          if (!this.nested(b.body, scope, b.range)) allReturn = false;
        }
        if (s.elseBody && !this.nested(s.elseBody, scope, elseRange(s))) allReturn = false;
        return allReturn;
      }
      case 'While': {
        this.condition(s.condition, scope);
        this.fnContext?.loops.push(s);
        this.nested(s.body, scope, s.range);
        this.fnContext?.loops.pop();
        return false;
      }
      case 'For': {
        const iterable = this.expr(s.iterable, scope);
        const inner = this.openScope(s.range, scope, scope.cls);
        // `for i in range(…)` counts with ints, as Godot types it.
        const counting = s.iterable.kind === 'Call' && s.iterable.callee.kind === 'Identifier' && s.iterable.callee.name === 'range' && !this.lookupLocal(scope, 'range', s.iterable.range);
        const element = counting ? INT : elementType(iterable);
        let t = s.variableType ? this.resolveType(s.variableType, scope.cls) : element;
        if (s.variableType && isKnown(element) && assignability(t, element) === 'no') {
          this.error('type-mismatch', `Cannot include a value of type "${typeToString(element)}" as "${typeToString(t)}".`, s.iterable.range);
          t = this.resolveType(s.variableType, scope.cls);
        }
        const v = this.declareLocal(inner, s.variable, 'for-variable', s.range, s.variableRange, t, `for ${s.variable}${isKnown(t) ? `: ${typeToString(t)}` : ''}`);
        v.assigned = true;
        // Certainly a Variant for Godot only over an untyped container of the script (native methods may return typed arrays).
        const source = s.iterable.kind === 'Identifier' ? this.lookupLocal(scope, s.iterable.name, s.iterable.range) ?? this.lookupClassMember(scope.cls, s.iterable.name) : undefined;
        v.untyped = !isKnown(t) && (s.iterable.kind === 'Array' || source?.untyped === true);
        this.block(s.body, inner);
        this.finishScope(inner);
        return false;
      }
      case 'Match':
        return this.matchStatement(s, scope);
      case 'Return': {
        const fn = this.fnContext;
        if (s.value) {
          const t = this.expr(s.value, scope);
          if (fn && fn.returnType.kind === 'void') this.error('return-value', 'A void function cannot return a value.', s.value.range);
          else if (fn && isKnown(fn.returnType)) this.checkAssignable(fn.returnType, t, s.value.range, 'return value', true);
        } else if (fn && isKnown(fn.returnType) && fn.returnType.kind !== 'void') {
          this.error('return-value', 'A non-void function must return a value.', s.range);
        }
        return true;
      }
      case 'Assert':
        this.condition(s.condition, scope);
        if (s.message) this.expr(s.message, scope);
        return false;
      case 'Break':
      case 'Continue':
      case 'Pass':
      case 'Breakpoint':
        return false;
    }
  }

  private condition(e: ast.Expr, scope: Scope): void {
    const t = this.expr(e, scope);
    if (t.kind === 'void') this.voidUse(e);
  }

  private matchStatement(s: ast.MatchStatement, scope: Scope): boolean {
    this.expr(s.subject, scope);
    let catchAll = false;
    let allReturn = true;
    let hasWildcard = false;
    for (const b of s.branches) {
      const inner = this.openScope(b.range, scope, scope.cls);
      for (const p of b.patterns) {
        if (catchAll) this.warn('UNREACHABLE_PATTERN', warningMessage.UNREACHABLE_PATTERN(), p.range);
        this.pattern(p, inner);
        if (!b.guard && (p.kind === 'WildcardPattern' || p.kind === 'BindingPattern')) hasWildcard = true;
      }
      if (b.guard) this.condition(b.guard, inner);
      if (!this.block(b.body, inner)) allReturn = false;
      this.finishScope(inner);
      if (hasWildcard) catchAll = true;
    }
    return allReturn && catchAll;
  }

  private pattern(p: ast.Pattern, scope: Scope): void {
    switch (p.kind) {
      case 'ExpressionPattern':
        this.expr(p.expression, scope);
        break;
      case 'BindingPattern': {
        const nameRange: Range = { start: { line: p.range.end.line, character: p.range.end.character - p.name.length }, end: p.range.end };
        const symbol = this.declareLocal(scope, p.name, 'pattern-binding', p.range, nameRange, VARIANT, `var ${p.name}`);
        symbol.assigned = true;
        symbol.untyped = true;
        break;
      }
      case 'ArrayPattern':
        for (const e of p.elements) this.pattern(e, scope);
        break;
      case 'DictionaryPattern':
        for (const e of p.entries) {
          this.expr(e.key, scope);
          if (e.value) this.pattern(e.value, scope);
        }
        break;
      case 'WildcardPattern':
        break;
    }
  }

  private assignment(s: ast.AssignStatement, scope: Scope): void {
    if (this.quiet === 0) this.assignments.push(s);
    if (this.quiet === 0 && s.target.kind === 'Subscript' && s.target.index.kind === 'Identifier') {
      const index = s.target.index;
      const symbol = this.lookupLocal(scope, index.name, index.range) ?? this.lookupClassMember(scope.cls, index.name);
      if (symbol) this.identifiers.set(index, symbol);
    }
    const value = this.expr(s.value, scope);
    if (value.kind === 'void') this.voidUse(s.value);
    if (s.target.kind === 'Identifier') {
      const local = this.lookupLocal(scope, s.target.name, s.target.range);
      if (local && s.operator !== '=' && !local.assigned && local.kind === 'local-variable')
        this.warn('UNASSIGNED_VARIABLE_OP_ASSIGN', warningMessage.UNASSIGNED_VARIABLE_OP_ASSIGN(local.name), s.target.range);
      if (local) local.assigned = true;
    }
    const target = this.expr(s.target, scope, 'write');
    if (s.operator === '=') {
      this.checkAssignable(target, value, s.value.range, 'assignment');
      const symbol = s.target.kind === 'Identifier' ? this.lookupLocal(scope, s.target.name, s.target.range) : undefined;
      if (symbol?.weak && isKnown(value) && typeToString(value) !== typeToString(symbol.type)) {
        // An untyped variable now holds something else: stop trusting its first value's type.
        symbol.type = VARIANT;
        symbol.weak = false;
      }
    } else if (s.operator === '/=' && isIntLike(target) && isIntLike(value)) {
      this.warn('INTEGER_DIVISION', warningMessage.INTEGER_DIVISION(), s.value.range);
    }
  }

  private expressionStatement(s: ast.ExprStatement, scope: Scope): void {
    const e = s.expression;
    const t = this.expr(e, scope, 'statement');
    if (e.kind === 'Ternary') this.warn('STANDALONE_TERNARY', warningMessage.STANDALONE_TERNARY(), e.range);
    else if (e.kind !== 'Call' && e.kind !== 'Await' && e.kind !== 'Lambda' && e.kind !== 'Preload' && !(e.kind === 'Literal' && e.literalKind === 'string'))
      this.warn('STANDALONE_EXPRESSION', warningMessage.STANDALONE_EXPRESSION(), e.range);
    else if (e.kind === 'Call' && isKnown(t) && t.kind !== 'void' && t.kind !== 'nil') {
      const name = e.callee.kind === 'Identifier' ? e.callee.name : e.callee.kind === 'Member' ? e.callee.name : undefined;
      if (name) this.warn('RETURN_VALUE_DISCARDED', warningMessage.RETURN_VALUE_DISCARDED(name), e.range);
    }
  }

  /**
   * `var x := value` where Godot sees `value` as Variant: an untyped variable or parameter, or a call of a
   * script function without `->` (Godot: "Cannot infer the type of … because the value doesn't have a set type.").
   */
  private checkInferable(name: string, value: ast.Expr, scope: Scope): void {
    let source: ScriptSymbol | undefined;
    if (value.kind === 'Identifier') {
      source = this.lookupLocal(scope, value.name, value.range) ?? this.lookupClassMember(scope.cls, value.name);
      if (source?.kind === 'function') return; // a function named as a value is a Callable
    }
    else if (value.kind === 'Call' && value.callee.kind === 'Identifier') {
      const f = this.lookupLocal(scope, value.callee.name, value.callee.range) ? undefined : this.lookupClassMember(scope.cls, value.callee.name);
      source = f?.kind === 'function' ? f : undefined;
    }
    if (!source?.untyped || source.kind === 'signal' || source.kind === 'enum' || source.kind === 'class') return;
    this.error('infer-variant', `Cannot infer the type of "${name}" variable because the value doesn't have a set type.`, value.range);
  }

  private checkAssignable(target: GdType, value: GdType, range: Range, what: string, isReturn = false): void {
    const result = assignability(target, value);
    if (result === 'narrowing') this.warn('NARROWING_CONVERSION', warningMessage.NARROWING_CONVERSION(), range);
    else if (result === 'no') {
      if (value.kind === 'void') {
        this.error('void-value', 'Cannot assign a value of type "void".', range);
        return;
      }
      const message = isReturn
        ? `Cannot return a value of type "${typeToString(value)}" as "${typeToString(target)}".`
        : what === 'assignment'
          ? `Cannot assign a value of type "${typeToString(value)}" as "${typeToString(target)}".`
          : `Cannot assign a value of type "${typeToString(value)}" to ${what} with specified type "${typeToString(target)}".`;
      this.error('type-mismatch', message, range);
    }
  }

  private voidUse(e: ast.Expr): void {
    if (e.kind !== 'Call') return;
    const name = e.callee.kind === 'Identifier' ? e.callee.name : e.callee.kind === 'Member' ? e.callee.name : 'function';
    this.error('void-value', `Cannot get return value of call to "${name}()" because it returns "void".`, e.range);
  }

  // ---- expressions ----------------------------------------------------------------------------

  /** `usage`: 'read' (a value), 'write' (assigned to), 'statement' (result dropped), 'receiver' (object of a member access). */
  expr(e: ast.Expr, scope: Scope, usage: 'read' | 'write' | 'statement' | 'receiver' = 'read'): GdType {
    return this.exprKind(e, scope, usage);
  }

  private exprKind(e: ast.Expr, scope: Scope, usage: 'read' | 'write' | 'statement' | 'receiver'): GdType {
    switch (e.kind) {
      case 'Literal':
        return literalType(e);
      case 'Identifier':
        return this.identifier(e, scope, usage);
      case 'Self':
        return { kind: 'script', cls: scope.cls };
      case 'Super':
        return scope.cls.scriptBase ? { kind: 'script', cls: scope.cls.scriptBase } : { kind: 'object', className: scope.cls.nativeBase };
      case 'Member':
        return this.member(e, scope, usage);
      case 'Call':
        return this.call(e, scope);
      case 'Subscript': {
        const object = this.expr(e.object, scope);
        const index = this.expr(e.index, scope);
        if (index.kind === 'void') this.voidUse(e.index);
        if (object.kind === 'void') this.voidUse(e.object);
        if (object.kind === 'builtin') {
          if (object.name === 'Array') return object.element ?? VARIANT;
          if (object.name === 'PackedStringArray' || object.name === 'String') return STRING;
          if (object.name.startsWith('Packed') && object.name !== 'PackedStringArray') return object.name === 'PackedByteArray' || object.name.includes('Int') ? INT : VARIANT;
        }
        return VARIANT;
      }
      case 'Unary': {
        const t = this.expr(e.operand, scope);
        if (t.kind === 'void') this.voidUse(e.operand);
        if (e.operator === 'not') return BOOL;
        if (e.operator === '~') return INT;
        return isIntLike(t) ? INT : isBuiltin(t, 'float') ? FLOAT : VARIANT;
      }
      case 'Binary':
        return this.binary(e, scope);
      case 'Ternary': {
        this.condition(e.condition, scope);
        const a = this.expr(e.whenTrue, scope);
        const b = this.expr(e.whenFalse, scope);
        const common = commonType(a, b);
        if (!common) {
          this.warn('INCOMPATIBLE_TERNARY', warningMessage.INCOMPATIBLE_TERNARY(), e.range);
          return VARIANT;
        }
        return common;
      }
      case 'Array': {
        for (const el of e.elements) if (this.expr(el, scope).kind === 'void') this.voidUse(el);
        return builtin('Array');
      }
      case 'Dictionary':
        for (const entry of e.entries) {
          this.expr(entry.key, scope);
          if (this.expr(entry.value, scope).kind === 'void') this.voidUse(entry.value);
        }
        return builtin('Dictionary');
      case 'Is':
        this.expr(e.value, scope);
        this.resolveType(e.type, scope.cls);
        return BOOL;
      case 'As': {
        this.expr(e.value, scope);
        return this.resolveType(e.type, scope.cls);
      }
      case 'Await':
        return this.awaitExpr(e, scope);
      case 'GetNode':
        return { kind: 'object', className: 'Node' };  // open: members of the actual node are not checked
      case 'Preload':
        this.expr(e.path, scope);
        return VARIANT;
      case 'Lambda':
        return this.lambda(e, scope);
    }
  }

  private awaitExpr(e: ast.AwaitExpr, scope: Scope): GdType {
    if (this.fnContext) {
      this.coroutines.add(this.fnContext.decl);
      if (this.quiet === 0) for (const loop of this.fnContext.loops) this.awaitingLoops.add(loop);
    }
    const t = this.expr(e.value, scope);
    if (isBuiltin(t, 'Signal')) return VARIANT;
    const calledScriptFunction = e.value.kind === 'Call' && this.calledScriptFunction(e.value, scope);
    if (isKnown(t) && !calledScriptFunction) this.warn('REDUNDANT_AWAIT', warningMessage.REDUNDANT_AWAIT(), e.range);
    return t;
  }

  /** Whether the call is to a function of the script (which may be a coroutine). */
  private calledScriptFunction(call: ast.CallExpr, scope: Scope): boolean {
    if (call.callee.kind === 'Identifier') return this.lookupClassMember(scope.cls, call.callee.name)?.kind === 'function' || this.lookupLocal(scope, call.callee.name, call.range) !== undefined;
    if (call.callee.kind === 'Member') {
      const object = this.lastReceiver;
      return object.kind === 'script' || object.kind === 'variant' || object.kind === 'script-class-ref';
    }
    return true;
  }

  private lambda(e: ast.LambdaExpr, scope: Scope): GdType {
    const inner = this.openScope(e.range, scope, scope.cls, e);
    const saved = this.fnContext;
    const returnType = e.returnType ? this.resolveType(e.returnType, scope.cls) : VARIANT;
    this.fnContext = { name: e.name ?? '<anonymous lambda>', decl: e, isStatic: scope.isStatic ?? false, returnType, loops: [] };
    const params = this.declareParams(e.params, inner, scope.cls);
    this.block(e.body, inner);
    this.finishScope(inner);
    for (const p of params)
      if (p.uses === 0 && !p.name.startsWith('_')) this.warn('UNUSED_PARAMETER', warningMessage.UNUSED_PARAMETER(e.name ?? '<anonymous lambda>', p.name), p.nameRange);
    this.fnContext = saved;
    if (e.name) this.declareLocal(scope, e.name, 'local-variable', e.range, e.range, builtin('Callable'), `func ${e.name}`).uses++;
    return builtin('Callable');
  }

  private binary(e: ast.BinaryExpr, scope: Scope): GdType {
    if (this.quiet === 0) this.binaries.push(e);
    const a = this.expr(e.left, scope);
    const b = this.expr(e.right, scope);
    if (a.kind === 'void') this.voidUse(e.left);
    if (b.kind === 'void') this.voidUse(e.right);
    switch (e.operator) {
      case '==': case '!=': case '<': case '<=': case '>': case '>=': case 'and': case 'or': case 'in': case 'not in':
        return BOOL;
      case '/':
        if (isIntLike(a) && isIntLike(b)) {
          this.warn('INTEGER_DIVISION', warningMessage.INTEGER_DIVISION(), e.range);
          return INT;
        }
        break;
      case '%':
        if (isBuiltin(a, 'String')) return STRING;
        break;
      case '+':
        if (isBuiltin(a, 'String') && isBuiltin(b, 'String')) return STRING;
        if (isBuiltin(a, 'Array') && isBuiltin(b, 'Array')) return builtin('Array');
        if (isBuiltin(a, 'PackedByteArray') && isBuiltin(b, 'PackedByteArray')) return a;
        break;
      case '<<': case '>>': case '&': case '|': case '^':
        return isIntLike(a) && isIntLike(b) ? INT : VARIANT;
    }
    if (ARITHMETIC.has(e.operator) && isNumeric(a) && isNumeric(b)) {
      if (e.operator === '**') return isIntLike(a) && isIntLike(b) ? INT : FLOAT;
      return isIntLike(a) && isIntLike(b) ? INT : FLOAT;
    }
    return VARIANT;
  }

  // ---- names ----------------------------------------------------------------------------------

  private identifier(e: ast.IdentifierExpr, scope: Scope, usage: 'read' | 'write' | 'statement' | 'receiver'): GdType {
    const local = this.lookupLocal(scope, e.name, e.range);
    if (local) {
      if (this.quiet === 0) {
        local.uses++;
        if (usage === 'read' && local.kind === 'local-variable' && !local.assigned && !local.name.startsWith('_')) {
          this.warn('UNASSIGNED_VARIABLE', warningMessage.UNASSIGNED_VARIABLE(local.name), e.range);
          local.assigned = true;
        }
        if (usage === 'read') local.escapes = true;
      }
      this.record({ range: e.range, type: local.type, symbol: local });
      return local.type;
    }
    const member = this.lookupClassMember(scope.cls, e.name);
    if (member) {
      const t = this.memberSymbolType(member);
      if (this.quiet === 0) {
        member.uses++;
        if (usage === 'read') member.escapes = true;
      }
      this.record({ range: e.range, type: t, symbol: member });
      return t;
    }
    if (!scope.cls.unknownBase) {
      const native = findMember(scope.cls.nativeBase, e.name);
      if (native && native.kind !== 'removed') {
        const t = this.nativeMemberType(native);
        this.record({ range: e.range, type: t, native });
        return t;
      }
    }
    const root = this.declared.root;
    if (root.body.className === e.name) return { kind: 'script-class-ref', cls: root };
    const global = this.globalName(e);
    if (global) return global;
    const godot3 = findGodot3(e.name);
    if (godot3) this.record({ range: e.range, type: VARIANT, godot3 });
    if (scope.cls.unknownBase || godot3) return VARIANT;
    const candidates = this.visibleNames(scope, e.range);
    this.error('undeclared-identifier', `Identifier "${e.name}" not declared in the current scope.${didYouMean(e.name, candidates)}`, e.range);
    return VARIANT;
  }

  private memberSymbolType(member: ScriptSymbol): GdType {
    if (member.kind === 'function') return builtin('Callable');
    return this.symbolType(member);
  }

  /** Classes, singletons, builtin types, utility functions and global constants/enums. */
  private globalName(e: ast.IdentifierExpr): GdType | undefined {
    const cls = findClass(e.name);
    if (cls && !e.name.startsWith('@')) {
      this.record({ range: e.range, type: { kind: 'class-ref', className: e.name }, className: e.name });
      return { kind: 'class-ref', className: e.name };
    }
    if (isBuiltinTypeName(e.name)) return { kind: 'builtin-ref', name: e.name };
    const utility = utilityFunction(e.name);
    if (utility) {
      this.record({ range: e.range, type: builtin('Callable'), builtin: utility });
      return builtin('Callable');
    }
    const global = findGlobal(e.name);
    if (global) {
      const t = this.nativeMemberType(global);
      this.record({ range: e.range, type: t, native: global });
      return t;
    }
    if (isGlobalConstant(e.name)) return /^(PI|TAU|INF|NAN)$/.test(e.name) ? FLOAT : INT;
    if (isUnemulatedGodotClass(e.name)) return VARIANT;
    return undefined;
  }

  /** Every name visible at `at` (for "did you mean"). */
  visibleNames(scope: Scope, at: Range): string[] {
    const names: string[] = [];
    for (let s: Scope | undefined = scope; s; s = s.parent) for (const symbol of s.symbols) if (!isAfter(symbol.nameRange, at)) names.push(symbol.name);
    for (let c: ScriptClass | undefined = scope.cls; c; c = c.outer) for (let b: ScriptClass | undefined = c; b; b = b.scriptBase) names.push(...b.members.keys());
    if (!scope.cls.unknownBase) names.push(...membersOf(scope.cls.nativeBase).filter((m) => m.kind !== 'virtual').map((m) => m.name));
    return names;
  }

  private nativeMemberType(m: MemberInfo): GdType {
    switch (m.kind) {
      case 'method': return builtin('Callable');
      case 'property': return typeFromName(m.type);
      case 'constant': return m.enum ? { kind: 'enum', owner: m.className, name: m.enum } : INT;
      case 'enum': return { kind: 'enum-ref', owner: m.className, name: m.name, values: m.values.map((v) => v.name) };
      case 'signal': return builtin('Signal');
      default: return VARIANT;
    }
  }

  private member(e: ast.MemberExpr, scope: Scope, usage: 'read' | 'write' | 'statement' | 'receiver'): GdType {
    const object = this.expr(e.object, scope, 'receiver');
    if (object.kind === 'void') this.voidUse(e.object);
    const receiver = e.object.kind === 'Identifier' ? this.lookupLocal(scope, e.object.name, e.object.range) ?? this.lookupClassMember(scope.cls, e.object.name) : undefined;
    this.weakReceiver = receiver?.weak === true;
    const found = this.memberOf(object, e.name, e.nameRange, scope, 'property');
    this.weakReceiver = false;
    if (found.symbol && this.quiet === 0) {
      found.symbol.uses++;
      if (usage === 'read') found.symbol.escapes = true;
    }
    return found.type;
  }

  /**
   * `object.name` on a value of type `object`: its type, reporting names the type does not have.
   * `as` 'method' when the name is called (`object.name()`), with `argCount` for the message.
   */
  private memberOf(object: GdType, name: string, nameRange: Range, scope: Scope, as: 'property' | 'method'): { type: GdType; symbol?: ScriptSymbol; native?: MemberInfo; builtin?: BuiltinCallable } {
    const notFound = (base: string, candidates: string[], weak = false) => {
      const message =
        as === 'method'
          ? `Function "${name}()" not found in base ${base}.${didYouMean(name, candidates, (s) => `"${s}()"`)}`
          : `Cannot find member "${name}" in base "${base}".${didYouMean(name, candidates)}`;
      this.error(as === 'method' ? 'unknown-method' : 'unknown-member', weak ? `${message} (The variable is untyped, so Godot only fails when the line runs.)` : message, nameRange, weak ? 'warning' : 'error');
    };
    switch (object.kind) {
      case 'script':
      case 'script-class-ref': {
        const cls = object.cls;
        const symbol = findScriptMember(cls, name);
        if (symbol) {
          const t = as === 'method' ? this.symbolType(symbol) : this.memberSymbolType(symbol);
          this.record({ range: nameRange, type: t, symbol });
          return { type: symbol.kind === 'function' && as === 'property' ? builtin('Callable') : t, symbol };
        }
        if (object.kind === 'script-class-ref' && name === 'new') return { type: { kind: 'script', cls } };
        if (cls.unknownBase) return { type: VARIANT };
        const native = findMember(cls.nativeBase, name);
        if (native && native.kind !== 'removed') {
          const t = this.nativeMemberType(native);
          this.record({ range: nameRange, type: t, native });
          return { type: t, native };
        }
        if (findGodot3(name, cls.nativeBase)) return { type: VARIANT };
        notFound(cls === this.declared.root && object.kind === 'script' ? SELF_LABEL : cls.name, [...cls.members.keys(), ...membersOf(cls.nativeBase).map((m) => m.name)]);
        return { type: VARIANT };
      }
      case 'object':
      case 'class-ref': {
        const className = object.className;
        if (object.kind === 'class-ref' && name === 'new') {
          const info = findClass(className);
          if (info && !info.instantiable && !info.singleton) this.error('not-instantiable', `Native class "${className}" cannot be constructed as it is abstract.`, nameRange);
          return { type: { kind: 'object', className } };
        }
        const native = findMember(className, name);
        if (native && native.kind !== 'removed') {
          const t = this.nativeMemberType(native);
          this.record({ range: nameRange, type: t, native });
          if (object.kind === 'class-ref' && native.kind === 'method' && !native.static && !findClass(className)?.singleton && as === 'method')
            this.error('non-static-call', `Cannot call non-static function "${name}()" on the class "${className}" directly. Make an instance instead.`, nameRange);
          return { type: t, native };
        }
        if (findGodot3(name, className)) return { type: VARIANT };
        if (as === 'method' && this.preempt({ className, method: name })) return { type: VARIANT };
        // A Node (Resource, …) may be an instance of a subclass the lab does not know, with that name.
        if (object.kind === 'object' && isOpenClass(className)) return { type: VARIANT };
        const weak = object.kind === 'object' && this.weakReceiver;
        notFound(className, membersOf(className).map((m) => m.name), weak);
        return { type: VARIANT };
      }
      case 'builtin': {
        // `dict.key` reads an entry of a Dictionary.
        if (object.name === 'Dictionary' && as === 'property') return { type: VARIANT };
        const methods = builtinMethods(object);
        if (!methods) return { type: VARIANT };
        const method = methods.find((m) => m.name === name);
        if (method) {
          this.record({ range: nameRange, type: builtin('Callable'), builtin: method });
          return { type: builtin('Callable'), builtin: method };
        }
        if (findGodot3(name, object.name) || godot3Method(object.name, name)) return { type: VARIANT };
        if (object.name === 'Signal' || object.name === 'Callable') return { type: VARIANT };
        notFound(object.name, methods.map((m) => m.name), this.weakReceiver);
        return { type: VARIANT };
      }
      case 'enum-ref': {
        if (object.values.includes(name)) {
          const t: GdType = { kind: 'enum', owner: object.owner, name: object.name };
          const native = object.owner === '@GlobalScope' || findClass(object.owner) ? findMember(object.owner, name) : undefined;
          // A value of one of the script's enums: hover and definition show the enum.
          const ownerClass = native ? undefined : object.owner === this.declared.root.name ? this.declared.root : findVisibleClass(this.declared.root, object.owner);
          const symbol = ownerClass ? findScriptMember(ownerClass, object.name) : undefined;
          this.record({ range: nameRange, type: t, native, symbol });
          return { type: t, native };
        }
        if (['keys', 'values', 'size', 'has', 'find_key', 'get'].includes(name)) return { type: VARIANT };
        this.error('unknown-member', `Cannot find member "${name}" in base "${object.name}".${didYouMean(name, object.values)}`, nameRange);
        return { type: VARIANT };
      }
      case 'builtin-ref':
      case 'enum':
      case 'nil':
      case 'variant':
      case 'void':
        return { type: VARIANT };
    }
  }

  /** True while checking a member access whose receiver is an untyped variable (its type is a guess). */
  private weakReceiver = false;

  // ---- calls ----------------------------------------------------------------------------------

  private call(e: ast.CallExpr, scope: Scope): GdType {
    const callee = e.callee;
    let receiverType: GdType = { kind: 'script', cls: scope.cls };
    let receiverSymbol: ScriptSymbol | undefined;
    let method = '';
    let signature: Signature | undefined;
    let result: GdType = VARIANT;
    if (callee.kind === 'Identifier') {
      method = callee.name;
      const resolved = this.callIdentifier(callee, scope);
      signature = resolved.signature;
      result = resolved.result;
      if (resolved.className) receiverType = { kind: 'object', className: resolved.className };
    } else if (callee.kind === 'Member') {
      method = callee.name;
      receiverType = this.expr(callee.object, scope, 'receiver');
      if (receiverType.kind === 'void') this.voidUse(callee.object);
      if (callee.object.kind === 'Identifier') {
        receiverSymbol = this.lookupLocal(scope, callee.object.name, callee.object.range) ?? this.lookupClassMember(scope.cls, callee.object.name);
        if (receiverSymbol && this.quiet === 0) (receiverSymbol.calledMethods ??= new Set()).add(method);
      } else if (callee.object.kind === 'Member' && callee.object.object.kind === 'Self') {
        receiverSymbol = findScriptMember(scope.cls, callee.object.name);
        if (receiverSymbol && this.quiet === 0) (receiverSymbol.calledMethods ??= new Set()).add(method);
      }
      this.weakReceiver = receiverSymbol?.weak === true;
      const found = this.memberOf(receiverType, callee.name, callee.nameRange, scope, 'method');
      this.weakReceiver = false;
      if (found.symbol && this.quiet === 0) found.symbol.uses++;
      ({ signature, result } = this.signatureOf(found, receiverType, callee.name));
    } else if (callee.kind === 'Super') {
      method = this.fnContext?.name ?? '_init';
    } else {
      this.expr(callee, scope);
    }
    const argTypes = e.args.map((a) => {
      const t = this.expr(a, scope);
      if (t.kind === 'void') this.voidUse(a);
      return t;
    });
    if (signature) this.checkArguments(e, method, signature, argTypes, receiverType);
    if (this.quiet === 0)
      this.calls.push({
        call: e, method, receiver: callee.kind === 'Member' ? callee.object : undefined, receiverType, receiverSymbol, argTypes, result,
        functionName: this.fnContext?.name, loops: this.fnContext?.loops.length ? [...this.fnContext.loops] : NO_LOOPS, statement: this.statement,
      });
    this.markSignalUse(method, e, scope);
    this.lastReceiver = receiverType;
    return result;
  }

  /** `emit_signal("x")`, `connect("x", …)`, `has_signal("x")` name a signal by string: that counts as using it. */
  private markSignalUse(method: string, e: ast.CallExpr, scope: Scope): void {
    if (!SIGNAL_BY_NAME.has(method)) return;
    const first = e.args[0];
    if (first?.kind !== 'Literal' || typeof first.value !== 'string') return;
    const symbol = this.lookupClassMember(scope.cls, first.value);
    if (symbol?.kind === 'signal' && this.quiet === 0) symbol.uses++;
  }

  private callIdentifier(callee: ast.IdentifierExpr, scope: Scope): { signature?: Signature; result: GdType; className?: string } {
    const name = callee.name;
    const local = this.lookupLocal(scope, name, callee.range);
    if (local) {
      if (this.quiet === 0) local.uses++;
      this.record({ range: callee.range, type: local.type, symbol: local });
      return { result: VARIANT };
    }
    const member = this.lookupClassMember(scope.cls, name);
    if (member) {
      if (this.quiet === 0) member.uses++;
      const result = member.kind === 'function' ? this.symbolType(member) : VARIANT;
      this.record({ range: callee.range, type: result, symbol: member });
      if (member.kind === 'function' && member.fn) {
        if (scope.isStatic && !member.isStatic && this.fnContext)
          this.error('static-context', `Cannot call non-static function "${name}()" from static function "${this.fnContext.name}()".`, callee.range);
        return { signature: this.scriptSignature(member.fn, member.owner ?? scope.cls), result };
      }
      return { result };
    }
    if (!scope.cls.unknownBase) {
      const native = findMember(scope.cls.nativeBase, name);
      if (native && (native.kind === 'method' || native.kind === 'virtual')) {
        const result = typeFromName(native.returns);
        this.record({ range: callee.range, type: result, native });
        return { signature: native.kind === 'method' && !argumentsChanged(native) ? nativeSignature(native) : undefined, result, className: scope.cls.nativeBase };
      }
    }
    const utility = utilityFunction(name);
    if (utility) {
      this.record({ range: callee.range, type: utility.returns, builtin: utility });
      return { signature: { name, min: utility.min, max: utility.max, params: [] }, result: utility.returns };
    }
    const global = findGlobal(name);
    if (global?.kind === 'method') {
      this.record({ range: callee.range, type: typeFromName(global.returns), native: global });
      return { signature: argumentsChanged(global) ? undefined : nativeSignature(global), result: typeFromName(global.returns) };
    }
    if (isBuiltinTypeName(name)) return { result: builtin(name) };
    const cls = findClass(name);
    if (cls) return { result: VARIANT };
    const inner = findVisibleClass(scope.cls, name);
    if (inner) return { result: VARIANT };
    const godot3 = findGodot3(name);
    if (godot3) this.record({ range: callee.range, type: VARIANT, godot3 });
    if (scope.cls.unknownBase || godot3) return { result: VARIANT };
    if (name === 'preload' || name === 'assert' || name === 'await') return { result: VARIANT };
    const candidates = [...this.visibleNames(scope, callee.range), ...utilityFunctionNames(), ...membersOf('@GDScript').map((m) => m.name), ...membersOf('@GlobalScope').filter((m) => m.kind === 'method').map((m) => m.name)];
    this.error('unknown-function', `Function "${name}()" not found in base ${SELF_LABEL}.${didYouMean(name, candidates, (s) => `"${s}()"`)}`, callee.range);
    return { result: VARIANT };
  }

  private signatureOf(found: { type: GdType; symbol?: ScriptSymbol; native?: MemberInfo; builtin?: BuiltinCallable }, receiver: GdType, name: string): { signature?: Signature; result: GdType } {
    if (found.symbol?.kind === 'function' && found.symbol.fn) {
      const owner = found.symbol.owner ?? this.declared.root;
      return { signature: this.scriptSignature(found.symbol.fn, owner), result: this.symbolType(found.symbol) };
    }
    if (found.native?.kind === 'method') {
      const result = found.native.name === 'duplicate' ? receiver : typeFromName(found.native.returns);
      return { signature: argumentsChanged(found.native) ? undefined : nativeSignature(found.native), result };
    }
    if (found.builtin) return { signature: { name, min: found.builtin.min, max: found.builtin.max, params: [] }, result: found.builtin.returns };
    if (receiver.kind === 'script-class-ref' && name === 'new') {
      const init = findScriptMember(receiver.cls, '_init');
      return { signature: init?.fn ? { ...this.scriptSignature(init.fn, receiver.cls), name: 'new' } : undefined, result: found.type };
    }
    if (receiver.kind === 'class-ref' && name === 'new') return { signature: { name: 'new', min: 0, max: 0, params: [] }, result: found.type };
    // A Callable held in a variable or property: what calling it returns is not known.
    return { result: VARIANT };
  }

  private readonly signatures = new Map<ast.FunctionDecl, Signature>();

  /** The signature of one of the script's functions (its parameter types resolved in its class). */
  private scriptSignature(f: ast.FunctionDecl, owner: ScriptClass): Signature {
    let sig = this.signatures.get(f);
    if (!sig) {
      sig = scriptSignature(f, (t) => this.resolveType(t, owner));
      this.signatures.set(f, sig);
    }
    return sig;
  }

  private checkArguments(e: ast.CallExpr, name: string, sig: Signature, argTypes: GdType[], receiver: GdType): void {
    const n = e.args.length;
    if (n > sig.max) {
      this.error('argument-count', `Too many arguments for "${name}()" call. Expected at most ${sig.max} but received ${n}.`, e.args[sig.max].range.start.line === e.range.end.line ? spanArgs(e.args.slice(sig.max)) : e.range);
      return;
    }
    if (n < sig.min) {
      this.error('argument-count', `Too few arguments for "${name}()" call. Expected at least ${sig.min} but received ${n}.`, e.range);
      return;
    }
    const className = nativeClassOf(receiver) ?? (receiver.kind === 'class-ref' ? receiver.className : undefined);
    sig.params.forEach((p, i) => {
      if (i >= n) return;
      const arg = argTypes[i];
      if (!isKnown(p.type) || !isKnown(arg)) return;
      const ok = assignability(p.type, arg);
      if (ok === 'no') {
        if (className && this.preempt({ className, method: name, argIndex: i, argType: arg })) return;
        this.error('argument-type', `Invalid argument for "${name}()" function: argument ${i + 1} should be "${typeToString(p.type)}" but is "${typeToString(arg)}".`, e.args[i].range);
      } else if (ok === 'narrowing') this.warn('NARROWING_CONVERSION', warningMessage.NARROWING_CONVERSION(), e.args[i].range);
    });
  }
}

function spanArgs(args: ast.Expr[]): Range {
  return { start: args[0].range.start, end: args[args.length - 1].range.end };
}

function literalType(e: ast.LiteralExpr): GdType {
  switch (e.literalKind) {
    case 'int': return INT;
    case 'float': return FLOAT;
    case 'string': return STRING;
    case 'string_name': return builtin('StringName');
    case 'node_path': return builtin('NodePath');
    case 'bool': return BOOL;
    case 'null': return NIL;
  }
}

/** The type of the loop variable of `for x in value`. */
export function elementType(t: GdType): GdType {
  if (t.kind === 'builtin') {
    if (t.name === 'Array') return t.element ?? VARIANT;
    if (t.name === 'int' || t.name === 'PackedByteArray') return INT;
    if (t.name === 'float') return FLOAT;
    if (t.name === 'String' || t.name === 'PackedStringArray') return STRING;
  }
  if (t.kind === 'enum') return INT;
  return VARIANT;
}

/** Whether `a` starts after `b` (a declaration after the use). */
function isAfter(a: Range, b: Range): boolean {
  return a.start.line > b.start.line || (a.start.line === b.start.line && a.start.character > b.start.character);
}

function elseRange(s: ast.IfStatement): Range {
  const body = s.elseBody!;
  return body.length ? { start: body[0].range.start, end: body[body.length - 1].range.end } : s.range;
}

/** `String.to_utf8()` and friends: Godot 3 method names of builtin types (the migrations report them). */
function godot3Method(typeName: string, name: string): boolean {
  return findGodot3(name) !== undefined || findGodot3(`${typeName}.${name}()`) !== undefined;
}

/**
 * Classes whose values are often instances of subclasses (Node, Resource, abstract bases like PacketPeer):
 * a name they lack may belong to the subclass, so it is not reported (Godot checks it when the line runs).
 */
function isOpenClass(className: string): boolean {
  const info = findClass(className);
  return !info || (!info.instantiable && !info.singleton) || ['Object', 'RefCounted', 'Resource', 'Node'].includes(className);
}

/** What a global name is, for SHADOWED_GLOBAL_IDENTIFIER, in Godot's words (global constants are not checked). */
function globalKind(name: string): string | undefined {
  if (utilityFunction(name) || findGlobal(name)?.kind === 'method') return 'built-in function';
  if ((findClass(name) && !name.startsWith('@')) || isUnemulatedGodotClass(name)) return 'global class';
  if (isBuiltinTypeName(name)) return 'built-in type';
  return undefined;
}

const LOCAL_KIND_WORDS: Partial<Record<SymbolKind, string>> = {
  'local-variable': 'variable', 'local-constant': 'constant', parameter: 'parameter', 'for-variable': 'for loop variable',
  'pattern-binding': 'bind',
};
const MEMBER_KIND_WORDS: Partial<Record<SymbolKind, string>> = {
  variable: 'variable', constant: 'constant', function: 'function', signal: 'signal', enum: 'enum', 'enum-value': 'enum member', class: 'class',
};
const NATIVE_KIND_WORDS: Record<string, string> = { method: 'method', property: 'property', constant: 'constant', signal: 'signal', enum: 'enum' };

