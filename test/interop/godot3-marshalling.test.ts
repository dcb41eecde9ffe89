// Our var_to_bytes() of Vector2/Vector3/Rect2/Color and the packed arrays against a real Godot 3.2.3
// (godot3-server): test/interop/godot3/var2bytes.gd prints var2bytes() of the same values.
//
// Godot 3 and Godot 4 number the Variant types differently, except Vector2 (5 in both), so:
//   - Vector2's encoding must be identical, header included;
//   - for the others the bytes after the 4-byte type header (the payload: float32 components,
//     counts, int32/float32 elements, NUL-terminated padded strings) must be identical, and the
//     header must be Godot 4's type id where Godot 3 has its own.
// Godot 3's PoolIntArray/PoolRealArray are 32-bit like PackedInt32Array/PackedFloat32Array.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GdColor, GdPackedArray, GdRect, GdVector, PACKED_COLOR, PACKED_FLOAT32, PACKED_INT32, PACKED_STRING, PACKED_VECTOR2,
  PACKED_VECTOR3, RECT2, VECTOR2, VECTOR3, VariantType, makeFloat, type Value,
} from '../../engine/gdscript';
import { encodeVariant } from '../../engine/godot/marshalling';
import { repoFile, requireTool, runGodot3Script, TempDir } from './peer-harness';

const SCRIPT = 'test/interop/godot3/var2bytes.gd';

/** Godot 3.2's Variant type ids of the values below (core/variant.h). */
const GODOT3_TYPE = { VECTOR2: 5, RECT2: 6, VECTOR3: 7, COLOR: 14, POOL_STRING_ARRAY: 23, POOL_INT_ARRAY: 21, POOL_REAL_ARRAY: 22, POOL_VECTOR2_ARRAY: 24, POOL_VECTOR3_ARRAY: 25, POOL_COLOR_ARRAY: 26 };

const f32 = (x: number): Value => makeFloat(Math.fround(x));
const cases: Array<{ name: string; value: Value; godot4Type: number; godot3Type: number }> = [
  { name: 'VECTOR2', value: new GdVector(VECTOR2, [1.5, -2]), godot4Type: VariantType.VECTOR2, godot3Type: GODOT3_TYPE.VECTOR2 },
  { name: 'VECTOR2_SMALL', value: new GdVector(VECTOR2, [0.1, 1e-3]), godot4Type: VariantType.VECTOR2, godot3Type: GODOT3_TYPE.VECTOR2 },
  { name: 'VECTOR3', value: new GdVector(VECTOR3, [1, -2, 0.25]), godot4Type: VariantType.VECTOR3, godot3Type: GODOT3_TYPE.VECTOR3 },
  { name: 'RECT2', value: new GdRect(RECT2, [1, 2], [3.5, 4]), godot4Type: VariantType.RECT2, godot3Type: GODOT3_TYPE.RECT2 },
  { name: 'COLOR', value: new GdColor(1, 0.5, 0.25, 1), godot4Type: VariantType.COLOR, godot3Type: GODOT3_TYPE.COLOR },
  { name: 'STRINGS', value: new GdPackedArray(PACKED_STRING, ['a', 'bcd', '', 'héllo']), godot4Type: VariantType.PACKED_STRING_ARRAY, godot3Type: GODOT3_TYPE.POOL_STRING_ARRAY },
  { name: 'INTS', value: new GdPackedArray(PACKED_INT32, [1, -2, 2147483647]), godot4Type: VariantType.PACKED_INT32_ARRAY, godot3Type: GODOT3_TYPE.POOL_INT_ARRAY },
  { name: 'REALS', value: new GdPackedArray(PACKED_FLOAT32, [f32(1.5), f32(0.1), makeFloat(-0)]), godot4Type: VariantType.PACKED_FLOAT32_ARRAY, godot3Type: GODOT3_TYPE.POOL_REAL_ARRAY },
  {
    name: 'VECTOR2S', value: new GdPackedArray(PACKED_VECTOR2, [new GdVector(VECTOR2, [1, 2]), new GdVector(VECTOR2, [-0.5, 3])]),
    godot4Type: VariantType.PACKED_VECTOR2_ARRAY, godot3Type: GODOT3_TYPE.POOL_VECTOR2_ARRAY,
  },
  { name: 'VECTOR3S', value: new GdPackedArray(PACKED_VECTOR3, [new GdVector(VECTOR3, [1, 2, 3])]), godot4Type: VariantType.PACKED_VECTOR3_ARRAY, godot3Type: GODOT3_TYPE.POOL_VECTOR3_ARRAY },
  { name: 'COLORS', value: new GdPackedArray(PACKED_COLOR, [new GdColor(0.1, 0.2, 0.3, 0.4)]), godot4Type: VariantType.PACKED_COLOR_ARRAY, godot3Type: GODOT3_TYPE.POOL_COLOR_ARRAY },
];

describe('var_to_bytes() of the value types <-> Godot 3.2.3 var2bytes()', { timeout: 60_000 }, () => {
  let dir: TempDir;
  let godotHex: Map<string, string>;

  before(async () => {
    requireTool('godot3-server', 'godot3-server');
    dir = new TempDir();
    const godot = runGodot3Script(repoFile(SCRIPT), {}, dir.subdir('home'));
    await godot.waitFor(/^DONE$/m, 15_000);
    assert.equal(await godot.waitForExit(5000), 0, godot.output);
    godotHex = new Map(
      godot.stdout.split('\n').map((line) => line.trim().split(' ')).filter((parts) => parts.length === 2).map(([name, hex]) => [name, hex]),
    );
  });
  after(() => dir?.remove());

  for (const c of cases) {
    it(`${c.name}: same bytes as Godot 3 after the type header`, () => {
      const theirs = godotHex.get(c.name);
      assert.ok(theirs, `Godot printed no ${c.name} line`);
      const encoded = encodeVariant(c.value);
      assert.ok(encoded.ok);
      const ours = Buffer.from(encoded.bytes).toString('hex');
      assert.equal(ours.slice(8), theirs.slice(8), `${c.name} payload`);
      assert.equal(Buffer.from(theirs.slice(0, 8), 'hex').readUInt32LE(0), c.godot3Type, `Godot 3's ${c.name} header`);
      assert.equal(encoded.bytes[0], c.godot4Type, `our ${c.name} header is Godot 4's type id`);
      if (c.godot3Type === c.godot4Type) assert.equal(ours, theirs, `${c.name}: identical, header included`);
    });
  }
});
