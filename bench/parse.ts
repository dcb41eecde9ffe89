// Parser (and analyzer) speed on a large script: a generated ~5,000-line GDScript file with inner
// classes, typed and untyped functions, DTLS client/server code, loops, match, lambdas, signals,
// await and string formatting. Times lexing + parsing (`parse(text, { check: false })`), parsing
// with the compiler's static checks (`parse(text)`), and the analyzer (`analyzeDocument`), each over
// warm runs; prints p50/p95/min in milliseconds.
//
//   npx tsc -p tsconfig.json --outDir out-mine && node out-mine/bench/parse.js [--lines 5000] [--runs 20]

import { performance } from 'node:perf_hooks';
import { analyzeDocument } from '../engine/analysis/analyze-document';
import { parse } from '../engine/gdscript';
import { numberOption } from './command-line';

const targetLines = numberOption('lines', 5000);
const runs = numberOption('runs', 20);
const warmup = 5;

/** One "module" of the generated script (~110 lines): an inner class and functions around DTLS peers, numbered n. */
function peerModule(n: number): string {
  return `
## Peer pool number ${n}: keeps DTLS peers, counts their traffic and reports it.
class PeerPool${n} extends RefCounted:
	signal peer_connected(id: int, address: String)
	signal traffic(bytes: int)

	const MAX_PEERS_${n} := ${8 + (n % 5)}
	enum State { IDLE, HANDSHAKING, CONNECTED, CLOSED = 9 }

	var peers: Array[PacketPeerDTLS] = []
	var names := {}
	var state: State = State.IDLE
	var total_bytes := 0
	var _label: String = "pool-${n}":
		set(value):
			_label = value.strip_edges()
		get:
			return _label

	func _init(label := "pool-${n}") -> void:
		_label = label
		state = State.IDLE

	func add_peer(peer: PacketPeerDTLS, address: String) -> bool:
		if peers.size() >= MAX_PEERS_${n}:
			push_warning("pool %s is full (%d peers)" % [_label, peers.size()])
			return false
		peers.append(peer)
		names[peers.size() - 1] = address
		peer_connected.emit(peers.size() - 1, address)
		return true

	func poll_all() -> int:
		var received := 0
		for i in range(peers.size()):
			var p := peers[i]
			p.poll()
			match p.get_status():
				PacketPeerDTLS.STATUS_HANDSHAKING:
					state = State.HANDSHAKING
				PacketPeerDTLS.STATUS_CONNECTED:
					state = State.CONNECTED
					while p.get_available_packet_count() > 0:
						var packet := p.get_packet()
						received += packet.size()
						p.put_packet(("echo %d: " % i).to_utf8_buffer() + packet)
				PacketPeerDTLS.STATUS_ERROR, PacketPeerDTLS.STATUS_DISCONNECTED:
					state = State.CLOSED
				_:
					pass
		total_bytes += received
		if received > 0:
			traffic.emit(received)
		return received

	func summary() -> String:
		var parts: PackedStringArray = []
		for key in names:
			parts.append("%s=%s" % [key, names[key]])
		return "%s [%s] %d bytes" % [_label, ", ".join(parts), total_bytes]


func handshake_${n}(host: String, port: int = ${4000 + n}) -> PacketPeerDTLS:
	var udp := PacketPeerUDP.new()
	var err := udp.connect_to_host(host, port)
	if err != OK:
		printerr("connect_to_host failed: ", error_string(err))
		return null
	var dtls := PacketPeerDTLS.new()
	dtls.connect_to_peer(udp, "localhost", TLSOptions.client_unsafe())
	var tries := 0
	while dtls.get_status() == PacketPeerDTLS.STATUS_HANDSHAKING and tries < 100:
		dtls.poll()
		tries += 1
		await get_tree().create_timer(0.01).timeout
	return dtls if dtls.get_status() == PacketPeerDTLS.STATUS_CONNECTED else null


func checksum_${n}(data: PackedByteArray) -> int:
	var sum := ${n}
	for b in data:
		sum = (sum * 31 + b) % 1000003
	var weights := range(8).map(func(i): return i * i + ${n})
	var total: int = weights.reduce(func(acc, w): return acc + w, 0)
	return sum ^ total


func describe_${n}(value) -> String:
	match typeof(value):
		TYPE_INT, TYPE_FLOAT:
			return "number %s" % str(value)
		TYPE_STRING:
			return "text '%s' (%d chars)" % [value, value.length()]
		TYPE_ARRAY:
			var inner := []
			for item in value:
				inner.append(describe_${n}(item))
			return "[" + ", ".join(inner) + "]"
		TYPE_DICTIONARY:
			if value.has("id") and value.get("id", 0) > ${n}:
				return "record #%d" % value["id"]
			return "dictionary of %d" % value.size()
	return "other"


func stats_${n}(samples: Array[float]) -> Dictionary:
	var lo := INF
	var hi := -INF
	var sum := 0.0
	for s in samples:
		lo = min(lo, s)
		hi = max(hi, s)
		sum += s
	var mean := sum / max(1, samples.size())
	var sorted := samples.duplicate()
	sorted.sort_custom(func(a, b): return a < b)
	return { "min": lo, "max": hi, "mean": mean, "median": sorted[sorted.size() / 2] if sorted else 0.0, "name": &"stats_${n}" }
`;
}

function generate(lines: number): string {
  const head = `# Generated benchmark script (bench/parse.ts)
extends Node
class_name ParseBench

signal finished(summary: String)

const PORT := 4433
@export var host := "127.0.0.1"
@onready var started_at := Time.get_ticks_msec()
var server := DTLSServer.new()
var udp_server := UDPServer.new()
static var instances := 0

func _ready() -> void:
	instances += 1
	var crypto := Crypto.new()
	var key := crypto.generate_rsa(2048)
	var cert := crypto.generate_self_signed_certificate(key, "CN=localhost,O=Lab,C=US")
	server.setup(TLSOptions.server(key, cert))
	udp_server.listen(PORT, host)
	finished.connect(func(s): print("done: ", s))
`;
  const parts = [head];
  let count = head.split('\n').length;
  for (let n = 0; count < lines; n++) {
    const m = peerModule(n);
    parts.push(m);
    count += m.split('\n').length - 1;
  }
  return parts.join('');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Times `work` over warm runs; each run gets a text that differs only in a trailing comment (defeats caches by text). */
function measure(label: string, text: string, work: (text: string) => void): void {
  for (let i = 0; i < warmup; i++) work(`${text}\n# warm-up ${i}\n`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = `${text}\n# run ${i}\n`;
    const t0 = performance.now();
    work(t);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const f = (x: number): string => x.toFixed(1).padStart(8);
  console.log(`${label.padEnd(34)}${f(percentile(times, 50))}${f(percentile(times, 95))}${f(times[0])}`);
}

const text = generate(targetLines);
const lineCount = text.split('\n').length;
const check = parse(text, { check: false });
if (check.errors.length > 0) {
  throw new Error(`the generated script does not parse: ${check.errors[0].message} at line ${check.errors[0].range.start.line + 1}`);
}
console.log(`GDScript parse benchmark: ${lineCount} lines, ${text.length} characters, ${runs} warm runs (after ${warmup})\n`);
console.log(`${'ms'.padEnd(34)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'min'.padStart(8)}`);
measure('parse (lex + parse)', text, (t) => void parse(t, { check: false }));
measure('parse + compiler checks', text, (t) => void parse(t));
measure('analyzeDocument (parse + analysis)', text, (t) => void analyzeDocument(t, 'gdscript'));
