// StreamPeer, StreamPeerTCP, TCPServer and StreamPeerTLS over the run's stream network: in memory on
// the virtual link, real TCP on 127.0.0.1 on the UDP link; TLS runs on Node's TLS stack.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backgroundWork } from '../../engine/godot/runtime';
import { runScript, runScripts } from './godot-helpers';

const echoServer = `
extends Node
var server := TCPServer.new()
var peers = []
func _ready():
  print(server.listen(4600), " ", server.listen(4601), " ", server.is_listening())
func _process(_d):
  while server.is_connection_available():
    var p := server.take_connection()
    p.big_endian = true
    peers.append(p)
  for p in peers:
    p.poll()
    if p.get_available_bytes() >= 4:
      var n := p.get_u32()
      var text := p.get_utf8_string()
      var v = p.get_var()
      p.put_u32(n + 1)
      p.put_utf8_string(text.to_upper())
      p.put_var([v, p.get_connected_host()])
`;

const echoClient = `
extends Node
func _ready():
  var tcp := StreamPeerTCP.new()
  print(tcp.put_data(PackedByteArray([1])))
  print(tcp.connect_to_host("localhost", 4600))
  print(tcp.get_status())
  while tcp.get_status() == StreamPeerTCP.STATUS_CONNECTING:
    tcp.poll()
    OS.delay_msec(1)
  print(tcp.get_status(), " ", tcp.get_connected_port())
  tcp.big_endian = true
  tcp.put_u32(41)
  tcp.put_utf8_string("héllo")
  tcp.put_var({"pi": 3.5})
  print(tcp.get_u32(), " ", tcp.get_utf8_string(), " ", tcp.get_var())
  var refused := StreamPeerTCP.new()
  refused.connect_to_host("127.0.0.1", 4999)
  while refused.get_status() == StreamPeerTCP.STATUS_CONNECTING:
    refused.poll()
    OS.delay_msec(1)
  print("refused ", refused.get_status())
`;

test('TCPServer and StreamPeerTCP exchange numbers, strings and Variants (virtual and real TCP)', async () => {
  for (const link of ['virtual', 'udp'] as const) {
    const { server, client } = await runScripts(echoServer, echoClient, { link });
    assert.deepEqual(server.failures, [], link);
    assert.deepEqual(server.prints, ['0 22 true'], link);
    assert.deepEqual(client.failures, [], link);
    assert.deepEqual(client.prints, ['1', '0', '1', '2 4600', '42 HÉLLO [{ "pi": 3.5 }, "127.0.0.1"]', 'refused 3'], link);
    assert.ok(client.errors.some((e) => /cannot write, the peer is not connected \(status STATUS_NONE\)/.test(e)), link);
  }
});

test('StreamPeer reads wait for their bytes; partial reads do not; the peer closing ends the connection', async () => {
  const { client } = await runScripts(
    `
extends Node
var server := TCPServer.new()
func _ready():
  server.listen(4610)
func _process(_d):
  if server.is_connection_available():
    var p := server.take_connection()
    OS.delay_msec(100)
    p.put_data("abc".to_utf8_buffer())
    OS.delay_msec(100)
    p.put_data("defgh".to_utf8_buffer())
    p.disconnect_from_host()
`,
    `
extends Node
func _ready():
  var tcp := StreamPeerTCP.new()
  tcp.connect_to_host("127.0.0.1", 4610)
  while tcp.get_status() != StreamPeerTCP.STATUS_CONNECTED:
    tcp.poll()
    OS.delay_msec(1)
  print(tcp.get_partial_data(10))
  var t0 := Time.get_ticks_msec()
  var got = tcp.get_data(6)
  print(got[0], " ", got[1].get_string_from_utf8(), " waited ", Time.get_ticks_msec() - t0 >= 190)
  var rest = tcp.get_data(5)
  print(rest[0], " ", rest[1].size())
  OS.delay_msec(50)
  tcp.poll()
  print(tcp.get_status())
`,
  );
  assert.deepEqual(client.failures, []);
  assert.deepEqual(client.prints, ['[0, []]', '0 abcdef waited true', '18 0', '0']);
  assert.ok(client.errors.some((e) => /the connection closed before all the bytes arrived/.test(e)));
});

test('StreamPeerTLS: handshake and data over TCP, certificate checks as TLSOptions say (virtual and real TCP)', async () => {
  const server = `
extends Node
var server := TCPServer.new()
var key: CryptoKey
var cert: X509Certificate
var sessions = []
func _ready():
  var crypto := Crypto.new()
  key = crypto.generate_rsa(2048)
  cert = crypto.generate_self_signed_certificate(key, "CN=localhost")
  cert.save("user://tls.crt")
  server.listen(4620)
func _process(_d):
  while server.is_connection_available():
    var tls := StreamPeerTLS.new()
    tls.accept_stream(server.take_connection(), TLSOptions.server(key, cert))
    sessions.append(tls)
  for tls in sessions:
    tls.poll()
    if tls.get_status() == StreamPeerTLS.STATUS_CONNECTED and tls.get_available_bytes() > 0:
      tls.put_utf8_string("re: " + tls.get_utf8_string())
`;
  const client = `
extends Node
func connect_tls(hostname: String, options: TLSOptions) -> StreamPeerTLS:
  var tcp := StreamPeerTCP.new()
  tcp.connect_to_host("127.0.0.1", 4620)
  var tls := StreamPeerTLS.new()
  tls.connect_to_stream(tcp, hostname, options)
  while tls.get_status() == StreamPeerTLS.STATUS_HANDSHAKING:
    tls.poll()
    OS.delay_msec(2)
  return tls
func _ready():
  OS.delay_msec(50)
  var cert := X509Certificate.new()
  cert.load("user://tls.crt")
  var tls := connect_tls("localhost", TLSOptions.client(cert))
  print(tls.get_status(), " ", tls.get_stream() is StreamPeerTCP)
  tls.put_utf8_string("secret")
  print(tls.get_utf8_string())
  print(connect_tls("other.host", TLSOptions.client(cert)).get_status())
  print(connect_tls("localhost", TLSOptions.client()).get_status())
  print(connect_tls("other.host", TLSOptions.client_unsafe()).get_status())
  print(StreamPeerTLS.new().connect_to_stream(StreamPeerTCP.new(), "x", TLSOptions.server(CryptoKey.new(), cert)))
`;
  for (const link of ['virtual', 'udp'] as const) {
    const r = await runScripts(server, client, { link });
    assert.deepEqual(r.client.failures, [], link);
    assert.deepEqual(r.client.prints, ['2 true', 're: secret', '4', '3', '2', '31'], link);
    assert.ok(r.client.errors.some((e) => /Hostname\/IP does not match certificate's altnames/.test(e)), link);
    assert.equal(backgroundWork.sessions, 0, 'the TLS sessions were closed at the end of the run');
  }
});

test('a connection buffers at most maxBufferedBytes unread bytes; more is refused at the write', async () => {
  const { client } = await runScripts(
    `
extends Node
var server := TCPServer.new()
var keep = []
func _ready():
  server.listen(4630)
func _process(_d):
  if server.is_connection_available():
    keep.append(server.take_connection())
`,
    `
extends Node
func _ready():
  var tcp := StreamPeerTCP.new()
  tcp.connect_to_host("127.0.0.1", 4630)
  while tcp.get_status() != StreamPeerTCP.STATUS_CONNECTED:
    tcp.poll()
    OS.delay_msec(1)
  var chunk := PackedByteArray()
  chunk.resize(3000)
  print(tcp.put_data(chunk), " ", tcp.put_data(chunk), " ", tcp.put_partial_data(chunk))
`,
    { godotLimits: { maxBufferedBytes: 5000 } },
  );
  assert.deepEqual(client.prints, ['0 6 [6, 0]']);
  assert.ok(client.errors.some((e) => /more than 5000 bytes are waiting to be read by the other side \(sandbox limit\)/.test(e)));
});

test('Godot 3 names: StreamPeerTCP.is_connected_to_host and TCP_Server', async () => {
  const a = await runScript('extends Node\nfunc _ready():\n  StreamPeerTCP.new().is_connected_to_host()\n');
  assert.match(a.failures[0].message, /Godot 3's is_connected_to_host\(\) is get_status\(\) == StreamPeerTCP\.STATUS_CONNECTED \(after poll\(\)\) in Godot 4\./);
  const b = await runScript('extends Node\nfunc _ready():\n  var s = TCP_Server.new()\n');
  assert.match(b.failures[0].message, /Godot 3's TCP_Server is TCPServer in Godot 4\./);
});
