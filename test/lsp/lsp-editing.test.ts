// The editing features through a real LSP client over stdio: each category of diagnostic, every quick
// fix offered (applied, then the text re-checked), "Fix all Godot 3 → 4", hover, completion, signature
// help, go to definition and document symbols. The problems come from the engine as it is (annotations,
// syntax, the analyzer, the Godot 3 migrations), so the assertions name categories, not every word.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { applyEdits, LspClient, ROOT, type Diagnostic, type Range } from './lsp-client';

const UNNECESSARY = 1;
const DEPRECATED = 2;
const ERROR = 1;

let lsp: LspClient;
let capabilities: Record<string, unknown>;
let scratch = 0;

before(async () => {
  ({ client: lsp, capabilities } = await LspClient.start({ diagnosticsDelayMs: 0 }));
});

after(() => lsp.stop());

/** Opens `text` as a new document and returns its first diagnostics. */
async function check(text: string, languageId = 'gdscript'): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
  const uri = `untitled:Untitled-edit-${++scratch}${languageId === 'markdown' ? '.md' : '.gd'}`;
  const diagnostics = await lsp.diagnosticsOfVersion(uri, lsp.open(uri, languageId, text));
  return { uri, diagnostics };
}

// A pair with one of each kind of analysis problem (and no syntax error or Godot 3 syntax, which would
// hide the analyzer's problems of that snippet).
const ANALYZED = [
  '# @dtls server', // 0
  'extends Node', // 1
  '', // 2
  'var udp_server := UDPServer.new()', // 3: never polled (a DTLS lint)
  'var bytes = "hi".to_utf8()', // 4: Godot 3 method
  '', // 5
  'func _ready():', // 6
  '\tvar unused_thing = 3', // 7: unused (Unnecessary)
  '\tvar p := PacketPeerDTLS.new()', // 8
  '\tp.get_statuss()', // 9: unknown method, did you mean
  '\tudp_server.listen(4242, "127.0.0.1")', // 10
  '\tprint(OS.get_ticks_msec(), bytes)', // 11: Godot 3 function
  '', // 12
  '# @dtls client', // 13
  'extends Node', // 14
  '', // 15
  'func _ready():', // 16
  '\tvar udp := PacketPeerUDP.new()', // 17
  '\tudp.connect_to_host("127.0.0.1", 4242)', // 18
  '\tvar dtls := PacketPeerDTLS.new()', // 19
  '\tdtls.connect_to_peer(udp, "localhost", TLSOptions.client_unsafe())', // 20
  '\tdtls.put_packet("hello")', // 21: a String where bytes go (a DTLS lint)
].join('\n');

test('each category of problem arrives as a diagnostic: syntax, unknown member (did you mean), Godot 3, DTLS misuse, unused (Unnecessary)', async () => {
  const { diagnostics: syntax } = await check('# @dtls server\nextends Node\nfunc _ready():\n\tvar x =\n');
  const error = syntax.find((d) => d.code === 'syntax');
  assert.equal(error?.severity, ERROR, JSON.stringify(syntax));
  assert.equal(error?.range.start.line, 3);

  const { diagnostics } = await check(ANALYZED);
  const on = (line: number) => diagnostics.filter((d) => d.range.start.line === line);
  const show = JSON.stringify(diagnostics.map((d) => [d.range.start.line, d.code, d.tags, d.message]));
  assert.ok(diagnostics.every((d) => d.source === 'dtls-lab'));
  const unknown = on(9).find((d) => /Did you mean "get_status\(\)"\?/.test(d.message));
  assert.equal(unknown?.severity, ERROR, show);
  assert.deepEqual(unknown?.range, { start: { line: 9, character: 3 }, end: { line: 9, character: 14 } });
  for (const line of [4, 11]) {
    const godot3 = on(line).find((d) => String(d.code).startsWith('godot3'));
    assert.deepEqual(godot3?.tags, [DEPRECATED], `Godot 3 construct on line ${line + 1}: ${show}`);
  }
  assert.match(String(on(3).find((d) => String(d.code).startsWith('dtls-'))?.message), /never polled/, show);
  assert.match(String(on(21).find((d) => String(d.code).startsWith('dtls-'))?.message), /to_utf8_buffer/, show);
  const unused = on(7).find((d) => d.tags?.includes(UNNECESSARY));
  assert.match(String(unused?.message), /unused_thing/, show);
});

test('every quick fix offered is applied, and the fixed text no longer has that problem', async () => {
  const { uri, diagnostics } = await check(ANALYZED);
  const count = (list: Diagnostic[], code: Diagnostic['code']) => list.filter((d) => d.code === code).length;
  const errors = (list: Diagnostic[]) => list.filter((d) => d.severity === ERROR).length;
  let applied = 0;
  const preferredCodes = new Set<string>();
  for (const diagnostic of diagnostics) {
    const actions = await lsp.codeActions(uri, diagnostic.range, ['quickfix']);
    for (const action of actions.filter((a) => a.diagnostics?.some((d) => d.code === diagnostic.code && sameRange(d.range, diagnostic.range)))) {
      assert.equal(action.kind, 'quickfix');
      if (action.isPreferred) preferredCodes.add(String(diagnostic.code));
      const edits = action.edit?.changes?.[uri];
      assert.ok(edits && edits.length > 0, `"${action.title}" has edits`);
      const { diagnostics: after } = await check(applyEdits(ANALYZED, edits));
      const what = `"${action.title}" for ${diagnostic.code} on line ${diagnostic.range.start.line + 1}: ${JSON.stringify(after.map((d) => [d.range.start.line, d.code, d.message]))}`;
      assert.equal(count(after, diagnostic.code), count(diagnostics, diagnostic.code) - 1, `the problem is gone after ${what}`);
      assert.ok(errors(after) <= errors(diagnostics), `no new error after ${what}`);
      applied++;
    }
  }
  assert.ok(applied >= 4, `only ${applied} quick fixes were offered`);
  assert.ok(['godot3', 'dtls-put-packet-string'].every((c) => preferredCodes.has(c)), `safe fixes are preferred: ${[...preferredCodes]}`);
});

test('"Fix all Godot 3 → 4 in file" rewrites a Godot 3 script into one without Godot 3 problems', async () => {
  const godot3 = [
    '# @dtls server',
    'extends Node',
    'onready var label = null',
    'var dtls_server := DTLSServer.new()',
    'var udp_server := UDPServer.new()',
    'func _ready():',
    '\tvar crypto := Crypto.new()',
    '\tvar key := crypto.generate_rsa(2048)',
    '\tvar cert := crypto.generate_self_signed_certificate(key, "CN=localhost")',
    '\tdtls_server.setup(key, cert)',
    '\tudp_server.listen(4242)',
    '\tyield(get_tree().create_timer(1.0), "timeout")',
    '\tprint(OS.get_ticks_msec(), "hi".to_utf8())',
    'func _process(_delta):',
    '\tudp_server.poll()',
  ].join('\n');
  const { uri, diagnostics } = await check(godot3);
  assert.ok(diagnostics.filter((d) => String(d.code).startsWith('godot3')).length >= 4, JSON.stringify(diagnostics));
  const actions = await lsp.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ['source.fixAll']);
  assert.deepEqual(actions.map((a) => [a.kind, a.title]), [['source.fixAll', 'Fix all Godot 3 → 4 in file']]);
  const fixed = applyEdits(godot3, actions[0].edit?.changes?.[uri] ?? []);
  assert.match(fixed, /^@onready var label = null$/m);
  assert.match(fixed, /await get_tree\(\)\.create_timer\(1\.0\)\.timeout/);
  const version = lsp.change(uri, [{ text: fixed }]);
  const after = await lsp.diagnosticsOfVersion(uri, version);
  assert.deepEqual(after.filter((d) => String(d.code).startsWith('godot3') || d.severity === ERROR), [], fixed);
  assert.deepEqual(await lsp.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ['source.fixAll']), []);
});

test('hover, completion, signature help, definition and document symbols on the echo pair', async () => {
  assert.deepEqual(capabilities.completionProvider, { triggerCharacters: ['.', '@', '"'], resolveProvider: false });
  assert.deepEqual((capabilities.signatureHelpProvider as { triggerCharacters: string[] }).triggerCharacters, ['(', ',']);
  const text = readFileSync(path.join(ROOT, 'examples/echo-pair.gd'), 'utf8');
  const { uri } = await check(text);
  const lines = text.split('\n');
  const connectLine = lines.findIndex((l) => l.includes('dtls.connect_to_peer'));
  const at = (line: number, needle: string, extra = 0) => ({ line, character: lines[line].indexOf(needle) + extra });
  const ask = <T>(method: string, position: { line: number; character: number }) => lsp.request<T>(method, { textDocument: { uri }, position });

  const hover = await ask<{ contents: { kind: string; value: string }; range: Range }>('textDocument/hover', at(connectLine, 'connect_to_peer', 3));
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /connect_to_peer\(packet_peer: PacketPeerUDP, hostname: String/);
  assert.deepEqual(hover.range, { start: at(connectLine, 'connect_to_peer'), end: at(connectLine, 'connect_to_peer', 'connect_to_peer'.length) });

  const members = await ask<{ label: string; kind: number; detail?: string }[]>('textDocument/completion', at(connectLine, 'connect_to_peer'));
  const connect = members.find((m) => m.label === 'connect_to_peer');
  assert.equal(connect?.kind, 2, 'a Method'); // CompletionItemKind.Method
  assert.ok(members.some((m) => m.label === 'STATUS_CONNECTED' || m.label === 'get_status'), JSON.stringify(members.map((m) => m.label)));
  const { uri: annotated } = await check('# @dtls client \nextends Node\n');
  const options = await lsp.request<{ label: string; kind: number }[]>('textDocument/completion', { textDocument: { uri: annotated }, position: { line: 0, character: 15 } });
  assert.ok(options.some((o) => o.label === 'name=' && o.kind === 10), `annotation options: ${JSON.stringify(options)}`); // Property

  const help = await ask<{ signatures: { label: string; parameters: { label: string }[] }[]; activeParameter: number }>('textDocument/signatureHelp', at(connectLine, '"localhost"', 1));
  assert.match(help.signatures[0].label, /connect_to_peer\(/);
  assert.equal(help.activeParameter, 1);
  assert.equal(help.signatures[0].parameters[1].label, 'hostname: String');

  const udpUse = lines.findIndex((l) => l.includes('udp.connect_to_host'));
  const udpDeclaration = lines.findIndex((l) => l.includes('var udp := PacketPeerUDP.new()'));
  const definition = await ask<{ uri: string; range: Range }>('textDocument/definition', at(udpUse, 'udp', 1));
  assert.equal(definition.uri, uri);
  assert.equal(definition.range.start.line, udpDeclaration);

  const outline = await lsp.request<{ name: string; kind: number; children?: { name: string; kind: number }[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.equal(outline.length, 2, JSON.stringify(outline));
  const names = outline.map((s) => (s.children ?? []).map((c) => c.name));
  assert.ok(names[0].includes('udp_server') && names[0].includes('_process'), JSON.stringify(names));
  assert.ok(names[1].includes('_ready'), JSON.stringify(names));
  assert.equal(outline[0].children?.find((c) => c.name === '_process')?.kind, 12); // SymbolKind.Function
});

test('in Markdown: Godot 3 code in a fence is fixed in place, and the outline has one entry per snippet', async () => {
  const markdown = [
    '# A Godot 3 tutorial', // 0
    '', // 1
    '```gdscript', // 2
    '# @dtls server', // 3
    'extends Node', // 4
    'onready var label = null', // 5
    'func _ready():', // 6
    '\tprint(OS.get_ticks_msec())', // 7
    '```', // 8
    '', // 9
    'Some prose with onready in it.', // 10
  ].join('\n');
  const { uri, diagnostics } = await check(markdown, 'markdown');
  assert.deepEqual(diagnostics.filter((d) => String(d.code).startsWith('godot3')).map((d) => d.range.start.line), [5, 7]);
  const [quick] = await lsp.codeActions(uri, { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, ['quickfix']);
  assert.deepEqual(quick.edit?.changes?.[uri]?.map((e) => e.range.start.line), [5], quick.title);
  const [all] = await lsp.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ['source.fixAll']);
  const fixed = applyEdits(markdown, all.edit?.changes?.[uri] ?? []);
  assert.deepEqual(fixed.split('\n').filter((_, i) => i !== 5 && i !== 7), markdown.split('\n').filter((_, i) => i !== 5 && i !== 7), 'only the two lines change');
  assert.equal(fixed.split('\n')[5], '@onready var label = null');
  assert.equal(fixed.split('\n')[7], '\tprint(Time.get_ticks_msec())');
  const outline = await lsp.request<{ name: string; kind: number; range: Range; children?: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.equal(outline.length, 1, JSON.stringify(outline));
  assert.equal(outline[0].kind, 2); // SymbolKind.Module: a snippet
  assert.ok(outline[0].range.start.line >= 2 && outline[0].range.end.line <= 8, JSON.stringify(outline[0].range));
  assert.deepEqual(outline[0].children?.map((c) => c.name), ['label', '_ready']);
});

test('queries on a document the server does not have answer empty, not with an error', async () => {
  const uri = 'untitled:never-opened.gd';
  const position = { line: 0, character: 0 };
  assert.equal(await lsp.request('textDocument/hover', { textDocument: { uri }, position }), null);
  assert.deepEqual(await lsp.request('textDocument/completion', { textDocument: { uri }, position }), []);
  assert.deepEqual(await lsp.request('textDocument/documentSymbol', { textDocument: { uri } }), []);
});

function sameRange(a: Range, b: Range): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
