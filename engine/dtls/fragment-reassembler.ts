// Reassembles handshake messages from fragments and hands them out strictly in message_seq order
// (RFC 6347 §4.2.2-4.2.3). Fragments of messages ahead of the next expected one are buffered;
// fragments of messages already handed out are reported as "old" (a retransmitted flight).

import type { FragmentRange } from './events';
import type { HandshakeFragment } from './handshake-messages';

export interface ReassembledMessage {
  msgType: number;
  messageSeq: number;
  body: Buffer;
  /** How many fragments it took (1 = arrived whole). */
  fragments: number;
  /** Epoch of the record that completed the message. */
  epoch: number;
  /** Every accepted fragment, in arrival order (the first 128). */
  ranges: FragmentRange[];
}

export type FragmentOutcome = 'old' | 'accepted' | 'rejected';

const MAX_MESSAGE_LENGTH = 256 * 1024;
/** Fragments remembered per message for events (a peer may send any number of duplicates). */
const MAX_LISTED_FRAGMENTS = 128;

interface PartialMessage {
  msgType: number;
  length: number;
  body: Buffer;
  /** Sorted, non-overlapping covered byte ranges [start, end). */
  ranges: Array<[number, number]>;
  fragments: number;
  epoch: number;
  pieces: FragmentRange[];
}

export class HandshakeReassembler {
  private next = 0;
  private readonly pending = new Map<number, PartialMessage>();
  rejectionReason = '';

  constructor(private readonly maxAhead = 16) {}

  get nextSeq(): number {
    return this.next;
  }

  /** Start expecting `seq` next (server: the message_seq of the ClientHello it answers). */
  expect(seq: number): void {
    this.next = seq;
    for (const key of [...this.pending.keys()]) if (key < seq) this.pending.delete(key);
  }

  add(fragment: HandshakeFragment, epoch: number): FragmentOutcome {
    if (fragment.messageSeq < this.next) return 'old';
    if (fragment.messageSeq >= this.next + this.maxAhead) {
      this.rejectionReason = `handshake message_seq ${fragment.messageSeq} too far ahead of ${this.next}`;
      return 'rejected';
    }
    if (fragment.length > MAX_MESSAGE_LENGTH) {
      this.rejectionReason = `handshake message of ${fragment.length} bytes is too large`;
      return 'rejected';
    }
    let partial = this.pending.get(fragment.messageSeq);
    if (!partial) {
      partial = { msgType: fragment.msgType, length: fragment.length, body: Buffer.alloc(fragment.length), ranges: [], fragments: 0, epoch, pieces: [] };
      this.pending.set(fragment.messageSeq, partial);
    } else if (partial.msgType !== fragment.msgType || partial.length !== fragment.length) {
      this.rejectionReason = `fragment of message_seq ${fragment.messageSeq} disagrees on type or length`;
      return 'rejected';
    }
    fragment.body.copy(partial.body, fragment.fragmentOffset);
    partial.fragments += 1;
    if (partial.pieces.length < MAX_LISTED_FRAGMENTS) partial.pieces.push({ fragmentOffset: fragment.fragmentOffset, fragmentLength: fragment.fragmentLength });
    partial.epoch = epoch;
    partial.ranges = mergeRange(partial.ranges, fragment.fragmentOffset, fragment.fragmentOffset + fragment.fragmentLength);
    return 'accepted';
  }

  /** Removes and returns the next in-order message if it is complete. */
  takeNext(): ReassembledMessage | undefined {
    const partial = this.pending.get(this.next);
    if (!partial || !isComplete(partial)) return undefined;
    this.pending.delete(this.next);
    const message: ReassembledMessage = {
      msgType: partial.msgType,
      messageSeq: this.next,
      body: partial.body,
      fragments: partial.fragments,
      epoch: partial.epoch,
      ranges: partial.pieces,
    };
    this.next += 1;
    return message;
  }
}

function isComplete(partial: PartialMessage): boolean {
  if (partial.length === 0) return partial.fragments > 0;
  const first = partial.ranges[0];
  return partial.ranges.length === 1 && first !== undefined && first[0] === 0 && first[1] === partial.length;
}

function mergeRange(ranges: Array<[number, number]>, start: number, end: number): Array<[number, number]> {
  if (end <= start) return ranges;
  const all = [...ranges, [start, end] as [number, number]].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of all) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}
