// GDScript 4 semantics: classes, inheritance, properties, statics, signals, await, Callables,
// StringName, typed arrays, enums, match, formatting, limits. Each case compares exact output.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emitSignal, GdSignal, parse, ScriptInstance, type RunResult, type Task } from '../../engine/gdscript';
import { FakeHost } from './gdscript-fake-host';

interface Outcome {
  stdout: string[];
  stderr: string[];
  error?: { message: string; line: number; stack: string[] };
}

function finish(task: Task): RunResult {
  for (let i = 0; i < 1000; i++) {
    const r = task.run(1_000_000);
    if (r.kind === 'done' || r.kind === 'error') return r;
  }
  throw new Error('task did not finish');
}

/** Runs _init (member initializers) and _ready(), then queued work; stops at the first error. */
function run(src: string, entry = '_ready'): Outcome & { instance: ScriptInstance; host: FakeHost } {
  const { script, errors } = parse(src);
  assert.deepEqual(errors.map((e) => `${e.range.start.line}: ${e.message}`), []);
  const host = new FakeHost();
  const instance = new ScriptInstance(script, host, { seed: 1, path: 'res://test.gd' });
  const out = { stdout: host.stdout, stderr: host.stderr, instance, host } as Outcome & { instance: ScriptInstance; host: FakeHost };
  for (const task of [() => instance.initialize(), () => instance.call(entry)]) {
    const r = finish(task());
    if (r.kind === 'error') {
      return { ...out, stdout: host.stdout, stderr: host.stderr, error: { message: r.message, line: r.range.start.line + 1, stack: (r.stack ?? []).map((s) => `${s.function}:${s.range.start.line + 1}`) } };
    }
  }
  while (instance.hasPendingWork) {
    const r = finish(instance.runPending());
    if (r.kind === 'error') return { ...out, stdout: host.stdout, stderr: host.stderr, error: { message: r.message, line: r.range.start.line + 1, stack: [] } };
  }
  return { ...out, stdout: host.stdout, stderr: host.stderr };
}

/** Runs the body of _ready() (given without indentation) and returns stdout. */
function body(lines: string, prelude = ''): string[] {
  const src = `${prelude}\nfunc _ready():\n${lines.split('\n').map((l) => '\t' + l).join('\n')}\n`;
  const r = run(src);
  if (r.error) assert.fail(`runtime error at line ${r.error.line}: ${r.error.message}`);
  return r.stdout;
}

function errorOf(lines: string, prelude = ''): { message: string; line: number; stack: string[]; stderr: string[] } {
  const src = `${prelude}\nfunc _ready():\n${lines.split('\n').map((l) => '\t' + l).join('\n')}\n`;
  const r = run(src);
  assert.ok(r.error, 'expected a runtime error');
  return { ...r.error, stderr: r.stderr };
}

describe('GDScript classes', () => {
  it('runs inner classes with inheritance, super calls and overrides', () => {
    const out = body(
      `var d = Dog.new("rex")
print(d.describe())
print(d is Animal, " ", d is Dog, " ", Animal.new("cat") is Dog)
print(Animal.count)`,
      `class Animal:
	var name := "animal"
	static var count := 0
	func _init(n):
		name = n
		count += 1
	func speak():
		return "..."
	func describe():
		return "%s says %s" % [name, speak()]
class Dog extends Animal:
	func _init(n):
		super(n.to_upper())
	func speak():
		return "woof"
	func describe():
		return super.describe() + "!"`,
    );
    assert.deepEqual(out, ['REX says woof!', 'true true false', '2']);
  });

  it('runs member initializers root class first, then the most derived _init', () => {
    const out = body(
      'B.new()',
      `class A:
	var a = log("A.a")
	func _init():
		print("A._init")
class B extends A:
	var b = log("B.b")
	func _init():
		print("B._init")
static func log(s):
	print(s)
	return s`,
    );
    assert.deepEqual(out, ['A.a', 'B.b', 'B._init']);
  });

  it('keeps static variables per class and calls static functions on the class', () => {
    const out = body(
      `Counter.bump()
Counter.bump()
print(Counter.total, " ", Counter.twice(21), " ", helper())`,
      `class Counter:
	static var total := 0
	static func bump():
		total += 1
	static func twice(x):
		return x * 2
static func helper():
	return "static helper"`,
    );
    assert.deepEqual(out, ['2 42 static helper']);
  });

  it('reports static misuse with Godot wording', () => {
    const { errors } = parse('var x = 1\nstatic func f():\n\tprint(x)\n\tg()\n\tprint(self)\nfunc g():\n\tpass\n');
    assert.deepEqual(errors.map((e) => e.message), [
      'Cannot access non-static member "x" from the static function "f()".',
      'Cannot call non-static function "g()" from static function "f()".',
      'Cannot use "self" inside a static function.',
    ]);
    const r = errorOf('Inner.instance_method()', 'class Inner:\n\tfunc instance_method():\n\t\tpass');
    assert.equal(r.message, 'Cannot call non-static function "instance_method()" on the class "Inner" directly. Make an instance instead.');
  });

  it('calls property setters and getters, inline and named, except inside them', () => {
    const out = body(
      `hp = 500
print(hp)
self.hp = -3
print(self.hp)
speed = 2
print(speed, " ", _speed)`,
      `var hp: int = 10:
	set(value):
		hp = clampi(value, 0, 100)
		print("set ", hp)
	get:
		return hp
var _speed := 1
var speed: int: set = set_speed, get = get_speed
func set_speed(v):
	_speed = v * 10
func get_speed():
	return _speed + 1`,
    );
    assert.deepEqual(out, ['set 100', '100', 'set 0', '0', '21 20']);
  });

  it('initializes @onready variables right before _ready()', () => {
    const out = body('print(a, " ", b)', `@onready var b = a + 1\nvar a = 5\nfunc _init():\n\tprint("init ", b)`);
    assert.deepEqual(out, ['init <null>', '5 6']);
  });

  it('supports enums as dictionaries and constants', () => {
    const out = body(
      `print(State.RUN, " ", State.keys(), " ", State.values(), " ", LOW, " ", HIGH)
print(State)
var s: State = State.DONE
print(s, " ", State.find_key(6))`,
      `enum State { IDLE, RUN = 5, DONE }\nenum { LOW = -1, HIGH }`,
    );
    assert.deepEqual(out, ['5 ["IDLE", "RUN", "DONE"] [0, 5, 6] -1 0', '{ "IDLE": 0, "RUN": 5, "DONE": 6 }', '6 DONE']);
  });

  it('calls _to_string() for str() and print()', () => {
    const out = body('print(P.new(), " ", str([P.new()]))', 'class P:\n\tfunc _to_string():\n\t\treturn "P!"');
    assert.deepEqual(out, ['P! [P!]']);
  });
});

describe('GDScript signals and await', () => {
  it('connects, emits with arguments, binds, disconnects and one-shot connections', () => {
    const out = body(
      `hit.connect(on_hit)
hit.connect(on_hit.bind("bound"), CONNECT_ONE_SHOT)
hit.emit(1, "x")
hit.emit(2, "y")
print(hit.is_connected(on_hit), " ", hit.get_connections().size())
hit.disconnect(on_hit)
hit.emit(3, "z")
emit_signal("hit", 4, "w")
connect("hit", func(a, b): print("lambda ", a, b))
emit_signal("hit", 5, "v")`,
      `signal hit(amount, what)\nfunc on_hit(a, b, c = "-"):\n\tprint("hit ", a, " ", b, " ", c)`,
    );
    assert.deepEqual(out, ['hit 1 x -', 'hit 1 x bound', 'hit 2 y -', 'true 1', 'lambda 5v']);
  });

  it('suspends on await signal until another task emits it, then resumes in the emitter', () => {
    const src = `extends Node
signal ready_to_go(value)
var log = []
func _ready():
	log.append("before")
	var v = await ready_to_go
	log.append("got %s" % v)
	var pair = await two
	log.append(str(pair))
signal two(a, b)
func go():
	log.append("emitting")
	ready_to_go.emit(42)
	log.append("emitted")
	two.emit(1, 2)
	return log
`;
    const r = run(src);
    assert.equal(r.error, undefined);
    const done = finish(r.instance.call('go'));
    assert.equal(done.kind, 'done');
    assert.deepEqual(r.instance.getMemberValue('log') && String((r.instance.getMemberValue('log') as { items: unknown[] }).items), 'before,emitting,got 42,emitted,[1, 2]');
  });

  it('awaits coroutines: await f() waits for f to finish and gets its return value', () => {
    const src = `extends Node
signal tick
func slow(x):
	await tick
	return x * 2
func _ready():
	print("start")
	var c = slow(1)
	print(c is Object, " ", c.is_valid())
	var v = await slow(20)
	print("result ", v)
func pulse():
	tick.emit()
`;
    const r = run(src);
    assert.deepEqual(r.stdout, ['start', 'true true']);
    finish(r.instance.call('pulse'));
    assert.deepEqual(r.host.stdout, ['start', 'true true', 'result 40']);
  });

  it('resumes functions awaiting a host object signal through the queued work', () => {
    const src = `extends Node
var counter := Counter.new()
func _ready():
	print("waiting")
	var v = await Signal(counter, "done")
	print("resumed with ", v)
`;
    const r = run(src);
    assert.deepEqual(r.stdout, ['waiting']);
    assert.equal(r.instance.hasPendingWork, false);
    emitSignal(r.host.counters[0], 'done', ['ok']);
    assert.equal(r.instance.hasPendingWork, true);
    assert.equal(finish(r.instance.runPending()).kind, 'done');
    assert.deepEqual(r.host.stdout, ['waiting', 'resumed with ok']);
    assert.ok(new GdSignal(r.host.counters[0], 'done'));
  });

  it('awaiting a plain value just returns it', () => {
    assert.deepEqual(body('var x = await 5\nprint(x)'), ['5']);
  });

  it('prints signal arity errors and carries on', () => {
    const r = run('extends Node\nsignal s(a)\nfunc f():\n\tprint("f")\nfunc _ready():\n\ts.connect(f)\n\ts.emit(1)\n\tprint("after")\n');
    assert.deepEqual(r.stdout, ['after']);
    assert.deepEqual(r.stderr, ["ERROR: Error calling from signal 's' to callable: 'Node(test.gd)::f': Method expected 0 arguments, but called with 1."]);
  });
});

describe('GDScript Callables and lambdas', () => {
  it('binds, unbinds, calls and callv', () => {
    const out = body(
      `var add = func(a, b, c = 0): return a + b + c
print(add.call(1, 2), " ", add.callv([1, 2, 3]), " ", add.bind(10).call(5), " ", add.unbind(1).call(1, 2, 99))
print(add.get_bound_arguments(), " ", add.bind(1, 2).get_bound_arguments())
var m = greet
print(m.call("x"), " ", m.get_method(), " ", Callable(self, "greet").call("y"))`,
      'func greet(n):\n\treturn "hi " + n',
    );
    assert.deepEqual(out, ['3 6 15 3', '[] [1, 2]', 'hi x greet hi y']);
  });

  it('captures locals by value and runs multi-line lambdas inside call arguments', () => {
    const out = body(`var n = 1
var f = func(): return n
n = 2
print(f.call())
var doubled = [1, 2, 3].map(func(x):
	var y = x * 2
	return y
)
print(doubled)
var total = [1, 2, 3, 4].filter(func(x): return x % 2 == 0).reduce(func(a, b): return a + b)
print(total)`);
    assert.deepEqual(out, ['1', '[2, 4, 6]', '6']);
  });

  it('prints callables like Godot', () => {
    const out = body('print(greet, " ", func(): pass, " ", func named(): pass)', 'func greet():\n\tpass');
    assert.deepEqual(out, ['RefCounted(test.gd)::greet <anonymous lambda>(lambda) named(lambda)']);
  });
});

describe('GDScript values', () => {
  it('keeps StringName and NodePath apart from String but equal in comparisons', () => {
    const out = body(`var sn = &"name"
print(sn, " ", typeof(sn), " ", sn == "name", " ", sn is StringName, " ", "name" is StringName)
print([sn, "s", ^"a/b"], " ", {sn: 1})
var d = {}
d[&"k"] = 1
d["k"] = 2
print(d, " ", d.has(&"k"), " ", sn + "!", " ", sn.length(), " ", "%s" % sn)`);
    assert.deepEqual(out, [
      'name 21 true true false',
      '[&"name", "s", ^"a/b"] { "name": 1 }',
      '{ "k": 2 } true name! 4 name',
    ]);
  });

  it('checks typed arrays like Godot', () => {
    const r = run(`extends Node
func _ready():
	var a: Array[int] = [1, 2]
	a.append(3.5)
	a.append(4)
	var f: Array[float] = [1, 2.5]
	print(a, " ", f, " ", a.is_typed(), " ", a.get_typed_builtin())
	var b = [1]
	var c: Array[int] = b
`);
    assert.deepEqual(r.stdout, ['[1, 2, 4] [1, 2.5] true 2']);
    assert.deepEqual(r.stderr, ["ERROR: Attempted to push_back a variable of type 'float' into a TypedArray of type 'int'."]);
    assert.deepEqual(r.error?.message, 'Trying to assign an array of type "Array" to a variable of type "Array[int]".');
    assert.equal(r.error?.line, 9);
  });

  it('has Dictionary and Array reference semantics, duplicate(deep) copies', () => {
    const out = body(`var a = {"x": [1]}
var b = a
var c = a.duplicate()
var d = a.duplicate(true)
b["y"] = 2
a["x"].append(9)
print(a, " ", c, " ", d)`);
    assert.deepEqual(out, ['{ "x": [1, 9], "y": 2 } { "x": [1, 9] } { "x": [1] }']);
  });

  it('wraps 64-bit ints and uses truncating division and modulo', () => {
    const out = body(`print(9223372036854775807 + 1, " ", -9223372036854775808 - 1)
print(7 / 2, " ", -7 / 2, " ", 7 % -3, " ", -7 % 3, " ", 2 ** 62, " ", 0x7F, " ", 0b1010, " ", 1_000_000)
print(7.0 / 2, " ", 1 / 2.0, " ", 10 / 4, " ", 1e3, " ", 2.5e-3)`);
    assert.deepEqual(out, ['-9223372036854775808 9223372036854775807', '3 -3 1 -1 4611686018427387904 127 10 1000000', '3.5 0.5 2 1000 0.0025']);
  });

  it('reports division and modulo by zero with Godot wording', () => {
    assert.equal(errorOf('var z = 0\nprint(1 / z)').message, "Division by zero error in operator '/'.");
    assert.equal(errorOf('var z = 0\nprint(1 % z)').message, "Modulo by zero error in operator '%'.");
    assert.deepEqual(body('var z = 0.0\nprint(1.0 / z, " ", -1 / z)'), ['inf -inf']);
  });

  it('formats with % like String::sprintf', () => {
    const out = body(`print("%5d|%-5d|%05d|%+d|%x|%X|%o|%b" % [42, 42, 42, 7, 255, 255, 8, 5])
print("%s|%10s|%-10s|%c%c" % ["a", "right", "left", 65, "z"])
print("%f|%.2f|%8.3f|%-8.1f|%08.2f|%.0f" % [3.14159, 2.675, -3.14159, 1.25, -1.5, 2.5])
print("%*d|%.*f|%%|%d%%" % [6, 1, 3, 1.0, 50])`);
    assert.deepEqual(out, [
      '   42|42   |00042|+7|ff|FF|10|101',
      'a|     right|left      |Az',
      '3.141590|2.67|  -3.142|1.2     |-0001.50|2',
      '     1|1.000|%|50%',
    ]);
  });

  it('reports % formatting errors like Godot', () => {
    assert.equal(errorOf('print("%d %d" % [1])').message, "not enough arguments for format string in operator '%'.");
    assert.equal(errorOf('print("%d" % [1, 2])').message, "not all arguments converted during string formatting in operator '%'.");
    assert.equal(errorOf('print("%d" % ["x"])').message, "a number is required in operator '%'.");
    assert.equal(errorOf('print("%q" % [1])').message, "unsupported format character in operator '%'.");
  });

  it('prints floats like Godot 4.3 and strings inside containers c-escaped', () => {
    const out = body(`print(1.0, " ", 0.1 + 0.2, " ", 1.0 / 3.0, " ", 100.0 / 3.0, " ", 1e-5, " ", -0.5, " ", 1e15, " ", PI)
print(["it's", "what?", "tab\\t", 1.5, null, true], " ", [[], {}])`);
    assert.deepEqual(out, [
      '1 0.3 0.33333333333333 33.3333333333333 0.00001 -0.5 1000000000000000 3.14159265358979',
      '["it\\\'s", "what\\?", "tab\\t", 1.5, <null>, true] [[], {  }]',
    ]);
  });

  it('runs match with literals, constants, bindings, arrays, dictionaries, several patterns and guards', () => {
    const out = body(
      `for v in [1, 7, "s", [1, 2, 3], [9], {"k": 5, "z": 0}, 3.0, 100]:
	match v:
		1, 2:
			print("one or two")
		LIMIT:
			print("limit")
		"s":
			print("string")
		[1, var second, ..]:
			print("array starting with 1 then ", second)
		[var only]:
			print("single ", only)
		{"k": var k, ..}:
			print("dict k=", k)
		var x when x is float:
			print("float ", x)
		_:
			print("other ", v)`,
      'const LIMIT = 7',
    );
    assert.deepEqual(out, ['one or two', 'limit', 'string', 'array starting with 1 then 2', 'single 9', 'dict k=5', 'float 3', 'other 100']);
  });

  it('fails assert with Godot messages', () => {
    assert.equal(errorOf('assert(1 == 2)').message, 'Assertion failed.');
    assert.equal(errorOf('assert(false, "bad " + str(3))').message, 'Assertion failed: bad 3');
  });

  it('explains $Path, %Unique, preload and load without a scene tree', () => {
    assert.equal(errorOf('var n = $Player/Sprite').message, 'Cannot get node "Player/Sprite" ($Player/Sprite): the lab runs the script on its own, without a scene tree, so there are no nodes to find.');
    assert.equal(errorOf('var n = %Health').message, 'Cannot get node "%Health" (%Health): the lab runs the script on its own, without a scene tree, so there are no nodes to find.');
    assert.equal(errorOf('var s = preload("res://x.gd")').message, 'preload("res://x.gd"): the lab runs one script on its own and cannot load other files or resources.');
    assert.equal(errorOf('var s = load("res://icon.png")').message, 'load("res://icon.png"): the lab runs one script on its own and cannot load other files or resources.');
  });
});

describe('GDScript runtime errors and limits', () => {
  it('reports the line and the call stack (innermost first)', () => {
    const r = run('extends Node\nfunc a(x):\n\treturn b(x) + 1\nfunc b(x):\n\treturn x.nope()\nfunc _ready():\n\tprint(a(3))\n');
    assert.deepEqual(r.error, {
      message: "Invalid call. Nonexistent function 'nope' in base 'int'.",
      line: 5,
      stack: ['b:5', 'a:3', '_ready:7'],
    });
  });

  it('stops runaway recursion at the responsible line', () => {
    const r = run('extends Node\nfunc f(n):\n\treturn f(n + 1)\nfunc _ready():\n\tf(0)\n');
    assert.equal(r.error?.message, 'Stack overflow (stack size: 1024). Check for infinite recursion in your script.');
    assert.equal(r.error?.line, 3);
  });

  it('refuses collections past the sandbox limit with an Out of memory error', () => {
    assert.deepEqual(errorOf('var a = []\na.resize(20000000)'), {
      message: 'Out of memory: this Array would have 20000000 elements, which exceeds the sandbox limit of 10000000 elements.',
      line: 4, stack: ['_ready:4'], stderr: [],
    });
    assert.equal(errorOf('var s = "ab".repeat(6000000)').message, 'Out of memory: this String would have 12000000 characters, which exceeds the sandbox limit of 10000000 characters.');
    assert.equal(errorOf('var b = PackedByteArray()\nb.resize(10000001)').message, 'Out of memory: this PackedByteArray would have 10000001 bytes, which exceeds the sandbox limit of 10000000 bytes.');
  });

  it('keeps step slicing: a task can be run one step at a time', () => {
    const { script } = parse('extends Node\nfunc _ready():\n\tvar t = 0\n\tfor i in range(10):\n\t\tt += i\n\treturn t\n');
    const instance = new ScriptInstance(script, new FakeHost());
    finish(instance.initialize());
    const task = instance.call('_ready');
    let slices = 0;
    let r = task.run(1);
    while (r.kind === 'sliced') {
      slices++;
      r = task.run(1);
    }
    assert.equal(r.kind, 'done');
    assert.equal(r.kind === 'done' && r.value, 45);
    assert.ok(slices > 40);
    assert.equal(task.totalSteps, slices + 1);
  });
});
