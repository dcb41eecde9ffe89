// The extension's echo server command line against the real CLI: the compiled main.js started with
// exactly the arguments client/echo-server.ts uses (echoArguments), its stdout/stderr fed into
// EchoLog line by line as the extension does, and the status bar text checked while a DTLS client
// (ours, real UDP on 127.0.0.1) is still connected: the packet count moves before any session ends.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { echoArguments, ECHO_STATS_INTERVAL_S } from '../../client/echo-arguments';
import { EchoLog, statusBarText } from '../../client/echo-log';
import { connectDtlsUdp } from '../../engine/dtls';

const main = join(__dirname, '..', '..', 'engine', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'vscode-echo-stats-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Feeds every complete line of `stream` to `fn`. */
function eachLine(stream: NodeJS.ReadableStream, fn: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
      fn(buffered.slice(0, i));
      buffered = buffered.slice(i + 1);
    }
  });
}

async function until<T>(find: () => T | undefined, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

test('echoArguments: JSON log, live stats every second, the certificate folder, port and host', () => {
  assert.equal(ECHO_STATS_INTERVAL_S, 1);
  assert.deepEqual(echoArguments({ port: 4242, host: '127.0.0.1', configDir: '/w/dtls-dev', allowRemote: false }),
    ['echo', '--json-log', '--stats-interval', '1', '--config-dir', '/w/dtls-dev', '--port', '4242', '--host', '127.0.0.1']);
  assert.equal(echoArguments({ port: 0, host: '0.0.0.0', configDir: '/c', allowRemote: true }).at(-1), '--allow-remote');
});

test('the status bar packet count moves from the CLI\'s stats records while a session is open', { timeout: 30_000 }, async () => {
  const log = new EchoLog();
  const events: string[] = [];
  const child = spawn(process.execPath, [main, ...echoArguments({ port: 0, host: '127.0.0.1', configDir: dir, allowRemote: false })], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  eachLine(child.stdout, (line) => {
    const record = log.stdoutLine(line);
    if (record) events.push(String(record.event));
  });
  eachLine(child.stderr, (line) => log.stderrLine(line));
  try {
    const port = await until(() => (log.snapshot.godotSnippet !== undefined ? log.snapshot.port : undefined), 15_000, 'the echo server to listen');
    assert.equal(statusBarText(log.snapshot), `$(radio-tower) DTLS echo :${port} · 0 sessions · 0 pkts`);
    const client = await connectDtlsUdp('127.0.0.1', port, { serverName: 'localhost', verify: { mode: 'none' } });
    try {
      for (const text of ['a', 'b', 'c', 'd']) {
        client.send(text);
        assert.equal(Buffer.from(await client.receive(3000)).toString('utf8'), text);
      }
      // Within a couple of stats intervals the bar shows the open session and its datagrams.
      const text = await until(() => {
        const s = log.snapshot;
        return s.echoes === 4 && s.sessions === 1 ? statusBarText(s) : undefined;
      }, 3500 * ECHO_STATS_INTERVAL_S, 'a stats record with the 4 echoes');
      const packets = Number(/· (\d+) pkts$/.exec(text)?.[1]);
      assert.match(text, new RegExp(`^\\$\\(radio-tower\\) DTLS echo :${port} · 1 session · \\d+ pkts$`));
      assert.ok(packets >= 10, `${packets} pkts: the handshake's and the 4 echoes' datagrams both ways`);
      assert.equal(events.includes('session-end'), false, 'the count came from stats, not from an ended session');
      assert.ok(events.includes('stats'));
    } finally {
      await client.close();
    }
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
  assert.equal(log.snapshot.sessions, 0);
});
