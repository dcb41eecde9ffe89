// Wire constants of DTLS 1.2 (RFC 6347, RFC 5246, RFC 8422, RFC 5288, RFC 7627, RFC 5746).

export const DTLS_1_0 = 0xfeff;
export const DTLS_1_2 = 0xfefd;

export const RECORD_HEADER_LENGTH = 13;
export const HANDSHAKE_HEADER_LENGTH = 12;
/** Explicit nonce (8) plus GCM tag (16) added by AES-GCM record protection. */
export const AEAD_OVERHEAD = 24;
export const MAX_PLAINTEXT_LENGTH = 16384;

export enum ContentType {
  ChangeCipherSpec = 20,
  Alert = 21,
  Handshake = 22,
  ApplicationData = 23,
}

export enum HandshakeType {
  HelloRequest = 0,
  ClientHello = 1,
  ServerHello = 2,
  HelloVerifyRequest = 3,
  NewSessionTicket = 4,
  Certificate = 11,
  ServerKeyExchange = 12,
  CertificateRequest = 13,
  ServerHelloDone = 14,
  CertificateVerify = 15,
  ClientKeyExchange = 16,
  Finished = 20,
}

const handshakeNames: Record<number, string> = {
  0: 'HelloRequest',
  1: 'ClientHello',
  2: 'ServerHello',
  3: 'HelloVerifyRequest',
  4: 'NewSessionTicket',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  13: 'CertificateRequest',
  14: 'ServerHelloDone',
  15: 'CertificateVerify',
  16: 'ClientKeyExchange',
  20: 'Finished',
};

export function handshakeName(type: number): string {
  return handshakeNames[type] ?? `Handshake(${type})`;
}

export const CHANGE_CIPHER_SPEC_NAME = 'ChangeCipherSpec';

export enum AlertLevel {
  Warning = 1,
  Fatal = 2,
}

export enum AlertDescription {
  CloseNotify = 0,
  UnexpectedMessage = 10,
  BadRecordMac = 20,
  RecordOverflow = 22,
  HandshakeFailure = 40,
  BadCertificate = 42,
  UnsupportedCertificate = 43,
  CertificateRevoked = 44,
  CertificateExpired = 45,
  CertificateUnknown = 46,
  IllegalParameter = 47,
  UnknownCa = 48,
  AccessDenied = 49,
  DecodeError = 50,
  DecryptError = 51,
  ProtocolVersion = 70,
  InsufficientSecurity = 71,
  InternalError = 80,
  UserCanceled = 90,
  NoRenegotiation = 100,
  UnsupportedExtension = 110,
  UnrecognizedName = 112,
}

const alertNames: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  110: 'unsupported_extension',
  111: 'certificate_unobtainable',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  115: 'unknown_psk_identity',
  120: 'no_application_protocol',
};

export function alertName(code: number): string {
  return alertNames[code] ?? `alert(${code})`;
}

export enum ExtensionType {
  ServerName = 0,
  SupportedGroups = 10,
  EcPointFormats = 11,
  SignatureAlgorithms = 13,
  EncryptThenMac = 22,
  ExtendedMasterSecret = 23,
  SessionTicket = 35,
  RenegotiationInfo = 0xff01,
}

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3). */
export const EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;

export interface CipherSuiteInfo {
  code: number;
  name: string;
  /** Key type the server certificate must have. */
  authentication: 'ec' | 'rsa';
  keyLength: number;
  fixedIvLength: number;
  hash: 'sha256';
}

export const CIPHER_SUITES: readonly CipherSuiteInfo[] = [
  { code: 0xc02b, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', authentication: 'ec', keyLength: 16, fixedIvLength: 4, hash: 'sha256' },
  { code: 0xc02f, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', authentication: 'rsa', keyLength: 16, fixedIvLength: 4, hash: 'sha256' },
];

export function cipherSuiteByCode(code: number): CipherSuiteInfo | undefined {
  return CIPHER_SUITES.find((suite) => suite.code === code);
}

export function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

export enum NamedGroup {
  Secp256r1 = 23,
  X25519 = 29,
}

export type GroupName = 'x25519' | 'secp256r1';

export function groupName(code: number): string {
  if (code === NamedGroup.X25519) return 'x25519';
  if (code === NamedGroup.Secp256r1) return 'secp256r1';
  return `group(${code})`;
}

export function groupCodes(names: readonly GroupName[] | undefined): NamedGroup[] {
  if (!names || names.length === 0) return [...SUPPORTED_GROUPS];
  return names.map((name) => (name === 'x25519' ? NamedGroup.X25519 : NamedGroup.Secp256r1));
}

/** Our preference order, used by the client's offer and the server's choice. */
export const SUPPORTED_GROUPS: readonly NamedGroup[] = [NamedGroup.X25519, NamedGroup.Secp256r1];

export const EC_POINT_FORMAT_UNCOMPRESSED = 0;
export const EC_CURVE_TYPE_NAMED_CURVE = 3;
export const COMPRESSION_NULL = 0;
