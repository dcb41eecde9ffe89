// TLSOptions: how a (D)TLS client verifies its server (client / client_unsafe) or what a server presents.

import { ScriptError, type CallContext } from '../gdscript/host';
import type { CertificateVerification } from '../dtls';
import { GodotObject, opt, param, type ClassSpec } from './method-table';
import type { CryptoKey } from './crypto-key';
import { RefCountedSpec } from './object';
import type { GodotRuntime } from './runtime';
import type { X509Certificate } from './x509-certificate';

export type TlsOptionsMode = 'client' | 'client_unsafe' | 'server';

export class TLSOptions extends GodotObject {
  constructor(
    runtime: GodotRuntime,
    readonly mode: TlsOptionsMode,
    readonly trustedChain: X509Certificate | null = null,
    readonly commonNameOverride = '',
    readonly key: CryptoKey | null = null,
    readonly certificate: X509Certificate | null = null,
  ) {
    super(TLSOptionsSpec, runtime);
  }

  /** How the client checks the server: Godot's rules for client() and client_unsafe(). */
  verification(hostname: string): CertificateVerification {
    if (this.mode === 'client_unsafe')
      return this.trustedChain ? { mode: 'chain', trustedCaPems: [this.trustedChain.pem()] } : { mode: 'none' };
    const name = this.commonNameOverride || hostname;
    return { mode: 'chain', trustedCaPems: this.trustedChain ? [this.trustedChain.pem()] : 'system', hostname: name };
  }
}

/**
 * The client options a client call was given (`client_options`, TLSOptions.client() when null), or
 * undefined after a warning naming `method` when they are server options (the caller returns
 * ERR_INVALID_PARAMETER).
 */
export function clientOptionsFor(method: string, options: TLSOptions | null, runtime: GodotRuntime, ctx: CallContext): TLSOptions | undefined {
  const tls = options ?? new TLSOptions(runtime, 'client');
  if (tls.mode !== 'server') return tls;
  ctx.warn(`${method}: these are server options; use TLSOptions.client() or client_unsafe().`);
  return undefined;
}

export const TLSOptionsSpec: ClassSpec<TLSOptions> = {
  name: 'TLSOptions',
  inherits: RefCountedSpec,
  description:
    'The TLS/DTLS configuration of one side, made by one of the static constructors: client() (verify the server), client_unsafe() (no verification) or server(key, certificate).',
  methods: {
    is_server: { params: [], returns: 'bool', const: true, description: 'Whether these are server options (made by server()).', call: (self) => self.mode === 'server' },
    is_unsafe_client: {
      params: [],
      returns: 'bool',
      const: true,
      description: 'Whether these are client options that skip verification (made by client_unsafe()).',
      call: (self) => self.mode === 'client_unsafe',
    },
    get_common_name_override: {
      params: [],
      returns: 'String',
      const: true,
      description: 'The name a client checks the certificate against instead of the host name, if set.',
      call: (self) => self.commonNameOverride,
    },
    get_trusted_ca_chain: {
      params: [],
      returns: 'X509Certificate',
      const: true,
      description: 'The CA certificates a client trusts (null: the system\'s CAs).',
      call: (self) => self.trustedChain,
    },
    get_private_key: { params: [], returns: 'CryptoKey', const: true, description: "The server's private key.", call: (self) => self.key },
    get_own_certificate: { params: [], returns: 'X509Certificate', const: true, description: "The server's certificate.", call: (self) => self.certificate },
  },
  statics: {
    client: {
      params: [opt('trusted_chain', 'X509Certificate', null), opt('common_name_override', 'String', '')],
      returns: 'TLSOptions',
      description:
        'Client options that verify the server: its certificate must chain to trusted_chain (or a system CA when null) and match the host name (or common_name_override).',
      godot3: { godot3: 'validate_certs = true, valid_certificate = cert', godot4: 'TLSOptions.client(cert)' },
      call: (runtime, [chain, override]) => new TLSOptions(runtime, 'client', chain as X509Certificate | null, String(override)),
    },
    client_unsafe: {
      params: [opt('trusted_chain', 'X509Certificate', null)],
      returns: 'TLSOptions',
      description: 'Client options that do not verify the server (only for testing): without trusted_chain any certificate is accepted and the host name is never checked.',
      godot3: { godot3: 'validate_certs = false', godot4: 'TLSOptions.client_unsafe()' },
      call: (runtime, [chain]) => new TLSOptions(runtime, 'client_unsafe', chain as X509Certificate | null),
    },
    server: {
      params: [param('key', 'CryptoKey'), param('certificate', 'X509Certificate')],
      returns: 'TLSOptions',
      description: 'Server options: the private key and the certificate (chain) the server presents.',
      godot3: { godot3: 'setup(key, cert, chain) / accept_stream(stream, key, cert, chain)', godot4: 'TLSOptions.server(key, cert)' },
      call(runtime, [key, certificate]) {
        if (key === null || certificate === null) throw new ScriptError('TLSOptions.server() needs a CryptoKey and an X509Certificate, got null.');
        return new TLSOptions(runtime, 'server', null, '', key as CryptoKey, certificate as X509Certificate);
      },
    },
  },
};
