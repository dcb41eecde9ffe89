// The "client sends to a port where nothing listens" explainer with fragments (`# @dtls … part`) and
// `call=`: it blames the client's line that names the port also when that line is in a part, and
// finds the server's port in its parts and call= expressions when the run cannot tell.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSnippets } from '../../engine/sandbox/document';
import { listenSites, portMention } from '../../engine/sandbox/listen-sites';
import type { Explainer } from '../../engine/sandbox/report';
import { runPair } from '../../engine/sandbox/run-pair';

const root = join(__dirname, '..', '..', '..');
const fragmentsPair = readFileSync(join(root, 'examples', 'fragments-pair.gd'), 'utf8');
const LISTEN = '\tudp_server.listen(4242, "127.0.0.1")\n';
const CONNECT = 'udp.connect_to_host("127.0.0.1", 4242)';

function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), from);
  return text.replace(from, to);
}

/** Adds a server part right before the client snippet. */
function withServerPart(text: string, part: string): string {
  return edit(text, '# @dtls client call', `# @dtls server part\n${part}\n# @dtls client call`);
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i;
}

async function nothingListening(text: string): Promise<Explainer> {
  const doc = readSnippets(text, 'gdscript');
  assert.deepEqual(doc.problems, []);
  const report = await runPair(doc.pairs[0], { link: 'virtual', timeoutMs: 800 });
  const found = report.explainers?.find((e) => e.code === 'nothing-listening');
  assert.ok(found, `nothing-listening in ${JSON.stringify(report.explainers?.map((e) => e.code))}`);
  const problem = report.problems.find((p) => p.code === 'explain-nothing-listening');
  assert.equal(problem?.range.start.line, found.range.start.line);
  return found;
}

test('the wrong port in a client part: the explainer blames the part\'s line', async () => {
  const text = edit(fragmentsPair, `\t${CONNECT}\n`, '\topen_socket()\n') + '\n# @dtls client part\nfunc open_socket():\n\tudp.connect_to_host("127.0.0.1", 4243)\n';
  const e = await nothingListening(text);
  assert.equal(e.range.start.line, lineOf(text, '4243'));
  assert.equal(e.range.start.character, text.split('\n')[lineOf(text, '4243')].indexOf('4243'));
  assert.match(e.message, /127\.0\.0\.1:4243, where nothing listens: the server listens on port 4242\./);
  assert.match(e.fix ?? '', /connect_to_host\("127\.0\.0\.1", 4242\)/);
});

test('the server listens in a part\'s function that only call= would run: the port comes from the call= expression', async () => {
  let text = edit(fragmentsPair, '# @dtls server name=echo', '# @dtls server name=echo call=start_server(4242)');
  text = edit(text, LISTEN, '');
  text = edit(text, CONNECT, 'udp.connect_to_host("127.0.0.1", 4243)');
  text = withServerPart(text, 'func start_server(port: int):\n\tudp_server.listen(port, "127.0.0.1")\n');
  const e = await nothingListening(text);
  const listenLine = lineOf(text, 'udp_server.listen(port') + 1;
  assert.equal(e.range.start.line, lineOf(text, '4243'));
  assert.match(e.message, new RegExp(`the server's code listens on port 4242 \\(line ${listenLine}, in start_server\\(\\)\\), but no socket of the server was listening during the run`));
  assert.match(e.fix ?? '', /connect_to_host\("127\.0\.0\.1", 4242\)\. And make the server reach its listen\(\) call .* e\.g\. call start_server\(\) from _ready\(\)\./);
});

test('the client uses the right port but the server never reaches its listen(): the fix says so, with no port change', async () => {
  let text = edit(fragmentsPair, '# @dtls server name=echo', '# @dtls server name=echo call=start_server(4242)');
  text = edit(text, LISTEN, '');
  text = withServerPart(text, 'func start_server(port: int):\n\tudp_server.listen(port, "127.0.0.1")\n');
  const e = await nothingListening(text);
  assert.equal(e.range.start.line, lineOf(text, CONNECT));
  assert.match(e.message, /127\.0\.0\.1:4242, where nothing listens: the server's code listens on port 4242/);
  assert.doesNotMatch(e.fix ?? '', /Use the server's port/);
  assert.match(e.fix ?? '', /^Make the server reach its listen\(\) call/);
});

test('a server that fails before its bind() with a constant from a part: the constant is resolved', async () => {
  let text = edit(fragmentsPair, LISTEN, '\tvar missing = null\n\tmissing.oops()\n\tvar socket := PacketPeerUDP.new()\n\tsocket.bind(SERVER_PORT)\n');
  text = edit(text, CONNECT, 'udp.connect_to_host("127.0.0.1", 4243)');
  text = withServerPart(text, 'const SERVER_PORT := 4242\n');
  const e = await nothingListening(text);
  assert.match(e.message, new RegExp(`the server's code listens on port 4242 \\(line ${lineOf(text, 'socket.bind') + 1}, in _ready\\(\\)\\)`));
  assert.match(e.fix ?? '', /reach its bind\(\) call \(line \d+, in _ready\(\)\) before the client sends\.$/);
});

test('listenSites and portMention read the snippet, its parts and its call= expressions', () => {
  const text = [
    '# @dtls server call=open_at(5000)',
    'extends Node',
    'const A = 4000',
    'var tcp := TCPServer.new()',
    'func _ready():',
    '\tudp_server.listen(A)',
    '\ttcp.listen(4100) # a comment with 9999',
    '# @dtls client',
    'extends Node',
    'func _ready():',
    '\tpass',
    '# @dtls server part',
    'func open_at(port):',
    '\tvar peer := PacketPeerUDP.new()',
    '\tpeer.bind(port)',
    '# @dtls client part',
    'const PORT = 4001',
    'func go():',
    '\tudp.connect_to_host("127.0.0.1", PORT)',
    '',
  ].join('\n');
  const doc = readSnippets(text, 'gdscript');
  assert.deepEqual(doc.problems, []);
  const server = doc.snippets.find((s) => s.role === 'server')!;
  const client = doc.snippets.find((s) => s.role === 'client')!;
  assert.deepEqual(listenSites(server).map((s) => [s.port, s.method, s.range.start.line, s.functionName]), [
    [4000, 'listen', 5, '_ready'],
    [4100, 'listen', 6, '_ready'],
    [5000, 'bind', 14, 'open_at'],
  ]);
  assert.equal(portMention(client, 4001)?.start.line, 16);
  assert.equal(portMention(server, 9999), undefined, 'comments do not count');
});
