import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSnippets } from '../../engine/sandbox/document';
import type { RunReport } from '../../engine/sandbox/report';
import { runPair } from '../../engine/sandbox/run-pair';

const root = join(__dirname, '..', '..', '..');
const echoPair = readFileSync(join(root, 'examples', 'echo-pair.gd'), 'utf8');

async function run(text: string): Promise<RunReport> {
  const doc = readSnippets(text, 'gdscript');
  assert.deepEqual(doc.problems, []);
  return runPair(doc.pairs[0], { link: 'virtual' });
}

/** Zero-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i;
}

function explainer(report: RunReport, code: string) {
  const found = report.explainers?.find((e) => e.code === code);
  assert.ok(found, `explainer ${code} in ${JSON.stringify(report.explainers?.map((e) => e.code))}`);
  const problem = report.problems.find((p) => p.code === `explain-${code}`);
  assert.ok(problem, `problem explain-${code}`);
  assert.equal(problem.range.start.line, found.range.start.line);
  return found;
}

test('expectations that hold pass, and the report lists them', async () => {
  const text = echoPair
    .replace('# @dtls server\n', '# @dtls server\n# @dtls expect print="server got: hello"\n')
    .replace('# @dtls client\n', '# @dtls client\n# @dtls expect status=CONNECTED handshake<5000ms print="client got: hello"\n');
  const report = await run(text);
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  assert.deepEqual(report.expectations?.map((e) => [e.text, e.passed, e.range.start.line]), [
    ['print="server got: hello"', true, 1],
    ['status=CONNECTED', true, lineOf(text, 'status=CONNECTED')],
    ['handshake<5000ms', true, lineOf(text, 'status=CONNECTED')],
    ['print="client got: hello"', true, lineOf(text, 'status=CONNECTED')],
  ]);
});

test('a failed expectation is an error at its expect line and makes the run fail', async () => {
  const text = echoPair.replace('# @dtls client\n', '# @dtls client\n# @dtls expect status=3 handshake<1ms\n# @dtls expect error="no such error" print="nope"\n');
  const report = await run(text);
  assert.equal(report.ok, false);
  const failed = report.problems.filter((p) => p.code === 'expectation');
  const line = lineOf(text, 'status=3');
  assert.deepEqual(failed.map((p) => [p.range.start.line, p.severity]), [
    [line, 'error'],
    [line, 'error'],
    [line + 1, 'error'],
    [line + 1, 'error'],
  ]);
  assert.match(failed[0].message, /^Expectation failed: status=3: expected STATUS_ERROR \(3\), final status STATUS_CONNECTED \(2\)/);
  assert.match(failed[1].message, /handshake<1ms: handshake done at [\d.]+ ms \(limit 1 ms\)/);
  assert.match(failed[2].message, /no problem mentions "no such error"/);
  assert.match(failed[3].message, /never printed "nope"; printed: "status: 2", "client got: hello"/);
});

test('explainers: the cookie exchange is explained (info) at the take_connection line of the echo pair', async () => {
  const report = await run(echoPair);
  assert.equal(report.ok, true);
  const e = explainer(report, 'cookie-exchange');
  assert.equal(e.range.start.line, lineOf(echoPair, 'take_connection'));
  assert.equal(e.severity, 'info');
  assert.match(e.fix ?? '', /STATUS_HANDSHAKING after take_connection\(\)/);
});

test('explainers: no poll() while handshaking, and put_packet() before CONNECTED', async () => {
  const text = [
    '# @dtls server',
    'extends Node',
    '# @dtls client timeout=500',
    'extends Node',
    'func _ready():',
    '\tvar udp := PacketPeerUDP.new()',
    '\tudp.connect_to_host("127.0.0.1", 4242)',
    '\tvar dtls := PacketPeerDTLS.new()',
    '\tdtls.connect_to_peer(udp, "localhost", TLSOptions.client_unsafe())',
    '\tdtls.put_packet("hi".to_utf8_buffer())',
    '\tOS.delay_msec(100)',
    '\tprint(dtls.get_status())',
  ].join('\n');
  const report = await run(text);
  const poll = explainer(report, 'poll-not-called');
  assert.equal(poll.range.start.line, 8);
  assert.match(poll.message, /stayed STATUS_HANDSHAKING because poll\(\) was never called/);
  assert.match(poll.fix ?? '', /dtls\.poll\(\)/);
  const put = explainer(report, 'put-before-connected');
  assert.equal(put.range.start.line, 9);
  assert.match(put.message, /STATUS_HANDSHAKING: it returned ERR_UNCONFIGURED/);
  assert.match(put.fix ?? '', /STATUS_CONNECTED/);
});

test('explainers: TLSOptions.client() refuses the self-signed certificate', async () => {
  const text = echoPair.replace('TLSOptions.client_unsafe()', 'TLSOptions.client()').replace('# @dtls client', '# @dtls client timeout=1000');
  const report = await run(text);
  const e = explainer(report, 'untrusted-certificate');
  assert.equal(e.range.start.line, lineOf(text, 'connect_to_peer'));
  assert.match(e.message, /self-signed/);
  assert.match(e.fix ?? '', /TLSOptions\.client\(cert\)/);
  assert.match(e.fix ?? '', /client_unsafe\(\)/);
  // The client then sends anyway: put_packet() on a failed session.
  assert.equal(explainer(report, 'put-before-connected').range.start.line, lineOf(text, 'put_packet("hello"'));
});

test('explainers: host name mismatch names both names', async () => {
  const text = echoPair
    .replace('\tudp_server.listen(4242, "127.0.0.1")', '\tudp_server.listen(4242, "127.0.0.1")\n\tcert.save("user://server.crt")')
    .replace('# @dtls client', '# @dtls client timeout=1000')
    .replace(
      '\tdtls.connect_to_peer(udp, "localhost", TLSOptions.client_unsafe())',
      '\tOS.delay_msec(50)\n\tvar cert := X509Certificate.new()\n\tcert.load("user://server.crt")\n\tdtls.connect_to_peer(udp, "example.com", TLSOptions.client(cert))',
    );
  const report = await run(text);
  const e = explainer(report, 'hostname-mismatch');
  assert.equal(e.range.start.line, lineOf(text, 'connect_to_peer'));
  assert.match(e.message, /asked for "example\.com" but the server's certificate is for .*localhost/);
  assert.match(e.fix ?? '', /CN=example\.com/);
});

test('explainers: a UDPServer that is never polled', async () => {
  const text = echoPair.replace('\tudp_server.poll()\n', '').replace('# @dtls client', '# @dtls client timeout=800');
  const report = await run(text);
  const e = explainer(report, 'udp-server-not-polled');
  assert.equal(e.range.start.line, lineOf(text, 'udp_server.listen'));
  assert.match(e.fix ?? '', /udp_server\.poll\(\)/);
});

test('explainers: a client sending to a port where nothing listens, and the time limit it hits', async () => {
  const text = echoPair.replace('udp.connect_to_host("127.0.0.1", 4242)', 'udp.connect_to_host("127.0.0.1", 4243)').replace('# @dtls client', '# @dtls client timeout=800');
  const report = await run(text);
  const e = explainer(report, 'nothing-listening');
  assert.equal(e.range.start.line, lineOf(text, '4243'));
  assert.match(e.message, /127\.0\.0\.1:4243, where nothing listens: the server listens on port 4242/);
  assert.match(e.fix ?? '', /connect_to_host\("127\.0\.0\.1", 4242\)/);
  const limit = explainer(report, 'limit-timeout');
  assert.equal(limit.range.start.line, report.problems.find((p) => p.code === 'timeout')!.range.start.line);
  assert.match(limit.fix ?? '', /timeout=MS/);
  assert.ok(report.timeline.some((t) => t.kind === 'drop' && t.reason.startsWith('nothing listens on 127.0.0.1:4243')));
});

test('explainers: the step budget names the limit and the loop line', async () => {
  const text = '# @dtls server\nextends Node\n# @dtls client\nextends Node\nfunc _ready():\n\tvar n := 0\n\twhile true:\n\t\tn += 1\n';
  const doc = readSnippets(text, 'gdscript');
  const report = await runPair(doc.pairs[0], { link: 'virtual', limits: { stepsWithoutWaiting: 100_000 } });
  const e = explainer(report, 'limit-step-budget');
  assert.ok([6, 7].includes(e.range.start.line));
  assert.match(e.message, /step budget/);
  assert.match(e.fix ?? '', /OS\.delay_msec\(10\)/);
});
