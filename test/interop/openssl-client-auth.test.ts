// Client certificate authentication against OpenSSL 3: our client with a certificate against
// `s_server -dtls1_2 -Verify 1` (certificate required), and `s_client -cert/-key` against our
// DtlsUdpServer with requestClientCertificate (required / missing / untrusted). This checks our
// CertificateRequest and CertificateVerify (RSA-PSS, ECDSA) against a second implementation.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectDtlsUdp, DtlsUdpServer, type DtlsConnection, type DtlsEvent } from '../../engine/dtls';
import { makeEcdsaCertificate, makeRsaCertificate, rsaCredentials, type Credentials } from '../unit/dtls-helpers';
import { freeUdpPort, OpensslProcess, TempDir } from './openssl-helpers';

describe('client certificates with OpenSSL', { timeout: 120_000 }, () => {
  let dir: TempDir;
  let server: { cert: string; key: string };
  let ca: Credentials;
  let clients: Record<'rsa' | 'ecdsa', Credentials>;
  let caFile: string;
  before(() => {
    dir = new TempDir();
    server = dir.writeCredentials('server', rsaCredentials());
    ca = makeRsaCertificate({ commonName: 'Interop Client CA', isCa: true });
    caFile = dir.write('client-ca.pem', ca.certificatePem);
    const ecdsa = makeEcdsaCertificate('ec-player');
    clients = { rsa: makeRsaCertificate({ commonName: 'rsa-player', dnsNames: ['rsa-player'], issuer: ca }), ecdsa };
  });
  after(() => dir.remove());

  for (const kind of ['rsa', 'ecdsa'] as const) {
    it(`our client authenticates with an ${kind.toUpperCase()} certificate to s_server -Verify 1`, { timeout: 20_000 }, async () => {
      const credentials = clients[kind];
      const trust = kind === 'rsa' ? caFile : dir.write('ec-player.pem', credentials.certificatePem);
      const port = await freeUdpPort();
      const peer = new OpensslProcess(
        ['s_server', '-dtls1_2', '-accept', `127.0.0.1:${port}`, '-cert', server.cert, '-key', server.key, '-mtu', '1400', '-naccept', '1', '-Verify', '1', '-CAfile', trust, '-verify_return_error'],
        20,
      );
      try {
        await peer.waitFor(/ACCEPT/);
        const events: DtlsEvent[] = [];
        const client = await connectDtlsUdp('127.0.0.1', port, {
          serverName: 'localhost',
          verify: { mode: 'chain', trustedCaPems: [rsaCredentials().certificatePem], hostname: 'localhost' },
          certificatePem: credentials.certificatePem,
          privateKeyPem: credentials.privateKeyPem,
          onEvent: (e) => events.push(e),
        });
        try {
          const sent = events.filter((e) => e.type === 'flight' && e.direction === 'sent' && e.flight === 5).map((e) => (e as { messages: string[] }).messages);
          assert.deepEqual(sent[0], ['Certificate', 'ClientKeyExchange', 'CertificateVerify', 'ChangeCipherSpec', 'Finished']);
          client.send('authenticated hello\n');
          await peer.waitFor(/authenticated hello/, 5000);
          await peer.waitFor(new RegExp(`subject=.*${kind === 'rsa' ? 'rsa-player' : 'ec-player'}`), 5000);
        } finally {
          await client.close();
        }
      } finally {
        await peer.kill();
      }
    });
  }

  async function ourServer(required: boolean): Promise<{ server: DtlsUdpServer; connections: DtlsConnection[]; events: DtlsEvent[] }> {
    const connections: DtlsConnection[] = [];
    const events: DtlsEvent[] = [];
    const listening = await DtlsUdpServer.listen({
      ...rsaCredentials(),
      requestClientCertificate: { trustedCaPems: [ca.certificatePem], required },
      onConnection: (connection) => connections.push(connection),
      onEvent: (_address, event) => events.push(event),
    });
    return { server: listening, connections, events };
  }

  it('s_client -cert/-key authenticates to our server; without a certificate it is refused', { timeout: 20_000 }, async () => {
    const { server: ours, connections, events } = await ourServer(true);
    const port = ours.address().port;
    const files = dir.writeCredentials('rsa-player', clients.rsa);
    try {
      const good = new OpensslProcess(['s_client', '-dtls1_2', '-connect', `127.0.0.1:${port}`, '-CAfile', server.cert, '-cert', files.cert, '-key', files.key], 15);
      try {
        await good.waitFor(/New, TLSv1\.2/, 8000);
      } finally {
        good.endInput();
        await good.kill();
      }
      assert.match(connections[0]?.negotiated?.clientCertificate?.subject ?? '', /CN=rsa-player/);

      const anonymous = new OpensslProcess(['s_client', '-dtls1_2', '-connect', `127.0.0.1:${port}`, '-CAfile', server.cert], 15);
      try {
        await anonymous.waitFor(/handshake failure/i, 8000);
      } finally {
        anonymous.endInput();
        await anonymous.kill();
      }
      assert.equal(connections[1]?.failure?.kind, 'client-certificate-required');

      const stranger = dir.writeCredentials('stranger', makeRsaCertificate({ commonName: 'stranger' }));
      const untrusted = new OpensslProcess(['s_client', '-dtls1_2', '-connect', `127.0.0.1:${port}`, '-CAfile', server.cert, '-cert', stranger.cert, '-key', stranger.key], 15);
      try {
        await untrusted.waitFor(/unknown ca/i, 8000);
      } finally {
        untrusted.endInput();
        await untrusted.kill();
      }
      assert.equal(connections[2]?.failure?.kind, 'untrusted-certificate');
      assert.ok(events.some((e) => e.type === 'alert' && e.direction === 'sent' && e.description === 'unknown_ca'));
    } finally {
      await ours.close();
    }
  });
});
