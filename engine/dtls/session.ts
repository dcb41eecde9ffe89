// Sessions for the abbreviated handshake (RFC 5246 §7.3, §7.4.1.2; RFC 6347 §4.2.4):
// - DtlsSession: what a client keeps after a handshake and offers later (`resumeSession`).
// - SessionState: what a server needs to resume (kept in a SessionCache or sealed into a ticket).
// - SessionCache: a bounded LRU of SessionState keyed by session id, with a lifetime, that many
//   server connections can share.

import { randomBytes } from 'node:crypto';
import type { Clock } from './events';

/** Wall clock in milliseconds (Date.now); the default clock of caches and ticket keys. */
export const wallClock: Clock = { now: () => Date.now() };

export const SESSION_ID_LENGTH = 32;

/**
 * A session as the client sees it. Treat it as opaque: keep it and pass it as `resumeSession` to a
 * later connection to the same server. Holds the master secret: do not log it.
 */
export interface DtlsSession {
  /** Session id chosen by the server (may be empty when the server only issues tickets). */
  readonly id: Uint8Array;
  /** RFC 5077 ticket from NewSessionTicket, if the server sent one. */
  readonly ticket?: Uint8Array;
  /** ticket_lifetime_hint in seconds (0: unspecified). */
  readonly ticketLifetimeSeconds?: number;
  /** 48-byte master secret. */
  readonly masterSecret: Uint8Array;
  /** IANA name of the cipher suite, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
  readonly suite: string;
  /** Code point of the cipher suite. */
  readonly suiteCode: number;
  readonly extendedMasterSecret: boolean;
  /** server_name the session was made for (undefined when none was sent). */
  readonly serverName?: string;
  /** Group and signature scheme of the full handshake that created the session. */
  readonly group: string;
  readonly signatureScheme: string;
  /** Date.now() when the session was created or last renewed. */
  readonly createdAt: number;
}

/** What a server needs to resume a session (RFC 5246 §7.3: the session state). */
export interface SessionState {
  masterSecret: Buffer;
  suiteCode: number;
  extendedMasterSecret: boolean;
  /** Host name of the full handshake's server_name ('' for an empty one, undefined for none). */
  serverName?: string;
  group: string;
  signatureScheme: string;
  /** Client certificate chain (DER, leaf first) when the client authenticated. */
  clientCertificates?: Buffer[];
  /** Time (the cache's or ticket keys' clock, ms) when the full handshake completed. */
  createdAt: number;
}

export interface SessionCacheOptions {
  /** Most sessions kept; the least recently used one is evicted first (default 1024). */
  maxEntries?: number;
  /** A session older than this is not resumed (default 2 hours, RFC 5246 suggests at most 24 h). */
  lifetimeMs?: number;
  /** Clock for creation times and expiry (default: Date.now). */
  clock?: Clock;
}

/** Server-side session-id cache: a bounded LRU with a lifetime, shareable by many connections. */
export class SessionCache {
  readonly maxEntries: number;
  readonly lifetimeMs: number;
  readonly clock: Clock;
  private readonly entries = new Map<string, SessionState>();

  constructor(options: SessionCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1024;
    this.lifetimeMs = options.lifetimeMs ?? 2 * 60 * 60 * 1000;
    this.clock = options.clock ?? wallClock;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${options.maxEntries}`);
    if (!(this.lifetimeMs > 0)) throw new RangeError(`lifetimeMs must be positive, got ${options.lifetimeMs}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** A fresh random 32-byte session id. */
  static newSessionId(): Buffer {
    return randomBytes(SESSION_ID_LENGTH);
  }

  /** Stores (or replaces) a session; evicts the least recently used ones beyond maxEntries. */
  store(id: Uint8Array, state: SessionState): void {
    if (id.length === 0 || id.length > SESSION_ID_LENGTH) throw new RangeError(`session id must be 1..32 bytes, got ${id.length}`);
    const key = Buffer.from(id).toString('hex');
    this.entries.delete(key);
    this.entries.set(key, copyState(state));
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** The session, if known and not expired; marks it as recently used. Expired entries are removed. */
  lookup(id: Uint8Array): SessionState | undefined {
    if (id.length === 0) return undefined;
    const key = Buffer.from(id).toString('hex');
    const state = this.entries.get(key);
    if (!state) return undefined;
    const age = this.clock.now() - state.createdAt;
    if (age > this.lifetimeMs || age < 0) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, state);
    return copyState(state);
  }

  /** Forgets a session (e.g. after a fatal alert). */
  remove(id: Uint8Array): boolean {
    return this.entries.delete(Buffer.from(id).toString('hex'));
  }

  clear(): void {
    this.entries.clear();
  }
}

function copyState(state: SessionState): SessionState {
  return {
    ...state,
    masterSecret: Buffer.from(state.masterSecret),
    ...(state.clientCertificates ? { clientCertificates: state.clientCertificates.map((der) => Buffer.from(der)) } : {}),
  };
}

/** Host names compare case-insensitively; '' (Godot's empty name) and no server_name are the same. */
export function sameServerName(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
}
