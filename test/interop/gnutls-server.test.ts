// Our DTLS client against `gnutls-serv --udp --echo` (GnuTLS 3.7): RSA, ECDSA and a CA-signed chain,
// suites and groups pinned with priority strings, cookie exchange on and off (--nocookie), host name
// verification passing and failing. Every case: handshake, three echoed datagrams, close_notify
// (seen by gnutls-serv at debug level 5) and the negotiated suite checked on our side.
//
// gnutls-serv has no listen-address option (-a is --disable-client-cert): it binds 0.0.0.0 and [::]
// on a random port; we only ever talk to 127.0.0.1.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectDtlsUdp, DtlsHandshakeError, type DtlsEvent, type FlightEvent } from '../../engine/dtls';
import { ecdsaCredentials, rsaCredentials, type Credentials } from '../unit/dtls-helpers';
import { assertSupportedAeadSuite, describeEvents, echoExchange, freeUdpPort, handshakeFailure, note, PeerProcess, requireTool, TempDir } from './peer-harness';
import { DTLS12, pinned, caSignedChain } from './gnutls-priorities';

interface Case {
  name: string;
  credentials: () => Credentials;
  /** The PEM our client trusts (default: the server certificate itself). */
  trust?: () => string;
  authentication: 'rsa' | 'ec';
  priority: string;
  nocookie?: boolean;
  /** gnutls-serv --mtu (it then fragments Certificate and friends across datagrams). */
  mtu?: number;
  /** Exact IANA suite expected; undefined: any of our AEAD suites for the key type. */
  suite?: string;
  group?: string;
}

const cases: Case[] = [
  { name: 'RSA, NORMAL (DTLS 1.2 only), cookie', credentials: rsaCredentials, authentication: 'rsa', priority: DTLS12 },
  { name: 'RSA, ECDHE-RSA AES-128-GCM, cookie', credentials: rsaCredentials, authentication: 'rsa', priority: pinned('ECDHE-RSA', 'AES-128-GCM'), suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  { name: 'RSA, ECDHE-RSA AES-128-GCM, --nocookie', credentials: rsaCredentials, authentication: 'rsa', priority: pinned('ECDHE-RSA', 'AES-128-GCM'), nocookie: true, suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  { name: 'RSA, ECDHE-RSA AES-128-GCM on SECP256R1', credentials: rsaCredentials, authentication: 'rsa', priority: pinned('ECDHE-RSA', 'AES-128-GCM', 'SECP256R1'), suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', group: 'secp256r1' },
  { name: 'RSA, ECDHE-RSA AES-256-GCM', credentials: rsaCredentials, authentication: 'rsa', priority: pinned('ECDHE-RSA', 'AES-256-GCM'), suite: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' },
  { name: 'RSA, ECDHE-RSA CHACHA20-POLY1305', credentials: rsaCredentials, authentication: 'rsa', priority: pinned('ECDHE-RSA', 'CHACHA20-POLY1305'), suite: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256' },
  { name: 'RSA, --mtu 256 (GnuTLS fragments its flight)', credentials: rsaCredentials, authentication: 'rsa', priority: pinned('ECDHE-RSA', 'AES-128-GCM'), mtu: 256, suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  { name: 'RSA chain (leaf + CA, we trust the CA), NORMAL', credentials: () => caSignedChain().server, trust: () => caSignedChain().ca.certificatePem, authentication: 'rsa', priority: DTLS12 },
  { name: 'ECDSA, NORMAL (DTLS 1.2 only), cookie', credentials: ecdsaCredentials, authentication: 'ec', priority: DTLS12 },
  { name: 'ECDSA, ECDHE-ECDSA AES-128-GCM, cookie', credentials: ecdsaCredentials, authentication: 'ec', priority: pinned('ECDHE-ECDSA', 'AES-128-GCM'), suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' },
  { name: 'ECDSA, ECDHE-ECDSA AES-128-GCM, --nocookie', credentials: ecdsaCredentials, authentication: 'ec', priority: pinned('ECDHE-ECDSA', 'AES-128-GCM'), nocookie: true, suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' },
  { name: 'ECDSA, ECDHE-ECDSA AES-256-GCM', credentials: ecdsaCredentials, authentication: 'ec', priority: pinned('ECDHE-ECDSA', 'AES-256-GCM'), suite: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384' },
  { name: 'ECDSA, ECDHE-ECDSA CHACHA20-POLY1305', credentials: ecdsaCredentials, authentication: 'ec', priority: pinned('ECDHE-ECDSA', 'CHACHA20-POLY1305'), suite: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256' },
  { name: 'ECDSA, ECDHE-ECDSA AES-128-GCM on SECP384R1', credentials: ecdsaCredentials, authentication: 'ec', priority: pinned('ECDHE-ECDSA', 'AES-128-GCM', 'SECP384R1'), suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', group: 'secp384r1' },
  { name: 'ECDSA, ECDHE-ECDSA AES-128-GCM on SECP521R1', credentials: ecdsaCredentials, authentication: 'ec', priority: pinned('ECDHE-ECDSA', 'AES-128-GCM', 'SECP521R1'), suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', group: 'secp521r1' },
];

/** gnutls-serv prints "Alert[level|code] - Description - was received" at debug level 5. */
const CLOSE_NOTIFY_RECEIVED = /Alert\[1\|0\] - Close notify - was received/;

describe('our client <-> gnutls-serv --udp --echo (GnuTLS 3.7)', { timeout: 300_000 }, () => {
  let dir: TempDir;
  before(() => {
    requireTool('gnutls-serv', 'gnutls-bin');
    dir = new TempDir();
  });
  after(() => dir?.remove());

  let serial = 0;
  async function startServer(credentials: Credentials, priority: string, nocookie = false, mtu?: number): Promise<{ server: PeerProcess; port: number }> {
    const files = dir.writeCredentials(`gnutls-serv-${serial++}`, credentials);
    const port = await freeUdpPort();
    const args = ['--udp', '--echo', '-p', String(port), '-d', '5', '--x509certfile', files.cert, '--x509keyfile', files.key, '--priority', priority];
    if (nocookie) args.push('--nocookie');
    if (mtu !== undefined) args.push(`--mtu=${mtu}`);
    const server = new PeerProcess('gnutls-serv', args, { timeoutSeconds: 18 });
    await server.waitFor(/listening on IPv4 .*port \d+\.\.\.done/);
    return { server, port };
  }

  for (const testCase of cases) {
    it(`handshakes, echoes three datagrams, closes: ${testCase.name}`, { timeout: 20_000 }, async () => {
      const credentials = testCase.credentials();
      const { server, port } = await startServer(credentials, testCase.priority, testCase.nocookie, testCase.mtu);
      const events: DtlsEvent[] = [];
      try {
        const started = performance.now();
        const client = await connectDtlsUdp('127.0.0.1', port, {
          serverName: 'localhost',
          verify: { mode: 'chain', trustedCaPems: [testCase.trust?.() ?? credentials.certificatePem], hostname: 'localhost' },
          onEvent: (event) => events.push(event),
        }).catch((error: unknown) => {
          throw new Error(`handshake with gnutls-serv failed: ${(error as Error).message}\nour events:\n${describeEvents(events)}\ngnutls-serv tail:\n${server.output.slice(-1500)}`);
        });
        const elapsed = performance.now() - started;
        const negotiated = client.connection.negotiated!;
        try {
          if (testCase.suite) assert.equal(negotiated.suite, testCase.suite);
          else assertSupportedAeadSuite(negotiated.suite, testCase.authentication);
          if (testCase.group) assert.equal(negotiated.group, testCase.group);
          assert.equal(negotiated.extendedMasterSecret, true);
          const received = events.filter((e): e is FlightEvent => e.type === 'flight' && e.direction === 'received' && !e.retransmission).map((e) => e.flight);
          assert.deepEqual(received, testCase.nocookie ? [4, 6] : [2, 4, 6], 'HelloVerifyRequest iff cookies are on');
          // gnutls-serv asks for a client certificate unless -a; we answer with an empty Certificate.
          const flight4 = events.find((e): e is FlightEvent => e.type === 'flight' && e.direction === 'received' && e.flight === 4);
          assert.ok(flight4?.messages.includes('CertificateRequest'), JSON.stringify(flight4?.messages));
          if (testCase.mtu !== undefined) {
            const certificate = events.find((e) => e.type === 'message' && e.direction === 'received' && e.message === 'Certificate');
            assert.ok(certificate?.type === 'message' && certificate.fragmented, 'Certificate arrived in fragments');
          }
          await echoExchange(client);
        } finally {
          await client.close();
        }
        await server.waitFor(CLOSE_NOTIFY_RECEIVED, 5000);
        assert.ok(events.some((e) => e.type === 'alert' && e.direction === 'sent' && e.description === 'close_notify'));
        note(`gnutls-serv (${testCase.name}): ${negotiated.suite} / ${negotiated.group} / ${negotiated.signatureScheme}, handshake ${elapsed.toFixed(0)} ms`);
      } finally {
        await server.kill();
      }
    });
  }

  it('fails with hostname-mismatch (verifying example.com) and gnutls-serv gets bad_certificate', { timeout: 20_000 }, async () => {
    const credentials = ecdsaCredentials();
    const { server, port } = await startServer(credentials, DTLS12);
    try {
      const failure = await handshakeFailure(connectDtlsUdp('127.0.0.1', port, {
        serverName: 'example.com',
        verify: { mode: 'chain', trustedCaPems: [credentials.certificatePem], hostname: 'example.com' },
      }));
      assert.ok(failure instanceof DtlsHandshakeError, String(failure));
      assert.equal(failure.kind, 'hostname-mismatch');
      await server.waitFor(/Alert\[2\|42\]/, 5000);
    } finally {
      await server.kill();
    }
  });

  it('fails with untrusted-certificate when we trust another certificate and gnutls-serv gets unknown_ca', { timeout: 20_000 }, async () => {
    const { server, port } = await startServer(rsaCredentials(), DTLS12);
    try {
      const failure = await handshakeFailure(connectDtlsUdp('127.0.0.1', port, {
        serverName: 'localhost',
        verify: { mode: 'chain', trustedCaPems: [ecdsaCredentials().certificatePem], hostname: 'localhost' },
      }));
      assert.ok(failure instanceof DtlsHandshakeError, String(failure));
      assert.equal(failure.kind, 'untrusted-certificate');
      await server.waitFor(/Alert\[2\|48\]/, 5000);
    } finally {
      await server.kill();
    }
  });
});
