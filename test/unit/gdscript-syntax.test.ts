// The Godot 4 grammar beyond the basics: literals, properties, lambdas in brackets, annotations,
// inner classes, node paths, error messages and recovery.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, tokenize, type ast } from '../../engine/gdscript';

function member<K extends ast.Member['kind']>(src: string, kind: K, index = 0): Extract<ast.Member, { kind: K }> {
  const { script, errors } = parse(src);
  assert.deepEqual(errors.map((e) => e.message), []);
  return script.members.filter((m) => m.kind === kind)[index] as Extract<ast.Member, { kind: K }>;
}

function initializer(src: string): ast.Expr {
  return member(`var v = ${src}`, 'Var').initializer as ast.Expr;
}

function messages(src: string): string[] {
  return parse(src).errors.map((e) => `${e.range.start.line}:${e.range.start.character} ${e.message}`);
}

describe('GDScript literals', () => {
  it('reads every number form', () => {
    const values = tokenize('1_000_000 0xFF_FF 0b1010_1010 1.5e3 2E-2 .25 1. 9223372036854775807 0x8000000000000000')
      .tokens.filter((t) => t.kind === 'int' || t.kind === 'float')
      .map((t) => [t.kind, t.value]);
    assert.deepEqual(values, [
      ['int', 1000000], ['int', 65535], ['int', 170], ['float', 1500], ['float', 0.02], ['float', 0.25], ['float', 1],
      ['int', 9223372036854775807n], ['int', -9223372036854775808n],
    ]);
  });

  it('decodes all string escapes, raw strings and multi-line strings', () => {
    const strings = tokenize(String.raw`"\a\b\f\n\r\t\v\"\'\\" "\u00e9\U01F600" r"C:\path\n" r'it\'s' """line1
line2""" &"sn" ^"node/path"`).tokens.filter((t) => t.kind !== 'newline' && t.kind !== 'eof');
    assert.deepEqual(strings.map((t) => [t.kind, t.value]), [
      ['string', '\x07\b\f\n\r\t\v"\'\\'],
      ['string', 'é😀'],
      ['string', 'C:\\path\\n'],
      ['string', "it\\'s"],
      ['string', 'line1\nline2'],
      ['string_name', 'sn'],
      ['node_path', 'node/path'],
    ]);
  });

  it('parses literals into typed literal nodes, folding negative numbers', () => {
    assert.deepEqual(initializer('-0x10'), { kind: 'Literal', literalKind: 'int', value: -16, range: initializer('-0x10').range });
    assert.equal((initializer('&"x"') as ast.LiteralExpr).literalKind, 'string_name');
    assert.equal((initializer('^"a/b"') as ast.LiteralExpr).literalKind, 'node_path');
  });

  it('attaches ## documentation comments to members', () => {
    const { script } = parse('## The speed.\n## In pixels.\n@export var speed := 1\n## Emitted when done.\nsignal done\nvar x ## trailing, not attached\n');
    assert.deepEqual(script.members.map((m) => m.doc), ['The speed.\nIn pixels.', 'Emitted when done.', undefined]);
  });
});

describe('GDScript declarations', () => {
  it('parses inline property accessors', () => {
    const v = member('var hp: int = 3:\n\tset(value):\n\t\thp = value\n\tget:\n\t\treturn hp\nvar x\n', 'Var');
    assert.equal(v.type?.name, 'int');
    assert.equal(v.setter?.kind, 'InlineAccessor');
    assert.equal(v.setter?.kind === 'InlineAccessor' && v.setter.parameter?.name, 'value');
    assert.equal(v.getter?.kind === 'InlineAccessor' && v.getter.body[0].kind, 'Return');
  });

  it('parses named accessors on one line and in a block, and untyped properties', () => {
    const a = member('var a: set = set_a, get = get_a\nfunc set_a(v): pass\nfunc get_a(): return 1\n', 'Var');
    assert.deepEqual([a.setter?.kind, a.setter?.kind === 'NamedAccessor' && a.setter.name, a.getter?.kind === 'NamedAccessor' && a.getter.name], ['NamedAccessor', 'set_a', 'get_a']);
    const b = member('var b := 2:\n\tget = get_b\nfunc get_b(): return 1\n', 'Var');
    assert.equal(b.getter?.kind === 'NamedAccessor' && b.getter.name, 'get_b');
    const c = member('var c:\n\tget():\n\t\treturn 4\n', 'Var');
    assert.equal(c.getter?.kind, 'InlineAccessor');
  });

  it('reports accessor mistakes', () => {
    assert.deepEqual(messages('var x:\n\tfoo(v):\n\t\tpass\n'), ['1:1 Expected "get" or "set" for property declaration.']);
    assert.deepEqual(messages('func f():\n\tvar x: set = g\n'), ['1:8 Property setters and getters can only be declared in class variables.']);
    assert.deepEqual(messages('var x: set = missing\n'), ['0:7 Could not find the setter function "missing()" for property "x".']);
  });

  it('parses signals with parameters, static members, enums and inner classes', () => {
    const { script, errors } = parse(`class_name Lab extends Node
signal changed(old_value: int, new_value)
signal plain
static var instances := 0
static func make() -> Lab:
	return null
enum { A, B = 4, C, }
enum Mode {
	FAST,
	SLOW = -1,
}
class Inner extends RefCounted:
	const K = 2
	var v := K
	class Deeper:
		pass
`);
    assert.deepEqual(errors, []);
    const signal = script.members[0] as ast.SignalDecl;
    assert.deepEqual(signal.params.map((p) => [p.name, p.type?.name]), [['old_value', 'int'], ['new_value', undefined]]);
    assert.equal((script.members[1] as ast.SignalDecl).params.length, 0);
    assert.deepEqual(script.members.map((m) => m.kind), ['Signal', 'Signal', 'Var', 'Function', 'Enum', 'Enum', 'Class']);
    assert.equal((script.members[2] as ast.VarStatement).isStatic, true);
    assert.equal((script.members[3] as ast.FunctionDecl).isStatic, true);
    const inner = script.members[6] as ast.ClassDecl;
    assert.equal(inner.body.extendsName, 'RefCounted');
    assert.deepEqual(inner.body.members.map((m) => m.kind), ['Const', 'Var', 'Class']);
  });

  it('accepts Godot 4 annotations and rejects unknown ones', () => {
    const { script, errors } = parse(`@tool
@icon("res://icon.svg")
@static_unload
extends Node
@export_range(0, 10, 0.5) var speed := 1.0
@export_enum("A", "B") var choice: int
@export_group("Stats")
@onready var label = 3
@rpc("any_peer", "call_local")
func ping():
	@warning_ignore("unused_variable")
	var x = 1
`);
    assert.deepEqual(errors, []);
    assert.deepEqual(script.annotations.map((a) => a.name), ['tool', 'icon', 'static_unload', 'export_group']);
    assert.deepEqual((script.members[0] as ast.VarStatement).annotations.map((a) => [a.name, a.args.length]), [['export_range', 3]]);
    assert.deepEqual(messages('@exported var x\n@onready func f():\n\tpass\n'), [
      '0:0 Unrecognized annotation: "@exported".',
      '1:0 Annotation "@onready" cannot be applied to a function.',
    ]);
  });
});

describe('GDScript expressions and statements', () => {
  it('parses multi-line lambdas inside call arguments, arrays and dictionaries', () => {
    const { script, errors } = parse(`func f():
	var a = [1, 2].map(func(x):
		var y = x * 2
		return y
	)
	connect("s", func():
		print("a")
		print("b"), 4)
	var d = {"k": func(v):
		return v
	, "n": 1}
	return a
`);
    assert.deepEqual(errors, []);
    const body = (script.members[0] as ast.FunctionDecl).body;
    assert.deepEqual(body.map((s) => s.kind), ['Var', 'Expression', 'Var', 'Return']);
    const call = (body[0] as ast.VarStatement).initializer as ast.CallExpr;
    assert.equal((call.args[0] as ast.LambdaExpr).body.length, 2);
    const connect = (body[1] as ast.ExprStatement).expression as ast.CallExpr;
    assert.deepEqual(connect.args.map((a) => a.kind), ['Literal', 'Lambda', 'Literal']);
    assert.equal(((body[2] as ast.VarStatement).initializer as ast.DictionaryExpr).entries.length, 2);
  });

  it('parses $Path, $"path", %Unique and preload', () => {
    const paths = ['$Player', '$Player/Sprite2D', '$"../Sibling"', '%Health', '%Health/Bar'].map((s) => {
      const e = initializer(s) as ast.GetNodeExpr;
      return [e.path, e.syntax];
    });
    assert.deepEqual(paths, [['Player', '$'], ['Player/Sprite2D', '$'], ['../Sibling', '$"'], ['%Health', '%'], ['%Health/Bar', '%']]);
    assert.equal(initializer('preload("res://a.gd")').kind, 'Preload');
  });

  it('follows Godot 4 precedence for the remaining operators', () => {
    const show = (e: ast.Expr): string => {
      switch (e.kind) {
        case 'Binary': return `(${show(e.left)} ${e.operator} ${show(e.right)})`;
        case 'Unary': return `(${e.operator} ${show(e.operand)})`;
        case 'Literal': return String(e.value);
        case 'Identifier': return e.name;
        case 'Await': return `(await ${show(e.value)})`;
        case 'Call': return `${show(e.callee)}()`;
        case 'Is': return `(${show(e.value)} is ${e.type.name})`;
        case 'Ternary': return `(${show(e.whenTrue)} if ${show(e.condition)} else ${show(e.whenFalse)})`;
        default: return e.kind;
      }
    };
    assert.equal(show(initializer('2 ** 3 ** 2')), '((2 ** 3) ** 2)');
    assert.equal(show(initializer('~a + -b * c')), '((~ a) + ((- b) * c))');
    assert.equal(show(initializer('not a in b')), '(not (a in b))');
    assert.equal(show(initializer('a < b == c')), '((a < b) == c)');
    assert.equal(show(initializer('await f() + 1')), '((await f()) + 1)');
    assert.equal(show(initializer('-x is int')), '(- (x is int))');
    assert.equal(show(initializer('a || b && !c')), '(a or (b and (not c)))');
    assert.equal(show(initializer('x if a else y if b else z')), '(x if a else (y if b else z))');
  });

  it('parses every match pattern form', () => {
    const fn = member(`func f(v):
	match v:
		1, "two", K, Enum.A:
			pass
		var bound:
			pass
		[1, var x, _, ..]:
			pass
		{"a": 1, "b": var y, ..}:
			pass
		{"only_key"}:
			pass
		_ when v > 3:
			pass
`, 'Function');
    const m = fn.body[0] as ast.MatchStatement;
    assert.deepEqual(m.branches.map((b) => b.patterns.map((p) => p.kind).join('+') + (b.guard ? ' when' : '')), [
      'ExpressionPattern+ExpressionPattern+ExpressionPattern+ExpressionPattern',
      'BindingPattern',
      'ArrayPattern',
      'DictionaryPattern',
      'DictionaryPattern',
      'WildcardPattern when',
    ]);
    const arr = m.branches[2].patterns[0] as Extract<ast.Pattern, { kind: 'ArrayPattern' }>;
    assert.deepEqual([arr.elements.map((e) => e.kind), arr.rest], [['ExpressionPattern', 'BindingPattern', 'WildcardPattern'], true]);
  });

  it('parses typed for loops, await, assert, super and is not', () => {
    const { errors } = parse(`extends Node
func f():
	for i: int in range(3):
		await get_tree().process_frame
	assert(true)
	assert(1 < 2, "math")
	super()
	super.f()
	if self is not Node:
		pass
`);
    assert.deepEqual(errors, []);
  });
});

describe('GDScript syntax errors', () => {
  it('reports mixed indentation like Godot', () => {
    assert.deepEqual(messages('func f():\n\t  pass\n'), ['1:0 Mixed use of tabs and spaces for indentation.']);
  });

  it('says what was expected and keeps going after each missing value', () => {
    assert.deepEqual(messages(`func f():
	var a =
	var b = [1, , 2]
	print(a +)
	if:
		pass
	var c = {1: }
	yield(get_tree(), "idle_frame")
	func inner():
		pass
	static var s = 1
`), [
      '1:8 Expected expression for variable initial value after "=".',
      '2:13 Expected expression as array element.',
      '3:10 Expected expression after "+" operator.',
      '4:3 Expected conditional expression after "if".',
      '6:13 Expected expression as dictionary value.',
      '7:1 Expected statement, found "yield" instead. Godot 4 replaced "yield" with "await".',
      '8:1 Expected statement, found "func" instead. Functions and classes can only be declared in a class body (use a lambda: var f = func(x): ...).',
      '10:1 "static" can only be used for class members, not inside a function.',
    ]);
  });

  it('reports class-level mistakes', () => {
    assert.deepEqual(messages('class A extends B:\n\tpass\nclass B extends A:\n\tpass\n'), ['2:16 Cyclic inheritance.']);
    assert.deepEqual(messages('extends "res://base.gd"\n'), ['0:8 Cannot extend "res://base.gd": the lab runs one script on its own and cannot load other script files.']);
    assert.deepEqual(messages('class A:\n\tvar x\nclass B extends A:\n\tvar x\n'), ['3:5 The member "x" already exists in parent class A.']);
    assert.deepEqual(messages('func f():\n\tmatch 1:\n\t\t1, var x:\n\t\t\tpass\n'), ['2:5 Cannot use a variable bind with multiple patterns.']);
  });
});

describe('GDScript printer', () => {
  it('prints a grammar-heavy script so that it parses back to the same tree', async () => {
    const { printScript } = await import('../../engine/gdscript');
    const src = `@tool
class_name Lab extends Node
## Doc.
signal s(a: int, b)
enum Mode { A, B = -2 }
const K := [1, {"a": &"x"}]
@export_range(0, 1) var hp: int = 3:
	set(value):
		hp = value
	get:
		return hp
var named: set = f, get = g
static var count := 0
class Inner extends RefCounted:
	var v = ^"a/b"
func f(x, y := 2, z: Array[int] = []) -> void:
	var cb = [1].map(func(n):
		return n * 2
	)
	match x:
		1, K when y > 0:
			pass
		[var a, _, ..]:
			return
		{"k": var v, ..}:
			pass
	for i: int in range(3):
		if i == 1 and not y or i is int:
			continue
		elif i is not float:
			break
		else:
			x += -i ** 2 % 3
	assert(x != null, "msg")
	await s
	var t = x if y else $Path/To if z else %Unique
	super.f(1)
	print(1.0, 2e-7, 0x10, "q\\"\\n", preload("res://a.gd"), (x as int))
func g():
	return self
`;
    const first = parse(src, { check: false });
    assert.deepEqual(first.errors, []);
    const printed = printScript(first.script);
    const second = parse(printed, { check: false });
    assert.deepEqual(second.errors, []);
    const strip = (n: unknown): unknown => JSON.parse(JSON.stringify(n, (k, v) => (['range', 'nameRange', 'operatorRange', 'extendsRange', 'variableRange', 'doc'].includes(k) ? undefined : typeof v === 'bigint' ? `${v}n` : v)));
    assert.deepEqual(strip(second.script), strip(first.script));
    assert.match(printed, /^@tool\nclass_name Lab extends Node\n## Doc\.\nsignal s\(a: int, b\)/);
  });
});
