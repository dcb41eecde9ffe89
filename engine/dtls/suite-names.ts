// Names of cipher suites this engine does NOT implement (IANA TLS Cipher Suites registry), so that
// a refusal can say what the peer offered: CBC/HMAC suites, RC4 and NULL suites, and AEAD suites
// with key exchanges or ciphers we lack (static RSA, DHE, CCM, ...).

import { CIPHER_SUITES, hex16 } from './constants';

const OTHER_SUITES: Record<number, string> = {
  0x0000: 'TLS_NULL_WITH_NULL_NULL',
  0x0001: 'TLS_RSA_WITH_NULL_MD5',
  0x0002: 'TLS_RSA_WITH_NULL_SHA',
  0x0004: 'TLS_RSA_WITH_RC4_128_MD5',
  0x0005: 'TLS_RSA_WITH_RC4_128_SHA',
  0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  0x0016: 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA',
  0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA',
  0x0033: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
  0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA',
  0x0039: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA',
  0x003b: 'TLS_RSA_WITH_NULL_SHA256',
  0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256',
  0x003d: 'TLS_RSA_WITH_AES_256_CBC_SHA256',
  0x0041: 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA',
  0x0045: 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA',
  0x0067: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
  0x006b: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
  0x0084: 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA',
  0x0088: 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA',
  0x008c: 'TLS_PSK_WITH_AES_128_CBC_SHA',
  0x008d: 'TLS_PSK_WITH_AES_256_CBC_SHA',
  0x0090: 'TLS_DHE_PSK_WITH_AES_128_CBC_SHA',
  0x0091: 'TLS_DHE_PSK_WITH_AES_256_CBC_SHA',
  0x0094: 'TLS_RSA_PSK_WITH_AES_128_CBC_SHA',
  0x0095: 'TLS_RSA_PSK_WITH_AES_256_CBC_SHA',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
  0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
  0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
  0x00aa: 'TLS_DHE_PSK_WITH_AES_128_GCM_SHA256',
  0x00ab: 'TLS_DHE_PSK_WITH_AES_256_GCM_SHA384',
  0x00ac: 'TLS_RSA_PSK_WITH_AES_128_GCM_SHA256',
  0x00ad: 'TLS_RSA_PSK_WITH_AES_256_GCM_SHA384',
  0x00ae: 'TLS_PSK_WITH_AES_128_CBC_SHA256',
  0x00af: 'TLS_PSK_WITH_AES_256_CBC_SHA384',
  0x00b2: 'TLS_DHE_PSK_WITH_AES_128_CBC_SHA256',
  0x00b3: 'TLS_DHE_PSK_WITH_AES_256_CBC_SHA384',
  0x00b6: 'TLS_RSA_PSK_WITH_AES_128_CBC_SHA256',
  0x00b7: 'TLS_RSA_PSK_WITH_AES_256_CBC_SHA384',
  0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
  0x5600: 'TLS_FALLBACK_SCSV',
  0xc008: 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA',
  0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  0xc012: 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  0xc024: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
  0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  0xc028: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  0xc035: 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA',
  0xc036: 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA',
  0xc037: 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256',
  0xc038: 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384',
  0xc072: 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256',
  0xc073: 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384',
  0xc076: 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256',
  0xc077: 'TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384',
  0xc09c: 'TLS_RSA_WITH_AES_128_CCM',
  0xc09d: 'TLS_RSA_WITH_AES_256_CCM',
  0xc09e: 'TLS_DHE_RSA_WITH_AES_128_CCM',
  0xc09f: 'TLS_DHE_RSA_WITH_AES_256_CCM',
  0xc0a0: 'TLS_RSA_WITH_AES_128_CCM_8',
  0xc0a1: 'TLS_RSA_WITH_AES_256_CCM_8',
  0xc0a4: 'TLS_PSK_WITH_AES_128_CCM',
  0xc0a5: 'TLS_PSK_WITH_AES_256_CCM',
  0xc0a8: 'TLS_PSK_WITH_AES_128_CCM_8',
  0xc0a9: 'TLS_PSK_WITH_AES_256_CCM_8',
  0xc0ac: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM',
  0xc0ad: 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM',
  0xc0ae: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8',
  0xc0af: 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8',
  0xccaa: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  0xccad: 'TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256',
  0xccae: 'TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256',
};

/** Signalling values that share the cipher_suites list but are not suites. */
export const SIGNALLING_SUITES: ReadonlySet<number> = new Set([0x00ff, 0x5600]);

/** IANA name of any suite we know the name of, else the hex code point. */
export function cipherSuiteLabel(code: number): string {
  return CIPHER_SUITES.find((suite) => suite.code === code)?.name ?? OTHER_SUITES[code] ?? hex16(code);
}

/** Code point of a suite name we know but do not implement. */
export function otherSuiteCode(name: string): number | undefined {
  for (const [code, other] of Object.entries(OTHER_SUITES)) if (other === name) return Number(code);
  return undefined;
}

/** 'cbc' for CBC/HMAC suites, 'stream-or-null' for RC4/NULL, 'other' for AEAD suites we lack or unknown codes. */
export function nonAeadKind(code: number): 'cbc' | 'stream-or-null' | 'other' {
  const name = OTHER_SUITES[code];
  if (!name) return 'other';
  if (name.includes('_CBC_')) return 'cbc';
  if (name.includes('_RC4_') || name.includes('_NULL_')) return 'stream-or-null';
  return 'other';
}
