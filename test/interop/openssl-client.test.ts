// `openssl s_client -dtls1_2` against our DtlsUdpServer echoing what it receives.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DtlsUdpServer, type DtlsEvent, type HandshakeCompleteEvent } from '../../engine/dtls';
import { ecdsaCredentials, rsaCredentials, type Credentials } from '../unit/dtls-helpers';
import { OpensslProcess, TempDir } from './openssl-helpers';

interface Case {
  name: string;
  credentials: () => Credentials;
  extraArgs: string[];
  serverMtu?: number;
  suite: string;
  group: string;
}

const cases: Case[] = [
  { name: 'RSA', credentials: rsaCredentials, extraArgs: [], suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', group: 'x25519' },
  { name: 'ECDSA, -groups P-256', credentials: ecdsaCredentials, extraArgs: ['-groups', 'P-256'], suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', group: 'secp256r1' },
  { name: 'RSA, our server at MTU 300 (Certificate fragmented)', credentials: rsaCredentials, extraArgs: ['-mtu', '300'], serverMtu: 300, suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', group: 'x25519' },
];

describe('openssl s_client -dtls1_2 <-> our DtlsUdpServer (echo)', { timeout: 60_000 }, () => {
  let dir: TempDir;
  before(() => {
    dir = new TempDir();
  });
  after(() => dir.remove());

  for (const testCase of cases) {
    it(`echoes a typed line back to s_client: ${testCase.name}`, { timeout: 20_000 }, async () => {
      const credentials = testCase.credentials();
      const files = dir.writeCredentials(`client-case-${cases.indexOf(testCase)}`, credentials);
      const events: Array<{ address: string; event: DtlsEvent }> = [];
      const server = await DtlsUdpServer.listen({
        host: '127.0.0.1',
        port: 0,
        ...credentials,
        ...(testCase.serverMtu !== undefined ? { mtu: testCase.serverMtu } : {}),
        onEvent: (address, event) => events.push({ address, event }),
        onData: (connection, data) => connection.sendApplicationData(data),
      });
      const { port } = server.address();
      const client = new OpensslProcess(
        ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${port}`, '-CAfile', files.cert, '-verify_return_error', '-servername', 'localhost', ...testCase.extraArgs],
        15,
      );
      try {
        client.write('typed into s_client\n');
        await client.waitFor(/Verify return code: 0 \(ok\)/);
        // s_client does not print what it sends: the line on its stdout is our echo.
        await client.waitFor(/typed into s_client\n/);
        assert.match(client.stdout, /Extended master secret: yes/);
        client.endInput();
        await client.exited;
        if (testCase.serverMtu !== undefined) {
          const flight4 = events.find((e) => e.event.type === 'flight' && e.event.flight === 4)!.event as { datagrams: number };
          assert.ok(flight4.datagrams >= 4, `flight 4 in ${flight4.datagrams} datagrams`);
        }
        const complete = events.find((e) => e.event.type === 'handshake-complete')?.event as HandshakeCompleteEvent | undefined;
        assert.equal(complete?.suite, testCase.suite);
        assert.equal(complete?.group, testCase.group);
        const stateless = events.filter((e) => e.event.type === 'flight').map((e) => `${(e.event as { direction: string }).direction} ${(e.event as { flight: number }).flight}`);
        assert.deepEqual(stateless, ['received 1', 'sent 2', 'received 3', 'sent 4', 'received 5', 'sent 6']);
        const start = events.find((e) => e.event.type === 'flight')!.event.at;
        process.stdout.write(`# s_client handshake with our server (${testCase.name}): ${(complete!.at - start).toFixed(1)} ms from first ClientHello\n`);
      } finally {
        await client.kill();
        await server.close();
      }
    });
  }

  it('s_client with -verify_return_error rejects our server when it does not trust the certificate', { timeout: 20_000 }, async () => {
    const files = dir.writeCredentials('untrusted', ecdsaCredentials());
    const serverEvents: DtlsEvent[] = [];
    const server = await DtlsUdpServer.listen({ ...rsaCredentials(), onEvent: (_address, event) => serverEvents.push(event) });
    const client = new OpensslProcess(['s_client', '-dtls1_2', '-connect', `127.0.0.1:${server.address().port}`, '-CAfile', files.cert, '-verify_return_error'], 15);
    try {
      client.endInput();
      await client.exited;
      assert.match(client.output, /verify error|certificate verify failed/i);
      const alert = serverEvents.find((e) => e.type === 'alert' && e.direction === 'received');
      assert.ok(alert && alert.type === 'alert' && alert.level === 'fatal', JSON.stringify(serverEvents.slice(-3)));
      assert.ok(serverEvents.some((e) => e.type === 'state' && e.to === 'failed'));
    } finally {
      await client.kill();
      await server.close();
    }
  });

  it('echoes to s_client with cookies: false on our server (no HelloVerifyRequest)', { timeout: 20_000 }, async () => {
    const credentials = rsaCredentials();
    const files = dir.writeCredentials('cookie-off', credentials);
    const events: DtlsEvent[] = [];
    const server = await DtlsUdpServer.listen({
      ...credentials,
      cookies: false,
      onEvent: (_address, event) => events.push(event),
      onData: (connection, data) => connection.sendApplicationData(data),
    });
    const client = new OpensslProcess(['s_client', '-dtls1_2', '-connect', `127.0.0.1:${server.address().port}`, '-CAfile', files.cert, '-verify_return_error'], 15);
    try {
      client.write('no cookie today\n');
      await client.waitFor(/Verify return code: 0 \(ok\)/);
      await client.waitFor(/no cookie today\n/);
      client.endInput();
      await client.exited;
      const flights = events.filter((e) => e.type === 'flight').map((e) => `${(e as { direction: string }).direction} ${(e as { flight: number }).flight}`);
      assert.deepEqual(flights, ['received 1', 'sent 4', 'received 5', 'sent 6']);
      assert.ok(events.some((e) => e.type === 'alert' && e.direction === 'received' && e.description === 'close_notify'));
    } finally {
      await client.kill();
      await server.close();
    }
  });
});
