// Wall time of `dtls-lab run examples/echo-pair.gd` on the virtual link, warm: the pair runs once to
// warm up, then N more times in the same process; prints the median, min and max of the warm runs and
// how much of it Node's RSA-2048 key generation (the snippet's Crypto.generate_rsa(2048)) takes alone.
// Run: npx tsc -p tsconfig.json && node out/bench/pair.js [RUNS]

import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readSnippets } from '../engine/sandbox/document';
import { runPair } from '../engine/sandbox/run-pair';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const summary = (xs: number[]) => `median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}`;

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 15);
  const text = readFileSync(join(__dirname, '..', '..', 'examples', 'echo-pair.gd'), 'utf8');
  const once = async (source: string) => {
    const started = performance.now();
    const report = await runPair(readSnippets(source, 'gdscript').pairs[0], { link: 'virtual' });
    if (!report.ok) throw new Error(JSON.stringify(report.problems));
    return performance.now() - started;
  };
  await once(text);
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(await once(text));
  const rsa: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    generateKeyPairSync('rsa', { modulusLength: 2048 });
    rsa.push(performance.now() - started);
  }
  const small = text.replace('generate_rsa(2048)', 'generate_rsa(1024)');
  await once(small);
  const rest: number[] = [];
  for (let i = 0; i < runs; i++) rest.push(await once(small));
  console.log(`echo pair, virtual link, warm (${runs} runs): ${summary(warm)}`);
  console.log(`RSA-2048 key generation alone: ${summary(rsa)}`);
  console.log(`echo pair with generate_rsa(1024) instead: ${summary(rest)}`);
}

void main();
