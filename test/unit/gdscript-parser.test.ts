import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, type ast, type Range } from '../../engine/gdscript';
import { CLIENT_SCRIPT, SERVER_SCRIPT } from './gdscript-scripts';

/** Every object with a `kind` in the tree (nodes), with the path that led to it. */
function allNodes(root: unknown): { kind: string; range?: Range }[] {
  const out: { kind: string; range?: Range }[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.kind === 'string') out.push(o as { kind: string; range?: Range });
      for (const [k, x] of Object.entries(o)) if (k !== 'range' && k !== 'nameRange' && k !== 'operatorRange') visit(x);
    }
  };
  visit(root);
  return out;
}

function findCall(script: ast.ScriptNode, name: string): ast.CallExpr[] {
  return allNodes(script).filter(
    (n): n is ast.CallExpr => n.kind === 'Call' && (n as ast.CallExpr).callee.kind === 'Identifier' && ((n as ast.CallExpr).callee as ast.IdentifierExpr).name === name,
  );
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

describe('GDScript parser', () => {
  it('parses the DTLS server and client snippets with zero errors', () => {
    for (const src of [SERVER_SCRIPT, CLIENT_SCRIPT]) {
      const { script, errors } = parse(src);
      assert.deepEqual(errors, []);
      assert.equal(script.extendsName, 'Node');
    }
    const server = parse(SERVER_SCRIPT).script;
    assert.deepEqual(server.members.map((m) => m.kind + ':' + ('name' in m ? m.name : '')), [
      'Var:udp_server', 'Var:dtls_server', 'Var:peers', 'Function:_ready', 'Function:_process',
    ]);
    const peers = server.members[2] as ast.VarStatement;
    assert.equal(peers.type?.name, 'Array');
    assert.equal(peers.type?.typeArguments[0].name, 'PacketPeerDTLS');
    assert.equal((server.members[0] as ast.VarStatement).inferType, true);
  });

  it('gives every node a range, inside the script range, shifted by lineOffset', () => {
    const { script } = parse(SERVER_SCRIPT, { lineOffset: 20 });
    const nodes = allNodes(script);
    assert.ok(nodes.length > 100);
    for (const n of nodes) {
      assert.ok(n.range, `${n.kind} has a range`);
      assert.ok(before(n.range.start, n.range.end), `${n.kind} range is ordered`);
      assert.ok(n.range.start.line >= 20 && n.range.end.line <= 20 + 28, `${n.kind} range is shifted`);
    }
  });

  it('puts the print call of the client on the right line and column', () => {
    const { script } = parse(CLIENT_SCRIPT, { lineOffset: 5 });
    const prints = findCall(script, 'print');
    assert.equal(prints.length, 2);
    // `\tprint("status: ", dtls.get_status())` is line 11 of the snippet.
    assert.deepEqual(prints[0].range, { start: { line: 16, character: 1 }, end: { line: 16, character: 37 } });
    const last = prints[1];
    assert.equal(last.range.start.line, 5 + 16);
    const arg = last.args[1] as ast.CallExpr;
    assert.equal(arg.kind, 'Call');
    assert.equal((arg.callee as ast.MemberExpr).name, 'get_string_from_utf8');
  });

  it('reports several syntax errors in one file and keeps parsing valid code after them', () => {
    const src = [
      'extends Node', // 0
      'var x =', // 1
      'func empty():', // 2
      'func ok():', // 3
      '\tif true', // 4
      '\t\tpass', // 5
      '\tprint("still parsed")', // 6
      'var y = 1 +', // 7
      'var z := 3', // 8
    ].join('\n');
    const { script, errors } = parse(src, { lineOffset: 100 });
    assert.deepEqual(
      errors.map((e) => [e.range.start.line, e.message]),
      [
        [101, 'Expected expression for variable initial value after "=".'],
        [102, 'Expected indented block after function declaration.'],
        [104, 'Expected ":" after "if" condition.'],
        [107, 'Expected expression after "+" operator.'],
      ],
    );
    assert.deepEqual(errors[0].range.start, { line: 101, character: 7 });
    const names = script.members.map((m) => (m as { name?: string }).name ?? m.kind);
    assert.deepEqual(names, ['empty', 'ok', 'z']);
    assert.equal(findCall(script, 'print').length, 1);
  });

  it('follows Godot operator precedence', () => {
    const expr = (src: string): ast.Expr => {
      const { script, errors } = parse(`var v = ${src}`);
      assert.deepEqual(errors, [], src);
      return (script.members[0] as ast.VarStatement).initializer as ast.Expr;
    };
    const show = (e: ast.Expr): string => {
      switch (e.kind) {
        case 'Binary': return `(${show(e.left)} ${e.operator} ${show(e.right)})`;
        case 'Unary': return `(${e.operator} ${show(e.operand)})`;
        case 'Literal': return String(e.value);
        case 'Identifier': return e.name;
        case 'Ternary': return `(${show(e.whenTrue)} if ${show(e.condition)} else ${show(e.whenFalse)})`;
        case 'Is': return `(${show(e.value)} is${e.negated ? ' not' : ''} ${e.type.name})`;
        case 'As': return `(${show(e.value)} as ${e.type.name})`;
        case 'Member': return `${show(e.object)}.${e.name}`;
        case 'Call': return `${show(e.callee)}(${e.args.map(show).join(', ')})`;
        case 'Subscript': return `${show(e.object)}[${show(e.index)}]`;
        default: return e.kind;
      }
    };
    assert.equal(show(expr('1 + 2 * 3 ** 2')), '(1 + (2 * (3 ** 2)))');
    assert.equal(show(expr('1 - 2 - 3')), '((1 - 2) - 3)');
    assert.equal(show(expr('not a == b and c')), '((not (a == b)) and c)');
    assert.equal(show(expr('a or b and c')), '(a or (b and c))');
    assert.equal(show(expr('x in arr and y not in arr')), '((x in arr) and (y not in arr))');
    assert.equal(show(expr('-a ** 2')), '(- (a ** 2))');
    assert.equal(show(expr('-5 + a')), '(-5 + a)');
    assert.equal(show(expr('a if c else b if d else e')), '(a if c else (b if d else e))');
    assert.equal(show(expr('x is int and y is not String')), '((x is int) and (y is not String))');
    assert.equal(show(expr('a + b as int')), '((a + b) as int)');
    assert.equal(show(expr('a.b(c)[0].d')), 'a.b(c)[0].d');
    assert.equal(show(expr('1 << 2 + 3 & 4 | 5 ^ 6')), '(((1 << (2 + 3)) & 4) | (5 ^ 6))');
  });

  it('parses the rest of the statement grammar', () => {
    const src = `class_name Lab extends Node
const LIMIT = 10
signal done(result: int)
enum State { IDLE, RUNNING = 5, DONE }
enum { A, B }
@export var speed: float = 1.5
static var counter := 0

func compute(a: int, b := 2, c: float = 1.0) -> int:
	var total := 0
	for i in range(a):
		if i % 2 == 0: continue
		elif i > 5:
			break
		else:
			total += i
	while total > 100: total -= 1
	match total:
		0, 1:
			pass
		[var first, ..]:
			return first
		{"k": var v}:
			return v
		_ when total > 3:
			total = -total
	var d := {"a": 1, b = [1, 2.5, "x"], }
	d["a"] += 1
	self.speed = d.a * 2
	var f := func(x): return x * 2
	assert(total >= 0, "never negative")
	return total if total else -1
`;
    const { script, errors } = parse(src);
    assert.deepEqual(errors, []);
    assert.equal(script.className, 'Lab');
    assert.equal(script.extendsName, 'Node');
    const fn = script.members.find((m) => m.kind === 'Function') as ast.FunctionDecl;
    assert.deepEqual(fn.params.map((p) => [p.name, p.type?.name, p.defaultValue?.kind]), [
      ['a', 'int', undefined], ['b', undefined, 'Literal'], ['c', 'float', 'Literal'],
    ]);
    assert.equal(fn.returnType?.name, 'int');
    assert.deepEqual(fn.body.map((s) => s.kind), [
      'Var', 'For', 'While', 'Match', 'Var', 'Assign', 'Assign', 'Var', 'Assert', 'Return',
    ]);
    const match = fn.body[3] as ast.MatchStatement;
    assert.deepEqual(match.branches.map((b) => b.patterns.map((p) => p.kind)), [
      ['ExpressionPattern', 'ExpressionPattern'], ['ArrayPattern'], ['DictionaryPattern'], ['WildcardPattern'],
    ]);
    assert.ok(match.branches[3].guard);
    const en = script.members.find((m) => m.kind === 'Enum' && m.name === 'State') as ast.EnumDecl;
    assert.deepEqual(en.values.map((v) => v.name), ['IDLE', 'RUNNING', 'DONE']);
  });

  it('reports break outside a loop and statements in the class body', () => {
    const { errors } = parse('func f():\n\tbreak\nprint("x")\n');
    assert.deepEqual(errors.map((e) => e.message), [
      'Cannot use "break" outside of a loop.',
      'Unexpected "print" in class body.',
    ]);
  });

  it('reports missing closing brackets and unexpected tokens', () => {
    const { errors } = parse('func f():\n\tprint("a"]\n\tvar x = 1 2\n\tfoo(1,)\n\treturn [1, 2');
    assert.deepEqual(errors.map((e) => [e.range.start.line, e.message]), [
      [1, 'Expected closing ")" after call arguments.'],
      [2, 'Expected end of statement after variable declaration, found "Literal" instead.'],
      [4, 'Expected closing "]" after array elements.'],
    ]);
  });

  it('also reports static problems found by the compiler', () => {
    const { errors } = parse('extends Node\nconst K = 1\nvar a = 1\nvar a = 2\nfunc f():\n\tK = 3\n\tvar b = 1\n\tvar b = 2\n', { lineOffset: 1 });
    assert.deepEqual(errors.map((e) => [e.range.start.line, e.message]), [
      [4, 'There is already a member named "a" in this class.'],
      [6, 'Cannot assign a new value to a constant.'],
      [8, 'There is already a variable named "b" declared in this scope.'],
    ]);
    assert.deepEqual(parse('const K = 1\nfunc f():\n\tK = 3\n', { check: false }).errors, []);
  });

  it('never throws on garbage input', () => {
    const samples = ['', '\n\n', ')))', 'func', 'func (', 'var', 'if', '\t\tpass', 'match x:\n', '{[(', '"', '"""', 'a = = b', '@', 'class X:'];
    let seed = 7;
    const chars = 'abc():[]{}\n\t =+-*/"\'#@.,!&|<>0123456789 varfuncifwhileforelse';
    for (let n = 0; n < 300; n++) {
      let s = '';
      for (let i = 0; i < 40; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        s += chars[seed % chars.length];
      }
      samples.push(s);
    }
    for (const s of samples) {
      const r = parse(s);
      assert.ok(Array.isArray(r.errors));
      assert.equal(r.script.kind, 'Script');
    }
  });
});
