// Stateless cookie exchange (RFC 6347 §4.2.1). A server answers a ClientHello without a valid
// cookie with a HelloVerifyRequest and keeps nothing; the cookie is an HMAC-SHA256 over the
// client's address and the ClientHello fields a client must repeat unchanged. With rotation, the
// key changes every `rotateEveryMs` and cookies of the previous period stay valid.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ByteWriter } from './bytes';
import { ContentType, DTLS_1_0, HANDSHAKE_HEADER_LENGTH, HandshakeType, RECORD_HEADER_LENGTH } from './constants';
import type { DtlsEvent } from './events';
import {
  decodeClientHello,
  decodeHandshakeFragments,
  encodeHelloVerifyRequest,
  encodeWholeHandshake,
  type ClientHello,
} from './handshake-messages';
import { encodeRecord, parseDatagram } from './record-layer';

export type CookieInspection =
  | { kind: 'valid-cookie' }
  | { kind: 'needs-cookie'; reply: Uint8Array; events: DtlsEvent[] }
  | { kind: 'ignored'; reason: string };

export interface CookieAuthorityOptions {
  /** HMAC key; random by default. */
  secret?: Uint8Array;
  /** Rotate the cookie key every this many ms of the `now` passed in (default: never). */
  rotateEveryMs?: number;
}

/** A ClientHello found at the start of a datagram, as the cookie logic needs it. */
export interface LocatedClientHello {
  hello: ClientHello;
  recordSequence: number;
  recordBytes: number;
  messageSeq: number;
  messageBytes: number;
}

const COOKIE_LENGTH = 32;
/** The server numbers its handshake messages (and epoch-0 records) on from the ClientHello's, so a
 * ClientHello too close to the top of either space would leave no room for the handshake. Real
 * clients start at message_seq 0 (1 or 2 after HelloVerifyRequests) and at low record numbers. */
const MAX_CLIENT_HELLO_MESSAGE_SEQ = 0xff00;
const MAX_CLIENT_HELLO_RECORD_SEQUENCE = 2 ** 48 - 2 ** 16;

export class CookieAuthority {
  private readonly secret: Buffer;
  private readonly rotateEveryMs: number | undefined;

  constructor(options: CookieAuthorityOptions = {}) {
    this.secret = options.secret ? Buffer.from(options.secret) : randomBytes(32);
    this.rotateEveryMs = options.rotateEveryMs;
  }

  /** Classifies a datagram from a client we hold no state for. Never throws. */
  inspect(datagram: Uint8Array, clientAddress: string, now: number): CookieInspection {
    const located = CookieAuthority.locateClientHello(Buffer.from(datagram));
    if ('reason' in located) return { kind: 'ignored', reason: located.reason };
    if (this.isValidCookie(located.hello, clientAddress, now)) return { kind: 'valid-cookie' };
    const { reply, events } = this.helloVerifyRequest(located, clientAddress, now);
    return { kind: 'needs-cookie', reply, events };
  }

  /** Finds an unfragmented ClientHello in the first record of an epoch-0 datagram. */
  static locateClientHello(datagram: Buffer): LocatedClientHello | { reason: string } {
    const { records, problem } = parseDatagram(datagram);
    const record = records[0];
    if (!record) return { reason: problem ?? 'empty datagram' };
    if (record.contentType !== ContentType.Handshake || record.epoch !== 0) {
      return { reason: `not a ClientHello (content type ${record.contentType}, epoch ${record.epoch})` };
    }
    try {
      const fragment = decodeHandshakeFragments(record.fragment)[0]!;
      if (fragment.msgType !== HandshakeType.ClientHello) {
        return { reason: `not a ClientHello (handshake type ${fragment.msgType})` };
      }
      if (fragment.fragmentOffset !== 0 || fragment.fragmentLength !== fragment.length) {
        return { reason: 'fragmented ClientHello before the cookie exchange' };
      }
      if (fragment.messageSeq > MAX_CLIENT_HELLO_MESSAGE_SEQ || record.sequence > MAX_CLIENT_HELLO_RECORD_SEQUENCE) {
        return { reason: `ClientHello numbered too high to answer (message_seq ${fragment.messageSeq}, record ${record.sequence})` };
      }
      return {
        hello: decodeClientHello(fragment.body),
        recordSequence: record.sequence,
        recordBytes: record.wireLength,
        messageSeq: fragment.messageSeq,
        messageBytes: 12 + fragment.length,
      };
    } catch (error) {
      return { reason: `malformed ClientHello: ${(error as Error).message}` };
    }
  }

  isValidCookie(hello: ClientHello, clientAddress: string, now: number): boolean {
    if (hello.cookie.length !== COOKIE_LENGTH) return false;
    const generation = this.generation(now);
    const candidates = this.rotateEveryMs === undefined ? [generation] : [generation, generation - 1];
    return candidates.some((g) => timingSafeEqual(this.cookieFor(hello, clientAddress, g), hello.cookie));
  }

  /** The HelloVerifyRequest datagram for a ClientHello, plus the events describing it. */
  helloVerifyRequest(located: LocatedClientHello, clientAddress: string, now: number): { reply: Buffer; events: DtlsEvent[] } {
    const cookie = this.cookieFor(located.hello, clientAddress, this.generation(now));
    const body = encodeHelloVerifyRequest({ serverVersion: DTLS_1_0, cookie });
    const message = encodeWholeHandshake(HandshakeType.HelloVerifyRequest, located.messageSeq, body);
    // RFC 6347 §4.2.1: the HelloVerifyRequest reuses the ClientHello's record sequence number.
    const reply = encodeRecord(ContentType.Handshake, DTLS_1_0, 0, located.recordSequence, message);
    const receivedFlight = located.hello.cookie.length > 0 ? 3 : 1;
    const events: DtlsEvent[] = [
      { type: 'record', at: now, direction: 'received', contentType: 'handshake', epoch: 0, sequence: located.recordSequence, length: located.recordBytes - RECORD_HEADER_LENGTH, encrypted: false },
      {
        type: 'message',
        at: now,
        direction: 'received',
        message: 'ClientHello',
        messageSeq: located.messageSeq,
        epoch: 0,
        bytes: located.messageBytes,
        fragmented: false,
        fragments: [{ fragmentOffset: 0, fragmentLength: located.messageBytes - HANDSHAKE_HEADER_LENGTH }],
      },
      { type: 'flight', at: now, direction: 'received', flight: receivedFlight, messages: ['ClientHello'], bytes: located.recordBytes, datagrams: 1, retransmission: false },
      { type: 'record', at: now, direction: 'sent', contentType: 'handshake', epoch: 0, sequence: located.recordSequence, length: message.length, encrypted: false },
      {
        type: 'message',
        at: now,
        direction: 'sent',
        message: 'HelloVerifyRequest',
        messageSeq: located.messageSeq,
        epoch: 0,
        bytes: message.length,
        fragmented: false,
        fragments: [{ fragmentOffset: 0, fragmentLength: body.length }],
      },
      { type: 'flight', at: now, direction: 'sent', flight: 2, messages: ['HelloVerifyRequest'], bytes: reply.length, datagrams: 1, retransmission: false },
    ];
    return { reply, events };
  }

  private generation(now: number): number {
    return this.rotateEveryMs === undefined ? 0 : Math.floor(now / this.rotateEveryMs);
  }

  private cookieFor(hello: ClientHello, clientAddress: string, generation: number): Buffer {
    const suites = new ByteWriter();
    for (const suite of hello.cipherSuites) suites.u16(suite);
    const input = new ByteWriter()
      .vector16(Buffer.from(clientAddress, 'utf8'))
      .u16(hello.clientVersion)
      .bytes(hello.random)
      .vector8(hello.sessionId)
      .vector16(suites.toBuffer())
      .vector8(Buffer.from(hello.compressionMethods))
      .toBuffer();
    const key = this.rotateEveryMs === undefined ? this.secret : createHmac('sha256', this.secret).update(`generation ${generation}`).digest();
    return createHmac('sha256', key).update(input).digest();
  }
}
