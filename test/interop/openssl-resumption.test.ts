// Session resumption, ALPN and the key log against OpenSSL 3 (`s_server` / `s_client -dtls1_2`):
// - our client resumes with s_server by ticket (its default) and by session id (-no_ticket);
// - s_client -sess_out / -sess_in resumes with our DtlsUdpServer (session cache or ticket keys);
// - ALPN both ways; our CLIENT_RANDOM key log line equals OpenSSL's -keylogfile line.
// Every peer runs under `timeout` on 127.0.0.1 and is killed by PID in `finally`.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  connectDtlsUdp,
  DtlsUdpServer,
  SessionCache,
  TicketKeys,
  type DtlsEvent,
  type DtlsUdpClientOptions,
  type HandshakeCompleteEvent,
} from '../../engine/dtls';
import { rsaCredentials } from '../unit/dtls-helpers';
import { freeUdpPort, OpensslProcess, TempDir } from './openssl-helpers';

const KEY_LOG_LINE = /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/;

describe('resumption, ALPN and key log with OpenSSL', { timeout: 120_000 }, () => {
  let dir: TempDir;
  let files: { cert: string; key: string };
  before(() => {
    dir = new TempDir();
    files = dir.writeCredentials('server', rsaCredentials());
  });
  after(() => dir.remove());

  const verify = (): DtlsUdpClientOptions['verify'] => ({ mode: 'chain', trustedCaPems: [rsaCredentials().certificatePem], hostname: 'localhost' });

  async function startServer(extra: string[], naccept: number): Promise<{ server: OpensslProcess; port: number }> {
    const port = await freeUdpPort();
    const args = ['s_server', '-dtls1_2', '-accept', `127.0.0.1:${port}`, '-cert', files.cert, '-key', files.key, '-mtu', '1400', '-naccept', String(naccept), ...extra];
    const server = new OpensslProcess(args, 20);
    await server.waitFor(/ACCEPT/);
    return { server, port };
  }

  /** Connects, says hello, closes; returns the client's events and session. */
  async function session(port: number, options: Partial<DtlsUdpClientOptions> = {}) {
    const events: DtlsEvent[] = [];
    const client = await connectDtlsUdp('127.0.0.1', port, { serverName: 'localhost', verify: verify(), ...options, onEvent: (e) => events.push(e) });
    try {
      client.send('hello\n');
      return { connection: client.connection, events, session: client.connection.session! };
    } finally {
      await client.close();
    }
  }

  for (const mode of ['ticket', 'session id'] as const) {
    it(`our client resumes with s_server by ${mode}`, { timeout: 20_000 }, async () => {
      const { server, port } = await startServer(mode === 'ticket' ? [] : ['-no_ticket'], 2);
      try {
        const first = await session(port);
        assert.equal(first.connection.negotiated?.resumed, false);
        if (mode === 'ticket') {
          assert.ok(first.session.ticket && first.session.ticket.length > 0, 'OpenSSL sent a NewSessionTicket');
          const flight6 = first.events.find((e) => e.type === 'flight' && e.direction === 'received' && e.flight === 6) as { messages: string[] };
          assert.deepEqual(flight6.messages, ['NewSessionTicket', 'ChangeCipherSpec', 'Finished']);
        } else {
          assert.equal(first.session.ticket, undefined);
          assert.equal(first.session.id.length, 32);
        }
        await server.waitFor(/DONE|CONNECTION CLOSED|ACCEPT[\s\S]*ACCEPT/, 5000).catch(() => undefined);

        const second = await session(port, { resumeSession: first.session });
        assert.equal(second.connection.negotiated?.resumed, true);
        const complete = second.events.find((e): e is HandshakeCompleteEvent => e.type === 'handshake-complete');
        assert.equal(complete?.resumed, true);
        const received = second.events.filter((e) => e.type === 'flight' && e.direction === 'received').map((e) => (e as { flight: number }).flight);
        assert.deepEqual(received, [2, 4], 'abbreviated: HelloVerifyRequest, then ServerHello..Finished');
        assert.ok(!second.events.some((e) => e.type === 'message' && e.message === 'Certificate'));
        assert.deepEqual(Buffer.from(second.session.masterSecret), Buffer.from(first.session.masterSecret));
        await server.waitFor(/Reused session-id/, 5000);
      } finally {
        await server.kill();
      }
    });
  }

  for (const mode of ['session cache', 'ticket keys'] as const) {
    it(`s_client -sess_out / -sess_in resumes with our DtlsUdpServer (${mode})`, { timeout: 20_000 }, async () => {
      const events: DtlsEvent[] = [];
      const server = await DtlsUdpServer.listen({
        ...rsaCredentials(),
        ...(mode === 'session cache' ? { sessionCache: new SessionCache() } : { ticketKeys: new TicketKeys() }),
        onEvent: (_address, event) => events.push(event),
      });
      const port = server.address().port;
      const sessionFile = join(dir.path, `session-${mode.replace(' ', '-')}.pem`);
      const clientArgs = ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${port}`, '-CAfile', files.cert, '-verify_return_error', ...(mode === 'session cache' ? ['-no_ticket'] : [])];
      try {
        const first = new OpensslProcess([...clientArgs, '-sess_out', sessionFile], 15);
        try {
          await first.waitFor(/New, TLSv1\.2/, 8000);
          first.endInput();
          await first.waitForExit(8000);
        } finally {
          await first.kill();
        }
        assert.ok(existsSync(sessionFile), 's_client wrote no session file');

        const second = new OpensslProcess([...clientArgs, '-sess_in', sessionFile], 15);
        try {
          await second.waitFor(/Reused, TLSv1\.2/, 8000);
          second.endInput();
          await second.waitForExit(8000);
        } finally {
          await second.kill();
        }
        const completes = events.filter((e): e is HandshakeCompleteEvent => e.type === 'handshake-complete');
        assert.deepEqual(completes.map((e) => e.resumed), [false, true]);
        const resumption = events.find((e) => e.type === 'resumption') as { offered: string; accepted: boolean } | undefined;
        assert.deepEqual([resumption?.offered, resumption?.accepted], [mode === 'session cache' ? 'session-id' : 'ticket', true]);
      } finally {
        await server.close();
      }
    });
  }

  it('ALPN: our client with s_server -alpn, and s_client -alpn with our server', { timeout: 20_000 }, async () => {
    const { server, port } = await startServer(['-alpn', 'dtls-lab/1,h2'], 1);
    try {
      const result = await session(port, { alpnProtocols: ['h2', 'dtls-lab/1'] });
      assert.equal(result.connection.negotiated?.alpn, 'dtls-lab/1');
    } finally {
      await server.kill();
    }

    const ours = await DtlsUdpServer.listen({ ...rsaCredentials(), alpnProtocols: ['dtls-lab/2', 'dtls-lab/1'] });
    try {
      const client = new OpensslProcess(['s_client', '-dtls1_2', '-connect', `127.0.0.1:${ours.address().port}`, '-CAfile', files.cert, '-alpn', 'dtls-lab/1,other'], 15);
      try {
        await client.waitFor(/ALPN protocol: dtls-lab\/1/, 8000);
      } finally {
        client.endInput();
        await client.kill();
      }
      const mismatch = new OpensslProcess(['s_client', '-dtls1_2', '-connect', `127.0.0.1:${ours.address().port}`, '-CAfile', files.cert, '-alpn', 'other'], 15);
      try {
        await mismatch.waitFor(/no application protocol/i, 8000);
      } finally {
        mismatch.endInput();
        await mismatch.kill();
      }
    } finally {
      await ours.close();
    }
  });

  it('our key log line equals OpenSSL -keylogfile (our client, s_server; s_client, our server), also when resumed', { timeout: 20_000 }, async () => {
    const serverLog = join(dir.path, 's_server.keylog');
    const { server, port } = await startServer(['-keylogfile', serverLog], 2);
    const ourLines: string[] = [];
    try {
      const first = await session(port, { onKeyLog: (line) => ourLines.push(line) });
      await session(port, { resumeSession: first.session, onKeyLog: (line) => ourLines.push(line) });
      await server.waitFor(/Reused session-id/, 5000);
    } finally {
      await server.kill();
    }
    const theirs = readFileSync(serverLog, 'utf8').split('\n').filter((line) => line.startsWith('CLIENT_RANDOM'));
    assert.equal(ourLines.length, 2);
    for (const line of ourLines) assert.match(line, KEY_LOG_LINE);
    assert.deepEqual(ourLines, theirs);

    const serverLines: string[] = [];
    const ours = await DtlsUdpServer.listen({ ...rsaCredentials(), onKeyLog: (line) => serverLines.push(line) });
    const clientLog = join(dir.path, 's_client.keylog');
    try {
      const client = new OpensslProcess(['s_client', '-dtls1_2', '-connect', `127.0.0.1:${ours.address().port}`, '-CAfile', files.cert, '-keylogfile', clientLog], 15);
      try {
        await client.waitFor(/New, TLSv1\.2/, 8000);
      } finally {
        client.endInput();
        await client.kill();
      }
    } finally {
      await ours.close();
    }
    const clientLines = readFileSync(clientLog, 'utf8').split('\n').filter((line) => line.startsWith('CLIENT_RANDOM'));
    assert.equal(serverLines.length, 1);
    assert.deepEqual(serverLines, clientLines);
  });
});
