// Recursive-descent parser for GDScript 2.0 (Godot 4), with Pratt-style expression parsing that
// follows Godot's operator precedence. Never throws: problems are collected and parsing resumes at
// the next statement or line so that several errors are reported at once.

import type * as ast from './ast';
import { compileScript } from './compiler';
import { tokenize, type DocComment } from './lexer';
import { spanRanges, type Range, type SyntaxProblem } from './range';
import { ASSIGNMENT_OPERATORS, describeToken, type Token, type TokenKind } from './tokens';
import { intFromBig } from './values';

export interface ParseOptions {
  /** Line of the document at which the snippet starts; added to every range. */
  lineOffset?: number;
  /**
   * Also run the compiler's static checks (assigning to a constant, duplicate names, ...) and
   * report them with the syntax errors, like Godot's analyzer. Default: true.
   */
  check?: boolean;
}

export interface ParseResult {
  script: ast.ScriptNode;
  errors: SyntaxProblem[];
  /** Godot 3 constructs (tool, export, onready, setget, yield): each is also a syntax error, and read as its Godot 4 form. */
  godot3: ast.Godot3Syntax[];
}

export function parse(source: string, options: ParseOptions = {}): ParseResult {
  const lineOffset = options.lineOffset ?? 0;
  const { tokens, errors: lexErrors, docComments } = tokenize(source, lineOffset);
  const parser = new Parser(tokens, docComments);
  let script: ast.ScriptNode;
  try {
    script = parser.parseScript();
  } catch (e) {
    // A bug in the parser must not take the caller down; report it as a problem.
    const at = { line: lineOffset, character: 0 };
    parser.errors.push({ message: `Internal parser error: ${(e as Error).message}`, range: { start: at, end: at } });
    script = {
      kind: 'Script', range: { start: at, end: at }, extendsName: undefined, extendsRange: undefined,
      className: undefined, members: [], annotations: [],
    };
  }
  const checkErrors = options.check !== false ? compilerChecks(script) : [];
  const errors = [...lexErrors, ...parser.errors, ...checkErrors].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  return { script, errors, godot3: parser.godot3 };
}

/** The compiler's static checks of a parsed script: what `check: true` adds to parse()'s errors. */
export function compilerChecks(script: ast.ScriptNode): SyntaxProblem[] {
  try {
    return compileScript(script).problems;
  } catch (e) {
    const at = script.range.start;
    return [{ message: `Internal compiler error: ${(e as Error).message}`, range: { start: at, end: at } }];
  }
}

/** Operator precedence, lowest to highest (mirrors Godot's GDScriptParser::Precedence). */
const enum Prec {
  None = 0,
  Cast, // as
  Ternary, // a if c else b
  LogicOr, // or ||
  LogicAnd, // and &&
  LogicNot, // not !
  ContentTest, // in, not in
  Comparison, // == != < > <= >=
  BitOr, // |
  BitXor, // ^
  BitAnd, // &
  BitShift, // << >>
  Addition, // + -
  Factor, // * / %
  Sign, // unary + -
  BitNot, // ~
  Power, // **
  TypeTest, // is
  Await, // await
  Call, // f()
  Attribute, // a.b
  Subscript, // a[b]
}

const BINARY_PRECEDENCE: Record<string, Prec> = {
  or: Prec.LogicOr, '||': Prec.LogicOr,
  and: Prec.LogicAnd, '&&': Prec.LogicAnd,
  in: Prec.ContentTest,
  '==': Prec.Comparison, '!=': Prec.Comparison, '<': Prec.Comparison, '<=': Prec.Comparison, '>': Prec.Comparison, '>=': Prec.Comparison,
  '|': Prec.BitOr, '^': Prec.BitXor, '&': Prec.BitAnd,
  '<<': Prec.BitShift, '>>': Prec.BitShift,
  '+': Prec.Addition, '-': Prec.Addition,
  '*': Prec.Factor, '/': Prec.Factor, '%': Prec.Factor,
  '**': Prec.Power,
};

/** Godot 4.3's annotations, and what they apply to. */
const ANNOTATIONS: Record<string, 'script' | 'variable' | 'function' | 'class' | 'statement'> = {
  '@tool': 'script', '@icon': 'script', '@static_unload': 'script',
  '@onready': 'variable', '@export': 'variable', '@export_range': 'variable', '@export_enum': 'variable',
  '@export_file': 'variable', '@export_dir': 'variable', '@export_global_file': 'variable', '@export_global_dir': 'variable',
  '@export_multiline': 'variable', '@export_placeholder': 'variable', '@export_exp_easing': 'variable',
  '@export_color_no_alpha': 'variable', '@export_node_path': 'variable', '@export_flags': 'variable',
  '@export_flags_2d_render': 'variable', '@export_flags_2d_physics': 'variable', '@export_flags_2d_navigation': 'variable',
  '@export_flags_3d_render': 'variable', '@export_flags_3d_physics': 'variable', '@export_flags_3d_navigation': 'variable',
  '@export_flags_avoidance': 'variable', '@export_storage': 'variable', '@export_custom': 'variable',
  '@export_category': 'class', '@export_group': 'class', '@export_subgroup': 'class',
  '@rpc': 'function', '@warning_ignore': 'statement',
};

/** Godot 3's RPC keywords before `func` (Godot 4: the @rpc annotation). */
const GODOT3_RPC_KEYWORDS: ReadonlySet<string> = new Set(['remote', 'master', 'puppet', 'slave', 'sync', 'remotesync', 'mastersync', 'puppetsync']);

/** Thrown inside the parser to abandon the current statement; caught at statement level. */
class ParseAbort {}
const ABORT = new ParseAbort();

class Parser {
  readonly errors: SyntaxProblem[] = [];
  readonly godot3: ast.Godot3Syntax[] = [];
  private pos = 0;
  /** Last consumed token that is not NEWLINE/INDENT/DEDENT (where a node's range ends). */
  private lastReal: Token;
  /** >0 while parsing the single-line body of a lambda inside an expression. */
  private lambdaLineDepth = 0;
  /** Number of enclosing loops (for "break"/"continue" checks). */
  private loopDepth = 0;

  /** `##` comments by document line. */
  private readonly docs = new Map<number, string>();

  constructor(private readonly tokens: Token[], docComments: DocComment[] = []) {
    this.lastReal = tokens[0];
    for (const d of docComments) if (!d.trailing) this.docs.set(d.line, d.text);
  }

  /** The `##` comment lines right above `line`, joined with newlines. */
  private docAbove(line: number): string | undefined {
    const lines: string[] = [];
    for (let l = line - 1; this.docs.has(l); l--) lines.unshift(this.docs.get(l) as string);
    return lines.length ? lines.join('\n') : undefined;
  }

  // ---- token helpers --------------------------------------------------------------------

  private get current(): Token {
    return this.tokens[this.pos];
  }
  private get previous(): Token {
    return this.tokens[Math.max(0, this.pos - 1)];
  }
  private at(kind: TokenKind): boolean {
    return this.tokens[this.pos].kind === kind;
  }
  private peekAt(offset: number): Token {
    return this.tokens[Math.min(this.tokens.length - 1, this.pos + offset)];
  }
  private advance(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'eof') this.pos++;
    if (t.kind !== 'newline' && t.kind !== 'indent' && t.kind !== 'dedent' && t.kind !== 'eof') this.lastReal = t;
    return t;
  }
  private isOp(text: string, t: Token = this.current): boolean {
    return t.kind === 'operator' && t.text === text;
  }
  private isKw(text: string, t: Token = this.current): boolean {
    return t.kind === 'keyword' && t.text === text;
  }
  private matchOp(text: string): boolean {
    if (!this.isOp(text)) return false;
    this.advance();
    return true;
  }
  private matchKw(text: string): boolean {
    if (!this.isKw(text)) return false;
    this.advance();
    return true;
  }
  private isLineEnd(t: Token = this.current): boolean {
    return t.kind === 'newline' || t.kind === 'eof' || t.kind === 'dedent';
  }
  /** Range from `start` to the end of the last consumed real token. */
  private rangeFrom(start: Range): Range {
    const end = this.lastReal.range.end;
    if (end.line < start.start.line || (end.line === start.start.line && end.character < start.start.character)) {
      return { start: start.start, end: start.end };
    }
    return { start: start.start, end };
  }

  // ---- errors ---------------------------------------------------------------------------

  private error(message: string, range: Range = this.current.range): void {
    const last = this.errors[this.errors.length - 1];
    if (last && last.range.start.line === range.start.line && last.range.start.character === range.start.character) return;
    this.errors.push({ message, range });
  }
  private fail(message: string, range: Range = this.current.range): never {
    this.error(message, range);
    throw ABORT;
  }
  private expectOp(text: string, message: string): Token {
    if (!this.isOp(text)) this.fail(message);
    return this.advance();
  }
  private expectIdentifier(message: string): Token {
    if (!this.at('identifier')) this.fail(message);
    return this.advance();
  }

  /** After an error: skip the rest of the logical line, and an indented block that follows it. */
  private synchronize(): void {
    while (!this.isLineEnd()) this.advance();
    if (this.at('newline')) this.advance();
    if (this.at('indent')) {
      this.advance();
      this.parseStatementsUntilDedent(); // reports the block's own errors; the block itself is dropped
      if (this.at('dedent')) this.advance();
    }
  }

  /** Ends a simple statement: NEWLINE, ";" or the end of the enclosing block. */
  private endStatement(context: string): void {
    if (this.at('newline')) {
      this.advance();
      return;
    }
    if (this.isOp(';')) {
      this.advance();
      if (this.at('newline')) this.advance();
      return;
    }
    if (this.at('eof') || this.at('dedent')) return;
    if (this.previous.kind === 'dedent' || this.previous.kind === 'newline') return; // after a multi-line lambda
    if (this.lambdaLineDepth > 0 && (this.isOp(')') || this.isOp(']') || this.isOp('}') || this.isOp(','))) return;
    this.fail(`Expected end of statement after ${context}, found "${describeToken(this.current)}" instead.`);
  }

  // ---- script and class bodies ------------------------------------------------------------

  parseScript(): ast.ScriptNode {
    const first = this.current.range;
    const body: ast.ClassBody = {
      extendsName: undefined, extendsRange: undefined, className: undefined, members: [], annotations: [],
    };
    this.parseClassBody(body, false);
    const eof = this.tokens[this.tokens.length - 1].range;
    return { kind: 'Script', range: { start: first.start, end: eof.end }, ...body };
  }

  private parseClassBody(body: ast.ClassBody, inner: boolean): void {
    let pending: ast.Annotation[] = [];
    while (!this.at('eof') && !(inner && this.at('dedent'))) {
      const tok = this.current;
      if (tok.kind === 'newline' || this.isOp(';')) {
        this.advance();
        continue;
      }
      const before = this.pos;
      try {
        const godot3 = this.parseGodot3Keyword(body, inner);
        if (godot3) {
          if (godot3.name !== 'tool') pending.push(godot3);
          if (this.at('newline')) this.advance();
          continue;
        }
        if (tok.kind === 'annotation') {
          const annotation = this.parseAnnotation();
          const target = ANNOTATIONS['@' + annotation.name];
          if (target === 'script') {
            if (inner || body.members.length > 0) this.error(`Annotation "@${annotation.name}" can only be used at the top of the script.`, annotation.range);
            body.annotations.push(annotation);
          } else if (target === 'class') {
            body.annotations.push(annotation);
          } else if (target !== undefined) {
            pending.push(annotation);
          }
          if (this.at('newline')) this.advance();
          continue;
        }
        const annotations = pending;
        pending = [];
        const count = body.members.length;
        this.parseMember(body, annotations);
        if (body.members.length > count) {
          const member = body.members[body.members.length - 1];
          const doc = this.docAbove(annotations.length ? annotations[0].range.start.line : member.range.start.line);
          if (doc !== undefined) member.doc = doc;
          this.checkAnnotationTargets(member, annotations);
        } else {
          for (const a of annotations) this.error(`Annotation "@${a.name}" must be followed by a declaration.`, a.range);
        }
      } catch (e) {
        if (e !== ABORT) throw e;
        this.synchronize();
      }
      if (this.pos === before) this.advance();
    }
  }

  private parseMember(body: ast.ClassBody, annotations: ast.Annotation[]): void {
    const tok = this.current;
    if (tok.kind === 'indent') {
      this.error('Unexpected "Indent" in class body.');
      this.advance();
      this.parseStatementsUntilDedent();
      if (this.at('dedent')) this.advance();
      return;
    }
    if (tok.kind === 'dedent') {
      this.advance();
      return;
    }
    if (tok.kind === 'keyword') {
      switch (tok.text) {
        case 'extends':
          this.parseExtends(body);
          this.endStatement('"extends"');
          return;
        case 'class_name': {
          this.advance();
          body.className = this.expectIdentifier('Expected identifier for the global class name after "class_name".').text;
          if (this.isKw('extends')) this.parseExtends(body);
          this.endStatement('class_name statement');
          return;
        }
        case 'var':
          body.members.push(this.parseVar(annotations, false, tok));
          return;
        case 'const':
          body.members.push(this.parseConst());
          return;
        case 'func':
          body.members.push(this.parseFunction(annotations, false, tok));
          return;
        case 'static': {
          this.advance();
          if (this.isKw('func')) body.members.push(this.parseFunction(annotations, true, tok));
          else if (this.isKw('var')) body.members.push(this.parseVar(annotations, true, tok));
          else this.fail('Expected "func" or "var" after "static".');
          return;
        }
        case 'signal':
          body.members.push(this.parseSignal());
          return;
        case 'enum':
          body.members.push(this.parseEnum());
          return;
        case 'class':
          body.members.push(this.parseInnerClass());
          return;
        case 'pass':
          this.advance();
          this.endStatement('"pass"');
          return;
      }
    }
    this.fail(`Unexpected "${describeToken(tok)}" in class body.`);
  }

  /**
   * Godot 3's `tool`, `onready var`, `export[(…)] var` and `remote func` (and the other RPC keywords): a syntax error naming the Godot 4 annotation,
   * recorded in `godot3` and returned as that annotation (`tool` is added to the script's annotations).
   */
  private parseGodot3Keyword(body: ast.ClassBody, inner: boolean): ast.Annotation | undefined {
    const tok = this.current;
    if (tok.kind !== 'identifier') return undefined;
    const next = this.peekAt(1);
    if (tok.text === 'tool' && !inner && this.isLineEnd(next)) {
      this.advance();
      this.error('"tool" is Godot 3 syntax: Godot 4 writes "@tool".', tok.range);
      this.godot3.push({ kind: 'tool', range: tok.range });
      const annotation: ast.Annotation = { kind: 'Annotation', name: 'tool', args: [], range: tok.range };
      body.annotations.push(annotation);
      return annotation;
    }
    const beforeVar = this.isKw('var', next) || (next.kind === 'identifier' && (next.text === 'export' || next.text === 'onready'));
    if (tok.text === 'onready' && beforeVar) {
      this.advance();
      this.error('"onready" is Godot 3 syntax: Godot 4 writes "@onready var".', tok.range);
      this.godot3.push({ kind: 'onready', range: tok.range });
      return { kind: 'Annotation', name: 'onready', args: [], range: tok.range };
    }
    if (GODOT3_RPC_KEYWORDS.has(tok.text) && this.isKw('func', next)) {
      this.advance();
      this.error(`"${tok.text}" is Godot 3 syntax: Godot 4 writes the annotation "@rpc" (with "any_peer" / "call_local" options).`, tok.range);
      this.godot3.push({ kind: 'rpc', keyword: tok.text, range: tok.range });
      return { kind: 'Annotation', name: 'rpc', args: [], range: tok.range };
    }
    if (tok.text === 'export' && (beforeVar || this.isOp('(', next))) {
      this.advance();
      this.error('"export" is Godot 3 syntax: Godot 4 writes "@export var" (or @export_range, @export_file, …).', tok.range);
      const args = this.isOp('(') ? (this.advance(), this.parseArguments()) : [];
      const range = this.rangeFrom(tok.range);
      this.godot3.push({ kind: 'export', range, args });
      return { kind: 'Annotation', name: 'export', args: [], range };
    }
    return undefined;
  }

  private checkAnnotationTargets(member: ast.Member, annotations: ast.Annotation[]): void {
    const kind = member.kind === 'Var' ? 'variable' : member.kind === 'Function' ? 'function' : member.kind === 'Class' ? 'class' : member.kind === 'Signal' ? 'signal' : member.kind === 'Enum' ? 'enum' : 'constant';
    for (const a of annotations) {
      const target = ANNOTATIONS['@' + a.name];
      // @warning_ignore ('statement') applies to members as well as to statements.
      if (target !== kind && target !== 'statement') this.error(`Annotation "@${a.name}" cannot be applied to a ${kind}.`, a.range);
      else if (member.kind === 'Var' && member.isStatic && (a.name === 'onready' || a.name.startsWith('export'))) {
        this.error(`Annotation "@${a.name}" cannot be applied to a static variable.`, a.range);
      }
    }
  }

  private parseExtends(body: ast.ClassBody): void {
    const start = this.advance(); // extends
    if (this.at('string')) {
      const t = this.advance();
      body.extendsName = String(t.value);
      body.extendsPath = true;
    } else {
      let name = this.expectIdentifier('Expected class name after "extends".').text;
      while (this.matchOp('.')) name += '.' + this.expectIdentifier('Expected class name after ".".').text;
      body.extendsName = name;
    }
    body.extendsRange = this.rangeFrom(this.previous.range);
    void start;
  }

  private parseAnnotation(): ast.Annotation {
    const tok = this.advance();
    if (!(tok.text in ANNOTATIONS)) this.error(`Unrecognized annotation: "${tok.text}".`, tok.range);
    const args: ast.Expr[] = [];
    if (this.isOp('(')) {
      this.advance();
      while (!this.isOp(')')) {
        args.push(this.parseExpressionRequired('Expected expression as the annotation argument.'));
        if (!this.matchOp(',')) break;
      }
      this.expectOp(')', 'Expected ")" after annotation arguments.');
    }
    return { kind: 'Annotation', name: tok.text.slice(1), args, range: this.rangeFrom(tok.range) };
  }

  private parseVar(annotations: ast.Annotation[], isStatic: boolean, startTok: Token, allowProperty = true): ast.VarStatement {
    this.advance(); // var
    const nameTok = this.expectIdentifier('Expected variable name after "var".');
    const node: ast.VarStatement = {
      kind: 'Var', name: nameTok.text, nameRange: nameTok.range, type: undefined, inferType: false, initializer: undefined,
      isStatic, annotations, range: nameTok.range,
    };
    const isAccessorStart = (): boolean =>
      this.at('identifier') && (this.current.text === 'set' || this.current.text === 'get') &&
      (this.isOp('=', this.peekAt(1)) || this.isOp('(', this.peekAt(1)) || this.isOp(':', this.peekAt(1)));
    if (this.matchOp(':=')) {
      node.inferType = true;
      node.initializer = this.parseExpressionRequired('Expected expression for variable initial value after ":=".');
    } else {
      if (this.matchOp(':')) {
        if (this.at('newline') || isAccessorStart()) {
          if (!allowProperty) this.fail('Property setters and getters can only be declared in class variables.');
          this.parseProperty(node, startTok);
          return node;
        }
        node.type = this.parseType();
        if (!node.type) this.fail('Expected type specifier after ":".');
      }
      if (this.matchOp('=')) {
        node.initializer = this.parseExpressionRequired('Expected expression for variable initial value after "=".');
      }
    }
    if (this.isOp(':')) {
      if (!allowProperty) this.fail('Property setters and getters can only be declared in class variables.');
      this.advance();
      this.parseProperty(node, startTok);
      return node;
    }
    if (allowProperty && this.at('identifier') && this.current.text === 'setget') this.parseSetget(node);
    node.range = this.rangeFrom(startTok.range);
    this.endStatement('variable declaration');
    return node;
  }

  /** Godot 3's `setget setter, getter` (either may be left out): a syntax error, read as `set = setter, get = getter`. */
  private parseSetget(node: ast.VarStatement): void {
    const tok = this.advance();
    this.error('"setget" is Godot 3 syntax: Godot 4 writes "var x: set = setter, get = getter".', tok.range);
    const accessor = (name: Token): ast.Accessor => ({ kind: 'NamedAccessor', name: name.text, range: name.range });
    const record: Extract<ast.Godot3Syntax, { kind: 'setget' }> = { kind: 'setget', range: tok.range };
    if (this.at('identifier')) {
      const setter = this.advance();
      node.setter = accessor(setter);
      record.setter = setter.text;
    }
    if (this.matchOp(',')) {
      const getter = this.expectIdentifier('Expected getter function name after "," in "setget".');
      node.getter = accessor(getter);
      record.getter = getter.text;
    }
    record.range = this.rangeFrom(tok.range);
    this.godot3.push(record);
  }

  /** After `var x ... :` — either an indented block of `set`/`get` or `set = f, get = g` on the same line. */
  private parseProperty(node: ast.VarStatement, startTok: Token): void {
    if (this.at('newline')) {
      this.advance();
      if (!this.at('indent')) this.fail('Expected indented block for property after ":".');
      this.advance();
      while (!this.at('dedent') && !this.at('eof')) {
        if (this.at('newline')) {
          this.advance();
          continue;
        }
        try {
          this.parseAccessor(node, true);
          if (this.matchOp(',') && this.at('newline')) this.advance();
        } catch (e) {
          if (e !== ABORT) throw e;
          this.synchronize();
        }
      }
      if (this.at('dedent')) this.advance();
      node.range = this.rangeFrom(startTok.range);
      return;
    }
    this.parseAccessor(node, false);
    if (this.matchOp(',')) this.parseAccessor(node, false);
    node.range = this.rangeFrom(startTok.range);
    this.endStatement('property declaration');
  }

  private parseAccessor(node: ast.VarStatement, inBlock: boolean): void {
    const tok = this.current;
    if (tok.kind !== 'identifier' || (tok.text !== 'set' && tok.text !== 'get')) {
      this.fail('Expected "get" or "set" for property declaration.');
    }
    this.advance();
    const isSetter = tok.text === 'set';
    if ((isSetter ? node.setter : node.getter) !== undefined) {
      this.error(`Properties can only have one ${isSetter ? 'setter' : 'getter'}.`, tok.range);
    }
    let accessor: ast.Accessor;
    if (this.matchOp('=')) {
      const name = this.expectIdentifier(`Expected ${isSetter ? 'setter' : 'getter'} function name after "=".`);
      accessor = { kind: 'NamedAccessor', name: name.text, range: this.rangeFrom(tok.range) };
      if (inBlock && !this.isOp(',')) this.endStatement('property accessor');
    } else {
      let parameter: ast.Parameter | undefined;
      if (isSetter) {
        this.expectOp('(', 'Expected "(" after "set".');
        const p = this.expectIdentifier('Expected parameter name after "(".');
        let type: ast.TypeNode | undefined;
        if (this.matchOp(':')) {
          type = this.parseType();
          if (!type) this.fail('Expected type specifier after ":".');
        }
        parameter = { kind: 'Parameter', name: p.text, type, inferType: false, defaultValue: undefined, range: this.rangeFrom(p.range) };
        this.expectOp(')', 'Expected ")" after parameter name.');
      } else if (this.matchOp('(')) {
        this.expectOp(')', 'Expected ")" after "get(".');
      }
      this.expectOp(':', `Expected ":" after "${tok.text}".`);
      const outerLoops = this.loopDepth;
      this.loopDepth = 0;
      let body: ast.Statement[];
      try {
        body = this.parseBlock(`"${tok.text}"`);
      } finally {
        this.loopDepth = outerLoops;
      }
      accessor = { kind: 'InlineAccessor', parameter, body, range: this.rangeFrom(tok.range) };
    }
    if (isSetter) node.setter = accessor;
    else node.getter = accessor;
  }

  private parseConst(): ast.ConstStatement {
    const start = this.advance(); // const
    const nameTok = this.expectIdentifier('Expected constant name after "const".');
    let type: ast.TypeNode | undefined;
    let inferType = false;
    if (this.matchOp(':=')) {
      inferType = true;
    } else {
      if (this.matchOp(':')) {
        type = this.parseType();
        if (!type) this.fail('Expected type specifier after ":".');
      }
      if (!this.matchOp('=')) this.fail('Expected initializer after constant name.');
    }
    const initializer = this.parseExpressionRequired('Expected initializer expression for constant.');
    const node: ast.ConstStatement = {
      kind: 'Const', name: nameTok.text, nameRange: nameTok.range, type, initializer, range: this.rangeFrom(start.range),
    };
    if (inferType) node.inferType = true;
    this.endStatement('constant declaration');
    return node;
  }

  private parseParameters(closing: string): ast.Parameter[] {
    const params: ast.Parameter[] = [];
    while (!this.isOp(')')) {
      const nameTok = this.expectIdentifier('Expected parameter name.');
      let type: ast.TypeNode | undefined;
      let inferType = false;
      let defaultValue: ast.Expr | undefined;
      if (this.matchOp(':=')) {
        inferType = true;
        defaultValue = this.parseExpressionRequired('Expected expression for parameter default value after ":=".');
      } else {
        if (this.matchOp(':')) {
          type = this.parseType();
          if (!type) this.fail('Expected type specifier after ":".');
        }
        if (this.matchOp('=')) defaultValue = this.parseExpressionRequired('Expected expression for parameter default value after "=".');
      }
      if (!defaultValue && params.length > 0 && params[params.length - 1].defaultValue) {
        this.error('Cannot have mandatory parameters after optional parameters.', nameTok.range);
      }
      params.push({ kind: 'Parameter', name: nameTok.text, type, inferType, defaultValue, range: this.rangeFrom(nameTok.range) });
      if (!this.matchOp(',')) break;
    }
    this.expectOp(')', `Expected closing ")" after ${closing}.`);
    return params;
  }

  private parseFunction(annotations: ast.Annotation[], isStatic: boolean, startTok: Token): ast.FunctionDecl {
    this.advance(); // func
    const nameTok = this.expectIdentifier('Expected function name after "func".');
    this.expectOp('(', 'Expected opening "(" after function name.');
    const params = this.parseParameters('function parameters');
    let returnType: ast.TypeNode | undefined;
    if (this.matchOp('->')) {
      returnType = this.parseType();
      if (!returnType) this.fail('Expected return type or "void" after "->".');
    }
    this.expectOp(':', 'Expected ":" after function declaration.');
    const body = this.parseBlock('function declaration');
    return {
      kind: 'Function', name: nameTok.text, nameRange: nameTok.range, params, returnType, body, isStatic, annotations,
      range: this.rangeFrom(startTok.range),
    };
  }

  private parseSignal(): ast.SignalDecl {
    const start = this.advance(); // signal
    const nameTok = this.expectIdentifier('Expected signal name after "signal".');
    let params: ast.Parameter[] = [];
    const hasParens = this.matchOp('(');
    if (hasParens) params = this.parseParameters('signal parameters');
    const node: ast.SignalDecl = { kind: 'Signal', name: nameTok.text, nameRange: nameTok.range, params, range: this.rangeFrom(start.range) };
    if (hasParens) node.hasParens = true;
    this.endStatement('signal declaration');
    return node;
  }

  private parseEnum(): ast.EnumDecl {
    const start = this.advance(); // enum
    let name: string | undefined;
    if (this.at('identifier')) name = this.advance().text;
    this.expectOp('{', name ? 'Expected "{" after enum name.' : 'Expected "{" after "enum".');
    const values: ast.EnumValue[] = [];
    while (!this.isOp('}')) {
      const key = this.expectIdentifier('Expected identifier for enum key.');
      let value: ast.Expr | undefined;
      if (this.matchOp('=')) value = this.parseExpressionRequired('Expected expression value after "=".');
      values.push({ name: key.text, value, range: this.rangeFrom(key.range) });
      if (!this.matchOp(',')) break;
    }
    this.expectOp('}', 'Expected closing "}" for enum.');
    const node: ast.EnumDecl = { kind: 'Enum', name, values, range: this.rangeFrom(start.range) };
    this.endStatement('enum');
    return node;
  }

  private parseInnerClass(): ast.ClassDecl {
    const start = this.advance(); // class
    const nameTok = this.expectIdentifier('Expected identifier for the class name after "class".');
    const body: ast.ClassBody = {
      extendsName: undefined, extendsRange: undefined, className: nameTok.text, members: [], annotations: [],
    };
    if (this.isKw('extends')) this.parseExtends(body);
    this.expectOp(':', 'Expected ":" after class declaration.');
    if (!this.at('newline')) this.fail('Expected newline after class declaration.');
    const newline = this.advance();
    if (!this.at('indent')) {
      this.error('Expected indented block after class declaration.', newline.range);
    } else {
      this.advance();
      this.parseClassBody(body, true);
      if (this.at('dedent')) this.advance();
    }
    return { kind: 'Class', name: nameTok.text, nameRange: nameTok.range, body, range: this.rangeFrom(start.range) };
  }

  // ---- blocks and statements ----------------------------------------------------------------

  /** Parses the block after a ":" — an indented block, or simple statements on the same line. */
  private parseBlock(context: string): ast.Statement[] {
    if (this.at('newline')) {
      const newline = this.advance();
      if (!this.at('indent')) {
        this.error(`Expected indented block after ${context}.`, newline.range);
        return [];
      }
      this.advance();
      const statements = this.parseStatementsUntilDedent();
      if (this.at('dedent')) this.advance();
      return statements;
    }
    if (this.at('eof') || this.at('dedent')) {
      this.error(`Expected indented block after ${context}.`);
      return [];
    }
    // Single-line block: `if x: a(); b()`
    const statements: ast.Statement[] = [];
    for (;;) {
      const before = this.pos;
      const statement = this.parseStatementSafe();
      if (statement) statements.push(statement);
      if (this.pos === before) this.advance();
      if (this.previous.kind === 'newline' || this.isLineEnd()) break;
      if (this.lambdaLineDepth > 0 && (this.isOp(')') || this.isOp(']') || this.isOp('}') || this.isOp(','))) break;
    }
    return statements;
  }

  private parseStatementsUntilDedent(): ast.Statement[] {
    const statements: ast.Statement[] = [];
    while (!this.at('dedent') && !this.at('eof')) {
      if (this.at('newline') || this.isOp(';')) {
        this.advance();
        continue;
      }
      const before = this.pos;
      const statement = this.parseStatementSafe();
      if (statement) statements.push(statement);
      if (this.pos === before) this.advance();
    }
    return statements;
  }

  private parseStatementSafe(): ast.Statement | undefined {
    try {
      return this.parseStatement();
    } catch (e) {
      if (e !== ABORT) throw e;
      this.synchronize();
      return undefined;
    }
  }

  private parseStatement(): ast.Statement | undefined {
    const tok = this.current;
    if (tok.kind === 'indent') {
      this.error('Unexpected indentation.');
      this.advance();
      this.parseStatementsUntilDedent();
      if (this.at('dedent')) this.advance();
      return undefined;
    }
    if (tok.kind === 'annotation') {
      this.parseAnnotation(); // e.g. @warning_ignore(...) — no effect at run time
      if (this.at('newline')) this.advance();
      return undefined;
    }
    if (tok.kind === 'keyword') {
      switch (tok.text) {
        case 'var':
          return this.parseVar([], false, tok, false);
        case 'static':
          this.fail('"static" can only be used for class members, not inside a function.');
          break;
        case 'class':
        case 'func':
          if (tok.text === 'class' || this.peekAt(1).kind === 'identifier' && this.isOp('(', this.peekAt(2))) {
            this.fail(`Expected statement, found "${tok.text}" instead. Functions and classes can only be declared in a class body (use a lambda: var f = func(x): ...).`);
          }
          break;
        case 'const':
          return this.parseConst();
        case 'if':
          return this.parseIf();
        case 'while':
          return this.parseWhile();
        case 'for':
          return this.parseFor();
        case 'match':
          return this.parseMatch();
        case 'break':
        case 'continue':
        case 'pass':
        case 'breakpoint': {
          this.advance();
          if ((tok.text === 'break' || tok.text === 'continue') && this.loopDepth === 0) {
            this.error(`Cannot use "${tok.text}" outside of a loop.`, tok.range);
          }
          const kind = ({ break: 'Break', continue: 'Continue', pass: 'Pass', breakpoint: 'Breakpoint' } as const)[tok.text];
          const node = { kind, range: tok.range } as ast.Statement;
          this.endStatement(`"${tok.text}"`);
          return node;
        }
        case 'return': {
          this.advance();
          let value: ast.Expr | undefined;
          if (!this.isLineEnd() && !this.isOp(';') && !(this.lambdaLineDepth > 0 && (this.isOp(')') || this.isOp(',') || this.isOp(']') || this.isOp('}')))) {
            value = this.parseExpressionRequired('Expected expression after "return".');
          }
          const node: ast.ReturnStatement = { kind: 'Return', value, range: this.rangeFrom(tok.range) };
          this.endStatement('return statement');
          return node;
        }
        case 'assert': {
          this.advance();
          this.expectOp('(', 'Expected "(" after "assert".');
          const condition = this.parseExpressionRequired('Expected expression to assert.');
          let message: ast.Expr | undefined;
          if (this.matchOp(',') && !this.isOp(')')) message = this.parseExpressionRequired('Expected error message for assert after ",".');
          this.matchOp(',');
          this.expectOp(')', 'Expected ")" after assert expression.');
          const node: ast.AssertStatement = { kind: 'Assert', condition, message, range: this.rangeFrom(tok.range) };
          this.endStatement('"assert"');
          return node;
        }
        case 'elif':
        case 'else':
          this.fail(`"${tok.text}" without matching "if".`);
      }
    }
    if (!this.canStartExpression(tok)) this.fail(`Expected statement, found "${describeToken(tok)}" instead.`);
    const expression = this.parseExpressionRequired('Expected expression.');
    if (this.at('operator') && ASSIGNMENT_OPERATORS.has(this.current.text)) {
      const opTok = this.advance();
      if (expression.kind !== 'Identifier' && expression.kind !== 'Member' && expression.kind !== 'Subscript') {
        this.error('Cannot assign a new value to this expression.', expression.range);
      }
      const value = this.parseExpressionRequired(`Expected expression after "${opTok.text}".`);
      const node: ast.AssignStatement = {
        kind: 'Assign', operator: opTok.text as ast.AssignmentOperator, target: expression, value, range: this.rangeFrom(tok.range),
      };
      this.endStatement('assignment');
      return node;
    }
    const node: ast.ExprStatement = { kind: 'Expression', expression, range: expression.range };
    this.endStatement('expression');
    return node;
  }

  private parseIf(): ast.IfStatement {
    const start = this.advance(); // if
    const branches: ast.IfBranch[] = [];
    const condition = this.parseExpressionRequired('Expected conditional expression after "if".');
    this.expectOp(':', 'Expected ":" after "if" condition.');
    const body = this.parseBlock('"if" block');
    branches.push({ condition, body, range: this.rangeFrom(start.range) });
    let elseBody: ast.Statement[] | undefined;
    for (;;) {
      if (this.isKw('elif')) {
        const elifTok = this.advance();
        const c = this.parseExpressionRequired('Expected conditional expression after "elif".');
        this.expectOp(':', 'Expected ":" after "elif" condition.');
        const b = this.parseBlock('"elif" block');
        branches.push({ condition: c, body: b, range: this.rangeFrom(elifTok.range) });
        continue;
      }
      if (this.isKw('else')) {
        this.advance();
        this.expectOp(':', 'Expected ":" after "else".');
        elseBody = this.parseBlock('"else" block');
      }
      break;
    }
    return { kind: 'If', branches, elseBody, range: this.rangeFrom(start.range) };
  }

  private parseWhile(): ast.WhileStatement {
    const start = this.advance();
    const condition = this.parseExpressionRequired('Expected conditional expression after "while".');
    this.expectOp(':', 'Expected ":" after "while" condition.');
    const body = this.parseLoopBody('"while" block');
    return { kind: 'While', condition, body, range: this.rangeFrom(start.range) };
  }

  private parseLoopBody(context: string): ast.Statement[] {
    this.loopDepth++;
    try {
      return this.parseBlock(context);
    } finally {
      this.loopDepth--;
    }
  }

  private parseFor(): ast.ForStatement {
    const start = this.advance();
    const variable = this.expectIdentifier('Expected loop variable name after "for".');
    let variableType: ast.TypeNode | undefined;
    if (this.matchOp(':')) {
      variableType = this.parseType();
      if (!variableType) this.fail('Expected type specifier after ":".');
    }
    if (!this.matchKw('in')) this.fail('Expected "in" after "for" variable name.');
    const iterable = this.parseExpressionRequired('Expected iterable after "in".');
    this.expectOp(':', 'Expected ":" after "for" condition.');
    const body = this.parseLoopBody('"for" block');
    return {
      kind: 'For', variable: variable.text, variableRange: variable.range, variableType, iterable, body,
      range: this.rangeFrom(start.range),
    };
  }

  private parseMatch(): ast.MatchStatement {
    const start = this.advance();
    const subject = this.parseExpressionRequired('Expected expression to test after "match".');
    this.expectOp(':', 'Expected ":" after "match" expression.');
    if (!this.at('newline')) this.fail('Expected a newline after "match" statement.');
    const newline = this.advance();
    const branches: ast.MatchBranch[] = [];
    if (!this.at('indent')) {
      this.error('Expected an indented block after "match" statement.', newline.range);
      return { kind: 'Match', subject, branches, range: this.rangeFrom(start.range) };
    }
    this.advance();
    while (!this.at('dedent') && !this.at('eof')) {
      if (this.at('newline')) {
        this.advance();
        continue;
      }
      const before = this.pos;
      try {
        const branchStart = this.current.range;
        const patterns = [this.parsePattern()];
        while (this.matchOp(',')) patterns.push(this.parsePattern());
        let guard: ast.Expr | undefined;
        if (this.matchKw('when')) guard = this.parseExpressionRequired('Expected expression for pattern guard after "when".');
        this.expectOp(':', 'Expected ":" after "match" patterns.');
        const body = this.parseBlock('"match" branch');
        branches.push({ patterns, guard, body, range: this.rangeFrom(branchStart) });
      } catch (e) {
        if (e !== ABORT) throw e;
        this.synchronize();
      }
      if (this.pos === before) this.advance();
    }
    if (this.at('dedent')) this.advance();
    return { kind: 'Match', subject, branches, range: this.rangeFrom(start.range) };
  }

  private parsePattern(): ast.Pattern {
    const tok = this.current;
    if (tok.kind === 'identifier' && tok.text === '_') {
      this.advance();
      return { kind: 'WildcardPattern', range: tok.range };
    }
    if (this.isKw('var')) {
      this.advance();
      const name = this.expectIdentifier('Expected bind name after "var".');
      return { kind: 'BindingPattern', name: name.text, range: this.rangeFrom(tok.range) };
    }
    if (this.isOp('[')) {
      this.advance();
      const elements: ast.Pattern[] = [];
      let rest = false;
      while (!this.isOp(']')) {
        if (this.isOp('..')) {
          this.advance();
          rest = true;
          break;
        }
        elements.push(this.parsePattern());
        if (!this.matchOp(',')) break;
      }
      this.expectOp(']', 'Expected "]" to close the array pattern.');
      return { kind: 'ArrayPattern', elements, rest, range: this.rangeFrom(tok.range) };
    }
    if (this.isOp('{')) {
      this.advance();
      const entries: { key: ast.Expr; value: ast.Pattern | undefined }[] = [];
      let rest = false;
      while (!this.isOp('}')) {
        if (this.isOp('..')) {
          this.advance();
          rest = true;
          break;
        }
        const key = this.parseExpressionRequired('Expected key for dictionary pattern.');
        let value: ast.Pattern | undefined;
        if (this.matchOp(':')) value = this.parsePattern();
        entries.push({ key, value });
        if (!this.matchOp(',')) break;
      }
      this.expectOp('}', 'Expected "}" to close the dictionary pattern.');
      return { kind: 'DictionaryPattern', entries, rest, range: this.rangeFrom(tok.range) };
    }
    const expression = this.parseExpressionRequired('Expected pattern.');
    return { kind: 'ExpressionPattern', expression, range: expression.range };
  }

  // ---- types ------------------------------------------------------------------------------

  private parseType(): ast.TypeNode | undefined {
    const start = this.current;
    if (start.kind !== 'identifier' && !this.isKw('void')) return undefined;
    this.advance();
    let name = start.text;
    while (this.isOp('.') && this.peekAt(1).kind === 'identifier') {
      this.advance();
      name += '.' + this.advance().text;
    }
    const typeArguments: ast.TypeNode[] = [];
    if (this.isOp('[')) {
      this.advance();
      for (;;) {
        const t = this.parseType();
        if (!t) this.fail(`Expected type for collection after "${this.previous.text}".`);
        typeArguments.push(t);
        if (!this.matchOp(',')) break;
      }
      this.expectOp(']', 'Expected closing "]" after collection type.');
    }
    return { kind: 'Type', name, typeArguments, range: this.rangeFrom(start.range) };
  }

  // ---- expressions ------------------------------------------------------------------------

  private canStartExpression(t: Token): boolean {
    switch (t.kind) {
      case 'identifier': case 'int': case 'float': case 'string': case 'string_name': case 'node_path':
        return true;
      case 'keyword':
        return ['true', 'false', 'null', 'self', 'super', 'not', 'await', 'func', 'preload', 'yield'].includes(t.text);
      case 'operator':
        return ['(', '[', '{', '-', '+', '~', '!', '$', '%'].includes(t.text);
      default:
        return false;
    }
  }

  private parseExpressionRequired(message: string): ast.Expr {
    if (!this.canStartExpression(this.current)) this.fail(message);
    return this.parsePrecedence(Prec.Cast);
  }

  private parsePrecedence(min: Prec): ast.Expr {
    let left = this.parsePrefix();
    for (;;) {
      const t = this.current;
      if (t.kind === 'operator' || t.kind === 'keyword') {
        const text = t.text;
        // Binary operators (left-associative).
        const binaryPrec = BINARY_PRECEDENCE[text];
        if (binaryPrec !== undefined && (t.kind === 'operator' || text === 'and' || text === 'or' || text === 'in')) {
          if (binaryPrec < min) break;
          this.advance();
          const operator = (text === '&&' ? 'and' : text === '||' ? 'or' : text) as ast.BinaryOperator;
          const right = this.parseOperand(binaryPrec + 1, `Expected expression after "${text}" operator.`);
          left = { kind: 'Binary', operator, left, right, operatorRange: t.range, range: spanRanges(left.range, right.range) };
          continue;
        }
        if (t.kind === 'keyword' && text === 'not' && this.isKw('in', this.peekAt(1))) {
          if (Prec.ContentTest < min) break;
          this.advance();
          const inTok = this.advance();
          const right = this.parseOperand(Prec.ContentTest + 1, 'Expected expression after "not in" operator.');
          left = {
            kind: 'Binary', operator: 'not in', left, right, operatorRange: spanRanges(t.range, inTok.range),
            range: spanRanges(left.range, right.range),
          };
          continue;
        }
        if (t.kind === 'keyword' && text === 'is') {
          if (Prec.TypeTest < min) break;
          this.advance();
          const negated = this.matchKw('not');
          const type = this.parseType();
          if (!type) this.fail('Expected type specifier after "is".');
          left = { kind: 'Is', value: left, type, negated, range: spanRanges(left.range, type.range) };
          continue;
        }
        if (t.kind === 'keyword' && text === 'as') {
          if (Prec.Cast < min) break;
          this.advance();
          const type = this.parseType();
          if (!type) this.fail('Expected type specifier after "as".');
          left = { kind: 'As', value: left, type, range: spanRanges(left.range, type.range) };
          continue;
        }
        if (t.kind === 'keyword' && text === 'if') {
          if (Prec.Ternary < min) break;
          this.advance();
          const condition = this.parseOperand(Prec.Ternary, 'Expected expression as ternary condition after "if".');
          if (!this.matchKw('else')) this.fail('Expected "else" after ternary operator condition.');
          const whenFalse = this.parseOperand(Prec.Ternary, 'Expected expression after "else".');
          left = { kind: 'Ternary', condition, whenTrue: left, whenFalse, range: spanRanges(left.range, whenFalse.range) };
          continue;
        }
        if (t.kind === 'operator' && text === '(') {
          if (Prec.Call < min) break;
          this.advance();
          const args = this.parseArguments();
          if (left.kind !== 'Identifier' && left.kind !== 'Member' && left.kind !== 'Super') {
            this.error('Cannot call on an expression. Use ".call()" if it\'s a Callable.', left.range);
          }
          left = { kind: 'Call', callee: left, args, range: this.rangeFrom(left.range) };
          continue;
        }
        if (t.kind === 'operator' && text === '.') {
          if (Prec.Attribute < min) break;
          this.advance();
          const nameTok = this.current;
          if (nameTok.kind !== 'identifier' && nameTok.kind !== 'keyword') {
            this.fail('Expected identifier after "." for attribute access.');
          }
          this.advance();
          left = { kind: 'Member', object: left, name: nameTok.text, nameRange: nameTok.range, range: spanRanges(left.range, nameTok.range) };
          continue;
        }
        if (t.kind === 'operator' && text === '[') {
          if (Prec.Subscript < min) break;
          this.advance();
          const index = this.parseExpressionRequired('Expected expression after "[".');
          this.expectOp(']', 'Expected "]" after subscription index.');
          left = { kind: 'Subscript', object: left, index, range: this.rangeFrom(left.range) };
          continue;
        }
      }
      break;
    }
    return left;
  }

  private parseOperand(min: Prec, message: string): ast.Expr {
    if (!this.canStartExpression(this.current)) this.fail(message);
    return this.parsePrecedence(min);
  }

  /**
   * Godot 3's `yield(object, "signal")` / `yield()`: a syntax error, recorded in `godot3` and read as
   * `await object.signal` (`await object` for other arguments, `await null` without).
   */
  private parseGodot3Yield(): ast.Expr {
    const tok = this.advance();
    this.error('Expected statement, found "yield" instead. Godot 4 replaced "yield" with "await".', tok.range);
    this.expectOp('(', 'Expected "(" after "yield" (Godot 3 wrote yield(object, "signal"); Godot 4 writes await object.signal).');
    const args = this.parseArguments();
    const range = this.rangeFrom(tok.range);
    this.godot3.push({ kind: 'yield', range, args });
    const [object, signal] = args;
    let value: ast.Expr = object ?? { kind: 'Literal', literalKind: 'null', value: null, range };
    if (object && signal?.kind === 'Literal' && signal.literalKind === 'string')
      value = { kind: 'Member', object, name: String(signal.value), nameRange: signal.range, range };
    return { kind: 'Await', value, range };
  }

  private parseArguments(): ast.Expr[] {
    const args: ast.Expr[] = [];
    while (!this.isOp(')')) {
      args.push(this.parseExpressionRequired('Expected expression as the function argument.'));
      if (!this.matchOp(',')) break;
    }
    this.expectOp(')', 'Expected closing ")" after call arguments.');
    return args;
  }

  private parsePrefix(): ast.Expr {
    const t = this.current;
    switch (t.kind) {
      case 'int':
      case 'float':
        this.advance();
        return { kind: 'Literal', literalKind: t.kind, value: t.value as number | bigint, range: t.range };
      case 'string':
      case 'string_name':
      case 'node_path':
        this.advance();
        return { kind: 'Literal', literalKind: t.kind, value: t.value as string, range: t.range };
      case 'identifier':
        this.advance();
        return { kind: 'Identifier', name: t.text, range: t.range };
      case 'keyword':
        switch (t.text) {
          case 'true':
          case 'false':
            this.advance();
            return { kind: 'Literal', literalKind: 'bool', value: t.text === 'true', range: t.range };
          case 'null':
            this.advance();
            return { kind: 'Literal', literalKind: 'null', value: null, range: t.range };
          case 'self':
            this.advance();
            return { kind: 'Self', range: t.range };
          case 'super':
            this.advance();
            return { kind: 'Super', range: t.range };
          case 'not': {
            this.advance();
            const operand = this.parseOperand(Prec.LogicNot, 'Expected expression after "not" operator.');
            return { kind: 'Unary', operator: 'not', operand, range: spanRanges(t.range, operand.range) };
          }
          case 'await': {
            this.advance();
            const value = this.parseOperand(Prec.Await, 'Expected signal or coroutine after "await".');
            return { kind: 'Await', value, range: spanRanges(t.range, value.range) };
          }
          case 'yield':
            return this.parseGodot3Yield();
          case 'preload': {
            this.advance();
            this.expectOp('(', 'Expected "(" after "preload".');
            const path = this.parseExpressionRequired('Expected resource path after "(".');
            this.expectOp(')', 'Expected ")" after preload path.');
            return { kind: 'Preload', path, range: this.rangeFrom(t.range) };
          }
          case 'func':
            return this.parseLambda();
        }
        break;
      case 'operator':
        switch (t.text) {
          case '(': {
            this.advance();
            const inner = this.parseExpressionRequired('Expected expression after "(".');
            this.expectOp(')', 'Expected closing ")" after grouping expression.');
            return inner;
          }
          case '[': {
            this.advance();
            const elements: ast.Expr[] = [];
            while (!this.isOp(']')) {
              elements.push(this.parseExpressionRequired('Expected expression as array element.'));
              if (!this.matchOp(',')) break;
            }
            this.expectOp(']', 'Expected closing "]" after array elements.');
            return { kind: 'Array', elements, range: this.rangeFrom(t.range) };
          }
          case '{':
            return this.parseDictionary();
          case '-':
          case '+':
          case '~':
          case '!': {
            this.advance();
            const prec = t.text === '~' ? Prec.BitNot : t.text === '!' ? Prec.LogicNot : Prec.Sign;
            const operand = this.parseOperand(prec, `Expected expression after "${t.text}" operator.`);
            const operator = (t.text === '!' ? 'not' : t.text) as ast.UnaryOperator;
            // Fold negative number literals so that `-5` is a literal (like Godot's reduced constants).
            if (operator === '-' && operand.kind === 'Literal' && (operand.literalKind === 'int' || operand.literalKind === 'float')) {
              const v = operand.value as number | bigint;
              return { ...operand, value: typeof v === 'bigint' ? intFromBig(-v) : v === 0 && operand.literalKind === 'int' ? 0 : -v, range: spanRanges(t.range, operand.range) };
            }
            return { kind: 'Unary', operator, operand, range: spanRanges(t.range, operand.range) };
          }
          case '$':
            return this.parseGetNode();
          case '%': {
            this.advance();
            if (!this.at('identifier') && !this.at('keyword')) this.fail('Expected unique node name after "%".');
            let path = '%' + this.advance().text;
            while (this.isOp('/') && this.peekAt(1).kind === 'identifier') {
              this.advance();
              path += '/' + this.advance().text;
            }
            return { kind: 'GetNode', path, syntax: '%', range: this.rangeFrom(t.range) };
          }
        }
        break;
    }
    this.fail(`Expected expression, found "${describeToken(t)}" instead.`);
  }

  private parseDictionary(): ast.DictionaryExpr {
    const start = this.advance(); // {
    const entries: ast.DictionaryEntry[] = [];
    while (!this.isOp('}')) {
      // Lua-style `{ key = value }`: the identifier is a String key.
      if (this.at('identifier') && this.isOp('=', this.peekAt(1))) {
        const keyTok = this.advance();
        this.advance(); // =
        const value = this.parseExpressionRequired('Expected expression as dictionary value.');
        entries.push({ key: { kind: 'Literal', literalKind: 'string', value: keyTok.text, range: keyTok.range }, value });
      } else {
        const key = this.parseExpressionRequired('Expected expression as dictionary key.');
        this.expectOp(':', 'Expected ":" after dictionary key.');
        const value = this.parseExpressionRequired('Expected expression as dictionary value.');
        entries.push({ key, value });
      }
      if (!this.matchOp(',')) break;
    }
    this.expectOp('}', 'Expected closing "}" after dictionary elements.');
    return { kind: 'Dictionary', entries, range: this.rangeFrom(start.range) };
  }

  private parseGetNode(): ast.GetNodeExpr {
    const start = this.advance(); // $
    let path = '';
    let syntax: ast.GetNodeExpr['syntax'] = '$';
    if (this.at('string')) {
      path = String(this.advance().value);
      syntax = '$"';
    } else {
      if (this.isOp('%')) path += this.advance().text;
      if (!this.at('identifier') && !this.at('keyword')) this.fail('Expected node path as string or identifier after "$".');
      path += this.advance().text;
      while (this.isOp('/') && (this.peekAt(1).kind === 'identifier' || this.isOp('%', this.peekAt(1)))) {
        this.advance();
        path += '/';
        if (this.isOp('%')) path += this.advance().text;
        path += this.expectIdentifier('Expected node path after "/".').text;
      }
    }
    return { kind: 'GetNode', path, syntax, range: this.rangeFrom(start.range) };
  }

  private parseLambda(): ast.LambdaExpr {
    const start = this.advance(); // func
    let name: string | undefined;
    if (this.at('identifier')) name = this.advance().text;
    this.expectOp('(', 'Expected opening "(" after lambda declaration.');
    const params = this.parseParameters('lambda parameters');
    let returnType: ast.TypeNode | undefined;
    if (this.matchOp('->')) {
      returnType = this.parseType();
      if (!returnType) this.fail('Expected return type or "void" after "->".');
    }
    this.expectOp(':', 'Expected ":" after lambda declaration.');
    const singleLine = !this.at('newline');
    if (singleLine) this.lambdaLineDepth++;
    const outerLoops = this.loopDepth;
    this.loopDepth = 0;
    let body: ast.Statement[];
    try {
      body = this.parseBlock('lambda declaration');
    } finally {
      if (singleLine) this.lambdaLineDepth--;
      this.loopDepth = outerLoops;
    }
    return { kind: 'Lambda', name, params, returnType, body, range: this.rangeFrom(start.range) };
  }
}
