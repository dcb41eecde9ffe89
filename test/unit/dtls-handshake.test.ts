// Our DTLS client against our DTLS server over the in-memory link with a virtual clock.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DtlsConnection, type DtlsEvent, type FlightEvent } from '../../engine/dtls';
import { ecdsaCredentials, rsaCredentials, VirtualLink, type TimedEvent } from './dtls-helpers';

function flights(link: VirtualLink, who: TimedEvent['who']): string[] {
  return link.eventsOf(who, 'flight').map((event) => {
    const flight = event as FlightEvent;
    return `${flight.direction} ${flight.flight}${flight.retransmission ? ' (again)' : ''}`;
  });
}

function connect(link: VirtualLink): void {
  link.handshake();
  assert.equal(link.client.state, 'connected', `client: ${link.client.failure?.message}`);
  assert.equal(link.serverConnection?.state, 'connected', `server: ${link.serverConnection?.failure?.message}`);
}

describe('DTLS handshake, our client <-> our server (virtual link)', () => {
  it('completes with an RSA certificate after the cookie exchange (flights 1-6)', () => {
    const link = new VirtualLink({ server: rsaCredentials(), latencyMs: 10 });
    connect(link);
    assert.deepEqual(flights(link, 'client'), ['sent 1', 'received 2', 'sent 3', 'received 4', 'sent 5', 'received 6']);
    assert.deepEqual(flights(link, 'cookie'), ['received 1', 'sent 2']);
    assert.deepEqual(flights(link, 'server'), ['received 3', 'sent 4', 'received 5', 'sent 6']);
    const flight4 = link.eventsOf('client', 'flight').find((e) => (e as FlightEvent).flight === 4) as FlightEvent;
    assert.deepEqual(flight4.messages, ['ServerHello', 'Certificate', 'ServerKeyExchange', 'ServerHelloDone']);
    const flight5 = link.eventsOf('server', 'flight').find((e) => (e as FlightEvent).flight === 5) as FlightEvent;
    assert.deepEqual(flight5.messages, ['ClientKeyExchange', 'ChangeCipherSpec', 'Finished']);
    assert.deepEqual(link.client.negotiated, {
      suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      group: 'x25519',
      extendedMasterSecret: true,
      signatureScheme: 'rsa_pss_rsae_sha256',
      resumed: false,
    });
    assert.equal(link.serverConnection?.negotiated?.serverName, 'localhost');
    const complete = link.eventsOf('client', 'handshake-complete')[0] as Extract<DtlsEvent, { type: 'handshake-complete' }>;
    // Three round trips of 2 x 10 ms: ClientHello/HVR, ClientHello/flight 4, flight 5/flight 6.
    assert.equal(complete.at, 60);
    assert.equal(complete.resumed, false);
    const states = link.eventsOf('client', 'state').map((e) => (e as Extract<DtlsEvent, { type: 'state' }>).to);
    assert.deepEqual(states, ['handshaking', 'connected']);
  });

  it('completes with an ECDSA certificate using TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', () => {
    const link = new VirtualLink({ server: ecdsaCredentials() });
    connect(link);
    assert.equal(link.client.negotiated?.suite, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    assert.equal(link.client.negotiated?.signatureScheme, 'ecdsa_secp256r1_sha256');
    assert.equal(link.serverConnection?.negotiated?.suite, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
  });

  for (const group of ['x25519', 'secp256r1'] as const) {
    for (const [name, credentials] of [['RSA', rsaCredentials], ['ECDSA', ecdsaCredentials]] as const) {
      it(`negotiates ${group} with an ${name} certificate`, () => {
        const link = new VirtualLink({ server: credentials(), client: { groups: [group] } });
        connect(link);
        assert.equal(link.client.negotiated?.group, group);
        assert.equal(link.serverConnection?.negotiated?.group, group);
      });
    }
  }

  it('lets the server prefer secp256r1 when configured', () => {
    const link = new VirtualLink({ server: rsaCredentials(), serverGroups: ['secp256r1', 'x25519'] });
    connect(link);
    assert.equal(link.client.negotiated?.group, 'secp256r1');
  });

  it('fails with handshake_failure when there is no common group', () => {
    const link = new VirtualLink({ server: rsaCredentials(), client: { groups: ['x25519'] }, serverGroups: ['secp256r1'] });
    link.handshake();
    assert.equal(link.serverConnection?.failure?.kind, 'handshake-failure');
    assert.equal(link.client.failure?.kind, 'peer-alert');
    assert.equal(link.client.failure?.alert, 'handshake_failure');
  });

  it('echoes application data both ways and closes with close_notify from the client', () => {
    const link = new VirtualLink({ server: rsaCredentials(), latencyMs: 5 });
    connect(link);
    const server = link.serverConnection!;
    link.client.sendApplicationData(Buffer.from('ping'));
    link.run(() => server.pendingApplicationData() > 0);
    const received = server.readApplicationData();
    assert.equal(Buffer.from(received!).toString(), 'ping');
    server.sendApplicationData(received!);
    link.run(() => link.client.pendingApplicationData() > 0);
    assert.equal(Buffer.from(link.client.readApplicationData()!).toString(), 'ping');
    assert.equal(link.client.readApplicationData(), undefined);

    link.client.close();
    assert.equal(link.client.state, 'closed');
    link.run(() => false, link.clock.now() + 100);
    assert.equal(server.state, 'closed');
    const serverAlerts = link.eventsOf('server', 'alert') as Array<Extract<DtlsEvent, { type: 'alert' }>>;
    assert.deepEqual(serverAlerts.map((a) => `${a.direction} ${a.description}`), ['received close_notify', 'sent close_notify']);
    const clientAlerts = link.eventsOf('client', 'alert') as Array<Extract<DtlsEvent, { type: 'alert' }>>;
    assert.deepEqual(clientAlerts.map((a) => `${a.direction} ${a.level} ${a.description}`), ['sent warning close_notify', 'received warning close_notify']);
    assert.throws(() => link.client.sendApplicationData(Buffer.from('late')), /connection is closed/);
  });

  it('closes from the server side too', () => {
    const link = new VirtualLink({ server: ecdsaCredentials() });
    connect(link);
    link.serverConnection!.close();
    link.run(() => link.client.state === 'closed');
    assert.equal(link.client.state, 'closed');
    const received = link.eventsOf('client', 'alert').find((e) => (e as Extract<DtlsEvent, { type: 'alert' }>).direction === 'received');
    assert.equal((received as Extract<DtlsEvent, { type: 'alert' }>).description, 'close_notify');
  });

  it('refuses to send application data before the handshake completes', () => {
    const link = new VirtualLink({ server: rsaCredentials() });
    assert.throws(() => link.client.sendApplicationData(Buffer.from('x')), /not connected/);
  });

  it('fragments its own flight to a small MTU and reassembles it, even with each burst reversed', () => {
    const link = new VirtualLink({ server: rsaCredentials(), serverMtu: 200, reverseBursts: true });
    connect(link);
    const flight4 = link.eventsOf('server', 'flight').find((e) => (e as FlightEvent).flight === 4) as FlightEvent;
    assert.ok(flight4.datagrams >= 6, `flight 4 used ${flight4.datagrams} datagrams`);
    const certificate = link.eventsOf('client', 'message').find((e) => (e as Extract<DtlsEvent, { type: 'message' }>).message === 'Certificate');
    assert.equal((certificate as Extract<DtlsEvent, { type: 'message' }>).fragmented, true);
    const sent = link.events.filter((e) => e.who === 'server' && e.event.type === 'flight');
    for (const entry of sent) assert.ok((entry.event as FlightEvent).bytes > 0);
  });

  it('puts several records and messages of a flight into one datagram', () => {
    const link = new VirtualLink({ server: rsaCredentials() });
    connect(link);
    const flight4 = link.eventsOf('server', 'flight').find((e) => (e as FlightEvent).flight === 4) as FlightEvent;
    assert.equal(flight4.datagrams, 1);
    const flight5 = link.eventsOf('client', 'flight').find((e) => (e as FlightEvent).flight === 5) as FlightEvent;
    assert.equal(flight5.datagrams, 1);
  });
});

describe('DTLS server connection without a CookieAuthority', () => {
  it('starts on the first ClientHello: flights 1, 4, 5, 6 and no HelloVerifyRequest', () => {
    let now = 0;
    const clock = { now: () => now };
    const toServer: Uint8Array[] = [];
    const toClient: Uint8Array[] = [];
    const credentials = rsaCredentials();
    const client = new DtlsConnection({
      role: 'client',
      clock,
      send: (d) => toServer.push(d),
      verify: { mode: 'chain', trustedCaPems: [credentials.certificatePem], hostname: 'localhost' },
    });
    const server = new DtlsConnection({ role: 'server', clock, send: (d) => toClient.push(d), clientAddress: 'x:1', ...credentials });
    const seen: string[] = [];
    client.onEvent((e) => {
      if (e.type === 'flight') seen.push(`${e.direction} ${e.flight}`);
    });
    client.start();
    for (let i = 0; i < 10 && client.state === 'handshaking'; i++) {
      now += 1;
      for (const d of toServer.splice(0)) server.receive(d);
      for (const d of toClient.splice(0)) client.receive(d);
    }
    assert.equal(client.state, 'connected');
    assert.equal(server.state, 'connected');
    assert.deepEqual(seen, ['sent 1', 'received 4', 'sent 5', 'received 6']);
  });
});
