// Short seeded run of the mutation fuzzer (test/unit/dtls-fuzzer.ts; the long run is bench/fuzz.ts):
// mutated records and handshake messages fed to a client and a server at every handshake stage.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ecdsaCredentials, rsaCredentials } from './dtls-helpers';
import { runFuzz, type FuzzStats } from './dtls-fuzzer';

function summary(stats: FuzzStats): string {
  return `${stats.datagrams} datagrams, ${stats.sessions} sessions in ${stats.elapsedMs.toFixed(0)} ms; outcomes ${JSON.stringify(stats.outcomes)}; failures ${JSON.stringify(stats.failureKinds)}; connected and verified ${stats.connectedVerified}`;
}

function assertClean(stats: FuzzStats): void {
  const shown = stats.findings.slice(0, 3).map((f) => `${f.kind} (${f.side} at stage ${f.stage}): ${f.detail}\n  datagram ${f.datagram.slice(0, 200)}`);
  assert.equal(stats.exceptions, 0, `exceptions escaped:\n${shown.join('\n')}`);
  assert.deepEqual(stats.findings, [], shown.join('\n'));
}

describe('DTLS mutation fuzzer (seeded, bounded)', () => {
  it('20,000 mutated datagrams against both sides at every stage (ECDSA): no exception, sane end states', () => {
    const stats = runFuzz({ credentials: ecdsaCredentials(), seed: 20240601, datagrams: 20_000 });
    console.log(`# fuzz ECDSA: ${summary(stats)}`);
    assertClean(stats);
    // Every (side, stage) pair was visited, and the run reached every kind of end state.
    assert.ok(Object.keys(stats.coverage).length >= 2 * 13, `coverage ${JSON.stringify(stats.coverage)}`);
    assert.ok((stats.outcomes.failed ?? 0) > 0 && (stats.outcomes.handshaking ?? 0) > 0);
    assert.ok(stats.connectedVerified > 0, 'no session got through to connected');
  });

  it('4,000 mutated datagrams against an ECDHE_PSK handshake: no exception, sane end states', () => {
    const key = Buffer.alloc(32, 7);
    const stats = runFuzz({
      credentials: ecdsaCredentials(),
      rig: {
        client: { cipherSuites: ['TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256', 'TLS_PSK_WITH_AES_128_GCM_SHA256'], psk: { identity: 'fuzz', key } },
        server: { pskCallback: (identity: string) => (identity === 'fuzz' ? key : undefined) },
      },
      seed: 11,
      datagrams: 4_000,
    });
    console.log(`# fuzz PSK: ${summary(stats)}`);
    assertClean(stats);
  });

  it('5,000 mutated datagrams with an RSA server: no exception, sane end states', () => {
    const stats = runFuzz({ credentials: rsaCredentials(), seed: 7, datagrams: 5_000 });
    console.log(`# fuzz RSA: ${summary(stats)}`);
    assertClean(stats);
  });
});
