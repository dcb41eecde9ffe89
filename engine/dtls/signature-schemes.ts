// Signature schemes for ServerKeyExchange (RFC 5246 §7.4.1.4.1, RFC 8446 §4.2.3 code points for
// RSA-PSS which TLS 1.2 uses too): which we offer, how the server picks one, and sign/verify with
// Node's crypto.

import { constants, sign, verify, type KeyObject } from 'node:crypto';

export interface SignatureScheme {
  code: number;
  name: string;
  keyType: 'ec' | 'rsa';
  hash: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  padding: 'ecdsa' | 'pkcs1' | 'pss';
}

const SCHEMES: readonly SignatureScheme[] = [
  { code: 0x0403, name: 'ecdsa_secp256r1_sha256', keyType: 'ec', hash: 'sha256', padding: 'ecdsa' },
  { code: 0x0503, name: 'ecdsa_secp384r1_sha384', keyType: 'ec', hash: 'sha384', padding: 'ecdsa' },
  { code: 0x0603, name: 'ecdsa_secp521r1_sha512', keyType: 'ec', hash: 'sha512', padding: 'ecdsa' },
  { code: 0x0804, name: 'rsa_pss_rsae_sha256', keyType: 'rsa', hash: 'sha256', padding: 'pss' },
  { code: 0x0805, name: 'rsa_pss_rsae_sha384', keyType: 'rsa', hash: 'sha384', padding: 'pss' },
  { code: 0x0806, name: 'rsa_pss_rsae_sha512', keyType: 'rsa', hash: 'sha512', padding: 'pss' },
  { code: 0x0401, name: 'rsa_pkcs1_sha256', keyType: 'rsa', hash: 'sha256', padding: 'pkcs1' },
  { code: 0x0501, name: 'rsa_pkcs1_sha384', keyType: 'rsa', hash: 'sha384', padding: 'pkcs1' },
  { code: 0x0601, name: 'rsa_pkcs1_sha512', keyType: 'rsa', hash: 'sha512', padding: 'pkcs1' },
  // Implied defaults when a client sends no signature_algorithms (RFC 5246 §7.4.1.4.1); never offered.
  { code: 0x0201, name: 'rsa_pkcs1_sha1', keyType: 'rsa', hash: 'sha1', padding: 'pkcs1' },
  { code: 0x0203, name: 'ecdsa_sha1', keyType: 'ec', hash: 'sha1', padding: 'ecdsa' },
];

/** What our client offers, in preference order (also the server's preference order). */
export const OFFERED_SIGNATURE_SCHEMES: readonly number[] = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601];

export function signatureSchemeByCode(code: number): SignatureScheme | undefined {
  return SCHEMES.find((scheme) => scheme.code === code);
}

export function signatureSchemeName(code: number): string {
  return signatureSchemeByCode(code)?.name ?? `0x${code.toString(16).padStart(4, '0')}`;
}

/**
 * Server side: the scheme to sign ServerKeyExchange with. Without signature_algorithms the
 * RFC 5246 §7.4.1.4.1 defaults apply (SHA-1). Otherwise the first scheme in our preference that the
 * client accepts and our key can make. In TLS 1.2 an ECDSA hash is not tied to the curve, but for an
 * EC key we try the curve's own hash first (P-384 signs with SHA-384, P-521 with SHA-512), as the
 * TLS 1.3 names suggest and strict peers expect.
 */
export function chooseSignatureScheme(
  keyType: 'ec' | 'rsa',
  clientSchemes: number[] | undefined,
  curve?: 'P-256' | 'P-384' | 'P-521',
): SignatureScheme | undefined {
  if (clientSchemes === undefined) {
    return signatureSchemeByCode(keyType === 'ec' ? 0x0203 : 0x0201);
  }
  const order = [...OFFERED_SIGNATURE_SCHEMES];
  const matching = curve === 'P-384' ? 0x0503 : curve === 'P-521' ? 0x0603 : curve === 'P-256' ? 0x0403 : undefined;
  if (keyType === 'ec' && matching !== undefined) order.unshift(matching);
  for (const code of order) {
    const scheme = signatureSchemeByCode(code)!;
    if (scheme.keyType === keyType && clientSchemes.includes(code)) return scheme;
  }
  return undefined;
}

/** The NIST curve of an EC key ('P-256' | 'P-384' | 'P-521'), undefined for other keys and curves. */
export function ecCurveOf(key: KeyObject): 'P-256' | 'P-384' | 'P-521' | undefined {
  if (key.asymmetricKeyType !== 'ec') return undefined;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'prime256v1' || curve === 'P-256') return 'P-256';
  if (curve === 'secp384r1' || curve === 'P-384') return 'P-384';
  if (curve === 'secp521r1' || curve === 'P-521') return 'P-521';
  return undefined;
}

function keyOptions(scheme: SignatureScheme, key: KeyObject) {
  if (scheme.padding === 'pss') {
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  }
  if (scheme.padding === 'pkcs1') return { key, padding: constants.RSA_PKCS1_PADDING };
  return { key, dsaEncoding: 'der' as const };
}

export function signWithScheme(scheme: SignatureScheme, privateKey: KeyObject, data: Buffer): Buffer {
  return sign(scheme.hash, data, keyOptions(scheme, privateKey));
}

export function verifyWithScheme(scheme: SignatureScheme, publicKey: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return verify(scheme.hash, data, keyOptions(scheme, publicKey), signature);
  } catch {
    return false;
  }
}

/** 'ec' | 'rsa' for the key types we can use with our suites, undefined otherwise. */
export function keyTypeOf(key: KeyObject): 'ec' | 'rsa' | undefined {
  if (key.asymmetricKeyType === 'ec') return 'ec';
  if (key.asymmetricKeyType === 'rsa') return 'rsa';
  return undefined;
}
