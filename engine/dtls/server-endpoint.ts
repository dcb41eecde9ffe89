// A sans-IO DTLS server endpoint: demultiplexes datagrams by client address ("ip:port"), runs the
// stateless cookie check before creating any per-client state, and owns the resulting server
// connections. DtlsUdpServer puts it on a real socket; tests drive it with a virtual clock.

import { DtlsConnection } from './connection';
import { CookieAuthority, type CookieInspection } from './cookie';
import type { GroupName } from './constants';
import type { Clock, DtlsEvent } from './events';
import { pickServerSuiteOptions, type ServerSuiteOptions } from './suite-options';
import { pickServerFeatures, type ServerFeatureOptions } from './handshake-features';

export interface DtlsServerEndpointOptions extends ServerSuiteOptions, ServerFeatureOptions {
  clock: Clock;
  /** Leave both out for a PSK-only server (needs pskCallback). */
  certificatePem?: string;
  privateKeyPem?: string;
  sendTo(address: string, datagram: Uint8Array): void;
  /** Default: a new CookieAuthority with a random secret. */
  cookieAuthority?: CookieAuthority;
  /** false: no HelloVerifyRequest; any ClientHello creates a connection (RFC 6347 §4.2.1 makes
   * cookies a SHOULD; turning them off saves a round trip but lets spoofed ClientHellos cost state). */
  cookies?: boolean;
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

  /** Whether ClientHellos must carry a valid cookie (option `cookies`, default true). */
  readonly cookiesEnabled: boolean;

  constructor(private readonly options: DtlsServerEndpointOptions) {
    this.cookieAuthority = options.cookieAuthority ?? new CookieAuthority();
    this.cookiesEnabled = options.cookies !== false;
  }

  /** Routes a datagram; returns the connection that took it, if any. Never throws on bad input. */
  receive(address: string, datagram: Uint8Array): DtlsConnection | undefined {
    const existing = this.connections.get(address);
    if (existing) {
      existing.receive(datagram);
      return existing;
    }
    const now = this.options.clock.now();
    const verdict = this.cookiesEnabled ? this.cookieAuthority.inspect(datagram, address, now) : withoutCookie(datagram);
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
      ...(this.options.certificatePem !== undefined ? { certificatePem: this.options.certificatePem } : {}),
      ...(this.options.privateKeyPem !== undefined ? { privateKeyPem: this.options.privateKeyPem } : {}),
      ...pickServerSuiteOptions(this.options),
      ...pickServerFeatures(this.options),
      clientAddress: address,
      ...(this.cookiesEnabled ? { cookieAuthority: this.cookieAuthority } : {}),
      ...(this.options.mtu !== undefined ? { mtu: this.options.mtu } : {}),
      ...(this.options.groups !== undefined ? { groups: this.options.groups } : {}),
      ...(this.options.initialRetransmitMs !== undefined ? { initialRetransmitMs: this.options.initialRetransmitMs } : {}),
      ...(this.options.maxRetransmitMs !== undefined ? { maxRetransmitMs: this.options.maxRetransmitMs } : {}),
      ...(this.options.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: this.options.handshakeTimeoutMs } : {}),
    });
    this.connections.set(address, connection);
    connection.onStateChange((to) => {
      if ((to === 'closed' || to === 'failed') && this.connections.get(address) === connection) this.connections.delete(address);
    });
    this.options.onConnection?.(connection, address);
    connection.receive(datagram);
    // The connection checks the cookie again at its own clock reading. If the cookie period rotated
    // in between, it answered with a HelloVerifyRequest and stayed idle: keep nothing for it.
    if (connection.state === 'idle') {
      if (this.connections.get(address) === connection) this.connections.delete(address);
      return undefined;
    }
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

/** Without cookies: a datagram that starts with a ClientHello starts a connection. */
function withoutCookie(datagram: Uint8Array): CookieInspection {
  const located = CookieAuthority.locateClientHello(Buffer.from(datagram));
  return 'reason' in located ? { kind: 'ignored', reason: located.reason } : { kind: 'valid-cookie' };
}
