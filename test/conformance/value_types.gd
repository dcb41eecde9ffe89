# Godot 4 only: Vector2i/Vector3i/Vector4, Color, Rect2/Rect2i, 32-bit float components printed by
# Godot 4.3's String::num_real, real_t method results, typed variables, var_to_str, errors as values.
extends SceneTree

func _init():
	print("-- Godot 4 float printing")
	print(Vector2(1234.5678, 98765.4321), " ", Vector3(0.5, -1.0 * 0.0, 1e-3), " ", Vector2(0.1, 0).x)
	print(Vector2(1, 1).length(), " ", Vector2(0, 1).angle(), " ", Vector2i(1, 1).length())

	print("-- integer vectors")
	var i = Vector2i(7, -8)
	print(i, " ", i / 2, " ", i % 3, " ", i * 2, " ", i * 1.5, " ", typeof(i * 1.5) == TYPE_VECTOR2)
	print(Vector2i(2147483647, 0) + Vector2i(1, 0), " ", Vector2i(Vector2(1.9, -1.9)), " ", Vector3i(1, 2, 3).length_squared())
	print(Vector4(1, 2, 3, 4) * 2, " ", Vector4i(1, 2, 3, 4).abs())

	print("-- Color")
	var c = Color("#ff8000")
	print(c, " ", c.to_html(), " ", c.to_html(false), " ", c.r8, " ", c.g8, " ", c.b8)
	print(Color.RED, " ", Color.WEB_GRAY, " ", Color.TRANSPARENT, " ", Color("teal"), " ", Color(Color.BLUE, 0.25))
	print(Color(0.2, 0.4, 0.6).lightened(0.5), " ", Color(0.2, 0.4, 0.6).darkened(0.5), " ", Color(0.2, 0.4, 0.6, 0.5).inverted())
	print(Color.BLACK.lerp(Color.WHITE, 0.25), " ", Color.from_hsv(0.5, 1, 1), " ", Color.CYAN.h)
	c.a = 0.5
	c.b8 = 255
	print(c, " ", Color(0.5, 0.5, 0.5) * 2, " ", -Color(0.25, 0.5, 0.75, 1))

	print("-- Rect2")
	var r = Rect2(0, 0, 4, 3)
	print(r, " ", r.end, " ", r.get_center(), " ", r.get_area(), " ", r.has_point(Vector2(4, 1)), " ", r.has_point(Vector2(3.9, 1)))
	print(r.grow(1), " ", r.intersects(Rect2(3, 2, 5, 5)), " ", r.intersection(Rect2(3, 2, 5, 5)), " ", r.merge(Rect2(5, 5, 1, 1)))
	r.position.x = 10
	r.size.y *= 2
	print(r, " ", Rect2i(1, 2, 3, 4), " ", Rect2i(1, 2, 3, 4).end)

	print("-- types")
	var v: Vector2 = Vector2i(3, 4)
	var t: Vector3i
	var col: Color
	print(v, " ", v is Vector2, " ", t, " ", col, " ", typeof(v), " ", typeof(Color()), " ", type_string(typeof(Rect2i())))
	var d = {Vector2i(1, 2): "a", Color.RED: "red"}
	print(d[Vector2i(1, 2)], " ", d[Color(1, 0, 0)], " ", Vector2(1, 2) in [Vector2(1, 2)])
	print(var_to_str(Vector2(1.5, 2)), " ", var_to_str(Vector3i(1, 2, 3)), " ", var_to_str(Color.RED), " ", var_to_str(Rect2(1, 2, 3, 4)))
	print(Vector2(1, 2) == Vector2(1, 2), " ", Vector2(1, 2) == null, " ", [Vector2(1, 2)] == [Vector2(1, 2)])
	print(Vector2(1, 2) + Vector2i(1, 2))
	quit()
