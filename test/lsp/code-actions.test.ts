// server/code-actions.ts on its own: which actions a document's problems give for a range and a kind
// filter. (lsp-editing.test.ts: the same through a real client, with the problems the engine finds.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkDocument } from '../../engine/sandbox/check';
import type { Problem, QuickFix } from '../../engine/sandbox/report';
import { codeActions } from '../../server/code-actions';
import { applyEdits } from './lsp-client';

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });
const fix = (title: string, line: number, from: number, to: number, newText: string, safe = true): QuickFix => ({ title, safe, edits: [{ range: range(line, from, to), newText }] });
const problem = (code: string, line: number, from: number, to: number, fixes: QuickFix[]): Problem => ({ severity: 'warning', code, message: code, range: range(line, from, to), fixes });

const TEXT = ['extends Node', 'var a = 1', 'var b = 2', 'var c = to_json(d)'].join('\n');
const document = TextDocument.create('file:///a.gd', 'gdscript', 1, TEXT);
const problems: Problem[] = [
  problem('godot3', 3, 8, 15, [fix('Use JSON.stringify (check the result)', 3, 8, 15, 'JSON.stringify', false)]),
  problem('unused-variable', 3, 4, 5, [fix('Prefix with _', 3, 4, 4, '_'), fix('Remove the variable', 3, 0, 18, '', false)]),
  problem('unused-variable', 1, 4, 5, [fix('Prefix with _', 1, 4, 4, '_')]),
];
const whole = { start: { line: 0, character: 0 }, end: { line: 3, character: 99 } };

test('a quick fix per fix of each problem the range touches; the first safe fix is preferred', () => {
  const actions = codeActions(document, problems, { range: range(3, 5, 9), context: { diagnostics: [] } });
  assert.deepEqual(actions.map((a) => [a.kind, a.title, a.isPreferred, a.diagnostics?.[0].code]), [
    ['quickfix', 'Use JSON.stringify (check the result)', false, 'godot3'],
    ['quickfix', 'Prefix with _', true, 'unused-variable'],
    ['quickfix', 'Remove the variable', false, 'unused-variable'],
  ]);
  const prefix = actions.find((a) => a.title === 'Prefix with _');
  assert.equal(applyEdits(TEXT, prefix?.edit?.changes?.['file:///a.gd'] ?? []).split('\n')[3], 'var _c = to_json(d)');
  assert.deepEqual(codeActions(document, problems, { range: range(2, 0, 3), context: { diagnostics: [] } }), [], 'nothing on line 3');
});

test('the client\'s `only` filter: source.fixAll gives no quick fixes, quickfix no fix-all', () => {
  const quick = codeActions(document, problems, { range: whole, context: { diagnostics: [], only: ['quickfix'] } });
  assert.deepEqual(quick.map((a) => a.kind), ['quickfix', 'quickfix', 'quickfix', 'quickfix']);
  // The problems above are made up: the fix-all finds none of its own in this text's real problems.
  assert.deepEqual(codeActions(document, problems, { range: whole, context: { diagnostics: [], only: ['source.fixAll'] } }), []);
});

test('"Fix all Godot 3 → 4" rewrites every Godot 3 construct of a document, as one edit', () => {
  const godot3 = [
    '# @dtls server',
    'extends Node',
    'onready var label = null',
    'var dtls_server := DTLSServer.new()',
    'func _ready():',
    '\tvar crypto := Crypto.new()',
    '\tvar key := crypto.generate_rsa(2048)',
    '\tvar cert := crypto.generate_self_signed_certificate(key, "CN=localhost")',
    '\tdtls_server.setup(key, cert)',
    '\tprint(to_json({"a": 1}))',
  ].join('\n');
  const doc = TextDocument.create('file:///g3.gd', 'gdscript', 1, godot3);
  const found = checkDocument(godot3, 'gdscript');
  assert.ok(found.filter((p) => p.code === 'godot3').length >= 3, JSON.stringify(found));
  const actions = codeActions(doc, found, { range: range(0, 0, 0), context: { diagnostics: [], only: ['source'] } });
  assert.deepEqual(actions.map((a) => [a.kind, a.title]), [['source.fixAll', 'Fix all Godot 3 → 4 in file']]);
  const edits = actions[0].edit?.changes?.['file:///g3.gd'] ?? [];
  assert.equal(edits.length, 1);
  assert.ok(edits[0].range.start.line >= 2, 'the edit starts at the first change, not at the top');
  const fixed = applyEdits(godot3, edits);
  assert.match(fixed, /^@onready var label = null$/m);
  assert.match(fixed, /dtls_server\.setup\(TLSOptions\.server\(key, cert\)\)/);
  assert.match(fixed, /JSON\.stringify\(/);
  assert.deepEqual(checkDocument(fixed, 'gdscript').filter((p) => p.code === 'godot3'), []);
  assert.deepEqual(codeActions(TextDocument.create('file:///g3.gd', 'gdscript', 2, fixed), checkDocument(fixed, 'gdscript'),
    { range: whole, context: { diagnostics: [], only: ['source.fixAll'] } }), [], 'nothing left to fix');
});
