// StreamPeerTLS: TLS over another StreamPeer (usually a StreamPeerTCP), on Node's TLS stack: a
// tls.TLSSocket runs over an in-memory Duplex whose ciphertext is carried by the underlying stream.
// poll() feeds what arrived to TLS and updates the status.

import { Duplex } from 'node:stream';
import { checkServerIdentity, connect as tlsConnect, createSecureContext, TLSSocket, type ConnectionOptions } from 'node:tls';
import { Suspend, type CallContext } from '../gdscript/host';
import { ErrorCode } from './error-codes';
import { enumOf, opt, param, type ClassSpec } from './method-table';
import { backgroundWork, type GodotRuntime } from './runtime';
import { StreamPeerObject, StreamPeerSpec } from './stream-peer';
import { StreamPeerTCP, TcpStatus } from './stream-peer-tcp';
import { clientOptionsFor, TLSOptions } from './tls-options';
import { int } from './variant';

export const TlsStatus = {
  STATUS_DISCONNECTED: 0,
  STATUS_HANDSHAKING: 1,
  STATUS_CONNECTED: 2,
  STATUS_ERROR: 3,
  STATUS_ERROR_HOSTNAME_MISMATCH: 4,
} as const;

const TLS_STATUS_NAMES = Object.keys(TlsStatus);

const HOSTNAME_ERRORS = new Set(['ERR_TLS_CERT_ALTNAME_INVALID']);

export class StreamPeerTLS extends StreamPeerObject {
  status: number = TlsStatus.STATUS_DISCONNECTED;
  stream?: StreamPeerObject;
  private tls?: TLSSocket;
  private duplex?: Duplex;
  /** Ciphertext TLS produced before the underlying stream could take it. */
  private readonly outbound: Uint8Array[] = [];
  private readonly plaintext: Uint8Array[] = [];
  private plaintextBytes = 0;
  private peerClosed = false;
  private failure?: { message: string; hostname: boolean };
  private active = false;

  constructor(runtime: GodotRuntime) {
    super(StreamPeerTLSSpec, runtime);
  }

  protected pull(): Uint8Array | undefined {
    this.pump();
    const chunk = this.plaintext.shift();
    if (chunk) {
      this.plaintextBytes -= chunk.length;
      if (this.tls?.isPaused() && this.plaintextBytes < this.runtime.limits.maxBufferedBytes) this.tls.resume();
    }
    return chunk;
  }

  readError(): number {
    return this.status === TlsStatus.STATUS_CONNECTED ? ErrorCode.OK : ErrorCode.ERR_UNCONFIGURED;
  }

  mayReceiveMore(): boolean {
    this.pump();
    return this.status === TlsStatus.STATUS_CONNECTED && !this.peerClosed;
  }

  writeBytes(data: Uint8Array, ctx: CallContext): number {
    if (this.status !== TlsStatus.STATUS_CONNECTED || !this.tls) {
      ctx.warn(`StreamPeerTLS: cannot write, the session is not connected (status ${TLS_STATUS_NAMES[this.status]}); poll() until STATUS_CONNECTED.`);
      return ErrorCode.ERR_UNCONFIGURED;
    }
    this.tls.write(data);
    return ErrorCode.OK;
  }

  private startSession(stream: StreamPeerObject): Duplex {
    this.stream = stream;
    this.status = TlsStatus.STATUS_HANDSHAKING;
    this.failure = undefined;
    this.peerClosed = false;
    const duplex = new Duplex({
      read() {},
      write: (chunk: Buffer, _encoding, callback) => {
        this.outbound.push(new Uint8Array(chunk));
        this.flush();
        callback();
      },
    });
    this.duplex = duplex;
    this.setActive(true);
    return duplex;
  }

  private listen(tls: TLSSocket, secureEvent: 'secure' | 'secureConnect'): void {
    this.tls = tls;
    tls.on(secureEvent, () => {
      if (this.status === TlsStatus.STATUS_HANDSHAKING) this.status = TlsStatus.STATUS_CONNECTED;
    });
    tls.on('data', (chunk: Buffer) => {
      this.plaintext.push(new Uint8Array(chunk));
      this.plaintextBytes += chunk.length;
      if (this.plaintextBytes >= this.runtime.limits.maxBufferedBytes) tls.pause();
    });
    tls.on('end', () => {
      this.peerClosed = true;
    });
    tls.on('error', (error: Error & { code?: string }) => {
      const hostname = HOSTNAME_ERRORS.has(error.code ?? '');
      this.failure = { message: error.message, hostname };
      if (this.status === TlsStatus.STATUS_HANDSHAKING || this.status === TlsStatus.STATUS_CONNECTED) {
        this.status = hostname ? TlsStatus.STATUS_ERROR_HOSTNAME_MISMATCH : TlsStatus.STATUS_ERROR;
        this.runtime.warn(`StreamPeerTLS: ${error.message}`);
      }
      this.cleanup(false);
    });
  }

  connectClient(stream: StreamPeerObject, commonName: string, options: TLSOptions): void {
    const duplex = this.startSession(stream);
    const name = options.commonNameOverride || commonName;
    const trusted = options.trustedChain?.pem();
    const settings: ConnectionOptions = { socket: duplex, servername: /^[\d.]+$|:/.test(name) ? undefined : name, minVersion: 'TLSv1.2' };
    if (options.mode === 'client_unsafe') {
      settings.rejectUnauthorized = trusted !== undefined;
      if (trusted) settings.ca = trusted;
      settings.checkServerIdentity = () => undefined;
    } else {
      settings.rejectUnauthorized = true;
      if (trusted) settings.ca = trusted;
      settings.checkServerIdentity = (_host, cert) => {
        // Node's own check, against the name Godot checks (common_name_override or the common name given).
        return checkIdentity(name, cert);
      };
    }
    this.listen(tlsConnect(settings), 'secureConnect');
  }

  acceptServer(stream: StreamPeerObject, options: TLSOptions): void {
    const duplex = this.startSession(stream);
    const context = createSecureContext({ key: options.key!.keyPem, cert: options.certificate!.pem(), minVersion: 'TLSv1.2' });
    this.listen(new TLSSocket(duplex, { isServer: true, secureContext: context }), 'secure');
  }

  /** Moves ciphertext between TLS and the underlying stream. */
  pump(): void {
    const stream = this.stream;
    const duplex = this.duplex;
    if (!stream || !duplex) return;
    if (stream instanceof StreamPeerTCP && stream.status === TcpStatus.STATUS_CONNECTING) stream.poll();
    this.flush();
    const available = stream.buffered();
    if (available > 0) duplex.push(Buffer.from(stream.consume(available)));
    else if (!stream.mayReceiveMore() && stream.readError() === ErrorCode.OK) duplex.push(null);
  }

  private flush(): void {
    const stream = this.stream;
    if (!stream || stream.readError() !== ErrorCode.OK) return;
    while (this.outbound.length > 0) {
      const chunk = this.outbound.shift()!;
      if (stream.writeBytes(chunk, this.runtime.detachedContext()) !== ErrorCode.OK) break;
    }
  }

  /** The status after feeding TLS what arrived. */
  poll(): void {
    this.pump();
    if (this.status === TlsStatus.STATUS_CONNECTED && this.peerClosed && this.plaintextBytes === 0) this.disconnect(false);
    const stream = this.stream;
    if (stream instanceof StreamPeerTCP && (this.status === TlsStatus.STATUS_HANDSHAKING || this.status === TlsStatus.STATUS_CONNECTED)) {
      if (stream.status === TcpStatus.STATUS_ERROR || (stream.status === TcpStatus.STATUS_NONE && this.plaintextBytes === 0)) {
        this.status = this.status === TlsStatus.STATUS_HANDSHAKING ? TlsStatus.STATUS_ERROR : TlsStatus.STATUS_DISCONNECTED;
        this.cleanup(false);
      }
    }
  }

  disconnect(notify: boolean): void {
    if (notify && this.tls && this.status === TlsStatus.STATUS_CONNECTED) this.tls.end();
    this.status = TlsStatus.STATUS_DISCONNECTED;
    this.cleanup(notify);
  }

  private cleanup(graceful: boolean): void {
    const tls = this.tls;
    if (tls && !graceful) tls.destroy();
    this.setActive(false);
    if (!graceful) {
      this.tls = undefined;
      this.duplex = undefined;
    }
  }

  private readonly release = () => this.cleanup(false);

  private setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    backgroundWork.sessions += active ? 1 : -1;
    if (active) this.runtime.cleanups.add(this.release);
    else this.runtime.cleanups.delete(this.release);
  }

  get failureMessage(): string | undefined {
    return this.failure?.message;
  }
}

function checkIdentity(name: string, cert: Parameters<NonNullable<ConnectionOptions['checkServerIdentity']>>[1]): Error | undefined {
  return checkServerIdentity(name, cert);
}

export const StreamPeerTLSSpec: ClassSpec<StreamPeerTLS> = {
  name: 'StreamPeerTLS',
  inherits: StreamPeerSpec,
  godot3: { godot3: 'StreamPeerSSL', godot4: 'StreamPeerTLS' },
  description:
    'TLS over another StreamPeer (usually a connected StreamPeerTCP): connect_to_stream() as a client, accept_stream() as a server, then poll() until STATUS_CONNECTED. The lab runs it on Node\'s TLS.',
  enums: {
    Status: enumOf('The states of a TLS session.', [
      ['STATUS_DISCONNECTED', 0, 'Not connected.'],
      ['STATUS_HANDSHAKING', 1, 'The handshake is in progress: keep calling poll().'],
      ['STATUS_CONNECTED', 2, 'Connected.'],
      ['STATUS_ERROR', 3, 'The session failed.'],
      ['STATUS_ERROR_HOSTNAME_MISMATCH', 4, 'The certificate is valid but not for the host name that was asked for.'],
    ]),
  },
  removed: {
    set_blocking_handshake_enabled: { godot3: 'blocking_handshake = true', godot4: 'poll() until get_status() is STATUS_CONNECTED', description: 'Removed in Godot 4: the handshake never blocks.' },
    is_blocking_handshake_enabled: { godot3: 'blocking_handshake', godot4: 'poll() until get_status() is STATUS_CONNECTED', description: 'Removed in Godot 4.' },
  },
  construct: (runtime) => new StreamPeerTLS(runtime),
  methods: {
    accept_stream: {
      params: [param('stream', 'StreamPeer'), param('server_options', 'TLSOptions')],
      returns: 'Error',
      description: 'Starts the handshake as the server over the stream, with TLSOptions.server(key, certificate).',
      godot3: { godot3: 'accept_stream(stream, private_key, certificate, chain)', godot4: 'accept_stream(stream, TLSOptions.server(private_key, certificate))' },
      call(self, [stream, options], ctx) {
        const tls = options as TLSOptions | null;
        if (stream === null) {
          ctx.warn('StreamPeerTLS.accept_stream: the stream is null.');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        if (!tls || tls.mode !== 'server' || !tls.key || !tls.certificate) {
          ctx.warn('StreamPeerTLS.accept_stream: pass TLSOptions.server(key, certificate).');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        if (self.status === TlsStatus.STATUS_HANDSHAKING || self.status === TlsStatus.STATUS_CONNECTED) {
          ctx.warn('StreamPeerTLS.accept_stream: already in use; call disconnect_from_stream() first.');
          return int(ErrorCode.ERR_ALREADY_IN_USE);
        }
        self.acceptServer(stream as StreamPeerObject, tls);
        return int(ErrorCode.OK);
      },
    },
    connect_to_stream: {
      params: [param('stream', 'StreamPeer'), param('common_name', 'String'), opt('client_options', 'TLSOptions', null)],
      returns: 'Error',
      description:
        'Starts the handshake as the client over the stream. The certificate is checked against common_name as client_options say (TLSOptions.client() by default).',
      godot3: {
        godot3: 'connect_to_stream(stream, validate_certs, for_hostname, valid_certificate)',
        godot4: 'connect_to_stream(stream, for_hostname, TLSOptions.client(valid_certificate)) (or TLSOptions.client_unsafe())',
      },
      call(self, [stream, commonName, options], ctx) {
        if (stream === null) {
          ctx.warn('StreamPeerTLS.connect_to_stream: the stream is null.');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const tls = clientOptionsFor('StreamPeerTLS.connect_to_stream', options as TLSOptions | null, self.runtime, ctx);
        if (!tls) return int(ErrorCode.ERR_INVALID_PARAMETER);
        if (self.status === TlsStatus.STATUS_HANDSHAKING || self.status === TlsStatus.STATUS_CONNECTED) {
          ctx.warn('StreamPeerTLS.connect_to_stream: already in use; call disconnect_from_stream() first.');
          return int(ErrorCode.ERR_ALREADY_IN_USE);
        }
        self.connectClient(stream as StreamPeerObject, String(commonName), tls);
        return int(ErrorCode.OK);
      },
    },
    disconnect_from_stream: {
      params: [],
      returns: 'void',
      description: 'Ends the session (sends close_notify when connected).',
      call(self) {
        self.disconnect(true);
        return null;
      },
    },
    get_status: { params: [], returns: 'StreamPeerTLS.Status', const: true, description: 'The state of the session (see Status).', call: (self) => int(self.status) },
    get_stream: { params: [], returns: 'StreamPeer', const: true, description: 'The underlying stream.', call: (self) => self.stream ?? null },
    poll: {
      params: [],
      returns: 'void',
      description: 'Feeds what arrived on the underlying stream to TLS and updates the status. Call it often.',
      call(self) {
        self.poll();
        return new Suspend('yield', 0);
      },
    },
  },
};
