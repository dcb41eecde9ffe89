// Real UDP sockets on 127.0.0.1. A port a script binds (e.g. 4242) is mapped to an ephemeral real
// port, so runs never collide with each other or with whatever already listens on 4242; datagrams
// between the run's own sockets are translated both ways, so scripts see the ports they asked for.

import * as dgram from 'node:dgram';
import type { BindOptions, Datagram, DatagramNetwork, DatagramSocket } from '../godot/runtime';
import { normalizeHost } from './virtual-network';

export class UdpNetwork implements DatagramNetwork {
  readonly kind = 'udp';
  /** Script port → real port, for the sockets of this run. */
  private readonly realPorts = new Map<number, number>();
  private readonly scriptPorts = new Map<number, number>();
  private readonly binding = new Set<Promise<void>>();
  private readonly open = new Set<UdpSocket>();

  bind(host: string, port: number, options: BindOptions = {}): DatagramSocket {
    const socket = new UdpSocket(this, port, options);
    if (normalizeHost(host) === undefined) {
      socket.fail(`"${host}" is not an address this sandbox can bind: it only uses 127.0.0.1.`);
      return socket;
    }
    if (port < 0 || port > 65535) {
      socket.fail(`Port ${port} is out of range (1-65535).`);
      return socket;
    }
    if (port !== 0 && this.realPorts.has(port)) {
      socket.fail(`Port ${port} is already in use by another socket of this run.`);
      return socket;
    }
    if (port !== 0) this.realPorts.set(port, -1);
    const done = socket.open().then(
      (real) => {
        const scriptPort = port === 0 ? real : port;
        if (!socket.bound(scriptPort)) {
          if (port !== 0) this.realPorts.delete(port);
          return;
        }
        this.realPorts.set(scriptPort, real);
        this.scriptPorts.set(real, scriptPort);
        this.open.add(socket);
      },
      (error: Error) => {
        if (port !== 0) this.realPorts.delete(port);
        socket.fail(`Could not bind a UDP socket on 127.0.0.1: ${error.message}`);
      },
    );
    this.binding.add(done);
    void done.finally(() => this.binding.delete(done));
    return socket;
  }

  /** Resolves once every bind started so far has finished (successfully or not). */
  async settle(): Promise<void> {
    while (this.binding.size > 0) await Promise.all([...this.binding]);
  }

  /** The real port a datagram to `port` goes to. */
  realPort(port: number): number {
    const real = this.realPorts.get(port);
    return real === undefined || real < 0 ? port : real;
  }

  /** The port a script sees for a datagram that came from real port `port`. */
  scriptPort(port: number): number {
    return this.scriptPorts.get(port) ?? port;
  }

  forget(socket: UdpSocket, real: number | undefined): void {
    this.open.delete(socket);
    if (real === undefined) return;
    const scriptPort = this.scriptPorts.get(real);
    this.scriptPorts.delete(real);
    if (scriptPort !== undefined) this.realPorts.delete(scriptPort);
  }

  /** Closes every socket still open (end of a run). */
  closeAll(): void {
    for (const socket of [...this.open]) socket.close();
  }
}

class UdpSocket implements DatagramSocket {
  state: DatagramSocket['state'] = 'binding';
  failure?: string;
  private readonly queue: Datagram[] = [];
  private queuedBytes = 0;
  private socket?: dgram.Socket;
  private real?: number;
  private port: number;

  constructor(
    private readonly network: UdpNetwork,
    port: number,
    private readonly options: BindOptions = {},
  ) {
    this.port = port;
  }

  get localPort(): number {
    return this.port;
  }

  open(): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        socket.on('error', () => undefined);
        socket.on('message', (data, from) => {
          if (this.state !== 'bound') return;
          const limit = this.options.recvBufSize;
          if (limit !== undefined && this.queuedBytes + data.length > limit) {
            this.options.onDrop?.(data.length);
            return;
          }
          this.queue.push({ host: from.address, port: this.network.scriptPort(from.port), data: new Uint8Array(data) });
          this.queuedBytes += data.length;
        });
        this.socket = socket;
        this.real = socket.address().port;
        resolve(this.real);
      });
    });
  }

  /** Finishes binding; false (and the socket released) when it was closed while binding. */
  bound(scriptPort: number): boolean {
    this.port = scriptPort;
    if (this.state === 'binding') {
      this.state = 'bound';
      return true;
    }
    this.socket?.close();
    return false;
  }

  fail(failure: string): void {
    this.state = 'failed';
    this.failure = failure;
  }

  send(host: string, port: number, data: Uint8Array): void {
    if (this.state !== 'bound' || !this.socket || normalizeHost(host) === undefined) return;
    this.socket.send(data, this.network.realPort(port), '127.0.0.1');
  }

  receive(): Datagram | undefined {
    const d = this.queue.shift();
    if (d) this.queuedBytes -= d.data.length;
    return d;
  }

  pendingCount(): number {
    return this.queue.length;
  }

  close(): void {
    if (this.state === 'closed') return;
    const wasBound = this.state === 'bound';
    this.state = 'closed';
    this.queue.length = 0;
    this.queuedBytes = 0;
    if (wasBound) {
      this.socket?.close();
      this.network.forget(this, this.real);
    }
  }
}
