// The Host the interpreter sees for one peer: Godot's classes and singletons by name, bound to
// that peer's runtime, plus where print() goes. GODOT_CLASSES is the one list of emulated classes;
// class-data.ts derives the documentation API from it.

import { ScriptError, type CallContext, type Host, type NativeClass, type NativeResult, type Range, type Value } from '../gdscript/host';
import { AESContextSpec } from './aes-context';
import { CryptoSpec } from './crypto';
import { CryptoKeySpec } from './crypto-key';
import { DTLSServerSpec } from './dtls-server';
import { FileAccessSpec } from './file-access';
import { GLOBAL_FUNCTION_TABLE, GLOBAL_FUNCTIONS, GODOT3_CLASS_HINTS } from './global-scope';
import { HashingContextSpec, HMACContextSpec } from './hashing';
import { MarshallsSpec } from './marshalls';
import { installGlobalFunctions, nativeClass, type AnyClassSpec } from './method-table';
import { NodeSpec, SceneTreeSpec, SceneTreeTimerSpec } from './node';
import { ObjectSpec, RefCountedSpec, ResourceSpec } from './object';
import { OSSpec } from './os';
import { PacketPeerSpec } from './packet-peer';
import { PacketPeerDTLSSpec } from './packet-peer-dtls';
import { PacketPeerUDPSpec } from './packet-peer-udp';
import type { GodotRuntime } from './runtime';
import { StreamPeerSpec } from './stream-peer';
import { StreamPeerTCPSpec, TCPServerSpec } from './stream-peer-tcp';
import { StreamPeerTLSSpec } from './stream-peer-tls';
import { MutexSpec, SemaphoreSpec, ThreadSpec } from './threads';
import { TimeSpec } from './time';
import { TLSOptionsSpec } from './tls-options';
import { UDPServerSpec } from './udp-server';
import { X509CertificateSpec } from './x509-certificate';

installGlobalFunctions(GLOBAL_FUNCTION_TABLE);

/** Every class a snippet can name, as Godot 4.3 spells it. */
export const GODOT_CLASSES: readonly AnyClassSpec[] = [
  ObjectSpec,
  RefCountedSpec,
  ResourceSpec,
  NodeSpec,
  SceneTreeSpec,
  SceneTreeTimerSpec,
  PacketPeerSpec,
  PacketPeerUDPSpec,
  UDPServerSpec,
  PacketPeerDTLSSpec,
  DTLSServerSpec,
  TLSOptionsSpec,
  StreamPeerSpec,
  StreamPeerTCPSpec,
  TCPServerSpec,
  StreamPeerTLSSpec,
  CryptoSpec,
  CryptoKeySpec,
  X509CertificateSpec,
  HashingContextSpec,
  HMACContextSpec,
  AESContextSpec,
  MarshallsSpec,
  FileAccessSpec,
  ThreadSpec,
  MutexSpec,
  SemaphoreSpec,
  OSSpec,
  TimeSpec,
];

/**
 * The Host, plus the global functions that need the Godot side. The interpreter's `load()` calls
 * `host.load(path, ctx)` (res:// / user:// resources); the others (var_to_bytes,
 * bytes_to_var) are also answered by the script's base object, so they work without interpreter support.
 */
export interface GodotHost extends Host {
  /** `load(path)`: .key/.pub → CryptoKey, .crt → X509Certificate; throws ScriptError (with a hint) when it cannot. */
  load(path: string, ctx: CallContext): Value;
  /** A global function of @GlobalScope/@GDScript the Godot side provides, or undefined when it has none of that name. */
  callGlobal(name: string, args: Value[], ctx: CallContext): NativeResult | undefined;
}

export function createGodotHost(runtime: GodotRuntime, print: (text: string, stream: 'stdout' | 'stderr', range: Range) => void): GodotHost {
  const classes = new Map<string, NativeClass>(GODOT_CLASSES.map((spec) => [spec.name, nativeClass(spec, runtime)]));
  return {
    load: (path, ctx) => GLOBAL_FUNCTIONS.load.call(runtime, [path], ctx) as Value,
    callGlobal: (name, args, ctx) => (GLOBAL_FUNCTION_TABLE.has(name) ? GLOBAL_FUNCTION_TABLE.call(runtime, name, args, ctx) : undefined),
    getClass(name) {
      const found = classes.get(name);
      if (found) return found;
      const godot3 = GODOT3_CLASS_HINTS.get(name);
      if (godot3) throw new ScriptError(`Identifier "${name}" not declared in the current scope. Godot 3's ${godot3.godot3} is ${godot3.godot4} in Godot 4.`);
      return undefined;
    },
    print,
  };
}
