# Godot 4 only: PackedInt32/Int64/Float32/Float64/String/Vector2/Vector3/ColorArray: element
# conversion, methods, printing, shared references (Godot 4 packed arrays are passed by reference),
# String.split() giving a PackedStringArray, conversions, var_to_str, var_to_bytes sizes.
extends SceneTree

func add_name(names: PackedStringArray, name: String) -> void:
	names.append(name)

func _init():
	print("-- construction and printing")
	print(PackedInt32Array([1, 2.9, -3, 3000000000]), " ", PackedInt64Array([1 << 40]), " ", PackedFloat32Array([0.1, 2]), " ", PackedFloat64Array([0.1, 2]))
	print(PackedStringArray(["a", "b c", "q\"uote"]), " ", PackedVector2Array([Vector2(1, 2), Vector2i(3, 4)]), " ", PackedColorArray([Color.RED]))
	print(PackedVector3Array([Vector3(1, 2, 3)]), " ", PackedInt32Array(), " ", typeof(PackedStringArray()), " ", typeof(PackedColorArray()))

	print("-- methods")
	var a = PackedInt32Array([5, 3, 9])
	a.append(1)
	a.push_back(7)
	a.append_array(PackedInt32Array([3]))
	print(a, " ", a.size(), " ", a.count(3), " ", a.find(3), " ", a.rfind(3), " ", a.has(9), " ", 4 in a)
	a.sort()
	print(a, " ", a.bsearch(5), " ", a.slice(1, 4), " ", a.slice(-2))
	a.remove_at(0)
	a.insert(1, 42)
	a.reverse()
	a.set(0, -1)
	print(a, " ", a.is_empty())
	a.resize(3)
	print(a)
	a.fill(8)
	print(a, " ", a == PackedInt32Array([8, 8, 8]), " ", a + PackedInt32Array([1]))
	var total = 0
	for x in a:
		total += x
	print(total, " ", Array(a), " ", len(a))

	print("-- strings")
	var parts = "id=7;name=bob;;x".split(";")
	print(parts, " ", parts.size(), " ", typeof(parts))
	print("a b  c".split(" ", false), " ", "a,b,c".rsplit(",", true, 1), " ", "1,2.5,x".split_floats(","))
	parts.sort()
	print(parts, " ", "|".join(parts), " ", parts.has("name=bob"))

	print("-- shared like Godot 4")
	var names = PackedStringArray(["ann"])
	var same = names
	same.append("bo")
	add_name(names, "cy")
	var copy = names.duplicate()
	copy.append("di")
	print(names, " ", copy)

	print("-- conversions")
	print(PackedInt32Array([1, -1]).to_byte_array(), " ", PackedByteArray([1, 0, 0, 0, 2, 0, 0, 0]).to_int32_array())
	print(PackedFloat32Array([1.5]).to_byte_array(), " ", PackedByteArray([0, 0, 192, 63]).to_float32_array())
	print(PackedStringArray(["hi", ""]).to_byte_array())
	var typed: PackedVector2Array = [Vector2(1, 1), Vector2(2, 2)]
	print(typed, " ", typeof(typed))
	print(var_to_str(PackedInt32Array([1, 2])), " ", var_to_str(PackedStringArray(["a"])), " ", var_to_str(PackedVector2Array([Vector2(1, 2)])))
	print(var_to_bytes(PackedStringArray(["a", "bcd"])).size(), " ", var_to_bytes(PackedVector2Array([Vector2(1, 2)])).size())
	print(bytes_to_var(var_to_bytes(PackedStringArray(["x", "yz"]))))

	print("-- errors")
	var s = PackedStringArray()
	s.append(1)
	quit()
