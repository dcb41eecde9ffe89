// The text the echo server prints for the user to paste: a Godot 4 client that trusts exactly the
// server's certificate (inline PEM, host name "localhost"), and the matching openssl/gnutls lines.

export interface ClientSnippetOptions {
  certificatePem: string;
  /** Address the client sends to (default 127.0.0.1). */
  host?: string;
  port: number;
  /** Host name checked against the certificate (default localhost). */
  hostname?: string;
  /** First message sent (default "hello from Godot"). */
  message?: string;
}

/** GDScript string literal content must not contain a closing triple quote or backslashes: PEM has neither. */
function pemBody(pem: string): string {
  const match = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem);
  if (!match) throw new Error('no PEM certificate');
  return match[0].replace(/\r\n/g, '\n');
}

/** A Godot 4 Node script: connects with TLSOptions.client(cert), polls in _process, prints echoes. */
export function godot4ClientSnippet(options: ClientSnippetOptions): string {
  const host = options.host ?? '127.0.0.1';
  const hostname = options.hostname ?? 'localhost';
  const message = (options.message ?? 'hello from Godot').replace(/["\\]/g, '');
  return `extends Node
# Godot 4 DTLS client for the dtls-lab echo server at ${host}:${options.port}.
# It trusts exactly this server's certificate (pinned below) and checks the host name "${hostname}".

const SERVER_CERT := """${pemBody(options.certificatePem)}"""

var udp := PacketPeerUDP.new()
var dtls := PacketPeerDTLS.new()
var sent := false

func _ready():
	var cert := X509Certificate.new()
	var err := cert.load_from_string(SERVER_CERT)
	if err != OK:
		push_error("cannot load the certificate: %d" % err)
		return
	udp.connect_to_host("${host}", ${options.port})
	err = dtls.connect_to_peer(udp, "${hostname}", TLSOptions.client(cert))
	if err != OK:
		push_error("connect_to_peer failed: %d" % err)

func _process(_delta):
	dtls.poll()
	var status := dtls.get_status()
	if status == PacketPeerDTLS.STATUS_CONNECTED:
		if not sent:
			dtls.put_packet("${message}".to_utf8_buffer())
			sent = true
		while dtls.get_available_packet_count() > 0:
			print("echo: ", dtls.get_packet().get_string_from_utf8())
	elif status == PacketPeerDTLS.STATUS_ERROR or status == PacketPeerDTLS.STATUS_ERROR_HOSTNAME_MISMATCH:
		push_error("DTLS failed with status %d" % status)
		set_process(false)
`;
}

export function opensslClientCommand(port: number, caFile: string, host = '127.0.0.1'): string {
  return `openssl s_client -dtls1_2 -connect ${host}:${port} -CAfile ${shellQuote(caFile)} -verify_return_error`;
}

export function gnutlsClientCommand(port: number, caFile: string, host = '127.0.0.1'): string {
  return `gnutls-cli --udp -p ${port} ${host} --x509cafile ${shellQuote(caFile)}`;
}

export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
