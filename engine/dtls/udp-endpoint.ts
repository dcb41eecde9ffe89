// DTLS over real UDP sockets (node:dgram): a server that demultiplexes clients by "ip:port" and
// runs the stateless cookie check first, and a client connector. Timers use setTimeout.

import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { DtlsConnection, type DtlsClientOptions } from './connection';
import type { CookieAuthority } from './cookie';
import { monotonicClock, type Clock, type ConnectionFailure, type DtlsEvent } from './events';
import { DtlsServerEndpoint } from './server-endpoint';
import type { GroupName } from './constants';
import { pickServerSuiteOptions, type ServerSuiteOptions } from './suite-options';
import { pickServerFeatures, type ServerFeatureOptions } from './handshake-features';

export interface DtlsUdpServerOptions extends ServerSuiteOptions, ServerFeatureOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Leave both out for a PSK-only server (needs pskCallback). */
  certificatePem?: string;
  privateKeyPem?: string;
  /** Groups accepted, in preference order. */
  groups?: GroupName[];
  cookieAuthority?: CookieAuthority;
  /** false: answer ClientHellos without a HelloVerifyRequest (default true). */
  cookies?: boolean;
  clock?: Clock;
  mtu?: number;
  initialRetransmitMs?: number;
  maxRetransmitMs?: number;
  handshakeTimeoutMs?: number;
  /** Application data arrived on a connection. */
  onData?(connection: DtlsConnection, data: Uint8Array, address: string): void;
  onConnection?(connection: DtlsConnection, address: string): void;
  /** Every event, of connections and of the stateless cookie step. */
  onEvent?(address: string, event: DtlsEvent): void;
}

function addressKey(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

function splitAddressKey(key: string): { host: string; port: number } {
  const index = key.lastIndexOf(':');
  return { host: key.slice(0, index).replace(/^\[|\]$/g, ''), port: Number(key.slice(index + 1)) };
}

/** Arms one setTimeout at connection.nextTimeout(), re-armed after every activity. */
class ConnectionTimer {
  private handle: NodeJS.Timeout | undefined;

  constructor(private readonly connection: DtlsConnection, private readonly clock: Clock, private readonly afterPoll: () => void) {}

  reschedule(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    const due = this.connection.nextTimeout();
    if (due === undefined) return;
    this.handle = setTimeout(() => {
      this.handle = undefined;
      this.connection.poll();
      this.afterPoll();
      this.reschedule();
    }, Math.max(0, Math.ceil(due - this.clock.now())));
  }

  cancel(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
  }
}

export class DtlsUdpServer {
  readonly endpoint: DtlsServerEndpoint;
  private readonly timers = new Map<DtlsConnection, ConnectionTimer>();
  private closed = false;

  private constructor(private readonly socket: Socket, private readonly options: DtlsUdpServerOptions, clock: Clock) {
    this.endpoint = new DtlsServerEndpoint({
      clock,
      ...(options.certificatePem !== undefined ? { certificatePem: options.certificatePem } : {}),
      ...(options.privateKeyPem !== undefined ? { privateKeyPem: options.privateKeyPem } : {}),
      ...(options.groups !== undefined ? { groups: options.groups } : {}),
      ...pickServerSuiteOptions(options),
      sendTo: (address, datagram) => {
        if (this.closed) return;
        const { host, port } = splitAddressKey(address);
        socket.send(datagram, port, host);
      },
      ...(options.cookieAuthority ? { cookieAuthority: options.cookieAuthority } : {}),
      ...(options.cookies !== undefined ? { cookies: options.cookies } : {}),
      ...pickServerFeatures(options),
      ...(options.mtu !== undefined ? { mtu: options.mtu } : {}),
      ...(options.initialRetransmitMs !== undefined ? { initialRetransmitMs: options.initialRetransmitMs } : {}),
      ...(options.maxRetransmitMs !== undefined ? { maxRetransmitMs: options.maxRetransmitMs } : {}),
      ...(options.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: options.handshakeTimeoutMs } : {}),
      onConnection: (connection, address) => {
        const onEvent = options.onEvent;
        if (onEvent) connection.onEvent((event) => onEvent(address, event));
        connection.onStateChange((to) => {
          if (to === 'closed' || to === 'failed') {
            this.timers.get(connection)?.cancel();
            this.timers.delete(connection);
          }
        });
        this.timers.set(connection, new ConnectionTimer(connection, clock, () => this.drain(connection, address)));
        options.onConnection?.(connection, address);
      },
      onStatelessEvent: (address, event) => options.onEvent?.(address, event),
    });
    socket.on('message', (message, remote) => {
      const address = addressKey(remote.address, remote.port);
      const connection = this.endpoint.receive(address, message);
      if (!connection) return;
      this.drain(connection, address);
      this.timers.get(connection)?.reschedule();
    });
  }

  static listen(options: DtlsUdpServerOptions): Promise<DtlsUdpServer> {
    const host = options.host ?? '127.0.0.1';
    const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port ?? 0, host, () => {
        socket.off('error', reject);
        socket.on('error', () => undefined);
        resolve(new DtlsUdpServer(socket, options, options.clock ?? monotonicClock));
      });
    });
  }

  address(): { address: string; port: number } {
    const info = this.socket.address();
    return { address: info.address, port: info.port };
  }

  private drain(connection: DtlsConnection, address: string): void {
    for (let data = connection.readApplicationData(); data; data = connection.readApplicationData()) {
      this.options.onData?.(connection, data, address);
    }
  }

  /** Sends close_notify to every client, stops timers and closes the socket. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.endpoint.close();
    this.closed = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

export interface DtlsUdpClientOptions extends Omit<DtlsClientOptions, 'role' | 'send' | 'clock'> {
  clock?: Clock;
  onEvent?(event: DtlsEvent): void;
}

export interface DtlsUdpClient {
  readonly connection: DtlsConnection;
  send(data: Uint8Array | string): void;
  /** Next application data message (waits up to timeoutMs, default 5000). */
  receive(timeoutMs?: number): Promise<Uint8Array>;
  /** Sends close_notify and closes the socket. */
  close(): Promise<void>;
}

export class DtlsHandshakeError extends Error {
  constructor(readonly failure: ConnectionFailure) {
    super(failure.message);
    this.name = 'DtlsHandshakeError';
  }

  get kind(): string {
    return this.failure.kind;
  }
}

/** Connects over UDP and resolves once the handshake is complete; rejects with DtlsHandshakeError. */
export function connectDtlsUdp(host: string, port: number, options: DtlsUdpClientOptions): Promise<DtlsUdpClient> {
  const clock = options.clock ?? monotonicClock;
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  let socketClosed = false;
  const closeSocket = () =>
    new Promise<void>((resolve) => {
      if (socketClosed) return resolve();
      socketClosed = true;
      socket.close(() => resolve());
    });
  const { clock: _clock, onEvent, ...rest } = options;
  const connection = new DtlsConnection({
    ...rest,
    role: 'client',
    clock,
    send: (datagram) => {
      if (!socketClosed) socket.send(datagram);
    },
  });
  const timer = new ConnectionTimer(connection, clock, () => wakeReaders());
  const waiting: Array<() => void> = [];
  const wakeReaders = () => {
    for (const wake of waiting.splice(0)) wake();
  };
  if (onEvent) connection.onEvent(onEvent);

  const client: DtlsUdpClient = {
    connection,
    send(data) {
      connection.sendApplicationData(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    },
    receive(timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const attempt = (): boolean => {
          const data = connection.readApplicationData();
          if (data) {
            resolve(data);
            return true;
          }
          if (connection.state !== 'connected') {
            reject(new Error(`connection is ${connection.state}; no more data`));
            return true;
          }
          return false;
        };
        if (attempt()) return;
        const deadline = setTimeout(() => {
          const index = waiting.indexOf(retry);
          if (index >= 0) waiting.splice(index, 1);
          reject(new Error(`no application data within ${timeoutMs} ms`));
        }, timeoutMs);
        const retry = () => {
          if (attempt()) clearTimeout(deadline);
          else waiting.push(retry);
        };
        waiting.push(retry);
      });
    },
    async close() {
      connection.close();
      timer.cancel();
      wakeReaders();
      await closeSocket();
    },
  };

  return new Promise((resolve, reject) => {
    connection.onStateChange((to) => {
      if (to === 'connected') resolve(client);
      if (to === 'failed' || to === 'closed') {
        timer.cancel();
        wakeReaders();
        if (to === 'failed') reject(new DtlsHandshakeError(connection.failure!));
        else reject(new Error('connection closed during the handshake'));
        void closeSocket();
      }
    });
    socket.on('error', (error) => {
      // Before the handshake completes (e.g. ICMP port unreachable) this fails the connect;
      // afterwards UDP errors are ignored, as the connection's own timers decide.
      if (connection.state === 'handshaking' || connection.state === 'idle') {
        reject(error);
        timer.cancel();
        void closeSocket();
      }
    });
    socket.on('message', (message) => {
      connection.receive(message);
      timer.reschedule();
      wakeReaders();
    });
    socket.connect(port, host, () => {
      connection.start();
      timer.reschedule();
    });
  });
}
