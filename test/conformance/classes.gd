# Godot 4 only: inner classes, inheritance, super, static members, properties, enums, _to_string.
extends SceneTree

enum Kind { CAT, DOG = 10, BIRD }

class Animal:
	static var created := 0
	var name: String
	var legs := 4
	func _init(animal_name: String):
		name = animal_name
		created += 1
	func sound() -> String:
		return "..."
	func describe() -> String:
		return "%s (%d legs) says %s" % [name, legs, sound()]
	func _to_string() -> String:
		return "<" + name + ">"

class Dog extends Animal:
	func _init(dog_name: String):
		super(dog_name)
	func sound() -> String:
		return "woof"

class Bird extends Animal:
	func _init():
		super("bird")
		legs = 2
	func sound() -> String:
		return "tweet"
	func describe() -> String:
		return super.describe() + " and flies"

class Temperature:
	var celsius := 0.0:
		set(value):
			celsius = clampf(value, -273.15, 1000.0)
		get:
			return celsius
	var fahrenheit: float:
		get:
			return celsius * 9.0 / 5.0 + 32.0
		set(value):
			celsius = (value - 32.0) * 5.0 / 9.0

static func twice(x: int) -> int:
	return x * 2

func _init():
	var zoo: Array[Animal] = [Dog.new("rex"), Bird.new(), Animal.new("generic")]
	for a in zoo:
		print(a.describe())
	print(zoo, " ", Animal.created, " ", zoo[0] is Dog, " ", zoo[1] is Dog, " ", zoo[1] is Animal)
	var t = Temperature.new()
	t.celsius = -500
	print(t.celsius, " ", t.fahrenheit)
	t.fahrenheit = 212
	print(t.celsius)
	print(Kind.DOG, " ", Kind.BIRD, " ", Kind.keys(), " ", Kind.size(), " ", twice(21))
	var k: Kind = Kind.BIRD
	match k:
		Kind.CAT:
			print("cat")
		Kind.DOG, Kind.BIRD:
			print("dog or bird: ", Kind.find_key(k))
	quit()
