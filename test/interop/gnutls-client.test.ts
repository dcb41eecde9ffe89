// `gnutls-cli --udp` (GnuTLS 3.7) against our DtlsUdpServer echoing what it receives: RSA, ECDSA and a
// CA-signed chain checked with --x509cafile, pinned suites and groups, SNI, and certificate checks
// that fail on gnutls-cli's side (name mismatch, unknown CA). gnutls-cli puts record version 0xfefd
// on its ClientHello, sends record_size_limit and status_request, one handshake message per
// datagram, and waits ~50-150 ms between flights.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DtlsUdpServer, type DtlsConnection, type DtlsEvent, type FlightEvent, type HandshakeCompleteEvent } from '../../engine/dtls';
import { ecdsaCredentials, rsaCredentials, type Credentials } from '../unit/dtls-helpers';
import { assertSupportedAeadSuite, describeEvents, ECHO_MESSAGES, escapeRegExp, note, PeerProcess, requireTool, TempDir } from './peer-harness';
import { DTLS12, pinned, caSignedChain } from './gnutls-priorities';

/** The cipher as gnutls-cli names it in "- Description: (...)-(AES-128-GCM)". */
function gnutlsCipherName(suite: string): string {
  if (suite.includes('AES_128_GCM')) return 'AES-128-GCM';
  if (suite.includes('AES_256_GCM')) return 'AES-256-GCM';
  if (suite.includes('CHACHA20_POLY1305')) return 'CHACHA20-POLY1305';
  throw new Error(`no GnuTLS name for ${suite}`);
}

interface Case {
  name: string;
  credentials: () => Credentials;
  /** PEM gnutls-cli gets as --x509cafile (default: the server certificate). */
  caPem?: () => string;
  authentication: 'rsa' | 'ec';
  priority: string;
  extraArgs?: string[];
  suite?: string;
  group?: string;
  /** server_name our server should see (undefined: none sent, as gnutls-cli connects to an IP). */
  serverName?: string;
  /** Our server's `cookies` option (default true: HelloVerifyRequest first). */
  cookies?: boolean;
  /** Our server's MTU (flight 4 then goes out in fragments that gnutls-cli reassembles). */
  serverMtu?: number;
}

const cases: Case[] = [
  { name: 'RSA, --x509cafile, NORMAL', credentials: rsaCredentials, authentication: 'rsa', priority: DTLS12 },
  { name: 'ECDSA, --x509cafile, NORMAL', credentials: ecdsaCredentials, authentication: 'ec', priority: DTLS12 },
  { name: 'RSA, our server with cookies: false (no HelloVerifyRequest)', credentials: rsaCredentials, authentication: 'rsa', priority: DTLS12, cookies: false },
  { name: 'ECDSA, our server with cookies: false (no HelloVerifyRequest)', credentials: ecdsaCredentials, authentication: 'ec', priority: DTLS12, cookies: false },
  { name: 'RSA, our server at MTU 300 (flight 4 fragmented)', credentials: rsaCredentials, authentication: 'rsa', priority: DTLS12, serverMtu: 300 },
  { name: 'RSA chain (leaf + CA), --x509cafile CA', credentials: () => caSignedChain().server, caPem: () => caSignedChain().ca.certificatePem, authentication: 'rsa', priority: DTLS12 },
  {
    name: 'ECDSA, --verify-hostname localhost, --sni-hostname localhost',
    credentials: ecdsaCredentials,
    authentication: 'ec',
    priority: DTLS12,
    extraArgs: ['--verify-hostname=localhost', '--sni-hostname=localhost'],
    serverName: 'localhost',
  },
  { name: 'RSA, ECDHE-RSA AES-128-GCM on SECP256R1', credentials: rsaCredentials, authentication: 'rsa', priority: pinned('ECDHE-RSA', 'AES-128-GCM', 'SECP256R1'), suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', group: 'secp256r1' },
  { name: 'RSA, ECDHE-RSA AES-256-GCM', credentials: rsaCredentials, authentication: 'rsa', priority: pinned('ECDHE-RSA', 'AES-256-GCM'), suite: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' },
  { name: 'RSA, ECDHE-RSA CHACHA20-POLY1305', credentials: rsaCredentials, authentication: 'rsa', priority: pinned('ECDHE-RSA', 'CHACHA20-POLY1305'), suite: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256' },
  { name: 'ECDSA, ECDHE-ECDSA AES-256-GCM', credentials: ecdsaCredentials, authentication: 'ec', priority: pinned('ECDHE-ECDSA', 'AES-256-GCM'), suite: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384' },
  { name: 'ECDSA, ECDHE-ECDSA CHACHA20-POLY1305', credentials: ecdsaCredentials, authentication: 'ec', priority: pinned('ECDHE-ECDSA', 'CHACHA20-POLY1305'), suite: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256' },
  { name: 'ECDSA, ECDHE-ECDSA AES-128-GCM on SECP384R1', credentials: ecdsaCredentials, authentication: 'ec', priority: pinned('ECDHE-ECDSA', 'AES-128-GCM', 'SECP384R1'), suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', group: 'secp384r1' },
  { name: 'ECDSA, ECDHE-ECDSA AES-128-GCM on SECP521R1', credentials: ecdsaCredentials, authentication: 'ec', priority: pinned('ECDHE-ECDSA', 'AES-128-GCM', 'SECP521R1'), suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', group: 'secp521r1' },
];

describe('gnutls-cli --udp <-> our DtlsUdpServer (echo)', { timeout: 300_000 }, () => {
  let dir: TempDir;
  before(() => {
    requireTool('gnutls-cli', 'gnutls-bin');
    dir = new TempDir();
  });
  after(() => dir?.remove());

  let serial = 0;
  async function startServer(credentials: Credentials, cookies = true, mtu?: number) {
    const events: Array<{ address: string; event: DtlsEvent }> = [];
    const connections: DtlsConnection[] = [];
    const server = await DtlsUdpServer.listen({
      host: '127.0.0.1',
      port: 0,
      ...credentials,
      ...(cookies ? {} : { cookies: false }),
      ...(mtu !== undefined ? { mtu } : {}),
      onEvent: (address, event) => events.push({ address, event }),
      onConnection: (connection) => connections.push(connection),
      onData: (connection, data) => connection.sendApplicationData(data),
    });
    return { server, events, connections, port: server.address().port };
  }

  function startClient(port: number, caFile: string, priority: string, extraArgs: string[] = []): PeerProcess {
    return new PeerProcess('gnutls-cli', ['--udp', '-p', String(port), '127.0.0.1', '--x509cafile', caFile, '--priority', priority, ...extraArgs], {
      timeoutSeconds: 15,
    });
  }

  for (const testCase of cases) {
    it(`echoes three lines back to gnutls-cli: ${testCase.name}`, { timeout: 20_000 }, async () => {
      const credentials = testCase.credentials();
      const caFile = dir.write(`gnutls-cli-ca-${serial++}.pem`, testCase.caPem?.() ?? credentials.certificatePem);
      const { server, events, connections, port } = await startServer(credentials, testCase.cookies ?? true, testCase.serverMtu);
      const client = startClient(port, caFile, testCase.priority, testCase.extraArgs);
      try {
        await client.waitFor(/- Handshake was completed/, 8000).catch((error: Error) => {
          throw new Error(`${error.message}\nour server:\n${describeEvents(events.map((e) => e.event))}`);
        });
        assert.match(client.output, /- Status: The certificate is trusted/);
        // gnutls-cli does not echo what it reads from stdin: a line on its stdout is our echo.
        for (const message of ECHO_MESSAGES) {
          client.write(`${message}\n`);
          await client.waitFor(new RegExp(`Simple Client Mode:[\\s\\S]*^${escapeRegExp(message)}$`, 'm'), 5000);
        }
        client.endInput(); // gnutls-cli sends close_notify on EOF
        assert.equal(await client.waitForExit(5000), 0, client.output);

        const complete = events.find((e) => e.event.type === 'handshake-complete')?.event as HandshakeCompleteEvent | undefined;
        assert.ok(complete, describeEvents(events.map((e) => e.event)));
        if (testCase.suite) assert.equal(complete.suite, testCase.suite);
        else assertSupportedAeadSuite(complete.suite, testCase.authentication);
        if (testCase.group) assert.equal(complete.group, testCase.group);
        assert.equal(complete.extendedMasterSecret, true);
        assert.match(client.output, new RegExp(`- Description: \\(DTLS1\\.2-X\\.509\\)-\\(ECDHE-[A-Z0-9]+\\)-\\([A-Z0-9-]+\\)-\\(${gnutlsCipherName(complete.suite)}\\)`));
        assert.match(client.output, /- Options: extended master secret/);

        const flights = events.filter((e) => e.event.type === 'flight' && !(e.event as FlightEvent).retransmission).map((e) => `${(e.event as FlightEvent).direction} ${(e.event as FlightEvent).flight}`);
        assert.deepEqual(
          flights,
          testCase.cookies === false ? ['received 1', 'sent 4', 'received 5', 'sent 6'] : ['received 1', 'sent 2', 'received 3', 'sent 4', 'received 5', 'sent 6'],
        );
        if (testCase.serverMtu !== undefined) {
          const flight4 = events.find((e) => e.event.type === 'flight' && e.event.direction === 'sent' && e.event.flight === 4)?.event as FlightEvent | undefined;
          assert.ok((flight4?.datagrams ?? 0) >= 4, `flight 4 in ${flight4?.datagrams} datagrams`);
        }
        const dataIn = events.filter((e) => e.event.type === 'application-data' && e.event.direction === 'received').length;
        assert.equal(dataIn, ECHO_MESSAGES.length);
        assert.ok(
          events.some((e) => e.event.type === 'alert' && e.event.direction === 'received' && e.event.description === 'close_notify'),
          describeEvents(events.map((e) => e.event)),
        );
        assert.equal(connections[0]?.state, 'closed');
        assert.equal(connections[0]?.negotiated?.serverName, testCase.serverName);
        const start = events.find((e) => e.event.type === 'flight')!.event.at;
        note(`gnutls-cli (${testCase.name}): ${complete.suite} / ${complete.group} / ${connections[0]?.negotiated?.signatureScheme}, ${(complete.at - start).toFixed(0)} ms from first ClientHello`);
      } finally {
        await client.kill();
        await server.close();
      }
    });
  }

  for (const failing of [
    { name: 'name mismatch (--verify-hostname example.com)', credentials: ecdsaCredentials, caPem: () => ecdsaCredentials().certificatePem, args: ['--verify-hostname=example.com'], output: /does not match the expected|NOT trusted/i },
    { name: 'unknown CA (--x509cafile of another certificate)', credentials: rsaCredentials, caPem: () => ecdsaCredentials().certificatePem, args: [], output: /NOT trusted|issuer is unknown|signer not found/i },
  ]) {
    it(`gnutls-cli rejects our server: ${failing.name}`, { timeout: 20_000 }, async () => {
      const caFile = dir.write(`gnutls-cli-ca-${serial++}.pem`, failing.caPem());
      const { server, events, port } = await startServer(failing.credentials());
      const client = startClient(port, caFile, DTLS12, failing.args);
      try {
        client.endInput();
        const code = await client.waitForExit(10_000);
        assert.notEqual(code, 0, client.output);
        assert.match(client.output, failing.output);
        assert.doesNotMatch(client.output, /- Handshake was completed/);
        // Our server must not complete and must hear about it (fatal alert) or at least not connect.
        await new Promise((resolve) => setTimeout(resolve, 100));
        const ours = events.map((e) => e.event);
        assert.ok(!ours.some((e) => e.type === 'handshake-complete'), describeEvents(ours));
        const alert = ours.find((e) => e.type === 'alert' && e.direction === 'received');
        assert.ok(alert && alert.type === 'alert' && alert.level === 'fatal', describeEvents(ours));
        note(`gnutls-cli (${failing.name}): our server got fatal alert ${alert.description}`);
      } finally {
        await client.kill();
        await server.close();
      }
    });
  }
});
