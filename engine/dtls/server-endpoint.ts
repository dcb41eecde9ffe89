// A sans-IO DTLS server endpoint: demultiplexes datagrams by client address ("ip:port"), runs the
// stateless cookie check before creating any per-client state, and owns the resulting server
// connections. DtlsUdpServer puts it on a real socket; tests drive it with a virtual clock.

import { DtlsConnection } from './connection';
import { CookieAuthority } from './cookie';
import type { GroupName } from './constants';
import type { Clock, DtlsEvent } from './events';

export interface DtlsServerEndpointOptions {
  clock: Clock;
  certificatePem: string;
  privateKeyPem: string;
  sendTo(address: string, datagram: Uint8Array): void;
  /** Default: a new CookieAuthority with a random secret. */
  cookieAuthority?: CookieAuthority;
  mtu?: number;
  groups?: GroupName[];
  initialRetransmitMs?: number;
  maxRetransmitMs?: number;
  handshakeTimeoutMs?: number;
  /** A connection was created for `address` (its ClientHello had a valid cookie). */
  onConnection?(connection: DtlsConnection, address: string): void;
  /** Events of the stateless part (HelloVerifyRequest sent, datagrams ignored). */
  onStatelessEvent?(address: string, event: DtlsEvent): void;
}

export class DtlsServerEndpoint {
  readonly connections = new Map<string, DtlsConnection>();
  readonly cookieAuthority: CookieAuthority;

  constructor(private readonly options: DtlsServerEndpointOptions) {
    this.cookieAuthority = options.cookieAuthority ?? new CookieAuthority();
  }

  /** Routes a datagram; returns the connection that took it, if any. Never throws on bad input. */
  receive(address: string, datagram: Uint8Array): DtlsConnection | undefined {
    const existing = this.connections.get(address);
    if (existing) {
      existing.receive(datagram);
      return existing;
    }
    const now = this.options.clock.now();
    const verdict = this.cookieAuthority.inspect(datagram, address, now);
    if (verdict.kind === 'ignored') {
      this.options.onStatelessEvent?.(address, { type: 'record-dropped', at: now, reason: verdict.reason });
      return undefined;
    }
    if (verdict.kind === 'needs-cookie') {
      this.options.sendTo(address, verdict.reply);
      for (const event of verdict.events) this.options.onStatelessEvent?.(address, event);
      return undefined;
    }
    const connection = new DtlsConnection({
      role: 'server',
      send: (reply) => this.options.sendTo(address, reply),
      clock: this.options.clock,
      certificatePem: this.options.certificatePem,
      privateKeyPem: this.options.privateKeyPem,
      clientAddress: address,
      cookieAuthority: this.cookieAuthority,
      ...(this.options.mtu !== undefined ? { mtu: this.options.mtu } : {}),
      ...(this.options.groups !== undefined ? { groups: this.options.groups } : {}),
      ...(this.options.initialRetransmitMs !== undefined ? { initialRetransmitMs: this.options.initialRetransmitMs } : {}),
      ...(this.options.maxRetransmitMs !== undefined ? { maxRetransmitMs: this.options.maxRetransmitMs } : {}),
      ...(this.options.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: this.options.handshakeTimeoutMs } : {}),
    });
    this.connections.set(address, connection);
    connection.onEvent((event) => {
      if (event.type === 'state' && (event.to === 'closed' || event.to === 'failed') && this.connections.get(address) === connection) {
        this.connections.delete(address);
      }
    });
    this.options.onConnection?.(connection, address);
    connection.receive(datagram);
    return connection;
  }

  poll(): void {
    for (const connection of [...this.connections.values()]) connection.poll();
  }

  nextTimeout(): number | undefined {
    const times = [...this.connections.values()].map((c) => c.nextTimeout()).filter((t): t is number => t !== undefined);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** Sends close_notify on every connection and forgets them. */
  close(): void {
    for (const connection of [...this.connections.values()]) connection.close();
    this.connections.clear();
  }
}
