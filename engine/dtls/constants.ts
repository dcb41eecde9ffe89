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
  UnknownPskIdentity = 115,
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
  109: 'missing_extension',
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

/**
 * What each alert says, in plain words (RFC 5246 §7.2, RFC 7507, RFC 5746, RFC 8446 §6.2, RFC 6066,
 * RFC 4279, RFC 7301). `{who}` stands for the side that sent it.
 */
const alertMeanings: Record<number, string> = {
  0: '{who} closed the session normally',
  10: '{who} received a message it did not expect at this point of the protocol',
  20: '{who} received a record it could not authenticate (the two sides use different keys, or the record was altered)',
  21: '{who} could not decrypt a record (a TLS 1.0 code that must no longer be sent)',
  22: '{who} received a record longer than the limit',
  30: '{who} could not decompress a record',
  40: 'no acceptable set of security parameters (suite, group, signature) could be agreed',
  41: '{who} has no certificate to send (an SSL 3.0 code that must no longer be sent)',
  42: '{who} rejected the certificate it was given',
  43: '{who} does not support that kind of certificate, or its key usage does not allow this use',
  44: '{who} was told the certificate has been revoked by its signer',
  45: '{who} found the certificate expired or not yet valid',
  46: '{who} could not accept the certificate for some other reason',
  47: '{who} received a field that is out of range or inconsistent with other fields',
  48: "the certificate's issuer is not trusted by {who}",
  49: '{who} accepted the certificate but refuses access',
  50: '{who} could not decode a message (a length or field is wrong)',
  51: 'a signature or Finished check failed',
  60: 'the negotiation broke export restrictions (an obsolete code that must no longer be sent)',
  70: '{who} does not support the protocol version that was offered',
  71: '{who} requires more secure parameters than were offered',
  80: '{who} hit an internal error unrelated to the other side or the protocol',
  86: '{who} saw a fallback to an older protocol version that the other side did not need (RFC 7507)',
  90: '{who} canceled the handshake for a reason unrelated to the protocol',
  100: '{who} refuses to renegotiate',
  109: '{who} expected an extension that was not sent',
  110: '{who} received an extension that was not offered or is not allowed in that message',
  111: '{who} could not fetch a certificate from the URL it was given (RFC 6066)',
  112: '{who} does not serve the host name asked for in server_name',
  113: '{who} received an invalid certificate status (OCSP) response',
  115: '{who} does not know the PSK identity it was given',
  120: '{who} supports none of the application protocols (ALPN) offered',
};

/** Plain-language meaning of an alert; `received` alerts speak of "the peer", sent ones of "this endpoint". */
export function alertMeaning(code: number, direction: 'sent' | 'received'): string {
  const who = direction === 'received' ? 'the peer' : 'this endpoint';
  const template = alertMeanings[code] ?? `{who} sent alert code ${code}, which this engine does not know`;
  return template.replace(/\{who\}/g, who);
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

export type KeyExchangeAlgorithm = 'ecdhe_ecdsa' | 'ecdhe_rsa' | 'psk' | 'ecdhe_psk';
export type BulkCipher = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

export interface CipherSuiteInfo {
  code: number;
  /** IANA name. */
  name: string;
  keyExchange: KeyExchangeAlgorithm;
  /** Key type the server certificate must have; 'psk' for suites without certificates (RFC 4279, RFC 5489). */
  authentication: 'ec' | 'rsa' | 'psk';
  /** Whether the key exchange includes an ephemeral ECDH share (ServerKeyExchange carries ECDH params). */
  ecdhe: boolean;
  cipher: BulkCipher;
  keyLength: number;
  /** Implicit IV bytes from the key block: 4 for AES-GCM (salt), 12 for ChaCha20-Poly1305. */
  fixedIvLength: number;
  /** Explicit nonce bytes in each record: 8 for AES-GCM, 0 for ChaCha20-Poly1305. */
  recordIvLength: number;
  /** Hash of the PRF, the transcript and the Finished computation. */
  hash: 'sha256' | 'sha384';
}

function suite(code: number, name: string, keyExchange: KeyExchangeAlgorithm, cipher: BulkCipher, hash: 'sha256' | 'sha384'): CipherSuiteInfo {
  const authentication = keyExchange === 'ecdhe_ecdsa' ? 'ec' : keyExchange === 'ecdhe_rsa' ? 'rsa' : 'psk';
  const chacha = cipher === 'chacha20-poly1305';
  return {
    code,
    name,
    keyExchange,
    authentication,
    ecdhe: keyExchange !== 'psk',
    cipher,
    keyLength: cipher === 'aes-128-gcm' ? 16 : 32,
    fixedIvLength: chacha ? 12 : 4,
    recordIvLength: chacha ? 0 : 8,
    hash,
  };
}

/**
 * Every suite this engine implements, in its default preference order (RFC 5289, RFC 7905,
 * RFC 4279/RFC 5487, RFC 5489/RFC 8442). AEAD only.
 */
export const CIPHER_SUITES: readonly CipherSuiteInfo[] = [
  suite(0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ecdhe_ecdsa', 'aes-128-gcm', 'sha256'),
  suite(0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ecdhe_rsa', 'aes-128-gcm', 'sha256'),
  suite(0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ecdhe_ecdsa', 'aes-256-gcm', 'sha384'),
  suite(0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ecdhe_rsa', 'aes-256-gcm', 'sha384'),
  suite(0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ecdhe_ecdsa', 'chacha20-poly1305', 'sha256'),
  suite(0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ecdhe_rsa', 'chacha20-poly1305', 'sha256'),
  suite(0xd001, 'TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256', 'ecdhe_psk', 'aes-128-gcm', 'sha256'),
  suite(0xd002, 'TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384', 'ecdhe_psk', 'aes-256-gcm', 'sha384'),
  suite(0xccac, 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256', 'ecdhe_psk', 'chacha20-poly1305', 'sha256'),
  suite(0x00a8, 'TLS_PSK_WITH_AES_128_GCM_SHA256', 'psk', 'aes-128-gcm', 'sha256'),
  suite(0x00a9, 'TLS_PSK_WITH_AES_256_GCM_SHA384', 'psk', 'aes-256-gcm', 'sha384'),
  suite(0xccab, 'TLS_PSK_WITH_CHACHA20_POLY1305_SHA256', 'psk', 'chacha20-poly1305', 'sha256'),
];

export function cipherSuiteByName(name: string): CipherSuiteInfo | undefined {
  return CIPHER_SUITES.find((candidate) => candidate.name === name);
}

export function cipherSuiteByCode(code: number): CipherSuiteInfo | undefined {
  return CIPHER_SUITES.find((suite) => suite.code === code);
}

export function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

export enum NamedGroup {
  Secp256r1 = 23,
  Secp384r1 = 24,
  Secp521r1 = 25,
  X25519 = 29,
}

export type GroupName = 'x25519' | 'secp256r1' | 'secp384r1' | 'secp521r1';

const GROUP_CODES: Record<GroupName, NamedGroup> = {
  x25519: NamedGroup.X25519,
  secp256r1: NamedGroup.Secp256r1,
  secp384r1: NamedGroup.Secp384r1,
  secp521r1: NamedGroup.Secp521r1,
};

export function groupName(code: number): string {
  for (const [name, value] of Object.entries(GROUP_CODES)) if (value === code) return name;
  return `group(${code})`;
}

/** Code points for group names (default: SUPPORTED_GROUPS). Throws a RangeError on an unknown name. */
export function groupCodes(names: readonly GroupName[] | undefined): NamedGroup[] {
  if (!names || names.length === 0) return [...SUPPORTED_GROUPS];
  return names.map((name) => {
    const code = GROUP_CODES[name];
    if (code === undefined) throw new RangeError(`unknown group '${String(name)}' (supported: ${Object.keys(GROUP_CODES).join(', ')})`);
    return code;
  });
}

/** Our preference order, used by the client's offer and the server's choice. */
export const SUPPORTED_GROUPS: readonly NamedGroup[] = [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.Secp521r1];

export const EC_POINT_FORMAT_UNCOMPRESSED = 0;
export const EC_CURVE_TYPE_NAMED_CURVE = 3;
export const COMPRESSION_NULL = 0;
