// The two DTLS snippets from the product brief (tabs for indentation), shared by the GDScript tests.

export const SERVER_SCRIPT = `# @dtls server
extends Node

var udp_server := UDPServer.new()
var dtls_server := DTLSServer.new()
var peers: Array[PacketPeerDTLS] = []

func _ready():
	var crypto := Crypto.new()
	var key := crypto.generate_rsa(2048)
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
`;

export const CLIENT_SCRIPT = `# @dtls client
extends Node

func _ready():
	var udp := PacketPeerUDP.new()
	udp.connect_to_host("127.0.0.1", 4242)
	var dtls := PacketPeerDTLS.new()
	dtls.connect_to_peer(udp, "localhost", TLSOptions.client_unsafe())
	while dtls.get_status() == PacketPeerDTLS.STATUS_HANDSHAKING:
		dtls.poll()
		OS.delay_msec(10)
	print("status: ", dtls.get_status())
	dtls.put_packet("hello".to_utf8_buffer())
	while dtls.get_available_packet_count() == 0:
		dtls.poll()
		OS.delay_msec(10)
	print("client got: ", dtls.get_packet().get_string_from_utf8())
`;
