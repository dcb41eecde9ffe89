import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSnippets } from '../../engine/sandbox/document';

const root = join(__dirname, '..', '..', '..');

test('a .gd file splits at each "# @dtls" line and the client pairs with the server before it', () => {
  const text = readFileSync(join(root, 'examples', 'echo-pair.gd'), 'utf8');
  const doc = readSnippets(text, 'gdscript');
  assert.deepEqual(
    doc.snippets.map((s) => [s.role, s.name, s.annotationLine, s.endLine]),
    [
      ['server', 'server', 0, 28],
      ['client', 'client', 28, 45],
    ],
  );
  assert.equal(doc.pairs.length, 1);
  assert.equal(doc.pairs[0].server.name, 'server');
  assert.ok(doc.pairs[0].client.source.startsWith('# @dtls client\nextends Node\n'));
  assert.deepEqual(doc.problems, []);
});

test('in Markdown only gdscript/gd fences that start with an annotation are snippets', () => {
  const text = [
    '# Title', // 0
    '```gdscript', // 1
    '# @dtls server name=echo port=4242', // 2
    'extends Node', // 3
    '```', // 4
    '```gdscript', // 5
    'var not_a_snippet = 1', // 6
    '```', // 7
    '```python', // 8
    '# @dtls client', // 9
    '```', // 10
    '~~~gd', // 11
    '# @dtls client', // 12
    'extends Node', // 13
    '~~~', // 14
  ].join('\n');
  const doc = readSnippets(text, 'markdown');
  assert.deepEqual(
    doc.snippets.map((s) => [s.role, s.name, s.startLine, s.endLine]),
    [
      ['server', 'echo', 2, 4],
      ['client', 'client', 12, 14],
    ],
  );
  assert.deepEqual(doc.snippets[0].options, { name: 'echo', port: '4242' });
  assert.equal(doc.pairs.length, 1);
  assert.equal(doc.snippets[1].source, '# @dtls client\nextends Node');
});

test('the example Markdown tutorial holds the same pair as the .gd example', () => {
  const md = readSnippets(readFileSync(join(root, 'examples', 'echo-pair.md'), 'utf8'), 'markdown');
  const gd = readSnippets(readFileSync(join(root, 'examples', 'echo-pair.gd'), 'utf8'), 'gdscript');
  assert.equal(md.pairs.length, 1);
  assert.equal(md.pairs[0].server.source.trimEnd(), gd.pairs[0].server.source.trimEnd());
  assert.equal(md.pairs[0].client.source.trimEnd(), gd.pairs[0].client.source.trimEnd());
});

test('a client with no server before it and a bad role are reported at their lines', () => {
  const doc = readSnippets('# @dtls client\nextends Node\n# @dtls peer\n# @dtls server oops\n', 'gdscript');
  assert.deepEqual(
    doc.problems.map((p) => [p.severity, p.range.start.line, p.message]),
    [
      ['error', 2, 'Unknown snippet role "peer": a snippet is "# @dtls server" or "# @dtls client".'],
      ['error', 3, 'Expected key=value after "# @dtls server", found "oops".'],
      ['warning', 0, 'This client has no server: put a "# @dtls server" snippet before it in the same document.'],
    ],
  );
  assert.equal(doc.pairs.length, 0);
});

test('several clients pair with the nearest server before each and get numbered names', () => {
  const doc = readSnippets('# @dtls server\n# @dtls client\n# @dtls client\n# @dtls server name=b\n# @dtls client\n', 'gdscript');
  assert.deepEqual(
    doc.pairs.map((p) => [p.server.name, p.client.name]),
    [
      ['server', 'client 1'],
      ['server', 'client 2'],
      ['b', 'client 3'],
    ],
  );
});
