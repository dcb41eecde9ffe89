// `dtls-lab echo --keylog FILE --pcap FILE` in-process over real UDP on 127.0.0.1: our client
// echoes through the server, the command writes every datagram in and out as pcapng on stop and
// appends the server's SSLKEYLOGFILE lines, and tshark decrypts the echoed data with that key log
// alone. Also: --pcap-max-bytes stops recording with a clear message, and the file stays readable.
// tshark is required: if it is missing the tests fail and say how to install it.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectDtlsUdp } from '../../engine/dtls';
import { echoCommand } from '../../engine/cli/echo-command';
import type { EchoServer } from '../../engine/echo/echo-server';
import { requireTool, TempDir, tshark } from './peer-harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `echo` with extra arguments, echoes `messages` with one client, stops the command. */
async function runEcho(dir: TempDir, extra: string[], messages: string[]): Promise<{ port: number; out: string; err: string; server: EchoServer }> {
  const out: string[] = [];
  const err: string[] = [];
  let server: EchoServer | undefined;
  let stop!: (why: string) => void;
  const stopSignal = new Promise<string>((resolve) => (stop = resolve));
  const code = echoCommand(['--port', '0', '--ecdsa', '--config-dir', join(dir.path, 'config'), ...extra], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    stopSignal,
    onListening: (s) => (server = s),
  });
  const deadline = Date.now() + 8000;
  while (!server && Date.now() < deadline) await sleep(10);
  assert.ok(server, `the echo command did not start:\n${err.join('\n')}`);
  const port = server.address().port;
  const client = await connectDtlsUdp('127.0.0.1', port, { verify: { mode: 'none' } });
  try {
    for (const message of messages) {
      client.send(message);
      assert.equal(Buffer.from(await client.receive(3000)).toString('utf8'), message);
    }
  } finally {
    await client.close();
  }
  await sleep(50); // the client's close_notify reaches the server
  stop('test');
  assert.equal(await code, 0, err.join('\n'));
  return { port, out: out.join('\n'), err: err.join('\n'), server };
}

describe('echo --keylog / --pcap: tshark decrypts the echoes', { timeout: 60_000 }, () => {
  let dir: TempDir;
  before(() => {
    requireTool('tshark', 'tshark');
    dir = new TempDir();
  });
  after(() => dir?.remove());

  it('writes every datagram in and out and a key log with which tshark decrypts both directions', { timeout: 20_000 }, async () => {
    const pcap = join(dir.path, 'echo.pcapng');
    const keylog = join(dir.path, 'echo.keys');
    const { port, out, server } = await runEcho(dir, ['--keylog', keylog, '--pcap', pcap], ['first echo', 'second echo']);
    assert.match(out, /key log \(SSLKEYLOGFILE lines\): /);
    assert.match(out, new RegExp(`capture: ${server.counters.datagramsIn + server.counters.datagramsOut} datagrams written to `));
    const lines = readFileSync(keylog, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1, 'one handshake, one line');
    assert.match(lines[0]!, /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/);

    const common = ['-r', pcap, '-d', `udp.port==${port},dtls`];
    const all = (await tshark([...common, '-T', 'fields', '-e', 'udp.srcport'])).trim().split('\n');
    assert.equal(all.length, server.counters.datagramsIn + server.counters.datagramsOut, 'every datagram in and out is in the file');
    assert.ok(all.some((p) => p === String(port)) && all.some((p) => p !== String(port)), 'both directions');

    const decrypted = await tshark([...common, '-o', `tls.keylog_file:${keylog}`, '-Y', 'dtls.app_data', '-T', 'fields', '-e', 'udp.srcport', '-e', 'data.data']);
    const rows = decrypted.trim().split('\n').map((line) => line.split('\t'));
    const texts = rows.map(([src, hex]) => [src === String(port) ? 'server' : 'client', Buffer.from(hex ?? '', 'hex').toString('utf8')]);
    assert.deepEqual(texts, [
      ['client', 'first echo'],
      ['server', 'first echo'],
      ['client', 'second echo'],
      ['server', 'second echo'],
    ]);
    const withoutKeys = await tshark([...common, '-Y', 'dtls.app_data', '-T', 'fields', '-e', 'data.data']);
    assert.equal(withoutKeys.trim(), '', 'nothing is readable without the key log');
  });

  it('--pcap-max-bytes: stops recording at the cap, says so, and the file stays valid', { timeout: 20_000 }, async () => {
    const pcap = join(dir.path, 'capped.pcapng');
    const { out, err, server } = await runEcho(dir, ['--pcap', pcap, '--pcap-max-bytes', '2048'], ['a', 'b', 'c']);
    assert.match(err, /reached --pcap-max-bytes 2048 after \d+ datagrams; later datagrams are not written/);
    const omitted = /cap of 2048 bytes reached, (\d+) later datagrams not written/.exec(out);
    assert.ok(omitted, out);
    assert.ok(existsSync(pcap));
    assert.ok(readFileSync(pcap).length <= 2048, 'the file respects the cap');
    const packets = (await tshark(['-r', pcap, '-T', 'fields', '-e', 'frame.number'])).trim().split('\n');
    assert.equal(packets.length + Number(omitted[1]), server.counters.datagramsIn + server.counters.datagramsOut);
  });
});
