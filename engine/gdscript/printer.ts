// Prints a syntax tree back as GDScript source that parses to the same tree (ranges aside): the
// parser's round-trip check, and a canonical formatting of scripts. Expressions are fully
// parenthesized, lambdas always use the multi-line form inside parentheses.

import type * as ast from './ast';

export function printScript(script: ast.ScriptNode): string {
  const p = new Printer();
  p.classBody(script, 0, true);
  return p.text();
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v',
};

export function quoteLiteral(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (cp < 0x20 || cp === 0x7f) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function floatLiteral(v: number): string {
  if (Number.isNaN(v)) return 'NAN';
  if (!Number.isFinite(v)) return v > 0 ? 'INF' : '-INF';
  const s = String(v);
  return /[.eE]/.test(s) ? s : s + '.0';
}

class Printer {
  private readonly lines: string[] = [];

  text(): string {
    return this.lines.join('\n') + '\n';
  }

  private line(indent: number, text: string): void {
    this.lines.push('\t'.repeat(indent) + text);
  }

  private doc(indent: number, doc: string | undefined): void {
    if (doc === undefined) return;
    for (const l of doc.split('\n')) this.line(indent, l ? `## ${l}` : '##');
  }

  classBody(body: ast.ClassBody, indent: number, isScript: boolean): void {
    const start = this.lines.length;
    for (const a of body.annotations) this.line(indent, this.annotation(a));
    if (isScript && body.className) {
      this.line(indent, `class_name ${body.className}${body.extendsName ? ' extends ' + this.extendsText(body) : ''}`);
    } else if (isScript && body.extendsName) {
      this.line(indent, `extends ${this.extendsText(body)}`);
    }
    for (const m of body.members) this.member(m, indent);
    if (this.lines.length === start) this.line(indent, 'pass');
  }

  private extendsText(body: ast.ClassBody): string {
    return body.extendsPath ? quoteLiteral(body.extendsName ?? '') : (body.extendsName ?? '');
  }

  private annotation(a: ast.Annotation): string {
    return `@${a.name}${a.args.length ? `(${a.args.map((x) => this.expr(x, 0)).join(', ')})` : ''}`;
  }

  private type(t: ast.TypeNode): string {
    return t.name + (t.typeArguments.length ? `[${t.typeArguments.map((x) => this.type(x)).join(', ')}]` : '');
  }

  private params(params: ast.Parameter[], indent: number): string {
    return params
      .map((p) => {
        if (p.inferType) return `${p.name} := ${this.expr(p.defaultValue as ast.Expr, indent)}`;
        let s = p.name;
        if (p.type) s += `: ${this.type(p.type)}`;
        if (p.defaultValue) s += ` = ${this.expr(p.defaultValue, indent)}`;
        return s;
      })
      .join(', ');
  }

  private member(m: ast.Member, indent: number): void {
    this.doc(indent, m.doc);
    switch (m.kind) {
      case 'Var':
        this.variable(m, indent);
        return;
      case 'Const':
        this.constant(m, indent);
        return;
      case 'Function': {
        for (const a of m.annotations) this.line(indent, this.annotation(a));
        const ret = m.returnType ? ` -> ${this.type(m.returnType)}` : '';
        this.line(indent, `${m.isStatic ? 'static ' : ''}func ${m.name}(${this.params(m.params, indent)})${ret}:`);
        this.block(m.body, indent + 1);
        return;
      }
      case 'Signal':
        for (const a of m.annotations ?? []) this.line(indent, this.annotation(a));
        this.line(indent, `signal ${m.name}${m.hasParens || m.params.length ? `(${this.params(m.params, indent)})` : ''}`);
        return;
      case 'Enum': {
        const values = m.values.map((v) => (v.value ? `${v.name} = ${this.expr(v.value, indent)}` : v.name)).join(', ');
        this.line(indent, `enum ${m.name ? m.name + ' ' : ''}{ ${values} }`);
        return;
      }
      case 'Class':
        this.line(indent, `class ${m.name}${m.body.extendsName ? ' extends ' + this.extendsText(m.body) : ''}:`);
        this.classBody({ ...m.body, extendsName: undefined }, indent + 1, false);
        return;
    }
  }

  private variable(v: ast.VarStatement, indent: number): void {
    for (const a of v.annotations) this.line(indent, this.annotation(a));
    let s = `${v.isStatic ? 'static ' : ''}var ${v.name}`;
    if (v.inferType) s += ` := ${this.expr(v.initializer as ast.Expr, indent)}`;
    else {
      if (v.type) s += `: ${this.type(v.type)}`;
      if (v.initializer) s += ` = ${this.expr(v.initializer, indent)}`;
    }
    if (!v.setter && !v.getter) {
      this.line(indent, s);
      return;
    }
    this.line(indent, s + ':');
    for (const [accessor, word] of [[v.setter, 'set'], [v.getter, 'get']] as const) {
      if (!accessor) continue;
      if (accessor.kind === 'NamedAccessor') {
        this.line(indent + 1, `${word} = ${accessor.name}`);
      } else {
        const param = accessor.parameter ? `(${this.params([accessor.parameter], indent)})` : '';
        this.line(indent + 1, `${word}${param}:`);
        this.block(accessor.body, indent + 2);
      }
    }
  }

  private constant(c: ast.ConstStatement, indent: number): void {
    const type = c.type ? `: ${this.type(c.type)}` : '';
    this.line(indent, `const ${c.name}${c.inferType ? ' :=' : `${type} =`} ${this.expr(c.initializer, indent)}`);
  }

  private block(statements: ast.Statement[], indent: number): void {
    if (statements.length === 0) this.line(indent, 'pass');
    for (const s of statements) this.statement(s, indent);
  }

  private statement(s: ast.Statement, indent: number): void {
    switch (s.kind) {
      case 'Var':
        this.variable(s, indent);
        return;
      case 'Const':
        this.constant(s, indent);
        return;
      case 'Assign':
        this.line(indent, `${this.expr(s.target, indent)} ${s.operator} ${this.expr(s.value, indent)}`);
        return;
      case 'Expression':
        this.line(indent, this.expr(s.expression, indent));
        return;
      case 'If':
        s.branches.forEach((b, i) => {
          this.line(indent, `${i === 0 ? 'if' : 'elif'} ${this.expr(b.condition, indent)}:`);
          this.block(b.body, indent + 1);
        });
        if (s.elseBody) {
          this.line(indent, 'else:');
          this.block(s.elseBody, indent + 1);
        }
        return;
      case 'While':
        this.line(indent, `while ${this.expr(s.condition, indent)}:`);
        this.block(s.body, indent + 1);
        return;
      case 'For':
        this.line(indent, `for ${s.variable}${s.variableType ? ': ' + this.type(s.variableType) : ''} in ${this.expr(s.iterable, indent)}:`);
        this.block(s.body, indent + 1);
        return;
      case 'Break': case 'Continue': case 'Pass': case 'Breakpoint':
        this.line(indent, s.kind.toLowerCase());
        return;
      case 'Return':
        this.line(indent, s.value ? `return ${this.expr(s.value, indent)}` : 'return');
        return;
      case 'Assert':
        this.line(indent, `assert(${this.expr(s.condition, indent)}${s.message ? ', ' + this.expr(s.message, indent) : ''})`);
        return;
      case 'Match':
        this.line(indent, `match ${this.expr(s.subject, indent)}:`);
        for (const b of s.branches) {
          const guard = b.guard ? ` when ${this.expr(b.guard, indent + 1)}` : '';
          this.line(indent + 1, `${b.patterns.map((p) => this.pattern(p, indent + 1)).join(', ')}${guard}:`);
          this.block(b.body, indent + 2);
        }
        return;
    }
  }

  private pattern(p: ast.Pattern, indent: number): string {
    switch (p.kind) {
      case 'WildcardPattern': return '_';
      case 'BindingPattern': return `var ${p.name}`;
      case 'ExpressionPattern': return this.expr(p.expression, indent);
      case 'ArrayPattern': return `[${[...p.elements.map((e) => this.pattern(e, indent)), ...(p.rest ? ['..'] : [])].join(', ')}]`;
      case 'DictionaryPattern': {
        const entries = p.entries.map((e) => this.expr(e.key, indent) + (e.value ? `: ${this.pattern(e.value, indent)}` : ''));
        return `{${[...entries, ...(p.rest ? ['..'] : [])].join(', ')}}`;
      }
    }
  }

  /** An expression; `indent` is the indentation of the line it starts on (for lambda bodies). */
  expr(e: ast.Expr, indent: number): string {
    switch (e.kind) {
      case 'Literal':
        switch (e.literalKind) {
          case 'int': return String(e.value);
          case 'float': return floatLiteral(e.value as number);
          case 'string': return quoteLiteral(String(e.value));
          case 'string_name': return '&' + quoteLiteral(String(e.value));
          case 'node_path': return '^' + quoteLiteral(String(e.value));
          case 'bool': return e.value ? 'true' : 'false';
          default: return 'null';
        }
      case 'Identifier': return e.name;
      case 'Self': return 'self';
      case 'Super': return 'super';
      case 'Member': return `${this.expr(e.object, indent)}.${e.name}`;
      case 'Call': return `${this.expr(e.callee, indent)}(${e.args.map((a) => this.expr(a, indent)).join(', ')})`;
      case 'Subscript': return `${this.expr(e.object, indent)}[${this.expr(e.index, indent)}]`;
      case 'Unary': return `(${e.operator === 'not' ? 'not ' : e.operator}${this.expr(e.operand, indent)})`;
      case 'Binary': return `(${this.expr(e.left, indent)} ${e.operator} ${this.expr(e.right, indent)})`;
      case 'Ternary': return `(${this.expr(e.whenTrue, indent)} if ${this.expr(e.condition, indent)} else ${this.expr(e.whenFalse, indent)})`;
      case 'Array': return `[${e.elements.map((x) => this.expr(x, indent)).join(', ')}]`;
      case 'Dictionary': return `{${e.entries.map((x) => `${this.expr(x.key, indent)}: ${this.expr(x.value, indent)}`).join(', ')}}`;
      case 'Is': return `(${this.expr(e.value, indent)} is ${e.negated ? 'not ' : ''}${this.type(e.type)})`;
      case 'As': return `(${this.expr(e.value, indent)} as ${this.type(e.type)})`;
      case 'Await': return `(await ${this.expr(e.value, indent)})`;
      case 'GetNode':
        return e.syntax === '$"' ? `$${quoteLiteral(e.path)}` : e.syntax === '%' ? e.path : `$${e.path}`;
      case 'Preload': return `preload(${this.expr(e.path, indent)})`;
      case 'Lambda': {
        // Multi-line form inside parentheses: the body is a block one level deeper.
        const sub = new Printer();
        sub.block(e.body, indent + 1);
        const ret = e.returnType ? ` -> ${this.type(e.returnType)}` : '';
        const header = `(func${e.name ? ' ' + e.name : ''}(${this.params(e.params, indent)})${ret}:`;
        return `${header}\n${sub.lines.join('\n')}\n${'\t'.repeat(indent)})`;
      }
    }
  }
}
