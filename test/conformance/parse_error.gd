# Godot 4: a syntax error: Godot prints the first one and runs nothing.
extends SceneTree

func _init():
	var x =
	print("x is " x)
	if x > 3
		print("big")
