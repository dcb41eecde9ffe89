// The echo server under a flood, in-process on 127.0.0.1: 20 000 spoofed ClientHellos (no cookie
// or a forged one) and 20 000 random datagrams, half of each over real UDP from sockets on random
// ports of 127.0.0.1 and 127.0.0.2-8 (when those can be bound), half injected with forged source
// addresses anywhere in 127/8 and random ports (EchoServer.receiveDatagram, the socket's own
// handler). Meanwhile a legitimate client keeps echoing. The server must keep serving it, create
// no session for the spoofed hellos, never throw, and account for every datagram by reason.
// bench/echo-flood.ts is the full-size version (100 000 hellos + 1 000 000 datagrams).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { connectDtlsUdp, type DtlsUdpClient } from '../../engine/dtls';
import { loadOrCreateCertificate } from '../../engine/echo/certificate-store';
import { EchoServer } from '../../engine/echo/echo-server';
import { Random, spoofedDatagram } from './dtls-stage-rig';
import { FloodSender, floodSockets } from './echo-flood-traffic';

const dir = mkdtempSync(join(tmpdir(), 'echo-flood-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const cert = loadOrCreateCertificate({ configDir: dir, keyType: 'ecdsa' });

const HELLOS = 20_000;
const RANDOM = 20_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('echo server under a flood (in-process, 127.0.0.0/8)', { timeout: 30_000 }, () => {
  it(`${HELLOS} spoofed ClientHellos + ${RANDOM} random datagrams: serves the legit client, no sessions, every drop counted`, { timeout: 20_000 }, async () => {
    const errors: unknown[] = [];
    const ends: Record<string, unknown>[] = [];
    const server = await EchoServer.start({
      port: 0,
      certificatePem: cert.certificatePem,
      privateKeyPem: cert.privateKeyPem,
      log: (record) => {
        if (record.event === 'error') errors.push(record);
        if (record.event === 'session-end') ends.push(record);
      },
    });
    const sockets = await floodSockets(8);
    let client: DtlsUdpClient | undefined;
    try {
      const port = server.address().port;
      client = await connectDtlsUdp('127.0.0.1', port, { verify: { mode: 'none' } });

      const rng = new Random(2026);
      const sender = new FloodSender(server, sockets, port, rng, 0.5);
      let floodDone = false;
      const flood = (async () => {
        const total = HELLOS + RANDOM;
        for (let n = 0; n < total; ) {
          for (let burst = 0; burst < 400 && n < total; burst++, n++) {
            const datagram =
              n % 2 === 0
                ? spoofedDatagram(rng, rng.next() < 0.7 ? 'no-cookie' : 'forged-cookie', Buffer.alloc(0))
                : Buffer.from(Array.from({ length: 1 + rng.int(600) }, () => rng.int(256)));
            sender.send(datagram);
          }
          await new Promise((r) => setImmediate(r));
        }
        floodDone = true;
      })();

      // The legitimate client echoes all through the flood (and a few times after it). Datagrams
      // can be lost when the flood fills a socket buffer (UDP), so an echo is re-sent up to 5 times.
      let echoes = 0;
      let sends = 0;
      let resent = 0;
      let after = 0;
      while (!floodDone || after++ < 3) {
        const text = `legit ${echoes}`;
        let answered = false;
        for (let attempt = 0; attempt < 5 && !answered; attempt++) {
          if (attempt > 0) resent++;
          client.send(text);
          sends++;
          try {
            for (;;) if (Buffer.from(await client.receive(1000)).toString('utf8') === text) break; // skips late duplicates
            answered = true;
          } catch {
            // no reply within 1 s: send again
          }
        }
        assert.ok(answered, `echo ${echoes} answered within 5 attempts`);
        echoes++;
      }
      await flood;
      await sleep(300); // what is still in the socket buffers arrives
      await client.close();
      client = undefined;

      const c = server.counters;
      await waitForSessions(server, 0);
      const end = ends[0] as { packetsIn: number } | undefined;
      assert.ok(end, 'the legit session ended (close_notify)');
      // Everything that reached the server minus the legit session's datagrams and its first,
      // cookie-less ClientHello (answered with a HelloVerifyRequest, kept no state).
      const floodIn = c.datagramsIn - end.packetsIn - 1;
      const floodHvr = c.helloVerifyRequests - 1;
      const dropped = Object.fromEntries(c.drops);
      console.log(`flood: ${sender.injected} injected + ${sender.udpSent} over UDP (${sockets.length} sockets); reached the server ${floodIn}; legit echoes during it ${echoes} (${resent} re-sent); counters ${JSON.stringify(server.snapshot())}`);
      assert.ok(echoes >= 4, `the legit client was served during and after the flood (${echoes} echoes)`);
      assert.deepEqual(errors, [], 'no callback threw');
      assert.equal(c.dropped('callback-error'), 0);
      assert.equal(c.sessionsStarted, 1, 'the spoofed hellos created no session');
      assert.equal(c.handshakesCompleted, 1);
      assert.ok(floodIn >= sender.injected, `every injected datagram was seen (${floodIn} >= ${sender.injected})`);
      assert.ok(c.dropped('rate-limited') > 0, 'the token bucket dropped hellos from busy sources');
      assert.ok(c.dropped('not-a-client-hello') > 0, 'random datagrams and forged cookies were dropped');
      // Every flood datagram is accounted for: dropped by reason, or answered statelessly.
      const accounted = c.dropped('rate-limited') + c.dropped('not-a-client-hello') + floodHvr;
      assert.equal(accounted, floodIn, `accounted ${accounted} of ${floodIn}: ${JSON.stringify(dropped)}`);
    } finally {
      for (const socket of sockets) socket.close();
      await client?.close().catch(() => undefined);
      await server.stop();
    }
  });
});

async function waitForSessions(server: EchoServer, count: number): Promise<void> {
  const deadline = Date.now() + 2000;
  while (server.sessionCount !== count && Date.now() < deadline) await sleep(10);
  assert.equal(server.sessionCount, count, 'only the legit session existed, and it ended with close_notify');
}
