# Godot 4: a runtime error stops the function; stdout keeps what was printed, stderr gets Godot's lines.
extends SceneTree

func average(values: Array) -> int:
	var total = 0
	for v in values:
		total += v
	return total / values.size()

func _init():
	print("before")
	print(average([2, 4, 9]))
	print(average([]))
	print("never printed")
