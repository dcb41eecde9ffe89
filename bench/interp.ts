// Interpreter benchmark: the same workloads run by our GDScript VM and by godot3-server (Godot 3.2.3,
// the only real Godot on these machines) in the same run; prints both times and the ratio.
//
//   npx tsc -p tsconfig.json --outDir out-gdscript && node out-gdscript/bench/interp.js [--scale N]
//
// The GDScript is written in the subset Godot 3 and 4 share, so the very same text runs on both;
// each workload returns a checksum that must agree. Without godot3-server only our times are shown.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse, ScriptInstance, stringify, type Host, type Task } from '../engine/gdscript';

const scaleArg = process.argv.indexOf('--scale');
const scale = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 1;

const WORKLOADS = ['loops', 'calls', 'collections', 'strings'] as const;

function source(forGodot3: boolean): string {
  const timing = forGodot3
    ? `
func _init():
	for name in ["loops", "calls", "collections", "strings"]:
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

const ours = runOurs();
const godot = runGodot3();
console.log(`GDScript interpreter benchmark (scale ${scale})\n`);
console.log('workload      ours (ms)   Godot 3.2.3 (ms)   ours / Godot   same result');
for (const name of WORKLOADS) {
  const o = ours.get(name)!;
  const g = typeof godot === 'string' ? undefined : godot.get(name);
  const ratio = g ? (o.ms / g.ms).toFixed(1) + '×' : '-';
  const same = g ? (g.result === o.result ? 'yes' : `NO (${o.result} vs ${g.result})`) : '-';
  console.log(`${name.padEnd(12)} ${o.ms.toFixed(1).padStart(10)} ${(g ? g.ms.toFixed(1) : '-').padStart(18)} ${ratio.padStart(14)}   ${same}`);
}
if (typeof godot === 'string') console.log(`\n${godot}`);
