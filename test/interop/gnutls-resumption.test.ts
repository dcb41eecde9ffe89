// Session resumption with GnuTLS 3.7: `gnutls-cli --udp --resume` against our DtlsUdpServer (ticket
// keys; session cache with --noticket), and our client resuming with `gnutls-serv --udp --echo`
// (tickets and its session database; --noticket). gnutls-cli prints "*** This is a resumed session"
// for the second connection. Peers run under `timeout` and are killed by PID in `finally`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectDtlsUdp, DtlsUdpServer, SessionCache, TicketKeys, type DtlsEvent, type HandshakeCompleteEvent } from '../../engine/dtls';
import { rsaCredentials } from '../unit/dtls-helpers';
import { freeUdpPort, PeerProcess, requireTool, TempDir } from './peer-harness';
import { DTLS12 } from './gnutls-priorities';

describe('session resumption with GnuTLS', { timeout: 120_000 }, () => {
  let dir: TempDir;
  let files: { cert: string; key: string };
  before(() => {
    requireTool('gnutls-cli', 'gnutls-bin');
    dir = new TempDir();
    files = dir.writeCredentials('server', rsaCredentials());
  });
  after(() => dir?.remove());

  for (const mode of ['ticket keys', 'session cache'] as const) {
    it(`gnutls-cli --resume resumes with our DtlsUdpServer (${mode})`, { timeout: 20_000 }, async () => {
      const events: DtlsEvent[] = [];
      const server = await DtlsUdpServer.listen({
        ...rsaCredentials(),
        ...(mode === 'ticket keys' ? { ticketKeys: new TicketKeys() } : { sessionCache: new SessionCache() }),
        onEvent: (_address, event) => events.push(event),
        onData: (connection, data) => connection.sendApplicationData(data),
      });
      const args = ['--udp', '-p', String(server.address().port), '127.0.0.1', '--x509cafile', files.cert, '--priority', DTLS12, '--resume'];
      if (mode === 'session cache') args.push('--noticket');
      const client = new PeerProcess('gnutls-cli', args, { timeoutSeconds: 15 });
      try {
        await client.waitFor(/This is a resumed session/, 10_000);
        client.endInput();
      } finally {
        await client.kill();
        await server.close();
      }
      const completes = events.filter((e): e is HandshakeCompleteEvent => e.type === 'handshake-complete');
      assert.deepEqual(completes.map((e) => e.resumed), [false, true]);
      const resumption = events.find((e) => e.type === 'resumption') as { offered: string; accepted: boolean } | undefined;
      assert.deepEqual([resumption?.offered, resumption?.accepted], [mode === 'ticket keys' ? 'ticket' : 'session-id', true]);
    });
  }

  for (const mode of ['tickets', '--noticket'] as const) {
    it(`our client resumes with gnutls-serv (${mode})`, { timeout: 20_000 }, async () => {
      const port = await freeUdpPort();
      const args = ['--udp', '--echo', '-p', String(port), '--x509certfile', files.cert, '--x509keyfile', files.key, '--priority', DTLS12];
      if (mode === '--noticket') args.push('--noticket');
      const server = new PeerProcess('gnutls-serv', args, { timeoutSeconds: 18 });
      try {
        await server.waitFor(/listening on IPv4 .*port \d+\.\.\.done/);
        const verify = { mode: 'chain' as const, trustedCaPems: [rsaCredentials().certificatePem], hostname: 'localhost' };
        const first = await connectDtlsUdp('127.0.0.1', port, { verify, serverName: 'localhost' });
        first.send('one');
        assert.equal(Buffer.from(await first.receive(5000)).toString(), 'one');
        const session = first.connection.session!;
        await first.close();
        if (mode === 'tickets') assert.ok(session.ticket, 'gnutls-serv sent a ticket');
        else assert.equal(session.ticket, undefined);

        const events: DtlsEvent[] = [];
        const second = await connectDtlsUdp('127.0.0.1', port, { verify, serverName: 'localhost', resumeSession: session, onEvent: (e) => events.push(e) });
        second.send('two');
        assert.equal(Buffer.from(await second.receive(5000)).toString(), 'two');
        await second.close();
        assert.equal(second.connection.negotiated?.resumed, true);
        const received = events.filter((e) => e.type === 'flight' && e.direction === 'received').map((e) => (e as { flight: number }).flight);
        assert.deepEqual(received, [2, 4]);
      } finally {
        await server.kill();
      }
    });
  }
});
