// Client certificate authentication (RFC 5246 §7.4.4, §7.4.6, §7.4.8): the server's
// CertificateRequest, the client's CertificateVerify (a signature over all handshake messages so
// far), and the server's check of the client's chain with the same rules as the client applies
// to the server's (trust anchors, validity dates; no host name).

import { X509Certificate } from 'node:crypto';
import { ByteReader, ByteWriter } from './bytes';
import { checkServerCertificate } from './certificate-check';
import { DtlsFailure } from './failure';

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

interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(der: Buffer, offset: number): Tlv {
  const tag = der[offset];
  let lengthByte = der[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new RangeError('truncated DER');
  let length = lengthByte;
  let contentStart = offset + 2;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new RangeError('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = der[offset + 2 + i];
      if (lengthByte === undefined) throw new RangeError('truncated DER');
      length = length * 256 + lengthByte;
    }
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > der.length) throw new RangeError('truncated DER');
  return { tag, start: offset, contentStart, end };
}

/** The encoded subject Name of an X.509 certificate (RFC 5280 §4.1), or undefined. */
export function subjectDer(certificateDer: Buffer): Buffer | undefined {
  try {
    const certificate = readTlv(certificateDer, 0);
    const tbs = readTlv(certificateDer, certificate.contentStart);
    let field = readTlv(certificateDer, tbs.contentStart);
    if (field.tag === 0xa0) field = readTlv(certificateDer, field.end); // [0] version
    // serialNumber, signature, issuer, validity, subject
    for (let i = 0; i < 4; i++) field = readTlv(certificateDer, field.end);
    if (field.tag !== 0x30) return undefined;
    return Buffer.from(certificateDer.subarray(field.start, field.end));
  } catch {
    return undefined;
  }
}

/**
 * Checks the client's chain (leaf first) against the trusted CAs. Returns the leaf; throws
 * DtlsFailure with the same kinds and alerts as the client's check of a server certificate.
 */
export function checkClientCertificate(chainDer: Buffer[], options: ClientCertificateRequestOptions): X509Certificate {
  try {
    return checkServerCertificate(chainDer, { mode: 'chain', trustedCaPems: options.trustedCaPems, ...(options.at ? { at: options.at } : {}) });
  } catch (error) {
    if (error instanceof DtlsFailure) {
      throw new DtlsFailure(error.kind, error.message.replace(/server certificate/g, 'client certificate').replace(/^server sent/, 'client sent'), error.alert);
    }
    throw error;
  }
}
