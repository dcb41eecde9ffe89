// AEAD record protection for DTLS 1.2 (RFC 6347 §4.1.2.1, RFC 5246 §6.2.3.3). Every suite uses
// additional data = epoch||seq (8) || type || version || plaintext length.
//
// - AES-GCM (RFC 5288 §3): nonce = 4-byte implicit salt (from the key block) || 8-byte explicit
//   nonce carried in front of the ciphertext. We send epoch||seq as the explicit nonce, which never
//   repeats under one key.
// - ChaCha20-Poly1305 (RFC 7905 §2): no explicit nonce in the record; nonce = 12-byte IV from the key
//   block XOR (4 zero bytes || epoch||seq).

import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { CipherSuiteInfo } from './constants';
import { epochAndSequence } from './record-layer';

const TAG_LENGTH = 16;

/** Protects and unprotects the records of one epoch in one direction. */
export interface RecordProtection {
  /** e.g. 'aes-128-gcm', 'chacha20-poly1305' */
  readonly cipher: string;
  /** Bytes added to each record's payload (explicit nonce + tag). */
  readonly overhead: number;
  seal(contentType: number, version: number, epoch: number, sequence: number, plaintext: Buffer): Buffer;
  /** Returns the plaintext, or undefined when the record is too short or fails authentication. */
  open(contentType: number, version: number, epoch: number, sequence: number, fragment: Buffer): Buffer | undefined;
}

// Records are protected one by one and Node's AEAD API needs a new cipher object per nonce, so
// the rest of the path avoids every other allocation and copy it can (the hot path of bulk data).
function additionalData(contentType: number, version: number, epoch: number, sequence: number, length: number): Buffer {
  const aad = Buffer.allocUnsafe(13);
  aad.writeUInt16BE(epoch, 0);
  aad.writeUIntBE(sequence, 2, 6);
  aad[8] = contentType;
  aad.writeUInt16BE(version, 9);
  aad.writeUInt16BE(length, 11);
  return aad;
}

/** AES-128-GCM or AES-256-GCM (chosen by the key length: 16 or 32 bytes). */
export class AesGcmProtection implements RecordProtection {
  static readonly EXPLICIT_NONCE_LENGTH = 8;
  readonly cipher: 'aes-128-gcm' | 'aes-256-gcm';
  readonly overhead = AesGcmProtection.EXPLICIT_NONCE_LENGTH + TAG_LENGTH;

  constructor(private readonly key: Buffer, private readonly salt: Buffer) {
    if (key.length !== 16 && key.length !== 32) throw new RangeError(`AES-GCM needs a 16- or 32-byte key, got ${key.length}`);
    if (salt.length !== 4) throw new RangeError('AES-GCM implicit nonce must be 4 bytes');
    this.cipher = key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm';
  }

  seal(contentType: number, version: number, epoch: number, sequence: number, plaintext: Buffer): Buffer {
    const nonce = Buffer.allocUnsafe(12);
    this.salt.copy(nonce, 0);
    nonce.writeUInt16BE(epoch, 4);
    nonce.writeUIntBE(sequence, 6, 6);
    const cipher = createCipheriv(this.cipher, this.key, nonce, { authTagLength: TAG_LENGTH });
    cipher.setAAD(additionalData(contentType, version, epoch, sequence, plaintext.length));
    let body = cipher.update(plaintext);
    const tail = cipher.final(); // empty for GCM
    if (tail.length > 0) body = Buffer.concat([body, tail]);
    // explicit nonce (epoch||seq) || ciphertext || tag, in one allocation
    const out = Buffer.allocUnsafe(AesGcmProtection.EXPLICIT_NONCE_LENGTH + body.length + TAG_LENGTH);
    nonce.copy(out, 0, 4, 12);
    body.copy(out, AesGcmProtection.EXPLICIT_NONCE_LENGTH);
    cipher.getAuthTag().copy(out, AesGcmProtection.EXPLICIT_NONCE_LENGTH + body.length);
    return out;
  }

  open(contentType: number, version: number, epoch: number, sequence: number, fragment: Buffer): Buffer | undefined {
    const nonceLength = AesGcmProtection.EXPLICIT_NONCE_LENGTH;
    if (fragment.length < nonceLength + TAG_LENGTH) return undefined;
    const nonce = Buffer.allocUnsafe(12);
    this.salt.copy(nonce, 0);
    fragment.copy(nonce, 4, 0, nonceLength);
    const body = fragment.subarray(nonceLength, fragment.length - TAG_LENGTH);
    const tag = fragment.subarray(fragment.length - TAG_LENGTH);
    try {
      const decipher = createDecipheriv(this.cipher, this.key, nonce, { authTagLength: TAG_LENGTH });
      decipher.setAuthTag(tag);
      decipher.setAAD(additionalData(contentType, version, epoch, sequence, body.length));
      const plaintext = decipher.update(body);
      const tail = decipher.final(); // throws when the tag does not verify; empty for GCM
      return tail.length === 0 ? plaintext : Buffer.concat([plaintext, tail]);
    } catch {
      return undefined;
    }
  }
}

/** ChaCha20-Poly1305 as in RFC 7905: 32-byte key, 12-byte IV, no explicit nonce. */
export class ChaCha20Poly1305Protection implements RecordProtection {
  readonly cipher = 'chacha20-poly1305';
  readonly overhead = TAG_LENGTH;

  constructor(private readonly key: Buffer, private readonly iv: Buffer) {
    if (key.length !== 32) throw new RangeError(`ChaCha20-Poly1305 needs a 32-byte key, got ${key.length}`);
    if (iv.length !== 12) throw new RangeError(`ChaCha20-Poly1305 needs a 12-byte IV, got ${iv.length}`);
  }

  private nonce(epoch: number, sequence: number): Buffer {
    const nonce = Buffer.from(this.iv);
    const padded = epochAndSequence(epoch, sequence);
    for (let i = 0; i < 8; i++) nonce[4 + i]! ^= padded[i]!;
    return nonce;
  }

  seal(contentType: number, version: number, epoch: number, sequence: number, plaintext: Buffer): Buffer {
    const cipher = createCipheriv('chacha20-poly1305', this.key, this.nonce(epoch, sequence), { authTagLength: TAG_LENGTH });
    cipher.setAAD(additionalData(contentType, version, epoch, sequence, plaintext.length), { plaintextLength: plaintext.length });
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([body, cipher.getAuthTag()]);
  }

  open(contentType: number, version: number, epoch: number, sequence: number, fragment: Buffer): Buffer | undefined {
    if (fragment.length < TAG_LENGTH) return undefined;
    const body = fragment.subarray(0, fragment.length - TAG_LENGTH);
    const tag = fragment.subarray(fragment.length - TAG_LENGTH);
    try {
      const decipher = createDecipheriv('chacha20-poly1305', this.key, this.nonce(epoch, sequence), { authTagLength: TAG_LENGTH });
      decipher.setAuthTag(tag);
      decipher.setAAD(additionalData(contentType, version, epoch, sequence, body.length), { plaintextLength: body.length });
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      return undefined;
    }
  }
}

/** The record protection of `suite` for one direction, from its write key and write IV. */
export function createRecordProtection(suite: CipherSuiteInfo, key: Buffer, iv: Buffer): RecordProtection {
  return suite.cipher === 'chacha20-poly1305' ? new ChaCha20Poly1305Protection(key, iv) : new AesGcmProtection(key, iv);
}
