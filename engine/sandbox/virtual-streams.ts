// A deterministic in-memory TCP: connections and bytes arrive after a fixed one-way delay on the
// virtual clock, in order. Connecting to a port nobody listens on is refused after one delay.

import type { StreamListener, StreamNetwork, StreamSocket } from '../godot/runtime';
import type { VirtualClock } from './virtual-clock';
import { normalizeHost } from './virtual-network';

const FIRST_EPHEMERAL_PORT = 50000;

interface Event {
  at: number;
  order: number;
  run: () => void;
}

export class VirtualStreamNetwork implements StreamNetwork {
  private readonly listeners = new Map<number, VirtualListener>();
  private readonly usedPorts = new Set<number>();
  private readonly events: Event[] = [];
  private order = 0;
  private nextEphemeral = FIRST_EPHEMERAL_PORT;

  constructor(
    private readonly clock: VirtualClock,
    /** Bytes a connection may hold unread (in flight + queued) before writes are refused. */
    readonly maxBufferedBytes: number,
    private readonly delayMs = 0.05,
  ) {}

  schedule(run: () => void): void {
    this.events.push({ at: this.clock.now() + this.delayMs, order: this.order++, run });
  }

  /** Runs every event due at or before `time`, in order. */
  deliverUntil(time: number): void {
    for (;;) {
      const due = this.events.filter((e) => e.at <= time).sort((a, b) => a.at - b.at || a.order - b.order);
      if (due.length === 0) return;
      const keep = this.events.filter((e) => e.at > time);
      this.events.length = 0;
      this.events.push(...keep);
      for (const e of due) e.run();
    }
  }

  private ephemeral(): number {
    while (this.usedPorts.has(this.nextEphemeral)) this.nextEphemeral++;
    return this.nextEphemeral++;
  }

  listen(host: string, port: number): StreamListener {
    if (normalizeHost(host) === undefined) return VirtualListener.failed(port, `"${host}" is not an address this sandbox can listen on.`);
    if (port === 0) port = this.ephemeral();
    if (this.listeners.has(port) || this.usedPorts.has(port)) return VirtualListener.failed(port, `Port ${port} on 127.0.0.1 is already in use by another socket of this run.`);
    const listener = new VirtualListener(port, () => {
      this.listeners.delete(port);
      this.usedPorts.delete(port);
    });
    this.listeners.set(port, listener);
    this.usedPorts.add(port);
    return listener;
  }

  connect(host: string, port: number, localPort?: number): StreamSocket {
    const local = localPort && !this.usedPorts.has(localPort) ? localPort : this.ephemeral();
    this.usedPorts.add(local);
    const client = new VirtualStreamSocket(this, local, '127.0.0.1', port, () => this.usedPorts.delete(local));
    this.schedule(() => {
      const listener = this.listeners.get(port);
      if (!listener || listener.state !== 'listening' || normalizeHost(host) === undefined) {
        client.fail(`Connection refused: nothing listens on 127.0.0.1:${port}.`);
        return;
      }
      const server = new VirtualStreamSocket(this, port, '127.0.0.1', local, () => undefined);
      server.peer = client;
      client.peer = server;
      server.state = 'connected';
      listener.enqueue(server);
      // The client learns it is connected when the SYN-ACK comes back.
      this.schedule(() => {
        if (client.state === 'connecting') client.state = 'connected';
      });
    });
    return client;
  }
}

class VirtualListener implements StreamListener {
  state: StreamListener['state'];
  failure?: string;
  private readonly pending: VirtualStreamSocket[] = [];

  constructor(
    readonly localPort: number,
    private readonly onClose: () => void,
    failure?: string,
  ) {
    this.state = failure ? 'failed' : 'listening';
    this.failure = failure;
  }

  static failed(port: number, failure: string): VirtualListener {
    return new VirtualListener(port, () => undefined, failure);
  }

  enqueue(socket: VirtualStreamSocket): void {
    this.pending.push(socket);
  }

  accept(): StreamSocket | undefined {
    return this.pending.shift();
  }

  pendingCount(): number {
    return this.pending.length;
  }

  close(): void {
    if (this.state !== 'listening') return;
    this.state = 'closed';
    for (const s of this.pending) s.close();
    this.pending.length = 0;
    this.onClose();
  }
}

class VirtualStreamSocket implements StreamSocket {
  state: StreamSocket['state'] = 'connecting';
  failure?: string;
  peer?: VirtualStreamSocket;
  remoteClosed = false;
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  /** Bytes sent and not yet read by the peer (in flight + queued there). */
  unread = 0;

  constructor(
    private readonly network: VirtualStreamNetwork,
    readonly localPort: number,
    readonly remoteHost: string,
    readonly remotePort: number,
    private readonly onClose: () => void,
  ) {}

  fail(message: string): void {
    this.state = 'failed';
    this.failure = message;
    this.onClose();
  }

  write(data: Uint8Array): boolean {
    const peer = this.peer;
    if (this.state !== 'connected' || !peer) return false;
    if (this.unread + data.length > this.network.maxBufferedBytes) return false;
    this.unread += data.length;
    const copy = data.slice();
    this.network.schedule(() => peer.arrive(copy, this));
    return true;
  }

  private arrive(data: Uint8Array, from: VirtualStreamSocket): void {
    if (this.state !== 'connected') {
      from.unread -= data.length;
      return;
    }
    this.queue.push(data);
    this.queued += data.length;
  }

  read(max: number): Uint8Array {
    const out: Uint8Array[] = [];
    let n = 0;
    while (this.queue.length > 0 && n < max) {
      const chunk = this.queue[0];
      const part = Math.min(chunk.length, max - n);
      out.push(chunk.subarray(0, part));
      if (part === chunk.length) this.queue.shift();
      else this.queue[0] = chunk.subarray(part);
      n += part;
    }
    this.queued -= n;
    if (this.peer) this.peer.unread -= n;
    const result = new Uint8Array(n);
    let offset = 0;
    for (const c of out) {
      result.set(c, offset);
      offset += c.length;
    }
    return result;
  }

  available(): number {
    return this.queued;
  }

  close(): void {
    if (this.state === 'closed') return;
    const wasConnected = this.state === 'connected';
    this.state = 'closed';
    this.queue.length = 0;
    this.queued = 0;
    this.onClose();
    const peer = this.peer;
    if (wasConnected && peer) this.network.schedule(() => (peer.remoteClosed = true));
  }
}
