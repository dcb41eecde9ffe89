import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSnippets } from '../../engine/sandbox/document';

test('annotation options are validated into settings', () => {
  const doc = readSnippets(
    '# @dtls server name=echo loss=30% delay=20 jitter=5ms duplicate=10% reorder=5 mtu=1200 bandwidth=1mbit seed=7 timeout=5s port=4242 link=virtual\n' +
      '# @dtls client pair=echo link=udp\n',
    'gdscript',
  );
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.snippets[0].settings, {
    name: 'echo', loss: 0.3, delayMs: 20, jitterMs: 5, duplicate: 0.1, reorder: 0.05, mtu: 1200, bandwidthBps: 1e6, seed: 7, timeoutMs: 5000, port: 4242, link: 'virtual',
  });
  assert.deepEqual(doc.snippets[1].settings, { pair: 'echo', link: 'udp' });
});

test('unknown keys and bad values are errors at the exact key=value, saying what is allowed', () => {
  const line0 = '# @dtls server colour=red loss=150% mtu=abc';
  const line1 = '# @dtls client bandwidth=fast link=tcp pair=nobody';
  const doc = readSnippets(`${line0}\n${line1}\n`, 'gdscript');
  const got = doc.problems.map((p) => [p.range.start.line, p.range.start.character, p.range.end.character, p.message]);
  assert.deepEqual(got, [
    [0, line0.indexOf('colour'), line0.indexOf('colour') + 'colour=red'.length, 'Unknown option "colour": the options are name=, pair=, link=, loss=, delay=, jitter=, duplicate=, reorder=, mtu=, bandwidth=, seed=, timeout=, port=, call=.'],
    [0, line0.indexOf('loss'), line0.indexOf('loss') + 'loss=150%'.length, 'loss=150%: expected a percentage from 0% to 100% (e.g. loss=30%).'],
    [0, line0.indexOf('mtu'), line0.length, 'mtu=abc: expected a whole number from 64 to 65535 (e.g. mtu=1200).'],
    [1, line1.indexOf('bandwidth'), line1.indexOf('bandwidth') + 'bandwidth=fast'.length, 'bandwidth=fast: expected a rate with a unit: bit, kbit, mbit or gbit per second (e.g. bandwidth=1mbit).'],
    [1, line1.indexOf('link'), line1.indexOf('link') + 'link=tcp'.length, 'link=tcp: expected link=virtual or link=udp.'],
    [1, line1.indexOf('pair'), line1.length, 'pair=nobody: no server snippet is named "nobody" (servers: "server").'],
  ]);
  assert.ok(doc.problems.every((p) => p.severity === 'error' && p.code === 'annotation'));
});

test('pair= pairs several clients with a named server, wherever it is', () => {
  const doc = readSnippets(
    '# @dtls server name=a\n# @dtls server name=b\n# @dtls client pair=a\n# @dtls client name=c2 pair=a\n# @dtls client\n',
    'gdscript',
  );
  assert.deepEqual(doc.pairs.map((p) => [p.server.name, p.client.name]), [
    ['a', 'client 1'],
    ['a', 'c2'],
    ['b', 'client 2'],
  ]);
  assert.deepEqual(readSnippets('# @dtls server pair=x\n', 'gdscript').problems.map((p) => p.message), [
    'pair=x: only a client pairs with a server (pair=SERVER_NAME on "# @dtls client").',
  ]);
});

test('"# @dtls expect" lines belong to their snippet and do not start a new one', () => {
  const text = [
    '# @dtls server', // 0
    '# @dtls expect print="server got: hello"', // 1
    'extends Node', // 2
    '# @dtls client', // 3
    'extends Node', // 4
    '# @dtls expect status=CONNECTED handshake<50ms', // 5
    '# @dtls expect error="boom" status=2', // 6
    '# @dtls expect status=FLYING', // 7
  ].join('\n');
  const doc = readSnippets(text, 'gdscript');
  assert.deepEqual(doc.snippets.map((s) => [s.role, s.startLine, s.endLine]), [
    ['server', 0, 3],
    ['client', 3, 8],
  ]);
  assert.deepEqual(doc.snippets[0].expectations?.map((e) => [e.kind, e.text, e.range.start.line, e.range.start.character]), [['print', 'print="server got: hello"', 1, 15]]);
  assert.deepEqual(doc.snippets[1].expectations?.map((e) => [e.kind, e.text]), [
    ['status', 'status=CONNECTED'],
    ['handshake', 'handshake<50ms'],
    ['error', 'error="boom"'],
    ['status', 'status=2'],
  ]);
  assert.deepEqual(doc.problems.map((p) => [p.range.start.line, p.range.start.character, p.message]), [
    [7, 15, 'status=FLYING: expected a PacketPeerDTLS status: DISCONNECTED, HANDSHAKING, CONNECTED, ERROR, ERROR_HOSTNAME_MISMATCH (or 0-4).'],
  ]);
  assert.equal(readSnippets('# @dtls expect status=2\n', 'gdscript').problems[0]?.code, 'annotation');
});
