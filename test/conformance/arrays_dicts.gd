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
	var a = [5, 3, 8, 1]
	a.append(7)
	a.push_front(0)
	a.insert(2, 42)
	print(a, " ", a.size(), " ", a.find(8), " ", a.find(99), " ", b(a.has(42)), " ", a.count(3))
	a.sort()
	print(a, " ", a.max(), " ", a.min(), " ", a.front(), " ", a.back())
	print(a.pop_back(), " ", a.pop_front(), " ", a)
	a.erase(42)
	print(a)
	var b = a
	b.append(100)
	var c = a.duplicate()
	c.append(200)
	print(a, " ", c)
	var nested = [[1, 2], [3, [4, 5]]]
	print(nested, " ", nested[1][1][0], " ", len(nested))
	var squares = []
	for i in range(5):
		squares.append(i * i)
	print(squares, " ", squares + [25], " ", b([1, 2] == [1, 2]), " ", b([] == []))
	var d = {}
	d["b"] = 2
	d["a"] = 1
	d[3] = "three"
	print(d.size(), " ", b(d.has("a")), " ", b(d.has("z")), " ", d.get("z", "default"), " ", words(d.keys()), " ", words(d.values()))
	d.erase("b")
	print(words(d.keys()), " ", d["a"], " ", d[3])
	var counts = {}
	for w in ["x", "y", "x", "z", "x"]:
		counts[w] = counts.get(w, 0) + 1
	print(words(counts.keys()), " ", counts.values())
	var e = {"k": [1]}
	var f = e
	f["k"].append(2)
	print(e["k"], " ", b(e.hash() == f.hash()))
	quit()
