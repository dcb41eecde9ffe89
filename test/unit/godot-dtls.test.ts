// DTLSServer, PacketPeerDTLS and TLSOptions: the class reference's example pair, Godot's error codes,
// certificate validation with a certificate one peer saves to user:// and the other loads.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSnippets } from '../../engine/sandbox/document';
import { runPair } from '../../engine/sandbox/run-pair';
import { runScript, runScripts } from './godot-helpers';

const examples = join(__dirname, '..', '..', '..', 'examples');
const example = readFileSync(join(examples, 'class-reference-pair.gd'), 'utf8');

function prints(report: Awaited<ReturnType<typeof runPair>>, peer: string): string[] {
  return report.peers.find((p) => p.name === peer)!.prints.map((p) => p.text);
}

async function runExample(text: string, link: 'virtual' | 'udp') {
  const doc = readSnippets(text, 'gdscript');
  return runPair(doc.pairs[0], { link, documentFolder: examples });
}

function assertExampleConnected(report: Awaited<ReturnType<typeof runPair>>): void {
  assert.deepEqual(report.problems.filter((p) => p.severity === 'error'), []);
  assert.deepEqual(prints(report, 'server').slice(0, 2), ['Peer connected!', 'Received message from client: The answer is... 42!']);
  // The example's client puts its packet every frame until the first reply arrives: on the virtual
  // link the reply comes within the frame, exactly once; over real UDP a slow reply means a second
  // packet and a second (identical) reply, as in Godot.
  const client = prints(report, 'client');
  if (report.link === 'virtual') assert.deepEqual(client, ['Connected: Hello DTLS client']);
  else {
    assert.ok(client.length >= 1, 'the client got a reply');
    assert.deepEqual(new Set(client), new Set(['Connected: Hello DTLS client']));
  }
  const statuses = report.timeline.filter((e) => e.kind === 'status').map((e) => `${e.peer}:${'statusName' in e ? e.statusName : ''}`);
  assert.ok(statuses.includes('server:STATUS_ERROR'), 'the first connection only got the cookie exchange');
  assert.ok(statuses.includes('client:STATUS_CONNECTED'));
}

test('the class reference DTLS example pair (Godot 4 form) connects, loading key.key and cert.crt from res://', async () => {
  for (const link of ['virtual', 'udp'] as const) assertExampleConnected(await runExample(example, link));
});

test('the class reference example pair connects with the key and certificate read through CryptoKey.load / X509Certificate.load', async () => {
  const text = example
    .replace('var key = load("key.key") # Your private key.', 'var key := CryptoKey.new()\n\tkey.load("key.key")')
    .replace('var cert = load("cert.crt") # Your X509 certificate.', 'var cert := X509Certificate.new()\n\tcert.load("res://cert.crt")');
  for (const link of ['virtual', 'udp'] as const) assertExampleConnected(await runExample(text, link));
});

test('the client validates the server with TLSOptions.client(cert): a certificate the server saved to user://', async () => {
  const server = `
extends Node
var udp := UDPServer.new()
var dtls := DTLSServer.new()
var peers = []
func _ready():
  var crypto := Crypto.new()
  var key := crypto.generate_rsa(2048)
  var cert := crypto.generate_self_signed_certificate(key, "CN=lab.example,O=Lab,C=US")
  print(cert.save("user://server.crt"), " ", cert.save("res://server.crt"))
  print(dtls.setup(TLSOptions.server(key, cert)), " ", dtls.setup(TLSOptions.server(key, cert)))
  udp.listen(4500)
func _process(_d):
  udp.poll()
  while udp.is_connection_available():
    var p := dtls.take_connection(udp.take_connection())
    if p.get_status() == PacketPeerDTLS.STATUS_HANDSHAKING:
      peers.append(p)
  for p in peers:
    p.poll()
`;
  const client = (hostname: string) => `
extends Node
func _ready():
  OS.delay_msec(50)
  var cert := X509Certificate.new()
  print(cert.load("user://server.crt"))
  var udp := PacketPeerUDP.new()
  udp.connect_to_host("127.0.0.1", 4500)
  var dtls := PacketPeerDTLS.new()
  print(dtls.put_packet("early".to_utf8_buffer()))
  print(dtls.connect_to_peer(udp, "${hostname}", TLSOptions.client(cert)))
  print(dtls.connect_to_peer(udp, "${hostname}", TLSOptions.client(cert)))
  while dtls.get_status() == PacketPeerDTLS.STATUS_HANDSHAKING:
    dtls.poll()
    OS.delay_msec(5)
  print("status ", dtls.get_status())
`;
  const good = await runScripts(server, client('lab.example'));
  assert.deepEqual(good.server.prints, ['0 31', '0 22']);
  assert.ok(good.server.errors.some((e) => /res:\/\/ \(the snippet's folder\) is read-only in the sandbox; write to user:\/\/ instead/.test(e)));
  assert.ok(good.server.errors.includes('Cookie context already initialized.'));
  assert.deepEqual(good.client.prints, ['0', '3', '0', '22', 'status 2']);
  assert.ok(good.client.errors.some((e) => /put_packet: the session is not connected \(status STATUS_DISCONNECTED\)/.test(e)));
  const wrongName = await runScripts(server, client('other.example'));
  assert.equal(wrongName.client.prints.at(-1), 'status 4', 'STATUS_ERROR_HOSTNAME_MISMATCH');
});

test('Godot 3 calls of DTLS methods fail with the Godot 4 replacement in the message', async () => {
  const setup = await runScript(`
extends Node
func _ready():
  var crypto := Crypto.new()
  var key := crypto.generate_rsa(2048)
  var cert := crypto.generate_self_signed_certificate(key)
  DTLSServer.new().setup(key, cert)
`);
  assert.match(setup.failures[0]?.message ?? '', /Expected 1 argument\(s\), got 2\. Godot 3's setup\(key, cert, chain\) is setup\(TLSOptions\.server\(key, cert\)\) in Godot 4\./);
  const connect = await runScript(`
extends Node
func _ready():
  var udp := PacketPeerUDP.new()
  udp.connect_to_host("127.0.0.1", 4242)
  PacketPeerDTLS.new().connect_to_peer(udp, false)
`);
  assert.match(connect.failures[0]?.message ?? '', /Cannot convert argument 2 from bool to String\. Godot 3's connect_to_peer\(packet_peer, validate_certs, for_hostname, valid_certificate\) is connect_to_peer\(packet_peer, hostname, TLSOptions\.client\(valid_certificate\)\)/);
  const ssl = await runScript('extends Node\nfunc _ready():\n  var s = StreamPeerSSL.new()\n');
  assert.match(ssl.failures[0]?.message ?? '', /Identifier "StreamPeerSSL" not declared in the current scope\. Godot 3's StreamPeerSSL is StreamPeerTLS in Godot 4\./);
});
