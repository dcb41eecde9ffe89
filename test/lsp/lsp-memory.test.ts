// Memory is behaviour: 1,000 edits of one document, each re-checked (debounce 0) and published, must
// not make the server process grow without bound (loose bound: under 2× and under 100 MB of growth).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { LspClient, ROOT } from './lsp-client';

let lsp: LspClient;

before(async () => {
  lsp = (await LspClient.start({ diagnosticsDelayMs: 0 })).client;
});

after(() => lsp.stop());

const rss = async () => (await lsp.request<{ rssBytes: number }>('dtlsLab/stats', null)).rssBytes;

test('1,000 edits (each one re-checked) do not grow the server\'s memory without bound', { timeout: 120_000 }, async () => {
  const uri = 'untitled:Untitled-memory';
  const echo = readFileSync(path.join(ROOT, 'examples/echo-pair.gd'), 'utf8');
  const lines = echo.split(/\r?\n/);
  const target = lines.findIndex((l) => l.includes('"hello"'));
  const at = lines[target].indexOf('hello');
  await lsp.diagnosticsOfVersion(uri, lsp.open(uri, 'gdscript', echo));
  // The edits: retype the letters of "hello", one per edit, alternately as HELLO and hello.
  const edit = async (i: number) => {
    const character = at + (i % 5);
    const letter = 'hello'[i % 5];
    const text = Math.floor(i / 5) % 2 === 0 ? letter.toUpperCase() : letter;
    const version = lsp.change(uri, [{ range: { start: { line: target, character }, end: { line: target, character: character + 1 } }, text }]);
    await lsp.diagnosticsOfVersion(uri, version);
  };
  for (let i = 0; i < 100; i++) await edit(i); // warm-up: the first checks load and compile code
  const start = await rss();
  for (let i = 0; i < 1000; i++) await edit(i);
  const end = await rss();
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  assert.ok(end < 2 * start && end - start < 100 * 2 ** 20, `RSS grew from ${mb(start)} to ${mb(end)} over 1,000 edits`);
});
