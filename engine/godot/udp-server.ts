// UDPServer: one listening socket; poll() sorts incoming datagrams by source address and port into
// PacketPeerUDP connections, new addresses waiting in a pending list until take_connection().

import { Suspend } from '../gdscript/host';
import { ErrorCode } from './error-codes';
import { GodotObject, type ClassSpec } from './method-table';
import { PacketPeerUDP } from './packet-peer-udp';
import type { DatagramSocket, GodotRuntime } from './runtime';
import { int, toNumber } from './variant';

const DEFAULT_MAX_PENDING = 16;

export class UDPServer extends GodotObject {
  socket?: DatagramSocket;
  /** Connections by "host:port": pending ones are not yet taken. */
  readonly peers = new Map<string, PacketPeerUDP>();
  readonly pending: PacketPeerUDP[] = [];
  maxPending = DEFAULT_MAX_PENDING;
  /** True once poll() has been called since listen() (for the "never polled" explainer). */
  polled = false;

  constructor(runtime: GodotRuntime) {
    super(UDPServerSpec, runtime);
  }

  isListening(): boolean {
    return this.socket?.state === 'bound';
  }

  poll(): void {
    this.polled = true;
    if (!this.socket || this.socket.state !== 'bound') return;
    for (let d = this.socket.receive(); d; d = this.socket.receive()) {
      const key = `${d.host}:${d.port}`;
      let peer = this.peers.get(key);
      if (!peer) {
        if (this.pending.length >= this.maxPending) continue; // Godot drops datagrams from new peers when the queue is full.
        const remote = { host: d.host, port: d.port };
        peer = PacketPeerUDP.forServer(this.runtime, this.socket, remote, () => this.forget(key, peer!));
        this.peers.set(key, peer);
        this.pending.push(peer);
      }
      peer.deliver(d);
    }
  }

  private forget(key: string, peer: PacketPeerUDP): void {
    if (this.peers.get(key) === peer) this.peers.delete(key);
    const i = this.pending.indexOf(peer);
    if (i >= 0) this.pending.splice(i, 1);
  }

  stop(): void {
    this.socket?.close();
    this.socket = undefined;
    this.peers.clear();
    this.pending.length = 0;
  }
}

export const UDPServerSpec: ClassSpec<UDPServer> = {
  name: 'UDPServer',
  construct: (runtime) => new UDPServer(runtime),
  methods: {
    listen: {
      params: [
        { name: 'port', type: 'int' },
        { name: 'bind_address', type: 'String', default: () => '*' },
      ],
      returns: 'Error',
      call(self, [port, address], ctx) {
        if (self.socket) {
          ctx.warn('UDPServer.listen: already listening; call stop() first.');
          return int(ErrorCode.ERR_ALREADY_IN_USE);
        }
        const p = toNumber(port);
        if (!(p >= 0 && p <= 65535)) {
          ctx.warn(`UDPServer.listen: invalid port ${p}; it must be 0-65535.`);
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const socket = self.runtime.network.bind(String(address), p);
        self.socket = socket;
        return new Suspend('yield', 0, () => {
          if (socket.state === 'bound') return int(ErrorCode.OK);
          self.socket = undefined;
          ctx.warn(`UDPServer.listen: failed to bind port ${p}: ${socket.failure ?? 'unknown error'}`);
          return int(ErrorCode.ERR_UNAVAILABLE);
        });
      },
    },
    poll: {
      params: [],
      returns: 'Error',
      call(self) {
        if (!self.isListening()) return int(ErrorCode.ERR_UNCONFIGURED);
        self.poll();
        return new Suspend('yield', 0, () => int(ErrorCode.OK));
      },
    },
    is_connection_available: { params: [], returns: 'bool', call: (self) => self.isListening() && self.pending.length > 0 },
    take_connection: {
      params: [],
      returns: 'PacketPeerUDP',
      call(self, _args, ctx) {
        const peer = self.pending.shift();
        if (!peer) ctx.warn('UDPServer.take_connection: no connection available; check is_connection_available() first.');
        return peer ?? null;
      },
    },
    is_listening: { params: [], returns: 'bool', call: (self) => self.isListening() },
    get_local_port: { params: [], returns: 'int', call: (self) => int(self.isListening() ? self.socket!.localPort : 0) },
    set_max_pending_connections: {
      params: [{ name: 'max_pending_connections', type: 'int' }],
      returns: 'void',
      call(self, [max]) {
        self.maxPending = Math.max(0, toNumber(max));
        return null;
      },
    },
    get_max_pending_connections: { params: [], returns: 'int', call: (self) => int(self.maxPending) },
    stop: {
      params: [],
      returns: 'void',
      call(self) {
        self.stop();
        return null;
      },
    },
  },
};
