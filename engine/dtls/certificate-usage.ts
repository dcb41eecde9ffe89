// keyUsage and extKeyUsage of a leaf certificate (RFC 5280 §4.2.1.3, §4.2.1.12). All our
// certificate suites are ECDHE: the server's key signs ServerKeyExchange, and a client's key signs
// CertificateVerify. So when keyUsage is present it must have digitalSignature (RFC 5246 §7.4.2,
// RFC 8422 §5.3), and when extKeyUsage is present it must list serverAuth (server certificate) or
// clientAuth (client certificate), or anyExtendedKeyUsage.

import type { X509Certificate } from 'node:crypto';
import { AlertDescription } from './constants';
import { certificateExtensions, decodeOid, children, readTlv } from './der';
import { DtlsFailure } from './failure';

const OID_KEY_USAGE = '2.5.29.15';
const OID_EXT_KEY_USAGE = '2.5.29.37';

/** KeyUsage bits in order (RFC 5280 §4.2.1.3). */
export const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

export const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
export const EKU_ANY = '2.5.29.37.0';

const EKU_NAMES: Record<string, string> = {
  [EKU_SERVER_AUTH]: 'serverAuth',
  [EKU_CLIENT_AUTH]: 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  [EKU_ANY]: 'anyExtendedKeyUsage',
};

export interface CertificateUsage {
  /** Names of the keyUsage bits that are set; undefined when the extension is absent. */
  keyUsage?: string[];
  /** extKeyUsage OIDs (dotted); undefined when the extension is absent. */
  extendedKeyUsage?: string[];
}

/** Reads keyUsage / extKeyUsage from a DER certificate; throws a RangeError on malformed DER. */
export function readCertificateUsage(certificateDer: Buffer): CertificateUsage {
  const usage: CertificateUsage = {};
  for (const extension of certificateExtensions(certificateDer)) {
    if (extension.oid === OID_KEY_USAGE) usage.keyUsage = decodeKeyUsage(extension.value);
    else if (extension.oid === OID_EXT_KEY_USAGE) usage.extendedKeyUsage = decodeExtendedKeyUsage(extension.value);
  }
  return usage;
}

function decodeKeyUsage(value: Buffer): string[] {
  const bitString = readTlv(value, 0);
  if (bitString.tag !== 0x03 || bitString.end - bitString.contentStart < 1) throw new RangeError('keyUsage is not a BIT STRING');
  const bits = value.subarray(bitString.contentStart + 1, bitString.end);
  return KEY_USAGE_NAMES.filter((_name, index) => ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0);
}

function decodeExtendedKeyUsage(value: Buffer): string[] {
  const sequence = readTlv(value, 0);
  if (sequence.tag !== 0x30) throw new RangeError('extKeyUsage is not a SEQUENCE');
  return children(value, sequence).map((oid) => {
    if (oid.tag !== 0x06) throw new RangeError('extKeyUsage holds a non-OID');
    return decodeOid(value.subarray(oid.contentStart, oid.end));
  });
}

export function extendedKeyUsageName(oid: string): string {
  return EKU_NAMES[oid] ?? oid;
}

/**
 * Throws DtlsFailure 'certificate-usage' (alert unsupported_certificate, as OpenSSL sends for a
 * certificate of the wrong purpose) when the leaf may not be used by a TLS `role` to sign.
 */
export function checkLeafUsage(leaf: X509Certificate, role: 'server' | 'client', subject: string): void {
  let usage: CertificateUsage;
  try {
    usage = readCertificateUsage(leaf.raw);
  } catch (error) {
    throw new DtlsFailure('bad-certificate', `${role} certificate (${subject}) has a malformed extension: ${(error as Error).message}`, AlertDescription.BadCertificate);
  }
  const signs = role === 'server' ? 'signing the ServerKeyExchange (all our certificate suites are ECDHE)' : 'signing CertificateVerify';
  if (usage.keyUsage !== undefined && !usage.keyUsage.includes('digitalSignature')) {
    throw new DtlsFailure(
      'certificate-usage',
      `${role} certificate (${subject}) has keyUsage [${usage.keyUsage.join(', ')}] without digitalSignature, which ${signs} needs (RFC 5280 §4.2.1.3)`,
      AlertDescription.UnsupportedCertificate,
    );
  }
  const wanted = role === 'server' ? EKU_SERVER_AUTH : EKU_CLIENT_AUTH;
  if (usage.extendedKeyUsage !== undefined && !usage.extendedKeyUsage.includes(wanted) && !usage.extendedKeyUsage.includes(EKU_ANY)) {
    throw new DtlsFailure(
      'certificate-usage',
      `${role} certificate (${subject}) has extendedKeyUsage [${usage.extendedKeyUsage.map(extendedKeyUsageName).join(', ')}] without ${extendedKeyUsageName(wanted)}, which a TLS ${role} certificate needs (RFC 5280 §4.2.1.12)`,
      AlertDescription.UnsupportedCertificate,
    );
  }
}
