import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeFloat, parse, ScriptInstance, Suspend, type RunResult, type Task } from '../../engine/gdscript';
import { FakeHost } from './gdscript-fake-host';
import { CLIENT_SCRIPT, SERVER_SCRIPT } from './gdscript-scripts';

function load(src: string, lineOffset = 0): { instance: ScriptInstance; host: FakeHost } {
  const { script, errors } = parse(src, { lineOffset });
  assert.deepEqual(errors, []);
  const host = new FakeHost();
  const instance = new ScriptInstance(script, host, { seed: 1 });
  assert.deepEqual(instance.problems, []);
  return { instance, host };
}

function finish(task: Task, budget = 1_000_000): RunResult {
  for (let i = 0; i < 10_000; i++) {
    const r = task.run(budget);
    if (r.kind === 'done' || r.kind === 'error') return r;
  }
  throw new Error('task did not finish');
}

function runReady(src: string): { host: FakeHost; result: RunResult; instance: ScriptInstance } {
  const { instance, host } = load(src);
  const init = finish(instance.initialize());
  assert.equal(init.kind, 'done', JSON.stringify(init));
  return { host, instance, result: finish(instance.call('_ready')) };
}

describe('GDScript interpreter: resumable execution', () => {
  it('suspends at each poll() of a busy loop and resumes with locals intact', () => {
    const { instance, host } = load(`extends Node
var counter := Counter.new()

func _ready():
	var i := 0
	var seen := []
	while counter.get_count() < 3:
		counter.poll()
		i += 1
		seen.append(i * 10)
	print("done ", i, " ", seen)
	return i
`);
    assert.equal(instance.initialize().run(1000).kind, 'done');
    const task = instance.call('_ready');
    const counter = host.counters[0];
    for (let expected = 1; expected <= 3; expected++) {
      const r = task.run(1000);
      assert.equal(r.kind, 'suspended');
      if (r.kind !== 'suspended') return;
      assert.ok(r.suspend instanceof Suspend);
      assert.equal(r.suspend.kind, 'yield');
      assert.equal(counter.count, expected);
      assert.equal(task.currentRange?.start.line, 7, 'paused on the poll() line');
      assert.deepEqual(host.stdout, []);
    }
    const r = task.run(1000);
    assert.deepEqual(r.kind === 'done' && r.value, 3);
    assert.deepEqual(host.stdout, ['done 3 [10, 20, 30]']);
    assert.equal(task.run(1000).kind, 'done', 'a finished task keeps reporting done');
  });

  it('passes sleep requests through and returns the resume() value to the script', () => {
    const { instance, host } = load(`extends Node
func _ready():
	var c := Counter.new()
	var answer = c.nap(25)
	OS.delay_msec(10)
	print(answer)
`);
    const task = instance.call('_ready');
    const first = task.run(100);
    assert.equal(first.kind, 'suspended');
    if (first.kind === 'suspended') {
      assert.equal(first.suspend.kind, 'sleep');
      assert.equal(first.suspend.ms, 25);
    }
    const second = task.run(100);
    assert.ok(second.kind === 'suspended' && second.suspend.ms === 10);
    assert.equal(task.run(100).kind, 'done');
    assert.deepEqual(host.stdout, ['rested']);
  });

  it('slices a runaway `while true: pass` instead of hanging, pointing at the loop line', () => {
    const { instance } = load(`extends Node

func _ready():
	var x := 1
	while true: pass
`, 40);
    const task = instance.call('_ready');
    for (let i = 0; i < 50; i++) {
      const r = task.run(10_000);
      assert.equal(r.kind, 'sliced');
      assert.equal(r.steps, 10_000);
      assert.equal(task.currentRange?.start.line, 44);
    }
    assert.equal(task.totalSteps, 500_000);
  });

  it('slices exactly at the budget and continues where it stopped', () => {
    const { instance, host } = load(`extends Node
func _ready():
	var total := 0
	for i in range(1000):
		total += i
	print(total)
`);
    const task = instance.call('_ready');
    let slices = 0;
    let r: RunResult;
    do {
      r = task.run(7);
      slices++;
      if (r.kind === 'sliced') assert.equal(r.steps, 7);
    } while (r.kind === 'sliced');
    assert.equal(r.kind, 'done');
    assert.ok(slices > 100);
    assert.deepEqual(host.stdout, ['499500']);
  });

  it('shares member variables between tasks of one instance and passes _process a float delta', () => {
    const { instance, host } = load(`extends Node
var frames := 0
var total := 0.0
func _ready():
	frames = 10
func _process(delta):
	frames += 1
	total += delta
	print(frames, " ", total, " ", typeof(delta) == TYPE_FLOAT)
`);
    finish(instance.initialize());
    finish(instance.call('_ready'));
    finish(instance.call('_process', [makeFloat(0.5)]));
    finish(instance.call('_process', [makeFloat(0.25)]));
    assert.deepEqual(host.stdout, ['11 0.5 true', '12 0.75 true']);
    assert.equal(instance.getMemberValue('frames'), 12);
    assert.ok(instance.hasFunction('_process'));
    assert.ok(!instance.hasFunction('_physics_process'));
  });

  it('runs member initializers (native constructors) in initialize(), then _init()', () => {
    const { instance, host } = load(`extends Node
var counter := Counter.new()
var peers: Array[Counter] = []
var n: int = 2.7
var label = "x"
func _init():
	print("init ", n, " ", label, " ", peers, " ", counter.get_count())
`);
    assert.equal(host.counters.length, 0, 'no code runs before initialize()');
    assert.equal(finish(instance.initialize()).kind, 'done');
    assert.equal(host.counters.length, 1);
    assert.deepEqual(host.stdout, ['init 2 x [] 0']);
  });
});

describe('GDScript interpreter: language', () => {
  it('calls script functions (recursion, defaults, typed params and returns) and self', () => {
    const { host, result } = runReady(`extends Node
var greeting := "hi"
func fib(n: int) -> int:
	if n < 2:
		return n
	return fib(n - 1) + fib(n - 2)
func greet(who, punct = "!", times := 1):
	return (greeting + " " + who + punct).repeat(times)
func half(x: float) -> float:
	return x / 2
func _ready():
	print(fib(15), " ", greet("bob"), " ", self.greet("amy", "?", 2), " ", half(3))
	self.greeting = "yo"
	print(greet("z"), " ", get_name(), " ", name)
	name = "Other"
	print(get_name())
`);
    assert.equal(result.kind, 'done');
    assert.deepEqual(host.stdout, ['610 hi bob! hi amy?hi amy? 1.5', 'yo z! Root Root', 'Other']);
  });

  it('iterates arrays, ranges, ints, dictionaries and strings; supports break/continue and match', () => {
    const { host, result } = runReady(`extends Node
enum Color { RED, GREEN = 5, BLUE }
const BIG = 100
func classify(v):
	match v:
		0, 1:
			return "small"
		"hi":
			return "greeting"
		[var a, var b]:
			return "pair %s/%s" % [a, b]
		{"k": var value, ..}:
			return "dict " + str(value)
		Color.BLUE:
			return "blue"
		var other when typeof(other) == TYPE_INT and other > BIG:
			return "big"
		_:
			return "other"
func _ready():
	var out := []
	for x in [1, 2, 3]:
		out.append(x)
	for i in range(10, 0, -3):
		out.append(i)
	for i in 3:
		if i == 1:
			continue
		out.append(i)
	for k in {"a": 1, "b": 2}:
		out.append(k)
	for ch in "hey":
		if ch == "y":
			break
		out.append(ch)
	print(out)
	print([classify(1), classify("hi"), classify([1, 2]), classify({"k": 3, "z": 0}), classify(6), classify(500), classify(7)])
	print(Color.GREEN, " ", Color, " ", BIG)
`);
    assert.equal(result.kind, 'done', JSON.stringify(result));
    assert.deepEqual(host.stdout, [
      '[1, 2, 3, 10, 7, 4, 1, 0, 2, "a", "b", "h", "e"]',
      '["small", "greeting", "pair 1/2", "dict 3", "blue", "big", "other"]',
      '5 { "RED": 0, "GREEN": 5, "BLUE": 6 } 100',
    ]);
  });

  it('supports lambdas, callables, ternaries, is/as and typed conversions', () => {
    const { host, result } = runReady(`extends Node
func twice(x):
	return x * 2
func _ready():
	var k := 3
	var add_k := func(x): return x + k
	k = 100
	var f := twice
	print(add_k.call(1), " ", f.call(4), " ", [1, 2, 3].map(func(x): return x * x), " ", [5, 2, 9].filter(func(x): return x > 3))
	var n: int = 7.9
	var r := 1
	r = 2.5
	var fl: float = 2
	print(n, " ", r, " ", fl, " ", typeof(fl) == TYPE_FLOAT, " ", "yes" if n > 5 else "no")
	var c = Counter.new()
	print(c is Counter, " ", 3 is int, " ", 3 is float, " ", "x" is String, " ", 2.5 as int, " ", c.value)
	c.value = 42
	c.value += 1
	print(c.value, " ", Counter.LIMIT)
`);
    assert.equal(result.kind, 'done', JSON.stringify(result));
    assert.deepEqual(host.stdout, [
      '4 8 [1, 4, 9] [5, 9]',
      '7 2 2 true yes',
      'true true false true 2 0',
      '43 3',
    ]);
  });

  it('prints with print/prints/printt/printerr/push_error and reports call ranges', () => {
    const { host } = runReady(`extends Node
func _ready():
	print("a", 1, 2.0, null)
	prints("a", 1, true)
	printt("x", "y")
	printerr("bad")
	push_error("worse")
	push_warning("meh")
`);
    assert.deepEqual(host.lines.map((l) => [l.stream, l.text]), [
      ['stdout', 'a12<null>'],
      ['stdout', 'a 1 true'],
      ['stdout', 'x\ty'],
      ['stderr', 'bad'],
      ['stderr', 'ERROR: worse'],
      ['stderr', 'WARNING: meh'],
    ]);
    assert.deepEqual(host.lines[0].range, { start: { line: 2, character: 1 }, end: { line: 2, character: 25 } });
  });
});

describe('GDScript interpreter: runtime errors', () => {
  const cases: [string, string, number, number][] = [
    // [body line, message, line, start character]
    ['var s = "a" + 1', "Invalid operands 'String' and 'int' in operator '+'.", 3, 9],
    ['Counter.new().explode()', "Invalid call. Nonexistent function 'explode' in base 'Counter'.", 3, 1],
    ['var p = null\n\tp.poll()', "Attempt to call function 'poll' in base 'null instance' on a null instance.", 4, 1],
    ['print(missing_name)', 'Identifier "missing_name" not declared in the current scope.', 3, 7],
    ['var a = [1, 2]\n\tprint(a[5])', "Out of bounds get index '5' (on base: 'Array')", 4, 7],
    ['var d = {}\n\tprint(d["k"])', "Invalid access to property or key 'k' on a base object of type 'Dictionary'.", 4, 7],
    ['Counter.new().fail()', 'Counter refused.', 3, 1],
    ['OS.new()', 'Cannot construct native class "OS".', 3, 1],
    ['nope()', 'Function "nope()" not found in base self.', 3, 1],
    ['"abc".nope()', "Invalid call. Nonexistent function 'nope' in base 'String'.", 3, 1],
    ['"abc".substr()', "Invalid call to function 'substr' in base 'String'. Expected 1 argument.", 3, 1],
    ['helper(1, 2)', 'Too many arguments for "helper()" call. Expected 1 but received 2.', 3, 1],
    ['var x: int = "s"', "Trying to assign value of type 'String' to a variable of type 'int'.", 3, 1],
    ['print(Counter.NOPE)', 'Cannot find member "NOPE" in base "Counter".', 3, 7],
    ['assert(1 > 2, "math")', 'Assertion failed: math', 3, 1],
    ['for x in Counter.new(): pass', "Unable to iterate on object of type 'Counter'.", 3, 10],
  ];
  for (const [body, message, line, character] of cases) {
    it(message, () => {
      const { result } = runReady(`extends Node\nfunc helper(a):\n\treturn a\nfunc _ready():\n\t${body}\n`);
      assert.equal(result.kind, 'error');
      if (result.kind !== 'error') return;
      assert.equal(result.message, message);
      assert.equal(result.range.start.line, line + 1);
      assert.equal(result.range.start.character, character);
    });
  }

  it('stops infinite recursion with a stack overflow error', () => {
    const { result } = runReady('extends Node\nfunc down(n):\n\treturn down(n + 1)\nfunc _ready():\n\tdown(0)\n');
    assert.ok(result.kind === 'error' && result.message.startsWith('Stack overflow (stack size: 1024)'));
  });

  it('reports a missing base class and an unknown entry function', () => {
    const { script } = parse('extends Spaceship\nfunc _ready():\n\tpass\n', { lineOffset: 3 });
    const instance = new ScriptInstance(script, new FakeHost());
    const r = instance.initialize().run(100);
    assert.ok(r.kind === 'error');
    if (r.kind === 'error') {
      assert.equal(r.message, 'Could not find base class "Spaceship".');
      assert.equal(r.range.start.line, 3);
    }
    const missing = instance.call('_nothing').run(100);
    assert.ok(missing.kind === 'error' && missing.message.includes("Nonexistent function '_nothing'"));
  });

  it('flags assignments to constants at compile time', () => {
    const { script } = parse('extends Node\nconst K = 1\nfunc _ready():\n\tK = 2\n');
    const instance = new ScriptInstance(script, new FakeHost());
    assert.deepEqual(instance.problems.map((p) => [p.message, p.range.start.line]), [['Cannot assign a new value to a constant.', 3]]);
    const r = instance.call('_ready').run(100);
    assert.ok(r.kind === 'error' && r.message === 'Cannot assign a new value to a constant.');
  });
});

describe('GDScript interpreter: the DTLS snippets', () => {
  it('compiles both snippets without problems and reports unknown classes only when reached', () => {
    for (const src of [SERVER_SCRIPT, CLIENT_SCRIPT]) {
      const { instance } = load(src, 12);
      assert.ok(instance.hasFunction('_ready'));
    }
    const { instance } = load(SERVER_SCRIPT, 12);
    const r = instance.initialize().run(1000);
    assert.ok(r.kind === 'error');
    if (r.kind === 'error') {
      assert.equal(r.message, 'Identifier "UDPServer" not declared in the current scope.');
      assert.deepEqual(r.range.start, { line: 15, character: 18 });
    }
  });
});
