// record_size_limit (RFC 8449): each side states the largest protected record plaintext it is
// willing to receive; the peer must not send larger protected records. The limit counts the
// plaintext (before AEAD expansion); unprotected (epoch 0) records are not subject to it. In
// (D)TLS 1.2 the largest meaningful value is 2^14, the smallest allowed one 64. A TLS 1.2 server
// sends the extension only in answer to a client's.

import { ByteReader, ByteWriter } from './bytes';
import { MAX_PLAINTEXT_LENGTH } from './constants';
import type { Extension } from './handshake-messages';
import { illegalParameter } from './failure';

export const RECORD_SIZE_LIMIT_EXTENSION = 28;
export const MIN_RECORD_SIZE_LIMIT = 64;

/** Checks a recordSizeLimit option: an integer in 64..16384. Throws a RangeError. */
export function validateRecordSizeLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < MIN_RECORD_SIZE_LIMIT || limit > MAX_PLAINTEXT_LENGTH) {
    throw new RangeError(`recordSizeLimit must be an integer in ${MIN_RECORD_SIZE_LIMIT}..${MAX_PLAINTEXT_LENGTH}, got ${limit}`);
  }
}

export function recordSizeLimitExtension(limit: number): Extension {
  return { type: RECORD_SIZE_LIMIT_EXTENSION, data: new ByteWriter().u16(limit).toBuffer() };
}

/** The peer's limit, capped at 2^14; a value below 64 is an illegal_parameter failure. */
export function parseRecordSizeLimit(data: Buffer): number {
  const reader = new ByteReader(data, 'record_size_limit');
  const limit = reader.u16();
  reader.expectEnd();
  if (limit < MIN_RECORD_SIZE_LIMIT) throw illegalParameter(`peer sent record_size_limit ${limit}, below the minimum of ${MIN_RECORD_SIZE_LIMIT}`);
  return Math.min(limit, MAX_PLAINTEXT_LENGTH);
}
