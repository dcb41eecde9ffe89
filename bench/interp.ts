// Interpreter benchmark: the same workloads run by our GDScript VM and by godot3-server (Godot 3.2.3,
// the only real Godot on these machines) in the same run; prints both times and the ratio.
//
//   npx tsc -p tsconfig.json --outDir out-gdscript && node out-gdscript/bench/interp.js [--scale N]
//     [--rounds N]      run both sides N times (default 3) and keep each workload's best time
//     [--warmup N]      first run our side N more times, unmeasured (steady state of V8's JIT; default 0)
//     [--only ours]     skip Godot (for node --cpu-prof)
//     [--workload W]    run only workload W (loops, calls, collections, strings)
//
// The GDScript is written in the subset Godot 3 and 4 share, so the very same text runs on both;
// each workload returns a checksum that must agree. Without godot3-server only our times are shown.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse, ScriptInstance, stringify, type Host, type Task } from '../engine/gdscript';
import { numberOption, stringOption } from './command-line';

const scale = numberOption('scale', 1);
const rounds = numberOption('rounds', 3);
const warmup = numberOption('warmup', 0);
const onlyOurs = stringOption('only') === 'ours';
const ALL_WORKLOADS = ['loops', 'calls', 'collections', 'strings'];
const only = stringOption('workload');
if (only !== undefined && !ALL_WORKLOADS.includes(only)) throw new Error(`unknown workload ${only}; one of ${ALL_WORKLOADS.join(', ')}`);
const WORKLOADS = only ? [only] : ALL_WORKLOADS;

function source(forGodot3: boolean): string {
  const timing = forGodot3
    ? `
func _init():
	for name in [${WORKLOADS.map((w) => `"${w}"`).join(', ')}]:
		var t0 = OS.get_ticks_usec()
		var r = call("bench_" + name)
		var t1 = OS.get_ticks_usec()
		print("RESULT ", name, " ", t1 - t0, " ", r)
	quit()
`
    : '';
  return `extends ${forGodot3 ? 'SceneTree' : 'RefCounted'}

func bench_loops():
	var total = 0
	for i in range(${300 * scale}):
		for j in range(1000):
			total = (total + i * j) % 1000003
	return total

func fib(n):
	if n < 2:
		return n
	return fib(n - 1) + fib(n - 2)

func bench_calls():
	return fib(${scale > 1 ? 24 : 22})

func bench_collections():
	var d = {}
	var a = []
	for i in range(${50000 * scale}):
		d[i % 5000] = d.get(i % 5000, 0) + i
		a.append(i * 7919 % 10007)
	a.sort()
	var s = 0
	for k in d:
		s = (s + d[k]) % 1000003
	return s + a[a.size() / 2]

func bench_strings():
	var s = ""
	var count = 0
	for i in range(${20000 * scale}):
		s += str(i % 10)
		if s.length() > 1000:
			count += s.count("7")
			s = ""
	return count + s.length()
${timing}`;
}

class BenchHost implements Host {
  getClass() {
    return undefined;
  }
  print(): void {}
}

function finish(task: Task): string {
  for (;;) {
    const r = task.run(1_000_000);
    if (r.kind === 'done') return stringify(r.value);
    if (r.kind === 'error') throw new Error(r.message);
  }
}

function runOurs(): Map<string, { ms: number; result: string }> {
  const { script, errors } = parse(source(false));
  if (errors.length) throw new Error(errors[0].message);
  const instance = new ScriptInstance(script, new BenchHost());
  finish(instance.initialize());
  const out = new Map<string, { ms: number; result: string }>();
  for (const name of WORKLOADS) {
    const t0 = performance.now();
    const result = finish(instance.call(`bench_${name}`));
    out.set(name, { ms: performance.now() - t0, result });
  }
  return out;
}

function runGodot3(): Map<string, { ms: number; result: string }> | string {
  const dir = mkdtempSync(join(tmpdir(), 'interp-bench-'));
  const file = join(dir, 'bench.gd');
  writeFileSync(file, source(true));
  const r = spawnSync('godot3-server', ['--no-window', '-s', file], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: dir, // Godot writes a logs/ folder into its working directory
    env: { ...process.env, LANG: 'en_US.UTF-8', HOME: dir },
  });
  if (r.error) return `godot3-server not available (${r.error.message})`;
  const out = new Map<string, { ms: number; result: string }>();
  for (const line of r.stdout.split('\n')) {
    const m = /^RESULT (\w+) (\d+) (.*)$/.exec(line);
    if (m) out.set(m[1], { ms: Number(m[2]) / 1000, result: m[3] });
  }
  return out.size === WORKLOADS.length ? out : `godot3-server gave no results:\n${r.stdout}${r.stderr}`;
}

type Times = Map<string, { ms: number; result: string }>;

/** Keeps each workload's fastest run (results must agree between rounds). */
function best(runs: Times[]): Times {
  const out: Times = new Map();
  for (const run of runs) {
    for (const [name, r] of run) {
      const prev = out.get(name);
      if (prev && prev.result !== r.result) throw new Error(`${name}: result changed between rounds (${prev.result} vs ${r.result})`);
      if (!prev || r.ms < prev.ms) out.set(name, r);
    }
  }
  return out;
}

// Rounds alternate between the two sides, so that both see the same machine load. Each of our
// rounds is a fresh ScriptInstance in the same process (so later rounds run on warmed-up JIT code,
// as Godot's C++ always does).
for (let i = 0; i < warmup; i++) runOurs();
const ourRuns: Times[] = [];
const godotRuns: Times[] = [];
let godotProblem: string | undefined;
for (let round = 0; round < rounds; round++) {
  ourRuns.push(runOurs());
  if (onlyOurs || godotProblem) continue;
  const g = runGodot3();
  if (typeof g === 'string') godotProblem = g;
  else godotRuns.push(g);
}
const ours = best(ourRuns);
const godot = onlyOurs ? 'Godot skipped (--only ours)' : godotProblem ?? best(godotRuns);
console.log(`GDScript interpreter benchmark (scale ${scale}, best of ${rounds}${warmup ? `, after ${warmup} unmeasured runs of ours` : ''})\n`);
console.log('workload      ours (ms)   Godot 3.2.3 (ms)   ours / Godot   same result');
for (const name of WORKLOADS) {
  const o = ours.get(name)!;
  const g = typeof godot === 'string' ? undefined : godot.get(name);
  const ratio = g ? (o.ms / g.ms).toFixed(1) + '×' : '-';
  const same = g ? (g.result === o.result ? 'yes' : `NO (${o.result} vs ${g.result})`) : '-';
  console.log(`${name.padEnd(12)} ${o.ms.toFixed(1).padStart(10)} ${(g ? g.ms.toFixed(1) : '-').padStart(18)} ${ratio.padStart(14)}   ${same}`);
}
if (typeof godot === 'string') console.log(`\n${godot}`);
