// The compiled tier (engine/gdscript/jit.ts) must be invisible: every script gives the same prints,
// results, errors (message, range, stack), step counts and slice points as the interpreter alone.
// Each script runs twice, with the tier off and with every function compiled on its first call.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { parse, ScriptInstance, stringify, type RunResult, type Task } from '../../engine/gdscript';
import { configureJit, jitSettings } from '../../engine/gdscript/jit';
import { FakeHost } from './gdscript-fake-host';

const defaults = { ...jitSettings };
afterEach(() => configureJit(defaults));

interface Outcome {
  lines: string[];
  result: string;
  totalSteps: number;
  /** For sliced runs: where each slice stopped (statement line) and how many steps it took. */
  slices: string[];
}

function describeResult(r: RunResult): string {
  switch (r.kind) {
    case 'done':
      return `done ${stringify(r.value)}`;
    case 'error':
      return `error ${r.message} @${JSON.stringify(r.range)} stack ${JSON.stringify(r.stack)}`;
    default:
      return r.kind;
  }
}

function finish(task: Task, budget: number, slices: string[]): RunResult {
  for (;;) {
    const r = task.run(budget);
    if (r.kind === 'done' || r.kind === 'error') return r;
    slices.push(`${r.kind} ${r.steps} at ${task.currentRange?.start.line}:${task.currentRange?.start.character}`);
    if (task.totalSteps > 100_000) throw new Error('runaway script: over 100,000 steps');
  }
}

function run(src: string, compiled: boolean, budget = 1_000_000, entry = '_ready'): Outcome {
  configureJit(compiled ? { threshold: 0, strict: true } : { threshold: Infinity });
  const { script, errors } = parse(src);
  assert.deepEqual(errors, []);
  const host = new FakeHost();
  const instance = new ScriptInstance(script, host, { seed: 7 });
  const slices: string[] = [];
  const init = finish(instance.initialize(), budget, slices);
  assert.equal(init.kind, 'done', describeResult(init));
  const task = instance.call(entry);
  const result = finish(task, budget, slices);
  return {
    lines: host.lines.map((l) => `${l.stream} ${l.text} @${l.range.start.line}:${l.range.start.character}`),
    result: describeResult(result),
    totalSteps: task.totalSteps,
    slices,
  };
}

/** Runs `src` on both tiers (whole, and in slices of each budget) and compares everything. */
function assertSameOnBothTiers(src: string, budgets: number[] = [1, 2, 3, 7, 50]): Outcome {
  const interpreted = run(src, false);
  const compiled = run(src, true);
  assert.deepEqual(compiled, interpreted);
  for (const budget of budgets) {
    assert.deepEqual(run(src, true, budget), run(src, false, budget), `budget ${budget}`);
  }
  return interpreted;
}

describe('GDScript compiled tier (jit.ts) behaves exactly like the interpreter', () => {
  it('int and float arithmetic, 64-bit wrap-around, comparisons, bit operations', () => {
    const out = assertSameOnBothTiers(`extends Node
func _ready():
	var total = 0
	for i in range(-20, 40, 3):
		total = (total + i * 7919) % 1000003
		total -= i / 3
		total += i % 5 + (i << 2) - (i >> 1) + (i & 6) + (i | 1) + (i ^ 5)
	var big = 9007199254740990
	for i in 4:
		big += 1
	var wrap = 9223372036854775807
	wrap += 1
	var neg = -9223372036854775807 - 1
	var f = 1.5
	while f < 100:
		f = f * 3 - 1
	var mix = 7 / 2.0 + 1
	print(total, " ", big, " ", wrap, " ", neg - 1, " ", f, " ", mix, " ", -total, " ", not total, " ", 3 == 3.0, " ", 2 ** 10)
	return [total < 5, total <= 5, total > 5, total >= 5, total != 5, 1 * -0 == 0]
`);
    // past 2^53 ints continue exactly; past 2^63 they wrap around like Godot's int64
    assert.match(out.lines[0], /^stdout -?\d+ 9007199254740994 -9223372036854775808 9223372036854775807 /);
  });

  it('strings, arrays, dictionaries, builtin methods and loops over them', () => {
    assertSameOnBothTiers(`extends Node
func _ready():
	var s = ""
	var words = []
	var counts = {}
	for i in range(60):
		s += str(i % 10)
		if s.length() > 7:
			words.append(s)
			s = ""
		counts[i % 4] = counts.get(i % 4, 0) + i
		counts["k" + str(i % 3)] = i
	words.sort()
	var joined = ""
	for w in words:
		joined += w.substr(0, 2) + ","
	for k in counts:
		joined += str(k) + "=" + str(counts[k]) + ";"
	for ch in "héllo":
		joined += ch.to_upper()
	var a = [3, 1, 2]
	a[-1] = 9
	a[0] += a[1]
	print(joined, " ", a, " ", a[-2], " ", words.size(), " ", counts.has(2), " ", [1, 2.0, "x"], " ", {1: 2, 1.0: 3})
`);
  });

  it('match, typed variables, is/as, lambdas with captures, default arguments', () => {
    assertSameOnBothTiers(`extends Node
func kind(v, prefix := "="):
	match v:
		0, 1:
			return prefix + "small"
		[var x, 2]:
			return prefix + "pair " + str(x)
		{"id": var id}:
			return prefix + "record " + str(id)
		var other when other is String:
			return prefix + "text"
		_:
			return prefix + "other"

func _ready():
	var n: int = 3.7
	var f: float = 2
	var out: Array[String] = []
	var add = func(x): return x + n
	for v in [0, 1, [5, 2], {"id": 9}, "s", 4.5, null]:
		out.append(kind(v))
	for i in 5:
		n += add.call(i)
	var maybe = "text" as String
	print(out, " ", n, " ", f, " ", n is int, " ", maybe)
`);
  });

  it('script objects: getters and setters, methods, statics and signals inside hot loops', () => {
    assertSameOnBothTiers(`extends Node
signal ticked(n)
static var calls := 0
var seen := 0
var doubled := 0:
	get:
		return doubled * 2
	set(value):
		doubled = value + 1

class Box:
	var items := []
	var size: int:
		get:
			return items.size()
	func put(x):
		items.append(x)
		return self

func _on_tick(n):
	seen += n

func _ready():
	ticked.connect(_on_tick)
	var box = Box.new()
	for i in range(30):
		box.put(i).put(-i)
		doubled = i
		calls += 1
		ticked.emit(i)
	box["items"][0] = 100
	print(box.size, " ", doubled, " ", seen, " ", calls, " ", box.items[0], " ", box.get("size"))
`);
  });

  it('runtime errors in compiled code: same message, range, stack and step count', () => {
    const cases = [
      'var d = 10\n\tfor i in range(300):\n\t\td = d / (250 - i)',
      'var a = [1, 2, 3]\n\tvar s = 0\n\tfor i in range(300):\n\t\ts += a[i % 4]',
      'var x = null\n\tfor i in 300:\n\t\tif i == 299:\n\t\t\tx.foo()',
      'var t = 0\n\tfor i in 300:\n\t\tt += "a" if i == 250 else 1',
      'var dict = {}\n\tfor i in 300:\n\t\tdict[i] = i\n\tprint(dict[300])',
      'for i in 300:\n\t\tassert(i < 280, "too far: %d" % i)',
    ];
    for (const body of cases) {
      const src = `extends Node\nfunc helper(v):\n\treturn v\n\nfunc _ready():\n\t${body}\n`;
      const out = assertSameOnBothTiers(src, [1, 5, 64]);
      assert.match(out.result, /^error /, body);
    }
  });

  it('suspends at native calls inside compiled loops and resumes with the same state', () => {
    const src = `extends Node
var counter := Counter.new()
func _ready():
	var total = 0
	for i in 10:
		total += i * i
		counter.poll()
		total += counter.get_count()
	OS.delay_msec(5)
	return total
`;
    const interpreted = run(src, false, 1_000_000);
    const compiled = run(src, true, 1_000_000);
    assert.deepEqual(compiled, interpreted);
    assert.equal(compiled.slices.filter((s) => s.startsWith('suspended')).length, 11);
    assert.equal(compiled.result, 'done 340');
  });
});

describe('GDScript compiled tier: when functions are compiled', () => {
  it('compiles a function once it has run `threshold` calls or loop iterations, not before', () => {
    configureJit({ threshold: 50, strict: true });
    const { script } = parse(`extends Node
func cold():
	return 1
func hot():
	var t = 0
	for i in 100:
		t += i
	return t
func _ready():
	return hot() + cold()
`);
    const instance = new ScriptInstance(script, new FakeHost());
    const r1 = instance.initialize().run();
    assert.equal(r1.kind, 'done');
    const r2 = instance.call('_ready').run();
    assert.equal(r2.kind, 'done');
    assert.equal(r2.kind === 'done' && r2.value, 4951);
    assert.equal(typeof instance.script.main.methods.get('hot')?.jit, 'function');
    assert.equal(instance.script.main.methods.get('cold')?.jit, undefined);
  });

  it('the threshold Infinity keeps everything in the interpreter', () => {
    configureJit({ threshold: Infinity });
    const { script } = parse('extends Node\nfunc _ready():\n\tvar t = 0\n\tfor i in 1000:\n\t\tt += i\n\treturn t\n');
    const instance = new ScriptInstance(script, new FakeHost());
    instance.initialize().run();
    const r = instance.call('_ready').run();
    assert.equal(r.kind === 'done' && r.value, 499500);
    assert.equal(instance.script.main.methods.get('_ready')?.jit, undefined);
  });
});
