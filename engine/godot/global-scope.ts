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

/** Godot 3 names that no longer exist in Godot 4, with what replaces them. */
export interface Godot3Rename extends Godot3Note {
  readonly kind: 'class' | 'keyword' | 'function' | 'method' | 'property' | 'signal';
  readonly description: string;
}

export const GODOT3_RENAMES: readonly Godot3Rename[] = [
  { kind: 'class', godot3: 'PoolByteArray', godot4: 'PackedByteArray', description: 'The Pool*Array types are Packed*Array in Godot 4.' },
  { kind: 'class', godot3: 'PoolStringArray', godot4: 'PackedStringArray', description: 'The Pool*Array types are Packed*Array in Godot 4.' },
  { kind: 'class', godot3: 'PoolIntArray', godot4: 'PackedInt32Array / PackedInt64Array', description: 'The Pool*Array types are Packed*Array in Godot 4.' },
  { kind: 'class', godot3: 'PoolRealArray', godot4: 'PackedFloat32Array / PackedFloat64Array', description: 'The Pool*Array types are Packed*Array in Godot 4.' },
  { kind: 'class', godot3: 'Reference', godot4: 'RefCounted', description: 'Renamed in Godot 4.' },
  { kind: 'class', godot3: 'StreamPeerSSL', godot4: 'StreamPeerTLS', description: 'SSL became TLS in Godot 4 names.' },
  { kind: 'class', godot3: 'TCP_Server', godot4: 'TCPServer', description: 'Renamed in Godot 4.' },
  { kind: 'class', godot3: 'File', godot4: 'FileAccess', description: 'FileAccess.open(path, FileAccess.READ) replaces File.new() + open().' },
  { kind: 'class', godot3: 'Directory', godot4: 'DirAccess', description: 'DirAccess.open(path) replaces Directory.new() + open().' },
  { kind: 'class', godot3: 'NetworkedMultiplayerENet', godot4: 'ENetMultiplayerPeer', description: 'Renamed in Godot 4 (not emulated by the lab).' },
  { kind: 'keyword', godot3: 'yield(object, "signal")', godot4: 'await object.signal', description: 'Coroutines use await in Godot 4.' },
  { kind: 'keyword', godot3: 'export var x', godot4: '@export var x', description: 'Keywords became annotations in Godot 4.' },
  { kind: 'keyword', godot3: 'onready var x', godot4: '@onready var x', description: 'Keywords became annotations in Godot 4.' },
  { kind: 'keyword', godot3: 'tool', godot4: '@tool', description: 'Keywords became annotations in Godot 4.' },
  { kind: 'function', godot3: 'var2bytes(v)', godot4: 'var_to_bytes(v)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'bytes2var(b)', godot4: 'bytes_to_var(b)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'var2str(v)', godot4: 'var_to_str(v)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'str2var(s)', godot4: 'str_to_var(s)', description: 'Renamed in Godot 4.' },
  { kind: 'function', godot3: 'funcref(obj, "method")', godot4: 'Callable(obj, "method") or obj.method', description: 'Callables replace FuncRef in Godot 4.' },
  { kind: 'function', godot3: 'OS.get_ticks_msec()', godot4: 'Time.get_ticks_msec()', description: 'Clock functions moved to Time.' },
  { kind: 'function', godot3: 'OS.get_unix_time()', godot4: 'Time.get_unix_time_from_system()', description: 'Clock functions moved to Time.' },
  { kind: 'method', godot3: 'String.to_utf8()', godot4: 'String.to_utf8_buffer()', description: 'Renamed in Godot 4.' },
  { kind: 'method', godot3: 'String.to_ascii()', godot4: 'String.to_ascii_buffer()', description: 'Renamed in Godot 4.' },
  { kind: 'method', godot3: 'PacketPeerUDP.listen()', godot4: 'PacketPeerUDP.bind()', description: 'Renamed in Godot 4.' },
  { kind: 'method', godot3: 'DTLSServer.setup(key, cert, chain)', godot4: 'DTLSServer.setup(TLSOptions.server(key, cert))', description: 'TLS settings moved to TLSOptions.' },
  {
    kind: 'method',
    godot3: 'PacketPeerDTLS.connect_to_peer(peer, validate_certs, for_hostname, valid_certificate)',
    godot4: 'PacketPeerDTLS.connect_to_peer(peer, hostname, TLSOptions.client(cert))',
    description: 'TLS settings moved to TLSOptions.',
  },
  { kind: 'method', godot3: 'Thread.start(instance, method, userdata)', godot4: 'Thread.start(callable)', description: 'Callables replace target/method pairs.' },
  { kind: 'method', godot3: 'connect(signal, target, method)', godot4: 'connect(signal, callable) or object.signal.connect(callable)', description: 'Callables replace target/method pairs.' },
  { kind: 'signal', godot3: 'SceneTree.idle_frame', godot4: 'SceneTree.process_frame', description: 'Renamed in Godot 4.' },
];

/** The Godot 3 class names a snippet may still use, with the hint shown when it does. */
export const GODOT3_CLASS_HINTS: ReadonlyMap<string, Godot3Rename> = new Map(
  GODOT3_RENAMES.filter((r) => r.kind === 'class' && /^[A-Za-z_]+$/.test(r.godot3)).map((r) => [r.godot3, r]),
);

