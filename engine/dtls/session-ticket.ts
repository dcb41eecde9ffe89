// Stateless session resumption with tickets (RFC 5077): the SessionTicket extension, the
// NewSessionTicket message (§3.3) and TicketKeys, which seals the server's session state into a
// ticket only this server can read. The ticket format is our own (RFC 5077 §4 is only advice):
//
//   key_name (16) || iv (12) || AES-256-GCM(state) || tag (16),  additional data = key_name
//
// Keys come from one secret with HKDF-SHA256, one key per rotation period ("generation"). A ticket
// is accepted while the key that sealed it is at most `lifetimeMs` old and the session itself is
// younger than `lifetimeMs`.

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { ByteReader, ByteWriter } from './bytes';
import type { Clock } from './events';
import type { Extension } from './handshake-messages';
import { wallClock, type SessionState } from './session';

export const SESSION_TICKET_EXTENSION = 35;

const KEY_NAME_LENGTH = 16;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const FORMAT_VERSION = 1;
const FLAG_EMS = 1;
const FLAG_SERVER_NAME = 2;
const FLAG_CLIENT_CERTIFICATE = 4;

export function sessionTicketExtension(ticket: Uint8Array = Buffer.alloc(0)): Extension {
  return { type: SESSION_TICKET_EXTENSION, data: Buffer.from(ticket) };
}

// ---- NewSessionTicket (RFC 5077 §3.3) ---------------------------------------------------------

export interface NewSessionTicket {
  lifetimeHintSeconds: number;
  ticket: Buffer;
}

export function encodeNewSessionTicket(message: NewSessionTicket): Buffer {
  const writer = new ByteWriter();
  const hint = Buffer.alloc(4);
  hint.writeUInt32BE(message.lifetimeHintSeconds >>> 0);
  return writer.bytes(hint).vector16(message.ticket).toBuffer();
}

export function decodeNewSessionTicket(body: Buffer): NewSessionTicket {
  const reader = new ByteReader(body, 'NewSessionTicket');
  const hint = reader.bytes(4).readUInt32BE(0);
  const ticket = Buffer.from(reader.vector16());
  reader.expectEnd();
  return { lifetimeHintSeconds: hint, ticket };
}

// ---- TicketKeys -------------------------------------------------------------------------------

export interface TicketKeysOptions {
  /** Master secret the ticket keys are derived from (at least 32 bytes; random by default). Servers
   * that share it accept each other's tickets. */
  secret?: Uint8Array;
  /** A new ticket key every this many ms of `clock` (default: never rotate). */
  rotateEveryMs?: number;
  /** Sessions older than this are not resumed; also sent as ticket_lifetime_hint (default 2 hours). */
  lifetimeMs?: number;
  /** Clock for issue times, expiry and rotation (default: Date.now). */
  clock?: Clock;
}

export type TicketOpening = { ok: true; state: SessionState } | { ok: false; reason: string };

interface TicketKey {
  name: Buffer;
  key: Buffer;
}

export class TicketKeys {
  readonly lifetimeMs: number;
  readonly rotateEveryMs: number | undefined;
  readonly clock: Clock;
  private readonly secret: Buffer;
  private readonly keys = new Map<number, TicketKey>();

  constructor(options: TicketKeysOptions = {}) {
    this.secret = options.secret ? Buffer.from(options.secret) : randomBytes(32);
    if (this.secret.length < 32) throw new RangeError(`ticket secret must have at least 32 bytes, got ${this.secret.length}`);
    this.lifetimeMs = options.lifetimeMs ?? 2 * 60 * 60 * 1000;
    if (!(this.lifetimeMs > 0)) throw new RangeError(`lifetimeMs must be positive, got ${options.lifetimeMs}`);
    if (options.rotateEveryMs !== undefined && !(options.rotateEveryMs > 0)) throw new RangeError(`rotateEveryMs must be positive, got ${options.rotateEveryMs}`);
    this.rotateEveryMs = options.rotateEveryMs;
    this.clock = options.clock ?? wallClock;
  }

  /** ticket_lifetime_hint for NewSessionTicket, in seconds. */
  get lifetimeHintSeconds(): number {
    return Math.min(0xffffffff, Math.floor(this.lifetimeMs / 1000));
  }

  /** Current key generation (0 when keys never rotate). */
  currentGeneration(): number {
    return this.rotateEveryMs === undefined ? 0 : Math.floor(this.clock.now() / this.rotateEveryMs);
  }

  private keyFor(generation: number): TicketKey {
    let key = this.keys.get(generation);
    if (!key) {
      const salt = Buffer.from('godot-dtls-lab ticket keys', 'ascii');
      const label = (what: string) => Buffer.from(`${what} ${generation}`, 'ascii');
      key = {
        name: Buffer.from(hkdfSync('sha256', this.secret, salt, label('name'), KEY_NAME_LENGTH)),
        key: Buffer.from(hkdfSync('sha256', this.secret, salt, label('key'), 32)),
      };
      this.keys.set(generation, key);
      // Forget generations far in the past.
      for (const old of this.keys.keys()) if (old < generation - this.acceptedGenerations() - 2) this.keys.delete(old);
    }
    return key;
  }

  /** How many previous generations still open tickets. */
  private acceptedGenerations(): number {
    return this.rotateEveryMs === undefined ? 0 : Math.ceil(this.lifetimeMs / this.rotateEveryMs);
  }

  /** Seals a session state with the current key (`state.createdAt` on this object's clock). */
  seal(state: SessionState): Buffer {
    const { name, key } = this.keyFor(this.currentGeneration());
    const iv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_LENGTH });
    cipher.setAAD(name);
    const sealed = Buffer.concat([cipher.update(encodeState(state)), cipher.final()]);
    return Buffer.concat([name, iv, sealed, cipher.getAuthTag()]);
  }

  /** Opens a ticket: fails on an unknown or retired key, a bad tag, a malformed body or an expired session. */
  open(ticket: Uint8Array): TicketOpening {
    const data = Buffer.from(ticket);
    if (data.length < KEY_NAME_LENGTH + IV_LENGTH + TAG_LENGTH + 1) return { ok: false, reason: `ticket too short (${data.length} bytes)` };
    const name = data.subarray(0, KEY_NAME_LENGTH);
    const current = this.currentGeneration();
    let key: TicketKey | undefined;
    for (let generation = current; generation >= current - this.acceptedGenerations(); generation--) {
      const candidate = this.keyFor(generation);
      if (timingSafeEqual(candidate.name, name)) {
        key = candidate;
        break;
      }
    }
    if (!key) return { ok: false, reason: 'ticket was sealed with an unknown or retired key' };
    const iv = data.subarray(KEY_NAME_LENGTH, KEY_NAME_LENGTH + IV_LENGTH);
    const body = data.subarray(KEY_NAME_LENGTH + IV_LENGTH, data.length - TAG_LENGTH);
    const tag = data.subarray(data.length - TAG_LENGTH);
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_LENGTH });
      decipher.setAAD(name);
      decipher.setAuthTag(tag);
      plaintext = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      return { ok: false, reason: 'ticket failed authentication (bad AES-GCM tag)' };
    }
    let state: SessionState;
    try {
      state = decodeState(plaintext);
    } catch (error) {
      return { ok: false, reason: `ticket body is malformed: ${(error as Error).message}` };
    }
    const age = this.clock.now() - state.createdAt;
    if (age < 0 || age > this.lifetimeMs) return { ok: false, reason: `ticket session is expired (age ${Math.round(age)} ms, lifetime ${this.lifetimeMs} ms)` };
    return { ok: true, state };
  }
}

function encodeState(state: SessionState): Buffer {
  let flags = 0;
  if (state.extendedMasterSecret) flags |= FLAG_EMS;
  if (state.serverName !== undefined) flags |= FLAG_SERVER_NAME;
  if (state.clientCertificates && state.clientCertificates.length > 0) flags |= FLAG_CLIENT_CERTIFICATE;
  const writer = new ByteWriter()
    .u8(FORMAT_VERSION)
    .u16(state.suiteCode)
    .u8(flags)
    .u48(Math.max(0, Math.floor(state.createdAt)))
    .vector8(state.masterSecret)
    .vector8(Buffer.from(state.serverName ?? '', 'utf8'))
    .vector8(Buffer.from(state.group, 'ascii'))
    .vector8(Buffer.from(state.signatureScheme, 'ascii'));
  const chain = new ByteWriter();
  for (const der of state.clientCertificates ?? []) chain.vector24(der);
  writer.vector24(chain.toBuffer());
  return writer.toBuffer();
}

function decodeState(plaintext: Buffer): SessionState {
  const reader = new ByteReader(plaintext, 'ticket');
  const version = reader.u8();
  if (version !== FORMAT_VERSION) throw new Error(`unknown ticket format ${version}`);
  const suiteCode = reader.u16();
  const flags = reader.u8();
  const createdAt = reader.u48();
  const masterSecret = Buffer.from(reader.vector8(48, 48));
  const serverName = reader.vector8().toString('utf8');
  const group = reader.vector8().toString('ascii');
  const signatureScheme = reader.vector8().toString('ascii');
  const chainReader = new ByteReader(reader.vector24(), 'ticket certificates');
  reader.expectEnd();
  const clientCertificates: Buffer[] = [];
  while (chainReader.remaining > 0) clientCertificates.push(Buffer.from(chainReader.vector24(1)));
  return {
    masterSecret,
    suiteCode,
    extendedMasterSecret: (flags & FLAG_EMS) !== 0,
    ...((flags & FLAG_SERVER_NAME) !== 0 ? { serverName } : {}),
    group,
    signatureScheme,
    ...((flags & FLAG_CLIENT_CERTIFICATE) !== 0 ? { clientCertificates } : {}),
    createdAt,
  };
}
