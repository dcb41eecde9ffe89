import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, test } from 'node:test';
import { applyFixes, planFixes } from '../../engine/analysis/apply-fixes';
import { fixDocument } from '../../engine/analysis/fix-document';
import { findGodot3Constructs, findGodot3InDocument } from '../../engine/analysis/godot3-migrations';
import { parse } from '../../engine/gdscript';
import type { QuickFix, Range } from '../../engine/gdscript/range';
import { godot3Renames } from '../../engine/godot/class-data';
import { checkDocument } from '../../engine/sandbox/check';
import { readSnippets } from '../../engine/sandbox/document';
import type { Problem } from '../../engine/sandbox/report';
import { runPair } from '../../engine/sandbox/run-pair';

const root = join(__dirname, '..', '..', '..');

/** Declarations the one-line cases use: typed variables (the migrations look at them), functions, a signal. */
const HEADER = `extends Node
signal done
var udp := PacketPeerUDP.new()
var server := UDPServer.new()
var dtls := PacketPeerDTLS.new()
var dtls_server := DTLSServer.new()
var tls := StreamPeerTLS.new()
var thread := Thread.new()
var key := CryptoKey.new()
var cert := X509Certificate.new()
var chain := X509Certificate.new()
var bytes := PackedByteArray([1, 2, 3, 4, 5])
var i := 1
var j := 2
func worker(data):
	print(data)
func worker0():
	pass
func _on_done():
	pass
func set_x(value):
	pass
func get_x():
	return 1
`;

/** `statement` inside a function (default) or as a class member; the last line of the script. */
function script(statement: string, member = false): string {
  return member ? `${HEADER}${statement}\n` : `${HEADER}func _ready():\n\t${statement}\n`;
}

/** The range of the first `span` on the script's last statement line. */
function rangeOf(source: string, span: string): Range {
  const lines = source.split('\n');
  const line = lines.length - 2;
  const character = lines[line].indexOf(span);
  assert.ok(character >= 0, `"${span}" is on the line "${lines[line]}"`);
  return { start: { line, character }, end: { line, character: character + span.length } };
}

/** Applies every safe fix of the Godot 3 problems, round after round (like check --fix). */
function migrate(source: string): string {
  let text = source;
  for (let round = 0; round < 10; round++) {
    const fixes = findGodot3Constructs(text).flatMap((p) => p.fixes?.filter((f) => f.safe).slice(0, 1) ?? []);
    if (fixes.length === 0) break;
    text = applyFixes(text, fixes);
  }
  return text;
}

function lastLine(text: string): string {
  const lines = text.split('\n');
  return lines[lines.length - 2].replace(/^\t/, '');
}

interface Case {
  name: string;
  statement: string;
  member?: boolean;
  /** The text the first problem's range covers. */
  span: string;
  message: RegExp;
  /** The statement after the fixes. */
  fixed: string;
}

const CASES: Case[] = [
  { name: 'export var', member: true, statement: 'export var port = 4242', span: 'export', message: /"export" is "@export" in Godot 4/, fixed: '@export var port = 4242' },
  { name: 'export(int) adds the type', member: true, statement: 'export(int) var port = 4242', span: 'export(int)', message: /"export\(int\)" is "@export var port: int"/, fixed: '@export var port: int = 4242' },
  { name: 'export(String, FILE)', member: true, statement: 'export(String, FILE) var path', span: 'export(String, FILE)', message: /@export_file var path: String/, fixed: '@export_file var path: String' },
  { name: 'export(String, FILE, filter)', member: true, statement: 'export(String, FILE, "*.crt") var path', span: 'export(String, FILE, "*.crt")', message: /@export_file\("\*\.crt"\)/, fixed: '@export_file("*.crt") var path: String' },
  { name: 'export(String, DIR, GLOBAL)', member: true, statement: 'export(String, DIR, GLOBAL) var dir', span: 'export(String, DIR, GLOBAL)', message: /@export_global_dir/, fixed: '@export_global_dir var dir: String' },
  { name: 'export(int, min, max)', member: true, statement: 'export(int, 1, 10) var n = 5', span: 'export(int, 1, 10)', message: /@export_range\(1, 10\)/, fixed: '@export_range(1, 10) var n: int = 5' },
  { name: 'export(float, min, max, step)', member: true, statement: 'export(float, 0, 1, 0.1) var f = 0.5', span: 'export(float, 0, 1, 0.1)', message: /@export_range\(0, 1, 0\.1\)/, fixed: '@export_range(0, 1, 0.1) var f: float = 0.5' },
  { name: 'export(int, "A", "B") is an enum', member: true, statement: 'export(int, "Udp", "Tcp") var mode = 0', span: 'export(int, "Udp", "Tcp")', message: /@export_enum/, fixed: '@export_enum("Udp", "Tcp") var mode: int = 0' },
  { name: 'export(int, FLAGS, …)', member: true, statement: 'export(int, FLAGS, "A", "B") var flags = 0', span: 'export(int, FLAGS, "A", "B")', message: /@export_flags/, fixed: '@export_flags("A", "B") var flags: int = 0' },
  { name: 'export(Array, int) is a typed array', member: true, statement: 'export(Array, int) var ports = []', span: 'export(Array, int)', message: /Array\[int\]/, fixed: '@export var ports: Array[int] = []' },
  { name: 'export(int) keeps := untyped', member: true, statement: 'export(int) var port := 4242', span: 'export(int)', message: /"@export"/, fixed: '@export var port := 4242' },
  { name: 'onready var', member: true, statement: 'onready var label = 3', span: 'onready', message: /"onready var" is "@onready var"/, fixed: '@onready var label = 3' },
  { name: 'remote func', member: true, statement: 'remote func hello(): pass', span: 'remote', message: /"remote func" is "@rpc\("any_peer"\) func"/, fixed: '@rpc("any_peer") func hello(): pass' },
  { name: 'puppet func', member: true, statement: 'puppet func hello(): pass', span: 'puppet', message: /"@rpc func".*authority/, fixed: '@rpc func hello(): pass' },
  { name: 'remotesync func', member: true, statement: 'remotesync func hello(): pass', span: 'remotesync', message: /call_local/, fixed: '@rpc("any_peer", "call_local") func hello(): pass' },
  { name: 'puppetsync func', member: true, statement: 'puppetsync func hello(): pass', span: 'puppetsync', message: /call_local/, fixed: '@rpc("call_local") func hello(): pass' },
  { name: 'setget setter, getter', member: true, statement: 'var x = 1 setget set_x, get_x', span: 'setget set_x, get_x', message: /setget set_x, get_x.*: set = set_x, get = get_x.*also calls the setter/, fixed: 'var x = 1: set = set_x, get = get_x' },
  { name: 'setget , getter', member: true, statement: 'var y setget , get_x', span: 'setget , get_x', message: /: get = get_x/, fixed: 'var y: get = get_x' },
  { name: 'yield on a timer', statement: 'yield(get_tree().create_timer(1), "timeout")', span: 'yield(get_tree().create_timer(1), "timeout")', message: /"await get_tree\(\)\.create_timer\(1\)\.timeout"/, fixed: 'await get_tree().create_timer(1).timeout' },
  { name: 'yield on an object', statement: 'yield(self, "done")', span: 'yield(self, "done")', message: /"await self\.done"/, fixed: 'await self.done' },
  { name: 'yield(f(), "completed") awaits the coroutine', statement: 'var r = yield(worker0(), "completed")', span: 'yield(worker0(), "completed")', message: /waits for a coroutine/, fixed: 'var r = await worker0()' },
  { name: 'yield on idle_frame (renamed signal)', statement: 'yield(get_tree(), "idle_frame")', span: 'yield(get_tree(), "idle_frame")', message: /idle_frame is process_frame/, fixed: 'await get_tree().process_frame' },
  { name: 'to_utf8()', statement: 'var b = "hi".to_utf8()', span: 'to_utf8', message: /to_utf8\(\) is String\.to_utf8_buffer\(\)/, fixed: 'var b = "hi".to_utf8_buffer()' },
  { name: 'to_ascii()', statement: 'var b = "hi".to_ascii()', span: 'to_ascii', message: /to_ascii_buffer/, fixed: 'var b = "hi".to_ascii_buffer()' },
  { name: 'subarray with literal ends', statement: 'var b = bytes.subarray(0, 3)', span: 'subarray(0, 3)', message: /includes "to".*"slice\(0, 4\)"/, fixed: 'var b = bytes.slice(0, 4)' },
  { name: 'subarray(a, n - 1)', statement: 'var b = bytes.subarray(2, bytes.size() - 1)', span: 'subarray(2, bytes.size() - 1)', message: /slice\(2, bytes\.size\(\)\)/, fixed: 'var b = bytes.slice(2, bytes.size())' },
  { name: 'subarray(a, -1) goes to the end', statement: 'var b = bytes.subarray(1, -1)', span: 'subarray(1, -1)', message: /slice\(1\)/, fixed: 'var b = bytes.slice(1)' },
  { name: 'subarray with an expression end', statement: 'var b = bytes.subarray(i, j)', span: 'subarray(i, j)', message: /slice\(i, j \+ 1\)/, fixed: 'var b = bytes.slice(i, j + 1)' },
  { name: 'OS.get_ticks_msec()', statement: 'var t = OS.get_ticks_msec()', span: 'OS.get_ticks_msec()', message: /OS\.get_ticks_msec\(\) is Time\.get_ticks_msec\(\)/, fixed: 'var t = Time.get_ticks_msec()' },
  { name: 'OS.get_ticks_usec()', statement: 'var t = OS.get_ticks_usec()', span: 'OS.get_ticks_usec()', message: /Time\.get_ticks_usec/, fixed: 'var t = Time.get_ticks_usec()' },
  { name: 'OS.get_unix_time()', statement: 'var t = OS.get_unix_time()', span: 'OS.get_unix_time()', message: /Time\.get_unix_time_from_system/, fixed: 'var t = Time.get_unix_time_from_system()' },
  { name: 'OS.get_datetime(utc) keeps its argument', statement: 'var d = OS.get_datetime(true)', span: 'OS.get_datetime(true)', message: /Time\.get_datetime_dict_from_system/, fixed: 'var d = Time.get_datetime_dict_from_system(true)' },
  { name: 'OS.get_system_time_msecs() keeps milliseconds', statement: 'var t = OS.get_system_time_msecs()', span: 'OS.get_system_time_msecs()', message: /\* 1000/, fixed: 'var t = int(Time.get_unix_time_from_system() * 1000)' },
  { name: 'Thread.start with userdata', statement: 'thread.start(self, "worker", 5)', span: 'self, "worker", 5', message: /"start\(worker\.bind\(5\)\)"/, fixed: 'thread.start(worker.bind(5))' },
  { name: 'Thread.start without userdata, no parameter', statement: 'thread.start(self, "worker0")', span: 'self, "worker0"', message: /"start\(worker0\)"/, fixed: 'thread.start(worker0)' },
  { name: 'Thread.start without userdata binds the null Godot 3 passed', statement: 'thread.start(self, "worker")', span: 'self, "worker"', message: /binds null/, fixed: 'thread.start(worker.bind(null))' },
  { name: 'Thread.start with a priority', statement: 'thread.start(self, "worker", 1, Thread.PRIORITY_HIGH)', span: 'self, "worker", 1, Thread.PRIORITY_HIGH', message: /start\(callable\)/, fixed: 'thread.start(worker.bind(1), Thread.PRIORITY_HIGH)' },
  { name: 'connect_to_peer without validation', statement: 'dtls.connect_to_peer(udp, false, "localhost")', span: 'false, "localhost"', message: /TLSOptions\.client_unsafe\(\).*not checked/, fixed: 'dtls.connect_to_peer(udp, "localhost", TLSOptions.client_unsafe())' },
  { name: 'connect_to_peer with a trusted certificate', statement: 'dtls.connect_to_peer(udp, true, "example.com", cert)', span: 'true, "example.com", cert', message: /TLSOptions\.client\(cert\)/, fixed: 'dtls.connect_to_peer(udp, "example.com", TLSOptions.client(cert))' },
  { name: 'connect_to_peer validating against the system CAs', statement: 'dtls.connect_to_peer(udp, true, "example.com")', span: 'true, "example.com"', message: /TLSOptions\.client\(\)/, fixed: 'dtls.connect_to_peer(udp, "example.com", TLSOptions.client())' },
  { name: 'connect_to_peer with a variable validate_certs', statement: 'dtls.connect_to_peer(udp, i == 1, "h", cert)', span: 'i == 1, "h", cert', message: /connect_to_peer/, fixed: 'dtls.connect_to_peer(udp, "h", TLSOptions.client(cert) if i == 1 else TLSOptions.client_unsafe())' },
  { name: 'DTLSServer.setup(key, cert)', statement: 'dtls_server.setup(key, cert)', span: 'key, cert', message: /setup\(TLSOptions\.server\(key, certificate\)\)/, fixed: 'dtls_server.setup(TLSOptions.server(key, cert))' },
  { name: 'StreamPeerSSL.connect_to_stream', statement: 'tls.connect_to_stream(StreamPeerTCP.new(), true, "example.com", cert)', span: 'true, "example.com", cert', message: /connect_to_stream/, fixed: 'tls.connect_to_stream(StreamPeerTCP.new(), "example.com", TLSOptions.client(cert))' },
  { name: 'StreamPeerSSL.accept_stream', statement: 'tls.accept_stream(StreamPeerTCP.new(), key, cert)', span: 'key, cert', message: /accept_stream\(stream, TLSOptions\.server/, fixed: 'tls.accept_stream(StreamPeerTCP.new(), TLSOptions.server(key, cert))' },
  { name: 'StreamPeerSSL is StreamPeerTLS', statement: 'var s = StreamPeerSSL.new()', span: 'StreamPeerSSL', message: /StreamPeerTLS/, fixed: 'var s = StreamPeerTLS.new()' },
  { name: 'PoolByteArray type and constructor', statement: 'var b: PoolByteArray = PoolByteArray()', span: 'PoolByteArray', message: /type PoolByteArray is PackedByteArray/, fixed: 'var b: PackedByteArray = PackedByteArray()' },
  { name: 'PoolStringArray', statement: 'var s = PoolStringArray(["a"])', span: 'PoolStringArray', message: /PackedStringArray/, fixed: 'var s = PackedStringArray(["a"])' },
  { name: 'PoolIntArray is 32-bit', statement: 'var s = PoolIntArray()', span: 'PoolIntArray', message: /32-bit/, fixed: 'var s = PackedInt32Array()' },
  { name: 'PacketPeerUDP.listen is bind', statement: 'udp.listen(4242)', span: 'listen', message: /bind\(port, bind_address, recv_buf_size\)/, fixed: 'udp.bind(4242)' },
  { name: 'PacketPeerUDP.is_listening is is_bound', statement: 'print(udp.is_listening())', span: 'is_listening', message: /is_bound/, fixed: 'print(udp.is_bound())' },
  { name: 'connect(signal, self, method)', statement: 'connect("done", self, "_on_done")', span: 'connect("done", self, "_on_done")', message: /"done\.connect\(_on_done\)"/, fixed: 'done.connect(_on_done)' },
  { name: 'obj.connect with binds and flags', statement: 'get_tree().create_timer(1).connect("timeout", self, "worker", [7], CONNECT_ONESHOT)', span: 'get_tree().create_timer(1).connect("timeout", self, "worker", [7], CONNECT_ONESHOT)', message: /binds are callable\.bind/, fixed: 'get_tree().create_timer(1).timeout.connect(worker.bind(7), CONNECT_ONE_SHOT)' },
  { name: 'connect to another object\'s method', statement: 'udp.connect("done", thread, "wait_to_finish")', span: 'udp.connect("done", thread, "wait_to_finish")', message: /connect/, fixed: 'udp.done.connect(thread.wait_to_finish)' },
  { name: 'disconnect(signal, self, method)', statement: 'disconnect("done", self, "_on_done")', span: 'disconnect("done", self, "_on_done")', message: /disconnect/, fixed: 'done.disconnect(_on_done)' },
  { name: 'is_connected(signal, self, method)', statement: 'print(is_connected("done", self, "_on_done"))', span: 'is_connected("done", self, "_on_done")', message: /is_connected/, fixed: 'print(done.is_connected(_on_done))' },
  { name: 'funcref and call_func', statement: 'funcref(self, "worker").call_func(1)', span: 'funcref', message: /Callable\(\)/, fixed: 'Callable(self, "worker").call(1)' },
  { name: 'str2var', statement: 'var v = str2var("1")', span: 'str2var', message: /str_to_var/, fixed: 'var v = str_to_var("1")' },
  { name: 'var2str', statement: 'var v = var2str(1)', span: 'var2str', message: /var_to_str/, fixed: 'var v = var_to_str(1)' },
  { name: 'var2bytes', statement: 'var v = var2bytes(1)', span: 'var2bytes', message: /var_to_bytes/, fixed: 'var v = var_to_bytes(1)' },
  { name: 'parse_json', statement: 'var v = parse_json("{}")', span: 'parse_json', message: /JSON\.parse_string/, fixed: 'var v = JSON.parse_string("{}")' },
  { name: 'to_json', statement: 'var v = to_json({})', span: 'to_json', message: /JSON\.stringify/, fixed: 'var v = JSON.stringify({})' },
  { name: 'JSON.print', statement: 'var v = JSON.print({})', span: 'print', message: /JSON\.stringify/, fixed: 'var v = JSON.stringify({})' },
  { name: 'rand_range', statement: 'var v = rand_range(0, 1)', span: 'rand_range', message: /randf_range/, fixed: 'var v = randf_range(0, 1)' },
  { name: 'stepify', statement: 'var v = stepify(1.23, 0.1)', span: 'stepify', message: /snapped/, fixed: 'var v = snapped(1.23, 0.1)' },
  { name: 'deg2rad', statement: 'var v = deg2rad(90)', span: 'deg2rad', message: /deg_to_rad/, fixed: 'var v = deg_to_rad(90)' },
  { name: 'rad2deg', statement: 'var v = rad2deg(1)', span: 'rad2deg', message: /rad_to_deg/, fixed: 'var v = rad_to_deg(1)' },
  { name: 'empty()', statement: 'print(bytes.empty())', span: 'empty', message: /is_empty/, fixed: 'print(bytes.is_empty())' },
  { name: 'Reference as a type', statement: 'var r: Reference = null', span: 'Reference', message: /RefCounted/, fixed: 'var r: RefCounted = null' },
  { name: 'TYPE_RAW_ARRAY', statement: 'print(typeof(bytes) == TYPE_RAW_ARRAY)', span: 'TYPE_RAW_ARRAY', message: /TYPE_PACKED_BYTE_ARRAY/, fixed: 'print(typeof(bytes) == TYPE_PACKED_BYTE_ARRAY)' },
];

describe('Godot 3 → 4 migrations', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const source = script(c.statement, c.member);
      const problems = findGodot3Constructs(source);
      assert.ok(problems.length > 0, `a godot3 problem for ${c.statement}`);
      const first = problems[0];
      assert.equal(first.code, 'godot3');
      assert.deepEqual(first.tags, ['deprecated']);
      assert.match(first.message, c.message);
      assert.deepEqual(first.range, rangeOf(source, c.span));
      assert.ok(first.fixes?.[0]?.safe, 'the fix is safe');
      const fixed = migrate(source);
      assert.equal(lastLine(fixed), c.fixed);
      assert.deepEqual(findGodot3Constructs(fixed), [], 'no Godot 3 construct is left');
      assert.deepEqual(parse(fixed, { check: false }).errors, [], 'the result parses');
    });
  }

  it('tool and extends Reference', () => {
    const source = 'tool\nextends Reference\nfunc f():\n\tpass\n';
    const problems = findGodot3Constructs(source);
    assert.deepEqual(problems.map((p) => [p.message.slice(0, 40), p.range.start.line, p.range.start.character, p.range.end.character]), [
      ['Godot 3\'s "tool" is the annotation "@too', 0, 0, 4],
      ['Godot 3\'s class Reference is RefCounted ', 1, 8, 17],
    ]);
    const fixed = migrate(source);
    assert.equal(fixed, '@tool\nextends RefCounted\nfunc f():\n\tpass\n');
    assert.deepEqual(parse(fixed).errors, []);
  });

  it('Godot 4 code and unchanged Godot 3 names are left alone', () => {
    const source = script(
      'udp.set_dest_address("127.0.0.1", 4242); server.listen(4242); print(udp.get_available_packet_count(), bytes.get_string_from_utf8(), server.is_listening()); OS.delay_msec(1); dtls.connect_to_peer(udp, "localhost", TLSOptions.client()); dtls_server.setup(TLSOptions.server(key, cert)); emit_signal("done"); done.connect(_on_done); await get_tree().process_frame; thread.start(worker.bind(1)); print(bytes.slice(0, 2))',
    );
    assert.deepEqual(findGodot3Constructs(source), []);
  });

  it('yield() without arguments and File.new() are explained, without a fix', () => {
    const source = script('yield()\n\tvar f = File.new()');
    const problems = findGodot3Constructs(source);
    assert.equal(problems.length, 2);
    assert.match(problems[0].message, /"yield\(\)".*no Godot 4 equivalent/);
    assert.match(problems[1].message, /File\.new\(\) is gone: .*FileAccess\.open\(path, FileAccess\.READ\)/);
    assert.ok(problems.every((p) => p.fixes === undefined && p.code === 'godot3'));
    assert.deepEqual(problems[1].range, rangeOf(source, 'File.new()'));
  });

  it('master func has no exact Godot 4 equivalent: its @rpc("any_peer") fix needs review', () => {
    const source = script('master func hello(): pass', true);
    const [problem] = findGodot3Constructs(source);
    assert.match(problem.message, /no "callable only on the master" mode\. Review: check multiplayer\.get_remote_sender_id\(\)/);
    assert.equal(problem.fixes?.[0].safe, false);
    assert.equal(lastLine(applyFixes(source, problem.fixes!)), '@rpc("any_peer") func hello(): pass');
    assert.equal(migrate(source), source, 'check --fix leaves it');
  });

  it('setup(key, cert, chain) gets a fix that needs review (the chain is dropped)', () => {
    const source = script('dtls_server.setup(key, cert, chain)');
    const [problem] = findGodot3Constructs(source);
    assert.match(problem.message, /no separate chain/);
    assert.equal(problem.fixes?.[0].safe, false);
    assert.equal(lastLine(applyFixes(source, problem.fixes!)), 'dtls_server.setup(TLSOptions.server(key, cert))');
    assert.equal(migrate(source), source, 'check --fix leaves it');
  });

  it('the receiver\'s class decides: UDPServer keeps listen(), a script\'s own functions are not renamed', () => {
    const source = `${HEADER}func rand_range(a, b):\n\treturn a\nfunc _ready():\n\tserver.listen(1)\n\tudp.listen(2)\n\tprint(rand_range(1, 2))\n`;
    const problems = findGodot3Constructs(source);
    assert.deepEqual(problems.map((p) => p.range.start.line), [source.split('\n').indexOf('\tudp.listen(2)')]);
  });

  it('setup(key, cert) on a receiver of unknown class is offered for review only; an assignment of X.new() tells the class', () => {
    const unknown = `${HEADER}var s\nfunc _ready():\n\ts.setup(key, cert)\n`;
    const [problem] = findGodot3Constructs(unknown);
    assert.match(problem.message, /Review: the script does not say that this is a DTLSServer/);
    assert.equal(problem.fixes?.[0].safe, false);
    const assigned = `${HEADER}var s\nfunc _ready():\n\ts = DTLSServer.new()\n\ts.setup(key, cert)\n`;
    assert.equal(lastLine(migrate(assigned)), 's.setup(TLSOptions.server(key, cert))');
    const other = `${HEADER}var s\nfunc _ready():\n\ts = PacketPeerDTLS.new()\n\ts.setup(key, cert)\n`;
    assert.deepEqual(findGodot3Constructs(other), [], 'another emulated class is left alone');
  });

  it('nested constructs are fixed over several rounds', () => {
    const source = script('var b = yield(get_tree().create_timer(OS.get_ticks_msec()), "timeout")');
    const fixed = migrate(source);
    assert.equal(lastLine(fixed), 'var b = await get_tree().create_timer(Time.get_ticks_msec()).timeout');
  });

  it('each Godot 3 construct shows once in checkDocument: as its godot3 problem, not also as a syntax error', () => {
    const source = 'tool\nextends Node\nexport(int) var port = 4242\nonready var x = 1\nvar y = 2 setget set_y\nfunc set_y(v):\n\ty = v\nfunc _ready():\n\tyield(get_tree(), "idle_frame")\n\tprint(port, x)\n';
    assert.equal(parse(source).errors.length, 5, 'the Godot 4 parser rejects each of them');
    const problems = checkDocument(source, 'gdscript');
    assert.deepEqual(problems.map((p) => `${p.range.start.line}:${p.code}`), ['0:godot3', '2:godot3', '3:godot3', '4:godot3', '8:godot3']);
  });

  it('the parser reads the Godot 3 forms as their Godot 4 meaning (the rest of the script parses as intended)', () => {
    const { script: tree, godot3 } = parse('export(int) var port = 1\nonready var x = 2\nvar y setget set_y, get_y\nfunc f():\n\tvar r = yield(self, "done")\n', { check: false });
    assert.deepEqual(godot3.map((g) => g.kind), ['export', 'onready', 'setget', 'yield']);
    const [port, x, y, f] = tree.members;
    assert.ok(port.kind === 'Var' && port.annotations[0].name === 'export');
    assert.ok(x.kind === 'Var' && x.annotations[0].name === 'onready');
    assert.ok(y.kind === 'Var' && y.setter?.kind === 'NamedAccessor' && y.setter.name === 'set_y' && y.getter?.kind === 'NamedAccessor' && y.getter.name === 'get_y');
    assert.ok(f.kind === 'Function' && f.body[0].kind === 'Var' && f.body[0].initializer?.kind === 'Await');
  });

  it('every rename fact of the data is offered as a fix (the data and the migrations agree)', () => {
    const facts = godot3Renames();
    for (const r of facts.filter((f) => f.kind === 'class' && !f.factory)) {
      const source = `extends Node\nvar v: ${r.godot3}\n`;
      assert.equal(migrate(source), `extends Node\nvar v: ${r.godot4}\n`, r.godot3);
    }
    for (const r of facts.filter((f) => f.kind === 'constant')) assert.equal(migrate(`func f():\n\tprint(${r.godot3})\n`), `func f():\n\tprint(${r.godot4})\n`);
    const sameParams = /^(\w+)\(([^()]*)\)$/;
    for (const r of facts.filter((f) => f.kind === 'function')) {
      const g3 = sameParams.exec(r.godot3);
      const g4 = /^([\w.]+)\(([^()]*)\)$/.exec(r.godot4);
      if (!g3 || !g4 || g3[2] !== g4[2]) continue;
      assert.equal(migrate(`func f():\n\tprint(${r.godot3})\n`), `func f():\n\tprint(${r.godot4})\n`, r.godot3);
    }
  });

  it('Markdown: fences are migrated in place, annotated or not, with document ranges', () => {
    const md = '# Title\n\n```gdscript\nextends Node\nfunc _ready():\n\tprint("x".to_utf8())\n```\n\nText.\n\n```gdscript\n# @dtls client\nextends Node\nonready var t = OS.get_ticks_msec()\n```\n';
    const problems = findGodot3InDocument(md, 'markdown');
    assert.deepEqual(problems.map((p) => [p.range.start.line, p.range.start.character]), [[5, 11], [13, 0], [13, 16]]);
    const fixed = fixDocument(md, 'markdown', { only: (p) => p.code === 'godot3' });
    assert.equal(fixed.text, md.replace('to_utf8()', 'to_utf8_buffer()').replace('onready var t = OS.', '@onready var t = Time.'));
    assert.equal(fixed.applied.length, 3);
  });
});

describe('applyFixes', () => {
  const edit = (line: number, from: number, to: number, newText: string): QuickFix => ({
    title: newText, safe: true, edits: [{ range: { start: { line, character: from }, end: { line, character: to } }, newText }],
  });

  it('applies non-overlapping fixes and leaves out a fix that overlaps an earlier one', () => {
    const text = 'abc def\nghi\r\njkl\n';
    const fixes = [edit(0, 4, 7, 'DEF'), edit(0, 5, 6, 'x'), edit(1, 0, 3, 'GHI'), edit(2, 3, 3, '!')];
    assert.deepEqual(planFixes(fixes).skipped.map((f) => f.title), ['x']);
    assert.equal(applyFixes(text, fixes), 'abc DEF\nGHI\r\njkl!\n');
  });

  it('a fix with several edits is applied whole', () => {
    const fix: QuickFix = { title: 'two', safe: true, edits: [edit(0, 0, 1, 'A').edits[0], edit(0, 2, 3, 'C').edits[0]] };
    assert.equal(applyFixes('abc', [fix]), 'AbC');
  });
});

test('a Godot 3 DTLS tutorial, after check --fix, runs as a pair: it connects and echoes', async () => {
  const tutorial = readFileSync(join(root, 'examples', 'godot3-echo-tutorial.md'), 'utf8');
  const before = checkDocument(tutorial, 'markdown');
  const kinds = ['export', 'onready', 'yield', 'setup(', 'connect_to_peer(', 'to_utf8', 'PoolByteArray', 'OS.get_ticks_msec', 'subarray'];
  for (const kind of kinds) assert.ok(before.some((p: Problem) => p.code === 'godot3' && p.message.includes(kind)), `the tutorial's ${kind} is found`);
  assert.ok(!before.some((p) => p.code === 'syntax'), 'no duplicate syntax errors');

  const fixed = fixDocument(tutorial, 'markdown');
  assert.ok(fixed.applied.length >= 15, `${fixed.applied.length} fixes`);
  assert.ok(fixed.rounds <= 3);
  assert.deepEqual(fixed.problems.filter((p) => p.severity === 'error' || p.code === 'godot3'), []);
  assert.match(fixed.text, /dtls_server\.setup\(TLSOptions\.server\(key, cert\)\)/);
  assert.match(fixed.text, /dtls\.connect_to_peer\(udp, "localhost", TLSOptions\.client_unsafe\(\)\)/);
  assert.match(fixed.text, /await get_tree\(\)\.create_timer\(0\.01\)\.timeout/);

  const doc = readSnippets(fixed.text, 'markdown');
  assert.equal(doc.pairs.length, 1);
  const report = await runPair(doc.pairs[0], { link: 'virtual' });
  assert.deepEqual(report.problems.filter((p) => p.severity === 'error'), []);
  assert.equal(report.ok, true);
  const prints = (peer: string) => report.peers.find((p) => p.name === peer)!.prints.map((p) => p.text);
  assert.deepEqual(prints('client'), ['status: 2', 'client got: hello']);
  assert.deepEqual(prints('server'), ['server got: hello']);
});
