// The echo server in-process over real UDP on 127.0.0.1 with our own DTLS client: echoes (many
// clients keyed by address and port), uppercase mode, bad datagrams, rate limit, session caps,
// idle expiry, busy port, delay, and the `echo` command end to end with --duration.

import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { connectDtlsUdp, DtlsConnection, monotonicClock, type DtlsUdpClient } from '../../engine/dtls';
import { loadOrCreateCertificate } from '../../engine/echo/certificate-store';
import { EchoServer, PortInUseError, type EchoServerOptions } from '../../engine/echo/echo-server';
import { echoCommand } from '../../engine/cli/echo-command';

const dir = mkdtempSync(join(tmpdir(), 'echo-server-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const cert = loadOrCreateCertificate({ configDir: dir });

function start(options: Partial<EchoServerOptions> = {}, records: Record<string, unknown>[] = []): Promise<EchoServer> {
  return EchoServer.start({ port: 0, certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem, log: (r) => records.push(r), ...options });
}

function connect(port: number, extra: Record<string, unknown> = {}): Promise<DtlsUdpClient> {
  return connectDtlsUdp('127.0.0.1', port, {
    serverName: 'localhost',
    verify: { mode: 'chain', trustedCaPems: [cert.certificatePem], hostname: 'localhost' },
    ...extra,
  });
}

async function roundTrip(client: DtlsUdpClient, text: string): Promise<string> {
  client.send(text);
  return Buffer.from(await client.receive(3000)).toString('utf8');
}

function sendRaw(port: number, datagrams: Uint8Array[]): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    let left = datagrams.length;
    for (const d of datagrams) socket.send(d, port, '127.0.0.1', () => {
      if (--left === 0) setTimeout(() => socket.close(() => resolve()), 50);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await sleep(10);
}

describe('echo server (in-process, real UDP)', { timeout: 60_000 }, () => {
  it('echoes three messages for each of several concurrent clients, logs session start/end', { timeout: 15_000 }, async () => {
    const records: Record<string, unknown>[] = [];
    const server = await start({}, records);
    try {
      const port = server.address().port;
      const clients = await Promise.all([1, 2, 3, 4].map(() => connect(port)));
      await Promise.all(
        clients.map(async (client, i) => {
          for (const n of [1, 2, 3]) assert.equal(await roundTrip(client, `client ${i} message ${n}`), `client ${i} message ${n}`);
        }),
      );
      assert.equal(server.sessionCount, 4);
      for (const client of clients) await client.close();
      await waitFor(() => server.sessionCount === 0, 2000);
      assert.equal(server.sessionCount, 0);
      const ends = records.filter((r) => r.event === 'session-end');
      assert.equal(ends.length, 4);
      for (const end of ends) {
        assert.equal(end.reason, 'close_notify');
        assert.equal(end.echoes, 3);
        assert.equal(typeof end.handshakeMs, 'number');
        assert.match(String(end.suite), /^TLS_ECDHE_RSA_WITH_/);
        assert.ok((end.packetsIn as number) >= 5 && (end.bytesOut as number) > 1000, JSON.stringify(end));
      }
      assert.equal(records.filter((r) => r.event === 'session-start').length, 4);
      assert.equal(server.counters.echoes, 12);
      // One cookie exchange per client (more only if a ClientHello was retransmitted on a busy machine).
      assert.ok(server.counters.helloVerifyRequests >= 4, 'a cookie exchange per client');
    } finally {
      await server.stop();
    }
  });

  it('uppercase mode', { timeout: 10_000 }, async () => {
    const server = await start({ mode: 'uppercase' });
    try {
      const client = await connect(server.address().port);
      assert.equal(await roundTrip(client, 'hello godot'), 'HELLO GODOT');
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it('survives garbage, truncated and oversized datagrams, counts them, and still echoes', { timeout: 10_000 }, async () => {
    const server = await start();
    try {
      const port = server.address().port;
      const junk: Uint8Array[] = [
        new Uint8Array(0),
        Buffer.from('GET / HTTP/1.1\r\n\r\n'),
        Buffer.from([22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1]),
        Buffer.alloc(9000, 0x16),
        ...Array.from({ length: 20 }, (_, i) => Buffer.from(Array.from({ length: 50 + i * 13 }, (_, j) => (i * 31 + j * 17) & 255))),
      ];
      await sendRaw(port, junk);
      await waitFor(() => server.counters.datagramsIn >= junk.length - 1, 2000);
      assert.ok(server.counters.dropped('not-a-client-hello') >= 20, JSON.stringify(server.snapshot()));
      assert.equal(server.counters.dropped('callback-error'), 0);
      assert.equal(server.sessionCount, 0, 'no state for datagrams without a valid cookie');
      const client = await connect(port);
      assert.equal(await roundTrip(client, 'still alive'), 'still alive');
      // Junk from the connected client's own address goes to its connection, which drops it.
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it('never crashes on junk and bit-flipped records from a connected client address; the server goes on', { timeout: 15_000 }, async () => {
    const server = await start();
    const socket = createSocket('udp4');
    try {
      const port = server.address().port;
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
      const sentByClient: Buffer[] = [];
      const client = new DtlsConnection({
        role: 'client',
        clock: monotonicClock,
        verify: { mode: 'chain', trustedCaPems: [cert.certificatePem], hostname: 'localhost' },
        send: (datagram) => {
          sentByClient.push(Buffer.from(datagram));
          socket.send(datagram, port, '127.0.0.1');
        },
      });
      socket.on('message', (message) => client.receive(message));
      const poller = setInterval(() => client.poll(), 20);
      client.start();
      await waitFor(() => client.state === 'connected', 5000);
      assert.equal(client.state, 'connected');
      client.sendApplicationData(Buffer.from('before'));
      await waitFor(() => client.pendingApplicationData() > 0, 3000);
      assert.equal(Buffer.from(client.readApplicationData()!).toString(), 'before');
      // Junk, truncations and bit flips of everything the client sent, all from the session's address.
      const junk: Buffer[] = [Buffer.alloc(0), Buffer.alloc(1, 0x17), Buffer.alloc(3000, 0xff)];
      let seed = 12345;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
      for (let i = 0; i < 300; i++) {
        const base = Buffer.from(sentByClient[rand(sentByClient.length)]);
        if (i % 3 === 0) junk.push(base.subarray(0, rand(base.length + 1)));
        else {
          for (let k = 0; k < 1 + rand(4); k++) base[rand(base.length)] ^= 1 << rand(8);
          junk.push(base);
        }
      }
      for (const datagram of junk) socket.send(datagram, port, '127.0.0.1');
      await waitFor(() => server.counters.datagramsIn >= junk.length, 3000);
      assert.equal(server.counters.dropped('callback-error'), 0, JSON.stringify(server.snapshot()));
      clearInterval(poller);
      // Either the session survived (records that fail authentication are dropped) or a flipped
      // record was a fatal alert for it; the server itself must still serve new clients.
      const fresh = await connect(port);
      assert.equal(await roundTrip(fresh, 'after junk'), 'after junk');
      await fresh.close();
      client.close();
    } finally {
      socket.close();
      await server.stop();
    }
  });

  it('a client that restarts on the same address and port gets a new session (RFC 6347 4.2.8)', { timeout: 15_000 }, async () => {
    const records: Record<string, unknown>[] = [];
    const server = await start({}, records);
    const socket = createSocket('udp4');
    const pollers: NodeJS.Timeout[] = [];
    try {
      const port = server.address().port;
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
      let current: DtlsConnection | undefined;
      socket.on('message', (message) => current?.receive(message));
      const session = async (text: string): Promise<DtlsConnection> => {
        const client = new DtlsConnection({
          role: 'client',
          clock: monotonicClock,
          verify: { mode: 'chain', trustedCaPems: [cert.certificatePem], hostname: 'localhost' },
          send: (datagram) => socket.send(datagram, port, '127.0.0.1'),
        });
        current = client;
        pollers.push(setInterval(() => client.poll(), 20));
        client.start();
        await waitFor(() => client.state === 'connected', 5000);
        assert.equal(client.state, 'connected');
        client.sendApplicationData(Buffer.from(text));
        await waitFor(() => client.pendingApplicationData() > 0, 3000);
        assert.equal(Buffer.from(client.readApplicationData()!).toString(), text);
        return client;
      };
      await session('first life');
      // The "game" restarts: same socket (address and port), new DTLS state, no close_notify.
      await session('second life');
      assert.equal(server.sessionCount, 1);
      assert.equal(records.find((r) => r.event === 'session-end')?.reason, 'replaced');
      assert.equal(server.counters.handshakesCompleted, 2);
    } finally {
      pollers.forEach(clearInterval);
      socket.close();
      await server.stop();
    }
  });

  it('rate-limits handshake attempts per source (token bucket)', { timeout: 10_000 }, async () => {
    const server = await start({ helloRatePerSecond: 1, helloBurst: 3 });
    try {
      await sendRaw(server.address().port, Array.from({ length: 12 }, () => Buffer.from('not a hello')));
      await waitFor(() => server.counters.datagramsIn >= 12, 2000);
      assert.equal(server.counters.dropped('rate-limited'), 9, JSON.stringify(server.snapshot()));
      assert.equal(server.counters.dropped('not-a-client-hello'), 3);
    } finally {
      await server.stop();
    }
  });

  it('caps sessions per source and in total', { timeout: 15_000 }, async () => {
    const server = await start({ maxSessionsPerSource: 2 });
    const clients: DtlsUdpClient[] = [];
    try {
      const port = server.address().port;
      clients.push(await connect(port), await connect(port));
      await assert.rejects(connect(port, { initialRetransmitMs: 100, handshakeTimeoutMs: 800 }));
      assert.ok(server.counters.dropped('source-cap') >= 1, JSON.stringify(server.snapshot()));
      assert.equal(server.sessionCount, 2);
    } finally {
      for (const c of clients) await c.close();
      await server.stop();
    }
    const capped = await start({ maxSessions: 1 });
    try {
      const first = await connect(capped.address().port);
      await assert.rejects(connect(capped.address().port, { initialRetransmitMs: 100, handshakeTimeoutMs: 800 }));
      assert.ok(capped.counters.dropped('session-cap') >= 1);
      await first.close();
    } finally {
      await capped.stop();
    }
  });

  it('expires idle sessions (close_notify to the client)', { timeout: 10_000 }, async () => {
    const records: Record<string, unknown>[] = [];
    const server = await start({ idleTimeoutMs: 700, sweepIntervalMs: 50 }, records);
    try {
      const client = await connect(server.address().port);
      assert.equal(await roundTrip(client, 'ping'), 'ping');
      await waitFor(() => server.sessionCount === 0, 3000);
      assert.equal(server.sessionCount, 0);
      assert.equal(records.find((r) => r.event === 'session-end')?.reason, 'idle-timeout');
      await waitFor(() => client.connection.state === 'closed', 1000);
      assert.equal(client.connection.state, 'closed');
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it('delays what it sends (--delay) and keeps the echo working', { timeout: 10_000 }, async () => {
    const server = await start({ delayMs: 120 });
    try {
      const client = await connect(server.address().port);
      const t0 = performance.now();
      assert.equal(await roundTrip(client, 'slow'), 'slow');
      assert.ok(performance.now() - t0 >= 100);
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it('drops what it sends with --loss; a retransmitting client still gets its echoes', { timeout: 15_000 }, async () => {
    let n = 0;
    const server = await start({ lossRate: 0.34, random: () => (n++ % 3 === 1 ? 0 : 0.99) });
    try {
      const client = await connect(server.address().port, { initialRetransmitMs: 100 });
      let echoed = 0;
      for (let i = 0; i < 6 && echoed < 3; i++) {
        client.send(`lossy ${i}`);
        try {
          if (Buffer.from(await client.receive(400)).toString() === `lossy ${i}`) echoed++;
        } catch {
          // an echo dropped by --loss: application data is not retransmitted (UDP semantics)
        }
      }
      assert.ok(echoed >= 3, `echoed ${echoed}`);
      assert.ok(server.counters.dropped('simulated-loss') >= 1, JSON.stringify(server.snapshot()));
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it('caps the bytes queued per session under --delay (queue-full), and keeps serving', { timeout: 15_000 }, async () => {
    const server = await start({ delayMs: 150, maxQueuedBytesPerSession: 3000 });
    try {
      const client = await connect(server.address().port);
      for (let i = 0; i < 100; i++) client.send(`burst ${i} ${'x'.repeat(40)}`);
      await waitFor(() => server.counters.dropped('queue-full') > 0 && server.counters.echoes === 100, 3000);
      assert.equal(server.counters.echoes, 100);
      const queueFull = server.counters.dropped('queue-full');
      assert.ok(queueFull > 0 && queueFull < 100, JSON.stringify(server.snapshot()));
      let received = 0;
      while (received < 100) {
        try {
          await client.receive(400);
          received++;
        } catch {
          break;
        }
      }
      assert.equal(received, 100 - queueFull, 'what was not dropped arrives');
      assert.ok(server.sessionStats().every((stats) => stats.queuedBytes === 0));
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it('reports a busy port; startOnNextFreePort takes the next one', { timeout: 10_000 }, async () => {
    const first = await start();
    try {
      const port = first.address().port;
      await assert.rejects(start({ port }), (error: unknown) => error instanceof PortInUseError && /already in use/.test(error.message));
      const next = await EchoServer.startOnNextFreePort({ port, certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem });
      assert.ok(next.address().port > port);
      await next.stop();
    } finally {
      await first.stop();
    }
  });
});

describe('dtls-lab echo command (in-process)', { timeout: 30_000 }, () => {
  it('prints fingerprint, commands and snippet, echoes, stops after --duration with counters', { timeout: 15_000 }, async () => {
    const out: string[] = [];
    const err: string[] = [];
    let port = 0;
    const code = echoCommand(['--port', '0', '--config-dir', join(dir, 'cli'), '--duration', '1.5'], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      onListening: (server) => (port = server.address().port),
    });
    await waitFor(() => port !== 0, 5000);
    const client = await connect(port, { verify: { mode: 'none' } });
    client.send('via cli');
    assert.equal(Buffer.from(await client.receive(3000)).toString(), 'via cli');
    await client.close();
    assert.equal(await code, 0);
    const text = out.join('\n');
    assert.match(text, /listening on udp 127\.0\.0\.1:\d+/);
    assert.match(text, /SHA-256 fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    assert.match(text, new RegExp(`openssl s_client -dtls1_2 -connect 127\\.0\\.0\\.1:${port} -CAfile \\S+echo-server-rsa\\.crt`));
    assert.match(text, /TLSOptions\.client\(cert\)/);
    assert.match(text, /stopped \(--duration 1\.5 s\).*echoes 1/);
    assert.deepEqual(err, []);
  });

  it('refuses a non-loopback --host without --allow-remote (exit 2)', async () => {
    const err: string[] = [];
    const code = await echoCommand(['--host', '0.0.0.0', '--config-dir', join(dir, 'cli')], { out: () => undefined, err: (t) => err.push(t) });
    assert.equal(code, 2);
    assert.match(err.join('\n'), /not a loopback address: add --allow-remote/);
  });

  it('a busy port gives a clear message (exit 1); --next-free-port moves on', { timeout: 15_000 }, async () => {
    const blocker = createSocket('udp4');
    await new Promise<void>((r) => blocker.bind(0, '127.0.0.1', () => r()));
    const busy = blocker.address().port;
    try {
      const err: string[] = [];
      const code = await echoCommand(['--port', String(busy), '--config-dir', join(dir, 'cli')], { out: () => undefined, err: (t) => err.push(t) });
      assert.equal(code, 1);
      assert.match(err.join('\n'), new RegExp(`UDP port ${busy} on 127\\.0\\.0\\.1 is already in use.*--next-free-port`));
      const out: string[] = [];
      let port = 0;
      const moved = await echoCommand(['--port', String(busy), '--next-free-port', '--duration', '0.2', '--config-dir', join(dir, 'cli'), '--json-log'], {
        out: (t) => out.push(t),
        err: () => undefined,
        onListening: (server) => (port = server.address().port),
      });
      assert.equal(moved, 0);
      assert.ok(port > busy);
      const lines = out.map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.equal(lines[0].event, 'listening');
      assert.equal(lines.at(-1)?.event, 'stopped');
    } finally {
      blocker.close();
    }
  });
});
