import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSnippets } from '../../engine/sandbox/document';
import type { RunReport, TimelineEntry } from '../../engine/sandbox/report';
import { runPair } from '../../engine/sandbox/run-pair';

const root = join(__dirname, '..', '..', '..');
const echoPair = readFileSync(join(root, 'examples', 'echo-pair.gd'), 'utf8');

function annotated(server: string, client: string): string {
  return echoPair.replace('# @dtls server', `# @dtls server ${server}`).replace('# @dtls client', `# @dtls client ${client}`);
}

function pairOf(text: string) {
  return readSnippets(text, 'gdscript').pairs[0];
}

/** The report as JSON without what depends on crypto bytes (sizes). */
function stable(report: RunReport): string {
  return JSON.stringify(report, (key, value) => (key === 'bytes' ? undefined : value));
}

const drops = (r: RunReport) => r.timeline.filter((e): e is Extract<TimelineEntry, { kind: 'drop' }> => e.kind === 'drop');
const clientPrints = (r: RunReport) => r.peers.find((p) => p.name === 'client')!.prints.map((p) => p.text);

test('under loss=30% the echo pair still connects with some seed, retransmits, and the same seed gives the same run', async () => {
  const text = annotated('loss=30%', 'loss=30%');
  let found: { seed: number; report: RunReport } | undefined;
  for (let seed = 1; seed <= 12 && !found; seed++) {
    const report = await runPair(pairOf(text), { link: 'virtual', seed });
    const retransmitted = report.timeline.some((e) => e.kind === 'flight' && e.direction === 'sent' && e.retransmission);
    if (clientPrints(report).includes('status: 2') && retransmitted) found = { seed, report };
  }
  assert.ok(found, 'some seed from 1 to 12 connects through 30% loss with retransmissions');
  const { seed, report } = found;
  assert.ok(drops(report).length > 0);
  assert.ok(drops(report).every((d) => d.reason === 'link loss 30%' && / → /.test(d.connection)), JSON.stringify(drops(report)));
  const again = await runPair(pairOf(text), { link: 'virtual', seed });
  assert.equal(stable(again), stable(report));
  const other = await runPair(pairOf(text), { link: 'virtual', seed: seed + 1000 });
  assert.notEqual(stable(other), stable(report), 'another seed gives another run');
});

test('datagrams above the MTU are dropped with a timeline entry saying so', async () => {
  const report = await runPair(pairOf(annotated('mtu=600 timeout=3000', '')), { link: 'virtual' });
  const mtuDrops = drops(report).filter((d) => /larger than the link MTU \(\d+ > 600 bytes\)/.test(d.reason));
  assert.ok(mtuDrops.length > 0, JSON.stringify(drops(report)));
  assert.ok(mtuDrops.every((d) => d.peer === 'server'), 'only the server direction has the small MTU');
  assert.ok(!clientPrints(report).includes('status: 2'));
});

test('delay and bandwidth shape each direction: the handshake takes longer', async () => {
  const handshakeAt = (r: RunReport) => r.timeline.find((e) => e.kind === 'status' && e.peer === 'client' && e.status === 2)!.at;
  const plain = await runPair(pairOf(echoPair), { link: 'virtual' });
  const slow = await runPair(pairOf(annotated('delay=40', 'delay=10 bandwidth=64kbit')), { link: 'virtual' });
  assert.deepEqual(clientPrints(slow), ['status: 2', 'client got: hello']);
  // Two round trips (cookie, handshake) at least: 2 × (40 + 10) ms more than without delay.
  assert.ok(handshakeAt(slow) - handshakeAt(plain) >= 100, `${handshakeAt(plain)} → ${handshakeAt(slow)}`);
  const dup = await runPair(pairOf(annotated('duplicate=100%', 'reorder=50% jitter=3 seed=3')), { link: 'virtual' });
  assert.deepEqual(clientPrints(dup), ['status: 2', 'client got: hello']);
});

test('the CLI-style shape override applies to both directions', async () => {
  const report = await runPair(pairOf(echoPair), { link: 'virtual', shape: { mtu: 100 }, timeoutMs: 2000 });
  const peers = new Set(drops(report).filter((d) => d.reason.includes('MTU')).map((d) => d.peer));
  assert.ok(peers.has('client'));
});

test('link options on the UDP link are reported as having no effect (info), and the run still works', async () => {
  const report = await runPair(pairOf(annotated('link=udp', 'loss=50% seed=2')), { link: 'virtual' });
  assert.equal(report.link, 'udp');
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  const info = report.problems.filter((p) => p.code === 'annotation');
  assert.deepEqual(info.map((p) => [p.severity, p.peer, p.range.start.line]), [['info', 'client', 28]]);
  assert.match(info[0].message, /\(loss\) shape the virtual link only/);
  assert.equal(drops(report).filter((d) => d.reason.startsWith('link loss')).length, 0);
});
