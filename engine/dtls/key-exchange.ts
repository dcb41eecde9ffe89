// Ephemeral ECDH on x25519, secp256r1, secp384r1 and secp521r1 with Node's crypto (RFC 8422
// §5.10-5.11). Public keys travel as raw points: 32 bytes for x25519, uncompressed points
// (0x04 || X || Y) for the NIST curves: 65, 97 and 133 bytes.

import { KeyObject, createECDH, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type ECDH, type JsonWebKey, type X25519KeyPairOptions } from 'node:crypto';
import { NamedGroup, groupName } from './constants';
import { illegalParameter } from './failure';

interface NistCurve {
  /** Node / OpenSSL curve name. */
  nodeName: string;
  /** JWK crv. */
  jwkName: string;
  /** Bytes per coordinate. */
  size: number;
}

const NIST_CURVES: Partial<Record<NamedGroup, NistCurve>> = {
  [NamedGroup.Secp256r1]: { nodeName: 'prime256v1', jwkName: 'P-256', size: 32 },
  [NamedGroup.Secp384r1]: { nodeName: 'secp384r1', jwkName: 'P-384', size: 48 },
  [NamedGroup.Secp521r1]: { nodeName: 'secp521r1', jwkName: 'P-521', size: 66 },
};

function leftPad(value: Buffer, size: number): Buffer {
  if (value.length >= size) return value;
  return Buffer.concat([Buffer.alloc(size - value.length), value]);
}

function nistCurve(group: NamedGroup): NistCurve {
  const curve = NIST_CURVES[group];
  if (!curve) throw new RangeError(`no ECDHE support for ${groupName(group)}`);
  return curve;
}

export class EphemeralKeyPair {
  private constructor(
    readonly group: NamedGroup,
    /** x25519: a KeyObject. NIST curves: an ECDH object, which works on raw points directly and
     * is several times faster than KeyObjects (no JWK import/export per handshake). */
    private readonly privateKey: KeyObject | ECDH,
    readonly publicPoint: Buffer,
  ) {}

  static generate(group: NamedGroup): EphemeralKeyPair {
    if (group === NamedGroup.X25519) {
      // Never keep or export the KeyObjects generateKeyPairSync() returns: in Node 20 they share a
      // mutex with the key generation job, whose destructor takes it when the GC collects the job.
      // A GC during export() (which holds that mutex) then deadlocks the whole process; the fuzzer
      // hit this within ~50,000 key pairs. Ask for JWK encodings instead and import the private key.
      // (@types/node lacks the 'jwk' overload for x25519.)
      const jwkEncoding = { publicKeyEncoding: { format: 'jwk' }, privateKeyEncoding: { format: 'jwk' } } as unknown as X25519KeyPairOptions<'der', 'der'>;
      const { publicKey, privateKey } = generateKeyPairSync('x25519', jwkEncoding) as unknown as { publicKey: JsonWebKey; privateKey: JsonWebKey };
      return new EphemeralKeyPair(group, createPrivateKey({ key: privateKey, format: 'jwk' }), Buffer.from(publicKey.x!, 'base64url'));
    }
    const ecdh = createECDH(nistCurve(group).nodeName);
    // generateKeys() returns the uncompressed point 0x04 || X || Y, each coordinate full size.
    return new EphemeralKeyPair(group, ecdh, ecdh.generateKeys());
  }

  /** The ECDH shared secret with the peer's point. Throws DtlsFailure(illegal_parameter) on a bad point. */
  sharedSecret(peerPoint: Buffer): Buffer {
    let peerKey: KeyObject | Buffer;
    try {
      peerKey = this.privateKey instanceof KeyObject ? importPoint(this.group, peerPoint) : checkedNistPoint(this.group, peerPoint);
    } catch (error) {
      throw illegalParameter(`peer sent an invalid ${groupName(this.group)} public key (${(error as Error).message})`);
    }
    let secret: Buffer;
    try {
      // ECDH.computeSecret rejects points that are not on the curve.
      secret = Buffer.isBuffer(peerKey) ? (this.privateKey as ECDH).computeSecret(peerKey) : diffieHellman({ privateKey: this.privateKey as KeyObject, publicKey: peerKey });
    } catch (error) {
      throw illegalParameter(`ECDH with the peer's ${groupName(this.group)} key failed (${(error as Error).message})`);
    }
    if (secret.every((byte) => byte === 0)) {
      throw illegalParameter('ECDH produced an all-zero shared secret');
    }
    // RFC 8422 §5.10: the premaster secret is the x-coordinate, as many bytes as the field size.
    return this.group === NamedGroup.X25519 ? secret : leftPad(secret, nistCurve(this.group).size);
  }
}

/** A NIST curve point in the uncompressed form we accept (0x04 || X || Y). */
function checkedNistPoint(group: NamedGroup, point: Buffer): Buffer {
  const expected = 1 + 2 * nistCurve(group).size;
  if (point.length !== expected || point[0] !== 4) {
    throw new Error(`expected a ${expected}-byte uncompressed point, got ${point.length} bytes`);
  }
  return point;
}

function importPoint(group: NamedGroup, point: Buffer): KeyObject {
  if (group === NamedGroup.X25519) {
    if (point.length !== 32) throw new Error(`expected 32 bytes, got ${point.length}`);
    return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: point.toString('base64url') }, format: 'jwk' });
  }
  const curve = nistCurve(group);
  const expected = 1 + 2 * curve.size;
  if (point.length !== expected || point[0] !== 4) {
    throw new Error(`expected a ${expected}-byte uncompressed point, got ${point.length} bytes`);
  }
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: curve.jwkName,
      x: point.subarray(1, 1 + curve.size).toString('base64url'),
      y: point.subarray(1 + curve.size).toString('base64url'),
    },
    format: 'jwk',
  });
}
