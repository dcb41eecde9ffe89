import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GdArray, GdDictionary, GdPackedByteArray, formatFloat, isFloat, isInt, makeDictionary, makeFloat, makeInt,
  stringify, type Value,
} from '../../engine/gdscript';
import { printed, runReady } from './gdscript-fake-host';


describe('GDScript values and operators', () => {
  it('keeps int and float apart', () => {
    assert.ok(isInt(makeInt(3)));
    assert.ok(!isFloat(makeInt(3)));
    assert.ok(isFloat(makeFloat(3)));
    assert.ok(!isInt(makeFloat(3)));
    assert.equal(makeInt(2.9), 2);
    assert.equal(makeInt(-2.9), -2);
  });

  it('does integer division, modulo and int/float promotion like Godot', () => {
    assert.equal(printed('7 / 2'), '3');
    assert.equal(printed('-7 / 2'), '-3');
    assert.equal(printed('7 % 3'), '1');
    assert.equal(printed('-7 % 3'), '-1');
    assert.equal(printed('7.0 / 2'), '3.5');
    assert.equal(printed('7 / 2.0'), '3.5');
    assert.equal(printed('1 + 1.0'), '2');
    assert.equal(printed('typeof(1 + 1.0) == TYPE_FLOAT'), 'true');
    assert.equal(printed('typeof(2 * 3) == TYPE_INT'), 'true');
    assert.equal(printed('2 ** 10'), '1024');
    assert.equal(printed('2 ** 0.5'), '1.4142135623731');
    assert.equal(printed('1 == 1.0'), 'true');
    assert.equal(printed('1 < 1.5'), 'true');
    assert.equal(printed('0.1 + 0.2'), '0.3');
    assert.equal(printed('1.0 / 3.0'), '0.33333333333333');
    assert.equal(printed('9223372036854775807 + 1'), '-9223372036854775808');
    assert.equal(printed('5 & 3 | 8'), '9');
    assert.equal(printed('1 << 40'), '1099511627776');
    assert.equal(printed('~5'), '-6');
    assert.equal(printed('-(3)'), '-3');
  });

  it('formats floats like Godot 4', () => {
    assert.equal(formatFloat(1), '1');
    assert.equal(formatFloat(0.5), '0.5');
    assert.equal(formatFloat(-2.25), '-2.25');
    assert.equal(formatFloat(1e20), '100000000000000000000');
    assert.equal(formatFloat(Infinity), 'inf');
    assert.equal(formatFloat(-Infinity), '-inf');
    assert.equal(formatFloat(NaN), 'nan');
    assert.equal(formatFloat(123.456), '123.456');
  });

  it('stringifies values like str()', () => {
    const bytes = new GdPackedByteArray([104, 101]);
    const dict = makeDictionary([['a', 1], [2, makeFloat(0.5)]]);
    const cases: [Value, string][] = [
      [2, '2'],
      [makeFloat(1), '1'],
      [makeFloat(0.5), '0.5'],
      [true, 'true'],
      [false, 'false'],
      [null, '<null>'],
      ['text', 'text'],
      [new GdArray([1, 'a', makeFloat(2.5), null, new GdArray([])]), '[1, "a", 2.5, <null>, []]'],
      [dict, '{ "a": 1, 2: 0.5 }'],
      [new GdDictionary(), '{  }'],
      [bytes, '[104, 101]'],
    ];
    for (const [v, s] of cases) assert.equal(stringify(v), s);
    assert.equal(printed('str(1, "a", 2.0, [1.5])'), '1a2[1.5]');
    assert.equal(printed('{"k": "v", 1: [true]}'), '{ "k": "v", 1: [true] }');
    assert.equal(printed('"hi".to_utf8_buffer()'), '[104, 105]');
  });

  it('compares and hashes dictionary keys with Godot equality', () => {
    const d = new GdDictionary();
    d.set(1, 'int');
    d.set(makeFloat(1), 'float');
    d.set('1', 'string');
    d.set(new GdArray([1, 2]), 'array');
    assert.equal(d.size, 4);
    assert.equal(d.get(1), 'int');
    assert.equal(d.get(makeFloat(1)), 'float');
    assert.equal(d.get(new GdArray([1, 2])), 'array');
    d.set(1, 'again');
    assert.deepEqual(d.keys().map((k) => stringify(k)), ['1', '1', '1', '[1, 2]']);
    assert.equal(d.get(1), 'again');
  });

  it('implements String, PackedByteArray, Array and Dictionary methods', () => {
    const { out, error } = runReady([
      'var s := "  Hello, World  "',
      'print(s.strip_edges().to_upper(), "|", s.length(), "|", s.strip_edges().substr(7), "|", s.strip_edges().substr(0, 5))',
      'print("a,b,,c".split(","), " ", "a,b,,c".split(",", false), " ", "abc".begins_with("ab"))',
      'var b := "hello".to_utf8_buffer()',
      'print(b.get_string_from_utf8(), " ", b.size(), " ", b.hex_encode(), " ", b.slice(1, 3), " ", b.is_empty())',
      'b.append(33)',
      'print(b.get_string_from_ascii(), " ", "é".to_utf8_buffer(), " ", PackedByteArray([1, 2]))',
      'var a := [3, 1, 2]',
      'a.append(4)',
      'a.push_back(5)',
      'a.erase(1)',
      'a.remove_at(0)',
      'print(a, " ", a.size(), " ", a.has(4), " ", a.front(), " ", a.back(), " ", a.pop_front(), " ", a)',
      'a.clear()',
      'print(a.is_empty(), " ", a.pop_front())',
      'var d := {"x": 1, "y": 2}',
      'print(d.get("x"), " ", d.get("z", 9), " ", d.has("y"), " ", d.keys(), " ", d.values(), " ", d.size())',
      'd.erase("x")',
      'print(d, " ", len(d), " ", len("héllo"), " ", len([1, 2]))',
      'print("%s has %d bytes (%.2f)" % ["msg", 5, 1.5], " ", "%05d" % 42)',
    ]);
    assert.equal(error, undefined);
    assert.deepEqual(out, [
      'HELLO, WORLD|16|World|Hello',
      '["a", "b", "", "c"] ["a", "b", "c"] true',
      'hello 5 68656c6c6f [101, 108] false',
      'hello! [195, 169] [1, 2]',
      '[4, 5] 3 true 2 5 2 [4, 5]', // print() stringifies after evaluating all arguments
      'true <null>',
      '1 9 true ["x", "y"] [1, 2] 2',
      '{ "y": 2 } 1 5 2',
      'msg has 5 bytes (1.50) 00042',
    ]);
  });

  it('raises Godot-worded operator errors', () => {
    assert.equal(printed('"a" + 1'), "ERROR: Invalid operands 'String' and 'int' in operator '+'.");
    assert.equal(printed('null + 1'), "ERROR: Invalid operands 'Nil' and 'int' in operator '+'.");
    assert.equal(printed('1 / 0'), "ERROR: Division by zero error in operator '/'.");
    assert.equal(printed('1 % 0'), "ERROR: Modulo by zero error in operator '%'.");
    assert.equal(printed('1 == "1"'), "ERROR: Invalid operands 'int' and 'String' in operator '=='.");
    assert.equal(printed('1.0 / 0'), 'inf');
    assert.equal(printed('[1, 2] == [1, 2]'), 'true');
    assert.equal(printed('null == null'), 'true');
    assert.equal(printed('2 in [1, 2]'), 'true');
    assert.equal(printed('"ell" in "hello"'), 'true');
    assert.equal(printed('"k" not in {"k": 1}'), 'false');
    assert.equal(printed('not []'), 'true');
  });
});
