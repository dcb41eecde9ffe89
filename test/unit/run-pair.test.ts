import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSnippets } from '../../engine/sandbox/document';
import type { RunReport, TimelineEntry } from '../../engine/sandbox/report';
import { runPair } from '../../engine/sandbox/run-pair';

const root = join(__dirname, '..', '..', '..');
const echoPair = readFileSync(join(root, 'examples', 'echo-pair.gd'), 'utf8');

function pairOf(text: string) {
  const doc = readSnippets(text, 'gdscript');
  assert.equal(doc.pairs.length, 1, 'the test document has one pair');
  return doc.pairs[0];
}

function prints(report: RunReport, peer: string): string[] {
  return report.peers.find((p) => p.name === peer)!.prints.map((p) => p.text);
}

function sentFlights(report: RunReport): number[] {
  return report.timeline.filter((e): e is Extract<TimelineEntry, { kind: 'flight' }> => e.kind === 'flight' && e.direction === 'sent').map((e) => e.flight);
}

function assertEchoPairWorked(report: RunReport): void {
  assert.deepEqual(report.problems.filter((p) => p.severity !== 'info'), []);
  assert.equal(report.ok, true);
  assert.deepEqual(prints(report, 'client'), ['status: 2', 'client got: hello']);
  assert.deepEqual(prints(report, 'server'), ['server got: hello']);
  // The cookie exchange (1 ClientHello, 2 HelloVerifyRequest) and the whole handshake after it.
  assert.deepEqual(sentFlights(report).slice(0, 6), [1, 2, 3, 4, 5, 6]);
  const statuses = report.timeline.filter((e) => e.kind === 'status').map((e) => `${e.peer}:${e.statusName}`);
  assert.deepEqual(statuses, [
    'client:STATUS_HANDSHAKING',
    'server:STATUS_ERROR', // the first connection only got a HelloVerifyRequest
    'server:STATUS_HANDSHAKING',
    'server:STATUS_CONNECTED',
    'client:STATUS_CONNECTED',
  ]);
}

test('the echo pair connects and echoes over the virtual link', async () => {
  const report = await runPair(pairOf(echoPair), { link: 'virtual' });
  assertEchoPairWorked(report);
  const connected = report.timeline.find((e) => e.kind === 'status' && e.peer === 'client' && e.status === 2);
  assert.equal(connected?.kind === 'status' && connected.range?.start.line, 37, 'blamed on the dtls.poll() call in the handshake loop');
});

test('the virtual link is deterministic: the same run gives the same timeline', async () => {
  const shape = (r: RunReport) => r.timeline.map((e) => `${e.at.toFixed(3)} ${e.peer} ${e.kind} ${'flight' in e ? e.flight : ''}${'status' in e ? e.status : ''}`);
  const [a, b] = [await runPair(pairOf(echoPair), { link: 'virtual' }), await runPair(pairOf(echoPair), { link: 'virtual' })];
  assert.deepEqual(shape(a), shape(b));
  assert.equal(a.durationMs, b.durationMs);
});

test('the echo pair connects and echoes over real UDP sockets on 127.0.0.1', async () => {
  const report = await runPair(pairOf(echoPair), { link: 'udp' });
  assertEchoPairWorked(report);
});

test('a loop that never waits is stopped with a diagnostic at its line, and the other peer still runs', async () => {
  const text = '# @dtls server\nextends Node\nfunc _ready():\n\tprint("up")\n# @dtls client\nextends Node\nfunc _ready():\n\tvar n := 0\n\twhile true:\n\t\tn += 1\n';
  const report = await runPair(pairOf(text), { link: 'virtual', limits: { stepsWithoutWaiting: 200_000 } });
  assert.equal(report.ok, false);
  assert.deepEqual(prints(report, 'server'), ['up']);
  const problem = report.problems.find((p) => p.code === 'step-budget');
  assert.ok(problem, JSON.stringify(report.problems));
  assert.equal(problem.peer, 'client');
  assert.ok([8, 9].includes(problem.range.start.line), `blamed on the loop, got line ${problem.range.start.line}`);
});

test('a runtime error stops that peer with the error at its line', async () => {
  const text = '# @dtls server\nextends Node\nfunc _ready():\n\tvar dtls := PacketPeerDTLS.new()\n\tdtls.setup(null)\n# @dtls client\nextends Node\n';
  const report = await runPair(pairOf(text), { link: 'virtual' });
  const problem = report.problems.find((p) => p.code === 'runtime');
  assert.ok(problem, JSON.stringify(report.problems));
  assert.equal(problem.range.start.line, 4);
  assert.match(problem.message, /Nonexistent function 'setup' in base 'PacketPeerDTLS'/);
});

test('syntax errors are reported and nothing runs', async () => {
  const report = await runPair(pairOf('# @dtls server\nextends Node\nvar dtls_server =\n# @dtls client\nextends Node\n'), { link: 'virtual' });
  assert.equal(report.ok, false);
  assert.deepEqual(report.peers, []);
  assert.deepEqual(
    report.problems.map((p) => [p.code, p.range.start.line]),
    [['syntax', 2]],
  );
});

test('random numbers in a snippet are the same from run to run', async () => {
  const text = '# @dtls server\nextends Node\nfunc _ready():\n\tprint(randi() % 1000, " ", randf())\n# @dtls client\nextends Node\n';
  const [a, b] = [await runPair(pairOf(text), { link: 'virtual' }), await runPair(pairOf(text), { link: 'virtual' })];
  assert.equal(prints(a, 'server').length, 1);
  assert.deepEqual(prints(a, 'server'), prints(b, 'server'));
});
