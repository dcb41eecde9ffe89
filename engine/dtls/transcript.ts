// The handshake transcript: every handshake message from the ClientHello that the server
// answered with a ServerHello onwards, each in its unfragmented DTLS form (RFC 6347 §4.2.6).
// The first ClientHello and the HelloVerifyRequest are not included (§4.2.1).

import { createHash } from 'node:crypto';

export class HandshakeTranscript {
  private readonly messages: Buffer[] = [];

  add(wholeMessage: Buffer): void {
    this.messages.push(wholeMessage);
  }

  reset(): void {
    this.messages.length = 0;
  }

  /** All messages so far, concatenated (what a CertificateVerify signs, RFC 5246 §7.4.8). */
  contents(): Buffer {
    return Buffer.concat(this.messages);
  }

  /** Hash of the messages so far: SHA-256 unless the suite's PRF uses SHA-384. */
  hash(algorithm: 'sha256' | 'sha384' = 'sha256'): Buffer {
    const hasher = createHash(algorithm);
    for (const message of this.messages) hasher.update(message);
    return hasher.digest();
  }
}
