// What the emulated Godot classes need from the world they run in: a clock, a datagram network, a
// stream (TCP) network, file roots, a scheduler for extra tasks (threads, signal callbacks) and a
// place to record what happened. The sandbox provides these services (virtual link or real sockets
// on 127.0.0.1); createRuntime() adds the Godot-side state (limits, usage counters, timers).

import type { GdCallable } from '../gdscript/values';
import { ScriptError, type CallContext, type NativeObject, type Range, type Value } from '../gdscript/host';
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

export interface BindOptions {
  /** Bytes the socket queues before it drops datagrams (Godot's recv_buf_size). */
  recvBufSize?: number;
  /** Called when a datagram is dropped because the queue is full. */
  onDrop?: (bytes: number) => void;
}

export interface DatagramNetwork {
  readonly kind: 'virtual' | 'udp';
  /** Port 0 binds an ephemeral port. Failure is reported on the socket, never thrown. */
  bind(host: string, port: number, options?: BindOptions): DatagramSocket;
}

/** One TCP connection as the emulated StreamPeerTCP sees it: non-blocking byte queues. */
export interface StreamSocket {
  readonly state: 'connecting' | 'connected' | 'closed' | 'failed';
  readonly failure?: string;
  /** Ports as the script sees them. */
  readonly localPort: number;
  readonly remoteHost: string;
  readonly remotePort: number;
  /** Queues bytes for the peer; false when the sandbox's buffer limit would be exceeded (nothing is queued then). */
  write(data: Uint8Array): boolean;
  /** Takes up to `max` bytes that have arrived. */
  read(max: number): Uint8Array;
  available(): number;
  /** True once the peer closed its side (reads still return what is buffered). */
  readonly remoteClosed: boolean;
  close(): void;
}

export interface StreamListener {
  readonly state: 'binding' | 'listening' | 'failed' | 'closed';
  readonly failure?: string;
  readonly localPort: number;
  /** The next connection that is ready, if any. */
  accept(): StreamSocket | undefined;
  pendingCount(): number;
  close(): void;
}

export interface StreamNetwork {
  /** Port 0 picks an ephemeral port. Failure is reported on the listener, never thrown. */
  listen(host: string, port: number): StreamListener;
  /** `host` is already a loopback address. Failure (nobody listening) is reported on the socket. */
  connect(host: string, port: number, localPort?: number): StreamSocket;
}

/** Where res:// and user:// live for one run. */
export interface FileRoots {
  /** The snippet's document folder (res://), read-only; undefined when the run has none. */
  readonly documentFolder?: string;
  /** user://: a per-run scratch folder in memory, shared by the peers of the run (path → contents). */
  readonly user: Map<string, Uint8Array>;
}

/** A task the sandbox runs next to the peer's main loop (a Thread, a signal callback). */
export interface FiberHandle {
  readonly id: number;
  readonly name: string;
  readonly done: boolean;
  /** The callable's return value once done (null after an error). */
  readonly result: Value;
  /** The runtime error that ended it, if any. */
  readonly error?: string;
}

export interface Scheduler {
  /** Runs `callable(args)` as another resumable task of this peer; `onDone` is called when it ends. */
  spawn(callable: GdCallable, args: Value[], kind: 'thread' | 'callback', name: string, onDone?: (fiber: FiberHandle) => void): FiberHandle;
  /** Id of the task running right now (the main loop is `mainFiberId`). */
  currentFiberId(): number;
  readonly mainFiberId: number;
}

/** What the sandbox provides to one peer. */
export interface RuntimeServices {
  /** Name of the peer (process) these objects belong to. */
  readonly peer: string;
  readonly network: DatagramNetwork;
  readonly streams: StreamNetwork;
  readonly files: FileRoots;
  /** Milliseconds since the start of the run (virtual or wall clock). */
  now(): number;
  /** Wall-clock time (ms since the Unix epoch) at the start of the run: unix time = this + now(). */
  readonly startedAtUnixMs: number;
  record(entry: DistributiveOmit<TimelineEntry, 'peer' | 'at'>): void;
  /** Prints a Godot-style error line ("ERROR: ...") for work that is not tied to a script call. */
  warn(message: string, range?: Range): void;
  readonly scheduler: Scheduler;
  readonly limits?: Partial<GodotLimits>;
  /** Receives one SSLKEYLOGFILE line per DTLS session that completes a handshake (optional). */
  readonly keyLog?: (line: string) => void;
}

/** The sandbox's bounds on what one peer may hold; each refusal is an error at the call. */
export interface GodotLimits {
  /** Open sockets (UDP, TCP, listeners) per peer. */
  maxSockets: number;
  /** Threads started and not yet finished, per peer. */
  maxThreads: number;
  /** SceneTreeTimers pending per peer. */
  maxTimers: number;
  /** Bytes queued per socket or connection before datagrams are dropped / writes refused. */
  maxBufferedBytes: number;
  /** Signal connections per object and signal. */
  maxConnections: number;
  /** Bytes of a file read from res:// or written to user://. */
  maxFileBytes: number;
  /** Files in user://. */
  maxUserFiles: number;
  /** Nodes a peer may create. */
  maxNodes: number;
}

export const DEFAULT_GODOT_LIMITS: GodotLimits = {
  maxSockets: 64,
  maxThreads: 16,
  maxTimers: 256,
  maxBufferedBytes: 1 << 20,
  maxConnections: 256,
  maxFileBytes: 1 << 20,
  maxUserFiles: 64,
  maxNodes: 1024,
};

/** Timers of one peer (SceneTreeTimer), fired by the sandbox when their time comes. */
export class TimerQueue {
  private readonly timers: { at: number; order: number; fire: () => void; cancelled: boolean }[] = [];
  private order = 0;

  add(at: number, fire: () => void): { cancel(): void } {
    const timer = { at, order: this.order++, fire, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  get size(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  nextAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.timers) if (!t.cancelled && (next === undefined || t.at < next)) next = t.at;
    return next;
  }

  /** Fires every timer due at or before `now`, in time order. */
  fireDue(now: number): void {
    const due = this.timers.filter((t) => t.at <= now && !t.cancelled).sort((a, b) => a.at - b.at || a.order - b.order);
    const keep = this.timers.filter((t) => t.at > now && !t.cancelled);
    this.timers.length = 0;
    this.timers.push(...keep);
    for (const t of due) t.fire();
  }
}

export interface Lifecycle {
  processing: boolean;
  physicsProcessing: boolean;
  quitRequested: boolean;
  exitCode: number;
}

/** Everything the emulated classes of one peer share. */
export interface GodotRuntime extends RuntimeServices {
  /** What the script asked of its own process: set_process(false), get_tree().quit(). */
  readonly lifecycle: Lifecycle;
  readonly limits: GodotLimits;
  /** Live resources, checked against `limits`. */
  readonly usage: { sockets: number; threads: number; nodes: number };
  readonly timers: TimerQueue;
  /** Frames started so far (SceneTree.get_frame()). */
  frame: number;
  /** Godot-side singletons of this peer, created on first use (the SceneTree, the script's root node). */
  readonly singletons: Map<string, NativeObject>;
  /** Called when the run ends (closes what Node keeps open for this peer, e.g. TLS sessions). */
  readonly cleanups: Set<() => void>;
  /** A CallContext for work outside a script call (property access, timers, callbacks). */
  detachedContext(): CallContext;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const NOWHERE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** What createRuntime() needs at least; the other services get defaults (no TCP, no files, no threads). */
export type MinimalServices = Pick<RuntimeServices, 'peer' | 'network' | 'now' | 'record'> & Partial<RuntimeServices>;

const NO_STREAMS: StreamNetwork = {
  listen: (_host, port) => ({ state: 'failed', failure: 'TCP is not available here.', localPort: port, accept: () => undefined, pendingCount: () => 0, close: () => undefined }),
  connect: (host, port) => ({
    state: 'failed', failure: 'TCP is not available here.', localPort: 0, remoteHost: host, remotePort: port, remoteClosed: true,
    write: () => false, read: () => new Uint8Array(0), available: () => 0, close: () => undefined,
  }),
};

/** A scheduler without threads (Thread.start() reports an error). */
function noThreads(): Scheduler {
  return {
    mainFiberId: 1,
    currentFiberId: () => 1,
    spawn: () => {
      throw new ScriptError('Threads need the sandbox scheduler (run the snippet as a pair).');
    },
  };
}

/** The runtime of one peer: the sandbox's services plus the Godot-side state. */
export function createRuntime(given: MinimalServices): GodotRuntime {
  const services: RuntimeServices = {
    streams: NO_STREAMS,
    files: { user: new Map() },
    startedAtUnixMs: Date.now(),
    warn: () => undefined,
    scheduler: noThreads(),
    ...given,
  };
  const runtime = {
    ...services,
    lifecycle: { processing: true, physicsProcessing: true, quitRequested: false, exitCode: 0 },
    limits: { ...DEFAULT_GODOT_LIMITS, ...services.limits },
    usage: { sockets: 0, threads: 0, nodes: 0 },
    timers: new TimerQueue(),
    frame: 0,
    singletons: new Map(),
    cleanups: new Set(),
    detachedContext(): CallContext {
      return { range: NOWHERE, warn: (message: string) => services.warn(message) };
    },
  } as Mutable<GodotRuntime>;
  // `services` may be a class instance whose methods live on its prototype: bind the ones we copied.
  runtime.now = () => services.now();
  runtime.record = (entry) => services.record(entry);
  runtime.warn = (message, range) => services.warn(message, range);
  return runtime;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Counts a new socket against the peer's limit; false (and an error line) when the limit is reached. */
export function acquireSocket(runtime: GodotRuntime, ctx: CallContext, what: string): boolean {
  if (runtime.usage.sockets >= runtime.limits.maxSockets) {
    ctx.warn(`${what}: this peer already has ${runtime.limits.maxSockets} open sockets, the sandbox's limit. Close the ones you no longer need.`);
    return false;
  }
  runtime.usage.sockets++;
  return true;
}

export function releaseSocket(runtime: GodotRuntime): void {
  runtime.usage.sockets = Math.max(0, runtime.usage.sockets - 1);
}

/**
 * Work that Node does asynchronously for the emulated classes (StreamPeerTLS runs on node:tls). While
 * `sessions` > 0 the sandbox lets the event loop turn between scheduling steps, also on the virtual link.
 */
export const backgroundWork = { sessions: 0 };
