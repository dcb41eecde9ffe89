// Cipher suites, groups, signature schemes and PSK: our client <-> our server on the virtual link,
// plus the record protection and selection logic on their own.

import assert from 'node:assert/strict';
import { createCipheriv, createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  DtlsConnection,
  type AlertEvent,
  type DtlsEvent,
  type FlightEvent,
  type GroupName,
  type HandshakeCompleteEvent,
  type SuiteSelectionEvent,
} from '../../engine/dtls';
import { AesGcmProtection, ChaCha20Poly1305Protection, createRecordProtection } from '../../engine/dtls/cipher-state';
import { CIPHER_SUITES, ContentType, DTLS_1_0, HandshakeType, cipherSuiteByName } from '../../engine/dtls/constants';
import { encodeClientHello, encodeWholeHandshake } from '../../engine/dtls/handshake-messages';
import { prf } from '../../engine/dtls/key-schedule';
import { pskPreMasterSecret } from '../../engine/dtls/psk';
import { encodeRecord } from '../../engine/dtls/record-layer';
import { chooseSignatureScheme, signWithScheme, signatureSchemeByCode, verifyWithScheme } from '../../engine/dtls/signature-schemes';
import { ecdsaCredentials, ecdsaCurveCredentials, rsaCredentials, VirtualLink, type Credentials, type LinkOptions } from './dtls-helpers';

const GROUPS: GroupName[] = ['x25519', 'secp256r1', 'secp384r1', 'secp521r1'];
const PSK_KEY = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
const PSK_IDENTITY = 'lab-client';

function pskCallback(identity: string): Uint8Array | undefined {
  return identity === PSK_IDENTITY ? PSK_KEY : undefined;
}

function connect(link: VirtualLink): void {
  link.handshake();
  assert.equal(link.client.state, 'connected', `client: ${link.client.failure?.message}`);
  assert.equal(link.serverConnection?.state, 'connected', `server: ${link.serverConnection?.failure?.message}`);
}

/** Three messages each way, then close_notify from the client, answered by the server. */
function exchangeAndClose(link: VirtualLink): void {
  const server = link.serverConnection!;
  for (const text of ['one', 'two', 'three']) {
    link.client.sendApplicationData(Buffer.from(`${text} from client`));
    link.run(() => server.pendingApplicationData() > 0);
    const received = server.readApplicationData();
    assert.equal(Buffer.from(received!).toString(), `${text} from client`);
    server.sendApplicationData(Buffer.from(`${text} echoed`));
    link.run(() => link.client.pendingApplicationData() > 0);
    assert.equal(Buffer.from(link.client.readApplicationData()!).toString(), `${text} echoed`);
  }
  link.client.close();
  link.run(() => server.state === 'closed', link.clock.now() + 1000);
  assert.equal(server.state, 'closed');
  const alerts = link.eventsOf('server', 'alert') as AlertEvent[];
  assert.deepEqual(alerts.map((a) => `${a.direction} ${a.description}`), ['received close_notify', 'sent close_notify']);
}

function selection(link: VirtualLink): SuiteSelectionEvent {
  const event = link.eventsOf('server', 'suite-selection')[0] as SuiteSelectionEvent | undefined;
  assert.ok(event, 'server emitted no suite-selection event');
  return event;
}

function complete(link: VirtualLink, who: 'client' | 'server'): HandshakeCompleteEvent {
  return link.eventsOf(who, 'handshake-complete')[0] as HandshakeCompleteEvent;
}

function pskLink(options: Partial<LinkOptions> & { suite?: string; groups?: GroupName[]; key?: Buffer; identity?: string; hint?: string } = {}): VirtualLink {
  return new VirtualLink({
    server: rsaCredentials(),
    ...options,
    serverOptions: {
      certificatePem: undefined,
      privateKeyPem: undefined,
      pskCallback,
      ...(options.hint !== undefined ? { pskIdentityHint: options.hint } : {}),
      ...options.serverOptions,
    },
    client: {
      verify: { mode: 'none' },
      psk: { identity: options.identity ?? PSK_IDENTITY, key: options.key ?? PSK_KEY },
      ...(options.suite ? { cipherSuites: [options.suite] } : {}),
      ...(options.groups ? { groups: options.groups } : {}),
      ...options.client,
    },
  });
}

describe('certificate suites x groups (ours <-> ours)', () => {
  const certificateSuites = CIPHER_SUITES.filter((suite) => suite.authentication !== 'psk');
  assert.equal(certificateSuites.length, 6);
  for (const suite of certificateSuites) {
    const credentials = suite.authentication === 'ec' ? ecdsaCredentials : rsaCredentials;
    for (const group of GROUPS) {
      it(`${suite.name} over ${group}`, () => {
        const link = new VirtualLink({ server: credentials(), client: { cipherSuites: [suite.name], groups: [group] } });
        connect(link);
        const expectedScheme = suite.authentication === 'ec' ? 'ecdsa_secp256r1_sha256' : 'rsa_pss_rsae_sha256';
        for (const connection of [link.client, link.serverConnection!]) {
          assert.equal(connection.negotiated?.suite, suite.name);
          assert.equal(connection.negotiated?.group, group);
          assert.equal(connection.negotiated?.signatureScheme, expectedScheme);
          assert.equal(connection.negotiated?.extendedMasterSecret, true);
        }
        const event = complete(link, 'client');
        assert.equal(event.suite, suite.name);
        assert.equal(event.group, group);
        assert.equal(event.signatureScheme, expectedScheme);
        assert.equal(selection(link).suite, suite.name);
        exchangeAndClose(link);
      });
    }
  }
});

describe('ECDSA P-384 and P-521 certificates', () => {
  for (const [curve, scheme] of [['secp384r1', 'ecdsa_secp384r1_sha384'], ['secp521r1', 'ecdsa_secp521r1_sha512']] as const) {
    for (const suite of ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256']) {
      it(`${suite} with a ${curve} certificate signs with ${scheme}`, () => {
        const link = new VirtualLink({ server: ecdsaCurveCredentials(curve), client: { cipherSuites: [suite] } });
        connect(link);
        assert.equal(link.client.negotiated?.suite, suite);
        assert.equal(link.client.negotiated?.signatureScheme, scheme);
        assert.equal(link.serverConnection?.negotiated?.signatureScheme, scheme);
        exchangeAndClose(link);
      });
    }
  }

  it('refuses an RSA suite for an ECDSA certificate and says why', () => {
    const link = new VirtualLink({ server: ecdsaCurveCredentials('secp384r1'), client: { cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } });
    link.handshake();
    assert.equal(link.serverConnection?.failure?.kind, 'handshake-failure');
    assert.match(link.serverConnection!.failure!.message, /TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: needs an RSA certificate; ours is ECDSA/);
    assert.equal(link.client.failure?.alert, 'handshake_failure');
  });
});

describe('signature schemes', () => {
  const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ecKeys = {
    'P-256': generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
    'P-384': generateKeyPairSync('ec', { namedCurve: 'secp384r1' }),
    'P-521': generateKeyPairSync('ec', { namedCurve: 'secp521r1' }),
  };
  const data = Buffer.from('client_random || server_random || params');

  it('signs and verifies every offered scheme (ECDSA hash independent of the curve, PSS salt = hash length)', () => {
    for (const code of [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601]) {
      const scheme = signatureSchemeByCode(code)!;
      const pairs = scheme.keyType === 'rsa' ? [rsaKey] : Object.values(ecKeys);
      for (const pair of pairs) {
        const signature = signWithScheme(scheme, pair.privateKey, data);
        assert.ok(verifyWithScheme(scheme, pair.publicKey, data, signature), `${scheme.name}`);
        assert.ok(!verifyWithScheme(scheme, pair.publicKey, Buffer.from('other data'), signature), `${scheme.name} accepts other data`);
        if (scheme.padding === 'pss') {
          // rsa_pss_rsae_shaN and rsa_pkcs1_shaN are not interchangeable.
          const pkcs1 = signatureSchemeByCode({ 0x0804: 0x0401, 0x0805: 0x0501, 0x0806: 0x0601 }[code]!)!;
          assert.ok(!verifyWithScheme(pkcs1, pair.publicKey, data, signature), `${scheme.name} verified as ${pkcs1.name}`);
        }
      }
    }
  });

  it('the server picks from the client\'s list: our order, the curve\'s own hash first', () => {
    const godotList = [0x0601, 0x0603, 0x0501, 0x0503, 0x0401, 0x0403, 0x0301, 0x0303, 0x0201, 0x0203];
    assert.equal(chooseSignatureScheme('rsa', godotList)?.name, 'rsa_pkcs1_sha256');
    assert.equal(chooseSignatureScheme('ec', godotList, 'P-256')?.name, 'ecdsa_secp256r1_sha256');
    assert.equal(chooseSignatureScheme('ec', godotList, 'P-384')?.name, 'ecdsa_secp384r1_sha384');
    assert.equal(chooseSignatureScheme('ec', godotList, 'P-521')?.name, 'ecdsa_secp521r1_sha512');
    assert.equal(chooseSignatureScheme('ec', [0x0403], 'P-384')?.name, 'ecdsa_secp256r1_sha256');
    assert.equal(chooseSignatureScheme('rsa', [0x0806, 0x0601])?.name, 'rsa_pss_rsae_sha512');
    assert.equal(chooseSignatureScheme('rsa', [0x0501])?.name, 'rsa_pkcs1_sha384');
    assert.equal(chooseSignatureScheme('rsa', [0x0403, 0x0809]), undefined);
    assert.equal(chooseSignatureScheme('rsa', undefined)?.name, 'rsa_pkcs1_sha1');
  });
});

describe('PSK and ECDHE_PSK suites (ours <-> ours)', () => {
  for (const suite of CIPHER_SUITES.filter((candidate) => candidate.keyExchange === 'psk')) {
    it(`${suite.name} with a PSK-only server`, () => {
      const link = pskLink({ suite: suite.name });
      connect(link);
      for (const connection of [link.client, link.serverConnection!]) {
        assert.equal(connection.negotiated?.suite, suite.name);
        assert.equal(connection.negotiated?.group, 'psk');
        assert.equal(connection.negotiated?.signatureScheme, 'none');
        assert.equal(connection.negotiated?.pskIdentity, PSK_IDENTITY);
      }
      // No identity hint: the server omits ServerKeyExchange (RFC 4279 §2), and sends no Certificate.
      const flight4 = link.eventsOf('client', 'flight').find((e) => (e as FlightEvent).flight === 4) as FlightEvent;
      assert.deepEqual(flight4.messages, ['ServerHello', 'ServerHelloDone']);
      assert.equal(complete(link, 'server').group, 'psk');
      exchangeAndClose(link);
    });
  }

  for (const suite of CIPHER_SUITES.filter((candidate) => candidate.keyExchange === 'ecdhe_psk')) {
    for (const group of GROUPS) {
      it(`${suite.name} over ${group}`, () => {
        const link = pskLink({ suite: suite.name, groups: [group] });
        connect(link);
        for (const connection of [link.client, link.serverConnection!]) {
          assert.equal(connection.negotiated?.suite, suite.name);
          assert.equal(connection.negotiated?.group, group);
          assert.equal(connection.negotiated?.signatureScheme, 'none');
        }
        const flight4 = link.eventsOf('client', 'flight').find((e) => (e as FlightEvent).flight === 4) as FlightEvent;
        assert.deepEqual(flight4.messages, ['ServerHello', 'ServerKeyExchange', 'ServerHelloDone']);
        exchangeAndClose(link);
      });
    }
  }

  it('passes the identity hint to a client psk function and sends it in ServerKeyExchange', () => {
    const hints: string[] = [];
    const link = pskLink({
      suite: 'TLS_PSK_WITH_AES_128_GCM_SHA256',
      hint: 'lab hint',
      client: { psk: (hint) => (hints.push(hint), { identity: PSK_IDENTITY, key: PSK_KEY }) },
    });
    connect(link);
    assert.deepEqual(hints, ['lab hint']);
    const flight4 = link.eventsOf('client', 'flight').find((e) => (e as FlightEvent).flight === 4) as FlightEvent;
    assert.deepEqual(flight4.messages, ['ServerHello', 'ServerKeyExchange', 'ServerHelloDone']);
  });

  it('a server with a certificate and a pskCallback serves both kinds of client', () => {
    const both = { pskCallback };
    const certLink = new VirtualLink({ server: ecdsaCredentials(), serverOptions: both });
    connect(certLink);
    assert.equal(certLink.client.negotiated?.suite, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    const pskClient = new VirtualLink({ server: ecdsaCredentials(), serverOptions: both, client: { psk: { identity: PSK_IDENTITY, key: PSK_KEY } } });
    connect(pskClient);
    assert.equal(pskClient.client.negotiated?.suite, 'TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256');
  });

  for (const suite of ['TLS_PSK_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384']) {
    it(`fails with bad_record_mac when the keys differ (${suite})`, () => {
      const link = pskLink({ suite, key: Buffer.from('ffffffffffffffffffffffffffffffff', 'hex') });
      link.handshake();
      assert.equal(link.serverConnection?.state, 'failed');
      assert.equal(link.serverConnection?.failure?.kind, 'decrypt-error');
      assert.match(link.serverConnection!.failure!.message, /failed authentication during the handshake.*pre-shared keys differ/);
      assert.equal(link.client.failure?.kind, 'peer-alert');
      assert.equal(link.client.failure?.alert, 'bad_record_mac');
      // Fails on the repeated flight 5, long before the 60 s handshake timeout.
      assert.ok(link.clock.now() < 5000, `failed at ${link.clock.now()} ms`);
    });
  }

  it('answers an unknown identity with unknown_psk_identity (115)', () => {
    const link = pskLink({ suite: 'TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256', identity: 'stranger' });
    link.handshake();
    assert.equal(link.serverConnection?.failure?.kind, 'unknown-psk-identity');
    assert.match(link.serverConnection!.failure!.message, /unknown PSK identity 'stranger'/);
    const sent = link.eventsOf('server', 'alert') as AlertEvent[];
    assert.deepEqual(sent.map((a) => [a.direction, a.level, a.description, a.code]), [['sent', 'fatal', 'unknown_psk_identity', 115]]);
    assert.equal(link.client.failure?.alert, 'unknown_psk_identity');
  });

  it('a client psk function that returns nothing aborts with handshake_failure', () => {
    const link = pskLink({ suite: 'TLS_PSK_WITH_AES_128_GCM_SHA256', client: { psk: () => undefined } });
    link.handshake();
    assert.equal(link.client.failure?.kind, 'handshake-failure');
    assert.match(link.client.failure!.message, /no PSK for the server's identity hint ''/);
  });

  it('builds the premaster secrets of RFC 4279 §2 and RFC 5489 §2', () => {
    assert.equal(pskPreMasterSecret(Buffer.from([0xaa, 0xbb])).toString('hex'), '00020000' + '0002aabb');
    assert.equal(pskPreMasterSecret(Buffer.from([0xaa]), Buffer.from([1, 2, 3])).toString('hex'), '0003010203' + '0001aa');
  });
});

describe('suite preference and refusals', () => {
  it('uses the server order by default and the client order with preferClientOrder', () => {
    const offer = ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'];
    const serverOrder = new VirtualLink({ server: rsaCredentials(), client: { cipherSuites: offer } });
    connect(serverOrder);
    assert.equal(serverOrder.client.negotiated?.suite, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    assert.equal(selection(serverOrder).preference, 'server');

    const clientOrder = new VirtualLink({ server: rsaCredentials(), client: { cipherSuites: offer }, serverOptions: { preferClientOrder: true } });
    connect(clientOrder);
    assert.equal(clientOrder.client.negotiated?.suite, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256');
    assert.equal(selection(clientOrder).preference, 'client');

    const configured = new VirtualLink({
      server: rsaCredentials(),
      serverOptions: { cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] },
    });
    connect(configured);
    assert.equal(configured.client.negotiated?.suite, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
  });

  it('orders groups the same way (a Godot 3-like client lists secp521r1 first, no x25519)', () => {
    const groups: GroupName[] = ['secp521r1', 'secp384r1', 'secp256r1'];
    const serverOrder = new VirtualLink({ server: ecdsaCredentials(), client: { groups } });
    connect(serverOrder);
    assert.equal(serverOrder.client.negotiated?.group, 'secp256r1');
    const clientOrder = new VirtualLink({ server: ecdsaCredentials(), client: { groups }, serverOptions: { preferClientOrder: true } });
    connect(clientOrder);
    assert.equal(clientOrder.client.negotiated?.group, 'secp521r1');
    const configured = new VirtualLink({ server: ecdsaCredentials(), client: { groups }, serverGroups: ['secp384r1', 'secp256r1'] });
    connect(configured);
    assert.equal(configured.client.negotiated?.group, 'secp384r1');
  });

  it('skips suites not enabled on the server and says so', () => {
    const link = new VirtualLink({
      server: rsaCredentials(),
      client: { cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] },
      serverOptions: { cipherSuites: ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'] },
    });
    link.handshake();
    assert.equal(link.serverConnection?.failure?.kind, 'handshake-failure');
    assert.match(link.serverConnection!.failure!.message, /TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: not enabled in cipherSuites/);
  });

  it('rejects unknown and CBC suite names in the options', () => {
    const base = { role: 'client' as const, send: () => undefined, clock: { now: () => 0 }, verify: { mode: 'none' as const } };
    assert.throws(() => new DtlsConnection({ ...base, cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] }), /TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA is a CBC suite; this engine supports AEAD suites only/);
    assert.throws(() => new DtlsConnection({ ...base, cipherSuites: ['ECDHE-RSA-AES128-GCM-SHA256'] }), /unknown cipher suite 'ECDHE-RSA-AES128-GCM-SHA256'/);
    assert.throws(() => new DtlsConnection({ ...base, cipherSuites: ['TLS_PSK_WITH_AES_128_GCM_SHA256'] }), /need the psk option/);
    assert.throws(() => new DtlsConnection({ ...base, groups: ['x448' as GroupName] }), /unknown group 'x448'/);
    assert.throws(
      () => new DtlsConnection({ role: 'server', send: () => undefined, clock: { now: () => 0 }, clientAddress: '192.0.2.1:1' }),
      /needs certificatePem and privateKeyPem, or a pskCallback/,
    );
  });
});

describe('a ClientHello with CBC suites', () => {
  function clientHelloDatagram(suites: number[]): Buffer {
    const body = encodeClientHello({
      clientVersion: 0xfefd,
      random: Buffer.alloc(32, 7),
      sessionId: Buffer.alloc(0),
      cookie: Buffer.alloc(0),
      cipherSuites: suites,
      compressionMethods: [0],
      extensions: [],
    });
    return encodeRecord(ContentType.Handshake, DTLS_1_0, 0, 0, encodeWholeHandshake(HandshakeType.ClientHello, 0, body));
  }

  function serverFor(credentials: Credentials) {
    const sent: Buffer[] = [];
    const events: DtlsEvent[] = [];
    const server = new DtlsConnection({ role: 'server', send: (d) => sent.push(Buffer.from(d)), clock: { now: () => 0 }, clientAddress: '192.0.2.1:9', ...credentials });
    server.onEvent((event) => events.push(event));
    return { server, sent, events };
  }

  it('refuses a CBC-only offer with handshake_failure and names the suites', () => {
    const { server, sent } = serverFor(rsaCredentials());
    server.receive(clientHelloDatagram([0xc013, 0x002f, 0x00ff]));
    assert.equal(server.state, 'failed');
    assert.equal(server.failure?.kind, 'handshake-failure');
    assert.equal(
      server.failure?.message.split(' (TLS_ECDHE_ECDSA')[0],
      'the client offered only CBC suites (TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA); this engine supports AEAD suites only',
    );
    // One plaintext fatal alert: handshake_failure (40).
    assert.equal(sent.length, 1);
    assert.equal(sent[0]![0], ContentType.Alert);
    assert.deepEqual([...sent[0]!.subarray(13)], [2, 40]);
  });

  it('skips CBC suites offered alongside AEAD ones and lists them in the suite-selection event', () => {
    const { server, events } = serverFor(rsaCredentials());
    server.receive(clientHelloDatagram([0xc013, 0xc014, 0xc030, 0x00ff]));
    assert.equal(server.state, 'handshaking', server.failure?.message);
    const event = events.find((e): e is SuiteSelectionEvent => e.type === 'suite-selection')!;
    assert.equal(event.suite, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    assert.deepEqual(event.unsupported, ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA']);
    assert.deepEqual(event.offered, ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384']);
    // No supported_groups: secp256r1 (RFC 8422 §4); no signature_algorithms: SHA-1 default.
    assert.equal(event.group, 'secp256r1');
    assert.equal(event.signatureScheme, 'rsa_pkcs1_sha1');
  });

  it('names unknown code points in hex when refusing', () => {
    const { server } = serverFor(ecdsaCredentials());
    server.receive(clientHelloDatagram([0x1301, 0xc02f]));
    assert.match(server.failure!.message, /no offered cipher suite can be used: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: needs an RSA certificate; ours is ECDSA; also offered, not supported: 0x1301/);
  });
});

describe('record protection of the new ciphers', () => {
  it('ChaCha20-Poly1305: no explicit nonce, nonce = IV xor (0000 || epoch || seq) (RFC 7905 §2)', () => {
    const key = Buffer.alloc(32, 0x42);
    const iv = Buffer.from('a0a1a2a3a4a5a6a7a8a9aaab', 'hex');
    const protection = new ChaCha20Poly1305Protection(key, iv);
    const sealed = protection.seal(23, 0xfefd, 1, 5, Buffer.from('hello'));
    assert.equal(sealed.length, 5 + 16);
    assert.equal(protection.overhead, 16);
    assert.equal(protection.open(23, 0xfefd, 1, 5, sealed)?.toString(), 'hello');
    assert.equal(protection.open(23, 0xfefd, 1, 6, sealed), undefined, 'other sequence number');
    assert.equal(protection.open(22, 0xfefd, 1, 5, sealed), undefined, 'other content type');
    // The same record sealed by hand with Node's cipher and the RFC 7905 nonce.
    const nonce = Buffer.from(iv);
    const seq = Buffer.from('0001000000000005', 'hex');
    for (let i = 0; i < 8; i++) nonce[4 + i]! ^= seq[i]!;
    const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    cipher.setAAD(Buffer.concat([seq, Buffer.from([23, 0xfe, 0xfd, 0, 5])]), { plaintextLength: 5 });
    const manual = Buffer.concat([cipher.update(Buffer.from('hello')), cipher.final(), cipher.getAuthTag()]);
    assert.deepEqual(sealed, manual);
  });

  it('AES-256-GCM keeps the 8-byte explicit nonce; the factory follows the suite', () => {
    const protection = createRecordProtection(cipherSuiteByName('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384')!, Buffer.alloc(32, 1), Buffer.alloc(4, 2));
    assert.ok(protection instanceof AesGcmProtection);
    assert.equal(protection.cipher, 'aes-256-gcm');
    const sealed = protection.seal(23, 0xfefd, 1, 9, Buffer.from('data'));
    assert.equal(sealed.length, 8 + 4 + 16);
    assert.equal(sealed.subarray(0, 8).toString('hex'), '0001000000000009');
    assert.equal(protection.open(23, 0xfefd, 1, 9, sealed)?.toString(), 'data');
    const chacha = createRecordProtection(cipherSuiteByName('TLS_PSK_WITH_CHACHA20_POLY1305_SHA256')!, Buffer.alloc(32, 1), Buffer.alloc(12, 2));
    assert.equal(chacha.cipher, 'chacha20-poly1305');
  });

  it('the suite table matches the RFC code points and key sizes', () => {
    const table = CIPHER_SUITES.map((s) => `${s.code.toString(16)} ${s.name} ${s.keyLength}/${s.fixedIvLength}/${s.recordIvLength} ${s.hash}`);
    assert.deepEqual(table, [
      'c02b TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 16/4/8 sha256',
      'c02f TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 16/4/8 sha256',
      'c02c TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 32/4/8 sha384',
      'c030 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 32/4/8 sha384',
      'cca9 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 32/12/0 sha256',
      'cca8 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 32/12/0 sha256',
      'd001 TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256 16/4/8 sha256',
      'd002 TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384 32/4/8 sha384',
      'ccac TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 32/12/0 sha256',
      'a8 TLS_PSK_WITH_AES_128_GCM_SHA256 16/4/8 sha256',
      'a9 TLS_PSK_WITH_AES_256_GCM_SHA384 32/4/8 sha384',
      'ccab TLS_PSK_WITH_CHACHA20_POLY1305_SHA256 32/12/0 sha256',
    ]);
  });

  it('the SHA-384 PRF differs from the SHA-256 one and has the P_hash structure', () => {
    const secret = Buffer.from('secret');
    const seed = Buffer.from('seed');
    const out384 = prf(secret, 'label', seed, 100, 'sha384');
    const out256 = prf(secret, 'label', seed, 100);
    assert.notDeepEqual(out384, out256);
    // First block of P_SHA384: HMAC(secret, A(1) || label || seed) with A(1) = HMAC(secret, label || seed).
    const a1 = createHmac('sha384', secret).update('labelseed').digest();
    const block = createHmac('sha384', secret).update(a1).update('labelseed').digest();
    assert.deepEqual(out384.subarray(0, 48), block);
  });
});
