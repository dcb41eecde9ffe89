// GnuTLS priority strings and the CA-signed test chain shared by the GnuTLS interop tests.

import { makeRsaCertificate, type Credentials } from '../unit/dtls-helpers';

/** GnuTLS defaults, DTLS 1.2 only. */
export const DTLS12 = 'NORMAL:-VERS-ALL:+VERS-DTLS1.2';

/** A priority string that allows exactly one key exchange and cipher (and group, when given). */
export function pinned(kx: 'ECDHE-RSA' | 'ECDHE-ECDSA', cipher: 'AES-128-GCM' | 'AES-256-GCM' | 'CHACHA20-POLY1305', group?: string): string {
  return `${DTLS12}:-KX-ALL:+${kx}:-CIPHER-ALL:+${cipher}${group ? `:-GROUP-ALL:+GROUP-${group}` : ''}`;
}

let chainCache: { server: Credentials; ca: Credentials } | undefined;
/** A leaf for localhost signed by a test CA: the server presents leaf + CA, the peer trusts only the CA. */
export function caSignedChain(): { server: Credentials; ca: Credentials } {
  if (!chainCache) {
    const ca = makeRsaCertificate({ commonName: 'DTLS Lab Test CA', isCa: true });
    const leaf = makeRsaCertificate({ issuer: ca });
    chainCache = { ca, server: { certificatePem: leaf.certificatePem + ca.certificatePem, privateKeyPem: leaf.privateKeyPem } };
  }
  return chainCache;
}
