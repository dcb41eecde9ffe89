// Wall time of `dtls-lab run examples/echo-pair.gd` on the virtual link, warm: the pair runs once to
// warm up, then RUNS more times in the same process, in three ways:
//   without the key pool  every Crypto.generate_rsa(2048) generates its key on the spot (the
//                         certificate is still signed with Node's crypto, see certificate-signing.ts);
//   pool, spaced          the background pool (engine/godot/rsa-key-pool.ts) has its key ready
//                         before each run, as between two runs in the editor;
//   pool, back to back    runs one right after the other (`dtls-lab test` over many pairs): each
//                         run waits for the rest of the key the worker started at the run before.
// Each pair does everything it did before: a fresh RSA-2048 key, a self-signed certificate, the full
// handshake with the cookie exchange, one echo. Prints p50/p95/min/max per way and where keys came from.
// Run: npx tsc -p tsconfig.json && node out/bench/pair.js [RUNS]

import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rsaKeyPool } from '../engine/godot/rsa-key-pool';
import { readSnippets } from '../engine/sandbox/document';
import { runPair } from '../engine/sandbox/run-pair';

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const summary = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(0)} ms, p95 ${percentile(xs, 95).toFixed(0)}, min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}`;

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 20);
  const text = readFileSync(join(__dirname, '..', '..', 'examples', 'echo-pair.gd'), 'utf8');
  const pair = () => readSnippets(text, 'gdscript').pairs[0];
  const once = async () => {
    const started = performance.now();
    const report = await runPair(pair(), { link: 'virtual' });
    if (!report.ok) throw new Error(JSON.stringify(report.problems));
    return performance.now() - started;
  };
  const measure = async (label: string, before: () => Promise<void>) => {
    const start = { ...rsaKeyPool.stats };
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      await before();
      times.push(await once());
    }
    const count = (k: keyof typeof start) => rsaKeyPool.stats[k] - start[k];
    console.log(`${label.padEnd(22)} ${summary(times)}  (keys: ${count('ready')} ready, ${count('waited')} waited for, ${count('onDemand')} made on the spot)`);
  };

  console.log(`echo pair (examples/echo-pair.gd), virtual link, warm, ${runs} runs each:`);
  rsaKeyPool.configure({ size: 0 });
  await once();
  await measure('without the key pool', async () => undefined);
  rsaKeyPool.configure({ size: 1 });
  rsaKeyPool.prefill(2048);
  await rsaKeyPool.whenReady(2048);
  await once();
  await measure('pool, spaced', async () => {
    await rsaKeyPool.whenReady(2048, 1);
  });
  await rsaKeyPool.whenReady(2048);
  await measure('pool, back to back', async () => undefined);

  const rsa: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    generateKeyPairSync('rsa', { modulusLength: 2048 });
    rsa.push(performance.now() - started);
  }
  console.log(`${'RSA-2048 keygen alone'.padEnd(22)} ${summary(rsa)}`);
  rsaKeyPool.close();
}

void main();
