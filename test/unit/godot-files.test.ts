// res:// (the snippet's folder, read-only), user:// (per-run scratch), and the paths the sandbox
// refuses: `..` out of a root, absolute paths, other schemes, symbolic links out of the folder.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolvePath } from '../../engine/godot/files';
import { runScript, runScripts } from './godot-helpers';

function folder(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'godot-res-'));
  mkdirSync(join(path, 'data'));
  writeFileSync(join(path, 'data', 'hello.txt'), 'line one\nline two\n');
  writeFileSync(join(path, 'secret-outside.txt'), 'x');
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

test('paths resolve inside res:// and user:// only', () => {
  const ok = (p: string) => {
    const r = resolvePath(p);
    assert.ok(r.ok, p);
    return r.path.display;
  };
  assert.equal(ok('res://a/./b/../c.txt'), 'res://a/c.txt');
  assert.equal(ok('key.key'), 'res://key.key');
  assert.equal(ok('user://x//y.bin'), 'user://x/y.bin');
  for (const bad of ['res://../etc/passwd', 'user://../../x', '../x', '/etc/passwd', 'C:\\Windows\\win.ini', 'file:///etc/passwd', 'http://example.com/key', '~/.ssh/id_rsa', 'a\0b']) {
    const r = resolvePath(bad);
    assert.ok(!r.ok, bad);
    assert.equal(r.error, 9, `${bad}: ERR_FILE_BAD_PATH`);
    assert.match(r.message, /The sandbox refuses the path/);
  }
});

test('FileAccess reads res://, writes only user://, and user:// is shared by the peers of a run', async () => {
  const res = folder();
  try {
    const { server, client } = await runScripts(
      `
extends Node
func _ready():
  var f := FileAccess.open("res://data/hello.txt", FileAccess.READ)
  print(f.get_line(), "|", f.get_line(), "|", f.get_length(), " ", FileAccess.file_exists("data/hello.txt"))
  print(FileAccess.open("res://data/hello.txt", FileAccess.WRITE), " ", FileAccess.get_open_error())
  print(FileAccess.open("res://data/hello.txt", FileAccess.READ_WRITE), " ", FileAccess.get_open_error())
  var w := FileAccess.open("user://notes/n.bin", FileAccess.WRITE)
  w.store_32(0xdeadbeef)
  w.store_pascal_string("pascal")
  w.store_var({"k": [1, 2]})
  w.store_line("tail")
  w.close()
  print(FileAccess.get_file_as_bytes("user://notes/n.bin").size(), " ", FileAccess.get_md5("res://data/hello.txt"))
`,
      `
extends Node
func _ready():
  OS.delay_msec(20)
  var r := FileAccess.open("user://notes/n.bin", FileAccess.READ)
  print("%x" % r.get_32(), " ", r.get_pascal_string(), " ", r.get_var(), " ", r.get_line(), " ", r.eof_reached())
  print(FileAccess.get_file_as_string("res://data/hello.txt").length())
`,
      { documentFolder: res.path },
    );
    assert.deepEqual(server.failures, []);
    assert.deepEqual(server.prints.slice(0, 3), ['line one|line two|18 true', '<null> 10', '<null> 10']);
    assert.match(server.prints[3], /^\d+ [0-9a-f]{32}$/);
    assert.ok(server.errors.some((e) => /res:\/\/ \(the snippet's folder\) is read-only in the sandbox; write to user:\/\/ instead/.test(e)));
    assert.deepEqual(client.prints, ['deadbeef pascal { "k": [1, 2] } tail false', '18']);
  } finally {
    res.remove();
  }
});

test('escape attempts are refused with a diagnostic and the file is never read', async () => {
  const res = folder();
  const outside = mkdtempSync(join(tmpdir(), 'godot-outside-'));
  writeFileSync(join(outside, 'stolen.txt'), 'secret');
  symlinkSync(join(outside, 'stolen.txt'), join(res.path, 'link.txt'));
  try {
    const r = await runScript(
      `
extends Node
func _ready():
  for p in ["res://../${'x'}", "/etc/passwd", "user://../../etc/passwd", "file:///etc/passwd", "res://link.txt", "C:/Windows/win.ini"]:
    print(FileAccess.get_file_as_string(p).length(), " ", FileAccess.get_open_error(), " ", FileAccess.file_exists(p))
  var k := CryptoKey.new()
  print(k.load("/etc/ssl/private/server.key"), " ", k.save("../escape.key"))
`,
      { documentFolder: res.path },
    );
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.prints, ['0 9 false', '0 9 false', '0 9 false', '0 9 false', '0 9 false', '0 9 false', '31 31']);
    assert.ok(r.errors.some((e) => /"\/etc\/passwd": absolute paths are outside the sandbox/.test(e)));
    assert.ok(r.errors.some((e) => /".." would leave user:\/\//.test(e)));
    assert.ok(r.errors.some((e) => /only res:\/\/ and user:\/\/ paths exist in the sandbox/.test(e)));
    assert.ok(r.errors.some((e) => /links to a file outside the snippet's folder/.test(e)));
  } finally {
    res.remove();
    rmSync(outside, { recursive: true, force: true });
  }
});

test('a missing key file is an error with the hint to generate one with Crypto', async () => {
  const res = folder();
  try {
    const r = await runScript(
      `
extends Node
func _ready():
  var key := CryptoKey.new()
  print(key.load("res://server.key"))
  var c := X509Certificate.new()
  print(c.load("user://cert.crt"))
`,
      { documentFolder: res.path },
    );
    assert.deepEqual(r.prints, ['31', '31']);
    const missing = r.errors.find((e) => e.includes('res://server.key'))!;
    assert.match(missing, /File not found: res:\/\/server\.key \(res:\/\/ is the snippet's folder/);
    assert.match(missing, /generate them in the script: `var crypto := Crypto\.new\(\)`, `var key := crypto\.generate_rsa\(2048\)`/);
    const noDocument = await runScript('extends Node\nfunc _ready():\n  print(FileAccess.file_exists("res://x"), " ", X509Certificate.new().load("cert.crt"))\n');
    assert.deepEqual(noDocument.prints, ['false 31']);
    assert.ok(noDocument.errors.some((e) => /this run has no document folder, so res:\/\/ is empty/.test(e)));
  } finally {
    res.remove();
  }
});

test('user:// is bounded: file size and file count', async () => {
  const r = await runScript(
    `
extends Node
func _ready():
  var big := PackedByteArray()
  big.resize(3000)
  var f := FileAccess.open("user://big.bin", FileAccess.WRITE)
  f.store_buffer(big)
  print(f.get_error())
  var codes = []
  for i in 5:
    var g := FileAccess.open("user://f%d" % i, FileAccess.WRITE)
    codes.append(g != null)
  print(codes)
`,
    { godotLimits: { maxFileBytes: 2048, maxUserFiles: 3 } },
  );
  assert.deepEqual(r.prints, ['6', '[true, true, false, false, false]']);
  assert.ok(r.errors.some((e) => /more than the sandbox's 2048-byte file limit/.test(e)));
  assert.ok(r.errors.some((e) => /already holds 3 files, the sandbox's limit/.test(e)));
});
