import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { unifiedDiff } from '../../engine/cli/unified-diff';

// The CLI as compiled next to this test (engine/cli/main.ts), so the test checks this tree's code.
const cli = join(__dirname, '..', '..', 'engine', 'cli', 'main.js');
const root = join(__dirname, '..', '..', '..');

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dtls-lab-fix-')), name);
  writeFileSync(file, text);
  return file;
}

const GODOT3 = `extends Node
onready var udp = PacketPeerUDP.new()
export(int) var port = 4242

func _ready():
	udp.set_dest_address("127.0.0.1", port)
	var started = OS.get_ticks_msec()
	udp.put_packet("hi".to_utf8())
	yield(get_tree().create_timer(1), "timeout")
	print(OS.get_ticks_msec() - started)
`;

const GODOT4 = `extends Node
@onready var udp = PacketPeerUDP.new()
@export var port: int = 4242

func _ready():
	udp.set_dest_address("127.0.0.1", port)
	var started = Time.get_ticks_msec()
	udp.put_packet("hi".to_utf8_buffer())
	await get_tree().create_timer(1).timeout
	print(Time.get_ticks_msec() - started)
`;

test('dtls-lab check reports each Godot 3 construct once, as an error with its Godot 4 form', () => {
  const file = tempFile('g3.gd', GODOT3);
  const { code, stdout } = run('check', file);
  assert.equal(code, 1);
  assert.match(stdout, /g3\.gd:2:1: error: Godot 3's "onready var" is "@onready var" in Godot 4\./);
  assert.match(stdout, /g3\.gd:3:1: error: Godot 3's "export\(int\)" is "@export var port: int" in Godot 4\./);
  assert.match(stdout, /g3\.gd:9:2: error: Godot 3's "yield\(get_tree\(\)\.create_timer\(1\), "timeout"\)" is "await get_tree\(\)\.create_timer\(1\)\.timeout"/);
  assert.doesNotMatch(stdout, /Unexpected|Expected statement, found "yield"/, 'no syntax error repeats a godot3 problem');
  assert.match(stdout, /^6 problem\(s\)$/m);
});

test('dtls-lab check --fix rewrites the file, prints each fix and exits 0 when no error remains', () => {
  const file = tempFile('g3.gd', GODOT3);
  const { code, stdout, stderr } = run('check', file, '--fix');
  assert.equal(code, 0, stderr + stdout);
  assert.equal(readFileSync(file, 'utf8'), GODOT4);
  assert.match(stdout, /g3\.gd:2: fixed: Replace "onready" with "@onready"/);
  assert.match(stdout, /g3\.gd:3: fixed: Replace "export\(int\)" with "@export var port: int"/);
  assert.match(stdout, /g3\.gd:8: fixed: Replace "to_utf8" with "to_utf8_buffer"/);
  assert.match(stdout, /g3\.gd:9: fixed: Replace "yield\(get_tree\(\)\.create_timer\(1\), "timeout"\)" with "await get_tree\(\)\.create_timer\(1\)\.timeout"/);
  assert.equal(stdout.split('\n').filter((l) => l.includes(': fixed: ')).length, 6);
  assert.match(stdout, /^6 fix\(es\) applied; no problems$/m);
  // A second run has nothing left to do.
  const again = run('check', file, '--fix');
  assert.equal(again.code, 0);
  assert.match(again.stdout, /^0 fix\(es\) applied; no problems$/m);
});

test('dtls-lab check --fix --dry-run prints a unified diff and leaves the file alone', () => {
  const file = tempFile('g3.gd', GODOT3);
  const { code, stdout } = run('check', file, '--fix', '--dry-run');
  assert.equal(code, 0);
  assert.equal(readFileSync(file, 'utf8'), GODOT3);
  const name = file.replace(/^\/+/, '');
  assert.ok(stdout.startsWith(`--- a/${name}\n+++ b/${name}\n@@ -1,10 +1,10 @@\n extends Node\n-onready var udp = PacketPeerUDP.new()\n-export(int) var port = 4242\n+@onready var udp = PacketPeerUDP.new()\n+@export var port: int = 4242\n \n`), stdout);
  assert.match(stdout, /^-\tyield\(get_tree\(\)\.create_timer\(1\), "timeout"\)\n/m);
  assert.match(stdout, /^\+\tawait get_tree\(\)\.create_timer\(1\)\.timeout$/m);
  assert.match(stdout, /^6 fix\(es\) would be applied; no problems$/m);
  assert.doesNotMatch(stdout, /: fixed: /);
});

test('dtls-lab check --fix fixes Markdown fences only, and exits 1 when an error remains', () => {
  const md = '# Tutorial\n\nCall `to_utf8()` on the string:\n\n```gdscript\nextends Node\nfunc _ready():\n\tvar f = File.new()\n\tprint("x".to_utf8())\n```\n';
  const file = tempFile('tutorial.md', md);
  const { code, stdout } = run('check', file, '--fix');
  assert.equal(code, 1, stdout);
  assert.equal(readFileSync(file, 'utf8'), md.replace('"x".to_utf8()', '"x".to_utf8_buffer()'));
  assert.match(stdout, /tutorial\.md:9: fixed: Replace "to_utf8" with "to_utf8_buffer"/);
  assert.match(stdout, /tutorial\.md:8:10: error: Godot 3's File\.new\(\) is gone: Godot 4 makes a FileAccess with FileAccess\.open/);
  assert.match(stdout, /^1 fix\(es\) applied; \d+ problem\(s\) remain$/m);
});

test('dtls-lab check --fix usage: --dry-run needs --fix, --help lists both', () => {
  const file = tempFile('ok.gd', 'extends Node\n');
  const bad = run('check', file, '--dry-run');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--dry-run goes with --fix/);
  const help = run('check', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--fix {8}apply every safe fix/);
  assert.match(help.stdout, /--dry-run {4}with --fix: print a unified diff/);
  const json = run('check', tempFile('g3.gd', GODOT3), '--fix', '--json');
  assert.equal(json.code, 0);
  const [result] = JSON.parse(json.stdout);
  assert.equal(result.fixed.length, 6);
  assert.deepEqual(result.problems, []);
});

test('unifiedDiff prints what diff -u prints (hunks, context, insertions, deletions)', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
  const cases: [string[], string[]][] = [
    [lines, lines.map((l, i) => (i === 4 ? 'changed 5' : l))],
    [lines, [...lines.slice(0, 10), 'inserted', ...lines.slice(10)]],
    [lines, [...lines.slice(0, 2), ...lines.slice(5)]],
    [lines, lines.map((l, i) => (i === 1 || i === 27 ? `${l}!` : l))],
    [lines, lines.map((l, i) => (i === 10 || i === 15 ? `${l}!` : l))],
    [['a'], []],
    [[], ['b', 'c']],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'dtls-lab-diff-'));
  for (const [before, after] of cases) {
    const a = before.map((l) => `${l}\n`).join('');
    const b = after.map((l) => `${l}\n`).join('');
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    const expected = spawnSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' }).stdout.split('\n').slice(2).join('\n').trimEnd();
    assert.equal(unifiedDiff(a, b, 'a', 'b').split('\n').slice(2).join('\n'), expected);
  }
  assert.equal(unifiedDiff('same\n', 'same\n', 'a', 'b'), '');
});
