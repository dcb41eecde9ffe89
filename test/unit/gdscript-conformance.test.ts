// The conformance suite: test/conformance/NAME.gd runs through the `dtls-lab script` engine and must
// print exactly NAME.out on stdout (and NAME.err on stderr when that file exists; the exit code is
// then 1). Programs marked "godot3-compatible" were also run on godot3-server (Godot 3.2.3) with the
// same output (see test/conformance/README.md). Every program must also survive a parse → print →
// parse round trip with the same syntax tree.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runScriptSource } from '../../engine/cli/script-command';
import { parse, printScript } from '../../engine/gdscript';

const dir = join(__dirname, '..', '..', '..', 'test', 'conformance');
const programs = readdirSync(dir).filter((f) => f.endsWith('.gd')).sort();

const RANGE_KEYS = new Set(['range', 'nameRange', 'operatorRange', 'extendsRange', 'variableRange', 'doc']);
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) if (!RANGE_KEYS.has(k) && v !== undefined) out[k] = shape(v);
    return out;
  }
  return node;
}

function lines(text: string): string[] {
  return text.length === 0 ? [] : text.replace(/\n$/, '').split('\n');
}

describe('GDScript conformance programs', () => {
  it('has programs to run', () => {
    assert.ok(programs.length >= 10, `found ${programs.length}`);
  });
  for (const file of programs) {
    const name = file.slice(0, -3);
    it(`${file} prints ${name}.out`, () => {
      const source = readFileSync(join(dir, file), 'utf8');
      const result = runScriptSource(source, file);
      const errFile = join(dir, `${name}.err`);
      const expectedErr = existsSync(errFile) ? lines(readFileSync(errFile, 'utf8')) : [];
      assert.deepEqual(result.stdout, lines(readFileSync(join(dir, `${name}.out`), 'utf8')));
      assert.deepEqual(result.stderr, expectedErr);
      assert.equal(result.exitCode, expectedErr.some((l) => l.startsWith('SCRIPT ERROR:')) ? 1 : 0);
    });
    it(`${file} survives a parse → print → parse round trip`, () => {
      const source = readFileSync(join(dir, file), 'utf8');
      const first = parse(source, { check: false });
      if (first.errors.length > 0) return; // parse_error.gd: nothing to round-trip
      const printed = printScript(first.script);
      const second = parse(printed, { check: false });
      assert.deepEqual(second.errors, [], printed);
      assert.deepEqual(shape(second.script), shape(first.script));
      assert.equal(printScript(second.script), printed, 'printing is stable');
    });
  }
});

describe('dtls-lab script (the built CLI)', () => {
  const root = join(__dirname, '..', '..', '..');
  const cli = join(root, 'dist', 'cli.js');
  const run = (...args: string[]) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const r = spawnSync(process.execPath, [cli, 'script', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('prints stdout and Godot-style errors and exits 1 on a script error', { skip: !existsSync(cli) && 'run `npm run build` first' }, () => {
    const r = run('test/conformance/runtime_error.gd');
    assert.equal(r.stdout, 'before\n5\n');
    assert.equal(r.stderr, "SCRIPT ERROR: Division by zero error in operator '/'.\n          at: average (res://runtime_error.gd:8)\n");
    assert.equal(r.code, 1);
  });

  it('runs only one function with --call, and explains usage mistakes', { skip: !existsSync(cli) && 'run `npm run build` first' }, () => {
    const dir = require('node:fs').mkdtempSync(join(require('node:os').tmpdir(), 'gd-script-')) as string;
    const file = join(dir, 'call.gd');
    require('node:fs').writeFileSync(file, 'extends Node\nvar n = 2\nfunc _ready():\n\tprint("ready")\nfunc only():\n\tprint("only ", n * 21)\n');
    assert.deepEqual(run(file, '--call', 'only'), { code: 0, stdout: 'only 42\n', stderr: '' });
    assert.deepEqual(run(file), { code: 0, stdout: 'ready\n', stderr: '' });
    const bad = run(file, '--bogus');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unknown option "--bogus"/);
  });
});
