// Loss, retransmission, timeouts and garbage on the virtual link.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DtlsEvent, FlightEvent, RetransmitEvent } from '../../engine/dtls';
import { firstHandshakeType, rsaCredentials, VirtualLink, type Packet } from './dtls-helpers';

const SERVER_HELLO = 2;
const CLIENT_KEY_EXCHANGE = 16;

function dropFirst(predicate: (packet: Packet) => boolean) {
  let dropped = false;
  return (packet: Packet): 'deliver' | 'drop' => {
    if (!dropped && predicate(packet)) {
      dropped = true;
      return 'drop';
    }
    return 'deliver';
  };
}

describe('DTLS loss and retransmission (virtual clock)', () => {
  it('recovers from losing flight 4 and flight 5: retransmits after 1 s, then after 2 s', () => {
    const dropFlight4 = dropFirst((p) => p.direction === 'to-client' && firstHandshakeType(p.data) === SERVER_HELLO);
    const dropFlight5 = dropFirst((p) => p.direction === 'to-server' && firstHandshakeType(p.data) === CLIENT_KEY_EXCHANGE);
    const link = new VirtualLink({
      server: rsaCredentials(),
      filter: (packet) => (dropFlight4(packet) === 'drop' || dropFlight5(packet) === 'drop' ? 'drop' : 'deliver'),
    });
    link.handshake();
    assert.equal(link.client.state, 'connected', link.client.failure?.message);
    assert.equal(link.serverConnection?.state, 'connected');

    const retransmits = link.eventsOf('client', 'retransmit') as RetransmitEvent[];
    assert.deepEqual(
      retransmits.map((r) => ({ at: r.at, flight: r.flight, attempt: r.attempt, nextTimeoutMs: r.nextTimeoutMs, reason: r.reason })),
      [
        // Flight 3 (ClientHello+cookie) sent at 0: no flight 4 by 1 s.
        { at: 1000, flight: 3, attempt: 1, nextTimeoutMs: 2000, reason: 'timeout' },
        // Flight 5 sent at 1000 keeps the backed-off 2 s timer: retransmitted at 3000.
        { at: 3000, flight: 5, attempt: 1, nextTimeoutMs: 4000, reason: 'timeout' },
      ],
    );
    const serverRetransmits = link.eventsOf('server', 'retransmit') as RetransmitEvent[];
    assert.equal(serverRetransmits[0]?.flight, 4);
    assert.equal(serverRetransmits[0]?.at, 1000);
    const sentAgain = (link.eventsOf('client', 'flight') as FlightEvent[]).filter((f) => f.direction === 'sent' && f.retransmission);
    assert.deepEqual(sentAgain.map((f) => [f.flight, f.at]), [[3, 1000], [5, 3000]]);
    const complete = link.eventsOf('client', 'handshake-complete')[0]!;
    assert.equal(complete.at, 3000);
  });

  it('repeats flight 6 when the client repeats flight 5 (server final flight lost)', () => {
    let serverFinalDropped = false;
    const link = new VirtualLink({
      server: rsaCredentials(),
      latencyMs: 10,
      filter: (packet) => {
        // Flight 6 is the first to-client datagram whose first record is a ChangeCipherSpec.
        if (!serverFinalDropped && packet.direction === 'to-client' && packet.data[0] === 20) {
          serverFinalDropped = true;
          return 'drop';
        }
        return 'deliver';
      },
    });
    link.handshake();
    assert.equal(serverFinalDropped, true);
    assert.equal(link.client.state, 'connected', link.client.failure?.message);
    const serverRetransmit = link.eventsOf('server', 'retransmit') as RetransmitEvent[];
    assert.equal(serverRetransmit.length, 1);
    assert.equal(serverRetransmit[0]!.flight, 6);
    assert.equal(serverRetransmit[0]!.reason, 'peer-retransmission');
    const repeated = (link.eventsOf('server', 'flight') as FlightEvent[]).find((f) => f.direction === 'received' && f.retransmission);
    assert.equal(repeated?.flight, 5);
    // Flight 5 left at 40 ms; the client's 1 s timer repeats it at 1040, the answer lands 20 ms later.
    assert.equal(link.eventsOf('client', 'handshake-complete')[0]!.at, 1060);
  });

  it('backs off 1, 2, 4, 8... s up to the cap and fails at the handshake timeout', () => {
    const link = new VirtualLink({
      server: rsaCredentials(),
      client: { initialRetransmitMs: 1000, maxRetransmitMs: 8000, handshakeTimeoutMs: 30_000 },
      filter: () => 'drop',
    });
    link.handshake();
    assert.equal(link.client.state, 'failed');
    assert.equal(link.client.failure?.kind, 'handshake-timeout');
    assert.match(link.client.failure!.message, /within 30000 ms/);
    const times = (link.eventsOf('client', 'retransmit') as RetransmitEvent[]).map((r) => r.at);
    assert.deepEqual(times, [1000, 3000, 7000, 15000, 23000]);
    const failure = link.eventsOf('client', 'failure')[0]!;
    assert.equal(failure.at, 30_000);
    assert.equal(link.client.nextTimeout(), undefined);
  });

  it('drops garbage, truncated, forged and wrong-epoch datagrams without throwing', () => {
    const link = new VirtualLink({ server: rsaCredentials() });
    // Garbage before any handshake goes to the stateless cookie check and is ignored.
    link.inject('server', Buffer.from('definitely not dtls'));
    link.handshake();
    assert.equal(link.client.state, 'connected');
    const server = link.serverConnection!;

    const garbage = [
      Buffer.alloc(0),
      Buffer.from([0xff, 0x00, 0x01]),
      Buffer.from('hello world, this is not a record'),
      // Application data record in epoch 1 with a random (unauthenticated) body.
      Buffer.concat([Buffer.from([23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 99, 0, 40]), Buffer.alloc(40, 7)]),
      // Epoch 5.
      Buffer.concat([Buffer.from([23, 0xfe, 0xfd, 0, 5, 0, 0, 0, 0, 0, 1, 0, 4]), Buffer.alloc(4)]),
      // Length beyond the datagram.
      Buffer.from([22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 1, 0x10, 0x00, 1, 2, 3]),
      // Unencrypted application data.
      Buffer.concat([Buffer.from([23, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 9, 0, 2]), Buffer.from('hi')]),
    ];
    for (const datagram of garbage) {
      assert.doesNotThrow(() => link.client.receive(datagram));
      assert.doesNotThrow(() => server.receive(datagram));
    }
    // The connection still works afterwards.
    link.client.sendApplicationData(Buffer.from('genuine'));
    link.run(() => server.pendingApplicationData() > 0);
    assert.equal(Buffer.from(server.readApplicationData()!).toString(), 'genuine');

    const reasons = (link.eventsOf('client', 'record-dropped') as Array<Extract<DtlsEvent, { type: 'record-dropped' }>>).map((e) => e.reason);
    assert.ok(reasons.some((r) => r.includes('authentication')), reasons.join('\n'));
    assert.ok(reasons.some((r) => r.includes('epoch 5')), reasons.join('\n'));
    assert.ok(reasons.some((r) => r.includes('exceeds')), reasons.join('\n'));
    assert.ok(reasons.some((r) => r.includes('unknown record content type')), reasons.join('\n'));
    assert.ok(reasons.some((r) => r.includes('unencrypted application data')), reasons.join('\n'));
    const stateless = (link.eventsOf('cookie', 'record-dropped') as Array<Extract<DtlsEvent, { type: 'record-dropped' }>>).map((e) => e.reason);
    assert.equal(stateless.length, 1);
    assert.equal(link.client.state, 'connected');
    assert.equal(server.state, 'connected');
  });

  it('drops a tampered record and a replayed record', () => {
    const datagrams: Buffer[] = [];
    const link = new VirtualLink({
      server: rsaCredentials(),
      filter: (packet) => {
        if (packet.direction === 'to-server' && packet.data[0] === 23) datagrams.push(Buffer.from(packet.data));
        return 'deliver';
      },
    });
    link.handshake();
    const server = link.serverConnection!;
    link.client.sendApplicationData(Buffer.from('once'));
    link.run(() => server.pendingApplicationData() > 0);
    assert.equal(datagrams.length, 1);
    server.readApplicationData();

    server.receive(datagrams[0]!); // replay
    const tampered = Buffer.from(datagrams[0]!);
    tampered[tampered.length - 1]! ^= 1;
    tampered.writeUIntBE(77, 5, 6); // fresh sequence number so only the tag is wrong
    server.receive(tampered);
    assert.equal(server.pendingApplicationData(), 0);
    const reasons = (link.eventsOf('server', 'record-dropped') as Array<Extract<DtlsEvent, { type: 'record-dropped' }>>).map((e) => e.reason);
    assert.deepEqual(reasons.map((r) => r.split(' (')[0]), ['replayed or too old record', 'record failed authentication']);
  });

  it('completes under random loss, duplication and reordering (30 seeded runs)', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      let state = seed * 7919;
      const random = () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state / 2147483648;
      };
      const duplicates: Buffer[] = [];
      const link = new VirtualLink({
        server: rsaCredentials(),
        latencyMs: 20,
        serverMtu: 400,
        reverseBursts: seed % 2 === 0,
        filter: (packet) => {
          if (random() < 0.25) return 'drop';
          if (random() < 0.1) duplicates.push(packet.data);
          return 'deliver';
        },
      });
      link.handshake(60_000);
      for (const copy of duplicates) link.inject('server', copy);
      if (link.client.state !== 'connected' || link.serverConnection?.state !== 'connected') {
        failures.push(`seed ${seed}: client ${link.client.state} (${link.client.failure?.message}), server ${link.serverConnection?.state}`);
        continue;
      }
      link.client.sendApplicationData(Buffer.from(`seed ${seed}`));
      link.run(() => (link.serverConnection?.pendingApplicationData() ?? 0) > 0, link.clock.now() + 1000);
    }
    assert.deepEqual(failures, []);
  });
});
