// Turns a flight (handshake messages and ChangeCipherSpec, each bound to an epoch) into datagrams
// no larger than the PMTU: several records per datagram, handshake messages fragmented as needed
// (RFC 6347 §4.1.1, §4.2.3). Record sequence numbers are taken at sealing time, so every
// retransmission gets fresh ones.

import { AEAD_OVERHEAD, ContentType, HANDSHAKE_HEADER_LENGTH, RECORD_HEADER_LENGTH } from './constants';
import type { FragmentRange } from './events';
import { encodeHandshakeFragment } from './handshake-messages';

export type FlightItem =
  | { kind: 'handshake'; msgType: number; messageSeq: number; body: Buffer; epoch: number }
  | { kind: 'change-cipher-spec'; epoch: number };

export interface PackedFlight {
  datagrams: Buffer[];
  /** Number of fragments per item, in item order. */
  fragmentCounts: number[];
  /** The fragments of each item, in item order (ChangeCipherSpec: one empty range). */
  fragmentRanges: FragmentRange[][];
}

/** Seals one record (assigning its sequence number) and returns its wire bytes. */
export type RecordSealer = (contentType: ContentType, epoch: number, plaintext: Buffer) => Buffer;

/** Smallest handshake fragment worth starting in a partly filled datagram. */
const MIN_FRAGMENT = 64;

/**
 * `maxProtectedPlaintext`: the peer's record_size_limit (RFC 8449); handshake fragments in epochs
 * above 0 are cut so that no protected record carries more plaintext than that.
 */
export function packFlight(items: FlightItem[], mtu: number, seal: RecordSealer, maxProtectedPlaintext?: number): PackedFlight {
  const datagrams: Buffer[] = [];
  const fragmentCounts: number[] = [];
  const fragmentRanges: FragmentRange[][] = [];
  let current: Buffer[] = [];
  let currentLength = 0;

  const flush = () => {
    if (current.length > 0) datagrams.push(Buffer.concat(current));
    current = [];
    currentLength = 0;
  };
  const append = (record: Buffer) => {
    current.push(record);
    currentLength += record.length;
  };
  const recordOverhead = (epoch: number) => RECORD_HEADER_LENGTH + (epoch > 0 ? AEAD_OVERHEAD : 0);

  for (const item of items) {
    if (item.kind === 'change-cipher-spec') {
      if (currentLength + recordOverhead(item.epoch) + 1 > mtu) flush();
      append(seal(ContentType.ChangeCipherSpec, item.epoch, Buffer.from([1])));
      fragmentCounts.push(1);
      fragmentRanges.push([{ fragmentOffset: 0, fragmentLength: 0 }]);
      continue;
    }
    const total = item.body.length;
    let offset = 0;
    let count = 0;
    const ranges: FragmentRange[] = [];
    for (;;) {
      const room = mtu - currentLength - recordOverhead(item.epoch) - HANDSHAKE_HEADER_LENGTH;
      const remaining = total - offset;
      if (room < Math.min(remaining, MIN_FRAGMENT) && currentLength > 0) {
        flush();
        continue;
      }
      const limit = item.epoch > 0 && maxProtectedPlaintext !== undefined ? maxProtectedPlaintext - HANDSHAKE_HEADER_LENGTH : Infinity;
      const chunk = Math.max(0, Math.min(room, remaining, limit));
      if (chunk === 0 && remaining > 0) throw new RangeError(`MTU ${mtu} is too small for a handshake fragment`);
      append(seal(ContentType.Handshake, item.epoch, encodeHandshakeFragment(item.msgType, item.messageSeq, item.body, offset, chunk)));
      ranges.push({ fragmentOffset: offset, fragmentLength: chunk });
      offset += chunk;
      count += 1;
      if (offset >= total) break;
      flush();
    }
    fragmentCounts.push(count);
    fragmentRanges.push(ranges);
  }
  flush();
  return { datagrams, fragmentCounts, fragmentRanges };
}
