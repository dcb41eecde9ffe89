// Compiles a parsed script (ast.ts) into bytecode (bytecode.ts).
//
// A script is a class, and may contain inner classes; each becomes a CompiledClass. Names are
// resolved here where possible: locals become slots, members become member slots (or accessor
// calls), constants are folded, calls to the class's own functions are bound by name for virtual
// dispatch. Anything unknown (native classes, singletons, methods and properties of the native base
// class) is looked up at run time through the Host.

import type * as ast from './ast';
import {
  ConvertMode, Op, type CompiledClass, type CompiledFunction, type CompiledScript, type MemberInfo, type PropertyInfo,
} from './bytecode';
import { GLOBAL_CONSTANTS, isUtilityFunction, isGlobalConstant } from './globals';
import { BinOp, binaryOperation, binOpFromSymbol, UnOp, unaryOperation } from './operators';
import { spanRanges, type Range, type SyntaxProblem } from './range';
import { typeSpecFromNode, simpleType, type TypeResolver, type TypeSpec } from './types';
import { GdArray, GdBuiltinValue, GdDictionary, GdNodePath, GdStringName, makeFloat, VariantType, type Value } from './values';

export function compileScript(script: ast.ScriptNode): CompiledScript {
  return new ScriptCompiler(script).compile();
}

const UNARY_OPS: Record<ast.UnaryOperator, UnOp> = { '-': UnOp.Negate, '+': UnOp.Positive, not: UnOp.Not, '~': UnOp.BitNot };

interface LocalInfo {
  slot: number;
  isConst: boolean;
  type: TypeSpec | undefined;
}

interface LoopInfo {
  breaks: number[];
  continues: number[];
}

/** What the compiler knows about a function before its body is compiled. */
interface MethodInfo {
  name: string;
  isStatic: boolean;
  /** The class that declares it. */
  owner: ClassCompiler;
  params: ast.Parameter[];
}

/** Literal values as constants (folding const initializers, enum values). */
function literalValue(e: ast.LiteralExpr): Value {
  switch (e.literalKind) {
    case 'float': return makeFloat(e.value as number);
    case 'string_name': return GdStringName.of(e.value as string);
    case 'node_path': return GdNodePath.of(e.value as string);
    default: return e.value as Value;
  }
}

// ---- the script --------------------------------------------------------------------------------

class ScriptCompiler {
  readonly problems: SyntaxProblem[] = [];
  readonly classes: ClassCompiler[] = [];

  constructor(readonly script: ast.ScriptNode) {}

  problem(message: string, range: Range): void {
    this.problems.push({ message, range });
  }

  compile(): CompiledScript {
    const main = new ClassCompiler(this, this.script, this.script.className, undefined, this.script.range);
    this.collect(main);
    for (const c of this.classes) this.resolveParent(c);
    const declared = new Set<ClassCompiler>();
    const declare = (c: ClassCompiler): void => {
      if (declared.has(c)) return;
      declared.add(c);
      if (c.outer) declare(c.outer);
      if (c.parentCompiler) declare(c.parentCompiler);
      c.declare();
    };
    for (const c of this.classes) declare(c);
    for (const c of this.classes) c.compileFunctions();
    const linked = new Set<ClassCompiler>();
    const link = (c: ClassCompiler): void => {
      if (linked.has(c)) return;
      linked.add(c);
      if (c.parentCompiler) link(c.parentCompiler);
      c.link();
    };
    for (const c of this.classes) link(c);
    const m = main.cls;
    return {
      main: m,
      classes: this.classes.map((c) => c.cls),
      problems: this.problems,
      className: m.name,
      extendsName: m.extendsName,
      extendsRange: m.extendsRange,
      range: m.range,
    };
  }

  private collect(c: ClassCompiler): void {
    c.cls.index = this.classes.length;
    this.classes.push(c);
    for (const m of c.body.members) {
      if (m.kind !== 'Class') continue;
      if (c.innerCompilers.has(m.name)) {
        this.problem(`There is already a member named "${m.name}" in this class.`, m.nameRange ?? m.range);
        continue;
      }
      const inner = new ClassCompiler(this, m.body, m.name, c, m.range);
      c.innerCompilers.set(m.name, inner);
      this.collect(inner);
    }
  }

  /** Finds a script class by a (possibly dotted) name, as seen from class `from`. */
  findClass(name: string, from: ClassCompiler): ClassCompiler | undefined {
    const [first, ...rest] = name.split('.');
    let found: ClassCompiler | undefined;
    for (let scope: ClassCompiler | undefined = from; scope && !found; scope = scope.outer) {
      found = scope.innerCompilers.get(first);
      // Inner classes of a script base class are visible too.
      for (let p = scope.parentCompiler; p && !found; p = p.parentCompiler) found = p.innerCompilers.get(first);
      if (!found && scope.name === first && scope.outer === undefined) found = scope;
    }
    for (const part of rest) found = found?.innerCompilers.get(part);
    return found;
  }

  private resolveParent(c: ClassCompiler): void {
    const name = c.body.extendsName;
    if (!name) return;
    if (c.body.extendsPath) {
      this.problem(`Cannot extend "${name}": the lab runs one script on its own and cannot load other script files.`, c.body.extendsRange ?? c.range);
      return;
    }
    const parent = this.findClass(name, c.outer ?? c);
    if (!parent || parent === c) {
      if (parent === c) this.problem(`Cyclic inheritance.`, c.body.extendsRange ?? c.range);
      return;
    }
    for (let p: ClassCompiler | undefined = parent; p; p = p.parentCompiler) {
      if (p === c) {
        this.problem(`Cyclic inheritance.`, c.body.extendsRange ?? c.range);
        return;
      }
    }
    if (c.outer === undefined) {
      this.problem(`Cannot extend "${name}": a script cannot extend its own inner class.`, c.body.extendsRange ?? c.range);
      return;
    }
    c.parentCompiler = parent;
  }
}

// ---- one class -------------------------------------------------------------------------------

class ClassCompiler {
  readonly cls: CompiledClass;
  readonly innerCompilers = new Map<string, ClassCompiler>();
  parentCompiler: ClassCompiler | undefined;
  /** Functions callable on this class (own and inherited), by name. */
  readonly methodInfo = new Map<string, MethodInfo>();
  /** Own function declarations. */
  private readonly functionDecls: ast.FunctionDecl[] = [];
  /** Own enums, and inherited ones (for type annotations). */
  readonly enumNames = new Set<string>();
  /** Accessor function name → property (own and inherited): inside it the property is read directly. */
  readonly accessorOf = new Map<string, string>();
  /** Own static var declarations in order. */
  private readonly staticDecls: ast.VarStatement[] = [];
  /** Own instance var declarations in order. */
  private readonly varDecls: ast.VarStatement[] = [];
  /** Own constants that could not be folded: read-only instance slots set by the initializer. */
  private readonly lateConsts: ast.ConstStatement[] = [];
  /** Own members declared so far (duplicate check). */
  private readonly ownNames = new Set<string>();

  constructor(
    readonly sc: ScriptCompiler,
    readonly body: ast.ClassBody,
    readonly name: string | undefined,
    readonly outer: ClassCompiler | undefined,
    readonly range: Range,
  ) {
    const dummy = (): CompiledFunction => emptyFunction(range);
    this.cls = {
      index: -1, name, parent: undefined, outer: outer?.cls, nativeBase: undefined,
      extendsName: body.extendsName, extendsRange: body.extendsRange, range,
      functions: new Map(), methods: new Map(), members: [], memberIndex: new Map(), properties: new Map(),
      constants: new Map(), staticVars: [], staticIndex: new Map(), signals: new Map(), innerClasses: new Map(),
      initializer: dummy(), readyInitializer: undefined, staticInitializer: undefined,
    };
  }

  get displayName(): string {
    return this.name ?? this.cls.nativeBase ?? 'RefCounted';
  }

  problem(message: string, range: Range): void {
    this.sc.problem(message, range);
  }

  /** Type annotations: script classes and enums by name. */
  readonly resolveType: TypeResolver = (name) => {
    const c = this.sc.findClass(name, this);
    if (c) return { kind: 'class', index: c.cls.index, name: c.displayName };
    const parts = name.split('.');
    const last = parts.pop() as string;
    if (parts.length === 0) {
      for (let s: ClassCompiler | undefined = this; s; s = s.outer) if (s.enumNames.has(name)) return { kind: 'enum' };
      return undefined;
    }
    const owner = this.sc.findClass(parts.join('.'), this);
    if (owner?.enumNames.has(last)) return { kind: 'enum' };
    return undefined;
  };

  typeOf(node: ast.TypeNode | undefined): TypeSpec | undefined {
    if (!node) return undefined;
    const t = typeSpecFromNode(node, this.resolveType);
    return t.variant === undefined ? undefined : t;
  }

  private isDeclared(name: string): boolean {
    const c = this.cls;
    return c.memberIndex.has(name) || c.constants.has(name) || this.methodInfo.has(name) || c.signals.has(name) ||
      c.staticIndex.has(name) || this.innerCompilers.has(name);
  }

  private declareName(name: string, range: Range, isFunction = false): boolean {
    if (this.ownNames.has(name)) {
      this.problem(`There is already a member named "${name}" in this class.`, range);
      return false;
    }
    if (!isFunction && this.isDeclared(name) && this.parentCompiler) {
      this.problem(`The member "${name}" already exists in parent class ${this.parentCompiler.displayName}.`, range);
      return false;
    }
    if (isFunction && this.parentCompiler && this.isDeclared(name) && !this.methodInfo.has(name)) {
      this.problem(`The member "${name}" already exists in parent class ${this.parentCompiler.displayName}.`, range);
      return false;
    }
    this.ownNames.add(name);
    return true;
  }

  /** Pass 1: members, constants, signals, function signatures (the parent is declared already). */
  declare(): void {
    const c = this.cls;
    const parent = this.parentCompiler;
    if (parent) {
      const p = parent.cls;
      c.parent = p;
      c.nativeBase = p.nativeBase;
      c.members.push(...p.members);
      for (const [k, v] of p.memberIndex) c.memberIndex.set(k, v);
      for (const [k, v] of p.properties) c.properties.set(k, v);
      for (const [k, v] of p.constants) c.constants.set(k, v);
      for (const [k, v] of p.signals) c.signals.set(k, v);
      for (const [k, v] of parent.methodInfo) this.methodInfo.set(k, v);
      for (const e of parent.enumNames) this.enumNames.add(e);
      for (const [k, v] of parent.accessorOf) this.accessorOf.set(k, v);
    } else {
      c.nativeBase = this.body.extendsName && !this.body.extendsPath ? this.body.extendsName : undefined;
      if (this.outer && c.nativeBase && this.sc.findClass(c.nativeBase, this.outer)) c.nativeBase = undefined;
    }
    for (const [name, inner] of this.innerCompilers) c.innerClasses.set(name, inner.cls);
    const members = this.body.members;
    for (const m of members) if (m.kind === 'Enum' && m.name) this.enumNames.add(m.name);
    for (const m of members) {
      switch (m.kind) {
        case 'Enum':
          this.declareEnum(m);
          break;
        case 'Const': {
          if (!this.declareName(m.name, m.nameRange)) break;
          const folded = this.fold(m.initializer);
          if (folded !== undefined) {
            c.constants.set(m.name, folded);
          } else {
            this.addMember(m.name, this.typeOf(m.type), true, m.range);
            this.lateConsts.push(m);
          }
          break;
        }
        case 'Var': {
          if (!this.declareName(m.name, m.nameRange)) break;
          const type = this.typeOf(m.type) ?? (m.inferType && m.initializer ? inferLiteralType(m.initializer) : undefined);
          if (m.isStatic) {
            c.staticIndex.set(m.name, c.staticVars.length);
            c.staticVars.push({ name: m.name, type, isConst: false, range: m.range });
            this.staticDecls.push(m);
            if (m.setter || m.getter) this.problem('Static variables cannot have setters or getters in the lab yet.', m.nameRange);
          } else {
            this.addMember(m.name, type, false, m.range);
            this.varDecls.push(m);
            // Accessors are called by name (virtual): inline ones are the functions "@x_setter"/"@x_getter".
            const info = c.properties.get(m.name) as PropertyInfo;
            if (m.setter) {
              const name = m.setter.kind === 'NamedAccessor' ? m.setter.name : `@${m.name}_setter`;
              info.setter = { method: name };
              this.accessorOf.set(name, m.name);
            }
            if (m.getter) {
              const name = m.getter.kind === 'NamedAccessor' ? m.getter.name : `@${m.name}_getter`;
              info.getter = { method: name };
              this.accessorOf.set(name, m.name);
            }
          }
          break;
        }
        case 'Function':
          if (!this.declareName(m.name, m.nameRange, true)) break;
          this.functionDecls.push(m);
          this.methodInfo.set(m.name, { name: m.name, isStatic: m.isStatic, owner: this, params: m.params });
          break;
        case 'Signal':
          if (this.declareName(m.name, m.nameRange ?? m.range)) {
            c.signals.set(m.name, { name: m.name, params: m.params.map((p) => p.name), range: m.range });
          }
          break;
        case 'Class':
          break;
      }
    }
    for (const m of this.varDecls) {
      for (const [accessor, kind] of [[m.setter, 'setter'], [m.getter, 'getter']] as const) {
        if (accessor?.kind === 'NamedAccessor' && !this.methodInfo.has(accessor.name)) {
          this.problem(`Could not find the ${kind} function "${accessor.name}()" for property "${m.name}".`, accessor.range);
        }
      }
    }
  }

  private addMember(name: string, type: TypeSpec | undefined, isConst: boolean, range: Range): void {
    const c = this.cls;
    const slot = c.members.length;
    c.memberIndex.set(name, slot);
    c.members.push({ name, type, isConst, range });
    c.properties.set(name, { slot });
  }

  private declareEnum(e: ast.EnumDecl): void {
    let next = 0;
    const dict = new GdDictionary();
    for (const v of e.values) {
      let value = next;
      if (v.value) {
        const folded = this.fold(v.value, dict);
        if (typeof folded === 'number') value = folded;
        else this.problem('Enum values must be constant integers.', v.value.range);
      }
      next = value + 1;
      dict.set(v.name, value);
      if (!e.name) {
        if (this.declareName(v.name, v.range)) this.cls.constants.set(v.name, value);
      }
    }
    dict.readOnly = true;
    if (e.name && this.declareName(e.name, e.range)) this.cls.constants.set(e.name, dict);
  }

  /** A constant visible from this class: own/inherited, then the enclosing classes'. */
  lookupConstant(name: string): Value | undefined {
    for (let s: ClassCompiler | undefined = this; s; s = s.outer) {
      if (s.cls.constants.has(name)) return s.cls.constants.get(name);
    }
    return undefined;
  }

  /** Constant folding for const/enum initializers; undefined when not a compile-time constant. */
  fold(e: ast.Expr, enumScope?: GdDictionary): Value | undefined {
    try {
      switch (e.kind) {
        case 'Literal':
          return literalValue(e);
        case 'Identifier': {
          const inEnum = enumScope?.get(e.name);
          if (inEnum !== undefined) return inEnum;
          const k = this.lookupConstant(e.name);
          if (k !== undefined) return k;
          if (isGlobalConstant(e.name)) return GLOBAL_CONSTANTS[e.name];
          return undefined;
        }
        case 'Member': {
          if (e.object.kind === 'Identifier') {
            const cls = this.sc.findClass(e.object.name, this);
            if (cls) return cls.cls.constants.get(e.name);
          }
          const obj = this.fold(e.object, enumScope);
          if (obj instanceof GdDictionary && obj.readOnly) return obj.get(e.name);
          return undefined;
        }
        case 'Unary': {
          const v = this.fold(e.operand, enumScope);
          return v === undefined ? undefined : unaryOperation(UNARY_OPS[e.operator], v);
        }
        case 'Binary': {
          if (e.operator === 'and' || e.operator === 'or' || e.operator === 'in' || e.operator === 'not in') return undefined;
          const a = this.fold(e.left, enumScope);
          const b = this.fold(e.right, enumScope);
          if (a === undefined || b === undefined) return undefined;
          return binaryOperation(binOpFromSymbol(e.operator), a, b);
        }
        case 'Array': {
          const items: Value[] = [];
          for (const el of e.elements) {
            const v = this.fold(el, enumScope);
            if (v === undefined) return undefined;
            items.push(v);
          }
          const arr = new GdArray(items);
          arr.readOnly = true;
          return arr;
        }
        case 'Dictionary': {
          const d = new GdDictionary();
          for (const entry of e.entries) {
            const k = this.fold(entry.key, enumScope);
            const v = this.fold(entry.value, enumScope);
            if (k === undefined || v === undefined) return undefined;
            d.set(k, v);
          }
          d.readOnly = true;
          return d;
        }
        default:
          return undefined;
      }
    } catch {
      return undefined; // e.g. division by zero: leave it to run time
    }
  }

  /** Pass 2: function bodies, accessors and initializers. */
  compileFunctions(): void {
    const c = this.cls;
    for (const f of this.functionDecls) {
      const fc = new FunctionCompiler(this, f.name, f.range, f.isStatic, undefined, this.accessorOf.get(f.name));
      fc.compileBody(f.params, f.body, this.typeOf(f.returnType));
      const compiled = fc.finish(f.params);
      c.functions.set(f.name, compiled);
      if (f.name === '_static_init' && !f.isStatic) this.problem('The "_static_init()" function must be static.', f.nameRange);
      if (f.name === '_init' && f.isStatic) this.problem('The "_init()" function cannot be static.', f.nameRange);
    }
    for (const m of this.varDecls) {
      const info = c.properties.get(m.name) as PropertyInfo;
      const type = c.members[info.slot].type;
      void info;
      if (m.setter?.kind === 'InlineAccessor') {
        const name = `@${m.name}_setter`;
        const fc = new FunctionCompiler(this, name, m.setter.range, false, undefined, m.name);
        const param = m.setter.parameter ?? { kind: 'Parameter', name: 'value', type: undefined, inferType: false, defaultValue: undefined, range: m.setter.range };
        fc.compileBody([param], m.setter.body, undefined, type);
        c.functions.set(name, fc.finish([param]));
      }
      if (m.getter?.kind === 'InlineAccessor') {
        const name = `@${m.name}_getter`;
        const fc = new FunctionCompiler(this, name, m.getter.range, false, undefined, m.name);
        fc.compileBody([], m.getter.body, type);
        c.functions.set(name, fc.finish([]));
      }
    }
    const init = new FunctionCompiler(this, '@implicit_new', this.range, false, undefined, undefined);
    init.compileInitializer(this.lateConsts, this.varDecls.filter((v) => !isOnready(v)));
    c.initializer = init.finish([]);
    const ready = this.varDecls.filter(isOnready);
    if (ready.length) {
      const fc = new FunctionCompiler(this, '@implicit_ready', this.range, false, undefined, undefined);
      fc.compileInitializer([], ready);
      c.readyInitializer = fc.finish([]);
    }
    if (this.staticDecls.some((v) => v.initializer) || this.functionDecls.some((f) => f.name === '_static_init' && f.isStatic)) {
      const fc = new FunctionCompiler(this, '@static_initializer', this.range, true, undefined, undefined);
      fc.compileStaticInitializer(this.staticDecls, this.functionDecls.some((f) => f.name === '_static_init' && f.isStatic));
      c.staticInitializer = fc.finish([]);
    }
  }

  /** Pass 3: the virtual table (after the parent's). */
  link(): void {
    const c = this.cls;
    if (c.parent) for (const [k, v] of c.parent.methods) c.methods.set(k, v);
    for (const [k, v] of c.functions) c.methods.set(k, v);
    // Inherited properties whose accessors are inline functions of the parent keep them; named
    // accessors are looked up by name on the object's class at run time.
  }
}

function isOnready(v: ast.VarStatement): boolean {
  return v.annotations.some((a) => a.name === 'onready');
}

function emptyFunction(range: Range): CompiledFunction {
  return {
    name: '@empty', code: Int32Array.from([Op.Null, Op.Return]), consts: [], names: [], types: [], lambdas: [],
    ranges: [range, range], statementRanges: [range, range], localCount: 0, paramCount: 0, requiredParams: 0,
    isStatic: false, range, classIndex: 0, paramNames: [], jit: undefined, hotness: 0,
  };
}

/** The static type implied by `var x := <literal>` (so that later float assignments stay ints, like Godot). */
function inferLiteralType(e: ast.Expr): TypeSpec | undefined {
  if (e.kind === 'Literal') {
    if (e.literalKind === 'int') return simpleType('int');
    if (e.literalKind === 'float') return simpleType('float');
    if (e.literalKind === 'bool') return simpleType('bool');
    if (e.literalKind === 'string') return simpleType('String');
  }
  return undefined;
}

function isTypedArray(t: TypeSpec | undefined): t is TypeSpec {
  return t !== undefined && t.variant === VariantType.ARRAY && t.elementType !== undefined;
}

// ---- one function -------------------------------------------------------------------------------

class FunctionCompiler {
  private readonly code: number[] = [];
  private readonly ranges: (Range | undefined)[] = [];
  private readonly statementRanges: (Range | undefined)[] = [];
  private readonly consts: Value[] = [];
  private readonly constIndex = new Map<unknown, number>();
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  private readonly types: TypeSpec[] = [];
  private readonly lambdas: CompiledFunction[] = [];
  private readonly scopes: Map<string, LocalInfo>[] = [new Map()];
  private readonly captured = new Map<string, LocalInfo>();
  /** (lambda slot, parent slot) pairs for MakeLambda. */
  readonly captures: [number, number][] = [];
  private readonly loops: LoopInfo[] = [];
  private localCount = 0;
  private statementRange: Range;
  private returnType: TypeSpec | undefined;
  private readonly sc: ScriptCompiler;

  constructor(
    private readonly cc: ClassCompiler,
    private readonly name: string,
    private readonly range: Range,
    private readonly isStatic: boolean,
    private readonly parent: FunctionCompiler | undefined,
    /** For accessor functions: the property they access directly. */
    private readonly accessorFor: string | undefined,
  ) {
    this.statementRange = range;
    this.sc = cc.sc;
  }

  /** The function this code belongs to, for messages ("from the static function f()"): lambdas report their parent. */
  private get ownerName(): string {
    return this.parent ? this.parent.ownerName : this.name;
  }

  // ---- emitting -----------------------------------------------------------------------------

  private emit(range: Range, op: Op, ...operands: number[]): number {
    const at = this.code.length;
    this.ranges[at] = range;
    this.statementRanges[at] = this.statementRange;
    this.code.push(op, ...operands);
    return at;
  }
  /** Emits a jump with a placeholder target; returns the operand position to patch. */
  private emitJump(range: Range, op: Op.Jump | Op.JumpIfFalse | Op.JumpIfTrue): number {
    this.emit(range, op, -1);
    return this.code.length - 1;
  }
  private patch(operandPos: number, target = this.code.length): void {
    this.code[operandPos] = target;
  }
  private get here(): number {
    return this.code.length;
  }
  private constant(v: Value): number {
    const key = typeof v === 'object' && v !== null ? undefined : typeof v + ':' + String(v);
    if (key !== undefined) {
      const existing = this.constIndex.get(key);
      if (existing !== undefined) return existing;
    }
    this.consts.push(v);
    if (key !== undefined) this.constIndex.set(key, this.consts.length - 1);
    return this.consts.length - 1;
  }
  private name_(n: string): number {
    let i = this.nameIndex.get(n);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(n);
      this.nameIndex.set(n, i);
    }
    return i;
  }
  private type(t: TypeSpec): number {
    this.types.push(t);
    return this.types.length - 1;
  }
  private emitConst(range: Range, v: Value): void {
    if (v === null) this.emit(range, Op.Null);
    else if (v === true) this.emit(range, Op.True);
    else if (v === false) this.emit(range, Op.False);
    else this.emit(range, Op.Const, this.constant(v));
  }
  /** Emits a runtime error; `report` also lists it with the syntax errors (a static problem). */
  private fail(range: Range, message: string, report = true): void {
    if (report) this.sc.problem(message, range);
    this.emit(range, Op.Fail, this.constant(message));
  }

  // ---- scopes ---------------------------------------------------------------------------

  private newSlot(): number {
    return this.localCount++;
  }
  private pushScope(): void {
    this.scopes.push(new Map());
  }
  private popScope(): void {
    this.scopes.pop();
  }
  private declareLocal(name: string, range: Range, isConst: boolean, type: TypeSpec | undefined): LocalInfo {
    const scope = this.scopes[this.scopes.length - 1];
    if (scope.has(name)) this.sc.problem(`There is already a variable named "${name}" declared in this scope.`, range);
    const info: LocalInfo = { slot: this.newSlot(), isConst, type };
    scope.set(name, info);
    return info;
  }
  lookupLocal(name: string): LocalInfo | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const info = this.scopes[i].get(name);
      if (info) return info;
    }
    const cap = this.captured.get(name);
    if (cap) return cap;
    if (this.parent) {
      const outer = this.parent.lookupLocal(name);
      if (outer) {
        // Lambdas capture enclosing locals by value when they are created (like Godot 4).
        const info: LocalInfo = { slot: this.newSlot(), isConst: outer.isConst, type: outer.type };
        this.captured.set(name, info);
        this.captures.push([info.slot, outer.slot]);
        return info;
      }
    }
    return undefined;
  }

  // ---- functions ------------------------------------------------------------------------

  compileBody(params: ast.Parameter[], body: ast.Statement[], returnType: TypeSpec | undefined, firstParamType?: TypeSpec): void {
    this.returnType = returnType;
    const paramInfos = params.map((p, i) => {
      const type = this.cc.typeOf(p.type) ?? (p.inferType && p.defaultValue ? inferLiteralType(p.defaultValue) : undefined) ??
        (i === 0 ? firstParamType : undefined);
      return this.declareLocal(p.name, p.range, false, type);
    });
    params.forEach((p, i) => {
      const info = paramInfos[i];
      this.statementRange = p.range;
      if (p.defaultValue) {
        this.emit(p.range, Op.JumpIfArg, i, -1);
        const patchAt = this.code.length - 1;
        this.valueFor(p.defaultValue, info.type, p.range);
        this.emit(p.range, Op.StoreLocal, info.slot);
        this.patch(patchAt);
      }
      if (info.type) {
        this.emit(p.range, Op.LoadLocal, info.slot);
        this.emit(p.range, Op.Convert, this.type(info.type), ConvertMode.Argument, i);
        this.emit(p.range, Op.StoreLocal, info.slot);
      }
    });
    this.block(body);
    this.statementRange = this.range;
    const endRange = body.length ? { start: body[body.length - 1].range.end, end: body[body.length - 1].range.end } : this.range;
    this.emit(endRange, Op.Null);
    this.emit(endRange, Op.Return);
  }

  /** Member initializers (not the parent's), in declaration order. */
  compileInitializer(lateConsts: ast.ConstStatement[], vars: ast.VarStatement[]): void {
    const c = this.cc.cls;
    for (const m of [...lateConsts, ...vars]) {
      const slot = c.memberIndex.get(m.name);
      if (slot === undefined || !m.initializer) continue;
      const info = c.members[slot];
      this.statementRange = m.range;
      this.valueFor(m.initializer, info.type, m.range);
      this.emit(m.range, Op.StoreMember, slot);
    }
    this.statementRange = this.range;
    this.emit(this.range, Op.Null);
    this.emit(this.range, Op.Return);
  }

  compileStaticInitializer(vars: ast.VarStatement[], callStaticInit: boolean): void {
    const c = this.cc.cls;
    for (const m of vars) {
      const slot = c.staticIndex.get(m.name);
      if (slot === undefined || !m.initializer) continue;
      this.statementRange = m.range;
      this.valueFor(m.initializer, c.staticVars[slot].type, m.range);
      this.emit(m.range, Op.StoreStatic, c.index, slot);
    }
    this.statementRange = this.range;
    if (callStaticInit) {
      this.emit(this.range, Op.CallFunction, c.index, this.name_('_static_init'), 0);
      this.emit(this.range, Op.Pop);
    }
    this.emit(this.range, Op.Null);
    this.emit(this.range, Op.Return);
  }

  finish(params: ast.Parameter[]): CompiledFunction {
    return {
      name: this.name,
      code: Int32Array.from(this.code),
      consts: this.consts,
      names: this.names,
      types: this.types,
      lambdas: this.lambdas,
      ranges: this.ranges,
      statementRanges: this.statementRanges,
      localCount: this.localCount,
      paramCount: params.length,
      requiredParams: params.filter((p) => !p.defaultValue).length,
      isStatic: this.isStatic,
      range: this.range,
      classIndex: this.cc.cls.index,
      paramNames: params.map((p) => p.name),
      jit: undefined,
      hotness: 0,
    };
  }

  /** Evaluates `e` for storage in a variable of type `t`: typed array literals become typed arrays. */
  private valueFor(e: ast.Expr, t: TypeSpec | undefined, range: Range): void {
    this.expression(e);
    if (!t) return;
    if (isTypedArray(t) && e.kind === 'Array') this.emit(range, Op.TypeArray, this.type(t));
    else this.emit(range, Op.Convert, this.type(t), ConvertMode.Variable, 0);
  }

  // ---- statements -----------------------------------------------------------------------

  private block(statements: ast.Statement[]): void {
    this.pushScope();
    for (const s of statements) this.statement(s);
    this.popScope();
  }

  private statement(s: ast.Statement): void {
    this.statementRange = s.range;
    switch (s.kind) {
      case 'Var': {
        const declared = this.cc.typeOf(s.type) ?? (s.inferType && s.initializer ? inferLiteralType(s.initializer) : undefined);
        if (s.isStatic) this.sc.problem('"static" can only be used for class members, not inside a function.', s.range);
        if (s.initializer) {
          this.valueFor(s.initializer, declared, s.range);
        } else if (declared) {
          this.emit(s.range, Op.PushDefault, this.type(declared));
        } else {
          this.emit(s.range, Op.Null);
        }
        const info = this.declareLocal(s.name, s.nameRange, false, declared);
        this.emit(s.range, Op.StoreLocal, info.slot);
        return;
      }
      case 'Const': {
        const type = this.cc.typeOf(s.type);
        this.valueFor(s.initializer, type, s.range);
        const info = this.declareLocal(s.name, s.nameRange, true, type);
        this.emit(s.range, Op.StoreLocal, info.slot);
        return;
      }
      case 'Assign':
        this.assignment(s);
        return;
      case 'Expression':
        this.expression(s.expression);
        this.emit(s.range, Op.Pop);
        return;
      case 'If': {
        const ends: number[] = [];
        for (const branch of s.branches) {
          this.statementRange = spanRanges(branch.range, branch.condition.range);
          this.expression(branch.condition);
          const next = this.emitJump(branch.condition.range, Op.JumpIfFalse);
          this.block(branch.body);
          this.statementRange = spanRanges(branch.range, branch.condition.range);
          if (branch !== s.branches[s.branches.length - 1] || s.elseBody) ends.push(this.emitJump(branch.condition.range, Op.Jump));
          this.patch(next);
        }
        if (s.elseBody) this.block(s.elseBody);
        for (const e of ends) this.patch(e);
        return;
      }
      case 'While': {
        const header = spanRanges(s.range, s.condition.range);
        this.statementRange = header;
        const top = this.here;
        this.expression(s.condition);
        const exit = this.emitJump(s.condition.range, Op.JumpIfFalse);
        const loop = this.beginLoop();
        this.block(s.body);
        this.statementRange = header;
        this.emit(header, Op.Jump, top);
        this.endLoop(loop, top, this.here);
        this.patch(exit);
        return;
      }
      case 'For':
        this.forLoop(s);
        return;
      case 'Break': {
        const loop = this.loops[this.loops.length - 1];
        if (!loop) {
          this.fail(s.range, 'Cannot use "break" outside of a loop.', false);
          return;
        }
        loop.breaks.push(this.emitJump(s.range, Op.Jump));
        return;
      }
      case 'Continue': {
        const loop = this.loops[this.loops.length - 1];
        if (!loop) {
          this.fail(s.range, 'Cannot use "continue" outside of a loop.', false);
          return;
        }
        loop.continues.push(this.emitJump(s.range, Op.Jump));
        return;
      }
      case 'Pass':
      case 'Breakpoint':
        return;
      case 'Return':
        if (s.value) {
          if (this.returnType && isTypedArray(this.returnType) && s.value.kind === 'Array') {
            this.expression(s.value);
            this.emit(s.range, Op.TypeArray, this.type(this.returnType));
          } else {
            this.expression(s.value);
          }
        } else {
          this.emit(s.range, Op.Null);
        }
        if (this.returnType && this.returnType.name !== 'void') this.emit(s.range, Op.Convert, this.type(this.returnType), ConvertMode.Return, 0);
        this.emit(s.range, Op.Return);
        return;
      case 'Assert':
        this.expression(s.condition);
        if (s.message) this.expression(s.message);
        this.emit(s.range, Op.Assert, s.message ? 1 : 0);
        return;
      case 'Match':
        this.match(s);
        return;
    }
  }

  private beginLoop(): LoopInfo {
    const loop: LoopInfo = { breaks: [], continues: [] };
    this.loops.push(loop);
    return loop;
  }
  private endLoop(loop: LoopInfo, continueTarget: number, breakTarget: number): void {
    this.loops.pop();
    for (const c of loop.continues) this.patch(c, continueTarget);
    for (const b of loop.breaks) this.patch(b, breakTarget);
  }

  private forLoop(s: ast.ForStatement): void {
    const header = spanRanges(s.range, s.iterable.range);
    this.statementRange = header;
    const iterSlot = this.newSlot();
    const it = s.iterable;
    if (
      it.kind === 'Call' && it.callee.kind === 'Identifier' && it.callee.name === 'range' &&
      it.args.length >= 1 && it.args.length <= 3 && !this.isShadowed('range')
    ) {
      // `for i in range(...)` iterates lazily instead of building an Array.
      for (const a of it.args) this.expression(a);
      this.emit(it.range, Op.RangeBegin, iterSlot, it.args.length);
    } else {
      this.expression(it);
      this.emit(it.range, Op.IterBegin, iterSlot);
    }
    this.pushScope();
    const type = this.cc.typeOf(s.variableType);
    const variable = this.declareLocal(s.variable, s.variableRange, false, type);
    const top = this.here;
    this.emit(header, Op.IterNext, iterSlot, variable.slot, -1);
    const exitOperand = this.code.length - 1;
    if (type) {
      this.emit(s.variableRange, Op.LoadLocal, variable.slot);
      this.emit(s.variableRange, Op.Convert, this.type(type), ConvertMode.Variable, 0);
      this.emit(s.variableRange, Op.StoreLocal, variable.slot);
    }
    const loop = this.beginLoop();
    this.block(s.body);
    this.statementRange = header;
    this.emit(header, Op.Jump, top);
    this.endLoop(loop, top, this.here);
    this.patch(exitOperand);
    this.popScope();
  }

  private isShadowed(name: string): boolean {
    return this.lookupLocal(name) !== undefined || this.cc.methodInfo.has(name) || this.cc.cls.memberIndex.has(name);
  }

  private match(s: ast.MatchStatement): void {
    const header = spanRanges(s.range, s.subject.range);
    this.statementRange = header;
    const subject = this.newSlot();
    this.expression(s.subject);
    this.emit(s.subject.range, Op.StoreLocal, subject);
    const ends: number[] = [];
    for (const branch of s.branches) {
      this.statementRange = branch.range;
      this.pushScope();
      if (branch.patterns.length > 1) {
        for (const p of branch.patterns) {
          if (hasBinding(p)) this.sc.problem('Cannot use a variable bind with multiple patterns.', p.range);
        }
      }
      const toBody: number[] = [];
      let nextBranch: number[] = [];
      branch.patterns.forEach((p, i) => {
        const failures: number[] = [];
        this.pattern(p, subject, failures);
        if (i < branch.patterns.length - 1) {
          toBody.push(this.emitJump(p.range, Op.Jump));
          for (const f of failures) this.patch(f);
        } else {
          nextBranch = failures;
        }
      });
      for (const j of toBody) this.patch(j);
      if (branch.guard) {
        this.expression(branch.guard);
        nextBranch.push(this.emitJump(branch.guard.range, Op.JumpIfFalse));
      }
      this.block(branch.body);
      this.statementRange = branch.range;
      ends.push(this.emitJump(branch.range, Op.Jump));
      for (const f of nextBranch) this.patch(f);
      this.popScope();
    }
    for (const e of ends) this.patch(e);
  }

  /** Emits a test of `subjectSlot` against a pattern; jumps recorded in `failures` are taken on mismatch. */
  private pattern(p: ast.Pattern, subjectSlot: number, failures: number[]): void {
    switch (p.kind) {
      case 'WildcardPattern':
        return;
      case 'BindingPattern': {
        const info = this.declareLocal(p.name, p.range, false, undefined);
        this.emit(p.range, Op.LoadLocal, subjectSlot);
        this.emit(p.range, Op.StoreLocal, info.slot);
        return;
      }
      case 'ExpressionPattern':
        this.emit(p.range, Op.LoadLocal, subjectSlot);
        this.expression(p.expression);
        this.emit(p.range, Op.MatchEquals);
        failures.push(this.emitJump(p.range, Op.JumpIfFalse));
        return;
      case 'ArrayPattern': {
        this.emit(p.range, Op.LoadLocal, subjectSlot);
        this.emit(p.range, Op.MatchArray, p.elements.length, p.rest ? 1 : 0);
        failures.push(this.emitJump(p.range, Op.JumpIfFalse));
        p.elements.forEach((element, i) => {
          if (element.kind === 'WildcardPattern') return;
          const slot = this.newSlot();
          this.emit(element.range, Op.LoadLocal, subjectSlot);
          this.emitConst(element.range, i);
          this.emit(element.range, Op.GetIndex);
          this.emit(element.range, Op.StoreLocal, slot);
          this.pattern(element, slot, failures);
        });
        return;
      }
      case 'DictionaryPattern': {
        this.emit(p.range, Op.LoadLocal, subjectSlot);
        this.emit(p.range, Op.MatchDict, p.entries.length, p.rest ? 1 : 0);
        failures.push(this.emitJump(p.range, Op.JumpIfFalse));
        for (const entry of p.entries) {
          this.emit(entry.key.range, Op.LoadLocal, subjectSlot);
          this.expression(entry.key);
          this.emit(entry.key.range, Op.MatchDictHas);
          failures.push(this.emitJump(entry.key.range, Op.JumpIfFalse));
          if (entry.value && entry.value.kind !== 'WildcardPattern') {
            const slot = this.newSlot();
            this.emit(entry.key.range, Op.LoadLocal, subjectSlot);
            this.expression(entry.key);
            this.emit(entry.key.range, Op.GetIndex);
            this.emit(entry.key.range, Op.StoreLocal, slot);
            this.pattern(entry.value, slot, failures);
          }
        }
        return;
      }
    }
  }

  // ---- members, statics and accessors --------------------------------------------------------

  /** Whether code here reads/writes property `name` directly (inside its own accessors). */
  private isDirectAccess(name: string): boolean {
    for (let f: FunctionCompiler | undefined = this; f; f = f.parent) if (f.accessorFor === name) return true;
    return false;
  }

  private get inStaticContext(): boolean {
    for (let f: FunctionCompiler | undefined = this; f; f = f.parent) if (f.isStatic) return true;
    return false;
  }

  private staticMemberError(name: string, range: Range): void {
    this.fail(range, `Cannot access non-static member "${name}" from the static function "${this.ownerName}()".`);
  }

  /** Pushes member `name` of self (through its getter, unless inside the property's own accessors). */
  private loadMember(name: string, slot: number, range: Range): void {
    const info = this.cc.cls.properties.get(name);
    const getter = info?.getter;
    if (getter && !this.isDirectAccess(name)) {
      if (getter.fn) this.emit(range, Op.CallFunction, getter.fn.classIndex, this.name_(getter.fn.name), 0);
      else this.emit(range, Op.CallSelfMethod, this.name_(getter.method as string), 0);
      return;
    }
    this.emit(range, Op.LoadMember, slot);
  }

  /** Stores the value on the stack into member `name` of self (through its setter, unless inside its accessors). */
  private storeMember(name: string, slot: number, range: Range): void {
    const info = this.cc.cls.properties.get(name);
    const setter = info?.setter;
    if (setter && !this.isDirectAccess(name)) {
      if (setter.fn) this.emit(range, Op.CallFunction, setter.fn.classIndex, this.name_(setter.fn.name), 1);
      else this.emit(range, Op.CallSelfMethod, this.name_(setter.method as string), 1);
      this.emit(range, Op.Pop);
      return;
    }
    this.emit(range, Op.StoreMember, slot);
  }

  /** A static variable visible from here: own/inherited, then enclosing classes'. */
  private findStatic(name: string): { cls: CompiledClass; slot: number } | undefined {
    for (let s: ClassCompiler | undefined = this.cc; s; s = s.outer) {
      for (let c: CompiledClass | undefined = s.cls; c; c = c.parent) {
        const slot = c.staticIndex.get(name);
        if (slot !== undefined) return { cls: c, slot };
      }
    }
    return undefined;
  }

  /** A static function of an enclosing class (inner classes can call them by name). */
  private findOuterStaticFunction(name: string): MethodInfo | undefined {
    for (let s = this.cc.outer; s; s = s.outer) {
      const m = s.methodInfo.get(name);
      if (m) return m.isStatic ? m : undefined;
    }
    return undefined;
  }

  /** A class visible by name from here (inner classes, enclosing classes' inner classes, the script's class_name). */
  private findClass(name: string): ClassCompiler | undefined {
    return this.sc.findClass(name, this.cc);
  }

  // ---- assignment ---------------------------------------------------------------------------

  /**
   * Pushes the object of an assignment `OBJ.x = …` / `OBJ[i] = …`. When OBJ is a variable or a chain
   * of members/subscripts ending in one (`v`, `self.v`, `rect.position`, `points[2]`), it also returns
   * the write-back: after SetMemberValue/SetIndexValue left OBJ's new value on the stack, it stores
   * that value into OBJ, level by level. Vectors, Color and Rect2 are immutable values, so
   * `rect.position.x = 1` builds modified copies that go back into `rect`, as Godot's value
   * semantics need (shared objects are set in place and simply stored again).
   */
  private chainedObject(e: ast.Expr): ((range: Range) => void) | undefined {
    switch (e.kind) {
      case 'Identifier': {
        // Where `name = value` would store (see assignment()); constants are not written back.
        const name = e.name;
        const local = this.lookupLocal(name);
        this.expression(e);
        // Constants keep the plain assignment (a constant Array/Dictionary refuses it at run time).
        if (local) {
          return local.isConst ? undefined : (range) => {
            this.emit(range, Op.StoreLocal, local.slot);
          };
        }
        const slot = this.cc.cls.memberIndex.get(name);
        if (slot !== undefined) {
          if (this.cc.cls.members[slot].isConst) return undefined;
          return this.inStaticContext ? undefined : (range) => this.storeMember(name, slot, range);
        }
        const constant = this.cc.lookupConstant(name) ?? (isGlobalConstant(name) ? GLOBAL_CONSTANTS[name] : undefined);
        if (constant instanceof GdBuiltinValue && !constant.shared) {
          // `ORIGIN.x = 1` with `const ORIGIN = Vector2()`: Godot's analyzer refuses it.
          this.fail(e.range, 'Cannot assign a new value to a constant.');
          return undefined;
        }
        if (constant !== undefined || this.findClass(name)) return undefined;
        const stat = this.findStatic(name);
        if (stat) {
          return (range) => {
            this.emit(range, Op.StoreStatic, stat.cls.index, stat.slot);
          };
        }
        // a property of the native base (`position.x = 5` in a Node2D script)
        return (range) => {
          this.emit(range, Op.StoreGlobal, this.name_(name));
        };
      }
      case 'Member': {
        const outer = this.chainedObject(e.object);
        const name = this.name_(e.name);
        if (!outer) {
          this.emit(e.range, Op.GetMember, name);
          return undefined;
        }
        this.emit(e.range, Op.Dup);
        this.emit(e.range, Op.GetMember, name);
        return (range) => {
          this.emit(range, Op.SetMemberValue, name);
          outer(range);
        };
      }
      case 'Subscript': {
        const outer = this.chainedObject(e.object);
        this.expression(e.index);
        if (!outer) {
          this.emit(e.range, Op.GetIndex);
          return undefined;
        }
        this.emit(e.range, Op.Dup2);
        this.emit(e.range, Op.GetIndex);
        return (range) => {
          this.emit(range, Op.SetIndexValue);
          outer(range);
        };
      }
      case 'Self':
        // `self.v.x = 1`: self is a shared object; its members are written through SetMemberValue.
        this.expression(e);
        return (range) => {
          this.emit(range, Op.Pop);
        };
      default:
        // A call or other temporary: shared objects are changed in place, a modified copy is dropped.
        this.expression(e);
        return (range) => {
          this.emit(range, Op.Pop);
        };
    }
  }

  private assignment(s: ast.AssignStatement): void {
    const compound = s.operator !== '=';
    const op = compound ? binOpFromSymbol(s.operator.slice(0, -1)) : BinOp.Add;
    const target = s.target;
    const value = (type?: TypeSpec): void => {
      if (!compound && type) {
        this.valueFor(s.value, type, s.range);
        return;
      }
      this.expression(s.value);
      if (compound) this.emit(s.range, Op.Binary, op);
      if (type) this.emit(s.range, Op.Convert, this.type(type), ConvertMode.Variable, 0);
    };
    switch (target.kind) {
      case 'Identifier': {
        const name = target.name;
        const local = this.lookupLocal(name);
        if (local) {
          if (local.isConst) return this.fail(target.range, 'Cannot assign a new value to a constant.');
          if (compound) this.emit(target.range, Op.LoadLocal, local.slot);
          value(local.type);
          this.emit(s.range, Op.StoreLocal, local.slot);
          return;
        }
        const slot = this.cc.cls.memberIndex.get(name);
        if (slot !== undefined) {
          const member = this.cc.cls.members[slot];
          if (member.isConst) return this.fail(target.range, 'Cannot assign a new value to a constant.');
          if (this.inStaticContext) return this.staticMemberError(name, target.range);
          if (compound) this.loadMember(name, slot, target.range);
          value(member.type);
          this.storeMember(name, slot, s.range);
          return;
        }
        if (this.cc.lookupConstant(name) !== undefined || isGlobalConstant(name)) {
          return this.fail(target.range, 'Cannot assign a new value to a constant.');
        }
        const stat = this.findStatic(name);
        if (stat) {
          if (compound) this.emit(target.range, Op.LoadStatic, stat.cls.index, stat.slot);
          value(stat.cls.staticVars[stat.slot].type);
          this.emit(s.range, Op.StoreStatic, stat.cls.index, stat.slot);
          return;
        }
        if (this.cc.methodInfo.has(name) || this.cc.cls.signals.has(name) || this.findClass(name)) {
          return this.fail(target.range, `Cannot assign a new value to "${name}".`);
        }
        if (compound) this.emit(target.range, Op.LoadGlobal, this.name_(name));
        value();
        this.emit(s.range, Op.StoreGlobal, this.name_(name));
        return;
      }
      case 'Member': {
        const writeBack = this.chainedObject(target.object);
        if (compound) {
          this.emit(target.range, Op.Dup);
          this.emit(target.range, Op.GetMember, this.name_(target.name));
        }
        value();
        this.emit(s.range, writeBack ? Op.SetMemberValue : Op.SetMember, this.name_(target.name));
        writeBack?.(s.range);
        return;
      }
      case 'Subscript': {
        const writeBack = this.chainedObject(target.object);
        this.expression(target.index);
        if (compound) {
          this.emit(target.range, Op.Dup2);
          this.emit(target.range, Op.GetIndex);
        }
        value();
        this.emit(s.range, writeBack ? Op.SetIndexValue : Op.SetIndex);
        writeBack?.(s.range);
        return;
      }
      default:
        this.fail(target.range, 'Cannot assign a new value to this expression.', false);
    }
  }

  // ---- expressions ----------------------------------------------------------------------

  private expression(e: ast.Expr): void {
    switch (e.kind) {
      case 'Literal':
        this.emitConst(e.range, literalValue(e));
        return;
      case 'Identifier':
        this.identifier(e);
        return;
      case 'Self':
        if (this.inStaticContext) this.fail(e.range, 'Cannot use "self" inside a static function.');
        else this.emit(e.range, Op.LoadSelf);
        return;
      case 'Super':
        this.fail(e.range, 'Cannot use "super" as a value; call a method with super.method() or super().');
        return;
      case 'Member': {
        // Constants of a script class or enum are folded: Inner.CONSTANT, State.IDLE.
        const folded = e.object.kind === 'Identifier' && !this.lookupLocal(e.object.name) ? this.foldMember(e) : undefined;
        if (folded !== undefined) {
          this.emitConst(e.range, folded);
          return;
        }
        this.expression(e.object);
        this.emit(e.range, Op.GetMember, this.name_(e.name));
        return;
      }
      case 'Call':
        this.call(e);
        return;
      case 'Subscript':
        this.expression(e.object);
        this.expression(e.index);
        this.emit(e.range, Op.GetIndex);
        return;
      case 'Unary':
        this.expression(e.operand);
        this.emit(e.range, Op.Unary, UNARY_OPS[e.operator]);
        return;
      case 'Binary':
        if (e.operator === 'and' || e.operator === 'or') {
          // Short-circuit; the result is always a bool.
          this.expression(e.left);
          const shortJump = this.emitJump(e.range, e.operator === 'and' ? Op.JumpIfFalse : Op.JumpIfTrue);
          this.expression(e.right);
          const rightJump = this.emitJump(e.range, e.operator === 'and' ? Op.JumpIfFalse : Op.JumpIfTrue);
          this.emit(e.range, e.operator === 'and' ? Op.True : Op.False);
          const end = this.emitJump(e.range, Op.Jump);
          this.patch(shortJump);
          this.patch(rightJump);
          this.emit(e.range, e.operator === 'and' ? Op.False : Op.True);
          this.patch(end);
          return;
        }
        this.expression(e.left);
        this.expression(e.right);
        this.emit(e.range, Op.Binary, binOpFromSymbol(e.operator));
        return;
      case 'Ternary': {
        this.expression(e.condition);
        const elseJump = this.emitJump(e.range, Op.JumpIfFalse);
        this.expression(e.whenTrue);
        const end = this.emitJump(e.range, Op.Jump);
        this.patch(elseJump);
        this.expression(e.whenFalse);
        this.patch(end);
        return;
      }
      case 'Array':
        for (const el of e.elements) this.expression(el);
        this.emit(e.range, Op.MakeArray, e.elements.length);
        return;
      case 'Dictionary':
        for (const entry of e.entries) {
          this.expression(entry.key);
          this.expression(entry.value);
        }
        this.emit(e.range, Op.MakeDict, e.entries.length);
        return;
      case 'Is':
        this.expression(e.value);
        this.emit(e.range, Op.IsType, this.type(typeSpecFromNode(e.type, this.cc.resolveType)));
        if (e.negated) this.emit(e.range, Op.Unary, UnOp.Not);
        return;
      case 'As':
        this.expression(e.value);
        this.emit(e.range, Op.AsType, this.type(typeSpecFromNode(e.type, this.cc.resolveType)));
        return;
      case 'Await':
        this.expression(e.value);
        this.emit(e.range, Op.Await);
        return;
      case 'GetNode':
        if (this.inStaticContext) {
          this.fail(e.range, `Cannot use shorthand "get_node()" notation ("${e.syntax === '%' ? '%' : '$'}") on a static function.`);
          return;
        }
        this.emit(e.range, Op.GetNode, this.constant(e.path));
        return;
      case 'Preload': {
        const path = e.path.kind === 'Literal' ? String(e.path.value) : '...';
        this.fail(e.range, `preload("${path}"): the lab runs one script on its own and cannot load other files or resources.`, false);
        return;
      }
      case 'Lambda':
        this.lambda(e);
        return;
    }
  }

  /** `Inner.CONSTANT`, `State.IDLE`, `Outer.Inner.X` when known at compile time. */
  private foldMember(e: ast.MemberExpr): Value | undefined {
    if (e.object.kind !== 'Identifier') return undefined;
    const name = e.object.name;
    if (this.cc.cls.memberIndex.has(name)) return undefined;
    const cls = this.findClass(name);
    if (cls) return cls.cls.constants.get(e.name);
    const k = this.cc.lookupConstant(name);
    if (k instanceof GdDictionary && k.readOnly) return k.get(e.name);
    return undefined;
  }

  private identifier(e: ast.IdentifierExpr): void {
    const name = e.name;
    const local = this.lookupLocal(name);
    if (local) {
      this.emit(e.range, Op.LoadLocal, local.slot);
      return;
    }
    const c = this.cc.cls;
    const member = c.memberIndex.get(name);
    if (member !== undefined) {
      if (this.inStaticContext) return this.staticMemberError(name, e.range);
      this.loadMember(name, member, e.range);
      return;
    }
    if (c.constants.has(name)) {
      this.emitConst(e.range, c.constants.get(name) as Value);
      return;
    }
    const stat = this.findStatic(name);
    if (stat && (stat.cls === c || this.isAncestor(stat.cls))) {
      this.emit(e.range, Op.LoadStatic, stat.cls.index, stat.slot);
      return;
    }
    const method = this.cc.methodInfo.get(name);
    if (method) {
      if (method.isStatic) this.emit(e.range, Op.MakeStaticCallable, method.owner.cls.index, this.name_(name));
      else if (this.inStaticContext) this.staticMemberError(name, e.range);
      else this.emit(e.range, Op.MakeCallable, this.name_(name));
      return;
    }
    if (c.signals.has(name)) {
      if (this.inStaticContext) return this.staticMemberError(name, e.range);
      this.emit(e.range, Op.LoadSignal, this.name_(name));
      return;
    }
    const cls = this.findClass(name);
    if (cls) {
      this.emit(e.range, Op.LoadClass, cls.cls.index);
      return;
    }
    const k = this.cc.lookupConstant(name);
    if (k !== undefined) {
      this.emitConst(e.range, k);
      return;
    }
    if (stat) {
      this.emit(e.range, Op.LoadStatic, stat.cls.index, stat.slot);
      return;
    }
    const outerStatic = this.findOuterStaticFunction(name);
    if (outerStatic) {
      this.emit(e.range, Op.MakeStaticCallable, outerStatic.owner.cls.index, this.name_(name));
      return;
    }
    if (isGlobalConstant(name)) {
      this.emitConst(e.range, GLOBAL_CONSTANTS[name]);
      return;
    }
    this.emit(e.range, Op.LoadGlobal, this.name_(name));
  }

  private isAncestor(c: CompiledClass): boolean {
    for (let p: CompiledClass | undefined = this.cc.cls; p; p = p.parent) if (p === c) return true;
    return false;
  }

  /** Argument list for a call to a known script function: typed array literals become typed arrays. */
  private args(args: ast.Expr[], target?: MethodInfo): void {
    args.forEach((a, i) => {
      const param = target?.params[i];
      const t = param ? target.owner.typeOf(param.type) : undefined;
      if (isTypedArray(t) && a.kind === 'Array') {
        this.expression(a);
        this.emit(a.range, Op.TypeArray, this.type(t));
      } else {
        this.expression(a);
      }
    });
  }

  private call(e: ast.CallExpr): void {
    const callee = e.callee;
    const argc = e.args.length;
    if (callee.kind === 'Identifier') {
      const name = callee.name;
      // Calls resolve to functions even when a local variable has the same name (like Godot).
      const method = this.cc.methodInfo.get(name);
      if (!method && !isUtilityFunction(name) && !this.findOuterStaticFunction(name) && this.lookupLocal(name)) {
        this.fail(callee.range, `"${name}" is a variable, not a function. Use "${name}.call()" to call a Callable.`);
        return;
      }
      if (method) {
        this.args(e.args, method);
        if (method.isStatic) {
          this.emit(e.range, Op.CallFunction, method.owner.cls.index, this.name_(name), argc);
        } else if (this.inStaticContext) {
          this.fail(e.range, `Cannot call non-static function "${name}()" from static function "${this.ownerName}()".`);
        } else {
          this.emit(e.range, Op.CallSelfMethod, this.name_(name), argc);
        }
        return;
      }
      const outerStatic = this.findOuterStaticFunction(name);
      if (outerStatic) {
        this.args(e.args, outerStatic);
        this.emit(e.range, Op.CallFunction, outerStatic.owner.cls.index, this.name_(name), argc);
        return;
      }
      if (isUtilityFunction(name)) {
        this.args(e.args);
        this.emit(e.range, Op.CallUtility, this.name_(name), argc);
        return;
      }
      if (this.inStaticContext) {
        this.args(e.args);
        this.fail(e.range, `Function "${name}()" not found in base self.`, false);
        return;
      }
      this.args(e.args);
      this.emit(e.range, Op.CallNative, this.name_(name), argc);
      return;
    }
    if (callee.kind === 'Member') {
      if (callee.object.kind === 'Super') {
        this.superCall(e, callee.name);
        return;
      }
      this.expression(callee.object);
      this.args(e.args);
      this.emit(e.range, Op.CallMethod, this.name_(callee.name), argc);
      return;
    }
    if (callee.kind === 'Super') {
      if (this.parent) {
        this.fail(e.range, 'Cannot use "super()" inside a lambda.');
        return;
      }
      this.superCall(e, this.name);
      return;
    }
    this.fail(e.range, 'Cannot call on an expression. Use ".call()" if it\'s a Callable.', false);
  }

  /** `super.name(args)` / `super(args)`: the parent's implementation, without virtual dispatch. */
  private superCall(e: ast.CallExpr, name: string): void {
    if (this.inStaticContext && !this.cc.parentCompiler?.methodInfo.get(name)?.isStatic) {
      this.fail(e.range, 'Cannot use "super" inside a static function.');
      return;
    }
    const parent = this.cc.parentCompiler;
    const method = parent?.methodInfo.get(name);
    this.args(e.args, method);
    if (parent && method) {
      this.emit(e.range, Op.CallFunction, parent.cls.index, this.name_(name), e.args.length);
      return;
    }
    this.emit(e.range, Op.CallSuperNative, this.name_(name), e.args.length);
  }

  private lambda(e: ast.LambdaExpr): void {
    const fc = new FunctionCompiler(this.cc, e.name ?? '<anonymous lambda>', e.range, this.isStatic, this, undefined);
    fc.compileBody(e.params, e.body, this.cc.typeOf(e.returnType));
    const compiled = fc.finish(e.params);
    this.lambdas.push(compiled);
    const operands: number[] = [this.lambdas.length - 1, fc.captures.length];
    for (const [lambdaSlot, parentSlot] of fc.captures) operands.push(lambdaSlot, parentSlot);
    this.emit(e.range, Op.MakeLambda, ...operands);
  }
}

function hasBinding(p: ast.Pattern): boolean {
  switch (p.kind) {
    case 'BindingPattern': return true;
    case 'ArrayPattern': return p.elements.some(hasBinding);
    case 'DictionaryPattern': return p.entries.some((e) => e.value !== undefined && hasBinding(e.value));
    default: return false;
  }
}

export type { MemberInfo };
