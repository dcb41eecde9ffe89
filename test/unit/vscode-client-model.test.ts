// The extension's plain-data parts (no VS Code needed): the timeline model and after-line
// annotations of a real run, which lines an edit invalidates, and the echo server's log.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EchoLog, statusBarText } from '../../client/echo-log';
import { annotationsOf } from '../../client/run-annotations';
import { changeInvalidates } from '../../client/snippet-extent';
import { formatMs, timelineModel } from '../../client/timeline-model';
import { readSnippets } from '../../engine/sandbox/document';
import type { RunReport } from '../../engine/sandbox/report';
import { runPair } from '../../engine/sandbox/run-pair';

const root = join(__dirname, '..', '..', '..');
const echoPair = readFileSync(join(root, 'examples', 'echo-pair.gd'), 'utf8');

let lossyReport: Promise<RunReport> | undefined;
/** The example pair over a 30% lossy virtual link (seed 4: lost flights and retransmissions). */
function lossyRun(): Promise<RunReport> {
  lossyReport ??= runPair(readSnippets(echoPair, 'gdscript').pairs[0], { link: 'virtual', shape: { loss: 0.3 }, seed: 4 });
  return lossyReport;
}

test('timeline model: one lane per peer, status segments in order, covering the run', async () => {
  const report = await lossyRun();
  const model = timelineModel(report);
  assert.equal(model.title, 'server ⇄ client');
  assert.deepEqual(model.lanes.map((l) => l.peer), ['server', 'client']);
  const client = model.lanes.find((l) => l.peer === 'client')!;
  assert.deepEqual(client.segments.map((s) => s.statusName), ['STATUS_HANDSHAKING', 'STATUS_CONNECTED']);
  assert.equal(client.segments[0].to, client.segments[1].from);
  assert.equal(client.segments[1].to, report.durationMs);
  const server = model.lanes.find((l) => l.peer === 'server')!;
  assert.equal(server.segments[0].statusName, 'STATUS_ERROR');
  assert.match(server.segments[0].note ?? '', /cookie/);
  assert.equal(typeof server.segments[0].line, 'number');
});

test('timeline model: every received message is matched to a send, lost ones carry the drop reason', async () => {
  const report = await lossyRun();
  const model = timelineModel(report);
  const received = report.timeline.filter((e) => (e.kind === 'flight' || e.kind === 'data' || e.kind === 'alert') && e.direction === 'received');
  assert.equal(model.messages.filter((m) => m.receivedAt !== undefined).length, received.length);
  for (const m of model.messages) if (m.receivedAt !== undefined) assert.ok(m.receivedAt >= m.sentAt, JSON.stringify(m));
  const lost = model.messages.filter((m) => m.receivedAt === undefined);
  assert.ok(lost.length > 0, 'a 30% lossy link loses something');
  assert.ok(lost.every((m) => m.dropped === 'link loss 30%'), JSON.stringify(lost));
  assert.ok(model.messages.some((m) => m.retransmission), 'lost flights are retransmitted');
  const hvr = model.messages.find((m) => m.label.startsWith('2 HelloVerifyRequest'))!;
  assert.equal(hvr.from, 'server');
  assert.equal(hvr.cookie, true);
  const data = model.messages.filter((m) => m.kind === 'data');
  assert.deepEqual(data.map((m) => `${m.from}→${m.to} ${m.label}`), ['client→server data 5 B', 'server→client data 5 B']);
  const prints = model.events.filter((e) => e.kind === 'print').map((e) => `${e.peer}: ${e.text}`);
  assert.deepEqual(prints, ['client: status: 2', 'server: server got: hello', 'client: client got: hello']);
  assert.ok(model.events.filter((e) => e.kind === 'print').every((e) => typeof e.line === 'number'));
});

test('annotations: prints, timed status changes at their lines, final status on the annotation line', async () => {
  const report = await lossyRun();
  const annotations = annotationsOf(report);
  const serverPrint = report.peers.find((p) => p.role === 'server')!.prints[0].range!.start.line;
  assert.ok(annotations.some((a) => a.kind === 'print' && a.line === serverPrint && a.text === '⟵ "server got: hello"'));
  const connected = report.timeline.find((e) => e.kind === 'status' && e.peer === 'client' && e.status === 2)!;
  const line = connected.kind === 'status' ? connected.range!.start.line : -1;
  const change = annotations.find((a) => a.kind === 'status' && a.line === line);
  assert.ok(change, JSON.stringify(annotations));
  assert.match(change.text, /^client → STATUS_CONNECTED at \d+\.\d\d s$/);
  assert.ok(annotations.some((a) => a.kind === 'status' && a.line === report.client.annotationLine && a.text === 'client → STATUS_CONNECTED (2)'));
  assert.equal(annotations.filter((a) => a.kind === 'error').length, 0);
});

test('annotations: a runtime error is an error annotation on its line and on the crashed peer', async () => {
  const text = echoPair.replace('print("client got: ", dtls.get_packet().get_string_from_utf8())', 'var n = null\n\tn.boom()');
  const report = await runPair(readSnippets(text, 'gdscript').pairs[0], { link: 'virtual' });
  assert.equal(report.ok, false);
  const errorLine = report.problems.find((p) => p.severity === 'error')!.range.start.line;
  const annotations = annotationsOf(report);
  assert.ok(annotations.some((a) => a.kind === 'error' && a.line === errorLine && a.text.startsWith('✗ client: ')), JSON.stringify(annotations));
  assert.ok(annotations.some((a) => a.kind === 'error' && a.line === report.client.annotationLine && /stopped on an error/.test(a.text)));
});

test('formatMs', () => {
  assert.equal(formatMs(0.046), '0.05 ms');
  assert.equal(formatMs(12.44), '12.4 ms');
  assert.equal(formatMs(4054.1), '4.05 s');
});

test('snippet extent: edits inside or above (adding lines) invalidate, edits elsewhere do not', () => {
  const extent = [{ start: 10, end: 20 }, { start: 30, end: 40 }];
  assert.equal(changeInvalidates(extent, { startLine: 12, endLine: 12, linesChanged: false }), true);
  assert.equal(changeInvalidates(extent, { startLine: 25, endLine: 25, linesChanged: false }), false);
  assert.equal(changeInvalidates(extent, { startLine: 25, endLine: 25, linesChanged: true }), true);
  assert.equal(changeInvalidates(extent, { startLine: 45, endLine: 46, linesChanged: true }), false);
  assert.equal(changeInvalidates([], { startLine: 0, endLine: 0, linesChanged: true }), false);
});

test('echo log: JSON lines and the human stderr text become the status bar state', () => {
  const log = new EchoLog();
  assert.equal(statusBarText(log.snapshot), '$(loading~spin) DTLS echo starting…');
  log.stdoutLine(JSON.stringify({ time: 't', event: 'listening', host: '127.0.0.1', port: 4242, mode: 'echo' }));
  for (const line of [
    'DTLS 1.2 echo server (echo mode) listening on udp 127.0.0.1:4242',
    'certificate: /tmp/c/echo-server-rsa.crt (reused; RSA-2048; CN localhost, SAN DNS:localhost IP:127.0.0.1)',
    'SHA-256 fingerprint: AB:CD',
    '# ---8<---', 'extends Node', '\tvar x := 1', '# ---8<---', 'Ctrl-C stops the server.',
  ]) log.stderrLine(line);
  log.stdoutLine(JSON.stringify({ event: 'session-start', address: '127.0.0.1:5000' }));
  log.stdoutLine(JSON.stringify({ event: 'session-start', address: '127.0.0.1:5001' }));
  log.stdoutLine(JSON.stringify({ event: 'handshake', address: '127.0.0.1:5000' }));
  let s = log.snapshot;
  assert.equal(s.port, 4242);
  assert.equal(s.fingerprint, 'AB:CD');
  assert.equal(s.certificatePath, '/tmp/c/echo-server-rsa.crt');
  assert.equal(s.godotSnippet, 'extends Node\n\tvar x := 1\n');
  assert.equal(statusBarText(s), '$(radio-tower) DTLS echo :4242 · 2 sessions · 0 pkts');
  log.stdoutLine(JSON.stringify({ event: 'session-end', packetsIn: 7, packetsOut: 6, echoes: 3 }));
  assert.equal(statusBarText(log.snapshot), '$(radio-tower) DTLS echo :4242 · 1 session · 13 pkts');
  log.stdoutLine(JSON.stringify({ event: 'stats', datagramsIn: 20, datagramsOut: 17, echoes: 5, handshakesCompleted: 2, sessions: 1 }));
  s = log.snapshot;
  assert.equal(statusBarText(s), '$(radio-tower) DTLS echo :4242 · 1 session · 37 pkts');
  assert.equal(s.echoes, 5);
  assert.equal(log.stdoutLine('not json'), undefined);
});

test('echo log: a busy port is recognised', () => {
  const log = new EchoLog();
  log.stderrLine('dtls-lab echo: UDP port 4242 on 127.0.0.1 is already in use (another echo server or game server?). Stop it, pick another with --port N, or add --next-free-port.');
  assert.deepEqual(log.snapshot.portInUse, { host: '127.0.0.1', port: 4242 });
  assert.match(log.snapshot.lastError ?? '', /^UDP port 4242/);
});
