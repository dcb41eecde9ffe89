# godot3-compatible: runs unchanged on Godot 3.2.3 and 4.3 (extends SceneTree, _init(), quit()).
# Vector2/Vector3 as both versions have them: printing (32-bit float components), arithmetic,
# comparisons, members and indexing, value semantics, the common methods. (Godot 3 and 4 print
# large components, -0.0 and lone floats differently: those are in value_types.gd.)
extends SceneTree

# Godot 3 prints booleans as True/False: this helper prints the same in both.
func b(v):
	return "yes" if v else "no"

class Body:
	var pos = Vector2(1, 1)

func _init():
	print("-- printing")
	print(Vector2(1, 2), " ", Vector2(1.5, -2.25), " ", Vector3(1, 2, 3), " ", Vector3(0.5, 0, 1e-3))
	print(Vector2(0.1, 0.2), " ", Vector2(1.0 / 3.0, 2.0 / 3.0), " ", Vector2(-7.25, 0.125))
	print([Vector2(1, 2), Vector2()], " ", str(Vector3(1, 2, 3)), " ", "at " + str(Vector2(3, 4)))
	print("%s|%s" % [Vector2(1, 2), Vector3(4, 5, 6)])
	print(Vector2(1, 0).x, " ", Vector2(0.5, 0).x, " ", Vector2(3, 0.25).y)

	print("-- arithmetic")
	var a = Vector2(1, 2)
	var c = Vector2(3, 4)
	print(a + c, " ", a - c, " ", a * c, " ", a / c, " ", -a)
	print(a * 2, " ", 2 * a, " ", a * 0.5, " ", a / 2, " ", a / 4.0)
	print(Vector3(1, 2, 3) + Vector3(1, 1, 1), " ", Vector3(1, 2, 3) * 3, " ", Vector3(2, 4, 6) / 2)
	var acc = Vector2()
	for i in range(4):
		acc += Vector2(i, i * i)
	acc *= 2
	acc -= Vector2(1, 1)
	print(acc)

	print("-- comparisons")
	print(b(a == Vector2(1, 2)), " ", b(a != Vector2(1, 2)), " ", b(a == c))
	print(b(Vector2(1, 2) < Vector2(1, 3)), " ", b(Vector2(2, 0) > Vector2(1, 5)), " ", b(Vector2(1, 1) <= Vector2(1, 1)), " ", b(Vector2(0, 9) >= Vector2(1, 0)))
	print(b(Vector3(1, 2, 3) < Vector3(1, 2, 4)), " ", b(Vector3(1, 2, 3) == Vector3(1, 2, 3)))

	print("-- members and indexing")
	var v = Vector3(1, 2, 3)
	print(v.x, " ", v.y, " ", v.z, " ", v[0], " ", v[2])
	v.x = 10
	v[1] = 20
	v.z += 0.5
	print(v)

	print("-- value semantics")
	var p = Vector2(1, 2)
	var q = p
	q.x = 100
	print(p, " ", q)
	var list = [p, p]
	list[0].y = -1
	print(list, " ", p)
	var body = Body.new()
	var before = body.pos
	body.pos.x += 5
	print(body.pos, " ", before)

	print("-- constants")
	print(Vector2.ZERO, " ", Vector2.ONE, " ", Vector2.UP, " ", Vector2.DOWN, " ", Vector2.LEFT, " ", Vector2.RIGHT)
	print(Vector3.ZERO, " ", Vector3.UP, " ", Vector3.FORWARD, " ", Vector3.BACK)

	print("-- methods")
	print(Vector2(3, 4).length(), " ", Vector2(3, 4).length_squared(), " ", Vector2(3, 4).normalized())
	print(Vector2(1, 1).distance_to(Vector2(4, 5)), " ", Vector2(1, 1).distance_squared_to(Vector2(4, 5)))
	print(Vector2(1, 2).dot(Vector2(3, 4)), " ", Vector2(1, 2).cross(Vector2(3, 4)), " ", Vector3(1, 0, 0).cross(Vector3(0, 1, 0)))
	print(Vector2(-1.5, 2.5).abs(), " ", Vector2(-1.5, 2.5).floor(), " ", Vector2(-1.5, 2.5).ceil(), " ", Vector2(-1.5, 2.6).round())
	print(Vector2(1, 0).angle(), " ", b(Vector2(-1, 0).angle() > 3.14), " ", b(Vector2(1, 0).angle_to(Vector2(0, 1)) > 1.57))
	print(Vector2(1, 0).rotated(PI / 2), " ", Vector2(1, 0).rotated(PI))
	print(Vector2(1, 1).direction_to(Vector2(4, 5)), " ", Vector3(1, 2, 2).length(), " ", b(Vector2(0, 0).distance_to(Vector2(1, 1)) > 1.41))
	print(b(Vector2(3, 4).normalized().is_normalized()), " ", b(Vector2(1, 1).is_normalized()))
	quit()
