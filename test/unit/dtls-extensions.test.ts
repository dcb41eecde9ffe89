// Hello extensions and optional handshake features, ours <-> ours: ALPN (RFC 7301),
// record_size_limit (RFC 8449), renegotiation_info / SCSV and refused renegotiation (RFC 5746),
// turning cookies off, and client certificate authentication.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  connectDtlsUdp,
  DtlsServerEndpoint,
  DtlsUdpServer,
  type AlertEvent,
  type DtlsEvent,
  type FlightEvent,
} from '../../engine/dtls';
import { ContentType, DTLS_1_0, DTLS_1_2, HandshakeType } from '../../engine/dtls/constants';
import { decodeServerHello, encodeClientHello, encodeWholeHandshake, type Extension } from '../../engine/dtls/handshake-messages';
import { encodeRecord, parseDatagram } from '../../engine/dtls/record-layer';
import { ecdsaCredentials, makeEcdsaCertificate, makeRsaCertificate, rsaCredentials, VirtualClock, VirtualLink, type Credentials, type Packet } from './dtls-helpers';
import {
  capture,
  clientHellos,
  connectedLink,
  flightMessages,
  flights,
  keysFromKeyLog,
  openRecords,
  plainHandshakeMessages,
  protectedRecord,
  serverHellos,
} from './dtls-session-helpers';

function alerts(link: VirtualLink, who: 'client' | 'server', direction: 'sent' | 'received'): string[] {
  return (link.eventsOf(who, 'alert') as AlertEvent[]).filter((e) => e.direction === direction).map((e) => `${e.level} ${e.description}`);
}

function sentMessageSeqs(link: VirtualLink, who: 'client' | 'server'): number[] {
  return link.eventsOf(who, 'message').filter((e) => (e as { direction: string }).direction === 'sent').map((e) => (e as { messageSeq: number }).messageSeq);
}

describe('ALPN (RFC 7301)', () => {
  it('picks the server-preferred protocol both offer', () => {
    const link = connectedLink({
      server: rsaCredentials(),
      serverOptions: { alpnProtocols: ['dtls-lab/2', 'dtls-lab/1', 'h2'] },
      client: { alpnProtocols: ['h2', 'dtls-lab/1'] },
    });
    assert.equal(link.client.negotiated?.alpn, 'dtls-lab/1');
    assert.equal(link.serverConnection?.negotiated?.alpn, 'dtls-lab/1');
    const complete = link.eventsOf('client', 'handshake-complete')[0] as Extract<DtlsEvent, { type: 'handshake-complete' }>;
    assert.equal(complete.alpn, 'dtls-lab/1');
  });

  it('fails with a fatal no_application_protocol alert (120) when nothing matches', () => {
    const link = new VirtualLink({ server: rsaCredentials(), serverOptions: { alpnProtocols: ['dtls-lab/1'] }, client: { alpnProtocols: ['h2', 'http/1.1'] } });
    link.handshake();
    assert.equal(link.serverConnection?.failure?.kind, 'no-application-protocol');
    assert.match(link.serverConnection?.failure?.message ?? '', /h2, http\/1\.1/);
    assert.equal(link.client.failure?.kind, 'peer-alert');
    assert.equal(link.client.failure?.alert, 'no_application_protocol');
    const received = (link.eventsOf('client', 'alert') as AlertEvent[]).find((e) => e.direction === 'received');
    assert.equal(received?.code, 120);
  });

  it('negotiates no protocol when only one side uses ALPN', () => {
    const clientOnly = connectedLink({ server: rsaCredentials(), client: { alpnProtocols: ['h2'] } });
    assert.equal(clientOnly.client.negotiated?.alpn, undefined);
    const serverOnly = connectedLink({ server: rsaCredentials(), serverOptions: { alpnProtocols: ['h2'] } });
    assert.equal(serverOnly.serverConnection?.negotiated?.alpn, undefined);
  });

  it('rejects malformed alpnProtocols options', () => {
    assert.throws(() => new VirtualLink({ server: rsaCredentials(), client: { alpnProtocols: [] } }), RangeError);
    assert.throws(() => new VirtualLink({ server: rsaCredentials(), client: { alpnProtocols: [''] } }), RangeError);
  });
});

describe('record_size_limit (RFC 8449)', () => {
  it('never sends protected records larger than the peer limit and refuses larger application data', () => {
    const packets: Packet[] = [];
    const lines: string[] = [];
    const link = connectedLink({
      server: rsaCredentials(),
      serverOptions: { recordSizeLimit: 16384 },
      client: { recordSizeLimit: 64, onKeyLog: (line) => lines.push(line) },
      filter: capture(packets),
    });
    // The client sent its limit; the server answered with its own.
    assert.deepEqual(clientHellos(packets)[0]!.extensions.find((e) => e.type === 28)?.data, Buffer.from([0, 64]));
    assert.deepEqual(serverHellos(packets)[0]!.extensions.find((e) => e.type === 28)?.data, Buffer.from([0x40, 0]));
    const server = link.serverConnection!;
    server.sendApplicationData(Buffer.alloc(64, 1));
    assert.throws(() => server.sendApplicationData(Buffer.alloc(65, 1)), /record_size_limit of 64/);
    link.client.sendApplicationData(Buffer.alloc(1000, 2)); // the server's limit is 16384
    link.run(() => link.client.pendingApplicationData() > 0 && server.pendingApplicationData() > 0);
    // Every protected record towards the client carries at most 64 bytes of plaintext.
    const keys = keysFromKeyLog(lines[0]!, serverHellos(packets)[0]!.random, link.client.negotiated!.suite);
    const toClient = [
      ...openRecords(packets, 'to-client', keys.server, ContentType.Handshake),
      ...openRecords(packets, 'to-client', keys.server, ContentType.ApplicationData),
    ];
    assert.ok(toClient.length >= 2);
    for (const plaintext of toClient) assert.ok(plaintext.length <= 64, `record with ${plaintext.length} bytes`);
    for (const packet of packets.filter((p) => p.direction === 'to-client')) {
      for (const record of parseDatagram(packet.data).records) if (record.epoch > 0) assert.ok(record.fragment.length - 24 <= 64);
    }
  });

  it('fails with record_overflow when the peer sends a larger protected record', () => {
    const packets: Packet[] = [];
    const lines: string[] = [];
    const link = connectedLink({
      server: rsaCredentials(),
      serverOptions: { recordSizeLimit: 100 },
      client: { recordSizeLimit: 16384, onKeyLog: (line) => lines.push(line) },
      filter: capture(packets),
    });
    assert.throws(() => link.client.sendApplicationData(Buffer.alloc(101)), RangeError);
    link.client.sendApplicationData(Buffer.alloc(100));
    link.run(() => (link.serverConnection?.pendingApplicationData() ?? 0) > 0);
    // Forge what a peer ignoring the limit would send: 101 bytes in one record.
    const keys = keysFromKeyLog(lines[0]!, serverHellos(packets)[0]!.random, link.client.negotiated!.suite);
    link.inject('server', protectedRecord(keys.client, ContentType.ApplicationData, 1, 500, Buffer.alloc(101, 7)));
    link.run(() => link.serverConnection?.state === 'failed');
    assert.equal(link.serverConnection?.failure?.kind, 'record-overflow');
    assert.deepEqual(alerts(link, 'server', 'sent'), ['fatal record_overflow']);
  });

  it('rejects a limit below 64 in options and on the wire', () => {
    assert.throws(() => new VirtualLink({ server: rsaCredentials(), client: { recordSizeLimit: 63 } }), /64\.\.16384/);
    const sent: Buffer[] = [];
    const endpoint = new DtlsServerEndpoint({ clock: new VirtualClock(), ...rsaCredentials(), cookies: false, sendTo: (_a, d) => sent.push(Buffer.from(d)) });
    const connection = endpoint.receive('192.0.2.1:1', rawClientHello([0xc02f], [{ type: 28, data: Buffer.from([0, 63]) }]));
    assert.equal(connection?.failure?.kind, 'illegal-parameter');
  });
});

/** A plain ClientHello datagram (no cookie, message_seq 0) with the given suites and extensions. */
function rawClientHello(cipherSuites: number[], extensions: Extension[]): Buffer {
  const body = encodeClientHello({
    clientVersion: DTLS_1_2,
    random: Buffer.alloc(32, 9),
    sessionId: Buffer.alloc(0),
    cookie: Buffer.alloc(0),
    cipherSuites,
    compressionMethods: [0],
    extensions: [{ type: 10, data: Buffer.from([0, 2, 0, 29]) }, ...extensions],
  });
  return encodeRecord(ContentType.Handshake, DTLS_1_0, 0, 0, encodeWholeHandshake(HandshakeType.ClientHello, 0, body));
}

describe('renegotiation_info and refused renegotiation (RFC 5746)', () => {
  function serverHelloFor(datagram: Buffer) {
    const sent: Buffer[] = [];
    const endpoint = new DtlsServerEndpoint({ clock: new VirtualClock(), ...rsaCredentials(), cookies: false, sendTo: (_a, d) => sent.push(Buffer.from(d)) });
    endpoint.receive('192.0.2.1:1', datagram);
    const message = sent.flatMap((d) => plainHandshakeMessages(d)).find((m) => m.msgType === HandshakeType.ServerHello);
    assert.ok(message, 'no ServerHello');
    return decodeServerHello(message.body);
  }

  it('answers TLS_EMPTY_RENEGOTIATION_INFO_SCSV or an empty renegotiation_info with an empty renegotiation_info', () => {
    const withScsv = serverHelloFor(rawClientHello([0xc02f, 0x00ff], []));
    assert.deepEqual(withScsv.extensions.find((e) => e.type === 0xff01)?.data, Buffer.from([0]));
    const withExtension = serverHelloFor(rawClientHello([0xc02f], [{ type: 0xff01, data: Buffer.from([0]) }]));
    assert.deepEqual(withExtension.extensions.find((e) => e.type === 0xff01)?.data, Buffer.from([0]));
    const legacy = serverHelloFor(rawClientHello([0xc02f], []));
    assert.equal(legacy.extensions.find((e) => e.type === 0xff01), undefined);
  });

  it('our client sends an empty renegotiation_info', () => {
    const packets: Packet[] = [];
    connectedLink({ server: rsaCredentials(), filter: capture(packets) });
    assert.deepEqual(clientHellos(packets)[0]!.extensions.find((e) => e.type === 0xff01)?.data, Buffer.from([0]));
    assert.deepEqual(serverHellos(packets)[0]!.extensions.find((e) => e.type === 0xff01)?.data, Buffer.from([0]));
  });

  it('refuses a renegotiating ClientHello and a HelloRequest with a no_renegotiation warning and stays connected', () => {
    const packets: Packet[] = [];
    const lines: string[] = [];
    const link = connectedLink({ server: rsaCredentials(), client: { onKeyLog: (line) => lines.push(line) }, filter: capture(packets) });
    const keys = keysFromKeyLog(lines[0]!, serverHellos(packets)[0]!.random, link.client.negotiated!.suite);

    // A renegotiating ClientHello from the client, encrypted in epoch 1 with the next message_seq.
    const clientSeq = Math.max(...sentMessageSeqs(link, 'client')) + 1;
    const hello = encodeClientHello({ ...clientHellos(packets).at(-1)!, cookie: Buffer.alloc(0) });
    link.inject('server', protectedRecord(keys.client, ContentType.Handshake, 1, 40, encodeWholeHandshake(HandshakeType.ClientHello, clientSeq, hello)));
    link.run(() => alerts(link, 'server', 'sent').length > 0);
    assert.deepEqual(alerts(link, 'server', 'sent'), ['warning no_renegotiation']);
    assert.deepEqual(alerts(link, 'client', 'received'), ['warning no_renegotiation']);

    // A HelloRequest from the server.
    const serverSeq = Math.max(...sentMessageSeqs(link, 'server')) + 1;
    link.inject('client', protectedRecord(keys.server, ContentType.Handshake, 1, 40, encodeWholeHandshake(HandshakeType.HelloRequest, serverSeq, Buffer.alloc(0))));
    link.run(() => alerts(link, 'client', 'sent').length > 0);
    assert.deepEqual(alerts(link, 'client', 'sent'), ['warning no_renegotiation']);

    assert.equal(link.client.state, 'connected');
    assert.equal(link.serverConnection?.state, 'connected');
    link.client.sendApplicationData(Buffer.from('still here'));
    link.run(() => (link.serverConnection?.pendingApplicationData() ?? 0) > 0);
    assert.equal(String(link.serverConnection!.readApplicationData()), 'still here');
  });
});

describe('cookies switched off', () => {
  it('DtlsServerEndpoint with cookies: false answers the first ClientHello: flights 1, 4, 5, 6', () => {
    const link = connectedLink({ server: rsaCredentials(), latencyMs: 10, serverOptions: { cookies: false } });
    assert.deepEqual(flights(link, 'client'), ['sent 1', 'received 4', 'sent 5', 'received 6']);
    assert.deepEqual(flights(link, 'server'), ['received 1', 'sent 4', 'received 5', 'sent 6']);
    assert.deepEqual(flights(link, 'cookie'), []);
    assert.ok(!link.events.some((e) => e.event.type === 'message' && e.event.message === 'HelloVerifyRequest'));
    const complete = link.eventsOf('client', 'handshake-complete')[0]!;
    assert.equal(complete.at, 40, 'two round trips instead of three');
    assert.equal(link.endpoint.cookiesEnabled, false);
  });

  it('still ignores datagrams that are not a ClientHello', () => {
    const events: DtlsEvent[] = [];
    const endpoint = new DtlsServerEndpoint({ clock: new VirtualClock(), ...rsaCredentials(), cookies: false, sendTo: () => undefined, onStatelessEvent: (_a, e) => events.push(e) });
    assert.equal(endpoint.receive('192.0.2.1:1', Buffer.from([23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0])), undefined);
    assert.equal(endpoint.connections.size, 0);
    assert.equal(events[0]?.type, 'record-dropped');
  });

  it('DtlsUdpServer with cookies: false over UDP (and resumption with a shared cache)', { timeout: 10_000 }, async () => {
    const { SessionCache } = await import('../../engine/dtls');
    const cache = new SessionCache();
    const serverEvents: DtlsEvent[] = [];
    const server = await DtlsUdpServer.listen({ ...rsaCredentials(), cookies: false, sessionCache: cache, onEvent: (_a, e) => serverEvents.push(e) });
    try {
      const { port } = server.address();
      const clientEvents: DtlsEvent[] = [];
      const verify = { mode: 'chain' as const, trustedCaPems: [rsaCredentials().certificatePem], hostname: 'localhost' };
      const client = await connectDtlsUdp('127.0.0.1', port, { verify, serverName: 'localhost', onEvent: (e) => clientEvents.push(e) });
      const session = client.connection.session!;
      await client.close();
      const received = clientEvents.filter((e): e is FlightEvent => e.type === 'flight' && e.direction === 'received').map((e) => e.flight);
      assert.deepEqual(received, [4, 6]);
      const again = await connectDtlsUdp('127.0.0.1', port, { verify, serverName: 'localhost', resumeSession: session });
      assert.equal(again.connection.negotiated?.resumed, true);
      again.send('hi');
      await again.close();
      for (let i = 0; i < 100 && !serverEvents.some((e) => e.type === 'handshake-complete' && e.resumed); i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(serverEvents.filter((e) => e.type === 'handshake-complete' && e.resumed).length, 1);
    } finally {
      await server.close();
    }
  });
});

describe('client certificate authentication', () => {
  let pki: { ca: Credentials; client: Credentials; stranger: Credentials } | undefined;
  const certificates = () => {
    if (!pki) {
      const ca = makeRsaCertificate({ commonName: 'Lab Client CA', isCa: true });
      pki = {
        ca,
        client: makeRsaCertificate({ commonName: 'player-1', dnsNames: ['player-1'], issuer: ca }),
        stranger: makeRsaCertificate({ commonName: 'stranger' }),
      };
    }
    return pki;
  };

  it('required: a client with a certificate from the trusted CA authenticates (CertificateRequest, Certificate, CertificateVerify)', () => {
    const { ca, client } = certificates();
    const link = connectedLink({
      server: rsaCredentials(),
      serverOptions: { requestClientCertificate: { trustedCaPems: [ca.certificatePem], required: true } },
      client: { certificatePem: client.certificatePem, privateKeyPem: client.privateKeyPem },
    });
    assert.deepEqual(flightMessages(link, 'client', 'received', 4), ['ServerHello', 'Certificate', 'ServerKeyExchange', 'CertificateRequest', 'ServerHelloDone']);
    assert.deepEqual(flightMessages(link, 'server', 'received', 5), ['Certificate', 'ClientKeyExchange', 'CertificateVerify', 'ChangeCipherSpec', 'Finished']);
    assert.match(link.serverConnection?.negotiated?.clientCertificate?.subject ?? '', /CN=player-1/);
    assert.equal(link.client.negotiated?.clientCertificate, undefined);
  });

  it('required: a client without a certificate fails with handshake_failure', () => {
    const link = new VirtualLink({ server: rsaCredentials(), serverOptions: { requestClientCertificate: { trustedCaPems: [certificates().ca.certificatePem], required: true } } });
    link.handshake();
    assert.equal(link.serverConnection?.failure?.kind, 'client-certificate-required');
    assert.equal(link.client.failure?.kind, 'peer-alert');
    assert.equal(link.client.failure?.alert, 'handshake_failure');
  });

  it('optional: a client without a certificate goes on anonymously', () => {
    const link = connectedLink({ server: rsaCredentials(), serverOptions: { requestClientCertificate: { trustedCaPems: [certificates().ca.certificatePem], required: false } } });
    assert.deepEqual(flightMessages(link, 'server', 'received', 5), ['Certificate', 'ClientKeyExchange', 'ChangeCipherSpec', 'Finished']);
    assert.equal(link.serverConnection?.negotiated?.clientCertificate, undefined);
  });

  it('an untrusted client certificate fails with unknown_ca, like on the client side', () => {
    const { ca, stranger } = certificates();
    const link = new VirtualLink({
      server: rsaCredentials(),
      serverOptions: { requestClientCertificate: { trustedCaPems: [ca.certificatePem], required: false } },
      client: { certificatePem: stranger.certificatePem, privateKeyPem: stranger.privateKeyPem },
    });
    link.handshake();
    assert.equal(link.serverConnection?.failure?.kind, 'untrusted-certificate');
    assert.match(link.serverConnection?.failure?.message ?? '', /client certificate/);
    assert.equal(link.client.failure?.alert, 'unknown_ca');
  });

  it('an expired client certificate fails with certificate_expired', () => {
    const { ca } = certificates();
    const old = makeRsaCertificate({ commonName: 'old', issuer: ca, notBefore: new Date(Date.now() - 10 * 86400_000), notAfter: new Date(Date.now() - 86400_000) });
    const link = new VirtualLink({
      server: rsaCredentials(),
      serverOptions: { requestClientCertificate: { trustedCaPems: [ca.certificatePem], required: true } },
      client: { certificatePem: old.certificatePem, privateKeyPem: old.privateKeyPem },
    });
    link.handshake();
    assert.equal(link.serverConnection?.failure?.kind, 'expired-certificate');
    assert.equal(link.client.failure?.alert, 'certificate_expired');
  });

  it('an ECDSA client certificate against an ECDSA server, then resumption keeps the client identity', () => {
    const { SessionCache } = require('../../engine/dtls') as typeof import('../../engine/dtls');
    const clientCredentials = makeEcdsaCertificate('ec-player');
    const cache = new SessionCache();
    const serverOptions = { sessionCache: cache, requestClientCertificate: { trustedCaPems: [clientCredentials.certificatePem], required: true } };
    const client = { certificatePem: clientCredentials.certificatePem, privateKeyPem: clientCredentials.privateKeyPem };
    const first = connectedLink({ server: ecdsaCredentials(), serverOptions, client });
    assert.match(first.serverConnection?.negotiated?.clientCertificate?.subject ?? '', /CN=ec-player/);
    const second = connectedLink({ server: ecdsaCredentials(), serverOptions, client: { ...client, resumeSession: first.client.session! } });
    assert.equal(second.serverConnection?.negotiated?.resumed, true);
    assert.equal(second.serverConnection?.negotiated?.clientCertificate?.fingerprint256, first.serverConnection?.negotiated?.clientCertificate?.fingerprint256);
    // A session without a client certificate is not resumed when one is required.
    const anonymous = connectedLink({ server: ecdsaCredentials(), serverOptions: { sessionCache: cache } });
    const refused = new VirtualLink({ server: ecdsaCredentials(), serverOptions, client: { resumeSession: anonymous.client.session! } });
    refused.handshake();
    assert.equal(refused.serverConnection?.failure?.kind, 'client-certificate-required');
    const reason = (refused.eventsOf('server', 'resumption')[0] as { reason?: string } | undefined)?.reason;
    assert.match(reason ?? '', /client certificate is required/);
  });
});
