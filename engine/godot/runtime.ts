// What the emulated Godot classes need from the world they run in: a clock, a datagram network and a
// place to record what happened. The sandbox provides it (virtual link or real UDP on 127.0.0.1).

import type { TimelineEntry } from '../sandbox/report';

export interface Datagram {
  host: string;
  port: number;
  data: Uint8Array;
}

/** A UDP socket as a Godot script sees it: non-blocking, read by polling. */
export interface DatagramSocket {
  /** 'binding' only on real sockets, until the network settles. */
  readonly state: 'binding' | 'bound' | 'failed' | 'closed';
  /** Why binding failed (a sentence for people). */
  readonly failure?: string;
  /** The port as the script sees it (the one it asked for, or an ephemeral one). */
  readonly localPort: number;
  send(host: string, port: number, data: Uint8Array): void;
  receive(): Datagram | undefined;
  pendingCount(): number;
  close(): void;
}

export interface DatagramNetwork {
  readonly kind: 'virtual' | 'udp';
  /** Port 0 binds an ephemeral port. Failure is reported on the socket, never thrown. */
  bind(host: string, port: number): DatagramSocket;
}

export interface GodotRuntime {
  /** Name of the peer (process) these objects belong to. */
  readonly peer: string;
  readonly network: DatagramNetwork;
  /** Milliseconds since the start of the run (virtual or wall clock). */
  now(): number;
  record(entry: DistributiveOmit<TimelineEntry, 'peer' | 'at'>): void;
  /** What the script asked of its own process: set_process(false), get_tree().quit(). */
  readonly lifecycle: { processing: boolean; quitRequested: boolean };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
