// UDPServer: one listening socket; poll() sorts incoming datagrams by source address and port into
// PacketPeerUDP connections, new addresses waiting in a pending list until take_connection().

import { Suspend, type Range } from '../gdscript/host';
import { ErrorCode } from './error-codes';
import { GodotObject, opt, param, type ClassSpec } from './method-table';
import { RefCountedSpec } from './object';
import { checkListen, PacketPeerUDP } from './packet-peer-udp';
import { releaseSocket, type DatagramSocket, type GodotRuntime } from './runtime';
import { int, toNumber } from './variant';

const DEFAULT_MAX_PENDING = 16;

/** Every UDPServer made on a runtime, for the sandbox's explainers. */
export const udpServersOf = new WeakMap<GodotRuntime, UDPServer[]>();

export class UDPServer extends GodotObject {
  /** Where listen() was called and with which port (for the explainers). */
  listenedAt?: { range: Range; port: number };
  socket?: DatagramSocket;
  /** Connections by "host:port": pending ones are not yet taken. */
  readonly peers = new Map<string, PacketPeerUDP>();
  readonly pending: PacketPeerUDP[] = [];
  maxPending = DEFAULT_MAX_PENDING;
  /** True once poll() has been called since listen() (for the "never polled" explainer). */
  polled = false;

  constructor(runtime: GodotRuntime) {
    super(UDPServerSpec, runtime);
    const all = udpServersOf.get(runtime) ?? [];
    if (all.length < 256) all.push(this);
    udpServersOf.set(runtime, all);
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
    if (this.socket && this.socket.state !== 'closed' && this.socket.state !== 'failed') {
      this.socket.close();
      releaseSocket(this.runtime);
    }
    this.socket = undefined;
    this.peers.clear();
    this.pending.length = 0;
  }
}

export const UDPServerSpec: ClassSpec<UDPServer> = {
  name: 'UDPServer',
  inherits: RefCountedSpec,
  description:
    'A UDP "server": one socket that listen()s on a port; poll() sorts the datagrams it receives by sender, and each new sender becomes a PacketPeerUDP connection to take_connection().',
  construct: (runtime) => new UDPServer(runtime),
  properties: {
    max_pending_connections: {
      type: 'int',
      defaultText: '16',
      description: 'How many new connections may wait for take_connection(); datagrams from further new senders are dropped.',
      getter: 'get_max_pending_connections',
      setter: 'set_max_pending_connections',
    },
  },
  methods: {
    listen: {
      params: [param('port', 'int'), opt('bind_address', 'String', '*')],
      returns: 'Error',
      description: 'Starts listening on the port (127.0.0.1 in the sandbox). ERR_UNAVAILABLE when the port is taken, ERR_ALREADY_IN_USE when already listening.',
      call(self, [port, address], ctx) {
        const checked = checkListen('UDPServer.listen', self.socket !== undefined, address, port, self.runtime, ctx);
        if (typeof checked === 'number') return int(checked);
        const { host, port: p } = checked;
        const socket = self.runtime.network.bind(host, p, {
          recvBufSize: self.runtime.limits.maxBufferedBytes,
          onDrop: () => self.runtime.record({ kind: 'drop', connection: `port ${p}`, reason: 'receive buffer full (sandbox limit): datagram dropped' }),
        });
        self.socket = socket;
        self.polled = false;
        self.listenedAt = { range: ctx.range, port: p };
        return new Suspend('yield', 0, () => {
          if (socket.state === 'bound') return int(ErrorCode.OK);
          if (self.socket === socket) self.socket = undefined;
          releaseSocket(self.runtime);
          ctx.warn(`UDPServer.listen: failed to bind port ${p}: ${socket.failure ?? 'unknown error'}`);
          return int(ErrorCode.ERR_UNAVAILABLE);
        });
      },
    },
    poll: {
      params: [],
      returns: 'Error',
      description: 'Reads the datagrams that arrived and sorts them into connections. Call it often (every frame).',
      call(self) {
        if (!self.isListening()) return int(ErrorCode.ERR_UNCONFIGURED);
        self.poll();
        return new Suspend('yield', 0, () => int(ErrorCode.OK));
      },
    },
    is_connection_available: {
      params: [],
      returns: 'bool',
      const: true,
      description: 'Whether a new connection is waiting for take_connection() (as of the last poll()).',
      call: (self) => self.isListening() && self.pending.length > 0,
    },
    take_connection: {
      params: [],
      returns: 'PacketPeerUDP',
      description: 'The next new connection: a PacketPeerUDP connected to its sender, holding its first datagram(s). null when there is none.',
      call(self, _args, ctx) {
        const peer = self.pending.shift();
        if (!peer) ctx.warn('UDPServer.take_connection: no connection available; check is_connection_available() first.');
        return peer ?? null;
      },
    },
    is_listening: { params: [], returns: 'bool', const: true, description: 'Whether the server is listening.', call: (self) => self.isListening() },
    get_local_port: {
      params: [],
      returns: 'int',
      const: true,
      description: 'The port the server listens on (0 when not listening).',
      call: (self) => int(self.isListening() ? self.socket!.localPort : 0),
    },
    set_max_pending_connections: {
      params: [param('max_pending_connections', 'int')],
      returns: 'void',
      description: 'Setter of max_pending_connections.',
      call(self, [max], ctx) {
        const n = toNumber(max);
        if (n < 0) {
          ctx.warn('Max pending connections value must be a positive number (0 means refuse new connections).');
          return null;
        }
        self.maxPending = n;
        while (self.pending.length > n) self.pending.pop()!.close();
        return null;
      },
    },
    get_max_pending_connections: { params: [], returns: 'int', const: true, description: 'Getter of max_pending_connections.', call: (self) => int(self.maxPending) },
    stop: {
      params: [],
      returns: 'void',
      description: 'Stops listening and drops the pending connections.',
      call(self) {
        self.stop();
        return null;
      },
    },
  },
};
