// Counters of datagrams the echo server did not process, by reason, plus a few totals.

export type DropReason =
  | 'rate-limited'
  | 'session-cap'
  | 'source-cap'
  | 'not-a-client-hello'
  | 'record-dropped'
  | 'queue-full'
  | 'simulated-loss'
  | 'oversized'
  | 'callback-error'
  | 'shutting-down';

export class DropCounters {
  readonly drops = new Map<DropReason, number>();
  datagramsIn = 0;
  datagramsOut = 0;
  helloVerifyRequests = 0;
  sessionsStarted = 0;
  sessionsEnded = 0;
  handshakesCompleted = 0;
  echoes = 0;

  drop(reason: DropReason, count = 1): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + count);
  }

  dropped(reason: DropReason): number {
    return this.drops.get(reason) ?? 0;
  }

  get totalDropped(): number {
    let total = 0;
    for (const n of this.drops.values()) total += n;
    return total;
  }

  toJSON(): Record<string, unknown> {
    return {
      datagramsIn: this.datagramsIn,
      datagramsOut: this.datagramsOut,
      helloVerifyRequests: this.helloVerifyRequests,
      sessionsStarted: this.sessionsStarted,
      sessionsEnded: this.sessionsEnded,
      handshakesCompleted: this.handshakesCompleted,
      echoes: this.echoes,
      dropped: Object.fromEntries([...this.drops.entries()].sort(([a], [b]) => a.localeCompare(b))),
    };
  }

  /** Multi-line human summary, printed on exit. */
  describe(): string {
    const lines = [
      `datagrams in ${this.datagramsIn}, out ${this.datagramsOut}; HelloVerifyRequests ${this.helloVerifyRequests}`,
      `sessions started ${this.sessionsStarted}, ended ${this.sessionsEnded}; handshakes ${this.handshakesCompleted}; echoes ${this.echoes}`,
    ];
    const drops = [...this.drops.entries()].sort(([a], [b]) => a.localeCompare(b));
    lines.push(drops.length === 0 ? 'dropped: none' : `dropped: ${drops.map(([reason, n]) => `${reason} ${n}`).join(', ')}`);
    return lines.join('\n');
  }
}
