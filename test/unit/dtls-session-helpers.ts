// Helpers for the resumption / extension tests: captured datagrams, the handshake messages inside
// them, and traffic keys recomputed from a key log line (to decrypt or forge protected records).

import assert from 'node:assert/strict';
import { createRecordProtection, type RecordProtection } from '../../engine/dtls/cipher-state';
import { cipherSuiteByName, ContentType, DTLS_1_2 } from '../../engine/dtls/constants';
import type { FlightEvent } from '../../engine/dtls';
import { parseKeyLogLine } from '../../engine/dtls/key-log';
import { deriveTrafficKeys } from '../../engine/dtls/key-schedule';
import {
  decodeClientHello,
  decodeHandshakeFragments,
  decodeServerHello,
  type ClientHello,
  type ServerHello,
} from '../../engine/dtls/handshake-messages';
import { encodeRecord, parseDatagram } from '../../engine/dtls/record-layer';
import { VirtualLink, type LinkOptions, type Packet, type TimedEvent } from './dtls-helpers';

/** A link filter that records every datagram (and delivers it unless `drop` says otherwise). */
export function capture(log: Packet[], drop?: (packet: Packet) => boolean): (packet: Packet) => 'deliver' | 'drop' {
  return (packet) => {
    log.push(packet);
    return drop?.(packet) ? 'drop' : 'deliver';
  };
}

export interface PlainMessage {
  msgType: number;
  messageSeq: number;
  body: Buffer;
}

/** The unencrypted (epoch 0), unfragmented handshake messages in a datagram. */
export function plainHandshakeMessages(datagram: Buffer): PlainMessage[] {
  const messages: PlainMessage[] = [];
  for (const record of parseDatagram(datagram).records) {
    if (record.contentType !== ContentType.Handshake || record.epoch !== 0) continue;
    for (const fragment of decodeHandshakeFragments(record.fragment)) {
      if (fragment.fragmentOffset === 0 && fragment.fragmentLength === fragment.length) {
        messages.push({ msgType: fragment.msgType, messageSeq: fragment.messageSeq, body: fragment.body });
      }
    }
  }
  return messages;
}

export function clientHellos(packets: Packet[]): ClientHello[] {
  return packets
    .filter((packet) => packet.direction === 'to-server')
    .flatMap((packet) => plainHandshakeMessages(packet.data))
    .filter((message) => message.msgType === 1)
    .map((message) => decodeClientHello(message.body));
}

export function serverHellos(packets: Packet[]): ServerHello[] {
  return packets
    .filter((packet) => packet.direction === 'to-client')
    .flatMap((packet) => plainHandshakeMessages(packet.data))
    .filter((message) => message.msgType === 2)
    .map((message) => decodeServerHello(message.body));
}

/** "sent 1", "received 2 (again)", ... */
export function flights(link: VirtualLink, who: TimedEvent['who']): string[] {
  return link.eventsOf(who, 'flight').map((event) => {
    const flight = event as FlightEvent;
    return `${flight.direction} ${flight.flight}${flight.retransmission ? ' (again)' : ''}`;
  });
}

export function flightMessages(link: VirtualLink, who: TimedEvent['who'], direction: 'sent' | 'received', number: number): string[] | undefined {
  const flight = link
    .eventsOf(who, 'flight')
    .map((event) => event as FlightEvent)
    .find((event) => event.direction === direction && event.flight === number && !event.retransmission);
  return flight?.messages;
}

/** A handshake over a fresh virtual link that must succeed on both sides. */
export function connectedLink(options: LinkOptions): VirtualLink {
  const link = new VirtualLink(options);
  link.handshake();
  assert.equal(link.client.state, 'connected', `client: ${link.client.failure?.kind}: ${link.client.failure?.message}`);
  assert.equal(link.serverConnection?.state, 'connected', `server: ${link.serverConnection?.failure?.kind}: ${link.serverConnection?.failure?.message}`);
  return link;
}

export interface RecomputedKeys {
  client: RecordProtection;
  server: RecordProtection;
}

/** Record protection of both directions, from a key log line, the server random and the suite name. */
export function keysFromKeyLog(line: string, serverRandom: Buffer, suiteName: string): RecomputedKeys {
  const parsed = parseKeyLogLine(line);
  assert.ok(parsed, `not a CLIENT_RANDOM line: ${line}`);
  const suite = cipherSuiteByName(suiteName);
  assert.ok(suite, `unknown suite ${suiteName}`);
  const keys = deriveTrafficKeys(parsed.masterSecret, parsed.clientRandom, serverRandom, suite.keyLength, suite.fixedIvLength, suite.hash);
  return {
    client: createRecordProtection(suite, keys.clientWriteKey, keys.clientWriteSalt),
    server: createRecordProtection(suite, keys.serverWriteKey, keys.serverWriteSalt),
  };
}

/** One protected record as a datagram. */
export function protectedRecord(protection: RecordProtection, contentType: ContentType, epoch: number, sequence: number, plaintext: Buffer): Buffer {
  return encodeRecord(contentType, DTLS_1_2, epoch, sequence, protection.seal(contentType, DTLS_1_2, epoch, sequence, plaintext));
}

/** Decrypts every protected record of `contentType` in the packets going `direction`. */
export function openRecords(packets: Packet[], direction: Packet['direction'], protection: RecordProtection, contentType: ContentType): Buffer[] {
  const opened: Buffer[] = [];
  for (const packet of packets.filter((p) => p.direction === direction)) {
    for (const record of parseDatagram(packet.data).records) {
      if (record.epoch === 0 || record.contentType !== contentType) continue;
      const plaintext = protection.open(record.contentType, record.version, record.epoch, record.sequence, record.fragment);
      assert.ok(plaintext, `record epoch ${record.epoch} seq ${record.sequence} did not decrypt with the recomputed keys`);
      opened.push(plaintext);
    }
  }
  return opened;
}
