import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkDocument } from '../../engine/sandbox/check';
import { readSnippets } from '../../engine/sandbox/document';
import type { RunReport } from '../../engine/sandbox/report';
import { runPair } from '../../engine/sandbox/run-pair';

const root = join(__dirname, '..', '..', '..');
// examples/fragments-pair.gd: server 0-27, client 28-43 (call=send_data("hi") on line 28), client part 44-47.
const example = readFileSync(join(root, 'examples', 'fragments-pair.gd'), 'utf8');
const lines = example.split('\n');

function printsOf(report: RunReport, role: string): [string, number][] {
  return report.peers.find((p) => p.role === role)!.prints.map((p) => [p.text, p.range?.start.line ?? -1]);
}

test('a "# @dtls client part" is no snippet: its members go to the nearest client before it', () => {
  const doc = readSnippets(example, 'gdscript');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.snippets.map((s) => [s.role, s.annotationLine, s.endLine]), [['server', 0, 28], ['client', 28, 44]]);
  assert.equal(doc.pairs.length, 1);
  const client = doc.pairs[0].client;
  assert.deepEqual(client.fragments?.map((f) => [f.role, f.annotationLine, f.startLine, f.endLine]), [['client', 44, 44, 48]]);
  assert.ok(client.fragments![0].source.startsWith('# @dtls client part\nfunc send_data(data):'));
  assert.deepEqual(client.calls?.map((c) => [c.expression, c.line, c.character]), [['send_data("hi")', 28, lines[28].indexOf('send_data')]]);
});

test('call= runs once the peer is CONNECTED, and a fragment\'s prints point at its own lines', async () => {
  const report = await runPair(readSnippets(example, 'gdscript').pairs[0], { link: 'virtual' });
  assert.deepEqual(report.problems.filter((p) => p.severity !== 'info'), []);
  assert.equal(report.ok, true);
  assert.deepEqual(printsOf(report, 'client'), [['sending hi', 46], ['client got: hi', 41]]);
  assert.deepEqual(printsOf(report, 'server'), [['server got: hi', 25]]);
  const connected = report.timeline.find((e) => e.kind === 'status' && e.peer === 'client' && e.status === 2);
  const sent = report.timeline.find((e) => e.kind === 'print' && e.text === 'sending hi');
  assert.ok(connected && sent && sent.at >= connected.at, 'the call comes after CONNECTED');
});

test('pair=NAME picks the snippet of a part; a part without a snippet before it is an annotation error', () => {
  const text = [
    '# @dtls server part pair=echo', // 0: no server before it, but pair= names one after it
    'func helper():', // 1
    '\tpass', // 2
    '# @dtls server name=echo', // 3
    'extends Node', // 4
    '# @dtls server name=other', // 5
    'extends Node', // 6
    '# @dtls client part', // 7: no client anywhere
    'func f():', // 8
    '\tpass', // 9
    '# @dtls server part pair=nope', // 10
  ].join('\n');
  const doc = readSnippets(text, 'gdscript');
  assert.deepEqual(doc.snippets.map((s) => s.name), ['echo', 'other']);
  assert.deepEqual(doc.snippets[0].fragments?.map((f) => f.annotationLine), [0]);
  assert.equal(doc.snippets[1].fragments, undefined);
  assert.deepEqual(doc.problems.map((p) => [p.range.start.line, p.code]), [[7, 'annotation'], [10, 'annotation']]);
  assert.match(doc.problems[0].message, /client part belongs to no snippet/);
  assert.match(doc.problems[1].message, /pair=nope: no server snippet is named "nope"/);
});

test('a part takes only pair= and call=; a bad call= expression is an error at its option', () => {
  const text = '# @dtls server\nextends Node\n# @dtls server part loss=5%\n# @dtls server part call=send(\n';
  const doc = readSnippets(text, 'gdscript');
  assert.deepEqual(doc.problems.map((p) => [p.range.start.line, p.range.start.character, p.code]), [[2, 20, 'annotation'], [3, 20, 'annotation']]);
  assert.match(doc.problems[0].message, /a part takes only pair=NAME and call=EXPR/);
  assert.match(doc.problems[1].message, /^call=send\(: /);
});

test('a member the snippet already has is an annotation error at the part\'s line; syntax errors keep document lines', () => {
  const text = [
    '# @dtls server', // 0
    'extends Node', // 1
    'var peers = []', // 2
    '# @dtls server part', // 3
    'var peers = {}', // 4
    'func broken(:', // 5
  ].join('\n');
  const problems = checkDocument(text, 'gdscript');
  const duplicate = problems.find((p) => /declares "peers" again/.test(p.message));
  assert.equal(duplicate?.code, 'annotation');
  assert.equal(duplicate?.range.start.line, 4);
  assert.match(duplicate!.message, /line 3/);
  assert.ok(problems.some((p) => p.code === 'syntax' && p.range.start.line === 5), JSON.stringify(problems));
});

test('a runtime error in a part or in call= is reported at its document line', async () => {
  // 42 has no to_utf8_buffer(): the error is in the part, at its `dtls.put_packet(...)` line.
  const text = example.replace('call=send_data("hi")', 'call=send_data(42)');
  const report = await runPair(readSnippets(text, 'gdscript').pairs[0], { link: 'virtual' });
  assert.equal(report.ok, false);
  const error = report.problems.find((p) => p.code === 'runtime');
  assert.equal(error?.range.start.line, 47, JSON.stringify(report.problems));

  const unknown = await runPair(readSnippets(example.replace('call=send_data("hi")', 'call=no_such_function()'), 'gdscript').pairs[0], { link: 'virtual' });
  const bad = unknown.problems.find((p) => p.severity === 'error');
  assert.equal(bad?.range.start.line, 28, JSON.stringify(unknown.problems));
});

test('Markdown: un-annotated gdscript fences that look like a server or a client are suggestions', () => {
  const text = [
    '# Tutorial', // 0
    '```gdscript', // 1
    'var server := UDPServer.new()', // 2
    '```', // 3
    '```gd', // 4
    'func _ready():', // 5
    '\tdtls.connect_to_peer(udp, "localhost")', // 6
    '```', // 7
    '```gdscript', // 8
    'func send_data(data):', // 9
    '\tpass # not a UDPServer', // 10
    '```', // 11
    '```gdscript', // 12
    '# @dtls server', // 13
    'var s := DTLSServer.new()', // 14
    '```', // 15
  ].join('\n');
  const doc = readSnippets(text, 'markdown');
  assert.deepEqual(doc.suggestions, [
    { role: 'server', line: 2, fenceStartLine: 1 },
    { role: 'client', line: 5, fenceStartLine: 4 },
  ]);
  assert.equal(doc.snippets.length, 1);
  assert.deepEqual(readSnippets(example, 'gdscript').suggestions, []);
});
