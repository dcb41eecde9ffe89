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

  hash(): Buffer {
    const hasher = createHash('sha256');
    for (const message of this.messages) hasher.update(message);
    return hasher.digest();
  }
}
