# Godot 3.2 (mbedTLS) DTLS echo server for the interop tests (test/interop/godot3-server.test.ts).
# Run: godot3-server --no-window -s dtls-echo-server.gd
# Environment: DTLS_PORT, DTLS_KEY, DTLS_CERT (PEM files), DTLS_DEADLINE_MS (default 12000).
# Protocol, one line each on stdout:
#   READY <port>            listening, DTLSServer set up
#   FATAL <what> <error>    setup failed (the script quits)
#   TAKE <status>           UDPServer handed over a new peer; <status> after DTLSServer.take_connection
#   DROP <status>           a peer left HANDSHAKING/CONNECTED without having connected (e.g. after the
#                           HelloVerifyRequest: the retried ClientHello arrives as a new connection)
#   CONNECTED               a peer finished its handshake
#   ECHO <text>             a datagram was received and sent back unchanged
#   DISCONNECTED <status>   a connected peer left CONNECTED (close_notify); the script quits
#   TIMEOUT                 the deadline passed
extends SceneTree

func _init():
	var port = int(OS.get_environment("DTLS_PORT"))
	var deadline_ms = 12000
	if OS.get_environment("DTLS_DEADLINE_MS") != "":
		deadline_ms = int(OS.get_environment("DTLS_DEADLINE_MS"))
	var key = CryptoKey.new()
	var err = key.load(OS.get_environment("DTLS_KEY"))
	if err != OK:
		print("FATAL key ", err)
		quit()
		return
	var cert = X509Certificate.new()
	err = cert.load(OS.get_environment("DTLS_CERT"))
	if err != OK:
		print("FATAL cert ", err)
		quit()
		return
	var udp_server = UDPServer.new()
	err = udp_server.listen(port, "127.0.0.1")
	if err != OK:
		print("FATAL listen ", err)
		quit()
		return
	var dtls_server = DTLSServer.new()
	err = dtls_server.setup(key, cert)
	if err != OK:
		print("FATAL setup ", err)
		quit()
		return
	print("READY ", port)

	var peers = []
	var connected = []
	var done = false
	var deadline = OS.get_ticks_msec() + deadline_ms
	while not done and OS.get_ticks_msec() < deadline:
		udp_server.poll()
		while udp_server.is_connection_available():
			var peer = dtls_server.take_connection(udp_server.take_connection())
			print("TAKE ", peer.get_status())
			peers.append(peer)
		var still = []
		for i in range(peers.size()):
			var peer = peers[i]
			peer.poll()
			var status = peer.get_status()
			if status == PacketPeerDTLS.STATUS_HANDSHAKING:
				still.append(peer)
			elif status == PacketPeerDTLS.STATUS_CONNECTED:
				print("CONNECTED")
				connected.append(peer)
			else:
				print("DROP ", status)
		peers = still
		var live = []
		for i in range(connected.size()):
			var peer = connected[i]
			peer.poll()
			while peer.get_status() == PacketPeerDTLS.STATUS_CONNECTED and peer.get_available_packet_count() > 0:
				var data = peer.get_packet()
				print("ECHO ", data.get_string_from_utf8())
				peer.put_packet(data)
			var status = peer.get_status()
			if status == PacketPeerDTLS.STATUS_CONNECTED:
				live.append(peer)
			else:
				print("DISCONNECTED ", status)
				done = true
		connected = live
		OS.delay_msec(2)
	if not done:
		print("TIMEOUT")
	quit()
