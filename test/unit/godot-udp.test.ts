// PacketPeer, PacketPeerUDP and UDPServer: Godot's return codes and error lines, Variant packets,
// blocking wait(), and the sandbox's loopback-only network and socket limit.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptError } from '../../engine/gdscript/host';
import { GdArray, GdDictionary, GdPackedByteArray, makeFloat } from '../../engine/gdscript/values';
import { decodeVariant, encodeVariant } from '../../engine/godot/marshalling';
import { runScript, runScripts } from './godot-helpers';

test('put_var / get_var use Godot\'s binary Variant encoding', () => {
  const hex = (v: Parameters<typeof encodeVariant>[0]) => {
    const r = encodeVariant(v);
    assert.ok(r.ok);
    return Buffer.from(r.bytes).toString('hex');
  };
  assert.equal(hex(null), '00000000');
  assert.equal(hex(true), '0100000001000000');
  assert.equal(hex(-2), '02000000feffffff');
  assert.equal(hex(2 ** 40), '0200010000000000' + '00010000');
  assert.equal(hex(makeFloat(2.5)), '0300000000002040');
  assert.equal(hex(makeFloat(0.1)), '030001009a9999999999b93f');
  assert.equal(hex('hé'), '0400000003000000' + '68c3a900');
  assert.equal(hex(new GdPackedByteArray([1, 2, 3, 4, 5])), '1d00000005000000' + '0102030405000000');
  const dict = new GdDictionary();
  dict.set('k', new GdArray([1, null]));
  assert.equal(hex(dict), '1b00000001000000' + '04000000010000006b000000' + '1c00000002000000' + '0200000001000000' + '00000000');
  const back = decodeVariant(encodeVariant(dict).ok ? (encodeVariant(dict) as { bytes: Uint8Array }).bytes : new Uint8Array());
  assert.ok(back.ok && back.value instanceof GdDictionary && back.value.get('k') instanceof GdArray);
  const bad = decodeVariant(new Uint8Array([4, 0, 0, 0, 200, 0, 0, 0]));
  assert.ok(!bad.ok && bad.error === 30, 'a string longer than the data is ERR_INVALID_DATA');
  const cyclic = new GdArray([]);
  cyclic.items.push(cyclic);
  const deep = encodeVariant(cyclic);
  assert.ok(!deep.ok && deep.error === 6, 'a cyclic array is refused with ERR_OUT_OF_MEMORY');
  assert.throws(() => {
    throw new ScriptError('unused');
  });
});

test('Variants travel over UDP between two peers with put_var / get_var', async () => {
  const { server, client, report } = await runScripts(
    `
extends Node
var udp := PacketPeerUDP.new()
func _ready():
  print(udp.bind(4000))
func _process(_d):
  while udp.get_available_packet_count() > 0:
    var v = udp.get_var()
    print(typeof(v), " ", v, " from ", udp.get_packet_ip())
    udp.set_dest_address(udp.get_packet_ip(), udp.get_packet_port())
    udp.put_var({"echo": v, "n": 1.5})
`,
    `
extends Node
func _ready():
  var udp := PacketPeerUDP.new()
  print(udp.connect_to_host("127.0.0.1", 4000))
  print(udp.put_var([1, "two", 3.0, PackedByteArray([4]), null, true]))
  udp.wait()
  var v = udp.get_var()
  print(v["echo"][1], " ", v["n"], " ", udp.get_packet_error())
`,
  );
  assert.deepEqual(report.problems.filter((p) => p.severity === 'error'), []);
  assert.deepEqual(server.prints, ['0', '28 [1, "two", 3, [4], <null>, true] from 127.0.0.1']);
  assert.deepEqual(client.prints, ['0', '0', 'two 1.5 0']);
});

test('Godot\'s error codes and error lines for misuse', async () => {
  const r = await runScript(`
extends Node
func _ready():
  var a := PacketPeerUDP.new()
  print(a.put_packet(PackedByteArray([1])))
  var pkt = a.get_packet()
  print(pkt.size(), " ", a.get_packet_error())
  print(a.bind(4100))
  print(a.bind(4101))
  var b := PacketPeerUDP.new()
  print(b.bind(4100))
  print(b.bind(70000))
  print(b.bind(4102, "not-an-ip"))
  var c := PacketPeerUDP.new()
  print(c.connect_to_host("127.0.0.1", 0))
  print(c.connect_to_host("127.0.0.1", 4100))
  print(c.set_dest_address("127.0.0.1", 4100))
  print(c.wait() if false else "skip")
  var s := UDPServer.new()
  print(s.poll())
  print(s.listen(4100))
  print(s.listen(4200), " ", s.listen(4201))
  print(s.is_listening(), " ", s.get_local_port(), " ", s.take_connection())
  s.max_pending_connections = 3
  print(s.get_max_pending_connections())
  a.encode_buffer_max_size = 2000
  print(a.encode_buffer_max_size)
  a.set_dest_address("127.0.0.1", 4200)
  print(a.put_var(PackedByteArray().resize(5000) if false else "x".repeat(3000)))
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints, [
    '3', // ERR_UNCONFIGURED: no destination
    '0 2', // empty packet, ERR_UNAVAILABLE
    '0',
    '22', // ERR_ALREADY_IN_USE: bound already
    '2', // ERR_UNAVAILABLE: the port is taken
    '31', // ERR_INVALID_PARAMETER: port out of range
    '31', // not an IP address
    '31', // remote port 0
    '0',
    '3', // ERR_UNCONFIGURED: connected sockets have no destination address
    'skip',
    '3', // poll() before listen(): ERR_UNCONFIGURED
    '2', // port taken by a PacketPeerUDP
    '0 22',
    'true 4200 <null>',
    '3',
    '2048', // rounded up to a power of two
    '6', // ERR_OUT_OF_MEMORY: bigger than encode_buffer_max_size
  ]);
  assert.ok(r.errors.some((e) => /no destination/.test(e)));
  assert.ok(r.errors.some((e) => /no packet available/.test(e)));
  assert.ok(r.errors.some((e) => /already open/.test(e)));
  assert.ok(r.errors.some((e) => /Port 4100 on 127\.0\.0\.1 is already in use/.test(e)));
  assert.ok(r.errors.some((e) => e === 'The local port number must be between 0 and 65535 (inclusive).'));
  assert.ok(r.errors.some((e) => e === 'Destination address cannot be set for connected sockets'));
  assert.ok(r.errors.some((e) => /encode_buffer_max_size/.test(e)));
});

test('wait() blocks until a packet arrives while the other peer runs; it also works over real UDP', async () => {
  for (const link of ['virtual', 'udp'] as const) {
    const { client, server } = await runScripts(
      `
extends Node
func _ready():
  var udp := PacketPeerUDP.new()
  udp.bind(4300)
  var t0 := Time.get_ticks_msec()
  print(udp.wait())
  print("waited ", Time.get_ticks_msec() - t0 >= 200, " ", udp.get_packet().get_string_from_utf8())
`,
      `
extends Node
func _ready():
  OS.delay_msec(250)
  var udp := PacketPeerUDP.new()
  udp.set_dest_address("localhost", 4300)
  print(udp.put_packet("ping".to_utf8_buffer()))
`,
      { link },
    );
    assert.deepEqual(server.failures, [], link);
    assert.deepEqual(server.prints, ['0', 'waited true ping'], link);
    assert.deepEqual(client.prints, ['0'], link);
  }
});

test('the network is loopback only: other hosts, broadcast and multicast are refused with a diagnostic', async () => {
  const r = await runScript(`
extends Node
func _ready():
  var u := PacketPeerUDP.new()
  print(u.connect_to_host("8.8.8.8", 53))
  print(u.connect_to_host("example.com", 80))
  print(u.bind(5000, "192.168.1.10"))
  u.set_broadcast_enabled(true)
  print(u.set_dest_address("255.255.255.255", 5000))
  print(u.join_multicast_group("224.0.0.251", "eth0"))
  print(u.leave_multicast_group("224.0.0.251", "eth0"))
  var t := StreamPeerTCP.new()
  print(t.connect_to_host("1.1.1.1", 443))
  var s := UDPServer.new()
  print(s.listen(5000, "10.0.0.1"))
`);
  assert.deepEqual(r.prints, ['25', '25', '2', '26', '2', '2', '25', '2']);
  assert.ok(r.errors.some((e) => /only reaches 127\.0\.0\.1.*"8\.8\.8\.8"/.test(e)));
  assert.ok(r.errors.some((e) => /broadcast addresses cannot be reached/.test(e)));
  assert.ok(r.errors.some((e) => /loopback-only.*multicast group 224\.0\.0\.251 cannot be joined/.test(e)));
});

test('a peer may hold at most 64 sockets: the 65th bind() is refused with ERR_CANT_CREATE', async () => {
  const r = await runScript(`
extends Node
var sockets = []
func _ready():
  var codes = {}
  for i in 1000:
    var u := PacketPeerUDP.new()
    var err = u.bind(0)
    codes[err] = codes.get(err, 0) + 1
    sockets.append(u)
  print(codes)
  sockets[0].close()
  print(PacketPeerUDP.new().bind(0))
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints, ['{ 0: 64, 20: 936 }', '0']);
  assert.ok(r.errors.some((e) => /already has 64 open sockets, the sandbox's limit/.test(e)));
});

test('UDPServer sorts senders into connections; max_pending_connections bounds new ones', async () => {
  const { server } = await runScripts(
    `
extends Node
var s := UDPServer.new()
func _ready():
  s.listen(4400)
  s.max_pending_connections = 2
func _process(_d):
  s.poll()
  if Time.get_ticks_msec() > 50:
    var n := 0
    while s.is_connection_available():
      var p := s.take_connection()
      n += 1
      print(p.get_packet().get_string_from_utf8(), " ", p.is_socket_connected(), " ", p.bind(1))
    print("taken ", n)
    get_tree().quit()
`,
    `
extends Node
func _ready():
  for i in 4:
    var u := PacketPeerUDP.new()
    u.connect_to_host("127.0.0.1", 4400)
    u.put_packet(("hello %d" % i).to_utf8_buffer())
`,
  );
  assert.deepEqual(server.prints, ['hello 0 true 23', 'hello 1 true 23', 'taken 2']);
  assert.ok(server.errors.some((e) => /belongs to a UDPServer/.test(e)));
});

test('Godot 3 methods of PacketPeerUDP name their Godot 4 replacement', async () => {
  const r = await runScript(`
extends Node
func _ready():
  PacketPeerUDP.new().listen(4242)
`);
  assert.match(r.failures[0].message, /Nonexistent function 'listen' in base 'PacketPeerUDP'\. Godot 3's listen\(port, bind_address, recv_buf_size\) is bind\(port, bind_address, recv_buf_size\) in Godot 4\./);
  assert.equal(r.failures[0].range.start.line, 5);
});
