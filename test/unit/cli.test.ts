import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('dtls-lab run prints both peers, the flights and exits 0 for the Markdown example', () => {
  const { code, stdout, stderr } = run('run', 'examples/echo-pair.md', '--no-color');
  assert.equal(code, 0, stderr + stdout);
  assert.match(stdout, /print "server got: hello"/);
  assert.match(stdout, /print "status: 2"/);
  assert.match(stdout, /print "client got: hello"/);
  assert.match(stdout, /2 HelloVerifyRequest/);
  assert.match(stdout, /4 ServerHello, Certificate, ServerKeyExchange, ServerHelloDone/);
  assert.match(stdout, /✔ ran without errors/);
});

test('dtls-lab run --json gives the report, and a failing pair exits 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtls-lab-cli-'));
  const file = join(dir, 'broken.gd');
  writeFileSync(file, '# @dtls server\nextends Node\nfunc _ready():\n\tvar x = 1 + "a"\n# @dtls client\nextends Node\n');
  const { code, stdout } = run('run', file, '--json');
  assert.equal(code, 1);
  const [report] = JSON.parse(stdout);
  assert.equal(report.ok, false);
  assert.equal(report.problems[0].range.start.line, 3);
});

test('dtls-lab check reports syntax errors with file:line:column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtls-lab-cli-'));
  const file = join(dir, 'syntax.gd');
  writeFileSync(file, 'extends Node\nvar dtls_server =\n');
  const { code, stdout } = run('check', file);
  assert.equal(code, 1);
  assert.match(stdout, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: error: `));
});

test('dtls-lab explains bad usage and exits 2', () => {
  assert.equal(run('run').code, 2);
  assert.equal(run('run', 'x.txt').code, 2);
  assert.match(run('run', 'examples/echo-pair.gd', '--link', 'tcp').stderr, /--link is "virtual" or "udp"/);
});
