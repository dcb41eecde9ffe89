import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenize, type Token } from '../../engine/gdscript';

function kinds(tokens: Token[]): string[] {
  return tokens.map((t) => (t.kind === 'operator' || t.kind === 'keyword' || t.kind === 'identifier' ? t.text : t.kind.toUpperCase()));
}

describe('GDScript lexer', () => {
  it('produces INDENT/DEDENT/NEWLINE for tab-indented blocks and skips comments and blank lines', () => {
    const src = '# @dtls server\nextends Node\n\nfunc f():\n\tif a:\n\t\tpass\n\n\t# comment\n\treturn 1\n';
    const { tokens, errors } = tokenize(src);
    assert.deepEqual(errors, []);
    assert.deepEqual(kinds(tokens), [
      'extends', 'Node', 'NEWLINE',
      'func', 'f', '(', ')', ':', 'NEWLINE',
      'INDENT', 'if', 'a', ':', 'NEWLINE',
      'INDENT', 'pass', 'NEWLINE',
      'DEDENT', 'return', 'INT', 'NEWLINE',
      'DEDENT', 'EOF',
    ]);
  });

  it('handles Windows line endings like Unix ones', () => {
    const unix = 'func f():\n\tif a:\n\t\tpass\n\n\treturn "x"\n';
    const windows = tokenize(unix.replace(/\n/g, '\r\n'));
    assert.deepEqual(windows.errors, []);
    assert.deepEqual(kinds(windows.tokens), kinds(tokenize(unix).tokens));
    assert.equal(windows.tokens.find((t) => t.kind === 'string')?.value, 'x');
  });

  it('accepts space indentation and closes all blocks at end of file', () => {
    const { tokens, errors } = tokenize('func f():\n    while x:\n        x -= 1');
    assert.deepEqual(errors, []);
    assert.deepEqual(kinds(tokens).slice(-6), ['-=', 'INT', 'NEWLINE', 'DEDENT', 'DEDENT', 'EOF']);
  });

  it('reports mixing tabs and spaces', () => {
    const { errors } = tokenize('func f():\n\tpass\nfunc g():\n    pass\n');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].message, 'Used space character for indentation instead of tab as used before in the file.');
    assert.deepEqual(errors[0].range.start, { line: 3, character: 0 });
    const mixed = tokenize('func f():\n\t  pass\n').errors;
    assert.equal(mixed[0].message, 'Mixed use of tabs and spaces for indentation.');
  });

  it('reports an unindent that matches no outer level', () => {
    const { errors } = tokenize('func f():\n        a\n    b\n');
    assert.equal(errors[0].message, "Unindent doesn't match the previous indentation level.");
  });

  it('joins lines inside brackets and after a backslash', () => {
    const { tokens, errors } = tokenize('var a = [1,\n\t2,\n]\nvar b = 1 + \\\n  2\n');
    assert.deepEqual(errors, []);
    assert.deepEqual(kinds(tokens), [
      'var', 'a', '=', '[', 'INT', ',', 'INT', ',', ']', 'NEWLINE',
      'var', 'b', '=', 'INT', '+', 'INT', 'NEWLINE', 'EOF',
    ]);
  });

  it('reads ints, floats, hex, binary and underscores', () => {
    const { tokens } = tokenize('1_000 0xFF 0b101 1.5 .5 2e3 1.5e-2 7.');
    assert.deepEqual(
      tokens.filter((t) => t.kind === 'int' || t.kind === 'float').map((t) => [t.kind, t.value]),
      [['int', 1000], ['int', 255], ['int', 5], ['float', 1.5], ['float', 0.5], ['float', 2000], ['float', 0.015], ['float', 7]],
    );
  });

  it('reads ints exactly on both sides of the short-literal fast path, wrapping past 64 bits', () => {
    const { tokens } = tokenize(
      '999999999999999 9999999999999999 9007199254740993 0xFFFFFFFFFFFFF 0x7FFFFFFFFFFFFFFF 0xFFFFFFFFFFFFFFFF 9223372036854775808 0b' +
        '1'.repeat(53),
    );
    assert.deepEqual(
      tokens.filter((t) => t.kind === 'int').map((t) => t.value),
      [999999999999999, 9999999999999999n, 9007199254740993n, 4503599627370495, 9223372036854775807n, -1, -9223372036854775808n, 9007199254740991],
    );
  });

  it('reads plain strings in one slice and falls back to the full scan for escapes, line breaks and non-ASCII names', () => {
    const { tokens, errors } = tokenize('"plain" "tab\\there" \'it"s\' "" héllo_wörld2 x9_ "cut\n');
    assert.deepEqual(tokens.slice(0, 7).map((t) => [t.kind, t.value ?? t.text]), [
      ['string', 'plain'], ['string', 'tab\there'], ['string', 'it"s'], ['string', ''], ['identifier', 'héllo_wörld2'], ['identifier', 'x9_'],
      ['string', 'cut'],
    ]);
    assert.deepEqual(errors.map((e) => e.message), ['Unterminated string.']);
  });

  it('decodes string escapes, triple-quoted strings, StringName and NodePath literals', () => {
    const { tokens, errors } = tokenize('"a\\n\\t\\"b\\\\" \'q\' "\\u00e9" &"name" ^"path/to" """x\ny"""');
    assert.deepEqual(errors, []);
    assert.deepEqual(tokens.slice(0, 6).map((t) => [t.kind, t.value]), [
      ['string', 'a\n\t"b\\'], ['string', 'q'], ['string', 'é'], ['string_name', 'name'], ['node_path', 'path/to'], ['string', 'x\ny'],
    ]);
    assert.deepEqual(tokens[5].range, { start: { line: 0, character: 45 }, end: { line: 1, character: 4 } });
  });

  it('reports unterminated strings and bad escapes', () => {
    assert.equal(tokenize('var s = "abc\n').errors[0].message, 'Unterminated string.');
    assert.equal(tokenize('var s = "a\\qb"').errors[0].message, 'Invalid escape in string.');
  });

  it('reads operators greedily, keywords and annotations', () => {
    const { tokens } = tokenize('@export var x := a ** b -> c != d <= e >= f == g && h || !i and j or not k in l is m as n .. o <<= 1 **= 2');
    assert.deepEqual(
      tokens.filter((t) => t.kind === 'operator' || t.kind === 'keyword' || t.kind === 'annotation').map((t) => t.text),
      ['@export', 'var', ':=', '**', '->', '!=', '<=', '>=', '==', '&&', '||', '!', 'and', 'or', 'not', 'in', 'is', 'as', '..', '<<=', '**='],
    );
  });

  it('shifts ranges by lineOffset and uses zero-based characters', () => {
    const { tokens } = tokenize('extends Node\n\tprint("x")', 10);
    const print = tokens.find((t) => t.text === 'print');
    assert.deepEqual(print?.range, { start: { line: 11, character: 1 }, end: { line: 11, character: 6 } });
  });

  it('reports invalid characters without throwing', () => {
    const { errors } = tokenize('var a = 1 ` 2');
    assert.equal(errors[0].message, 'Invalid character "`" (U+0060).');
  });
});
