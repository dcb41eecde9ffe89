# @dtls client
# A Godot 3 DTLS client. Godot 4 renamed and re-shaped some of these calls: each one is underlined
# with its Godot 4 replacement. "Godot DTLS Lab: Apply all Godot 4 fixes" applies them all at once.
extends Node

var udp := PacketPeerUDP.new()
var dtls := PacketPeerDTLS.new()

func _ready():
	udp.connect_to_host("127.0.0.1", 4242)
	dtls.connect_to_peer(udp, false, "localhost")
	yield(get_tree().create_timer(0.5), "timeout")
	dtls.poll()
	print("status: ", dtls.get_status())
