// Load and flood against the echo server (engine/echo), real UDP on 127.0.0.1, one process:
//  1. N concurrent DTLS clients (our engine), each M echoes in sequence: lost and misrouted echoes
//     (must be 0), handshake time, p50/p99 echo latency, heap per session (server + client side,
//     both in this process: an upper bound of what the server keeps).
//  2. A flood of spoofed ClientHellos / garbage from 127.0.0.2-9 while a legitimate client on
//     127.0.0.1 connects and echoes: the drop counters by reason.
//
//   node --expose-gc out/bench/echo-load.js [--clients 1000] [--echoes 100] [--flood 50000] [--ecdsa]

import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDtlsUdp, type DtlsUdpClient } from '../engine/dtls';
import { loadOrCreateCertificate } from '../engine/echo/certificate-store';
import { EchoServer } from '../engine/echo/echo-server';
import { Random, spoofedDatagram, type SpoofKind } from '../test/unit/dtls-stage-rig';
import { hasFlag, numberOption } from './command-line';

const N = numberOption('clients', 1000);
const M = numberOption('echoes', 100);
const FLOOD = numberOption('flood', 50_000);
const CONNECT_CONCURRENCY = numberOption('connect-concurrency', 32);
const gc = (globalThis as { gc?: () => void }).gc;
const heapUsed = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'echo-load-'));
  const cert = loadOrCreateCertificate({ configDir: dir, keyType: hasFlag('ecdsa') ? 'ecdsa' : 'rsa' });
  const server = await EchoServer.start({
    port: 0,
    certificatePem: cert.certificatePem,
    privateKeyPem: cert.privateKeyPem,
    maxSessions: N + 16,
    maxSessionsPerSource: N + 16,
    helloRatePerSecond: 100_000,
    helloBurst: 100_000,
  });
  const port = server.address().port;
  console.log(`echo-load: ${N} clients x ${M} echoes, ${cert.keyType.toUpperCase()} certificate, node ${process.version}, gc ${gc ? 'exposed' : 'NOT exposed'}`);

  // ---- 1. connect N clients (bounded concurrency, so that a handshake storm does not starve timers)
  const baseline = heapUsed();
  const clients: DtlsUdpClient[] = [];
  const handshakeMs: number[] = [];
  let connectFailures = 0;
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONNECT_CONCURRENCY, N) }, async () => {
      while (next < N) {
        next++;
        const started = performance.now();
        try {
          clients.push(await connectDtlsUdp('127.0.0.1', port, { verify: { mode: 'chain', trustedCaPems: [cert.certificatePem], hostname: 'localhost' }, serverName: 'localhost' }));
          handshakeMs.push(performance.now() - started);
        } catch {
          connectFailures++;
        }
      }
    }),
  );
  const connectSeconds = (performance.now() - t0) / 1000;
  const withSessions = heapUsed();
  handshakeMs.sort((a, b) => a - b);
  console.log(
    `connected ${clients.length}/${N} in ${connectSeconds.toFixed(1)} s (${(clients.length / connectSeconds).toFixed(0)} handshakes/s), failures ${connectFailures}; ` +
      `handshake p50 ${ms(percentile(handshakeMs, 50))}, p99 ${ms(percentile(handshakeMs, 99))}; server sessions ${server.sessionCount}`,
  );
  console.log(`heap per session (server + client objects, this process): ${((withSessions - baseline) / Math.max(1, clients.length) / 1024).toFixed(1)} KiB`);

  // ---- 2. every client M echoes in sequence, all clients at once
  let lost = 0;
  let misrouted = 0;
  const latencies: number[] = [];
  const t1 = performance.now();
  await Promise.all(
    clients.map(async (client, id) => {
      for (let seq = 0; seq < M; seq++) {
        const text = `client ${id} seq ${seq}`;
        const sent = performance.now();
        client.send(text);
        try {
          const reply = Buffer.from(await client.receive(5000)).toString('utf8');
          latencies.push(performance.now() - sent);
          if (reply !== text) misrouted++;
        } catch {
          lost++;
        }
      }
    }),
  );
  const echoSeconds = (performance.now() - t1) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `echoes ${latencies.length}/${clients.length * M} in ${echoSeconds.toFixed(1)} s (${(latencies.length / echoSeconds).toFixed(0)}/s); lost ${lost}, misrouted ${misrouted}; ` +
      `latency p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? 0)}`,
  );
  console.log(`server counters: ${JSON.stringify(server.snapshot())}`);
  // The server's share of the heap: stop it (its sessions go) while the clients are still referenced.
  const heapBoth = heapUsed();
  const serverSessions = server.sessionCount;
  await server.stop();
  await new Promise((r) => setTimeout(r, 100));
  const heapClientsOnly = heapUsed();
  console.log(`server heap per session: ~${((heapBoth - heapClientsOnly) / Math.max(1, serverSessions) / 1024).toFixed(1)} KiB (${serverSessions} sessions; heap with and without the server)`);
  for (const client of clients) await client.close();

  // ---- 3. flood from 127.0.0.2-9 (default limits) while a legitimate client on 127.0.0.1 works
  const guarded = await EchoServer.start({ port: 0, certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem });
  const floodPort = guarded.address().port;
  const sockets: Socket[] = [];
  for (let i = 2; i <= 9; i++) {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, `127.0.0.${i}`, () => resolve()));
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  const rng = new Random(7);
  const kinds: SpoofKind[] = ['no-cookie', 'no-cookie', 'forged-cookie', 'garbage', 'not-a-hello'];
  const datagrams = Array.from({ length: 256 }, () => spoofedDatagram(rng, rng.pick(kinds), Buffer.alloc(0)));
  const heapBeforeFlood = heapUsed();
  const t2 = performance.now();
  let sent = 0;
  const flood = (async () => {
    while (sent < FLOOD) {
      for (let burst = 0; burst < 200 && sent < FLOOD; burst++, sent++) sockets[sent % sockets.length].send(datagrams[sent % datagrams.length], floodPort, '127.0.0.1');
      await new Promise((r) => setImmediate(r));
    }
  })();
  let legit = 'failed';
  try {
    const client = await connectDtlsUdp('127.0.0.1', floodPort, { verify: { mode: 'chain', trustedCaPems: [cert.certificatePem], hostname: 'localhost' } });
    let ok = 0;
    for (let i = 0; i < 10; i++) {
      client.send(`legit ${i}`);
      if (Buffer.from(await client.receive(5000)).toString() === `legit ${i}`) ok++;
    }
    legit = `${ok}/10 echoes`;
    await client.close();
  } catch (error) {
    legit = `failed: ${(error as Error).message}`;
  }
  await flood;
  await new Promise((r) => setTimeout(r, 300));
  const floodSeconds = (performance.now() - t2) / 1000;
  console.log(
    `flood: ${FLOOD} spoofed datagrams from 8 sources in ${floodSeconds.toFixed(1)} s; legitimate client during the flood: ${legit}; ` +
      `server sessions after ${guarded.sessionCount}; heap growth ${((heapUsed() - heapBeforeFlood) / 1048576).toFixed(2)} MiB`,
  );
  console.log(`flood counters: ${JSON.stringify(guarded.snapshot())}`);
  for (const socket of sockets) socket.close();
  await guarded.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
