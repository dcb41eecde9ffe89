// DTLSServer: holds the server's TLSOptions and cookie secret; take_connection() wraps a UDPServer
// connection in a server-side PacketPeerDTLS.

import { CookieAuthority } from '../dtls';
import { ErrorCode } from './error-codes';
import { GodotObject, param, type ClassSpec } from './method-table';
import { RefCountedSpec } from './object';
import { PacketPeerDTLS } from './packet-peer-dtls';
import type { PacketPeerUDP } from './packet-peer-udp';
import type { GodotRuntime } from './runtime';
import type { TLSOptions } from './tls-options';
import { int } from './variant';

export class DTLSServer extends GodotObject {
  options?: TLSOptions;
  cookies?: CookieAuthority;

  constructor(runtime: GodotRuntime) {
    super(DTLSServerSpec, runtime);
  }
}

export const DTLSServerSpec: ClassSpec<DTLSServer> = {
  name: 'DTLSServer',
  inherits: RefCountedSpec,
  description:
    'Holds a DTLS server\'s options and cookie secret. setup() it once with TLSOptions.server(key, cert), then turn each UDPServer connection into a PacketPeerDTLS with take_connection().',
  construct: (runtime) => new DTLSServer(runtime),
  methods: {
    setup: {
      params: [param('server_options', 'TLSOptions')],
      returns: 'Error',
      description: 'Configures the server with TLSOptions.server(key, certificate). Can be done once.',
      godot3: { godot3: 'setup(key, cert, chain)', godot4: 'setup(TLSOptions.server(key, cert))' },
      call(self, [options], ctx) {
        const tls = options as TLSOptions | null;
        if (!tls || tls.mode !== 'server' || !tls.key || !tls.certificate || tls.key.isEmpty() || tls.certificate.isEmpty()) {
          ctx.warn('DTLSServer.setup: pass TLSOptions.server(key, certificate) with a private key and its certificate.');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        if (self.cookies) {
          ctx.warn('Cookie context already initialized.');
          return int(ErrorCode.ERR_ALREADY_IN_USE);
        }
        self.options = tls;
        self.cookies = new CookieAuthority();
        return int(ErrorCode.OK);
      },
    },
    take_connection: {
      params: [param('udp_peer', 'PacketPeerUDP')],
      returns: 'PacketPeerDTLS',
      description:
        'Wraps a UDPServer connection in a server-side PacketPeerDTLS and answers its ClientHello. A first ClientHello without a cookie gets a HelloVerifyRequest and the peer reads STATUS_ERROR: the client retries as a new connection (about half the connections "fail" this way).',
      call(self, [udp], ctx) {
        const peer = new PacketPeerDTLS(self.runtime);
        const connection = udp as PacketPeerUDP | null;
        if (!self.options || !self.cookies) {
          ctx.warn('DTLSServer.take_connection: the server is not set up; call setup(TLSOptions.server(key, cert)) first.');
          return peer;
        }
        if (!connection || !connection.isConnected()) {
          ctx.warn('DTLSServer.take_connection: udp_peer must be a connection taken from UDPServer.take_connection().');
          return peer;
        }
        peer.acceptFrom(connection, { options: self.options, cookies: self.cookies }, ctx);
        return peer;
      },
    },
  },
};
