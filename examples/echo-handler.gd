# A packet handler for the echo server: dtls-lab echo --script examples/echo-handler.gd
# The server calls handle() for every packet a client sends and sends back what it returns
# (a PackedByteArray or a String; an Array of them sends several packets; null sends nothing).
# Answers end with a newline, so line-based clients (openssl s_client, gnutls-cli) show one per line.
extends RefCounted

var sessions_seen := 0

func _on_session_started(session: Dictionary):
	sessions_seen += 1
	session.data["count"] = 0
	print("session %d from %s:%d (%s)" % [session.id, session.address, session.port, session.suite])
	return "welcome, client %d\n" % sessions_seen

func handle(packet: PackedByteArray, session: Dictionary):
	var text := packet.get_string_from_utf8().strip_edges()
	session.data["count"] += 1
	if text == "stats":
		return "%d packets in this session, %d sessions so far\n" % [session.packets, sessions_seen]
	if text == "quiet":
		return null
	if text.begins_with("repeat "):
		var word := text.substr(7) + "\n"
		return [word, word]
	return "#%d: %s\n" % [session.data["count"], text.to_upper()]

func _on_session_closed(session: Dictionary):
	print("session %d closed (%s) after %d packets" % [session.id, session.reason, session.data["count"]])
