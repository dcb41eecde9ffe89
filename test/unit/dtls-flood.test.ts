// Flood of spoofed ClientHellos against DtlsServerEndpoint: without a valid cookie nothing is
// kept per client (no connection, no map entry), every answer is a HelloVerifyRequest no larger
// than the request, and a legitimate client still connects during and after the flood.
// (Heap figures are in bench/flood.ts; here we only count state.)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CookieAuthority, DtlsConnection, DtlsServerEndpoint, type Clock } from '../../engine/dtls';
import { ecdsaCredentials, VirtualClock } from './dtls-helpers';
import {
  CT,
  HT,
  Random,
  clientHelloBody,
  containerSizes,
  handshake,
  randomAddress,
  record,
  splitRecords,
  spoofedDatagram,
  type SpoofKind,
} from './dtls-stage-rig';

const credentials = ecdsaCredentials();
const FLOOD = 100_000;
const KINDS: SpoofKind[] = ['no-cookie', 'no-cookie', 'forged-cookie', 'replayed-cookie', 'garbage', 'not-a-hello'];

interface Legit {
  client: DtlsConnection;
  address: string;
  inbox: Buffer[];
}

describe('DTLS server endpoint under a flood of spoofed ClientHellos', () => {
  it(`keeps no per-client state for ${FLOOD.toLocaleString('en-US')} spoofed datagrams from random addresses, and a real client connects during and after`, () => {
    const clock = new VirtualClock();
    const rng = new Random(0xf100d);
    const legit = new Map<string, Legit>();
    let replies = 0;
    let replyBytes = 0;
    let amplification = 0;
    let lastRequestLength = 0;
    const endpoint = new DtlsServerEndpoint({
      clock,
      certificatePem: credentials.certificatePem,
      privateKeyPem: credentials.privateKeyPem,
      sendTo: (address, datagram) => {
        const known = legit.get(address);
        if (known) {
          known.inbox.push(Buffer.from(datagram));
          return;
        }
        replies++;
        replyBytes += datagram.length;
        amplification = Math.max(amplification, datagram.length / lastRequestLength);
        const first = splitRecords(Buffer.from(datagram))[0];
        assert.equal(first?.type, CT.Handshake);
        assert.equal(first?.payload[0], HT.HelloVerifyRequest, 'a spoofed address got something other than a HelloVerifyRequest');
      },
    });
    const sizesBefore = containerSizes(endpoint);
    const authoritySizes = containerSizes(endpoint.cookieAuthority);

    const newLegit = (address: string): Legit => {
      const entry: Legit = {
        address,
        inbox: [],
        client: new DtlsConnection({
          role: 'client',
          clock,
          send: (data) => endpoint.receive(address, Buffer.from(data)),
          verify: { mode: 'chain', trustedCaPems: [credentials.certificatePem], hostname: 'localhost' },
          serverName: 'localhost',
        }),
      };
      legit.set(address, entry);
      return entry;
    };
    const pump = (entry: Legit) => {
      for (let next = entry.inbox.shift(); next; next = entry.inbox.shift()) entry.client.receive(next);
    };

    // A cookie that was valid for the attacker's own address, replayed from spoofed ones.
    let replayed: Buffer = Buffer.alloc(0);
    {
      const attacker = '203.0.113.66:4444';
      const first = record({ type: CT.Handshake }, handshake({ msgType: HT.ClientHello, messageSeq: 0, body: clientHelloBody() }));
      const verdict = endpoint.cookieAuthority.inspect(first, attacker, clock.now());
      assert.equal(verdict.kind, 'needs-cookie');
      const hvr = splitRecords(Buffer.from((verdict as { reply: Uint8Array }).reply))[0]!.payload.subarray(12);
      const cookie = hvr.subarray(3, 3 + hvr[2]!);
      replayed = record({ type: CT.Handshake, sequence: 1 }, handshake({ msgType: HT.ClientHello, messageSeq: 1, body: clientHelloBody({ cookie }) }));
      assert.equal(endpoint.cookieAuthority.inspect(replayed, attacker, clock.now()).kind, 'valid-cookie');
    }

    const during = newLegit('192.0.2.10:5000');
    const started = performance.now();
    const counts: Record<string, number> = {};
    for (let i = 0; i < FLOOD; i++) {
      const kind = rng.pick(KINDS);
      counts[kind] = (counts[kind] ?? 0) + 1;
      const datagram = spoofedDatagram(rng, kind, replayed);
      lastRequestLength = datagram.length;
      assert.equal(endpoint.receive(randomAddress(rng), datagram), undefined);
      if (i === FLOOD / 2) during.client.start();
      if (i % 1000 === 0) {
        pump(during);
        clock.time += 1;
        assert.ok(endpoint.connections.size <= 1, `connections: ${endpoint.connections.size}`);
      }
    }
    pump(during);
    const elapsed = performance.now() - started;
    assert.equal(during.client.state, 'connected', during.client.failure?.message);
    assert.equal(endpoint.connections.size, 1, 'only the real client holds state');

    const after = newLegit('192.0.2.11:5001');
    after.client.start();
    pump(after);
    pump(during);
    assert.equal(after.client.state, 'connected', after.client.failure?.message);
    assert.equal(endpoint.connections.size, 2);
    for (const entry of legit.values()) endpoint.connections.get(entry.address)?.close();
    assert.equal(endpoint.connections.size, 0);

    assert.deepEqual(containerSizes(endpoint), sizesBefore, 'a container of the endpoint grew');
    assert.deepEqual(containerSizes(endpoint.cookieAuthority), authoritySizes, 'a container of the cookie authority grew');
    const helloKinds = (counts['no-cookie'] ?? 0) + (counts['forged-cookie'] ?? 0) + (counts['replayed-cookie'] ?? 0);
    assert.equal(replies, helloKinds, 'every spoofed ClientHello gets exactly one HelloVerifyRequest, everything else nothing');
    assert.ok(amplification <= 1, `HelloVerifyRequest is ${amplification.toFixed(2)}x the ClientHello`);
    const heap = process.memoryUsage().heapUsed;
    console.log(`# flood: ${FLOOD} datagrams in ${elapsed.toFixed(0)} ms (${Math.round(FLOOD / (elapsed / 1000))}/s), ${replies} HelloVerifyRequests (${(replyBytes / replies).toFixed(0)} B avg), heapUsed ${(heap / 1048576).toFixed(1)} MiB`);
  });

  it('keeps nothing when the cookie period rotates between the stateless check and the connection', () => {
    // A clock that moves on every reading: the endpoint's check and the new connection's own
    // check of the same cookie fall into different rotation periods.
    let time = 1_000;
    const ticking: Clock = { now: () => (time += 0.6) };
    const authority = new CookieAuthority({ rotateEveryMs: 1_000 });
    const sent: Buffer[] = [];
    const endpoint = new DtlsServerEndpoint({
      clock: ticking,
      certificatePem: credentials.certificatePem,
      privateKeyPem: credentials.privateKeyPem,
      cookieAuthority: authority,
      sendTo: (_address, datagram) => sent.push(Buffer.from(datagram)),
    });
    const address = '192.0.2.12:5002';
    const body = clientHelloBody();
    const first = record({ type: CT.Handshake }, handshake({ msgType: HT.ClientHello, messageSeq: 0, body }));
    // Cookie issued in period 1 (t = 1000.6).
    endpoint.receive(address, first);
    const hvr = splitRecords(sent.pop()!)[0]!.payload.subarray(12);
    const cookie = hvr.subarray(3, 3 + hvr[2]!);
    const second = record({ type: CT.Handshake, sequence: 1 }, handshake({ msgType: HT.ClientHello, messageSeq: 1, body: clientHelloBody({ cookie }) }));
    // Period 2 still accepts period-1 cookies; the connection's reading lands in period 3.
    time = 2_998.9;
    endpoint.receive(address, second);
    assert.equal(endpoint.connections.size, 0, 'an idle connection was kept for a client that never proved its address');
  });

  it('a connection never created for garbage from a known-bad address does not block that address later', () => {
    const clock = new VirtualClock();
    const sent: Buffer[] = [];
    const endpoint = new DtlsServerEndpoint({
      clock,
      certificatePem: credentials.certificatePem,
      privateKeyPem: credentials.privateKeyPem,
      sendTo: (_address, datagram) => sent.push(Buffer.from(datagram)),
    });
    const rng = new Random(5);
    for (let i = 0; i < 200; i++) endpoint.receive('192.0.2.13:5003', spoofedDatagram(rng, rng.pick(KINDS), Buffer.alloc(0)));
    assert.equal(endpoint.connections.size, 0);
    const client = new DtlsConnection({
      role: 'client',
      clock,
      send: (data) => endpoint.receive('192.0.2.13:5003', Buffer.from(data)),
      verify: { mode: 'none' },
    });
    sent.length = 0;
    client.start();
    for (let i = 0; i < 20 && sent.length > 0; i++) client.receive(sent.shift()!);
    assert.equal(client.state, 'connected', client.failure?.message);
  });
});
