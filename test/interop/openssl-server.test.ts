// Our DTLS client against `openssl s_server -dtls1_2` (RSA and ECDSA, fragmented and not).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectDtlsUdp, DtlsHandshakeError, type DtlsEvent, type MessageEvent } from '../../engine/dtls';
import { ecdsaCredentials, rsaCredentials, type Credentials } from '../unit/dtls-helpers';
import { freeUdpPort, OpensslProcess, TempDir } from './openssl-helpers';
import { handshakeFailure } from './peer-harness';

interface Case {
  name: string;
  credentials: () => Credentials;
  mtu?: number;
  groups?: Array<'x25519' | 'secp256r1'>;
  suite: string;
  group: string;
  expectFragmentedCertificate: boolean;
}

const cases: Case[] = [
  { name: 'RSA, -mtu 1400', credentials: rsaCredentials, mtu: 1400, suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', group: 'x25519', expectFragmentedCertificate: false },
  { name: 'ECDSA, no -mtu (fragmented)', credentials: ecdsaCredentials, suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', group: 'x25519', expectFragmentedCertificate: true },
  { name: 'RSA, -mtu 256, secp256r1', credentials: rsaCredentials, mtu: 256, groups: ['secp256r1'], suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', group: 'secp256r1', expectFragmentedCertificate: true },
];

describe('our client <-> openssl s_server -dtls1_2', { timeout: 60_000 }, () => {
  let dir: TempDir;
  before(() => {
    dir = new TempDir();
  });
  after(() => dir.remove());

  async function startServer(credentials: Credentials, name: string, mtu?: number): Promise<{ server: OpensslProcess; port: number }> {
    const files = dir.writeCredentials(name, credentials);
    const port = await freeUdpPort();
    const args = ['s_server', '-dtls1_2', '-accept', `127.0.0.1:${port}`, '-cert', files.cert, '-key', files.key, '-naccept', '1'];
    if (mtu !== undefined) args.push('-mtu', String(mtu));
    const server = new OpensslProcess(args, 15);
    await server.waitFor(/ACCEPT/);
    return { server, port };
  }

  for (const testCase of cases) {
    it(`handshakes, exchanges data and closes: ${testCase.name}`, { timeout: 20_000 }, async () => {
      const credentials = testCase.credentials();
      const { server, port } = await startServer(credentials, `server-${cases.indexOf(testCase)}`, testCase.mtu);
      try {
        const events: DtlsEvent[] = [];
        const started = performance.now();
        const client = await connectDtlsUdp('127.0.0.1', port, {
          serverName: 'localhost',
          verify: { mode: 'chain', trustedCaPems: [credentials.certificatePem], hostname: 'localhost' },
          ...(testCase.groups ? { groups: testCase.groups } : {}),
          onEvent: (event) => events.push(event),
        });
        const elapsed = performance.now() - started;
        try {
          assert.equal(client.connection.negotiated?.suite, testCase.suite);
          assert.equal(client.connection.negotiated?.group, testCase.group);
          assert.equal(client.connection.negotiated?.extendedMasterSecret, true);
          const received = events.filter((e) => e.type === 'flight' && e.direction === 'received').map((e) => (e as { flight: number }).flight);
          assert.deepEqual(received, [2, 4, 6]);
          const certificate = events.find((e): e is MessageEvent => e.type === 'message' && e.message === 'Certificate');
          assert.equal(certificate?.fragmented, testCase.expectFragmentedCertificate);

          client.send('hello from node\n');
          await server.waitFor(/hello from node/);
          server.write('hello from openssl\n');
          const reply = await client.receive(5000);
          assert.equal(Buffer.from(reply).toString(), 'hello from openssl\n');
        } finally {
          await client.close();
        }
        await server.waitFor(/DONE|CONNECTION CLOSED/);
        process.stdout.write(`# handshake with s_server (${testCase.name}): ${elapsed.toFixed(1)} ms\n`);
      } finally {
        await server.kill();
      }
    });
  }

  it('fails with hostname-mismatch against s_server and sends bad_certificate', { timeout: 20_000 }, async () => {
    const credentials = rsaCredentials();
    const { server, port } = await startServer(credentials, 'mismatch', 1400);
    try {
      const failure = await handshakeFailure(connectDtlsUdp('127.0.0.1', port, {
        serverName: 'example.com',
        verify: { mode: 'chain', trustedCaPems: [credentials.certificatePem], hostname: 'example.com' },
      }));
      assert.ok(failure instanceof DtlsHandshakeError);
      assert.equal(failure.kind, 'hostname-mismatch');
      assert.match(failure.message, /not for 'example.com'/);
      await server.waitFor(/bad certificate/i);
    } finally {
      await server.kill();
    }
  });
});
