# Godot 4 only: how values print (floats, containers, StringName, NodePath), exact 64-bit ints,
# typed arrays, Dictionary/Array reference semantics, and % formatting.
extends SceneTree

func _init():
	print(1.0, " ", 0.1 + 0.2, " ", 1.0 / 3.0, " ", 2.0 / 3.0 * 100, " ", 1e-5, " ", -2.5, " ", 1e15, " ", INF, " ", -INF)
	print(PI, " ", TAU, " ", 100.0 / 7.0, " ", 1234567.125, " ", 0.000001)
	print([1, 2.5, "text", null, true, [], {}], " ", {"a": 1, 2: "b", "c": [3]})
	print(["quote\"", "tab\t", "line\n", "it's?"])
	print(&"sn", " ", [&"sn", ^"node/path"], " ", typeof(&"sn"), " ", &"sn" == "sn", " ", typeof("sn"))
	print(9223372036854775807, " ", 9223372036854775807 + 1, " ", -9223372036854775808 - 1)
	var h = 0xcbf29ce484222325
	for c in "DTLS".to_utf8_buffer():
		h = (h ^ c) * 0x100000001b3
	print("fnv1a64(DTLS) = ", h, " = 0x%x" % h)
	print(2 ** 62, " ", 4611686018427387904 * 2, " ", 1 << 63, " ", (1 << 63) - 1, " ", 255 << 56)
	var ints: Array[int] = [1, 2, 3]
	var floats: Array[float] = [1, 2.5]
	print(ints, " ", floats, " ", ints.is_typed(), " ", typeof(ints[0]), " ", typeof(floats[0]))
	var d1 = {"list": [1]}
	var d2 = d1
	var d3 = d1.duplicate(true)
	d2["list"].append(2)
	d2["new"] = true
	print(d1, " ", d3, " ", d1 == d2, " ", d1.size())
	print("%08.3f|%-6s|%+.1f|%5.1f%%|%x" % [3.14159, "ok", 2.25, 99.5, 48879])
	print(str(1, 2.0, "x", null), " ", var_to_str(1.0), " ", var_to_str("s"), " ", type_string(typeof(1.5)))
	print(int("0x1F".hex_to_int()), " ", "ff".hex_to_int(), " ", "1010".bin_to_int(), " ", "  42  ".to_int(), " ", "3.9".to_int())
	print(snapped(3.14159, 0.01), " ", wrapi(-1, 0, 10), " ", posmod(-7, 3), " ", fposmod(-7.5, 2.0), " ", sign(-0.5))
	quit()
