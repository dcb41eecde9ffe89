// DTLSServer: holds the server's TLSOptions and cookie secret; take_connection() wraps a UDPServer
// connection in a server-side PacketPeerDTLS.

import { CookieAuthority } from '../dtls';
import { ErrorCode } from './error-codes';
import { GodotObject, type ClassSpec } from './method-table';
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
  construct: (runtime) => new DTLSServer(runtime),
  methods: {
    setup: {
      params: [{ name: 'server_options', type: 'TLSOptions' }],
      returns: 'Error',
      call(self, [options], ctx) {
        const tls = options as TLSOptions | null;
        if (!tls || tls.mode !== 'server' || !tls.key || !tls.certificate || tls.key.isEmpty() || tls.certificate.isEmpty()) {
          ctx.warn('DTLSServer.setup: pass TLSOptions.server(key, certificate) with a private key and its certificate.');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        self.options = tls;
        self.cookies = new CookieAuthority();
        return int(ErrorCode.OK);
      },
    },
    take_connection: {
      params: [{ name: 'udp_peer', type: 'PacketPeerUDP' }],
      returns: 'PacketPeerDTLS',
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
