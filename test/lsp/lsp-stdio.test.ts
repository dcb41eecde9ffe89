// The language server as any LSP editor sees it: `node dist/server.js --stdio`, JSON-RPC over pipes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const LENS_TITLE = '▶ Run DTLS pair';
const STEP_MS = 20_000;

interface Position { line: number; character: number }
interface Range { start: Position; end: Position }
interface Diagnostic { range: Range; severity?: number; code?: string | number; source?: string; message: string }
interface CodeLens { range: Range; command?: { title: string; command: string; arguments?: unknown[] } }
interface RunPairResult {
  report: {
    ok: boolean;
    link: string;
    peers: { name: string; role: string; annotationLine: number; prints: { text: string; range?: Range }[]; finalStatus?: { status: number; statusName: string }; crashed: boolean }[];
    problems: { severity: string; code: string; message: string; range: Range }[];
  };
  text: string;
}

let server: ChildProcessWithoutNullStreams;
let connection: MessageConnection;
let stderr = '';
const diagnostics = new Map<string, Diagnostic[]>();
const waiters: (() => void)[] = [];
let version = 1;

function within<T>(promise: Promise<T>, what: string, ms = STEP_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}\nserver stderr:\n${stderr}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves with the first diagnostics published for `uri` that satisfy `accept`. */
function diagnosticsFor(uri: string, accept: (d: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
  return within(new Promise<Diagnostic[]>((resolve) => {
    const check = () => {
      const current = diagnostics.get(uri);
      if (current && accept(current)) resolve(current);
      else waiters.push(check);
    };
    check();
  }), what);
}

function open(uri: string, languageId: string, text: string): void {
  void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: version++, text } });
}

function lenses(uri: string): Promise<CodeLens[]> {
  return within(connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }), 'codeLens');
}

function run(uri: string, line: number): Promise<RunPairResult> {
  return within(connection.sendRequest<RunPairResult>('workspace/executeCommand',
    { command: 'dtlsLab.server.runPair', arguments: [uri, line, 'virtual'] }), 'executeCommand dtlsLab.server.runPair', 60_000);
}

const fileUri = (relative: string) => pathToFileURL(path.join(ROOT, relative)).toString();
const printsOf = (result: RunPairResult, role: string) => result.report.peers.find((p) => p.role === role)?.prints.map((p) => p.text) ?? [];

before(async () => {
  server = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, stdio: 'pipe' });
  server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) => {
    diagnostics.set(params.uri, params.diagnostics);
    waiters.splice(0).forEach((w) => w());
  });
  connection.onNotification('window/logMessage', () => undefined);
  connection.onRequest('workspace/configuration', () => []);
  connection.listen();
  const init = await within(connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(ROOT).toString(),
    capabilities: { textDocument: { publishDiagnostics: {}, codeLens: {} }, workspace: { executeCommand: {} } },
  }), 'initialize');
  assert.deepEqual((init.capabilities.executeCommandProvider as { commands: string[] }).commands, ['dtlsLab.server.runPair']);
  await connection.sendNotification('initialized', {});
});

after(async () => {
  try {
    await within(connection.sendRequest('shutdown'), 'shutdown', 3000);
    await connection.sendNotification('exit');
  } catch { /* killed below anyway */ }
  connection.dispose();
  server.kill();
});

test('a .gd pair gets a "▶ Run DTLS pair" lens on its server annotation', async () => {
  const uri = fileUri('examples/echo-pair.gd');
  open(uri, 'gdscript', readFileSync(path.join(ROOT, 'examples/echo-pair.gd'), 'utf8'));
  const found = await lenses(uri);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0].range.start.line, 0);
  assert.equal(found[0].command?.title, LENS_TITLE);
  assert.equal(found[0].command?.command, 'dtlsLab.runPair');
  assert.deepEqual(found[0].command?.arguments, [uri, 0]);
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
});

test('a syntax error is published as an error diagnostic on its line, and goes away when fixed', async () => {
  const uri = 'untitled:Untitled-syntax';
  open(uri, 'gdscript', '# @dtls server\nextends Node\n\nvar x =\n');
  const published = await diagnosticsFor(uri, (d) => d.length > 0, 'syntax error diagnostic');
  const error = published.find((d) => d.severity === 1);
  assert.ok(error, JSON.stringify(published));
  assert.equal(error.range.start.line, 3);
  assert.equal(error.source, 'dtls-lab');
  void connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: version++ },
    contentChanges: [{ range: { start: { line: 3, character: 7 }, end: { line: 3, character: 7 } }, text: ' 1' }],
  });
  await diagnosticsFor(uri, (d) => !d.some((x) => x.severity === 1), 'diagnostics cleared after the fix');
});

test('a Markdown document with fenced gdscript snippets gets lenses too, and runs', async () => {
  const uri = fileUri('examples/echo-pair.md');
  const text = readFileSync(path.join(ROOT, 'examples/echo-pair.md'), 'utf8');
  open(uri, 'markdown', text);
  const serverLine = text.split('\n').findIndex((l) => /#\s*@dtls\s+server/.test(l));
  const found = await lenses(uri);
  assert.deepEqual(found.map((l) => [l.range.start.line, l.command?.title]), [[serverLine, LENS_TITLE]]);
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
  const betaLine = lines.indexOf('# @dtls client name=beta');
  assert.deepEqual(found.map((l) => [l.range.start.line, l.command?.title]),
    [[0, `${LENS_TITLE} with alpha`], [0, `${LENS_TITLE} with beta`]]);
  assert.deepEqual(found[1].command?.arguments, [uri, betaLine]);
  const result = await run(uri, betaLine);
  assert.equal(result.report.ok, true, result.text);
  assert.deepEqual(printsOf(result, 'client'), ['client got: two']);
});

test('a runtime error of a run is published at its line until the next edit', async () => {
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
  void connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: version++ },
    contentChanges: [{ range: { start: { line: 12, character: 0 }, end: { line: 12, character: 0 } }, text: '\n' }],
  });
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
  void connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: version++ },
    contentChanges: [
      { range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } }, text: '# @dtls client\n' },
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '# @dtls server\n' },
    ],
  });
  const after = await lenses(uri);
  assert.deepEqual(after.map((l) => [l.range.start.line, l.command?.title]), [[2, LENS_TITLE]]);
});
