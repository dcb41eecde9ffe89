// Compiles a parsed script (ast.ts) into bytecode (bytecode.ts).
//
// Names are resolved here where possible: locals become slots, script members become member slots,
// script functions become direct calls. Anything unknown (native classes, singletons, properties of
// the native base class) is looked up at run time through the Host.

import type * as ast from './ast';
import { ConvertMode, Op, type CompiledFunction, type CompiledScript, type MemberInfo } from './bytecode';
import { GLOBAL_CONSTANTS, isUtilityFunction, isGlobalConstant } from './globals';
import { BinOp, binaryOperation, binOpFromSymbol, UnOp, unaryOperation } from './operators';
import { spanRanges, type Range, type SyntaxProblem } from './range';
import { typeSpecFromNode, simpleType, type TypeSpec } from './types';
import { GdDictionary, makeFloat, type Value } from './values';

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

class ScriptCompiler {
  readonly problems: SyntaxProblem[] = [];
  readonly members: MemberInfo[] = [];
  readonly memberIndex = new Map<string, number>();
  readonly constants = new Map<string, Value>();
  readonly functionIndex = new Map<string, number>();
  readonly signals = new Set<string>();
  readonly innerClasses = new Set<string>();
  readonly enumNames = new Set<string>();

  constructor(readonly script: ast.ScriptNode) {}

  problem(message: string, range: Range): void {
    this.problems.push({ message, range });
  }

  typeOf(node: ast.TypeNode | undefined): TypeSpec | undefined {
    if (!node) return undefined;
    const t = typeSpecFromNode(node, this.enumNames);
    return t.variant === undefined ? undefined : t;
  }

  private declare(name: string, range: Range): boolean {
    if (this.memberIndex.has(name) || this.constants.has(name) || this.functionIndex.has(name) || this.signals.has(name)) {
      this.problem(`There is already a member named "${name}" in this class.`, range);
      return false;
    }
    return true;
  }

  compile(): CompiledScript {
    const functions: ast.FunctionDecl[] = [];
    for (const m of this.script.members) if (m.kind === 'Enum' && m.name) this.enumNames.add(m.name);

    // Pass 1: declare members so that functions can refer to members declared after them.
    for (const m of this.script.members) {
      switch (m.kind) {
        case 'Enum': this.declareEnum(m); break;
        case 'Const': {
          if (!this.declare(m.name, m.nameRange)) break;
          const folded = this.fold(m.initializer);
          if (folded !== undefined) this.constants.set(m.name, folded);
          else this.addMember(m.name, this.typeOf(m.type), true, m.range);
          break;
        }
        case 'Var': {
          if (!this.declare(m.name, m.nameRange)) break;
          const type = this.typeOf(m.type) ?? (m.inferType && m.initializer ? inferLiteralType(m.initializer) : undefined);
          this.addMember(m.name, type, false, m.range);
          break;
        }
        case 'Function':
          if (!this.declare(m.name, m.nameRange)) break;
          this.functionIndex.set(m.name, functions.length);
          functions.push(m);
          break;
        case 'Signal':
          if (this.declare(m.name, m.range)) this.signals.add(m.name);
          break;
        case 'Class':
          this.innerClasses.add(m.name);
          break;
      }
    }

    // Pass 2: code.
    const compiled = functions.map((f) => this.compileFunction(f));
    const initializer = this.compileInitializer();
    return {
      className: this.script.className,
      extendsName: this.script.extendsName,
      extendsRange: this.script.extendsRange,
      range: this.script.range,
      functions: compiled,
      functionIndex: this.functionIndex,
      members: this.members,
      memberIndex: this.memberIndex,
      constants: this.constants,
      initializer,
      signals: this.signals,
      problems: this.problems,
    };
  }

  private addMember(name: string, type: TypeSpec | undefined, isConst: boolean, range: Range): void {
    this.memberIndex.set(name, this.members.length);
    this.members.push({ name, type, isConst, range });
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
        if (this.declare(v.name, v.range)) this.constants.set(v.name, value);
      }
    }
    if (e.name && this.declare(e.name, e.range)) this.constants.set(e.name, dict);
  }

  /** Constant folding for const/enum initializers; undefined when not a compile-time constant. */
  fold(e: ast.Expr, enumScope?: GdDictionary): Value | undefined {
    try {
      switch (e.kind) {
        case 'Literal':
          if (e.literalKind === 'float') return makeFloat(e.value as number);
          return e.value as Value;
        case 'Identifier': {
          const inEnum = enumScope?.get(e.name);
          if (inEnum !== undefined) return inEnum;
          if (this.constants.has(e.name)) {
            const v = this.constants.get(e.name) as Value;
            return typeof v === 'object' && v !== null ? undefined : v;
          }
          if (isGlobalConstant(e.name)) return GLOBAL_CONSTANTS[e.name];
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
        default:
          return undefined;
      }
    } catch {
      return undefined; // e.g. division by zero: leave it to run time
    }
  }

  private compileFunction(f: ast.FunctionDecl): CompiledFunction {
    const fc = new FunctionCompiler(this, f.name, f.range, f.isStatic, undefined);
    fc.compileBody(f.params, f.body, this.typeOf(f.returnType));
    return fc.finish(f.params);
  }

  private compileInitializer(): CompiledFunction {
    const fc = new FunctionCompiler(this, '@implicit_new', this.script.range, false, undefined);
    fc.compileInitializer(this.script.members);
    return fc.finish([]);
  }
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

  constructor(
    private readonly sc: ScriptCompiler,
    private readonly name: string,
    private readonly range: Range,
    private readonly isStatic: boolean,
    private readonly parent: FunctionCompiler | undefined,
  ) {
    this.statementRange = range;
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

  compileBody(params: ast.Parameter[], body: ast.Statement[], returnType: TypeSpec | undefined): void {
    this.returnType = returnType;
    const paramInfos = params.map((p) => {
      const type = this.sc.typeOf(p.type) ?? (p.inferType && p.defaultValue ? inferLiteralType(p.defaultValue) : undefined);
      return this.declareLocal(p.name, p.range, false, type);
    });
    params.forEach((p, i) => {
      const info = paramInfos[i];
      this.statementRange = p.range;
      if (p.defaultValue) {
        this.emit(p.range, Op.JumpIfArg, i, -1);
        const patchAt = this.code.length - 1;
        this.expression(p.defaultValue);
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
  private returnType: TypeSpec | undefined;

  compileInitializer(members: ast.Member[]): void {
    // Constants that could not be folded first, then variables in declaration order, then _init().
    const ordered = [...members.filter((m) => m.kind === 'Const'), ...members.filter((m) => m.kind === 'Var')];
    for (const m of ordered) {
      if (m.kind !== 'Var' && m.kind !== 'Const') continue;
      const slot = this.sc.memberIndex.get(m.name);
      if (slot === undefined) continue; // folded constant or duplicate
      const info = this.sc.members[slot];
      this.statementRange = m.range;
      if (m.initializer) {
        this.expression(m.initializer);
        if (info.type) this.emit(m.range, Op.Convert, this.type(info.type), ConvertMode.Variable, 0);
      } else if (info.type) {
        this.emit(m.range, Op.PushDefault, this.type(info.type));
      } else {
        this.emit(m.range, Op.Null);
      }
      this.emit(m.range, Op.StoreMember, slot);
    }
    const init = this.sc.functionIndex.get('_init');
    this.statementRange = this.range;
    if (init !== undefined) {
      this.emit(this.range, Op.CallScript, init, 0);
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
    };
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
        const declared = this.sc.typeOf(s.type) ?? (s.inferType && s.initializer ? inferLiteralType(s.initializer) : undefined);
        if (s.initializer) {
          this.expression(s.initializer);
          if (declared) this.emit(s.range, Op.Convert, this.type(declared), ConvertMode.Variable, 0);
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
        const type = this.sc.typeOf(s.type);
        this.expression(s.initializer);
        if (type) this.emit(s.range, Op.Convert, this.type(type), ConvertMode.Variable, 0);
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
        if (s.value) this.expression(s.value);
        else this.emit(s.range, Op.Null);
        if (this.returnType) this.emit(s.range, Op.Convert, this.type(this.returnType), ConvertMode.Return, 0);
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
    const type = this.sc.typeOf(s.variableType);
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
    return this.lookupLocal(name) !== undefined || this.sc.functionIndex.has(name) || this.sc.memberIndex.has(name);
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

  private assignment(s: ast.AssignStatement): void {
    const compound = s.operator !== '=';
    const op = compound ? binOpFromSymbol(s.operator.slice(0, -1)) : BinOp.Add;
    const target = s.target;
    const value = (): void => {
      this.expression(s.value);
      if (compound) this.emit(s.range, Op.Binary, op);
    };
    switch (target.kind) {
      case 'Identifier': {
        const name = target.name;
        const local = this.lookupLocal(name);
        if (local) {
          if (local.isConst) return this.fail(target.range, 'Cannot assign a new value to a constant.');
          if (compound) this.emit(target.range, Op.LoadLocal, local.slot);
          value();
          if (local.type) this.emit(s.range, Op.Convert, this.type(local.type), ConvertMode.Variable, 0);
          this.emit(s.range, Op.StoreLocal, local.slot);
          return;
        }
        const slot = this.sc.memberIndex.get(name);
        if (slot !== undefined) {
          const member = this.sc.members[slot];
          if (member.isConst) return this.fail(target.range, 'Cannot assign a new value to a constant.');
          if (compound) this.emit(target.range, Op.LoadMember, slot);
          value();
          if (member.type) this.emit(s.range, Op.Convert, this.type(member.type), ConvertMode.Variable, 0);
          this.emit(s.range, Op.StoreMember, slot);
          return;
        }
        if (this.sc.constants.has(name) || isGlobalConstant(name)) {
          return this.fail(target.range, 'Cannot assign a new value to a constant.');
        }
        if (this.sc.functionIndex.has(name) || this.sc.signals.has(name)) {
          return this.fail(target.range, `Cannot assign a new value to "${name}".`);
        }
        if (compound) this.emit(target.range, Op.LoadGlobal, this.name_(name));
        value();
        this.emit(s.range, Op.StoreGlobal, this.name_(name));
        return;
      }
      case 'Member': {
        this.expression(target.object);
        if (compound) {
          this.emit(target.range, Op.Dup);
          this.emit(target.range, Op.GetMember, this.name_(target.name));
        }
        value();
        this.emit(s.range, Op.SetMember, this.name_(target.name));
        return;
      }
      case 'Subscript': {
        this.expression(target.object);
        this.expression(target.index);
        if (compound) {
          this.emit(target.range, Op.Dup2);
          this.emit(target.range, Op.GetIndex);
        }
        value();
        this.emit(s.range, Op.SetIndex);
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
        this.emitConst(e.range, e.literalKind === 'float' ? makeFloat(e.value as number) : (e.value as Value));
        return;
      case 'Identifier':
        this.identifier(e);
        return;
      case 'Self':
        this.emit(e.range, Op.LoadSelf);
        return;
      case 'Super':
        this.fail(e.range, 'Cannot use "super" as a value; call a method with super.method().');
        return;
      case 'Member':
        this.expression(e.object);
        this.emit(e.range, Op.GetMember, this.name_(e.name));
        return;
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
        this.emit(e.range, Op.IsType, this.type(typeSpecFromNode(e.type, this.sc.enumNames)));
        if (e.negated) this.emit(e.range, Op.Unary, UnOp.Not);
        return;
      case 'As':
        this.expression(e.value);
        this.emit(e.range, Op.AsType, this.type(typeSpecFromNode(e.type, this.sc.enumNames)));
        return;
      case 'Await':
        // Signals and coroutines are not supported yet: `await f()` just calls f().
        this.expression(e.value);
        return;
      case 'GetNode':
        this.emitConst(e.range, e.path);
        this.emit(e.range, Op.CallSelf, this.name_('get_node'), 1);
        return;
      case 'Preload':
        this.fail(e.range, 'preload() is not supported in the lab yet.');
        return;
      case 'Lambda':
        this.lambda(e);
        return;
    }
  }

  private identifier(e: ast.IdentifierExpr): void {
    const name = e.name;
    const local = this.lookupLocal(name);
    if (local) {
      this.emit(e.range, Op.LoadLocal, local.slot);
      return;
    }
    if (this.sc.constants.has(name)) {
      this.emitConst(e.range, this.sc.constants.get(name) as Value);
      return;
    }
    const member = this.sc.memberIndex.get(name);
    if (member !== undefined) {
      this.emit(e.range, Op.LoadMember, member);
      return;
    }
    if (this.sc.functionIndex.has(name)) {
      this.emit(e.range, Op.MakeCallable, this.name_(name));
      return;
    }
    if (this.sc.signals.has(name)) {
      this.fail(e.range, 'Signals are not supported in the lab yet.', false);
      return;
    }
    if (this.sc.innerClasses.has(name)) {
      this.fail(e.range, 'Inner classes are not supported in the lab yet.', false);
      return;
    }
    if (isGlobalConstant(name)) {
      this.emitConst(e.range, GLOBAL_CONSTANTS[name]);
      return;
    }
    this.emit(e.range, Op.LoadGlobal, this.name_(name));
  }

  private call(e: ast.CallExpr): void {
    const callee = e.callee;
    const args = (): void => {
      for (const a of e.args) this.expression(a);
    };
    if (callee.kind === 'Identifier') {
      const name = callee.name;
      const fn = this.sc.functionIndex.get(name);
      if (fn !== undefined) {
        args();
        this.emit(e.range, Op.CallScript, fn, e.args.length);
      } else if (isUtilityFunction(name)) {
        args();
        this.emit(e.range, Op.CallUtility, this.name_(name), e.args.length);
      } else {
        args();
        this.emit(e.range, Op.CallSelf, this.name_(name), e.args.length);
      }
      return;
    }
    if (callee.kind === 'Member') {
      if (callee.object.kind === 'Super') {
        args();
        this.emit(e.range, Op.CallSuper, this.name_(callee.name), e.args.length);
        return;
      }
      this.expression(callee.object);
      args();
      this.emit(e.range, Op.CallMethod, this.name_(callee.name), e.args.length);
      return;
    }
    if (callee.kind === 'Super') {
      // super(...) in _init: the native base is already constructed.
      args();
      for (let i = 0; i < e.args.length; i++) this.emit(e.range, Op.Pop);
      this.emit(e.range, Op.Null);
      return;
    }
    this.fail(e.range, 'Cannot call on an expression. Use ".call()" if it\'s a Callable.', false);
  }

  private lambda(e: ast.LambdaExpr): void {
    const fc = new FunctionCompiler(this.sc, e.name ?? '<anonymous lambda>', e.range, false, this);
    fc.compileBody(e.params, e.body, this.sc.typeOf(e.returnType));
    const compiled = fc.finish(e.params);
    this.lambdas.push(compiled);
    const operands: number[] = [this.lambdas.length - 1, fc.captures.length];
    for (const [lambdaSlot, parentSlot] of fc.captures) operands.push(lambdaSlot, parentSlot);
    this.emit(e.range, Op.MakeLambda, ...operands);
  }
}
