// Client certificate authentication (RFC 5246 §7.4.4, §7.4.6, §7.4.8): the server's
// CertificateRequest, the client's CertificateVerify (a signature over all handshake messages so
// far), and the server's check of the client's chain with the same rules as the client applies
// to the server's (trust anchors, validity dates; no host name).

import { X509Certificate } from 'node:crypto';
import { ByteReader, ByteWriter } from './bytes';
import { checkServerCertificate } from './certificate-check';
import { subjectDer } from './der';

export { subjectDer };

/** ClientCertificateType values (RFC 5246 §7.4.4, RFC 8422 §5.5). */
export const CLIENT_CERTIFICATE_TYPE_RSA_SIGN = 1;
export const CLIENT_CERTIFICATE_TYPE_ECDSA_SIGN = 64;

export interface ClientCertificateRequestOptions {
  /** CAs whose (chains of) certificates the server accepts: PEM strings, or 'system'. */
  trustedCaPems: string[] | 'system';
  /** true: a client without a certificate fails the handshake; false: it may go on anonymously. */
  required: boolean;
  /** Time used for validity checks (default: now). */
  at?: () => Date;
}

export function encodeCertificateRequest(signatureSchemes: readonly number[], authorities: readonly Buffer[]): Buffer {
  const schemes = new ByteWriter();
  for (const scheme of signatureSchemes) schemes.u16(scheme);
  const names = new ByteWriter();
  for (const name of authorities) names.vector16(name);
  return new ByteWriter()
    .vector8(Buffer.from([CLIENT_CERTIFICATE_TYPE_RSA_SIGN, CLIENT_CERTIFICATE_TYPE_ECDSA_SIGN]))
    .vector16(schemes.toBuffer())
    .vector16(names.toBuffer())
    .toBuffer();
}

export interface CertificateVerify {
  signatureScheme: number;
  signature: Buffer;
}

export function encodeCertificateVerify(signatureScheme: number, signature: Buffer): Buffer {
  return new ByteWriter().u16(signatureScheme).vector16(signature).toBuffer();
}

export function decodeCertificateVerify(body: Buffer): CertificateVerify {
  const reader = new ByteReader(body, 'CertificateVerify');
  const signatureScheme = reader.u16();
  const signature = Buffer.from(reader.vector16(1));
  reader.expectEnd();
  return { signatureScheme, signature };
}

/**
 * The DER subject names of the trusted CAs, for certificate_authorities. Empty for 'system' (too
 * many to list; an empty list lets the client send any certificate) or if a name cannot be read.
 */
export function certificateAuthorityNames(trusted: string[] | 'system'): Buffer[] {
  if (trusted === 'system') return [];
  const cached = authorityNameCache.get(trusted);
  if (cached) return cached;
  const names = readAuthorityNames(trusted);
  authorityNameCache.set(trusted, names);
  return names;
}

const authorityNameCache = new WeakMap<string[], Buffer[]>();

function readAuthorityNames(trusted: string[]): Buffer[] {
  const names: Buffer[] = [];
  for (const pem of trusted.flatMap((text) => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [])) {
    const subject = subjectDer(new X509Certificate(pem).raw);
    if (!subject) return [];
    names.push(subject);
  }
  return names;
}

/**
 * Checks the client's chain (leaf first) against the trusted CAs. Returns the leaf; throws
 * DtlsFailure with the same kinds and alerts as the client's check of a server certificate; the
 * leaf's keyUsage (if present) must allow digitalSignature and its extKeyUsage (if present) must
 * include clientAuth or anyExtendedKeyUsage.
 */
export function checkClientCertificate(chainDer: Buffer[], options: ClientCertificateRequestOptions): X509Certificate {
  return checkServerCertificate(chainDer, { mode: 'chain', trustedCaPems: options.trustedCaPems, ...(options.at ? { at: options.at } : {}) }, 'client');
}
