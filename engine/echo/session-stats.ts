// What the echo server knows about one client session, and the JSON line it logs at its end.

export type SessionEndReason = 'close_notify' | 'alert' | 'failed' | 'idle-timeout' | 'shutdown' | 'queue-full' | 'replaced' | 'script-heap-limit';

export class SessionStats {
  handshakeMs?: number;
  suite?: string;
  group?: string;
  packetsIn = 0;
  packetsOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  echoes = 0;
  lastActivity: number;
  /** Bytes of delayed datagrams waiting to be sent (--delay). */
  queuedBytes = 0;
  endReason?: SessionEndReason;
  alert?: string;
  failure?: string;

  constructor(readonly address: string, readonly startedAt: number) {
    this.lastActivity = startedAt;
  }

  get source(): string {
    return sourceOf(this.address);
  }

  toJSON(now: number): Record<string, unknown> {
    return {
      address: this.address,
      durationMs: Math.round(now - this.startedAt),
      ...(this.handshakeMs !== undefined ? { handshakeMs: Math.round(this.handshakeMs * 10) / 10 } : {}),
      ...(this.suite ? { suite: this.suite, group: this.group } : {}),
      packetsIn: this.packetsIn,
      packetsOut: this.packetsOut,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      echoes: this.echoes,
      ...(this.endReason ? { reason: this.endReason } : {}),
      ...(this.alert ? { alert: this.alert } : {}),
      ...(this.failure ? { failure: this.failure } : {}),
    };
  }
}

/** "1.2.3.4:5" -> "1.2.3.4", "[::1]:5" -> "::1". */
export function sourceOf(address: string): string {
  const index = address.lastIndexOf(':');
  return address.slice(0, index).replace(/^\[|\]$/g, '');
}
