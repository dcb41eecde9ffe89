// PacketPeerUDP: a UDP socket as a packet peer. Either it owns a socket (bind / connect_to_host /
// put_packet after set_dest_address), or UDPServer created it for one remote address and feeds it
// the datagrams from that address.

import { Suspend, type CallContext, type Value } from '../gdscript/host';
import { ErrorCode } from './error-codes';
import { opt, param, type ClassSpec } from './method-table';
import { PacketPeerObject, PacketPeerSpec } from './packet-peer';
import { acquireSocket, releaseSocket, type Datagram, type DatagramSocket, type GodotRuntime } from './runtime';
import { int, toNumber } from './variant';
import { WaitFor } from './wait';
import { normalizeHost } from '../sandbox/virtual-network';

export interface Remote {
  host: string;
  port: number;
}

/** The biggest UDP payload over IPv4. */
const MAX_DATAGRAM = 65507;

export class PacketPeerUDP extends PacketPeerObject {
  private socket?: DatagramSocket;
  /** Set for peers created by UDPServer: they send through the server's socket. */
  private serverSide?: { socket: DatagramSocket; forget: () => void };
  /** The connected remote (connect_to_host, or the address a UDPServer connection belongs to). */
  remote?: Remote;
  /** Where put_packet sends when not connected (set_dest_address). */
  private dest?: Remote;
  broadcast = false;
  private readonly queue: Datagram[] = [];
  private queuedBytes = 0;
  private last?: Datagram;
  private recvBufSize = 65536;

  constructor(runtime: GodotRuntime) {
    super(PacketPeerUDPSpec, runtime);
  }

  static forServer(runtime: GodotRuntime, socket: DatagramSocket, remote: Remote, forget: () => void): PacketPeerUDP {
    const peer = new PacketPeerUDP(runtime);
    peer.serverSide = { socket, forget };
    peer.remote = remote;
    return peer;
  }

  get isServerSide(): boolean {
    return this.serverSide !== undefined;
  }

  isConnected(): boolean {
    return this.remote !== undefined && (this.serverSide !== undefined || this.socket?.state === 'bound' || this.socket?.state === 'binding');
  }

  isOpen(): boolean {
    return this.socket !== undefined && (this.socket.state === 'bound' || this.socket.state === 'binding');
  }

  /** UDPServer hands over datagrams from this peer's address. */
  deliver(datagram: Datagram): void {
    if (this.queuedBytes + datagram.data.length > this.runtime.limits.maxBufferedBytes) {
      this.runtime.record({ kind: 'drop', connection: `from ${datagram.host}:${datagram.port}`, reason: 'receive buffer full (sandbox limit): datagram dropped' });
      return;
    }
    this.queue.push(datagram);
    this.queuedBytes += datagram.data.length;
  }

  private drain(): void {
    if (!this.socket) return;
    for (let d = this.socket.receive(); d; d = this.socket.receive()) {
      if (this.remote && (d.port !== this.remote.port || normalizeHost(d.host) !== normalizeHost(this.remote.host))) continue;
      this.queue.push(d);
      this.queuedBytes += d.data.length;
    }
  }

  availablePacketCount(): number {
    this.drain();
    return this.queue.length;
  }

  /** The next packet (for PacketPeerDTLS, which pumps its UDP peer). */
  nextPacket(): Uint8Array | undefined {
    this.drain();
    const d = this.queue.shift();
    if (d) {
      this.last = d;
      this.queuedBytes -= d.data.length;
    }
    return d?.data;
  }

  receivePacket(ctx: CallContext): Uint8Array | number {
    const packet = this.nextPacket();
    if (packet) return packet;
    ctx.warn('PacketPeerUDP.get_packet: no packet available; check get_available_packet_count() first.');
    return ErrorCode.ERR_UNAVAILABLE;
  }

  sendPacket(data: Uint8Array, ctx: CallContext): number {
    const target = this.remote ?? this.dest;
    if (!target) {
      ctx.warn('PacketPeerUDP.put_packet: no destination; call connect_to_host() or set_dest_address() first.');
      return ErrorCode.ERR_UNCONFIGURED;
    }
    if (data.length > MAX_DATAGRAM) {
      ctx.warn(`PacketPeerUDP.put_packet: ${data.length} bytes do not fit in one UDP datagram (at most ${MAX_DATAGRAM}).`);
      return ErrorCode.FAILED;
    }
    const socket = this.serverSide?.socket ?? this.socket;
    if (!socket || socket.state === 'closed' || socket.state === 'failed') {
      ctx.warn('PacketPeerUDP.put_packet: the socket is closed.');
      return ErrorCode.ERR_UNAVAILABLE;
    }
    socket.send(target.host, target.port, data);
    return ErrorCode.OK;
  }

  /** Opens this peer's socket (counted against the sandbox limit); undefined when refused. */
  open(port: number, host: string, ctx: CallContext, what: string): DatagramSocket | undefined {
    if (!acquireSocket(this.runtime, ctx, what)) return undefined;
    const socket = this.runtime.network.bind(host, port, {
      recvBufSize: Math.min(this.recvBufSize, this.runtime.limits.maxBufferedBytes),
      onDrop: () => this.runtime.record({ kind: 'drop', connection: `port ${this.boundPort}`, reason: 'receive buffer full (recv_buf_size): datagram dropped' }),
    });
    this.socket = socket;
    if (socket.state === 'failed') this.releaseSocket();
    return socket;
  }

  private releaseSocket(): void {
    if (this.socket) releaseSocket(this.runtime);
    this.socket = undefined;
  }

  /** The result of opening a socket, once the network has had its chance to finish it. */
  afterOpen(socket: DatagramSocket, ctx: CallContext, what: string, okValue: () => Value = () => int(ErrorCode.OK)): Suspend {
    return new Suspend('yield', 0, () => {
      if (socket.state === 'bound') return okValue();
      ctx.warn(`${what}: failed to bind the socket: ${socket.failure ?? 'unknown error'}`);
      if (this.socket === socket) this.releaseSocket();
      return int(ErrorCode.ERR_UNAVAILABLE);
    });
  }

  setRecvBufSize(size: number): void {
    this.recvBufSize = size;
  }

  setDestination(remote: Remote): void {
    this.dest = remote;
  }

  close(): void {
    if (this.serverSide) this.serverSide.forget();
    if (this.socket && this.socket.state !== 'closed' && this.socket.state !== 'failed') {
      this.socket.close();
      releaseSocket(this.runtime);
    }
    this.socket = undefined;
    this.serverSide = undefined;
    this.remote = undefined;
    this.dest = undefined;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  get lastPacket(): Datagram | undefined {
    return this.last;
  }

  get boundPort(): number {
    return this.socket?.state === 'bound' ? this.socket.localPort : 0;
  }

  get socketState(): DatagramSocket['state'] | undefined {
    return this.socket?.state;
  }

  clearQueue(): void {
    this.drain();
    this.queue.length = 0;
    this.queuedBytes = 0;
  }
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function isValidIp(host: string): boolean {
  return IPV4.test(host) || (host.includes(':') && /^[0-9a-fA-F:.]+$/.test(host));
}

/**
 * The checks UDPServer.listen and TCPServer.listen share, in Godot's order: already listening, a bind
 * address that is not an IP, a port out of range, a non-loopback address, the socket cap. Returns the
 * validated host and port, or the Error code to return (the reason already printed).
 */
export function checkListen(
  what: string,
  alreadyListening: boolean,
  address: Value,
  port: Value,
  runtime: GodotRuntime,
  ctx: CallContext,
): { host: string; port: number } | number {
  if (alreadyListening) {
    ctx.warn(`${what}: already listening; call stop() first.`);
    return ErrorCode.ERR_ALREADY_IN_USE;
  }
  const host = String(address);
  if (host !== '*' && !isValidIp(host)) {
    ctx.warn(`${what}: "${host}" is not an IP address (use "*", an IPv4 or an IPv6 address).`);
    return ErrorCode.ERR_INVALID_PARAMETER;
  }
  const p = toNumber(port);
  if (!(p >= 0 && p <= 65535)) {
    ctx.warn('The local port number must be between 0 and 65535 (inclusive).');
    return ErrorCode.ERR_INVALID_PARAMETER;
  }
  if (loopbackOnly(host, ctx, what) === undefined) return ErrorCode.ERR_UNAVAILABLE;
  if (!acquireSocket(runtime, ctx, what)) return ErrorCode.ERR_CANT_CREATE;
  return { host, port: p };
}

/** The sandbox's address for `host`, or undefined (and a Godot-style error line) when it is not loopback. */
export function loopbackOnly(host: Value, ctx: CallContext, what: string): string | undefined {
  const text = String(host);
  const address = normalizeHost(text);
  if (address === undefined) {
    const kind = text === '255.255.255.255' || /\.255$/.test(text) ? 'broadcast addresses' : /^2(2[4-9]|3\d)\./.test(text) ? 'multicast addresses' : `"${text}"`;
    ctx.warn(`${what}: the sandbox only reaches 127.0.0.1 (loopback); ${kind} cannot be reached from here.`);
  }
  return address;
}

export function isValidHost(host: string): boolean {
  return isValidIp(host) || HOSTNAME.test(host);
}

function lockedByServer(self: PacketPeerUDP, ctx: CallContext, method: string): boolean {
  if (!self.isServerSide) return false;
  ctx.warn(`PacketPeerUDP.${method}: this peer belongs to a UDPServer (it came from take_connection()).`);
  return true;
}

export const PacketPeerUDPSpec: ClassSpec<PacketPeerUDP> = {
  name: 'PacketPeerUDP',
  inherits: PacketPeerSpec,
  description:
    'A UDP socket: bind() it to receive, connect_to_host() to talk to one address, or set_dest_address() to choose where put_packet() sends. In the sandbox every address is 127.0.0.1.',
  construct: (runtime) => new PacketPeerUDP(runtime),
  removed: {
    listen: { godot3: 'listen(port, bind_address, recv_buf_size)', godot4: 'bind(port, bind_address, recv_buf_size)', description: 'Renamed to bind() in Godot 4.' },
    is_listening: { godot3: 'is_listening()', godot4: 'is_bound()', description: 'Renamed to is_bound() in Godot 4.' },
    is_connected_to_host: { godot3: 'is_connected_to_host()', godot4: 'is_socket_connected()', description: 'Renamed to is_socket_connected() in Godot 4.' },
  },
  methods: {
    bind: {
      params: [param('port', 'int'), opt('bind_address', 'String', '*'), opt('recv_buf_size', 'int', 65536)],
      returns: 'Error',
      description:
        'Binds the socket to a local port (0: any free port) so it can receive. The sandbox binds 127.0.0.1 whatever address is given ("*", "0.0.0.0", "127.0.0.1", "::1"). recv_buf_size bytes are queued before datagrams are dropped.',
      godot3: { godot3: 'listen(port, bind_address, recv_buf_size)', godot4: 'bind(port, bind_address, recv_buf_size)' },
      call(self, [port, address, bufSize], ctx) {
        if (lockedByServer(self, ctx, 'bind')) return int(ErrorCode.ERR_LOCKED);
        if (self.isOpen()) {
          ctx.warn('PacketPeerUDP.bind: the socket is already open; call close() first.');
          return int(ErrorCode.ERR_ALREADY_IN_USE);
        }
        const host = String(address);
        if (host !== '*' && !isValidIp(host)) {
          ctx.warn(`PacketPeerUDP.bind: "${host}" is not an IP address (use "*", an IPv4 or an IPv6 address).`);
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const p = toNumber(port);
        if (!(p >= 0 && p <= 65535)) {
          ctx.warn('The local port number must be between 0 and 65535 (inclusive).');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        if (loopbackOnly(host, ctx, 'PacketPeerUDP.bind') === undefined) return int(ErrorCode.ERR_UNAVAILABLE);
        self.setRecvBufSize(Math.max(0, toNumber(bufSize)));
        const socket = self.open(p, host, ctx, 'PacketPeerUDP.bind');
        if (!socket) return int(ErrorCode.ERR_CANT_CREATE);
        return self.afterOpen(socket, ctx, 'PacketPeerUDP.bind');
      },
    },
    close: {
      params: [],
      returns: 'void',
      description: 'Closes the socket (and forgets the destination); a UDPServer connection leaves its server.',
      call(self) {
        self.close();
        return null;
      },
    },
    connect_to_host: {
      params: [param('host', 'String'), param('port', 'int')],
      returns: 'Error',
      description:
        'Connects the socket to one remote address: put_packet() sends there and only its datagrams are received. Binds an ephemeral port first when the socket is not bound. Sends nothing by itself.',
      call(self, [host, port], ctx) {
        if (lockedByServer(self, ctx, 'connect_to_host')) return int(ErrorCode.ERR_LOCKED);
        if (!isValidHost(String(host))) {
          ctx.warn(`PacketPeerUDP.connect_to_host: "${String(host)}" is neither an IP address nor a host name.`);
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const p = toNumber(port);
        if (!(p >= 1 && p <= 65535)) {
          ctx.warn('The remote port number must be between 1 and 65535 (inclusive).');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const address = loopbackOnly(host, ctx, 'PacketPeerUDP.connect_to_host');
        if (address === undefined) return int(ErrorCode.ERR_CANT_CONNECT);
        const wasOpen = self.isOpen();
        self.clearQueue();
        self.remote = { host: address, port: p };
        if (wasOpen) return int(ErrorCode.OK);
        const socket = self.open(0, '127.0.0.1', ctx, 'PacketPeerUDP.connect_to_host');
        if (!socket) {
          self.remote = undefined;
          return int(ErrorCode.ERR_CANT_CREATE);
        }
        return self.afterOpen(socket, ctx, 'PacketPeerUDP.connect_to_host');
      },
    },
    get_local_port: { params: [], returns: 'int', const: true, description: 'The local port the socket is bound to (0 when not bound).', call: (self) => int(self.boundPort) },
    get_packet_ip: {
      params: [],
      returns: 'String',
      const: true,
      description: 'The IP address the last received packet came from.',
      call: (self) => self.lastPacket?.host ?? '',
    },
    get_packet_port: { params: [], returns: 'int', const: true, description: 'The port the last received packet came from.', call: (self) => int(self.lastPacket?.port ?? 0) },
    is_bound: { params: [], returns: 'bool', const: true, description: 'Whether the socket is bound (bind(), or implicitly by connect_to_host()).', call: (self) => self.isOpen() },
    is_socket_connected: {
      params: [],
      returns: 'bool',
      const: true,
      description: 'Whether the socket is connected to a remote address (connect_to_host(), or a UDPServer connection).',
      call: (self) => self.isConnected(),
    },
    join_multicast_group: {
      params: [param('multicast_address', 'String'), param('interface_name', 'String')],
      returns: 'Error',
      description: 'Joins a multicast group on a network interface. Refused in the sandbox, which only has the loopback interface.',
      call(_self, [group], ctx) {
        ctx.warn(`PacketPeerUDP.join_multicast_group: the sandbox is loopback-only (127.0.0.1), so multicast group ${String(group)} cannot be joined.`);
        return int(ErrorCode.ERR_UNAVAILABLE);
      },
    },
    leave_multicast_group: {
      params: [param('multicast_address', 'String'), param('interface_name', 'String')],
      returns: 'Error',
      description: 'Leaves a multicast group joined with join_multicast_group() (never possible in the sandbox).',
      call(_self, [group], ctx) {
        ctx.warn(`PacketPeerUDP.leave_multicast_group: ${String(group)} was never joined (the sandbox is loopback-only).`);
        return int(ErrorCode.ERR_UNAVAILABLE);
      },
    },
    set_broadcast_enabled: {
      params: [param('enabled', 'bool')],
      returns: 'void',
      description: 'Allows sending to broadcast addresses (off by default). Broadcasts still cannot leave the sandbox.',
      call(self, [enabled]) {
        self.broadcast = enabled === true;
        return null;
      },
    },
    set_dest_address: {
      params: [param('host', 'String'), param('port', 'int')],
      returns: 'Error',
      description: 'Sets where put_packet() sends, for a socket that is not connected.',
      call(self, [host, port], ctx) {
        if (self.remote) {
          ctx.warn('Destination address cannot be set for connected sockets');
          return int(ErrorCode.ERR_UNCONFIGURED);
        }
        const address = loopbackOnly(host, ctx, 'PacketPeerUDP.set_dest_address');
        if (address === undefined) return int(ErrorCode.ERR_CANT_RESOLVE);
        self.setDestination({ host: address, port: toNumber(port) });
        if (!self.isOpen() && !self.isServerSide) {
          // Godot opens the socket on the first put_packet; the lab opens it now so sends are never lost.
          const socket = self.open(0, '127.0.0.1', ctx, 'PacketPeerUDP.set_dest_address');
          if (!socket) return int(ErrorCode.ERR_CANT_CREATE);
          return self.afterOpen(socket, ctx, 'PacketPeerUDP.set_dest_address');
        }
        return int(ErrorCode.OK);
      },
    },
    wait: {
      params: [],
      returns: 'Error',
      description: 'Blocks until a packet arrives on the bound socket (the other peers keep running).',
      call(self, _args, ctx) {
        if (self.isServerSide || !self.isOpen()) {
          ctx.warn('PacketPeerUDP.wait: the socket is not bound; call bind() first.');
          return int(ErrorCode.ERR_UNCONFIGURED);
        }
        if (self.availablePacketCount() > 0) return int(ErrorCode.OK);
        return new WaitFor('PacketPeerUDP.wait()', () => self.availablePacketCount() > 0 || !self.isOpen(), () =>
          int(self.isOpen() ? ErrorCode.OK : ErrorCode.ERR_UNAVAILABLE),
        );
      },
    },
  },
};
