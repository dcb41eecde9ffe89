// Session resumption, ours <-> ours over the virtual link: session ids (SessionCache), tickets
// (TicketKeys, RFC 5077), refusals that fall back to a full handshake, the RFC 7627 §5.3 rules,
// retransmission in the abbreviated handshake and the key log.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SessionCache,
  TicketKeys,
  type DtlsEvent,
  type DtlsSession,
  type ResumptionEvent,
  type SessionState,
} from '../../engine/dtls';
import { ContentType, DTLS_1_0, DTLS_1_2, HandshakeType } from '../../engine/dtls/constants';
import { DtlsServerEndpoint } from '../../engine/dtls/server-endpoint';
import { encodeClientHello, encodeWholeHandshake } from '../../engine/dtls/handshake-messages';
import { encodeRecord } from '../../engine/dtls/record-layer';
import { ecdsaCredentials, rsaCredentials, VirtualClock, type Packet } from './dtls-helpers';
import {
  capture,
  clientHellos,
  connectedLink,
  flightMessages,
  flights,
  keysFromKeyLog,
  openRecords,
  protectedRecord,
  serverHellos,
} from './dtls-session-helpers';

const KEY_LOG_LINE = /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/;

function resumptionEvents(link: ReturnType<typeof connectedLink>, who: 'client' | 'server'): ResumptionEvent[] {
  return link.eventsOf(who, 'resumption') as ResumptionEvent[];
}

function completeEvent(link: ReturnType<typeof connectedLink>, who: 'client' | 'server') {
  return link.eventsOf(who, 'handshake-complete')[0] as Extract<DtlsEvent, { type: 'handshake-complete' }>;
}

function roundTrip(link: ReturnType<typeof connectedLink>): void {
  link.client.sendApplicationData(Buffer.from('ping'));
  link.run(() => (link.serverConnection?.pendingApplicationData() ?? 0) > 0);
  assert.equal(Buffer.from(link.serverConnection!.readApplicationData()!).toString(), 'ping');
  link.serverConnection!.sendApplicationData(Buffer.from('pong'));
  link.run(() => link.client.pendingApplicationData() > 0);
  assert.equal(Buffer.from(link.client.readApplicationData()!).toString(), 'pong');
}

/** Controllable clock for caches and ticket keys. */
class ManualClock {
  time = 1_000_000;
  now(): number {
    return this.time;
  }
}

describe('session resumption by session id (SessionCache)', () => {
  it('issues a 32-byte session id on the full handshake and resumes it with an abbreviated handshake', () => {
    const cache = new SessionCache();
    const first = connectedLink({ server: rsaCredentials(), latencyMs: 10, serverOptions: { sessionCache: cache } });
    const session = first.client.session;
    assert.ok(session);
    assert.equal(session.id.length, 32);
    assert.equal(session.ticket, undefined);
    assert.equal(session.suite, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    assert.equal(session.extendedMasterSecret, true);
    assert.equal(session.serverName, 'localhost');
    assert.equal(cache.size, 1);
    assert.equal(first.client.negotiated?.resumed, false);
    assert.deepEqual(Buffer.from(first.serverConnection!.session!.id), Buffer.from(session.id));

    const packets: Packet[] = [];
    const second = connectedLink({
      server: rsaCredentials(),
      latencyMs: 10,
      serverOptions: { sessionCache: cache },
      client: { resumeSession: session },
      filter: capture(packets),
    });
    // The abbreviated handshake: flight 4 is ServerHello, ChangeCipherSpec, Finished; there is no flight 6.
    assert.deepEqual(flights(second, 'client'), ['sent 1', 'received 2', 'sent 3', 'received 4', 'sent 5']);
    assert.deepEqual(flights(second, 'server'), ['received 3', 'sent 4', 'received 5']);
    assert.deepEqual(flightMessages(second, 'client', 'received', 4), ['ServerHello', 'ChangeCipherSpec', 'Finished']);
    assert.deepEqual(flightMessages(second, 'server', 'received', 5), ['ChangeCipherSpec', 'Finished']);
    const messages = second.events.filter((e) => e.event.type === 'message').map((e) => (e.event as { message: string }).message);
    assert.ok(!messages.includes('Certificate') && !messages.includes('ServerKeyExchange') && !messages.includes('ClientKeyExchange'), messages.join(','));

    assert.equal(second.client.negotiated?.resumed, true);
    assert.equal(second.serverConnection?.negotiated?.resumed, true);
    assert.equal(completeEvent(second, 'client').resumed, true);
    assert.equal(completeEvent(second, 'server').resumed, true);
    assert.equal(second.client.negotiated?.group, first.client.negotiated?.group);
    assert.deepEqual(resumptionEvents(second, 'server').map((e) => [e.offered, e.accepted]), [['session-id', true]]);
    assert.deepEqual(resumptionEvents(second, 'client').map((e) => [e.offered, e.accepted]), [['session-id', true]]);
    // The ClientHello offered the id, the ServerHello echoed it.
    assert.deepEqual(clientHellos(packets).map((hello) => hello.sessionId.toString('hex')), [Buffer.from(session.id).toString('hex'), Buffer.from(session.id).toString('hex')]);
    assert.equal(serverHellos(packets)[0]!.sessionId.toString('hex'), Buffer.from(session.id).toString('hex'));
    // Same master secret, same session id; the connection works.
    assert.deepEqual(Buffer.from(second.client.session!.masterSecret), Buffer.from(session.masterSecret));
    assert.deepEqual(Buffer.from(second.client.session!.id), Buffer.from(session.id));
    roundTrip(second);
    // An abbreviated handshake takes two round trips instead of three (HVR + one exchange).
    assert.equal(completeEvent(second, 'client').at, 40);
  });

  it('falls back to a full handshake when the server does not know the session id', () => {
    const first = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: new SessionCache() } });
    const session = first.client.session!;
    const otherCache = new SessionCache();
    const second = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: otherCache }, client: { resumeSession: session } });
    assert.deepEqual(flights(second, 'client'), ['sent 1', 'received 2', 'sent 3', 'received 4', 'sent 5', 'received 6']);
    assert.equal(second.client.negotiated?.resumed, false);
    assert.equal(second.serverConnection?.negotiated?.resumed, false);
    const [serverEvent] = resumptionEvents(second, 'server');
    assert.equal(serverEvent?.accepted, false);
    assert.match(serverEvent?.reason ?? '', /unknown or expired session id/);
    assert.equal(resumptionEvents(second, 'client')[0]?.accepted, false);
    assert.notDeepEqual(Buffer.from(second.client.session!.id), Buffer.from(session.id));
    assert.notDeepEqual(Buffer.from(second.client.session!.masterSecret), Buffer.from(session.masterSecret));
    assert.equal(otherCache.size, 1);
    roundTrip(second);
  });

  it('does not resume for another server name (RFC 6066 §3) or a suite the client no longer offers', () => {
    const cache = new SessionCache();
    const first = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: cache } });
    const session = first.client.session!;
    // The client itself does not offer a session made for another name.
    const packets: Packet[] = [];
    const other = connectedLink({
      server: rsaCredentials(),
      serverOptions: { sessionCache: cache },
      client: { resumeSession: session, serverName: 'other.example', verify: { mode: 'none' } },
      filter: capture(packets),
    });
    assert.equal(other.client.negotiated?.resumed, false);
    assert.equal(clientHellos(packets)[0]!.sessionId.length, 0);
    // A forged session for another name is refused by the server.
    const forged: DtlsSession = { ...session, serverName: 'other.example' };
    const refused = connectedLink({
      server: rsaCredentials(),
      serverOptions: { sessionCache: cache },
      client: { resumeSession: forged, serverName: 'other.example', verify: { mode: 'none' } },
    });
    assert.equal(refused.client.negotiated?.resumed, false);
    assert.match(resumptionEvents(refused, 'server')[0]?.reason ?? '', /server name 'localhost', not 'other.example'/);
    // A client restricted to other suites does not offer the session.
    const noSuite = connectedLink({
      server: rsaCredentials(),
      serverOptions: { sessionCache: cache },
      client: { resumeSession: session, cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'] },
    });
    assert.equal(noSuite.client.negotiated?.resumed, false);
    assert.equal(noSuite.client.negotiated?.suite, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
  });

  it('resumes AES-256-GCM-SHA384 sessions (SHA-384 PRF) with an ECDSA certificate', () => {
    const cache = new SessionCache();
    const client = { cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'] };
    const first = connectedLink({ server: ecdsaCredentials(), serverOptions: { sessionCache: cache }, client });
    const second = connectedLink({ server: ecdsaCredentials(), serverOptions: { sessionCache: cache }, client: { ...client, resumeSession: first.client.session! } });
    assert.equal(second.client.negotiated?.resumed, true);
    assert.equal(second.client.negotiated?.suite, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384');
    roundTrip(second);
  });

  it('repeats flight 5 when the server repeats its abbreviated flight 4 (lost client Finished)', () => {
    const cache = new SessionCache();
    const first = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: cache } });
    // to-server datagrams: 0 ClientHello, 1 ClientHello + cookie, 2 flight 5 (lost), 3 flight 5 again.
    const second = connectedLink({
      server: rsaCredentials(),
      latencyMs: 5,
      serverOptions: { sessionCache: cache },
      client: { resumeSession: first.client.session! },
      filter: (packet) => (packet.direction === 'to-server' && packet.index === 2 ? 'drop' : 'deliver'),
    });
    assert.deepEqual(flights(second, 'client'), ['sent 1', 'received 2', 'sent 3', 'received 4', 'sent 5', 'received 4 (again)', 'sent 5 (again)']);
    assert.deepEqual(flights(second, 'server'), ['received 3', 'sent 4', 'sent 4 (again)', 'received 5']);
    assert.equal(second.serverConnection?.negotiated?.resumed, true);
    roundTrip(second);
  });
});

describe('session invalidation (RFC 5246 §7.2.2)', () => {
  it('forgets the cached session when its connection ends with a fatal alert', () => {
    const cache = new SessionCache();
    const lines: string[] = [];
    const packets: Packet[] = [];
    const link = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: cache }, client: { onKeyLog: (l) => lines.push(l) }, filter: capture(packets) });
    assert.equal(cache.size, 1);
    const keys = keysFromKeyLog(lines[0]!, serverHellos(packets)[0]!.random, link.client.negotiated!.suite);
    link.inject('server', protectedRecord(keys.client, ContentType.Alert, 1, 40, Buffer.from([2, 40])));
    link.run(() => link.serverConnection?.state === 'failed');
    assert.equal(link.serverConnection?.failure?.kind, 'peer-alert');
    assert.equal(cache.size, 0);
    const again = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: cache }, client: { resumeSession: link.client.session! } });
    assert.equal(again.client.negotiated?.resumed, false);
  });
});

describe('SessionCache', () => {
  const state = (createdAt: number): SessionState => ({
    masterSecret: Buffer.alloc(48, 7),
    suiteCode: 0xc02f,
    extendedMasterSecret: true,
    group: 'x25519',
    signatureScheme: 'rsa_pss_rsae_sha256',
    createdAt,
  });

  it('evicts the least recently used session beyond maxEntries and expires old ones', () => {
    const clock = new ManualClock();
    const cache = new SessionCache({ maxEntries: 2, lifetimeMs: 1000, clock });
    const [a, b, c] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2), Buffer.alloc(32, 3)];
    cache.store(a, state(clock.now()));
    cache.store(b, state(clock.now()));
    assert.ok(cache.lookup(a)); // a is now the most recently used
    cache.store(c, state(clock.now()));
    assert.equal(cache.size, 2);
    assert.equal(cache.lookup(b), undefined);
    assert.ok(cache.lookup(a));
    assert.ok(cache.lookup(c));
    clock.time += 1001;
    assert.equal(cache.lookup(a), undefined);
    assert.equal(cache.size, 1);
    assert.throws(() => cache.store(Buffer.alloc(0), state(0)), RangeError);
    assert.throws(() => new SessionCache({ maxEntries: 0 }), RangeError);
  });
});

describe('session resumption with tickets (RFC 5077)', () => {
  it('sends NewSessionTicket in flight 6 and resumes with the ticket, renewing it', () => {
    const keys = new TicketKeys();
    const first = connectedLink({ server: rsaCredentials(), latencyMs: 10, serverOptions: { ticketKeys: keys } });
    assert.deepEqual(flightMessages(first, 'client', 'received', 6), ['NewSessionTicket', 'ChangeCipherSpec', 'Finished']);
    const session = first.client.session!;
    assert.ok(session.ticket && session.ticket.length > 60);
    assert.equal(session.id.length, 0, 'no session cache: no session id');
    assert.equal(session.ticketLifetimeSeconds, 7200);

    const packets: Packet[] = [];
    const second = connectedLink({ server: rsaCredentials(), latencyMs: 10, serverOptions: { ticketKeys: keys }, client: { resumeSession: session }, filter: capture(packets) });
    assert.deepEqual(flights(second, 'client'), ['sent 1', 'received 2', 'sent 3', 'received 4', 'sent 5']);
    assert.deepEqual(flightMessages(second, 'client', 'received', 4), ['ServerHello', 'NewSessionTicket', 'ChangeCipherSpec', 'Finished']);
    assert.equal(second.client.negotiated?.resumed, true);
    assert.equal(completeEvent(second, 'server').resumed, true);
    assert.deepEqual(resumptionEvents(second, 'server').map((e) => [e.offered, e.accepted]), [['ticket', true]]);
    // RFC 5077 §3.4: the client sent a random session id with the ticket; the server echoed it.
    const hello = clientHellos(packets)[0]!;
    assert.equal(hello.sessionId.length, 32);
    assert.deepEqual(serverHellos(packets)[0]!.sessionId, hello.sessionId);
    const ticketExtension = hello.extensions.find((extension) => extension.type === 35);
    assert.deepEqual(ticketExtension?.data, Buffer.from(session.ticket));
    // A renewed ticket, the same master secret.
    const renewed = second.client.session!;
    assert.ok(renewed.ticket);
    assert.notDeepEqual(Buffer.from(renewed.ticket), Buffer.from(session.ticket));
    assert.deepEqual(Buffer.from(renewed.masterSecret), Buffer.from(session.masterSecret));
    roundTrip(second);

    // The renewed ticket works too.
    const third = connectedLink({ server: rsaCredentials(), serverOptions: { ticketKeys: keys }, client: { resumeSession: renewed } });
    assert.equal(third.client.negotiated?.resumed, true);
  });

  it('sends an empty session_ticket extension by default and none with sessionTickets: false', () => {
    const packets: Packet[] = [];
    const link = connectedLink({ server: rsaCredentials(), serverOptions: { ticketKeys: new TicketKeys() }, filter: capture(packets) });
    assert.deepEqual(clientHellos(packets)[0]!.extensions.find((e) => e.type === 35)?.data, Buffer.alloc(0));
    assert.ok(link.client.session?.ticket);
    const none: Packet[] = [];
    const without = connectedLink({ server: rsaCredentials(), serverOptions: { ticketKeys: new TicketKeys() }, client: { sessionTickets: false }, filter: capture(none) });
    assert.equal(clientHellos(none)[0]!.extensions.find((e) => e.type === 35), undefined);
    assert.equal(without.client.session?.ticket, undefined);
    assert.deepEqual(flightMessages(without, 'client', 'received', 6), ['ChangeCipherSpec', 'Finished']);
  });

  it('falls back to a full handshake on a tampered ticket', () => {
    const keys = new TicketKeys();
    const first = connectedLink({ server: rsaCredentials(), serverOptions: { ticketKeys: keys } });
    const session = first.client.session!;
    const ticket = Buffer.from(session.ticket!);
    ticket[ticket.length - 20]! ^= 0x01;
    const second = connectedLink({ server: rsaCredentials(), serverOptions: { ticketKeys: keys }, client: { resumeSession: { ...session, ticket } } });
    assert.equal(second.client.negotiated?.resumed, false);
    assert.deepEqual(flights(second, 'client').slice(-2), ['sent 5', 'received 6']);
    assert.match(resumptionEvents(second, 'server')[0]?.reason ?? '', /failed authentication/);
    // ... and it gets a fresh ticket for next time.
    assert.ok(second.client.session?.ticket);
    roundTrip(second);
    // A ticket from other keys is unknown.
    const stranger = connectedLink({ server: rsaCredentials(), serverOptions: { ticketKeys: new TicketKeys() }, client: { resumeSession: session } });
    assert.equal(stranger.client.negotiated?.resumed, false);
    assert.match(resumptionEvents(stranger, 'server')[0]?.reason ?? '', /unknown or retired key/);
  });

  it('rotates ticket keys, accepts tickets of previous keys within the lifetime and refuses expired ones', () => {
    const clock = new ManualClock();
    const keys = new TicketKeys({ clock, rotateEveryMs: 60_000, lifetimeMs: 150_000, secret: Buffer.alloc(32, 9) });
    const first = connectedLink({ server: rsaCredentials(), serverOptions: { ticketKeys: keys } });
    const session = first.client.session!;
    clock.time += 70_000; // next key generation
    const rotated = connectedLink({ server: rsaCredentials(), serverOptions: { ticketKeys: keys }, client: { resumeSession: session } });
    assert.equal(rotated.client.negotiated?.resumed, true);
    assert.notDeepEqual(Buffer.from(rotated.client.session!.ticket!).subarray(0, 16), Buffer.from(session.ticket!).subarray(0, 16), 'the renewed ticket names the new key');
    // Another server with the same secret accepts the ticket too.
    const twin = new TicketKeys({ clock, rotateEveryMs: 60_000, lifetimeMs: 150_000, secret: Buffer.alloc(32, 9) });
    const shared = connectedLink({ server: rsaCredentials(), serverOptions: { ticketKeys: twin }, client: { resumeSession: session } });
    assert.equal(shared.client.negotiated?.resumed, true);
    clock.time += 90_000; // 160 s after the session was created
    const expired = connectedLink({ server: rsaCredentials(), serverOptions: { ticketKeys: keys }, client: { resumeSession: rotated.client.session! } });
    assert.equal(expired.client.negotiated?.resumed, false);
    assert.match(resumptionEvents(expired, 'server')[0]?.reason ?? '', /expired/);
  });

  it('prefers the ticket when the server has both a cache and ticket keys', () => {
    const cache = new SessionCache();
    const keys = new TicketKeys();
    const first = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: cache, ticketKeys: keys } });
    const session = first.client.session!;
    assert.equal(session.id.length, 32);
    assert.ok(session.ticket);
    const second = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: cache, ticketKeys: keys }, client: { resumeSession: session } });
    assert.deepEqual(resumptionEvents(second, 'server').map((e) => [e.offered, e.accepted]), [['ticket', true]]);
    // Without tickets on the client, the session id is used.
    const third = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: cache, ticketKeys: keys }, client: { resumeSession: session, sessionTickets: false } });
    assert.deepEqual(resumptionEvents(third, 'server').map((e) => [e.offered, e.accepted]), [['session-id', true]]);
  });
});

describe('extended master secret and resumption (RFC 7627 §5.3)', () => {
  const nonEmsState = (): SessionState => ({
    masterSecret: Buffer.alloc(48, 3),
    suiteCode: 0xc02f,
    extendedMasterSecret: false,
    serverName: 'localhost',
    group: 'x25519',
    signatureScheme: 'rsa_pss_rsae_sha256',
    createdAt: Date.now(),
  });

  it('the server does a full handshake instead of resuming a session without EMS', () => {
    const cache = new SessionCache();
    const id = Buffer.alloc(32, 0xab);
    cache.store(id, nonEmsState());
    const offered: DtlsSession = {
      id,
      masterSecret: Buffer.alloc(48, 3),
      suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      suiteCode: 0xc02f,
      extendedMasterSecret: true, // what the client believes; the server knows better
      serverName: 'localhost',
      group: 'x25519',
      signatureScheme: 'rsa_pss_rsae_sha256',
      createdAt: Date.now(),
    };
    const link = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: cache }, client: { resumeSession: offered } });
    assert.equal(link.client.negotiated?.resumed, false);
    assert.equal(link.client.negotiated?.extendedMasterSecret, true);
    assert.match(resumptionEvents(link, 'server')[0]?.reason ?? '', /no extended master secret.*RFC 7627/);
  });

  it('the client does not offer a session without EMS', () => {
    const cache = new SessionCache();
    const first = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: cache } });
    const legacy: DtlsSession = { ...first.client.session!, extendedMasterSecret: false };
    const packets: Packet[] = [];
    const link = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: cache }, client: { resumeSession: legacy }, filter: capture(packets) });
    assert.equal(link.client.negotiated?.resumed, false);
    assert.equal(clientHellos(packets)[0]!.sessionId.length, 0);
  });

  it('the server aborts when a ClientHello without EMS tries to resume an EMS session', () => {
    const cache = new SessionCache();
    const first = connectedLink({ server: rsaCredentials(), serverOptions: { sessionCache: cache } });
    const sent: Buffer[] = [];
    const clock = new VirtualClock();
    const endpoint = new DtlsServerEndpoint({
      clock,
      ...rsaCredentials(),
      cookies: false,
      sessionCache: cache,
      sendTo: (_address, datagram) => sent.push(Buffer.from(datagram)),
    });
    // server_name "localhost": list length 12, type 0 (host_name), name length 9. No extended_master_secret.
    const sni = Buffer.concat([Buffer.from([0, 12, 0, 0, 9]), Buffer.from('localhost')]);
    const hello = encodeClientHello({
      clientVersion: DTLS_1_2,
      random: Buffer.alloc(32, 5),
      sessionId: Buffer.from(first.client.session!.id),
      cookie: Buffer.alloc(0),
      cipherSuites: [0xc02f],
      compressionMethods: [0],
      extensions: [{ type: 0, data: sni }],
    });
    const datagram = encodeRecord(ContentType.Handshake, DTLS_1_0, 0, 0, encodeWholeHandshake(HandshakeType.ClientHello, 0, hello));
    const connection = endpoint.receive('192.0.2.1:1000', datagram);
    assert.equal(connection?.state, 'failed');
    assert.equal(connection?.failure?.kind, 'handshake-failure');
    assert.match(connection?.failure?.message ?? '', /RFC 7627/);
    // A fatal handshake_failure alert: 21, version, epoch 0, ..., [2, 40].
    const alert = sent.at(-1)!;
    assert.equal(alert[0], 21);
    assert.deepEqual([...alert.subarray(13)], [2, 40]);
  });
});

describe('key log (SSLKEYLOGFILE)', () => {
  it('logs the same CLIENT_RANDOM line on both sides, with the real master secret, for full and resumed handshakes', () => {
    const cache = new SessionCache();
    const clientLines: string[] = [];
    const serverLines: string[] = [];
    const packets: Packet[] = [];
    const first = connectedLink({
      server: rsaCredentials(),
      serverOptions: { sessionCache: cache, onKeyLog: (line) => serverLines.push(line) },
      client: { onKeyLog: (line) => clientLines.push(line) },
      filter: capture(packets),
    });
    assert.equal(clientLines.length, 1);
    assert.match(clientLines[0]!, KEY_LOG_LINE);
    assert.deepEqual(serverLines, clientLines);
    const [, randomHex, masterHex] = clientLines[0]!.split(' ');
    assert.equal(masterHex, Buffer.from(first.client.session!.masterSecret).toString('hex'));
    assert.equal(randomHex, clientHellos(packets).at(-1)!.random.toString('hex'));

    // The logged secret decrypts the records: application data both ways and the Finished messages.
    first.client.sendApplicationData(Buffer.from('secret from the client'));
    first.serverConnection!.sendApplicationData(Buffer.from('secret from the server'));
    first.run(() => first.client.pendingApplicationData() > 0 && (first.serverConnection?.pendingApplicationData() ?? 0) > 0);
    const keys = keysFromKeyLog(clientLines[0]!, serverHellos(packets)[0]!.random, first.client.negotiated!.suite);
    assert.deepEqual(openRecords(packets, 'to-server', keys.client, ContentType.ApplicationData).map(String), ['secret from the client']);
    assert.deepEqual(openRecords(packets, 'to-client', keys.server, ContentType.ApplicationData).map(String), ['secret from the server']);
    const finished = openRecords(packets, 'to-client', keys.server, ContentType.Handshake);
    assert.equal(finished[0]![0], HandshakeType.Finished);

    const resumedPackets: Packet[] = [];
    const second = connectedLink({
      server: rsaCredentials(),
      serverOptions: { sessionCache: cache, onKeyLog: (line) => serverLines.push(line) },
      client: { resumeSession: first.client.session!, onKeyLog: (line) => clientLines.push(line) },
      filter: capture(resumedPackets),
    });
    assert.equal(second.client.negotiated?.resumed, true);
    assert.equal(clientLines.length, 2);
    assert.deepEqual(serverLines, clientLines);
    assert.match(clientLines[1]!, KEY_LOG_LINE);
    assert.equal(clientLines[1]!.split(' ')[2], masterHex, 'a resumed handshake reuses the master secret');
    assert.notEqual(clientLines[1]!.split(' ')[1], randomHex);
    second.client.sendApplicationData(Buffer.from('resumed'));
    second.run(() => (second.serverConnection?.pendingApplicationData() ?? 0) > 0);
    const resumedKeys = keysFromKeyLog(clientLines[1]!, serverHellos(resumedPackets)[0]!.random, second.client.negotiated!.suite);
    assert.deepEqual(openRecords(resumedPackets, 'to-server', resumedKeys.client, ContentType.ApplicationData).map(String), ['resumed']);
  });
});
