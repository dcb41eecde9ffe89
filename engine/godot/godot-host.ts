// The Host the interpreter sees for one peer: Godot's classes and singletons by name, bound to
// that peer's runtime, plus where print() goes.

import type { Host, NativeClass, Range } from '../gdscript/host';
import { CryptoSpec } from './crypto';
import { CryptoKeySpec } from './crypto-key';
import { DTLSServerSpec } from './dtls-server';
import { nativeClass, type AnyClassSpec } from './method-table';
import { NodeSpec, SceneTreeSpec } from './node';
import { OSSpec, TimeSpec } from './os';
import { PacketPeerSpec } from './packet-peer';
import { PacketPeerDTLSSpec } from './packet-peer-dtls';
import { PacketPeerUDPSpec } from './packet-peer-udp';
import type { GodotRuntime } from './runtime';
import { TLSOptionsSpec } from './tls-options';
import { UDPServerSpec } from './udp-server';
import { X509CertificateSpec } from './x509-certificate';

/** Every class a snippet can name, as Godot 4.3 spells it. */
export const GODOT_CLASSES: readonly AnyClassSpec[] = [
  NodeSpec,
  SceneTreeSpec,
  PacketPeerSpec,
  PacketPeerUDPSpec,
  UDPServerSpec,
  PacketPeerDTLSSpec,
  DTLSServerSpec,
  TLSOptionsSpec,
  CryptoSpec,
  CryptoKeySpec,
  X509CertificateSpec,
  OSSpec,
  TimeSpec,
];

export function createGodotHost(runtime: GodotRuntime, print: (text: string, stream: 'stdout' | 'stderr', range: Range) => void): Host {
  const classes = new Map<string, NativeClass>(GODOT_CLASSES.map((spec) => [spec.name, nativeClass(spec, runtime)]));
  return {
    getClass: (name) => classes.get(name),
    print,
  };
}
