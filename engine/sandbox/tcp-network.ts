// Real TCP on 127.0.0.1 (node:net). Like UdpNetwork, a port a script listens on (e.g. 4242) is mapped
// to an ephemeral real port, so runs never collide with each other or with whatever already listens
// on 4242; connections to ports of the run's own listeners are translated, other ports are used as is.

import * as net from 'node:net';
import type { StreamListener, StreamNetwork, StreamSocket } from '../godot/runtime';
import { normalizeHost } from './virtual-network';

export class TcpNetwork implements StreamNetwork {
  /** Script port → real port of the run's listeners (-1 while binding). */
  private readonly realPorts = new Map<number, number>();
  private readonly binding = new Set<Promise<void>>();
  private readonly open = new Set<{ close(): void }>();

  constructor(readonly maxBufferedBytes: number) {}

  listen(host: string, port: number): StreamListener {
    const listener = new TcpListener(this, port);
    if (normalizeHost(host) === undefined) {
      listener.fail(`"${host}" is not an address this sandbox can listen on: it only uses 127.0.0.1.`);
      return listener;
    }
    if (port !== 0 && this.realPorts.has(port)) {
      listener.fail(`Port ${port} is already in use by another socket of this run.`);
      return listener;
    }
    if (port !== 0) this.realPorts.set(port, -1);
    const done = listener.start().then(
      (real) => {
        const scriptPort = port === 0 ? real : port;
        if (!listener.listening(scriptPort)) {
          if (port !== 0) this.realPorts.delete(port);
          return;
        }
        this.realPorts.set(scriptPort, real);
        this.open.add(listener);
      },
      (error: Error) => {
        if (port !== 0) this.realPorts.delete(port);
        listener.fail(`Could not listen on 127.0.0.1: ${error.message}`);
      },
    );
    this.binding.add(done);
    void done.finally(() => this.binding.delete(done));
    return listener;
  }

  connect(_host: string, port: number): StreamSocket {
    const mapped = this.realPorts.get(port);
    const real = mapped === undefined || mapped < 0 ? port : mapped;
    const socket = new TcpSocket(this, net.connect({ host: '127.0.0.1', port: real }), '127.0.0.1', port, 'connecting');
    this.open.add(socket);
    return socket;
  }

  adopt(socket: net.Socket, scriptRemotePort: number): TcpSocket {
    const wrapped = new TcpSocket(this, socket, '127.0.0.1', scriptRemotePort, 'connected');
    this.open.add(wrapped);
    return wrapped;
  }

  forget(item: { close(): void }, scriptPort?: number): void {
    this.open.delete(item);
    if (scriptPort !== undefined) this.realPorts.delete(scriptPort);
  }

  /** Resolves once every listen() started so far has finished. */
  async settle(): Promise<void> {
    while (this.binding.size > 0) await Promise.all([...this.binding]);
  }

  closeAll(): void {
    for (const item of [...this.open]) item.close();
  }
}

class TcpListener implements StreamListener {
  state: StreamListener['state'] = 'binding';
  failure?: string;
  private server?: net.Server;
  private port: number;
  private readonly pending: StreamSocket[] = [];

  constructor(
    private readonly network: TcpNetwork,
    port: number,
  ) {
    this.port = port;
  }

  get localPort(): number {
    return this.port;
  }

  start(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => {
        if (this.state !== 'listening') {
          socket.destroy();
          return;
        }
        this.pending.push(this.network.adopt(socket, socket.remotePort ?? 0));
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        server.on('error', () => undefined);
        this.server = server;
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  listening(scriptPort: number): boolean {
    this.port = scriptPort;
    if (this.state === 'binding') {
      this.state = 'listening';
      return true;
    }
    this.server?.close();
    return false;
  }

  fail(failure: string): void {
    this.state = 'failed';
    this.failure = failure;
  }

  accept(): StreamSocket | undefined {
    return this.pending.shift();
  }

  pendingCount(): number {
    return this.pending.length;
  }

  close(): void {
    if (this.state === 'closed') return;
    const wasListening = this.state === 'listening';
    this.state = 'closed';
    for (const s of this.pending) s.close();
    this.pending.length = 0;
    if (wasListening) {
      this.server?.close();
      this.network.forget(this, this.port);
    }
  }
}

class TcpSocket implements StreamSocket {
  failure?: string;
  remoteClosed = false;
  private readonly queue: Uint8Array[] = [];
  private queued = 0;

  constructor(
    private readonly network: TcpNetwork,
    private readonly socket: net.Socket,
    readonly remoteHost: string,
    readonly remotePort: number,
    public state: StreamSocket['state'],
  ) {
    socket.on('connect', () => {
      if (this.state === 'connecting') this.state = 'connected';
    });
    socket.on('data', (chunk: Buffer) => {
      this.queue.push(new Uint8Array(chunk));
      this.queued += chunk.length;
      if (this.queued >= this.network.maxBufferedBytes) socket.pause();
    });
    socket.on('end', () => (this.remoteClosed = true));
    socket.on('close', () => (this.remoteClosed = true));
    socket.on('error', (error: Error) => {
      if (this.state === 'closed') return;
      this.failure = error.message;
      this.state = 'failed';
    });
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  write(data: Uint8Array): boolean {
    if (this.state !== 'connected') return false;
    if (this.socket.writableLength + data.length > this.network.maxBufferedBytes) return false;
    this.socket.write(data);
    return true;
  }

  read(max: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let n = 0;
    while (this.queue.length > 0 && n < max) {
      const chunk = this.queue[0];
      const part = Math.min(chunk.length, max - n);
      parts.push(chunk.subarray(0, part));
      if (part === chunk.length) this.queue.shift();
      else this.queue[0] = chunk.subarray(part);
      n += part;
    }
    this.queued -= n;
    if (this.socket.isPaused() && this.queued < this.network.maxBufferedBytes) this.socket.resume();
    const out = new Uint8Array(n);
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }

  available(): number {
    return this.queued;
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.queue.length = 0;
    this.queued = 0;
    this.socket.end();
    this.socket.destroySoon();
    this.network.forget(this);
  }
}
