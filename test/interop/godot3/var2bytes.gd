# Godot 3.2 side of test/interop/godot3-marshalling.test.ts: prints var2bytes() of the value types
# whose binary layout Godot 3 shares with Godot 4, as hex, one line each: `<NAME> <hex>`, then DONE.
# Run: godot3-server --no-window -s var2bytes.gd
extends SceneTree

func hex(value):
	var out = ""
	for b in var2bytes(value):
		out += "%02x" % b
	return out

func _init():
	print("VECTOR2 ", hex(Vector2(1.5, -2)))
	print("VECTOR2_SMALL ", hex(Vector2(0.1, 1e-3)))
	print("VECTOR3 ", hex(Vector3(1, -2, 0.25)))
	print("RECT2 ", hex(Rect2(1, 2, 3.5, 4)))
	print("COLOR ", hex(Color(1, 0.5, 0.25, 1)))
	print("STRINGS ", hex(PoolStringArray(["a", "bcd", "", "h\u00e9llo"])))
	print("INTS ", hex(PoolIntArray([1, -2, 2147483647])))
	print("REALS ", hex(PoolRealArray([1.5, 0.1, -0.0])))
	print("VECTOR2S ", hex(PoolVector2Array([Vector2(1, 2), Vector2(-0.5, 3)])))
	print("VECTOR3S ", hex(PoolVector3Array([Vector3(1, 2, 3)])))
	print("COLORS ", hex(PoolColorArray([Color(0.1, 0.2, 0.3, 0.4)])))
	print("DONE")
	quit()
