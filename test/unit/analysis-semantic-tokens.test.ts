// semanticTokens(): what each word of a GDScript text is, from the lexer and the analysis — keywords,
// declarations, Godot classes and constants (defaultLibrary), literals, comments, annotations, Godot 3
// spellings (deprecated) — in .gd files, in Markdown fences only, and for a range of lines.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { semanticTokens, type SemanticToken } from '../../engine/analysis/semantic-tokens';

const SCRIPT = [
  'extends Node', // 0
  '# connects to the server', // 1
  'const PORT := 4433', // 2
  '@export var host: String = "127.0.0.1"', // 3
  'var peer := PacketPeerDTLS.new()', // 4
  '', // 5
  'func send(text: String) -> void:', // 6
  '\tif peer.get_status() == PacketPeerDTLS.STATUS_CONNECTED:', // 7
  '\t\tvar err := peer.put_packet(text.to_utf8_buffer())  # bytes', // 8
  '\t\tif err == OK:', // 9
  '\t\t\tprint(PORT + 1.5, "#not a comment")', // 10
  '\tsend(text)', // 11
].join('\n');

/** The token at line:character, as "text type mod1,mod2" (text read from `text`). */
function at(tokens: SemanticToken[], text: string, line: number, character: number): string | undefined {
  const t = tokens.find((x) => x.line === line && x.character === character);
  if (!t) return undefined;
  return `${text.split('\n')[line].slice(t.character, t.character + t.length)} ${t.type} ${[...t.modifiers].sort().join(',')}`.trimEnd();
}

/** The token that starts at the `nth` (from 0) occurrence of `word` on line `n`. */
function word(tokens: SemanticToken[], text: string, n: number, w: string, nth = 0): string | undefined {
  const source = text.split('\n')[n];
  let index = source.indexOf(w);
  for (let k = 0; k < nth; k++) index = source.indexOf(w, index + 1);
  assert.ok(index >= 0, `"${w}" is not on line ${n}`);
  return at(tokens, text, n, index);
}

/** The tokens of one line, as at() gives them, in order. */
function line(tokens: SemanticToken[], text: string, n: number): string[] {
  return tokens.filter((t) => t.line === n).map((t) => at(tokens, text, n, t.character)!);
}

describe('semanticTokens', () => {
  const tokens = semanticTokens(SCRIPT, 'gdscript');

  it('keywords, declarations, parameters, types and Godot classes', () => {
    assert.deepEqual(line(tokens, SCRIPT, 0), ['extends keyword', 'Node class defaultLibrary']);
    assert.deepEqual(line(tokens, SCRIPT, 6), [
      'func keyword', 'send function declaration', 'text parameter declaration', 'String type defaultLibrary', 'void keyword',
    ]);
    assert.deepEqual(line(tokens, SCRIPT, 4), ['var keyword', 'peer property declaration', ':= operator', 'PacketPeerDTLS class defaultLibrary', 'new method defaultLibrary']);
    assert.equal(word(tokens, SCRIPT, 11, 'send'), 'send function');
    assert.equal(word(tokens, SCRIPT, 11, 'text'), 'text parameter');
  });

  it('Godot API members: methods, enum members and global constants', () => {
    assert.deepEqual(line(tokens, SCRIPT, 7), [
      'if keyword', 'peer property', 'get_status method defaultLibrary', '== operator',
      'PacketPeerDTLS class defaultLibrary', 'STATUS_CONNECTED enumMember defaultLibrary,readonly',
    ]);
    assert.equal(word(tokens, SCRIPT, 9, 'OK'), 'OK enumMember defaultLibrary,readonly');
    assert.equal(word(tokens, SCRIPT, 8, 'text'), 'text parameter');
    assert.equal(word(tokens, SCRIPT, 8, 'to_utf8_buffer'), 'to_utf8_buffer method defaultLibrary');
    assert.equal(word(tokens, SCRIPT, 10, 'print'), 'print function defaultLibrary');
  });

  it('constants, literals, comments and annotations', () => {
    assert.deepEqual(line(tokens, SCRIPT, 2), ['const keyword', 'PORT variable declaration,readonly,static', ':= operator', '4433 number']);
    assert.deepEqual(line(tokens, SCRIPT, 3), [
      '@export decorator', 'var keyword', 'host property declaration', 'String type defaultLibrary', '= operator', '"127.0.0.1" string',
    ]);
    assert.deepEqual(line(tokens, SCRIPT, 1), ['# connects to the server comment']);
    assert.equal(word(tokens, SCRIPT, 8, '#'), '# bytes comment');
    // A `#` inside a string is not a comment.
    assert.deepEqual(line(tokens, SCRIPT, 10), [
      'print function defaultLibrary', 'PORT variable readonly,static', '+ operator', '1.5 number', '"#not a comment" string',
    ]);
  });

  it('members of a value of unknown type: method when called, else property, without defaultLibrary', () => {
    const text = 'func f(session):\n\tsession.poll()\n\tprint(session.id)\n';
    const t = semanticTokens(text, 'gdscript');
    assert.equal(word(t, text, 1, 'poll'), 'poll method');
    assert.equal(word(t, text, 2, 'id'), 'id property');
    assert.equal(word(t, text, 2, 'session'), 'session parameter');
  });

  it('tokens are in document order and never overlap', () => {
    for (let i = 1; i < tokens.length; i++) {
      const [a, b] = [tokens[i - 1], tokens[i]];
      assert.ok(a.line < b.line || (a.line === b.line && a.character + a.length <= b.character), `token ${i} overlaps or precedes the one before it`);
    }
  });

  it('Godot 3 spellings are deprecated: yield, PoolByteArray, onready, OS.get_ticks_msec', () => {
    const old = [
      'extends Node', // 0
      'onready var data: PoolByteArray = PoolByteArray()', // 1
      'func _ready():', // 2
      '\tyield(get_tree(), "idle_frame")', // 3
      '\tprint(OS.get_ticks_msec())', // 4
      '\tvar udp := PacketPeerUDP.new()', // 5
      '\tudp.listen(4242)', // 6
    ].join('\n');
    const t = semanticTokens(old, 'gdscript');
    assert.equal(word(t, old, 1, 'onready'), 'onready keyword deprecated');
    assert.equal(word(t, old, 1, 'PoolByteArray'), 'PoolByteArray class deprecated');
    assert.equal(word(t, old, 1, 'PoolByteArray', 1), 'PoolByteArray class deprecated');
    assert.equal(word(t, old, 3, 'yield'), 'yield keyword deprecated');
    assert.equal(word(t, old, 4, 'OS'), 'OS class defaultLibrary');
    assert.equal(word(t, old, 4, 'get_ticks_msec'), 'get_ticks_msec method defaultLibrary,deprecated,static');
    assert.equal(word(t, old, 6, 'listen'), 'listen method defaultLibrary,deprecated');
  });

  it('a multi-line string is one token per line', () => {
    const text = 'var s = """one\ntwo"""\n';
    const t = semanticTokens(text, 'gdscript').filter((x) => x.type === 'string');
    assert.deepEqual(t.map((x) => [x.line, x.character, x.length]), [[0, 8, 6], [1, 0, 6]]);
  });

  it('Markdown: only the ```gdscript fences, annotated or not', () => {
    const md = [
      '# Title with func and "quotes"', // 0
      '```gdscript', // 1
      'var peer := PacketPeerDTLS.new()', // 2
      '```', // 3
      'Some text: var x = 1', // 4
      '```gdscript', // 5
      '# @dtls server', // 6
      'extends Node', // 7
      '```', // 8
    ].join('\n');
    const t = semanticTokens(md, 'markdown');
    assert.deepEqual([...new Set(t.map((x) => x.line))], [2, 6, 7]);
    assert.equal(word(t, md, 2, 'PacketPeerDTLS'), 'PacketPeerDTLS class defaultLibrary');
    assert.equal(at(t, md, 6, 0), '# @dtls server comment');
  });

  it('a range of lines gives the same tokens as the whole document on those lines', () => {
    const part = semanticTokens(SCRIPT, 'gdscript', { start: 7, end: 9 });
    assert.deepEqual(part, tokens.filter((x) => x.line >= 7 && x.line <= 9));
    assert.ok(part.length > 10);
  });
});
