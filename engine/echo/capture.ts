// What `dtls-lab echo --pcap FILE` records: every datagram the server receives and sends, kept in
// memory as pcapng blocks (PcapngWriter) and written when the server stops. The capture is bounded:
// once the estimated file size would exceed `maxBytes` (default 64 MiB) further datagrams are only
// counted, and `onCapReached` is called once so the command can say so.

import { PcapngWriter } from '../dtls/pcap-writer';

export const DEFAULT_PCAP_MAX_BYTES = 64 * 1024 * 1024;

/** pcapng bytes per datagram besides its payload: EPB header/trailer (32), Ethernet (14), IPv4 (20), UDP (8), padding (≤ 3). */
const PER_PACKET_OVERHEAD = 32 + 14 + 20 + 8 + 3;
/** Section and interface header blocks. */
const FILE_OVERHEAD = 128;

export interface EchoCaptureOptions {
  maxBytes?: number;
  /** Called once, when the first datagram does not fit. */
  onCapReached?(capture: EchoCapture): void;
}

export class EchoCapture {
  readonly maxBytes: number;
  private readonly writer = new PcapngWriter({ application: 'godot-dtls-lab echo' });
  /** Estimated size of the file so far. */
  bytes = FILE_OVERHEAD;
  recorded = 0;
  /** Datagrams not recorded because the cap was reached. */
  omitted = 0;
  /** Datagrams not recorded because an endpoint was not IPv4 (pcap-writer writes IPv4 only). */
  unsupported = 0;

  constructor(private readonly options: EchoCaptureOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_PCAP_MAX_BYTES;
  }

  get capReached(): boolean {
    return this.omitted > 0;
  }

  /** Records one datagram ("a.b.c.d:port" endpoints); never throws. */
  record(source: string, destination: string, data: Uint8Array): void {
    const size = PER_PACKET_OVERHEAD + data.length;
    if (this.omitted > 0 || this.bytes + size > this.maxBytes) {
      if (this.omitted++ === 0) this.options.onCapReached?.(this);
      return;
    }
    try {
      this.writer.record({ timestampMs: Date.now(), source, destination, data });
      this.bytes += size;
      this.recorded++;
    } catch {
      this.unsupported++;
    }
  }

  toBuffer(): Buffer {
    return this.writer.toBuffer();
  }

  writeFile(path: string): void {
    this.writer.writeFile(path);
  }
}
