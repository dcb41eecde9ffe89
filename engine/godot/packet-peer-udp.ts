// PacketPeerUDP: a UDP socket as a packet peer. Either it owns a socket (bind / connect_to_host), or
// UDPServer created it for one remote address and feeds it the datagrams from that address.

import { Suspend, type CallContext, type Value } from '../gdscript/host';
import { ErrorCode } from './error-codes';
import type { ClassSpec } from './method-table';
import { PacketPeerObject, PacketPeerSpec } from './packet-peer';
import type { Datagram, DatagramSocket, GodotRuntime } from './runtime';
import { int, toNumber } from './variant';
import { normalizeHost } from '../sandbox/virtual-network';

export interface Remote {
  host: string;
  port: number;
}

export class PacketPeerUDP extends PacketPeerObject {
  private socket?: DatagramSocket;
  /** Set for peers created by UDPServer: they send through the server's socket. */
  private serverSide?: { socket: DatagramSocket; forget: () => void };
  remote?: Remote;
  private readonly queue: Datagram[] = [];
  private last?: Datagram;

  constructor(runtime: GodotRuntime) {
    super(PacketPeerUDPSpec, runtime);
  }

  static forServer(runtime: GodotRuntime, socket: DatagramSocket, remote: Remote, forget: () => void): PacketPeerUDP {
    const peer = new PacketPeerUDP(runtime);
    peer.serverSide = { socket, forget };
    peer.remote = remote;
    return peer;
  }

  isConnected(): boolean {
    return this.remote !== undefined && (this.serverSide !== undefined || this.socket?.state === 'bound');
  }

  /** UDPServer hands over datagrams from this peer's address. */
  deliver(datagram: Datagram): void {
    this.queue.push(datagram);
  }

  private drain(): void {
    if (!this.socket) return;
    for (let d = this.socket.receive(); d; d = this.socket.receive()) {
      if (this.remote && (d.port !== this.remote.port || normalizeHost(d.host) !== normalizeHost(this.remote.host))) continue;
      this.queue.push(d);
    }
  }

  availablePacketCount(): number {
    this.drain();
    return this.queue.length;
  }

  nextPacket(): Uint8Array | undefined {
    this.drain();
    this.last = this.queue.shift();
    return this.last?.data;
  }

  sendPacket(data: Uint8Array, ctx: CallContext): number {
    const socket = this.serverSide?.socket ?? this.socket;
    if (!this.remote) {
      ctx.warn('PacketPeerUDP.put_packet: no destination; call connect_to_host() or set_dest_address() first.');
      return ErrorCode.ERR_UNCONFIGURED;
    }
    if (!socket || socket.state !== 'bound') {
      ctx.warn('PacketPeerUDP.put_packet: the socket is not open.');
      return ErrorCode.ERR_UNCONFIGURED;
    }
    socket.send(this.remote.host, this.remote.port, data);
    return ErrorCode.OK;
  }

  bind(port: number, host: string): DatagramSocket {
    this.socket = this.runtime.network.bind(host, port);
    return this.socket;
  }

  close(): void {
    if (this.serverSide) this.serverSide.forget();
    this.socket?.close();
    this.socket = undefined;
    this.serverSide = undefined;
    this.remote = undefined;
    this.queue.length = 0;
  }

  get lastPacket(): Datagram | undefined {
    return this.last;
  }

  get boundPort(): number {
    return this.socket?.state === 'bound' ? this.socket.localPort : 0;
  }
}

/** The sandbox's address for `host`, or undefined (and a Godot error line) when it is not loopback. */
function loopbackOnly(host: Value, ctx: CallContext): string | undefined {
  const address = normalizeHost(String(host));
  if (address === undefined) ctx.warn(`The sandbox only reaches 127.0.0.1; "${String(host)}" is not reachable from here.`);
  return address;
}

/** The result of a bind, once the network has had its chance to finish it. */
function afterBind(socket: DatagramSocket, ctx: CallContext): Suspend {
  return new Suspend('yield', 0, () => {
    if (socket.state === 'bound') return int(ErrorCode.OK);
    ctx.warn(`Failed to bind socket: ${socket.failure ?? 'unknown error'}`);
    return int(ErrorCode.ERR_UNAVAILABLE);
  });
}

export const PacketPeerUDPSpec: ClassSpec<PacketPeerUDP> = {
  name: 'PacketPeerUDP',
  inherits: PacketPeerSpec,
  construct: (runtime) => new PacketPeerUDP(runtime),
  methods: {
    connect_to_host: {
      params: [
        { name: 'host', type: 'String' },
        { name: 'port', type: 'int' },
      ],
      returns: 'Error',
      call(self, [host, port], ctx) {
        const address = loopbackOnly(host, ctx);
        if (address === undefined) return int(ErrorCode.ERR_CANT_CONNECT);
        if (self.isConnected()) {
          ctx.warn('PacketPeerUDP is already connected.');
          return int(ErrorCode.ERR_ALREADY_IN_USE);
        }
        const p = toNumber(port);
        if (!(p >= 1 && p <= 65535)) {
          ctx.warn(`Invalid port ${p}: it must be 1-65535.`);
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        self.remote = { host: address, port: p };
        return afterBind(self.bind(0, '127.0.0.1'), ctx);
      },
    },
    bind: {
      params: [
        { name: 'port', type: 'int' },
        { name: 'bind_address', type: 'String', default: () => '*' },
        { name: 'recv_buf_size', type: 'int', default: () => int(65536) },
      ],
      returns: 'Error',
      call: (self, [port, host], ctx) => afterBind(self.bind(toNumber(port), String(host)), ctx),
    },
    set_dest_address: {
      params: [
        { name: 'host', type: 'String' },
        { name: 'port', type: 'int' },
      ],
      returns: 'Error',
      call(self, [host, port], ctx) {
        const address = loopbackOnly(host, ctx);
        if (address === undefined) return int(ErrorCode.ERR_CANT_RESOLVE);
        self.remote = { host: address, port: toNumber(port) };
        return int(ErrorCode.OK);
      },
    },
    is_socket_connected: { params: [], returns: 'bool', call: (self) => self.isConnected() },
    is_bound: { params: [], returns: 'bool', call: (self) => self.boundPort !== 0 },
    get_local_port: { params: [], returns: 'int', call: (self) => int(self.boundPort) },
    get_packet_ip: { params: [], returns: 'String', call: (self) => self.lastPacket?.host ?? '' },
    get_packet_port: { params: [], returns: 'int', call: (self) => int(self.lastPacket?.port ?? 0) },
    close: {
      params: [],
      returns: 'void',
      call(self) {
        self.close();
        return null;
      },
    },
  },
};
