// Analyzer benchmark on a generated 5,000-line GDScript file (a DTLS server with many handler functions,
// an inner class, typed and untyped locals, loops and matches): parse, analyze (analyzeScript) and the
// whole document (analyzeDocument, uncached), then completion, hover and signature help on the cached
// analysis and after an edit (cold), and the semantic tokens of the whole file. Prints the median (p50) of each over the runs.
//
//   npx tsc -p tsconfig.json --outDir out-analyzer && node out-analyzer/bench/analysis.js [--lines N] [--runs N]

import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { analyzeScript } from '../engine/analysis/analyzer';
import { documentAnalysis } from '../engine/analysis/analyze-document';
import { completionsAt, hoverAt, signatureHelpAt } from '../engine/analysis/queries';
import { semanticTokens } from '../engine/analysis/semantic-tokens';
import { parse } from '../engine/gdscript';
import { numberOption } from './command-line';

const targetLines = numberOption('lines', 5000);
const runs = numberOption('runs', 20);

const HEADER = `extends Node

signal packet_received(peer_id, data)
enum Mode { ECHO, UPPER, COUNT }
const PORT := 4242
var server := UDPServer.new()
var dtls := DTLSServer.new()
var peers: Array[PacketPeerDTLS] = []
var names := {}
var mode := Mode.ECHO

class Stats:
	var packets := 0
	var bytes := 0
	func add(size: int) -> void:
		packets += 1
		bytes += size
	func summary() -> String:
		return "%d packets, %d bytes" % [packets, bytes]

var stats := Stats.new()

func _ready():
	var crypto := Crypto.new()
	var key := crypto.generate_rsa(2048)
	var cert := crypto.generate_self_signed_certificate(key, "CN=localhost")
	dtls.setup(TLSOptions.server(key, cert))
	server.listen(PORT)
`;

function handler(i: number): string {
	return `
## Handles the packets of peer group ${i}.
func handle_${i}(peer: PacketPeerDTLS, limit: int = 8) -> int:
	var handled := 0
	peer.poll()
	if peer.get_status() != PacketPeerDTLS.STATUS_CONNECTED:
		return 0
	while peer.get_available_packet_count() > 0 and handled < limit:
		var data := peer.get_packet()
		var text := data.get_string_from_utf8()
		match mode:
			Mode.ECHO:
				peer.put_packet(data)
			Mode.UPPER:
				peer.put_packet(text.to_upper().to_utf8_buffer())
			_:
				peer.put_packet(str(text.length()).to_utf8_buffer())
		stats.add(data.size())
		packet_received.emit(${i}, data)
		handled += 1
	for n in range(handled):
		var label = "peer %d/%d" % [${i}, n]
		names[label] = n * 2
	return handled
`;
}

function generate(lines: number): string {
  let text = HEADER;
  let i = 0;
  while (text.split('\n').length < lines - 12) text += handler(i++);
  text += `
func _process(_delta):
	server.poll()
	while server.is_connection_available():
		var peer := dtls.take_connection(server.take_connection())
		if peer.get_status() == PacketPeerDTLS.STATUS_HANDSHAKING:
			peers.append(peer)
	for p in peers:
		handle_0(p)
	print(stats.summary())
`;
  return text;
}

function p50(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall time is what the user waits; CPU time (this process) is steadier when other work shares the machine. */
interface Samples {
  wall: number[];
  cpu: number[];
}

function samples(): Samples {
  return { wall: [], cpu: [] };
}

function measure(into: Samples, fn: () => void): void {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  into.wall.push(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  into.cpu.push((cpu.user + cpu.system) / 1000);
}

const text = generate(targetLines);
const lineCount = text.split('\n').length;
const lines = text.split('\n');
const completionLine = lineCount - 4; // "\t\thandle_0(p)"
const memberPosition = { line: completionLine, character: lines[completionLine].indexOf('handle_0') };

// Warm up the JIT and the class data.
for (let i = 0; i < 5; i++) analyzeScript(parse(text, { check: false }).script, { lines });

const rows: [string, Samples][] = [
  ['parse (lexer + parser)', samples()],
  ['analyze (analyzeScript)', samples()],
  ['analyzeDocument, uncached (readSnippets + parse + analyze)', samples()],
  ['completion, analysis cached', samples()],
  ['hover, analysis cached', samples()],
  ['signature help, analysis cached', samples()],
  ['completion while typing a new line (analysis of the line before)', samples()],
  ['completion with nothing cached (parse + analyze + complete)', samples()],
  ['semantic tokens of the whole file, analysis cached', samples()],
];
const [parseTimes, analyzeTimes, documentTimes, completionWarm, hoverWarm, signatureWarm, completionTyping, completionCold, tokensWarm] = rows.map((r) => r[1]);
for (let run = 0; run < runs; run++) {
  let parsed: ReturnType<typeof parse> | undefined;
  measure(parseTimes, () => (parsed = parse(text, { check: false })));
  measure(analyzeTimes, () => analyzeScript(parsed!.script, { lines }));
  // A new version of the text each run (a trailing comment), so nothing is cached.
  const edited = `${text}# run ${run}\n`;
  measure(documentTimes, () => documentAnalysis(edited, 'gdscript'));
  measure(completionWarm, () => completionsAt(edited, 'gdscript', { line: completionLine, character: 3 }));
  measure(hoverWarm, () => hoverAt(edited, 'gdscript', memberPosition));
  measure(signatureWarm, () => signatureHelpAt(edited, 'gdscript', { line: completionLine, character: lines[completionLine].length - 1 }));
  measure(tokensWarm, () => semanticTokens(edited, 'gdscript'));
  // Typing a new line: the analysis of the version before it serves (see documentAnalysisWhileTyping).
  const typed = `${edited}\tpeers[0].`;
  measure(completionTyping, () => completionsAt(typed, 'gdscript', { line: lineCount, character: 10 }));
  // No earlier version at hand (first request on a document): parse + analyze + complete.
  const fresh = `${typed}\n# fresh ${run}\n# more\n`;
  measure(completionCold, () => completionsAt(fresh, 'gdscript', { line: lineCount, character: 10 }));
}

console.log(`${lineCount} lines, ${runs} runs, p50 wall / CPU ms (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs):`);
for (const [name, s] of rows) console.log(`  ${name.padEnd(66)} ${p50(s.wall).toFixed(2).padStart(8)} ${p50(s.cpu).toFixed(2).padStart(8)}`);
