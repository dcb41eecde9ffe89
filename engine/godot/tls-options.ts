// TLSOptions: how a DTLS client verifies its server (client / client_unsafe) or what a server presents.

import { ScriptError } from '../gdscript/host';
import type { CertificateVerification } from '../dtls';
import { GodotObject, type ClassSpec } from './method-table';
import type { CryptoKey } from './crypto-key';
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

export const TLSOptionsSpec: ClassSpec<TLSOptions> = {
  name: 'TLSOptions',
  methods: {
    is_server: { params: [], returns: 'bool', call: (self) => self.mode === 'server' },
    is_unsafe_client: { params: [], returns: 'bool', call: (self) => self.mode === 'client_unsafe' },
    get_common_name_override: { params: [], returns: 'String', call: (self) => self.commonNameOverride },
    get_trusted_ca_chain: { params: [], returns: 'X509Certificate', call: (self) => self.trustedChain },
    get_private_key: { params: [], returns: 'CryptoKey', call: (self) => self.key },
    get_own_certificate: { params: [], returns: 'X509Certificate', call: (self) => self.certificate },
  },
  statics: {
    client: {
      params: [
        { name: 'trusted_chain', type: 'X509Certificate', default: () => null },
        { name: 'common_name_override', type: 'String', default: () => '' },
      ],
      returns: 'TLSOptions',
      call: (runtime, [chain, override]) => new TLSOptions(runtime, 'client', chain as X509Certificate | null, String(override)),
    },
    client_unsafe: {
      params: [{ name: 'trusted_chain', type: 'X509Certificate', default: () => null }],
      returns: 'TLSOptions',
      call: (runtime, [chain]) => new TLSOptions(runtime, 'client_unsafe', chain as X509Certificate | null),
    },
    server: {
      params: [
        { name: 'key', type: 'CryptoKey' },
        { name: 'certificate', type: 'X509Certificate' },
      ],
      returns: 'TLSOptions',
      call(runtime, [key, certificate]) {
        if (key === null || certificate === null) throw new ScriptError('TLSOptions.server() needs a CryptoKey and an X509Certificate, got null.');
        return new TLSOptions(runtime, 'server', null, '', key as CryptoKey, certificate as X509Certificate);
      },
    },
  },
};
