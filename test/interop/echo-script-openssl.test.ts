// `dtls-lab echo --script examples/echo-handler.gd` (a child process of the compiled CLI) answered by
// `openssl s_client -dtls1_2`: the handler's welcome, its answers with per-session state, and its
// prints as JSON log lines.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PeerProcess, repoFile, requireTool, TempDir } from './peer-harness';

// The CLI compiled next to this test (OUTDIR/engine/cli/main.js), so that it runs the code under test.
const cli = join(__dirname, '..', '..', 'engine', 'cli', 'main.js');

function lines(text: string): string[] {
  return text.split('\n').map((line) => line.replace(/\r$/, ''));
}

async function waitUntil(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('openssl s_client against `dtls-lab echo --script`', { timeout: 60_000 }, () => {
  let dir: TempDir;
  let server: PeerProcess;
  let port = 0;
  let certPath = '';
  before(async () => {
    requireTool('openssl', 'openssl');
    dir = new TempDir();
    server = new PeerProcess(process.execPath, [cli, 'echo', '--port', '0', '--config-dir', dir.subdir('config'), '--json-log', '--duration', '50', '--script', repoFile('examples/echo-handler.gd')], {
      name: 'dtls-lab echo --script',
      timeoutSeconds: 55,
    });
    await server.waitFor(/# ---8<---[\s\S]*# ---8<---\n(Ctrl-C stops|Stops after)/, 10_000);
    const listening = lines(server.stdout).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r.event === 'listening');
    assert.ok(listening, server.output);
    port = Number(listening.port);
    certPath = /certificate: (\S+)/.exec(server.stderr)?.[1] ?? '';
    assert.match(server.stderr, /\(script \S+echo-handler\.gd mode\)/);
  });
  after(async () => {
    await server?.kill();
    dir?.remove();
  });

  it('gets the welcome, the upper-cased numbered answers and the stats of its session', { timeout: 25_000 }, async () => {
    const peer = new PeerProcess('openssl', ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${port}`, '-CAfile', certPath, '-verify_return_error', '-quiet'], { timeoutSeconds: 20 });
    try {
      await peer.waitFor(/verify return:1/, 8000);
      await waitUntil(() => lines(peer.stdout).includes('welcome, client 1'), 5000);
      assert.ok(lines(peer.stdout).includes('welcome, client 1'), peer.output);
      // s_client sends each line with its newline; the example strips it and ends its answers with one.
      for (const [message, answer] of [['hello', '#1: HELLO'], ['dtls', '#2: DTLS'], ['stats', '3 packets in this session, 1 sessions so far']]) {
        peer.write(`${message}\n`);
        await waitUntil(() => lines(peer.stdout).includes(answer), 5000);
        assert.ok(lines(peer.stdout).includes(answer), `no "${answer}"; ${peer.output}\nserver:\n${server.output.slice(-3000)}`);
      }
      const records = () => lines(server.stdout).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      const prints = records().filter((r) => r.event === 'handler-print').map((r) => String(r.text));
      assert.ok(prints.some((p) => /^session 1 from 127\.0\.0\.1:\d+ \(TLS_ECDHE_RSA_WITH_/.test(p)), prints.join('\n'));
      assert.deepEqual(records().filter((r) => r.event === 'handler-error'), []);
    } finally {
      await peer.kill();
    }
  });
});
