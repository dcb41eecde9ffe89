// Ephemeral ECDH on x25519 and secp256r1 with Node's crypto (RFC 8422 §5.10-5.11). Public keys
// travel as raw points: 32 bytes for x25519, 65-byte uncompressed points for secp256r1.

import { createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { NamedGroup } from './constants';
import { illegalParameter } from './failure';

export class EphemeralKeyPair {
  private constructor(
    readonly group: NamedGroup,
    private readonly privateKey: KeyObject,
    readonly publicPoint: Buffer,
  ) {}

  static generate(group: NamedGroup): EphemeralKeyPair {
    if (group === NamedGroup.X25519) {
      const { privateKey, publicKey } = generateKeyPairSync('x25519');
      const jwk = publicKey.export({ format: 'jwk' });
      return new EphemeralKeyPair(group, privateKey, Buffer.from(jwk.x!, 'base64url'));
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    return new EphemeralKeyPair(group, privateKey, point);
  }

  /** The premaster secret with the peer's point. Throws DtlsFailure(illegal_parameter) on a bad point. */
  sharedSecret(peerPoint: Buffer): Buffer {
    let peerKey: KeyObject;
    try {
      peerKey = importPoint(this.group, peerPoint);
    } catch (error) {
      throw illegalParameter(`peer sent an invalid ${groupLabel(this.group)} public key (${(error as Error).message})`);
    }
    let secret: Buffer;
    try {
      secret = diffieHellman({ privateKey: this.privateKey, publicKey: peerKey });
    } catch (error) {
      throw illegalParameter(`ECDH with the peer's ${groupLabel(this.group)} key failed (${(error as Error).message})`);
    }
    if (secret.every((byte) => byte === 0)) {
      throw illegalParameter('ECDH produced an all-zero shared secret');
    }
    return secret;
  }
}

function groupLabel(group: NamedGroup): string {
  return group === NamedGroup.X25519 ? 'x25519' : 'secp256r1';
}

function importPoint(group: NamedGroup, point: Buffer): KeyObject {
  if (group === NamedGroup.X25519) {
    if (point.length !== 32) throw new Error(`expected 32 bytes, got ${point.length}`);
    return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: point.toString('base64url') }, format: 'jwk' });
  }
  if (point.length !== 65 || point[0] !== 4) throw new Error(`expected a 65-byte uncompressed point, got ${point.length} bytes`);
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
}
