# @dtls server name=echo
extends Node

var udp_server := UDPServer.new()
var dtls_server := DTLSServer.new()
var peers: Array[PacketPeerDTLS] = []

func _ready():
	var crypto := Crypto.new()
	var key := crypto.generate_rsa(1024)
	var cert := crypto.generate_self_signed_certificate(key, "CN=localhost,O=Lab,C=US")
	dtls_server.setup(TLSOptions.server(key, cert))
	udp_server.listen(4242, "127.0.0.1")

func _process(_delta):
	udp_server.poll()
	while udp_server.is_connection_available():
		var peer := dtls_server.take_connection(udp_server.take_connection())
		if peer.get_status() == PacketPeerDTLS.STATUS_HANDSHAKING:
			peers.append(peer)
	for p in peers:
		p.poll()
		if p.get_status() == PacketPeerDTLS.STATUS_CONNECTED:
			while p.get_available_packet_count() > 0:
				var msg := p.get_packet()
				print("server got: ", msg.get_string_from_utf8())
				p.put_packet(msg)

# @dtls client call=send_data("hi")
extends Node

var udp := PacketPeerUDP.new()
var dtls := PacketPeerDTLS.new()

func _ready():
	udp.connect_to_host("127.0.0.1", 4242)
	dtls.connect_to_peer(udp, "localhost", TLSOptions.client_unsafe())

func _process(_delta):
	dtls.poll()
	while dtls.get_available_packet_count() > 0:
		print("client got: ", dtls.get_packet().get_string_from_utf8())
		get_tree().quit()

# @dtls client part
func send_data(data):
	print("sending ", data)
	dtls.put_packet(data.to_utf8_buffer())
