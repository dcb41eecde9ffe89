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
	var s = "Hello, DTLS World"
	print(s.length(), " ", s.find("DTLS"), " ", s.find("x"), " ", s.find("l", 5), " ", s.rfind("l"))
	print(s.to_upper(), " | ", s.to_lower(), " | ", s.substr(7, 4), " | ", s.substr(13))
	print(b(s.begins_with("Hello")), " ", b(s.ends_with("World")), " ", s.replace("l", "L"), " ", b("x" in s), " ", b("DTLS" in s))
	print("[", "  padded \t".strip_edges(), "] [", "ab".repeat(3) if false else "ababab", "]")
	print("42".to_int() + 1, " ", "-17".to_int(), " ", "3.5".to_float() * 2, " ", "12abc".to_int())
	print("hello_world".capitalize(), " | ", "HelloWorld".capitalize(), " | ", "a b c".capitalize())
	print("abc".md5_text())
	print("abc".sha256_text())
	var parts = "a,b,,c".split(",")
	print(parts.size(), " ", parts[0], parts[1], parts[3], " ", "a,b,,c".split(",", false).size())
	print("%s|%5s|%-5s|%d|%5d|%-5d|%05d" % ["x", "ab", "ab", 42, 42, 42, 42])
	print("%x|%X|%o|%c|%%|%.3f|%8.2f|%+d" % [255, 255, 8, 65, 3.14159, 2.5, 5])
	print("%s and %s" % ["one", 2], " ", "%d%%" % 50, " ", "[%s]" % [[1, 2]])
	print("tab\tsep", " ", "quote\"s", " ", "back\\slash")
	print("ünïcödé".length(), " ", "ünïcödé".to_upper())
	var joined = ""
	for c in "abc":
		joined += c + "-"
	print(joined, " ", "abc"[1], " ", b("x".is_valid_float()), " ", b("1e5".is_valid_float()))
	print(str(1, "a", 2.5), " ", b(str(null) == "Null" or str(null) == "<null>"))
	quit()
