// TLS 1.2 PRF (RFC 5246 §5) with the suite's hash: SHA-256, or SHA-384 for the *_SHA384 suites
// (RFC 5289 §3, RFC 5487). Master secret (§8.1) or extended master secret (RFC 7627 §4), key block
// for the AEAD suites (§6.3, RFC 5288, RFC 7905) and Finished verify_data (§7.4.9, always 12 bytes).

import { createHmac } from 'node:crypto';
import { VERIFY_DATA_LENGTH } from './handshake-messages';

const MASTER_SECRET_LENGTH = 48;

export type PrfHash = 'sha256' | 'sha384';

/** P_hash(secret, label || seed) truncated to `length` bytes (P_SHA256 unless `hash` says otherwise). */
export function prf(secret: Buffer, label: string, seed: Buffer, length: number, hash: PrfHash = 'sha256'): Buffer {
  const labelAndSeed = Buffer.concat([Buffer.from(label, 'ascii'), seed]);
  const output: Buffer[] = [];
  let produced = 0;
  let a = labelAndSeed; // A(0)
  while (produced < length) {
    a = createHmac(hash, secret).update(a).digest(); // A(i)
    const block = createHmac(hash, secret).update(a).update(labelAndSeed).digest();
    output.push(block);
    produced += block.length;
  }
  return Buffer.concat(output).subarray(0, length);
}

export function masterSecret(preMasterSecret: Buffer, clientRandom: Buffer, serverRandom: Buffer, hash: PrfHash = 'sha256'): Buffer {
  return prf(preMasterSecret, 'master secret', Buffer.concat([clientRandom, serverRandom]), MASTER_SECRET_LENGTH, hash);
}

/** RFC 7627: session_hash is the transcript hash (with the PRF's hash) up to and including ClientKeyExchange. */
export function extendedMasterSecret(preMasterSecret: Buffer, sessionHash: Buffer, hash: PrfHash = 'sha256'): Buffer {
  return prf(preMasterSecret, 'extended master secret', sessionHash, MASTER_SECRET_LENGTH, hash);
}

export interface TrafficKeys {
  clientWriteKey: Buffer;
  serverWriteKey: Buffer;
  clientWriteSalt: Buffer;
  serverWriteSalt: Buffer;
}

export function deriveTrafficKeys(
  master: Buffer,
  clientRandom: Buffer,
  serverRandom: Buffer,
  keyLength: number,
  ivLength: number,
  hash: PrfHash = 'sha256',
): TrafficKeys {
  // AEAD suites have no MAC keys: client key, server key, client IV, server IV.
  const block = prf(master, 'key expansion', Buffer.concat([serverRandom, clientRandom]), 2 * keyLength + 2 * ivLength, hash);
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

/** `transcriptHash` must be made with the same hash as the PRF. */
export function finishedVerifyData(master: Buffer, sender: 'client' | 'server', transcriptHash: Buffer, hash: PrfHash = 'sha256'): Buffer {
  return prf(master, `${sender} finished`, transcriptHash, VERIFY_DATA_LENGTH, hash);
}
