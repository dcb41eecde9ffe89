// AES-128-GCM record protection for DTLS 1.2 (RFC 5288 §3, RFC 6347 §4.1.2.1, RFC 5246 §6.2.3.3).
// nonce = 4-byte implicit salt (from the key block) || 8-byte explicit nonce carried in the record;
// additional data = epoch||seq (8) || type || version || plaintext length.
// We use epoch||seq as the explicit nonce, which never repeats under one key.

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { ByteWriter } from './bytes';
import { epochAndSequence } from './record-layer';

const EXPLICIT_NONCE_LENGTH = 8;
const TAG_LENGTH = 16;

export class AesGcmProtection {
  constructor(private readonly key: Buffer, private readonly salt: Buffer) {
    if (key.length !== 16) throw new RangeError('AES-128-GCM needs a 16-byte key');
    if (salt.length !== 4) throw new RangeError('AES-GCM implicit nonce must be 4 bytes');
  }

  private static additionalData(contentType: number, version: number, epoch: number, sequence: number, length: number): Buffer {
    return new ByteWriter().bytes(epochAndSequence(epoch, sequence)).u8(contentType).u16(version).u16(length).toBuffer();
  }

  seal(contentType: number, version: number, epoch: number, sequence: number, plaintext: Buffer): Buffer {
    const explicitNonce = epochAndSequence(epoch, sequence);
    const cipher = createCipheriv('aes-128-gcm', this.key, Buffer.concat([this.salt, explicitNonce]), { authTagLength: TAG_LENGTH });
    cipher.setAAD(AesGcmProtection.additionalData(contentType, version, epoch, sequence, plaintext.length));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([explicitNonce, body, cipher.getAuthTag()]);
  }

  /** Returns the plaintext, or undefined when the record is too short or fails authentication. */
  open(contentType: number, version: number, epoch: number, sequence: number, fragment: Buffer): Buffer | undefined {
    if (fragment.length < EXPLICIT_NONCE_LENGTH + TAG_LENGTH) return undefined;
    const explicitNonce = fragment.subarray(0, EXPLICIT_NONCE_LENGTH);
    const body = fragment.subarray(EXPLICIT_NONCE_LENGTH, fragment.length - TAG_LENGTH);
    const tag = fragment.subarray(fragment.length - TAG_LENGTH);
    try {
      const decipher = createDecipheriv('aes-128-gcm', this.key, Buffer.concat([this.salt, explicitNonce]), { authTagLength: TAG_LENGTH });
      decipher.setAuthTag(tag);
      decipher.setAAD(AesGcmProtection.additionalData(contentType, version, epoch, sequence, body.length));
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      return undefined;
    }
  }
}
