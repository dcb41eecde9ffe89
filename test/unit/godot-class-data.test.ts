// The class data is the one source of truth: its members are exactly what the runtime answers, and
// for the classes the lab emulates completely, exactly Godot 4.3's methods.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_CONSTANTS } from '../../engine/gdscript/globals';
import {
  allClasses, findClass, findGlobal, findGodot3, findMember, godot3Renames, inheritanceChain, isSubclass, membersOf, type ClassInfo,
} from '../../engine/godot/class-data';
import { GODOT_CLASSES } from '../../engine/godot/godot-host';
import { findMethod, GodotObject, nativeClass, type AnyClassSpec } from '../../engine/godot/method-table';
import { createRuntime } from '../../engine/godot/runtime';
import { VirtualClock } from '../../engine/sandbox/virtual-clock';
import { VirtualNetwork } from '../../engine/sandbox/virtual-network';

/** Godot 4.3's methods (property accessors included) of the classes the lab emulates completely. */
const GODOT_43_METHODS: Record<string, string[]> = {
  RefCounted: ['get_reference_count', 'init_ref', 'reference', 'unreference'],
  PacketPeer: ['get_available_packet_count', 'get_encode_buffer_max_size', 'get_packet', 'get_packet_error', 'get_var', 'put_packet', 'put_var', 'set_encode_buffer_max_size'],
  PacketPeerUDP: ['bind', 'close', 'connect_to_host', 'get_local_port', 'get_packet_ip', 'get_packet_port', 'is_bound', 'is_socket_connected', 'join_multicast_group', 'leave_multicast_group', 'set_broadcast_enabled', 'set_dest_address', 'wait'],
  UDPServer: ['get_local_port', 'get_max_pending_connections', 'is_connection_available', 'is_listening', 'listen', 'poll', 'set_max_pending_connections', 'stop', 'take_connection'],
  PacketPeerDTLS: ['connect_to_peer', 'disconnect_from_peer', 'get_status', 'poll'],
  DTLSServer: ['setup', 'take_connection'],
  TLSOptions: ['client', 'client_unsafe', 'get_common_name_override', 'get_own_certificate', 'get_private_key', 'get_trusted_ca_chain', 'is_server', 'is_unsafe_client', 'server'],
  StreamPeer: [
    'get_16', 'get_32', 'get_64', 'get_8', 'get_available_bytes', 'get_data', 'get_double', 'get_float', 'get_partial_data', 'get_string', 'get_u16', 'get_u32',
    'get_u64', 'get_u8', 'get_utf8_string', 'get_var', 'is_big_endian_enabled', 'put_16', 'put_32', 'put_64', 'put_8', 'put_data', 'put_double', 'put_float',
    'put_partial_data', 'put_string', 'put_u16', 'put_u32', 'put_u64', 'put_u8', 'put_utf8_string', 'put_var', 'set_big_endian',
  ],
  StreamPeerTCP: ['bind', 'connect_to_host', 'disconnect_from_host', 'get_connected_host', 'get_connected_port', 'get_local_port', 'get_status', 'poll', 'set_no_delay'],
  TCPServer: ['get_local_port', 'is_connection_available', 'is_listening', 'listen', 'stop', 'take_connection'],
  StreamPeerTLS: ['accept_stream', 'connect_to_stream', 'disconnect_from_stream', 'get_status', 'get_stream', 'poll'],
  Crypto: ['constant_time_compare', 'decrypt', 'encrypt', 'generate_random_bytes', 'generate_rsa', 'generate_self_signed_certificate', 'hmac_digest', 'sign', 'verify'],
  CryptoKey: ['is_public_only', 'load', 'load_from_string', 'save', 'save_to_string'],
  X509Certificate: ['load', 'load_from_string', 'save', 'save_to_string'],
  HashingContext: ['finish', 'start', 'update'],
  HMACContext: ['finish', 'start', 'update'],
  AESContext: ['finish', 'get_iv_state', 'start', 'update'],
  Marshalls: ['base64_to_raw', 'base64_to_utf8', 'base64_to_variant', 'raw_to_base64', 'utf8_to_base64', 'variant_to_base64'],
  Time: [
    'get_date_dict_from_system', 'get_date_dict_from_unix_time', 'get_date_string_from_system', 'get_date_string_from_unix_time', 'get_datetime_dict_from_datetime_string',
    'get_datetime_dict_from_system', 'get_datetime_dict_from_unix_time', 'get_datetime_string_from_datetime_dict', 'get_datetime_string_from_system',
    'get_datetime_string_from_unix_time', 'get_offset_string_from_offset_minutes', 'get_ticks_msec', 'get_ticks_usec', 'get_time_dict_from_system',
    'get_time_dict_from_unix_time', 'get_time_string_from_system', 'get_time_string_from_unix_time', 'get_time_zone_from_system', 'get_unix_time_from_datetime_dict',
    'get_unix_time_from_datetime_string', 'get_unix_time_from_system',
  ],
  Thread: ['get_id', 'is_alive', 'is_started', 'set_thread_safety_checks_enabled', 'start', 'wait_to_finish'],
  Mutex: ['lock', 'try_lock', 'unlock'],
  Semaphore: ['post', 'try_wait', 'wait'],
  SceneTreeTimer: ['get_time_left', 'set_time_left'],
};

/** Godot 4.3's enum values of the same classes. */
const GODOT_43_ENUMS: Record<string, Record<string, number>> = {
  PacketPeerDTLS: { STATUS_DISCONNECTED: 0, STATUS_HANDSHAKING: 1, STATUS_CONNECTED: 2, STATUS_ERROR: 3, STATUS_ERROR_HOSTNAME_MISMATCH: 4 },
  StreamPeerTLS: { STATUS_DISCONNECTED: 0, STATUS_HANDSHAKING: 1, STATUS_CONNECTED: 2, STATUS_ERROR: 3, STATUS_ERROR_HOSTNAME_MISMATCH: 4 },
  StreamPeerTCP: { STATUS_NONE: 0, STATUS_CONNECTING: 1, STATUS_CONNECTED: 2, STATUS_ERROR: 3 },
  HashingContext: { HASH_MD5: 0, HASH_SHA1: 1, HASH_SHA256: 2 },
  AESContext: { MODE_ECB_ENCRYPT: 0, MODE_ECB_DECRYPT: 1, MODE_CBC_ENCRYPT: 2, MODE_CBC_DECRYPT: 3, MODE_MAX: 4 },
  Thread: { PRIORITY_LOW: 0, PRIORITY_NORMAL: 1, PRIORITY_HIGH: 2 },
  FileAccess: { READ: 1, WRITE: 2, READ_WRITE: 3, WRITE_READ: 7 },
  Object: { CONNECT_DEFERRED: 1, CONNECT_PERSIST: 2, CONNECT_ONE_SHOT: 4, CONNECT_REFERENCE_COUNTED: 8 },
};

function runtime() {
  const clock = new VirtualClock();
  return createRuntime({ peer: 'test', network: new VirtualNetwork(clock), now: () => clock.now(), record: () => undefined });
}

function enumValues(c: ClassInfo): Record<string, number> {
  return Object.fromEntries(c.enums.flatMap((e) => e.values.map((v) => [v.name, v.value])));
}

test('the fully emulated classes have exactly Godot 4.3\'s methods and enum values', () => {
  for (const [name, methods] of Object.entries(GODOT_43_METHODS)) {
    const c = findClass(name);
    assert.ok(c, name);
    assert.equal(c.partial, undefined, `${name} is marked partial`);
    assert.deepEqual(c.methods.map((m) => m.name).sort(), [...methods].sort(), name);
  }
  for (const [name, values] of Object.entries(GODOT_43_ENUMS)) assert.deepEqual(enumValues(findClass(name)!), values, name);
  assert.equal(findClass('Time')!.enums.find((e) => e.name === 'Month')!.values.find((v) => v.name === 'MONTH_DECEMBER')!.value, 12);
  assert.equal(findClass('Time')!.enums.find((e) => e.name === 'Weekday')!.values.find((v) => v.name === 'WEEKDAY_SATURDAY')!.value, 6);
});

test('data and implementation agree: every documented method is callable, every callable method is documented', () => {
  const rt = runtime();
  const specs = new Map<string, AnyClassSpec>(GODOT_CLASSES.map((s) => [s.name, s]));
  for (const c of allClasses().filter((c) => specs.has(c.name))) {
    const spec = specs.get(c.name)!;
    const cls = nativeClass(spec, rt);
    const instance = spec.construct?.(rt) as GodotObject | undefined;
    for (const m of c.methods) {
      if (m.static || spec.singleton) assert.ok(cls.hasStatic?.(m.name), `${c.name}.${m.name} is documented but the class does not answer it`);
      else {
        assert.ok(findMethod(spec, m.name), `${c.name}.${m.name} is documented but not implemented`);
        if (instance) assert.ok(instance.has(m.name), `${c.name}.new().${m.name}`);
      }
    }
    // Vice versa: everything the class implements is in the data, with its signature.
    const documented = new Set(c.methods.map((m) => m.name));
    for (const name of [...Object.keys(spec.methods), ...Object.keys(spec.statics ?? {})]) assert.ok(documented.has(name), `${c.name}.${name} is implemented but missing from the data`);
    for (const p of c.properties) {
      assert.ok(findMember(c.name, p.getter)?.kind === 'method', `${c.name}.${p.name} getter ${p.getter}`);
      if (p.setter) assert.ok(findMember(c.name, p.setter)?.kind === 'method', `${c.name}.${p.name} setter ${p.setter}`);
    }
    for (const r of c.removed) assert.ok(instance ? instance.has(r.name) : cls.hasStatic?.(r.name), `removed ${c.name}.${r.name} explains itself when called`);
  }
});

test('every class and member carries a description, a signature and typed parameters', () => {
  const typeNames = new Set(['void', 'Variant', 'int', 'float', 'bool', 'String', 'StringName', 'NodePath', 'PackedByteArray', 'PackedStringArray', 'Array', 'Dictionary', 'Callable', 'Window', 'Error']);
  const enumNames = new Set(allClasses().flatMap((c) => c.enums.map((e) => `${c.name}.${e.name}`)));
  const known = (t: string) => typeNames.has(t) || findClass(t) !== undefined || enumNames.has(t);
  let members = 0;
  for (const c of allClasses()) {
    assert.ok(c.description.length > 20, `${c.name} description`);
    for (const m of membersOf(c.name, { inherited: false, includeRemoved: true })) {
      members++;
      assert.ok(m.description.length > 3, `${c.name}.${m.name} description`);
      if (m.kind === 'method' || m.kind === 'virtual' || m.kind === 'signal') {
        for (const p of m.params) assert.ok(known(p.type), `${c.name}.${m.name}(${p.name}: ${p.type})`);
        assert.match(m.signature, new RegExp(`\\b${m.name}\\(`));
      }
      if (m.kind === 'method' || m.kind === 'virtual') assert.ok(known(m.returns), `${c.name}.${m.name} -> ${m.returns}`);
    }
  }
  assert.ok(members > 400, `${members} members`);
});

test('lookups follow inheritance and give Godot signatures', () => {
  assert.deepEqual(inheritanceChain('PacketPeerUDP'), ['PacketPeerUDP', 'PacketPeer', 'RefCounted', 'Object']);
  assert.deepEqual(inheritanceChain('CryptoKey'), ['CryptoKey', 'Resource', 'RefCounted', 'Object']);
  assert.ok(isSubclass('StreamPeerTLS', 'StreamPeer'));
  const putVar = findMember('PacketPeerDTLS', 'put_var');
  assert.equal(putVar?.kind, 'method');
  assert.equal(putVar?.className, 'PacketPeer');
  assert.equal(putVar?.kind === 'method' && putVar.signature, 'Error put_var(var: Variant, full_objects: bool = false)');
  const bind = findMember('PacketPeerUDP', 'bind');
  assert.equal(bind?.kind === 'method' && bind.signature, 'Error bind(port: int, bind_address: String = "*", recv_buf_size: int = 65536)');
  const client = findMember('TLSOptions', 'client');
  assert.equal(client?.kind === 'method' && client.static, true);
  assert.equal(client?.kind === 'method' && client.signature, 'TLSOptions client(trusted_chain: X509Certificate = null, common_name_override: String = "") static');
  const delay = findMember('OS', 'delay_msec');
  assert.equal(delay?.kind === 'method' && delay.signature, 'void delay_msec(msec: int) const');
  const status = findMember('PacketPeerDTLS', 'STATUS_CONNECTED');
  assert.equal(status?.kind === 'constant' && status.value, 2);
  assert.equal(status?.kind === 'constant' && status.enum, 'Status');
  const prop = findMember('UDPServer', 'max_pending_connections');
  assert.equal(prop?.kind === 'property' && prop.signature, 'int max_pending_connections = 16');
  assert.equal(findMember('SceneTreeTimer', 'timeout')?.kind, 'signal');
  assert.equal(findMember('Node', '_physics_process')?.kind === 'virtual' && (findMember('Node', '_physics_process') as { signature: string }).signature, 'void _physics_process(delta: float) virtual');
  assert.equal(findMember('PacketPeerUDP', 'no_such_member'), undefined);
  assert.ok(Object.isFrozen(findClass('Crypto')) && Object.isFrozen(findClass('Crypto')!.methods[0]));
});

test('the Godot 3 spellings and their Godot 4 replacements are in the data', () => {
  const setup = findMember('DTLSServer', 'setup');
  assert.deepEqual(setup?.godot3, { godot3: 'setup(key, cert, chain)', godot4: 'setup(TLSOptions.server(key, cert))' });
  const connect = findMember('PacketPeerDTLS', 'connect_to_peer');
  assert.match(connect?.godot3?.godot3 ?? '', /connect_to_peer\(packet_peer, validate_certs, for_hostname, valid_certificate\)/);
  assert.match(connect?.godot3?.godot4 ?? '', /TLSOptions\.client\(/);
  const ticks = findMember('OS', 'get_ticks_msec');
  assert.equal(ticks?.kind, 'removed');
  assert.equal(ticks?.godot3?.godot4, 'Time.get_ticks_msec()');
  assert.equal(findMember('PacketPeerUDP', 'listen')?.godot3?.godot4, 'bind(port, bind_address, recv_buf_size)');
  assert.equal(findGodot3('PoolByteArray')?.godot4, 'PackedByteArray');
  assert.equal(findGodot3('StreamPeerSSL')?.godot4, 'StreamPeerTLS');
  assert.equal(findGodot3('yield')?.godot4, 'await object.signal');
  assert.equal(findClass('StreamPeerTLS')?.godot3?.godot3, 'StreamPeerSSL');
  assert.ok(godot3Renames().length >= 20);
});

test('@GlobalScope documents the Error enum with the interpreter\'s values, and the global functions', () => {
  const error = findClass('@GlobalScope')!.enums.find((e) => e.name === 'Error')!;
  assert.deepEqual(Object.fromEntries(error.values.map((v) => [v.name, v.value])), ERROR_CONSTANTS);
  assert.equal(findGlobal('ERR_ALREADY_IN_USE')?.kind === 'constant' && (findGlobal('ERR_ALREADY_IN_USE') as { value: number }).value, 22);
  assert.equal(findGlobal('load')?.kind, 'method');
  assert.equal(findGlobal('var_to_bytes')?.className, '@GlobalScope');
  assert.equal(findGlobal('TYPE_PACKED_BYTE_ARRAY')?.kind === 'constant' && (findGlobal('TYPE_PACKED_BYTE_ARRAY') as { value: number }).value, 29);
});
