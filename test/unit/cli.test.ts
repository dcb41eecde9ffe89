import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

test('dtls-lab test runs every pair and its expectations, prints "N passed, N failed", writes JUnit and exits 1 on a failure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtls-lab-cli-'));
  const echo = readFileSync(join(root, 'examples', 'echo-pair.gd'), 'utf8');
  const good = join(dir, 'good.gd');
  const bad = join(dir, 'bad.gd');
  writeFileSync(good, echo.replace('# @dtls client\n', '# @dtls client\n# @dtls expect status=CONNECTED print="client got: hello"\n'));
  writeFileSync(bad, echo.replace('# @dtls client\n', '# @dtls client\n# @dtls expect status=ERROR\n'));
  const xml = join(dir, 'junit.xml');
  const { code, stdout, stderr } = run('test', good, bad, '--junit', xml);
  assert.equal(code, 1, stderr + stdout);
  assert.match(stdout, /✔ .*good\.gd: server ⇄ client \(line 29\) — 2\/2 expectation\(s\) held/);
  assert.match(stdout, /✖ .*bad\.gd: server ⇄ client \(line 29\) — 0\/1 expectation\(s\) held/);
  assert.match(stdout, /bad\.gd:30:16: error: Expectation failed: status=ERROR: expected STATUS_ERROR \(3\), final status STATUS_CONNECTED \(2\)/);
  assert.match(stdout, /^1 passed, 1 failed$/m);
  const report = readFileSync(xml, 'utf8');
  assert.match(report, /<testsuites name="dtls-lab" tests="2" failures="1">/);
  assert.match(report, /<testcase classname="[^"]*good\.gd" name="server ⇄ client \(line 29\)" time="[\d.]+"\/>/);
  assert.match(report, /<failure message="[^"]*Expectation failed: status=ERROR/);
  assert.equal(run('test', good).code, 0);
});

test('dtls-lab run takes several files and link overrides; --help per command', () => {
  const { code, stdout, stderr } = run('run', 'examples/echo-pair.gd', 'examples/echo-pair.md', '--loss', '30%', '--seed', '4', '--delay', '5', '--json');
  assert.ok(code === 0 || code === 1, stderr);
  const reports = JSON.parse(stdout);
  assert.equal(reports.length, 2);
  for (const r of reports) assert.ok(r.timeline.some((e: { kind: string; reason?: string }) => e.kind === 'drop' && e.reason === 'link loss 30%'));
  const bad = run('run', 'examples/echo-pair.gd', '--loss', '150%');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--loss=150%: expected a percentage from 0% to 100%/);
  const help = run('run', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--loss P%/);
  assert.match(run('test', '--help').stdout, /--junit FILE/);
});

test('dtls-lab run --pcap/--keylog write a pcapng capture of the virtual link and the session keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtls-lab-cli-'));
  const pcap = join(dir, 'run.pcapng');
  const keylog = join(dir, 'run.keys');
  const { code, stderr } = run('run', 'examples/echo-pair.gd', '--pcap', pcap, '--keylog', keylog, '--no-color');
  assert.equal(code, 0, stderr);
  const capture = readFileSync(pcap);
  assert.equal(capture.readUInt32LE(0), 0x0a0d0d0a, 'a pcapng section header block');
  let packets = 0;
  for (let at = 0; at < capture.length; at += capture.readUInt32LE(at + 4)) if (capture.readUInt32LE(at) === 6) packets++;
  // ClientHello, HelloVerifyRequest, ClientHello, the server's flight, the client's and the server's Finished, "hello" both ways.
  assert.equal(packets, 8);
  const lines = readFileSync(keylog, 'utf8').trim().split('\n');
  assert.equal(lines.length, 1, 'one session, logged once');
  assert.match(lines[0], /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/);
});
