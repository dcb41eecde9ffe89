# godot3-compatible: runs unchanged on Godot 3.2.3 and 4.3 (extends SceneTree, _init(), quit()).
extends SceneTree

# Godot 3 prints booleans as True/False and strings in arrays unquoted: these helpers print the same in both.
func b(v):
	return "T" if v else "F"

func words(list):
	var out = ""
	for w in list:
		out += str(w) + ";"
	return out

func _init():
	print(7 / 2, " ", -7 / 2, " ", 7 / -2, " ", -7 / -2)
	print(7 % 3, " ", -7 % 3, " ", 7 % -3, " ", -7 % -3)
	print(2 + 3 * 4 - 10 / 5, " ", (2 + 3) * 4, " ", 2 * 3 % 4)
	print(1 << 10, " ", 1024 >> 3, " ", 5 & 3, " ", 5 | 3, " ", 5 ^ 3, " ", ~5)
	print(7.0 / 2, " ", 7 / 2.0, " ", 0.5 + 0.25, " ", 3.0 * 2, " ", -1.5 * 2)
	print(b(3 > 2), " ", b(3 == 3.0), " ", b(2 != 2), " ", b("a" < "b"), " ", b("abc" == "abc"))
	print(b(1 + 2 == 3 and not false), " ", b(true or false and false), " ", b(not 1 == 2))
	print(int(3.99), " ", int(-3.99), " ", float(3), " ", int("42"), " ", int(true))
	print(abs(-5), " ", abs(-2.5), " ", max(3, 7), " ", min(3, 7), " ", clamp(15, 0, 10))
	print(floor(2.7), " ", ceil(2.1), " ", round(2.5), " ", round(-2.5), " ", sign(-3))
	print(sqrt(16.0), " ", pow(2, 10), " ", 10 % 4 * 3, " ", -(2 + 3))
	var x = 10
	x += 5
	x -= 3
	x *= 2
	x /= 4
	x %= 4
	print(x)
	var big = 1
	for i in range(40):
		big *= 3
	print(big, " ", big % 1000000007)
	print(0x1F, " ", 0b101, " ", 1e3, " ", 2.5e-3, " ", 123456789 * 1000)
	quit()
