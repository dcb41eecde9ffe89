# Godot 4 only: signals, connections, await on signals, coroutines and timers, frames.
extends Node

signal health_changed(old_value: int, new_value: int)
signal finished

var health := 100
var frames := 0

func _ready():
	health_changed.connect(_on_health_changed)
	health_changed.connect(func(_o, n): print("lambda sees ", n), CONNECT_ONE_SHOT)
	take_damage(30)
	take_damage(20)
	print("connected: ", health_changed.is_connected(_on_health_changed), " ", health_changed.get_connections().size())
	var value = await slow_double(21)
	print("slow_double -> ", value)
	print("waiting for finished")
	var started = frames
	await finished
	print("finished arrived after frames: ", frames - started >= 1)
	await get_tree().create_timer(0.25).timeout
	print("timer done")
	get_tree().quit()

func _process(_delta):
	frames += 1
	if frames == 30:
		finished.emit()

func take_damage(amount: int):
	var old = health
	health -= amount
	health_changed.emit(old, health)

func _on_health_changed(old_value, new_value):
	print("health ", old_value, " -> ", new_value)

func slow_double(x):
	await get_tree().create_timer(0.1).timeout
	return x * 2
