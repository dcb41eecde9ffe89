// What the language server reads from a document for the extension: the lines a run belongs to
// (RunPairResult.lines, which decide when inline results go stale) and the port a client snippet
// sends to ("⚡ Echo server for this client").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSnippets } from '../../engine/sandbox/document';
import { clientPortAt } from '../../server/client-port';
import { pairLines } from '../../server/run-results';

const root = join(__dirname, '..', '..', '..');
const echoPair = readFileSync(join(root, 'examples', 'echo-pair.gd'), 'utf8');

test('run lines: each snippet from its annotation through the next one (the closing Markdown fence, the last line)', () => {
  const lines = echoPair.split('\n'); // ends with "\n": the last line is the empty one after it
  const clientLine = lines.findIndex((l) => l.startsWith('# @dtls client'));
  assert.deepEqual(pairLines(readSnippets(echoPair, 'gdscript').pairs[0]), [{ start: 0, end: clientLine + 1 }, { start: clientLine, end: lines.length }]);
  const md = ['# T', '```gdscript', '# @dtls server', 'extends Node', '```', 'prose', '```gdscript', '# @dtls client', 'x', '```'].join('\n');
  assert.deepEqual(pairLines(readSnippets(md, 'markdown').pairs[0]), [{ start: 2, end: 5 }, { start: 7, end: 10 }]);
});

test('run lines: a pair\'s fragments are part of it', () => {
  const text = readFileSync(join(root, 'examples', 'fragments-pair.gd'), 'utf8');
  const lines = text.split('\n');
  const parts = lines.flatMap((l, i) => (/^# @dtls (server|client) part/.test(l) ? [i] : []));
  assert.ok(parts.length > 0);
  const spans = pairLines(readSnippets(text, 'gdscript').pairs[0]);
  for (const line of parts) assert.ok(spans.some((s) => s.start === line), `the part at line ${line + 1} starts a span`);
  assert.deepEqual(spans, [...spans].sort((a, b) => a.start - b.start));
});

test('client port: port= option, connect_to_host literal or constant, else 4242', () => {
  const clientLine = echoPair.split('\n').findIndex((l) => l.startsWith('# @dtls client'));
  assert.deepEqual(clientPortAt(echoPair, 'gdscript', clientLine), { port: 4242, source: 'connect_to_host()' });
  assert.deepEqual(clientPortAt(echoPair, 'gdscript', clientLine + 5), { port: 4242, source: 'connect_to_host()' });
  const constant = '# @dtls client\nextends Node\nconst PORT := 5151\nfunc _ready():\n\tudp.connect_to_host("127.0.0.1", PORT)\n';
  assert.deepEqual(clientPortAt(constant, 'gdscript', 0), { port: 5151, source: 'connect_to_host()' });
  assert.deepEqual(clientPortAt('# @dtls client port=6000\nextends Node\n', 'gdscript', 1), { port: 6000, source: 'port= option' });
  assert.deepEqual(clientPortAt('# @dtls client\nextends Node\n', 'gdscript', 0), { port: 4242, source: 'default' });
  assert.throws(() => clientPortAt(echoPair, 'gdscript', 2), /No client snippet at line 3/);
});
