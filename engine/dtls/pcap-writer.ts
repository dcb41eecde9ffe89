// A pcapng writer for captured DTLS datagrams. Each datagram is wrapped in IPv4 and UDP headers
// (with a correct IPv4 header checksum, UDP length and UDP checksum) and, by default, in an
// Ethernet II frame, so that Wireshark/tshark dissect it as IP/UDP and, with
// `-d udp.port==P,dtls`, as DTLS. The file has one Section Header Block, one Interface
// Description Block and one Enhanced Packet Block per datagram (pcapng, draft-ietf-opsawg-pcapng),
// little-endian, microsecond timestamps.
//
// The engine never calls this itself: a test or tool records what a connection's `send` callback
// produced (and what it fed to `receive`) and writes the file, together with a key log, for
// `tshark -r capture.pcapng -o tls.keylog_file:keys.txt`.

import { writeFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';

/** Link type of the interface: Ethernet II frames (LINKTYPE_ETHERNET, 1) or bare IPv4 packets (LINKTYPE_RAW, 101). */
export type PcapLinkType = 'ethernet' | 'raw-ipv4';

export interface PcapngWriterOptions {
  /** Default 'ethernet'. */
  linkType?: PcapLinkType;
  /** if_name of the interface (default 'dtls-lab'). */
  interfaceName?: string;
  /** shb_userappl (default 'godot-dtls-lab pcap-writer'). */
  application?: string;
}

export interface CapturedDatagram {
  /** Milliseconds since the Unix epoch (fractions allowed; stored with microsecond resolution). */
  timestampMs: number;
  /** "a.b.c.d:port" */
  source: string;
  /** "a.b.c.d:port" */
  destination: string;
  /** UDP payload. */
  data: Uint8Array;
  /** Optional per-packet comment (opt_comment), shown by Wireshark. */
  comment?: string;
}

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_END = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const SNAP_LENGTH = 262144;
const IPV4_HEADER_LENGTH = 20;
const UDP_HEADER_LENGTH = 8;
const ETHERNET_HEADER_LENGTH = 14;
const ETHERTYPE_IPV4 = 0x0800;
const IP_PROTOCOL_UDP = 17;
const MAX_UDP_PAYLOAD = 0xffff - IPV4_HEADER_LENGTH - UDP_HEADER_LENGTH;

/** The 16-bit one's complement of the one's complement sum (RFC 1071) of the given buffers, concatenated. */
export function internetChecksum(...parts: Uint8Array[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const part of parts) {
    for (const byte of part) {
      if (odd === undefined) {
        odd = byte;
      } else {
        sum += (odd << 8) | byte;
        odd = undefined;
      }
    }
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Splits "a.b.c.d:port" into its IPv4 bytes and port. Throws a RangeError for anything else. */
export function parseIpv4Endpoint(endpoint: string): { address: Buffer; port: number } {
  const index = endpoint.lastIndexOf(':');
  const host = index > 0 ? endpoint.slice(0, index) : '';
  const port = Number(endpoint.slice(index + 1));
  if (!isIPv4(host) || !Number.isInteger(port) || port < 0 || port > 0xffff || index < 0) {
    throw new RangeError(`pcap-writer: expected an IPv4 "a.b.c.d:port" endpoint, got '${endpoint}'`);
  }
  return { address: Buffer.from(host.split('.').map(Number)), port };
}

/** An IPv4 packet (20-byte header, DF set, TTL 64) carrying one UDP datagram with a valid checksum. */
export function ipv4UdpPacket(source: string, destination: string, payload: Uint8Array, identification = 0): Buffer {
  if (payload.length > MAX_UDP_PAYLOAD) throw new RangeError(`pcap-writer: a UDP payload of ${payload.length} bytes does not fit in IPv4`);
  const src = parseIpv4Endpoint(source);
  const dst = parseIpv4Endpoint(destination);
  const udpLength = UDP_HEADER_LENGTH + payload.length;
  const packet = Buffer.alloc(IPV4_HEADER_LENGTH + udpLength);
  packet[0] = 0x45; // version 4, IHL 5 words
  packet[1] = 0; // DSCP/ECN
  packet.writeUInt16BE(packet.length, 2);
  packet.writeUInt16BE(identification & 0xffff, 4);
  packet.writeUInt16BE(0x4000, 6); // don't fragment
  packet[8] = 64; // TTL
  packet[9] = IP_PROTOCOL_UDP;
  src.address.copy(packet, 12);
  dst.address.copy(packet, 16);
  packet.writeUInt16BE(internetChecksum(packet.subarray(0, IPV4_HEADER_LENGTH)), 10);

  const udp = packet.subarray(IPV4_HEADER_LENGTH);
  udp.writeUInt16BE(src.port, 0);
  udp.writeUInt16BE(dst.port, 2);
  udp.writeUInt16BE(udpLength, 4);
  Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).copy(udp, UDP_HEADER_LENGTH);
  const pseudoHeader = Buffer.alloc(12);
  src.address.copy(pseudoHeader, 0);
  dst.address.copy(pseudoHeader, 4);
  pseudoHeader[9] = IP_PROTOCOL_UDP;
  pseudoHeader.writeUInt16BE(udpLength, 10);
  const checksum = internetChecksum(pseudoHeader, udp);
  udp.writeUInt16BE(checksum === 0 ? 0xffff : checksum, 6); // RFC 768: a computed 0 is sent as all ones
  return packet;
}

/** Locally administered MAC address derived from an IPv4 address (02:00:a:b:c:d). */
function macFor(address: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x02, 0x00]), address]);
}

function ethernetFrame(source: string, destination: string, ipPacket: Buffer): Buffer {
  const frame = Buffer.alloc(ETHERNET_HEADER_LENGTH + ipPacket.length);
  macFor(parseIpv4Endpoint(destination).address).copy(frame, 0);
  macFor(parseIpv4Endpoint(source).address).copy(frame, 6);
  frame.writeUInt16BE(ETHERTYPE_IPV4, 12);
  ipPacket.copy(frame, ETHERNET_HEADER_LENGTH);
  return frame;
}

function padTo4(length: number): number {
  return (4 - (length % 4)) % 4;
}

/** Encodes pcapng options (code, length, value padded to 32 bits) ending with opt_endofopt. */
function encodeOptions(options: Array<{ code: number; value: Buffer }>): Buffer {
  if (options.length === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for (const { code, value } of options) {
    const header = Buffer.alloc(4);
    header.writeUInt16LE(code, 0);
    header.writeUInt16LE(value.length, 2);
    parts.push(header, value, Buffer.alloc(padTo4(value.length)));
  }
  parts.push(Buffer.from([OPT_END & 0xff, 0, 0, 0]));
  return Buffer.concat(parts);
}

/** A block: type, total length, body (already padded), total length again. */
function block(type: number, body: Buffer): Buffer {
  const totalLength = 12 + body.length;
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(totalLength, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(totalLength, 0);
  return Buffer.concat([head, body, tail]);
}

/** Collects datagrams and serializes them as a pcapng file. */
export class PcapngWriter {
  readonly linkType: PcapLinkType;
  private readonly interfaceName: string;
  private readonly application: string;
  private readonly packets: Buffer[] = [];
  private identification = 1;

  constructor(options: PcapngWriterOptions = {}) {
    this.linkType = options.linkType ?? 'ethernet';
    this.interfaceName = options.interfaceName ?? 'dtls-lab';
    this.application = options.application ?? 'godot-dtls-lab pcap-writer';
  }

  /** Number of datagrams recorded so far. */
  get packetCount(): number {
    return this.packets.length;
  }

  /** Records one UDP datagram. Throws a RangeError for non-IPv4 endpoints or oversized payloads. */
  record(datagram: CapturedDatagram): void {
    if (!Number.isFinite(datagram.timestampMs) || datagram.timestampMs < 0) {
      throw new RangeError(`pcap-writer: bad timestamp ${datagram.timestampMs}`);
    }
    const ip = ipv4UdpPacket(datagram.source, datagram.destination, datagram.data, this.identification++);
    const frame = this.linkType === 'ethernet' ? ethernetFrame(datagram.source, datagram.destination, ip) : ip;
    const micros = BigInt(Math.round(datagram.timestampMs * 1000));
    const fixed = Buffer.alloc(20);
    fixed.writeUInt32LE(0, 0); // interface id
    fixed.writeUInt32LE(Number(micros >> 32n), 4);
    fixed.writeUInt32LE(Number(micros & 0xffffffffn), 8);
    fixed.writeUInt32LE(frame.length, 12); // captured length
    fixed.writeUInt32LE(frame.length, 16); // original length
    const options = datagram.comment ? encodeOptions([{ code: OPT_COMMENT, value: Buffer.from(datagram.comment, 'utf8') }]) : Buffer.alloc(0);
    this.packets.push(block(BLOCK_EPB, Buffer.concat([fixed, frame, Buffer.alloc(padTo4(frame.length)), options])));
  }

  /** The whole capture: SHB, IDB, then one EPB per recorded datagram. */
  toBuffer(): Buffer {
    const shbFixed = Buffer.alloc(16);
    shbFixed.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
    shbFixed.writeUInt16LE(1, 4); // major version
    shbFixed.writeUInt16LE(0, 6); // minor version
    shbFixed.writeBigInt64LE(-1n, 8); // section length not specified
    const shb = block(BLOCK_SHB, Buffer.concat([shbFixed, encodeOptions([{ code: SHB_USERAPPL, value: Buffer.from(this.application, 'utf8') }])]));

    const idbFixed = Buffer.alloc(8);
    idbFixed.writeUInt16LE(this.linkType === 'ethernet' ? LINKTYPE_ETHERNET : LINKTYPE_RAW, 0);
    idbFixed.writeUInt16LE(0, 2); // reserved
    idbFixed.writeUInt32LE(SNAP_LENGTH, 4);
    const idb = block(
      BLOCK_IDB,
      Buffer.concat([
        idbFixed,
        encodeOptions([
          { code: IF_NAME, value: Buffer.from(this.interfaceName, 'utf8') },
          { code: IF_TSRESOL, value: Buffer.from([6]) }, // 10^-6 s
        ]),
      ]),
    );
    return Buffer.concat([shb, idb, ...this.packets]);
  }

  writeFile(path: string): void {
    writeFileSync(path, this.toBuffer());
  }
}
