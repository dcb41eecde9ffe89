// PacketPeerDTLS: a DTLS session over a connected PacketPeerUDP, driven by poll() like Godot's.
// Clients come from connect_to_peer(); servers from DTLSServer.take_connection(), which answers a
// ClientHello without a valid cookie with a HelloVerifyRequest and then reads as STATUS_ERROR: the
// client's retried ClientHello arrives at UDPServer as a new connection.

import { Suspend, type CallContext, type Range } from '../gdscript/host';
import { CookieAuthority, DtlsConnection } from '../dtls';
import { traceDtlsEvent } from './dtls-trace';
import { ErrorCode } from './error-codes';
import { enumOf, opt, param, type ClassSpec } from './method-table';
import { PacketPeerObject, PacketPeerSpec } from './packet-peer';
import { PacketPeerUDP } from './packet-peer-udp';
import type { GodotRuntime } from './runtime';
import { clientOptionsFor, TLSOptions } from './tls-options';
import { int } from './variant';

export const DtlsStatus = {
  STATUS_DISCONNECTED: 0,
  STATUS_HANDSHAKING: 1,
  STATUS_CONNECTED: 2,
  STATUS_ERROR: 3,
  STATUS_ERROR_HOSTNAME_MISMATCH: 4,
} as const;

/** Decrypted packets a session holds for get_packet() before it stops reading datagrams. */
const MAX_UNREAD_PACKETS = 1024;

export const DTLS_STATUS_NAMES = Object.keys(DtlsStatus) as (keyof typeof DtlsStatus)[];

interface ServerSide {
  options: TLSOptions;
  cookies: CookieAuthority;
}

/** Every PacketPeerDTLS made on a runtime, for the sandbox's explainers. */
export const dtlsPeersOf = new WeakMap<GodotRuntime, PacketPeerDTLS[]>();

export class PacketPeerDTLS extends PacketPeerObject {
  status: number = DtlsStatus.STATUS_DISCONNECTED;
  /** What the sandbox's explainers look at: poll() calls, where the session started, early sends. */
  readonly observed: {
    pollCalls: number;
    role?: 'client' | 'server';
    startRange?: Range;
    tlsMode?: string;
    /** The client options carry a trusted certificate (TLSOptions.client(cert)). */
    trustedGiven?: boolean;
    hostname?: string;
    remotePort?: number;
    earlySends: { range: Range; statusName: string }[];
  } = { pollCalls: 0, earlySends: [] };
  private udp?: PacketPeerUDP;
  private connection?: DtlsConnection;
  /** Server side before the first ClientHello with a valid cookie. */
  private awaitingHello?: ServerSide;
  private label = 'dtls';

  constructor(runtime: GodotRuntime) {
    super(PacketPeerDTLSSpec, runtime);
    const all = dtlsPeersOf.get(runtime) ?? [];
    if (all.length < 256) all.push(this);
    dtlsPeersOf.set(runtime, all);
  }

  /** Why the session failed, if it did (kind and message from the DTLS engine). */
  get failure(): { kind: string; message: string } | undefined {
    return this.connection?.failure;
  }

  connectToPeer(udp: PacketPeerUDP, hostname: string, options: TLSOptions, ctx: CallContext): number {
    this.udp = udp;
    this.label = `to ${udp.remote!.host}:${udp.remote!.port}`;
    Object.assign(this.observed, { role: 'client', startRange: ctx.range, tlsMode: options.mode, trustedGiven: options.trustedChain !== null, hostname, remotePort: udp.remote!.port, pollCalls: 0 });
    this.connection = new DtlsConnection({
      role: 'client',
      send: (datagram: Uint8Array) => udp.sendPacket(datagram, ctx),
      clock: { now: () => this.runtime.now() },
      serverName: hostname,
      verify: options.verification(hostname),
      onKeyLog: this.runtime.keyLog,
    });
    this.listen(this.connection);
    this.setStatus(DtlsStatus.STATUS_HANDSHAKING, ctx);
    this.connection.start();
    this.sync(ctx);
    return ErrorCode.OK;
  }

  acceptFrom(udp: PacketPeerUDP, server: ServerSide, ctx: CallContext): void {
    this.udp = udp;
    this.label = `from ${udp.remote!.host}:${udp.remote!.port}`;
    Object.assign(this.observed, { role: 'server', startRange: ctx.range, remotePort: udp.remote!.port });
    this.awaitingHello = server;
    // Like Godot, the first handshake step runs inside take_connection(): a ClientHello without a
    // valid cookie makes this connection read as STATUS_ERROR straight away.
    this.status = DtlsStatus.STATUS_HANDSHAKING;
    this.pump(ctx);
    if (this.awaitingHello) this.recordStatus(ctx);
  }

  private listen(connection: DtlsConnection): void {
    connection.onEvent((event) => traceDtlsEvent(this.runtime, this.label, event));
  }

  /** Feeds received datagrams to the session and fires its timers, then updates the status. */
  pump(ctx: CallContext): void {
    const udp = this.udp;
    if (!udp || (this.status !== DtlsStatus.STATUS_HANDSHAKING && this.status !== DtlsStatus.STATUS_CONNECTED)) return;
    // Decrypted packets nobody reads stay bounded: further datagrams wait in the UDP queue (itself bounded).
    const full = () => (this.connection?.pendingApplicationData() ?? 0) >= MAX_UNREAD_PACKETS;
    for (let datagram = full() ? undefined : udp.nextPacket(); datagram; datagram = full() ? undefined : udp.nextPacket()) {
      if (this.awaitingHello && !this.acceptHello(udp, this.awaitingHello, datagram, ctx)) return;
      this.connection?.receive(datagram);
    }
    this.connection?.poll();
    this.sync(ctx);
  }

  /** The stateless cookie check; false when this connection is over (HelloVerifyRequest sent). */
  private acceptHello(udp: PacketPeerUDP, server: ServerSide, datagram: Uint8Array, ctx: CallContext): boolean {
    const address = `${udp.remote!.host}:${udp.remote!.port}`;
    const verdict = server.cookies.inspect(datagram, address, this.runtime.now());
    if (verdict.kind === 'needs-cookie') {
      for (const event of verdict.events) traceDtlsEvent(this.runtime, this.label, event);
      udp.sendPacket(verdict.reply, ctx);
      udp.close();
      this.udp = undefined;
      this.awaitingHello = undefined;
      this.setStatus(DtlsStatus.STATUS_ERROR, ctx, 'cookie exchange: HelloVerifyRequest sent; the client retries as a new connection');
      return false;
    }
    if (verdict.kind === 'ignored') {
      this.runtime.record({ kind: 'drop', connection: this.label, reason: verdict.reason });
      return true;
    }
    this.awaitingHello = undefined;
    this.recordStatus(ctx);
    this.connection = new DtlsConnection({
      role: 'server',
      send: (reply: Uint8Array) => udp.sendPacket(reply, ctx),
      clock: { now: () => this.runtime.now() },
      certificatePem: server.options.certificate!.pem(),
      privateKeyPem: server.options.key!.keyPem,
      clientAddress: address,
      cookieAuthority: server.cookies,
      onKeyLog: this.runtime.keyLog,
    });
    this.listen(this.connection);
    return true;
  }

  private sync(ctx: CallContext): void {
    const c = this.connection;
    if (!c) return;
    if (c.state === 'connected') this.setStatus(DtlsStatus.STATUS_CONNECTED, ctx);
    else if (c.state === 'closed') this.setStatus(DtlsStatus.STATUS_DISCONNECTED, ctx, 'the peer closed the session (close_notify)');
    else if (c.state === 'failed') {
      const mismatch = c.failure?.kind === 'hostname-mismatch';
      const status = mismatch ? DtlsStatus.STATUS_ERROR_HOSTNAME_MISMATCH : DtlsStatus.STATUS_ERROR;
      if (status !== this.status) ctx.warn(`DTLS handshake failed: ${c.failure?.message ?? 'unknown reason'}`);
      this.setStatus(status, ctx, c.failure?.message);
    }
  }

  private setStatus(status: number, ctx: CallContext, note?: string): void {
    if (status === this.status) return;
    this.status = status;
    this.recordStatus(ctx, note);
  }

  private recordStatus(ctx: CallContext, note?: string): void {
    const status = this.status;
    this.runtime.record({ kind: 'status', connection: this.label, status, statusName: DTLS_STATUS_NAMES[status], range: ctx.range, note });
  }

  availablePacketCount(): number {
    return this.status === DtlsStatus.STATUS_CONNECTED ? (this.connection?.pendingApplicationData() ?? 0) : 0;
  }

  receivePacket(ctx: CallContext): Uint8Array | number {
    if (this.status !== DtlsStatus.STATUS_CONNECTED || !this.connection) {
      ctx.warn(`PacketPeerDTLS.get_packet: the session is not connected (status ${DTLS_STATUS_NAMES[this.status]}).`);
      return ErrorCode.ERR_UNCONFIGURED;
    }
    const data = this.connection.readApplicationData();
    if (data) return data;
    ctx.warn('PacketPeerDTLS.get_packet: no packet available; check get_available_packet_count() first.');
    return ErrorCode.ERR_UNAVAILABLE;
  }

  sendPacket(data: Uint8Array, ctx: CallContext): number {
    if (this.status !== DtlsStatus.STATUS_CONNECTED || !this.connection) {
      if (this.observed.earlySends.length < 16) this.observed.earlySends.push({ range: ctx.range, statusName: DTLS_STATUS_NAMES[this.status] });
      ctx.warn(`PacketPeerDTLS.put_packet: the session is not connected (status ${DTLS_STATUS_NAMES[this.status]}); wait for STATUS_CONNECTED.`);
      return ErrorCode.ERR_UNCONFIGURED;
    }
    this.connection.sendApplicationData(data);
    return ErrorCode.OK;
  }

  disconnect(ctx: CallContext): void {
    if (this.connection && this.status === DtlsStatus.STATUS_CONNECTED) this.connection.close();
    this.udp?.close();
    this.udp = undefined;
    this.awaitingHello = undefined;
    this.setStatus(DtlsStatus.STATUS_DISCONNECTED, ctx);
  }
}

export const PacketPeerDTLSSpec: ClassSpec<PacketPeerDTLS> = {
  name: 'PacketPeerDTLS',
  inherits: PacketPeerSpec,
  description:
    'A DTLS session over a connected PacketPeerUDP. A client comes from connect_to_peer(), a server side from DTLSServer.take_connection(); poll() it often to move the handshake on and receive.',
  enums: {
    Status: enumOf('The states of a DTLS session.', [
      ['STATUS_DISCONNECTED', 0, 'Not connected (never connected, closed, or the peer sent close_notify).'],
      ['STATUS_HANDSHAKING', 1, 'The handshake is in progress.'],
      ['STATUS_CONNECTED', 2, 'Connected: packets can be sent and received.'],
      ['STATUS_ERROR', 3, 'The session failed (bad certificate, handshake failure, alert from the peer, ...).'],
      ['STATUS_ERROR_HOSTNAME_MISMATCH', 4, "The server's certificate is valid but not for the host name the client asked for."],
    ]),
  },
  construct: (runtime) => new PacketPeerDTLS(runtime),
  methods: {
    connect_to_peer: {
      params: [param('packet_peer', 'PacketPeerUDP'), param('hostname', 'String'), opt('client_options', 'TLSOptions', null)],
      returns: 'Error',
      description:
        "Starts a DTLS handshake as the client over a connected PacketPeerUDP. The server's certificate is checked against `hostname` as client_options say (TLSOptions.client() by default: system CAs, host name must match).",
      godot3: {
        godot3: 'connect_to_peer(packet_peer, validate_certs, for_hostname, valid_certificate)',
        godot4: 'connect_to_peer(packet_peer, hostname, TLSOptions.client(valid_certificate)) (or TLSOptions.client_unsafe() for validate_certs = false)',
      },
      call(self, [udp, hostname, options], ctx) {
        const peer = udp as PacketPeerUDP | null;
        if (self.status === DtlsStatus.STATUS_HANDSHAKING || self.status === DtlsStatus.STATUS_CONNECTED) {
          ctx.warn('PacketPeerDTLS.connect_to_peer: this peer is already connected or handshaking; call disconnect_from_peer() first.');
          return int(ErrorCode.ERR_ALREADY_IN_USE);
        }
        if (!peer || !peer.isConnected()) {
          ctx.warn('PacketPeerDTLS.connect_to_peer: the PacketPeerUDP must be connected first (call connect_to_host()).');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const tls = clientOptionsFor('PacketPeerDTLS.connect_to_peer', options as TLSOptions | null, self.runtime, ctx);
        if (!tls) return int(ErrorCode.ERR_INVALID_PARAMETER);
        return int(self.connectToPeer(peer, String(hostname), tls, ctx));
      },
    },
    poll: {
      params: [],
      returns: 'void',
      description: 'Reads what arrived on the UDP peer, moves the handshake on (including retransmissions) and updates the status.',
      call(self, _args, ctx) {
        self.observed.pollCalls++;
        self.pump(ctx);
        return new Suspend('yield', 0);
      },
    },
    get_status: { params: [], returns: 'PacketPeerDTLS.Status', const: true, description: 'The state of the session (see Status).', call: (self) => int(self.status) },
    disconnect_from_peer: {
      params: [],
      returns: 'void',
      description: 'Ends the session (sends close_notify when connected) and closes the UDP peer.',
      call(self, _args, ctx) {
        self.disconnect(ctx);
        return null;
      },
    },
  },
};
