// DTLSPlaintext/DTLSCiphertext record framing (RFC 6347 §4.1): a datagram carries one or more
// records, each with a 13-byte header: type, version, epoch, 48-bit sequence number, length.

import { ContentType, DTLS_1_0, DTLS_1_2, MAX_PLAINTEXT_LENGTH, RECORD_HEADER_LENGTH } from './constants';

export interface DtlsRecord {
  contentType: number;
  version: number;
  epoch: number;
  sequence: number;
  /** Record payload (still protected when epoch > 0). */
  fragment: Buffer;
  /** Header plus payload length on the wire. */
  wireLength: number;
}

export interface ParsedDatagram {
  records: DtlsRecord[];
  /** Why the tail of the datagram (if any) was not understood. */
  problem?: string;
}

const MAX_CIPHERTEXT_LENGTH = MAX_PLAINTEXT_LENGTH + 2048;

export function isKnownContentType(type: number): boolean {
  return (
    type === ContentType.ChangeCipherSpec ||
    type === ContentType.Alert ||
    type === ContentType.Handshake ||
    type === ContentType.ApplicationData
  );
}

export function isDtlsVersion(version: number): boolean {
  return version === DTLS_1_2 || version === DTLS_1_0;
}

/** Splits a datagram into records; stops at the first malformed header. Never throws. */
export function parseDatagram(datagram: Buffer): ParsedDatagram {
  const records: DtlsRecord[] = [];
  let offset = 0;
  while (offset < datagram.length) {
    const left = datagram.length - offset;
    if (left < RECORD_HEADER_LENGTH) {
      return { records, problem: `truncated record header (${left} bytes)` };
    }
    const contentType = datagram[offset]!;
    const version = datagram.readUInt16BE(offset + 1);
    const epoch = datagram.readUInt16BE(offset + 3);
    const sequence = datagram.readUIntBE(offset + 5, 6);
    const length = datagram.readUInt16BE(offset + 11);
    if (!isKnownContentType(contentType)) {
      return { records, problem: `unknown record content type ${contentType}` };
    }
    if (!isDtlsVersion(version)) {
      return { records, problem: `unsupported record version 0x${version.toString(16)}` };
    }
    if (length > MAX_CIPHERTEXT_LENGTH) {
      return { records, problem: `record length ${length} exceeds the maximum` };
    }
    if (RECORD_HEADER_LENGTH + length > left) {
      return { records, problem: `record length ${length} exceeds the ${left - RECORD_HEADER_LENGTH} bytes left in the datagram` };
    }
    const start = offset + RECORD_HEADER_LENGTH;
    records.push({
      contentType,
      version,
      epoch,
      sequence,
      fragment: datagram.subarray(start, start + length),
      wireLength: RECORD_HEADER_LENGTH + length,
    });
    offset = start + length;
  }
  return { records };
}

export function encodeRecord(contentType: number, version: number, epoch: number, sequence: number, fragment: Buffer): Buffer {
  if (fragment.length > 0xffff) throw new RangeError(`record fragment too long: ${fragment.length}`);
  // One allocation and one copy: this runs for every record sent.
  const out = Buffer.allocUnsafe(RECORD_HEADER_LENGTH + fragment.length);
  out[0] = contentType;
  out.writeUInt16BE(version, 1);
  out.writeUInt16BE(epoch, 3);
  out.writeUIntBE(sequence, 5, 6);
  out.writeUInt16BE(fragment.length, 11);
  fragment.copy(out, RECORD_HEADER_LENGTH);
  return out;
}

/** The 8-byte epoch||sequence_number used in AEAD nonces and additional data. */
export function epochAndSequence(epoch: number, sequence: number): Buffer {
  const out = Buffer.allocUnsafe(8);
  out.writeUInt16BE(epoch, 0);
  out.writeUIntBE(sequence, 2, 6);
  return out;
}
