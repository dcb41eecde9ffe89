# godot3-compatible: runs unchanged on Godot 3.2.3 and 4.3 (extends SceneTree, _init(), quit()).
extends SceneTree

const LIMIT = 3

func fib(n):
	if n < 2:
		return n
	return fib(n - 1) + fib(n - 2)

func classify(v):
	match v:
		0:
			return "zero"
		1, 2:
			return "small"
		LIMIT:
			return "limit"
		"text":
			return "a string"
		[]:
			return "empty array"
		[1, _]:
			return "pair starting with 1"
		[var a, var b, ..]:
			return "array from " + str(a) + " and " + str(b)
		{"kind": "dog"}:
			return "a dog"
		var other:
			return "other " + str(other)

func _init():
	var total = 0
	for i in range(10):
		if i % 2 == 0:
			continue
		if i > 7:
			break
		total += i
	print("total ", total)
	var n = 0
	while true:
		n += 1
		if n >= 5:
			break
	print("n ", n)
	for i in range(5, 0, -2):
		print("down ", i)
	for x in [3, "a", 1.5]:
		print("item ", x)
	var d = {"one": 1, "two": 2, "three": 3}
	for k in d:
		print(k, "=", d[k])
	if total > 100:
		print("big")
	elif total > 10:
		print("medium")
	else:
		print("small")
	print(fib(15))
	for v in [0, 2, 3, "text", [], [1, 9], [5, 6, 7], {"kind": "dog"}, 99]:
		print(classify(v))
	var result = "yes" if total == 16 else "no"
	print(result)
	quit()
