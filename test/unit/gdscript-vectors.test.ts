// Vector2/2i/3/3i/4/4i, Color and Rect2/Rect2i in the GDScript interpreter: constructors, constants,
// members, indexing, operators, methods, printing (Godot 4.3's formats), value semantics, static
// types, dictionary keys, var_to_str, and their binary encoding (var_to_bytes) byte for byte.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GdColor, GdRect, GdVector, RECT2, VECTOR2, VECTOR2I, VECTOR3,
} from '../../engine/gdscript';
import { decodeVariant, encodeVariant } from '../../engine/godot/marshalling';
import { printed, runReady } from './gdscript-fake-host';
import { runScript } from './godot-helpers';


function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
function encodedHex(v: Parameters<typeof encodeVariant>[0]): string {
  const r = encodeVariant(v);
  assert.ok(r.ok, JSON.stringify(r));
  return hex(r.bytes);
}

describe('GDScript vectors', () => {
  it('constructs every overload and prints like Godot 4.3', () => {
    assert.equal(printed('Vector2()'), '(0, 0)');
    assert.equal(printed('Vector2(1.5, 2)'), '(1.5, 2)');
    assert.equal(printed('Vector2(Vector2i(3, 4))'), '(3, 4)');
    assert.equal(printed('Vector2i(Vector2(1.9, -1.9))'), '(1, -1)');
    assert.equal(printed('Vector2i(3, 4)'), '(3, 4)');
    assert.equal(printed('Vector3(1, 2.25, -3)'), '(1, 2.25, -3)');
    assert.equal(printed('Vector3i(1, 2, 3)'), '(1, 2, 3)');
    assert.equal(printed('Vector4(1, 2, 3, 4.5)'), '(1, 2, 3, 4.5)');
    assert.equal(printed('Vector4i(1, 2, 3, 4)'), '(1, 2, 3, 4)');
    assert.equal(printed('[Vector2(1, 2), Vector2i(3, 4)]'), '[(1, 2), (3, 4)]');
    assert.equal(printed('{"at": Vector3(0, 1, 0)}'), '{ "at": (0, 1, 0) }');
    assert.equal(printed('"p=" + str(Vector2(1, 2))'), 'p=(1, 2)');
    assert.equal(printed('"%s" % Vector2(1, 2)'), '(1, 2)');
  });

  it('keeps float components as 32-bit floats (real_t) and prints them with num_real', () => {
    assert.equal(printed('Vector2(0.1, 0.2)'), '(0.1, 0.2)');
    assert.equal(printed('Vector2(0.1, 0).x'), '0.10000000149012');
    assert.equal(printed('Vector2(1234.5678, 0)'), '(1234.568, 0)');
    assert.equal(printed('Vector2(1.0 / 3.0, 0)'), '(0.333333, 0)');
    assert.equal(printed('Vector2(INF, -INF)'), '(inf, -inf)');
    assert.equal(printed('Vector2i(2147483647, 0) + Vector2i(1, 0)'), '(-2147483648, 0)');
    assert.equal(printed('Vector2i(3000000000, 0)'), '(-1294967296, 0)');
  });

  it('refuses constructor arguments that match no overload', () => {
    assert.equal(printed('Vector2("a", 1)'), 'ERROR: No constructor of "Vector2" matches the signature "Vector2(String, int)".');
    assert.equal(printed('Vector3(1, 2)'), 'ERROR: No constructor of "Vector3" matches the signature "Vector3(int, int)".');
    assert.equal(printed('Vector2(Vector3())'), 'ERROR: No constructor of "Vector2" matches the signature "Vector2(Vector3)".');
  });

  it('has the named constants', () => {
    assert.equal(printed('[Vector2.ZERO, Vector2.ONE, Vector2.UP, Vector2.DOWN, Vector2.LEFT, Vector2.RIGHT]'), '[(0, 0), (1, 1), (0, -1), (0, 1), (-1, 0), (1, 0)]');
    assert.equal(printed('[Vector3.FORWARD, Vector3.BACK, Vector3.UP, Vector3.MODEL_FRONT]'), '[(0, 0, -1), (0, 0, 1), (0, 1, 0), (0, 0, 1)]');
    assert.equal(printed('Vector2.INF'), '(inf, inf)');
    assert.equal(printed('[Vector2i.MAX, Vector3i.ZERO, Vector2.AXIS_Y]'), '[(2147483647, 2147483647), (0, 0, 0), 1]');
    assert.equal(printed('Vector2.NOPE'), 'ERROR: Cannot find member "NOPE" in base "Vector2".');
  });

  it('reads and writes components by name and index', () => {
    assert.equal(printed('Vector3(1, 2, 3).z'), '3');
    assert.equal(printed('Vector2i(5, 6).y'), '6');
    assert.equal(printed('typeof(Vector2i(5, 6).y)'), '2');
    assert.equal(printed('typeof(Vector2(5, 6).y)'), '3');
    assert.equal(printed('Vector2(5, 6)[1]'), '6');
    assert.equal(printed('Vector2(5, 6)[-1]'), '6');
    assert.equal(printed('Vector2(5, 6)["x"]'), '5');
    assert.equal(printed('Vector2(5, 6)[2]'), "ERROR: Out of bounds get index '2' (on base: 'Vector2')");
    assert.equal(printed('Vector2(5, 6).z'), "ERROR: Invalid access to property or key 'z' on a base object of type 'Vector2'.");
    const r = runReady(['var v = Vector3(1, 2, 3)', 'v.x = 7', 'v[1] = 8.5', 'v["z"] += 1', 'print(v)', 'var i = Vector2i(1, 2)', 'i.y = 9.7', 'print(i)']);
    assert.deepEqual(r.out, ['(7, 8.5, 4)', '(1, 9)']);
    assert.equal(runReady(['ORIGIN.x = 1'], ['const ORIGIN = Vector2(1, 2)']).error, 'Cannot assign a new value to a constant.');
    assert.equal(runReady(['Vector2.ZERO.x = 1']).error, 'Cannot assign a new value to a constant.');
    const bad = runReady(['var v = Vector2()', 'v.x = "a"']);
    assert.equal(bad.error, "Invalid assignment of property or key 'x' with value of type 'String' on a base object of type 'Vector2'.");
  });

  it('copies on assignment: vectors are values', () => {
    const r = runReady([
      'var a = Vector2(1, 2)',
      'var b = a',
      'b.x = 5',
      'b += Vector2(1, 1)',
      'print(a, " ", b)',
      'var list = [a]',
      'a.y = 100',
      'print(list, " ", a)',
      'list[0].x = -1',
      'print(list, " ", a)',
      'var d = {"p": Vector2(1, 1)}',
      'd.p.x = 3',
      'd["p"].y = 4',
      'print(d)',
      'var r = Rect2(0, 0, 2, 2)',
      'r.position.x = 5',
      'r.size += Vector2(1, 1)',
      'print(r)',
    ]);
    assert.deepEqual(r.out, ['(1, 2) (6, 3)', '[(1, 2)] (1, 100)', '[(-1, 2)] (1, 100)', '{ "p": (3, 4) }', '[P: (5, 0), S: (3, 3)]']);
  });

  it('writes changed vectors back through members, inner objects and setters', () => {
    const r = runReady(
      [
        'pos.x += 10',
        'self.pos.y = 7',
        'var h = Holder.new()',
        'h.at.x = 3',
        'h.watched.y = 4',
        'print(pos, " ", h.at, " ", h.watched, " ", h.setter_calls)',
      ],
      [
        'var pos = Vector2(1, 2)',
        'class Holder:',
        '\tvar at = Vector2()',
        '\tvar setter_calls = 0',
        '\tvar watched = Vector2.ZERO:',
        '\t\tset(v):',
        '\t\t\tsetter_calls += 1',
        '\t\t\twatched = v',
      ],
    );
    assert.deepEqual(r.out, ['(11, 7) (3, 0) (0, 4) 1']);
  });

  it('does component-wise and scalar arithmetic with Godot 4 result types', () => {
    assert.equal(printed('Vector2(1, 2) + Vector2(3, 4)'), '(4, 6)');
    assert.equal(printed('Vector2(1, 2) - Vector2(3, 4)'), '(-2, -2)');
    assert.equal(printed('Vector2(1, 2) * Vector2(3, 4)'), '(3, 8)');
    assert.equal(printed('Vector2(1, 2) / Vector2(4, 4)'), '(0.25, 0.5)');
    assert.equal(printed('Vector2(1, 2) * 2'), '(2, 4)');
    assert.equal(printed('2.5 * Vector2(1, 2)'), '(2.5, 5)');
    assert.equal(printed('Vector2(1, 2) / 2'), '(0.5, 1)');
    assert.equal(printed('Vector2(1, -2) / 0'), '(inf, -inf)');
    assert.equal(printed('-Vector3(1, -2, 3)'), '(-1, 2, -3)');
    assert.equal(printed('+Vector2i(1, 2)'), '(1, 2)');
    assert.equal(printed('Vector2i(7, 8) / 2'), '(3, 4)');
    assert.equal(printed('Vector2i(-7, 8) / Vector2i(2, 3)'), '(-3, 2)');
    assert.equal(printed('Vector2i(7, -8) % 3'), '(1, -2)');
    assert.equal(printed('Vector2i(7, 8) % Vector2i(4, 5)'), '(3, 3)');
    assert.equal(printed('Vector2i(3, 4) * 2'), '(6, 8)');
    assert.equal(printed('Vector2i(3, 4) * 1.5'), '(4.5, 6)');
    assert.equal(printed('typeof(Vector2i(3, 4) * 1.5)'), '5');
    assert.equal(printed('typeof(Vector2i(3, 4) / 2.0)'), '5');
    assert.equal(printed('Vector2i(1, 1) / 0'), "ERROR: Division by zero error in operator '/'.");
    assert.equal(printed('Vector2i(1, 1) % Vector2i(1, 0)'), "ERROR: Modulo by zero error in operator '%'.");
  });

  it('refuses operands Godot refuses, with its wording', () => {
    assert.equal(printed('Vector2(1, 2) + "x"'), "ERROR: Invalid operands 'Vector2' and 'String' in operator '+'.");
    assert.equal(printed('Vector2(1, 2) + Vector2i(1, 2)'), "ERROR: Invalid operands 'Vector2' and 'Vector2i' in operator '+'.");
    assert.equal(printed('Vector2(1, 2) + 1'), "ERROR: Invalid operands 'Vector2' and 'int' in operator '+'.");
    assert.equal(printed('1 / Vector2(1, 2)'), "ERROR: Invalid operands 'int' and 'Vector2' in operator '/'.");
    assert.equal(printed('Vector2(1, 2) % 2'), "ERROR: Invalid operands 'Vector2' and 'int' in operator '%'.");
    assert.equal(printed('Vector2(1, 2) == 1'), "ERROR: Invalid operands 'Vector2' and 'int' in operator '=='.");
    assert.equal(printed('not Vector2(1, 2)'), 'false');
    assert.equal(printed('~Vector2i(1, 2)'), "ERROR: Invalid operand of type 'Vector2i' for unary operator '~'.");
  });

  it('compares: == per component, < <= > >= lexicographically, null never equal', () => {
    assert.equal(printed('Vector2(1, 2) == Vector2(1, 2)'), 'true');
    assert.equal(printed('Vector2(1, 2) != Vector2(1, 2.5)'), 'true');
    assert.equal(printed('Vector2(1, 2) == null'), 'false');
    assert.equal(printed('null != Vector3()'), 'true');
    assert.equal(printed('[Vector2(1, 2) < Vector2(1, 3), Vector2(2, 0) > Vector2(1, 5), Vector2(1, 1) <= Vector2(1, 1), Vector2i(0, 9) >= Vector2i(1, 0)]'), '[true, true, true, false]');
    assert.equal(printed('[Vector2(), Vector2(0, 1)].map(func(v): return bool(v))'), '[false, true]');
    assert.equal(printed('Vector2(1, 2) in [Vector2(1, 2)]'), 'true');
    assert.equal(printed('[Vector2(3, 1), Vector2(1, 2), Vector2(1, 1)].max()'), '(3, 1)');
  });

  it('is a dictionary key equal by value', () => {
    const r = runReady(['var d = {Vector2i(1, 2): "a", Vector2(1, 2): "b"}', 'd[Vector2i(1, 2)] = "c"', 'print(d.size(), " ", d[Vector2i(1, 2)], " ", d[Vector2(1, 2)], " ", d.has(Vector2(1, 2.5)))']);
    assert.deepEqual(r.out, ['2 c b false']);
  });

  it('has the methods networking and game scripts use', () => {
    assert.equal(printed('Vector2(3, 4).length()'), '5');
    assert.equal(printed('Vector2(3, 4).length_squared()'), '25');
    assert.equal(printed('Vector2(3, 4).normalized()'), '(0.6, 0.8)');
    assert.equal(printed('Vector2().normalized()'), '(0, 0)');
    assert.equal(printed('Vector2(3, 4).normalized().is_normalized()'), 'true');
    assert.equal(printed('Vector2(1, 1).distance_to(Vector2(4, 5))'), '5');
    assert.equal(printed('Vector2(1, 1).distance_squared_to(Vector2(4, 5))'), '25');
    assert.equal(printed('Vector2(1, 2).dot(Vector2(3, 4))'), '11');
    assert.equal(printed('Vector2(1, 2).cross(Vector2(3, 4))'), '-2');
    assert.equal(printed('Vector3(1, 0, 0).cross(Vector3(0, 1, 0))'), '(0, 0, 1)');
    assert.equal(printed('Vector2(0, 0).lerp(Vector2(10, -10), 0.25)'), '(2.5, -2.5)');
    // real_t results are 32-bit floats, printed as the doubles they become
    assert.equal(printed('Vector2(0, 1).angle()'), '1.57079637050629');
    assert.equal(printed('Vector2(1, 0).angle_to(Vector2(0, 1))'), '1.57079637050629');
    assert.equal(printed('Vector2(1, 1).length()'), '1.41421353816986');
    assert.equal(printed('Vector2i(1, 1).length()'), '1.4142135623731');
    assert.equal(printed('Vector2(1, 0).rotated(PI)'), '(-1, -0)');
    assert.equal(printed('Vector2(-1.5, 2.5).abs()'), '(1.5, 2.5)');
    assert.equal(printed('[Vector2(-1.5, 2.5).floor(), Vector2(-1.5, 2.5).ceil(), Vector2(-1.5, 2.5).round()]'), '[(-2, 2), (-1, 3), (-2, 3)]');
    assert.equal(printed('Vector2(5, -5).clamp(Vector2(0, 0), Vector2(2, 2))'), '(2, 0)');
    assert.equal(printed('Vector2i(5, -5).clamp(Vector2i(0, 0), Vector2i(2, 2))'), '(2, 0)');
    assert.equal(printed('Vector2(1, 1).is_equal_approx(Vector2(1.000001, 1))'), 'true');
    assert.equal(printed('Vector2(1, 1).is_equal_approx(Vector2(1.1, 1))'), 'false');
    assert.equal(printed('Vector2(1, 1).direction_to(Vector2(4, 5))'), '(0.6, 0.8)');
    assert.equal(printed('Vector2(30, 40).limit_length(5)'), '(3, 4)');
    assert.equal(printed('Vector2(3, 4).limit_length(10)'), '(3, 4)');
    assert.equal(printed('Vector2(0, 0).move_toward(Vector2(10, 0), 3)'), '(3, 0)');
    assert.equal(printed('Vector2(9, 0).move_toward(Vector2(10, 0), 3)'), '(10, 0)');
    assert.equal(printed('Vector2(5, 1).snapped(Vector2(2, 2))'), '(6, 2)');
    assert.equal(printed('[Vector3(1, 5, 2).max_axis_index(), Vector3(1, 5, 2).min_axis_index()]'), '[1, 0]');
    assert.equal(printed('Vector2i(3, 4).length()'), '5');
    assert.equal(printed('Vector2i(-3, 4).abs()'), '(3, 4)');
    assert.equal(printed('Vector2(1, 2).reflect(Vector2(0, 1))'), '(-1, 2)');
    assert.equal(printed('Vector2(1, -2).slide(Vector2(0, 1))'), '(1, 0)');
    assert.equal(printed('Vector2(1, 2).nope()'), "ERROR: Invalid call. Nonexistent function 'nope' in base 'Vector2'.");
    assert.equal(printed('Vector2i(1, 2).normalized()'), "ERROR: Invalid call. Nonexistent function 'normalized' in base 'Vector2i'.");
    assert.equal(printed('Vector2(1, 2).dot(3)'), "ERROR: Invalid type in function 'dot' in base 'Vector2'. Cannot convert argument 1 from int to Vector2.");
    // the global functions with vector/Color overloads
    assert.equal(printed('[abs(Vector2(-1, 2)), abs(Vector2i(-3, 4)), sign(Vector3(-2, 0, 5)), floor(Vector2(1.5, -1.5)), ceil(Vector2(1.5, -1.5)), round(Vector2(2.5, -2.5))]'), '[(1, 2), (3, 4), (-1, 0, 1), (1, -2), (2, -1), (3, -3)]');
    assert.equal(printed('[lerp(Vector2(0, 0), Vector2(10, 20), 0.5), lerp(Color.BLACK, Color.WHITE, 0.5), snapped(Vector2(7, 2), Vector2(5, 5))]'), '[(5, 10), (0.5, 0.5, 0.5, 1), (5, 0)]');
    assert.equal(printed('[abs(-3), lerp(0, 10, 0.5)]'), '[3, 5]');
    assert.equal(printed('lerp(Vector2(), 1, 0.5)'), "ERROR: Invalid type in function 'lerp' in base 'Vector2'. Cannot convert argument 1 from int to Vector2.");
    const r = runReady(['print(Vector2(1, 2).slide(Vector2(0, 2)))']);
    assert.deepEqual(r.out, ['(0, 0)']);
    assert.deepEqual(r.err, ['ERROR: The normal Vector2 (0, 2) must be normalized.']);
  });
});

describe('GDScript Color', () => {
  it('constructs from components, HTML codes, names and another color', () => {
    assert.equal(printed('Color()'), '(0, 0, 0, 1)');
    assert.equal(printed('Color(1, 0, 0)'), '(1, 0, 0, 1)');
    assert.equal(printed('Color(0.1, 0.2, 0.3, 0.4)'), '(0.1, 0.2, 0.3, 0.4)');
    assert.equal(printed('Color("#ff8000")'), '(1, 0.502, 0, 1)');
    assert.equal(printed('Color("ff800080")'), '(1, 0.502, 0, 0.502)');
    assert.equal(printed('Color("#f00")'), '(1, 0, 0, 1)');
    assert.equal(printed('Color("teal")'), '(0, 0.5, 0.5, 1)');
    assert.equal(printed('Color("Web Gray")'), '(0.5, 0.5, 0.5, 1)');
    assert.equal(printed('Color(Color.RED, 0.5)'), '(1, 0, 0, 0.5)');
    assert.equal(printed('Color8(255, 128, 0)'), '(1, 0.502, 0, 1)');
    assert.equal(printed('Color(1, 2)'), 'ERROR: No constructor of "Color" matches the signature "Color(int, int)".');
    const r = runReady(['print(Color("nonsense"))']);
    assert.deepEqual(r.out, ['(0, 0, 0, 1)']);
    assert.deepEqual(r.err, ['ERROR: Invalid color name: nonsense.']);
  });

  it('has the named constants of Godot 4.0–4.3 and the static constructors', () => {
    assert.equal(printed('[Color.RED, Color.GREEN, Color.WEB_GREEN, Color.TRANSPARENT]'), '[(1, 0, 0, 1), (0, 1, 0, 1), (0, 0.5, 0, 1), (1, 1, 1, 0)]');
    assert.equal(printed('Color.CORNFLOWER_BLUE'), '(0.39, 0.58, 0.93, 1)');
    assert.equal(printed('Color.from_hsv(0, 1, 1)'), '(1, 0, 0, 1)');
    assert.equal(printed('Color.from_hsv(0.5, 1, 1, 0.5)'), '(0, 1, 1, 0.5)');
    assert.equal(printed('Color.html("#00ff00")'), '(0, 1, 0, 1)');
    assert.equal(printed('[Color.html_is_valid("#abc"), Color.html_is_valid("#abcde")]'), '[true, false]');
    assert.equal(printed('Color.hex(0xff000080)'), '(1, 0, 0, 0.502)');
  });

  it('has members r g b a, r8 … a8 and h s v', () => {
    assert.equal(printed('Color(0.2, 0.4, 0.6).g'), '0.40000000596046');
    assert.equal(printed('[Color.RED.r8, Color(0.5, 0, 0).r8, Color.RED.a8]'), '[255, 128, 255]');
    assert.equal(printed('[Color.CYAN.h, Color.CYAN.s, Color.CYAN.v]'), '[0.5, 1, 1]');
    const r = runReady(['var c = Color(1, 1, 1)', 'c.a = 0.5', 'c.g8 = 0', 'c[2] = 0.25', 'print(c)', 'c.h = 0', 'print(c)']);
    assert.deepEqual(r.out, ['(1, 0, 0.25, 0.5)', '(1, 0, 0, 0.5)']);
  });

  it('has the methods scripts use', () => {
    assert.equal(printed('Color.RED.to_html()'), 'ff0000ff');
    assert.equal(printed('Color(1, 0.5, 0).to_html(false)'), 'ff8000');
    assert.equal(printed('Color(0.2, 0.4, 0.6).lightened(0.5)'), '(0.6, 0.7, 0.8, 1)');
    assert.equal(printed('Color(0.2, 0.4, 0.6).darkened(0.5)'), '(0.1, 0.2, 0.3, 1)');
    assert.equal(printed('Color(0.2, 0.4, 0.6, 0.5).inverted()'), '(0.8, 0.6, 0.4, 0.5)');
    assert.equal(printed('Color.BLACK.lerp(Color.WHITE, 0.25)'), '(0.25, 0.25, 0.25, 1)');
    assert.equal(printed('Color(1, 0, 0, 0.5).blend(Color(0, 0, 1, 0.5))'), '(0.3333, 0, 0.6667, 0.75)');
    assert.equal(printed('Color.WHITE.get_luminance()'), '1');
    assert.equal(printed('Color.RED.to_rgba32()'), '4278190335');
    assert.equal(printed('Color(1, 1, 1).is_equal_approx(Color(1, 1, 0.999999))'), 'true');
  });

  it('does Color arithmetic', () => {
    assert.equal(printed('Color(0.5, 0.5, 0.5) + Color(0.25, 0, 0, 0)'), '(0.75, 0.5, 0.5, 1)');
    assert.equal(printed('Color(0.5, 0.5, 0.5) * 2'), '(1, 1, 1, 2)');
    assert.equal(printed('Color(0.5, 0.5, 0.5, 1) / 2'), '(0.25, 0.25, 0.25, 0.5)');
    assert.equal(printed('-Color(0.25, 0.5, 0.75, 1)'), '(0.75, 0.5, 0.25, 0)');
    assert.equal(printed('Color.RED == Color(1, 0, 0, 1)'), 'true');
    assert.equal(printed('Color.RED + 1'), "ERROR: Invalid operands 'Color' and 'int' in operator '+'.");
  });
});

describe('GDScript Rect2', () => {
  it('constructs, prints and exposes position/size/end', () => {
    assert.equal(printed('Rect2()'), '[P: (0, 0), S: (0, 0)]');
    assert.equal(printed('Rect2(1, 2, 3.5, 4)'), '[P: (1, 2), S: (3.5, 4)]');
    assert.equal(printed('Rect2(Vector2(1, 2), Vector2(3, 4))'), '[P: (1, 2), S: (3, 4)]');
    assert.equal(printed('Rect2i(Rect2(1.5, 2, 3, 4))'), '[P: (1, 2), S: (3, 4)]');
    assert.equal(printed('[Rect2i(1, 2, 3, 4).position, Rect2i(1, 2, 3, 4).size, Rect2i(1, 2, 3, 4).end]'), '[(1, 2), (3, 4), (4, 6)]');
    const r = runReady(['var r = Rect2(0, 0, 1, 1)', 'r.end = Vector2(5, 5)', 'print(r)', 'r.size.x = 2', 'print(r)']);
    assert.deepEqual(r.out, ['[P: (0, 0), S: (5, 5)]', '[P: (0, 0), S: (2, 5)]']);
  });

  it('has the methods scripts use', () => {
    assert.equal(printed('[Rect2(0, 0, 4, 3).has_point(Vector2(1, 1)), Rect2(0, 0, 4, 3).has_point(Vector2(4, 1))]'), '[true, false]');
    assert.equal(printed('[Rect2(0, 0, 2, 2).intersects(Rect2(1, 1, 2, 2)), Rect2(0, 0, 2, 2).intersects(Rect2(2, 0, 1, 1)), Rect2(0, 0, 2, 2).intersects(Rect2(2, 0, 1, 1), true)]'), '[true, false, true]');
    assert.equal(printed('Rect2(0, 0, 4, 3).grow(1)'), '[P: (-1, -1), S: (6, 5)]');
    assert.equal(printed('Rect2(0, 0, 4, 3).get_center()'), '(2, 1.5)');
    assert.equal(printed('Rect2i(0, 0, 5, 3).get_center()'), '(2, 1)');
    assert.equal(printed('Rect2(0, 0, 4, 3).get_area()'), '12');
    assert.equal(printed('Rect2(0, 0, 2, 2).merge(Rect2(3, 3, 1, 1))'), '[P: (0, 0), S: (4, 4)]');
    assert.equal(printed('Rect2(0, 0, 2, 2).intersection(Rect2(1, 1, 2, 2))'), '[P: (1, 1), S: (1, 1)]');
    assert.equal(printed('Rect2(0, 0, 4, 4).encloses(Rect2(1, 1, 2, 2))'), 'true');
    assert.equal(printed('Rect2(0, 0, 1, 1).expand(Vector2(3, -1))'), '[P: (0, -1), S: (3, 2)]');
    assert.equal(printed('Rect2(2, 2, -2, -1).abs()'), '[P: (0, 1), S: (2, 1)]');
    assert.equal(printed('Rect2(0, 0, 1, 1) == Rect2(0, 0, 1, 1)'), 'true');
  });
});

describe('GDScript value types as static types', () => {
  it('gives typeof() the Godot 4.3 Variant.Type numbers and type_string() the names', () => {
    assert.equal(
      printed('[typeof(Vector2()), typeof(Vector2i()), typeof(Rect2()), typeof(Rect2i()), typeof(Vector3()), typeof(Vector3i()), typeof(Vector4()), typeof(Vector4i()), typeof(Color())]'),
      '[5, 6, 7, 8, 9, 10, 12, 13, 20]',
    );
    assert.equal(printed('[TYPE_VECTOR2, TYPE_COLOR, TYPE_RECT2I]'), '[5, 20, 8]');
    assert.equal(printed('type_string(typeof(Color()))'), 'Color');
  });

  it('checks `is`, typed variables and typed arrays', () => {
    const r = runReady([
      'var v: Vector2 = Vector2i(1, 2)',
      'var c: Color',
      'var r: Rect2',
      'var w: Vector3i',
      'print(v, " ", v is Vector2, " ", v is Vector2i, " ", c, " ", r, " ", w)',
      'var arr: Array[Vector2] = [Vector2(1, 1)]',
      'arr.append(Vector2(2, 2))',
      'arr.append(3)',
      'print(arr, " ", Vector2() is Color)',
    ]);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.out, ['(1, 2) true false (0, 0, 0, 1) [P: (0, 0), S: (0, 0)] (0, 0, 0)', '[(1, 1), (2, 2)] false']);
    assert.deepEqual(r.err, ["ERROR: Attempted to push_back a variable of type 'int' into a TypedArray of type 'Vector2'."]);
    const bad = runReady(['var v: Vector2 = 5']);
    assert.equal(bad.error, "Trying to assign value of type 'int' to a variable of type 'Vector2'.");
  });

  it('writes var_to_str() text like VariantWriter', () => {
    assert.equal(printed('var_to_str(Vector2(1.5, 2))'), 'Vector2(1.5, 2)');
    assert.equal(printed('var_to_str(Vector2(0.1, -0.0))'), 'Vector2(0.1, 0)');
    assert.equal(printed('var_to_str(Vector2i(1, -2))'), 'Vector2i(1, -2)');
    assert.equal(printed('var_to_str(Vector3(1, 2, 1234567))'), 'Vector3(1, 2, 1.23457e+06)');
    assert.equal(printed('var_to_str(Color.RED)'), 'Color(1, 0, 0, 1)');
    assert.equal(printed('var_to_str(Rect2(1, 2, 3, 4))'), 'Rect2(1, 2, 3, 4)');
    assert.equal(printed('var_to_str(Vector2(-INF, INF))'), 'Vector2(inf_neg, inf)');
    assert.equal(printed('var_to_str([Vector2(1, 2), 2.0, 1.0 / 3.0, 1e20, "s"])'), '[Vector2(1, 2), 2.0, 0.333333, 1e+20, "s"]');
  });

  it('reads var_to_str() text back with str_to_var()', () => {
    const r = runReady([
      'for v in [Vector2(1.5, 2), Vector2i(1, -2), Vector3(0.25, 0, -1), Vector4i(1, 2, 3, 4), Color(0.5, 0.25, 1, 0.5), Rect2(1, 2, 3, 4), Rect2i(0, 0, 8, 8), [Vector2(1, 1), &"n", NodePath("a/b"), null, true, 7]]:',
      '	var back = str_to_var(var_to_str(v))',
      '	print(back, " ", typeof(back) == typeof(v), " ", back == v)',
      'print(str_to_var("{\\"pos\\": Vector2(1, 2), \\"list\\": [1, 2.5]}"))',
      'print(str_to_var("Vector2(1, "), " ", str_to_var("Vector2(\\"a\\", 1)"), " ", str_to_var("nonsense"), " ", str_to_var("inf_neg"))',
    ]);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.out, [
      '(1.5, 2) true true',
      '(1, -2) true true',
      '(0.25, 0, -1) true true',
      '(1, 2, 3, 4) true true',
      '(0.5, 0.25, 1, 0.5) true true',
      '[P: (1, 2), S: (3, 4)] true true',
      '[P: (0, 0), S: (8, 8)] true true',
      '[(1, 1), &"n", ^"a/b", <null>, true, 7] true true',
      '{ "pos": (1, 2), "list": [1, 2.5] }',
      '<null> <null> <null> -inf',
    ]);
  });
});

describe('var_to_bytes of vectors, Color and Rect2 (Godot 4 layout)', () => {
  it('encodes float components as float32 and integer ones as int32 after the type header', () => {
    // Vector2 is type 5 in Godot 3 and 4 alike: these bytes are what Godot 3.2.3's var2bytes gives (test/interop).
    assert.equal(encodedHex(new GdVector(VECTOR2, [1.5, -2])), '050000000000c03f000000c0');
    assert.equal(encodedHex(new GdVector(VECTOR2I, [1, -2])), '0600000001000000feffffff');
    assert.equal(encodedHex(new GdVector(VECTOR3, [1, -2, 0.25])), '090000000000803f000000c00000803e');
    assert.equal(encodedHex(new GdColor(1, 0.5, 0.25, 1)), '140000000000803f0000003f0000803e0000803f');
    assert.equal(encodedHex(new GdRect(RECT2, [1, 2], [3.5, 4])), '070000000000803f000000400000604000008040');
  });

  it('decodes what it encodes', () => {
    for (const v of [new GdVector(VECTOR2, [0.1, -7]), new GdVector(VECTOR3, [1, 2, 3]), new GdVector(VECTOR2I, [-5, 2147483647]), new GdColor(0.1, 0.2, 0.3, 0.4), new GdRect(RECT2, [1, 2], [3, 4])]) {
      const bytes = encodeVariant(v);
      assert.ok(bytes.ok);
      const back = decodeVariant(bytes.bytes);
      assert.ok(back.ok);
      assert.equal(back.length, bytes.bytes.length);
      assert.ok(v.sameAs(back.value), `${v.toText()} came back as ${String(back.value)}`);
    }
    const short = decodeVariant(new Uint8Array([5, 0, 0, 0, 0, 0, 0x80, 0x3f]));
    assert.equal(short.ok, false);
  });

  it('round-trips through var_to_bytes()/bytes_to_var() in a script', async () => {
    const o = await runScript(`
extends Node
func _ready():
  var b = var_to_bytes([Vector2(1, 2), Color.RED, Rect2i(1, 2, 3, 4)])
  print(b.size())
  print(bytes_to_var(b))
`);
    assert.deepEqual(o.failures, []);
    assert.deepEqual(o.prints, ['60', '[(1, 2), (1, 0, 0, 1), [P: (1, 2), S: (3, 4)]]']);
  });
});
