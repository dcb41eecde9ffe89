// The echo server's sessions, keyed by client address AND port ("ip:port"): per-source counts for
// the caps, and idle expiry against an injectable clock (tests use a fake one).

import { SessionStats } from './session-stats';

export interface SessionTableOptions {
  clock: { now(): number };
  idleTimeoutMs: number;
  maxSessions: number;
  maxSessionsPerSource: number;
}

export type AdmitVerdict = 'ok' | 'session-cap' | 'source-cap';

export class SessionTable<T> {
  private readonly sessions = new Map<string, { value: T; stats: SessionStats }>();
  private readonly perSource = new Map<string, number>();

  constructor(private readonly options: SessionTableOptions) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Whether a new session from `source` (an IP) would fit under the caps. */
  admit(source: string): AdmitVerdict {
    if (this.sessions.size >= this.options.maxSessions) return 'session-cap';
    if ((this.perSource.get(source) ?? 0) >= this.options.maxSessionsPerSource) return 'source-cap';
    return 'ok';
  }

  add(address: string, value: T): SessionStats {
    this.remove(address);
    const stats = new SessionStats(address, this.options.clock.now());
    this.sessions.set(address, { value, stats });
    this.perSource.set(stats.source, (this.perSource.get(stats.source) ?? 0) + 1);
    return stats;
  }

  get(address: string): { value: T; stats: SessionStats } | undefined {
    return this.sessions.get(address);
  }

  countFrom(source: string): number {
    return this.perSource.get(source) ?? 0;
  }

  touch(address: string): void {
    const entry = this.sessions.get(address);
    if (entry) entry.stats.lastActivity = this.options.clock.now();
  }

  remove(address: string): { value: T; stats: SessionStats } | undefined {
    const entry = this.sessions.get(address);
    if (!entry) return undefined;
    this.sessions.delete(address);
    const left = (this.perSource.get(entry.stats.source) ?? 1) - 1;
    if (left <= 0) this.perSource.delete(entry.stats.source);
    else this.perSource.set(entry.stats.source, left);
    return entry;
  }

  /** Sessions idle for at least idleTimeoutMs at the clock's now (not removed: the caller closes them). */
  idle(): Array<{ address: string; value: T; stats: SessionStats }> {
    const now = this.options.clock.now();
    const out: Array<{ address: string; value: T; stats: SessionStats }> = [];
    for (const [address, entry] of this.sessions) {
      if (now - entry.stats.lastActivity >= this.options.idleTimeoutMs) out.push({ address, ...entry });
    }
    return out;
  }

  entries(): Array<{ address: string; value: T; stats: SessionStats }> {
    return [...this.sessions].map(([address, entry]) => ({ address, ...entry }));
  }
}
