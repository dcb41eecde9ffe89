// @GlobalScope and @GDScript as data (the Error enum, Variant.Type, the global functions the lab
// provides), the global functions' implementations (load(), var_to_bytes(), bytes_to_var()), and the
// Godot 3 names that are gone (classes, keywords, functions) with their Godot 4 replacements.

import { ScriptError, type CallContext, type NativeResult, type Value } from '../gdscript/host';
import { isBytes } from '../gdscript/values';
import { CryptoKey } from './crypto-key';
import { ErrorCode } from './error-codes';
import { readFile } from './files';
import { decodeVariant, encodeVariant } from './marshalling';
import { enumOf, param, type EnumSpec, type Godot3Note, type GlobalFunctionTable, type ParamSpec } from './method-table';
import type { GodotRuntime } from './runtime';
import { bytesOf, packedBytes } from './variant';
import { X509Certificate } from './x509-certificate';

const ERROR_DESCRIPTIONS: Record<keyof typeof ErrorCode, string> = {
  OK: 'No error.',
  FAILED: 'A generic failure.',
  ERR_UNAVAILABLE: 'Something needed is not available (e.g. no packet queued, port taken).',
  ERR_UNCONFIGURED: 'The object is not set up for this yet (e.g. not connected, not started).',
  ERR_UNAUTHORIZED: 'Not allowed (e.g. decoding objects without allow_objects).',
  ERR_PARAMETER_RANGE_ERROR: 'A parameter is out of its range.',
  ERR_OUT_OF_MEMORY: 'Not enough memory, or a size limit was exceeded.',
  ERR_FILE_NOT_FOUND: 'The file does not exist.',
  ERR_FILE_BAD_DRIVE: 'Bad drive in a file path.',
  ERR_FILE_BAD_PATH: 'Bad file path (in the lab also: a path outside the sandbox).',
  ERR_FILE_NO_PERMISSION: 'No permission for this file (res:// is read-only in the lab).',
  ERR_FILE_ALREADY_IN_USE: 'The file is already in use.',
  ERR_FILE_CANT_OPEN: 'The file cannot be opened.',
  ERR_FILE_CANT_WRITE: 'The file cannot be written.',
  ERR_FILE_CANT_READ: 'The file cannot be read.',
  ERR_FILE_UNRECOGNIZED: 'The file has an unknown format.',
  ERR_FILE_CORRUPT: 'The file is corrupt.',
  ERR_FILE_MISSING_DEPENDENCIES: 'The file needs other files that are missing.',
  ERR_FILE_EOF: 'The end of the file (or stream) was reached.',
  ERR_CANT_OPEN: 'Cannot open (e.g. a UDP socket that cannot connect).',
  ERR_CANT_CREATE: 'Cannot create (e.g. a socket or thread beyond the sandbox limit).',
  ERR_QUERY_FAILED: 'A query failed.',
  ERR_ALREADY_IN_USE: 'Already in use (e.g. listen() twice, setup() twice, connect while connected).',
  ERR_LOCKED: 'Locked (e.g. a PacketPeerUDP owned by a UDPServer).',
  ERR_TIMEOUT: 'Timed out.',
  ERR_CANT_CONNECT: 'Cannot connect (in the lab also: a host outside 127.0.0.1).',
  ERR_CANT_RESOLVE: 'The host name cannot be resolved.',
  ERR_CONNECTION_ERROR: 'The connection failed.',
  ERR_CANT_ACQUIRE_RESOURCE: 'A resource cannot be acquired.',
  ERR_CANT_FORK: 'Cannot start a process.',
  ERR_INVALID_DATA: 'The data is invalid (e.g. not PEM, not a Variant).',
  ERR_INVALID_PARAMETER: 'A parameter is invalid.',
  ERR_ALREADY_EXISTS: 'It already exists.',
  ERR_DOES_NOT_EXIST: 'It does not exist.',
  ERR_DATABASE_CANT_READ: 'A database cannot be read.',
  ERR_DATABASE_CANT_WRITE: 'A database cannot be written.',
  ERR_COMPILATION_FAILED: 'Compilation failed.',
  ERR_METHOD_NOT_FOUND: 'The method does not exist.',
  ERR_LINK_FAILED: 'Linking failed.',
  ERR_SCRIPT_FAILED: 'The script failed.',
  ERR_CYCLIC_LINK: 'A cyclic reference.',
  ERR_INVALID_DECLARATION: 'An invalid declaration.',
  ERR_DUPLICATE_SYMBOL: 'A duplicate symbol.',
  ERR_PARSE_ERROR: 'A parse error.',
  ERR_BUSY: 'Busy (try again later).',
  ERR_SKIP: 'Skipped.',
  ERR_HELP: 'Help was asked for.',
  ERR_BUG: 'An internal bug.',
  ERR_PRINTER_ON_FIRE: 'The printer is on fire (an easter egg).',
};

export const ERROR_ENUM: EnumSpec = enumOf(
  'The error codes methods return (OK is 0).',
  (Object.keys(ErrorCode) as (keyof typeof ErrorCode)[]).map((name) => [name, ErrorCode[name], ERROR_DESCRIPTIONS[name]]),
);

const VARIANT_TYPES = [
  'NIL', 'BOOL', 'INT', 'FLOAT', 'STRING', 'VECTOR2', 'VECTOR2I', 'RECT2', 'RECT2I', 'VECTOR3', 'VECTOR3I', 'TRANSFORM2D', 'VECTOR4',
  'VECTOR4I', 'PLANE', 'QUATERNION', 'AABB', 'BASIS', 'TRANSFORM3D', 'PROJECTION', 'COLOR', 'STRING_NAME', 'NODE_PATH', 'RID',
  'OBJECT', 'CALLABLE', 'SIGNAL', 'DICTIONARY', 'ARRAY', 'PACKED_BYTE_ARRAY', 'PACKED_INT32_ARRAY', 'PACKED_INT64_ARRAY',
  'PACKED_FLOAT32_ARRAY', 'PACKED_FLOAT64_ARRAY', 'PACKED_STRING_ARRAY', 'PACKED_VECTOR2_ARRAY', 'PACKED_VECTOR3_ARRAY',
  'PACKED_COLOR_ARRAY', 'PACKED_VECTOR4_ARRAY', 'MAX',
];

export const VARIANT_TYPE_ENUM: EnumSpec = enumOf(
  'The Variant types, as typeof() returns them.',
  VARIANT_TYPES.map((t, i) => [`TYPE_${t}`, i, t === 'MAX' ? 'The number of Variant types.' : `The ${t.toLowerCase().replace(/_/g, ' ')} type.`]),
);

/** A global function of @GlobalScope or @GDScript that the lab provides. */
export interface GlobalFunctionSpec {
  readonly scope: '@GlobalScope' | '@GDScript';
  readonly params: readonly ParamSpec[];
  readonly returns: string;
  readonly description: string;
  readonly godot3?: Godot3Note;
  call(runtime: GodotRuntime, args: Value[], ctx: CallContext): NativeResult;
}

/** load(): .key/.pub → CryptoKey, .crt → X509Certificate, from res:// or user://. */
function load(runtime: GodotRuntime, path: string): Value {
  const read = readFile(runtime, path);
  if (!read.ok) throw new ScriptError(`load(): ${read.message}`);
  const text = Buffer.from(read.data).toString('utf8');
  const ext = read.path.relative.split('.').pop()?.toLowerCase() ?? '';
  if (ext === 'key' || ext === 'pub') {
    const key = new CryptoKey(runtime);
    if (key.load(text, ext === 'pub') !== ErrorCode.OK)
      throw new ScriptError(`load(): ${read.path.display} holds no PEM ${ext === 'pub' ? 'public' : 'private'} key.`);
    key.resourcePath = read.path.display;
    return key;
  }
  if (ext === 'crt') {
    const cert = new X509Certificate(runtime);
    if (cert.load(text) !== ErrorCode.OK) throw new ScriptError(`load(): ${read.path.display} holds no PEM certificate.`);
    cert.resourcePath = read.path.display;
    return cert;
  }
  throw new ScriptError(
    `load(): the lab loads .key and .pub files (CryptoKey) and .crt files (X509Certificate); read ${read.path.display} with FileAccess instead.`,
  );
}

export const GLOBAL_FUNCTIONS: Readonly<Record<string, GlobalFunctionSpec>> = {
  load: {
    scope: '@GDScript',
    params: [param('path', 'String')],
    returns: 'Resource',
    description:
      'Loads a resource: .key/.pub → CryptoKey, .crt → X509Certificate. res:// is the snippet\'s folder, user:// the run\'s scratch folder; a relative path is relative to res://.',
    call(runtime, [path]) {
      if (typeof path !== 'string') throw new ScriptError('Invalid argument for "load()" function: argument 1 should be "String".');
      return load(runtime, path);
    },
  },
  var_to_bytes: {
    scope: '@GlobalScope',
    params: [param('variable', 'Variant')],
    returns: 'PackedByteArray',
    description: "Encodes a Variant in Godot's binary encoding (what put_var() sends).",
    godot3: { godot3: 'var2bytes(variable)', godot4: 'var_to_bytes(variable)' },
    call(_runtime, [value]) {
      const encoded = encodeVariant(value);
      if (!encoded.ok) throw new ScriptError(`var_to_bytes(): ${encoded.message}`);
      return packedBytes(encoded.bytes);
    },
  },
  bytes_to_var: {
    scope: '@GlobalScope',
    params: [param('bytes', 'PackedByteArray')],
    returns: 'Variant',
    description: 'Decodes bytes made by var_to_bytes() (objects are refused).',
    godot3: { godot3: 'bytes2var(bytes)', godot4: 'bytes_to_var(bytes)' },
    call(_runtime, [bytes], ctx) {
      if (!isBytes(bytes)) throw new ScriptError('Invalid argument for "bytes_to_var()" function: argument 1 should be "PackedByteArray".');
      const decoded = decodeVariant(bytesOf(bytes));
      if (!decoded.ok) {
        ctx.warn(`bytes_to_var(): ${decoded.message}`);
        return null;
      }
      return decoded.value;
    },
  },
};

/** How the script's base object answers these functions (see GodotObject.call). */
export const GLOBAL_FUNCTION_TABLE: GlobalFunctionTable = {
  has: (name) => Object.prototype.hasOwnProperty.call(GLOBAL_FUNCTIONS, name),
  call(runtime, name, args, ctx) {
    const f = GLOBAL_FUNCTIONS[name];
    const required = f.params.filter((p) => !p.default).length;
    if (args.length < required) throw new ScriptError(`Too few arguments for "${name}()" call. Expected at least ${required} but received ${args.length}.`);
    if (args.length > f.params.length) throw new ScriptError(`Too many arguments for "${name}()" call. Expected at most ${f.params.length} but received ${args.length}.`);
    return f.call(runtime, args, ctx);
  },
};

/**
 * Godot 3 names that no longer exist in Godot 4, with what replaces them. The single source of the
 * Godot 3 → 4 facts outside the class specs (whose members carry their own `godot3` notes):
 * engine/analysis/godot3-migrations.ts turns them into quick fixes. When `godot3` and `godot4` are both
 * written `name(params)` with the same parameters, the fix is a plain rename of the name.
 */
export interface Godot3Rename extends Godot3Note {
  readonly kind: 'class' | 'keyword' | 'function' | 'method' | 'property' | 'signal' | 'constant';
  readonly description: string;
  /** Classes only: how Godot 4 makes one when `X.new()` no longer works (then `.new()` is explained, not renamed). */
  readonly factory?: string;
  /** Set when the Godot 4 form is the closest, not the same: what to check (its fix is not offered as safe). */
  readonly review?: string;
}

const POOL = 'The Pool*Array types are Packed*Array in Godot 4.';

export const GODOT3_RENAMES: readonly Godot3Rename[] = [
  { kind: 'class', godot3: 'PoolByteArray', godot4: 'PackedByteArray', description: POOL },
  { kind: 'class', godot3: 'PoolStringArray', godot4: 'PackedStringArray', description: POOL },
  { kind: 'class', godot3: 'PoolIntArray', godot4: 'PackedInt32Array', description: `${POOL} Godot 3's ints in a PoolIntArray were 32-bit (PackedInt64Array holds 64-bit ones).` },
  { kind: 'class', godot3: 'PoolRealArray', godot4: 'PackedFloat32Array', description: `${POOL} Godot 3's reals in a PoolRealArray were 32-bit (PackedFloat64Array holds 64-bit ones).` },
  { kind: 'class', godot3: 'PoolVector2Array', godot4: 'PackedVector2Array', description: POOL },
  { kind: 'class', godot3: 'PoolVector3Array', godot4: 'PackedVector3Array', description: POOL },
  { kind: 'class', godot3: 'PoolColorArray', godot4: 'PackedColorArray', description: POOL },
  { kind: 'class', godot3: 'Reference', godot4: 'RefCounted', description: 'Renamed in Godot 4.' },
  { kind: 'class', godot3: 'StreamPeerSSL', godot4: 'StreamPeerTLS', description: 'SSL became TLS in Godot 4 names.' },
  { kind: 'class', godot3: 'TCP_Server', godot4: 'TCPServer', description: 'Renamed in Godot 4.' },
  { kind: 'class', godot3: 'FuncRef', godot4: 'Callable', description: 'Callables replace FuncRef in Godot 4.' },
  {
    kind: 'class', godot3: 'File', godot4: 'FileAccess', factory: 'FileAccess.open(path, FileAccess.READ)',
    description: 'FileAccess.open(path, FileAccess.READ) replaces File.new() + open().',
  },
  { kind: 'class', godot3: 'Directory', godot4: 'DirAccess', factory: 'DirAccess.open(path)', description: 'DirAccess.open(path) replaces Directory.new() + open().' },
  { kind: 'class', godot3: 'NetworkedMultiplayerENet', godot4: 'ENetMultiplayerPeer', description: 'Renamed in Godot 4 (not emulated by the lab).' },
  { kind: 'class', godot3: 'Spatial', godot4: 'Node3D', description: 'Renamed in Godot 4 (not emulated by the lab).' },
  { kind: 'class', godot3: 'KinematicBody', godot4: 'CharacterBody3D', description: 'Renamed in Godot 4 (not emulated by the lab).' },
  { kind: 'class', godot3: 'KinematicBody2D', godot4: 'CharacterBody2D', description: 'Renamed in Godot 4 (not emulated by the lab).' },
  { kind: 'keyword', godot3: 'yield(object, "signal")', godot4: 'await object.signal', description: 'Coroutines use await in Godot 4 (yield(f(), "completed") is await f()).' },
  { kind: 'keyword', godot3: 'yield()', godot4: 'await of a signal or a coroutine', description: 'yield() without arguments (resumed later by resume()) has no Godot 4 equivalent: await a signal that the resuming code emits.' },
  { kind: 'keyword', godot3: 'export var x', godot4: '@export var x', description: 'Keywords became annotations in Godot 4.' },
  { kind: 'keyword', godot3: 'export(int) var x', godot4: '@export var x: int', description: 'The hint moved: export(int, 1, 10) is @export_range(1, 10), export(String, FILE) is @export_file, export(int, "A", "B") is @export_enum("A", "B").' },
  { kind: 'keyword', godot3: 'onready var x', godot4: '@onready var x', description: 'Keywords became annotations in Godot 4.' },
  { kind: 'keyword', godot3: 'tool', godot4: '@tool', description: 'Keywords became annotations in Godot 4.' },
  { kind: 'keyword', godot3: 'var x setget setter, getter', godot4: 'var x: set = setter, get = getter', description: 'Properties: Godot 4 calls the setter and getter also inside the class (Godot 3 did only with self.x), except inside the setter and getter themselves.' },
  { kind: 'keyword', godot3: 'puppet func', godot4: '@rpc func', description: 'RPC keywords became the @rpc annotation: by default only the multiplayer authority (the server) may call it, like puppet.' },
  { kind: 'keyword', godot3: 'slave func', godot4: '@rpc func', description: 'slave was the old name of puppet: by default @rpc is called by the multiplayer authority only.' },
  { kind: 'keyword', godot3: 'remote func', godot4: '@rpc("any_peer") func', description: 'RPC keywords became the @rpc annotation: "any_peer" lets every peer call it, like remote.' },
  { kind: 'keyword', godot3: 'remotesync func', godot4: '@rpc("any_peer", "call_local") func', description: 'RPC keywords became the @rpc annotation: "call_local" also runs it on the calling peer, like remotesync.' },
  { kind: 'keyword', godot3: 'sync func', godot4: '@rpc("any_peer", "call_local") func', description: 'RPC keywords became the @rpc annotation: "call_local" also runs it on the calling peer, like sync.' },
  { kind: 'keyword', godot3: 'puppetsync func', godot4: '@rpc("call_local") func', description: 'RPC keywords became the @rpc annotation: called by the authority, also run locally, like puppetsync.' },
  {
    kind: 'keyword', godot3: 'master func', godot4: '@rpc("any_peer") func',
    description: 'Godot 4 has no "callable only on the master" mode.',
    review: 'check multiplayer.get_remote_sender_id() (or is_multiplayer_authority()) in the function, as master only ran on the network master.',
  },
  {
    kind: 'keyword', godot3: 'mastersync func', godot4: '@rpc("any_peer", "call_local") func',
    description: 'Godot 4 has no "callable only on the master" mode.',
    review: 'check multiplayer.get_remote_sender_id() (or is_multiplayer_authority()) in the function, as mastersync only ran on the network master (and locally).',
  },
  { kind: 'function', godot3: 'var2bytes(v)', godot4: 'var_to_bytes(v)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'bytes2var(b)', godot4: 'bytes_to_var(b)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'var2str(v)', godot4: 'var_to_str(v)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'str2var(s)', godot4: 'str_to_var(s)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'inst2dict(instance)', godot4: 'inst_to_dict(instance)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'dict2inst(dictionary)', godot4: 'dict_to_inst(dictionary)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'parse_json(json)', godot4: 'JSON.parse_string(json)', description: 'JSON functions moved to the JSON class.' },
  { kind: 'function', godot3: 'to_json(variable)', godot4: 'JSON.stringify(variable)', description: 'JSON functions moved to the JSON class.' },
  { kind: 'function', godot3: 'rand_range(from, to)', godot4: 'randf_range(from, to)', description: 'Renamed in Godot 4 (randi_range() gives ints).' },
  { kind: 'function', godot3: 'stepify(s, step)', godot4: 'snapped(s, step)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'deg2rad(deg)', godot4: 'deg_to_rad(deg)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'rad2deg(rad)', godot4: 'rad_to_deg(rad)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'range_lerp(value, istart, istop, ostart, ostop)', godot4: 'remap(value, istart, istop, ostart, ostop)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'linear2db(lin)', godot4: 'linear_to_db(lin)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'db2linear(db)', godot4: 'db_to_linear(db)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'funcref(obj, "method")', godot4: 'Callable(obj, "method")', description: 'Callables replace FuncRef in Godot 4 (obj.method is the same Callable).' },
  { kind: 'function', godot3: 'OS.get_ticks_msec()', godot4: 'Time.get_ticks_msec()', description: 'Clock functions moved to Time.' },
  { kind: 'function', godot3: 'OS.get_unix_time()', godot4: 'Time.get_unix_time_from_system()', description: 'Clock functions moved to Time.' },
  { kind: 'method', godot3: 'String.to_utf8()', godot4: 'String.to_utf8_buffer()', description: 'Renamed in Godot 4.' },
  { kind: 'method', godot3: 'String.to_ascii()', godot4: 'String.to_ascii_buffer()', description: 'Renamed in Godot 4.' },
  { kind: 'method', godot3: 'String.to_wchar()', godot4: 'String.to_wchar_buffer()', description: 'Renamed in Godot 4.' },
  { kind: 'method', godot3: 'String.empty()', godot4: 'String.is_empty()', description: 'Renamed in Godot 4 (also on Array, Dictionary and the Packed*Array types).' },
  { kind: 'method', godot3: 'String.find_last(what)', godot4: 'String.rfind(what)', description: 'Renamed in Godot 4.' },
  { kind: 'method', godot3: 'String.is_valid_integer()', godot4: 'String.is_valid_int()', description: 'Renamed in Godot 4.' },
  { kind: 'method', godot3: 'String.ord_at(at)', godot4: 'String.unicode_at(at)', description: 'Renamed in Godot 4.' },
  { kind: 'method', godot3: 'Array.invert()', godot4: 'Array.reverse()', description: 'Renamed in Godot 4 (also on the Packed*Array types).' },
  { kind: 'method', godot3: 'FuncRef.call_func(args)', godot4: 'Callable.call(args)', description: 'Callables replace FuncRef in Godot 4.' },
  { kind: 'method', godot3: 'JSON.print(value)', godot4: 'JSON.stringify(value)', description: 'Renamed in Godot 4.' },
  {
    kind: 'method', godot3: 'PoolByteArray.subarray(from, to)', godot4: 'PackedByteArray.slice(from, to + 1)',
    description: "Godot 3's subarray() includes `to`; Godot 4's slice() stops before `end` (and slice(from) goes to the end, like subarray(from, -1)).",
  },
  { kind: 'method', godot3: 'PacketPeerUDP.listen()', godot4: 'PacketPeerUDP.bind()', description: 'Renamed in Godot 4 (UDPServer and TCPServer keep listen()).' },
  { kind: 'method', godot3: 'DTLSServer.setup(key, cert, chain)', godot4: 'DTLSServer.setup(TLSOptions.server(key, cert))', description: 'TLS settings moved to TLSOptions.' },
  {
    kind: 'method',
    godot3: 'PacketPeerDTLS.connect_to_peer(peer, validate_certs, for_hostname, valid_certificate)',
    godot4: 'PacketPeerDTLS.connect_to_peer(peer, hostname, TLSOptions.client(cert))',
    description: 'TLS settings moved to TLSOptions: validate_certs = false is TLSOptions.client_unsafe().',
  },
  {
    kind: 'method',
    godot3: 'StreamPeerSSL.connect_to_stream(stream, validate_certs, for_hostname, valid_certificate)',
    godot4: 'StreamPeerTLS.connect_to_stream(stream, hostname, TLSOptions.client(cert))',
    description: 'TLS settings moved to TLSOptions: validate_certs = false is TLSOptions.client_unsafe().',
  },
  { kind: 'method', godot3: 'StreamPeerSSL.accept_stream(stream, key, cert, chain)', godot4: 'StreamPeerTLS.accept_stream(stream, TLSOptions.server(key, cert))', description: 'TLS settings moved to TLSOptions.' },
  { kind: 'method', godot3: 'Thread.start(instance, method, userdata)', godot4: 'Thread.start(callable)', description: 'Callables replace target/method pairs: start(self, "f", data) is start(f.bind(data)).' },
  { kind: 'method', godot3: 'connect(signal, target, method)', godot4: 'connect(signal, callable) or object.signal.connect(callable)', description: 'Callables replace target/method pairs (binds are callable.bind(…)).' },
  { kind: 'method', godot3: 'disconnect(signal, target, method)', godot4: 'object.signal.disconnect(callable)', description: 'Callables replace target/method pairs.' },
  { kind: 'method', godot3: 'is_connected(signal, target, method)', godot4: 'object.signal.is_connected(callable)', description: 'Callables replace target/method pairs.' },
  { kind: 'signal', godot3: 'SceneTree.idle_frame', godot4: 'SceneTree.process_frame', description: 'Renamed in Godot 4.' },
  { kind: 'constant', godot3: 'CONNECT_ONESHOT', godot4: 'CONNECT_ONE_SHOT', description: 'Renamed in Godot 4 (Object.ConnectFlags).' },
  { kind: 'constant', godot3: 'TYPE_RAW_ARRAY', godot4: 'TYPE_PACKED_BYTE_ARRAY', description: 'Renamed with the Packed*Array types.' },
  { kind: 'constant', godot3: 'TYPE_REAL', godot4: 'TYPE_FLOAT', description: 'Renamed in Godot 4.' },
  { kind: 'constant', godot3: 'TYPE_INT_ARRAY', godot4: 'TYPE_PACKED_INT32_ARRAY', description: 'Renamed with the Packed*Array types.' },
  { kind: 'constant', godot3: 'TYPE_REAL_ARRAY', godot4: 'TYPE_PACKED_FLOAT32_ARRAY', description: 'Renamed with the Packed*Array types.' },
  { kind: 'constant', godot3: 'TYPE_STRING_ARRAY', godot4: 'TYPE_PACKED_STRING_ARRAY', description: 'Renamed with the Packed*Array types.' },
];

/** The Godot 3 class names a snippet may still use, with the hint shown when it does. */
export const GODOT3_CLASS_HINTS: ReadonlyMap<string, Godot3Rename> = new Map(
  GODOT3_RENAMES.filter((r) => r.kind === 'class' && /^[A-Za-z_]+$/.test(r.godot3)).map((r) => [r.godot3, r]),
);

