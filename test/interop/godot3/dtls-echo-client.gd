# Godot 3.2 (mbedTLS) PacketPeerDTLS echo client for the interop tests (test/interop/godot3-client.test.ts).
# Run: godot3-server --no-window -s dtls-echo-client.gd
# Environment:
#   DTLS_PORT         server port on 127.0.0.1
#   DTLS_CERT         PEM certificate to trust (valid_certificate); empty: null
#   DTLS_HOSTNAME     for_hostname (default "")
#   DTLS_VALIDATE     "1" (default) or "0": validate_certs
#   DTLS_MESSAGES     ASCII messages separated by "|", sent one at a time, each after the previous echo
#   DTLS_DEADLINE_MS  default 12000
# Protocol, one line each on stdout:
#   CONNECTING <error>      connect_to_peer returned
#   STATUS <n>              the status changed (0 DISCONNECTED, 1 HANDSHAKING, 2 CONNECTED, 3 ERROR,
#                           4 ERROR_HOSTNAME_MISMATCH)
#   SENT <text> / ECHO <text>
#   CLOSED                  all echoes back, disconnect_from_peer() called (close_notify sent)
#   RESULT ok | RESULT failed <status> | RESULT timeout <status>
extends SceneTree

func _init():
	var port = int(OS.get_environment("DTLS_PORT"))
	var hostname = OS.get_environment("DTLS_HOSTNAME")
	var validate = OS.get_environment("DTLS_VALIDATE") != "0"
	var messages = OS.get_environment("DTLS_MESSAGES").split("|", false)
	var deadline_ms = 12000
	if OS.get_environment("DTLS_DEADLINE_MS") != "":
		deadline_ms = int(OS.get_environment("DTLS_DEADLINE_MS"))
	var cert = null
	if OS.get_environment("DTLS_CERT") != "":
		cert = X509Certificate.new()
		var load_err = cert.load(OS.get_environment("DTLS_CERT"))
		if load_err != OK:
			print("RESULT failed cert ", load_err)
			quit()
			return
	var udp = PacketPeerUDP.new()
	var err = udp.connect_to_host("127.0.0.1", port)
	if err != OK:
		print("RESULT failed udp ", err)
		quit()
		return
	var dtls = PacketPeerDTLS.new()
	err = dtls.connect_to_peer(udp, validate, hostname, cert)
	print("CONNECTING ", err)

	var sent = 0
	var echoed = 0
	var last_status = -1
	var result = ""
	var deadline = OS.get_ticks_msec() + deadline_ms
	while result == "" and OS.get_ticks_msec() < deadline:
		dtls.poll()
		var status = dtls.get_status()
		if status != last_status:
			print("STATUS ", status)
			last_status = status
		if status == PacketPeerDTLS.STATUS_CONNECTED:
			while dtls.get_available_packet_count() > 0:
				print("ECHO ", dtls.get_packet().get_string_from_utf8())
				echoed += 1
			if echoed == messages.size():
				dtls.disconnect_from_peer()
				print("CLOSED")
				result = "ok"
			elif sent == echoed:
				dtls.put_packet(messages[sent].to_utf8())
				print("SENT ", messages[sent])
				sent += 1
		elif status != PacketPeerDTLS.STATUS_HANDSHAKING:
			result = "failed " + str(status)
		OS.delay_msec(2)
	if result == "":
		result = "timeout " + str(dtls.get_status())
	print("RESULT ", result)
	quit()
