// The editor queries: hover, completion (members by inferred type, static members, scope names, types,
// `# @dtls` options, on a line still being typed), signature help, go to definition and document symbols,
// in .gd files and Markdown, plus analyzeDocument() over snippets with fragments.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocument, documentAnalysis, documentAnalysisWhileTyping } from '../../engine/analysis/analyze-document';
import { completionsAt, definitionAt, documentSymbols, hoverAt, signatureHelpAt } from '../../engine/analysis/queries';
import { after, rangeOf } from './analysis-helpers';

const CLIENT = `# @dtls client
extends Node
var dtls := PacketPeerDTLS.new()
var udp := PacketPeerUDP.new()

## Sends one line of text to the server.
func send(text: String, times: int = 1) -> void:
	for i in times:
		dtls.put_packet(text.to_utf8_buffer())

func _ready():
	udp.connect_to_host("127.0.0.1", 4242)
	dtls.connect_to_peer(udp, "localhost", TLSOptions.client_unsafe())
	send("hi", 2)

func _process(_delta):
	dtls.poll()
	if dtls.get_status() == PacketPeerDTLS.STATUS_CONNECTED:
		var reply := dtls.get_packet()
		print(reply.get_string_from_utf8())
`;

/**
 * CLIENT with `line` inserted as a new last line of _process() (depth 2: inside its `if` block, where
 * `reply` is visible), and the position at its end.
 */
function typing(line: string, depth = 1): { text: string; position: { line: number; character: number } } {
  const text = `${CLIENT}${'\t'.repeat(depth)}${line}\n`;
  const lines = text.split('\n');
  return { text, position: { line: lines.length - 2, character: line.length + depth } };
}

function labels(text: string, position: { line: number; character: number }, language: 'gdscript' | 'markdown' = 'gdscript'): string[] {
  return completionsAt(text, language, position).map((c) => c.label);
}

describe('hover', () => {
  it('shows a Godot method with its signature, owner and description', () => {
    const h = hoverAt(CLIENT, 'gdscript', after(CLIENT, 'dtls.connect_to'))!;
    assert.deepEqual(h.range, rangeOf(CLIENT, 'connect_to_peer'));
    assert.match(h.markdown, /^```gdscript\nError PacketPeerDTLS\.connect_to_peer\(packet_peer: PacketPeerUDP, hostname: String, client_options: TLSOptions = null\)\n```/);
    assert.match(h.markdown, /Starts a DTLS handshake/);
    assert.match(h.markdown, /Godot 3: `connect_to_peer\(packet_peer, validate_certs/);
  });

  it('shows a status constant with its number', () => {
    const h = hoverAt(CLIENT, 'gdscript', after(CLIENT, 'STATUS_CONN'))!;
    assert.match(h.markdown, /PacketPeerDTLS\.STATUS_CONNECTED = 2/);
  });

  it('shows script symbols with their declaration, inferred type and doc comment', () => {
    const local = hoverAt(CLIENT, 'gdscript', after(CLIENT, 'print(rep'))!;
    assert.deepEqual(local.range, rangeOf(CLIENT, 'reply', 1));
    assert.match(local.markdown, /var reply: PackedByteArray/);
    const fn = hoverAt(CLIENT, 'gdscript', after(CLIENT, '\tsen'))!;
    assert.match(fn.markdown, /func send\(text: String, times: int = 1\) -> void/);
    assert.match(fn.markdown, /Sends one line of text to the server\./);
    const member = hoverAt(CLIENT, 'gdscript', after(CLIENT, 'var dt'))!;
    assert.match(member.markdown, /var dtls: PacketPeerDTLS/);
  });

  it("shows a value of the script's own enum with the enum's values, and goes to the enum", () => {
    const text = 'extends Node\nenum State { IDLE, BUSY = 5 }\nvar state := State.BUSY\n';
    assert.match(hoverAt(text, 'gdscript', after(text, 'State.BU'))!.markdown, /enum State \{ IDLE = 0, BUSY = 5 \}/);
    assert.deepEqual(definitionAt(text, 'gdscript', after(text, 'State.BU')), rangeOf(text, 'State'));
  });

  it('names the Godot 4 replacement of a Godot 3 name', () => {
    const text = 'extends Node\nfunc _ready():\n\tvar data = PoolByteArray()\n\tprint(data)\n';
    assert.equal(hoverAt(text, 'gdscript', after(text, 'PoolByte'))!.markdown, 'Godot 3: `PoolByteArray` → Godot 4: `PackedByteArray`');
  });

  it('shows a class, and nothing on a keyword', () => {
    assert.match(hoverAt(CLIENT, 'gdscript', after(CLIENT, 'TLSOpt'))!.markdown, /class TLSOptions extends RefCounted/);
    assert.equal(hoverAt(CLIENT, 'gdscript', after(CLIENT, '\tfo')), undefined);
  });
});

describe('completion', () => {
  it('lists the members of the inferred type after "." on a line being typed', () => {
    const { text, position } = typing('dtls.');
    const got = completionsAt(text, 'gdscript', position);
    const names = got.map((c) => c.label);
    for (const name of ['connect_to_peer', 'poll', 'get_status', 'put_packet', 'get_packet', 'STATUS_CONNECTED']) assert.ok(names.includes(name), name);
    assert.ok(!names.includes('bind'));
    const poll = got.find((c) => c.label === 'poll')!;
    assert.equal(poll.kind, 'method');
    assert.equal(poll.insertText, 'poll()');
  });

  it('follows calls: locals, returns and builtin types', () => {
    const a = typing('dtls.get_packet().');
    assert.ok(labels(a.text, a.position).includes('get_string_from_utf8'));
    const b = typing('reply.get_string_from_utf8().to_', 2);
    assert.ok(labels(b.text, b.position).includes('to_utf8_buffer'));
  });

  it('offers constructors, constants, enums and static methods on a class name', () => {
    const { text, position } = typing('TLSOptions.');
    const names = labels(text, position);
    assert.deepEqual(names.filter((n) => ['client', 'client_unsafe', 'server'].includes(n)).sort(), ['client', 'client_unsafe', 'server']);
    const p = typing('PacketPeerDTLS.');
    const pn = labels(p.text, p.position);
    assert.ok(pn.includes('new') && pn.includes('STATUS_HANDSHAKING') && pn.includes('Status'));
    assert.ok(!pn.includes('poll'));
  });

  it('offers locals, members, classes, globals and keywords elsewhere', () => {
    const { text, position } = typing('re', 2);
    const names = labels(text, position);
    for (const name of ['reply', 'dtls', 'send', 'PacketPeerDTLS', 'print', 'OK', 'return', 'get_tree']) assert.ok(names.includes(name), name);
    assert.ok(!names.includes('times'), 'a parameter of another function is not in scope');
    const outside = typing('re');
    assert.ok(!labels(outside.text, outside.position).includes('reply'), 'a local of the if block is not in scope after it');
  });

  it('offers type names after ":" and "extends"', () => {
    const { text, position } = typing('var peer: ');
    const names = labels(text, position);
    assert.ok(names.includes('PacketPeerDTLS') && names.includes('int') && !names.includes('print'));
  });

  it('offers the annotation roles, options and values in a # @dtls line', () => {
    const text = '# @dtls \nextends Node\n';
    assert.deepEqual(labels(text, { line: 0, character: 8 }), ['server', 'client']);
    const options = '# @dtls client ';
    const names = labels(options, { line: 0, character: options.length });
    assert.ok(names.includes('part') && names.includes('pair=') && names.includes('loss=') && names.includes('call='));
    const link = '# @dtls server link=';
    assert.deepEqual(labels(link, { line: 0, character: link.length }), ['virtual', 'udp']);
  });

  it("offers the base's virtual callbacks not written yet after \"func \"", () => {
    const text = `${CLIENT}\nfunc _`;
    const lines = text.split('\n');
    const got = completionsAt(text, 'gdscript', { line: lines.length - 1, character: 6 });
    const names = got.map((c) => c.label);
    assert.ok(names.includes('_physics_process') && names.includes('_exit_tree'));
    assert.ok(!names.includes('_ready') && !names.includes('_process'), 'already written');
    assert.equal(got.find((c) => c.label === '_physics_process')!.insertText, '_physics_process(delta: float) -> void:');
  });

  it('offers nothing inside a string or an ordinary comment', () => {
    const { text, position } = typing('print("dtls.');
    assert.deepEqual(labels(text, position), []);
  });
});

describe('signature help', () => {
  it('shows the Godot method and the active parameter', () => {
    const { text, position } = typing('dtls.connect_to_peer(udp, "host", ');
    const help = signatureHelpAt(text, 'gdscript', position)!;
    assert.equal(help.signatures[0].label, 'Error connect_to_peer(packet_peer: PacketPeerUDP, hostname: String, client_options: TLSOptions = null)');
    assert.deepEqual(help.signatures[0].parameters.map((p) => p.label), ['packet_peer: PacketPeerUDP', 'hostname: String', 'client_options: TLSOptions = null']);
    assert.equal(help.activeParameter, 2);
  });

  it("shows a script function's declaration, and nested calls count their own commas", () => {
    const { text, position } = typing('send(str(1, 2), ');
    const help = signatureHelpAt(text, 'gdscript', position)!;
    assert.equal(help.signatures[0].label, 'func send(text: String, times: int = 1) -> void');
    assert.equal(help.signatures[0].documentation, 'Sends one line of text to the server.');
    assert.equal(help.activeParameter, 1);
  });

  it('gives nothing outside a call', () => {
    const { text, position } = typing('var x = 1');
    assert.equal(signatureHelpAt(text, 'gdscript', position), undefined);
  });
});

describe('definition', () => {
  it('goes to members, functions, parameters and locals', () => {
    assert.deepEqual(definitionAt(CLIENT, 'gdscript', after(CLIENT, '\tsen')), rangeOf(CLIENT, 'send'));
    assert.deepEqual(definitionAt(CLIENT, 'gdscript', after(CLIENT, '\tud')), rangeOf(CLIENT, 'udp'));
    assert.deepEqual(definitionAt(CLIENT, 'gdscript', after(CLIENT, 'put_packet(te')), rangeOf(CLIENT, 'text', 1));
    assert.deepEqual(definitionAt(CLIENT, 'gdscript', after(CLIENT, 'print(rep')), rangeOf(CLIENT, 'reply'));
    assert.equal(definitionAt(CLIENT, 'gdscript', after(CLIENT, 'TLSOpt')), undefined);
  });
});

const TUTORIAL = `# Echo

The server:

\`\`\`gdscript
# @dtls server
extends Node
var server := UDPServer.new()

func _process(_delta):
	server.poll()
\`\`\`

A helper on its own:

\`\`\`gdscript
# @dtls server part
func count_peers() -> int:
	return 0
\`\`\`

Not annotated:

\`\`\`gdscript
func helper():
	var unused := 1
\`\`\`
`;

describe('documents', () => {
  it('document symbols: one snippet entry per fence with its members (fragments included)', () => {
    const symbols = documentSymbols(TUTORIAL, 'markdown');
    assert.deepEqual(symbols.map((s) => [s.kind, s.name, s.children?.map((c) => c.name)]), [
      ['snippet', 'server "server"', ['server', '_process', 'count_peers']],
      ['snippet', 'gdscript (line 25)', ['helper']],
    ]);
    assert.deepEqual(symbols[0].selectionRange, rangeOf(TUTORIAL, '# @dtls server'));
  });

  it('document symbols of a plain script are its members', () => {
    const symbols = documentSymbols('extends Node\nsignal done\nenum State { A, B }\nclass Inner:\n\tvar x := 1\n', 'gdscript');
    assert.deepEqual(symbols.map((s) => [s.kind, s.name, s.children?.map((c) => c.name)]), [
      ['signal', 'done', undefined], ['enum', 'State', ['A', 'B']], ['class', 'Inner', ['x']],
    ]);
  });

  it('analyzes snippets with their fragments and un-annotated fences, at document ranges', () => {
    const problems = analyzeDocument(TUTORIAL, 'markdown');
    assert.deepEqual(problems.map((p) => [p.code, p.range]), [['UNUSED_VARIABLE', rangeOf(TUTORIAL, 'unused')]]);
    // A fragment's function is known to its snippet, and hovers work inside the fragment.
    const text = TUTORIAL.replace('\tserver.poll()', '\tserver.poll()\n\tprint(count_peers())');
    assert.deepEqual(analyzeDocument(text, 'markdown').map((p) => p.code), ['UNUSED_VARIABLE']);
    assert.match(hoverAt(text, 'markdown', after(text, 'print(count_p'))!.markdown, /func count_peers\(\) -> int/);
    assert.deepEqual(definitionAt(text, 'markdown', after(text, 'print(count_p')), rangeOf(text, 'count_peers', 1));
  });

  it('reports nothing for a snippet with syntax errors (check.ts reports those), but queries still work', () => {
    const text = '# @dtls client\nextends Node\nvar dtls := PacketPeerDTLS.new()\nfunc _ready():\n\tvar x = = 1\n\tundeclared()\n';
    assert.deepEqual(analyzeDocument(text, 'gdscript'), []);
    assert.match(hoverAt(text, 'gdscript', after(text, 'var dt'))!.markdown, /PacketPeerDTLS/);
  });
});

describe('analysis while typing', () => {
  it('completes in a document never analyzed (only the function around the cursor is checked), without caching that', () => {
    const text = 'extends Node\nvar never_used_anywhere := 1\n\nfunc first():\n\tvar a := PacketPeerUDP.new()\n\tprint(a)\n\nfunc second():\n\tvar server := UDPServer.new()\n\tserver.\n';
    const names = labels(text, { line: 9, character: 8 });
    assert.ok(names.includes('take_connection') && names.includes('poll'));
    const scope = labels(text, { line: 9, character: 1 });
    assert.ok(scope.includes('server') && !scope.includes('a'));
    // The diagnostics still get the whole analysis.
    const full = 'extends Node\nfunc first():\n\tvar unused := 1\n\nfunc second():\n\tpass\n';
    assert.ok(labels(full, { line: 5, character: 1 }).includes('second'));
    assert.deepEqual(analyzeDocument(full, 'gdscript').map((p) => p.code), ['UNUSED_VARIABLE']);
  });


  it('reuses the analysis of a version that differs only in the line being typed', () => {
    const base = `${CLIENT}# end\n`;
    const analyzed = documentAnalysis(base, 'gdscript');
    const lines = base.split('\n');
    const at = lines.indexOf('\tdtls.poll()');
    const edited = [...lines.slice(0, at), '\tdtls.po', ...lines.slice(at + 1)].join('\n');
    assert.equal(documentAnalysisWhileTyping(edited, 'gdscript', { line: at, character: 8 }), analyzed, 'line changed');
    const inserted = [...lines.slice(0, at), '\tdtls.', ...lines.slice(at)].join('\n');
    assert.equal(documentAnalysisWhileTyping(inserted, 'gdscript', { line: at, character: 6 }), analyzed, 'line inserted');
    assert.ok(labels(inserted, { line: at, character: 6 }).includes('get_status'));
    const elsewhere = [...lines.slice(0, at), '\tdtls.', ...lines.slice(at + 1)].join('\n').replace('var udp', 'var udp2');
    assert.notEqual(documentAnalysisWhileTyping(elsewhere, 'gdscript', { line: at, character: 6 }), analyzed, 'another line changed too');
  });
});
