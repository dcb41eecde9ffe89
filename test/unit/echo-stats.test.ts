// `dtls-lab echo --stats-interval S`: the live counters as `stats` JSON lines (in process, real UDP
// on 127.0.0.1 with our own DTLS client), the human line without --json-log, and bad values.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { echoCommand, parseEchoArguments } from '../../engine/cli/echo-command';
import { connectDtlsUdp } from '../../engine/dtls';

const dir = mkdtempSync(join(tmpdir(), 'echo-stats-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(find: () => T | undefined, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Starts `echo ARGS` in process with a stop the test triggers; returns its output and port. */
function startEcho(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let stop!: (why: string) => void;
  let port = 0;
  const code = echoCommand(['--port', '0', '--config-dir', dir, ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    stopSignal: new Promise<string>((resolve) => (stop = resolve)),
    onListening: (server) => (port = server.address().port),
  });
  return { out, err, code, stop: (why = 'SIGTERM') => stop(why), port: () => waitFor(() => (port !== 0 ? port : undefined), 10_000, 'the echo server to listen') };
}

describe('echo --stats-interval', { timeout: 60_000 }, () => {
  it('prints {"event":"stats"} JSON lines whose counters move while a session is open', { timeout: 20_000 }, async () => {
    const echo = startEcho(['--json-log', '--stats-interval', '0.1']);
    const port = await echo.port();
    const records = () => echo.out.map((line) => JSON.parse(line) as Record<string, unknown>);
    const stats = () => records().filter((r) => r.event === 'stats');
    // Before any client: the records already come, with zero sessions.
    const idle = await waitFor(() => stats()[0], 5000, 'a first stats record');
    assert.equal(idle.sessions, 0);
    assert.equal(idle.datagramsIn, 0);
    assert.match(String(idle.time), /^\d{4}-\d{2}-\d{2}T/);

    const client = await connectDtlsUdp('127.0.0.1', port, { serverName: 'localhost', verify: { mode: 'none' } });
    try {
      for (const text of ['one', 'two', 'three']) {
        client.send(text);
        assert.equal(Buffer.from(await client.receive(3000)).toString('utf8'), text);
      }
      const seen = stats().length;
      const live = await waitFor(() => stats().slice(seen).find((r) => r.echoes === 3), 5000, 'a stats record with 3 echoes');
      // The session is still open: no session-end yet, and the record counts it.
      assert.equal(records().some((r) => r.event === 'session-end'), false);
      assert.equal(live.sessions, 1);
      assert.equal(live.handshakesCompleted, 1);
      assert.ok((live.datagramsIn as number) >= 5, `datagramsIn ${live.datagramsIn}: ClientHello ×2, Finished flight, 3 packets`);
      assert.ok((live.datagramsOut as number) >= 5, `datagramsOut ${live.datagramsOut}`);
      assert.deepEqual(live.dropped, {});
    } finally {
      await client.close();
    }
    echo.stop();
    assert.equal(await echo.code, 0);
    // The timer stops with the server: nothing after `stopped`.
    const events = records().map((r) => r.event);
    assert.equal(events.at(-1), 'stopped');
    const count = stats().length;
    await sleep(300);
    assert.equal(stats().length, count);
  });

  it('prints no stats records without --stats-interval', { timeout: 10_000 }, async () => {
    const echo = startEcho(['--json-log']);
    await echo.port();
    await sleep(400);
    echo.stop();
    assert.equal(await echo.code, 0);
    assert.equal(echo.out.some((line) => JSON.parse(line).event === 'stats'), false);
  });

  it('without --json-log prints a human "stats:" line', { timeout: 10_000 }, async () => {
    const echo = startEcho(['--stats-interval', '0.1']);
    await echo.port();
    const line = await waitFor(() => echo.out.find((t) => t.startsWith('stats: ')), 5000, 'a stats line');
    assert.match(line, /^stats: 0 open session\(s\); datagrams in 0, out 0; .*dropped: none$/);
    echo.stop();
    assert.equal(await echo.code, 0);
  });

  it('refuses a bad interval with a usage error (exit 2)', async () => {
    assert.equal(parseEchoArguments(['--stats-interval', '2.5']).statsIntervalS, 2.5);
    assert.equal(parseEchoArguments([]).statsIntervalS, undefined);
    for (const bad of ['0', '-1', 'soon', '']) {
      const err: string[] = [];
      const code = await echoCommand(['--stats-interval', bad, '--config-dir', dir], { out: () => undefined, err: (t) => err.push(t) });
      assert.equal(code, 2, bad);
      assert.match(err.join('\n'), /--stats-interval needs a number from 0\.05 to 3600/);
    }
  });
});
