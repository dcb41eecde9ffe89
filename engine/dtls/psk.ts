// Pre-shared key suites: PSK (RFC 4279 §2) and ECDHE_PSK (RFC 5489 §2, with the AEAD suites of
// RFC 5487, RFC 7905 and RFC 8442). Message bodies and the premaster secret.
//
//   premaster = uint16 len(other_secret) || other_secret || uint16 len(psk) || psk
//   PSK:       other_secret = len(psk) zero bytes
//   ECDHE_PSK: other_secret = the ECDH shared secret
//
//   ServerKeyExchange  PSK:       psk_identity_hint<0..2^16-1>            (may be omitted when empty)
//                      ECDHE_PSK: psk_identity_hint<0..2^16-1> ServerECDHParams (no signature)
//   ClientKeyExchange  PSK:       psk_identity<0..2^16-1>
//                      ECDHE_PSK: psk_identity<0..2^16-1> ECPoint<1..2^8-1>

import { ByteReader, ByteWriter, DecodeError } from './bytes';
import { EC_CURVE_TYPE_NAMED_CURVE } from './constants';

/** Client PSK credentials. Identities are UTF-8 strings (RFC 4279 §5.1) or raw bytes. */
export interface PskClientCredentials {
  identity: string | Uint8Array;
  key: Uint8Array;
}

/** A fixed identity/key, or a function of the server's identity hint ('' when it sent none). */
export type PskClientOption = PskClientCredentials | ((hint: string) => PskClientCredentials | undefined);

/** Server side: the key for an identity, or undefined for an unknown identity (-> unknown_psk_identity). */
export type PskCallback = (identity: string, identityBytes: Buffer) => Uint8Array | undefined;

export const MAX_PSK_LENGTH = 0xffff;

export function identityBytes(identity: string | Uint8Array): Buffer {
  return typeof identity === 'string' ? Buffer.from(identity, 'utf8') : Buffer.from(identity);
}

/** Throws a RangeError when the credentials cannot be used. */
export function checkPskCredentials(credentials: PskClientCredentials): void {
  const identity = identityBytes(credentials.identity);
  if (identity.length > 0xffff) throw new RangeError(`PSK identity is ${identity.length} bytes; at most 65535`);
  if (credentials.key.length === 0 || credentials.key.length > MAX_PSK_LENGTH) {
    throw new RangeError(`PSK key must be 1..65535 bytes, got ${credentials.key.length}`);
  }
}

export function pskPreMasterSecret(psk: Buffer, ecdhSecret?: Buffer): Buffer {
  const other = ecdhSecret ?? Buffer.alloc(psk.length);
  return new ByteWriter().vector16(other).vector16(psk).toBuffer();
}

export function encodePskServerKeyExchange(hint: Buffer, ecdheParams?: Buffer): Buffer {
  const writer = new ByteWriter().vector16(hint);
  if (ecdheParams) writer.bytes(ecdheParams);
  return writer.toBuffer();
}

export interface PskServerKeyExchange {
  hint: Buffer;
  /** ECDHE_PSK only. */
  namedGroup?: number;
  publicPoint?: Buffer;
}

export function decodePskServerKeyExchange(body: Buffer, ecdhe: boolean): PskServerKeyExchange {
  const reader = new ByteReader(body, 'ServerKeyExchange');
  const hint = reader.vector16();
  if (!ecdhe) {
    reader.expectEnd();
    return { hint };
  }
  const curveType = reader.u8();
  if (curveType !== EC_CURVE_TYPE_NAMED_CURVE) throw new DecodeError(`ServerKeyExchange: curve type ${curveType} is not named_curve`);
  const namedGroup = reader.u16();
  const publicPoint = reader.vector8(1);
  reader.expectEnd();
  return { hint, namedGroup, publicPoint };
}

export function encodePskClientKeyExchange(identity: Buffer, publicPoint?: Buffer): Buffer {
  const writer = new ByteWriter().vector16(identity);
  if (publicPoint) writer.vector8(publicPoint);
  return writer.toBuffer();
}

export function decodePskClientKeyExchange(body: Buffer, ecdhe: boolean): { identity: Buffer; publicPoint?: Buffer } {
  const reader = new ByteReader(body, 'ClientKeyExchange');
  const identity = reader.vector16();
  if (!ecdhe) {
    reader.expectEnd();
    return { identity };
  }
  const publicPoint = reader.vector8(1);
  reader.expectEnd();
  return { identity, publicPoint };
}
