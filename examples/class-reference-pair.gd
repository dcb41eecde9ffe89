# The DTLSServer / PacketPeerDTLS example pair from the Godot 4.3 class reference, in working Godot 4
# form. What changed against the reference text:
#   - the server passes TLSOptions.server(key, cert) to setup() (the reference still shows Godot 3's
#     setup(key, cert), and elsewhere the misspelled "TlsOptions");
#   - the client passes a host name and TLSOptions.client_unsafe() to connect_to_peer() (Godot 3's
#     connect_to_peer(udp, false) turned certificate validation off);
#   - the server calls UDPServer.poll() every frame: in Godot 4 new connections appear only after poll();
#   - the client connects to "127.0.0.1" and quits once the server answered, so the run ends.
# key.key and cert.crt are loaded from res://, the folder of this file: a development key and a
# self-signed certificate for CN=localhost. Make your own with Crypto.generate_rsa() and
# Crypto.generate_self_signed_certificate(), then key.save(...) / cert.save(...).

# @dtls server
# server_node.gd
extends Node

var dtls := DTLSServer.new()
var server := UDPServer.new()
var peers = []

func _ready():
	server.listen(4242)
	var key = load("key.key") # Your private key.
	var cert = load("cert.crt") # Your X509 certificate.
	dtls.setup(TLSOptions.server(key, cert))

func _process(delta):
	server.poll()
	while server.is_connection_available():
		var peer: PacketPeerUDP = server.take_connection()
		var dtls_peer: PacketPeerDTLS = dtls.take_connection(peer)
		if dtls_peer.get_status() != PacketPeerDTLS.STATUS_HANDSHAKING:
			continue # It is normal that 50% of the connections fails due to cookie exchange.
		print("Peer connected!")
		peers.append(dtls_peer)

	for p in peers:
		p.poll() # Must poll to update the state.
		if p.get_status() == PacketPeerDTLS.STATUS_CONNECTED:
			while p.get_available_packet_count() > 0:
				print("Received message from client: %s" % p.get_packet().get_string_from_utf8())
				p.put_packet("Hello DTLS client".to_utf8_buffer())

# @dtls client
# client_node.gd
extends Node

var dtls := PacketPeerDTLS.new()
var udp := PacketPeerUDP.new()
var connected = false

func _ready():
	udp.connect_to_host("127.0.0.1", 4242)
	dtls.connect_to_peer(udp, "localhost", TLSOptions.client_unsafe()) # Use TLSOptions.client(cert) to validate!

func _process(delta):
	dtls.poll()
	if dtls.get_status() == PacketPeerDTLS.STATUS_CONNECTED:
		if !connected:
			# Try to contact server
			dtls.put_packet("The answer is... 42!".to_utf8_buffer())
		while dtls.get_available_packet_count() > 0:
			print("Connected: %s" % dtls.get_packet().get_string_from_utf8())
			connected = true
			get_tree().quit()
