// Long run of the DTLS mutation fuzzer (test/unit/dtls-fuzzer.ts): by default 1,000,000 mutated
// datagrams fed to our client and our server at every handshake stage. Not a test: it prints
// the count, datagrams/s, exceptions (must be 0), end states and failure kinds, and exits 1 if
// anything escaped receive()/poll() or a side ended in an impossible state.
//
//   node out/bench/fuzz.js [--datagrams 1000000] [--seed 1] [--rsa | --psk]

import { ecdsaCredentials, rsaCredentials } from '../test/unit/dtls-helpers';
import { runFuzz, type FuzzStats } from '../test/unit/dtls-fuzzer';
import { hasFlag, numberOption } from './command-line';

const datagrams = numberOption('datagrams', 1_000_000);
const seed = numberOption('seed', 1);
const rsa = hasFlag('rsa');
const psk = hasFlag('psk');
const pskKey = Buffer.alloc(32, 7);

function rate(stats: FuzzStats): string {
  return `${Math.round(stats.datagrams / (stats.elapsedMs / 1000)).toLocaleString('en-US')} datagrams/s`;
}

console.log(`DTLS fuzz: ${datagrams.toLocaleString('en-US')} datagrams, seed ${seed}, ${psk ? 'ECDHE_PSK' : rsa ? 'RSA certificate' : 'ECDSA P-256 certificate'} handshake, node ${process.version}`);
const stats = runFuzz({
  credentials: rsa ? rsaCredentials() : ecdsaCredentials(),
  ...(psk
    ? {
        rig: {
          client: { cipherSuites: ['TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256'], psk: { identity: 'fuzz', key: pskKey } },
          server: { pskCallback: (identity: string) => (identity === 'fuzz' ? pskKey : undefined) },
        },
      }
    : {}),
  seed,
  datagrams,
  progressEvery: 100_000,
  onProgress: (s) => console.log(`  ${s.datagrams.toLocaleString('en-US')} datagrams, ${s.sessions.toLocaleString('en-US')} sessions, ${rate(s)}, exceptions ${s.exceptions}`),
});

const sorted = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).sort((a, b) => b[1] - a[1]));
console.log('');
console.log(`datagrams      ${stats.datagrams.toLocaleString('en-US')}`);
console.log(`sessions       ${stats.sessions.toLocaleString('en-US')} (a pair driven to a random stage, then one side fuzzed)`);
console.log(`time           ${(stats.elapsedMs / 1000).toFixed(1)} s, ${rate(stats)} (including the handshakes that set up each session)`);
console.log(`exceptions     ${stats.exceptions}`);
console.log(`end states     ${JSON.stringify(sorted(stats.outcomes))}  ('none' = server side still stateless)`);
console.log(`failure kinds  ${JSON.stringify(sorted(stats.failureKinds))}`);
console.log(`connected      ${stats.connectedVerified} sessions reached 'connected' during fuzzing, each verified by a round trip with the untouched peer`);
console.log(`operators      ${JSON.stringify(sorted(stats.operators))}`);
console.log(`coverage       ${Object.keys(stats.coverage).length} (side, stage) pairs`);
for (const finding of stats.findings) {
  console.log(`FINDING ${finding.kind} ${finding.side}@${finding.stage}: ${finding.detail}\n  datagram ${finding.datagram}`);
}
process.exitCode = stats.findings.length === 0 ? 0 : 1;
