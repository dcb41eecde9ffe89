// A deterministic in-memory datagram network driven by a virtual clock: every datagram is delivered
// after a one-way delay, in send order. No real socket is opened.
//
// A simulated link shapes each direction (the sending socket's peer decides): loss, delay, jitter,
// duplication, reordering, an MTU and a bandwidth (serialization delay), all drawn from one seeded
// PRNG so the same seed gives the same run. Every datagram the link drops is reported via `onDrop`.

import type { BindOptions, Datagram, DatagramNetwork, DatagramSocket } from '../godot/runtime';
import type { LinkShape } from './options';
import type { VirtualClock } from './virtual-clock';

/** Who owns a socket and how the link treats what that socket sends. */
export interface LinkOwner {
  peer: string;
  shape: LinkShape;
}

export interface LinkSimulation {
  seed: number;
  /** A datagram the link lost (loss, MTU) or that went to a port where nothing listens. */
  onDrop?: (peer: string, connection: string, reason: string) => void;
  /** Every datagram a socket sends (for a pcapng capture); `dropped` says why the link lost it. */
  onSend?: (fromPort: number, toPort: number, data: Uint8Array, dropped?: string) => void;
}

/** mulberry32: a small, fast, seedable PRNG (same seed → same sequence). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pct(p: number): string {
  return `${Number((p * 100).toFixed(2))}%`;
}

const FIRST_EPHEMERAL_PORT = 49152;

interface InFlight {
  at: number;
  order: number;
  to: VirtualSocket;
  datagram: Datagram;
}

export class VirtualNetwork implements DatagramNetwork {
  readonly kind = 'virtual';
  private readonly sockets = new Map<string, VirtualSocket>();
  private readonly inFlight: InFlight[] = [];
  private nextEphemeral = FIRST_EPHEMERAL_PORT;
  private sent = 0;
  private readonly random: () => number;
  /** Per sending peer: when its direction of the link is free again (bandwidth). */
  private readonly busyUntil = new Map<string, number>();

  constructor(
    private readonly clock: VirtualClock,
    /** One-way delay of every datagram, in milliseconds (unless a link shape sets `delayMs`). */
    private readonly delayMs = 0.05,
    private readonly simulation: LinkSimulation = { seed: 1 },
  ) {
    this.random = seededRandom(simulation.seed);
  }

  /** The network as one peer sees it: its sockets send through `shape`. */
  forPeer(owner: LinkOwner): DatagramNetwork {
    return { kind: 'virtual', bind: (host, port, options) => this.bind(host, port, options, owner) };
  }

  bind(host: string, port: number, options: BindOptions = {}, owner?: LinkOwner): DatagramSocket {
    const address = normalizeHost(host);
    if (address === undefined) return VirtualSocket.failed(port, `"${host}" is not an address this sandbox can bind: use "127.0.0.1", "localhost" or "*".`);
    if (port === 0) {
      while (this.sockets.has(key('127.0.0.1', this.nextEphemeral))) this.nextEphemeral++;
      port = this.nextEphemeral++;
    }
    if (port < 0 || port > 65535) return VirtualSocket.failed(port, `Port ${port} is out of range (1-65535).`);
    const k = key('127.0.0.1', port);
    if (this.sockets.has(k)) return VirtualSocket.failed(port, `Port ${port} on 127.0.0.1 is already in use by another socket of this run.`);
    const socket = new VirtualSocket(port, 'bound', undefined, this, () => this.sockets.delete(k), options, owner);
    this.sockets.set(k, socket);
    return socket;
  }

  /** Called by sockets: queue a datagram for delivery after the link delay. Unbound destinations lose it, like UDP. */
  transmit(from: VirtualSocket, host: string, port: number, data: Uint8Array): void {
    const address = normalizeHost(host);
    const to = address === undefined ? undefined : this.sockets.get(key('127.0.0.1', port));
    const owner = from.owner;
    const drop = (reason: string) => {
      this.simulation.onSend?.(from.localPort, port, data, reason);
      if (owner) this.simulation.onDrop?.(owner.peer, `${from.localPort} → ${port}`, reason);
    };
    if (!to) {
      const listening = [...this.sockets.values()].filter((s) => s !== from).map((s) => s.localPort);
      drop(`nothing listens on 127.0.0.1:${port}${listening.length ? ` (bound ports: ${listening.join(', ')})` : ''}`);
      return;
    }
    const shape = owner?.shape ?? {};
    const now = this.clock.now();
    // Draw the same number of random numbers for every datagram, so one change shifts nothing else.
    const [rLoss, rJitter, rDuplicate, rReorder] = [this.random(), this.random(), this.random(), this.random()];
    if (shape.mtu !== undefined && data.length > shape.mtu) return void drop(`larger than the link MTU (${data.length} > ${shape.mtu} bytes)`);
    if (shape.loss && rLoss < shape.loss) return void drop(`link loss ${pct(shape.loss)}`);
    let sentAt = now;
    if (shape.bandwidthBps) {
      const lane = owner?.peer ?? '';
      const start = Math.max(now, this.busyUntil.get(lane) ?? 0);
      sentAt = start + (data.length * 8 * 1000) / shape.bandwidthBps;
      this.busyUntil.set(lane, sentAt);
    }
    const delay = (shape.delayMs ?? this.delayMs) + (shape.jitterMs ?? 0) * rJitter;
    let at = sentAt + delay;
    // A reordered datagram is held back long enough for the ones sent right after it to overtake it.
    if (shape.reorder && rReorder < shape.reorder) at += 1 + (shape.delayMs ?? this.delayMs) + (shape.jitterMs ?? 0);
    this.simulation.onSend?.(from.localPort, port, data);
    const datagram = { host: '127.0.0.1', port: from.localPort, data: data.slice() };
    this.inFlight.push({ at, order: this.sent++, to, datagram });
    if (shape.duplicate && rDuplicate < shape.duplicate) this.inFlight.push({ at: at + 0.01, order: this.sent++, to, datagram: { ...datagram, data: data.slice() } });
  }

  /** Time of the next delivery, if any datagram is in flight. */
  nextDeliveryAt(): number | undefined {
    let next: number | undefined;
    for (const f of this.inFlight) if (next === undefined || f.at < next) next = f.at;
    return next;
  }

  /** Delivers every datagram due at or before `time`, in order. */
  deliverUntil(time: number): void {
    const due = this.inFlight.filter((f) => f.at <= time).sort((a, b) => a.at - b.at || a.order - b.order);
    if (due.length === 0) return;
    const remaining = this.inFlight.filter((f) => f.at > time);
    this.inFlight.length = 0;
    this.inFlight.push(...remaining);
    for (const f of due) f.to.deliver(f.datagram);
  }
}

class VirtualSocket implements DatagramSocket {
  private readonly queue: Datagram[] = [];
  private queuedBytes = 0;

  constructor(
    readonly localPort: number,
    public state: DatagramSocket['state'],
    readonly failure: string | undefined,
    private readonly network: VirtualNetwork | undefined,
    private readonly onClose: () => void,
    private readonly options: BindOptions = {},
    readonly owner?: LinkOwner,
  ) {}

  static failed(port: number, failure: string): VirtualSocket {
    return new VirtualSocket(port, 'failed', failure, undefined, () => undefined);
  }

  send(host: string, port: number, data: Uint8Array): void {
    if (this.state === 'bound') this.network?.transmit(this, host, port, data);
  }

  receive(): Datagram | undefined {
    const d = this.queue.shift();
    if (d) this.queuedBytes -= d.data.length;
    return d;
  }

  pendingCount(): number {
    return this.queue.length;
  }

  deliver(datagram: Datagram): void {
    if (this.state !== 'bound') return;
    const limit = this.options.recvBufSize;
    if (limit !== undefined && this.queuedBytes + datagram.data.length > limit) {
      this.options.onDrop?.(datagram.data.length);
      return;
    }
    this.queue.push(datagram);
    this.queuedBytes += datagram.data.length;
  }

  close(): void {
    if (this.state !== 'bound') return;
    this.state = 'closed';
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.onClose();
  }
}

function key(host: string, port: number): string {
  return `${host}:${port}`;
}

/** The sandbox is loopback only: every loopback spelling maps to 127.0.0.1. */
export function normalizeHost(host: string): string | undefined {
  if (host === '*' || host === '' || host === '0.0.0.0' || host === 'localhost' || host === '::1' || host === '::') return '127.0.0.1';
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ? '127.0.0.1' : undefined;
}
