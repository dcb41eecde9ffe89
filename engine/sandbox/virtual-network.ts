// A deterministic in-memory datagram network driven by a virtual clock: every datagram is delivered
// after a fixed one-way delay, in send order. No real socket is opened.

import type { BindOptions, Datagram, DatagramNetwork, DatagramSocket } from '../godot/runtime';
import type { VirtualClock } from './virtual-clock';

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

  constructor(
    private readonly clock: VirtualClock,
    /** One-way delay of every datagram, in milliseconds. */
    private readonly delayMs = 0.05,
  ) {}

  bind(host: string, port: number, options: BindOptions = {}): DatagramSocket {
    const address = normalizeHost(host);
    if (address === undefined) return VirtualSocket.failed(port, `"${host}" is not an address this sandbox can bind: use "127.0.0.1", "localhost" or "*".`);
    if (port === 0) {
      while (this.sockets.has(key('127.0.0.1', this.nextEphemeral))) this.nextEphemeral++;
      port = this.nextEphemeral++;
    }
    if (port < 0 || port > 65535) return VirtualSocket.failed(port, `Port ${port} is out of range (1-65535).`);
    const k = key('127.0.0.1', port);
    if (this.sockets.has(k)) return VirtualSocket.failed(port, `Port ${port} on 127.0.0.1 is already in use by another socket of this run.`);
    const socket = new VirtualSocket(port, 'bound', undefined, this, () => this.sockets.delete(k), options);
    this.sockets.set(k, socket);
    return socket;
  }

  /** Called by sockets: queue a datagram for delivery after the link delay. Unbound destinations lose it, like UDP. */
  transmit(from: VirtualSocket, host: string, port: number, data: Uint8Array): void {
    const address = normalizeHost(host);
    const to = address === undefined ? undefined : this.sockets.get(key('127.0.0.1', port));
    if (!to) return;
    this.inFlight.push({ at: this.clock.now() + this.delayMs, order: this.sent++, to, datagram: { host: '127.0.0.1', port: from.localPort, data: data.slice() } });
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
