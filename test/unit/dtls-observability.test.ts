// Observability events: per-record events in and out, fragment ranges on message events, timer
// events (retransmission timer and handshake deadline), plain-language alert meanings, and that a
// connection nobody listens to builds none of the per-record events.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alertMeaning,
  alertName,
  DtlsConnection,
  type AlertEvent,
  type DtlsEvent,
  type MessageEvent,
  type RecordEvent,
  type TimerEvent,
} from '../../engine/dtls';
import { parseDatagram } from '../../engine/dtls/record-layer';
import { ecdsaCredentials, firstHandshakeType, rsaCredentials, VirtualLink, type Packet } from './dtls-helpers';

const records = (link: VirtualLink, who: 'client' | 'server') => link.eventsOf(who, 'record') as RecordEvent[];
const timers = (link: VirtualLink, who: 'client' | 'server') => link.eventsOf(who, 'timer') as TimerEvent[];
const describeRecord = (r: RecordEvent) => `${r.direction} ${r.contentType} e${r.epoch} s${r.sequence}${r.encrypted ? ' enc' : ''}`;

function echo(link: VirtualLink, text: string): void {
  link.client.sendApplicationData(Buffer.from(text));
  link.run(() => (link.serverConnection?.pendingApplicationData() ?? 0) > 0);
  link.serverConnection!.sendApplicationData(link.serverConnection!.readApplicationData()!);
  link.run(() => link.client.pendingApplicationData() > 0);
  assert.equal(Buffer.from(link.client.readApplicationData()!).toString(), text);
}

describe('DTLS record events', () => {
  it('reports every record in and out with content type, epoch, sequence, length and encryption', () => {
    const wire: Array<{ direction: Packet['direction']; data: Buffer }> = [];
    const link = new VirtualLink({
      server: ecdsaCredentials(),
      client: { cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] },
      filter: (packet) => {
        wire.push({ direction: packet.direction, data: Buffer.from(packet.data) });
        return 'deliver';
      },
    });
    link.handshake();
    assert.equal(link.client.state, 'connected', link.client.failure?.message);
    echo(link, 'hello records');
    link.client.close();
    link.run(() => link.serverConnection?.state === 'closed');

    const client = records(link, 'client');
    assert.deepEqual(
      client.filter((r) => r.direction === 'sent').map(describeRecord),
      [
        'sent handshake e0 s0', // ClientHello
        'sent handshake e0 s1', // ClientHello + cookie
        'sent handshake e0 s2', // ClientKeyExchange
        'sent change_cipher_spec e0 s3',
        'sent handshake e1 s0 enc', // Finished
        'sent application_data e1 s1 enc',
        'sent alert e1 s2 enc', // close_notify
      ],
    );
    // What one side sent is what the other received, record for record (the server's stateless
    // HelloVerifyRequest is reported by the cookie step).
    const serverSent = [...(link.eventsOf('cookie', 'record') as RecordEvent[]), ...records(link, 'server')].filter((r) => r.direction === 'sent');
    const clientReceived = client.filter((r) => r.direction === 'received');
    assert.deepEqual(
      clientReceived.map((r) => [r.contentType, r.epoch, r.sequence, r.length, r.encrypted]),
      serverSent.map((r) => [r.contentType, r.epoch, r.sequence, r.length, r.encrypted]),
    );
    // Lengths are the records' length fields: they add up to the datagrams on the wire.
    const clientWire = wire.filter((p) => p.direction === 'to-server');
    assert.equal(
      client.filter((r) => r.direction === 'sent').reduce((sum, r) => sum + 13 + r.length, 0),
      clientWire.reduce((sum, p) => sum + p.data.length, 0),
    );
    for (const packet of clientWire) for (const record of parseDatagram(packet.data).records) assert.ok(client.some((r) => r.direction === 'sent' && r.sequence === record.sequence && r.epoch === record.epoch && r.length === record.fragment.length));
    // AES-128-GCM: 8-byte explicit nonce + 16-byte tag around the plaintext.
    const data = client.find((r) => r.contentType === 'application_data' && r.direction === 'sent')!;
    assert.equal(data.length, 'hello records'.length + 24);
    const alert = client.find((r) => r.contentType === 'alert')!;
    assert.equal(alert.length, 2 + 24);
    // Each record event precedes what it carried: the server's received close_notify alert event follows its record.
    const serverEvents = link.events.filter((e) => e.who === 'server').map((e) => e.event);
    const alertRecord = serverEvents.findIndex((e) => e.type === 'record' && e.direction === 'received' && e.contentType === 'alert');
    const alertEvent = serverEvents.findIndex((e) => e.type === 'alert' && e.direction === 'received');
    assert.ok(alertRecord >= 0 && alertRecord < alertEvent);
  });

  it('reports ChaCha20-Poly1305 records with a 16-byte tag and no explicit nonce, and records that fail authentication', () => {
    const link = new VirtualLink({ server: ecdsaCredentials(), client: { cipherSuites: ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'] } });
    link.handshake();
    echo(link, 'chacha');
    const sent = records(link, 'client').find((r) => r.contentType === 'application_data')!;
    assert.equal(sent.length, 'chacha'.length + 16);
    // A corrupted record is still reported as received (it is on the wire), then dropped.
    link.client.sendApplicationData(Buffer.from('x'));
    const before = records(link, 'server').length;
    link.run(() => false, link.clock.now() + 1);
    const lastDatagram = records(link, 'server').slice(before);
    assert.equal(lastDatagram.length, 1);
    const forged = Buffer.alloc(13 + 17);
    forged[0] = 23;
    forged.writeUInt16BE(0xfefd, 1);
    forged.writeUInt16BE(1, 3);
    forged.writeUIntBE(99, 5, 6);
    forged.writeUInt16BE(17, 11);
    link.inject('server', forged);
    link.run(() => false, link.clock.now() + 1);
    const last = records(link, 'server').at(-1)!;
    assert.deepEqual([last.direction, last.contentType, last.epoch, last.sequence, last.length, last.encrypted], ['received', 'application_data', 1, 99, 17, true]);
    assert.match((link.eventsOf('server', 'record-dropped').at(-1) as { reason: string }).reason, /failed authentication/);
  });

  it('builds no record, timer or message events when nobody listens (endpoints watch states without onEvent)', () => {
    const prototype = DtlsConnection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = prototype['emitRecord']!;
    let calls = 0;
    prototype['emitRecord'] = function (this: unknown, ...args: unknown[]) {
      calls++;
      return original.apply(this, args);
    };
    try {
      const link = new VirtualLink({ server: ecdsaCredentials() });
      // VirtualLink listens to both sides; a bare pair through the same endpoint does not.
      link.handshake();
      assert.ok(calls > 0, 'listened-to connections report records');
      calls = 0;
      const toServer: Buffer[] = [];
      const toClient: Buffer[] = [];
      const { DtlsServerEndpoint } = require('../../engine/dtls') as typeof import('../../engine/dtls');
      const clock = { now: () => 0 };
      const endpoint = new DtlsServerEndpoint({ clock, ...ecdsaCredentials(), sendTo: (_a, d) => toClient.push(Buffer.from(d)) });
      const client = new DtlsConnection({
        role: 'client',
        clock,
        send: (d) => toServer.push(Buffer.from(d)),
        verify: { mode: 'chain', trustedCaPems: [ecdsaCredentials().certificatePem], hostname: 'localhost' },
      });
      client.start();
      for (let i = 0; i < 20 && (toServer.length || toClient.length); i++) {
        for (let d = toServer.shift(); d; d = toServer.shift()) endpoint.receive('10.0.0.1:1', d);
        for (let d = toClient.shift(); d; d = toClient.shift()) client.receive(d);
      }
      assert.equal(client.state, 'connected');
      assert.equal(endpoint.connections.get('10.0.0.1:1')?.state, 'connected');
      assert.equal(calls, 0);
      // The endpoint still forgets a connection once it closes (state watcher, not onEvent).
      client.close();
      for (let d = toServer.shift(); d; d = toServer.shift()) endpoint.receive('10.0.0.1:1', d);
      assert.equal(endpoint.connections.size, 0);
    } finally {
      prototype['emitRecord'] = original;
    }
  });
});

describe('DTLS message fragment ranges', () => {
  it('lists the fragments a message went out in and was reassembled from', () => {
    const link = new VirtualLink({ server: rsaCredentials(), serverMtu: 300 });
    link.handshake();
    assert.equal(link.client.state, 'connected', link.client.failure?.message);
    const sentCertificate = (link.eventsOf('server', 'message') as MessageEvent[]).find((m) => m.direction === 'sent' && m.message === 'Certificate')!;
    const receivedCertificate = (link.eventsOf('client', 'message') as MessageEvent[]).find((m) => m.direction === 'received' && m.message === 'Certificate')!;
    const bodyLength = sentCertificate.bytes - 12;
    assert.equal(sentCertificate.fragmented, true);
    assert.ok(sentCertificate.fragments.length >= 3, JSON.stringify(sentCertificate.fragments));
    // Contiguous, in order, covering the whole body, each fitting the MTU.
    let next = 0;
    for (const range of sentCertificate.fragments) {
      assert.equal(range.fragmentOffset, next);
      assert.ok(range.fragmentLength > 0 && range.fragmentLength <= 300 - 13 - 12);
      next += range.fragmentLength;
    }
    assert.equal(next, bodyLength);
    assert.deepEqual(receivedCertificate.fragments, sentCertificate.fragments);

    // Unfragmented messages: one range over the whole body; HelloVerifyRequest from the cookie step too.
    const finished = (link.eventsOf('client', 'message') as MessageEvent[]).find((m) => m.direction === 'sent' && m.message === 'Finished')!;
    assert.deepEqual(finished.fragments, [{ fragmentOffset: 0, fragmentLength: 12 }]);
    assert.equal(finished.fragmented, false);
    const hvr = (link.eventsOf('cookie', 'message') as MessageEvent[]).find((m) => m.message === 'HelloVerifyRequest')!;
    assert.deepEqual(hvr.fragments, [{ fragmentOffset: 0, fragmentLength: hvr.bytes - 12 }]);
    const clientHello = (link.eventsOf('cookie', 'message') as MessageEvent[]).find((m) => m.message === 'ClientHello')!;
    assert.deepEqual(clientHello.fragments, [{ fragmentOffset: 0, fragmentLength: clientHello.bytes - 12 }]);
  });

  it('lists retransmitted fragments as they arrived (duplicates included)', () => {
    // Drop the second datagram of the server's flight 4: the client then reassembles the
    // Certificate from the first transmission plus the whole retransmission.
    let flight4Datagrams = 0;
    const link = new VirtualLink({
      server: rsaCredentials(),
      serverMtu: 300,
      filter: (packet) => {
        if (packet.direction !== 'to-client') return 'deliver';
        if (firstHandshakeType(packet.data) === 2 || (flight4Datagrams > 0 && flight4Datagrams < 100)) {
          flight4Datagrams++;
          if (flight4Datagrams === 2) return 'drop';
        }
        return 'deliver';
      },
    });
    link.handshake();
    assert.equal(link.client.state, 'connected', link.client.failure?.message);
    const received = (link.eventsOf('client', 'message') as MessageEvent[]).find((m) => m.direction === 'received' && m.message === 'Certificate')!;
    const sent = (link.eventsOf('server', 'message') as MessageEvent[]).find((m) => m.direction === 'sent' && m.message === 'Certificate')!;
    assert.ok(received.fragments.length > sent.fragments.length, JSON.stringify(received.fragments));
    const covered = new Set(received.fragments.map((r) => `${r.fragmentOffset}+${r.fragmentLength}`));
    for (const range of sent.fragments) assert.ok(covered.has(`${range.fragmentOffset}+${range.fragmentLength}`));
  });
});

describe('DTLS timer events', () => {
  it('reports the retransmission timer armed, expired and cancelled with its value, and the handshake deadline', () => {
    let droppedFlight4 = false;
    let droppedFlight5 = false;
    const link = new VirtualLink({
      server: rsaCredentials(),
      filter: (packet) => {
        if (!droppedFlight4 && packet.direction === 'to-client' && firstHandshakeType(packet.data) === 2) return (droppedFlight4 = true), 'drop';
        if (!droppedFlight5 && packet.direction === 'to-server' && firstHandshakeType(packet.data) === 16) return (droppedFlight5 = true), 'drop';
        return 'deliver';
      },
    });
    link.handshake();
    assert.equal(link.client.state, 'connected', link.client.failure?.message);
    assert.deepEqual(
      timers(link, 'client').map((t) => `${t.at} ${t.timer} ${t.action} ${t.timeoutMs}${t.flight !== undefined ? ` flight ${t.flight}` : ''}`),
      [
        '0 handshake armed 60000',
        '0 retransmission armed 1000 flight 1',
        '0 retransmission cancelled 1000 flight 1', // HelloVerifyRequest answered flight 1
        '0 retransmission armed 1000 flight 3',
        '1000 retransmission expired 1000 flight 3', // flight 4 lost
        '1000 retransmission armed 2000 flight 3',
        '1000 retransmission cancelled 2000 flight 3',
        '1000 retransmission armed 2000 flight 5', // keeps the backed-off value
        '3000 retransmission expired 2000 flight 5', // flight 5 lost
        '3000 retransmission armed 4000 flight 5',
        '3000 retransmission cancelled 4000 flight 5', // flight 6 arrived
        '3000 handshake cancelled 60000',
      ],
    );
    // The expiry comes right before its retransmit event.
    const clientEvents = link.events.filter((e) => e.who === 'client').map((e) => e.event);
    const expired = clientEvents.findIndex((e) => e.type === 'timer' && e.action === 'expired');
    assert.equal(clientEvents[expired + 1]?.type, 'retransmit');
    // Server (no cookie state before flight 3): armed for flight 4, and flight 6 needs no timer.
    const server = timers(link, 'server').map((t) => `${t.timer} ${t.action}${t.flight !== undefined ? ` ${t.flight}` : ''}`);
    assert.equal(server[0], 'handshake armed');
    assert.equal(server[1], 'retransmission armed 4');
    assert.equal(server.at(-1), 'handshake cancelled');
  });

  it('reports the handshake deadline expiring', () => {
    const link = new VirtualLink({ server: rsaCredentials(), client: { handshakeTimeoutMs: 5000 }, filter: () => 'drop' });
    link.handshake();
    assert.equal(link.client.failure?.kind, 'handshake-timeout');
    const events = timers(link, 'client');
    const expiry = events.find((t) => t.timer === 'handshake' && t.action === 'expired');
    assert.deepEqual(expiry && [expiry.at, expiry.timeoutMs], [5000, 5000]);
    assert.deepEqual(
      events.filter((t) => t.timer === 'retransmission').map((t) => `${t.at} ${t.action} ${t.timeoutMs}`),
      ['0 armed 1000', '1000 expired 1000', '1000 armed 2000', '3000 expired 2000', '3000 armed 4000', '5000 cancelled 4000'],
    );
    assert.ok(!events.some((t) => t.timer === 'handshake' && t.action === 'cancelled'), 'an expired deadline is not also cancelled');
  });
});

describe('DTLS alert meanings', () => {
  const REQUIRED: Record<number, string> = {
    0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 21: 'decryption_failed', 22: 'record_overflow',
    30: 'decompression_failure', 40: 'handshake_failure', 41: 'no_certificate', 42: 'bad_certificate', 43: 'unsupported_certificate',
    44: 'certificate_revoked', 45: 'certificate_expired', 46: 'certificate_unknown', 47: 'illegal_parameter', 48: 'unknown_ca',
    49: 'access_denied', 50: 'decode_error', 51: 'decrypt_error', 60: 'export_restriction', 70: 'protocol_version',
    71: 'insufficient_security', 80: 'internal_error', 86: 'inappropriate_fallback', 90: 'user_canceled', 100: 'no_renegotiation',
    109: 'missing_extension', 110: 'unsupported_extension', 112: 'unrecognized_name', 115: 'unknown_psk_identity', 120: 'no_application_protocol',
  };

  it('names and explains every alert of RFC 5246 §7.2 and the later ones', () => {
    const seen = new Set<string>();
    for (const [code, name] of Object.entries(REQUIRED)) {
      assert.equal(alertName(Number(code)), name);
      const received = alertMeaning(Number(code), 'received');
      assert.doesNotMatch(received, /which this engine does not know|\{who\}/, name);
      assert.doesNotMatch(alertMeaning(Number(code), 'sent'), /the peer|\{who\}/, name);
      assert.ok(!seen.has(received), `${name} shares its meaning`);
      seen.add(received);
    }
    assert.equal(alertMeaning(42, 'received'), 'the peer rejected the certificate it was given');
    assert.equal(alertMeaning(42, 'sent'), 'this endpoint rejected the certificate it was given');
    assert.equal(alertMeaning(48, 'received'), "the certificate's issuer is not trusted by the peer");
    assert.equal(alertMeaning(51, 'received'), 'a signature or Finished check failed');
    assert.equal(alertMeaning(40, 'received'), 'no acceptable set of security parameters (suite, group, signature) could be agreed');
    assert.equal(alertMeaning(0, 'received'), 'the peer closed the session normally');
    assert.match(alertMeaning(222, 'received'), /alert code 222/);
  });

  it('puts the meaning on alert events in both directions and into peer-alert failures', () => {
    const link = new VirtualLink({
      server: rsaCredentials(),
      client: { verify: { mode: 'chain', trustedCaPems: [ecdsaCredentials().certificatePem], hostname: 'localhost' } },
    });
    link.handshake();
    const sent = link.eventsOf('client', 'alert') as AlertEvent[];
    const received = link.eventsOf('server', 'alert') as AlertEvent[];
    assert.deepEqual(sent.map((a) => [a.direction, a.description, a.meaning]), [['sent', 'unknown_ca', "the certificate's issuer is not trusted by this endpoint"]]);
    assert.deepEqual(received.map((a) => [a.direction, a.description, a.meaning]), [['received', 'unknown_ca', "the certificate's issuer is not trusted by the peer"]]);
    assert.equal(link.serverConnection?.failure?.message, "peer sent fatal alert unknown_ca: the certificate's issuer is not trusted by the peer");

    const closing = new VirtualLink({ server: ecdsaCredentials() });
    closing.handshake();
    closing.client.close();
    closing.run(() => closing.serverConnection?.state === 'closed');
    const closeNotify = (closing.eventsOf('server', 'alert') as AlertEvent[]).find((a) => a.direction === 'received');
    assert.equal(closeNotify?.meaning, 'the peer closed the session normally');
  });
});

// Keep the DtlsEvent union honest: a switch over the new types compiles.
export function eventSummary(event: DtlsEvent): string {
  switch (event.type) {
    case 'record':
      return `${event.contentType}/${event.epoch}/${event.sequence}`;
    case 'timer':
      return `${event.timer} ${event.action}`;
    default:
      return event.type;
  }
}
