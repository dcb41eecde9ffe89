// The language server as any LSP editor sees it: `node dist/server.js --stdio`, JSON-RPC over pipes.
// Lenses, the run command, syntax diagnostics and run problems (lsp-editing.test.ts: the editing features).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fileUri, LspClient, ROOT, type RunPairResult } from './lsp-client';

const LENS_TITLE = '▶ Run DTLS pair';
const LOSS_TITLE = '▶ Run with 20% loss';
const ECHO_TITLE = '⚡ Echo server for this client';

let lsp: LspClient;

const printsOf = (result: RunPairResult, role: string) => result.report.peers.find((p) => p.role === role)?.prints.map((p) => p.text) ?? [];
const open = (uri: string, languageId: string, text: string) => lsp.open(uri, languageId, text);
const lenses = (uri: string) => lsp.lenses(uri);
const run = (uri: string, line: number) => lsp.run(uri, line);
const diagnosticsFor: LspClient['diagnosticsFor'] = (uri, accept, what) => lsp.diagnosticsFor(uri, accept, what);

before(async () => {
  const started = await LspClient.start();
  lsp = started.client;
  assert.deepEqual((started.capabilities.executeCommandProvider as { commands: string[] }).commands, ['dtlsLab.server.runPair', 'dtlsLab.server.clientPort']);
});

after(() => lsp.stop());

test('a .gd pair gets "▶ Run DTLS pair" and "▶ Run with 20% loss" on its server annotation, "⚡ Echo server for this client" on its client\'s', async () => {
  const uri = fileUri('examples/echo-pair.gd');
  open(uri, 'gdscript', readFileSync(path.join(ROOT, 'examples/echo-pair.gd'), 'utf8'));
  const found = await lenses(uri);
  assert.deepEqual(found.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]), [
    [0, LENS_TITLE, 'dtlsLab.runPair', [uri, 0]],
    [0, LOSS_TITLE, 'dtlsLab.runPair', [uri, 0, 'virtual', { loss: 0.2 }]],
    [28, ECHO_TITLE, 'dtlsLab.startEchoForClient', [uri, 28]],
  ]);
  const clean = await diagnosticsFor(uri, () => true, 'diagnostics of echo-pair.gd');
  assert.deepEqual(clean.filter((d) => d.severity === 1), [], 'echo-pair.gd has no errors');
});

test('dtlsLab.server.runPair runs the echo pair and returns the report and its text', async () => {
  const uri = fileUri('examples/echo-pair.gd');
  const result = await run(uri, 0);
  assert.equal(result.report.ok, true, result.text);
  assert.equal(result.report.link, 'virtual');
  assert.deepEqual(printsOf(result, 'client'), ['status: 2', 'client got: hello']);
  assert.deepEqual(printsOf(result, 'server'), ['server got: hello']);
  const client = result.report.peers.find((p) => p.role === 'client');
  assert.equal(client?.finalStatus?.status, 2);
  assert.ok(client?.prints.every((p) => p.range && p.range.start.line > client.annotationLine), 'prints carry document ranges');
  assert.match(result.text, /server got: hello/);
  const lines = readFileSync(path.join(ROOT, 'examples/echo-pair.gd'), 'utf8').split('\n');
  assert.deepEqual(result.lines, [{ start: 0, end: 29 }, { start: 28, end: lines.length }], 'the lines of the pair\'s two snippets, each through the line that ends it');
});

test('dtlsLab.server.clientPort gives the port a client snippet connects to', async () => {
  const uri = fileUri('examples/echo-pair.gd');
  assert.deepEqual(await lsp.executeCommand('dtlsLab.server.clientPort', [uri, 28]), { port: 4242, source: 'connect_to_host()' });
  await assert.rejects(lsp.executeCommand('dtlsLab.server.clientPort', [uri, 3]), /No client snippet at line 4/);
});

test('a syntax error is published as an error diagnostic on its line, and goes away when fixed', async () => {
  const uri = 'untitled:Untitled-syntax';
  open(uri, 'gdscript', '# @dtls server\nextends Node\n\nvar x =\n');
  const published = await diagnosticsFor(uri, (d) => d.length > 0, 'syntax error diagnostic');
  const error = published.find((d) => d.severity === 1);
  assert.ok(error, JSON.stringify(published));
  assert.equal(error.range.start.line, 3);
  assert.equal(error.source, 'dtls-lab');
  lsp.change(uri, [{ range: { start: { line: 3, character: 7 }, end: { line: 3, character: 7 } }, text: ' 1' }]);
  await diagnosticsFor(uri, (d) => !d.some((x) => x.severity === 1), 'diagnostics cleared after the fix');
});

test('a Markdown document with fenced gdscript snippets gets lenses too, and runs', async () => {
  const uri = fileUri('examples/echo-pair.md');
  const text = readFileSync(path.join(ROOT, 'examples/echo-pair.md'), 'utf8');
  open(uri, 'markdown', text);
  const lines = text.split('\n');
  const serverLine = lines.findIndex((l) => /#\s*@dtls\s+server/.test(l));
  const clientLine = lines.findIndex((l) => /#\s*@dtls\s+client/.test(l));
  const found = await lenses(uri);
  assert.deepEqual(found.map((l) => [l.range.start.line, l.command?.title]), [[serverLine, LENS_TITLE], [serverLine, LOSS_TITLE], [clientLine, ECHO_TITLE]]);
  const result = await run(uri, serverLine);
  assert.equal(result.report.ok, true, result.text);
  assert.deepEqual(printsOf(result, 'server'), ['server got: hello']);
});

test('a server with two clients gets one lens per client, each running its own pair', async () => {
  const uri = 'untitled:Untitled-two-clients';
  const client = (name: string, message: string) => [
    `# @dtls client name=${name}`,
    'extends Node',
    '',
    'func _ready():',
    '\tvar udp := PacketPeerUDP.new()',
    '\tudp.connect_to_host("127.0.0.1", 4242)',
    '\tvar dtls := PacketPeerDTLS.new()',
    '\tdtls.connect_to_peer(udp, "localhost", TLSOptions.client_unsafe())',
    '\twhile dtls.get_status() == PacketPeerDTLS.STATUS_HANDSHAKING:',
    '\t\tdtls.poll()',
    '\t\tOS.delay_msec(10)',
    `\tdtls.put_packet("${message}".to_utf8_buffer())`,
    '\twhile dtls.get_available_packet_count() == 0:',
    '\t\tdtls.poll()',
    '\t\tOS.delay_msec(10)',
    '\tprint("client got: ", dtls.get_packet().get_string_from_utf8())',
    '',
  ];
  const echo = readFileSync(path.join(ROOT, 'examples/echo-pair.gd'), 'utf8').split(/\r?\n/);
  const serverPart = echo.slice(0, echo.findIndex((l) => /#\s*@dtls\s+client/.test(l)));
  const lines = [...serverPart, ...client('alpha', 'one'), ...client('beta', 'two')];
  open(uri, 'gdscript', lines.join('\n'));
  const found = await lenses(uri);
  const alphaLine = lines.indexOf('# @dtls client name=alpha');
  const betaLine = lines.indexOf('# @dtls client name=beta');
  assert.deepEqual(found.map((l) => [l.range.start.line, l.command?.title]), [
    [0, `${LENS_TITLE} with alpha`], [0, `${LOSS_TITLE} with alpha`],
    [0, `${LENS_TITLE} with beta`], [0, `${LOSS_TITLE} with beta`],
    [alphaLine, ECHO_TITLE], [betaLine, ECHO_TITLE],
  ]);
  assert.deepEqual(found[2].command?.arguments, [uri, betaLine]);
  assert.deepEqual(found[3].command?.arguments, [uri, betaLine, 'virtual', { loss: 0.2 }]);
  const result = await run(uri, betaLine);
  assert.equal(result.report.ok, true, result.text);
  assert.deepEqual(printsOf(result, 'client'), ['client got: two']);
});

test('a runtime error of a run is published at its line until its pair is edited', async () => {
  const uri = 'untitled:Untitled-runtime';
  const text = [
    '# @dtls server',
    'extends Node',
    '',
    'func _ready():',
    '\tprint("server up")',
    '',
    '# @dtls client',
    'extends Node',
    '',
    'func _ready():',
    '\tvar nothing = null',
    '\tnothing.explode()',
    '',
  ].join('\n');
  open(uri, 'gdscript', text);
  await diagnosticsFor(uri, () => true, 'static diagnostics');
  const result = await run(uri, 0);
  assert.equal(result.report.ok, false, result.text);
  const runtime = await diagnosticsFor(uri, (d) => d.some((x) => x.severity === 1 && x.range.start.line === 11), 'runtime error diagnostic on line 12');
  assert.ok(runtime.every((d) => d.source === 'dtls-lab'));
  lsp.change(uri, [{ range: { start: { line: 12, character: 0 }, end: { line: 12, character: 0 } }, text: '\n' }]);
  await diagnosticsFor(uri, (d) => !d.some((x) => x.range.start.line === 11 && x.severity === 1), 'run problems cleared by the edit');
});

test('un-annotated Markdown fences that look like a server or a client get "Run as server/client" lenses that annotate them', async () => {
  const uri = 'untitled:Untitled-suggest.md';
  const text = [
    '# A tutorial', // 0
    '```gdscript', // 1
    'extends Node', // 2
    'var udp_server := UDPServer.new()', // 3
    '```', // 4
    'Then the client:', // 5
    '```gdscript', // 6
    'func _ready():', // 7
    '\tdtls.connect_to_peer(udp, "localhost")', // 8
    '```', // 9
    '```gdscript', // 10
    'func send_data(data):', // 11
    '\tpass', // 12
    '```', // 13
  ].join('\n');
  open(uri, 'markdown', text);
  const found = await lenses(uri);
  assert.deepEqual(
    found.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]),
    [
      [1, 'Run as server', 'dtlsLab.annotateSnippet', [uri, 2, 'server']],
      [6, 'Run as client', 'dtlsLab.annotateSnippet', [uri, 7, 'client']],
    ],
  );
  // Once annotated (what the command's edit does), the fences are a pair with a run lens instead.
  lsp.change(uri, [
    { range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } }, text: '# @dtls client\n' },
    { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '# @dtls server\n' },
  ]);
  const after = await lenses(uri);
  assert.deepEqual(after.map((l) => [l.range.start.line, l.command?.title]), [[2, LENS_TITLE], [2, LOSS_TITLE], [8, ECHO_TITLE]]);
});
