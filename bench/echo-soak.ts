// Soak of the echo server, in-process on 127.0.0.1: N clients (default 50) continuously echo and
// reconnect (each connection does --echoes-per-connection echoes, one every --pace ms, then closes
// with close_notify and connects again) for --seconds (default 300). The heap is sampled every
// 10 s (after a full GC with --expose-gc) and printed as a series with its least-squares slope,
// plus the server's counters. A slope near zero means nothing accumulates per session.
//
//   node --expose-gc out/bench/echo-soak.js [--seconds 300] [--clients 50] [--echoes-per-connection 100] [--pace 10]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDtlsUdp, type DtlsUdpClient } from '../engine/dtls';
import { loadOrCreateCertificate } from '../engine/echo/certificate-store';
import { EchoServer } from '../engine/echo/echo-server';
import { numberOption } from './command-line';

const SECONDS = numberOption('seconds', 300);
const CLIENTS = numberOption('clients', 50);
const PER_CONNECTION = numberOption('echoes-per-connection', 100);
const PACE_MS = numberOption('pace', 10);
const SAMPLE_MS = 10_000;
const gc = (globalThis as { gc?: () => void }).gc;
const heapUsed = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};
const mib = (bytes: number) => (bytes / 1048576).toFixed(2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'echo-soak-'));
  const cert = loadOrCreateCertificate({ configDir: dir });
  let errors = 0;
  const server = await EchoServer.start({
    port: 0,
    certificatePem: cert.certificatePem,
    privateKeyPem: cert.privateKeyPem,
    // All clients share one source address (127.0.0.1) and reconnect all the time: lift the
    // per-source handshake rate limit (it is there for floods, see bench/echo-flood.ts).
    helloRatePerSecond: 10_000,
    helloBurst: 10_000,
    log: (record) => {
      if (record.event === 'error') errors++;
    },
  });
  const port = server.address().port;
  console.log(`echo-soak: ${CLIENTS} clients x (${PER_CONNECTION} echoes every ${PACE_MS} ms, then reconnect) for ${SECONDS} s, RSA-2048, node ${process.version}, gc ${gc ? 'exposed' : 'NOT exposed (run with --expose-gc)'}`);
  const deadline = Date.now() + SECONDS * 1000;
  let connections = 0;
  let echoes = 0;
  let lost = 0;
  let connectFailures = 0;

  const worker = async (id: number) => {
    while (Date.now() < deadline) {
      let client: DtlsUdpClient;
      try {
        client = await connectDtlsUdp('127.0.0.1', port, { verify: { mode: 'none' } });
        connections++;
      } catch {
        connectFailures++;
        await sleep(100);
        continue;
      }
      try {
        for (let i = 0; i < PER_CONNECTION && Date.now() < deadline; i++) {
          const text = `client ${id} echo ${i}`;
          client.send(text);
          try {
            for (;;) if (Buffer.from(await client.receive(1000)).toString('utf8') === text) break;
            echoes++;
          } catch {
            lost++;
          }
          if (PACE_MS > 0) await sleep(PACE_MS);
        }
      } finally {
        await client.close().catch(() => undefined);
      }
    }
  };

  const t0 = Date.now();
  const samples: Array<{ s: number; heap: number; sessions: number }> = [{ s: 0, heap: heapUsed(), sessions: server.sessionCount }];
  const sampler = setInterval(() => {
    samples.push({ s: Math.round((Date.now() - t0) / 1000), heap: heapUsed(), sessions: server.sessionCount });
    const last = samples[samples.length - 1]!;
    console.log(`  t=${String(last.s).padStart(4)} s  heap ${mib(last.heap)} MiB  sessions ${last.sessions}  connections ${connections}  echoes ${echoes}  lost ${lost}`);
  }, SAMPLE_MS);
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => worker(i)));
  clearInterval(sampler);
  await sleep(300);
  const afterHeap = heapUsed();
  const steady = samples.slice(1); // the first 10 s are warm-up (first handshakes, JIT)
  const perMinute = slope(steady.map((x) => x.s), steady.map((x) => x.heap)) * 60;
  console.log(`heap series (MiB, every 10 s): ${samples.map((x) => mib(x.heap)).join(' ')}`);
  console.log(`heap slope after warm-up: ${(perMinute / 1024).toFixed(1)} KiB/min over ${steady.length} samples; end of run (sessions closing) ${mib(afterHeap)} MiB`);
  console.log(`totals: ${connections} connections (${(connections / SECONDS).toFixed(1)}/s), ${echoes} echoes (${Math.round(echoes / SECONDS)}/s), ${lost} lost, ${connectFailures} failed connects, ${errors} callback errors`);
  await server.stop();
  console.log(`counters: ${JSON.stringify(server.snapshot())}`);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
