// The analyzer's errors: names that are not declared, members and functions the Godot API or the script
// does not have (with "did you mean"), void results used as values, argument counts and types, and
// declared types that cannot hold the value. Each with Godot 4's wording and the exact range, and a
// correct script that gives none.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brief, problemsOf, rangeIn, rangeOf, withCode } from './analysis-helpers';

describe('analyzer: names', () => {
  it('reports an undeclared identifier with "did you mean"', () => {
    const src = 'extends Node\nvar counter := 0\n\nfunc _ready():\n\tcountr += 1\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      { code: 'undeclared-identifier', message: 'Identifier "countr" not declared in the current scope. Did you mean "counter"?', range: rangeOf(src, 'countr') },
    ]);
  });

  it('does not see a local before its declaration, nor outside its block', () => {
    const src = 'extends Node\n\nfunc _ready():\n\tprint(later)\n\tvar later := 1\n\tif later > 0:\n\t\tvar inner := 2\n\t\tprint(inner)\n\tprint(inner)\n';
    const found = withCode(problemsOf(src), 'undeclared-identifier');
    assert.deepEqual(found.map((p) => p.range), [rangeOf(src, 'later'), rangeOf(src, 'inner', 2)]);
  });

  it('reports an unknown function on self', () => {
    const src = 'extends Node\n\nfunc _ready():\n\tprnt("hi")\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      { code: 'unknown-function', message: 'Function "prnt()" not found in base self. Did you mean "print()"?', range: rangeOf(src, 'prnt') },
    ]);
  });

  it('knows the native base, inner classes, enums, signals, globals and class_name', () => {
    const src = `class_name Lab
extends Node

signal done(value)
enum State { IDLE, BUSY }
const LIMIT := 3
var state := State.IDLE

class Box:
	var size := 1
	static func make() -> Box:
		return Box.new()

func _ready():
	var box := Box.make()
	print(box.size, LIMIT, State.BUSY, OK, ERR_BUSY, TYPE_INT, PI, get_tree(), name, Lab.LIMIT)
	done.emit(state)
	set_process(true)
	var bytes := var_to_bytes(1)
	print(bytes.size(), error_string(OK), Time.get_ticks_msec(), OS.get_name())
`;
    assert.deepEqual(problemsOf(src), []);
  });

  it('says nothing about names when the script extends a class the lab does not know', () => {
    const src = 'extends CharacterBody2D\n\nfunc _physics_process(_delta):\n\tvelocity.x = 10\n\tmove_and_slide()\n';
    assert.deepEqual(problemsOf(src), []);
  });

  it('leaves Godot 3 spellings to the migrations', () => {
    const src = 'extends Node\n\nfunc _ready():\n\tvar f = File.new()\n\tvar b = var2bytes(1)\n\tvar udp := PacketPeerUDP.new()\n\tudp.listen(4242)\n\tprint(f, b, "x".to_utf8())\n';
    assert.deepEqual(problemsOf(src).filter((p) => p.severity === 'error'), []);
  });
});

describe('analyzer: members of known types', () => {
  it('reports a method the Godot class does not have, with "did you mean"', () => {
    const src = 'extends Node\nvar dtls := PacketPeerDTLS.new()\n\nfunc _ready():\n\tdtls.conect_to_peer(null, "x")\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      { code: 'unknown-method', message: 'Function "conect_to_peer()" not found in base PacketPeerDTLS. Did you mean "connect_to_peer()"?', range: rangeOf(src, 'conect_to_peer') },
    ]);
  });

  it('reports a member that is not there', () => {
    const src = 'extends Node\nvar udp := PacketPeerUDP.new()\n\nfunc _ready():\n\tprint(udp.port)\n\tprint(PacketPeerDTLS.STATUS_CONECTED)\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      { code: 'unknown-member', message: 'Cannot find member "port" in base "PacketPeerUDP".', range: rangeOf(src, 'port') },
      {
        code: 'unknown-member', message: 'Cannot find member "STATUS_CONECTED" in base "PacketPeerDTLS". Did you mean "STATUS_CONNECTED"?',
        range: rangeOf(src, 'STATUS_CONECTED'),
      },
    ]);
  });

  it('follows inferred types through returns, properties and builtin methods', () => {
    const src = `extends Node
func _ready():
	var crypto := Crypto.new()
	var key := crypto.generate_rsa(2048)
	var text := key.save_to_string().to_upper()
	text.no_such()
	var server := UDPServer.new()
	var peer := server.take_connection()
	peer.get_packet().get_string_from_utf8().nope()
`;
    assert.deepEqual(withCode(problemsOf(src), 'unknown-method').map((p) => [p.code, p.message]), [
      ['unknown-method', 'Function "no_such()" not found in base String.'],
      ['unknown-method', 'Function "nope()" not found in base String.'],
    ]);
  });

  it('makes a wrong method on an untyped variable a warning (Godot fails only when the line runs)', () => {
    const src = 'extends Node\nvar udp = PacketPeerUDP.new()\n\nfunc _ready():\n\tudp.bnd(4242)\n';
    const [p] = problemsOf(src);
    assert.equal(p.severity, 'warning');
    assert.equal(p.message, 'Function "bnd()" not found in base PacketPeerUDP. Did you mean "bind()"? (The variable is untyped, so Godot only fails when the line runs.)');
  });

  it('reads Dictionary entries as members, and script class members through instances', () => {
    const src = `extends Node
class Peer:
	var id := 0
	func label() -> String:
		return str(id)

func _ready():
	var info := {"port": 1}
	print(info.port)
	var p := Peer.new()
	print(p.label(), p.id)
	p.lable()
`;
    assert.deepEqual(problemsOf(src).map(brief), [
      { code: 'unknown-method', message: 'Function "lable()" not found in base Peer. Did you mean "label()"?', range: rangeOf(src, 'lable') },
    ]);
  });

  it('does not check members of nodes, resources and abstract bases (the value may be a subclass)', () => {
    const src = 'extends Node\nfunc _ready():\n\t$Label.text = "x"\n\tget_parent().hit()\n\tload("key.key").foo()\n\tvar p: PacketPeer = PacketPeerUDP.new()\n\tprint(p.get_packet_ip())\n';
    assert.deepEqual(problemsOf(src), []);
  });

  it('refuses instance methods called on the class', () => {
    const src = 'extends Node\nfunc _ready():\n\tPacketPeerDTLS.poll()\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      {
        code: 'non-static-call', message: 'Cannot call non-static function "poll()" on the class "PacketPeerDTLS" directly. Make an instance instead.',
        range: rangeOf(src, 'poll'),
      },
    ]);
  });
});

describe('analyzer: calls and values', () => {
  it('reports using the result of a void function', () => {
    const src = 'extends Node\nfunc log_it() -> void:\n\tpass\n\nfunc _ready():\n\tvar r = log_it()\n\tprint(r, print("x"))\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      { code: 'void-value', message: 'Cannot get return value of call to "log_it()" because it returns "void".', range: rangeOf(src, 'log_it()', 1) },
      { code: 'void-value', message: 'Cannot get return value of call to "print()" because it returns "void".', range: rangeOf(src, 'print("x")') },
    ]);
  });

  it('counts arguments of Godot methods, script functions and utility functions', () => {
    const src = `extends Node
func send(data, to: int = 0):
	print(data, to)

func _ready():
	var udp := PacketPeerUDP.new()
	udp.bind()
	udp.set_dest_address("127.0.0.1", 4242, 6)
	send()
	send(1, 2, 8)
	print(len([1], 9))
	DTLSServer.new().setup(null, null, null)
`;
    assert.deepEqual(problemsOf(src).map(brief), [
      { code: 'argument-count', message: 'Too few arguments for "bind()" call. Expected at least 1 but received 0.', range: rangeOf(src, 'udp.bind()') },
      // DTLSServer.setup(key, cert, chain) is Godot 3's form: the migrations report it, not the argument count.
      { code: 'argument-count', message: 'Too many arguments for "set_dest_address()" call. Expected at most 2 but received 3.', range: rangeOf(src, "6") },
      { code: 'argument-count', message: 'Too few arguments for "send()" call. Expected at least 1 but received 0.', range: rangeOf(src, 'send()') },
      { code: 'argument-count', message: 'Too many arguments for "send()" call. Expected at most 2 but received 3.', range: rangeOf(src, '8') },
      { code: 'argument-count', message: 'Too many arguments for "len()" call. Expected at most 1 but received 2.', range: rangeOf(src, '9') },
    ]);
  });

  it('reports arguments of the wrong type against known signatures', () => {
    const src = 'extends Node\nfunc wait_for(ms: int):\n\tOS.delay_msec(ms)\n\nfunc _ready():\n\tvar udp := PacketPeerUDP.new()\n\tudp.bind("4242")\n\twait_for("ten")\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      { code: 'argument-type', message: 'Invalid argument for "bind()" function: argument 1 should be "int" but is "String".', range: rangeOf(src, '"4242"') },
      { code: 'argument-type', message: 'Invalid argument for "wait_for()" function: argument 1 should be "int" but is "String".', range: rangeOf(src, '"ten"') },
    ]);
  });

  it('reports a value that the declared type cannot hold', () => {
    const src = 'extends Node\nvar port: int = "4242"\n\nfunc _ready():\n\tvar peer: PacketPeerDTLS = UDPServer.new()\n\tprint(peer)\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      { code: 'type-mismatch', message: 'Cannot assign a value of type "String" to variable "port" with specified type "int".', range: rangeOf(src, '"4242"') },
      {
        code: 'type-mismatch', message: 'Cannot assign a value of type "UDPServer" to variable "peer" with specified type "PacketPeerDTLS".',
        range: rangeOf(src, 'UDPServer.new()'),
      },
    ]);
  });

  it('refuses ":=" from a value Godot sees as Variant (untyped variable, parameter, function without "->")', () => {
    const src = 'extends Node\nvar loose = 5\n\nfunc answer():\n\treturn 42\n\nfunc f(p, q: int) -> void:\n\tvar a := loose\n\tvar b := answer()\n\tvar c := p\n\tvar d := q\n\tvar e := answer\n\tfor i in range(3):\n\t\tvar n := i\n\t\tprint(n)\n\tprint(a, b, c, d, e)\n';
    const message = (name: string) => `Cannot infer the type of "${name}" variable because the value doesn't have a set type.`;
    assert.deepEqual(problemsOf(src).map(brief), [
      { code: 'infer-variant', message: message('a'), range: rangeOf(src, 'loose', 1) },
      { code: 'infer-variant', message: message('b'), range: rangeOf(src, 'answer()', 1) },
      { code: 'infer-variant', message: message('c'), range: rangeIn(src, 'var c := p', 'p') },
    ]);
  });

  it('checks return values against the declared return type', () => {
    const src = 'extends Node\nfunc count() -> int:\n\treturn\n\nfunc log_it() -> void:\n\treturn 1\n\nfunc label() -> String:\n\treturn 5\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      { code: 'return-value', message: 'A non-void function must return a value.', range: rangeOf(src, 'return', 0) },
      { code: 'return-value', message: 'A void function cannot return a value.', range: rangeOf(src, '1') },
      { code: 'type-mismatch', message: 'Cannot return a value of type "int" as "String".', range: rangeOf(src, '5') },
    ]);
  });

  it('gives nothing for a correct typed script', () => {
    const src = `extends Node
var peers: Array[PacketPeerDTLS] = []
var server := DTLSServer.new()

func accept(udp: PacketPeerUDP) -> PacketPeerDTLS:
	var peer := server.take_connection(udp)
	if peer.get_status() == PacketPeerDTLS.STATUS_HANDSHAKING:
		peers.append(peer)
	return peer

func _process(_delta: float) -> void:
	for p in peers:
		p.poll()
		var count: int = p.get_available_packet_count()
		while count > 0:
			var text := p.get_packet().get_string_from_utf8()
			p.put_packet(text.to_upper().to_utf8_buffer())
			count -= 1
`;
    assert.deepEqual(problemsOf(src), []);
  });
});

describe('analyzer: duplicate declarations the compiler leaves', () => {
  it('a local named like a parameter, a loop variable or a local of an enclosing block', () => {
    const src = 'extends Node\n\nfunc f(port):\n\tvar port := 1\n\tfor i in 3:\n\t\tvar i := 2\n\t\tif i:\n\t\t\tvar port2 := i\n\t\t\tprint(port2)\n';
    assert.deepEqual(problemsOf(src).filter((p) => p.severity === 'error').map(brief), [
      { code: 'duplicate-declaration', message: 'There is already a parameter named "port" declared in this scope.', range: rangeOf(src, 'port', 1) },
      { code: 'duplicate-declaration', message: 'There is already a variable named "i" declared in this scope.', range: rangeIn(src, 'var i :=', 'i') },
    ]);
  });

  it('a name used twice in one enum', () => {
    const src = 'extends Node\nenum Mode { ECHO, UPPER, ECHO }\n';
    assert.deepEqual(problemsOf(src).map(brief), [
      { code: 'duplicate-declaration', message: 'Name "ECHO" was already in this enum.', range: rangeOf(src, 'ECHO', 1) },
    ]);
  });

  it('a lambda may name its parameter like an outer local', () => {
    assert.deepEqual(problemsOf('extends Node\nfunc f():\n\tvar x := 1\n\tvar g := func(x): return x\n\tprint(x, g)\n'), []);
  });
});
