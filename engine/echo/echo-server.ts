// The dtls-lab echo server: DtlsServerEndpoint (stateless cookies, per-address connections) on a
// node:dgram socket, with the protections a server facing real games needs: a per-source token
// bucket on handshake attempts, caps on sessions in total and per source, idle expiry, a cap on
// the bytes queued per session, and a guard around every callback so that no datagram can crash
// it. Every datagram it does not process is counted by reason (DropCounters).

import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { DtlsServerEndpoint, monotonicClock, type DtlsConnection, type DtlsEvent } from '../dtls';
import type { Clock } from '../dtls/events';
import type { KeyLogListener } from '../dtls/key-log';
import type { EchoCapture } from './capture';
import { DropCounters, type DropReason } from './drop-counters';
import { Impairment } from './impairment';
import type { HandlerReply, HandlerSession, PacketHandler } from './packet-handler';
import { TokenBucketLimiter } from './rate-limit';
import { SessionTable } from './session-table';
import type { SessionEndReason, SessionStats } from './session-stats';

export type EchoMode = 'echo' | 'uppercase';

export interface EchoServerOptions {
  host?: string;
  /** 0 picks a free port (default 4242). */
  port?: number;
  certificatePem: string;
  privateKeyPem: string;
  mode?: EchoMode;
  /** 0..1: probability that a datagram the server sends is dropped. */
  lossRate?: number;
  /** Delay added to every datagram the server sends (ms). */
  delayMs?: number;
  /** Sessions without a datagram for this long are closed (default 60 000). */
  idleTimeoutMs?: number;
  /** Default 4096. */
  maxSessions?: number;
  /** Per source IP address (default 256). */
  maxSessionsPerSource?: number;
  /** Handshake attempts (datagrams from unknown addresses) per second per source IP (default 50). */
  helloRatePerSecond?: number;
  /** Token bucket size (default 100). */
  helloBurst?: number;
  /** Bytes of delayed datagrams a session may have waiting (default 64 KiB). */
  maxQueuedBytesPerSession?: number;
  /** How often idle sessions are looked for (default min(1000, idleTimeoutMs / 4)). */
  sweepIntervalMs?: number;
  handshakeTimeoutMs?: number;
  /** SO_RCVBUF / SO_SNDBUF asked for (default 4 MiB; the kernel caps it at net.core.rmem_max /
   * wmem_max). The Linux default (~208 KiB, a few hundred small datagrams) overflows when many
   * clients send at once, and the kernel drops what does not fit before the server sees it. */
  socketBufferBytes?: number;
  clock?: Clock;
  random?: () => number;
  /** One structured record per event (the --json-log lines). */
  log?(record: Record<string, unknown>): void;
  /** Receives one SSLKEYLOGFILE line per completed handshake of any session (--keylog). */
  onKeyLog?: KeyLogListener;
  /** Records every datagram received and sent (--pcap); the caller writes it out after stop(). */
  capture?: EchoCapture;
  /** Called on each echo (tests, benchmarks). */
  onEcho?(address: string, data: Uint8Array): void;
  /** Answers packets instead of the echo (`--script FILE.gd`); `mode` is then not used. */
  handler?: PacketHandler;
}

export class PortInUseError extends Error {
  constructor(readonly host: string, readonly port: number) {
    super(`UDP port ${port} on ${host} is already in use`);
    this.name = 'PortInUseError';
  }
}

interface Session {
  connection: DtlsConnection;
  address: string;
  timer?: NodeJS.Timeout;
  /** The session as the packet handler sees it (set once the handshake completed, with a handler). */
  handled?: { info: HandlerSession; reply: HandlerReply };
}

export class EchoServer {
  readonly counters = new DropCounters();
  private readonly sessions: SessionTable<Session>;
  private readonly limiter: TokenBucketLimiter;
  private readonly impairment: Impairment;
  private readonly endpoint: DtlsServerEndpoint;
  private readonly clock: Clock;
  private readonly delayed = new Set<NodeJS.Timeout>();
  private sweeper?: NodeJS.Timeout;
  private stopping = false;
  private closed = false;
  private readonly mode: EchoMode;
  private readonly maxQueued: number;
  private local?: string;
  private nextSessionId = 1;

  private constructor(private readonly socket: Socket, private readonly options: EchoServerOptions) {
    this.clock = options.clock ?? monotonicClock;
    this.mode = options.mode ?? 'echo';
    this.maxQueued = options.maxQueuedBytesPerSession ?? 64 * 1024;
    const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.sessions = new SessionTable<Session>({
      clock: this.clock,
      idleTimeoutMs,
      maxSessions: options.maxSessions ?? 4096,
      maxSessionsPerSource: options.maxSessionsPerSource ?? 256,
    });
    this.limiter = new TokenBucketLimiter({ clock: this.clock, ratePerSecond: options.helloRatePerSecond ?? 50, burst: options.helloBurst ?? 100 });
    this.impairment = new Impairment({ lossRate: options.lossRate ?? 0, delayMs: options.delayMs ?? 0, ...(options.random ? { random: options.random } : {}) });
    this.endpoint = new DtlsServerEndpoint({
      clock: this.clock,
      certificatePem: options.certificatePem,
      privateKeyPem: options.privateKeyPem,
      cookies: true,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? Math.min(30_000, idleTimeoutMs),
      ...(options.onKeyLog ? { onKeyLog: (line: string) => this.guard(() => options.onKeyLog!(line)) } : {}),
      sendTo: (address, datagram) => this.guard(() => this.sendTo(address, datagram)),
      onConnection: (connection, address) => this.guard(() => this.onConnection(connection, address)),
      onStatelessEvent: (_address, event) => {
        if (event.type === 'record-dropped') this.counters.drop('not-a-client-hello');
      },
    });
    this.localAddress(); // bound already: remember it while the socket is open
    socket.on('message', (message, remote) => this.receiveDatagram(message, remote));
    const sweepEvery = options.sweepIntervalMs ?? Math.max(10, Math.min(1000, idleTimeoutMs / 4));
    this.sweeper = setInterval(() => this.guard(() => this.sweep()), sweepEvery);
  }

  /** Binds and starts; rejects with PortInUseError when the port is taken. */
  static start(options: EchoServerOptions): Promise<EchoServer> {
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? 4242;
    const buffer = options.socketBufferBytes ?? 4 * 1024 * 1024;
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', ...(buffer > 0 ? { recvBufferSize: buffer, sendBufferSize: buffer } : {}) });
    return new Promise((resolve, reject) => {
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.close();
        reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error);
      });
      socket.bind({ port, address: host, exclusive: true }, () => {
        socket.removeAllListeners('error');
        socket.on('error', () => undefined);
        const server = new EchoServer(socket, options);
        server.log({ event: 'listening', host: server.address().address, port: server.address().port, mode: server.mode });
        resolve(server);
      });
    });
  }

  /** Tries `port`, port+1, ... (up to `attempts`) until one is free. */
  static async startOnNextFreePort(options: EchoServerOptions, attempts = 100): Promise<EchoServer> {
    const first = options.port ?? 4242;
    for (let port = first; port < Math.min(65536, first + attempts); port++) {
      try {
        return await EchoServer.start({ ...options, port });
      } catch (error) {
        if (!(error instanceof PortInUseError)) throw error;
      }
    }
    throw new PortInUseError(options.host ?? '127.0.0.1', first);
  }

  address(): { address: string; port: number } {
    const info = this.socket.address();
    return { address: info.address, port: info.port };
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** The current sessions' statistics. */
  sessionStats(): SessionStats[] {
    return this.sessions.entries().map((entry) => entry.stats);
  }

  /** Counters and sessions as one JSON-ready object. */
  snapshot(): Record<string, unknown> {
    return { ...this.counters.toJSON(), sessions: this.sessions.size, rateLimitedSources: this.limiter.trackedSources };
  }

  /** Handles one datagram as if it had arrived on the socket from `remote` (the socket's 'message'
   * handler; public so that floods with forged source addresses can be injected in-process). */
  receiveDatagram(message: Buffer, remote: { address: string; port: number }): void {
    this.guard(() => this.onDatagram(message, remote));
  }

  /** Closes idle sessions (runs on a timer; public for tests with a fake clock). */
  sweep(): void {
    for (const { stats, value } of this.sessions.idle()) {
      stats.endReason ??= 'idle-timeout';
      value.connection.close();
    }
    this.limiter.prune();
  }

  /** Sends close_notify to every client, stops every timer and closes the socket. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.guard(() => this.options.handler?.close());
    for (const { stats, value } of this.sessions.entries()) {
      stats.endReason ??= 'shutdown';
      this.guard(() => value.connection.close());
    }
    this.endpoint.close();
    for (const handle of this.delayed) clearTimeout(handle);
    this.delayed.clear();
    this.closed = true;
    this.log({ event: 'stopped', counters: this.snapshot() });
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private log(record: Record<string, unknown>): void {
    if (this.options.log) this.options.log({ time: new Date().toISOString(), ...record });
  }

  /** Runs fn; an exception is counted, logged and swallowed (no datagram may crash the server). */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.counters.drop('callback-error');
      this.log({ event: 'error', message: (error as Error)?.message ?? String(error) });
    }
  }

  private onDatagram(message: Buffer, remote: Pick<RemoteInfo, 'address' | 'port'>): void {
    this.counters.datagramsIn++;
    const address = isIPv6(remote.address) ? `[${remote.address}]:${remote.port}` : `${remote.address}:${remote.port}`;
    this.options.capture?.record(address, this.localAddress(), message);
    if (this.stopping) return this.counters.drop('shutting-down');
    const existing = this.sessions.get(address);
    if (existing && existing.value.connection.state === 'connected' && isEpochZeroClientHello(message)) {
      // RFC 6347 §4.2.8: a client that restarted on the same address and port (a game relaunched,
      // a NAT mapping reused). Answer statelessly with a HelloVerifyRequest; once it returns a valid
      // cookie, the old session is closed and a new one starts. Without this the new client would
      // be stuck until the old session idles out.
      if (!this.limiter.take(remote.address)) return this.counters.drop('rate-limited');
      const verdict = this.endpoint.cookieAuthority.inspect(message, address, this.clock.now());
      if (verdict.kind === 'ignored') return this.counters.drop('not-a-client-hello');
      if (verdict.kind === 'needs-cookie') {
        this.counters.helloVerifyRequests++;
        this.sendRaw(address, verdict.reply);
        return;
      }
      existing.stats.endReason = 'replaced';
      existing.value.connection.close();
      // The old session is gone: fall through to the new-session path below.
    } else if (existing) {
      existing.stats.lastActivity = this.clock.now();
      existing.stats.packetsIn++;
      existing.stats.bytesIn += message.length;
      this.endpoint.receive(address, message);
      this.afterActivity(address);
      return;
    }
    // A datagram from an address without a session: a handshake attempt (or garbage).
    if (!existing && !this.limiter.take(remote.address)) return this.counters.drop('rate-limited');
    const verdict = this.sessions.admit(remote.address);
    if (verdict !== 'ok') return this.counters.drop(verdict);
    const connection = this.endpoint.receive(address, message);
    const entry = this.sessions.get(address);
    if (!connection) {
      // The connection re-checked the cookie and stayed idle: keep nothing.
      if (entry && entry.value.connection.state === 'idle') {
        this.sessions.remove(address);
        this.counters.sessionsStarted--;
      }
      return;
    }
    if (entry) {
      entry.stats.packetsIn++;
      entry.stats.bytesIn += message.length;
      this.log({ event: 'session-start', address });
    }
    this.afterActivity(address);
  }

  private onConnection(connection: DtlsConnection, address: string): void {
    const session: Session = { connection, address };
    const stats = this.sessions.add(address, session);
    this.counters.sessionsStarted++;
    connection.onEvent((event: DtlsEvent) => {
      if (event.type === 'handshake-complete') {
        stats.handshakeMs = event.at - stats.startedAt;
        stats.suite = event.suite;
        stats.group = event.group;
        this.counters.handshakesCompleted++;
        this.log({ event: 'handshake', address, handshakeMs: Math.round(stats.handshakeMs * 10) / 10, suite: event.suite, group: event.group });
        if (this.options.handler) this.startHandling(session, event.suite);
      } else if (event.type === 'alert' && event.direction === 'received') {
        stats.alert = event.description;
      } else if (event.type === 'record-dropped') {
        this.counters.drop('record-dropped');
      }
    });
    connection.onStateChange((to) => {
      if (to !== 'closed' && to !== 'failed') return;
      if (session.timer) clearTimeout(session.timer);
      session.timer = undefined;
      if (this.sessions.get(address)?.value !== session) return;
      this.sessions.remove(address);
      if (stats.endReason === undefined) {
        if (to === 'failed') stats.endReason = connection.failure?.alert || stats.alert ? 'alert' : 'failed';
        else stats.endReason = stats.alert === 'close_notify' ? 'close_notify' : stats.alert ? 'alert' : 'failed';
      }
      if (to === 'failed' && connection.failure) stats.failure = `${connection.failure.kind}: ${connection.failure.message}`;
      this.counters.sessionsEnded++;
      this.log({ event: 'session-end', ...stats.toJSON(this.clock.now()) });
      if (session.handled) {
        const { info } = session.handled;
        this.guard(() => this.options.handler?.sessionEnded(info, stats.endReason ?? 'failed'));
      }
    });
  }

  /** The handshake of a session completed: the packet handler gets to know it. */
  private startHandling(session: Session, suite: string): void {
    const { host, port } = splitAddress(session.address);
    const info: HandlerSession = { id: this.nextSessionId++, host, port, suite, packets: 0 };
    const reply: HandlerReply = {
      send: (data) =>
        this.guard(() => {
          const entry = this.sessions.get(session.address);
          if (this.closed || entry?.value !== session || session.connection.state !== 'connected') return;
          entry.stats.echoes++;
          this.counters.echoes++;
          session.connection.sendApplicationData(data);
          this.reschedule(session);
        }),
      close: (reason) =>
        this.guard(() => {
          const entry = this.sessions.get(session.address);
          if (entry?.value !== session) return;
          entry.stats.endReason ??= reason;
          session.connection.close();
        }),
    };
    session.handled = { info, reply };
    this.options.handler!.sessionStarted(info, reply);
  }

  /** Echoes (or hands to the packet handler) what arrived and re-arms the session's timer. */
  private afterActivity(address: string): void {
    const entry = this.sessions.get(address);
    if (!entry) return;
    const { connection, handled } = entry.value;
    for (let data = connection.readApplicationData(); data; data = connection.readApplicationData()) {
      if (this.options.handler) {
        // Application data comes after the handshake, so `handled` is set; never echo in script mode.
        if (handled) {
          handled.info.packets++;
          this.options.handler.handle(data, handled.info, handled.reply);
        }
        continue;
      }
      entry.stats.echoes++;
      this.counters.echoes++;
      const reply = this.mode === 'uppercase' ? Buffer.from(Buffer.from(data).toString('utf8').toUpperCase(), 'utf8') : data;
      if (connection.state === 'connected') connection.sendApplicationData(reply);
      this.options.onEcho?.(address, data);
    }
    this.reschedule(entry.value);
  }

  private reschedule(session: Session): void {
    if (session.timer) clearTimeout(session.timer);
    session.timer = undefined;
    if (this.closed) return;
    const due = session.connection.nextTimeout();
    if (due === undefined) return;
    session.timer = setTimeout(() => {
      session.timer = undefined;
      this.guard(() => {
        session.connection.poll();
        if (this.sessions.get(session.address)?.value === session) this.afterActivity(session.address);
      });
    }, Math.max(0, Math.ceil(due - this.clock.now())));
  }

  /** A stateless reply (HelloVerifyRequest) to an address that has a session: impairment applies. */
  private sendRaw(address: string, datagram: Uint8Array): void {
    if (this.closed) return;
    if (this.impairment.shouldDrop()) return this.counters.drop('simulated-loss');
    this.transmit(address, datagram);
  }

  /** Sends one datagram on the socket (and records it in the capture). */
  private transmit(address: string, datagram: Uint8Array): void {
    const { host, port } = splitAddress(address);
    this.counters.datagramsOut++;
    this.options.capture?.record(this.localAddress(), address, datagram);
    this.socket.send(datagram, port, host, () => undefined);
  }

  /** "host:port" of the socket as seen by clients (0.0.0.0 recorded as 127.0.0.1). */
  private localAddress(): string {
    if (this.local === undefined) {
      const { address, port } = this.address();
      this.local = address === '0.0.0.0' ? `127.0.0.1:${port}` : isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
    }
    return this.local;
  }

  private sendTo(address: string, datagram: Uint8Array): void {
    if (this.closed) return;
    const entry = this.sessions.get(address);
    if (entry) {
      entry.stats.packetsOut++;
      entry.stats.bytesOut += datagram.length;
    } else {
      this.counters.helloVerifyRequests++;
    }
    if (!this.stopping && this.impairment.shouldDrop()) return this.counters.drop('simulated-loss');
    const delay = this.stopping ? 0 : this.impairment.options.delayMs;
    if (delay <= 0) return this.transmit(address, datagram);
    if (entry && entry.stats.queuedBytes + datagram.length > this.maxQueued) return this.counters.drop('queue-full');
    if (entry) entry.stats.queuedBytes += datagram.length;
    const handle = setTimeout(() => {
      this.delayed.delete(handle);
      if (entry) entry.stats.queuedBytes -= datagram.length;
      if (this.closed) return;
      this.guard(() => this.transmit(address, datagram));
    }, delay);
    this.delayed.add(handle);
  }
}

export function dropReasons(): DropReason[] {
  return ['rate-limited', 'session-cap', 'source-cap', 'not-a-client-hello', 'record-dropped', 'queue-full', 'simulated-loss', 'oversized', 'callback-error', 'shutting-down'];
}

/** A plaintext (epoch 0) handshake record whose first message is a ClientHello. */
export function isEpochZeroClientHello(datagram: Uint8Array): boolean {
  return datagram.length > 13 && datagram[0] === 22 && datagram[1] === 0xfe && datagram[3] === 0 && datagram[4] === 0 && datagram[13] === 1;
}

function splitAddress(key: string): { host: string; port: number } {
  const index = key.lastIndexOf(':');
  return { host: key.slice(0, index).replace(/^\[|\]$/g, ''), port: Number(key.slice(index + 1)) };
}

export type { SessionEndReason };
