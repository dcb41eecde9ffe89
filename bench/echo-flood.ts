// The echo server's flood proof at full size, in-process on 127.0.0.0/8 with default limits:
// 100 000 spoofed ClientHellos (no cookie or a forged one) and 1 000 000 random datagrams, a
// quarter over real UDP from 64 sockets on random ports of 127.0.0.1-8, the rest injected with
// forged sources anywhere in 127/8 and random ports (EchoServer.receiveDatagram, the socket's own
// handler), while a legitimate client on 127.0.0.1 keeps echoing. Prints heap before/after (after
// a full GC with --expose-gc), the legit echoes during the flood, the sessions and the counters.
//
//   node --expose-gc out/bench/echo-flood.js [--hellos 100000] [--random 1000000] [--udp-share 0.25]

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDtlsUdp } from '../engine/dtls';
import { loadOrCreateCertificate } from '../engine/echo/certificate-store';
import { EchoServer } from '../engine/echo/echo-server';
import { Random, spoofedDatagram } from '../test/unit/dtls-stage-rig';
import { FloodSender, floodSockets } from '../test/unit/echo-flood-traffic';
import { numberOption } from './command-line';

const HELLOS = numberOption('hellos', 100_000);
const RANDOM = numberOption('random', 1_000_000);
const UDP_SHARE = numberOption('udp-share', 0.25);
const gc = (globalThis as { gc?: () => void }).gc;
const heapUsed = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MiB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'echo-flood-bench-'));
  const cert = loadOrCreateCertificate({ configDir: dir });
  let errors = 0;
  let legitEnd: { packetsIn: number } | undefined;
  const server = await EchoServer.start({
    port: 0,
    certificatePem: cert.certificatePem,
    privateKeyPem: cert.privateKeyPem,
    log: (record) => {
      if (record.event === 'error') errors++;
      if (record.event === 'session-end') legitEnd = record as unknown as { packetsIn: number };
    },
  });
  const port = server.address().port;
  const sockets = await floodSockets(8);
  console.log(`echo-flood: ${HELLOS} spoofed ClientHellos + ${RANDOM} random datagrams (${UDP_SHARE * 100}% over UDP from ${sockets.length} sockets, the rest injected), RSA-2048, node ${process.version}, gc ${gc ? 'exposed' : 'NOT exposed (run with --expose-gc)'}`);
  const client = await connectDtlsUdp('127.0.0.1', port, { verify: { mode: 'none' } });
  const heapBefore = heapUsed();
  const rng = new Random(1);
  const sender = new FloodSender(server, sockets, port, rng, UDP_SHARE);
  let floodDone = false;
  const t0 = performance.now();
  const flood = (async () => {
    const total = HELLOS + RANDOM;
    const helloEvery = total / HELLOS;
    let hellos = 0;
    for (let n = 0; n < total; ) {
      for (let burst = 0; burst < 500 && n < total; burst++, n++) {
        const isHello = hellos < HELLOS && n >= hellos * helloEvery;
        if (isHello) hellos++;
        const datagram = isHello
          ? spoofedDatagram(rng, rng.next() < 0.7 ? 'no-cookie' : 'forged-cookie', Buffer.alloc(0))
          : randomBytes(1 + rng.int(600));
        sender.send(datagram);
      }
      await new Promise((r) => setImmediate(r));
    }
    floodDone = true;
  })();

  let echoes = 0;
  let resent = 0;
  let failed = 0;
  const latencies: number[] = [];
  while (!floodDone) {
    const text = `legit ${echoes}`;
    const start = performance.now();
    let answered = false;
    for (let attempt = 0; attempt < 5 && !answered; attempt++) {
      if (attempt > 0) resent++;
      client.send(text);
      try {
        for (;;) if (Buffer.from(await client.receive(1000)).toString('utf8') === text) break;
        answered = true;
      } catch {
        // lost (a socket buffer overflowed): send again
      }
    }
    if (answered) latencies.push(performance.now() - start);
    else failed++;
    echoes++;
  }
  await flood;
  const seconds = (performance.now() - t0) / 1000;
  await sleep(500);
  const sessionsDuring = server.sessionCount;
  await client.close();
  await sleep(200);
  const heapAfter = heapUsed();
  const c = server.counters;
  const floodIn = c.datagramsIn - (legitEnd?.packetsIn ?? 0) - 1;
  const accounted = c.dropped('rate-limited') + c.dropped('not-a-client-hello') + c.helloVerifyRequests - 1;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1) : '-');
  console.log(`flood: ${sender.injected} injected + ${sender.udpSent} sent over UDP in ${seconds.toFixed(1)} s (${Math.round((sender.injected + sender.udpSent) / seconds)} datagrams/s); ${floodIn} reached the server (the kernel dropped ${sender.injected + sender.udpSent - floodIn} UDP datagrams)`);
  console.log(`legit client during the flood: ${echoes - failed}/${echoes} echoes answered (${resent} re-sent after a loss), latency p50 ${pct(50)} ms, p99 ${pct(99)} ms`);
  console.log(`sessions: ${sessionsDuring} during the flood (the legit one), started in total ${c.sessionsStarted}; callback errors ${errors}`);
  console.log(`heap: before ${mib(heapBefore)}, after ${mib(heapAfter)} (growth ${mib(heapAfter - heapBefore)}); rate-limiter buckets ${server.snapshot().rateLimitedSources}`);
  console.log(`accounted: ${accounted} of ${floodIn} flood datagrams (dropped by reason + answered with a HelloVerifyRequest)`);
  console.log(`counters: ${JSON.stringify(server.snapshot())}`);
  for (const socket of sockets) socket.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
