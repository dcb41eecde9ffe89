// TLS 1.2 PRF with SHA-256 (RFC 5246 §5), master secret (§8.1) or extended master secret
// (RFC 7627 §4), key block for AES-128-GCM (§6.3, RFC 5288) and Finished verify_data (§7.4.9).

import { createHmac } from 'node:crypto';
import { VERIFY_DATA_LENGTH } from './handshake-messages';

const MASTER_SECRET_LENGTH = 48;

/** P_SHA256(secret, label || seed) truncated to `length` bytes. */
export function prf(secret: Buffer, label: string, seed: Buffer, length: number): Buffer {
  const labelAndSeed = Buffer.concat([Buffer.from(label, 'ascii'), seed]);
  const output: Buffer[] = [];
  let produced = 0;
  let a = labelAndSeed; // A(0)
  while (produced < length) {
    a = createHmac('sha256', secret).update(a).digest(); // A(i)
    const block = createHmac('sha256', secret).update(a).update(labelAndSeed).digest();
    output.push(block);
    produced += block.length;
  }
  return Buffer.concat(output).subarray(0, length);
}

export function masterSecret(preMasterSecret: Buffer, clientRandom: Buffer, serverRandom: Buffer): Buffer {
  return prf(preMasterSecret, 'master secret', Buffer.concat([clientRandom, serverRandom]), MASTER_SECRET_LENGTH);
}

/** RFC 7627: session_hash is the transcript hash up to and including ClientKeyExchange. */
export function extendedMasterSecret(preMasterSecret: Buffer, sessionHash: Buffer): Buffer {
  return prf(preMasterSecret, 'extended master secret', sessionHash, MASTER_SECRET_LENGTH);
}

export interface TrafficKeys {
  clientWriteKey: Buffer;
  serverWriteKey: Buffer;
  clientWriteSalt: Buffer;
  serverWriteSalt: Buffer;
}

export function deriveTrafficKeys(master: Buffer, clientRandom: Buffer, serverRandom: Buffer, keyLength: number, ivLength: number): TrafficKeys {
  // AEAD suites have no MAC keys: client key, server key, client IV, server IV.
  const block = prf(master, 'key expansion', Buffer.concat([serverRandom, clientRandom]), 2 * keyLength + 2 * ivLength);
  let offset = 0;
  const take = (n: number) => {
    const part = block.subarray(offset, offset + n);
    offset += n;
    return Buffer.from(part);
  };
  return {
    clientWriteKey: take(keyLength),
    serverWriteKey: take(keyLength),
    clientWriteSalt: take(ivLength),
    serverWriteSalt: take(ivLength),
  };
}

export function finishedVerifyData(master: Buffer, sender: 'client' | 'server', transcriptHash: Buffer): Buffer {
  return prf(master, `${sender} finished`, transcriptHash, VERIFY_DATA_LENGTH);
}
