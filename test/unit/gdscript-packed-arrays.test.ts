// PackedInt32Array, PackedInt64Array, PackedFloat32Array, PackedFloat64Array, PackedStringArray,
// PackedVector2Array, PackedVector3Array, PackedColorArray (and PackedVector4Array) in the GDScript
// interpreter: element conversion, methods, printing, reference semantics, conversions from/to
// Array and PackedByteArray, String.split(), and their binary encoding (var_to_bytes layout).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GdColor, GdPackedArray, GdVector, PACKED_COLOR, PACKED_FLOAT32, PACKED_FLOAT64, PACKED_INT32, PACKED_INT64, PACKED_STRING,
  PACKED_VECTOR2, PACKED_VECTOR3, VECTOR2, VECTOR3, makeFloat,
} from '../../engine/gdscript';
import { decodeVariant, encodeVariant } from '../../engine/godot/marshalling';
import { printed, runReady } from './gdscript-fake-host';
import { runScript } from './godot-helpers';


function encodedHex(v: Parameters<typeof encodeVariant>[0]): string {
  const r = encodeVariant(v);
  assert.ok(r.ok, JSON.stringify(r));
  return Buffer.from(r.bytes).toString('hex');
}

describe('GDScript packed arrays', () => {
  it('converts elements to the array type on construction', () => {
    assert.equal(printed('PackedInt32Array([1, 2.9, -3, 3000000000, true])'), '[1, 2, -3, -1294967296, 1]');
    assert.equal(printed('PackedInt64Array([1 << 40, 2.5])'), '[1099511627776, 2]');
    assert.equal(printed('PackedFloat32Array([0.1, 2])'), '[0.10000000149012, 2]');
    assert.equal(printed('PackedFloat64Array([0.1, 2])'), '[0.1, 2]');
    assert.equal(printed('PackedStringArray(["a", &"b"])'), '["a", "b"]');
    assert.equal(printed('PackedVector2Array([Vector2(1, 2), Vector2i(3, 4)])'), '[(1, 2), (3, 4)]');
    assert.equal(printed('PackedVector3Array([Vector3(1, 2, 3)])'), '[(1, 2, 3)]');
    assert.equal(printed('PackedColorArray([Color.RED])'), '[(1, 0, 0, 1)]');
    assert.equal(printed('PackedVector4Array([Vector4(1, 2, 3, 4)])'), '[(1, 2, 3, 4)]');
    assert.equal(printed('PackedInt32Array(PackedByteArray([7, 8]))'), '[7, 8]');
    assert.equal(printed('PackedFloat64Array(PackedInt32Array([1, 2]))'), '[1, 2]');
    assert.equal(printed('PackedInt32Array()'), '[]');
    assert.equal(printed('PackedStringArray([1])'), "ERROR: Invalid type in constructor of 'PackedStringArray'. Cannot convert element 0 from int to String.");
    assert.equal(printed('PackedInt32Array("12")'), "ERROR: Invalid type in constructor of 'PackedInt32Array'. Cannot convert argument 1 from String to PackedInt32Array.");
  });

  it('gives typeof() the Godot 4.3 numbers 29–38 and type_string() the names', () => {
    assert.equal(
      printed('[typeof(PackedByteArray()), typeof(PackedInt32Array()), typeof(PackedInt64Array()), typeof(PackedFloat32Array()), typeof(PackedFloat64Array()), typeof(PackedStringArray()), typeof(PackedVector2Array()), typeof(PackedVector3Array()), typeof(PackedColorArray()), typeof(PackedVector4Array())]'),
      '[29, 30, 31, 32, 33, 34, 35, 36, 37, 38]',
    );
    assert.equal(printed('type_string(typeof(PackedStringArray()))'), 'PackedStringArray');
    assert.equal(printed('[TYPE_PACKED_STRING_ARRAY, TYPE_PACKED_COLOR_ARRAY]'), '[34, 37]');
  });

  it('has the common methods', () => {
    const r = runReady([
      'var a = PackedInt32Array([3, 1, 2])',
      'a.append(9)',
      'a.push_back(4.7)',
      'a.append_array(PackedInt32Array([5]))',
      'a.append_array([6])',
      'print(a, " ", a.size(), " ", a.is_empty(), " ", len(a))',
      'a.sort()',
      'print(a, " ", a.find(9), " ", a.find(9, -2), " ", a.rfind(1), " ", a.has(2), " ", a.has(2.0), " ", a.count(3), " ", a.bsearch(4))',
      'print(a.slice(1, 3), " ", a.slice(-2), " ", a.insert(0, -1), " ", a.insert(99, 0))',
      'a.remove_at(1)',
      'a.remove_at(50)',
      'a.reverse()',
      'a.set(0, 100)',
      'print(a)',
      'a.resize(2)',
      'print(a, " ", a.resize(4), " ", a)',
      'a.fill(7)',
      'print(a)',
      'a.clear()',
      'print(a, " ", a.is_empty())',
    ]);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.out, [
      '[3, 1, 2, 9, 4, 5, 6] 7 false 7',
      '[1, 2, 3, 4, 5, 6, 9] 6 6 0 true true 1 3',
      '[2, 3] [6, 9] 0 31',
      '[100, 6, 5, 4, 3, 2, -1]',
      '[100, 6, 0, 0] 0 [100, 6, 0, 0]', // print() gets the same shared array twice
      '[7, 7, 7, 7]',
      '[] true',
    ]);
    assert.deepEqual(r.err, [
      'ERROR: Index p_index = 99 is out of bounds (size() = 9).',
      'ERROR: Index p_index = 50 is out of bounds (size() = 7).',
    ]);
  });

  it('sorts strings by code point, vectors and colors lexicographically', () => {
    const r = runReady([
      'var s = PackedStringArray(["b", "B", "a", "é"])',
      's.sort()',
      'var v = PackedVector2Array([Vector2(2, 0), Vector2(1, 5), Vector2(1, 2)])',
      'v.sort()',
      'print(s, " ", v, " ", v.find(Vector2(1, 5)), " ", Vector2(1, 2) in v)',
    ]);
    assert.deepEqual(r.out, ['["B", "a", "b", "é"] [(1, 2), (1, 5), (2, 0)] 1 true']);
  });

  it('refuses elements of another type with Godot 4 wording', () => {
    assert.equal(printed('PackedStringArray().append(5)'), "ERROR: Invalid type in function 'append' in base 'PackedStringArray'. Cannot convert argument 1 from int to String.");
    assert.equal(printed('PackedVector2Array().push_back(1)'), "ERROR: Invalid type in function 'push_back' in base 'PackedVector2Array'. Cannot convert argument 1 from int to Vector2.");
    assert.equal(printed('PackedInt32Array().has("a")'), "ERROR: Invalid type in function 'has' in base 'PackedInt32Array'. Cannot convert argument 1 from String to int.");
    const r = runReady(['var a = PackedInt32Array([1])', 'a[0] = "x"']);
    assert.equal(r.error, "Invalid assignment of index '0' (on base: 'PackedInt32Array') with value of type 'String'.");
    assert.equal(printed('PackedInt32Array([1])[1]'), "ERROR: Out of bounds get index '1' (on base: 'PackedInt32Array')");
    assert.equal(printed('PackedInt32Array([1]).nope()'), "ERROR: Invalid call. Nonexistent function 'nope' in base 'PackedInt32Array'.");
    assert.equal(printed('PackedInt32Array([1]) + PackedInt64Array([1])'), "ERROR: Invalid operands 'PackedInt32Array' and 'PackedInt64Array' in operator '+'.");
    assert.equal(printed('PackedInt32Array([1]) == [1]'), "ERROR: Invalid operands 'PackedInt32Array' and 'Array' in operator '=='.");
  });

  it('indexes, iterates, concatenates and compares', () => {
    const r = runReady([
      'var a = PackedFloat32Array([1.5, 2.5])',
      'a[1] = 4',
      'a[-1] += 1',
      'var total = 0.0',
      'for x in a:',
      '\ttotal += x',
      'print(a, " ", a[0], " ", total, " ", a + PackedFloat32Array([9]), " ", a == PackedFloat32Array([1.5, 5]), " ", a != PackedFloat32Array([1.5]))',
      'print(bool(PackedStringArray()), " ", bool(PackedStringArray([""])), " ", 5.0 in a, " ", 9.0 not in a)',
    ]);
    assert.deepEqual(r.out, ['[1.5, 5] 1.5 6.5 [1.5, 5, 9] true true', 'false true true true']);
  });

  it('is shared on assignment, like Godot 4 (duplicate() copies)', () => {
    const r = runReady([
      'var a = PackedStringArray(["x"])',
      'var b = a',
      'b.append("y")',
      'var c = a.duplicate()',
      'c.append("z")',
      'var holder = [a]',
      'holder[0].append("w")',
      'print(a, " ", c)',
    ]);
    assert.deepEqual(r.out, ['["x", "y", "w"] ["x", "y", "z"]']);
  });

  it('converts to and from Array, typed variables and PackedByteArray', () => {
    const r = runReady([
      'var a = Array(PackedInt32Array([1, 2]))',
      'a.append("x")',
      'var p: PackedStringArray = ["a", "b"]',
      'var q: PackedVector2Array',
      'q.append(Vector2(1, 1))',
      'print(a, " ", typeof(a), " ", p, " ", typeof(p), " ", q, " ", p is PackedStringArray)',
      'print(PackedInt32Array([1, -1]).to_byte_array(), " ", PackedFloat32Array([1.5]).to_byte_array(), " ", PackedStringArray(["hi", "é"]).to_byte_array())',
      'var bytes = PackedByteArray([1, 0, 0, 0, 255, 255, 255, 255, 9])',
      'print(bytes.to_int32_array(), " ", bytes.to_int64_array(), " ", PackedByteArray([0, 0, 192, 63]).to_float32_array(), " ", PackedFloat64Array([0.1]).to_byte_array().to_float64_array())',
    ]);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.out, [
      '[1, 2, "x"] 28 ["a", "b"] 34 [(1, 1)] true',
      '[1, 0, 0, 0, 255, 255, 255, 255] [0, 0, 192, 63] [104, 105, 0, 195, 169, 0]',
      '[1, -1] [-4294967295] [1.5] [0.1]',
    ]);
    const bad = runReady(['var p: PackedStringArray = [1]']);
    assert.equal(bad.error, "Trying to assign value of type 'Array' to a variable of type 'PackedStringArray'.");
  });

  it('String.split()/rsplit() give a PackedStringArray, split_floats() a PackedFloat64Array, join() takes one', () => {
    assert.equal(printed('"a,b,,c".split(",")'), '["a", "b", "", "c"]');
    assert.equal(printed('typeof("a b".split(" "))'), '34');
    assert.equal(printed('"a,b,c".rsplit(",", true, 1)'), '["a,b", "c"]');
    assert.equal(printed('"1.5,2,x".split_floats(",")'), '[1.5, 2, 0]');
    assert.equal(printed('typeof("1,2".split_floats(","))'), '33');
    assert.equal(printed('"-".join("a b c".split(" "))'), 'a-b-c');
    assert.equal(printed('"-".join(["a", 1])'), 'a-1');
    assert.equal(printed('"a b".split(" ")[1]'), 'b');
  });

  it('writes var_to_str() text like VariantWriter', () => {
    assert.equal(printed('var_to_str(PackedInt32Array([1, -2]))'), 'PackedInt32Array(1, -2)');
    assert.equal(printed('var_to_str(PackedStringArray(["a", "b\\"c"]))'), 'PackedStringArray("a", "b\\"c")');
    assert.equal(printed('var_to_str(PackedVector2Array([Vector2(1, 2), Vector2(3.5, 4)]))'), 'PackedVector2Array(1, 2, 3.5, 4)');
    assert.equal(printed('var_to_str(PackedFloat64Array([0.5, 3]))'), 'PackedFloat64Array(0.5, 3)');
    assert.equal(printed('var_to_str(PackedColorArray([Color.RED]))'), 'PackedColorArray(1, 0, 0, 1)');
  });

  it('reads var_to_str() text back with str_to_var()', () => {
    const r = runReady([
      'for v in [PackedInt32Array([1, -2]), PackedInt64Array([1 << 40]), PackedFloat32Array([0.5]), PackedFloat64Array([0.25, 3]), PackedStringArray(["a", "b\\"c", ""]), PackedVector2Array([Vector2(1, 2), Vector2(3, 4)]), PackedVector3Array([Vector3(1, 2, 3)]), PackedColorArray([Color.RED])]:',
      '	var back = str_to_var(var_to_str(v))',
      '	print(back, " ", typeof(back) == typeof(v), " ", back == v)',
      'print(str_to_var("PackedVector2Array(1, 2, 3)"), " ", str_to_var("PackedStringArray(1)"))',
    ]);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.out, [
      '[1, -2] true true',
      '[1099511627776] true true',
      '[0.5] true true',
      '[0.25, 3] true true',
      '["a", "b\\"c", ""] true true',
      '[(1, 2), (3, 4)] true true',
      '[(1, 2, 3)] true true',
      '[(1, 0, 0, 1)] true true',
      '<null> <null>',
    ]);
  });
});

describe('var_to_bytes of packed arrays (Godot 4 layout)', () => {
  it('encodes a count, then the elements (strings NUL-terminated and padded)', () => {
    // The element bytes after the 4-byte header are what Godot 3.2.3 gives for the Pool*Array of the same
    // elements (PoolStringArray, PoolIntArray, PoolRealArray, PoolVector2Array, PoolColorArray; test/interop).
    assert.equal(encodedHex(new GdPackedArray(PACKED_STRING, ['a', 'bcd', 'héllo'])), '2200000003000000020000006100000004000000626364000700000068c3a96c6c6f0000');
    assert.equal(encodedHex(new GdPackedArray(PACKED_INT32, [1, -2, 2147483647])), '1e0000000300000001000000feffffffffffff7f');
    assert.equal(encodedHex(new GdPackedArray(PACKED_FLOAT32, [makeFloat(1.5), makeFloat(Math.fround(0.1))])), '20000000020000000000c03fcdcccc3d');
    assert.equal(encodedHex(new GdPackedArray(PACKED_VECTOR2, [new GdVector(VECTOR2, [1, 2]), new GdVector(VECTOR2, [-0.5, 3])])), '23000000020000000000803f00000040000000bf00004040');
    assert.equal(encodedHex(new GdPackedArray(PACKED_COLOR, [new GdColor(0.1, 0.2, 0.3, 0.4)])), '2500000001000000cdcccc3dcdcc4c3e9a99993ecdcccc3e');
    assert.equal(encodedHex(new GdPackedArray(PACKED_INT64, [-2])), '1f00000001000000feffffffffffffff');
    assert.equal(encodedHex(new GdPackedArray(PACKED_FLOAT64, [makeFloat(0.5)])), '2100000001000000000000000000e03f');
    assert.equal(encodedHex(new GdPackedArray(PACKED_STRING, [])), '2200000000000000');
  });

  it('decodes what it encodes, and refuses truncated data', () => {
    const values = [
      new GdPackedArray(PACKED_STRING, ['', 'abc', 'héllo wörld']),
      new GdPackedArray(PACKED_INT64, [2 ** 40, -1]),
      new GdPackedArray(PACKED_FLOAT64, [makeFloat(0.1)]),
      new GdPackedArray(PACKED_VECTOR3, [new GdVector(VECTOR3, [1, 2, 3])]),
      new GdPackedArray(PACKED_COLOR, [new GdColor(1, 0, 0, 1), new GdColor(0, 0, 0, 0)]),
    ];
    for (const v of values) {
      const enc = encodeVariant(v);
      assert.ok(enc.ok);
      const back = decodeVariant(enc.bytes);
      assert.ok(back.ok, JSON.stringify(back));
      assert.equal(back.length, enc.bytes.length);
      assert.ok(v.sameAs(back.value), `${v.typeName} did not survive`);
      const cut = decodeVariant(enc.bytes.subarray(0, enc.bytes.length - 1));
      assert.equal(cut.ok, false, `${v.typeName} cut short decoded anyway`);
    }
    const truncated = decodeVariant(Buffer.from('1e0000000300000001000000', 'hex'));
    assert.equal(truncated.ok, false);
  });

  it('round-trips through var_to_bytes()/bytes_to_var() and put_var-style nesting in a script', async () => {
    const o = await runScript(`
extends Node
func _ready():
  var msg = {"names": "a,b".split(","), "path": PackedVector2Array([Vector2(1, 2)]), "ids": PackedInt32Array([7])}
  var back = bytes_to_var(var_to_bytes(msg))
  print(back)
  print(typeof(back["names"]), " ", back == msg)
`);
    assert.deepEqual(o.failures, []);
    assert.deepEqual(o.prints, ['{ "names": ["a", "b"], "path": [(1, 2)], "ids": [7] }', '34 true']);
  });
});
