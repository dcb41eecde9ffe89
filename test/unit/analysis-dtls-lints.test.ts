// The DTLS tutorial mistakes: each lint on a snippet that makes the mistake (code, severity, range), its
// quick fix applied and the result analyzed again without problems, and the correct form giving none.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes } from '../../engine/analysis/apply-fixes';
import { DTLS_LINT_CODES } from '../../engine/analysis/dtls-lints';
import type { AnalysisProblem } from '../../engine/analysis/problem';
import { problemsOf, rangeOf } from './analysis-helpers';

/** The one problem of `src`, which must have `code`. */
function only(src: string, code: string): AnalysisProblem {
  const problems = problemsOf(src);
  assert.deepEqual(problems.map((p) => p.code), [code], JSON.stringify(problems, null, 1));
  return problems[0];
}

/** Applies the problem's first fix and checks the result is clean; returns the fixed text. */
function fixedClean(src: string, problem: AnalysisProblem): string {
  assert.ok(problem.fixes && problem.fixes.length > 0, 'the problem has a quick fix');
  const fixed = applyFixes(src, [problem.fixes[0]]);
  assert.deepEqual(problemsOf(fixed), [], `after the fix:\n${fixed}`);
  return fixed;
}

describe('DTLS lints', () => {
  it('poll() compared with a STATUS_* constant', () => {
    const src = `extends Node
var dtls := PacketPeerDTLS.new()

func _process(_delta):
	if dtls.poll() == PacketPeerDTLS.STATUS_CONNECTED:
		print("connected")
`;
    const p = only(src, DTLS_LINT_CODES.pollAsStatus);
    assert.equal(p.severity, 'error');
    assert.deepEqual(p.range, rangeOf(src, 'dtls.poll() == PacketPeerDTLS.STATUS_CONNECTED'));
    assert.match(p.message, /^poll\(\) returns nothing \(void\)/);
    const fixed = fixedClean(src, p);
    assert.match(fixed, /\tdtls\.poll\(\)\n\tif dtls\.get_status\(\) == PacketPeerDTLS\.STATUS_CONNECTED:/);
  });

  it('poll() of a UDPServer (an Error) compared with a status, in a while loop: polls before and inside the loop', () => {
    const src = `extends Node
var server := UDPServer.new()

func _process(_delta):
	var dtls := PacketPeerDTLS.new()
	while dtls.poll() != PacketPeerDTLS.STATUS_CONNECTED:
		server.poll()
`;
    const p = only(src, DTLS_LINT_CODES.pollAsStatus);
    const fixed = fixedClean(src, p);
    assert.match(fixed, /\tdtls\.poll\(\)\n\twhile dtls\.get_status\(\) != PacketPeerDTLS\.STATUS_CONNECTED:\n\t\tdtls\.poll\(\)\n\t\tserver\.poll\(\)/);
  });

  it('setup() on a PacketPeerDTLS (instead of the "not found" error)', () => {
    const src = 'extends Node\nvar dtls := PacketPeerDTLS.new()\n\nfunc _ready():\n\tdtls.setup(TLSOptions.client_unsafe())\n';
    const p = only(src, DTLS_LINT_CODES.setupOnPeer);
    assert.equal(p.severity, 'error');
    assert.deepEqual(p.range, rangeOf(src, 'setup'));
    assert.match(p.message, /belongs to DTLSServer/);
    assert.match(p.message, /connect_to_peer\(/);
    assert.deepEqual(problemsOf(src.replace('dtls.setup(TLSOptions.client_unsafe())', 'var udp := PacketPeerUDP.new()\n\tdtls.connect_to_peer(udp, "localhost", TLSOptions.client_unsafe())')), []);
  });

  it('a UDPServer that is never polled: the fix polls it in _process()', () => {
    const src = `extends Node
var server := UDPServer.new()

func _ready():
	server.listen(4242)

func _process(_delta):
	if server.is_connection_available():
		print(server.take_connection())
`;
    const p = only(src, DTLS_LINT_CODES.udpServerNotPolled);
    assert.equal(p.severity, 'warning');
    assert.deepEqual(p.range, rangeOf(src, 'server'));
    const fixed = fixedClean(src, p);
    assert.match(fixed, /func _process\(_delta\):\n\tserver\.poll\(\)\n\tif server/);
  });

  it('a UDPServer never polled in a script without _process(): the fix adds one', () => {
    const src = 'extends Node\nvar server := UDPServer.new()\n\nfunc _ready():\n\tserver.listen(4242)\n';
    const fixed = fixedClean(src, only(src, DTLS_LINT_CODES.udpServerNotPolled));
    assert.match(fixed, /\tserver\.listen\(4242\)\n\n\nfunc _process\(_delta\):\n\tserver\.poll\(\)\n$/);
  });

  it('put_packet() given a String: the fix converts it with to_utf8_buffer()', () => {
    const src = 'extends Node\nvar dtls := PacketPeerDTLS.new()\n\nfunc send(text: String):\n\tdtls.put_packet(text)\n\tdtls.put_packet("a" + text)\n';
    const problems = problemsOf(src);
    assert.deepEqual(problems.map((p) => [p.code, p.severity, p.range]), [
      [DTLS_LINT_CODES.putPacketString, 'error', rangeOf(src, 'text', 1)],
      [DTLS_LINT_CODES.putPacketString, 'error', rangeOf(src, '"a" + text')],
    ]);
    const fixed = applyFixes(src, problems.map((p) => p.fixes![0]));
    assert.match(fixed, /dtls\.put_packet\(text\.to_utf8_buffer\(\)\)\n\tdtls\.put_packet\(\("a" \+ text\)\.to_utf8_buffer\(\)\)/);
    assert.deepEqual(problemsOf(fixed), []);
  });

  it("put_packet()'s Error added up as a byte count: the fix adds the packet's size when it returns OK", () => {
    const src = `extends Node
var dtls := PacketPeerDTLS.new()
var sent := 0

func send(data: PackedByteArray):
	sent += dtls.put_packet(data)
`;
    const p = only(src, DTLS_LINT_CODES.putPacketSummed);
    assert.deepEqual(p.range, rangeOf(src, 'dtls.put_packet(data)'));
    const fixed = fixedClean(src, p);
    assert.match(fixed, /\tif dtls\.put_packet\(data\) == OK:\n\t\tsent \+= data\.size\(\)/);
  });

  it('a busy-wait poll loop in _ready() is an info (the lab runs it), not in _process()', () => {
    const src = `extends Node
var dtls := PacketPeerDTLS.new()

func _ready():
	while dtls.get_status() == PacketPeerDTLS.STATUS_HANDSHAKING:
		dtls.poll()
`;
    const p = only(src, DTLS_LINT_CODES.blockingPollLoop);
    assert.equal(p.severity, 'info');
    assert.deepEqual(p.range, rangeOf(src, 'while dtls.get_status() == PacketPeerDTLS.STATUS_HANDSHAKING'));
    assert.deepEqual(problemsOf(src.replace('func _ready():', 'func _process(_delta):')), []);
    // A loop that awaits the next frame gives the frame back on each turn.
    assert.deepEqual(problemsOf(src.replace('\t\tdtls.poll()', '\t\tdtls.poll()\n\t\tawait get_tree().process_frame')), []);
  });

  it('clients keyed by IP alone: the fix keys by address and port', () => {
    const src = `extends Node
var server := UDPServer.new()
var clients := {}

func _process(_delta):
	server.poll()
	if server.is_connection_available():
		var peer := server.take_connection()
		clients[peer.get_packet_ip()] = peer
`;
    const p = only(src, DTLS_LINT_CODES.clientsKeyedByIp);
    assert.deepEqual(p.range, rangeOf(src, 'peer.get_packet_ip()'));
    const fixed = fixedClean(src, p);
    assert.match(fixed, /clients\[peer\.get_packet_ip\(\) \+ ":" \+ str\(peer\.get_packet_port\(\)\)\] = peer/);
  });

  it('clients keyed by a variable holding the IP alone (no fix: the port is elsewhere)', () => {
    const src = `extends Node
var clients := {}

func add(peer: PacketPeerUDP):
	var ip := peer.get_packet_ip()
	clients[ip] = peer
`;
    const p = only(src, DTLS_LINT_CODES.clientsKeyedByIp);
    assert.deepEqual(p.range, rangeOf(src, 'ip', 2));
    assert.equal(p.fixes, undefined);
  });

  it('packets read from a PacketPeerDTLS that is never polled: the fix polls first', () => {
    const src = `extends Node
var dtls := PacketPeerDTLS.new()

func _process(_delta):
	if dtls.get_available_packet_count() > 0:
		print(dtls.get_packet())
`;
    const p = only(src, DTLS_LINT_CODES.readWithoutPoll);
    assert.deepEqual(p.range, rangeOf(src, 'get_available_packet_count'));
    const fixed = fixedClean(src, p);
    assert.match(fixed, /\tdtls\.poll\(\)\n\tif dtls\.get_available_packet_count\(\) > 0:/);
  });

  it('a peer handed elsewhere (appended to a list) may be polled there: no lint', () => {
    const src = `extends Node
var peers: Array[PacketPeerDTLS] = []

func take(server: DTLSServer, udp: PacketPeerUDP):
	var peer := server.take_connection(udp)
	peers.append(peer)
	print(peer.get_available_packet_count())

func _process(_delta):
	for p in peers:
		p.poll()
`;
    assert.deepEqual(problemsOf(src), []);
  });
});
