// The CLI as a user runs it (a child process of the compiled main.js): --help of every command, and
// the progress of `run`/`test` on stderr (never in --json stdout).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { PairProgress, progressMode } from '../../engine/cli/progress';

const root = join(__dirname, '..', '..', '..');
const main = join(__dirname, '..', '..', 'engine', 'cli', 'main.js');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('dtls-lab --help lists every command; each command prints its usage with --help or -h and exits 0', () => {
  const top = cli('--help');
  assert.equal(top.code, 0);
  for (const command of ['run', 'test', 'check', 'script', 'echo']) assert.match(top.stdout, new RegExp(`dtls-lab ${command} `), command);
  assert.equal(cli('-h').stdout, top.stdout);
  assert.equal(cli('help').stdout, top.stdout);
  for (const command of ['run', 'test', 'check', 'script', 'echo']) {
    for (const flag of ['--help', '-h']) {
      const { code, stdout, stderr } = cli(command, flag);
      assert.equal(code, 0, `${command} ${flag}: ${stderr}`);
      assert.match(stdout, new RegExp(`^Usage:\\n  dtls-lab ${command} `), `${command} ${flag}`);
      assert.equal(stderr, '');
    }
    assert.equal(cli('help', command).stdout, cli(command, '--help').stdout);
  }
  assert.match(cli('echo', '--help').stdout, /--script FILE\.gd/);
  assert.match(cli('echo', '--help').stdout, /func handle\(packet: PackedByteArray, session: Dictionary\)/);
  assert.match(cli('script', '--help').stdout, /--call NAME/);
  assert.match(cli('run', '--help').stdout, /--progress/);
  const unknown = cli('help', 'nope');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "nope"; the commands are run, test, check, script, echo, cert/);
  assert.match(cli('echo', '--nope').stderr, /Unknown echo option "--nope"/);
});

test('dtls-lab test --progress prints one line per pair on stderr when it is not a terminal', () => {
  const { code, stdout, stderr } = cli('test', 'examples/echo-pair.gd', 'examples/echo-pair.md', '--progress');
  assert.equal(code, 0, stderr + stdout);
  const lines = stderr.split('\n').filter((l) => l.startsWith('['));
  assert.equal(lines.length, 2, stderr);
  assert.match(lines[0], /^\[1\/2\] examples\/echo-pair\.gd: server ⇄ client \(line 29\) ✔ \d+\.\d s$/);
  assert.match(lines[1], /^\[2\/2\] examples\/echo-pair\.md: server ⇄ client \(line 38\) ✔ \d+\.\d s$/);
  assert.doesNotMatch(stdout, /\[\d\/2\]/);
  assert.match(stdout, /^2 passed, 0 failed$/m);
  // Without --progress nothing is added on a non-terminal stderr.
  const quiet = cli('test', 'examples/echo-pair.gd');
  assert.doesNotMatch(quiet.stderr, /\[1\/1\]/);
});

test('dtls-lab run --json --progress: stdout is the JSON only, the progress is on stderr', () => {
  const { code, stdout, stderr } = cli('run', 'examples/echo-pair.gd', '--json', '--progress');
  assert.equal(code, 0, stderr);
  const reports = JSON.parse(stdout) as { ok: boolean }[];
  assert.equal(reports.length, 1);
  assert.match(stderr, /^\[1\/1\] examples\/echo-pair\.gd: server ⇄ client \(line 29\) ✔ \d+\.\d s$/m);
});

test('progress on a terminal: a status line redrawn in place and erased when the pair ends', () => {
  const written: string[] = [];
  let now = 0;
  const tty = { isTTY: true, columns: 80, write: (t: string) => written.push(t) };
  assert.equal(progressMode(tty, undefined), 'live');
  assert.equal(progressMode(tty, false), 'off');
  assert.equal(progressMode({ write: () => undefined }, undefined), 'off');
  assert.equal(progressMode({ write: () => undefined }, true), 'lines');
  const progress = new PairProgress(12, tty, 'live', () => now);
  progress.start('examples/x.md: server ⇄ client (line 9)');
  now = 1234;
  progress.finish(true);
  assert.deepEqual(written, ['\r\x1b[K[1/12] examples/x.md: server ⇄ client (line 9) … 0.0 s', '\r\x1b[K']);
  written.length = 0;
  progress.start('examples/' + 'long-name/'.repeat(12) + 'y.md: server ⇄ client');
  progress.finish(false);
  assert.equal(written[0].length, '\r\x1b[K'.length + 79, 'cut to the terminal width');
  assert.match(written[0], /^\r\x1b\[K\[2\/12\] examples\/long-name/);
});
