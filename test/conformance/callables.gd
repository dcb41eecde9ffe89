# Godot 4 only: lambdas (single- and multi-line, in call arguments), Callable bind/unbind/call/callv,
# and the Array methods that take callables.
extends SceneTree

func add(a, b):
	return a + b

func _init():
	var numbers = [4, 8, 15, 16, 23, 42]
	var evens = numbers.filter(func(n): return n % 2 == 0)
	var labels = numbers.map(func(n):
		if n > 20:
			return "big %d" % n
		return "small %d" % n
	)
	print(evens, " ", labels)
	print(numbers.reduce(func(acc, n): return acc + n), " ", numbers.reduce(func(acc, n): return acc + n, 100))
	print(numbers.any(func(n): return n > 40), " ", numbers.all(func(n): return n > 3))
	var words = ["pear", "fig", "banana", "kiwi"]
	words.sort_custom(func(a, b): return a.length() < b.length() or (a.length() == b.length() and a < b))
	print(words)
	var plus = add
	print(plus.call(2, 3), " ", plus.callv([10, 20]), " ", plus.bind(100).call(1), " ", plus.get_method())
	var add_ten = add.bind(10)
	print(add_ten.call(5), " ", add_ten.get_bound_arguments(), " ", add.unbind(2).call(1, 2, 99, 98))
	var counter = 0
	var count_up = func():
		counter += 1
		return counter
	print(count_up.call(), " ", count_up.call(), " ", counter)
	var make_multiplier = func(factor):
		return func(x): return x * factor
	var triple = make_multiplier.call(3)
	print(triple.call(7), " ", [1, 2, 3].map(triple))
	var named = func square(x): return x * x
	print(named.call(9), " ", named)
	quit()
