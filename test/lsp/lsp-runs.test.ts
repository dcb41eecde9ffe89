// Runs through the language server: the runReport notification, link settings (the 20% loss lens),
// expectation lenses, and run problems that survive edits of other pairs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fileUri, LspClient, ROOT, type RunPairResult } from './lsp-client';

let lsp: LspClient;

before(async () => {
  lsp = (await LspClient.start({ diagnosticsDelayMs: 0 })).client;
});

after(() => lsp.stop());

const echoLines = () => readFileSync(path.join(ROOT, 'examples/echo-pair.gd'), 'utf8').split(/\r?\n/);

/** A pair whose client crashes on its line 5 (document line `firstLine + 5`). */
const crashingPair = (port: number, name: string) => [
  `# @dtls server name=${name}`,
  'extends Node',
  'func _ready():',
  `\tprint("server ${name} up on ${port}")`,
  `# @dtls client pair=${name}`,
  'extends Node',
  'func _ready():',
  '\tvar nothing = null',
  '\tnothing.explode()',
];

test('every run sends dtlsLab/runReport with the uri, the version that ran and the result', async () => {
  const reports = lsp.collect<{ uri: string; version: number | null; result: RunPairResult }>('dtlsLab/runReport');
  const uri = 'untitled:Untitled-report';
  const version = lsp.open(uri, 'gdscript', echoLines().join('\n'));
  const result = await lsp.run(uri, 0);
  const sent = await lsp.until(() => reports.find((r) => r.uri === uri), 'dtlsLab/runReport');
  assert.equal(sent.version, version);
  assert.deepEqual(sent.result, result);
  assert.equal(sent.result.report.ok, true, sent.result.text);
});

test('a run of a file the editor has not opened is read from disk and reported with version null', async () => {
  const reports = lsp.collect<{ uri: string; version: number | null; result: RunPairResult }>('dtlsLab/runReport');
  const uri = fileUri('examples/fragments-pair.gd');
  const result = await lsp.run(uri, 0);
  assert.equal(result.report.ok, true, result.text);
  const sent = await lsp.until(() => reports.find((r) => r.uri === uri), 'dtlsLab/runReport of a closed file');
  assert.equal(sent.version, null);
  const stats = await lsp.request<{ storedRuns: number }>('dtlsLab/stats', null);
  const runsBefore = stats.storedRuns;
  await lsp.run(uri, 0);
  assert.equal((await lsp.request<{ storedRuns: number }>('dtlsLab/stats', null)).storedRuns, runsBefore, 'nothing is kept for a closed file');
});

test('link settings: { loss: 0.2 } (the loss lens\'s arguments) drops datagrams on the virtual link', async () => {
  const uri = 'untitled:Untitled-loss';
  lsp.open(uri, 'gdscript', echoLines().join('\n'));
  const lossLens = (await lsp.lenses(uri)).find((l) => l.command?.title === '▶ Run with 20% loss');
  assert.ok(lossLens?.command?.arguments, 'the loss lens is there');
  const [lensUri, line, link, settings] = lossLens.command.arguments as [string, number, string, Record<string, number>];
  const plain = await lsp.run(lensUri, line, link);
  assert.deepEqual(plain.report.timeline.filter((e) => e.kind === 'drop'), [], 'no drops without loss');
  const lossy = await lsp.run(lensUri, line, link, settings);
  const drops = lossy.report.timeline.filter((e) => e.kind === 'drop');
  assert.ok(drops.length > 0 && drops.every((d) => d.reason === 'link loss 20%'), JSON.stringify(drops));
  await assert.rejects(lsp.run(uri, 0, 'virtual', { loss: 2 }), /loss=2: expected a number from 0 to 1/);
  await assert.rejects(lsp.run(uri, 0, 'virtual', { los: 0.2 }), /Unknown link setting "los"/);
});

test('after a run with expectations, each snippet shows ✔/✘ expectations: passed/total until it is edited', async () => {
  const uri = 'untitled:Untitled-expect';
  const lines = echoLines();
  const client = lines.indexOf('# @dtls client');
  lines.splice(client + 1, 0, '# @dtls expect status=CONNECTED print="client got: hello"');
  lines.splice(1, 0, '# @dtls expect print="server got: bye"');
  const clientLine = client + 1; // shifted by the server's expect line
  const version = lsp.open(uri, 'gdscript', lines.join('\n'));
  await lsp.diagnosticsOfVersion(uri, version);
  const titles = async () => (await lsp.lenses(uri)).filter((l) => l.command?.title.includes('expectations')).map((l) => [l.range.start.line, l.command?.title, l.command?.command]);
  assert.deepEqual(await titles(), [], 'no expectation lens before a run');
  const result = await lsp.run(uri, 0);
  assert.equal(result.report.ok, false, 'the server expectation fails');
  assert.deepEqual(await titles(), [[0, '✘ expectations: 0/1', ''], [clientLine, '✔ expectations: 2/2', '']]);
  const failed = await lsp.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'expectation'), 'failed expectation diagnostic');
  assert.equal(failed.find((x) => x.code === 'expectation')?.range.start.line, 1);
  lsp.change(uri, [{ range: { start: { line: clientLine + 4, character: 0 }, end: { line: clientLine + 4, character: 0 } }, text: '\t# a comment\n' }]);
  assert.deepEqual(await titles(), [], 'the edit inside the pair drops its results');
});

test('run problems of a pair stay when another pair is edited, and go when their own pair is', async () => {
  const uri = 'untitled:Untitled-two-pairs';
  const first = crashingPair(4300, 'a');
  const second = crashingPair(4301, 'b');
  const lines = [...first, ...second];
  const crashLineA = 8;
  const crashLineB = first.length + 8;
  const opened = lsp.open(uri, 'gdscript', lines.join('\n'));
  await lsp.diagnosticsOfVersion(uri, opened);
  const runtimeLines = (d: { severity?: number; range: { start: { line: number } } }[]) => d.filter((x) => x.severity === 1).map((x) => x.range.start.line).sort((a, b) => a - b);
  await lsp.run(uri, 0);
  await lsp.run(uri, first.length);
  assert.deepEqual(runtimeLines(await lsp.diagnosticsFor(uri, (d) => runtimeLines(d).length === 2, 'both runs\' problems')), [crashLineA, crashLineB]);
  // Edit inside pair b (its server's print): pair a's problem stays, pair b's goes.
  const printB = first.length + 3;
  const editedB = lsp.change(uri, [{ range: { start: { line: printB, character: 1 }, end: { line: printB, character: 1 } }, text: 'print("edited")\n\t' }]);
  assert.deepEqual(runtimeLines(await lsp.diagnosticsOfVersion(uri, editedB)), [crashLineA]);
  // An edit inside pair a clears its problem too.
  const editedA = lsp.change(uri, [{ range: { start: { line: 3, character: 1 }, end: { line: 3, character: 1 } }, text: 'print("edited")\n\t' }]);
  assert.deepEqual(runtimeLines(await lsp.diagnosticsOfVersion(uri, editedA)), []);
});

test('a line typed at the end of a snippet (before the next annotation) counts as an edit of that snippet', async () => {
  const uri = 'untitled:Untitled-append';
  const first = crashingPair(4302, 'c');
  const lines = [...first, ...crashingPair(4303, 'd')];
  const opened = lsp.open(uri, 'gdscript', lines.join('\n'));
  await lsp.diagnosticsOfVersion(uri, opened);
  await lsp.run(uri, 0);
  await lsp.diagnosticsFor(uri, (d) => d.some((x) => x.severity === 1 && x.range.start.line === 8), 'run problem of pair c');
  const edited = lsp.change(uri, [{ range: { start: { line: first.length, character: 0 }, end: { line: first.length, character: 0 } }, text: '\tprint("more")\n' }]);
  assert.deepEqual((await lsp.diagnosticsOfVersion(uri, edited)).filter((x) => x.severity === 1), []);
});

test('dtlsLab/stats reports the server process memory and what it keeps', async () => {
  const stats = await lsp.request<{ rssBytes: number; heapUsedBytes: number; openDocuments: number; storedRuns: number }>('dtlsLab/stats', null);
  assert.ok(stats.rssBytes > 10 * 2 ** 20 && stats.rssBytes < 2 ** 32, String(stats.rssBytes));
  assert.ok(stats.heapUsedBytes > 0 && stats.heapUsedBytes < stats.rssBytes);
  assert.ok(stats.openDocuments >= 5, String(stats.openDocuments));
  lsp.close('untitled:Untitled-report');
  const after = await lsp.request<{ openDocuments: number }>('dtlsLab/stats', null);
  assert.equal(after.openDocuments, stats.openDocuments - 1);
});
