// A real Godot 3.2.3 PacketPeerDTLS client (mbedTLS) against our DtlsUdpServer echoing what it
// receives: test/interop/godot3/dtls-echo-client.gd validates our certificate (validate_certs=true,
// for_hostname='localhost', valid_certificate = the X509Certificate loaded from our cert file),
// sends three datagrams one at a time, waits for each echo and closes with disconnect_from_peer().
// Also: the zero-length server_name Godot sends without a host name, and a host name mismatch
// (Godot 3.2.3 reports it as STATUS_ERROR with mbedTLS's -0x2700, not as status 4).
//
// Godot's ClientHello offers 128 suites (ChaCha20-Poly1305 first) and secp521r1 first, no x25519;
// our server chooses by its own preference. We assert "one of our AEAD suites" and print it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DtlsUdpServer, type DtlsConnection, type DtlsEvent, type HandshakeCompleteEvent } from '../../engine/dtls';
import { ecdsaCredentials, rsaCredentials, type Credentials } from '../unit/dtls-helpers';
import { assertSupportedAeadSuite, describeEvents, note, repoFile, requireTool, runGodot3Script, TempDir } from './peer-harness';

const SCRIPT = 'test/interop/godot3/dtls-echo-client.gd';
/** ASCII only: Godot 3's OS.get_environment reads bytes as Latin-1. */
const GODOT_MESSAGES = ['hello from godot 1', 'hello from godot 2', 'hello from godot 3'];

interface Case {
  name: string;
  credentials: () => Credentials;
  authentication: 'rsa' | 'ec';
  hostname: string;
  validate: boolean;
  passCertificate: boolean;
  /** server_name our server should see. */
  serverName: string;
  /** Our server's `cookies` option (default true). */
  cookies?: boolean;
}

const cases: Case[] = [
  { name: 'RSA, validate_certs, for_hostname localhost, valid_certificate', credentials: rsaCredentials, authentication: 'rsa', hostname: 'localhost', validate: true, passCertificate: true, serverName: 'localhost' },
  { name: 'ECDSA, validate_certs, for_hostname localhost, valid_certificate', credentials: ecdsaCredentials, authentication: 'ec', hostname: 'localhost', validate: true, passCertificate: true, serverName: 'localhost' },
  { name: 'ECDSA, our server with cookies: false (no HelloVerifyRequest)', credentials: ecdsaCredentials, authentication: 'ec', hostname: 'localhost', validate: true, passCertificate: true, serverName: 'localhost', cookies: false },
  { name: "RSA, no host name (Godot sends an empty server_name), validate_certs false", credentials: rsaCredentials, authentication: 'rsa', hostname: '', validate: false, passCertificate: false, serverName: '' },
];

describe('Godot 3.2.3 PacketPeerDTLS (mbedTLS) <-> our DtlsUdpServer (echo)', { timeout: 120_000 }, () => {
  let dir: TempDir;
  let script: string;
  before(() => {
    requireTool('godot3-server', 'godot3-server');
    script = repoFile(SCRIPT);
    dir = new TempDir();
  });
  after(() => dir?.remove());

  async function startServer(credentials: Credentials, cookies = true) {
    const events: Array<{ address: string; event: DtlsEvent }> = [];
    const connections: DtlsConnection[] = [];
    const server = await DtlsUdpServer.listen({
      host: '127.0.0.1',
      port: 0,
      ...credentials,
      ...(cookies ? {} : { cookies: false }),
      onEvent: (address, event) => events.push({ address, event }),
      onConnection: (connection) => connections.push(connection),
      onData: (connection, data) => connection.sendApplicationData(data),
    });
    return { server, events, connections, port: server.address().port };
  }

  let serial = 0;
  function startGodot(port: number, env: Record<string, string>) {
    return runGodot3Script(script, { DTLS_PORT: String(port), DTLS_MESSAGES: GODOT_MESSAGES.join('|'), DTLS_DEADLINE_MS: '14000', ...env }, dir.subdir(`home-${serial++}`));
  }

  for (const testCase of cases) {
    it(`Godot connects, gets three echoes, closes: ${testCase.name}`, { timeout: 20_000 }, async () => {
      const credentials = testCase.credentials();
      const files = dir.writeCredentials(`godot-client-${serial}`, credentials);
      const { server, events, connections, port } = await startServer(credentials, testCase.cookies ?? true);
      const godot = startGodot(port, {
        DTLS_CERT: testCase.passCertificate ? files.cert : '',
        DTLS_HOSTNAME: testCase.hostname,
        DTLS_VALIDATE: testCase.validate ? '1' : '0',
      });
      try {
        await godot.waitFor(/^RESULT /m, 17_000).catch((error: Error) => {
          throw new Error(`${error.message}\nour server:\n${describeEvents(events.map((e) => e.event))}`);
        });
        assert.match(godot.stdout, /^RESULT ok$/m, `${godot.output}\nour server:\n${describeEvents(events.map((e) => e.event))}`);
        assert.equal(await godot.waitForExit(5000), 0, godot.output);
        const lines = godot.stdout.split('\n');
        assert.deepEqual(lines.filter((line) => line.startsWith('ECHO ')), GODOT_MESSAGES.map((m) => `ECHO ${m}`));
        // HANDSHAKING is seen unless mbedTLS finished the whole handshake inside one poll() (our
        // server can answer that fast on loopback); either way it ends CONNECTED, with nothing else.
        const statuses = lines.filter((line) => line.startsWith('STATUS ')).join(',');
        assert.match(statuses, /^(STATUS 1,)?STATUS 2$/);

        // Our side: cookie exchange, the suite, the three datagrams and Godot's close_notify.
        const ours = events.map((e) => e.event);
        const complete = ours.find((e): e is HandshakeCompleteEvent => e.type === 'handshake-complete');
        assert.ok(complete, describeEvents(ours));
        assertSupportedAeadSuite(complete.suite, testCase.authentication);
        assert.notEqual(complete.group, 'x25519', 'Godot 3 does not offer x25519');
        assert.equal(complete.extendedMasterSecret, true);
        const helloVerifyRequests = ours.filter((e) => e.type === 'flight' && e.direction === 'sent' && e.flight === 2).length;
        assert.equal(helloVerifyRequests, testCase.cookies === false ? 0 : 1, 'a HelloVerifyRequest iff cookies are on');
        assert.equal(ours.filter((e) => e.type === 'application-data' && e.direction === 'received').length, GODOT_MESSAGES.length);
        const closeNotify = () => events.some((e) => e.event.type === 'alert' && e.event.direction === 'received' && e.event.description === 'close_notify');
        await waitUntil(closeNotify, 3000);
        assert.ok(closeNotify(), describeEvents(events.map((e) => e.event)));
        assert.equal(connections.at(-1)?.negotiated?.serverName, testCase.serverName);
        note(`Godot 3.2.3 client (${testCase.name}): ${complete.suite} / ${complete.group} / ${connections.at(-1)?.negotiated?.signatureScheme}`);
      } finally {
        await godot.kill();
        await server.close();
      }
    });
  }

  it('Godot fails the handshake for for_hostname example.com (certificate verify failed); our server gets a fatal alert', { timeout: 20_000 }, async () => {
    const credentials = rsaCredentials();
    const files = dir.writeCredentials('godot-client-mismatch', credentials);
    const { server, events, port } = await startServer(credentials);
    const godot = startGodot(port, { DTLS_CERT: files.cert, DTLS_HOSTNAME: 'example.com', DTLS_VALIDATE: '1' });
    try {
      await godot.waitFor(/^RESULT /m, 17_000);
      // Godot 3.2.3 reports plain STATUS_ERROR (3) here: mbedTLS fails x509_verify_cert with
      // MBEDTLS_ERR_X509_CERT_VERIFY_FAILED (-0x2700); STATUS_ERROR_HOSTNAME_MISMATCH (4) came with later 3.x.
      assert.match(godot.stdout, /^RESULT failed [34]$/m, godot.output);
      assert.match(godot.output, /x509_verify_cert\(\) returned -9984|-0x2700/, godot.output);
      await waitUntil(() => events.some((e) => e.event.type === 'alert' && e.event.direction === 'received'), 3000);
      const ours = events.map((e) => e.event);
      assert.ok(!ours.some((e) => e.type === 'handshake-complete'), describeEvents(ours));
      const alert = ours.find((e) => e.type === 'alert' && e.direction === 'received');
      assert.ok(alert && alert.type === 'alert' && alert.level === 'fatal', describeEvents(ours));
      note(`Godot 3.2.3 client, host name mismatch: our server got fatal alert ${alert.description}`);
    } finally {
      await godot.kill();
      await server.close();
    }
  });
});

function waitUntil(condition: () => boolean, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = Date.now() + ms;
    const check = () => {
      if (condition() || Date.now() >= deadline) return resolve();
      setTimeout(check, 10);
    };
    check();
  });
}
