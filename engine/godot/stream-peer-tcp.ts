// StreamPeerTCP and TCPServer: TCP over the run's stream network (in memory on the virtual link, real
// sockets on 127.0.0.1 on the UDP link). Like Godot 4, get_status() only changes when poll() is called.

import { Suspend, type CallContext } from '../gdscript/host';
import { ErrorCode } from './error-codes';
import { enumOf, GodotObject, opt, param, type ClassSpec } from './method-table';
import { RefCountedSpec } from './object';
import { checkListen, isValidHost, isValidIp, loopbackOnly } from './packet-peer-udp';
import { acquireSocket, releaseSocket, type GodotRuntime, type StreamListener, type StreamSocket } from './runtime';
import { StreamPeerObject, StreamPeerSpec } from './stream-peer';
import { int, toNumber } from './variant';

export const TcpStatus = { STATUS_NONE: 0, STATUS_CONNECTING: 1, STATUS_CONNECTED: 2, STATUS_ERROR: 3 } as const;

/** Godot's network/limits/tcp/connect_timeout_seconds default. */
const CONNECT_TIMEOUT_MS = 30_000;

export class StreamPeerTCP extends StreamPeerObject {
  status: number = TcpStatus.STATUS_NONE;
  socket?: StreamSocket;
  private host = '';
  private port = 0;
  private localPort = 0;
  private connectStartedAt = 0;
  noDelay = false;

  constructor(runtime: GodotRuntime) {
    super(StreamPeerTCPSpec, runtime);
  }

  static accepted(runtime: GodotRuntime, socket: StreamSocket): StreamPeerTCP {
    const peer = new StreamPeerTCP(runtime);
    peer.socket = socket;
    peer.host = socket.remoteHost;
    peer.port = socket.remotePort;
    peer.status = TcpStatus.STATUS_CONNECTED;
    return peer;
  }

  protected pull(): Uint8Array | undefined {
    return this.socket ? this.socket.read(65536) : undefined;
  }

  readError(): number {
    return this.status === TcpStatus.STATUS_CONNECTED ? ErrorCode.OK : ErrorCode.FAILED;
  }

  mayReceiveMore(): boolean {
    return this.status === TcpStatus.STATUS_CONNECTED && this.socket?.state === 'connected' && !this.socket.remoteClosed;
  }

  writeBytes(data: Uint8Array, ctx: CallContext): number {
    if (this.status !== TcpStatus.STATUS_CONNECTED || !this.socket || this.socket.state !== 'connected') {
      ctx.warn(`StreamPeerTCP: cannot write, the peer is not connected (status ${TCP_STATUS_NAMES[this.status]}); poll() until STATUS_CONNECTED.`);
      return ErrorCode.FAILED;
    }
    if (!this.socket.write(data)) {
      ctx.warn(`StreamPeerTCP: more than ${this.runtime.limits.maxBufferedBytes} bytes are waiting to be read by the other side (sandbox limit); the write was refused.`);
      return ErrorCode.ERR_OUT_OF_MEMORY;
    }
    return ErrorCode.OK;
  }

  connect(host: string, port: number, ctx: CallContext): number {
    if (!acquireSocket(this.runtime, ctx, 'StreamPeerTCP.connect_to_host')) return ErrorCode.ERR_CANT_CREATE;
    this.socket = this.runtime.streams.connect(host, port, this.localPort || undefined);
    this.host = host;
    this.port = port;
    this.status = TcpStatus.STATUS_CONNECTING;
    this.connectStartedAt = this.runtime.now();
    return ErrorCode.OK;
  }

  /** Godot's StreamPeerTCP::poll(): the only place the status changes. */
  poll(): number {
    const socket = this.socket;
    if (this.status === TcpStatus.STATUS_CONNECTED) {
      if (!socket || socket.state === 'failed') {
        this.disconnect();
        this.status = TcpStatus.STATUS_ERROR;
        return ErrorCode.ERR_CONNECTION_ERROR;
      }
      if ((socket.remoteClosed || socket.state === 'closed') && this.buffered() === 0) this.disconnect();
      return ErrorCode.OK;
    }
    if (this.status !== TcpStatus.STATUS_CONNECTING || !socket) return ErrorCode.OK;
    if (socket.state === 'connected') {
      this.status = TcpStatus.STATUS_CONNECTED;
      return ErrorCode.OK;
    }
    if (socket.state === 'connecting' && this.runtime.now() - this.connectStartedAt <= CONNECT_TIMEOUT_MS) return ErrorCode.OK;
    this.disconnect();
    this.status = TcpStatus.STATUS_ERROR;
    return ErrorCode.ERR_CONNECTION_ERROR;
  }

  disconnect(): void {
    if (this.socket) {
      this.socket.close();
      releaseSocket(this.runtime);
    }
    this.socket = undefined;
    this.status = TcpStatus.STATUS_NONE;
    this.host = '';
    this.port = 0;
    this.clearInbox();
  }

  get connectedHost(): string {
    return this.status === TcpStatus.STATUS_CONNECTED || this.status === TcpStatus.STATUS_CONNECTING ? this.host : '';
  }

  get connectedPort(): number {
    return this.status === TcpStatus.STATUS_CONNECTED || this.status === TcpStatus.STATUS_CONNECTING ? this.port : 0;
  }

  get boundPort(): number {
    return this.socket?.localPort ?? this.localPort;
  }

  setLocalPort(port: number): void {
    this.localPort = port;
  }
}

const TCP_STATUS_NAMES = Object.keys(TcpStatus);

export const StreamPeerTCPSpec: ClassSpec<StreamPeerTCP> = {
  name: 'StreamPeerTCP',
  inherits: StreamPeerSpec,
  description:
    'A TCP connection: connect_to_host(), then poll() until get_status() is STATUS_CONNECTED. TCPServer.take_connection() gives connected ones. In the sandbox every address is 127.0.0.1.',
  enums: {
    Status: enumOf('The states of a TCP connection.', [
      ['STATUS_NONE', 0, 'Not connected.'],
      ['STATUS_CONNECTING', 1, 'Connecting: keep calling poll().'],
      ['STATUS_CONNECTED', 2, 'Connected.'],
      ['STATUS_ERROR', 3, 'The connection failed (refused, timed out, or reset).'],
    ]),
  },
  removed: {
    is_connected_to_host: {
      godot3: 'is_connected_to_host()',
      godot4: 'get_status() == StreamPeerTCP.STATUS_CONNECTED (after poll())',
      description: 'Removed in Godot 4: poll() and check get_status().',
    },
  },
  construct: (runtime) => new StreamPeerTCP(runtime),
  methods: {
    bind: {
      params: [param('port', 'int'), opt('host', 'String', '*')],
      returns: 'Error',
      description: 'Chooses the local port (and address) the next connect_to_host() uses. Optional: by default the system picks one.',
      call(self, [port, host], ctx) {
        const p = toNumber(port);
        if (!(p >= 0 && p <= 65535)) {
          ctx.warn('The local port number must be between 0 and 65535 (inclusive).');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        if (String(host) !== '*' && !isValidIp(String(host))) return int(ErrorCode.ERR_INVALID_PARAMETER);
        if (loopbackOnly(host, ctx, 'StreamPeerTCP.bind') === undefined) return int(ErrorCode.ERR_UNAVAILABLE);
        self.setLocalPort(p);
        return int(ErrorCode.OK);
      },
    },
    connect_to_host: {
      params: [param('host', 'String'), param('port', 'int')],
      returns: 'Error',
      description: 'Starts connecting (non-blocking). ERR_ALREADY_IN_USE when already connecting or connected.',
      call(self, [host, port], ctx) {
        if (self.status !== TcpStatus.STATUS_NONE) {
          ctx.warn('StreamPeerTCP.connect_to_host: already connecting or connected; call disconnect_from_host() first.');
          return int(ErrorCode.ERR_ALREADY_IN_USE);
        }
        if (!isValidHost(String(host))) {
          ctx.warn(`StreamPeerTCP.connect_to_host: "${String(host)}" is neither an IP address nor a host name.`);
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const p = toNumber(port);
        if (!(p >= 1 && p <= 65535)) {
          ctx.warn('The remote port number must be between 1 and 65535 (inclusive).');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const address = loopbackOnly(host, ctx, 'StreamPeerTCP.connect_to_host');
        if (address === undefined) return int(ErrorCode.ERR_CANT_CONNECT);
        return int(self.connect(address, p, ctx));
      },
    },
    disconnect_from_host: {
      params: [],
      returns: 'void',
      description: 'Closes the connection.',
      call(self) {
        self.disconnect();
        return null;
      },
    },
    get_connected_host: { params: [], returns: 'String', const: true, description: 'The IP address of the other side.', call: (self) => self.connectedHost },
    get_connected_port: { params: [], returns: 'int', const: true, description: 'The port of the other side.', call: (self) => int(self.connectedPort) },
    get_local_port: { params: [], returns: 'int', const: true, description: 'The local port of the connection.', call: (self) => int(self.boundPort) },
    get_status: {
      params: [],
      returns: 'StreamPeerTCP.Status',
      const: true,
      description: 'The state as of the last poll() (see Status).',
      call: (self) => int(self.status),
    },
    poll: {
      params: [],
      returns: 'Error',
      description: 'Updates the status: connecting → connected or error, connected → none once the other side closed and everything was read.',
      call: (self) => {
        const error = self.poll();
        return new Suspend('yield', 0, () => int(error));
      },
    },
    set_no_delay: {
      params: [param('enabled', 'bool')],
      returns: 'void',
      description: "Disables Nagle's algorithm (send small writes at once). No effect in the sandbox.",
      call(self, [enabled]) {
        self.noDelay = enabled === true;
        return null;
      },
    },
  },
};

export class TCPServer extends GodotObject {
  listener?: StreamListener;

  constructor(runtime: GodotRuntime) {
    super(TCPServerSpec, runtime);
  }

  isListening(): boolean {
    return this.listener?.state === 'listening';
  }

  stop(): void {
    if (this.listener && this.listener.state !== 'failed' && this.listener.state !== 'closed') {
      this.listener.close();
      releaseSocket(this.runtime);
    }
    this.listener = undefined;
  }
}

export const TCPServerSpec: ClassSpec<TCPServer> = {
  name: 'TCPServer',
  inherits: RefCountedSpec,
  godot3: { godot3: 'TCP_Server', godot4: 'TCPServer' },
  description: 'Listens for TCP connections on a port; take_connection() gives each one as a connected StreamPeerTCP.',
  construct: (runtime) => new TCPServer(runtime),
  methods: {
    listen: {
      params: [param('port', 'int'), opt('bind_address', 'String', '*')],
      returns: 'Error',
      description: 'Starts listening (127.0.0.1 in the sandbox). ERR_ALREADY_IN_USE when already listening or when the port is taken.',
      call(self, [port, address], ctx) {
        const checked = checkListen('TCPServer.listen', self.listener !== undefined, address, port, self.runtime, ctx);
        if (typeof checked === 'number') return int(checked);
        const { host, port: p } = checked;
        const listener = self.runtime.streams.listen(host, p);
        self.listener = listener;
        return new Suspend('yield', 0, () => {
          if (listener.state === 'listening') return int(ErrorCode.OK);
          if (self.listener === listener) self.listener = undefined;
          releaseSocket(self.runtime);
          ctx.warn(`TCPServer.listen: failed to listen on port ${p}: ${listener.failure ?? 'unknown error'}`);
          return int(ErrorCode.ERR_ALREADY_IN_USE);
        });
      },
    },
    is_connection_available: {
      params: [],
      returns: 'bool',
      const: true,
      description: 'Whether a new connection is waiting for take_connection().',
      call: (self) => self.isListening() && self.listener!.pendingCount() > 0,
    },
    take_connection: {
      params: [],
      returns: 'StreamPeerTCP',
      description: 'The next new connection, already connected; null when there is none.',
      call(self, _args, ctx) {
        if (!self.isListening() || self.listener!.pendingCount() === 0) return null;
        if (!acquireSocket(self.runtime, ctx, 'TCPServer.take_connection')) {
          self.listener!.accept()?.close();
          return null;
        }
        const socket = self.listener!.accept();
        if (!socket) {
          releaseSocket(self.runtime);
          return null;
        }
        return StreamPeerTCP.accepted(self.runtime, socket);
      },
    },
    is_listening: { params: [], returns: 'bool', const: true, description: 'Whether the server is listening.', call: (self) => self.isListening() },
    get_local_port: {
      params: [],
      returns: 'int',
      const: true,
      description: 'The port the server listens on (0 when not listening).',
      call: (self) => int(self.isListening() ? self.listener!.localPort : 0),
    },
    stop: {
      params: [],
      returns: 'void',
      description: 'Stops listening. Connections already taken stay open.',
      call(self) {
        self.stop();
        return null;
      },
    },
  },
};
