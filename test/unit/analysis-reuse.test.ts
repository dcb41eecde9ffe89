// Checking a document again after an edit: the shared parse cache, and the units (snippets, fences) and
// Godot 3 pieces whose text did not change being reused — with exactly the problems of a fresh check.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentAnalysis } from '../../engine/analysis/analyze-document';
import { findGodot3Constructs } from '../../engine/analysis/godot3-migrations';
import { parseShared } from '../../engine/analysis/parse-cache';
import { parse } from '../../engine/gdscript';
import { checkDocument } from '../../engine/sandbox/check';
import { rangeOf } from './analysis-helpers';

const SERVER = [
  '# @dtls server',
  'extends Node',
  'var server := UDPServer.new()',
  'func _ready():',
  '\tvar server_unused := 1',
  '\tserver.listen(4242)',
  'func _process(_delta):',
  '\tserver.poll()',
  '',
].join('\n');
const CLIENT = [
  '# @dtls client',
  'extends Node',
  'var dtls := PacketPeerDTLS.new()',
  'func _process(_delta):',
  '\tvar client_unused := 2',
  '\tdtls.poll()',
  '',
].join('\n');

/** Problems as compared: code, message, range, peer. */
const summary = (text: string, language: 'gdscript' | 'markdown' = 'gdscript') =>
  checkDocument(text, language).map((p) => [p.code, p.message, p.range, p.peer]);

describe('checking a document again after an edit', () => {
  it('reuses the unchanged snippet and analyzes the edited one again', () => {
    const before = SERVER + CLIENT;
    const first = documentAnalysis(before, 'gdscript');
    const after = SERVER + CLIENT.replace('client_unused := 2', 'client_unused := 3');
    const second = documentAnalysis(after, 'gdscript');
    assert.equal(second.units.length, 2);
    assert.equal(second.units[0].analysis, first.units[0].analysis, 'server snippet reused');
    assert.notEqual(second.units[1].analysis, first.units[1].analysis, 'client snippet analyzed again');
    assert.equal(second.units[0].snippet?.source, SERVER.replace(/\n$/, ''));
    assert.deepEqual(summary(after).map((p) => p[0]), ['UNUSED_VARIABLE', 'UNUSED_VARIABLE']);
  });

  it('keeps reusing an unchanged snippet over many edits of the other one', () => {
    const first = documentAnalysis(SERVER + CLIENT, 'gdscript');
    for (let i = 0; i < 10; i++) {
      const doc = documentAnalysis(SERVER + CLIENT.replace('client_unused := 2', `client_unused := ${10 + i}`), 'gdscript');
      assert.equal(doc.units[0].analysis, first.units[0].analysis, `edit ${i}`);
    }
  });

  it('finds a new error in the edited snippet and keeps the other snippet\'s problems', () => {
    const text = SERVER + CLIENT.replace('\tdtls.poll()', '\tdtls.poll()\n\tundeclared_name()');
    summary(SERVER + CLIENT);
    const problems = checkDocument(text, 'gdscript');
    assert.deepEqual(problems.map((p) => [p.code, p.range]), [
      ['UNUSED_VARIABLE', rangeOf(text, 'server_unused')],
      ['UNUSED_VARIABLE', rangeOf(text, 'client_unused')],
      ['unknown-function', rangeOf(text, 'undeclared_name')],
    ]);
  });

  it('moves the problems of a snippet whose lines moved (no stale ranges)', () => {
    summary(SERVER + CLIENT);
    const text = `${SERVER}\n\n${CLIENT}`;
    assert.deepEqual(checkDocument(text, 'gdscript').map((p) => p.range), [rangeOf(text, 'server_unused'), rangeOf(text, 'client_unused')]);
  });

  it('honours a @warning_ignore added above an unchanged line', () => {
    summary(SERVER + CLIENT);
    const text = SERVER.replace('\tvar server_unused', '\t@warning_ignore("unused_variable")\n\tvar server_unused') + CLIENT;
    assert.deepEqual(checkDocument(text, 'gdscript').map((p) => p.range), [rangeOf(text, 'client_unused')]);
  });

  it('names the snippet as renamed, though its code did not change', () => {
    const broken = SERVER.replace('\tserver.listen(4242)', '\tserver.listen(4242 +)');
    assert.deepEqual(checkDocument(broken + CLIENT, 'gdscript').filter((p) => p.code === 'syntax').map((p) => p.peer), ['server']);
    const renamed = broken.replace('# @dtls server', '# @dtls server name=lobby');
    const second = checkDocument(renamed + CLIENT, 'gdscript').filter((p) => p.code === 'syntax');
    assert.deepEqual(second.map((p) => p.peer), ['lobby']);
    assert.equal(documentAnalysis(renamed + CLIENT, 'gdscript').units[0].snippet?.name, 'lobby');
  });

  it('re-checks only the edited fence of a Markdown tutorial, with the same problems as a fresh check', () => {
    const fence = (n: number, body: string) => `Step ${n}:\n\n\`\`\`gdscript\nextends Node\nfunc step_${n}():\n${body}\n\`\`\`\n\n`;
    const markdown = (edited: string) => fence(1, '\tvar one_unused := 1') + fence(2, edited) + fence(3, '\tvar x = OS.get_ticks_msec()\n\tprint(x)');
    const first = documentAnalysis(markdown('\tvar two_unused := 2'), 'markdown');
    const text = markdown('\tvar renamed_unused := 2');
    const second = documentAnalysis(text, 'markdown');
    assert.equal(second.units[0].analysis, first.units[0].analysis);
    assert.notEqual(second.units[1].analysis, first.units[1].analysis);
    assert.equal(second.units[2].analysis, first.units[2].analysis);
    assert.deepEqual(checkDocument(text, 'markdown').map((p) => [p.code, p.range]), [
      ['UNUSED_VARIABLE', rangeOf(text, 'one_unused')],
      ['UNUSED_VARIABLE', rangeOf(text, 'renamed_unused')],
      ['godot3', rangeOf(text, 'OS.get_ticks_msec()')],
    ]);
  });

  it('reports the Godot 3 constructs of a piece at its current lines after the lines above it changed', () => {
    const piece = 'extends Node\nfunc _ready():\n\tprint(OS.get_ticks_msec())\n';
    const once = checkDocument(piece, 'gdscript').filter((p) => p.code === 'godot3');
    const moved = `# a comment\n${piece}`;
    const again = checkDocument(moved, 'gdscript').filter((p) => p.code === 'godot3');
    assert.equal(once.length, 1);
    assert.deepEqual(again.map((p) => p.range), [rangeOf(moved, 'OS.get_ticks_msec()')]);
    assert.deepEqual(again, findGodot3Constructs(moved));
  });
});

describe('parse cache', () => {
  it('parses a piece once per source and line offset, frozen, like parse(check: false)', () => {
    const source = 'extends Node\nfunc f():\n\treturn 1 +\n';
    const shared = parseShared(source, 3);
    assert.equal(parseShared(source, 3), shared);
    assert.notEqual(parseShared(source, 4), shared);
    assert.equal(parseShared(source, 4).errors[0].range.start.line, shared.errors[0].range.start.line + 1);
    assert.deepEqual(shared, parse(source, { lineOffset: 3, check: false }));
    assert.ok(Object.isFrozen(shared) && Object.isFrozen(shared.errors));
  });

  it('keeps a bounded number of trees', () => {
    const first = parseShared('var a0 := 0\n', 0);
    for (let i = 1; i <= 40; i++) parseShared(`var a${i} := ${i}\n`, 0);
    assert.notEqual(parseShared('var a0 := 0\n', 0), first, 'the oldest tree was dropped');
  });
});
