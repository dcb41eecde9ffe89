// Real peers against `dtls-lab echo` (node dist/cli.js echo --port 0 --json-log, a child process):
// openssl s_client -dtls1_2 -CAfile, gnutls-cli --udp --x509cafile, a Godot 3.2.3 client that
// validates the certificate for host name "localhost", and the Godot 4 snippet the server prints,
// run in our sandbox over real UDP against the live server. Each gets its messages echoed.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readSnippets } from '../../engine/sandbox/document';
import { runPair } from '../../engine/sandbox/run-pair';
import { PeerProcess, repoFile, requireTool, runGodot3Script, TempDir, note } from './peer-harness';

const MESSAGES = ['first datagram', 'second datagram', 'third datagram, the last'];

interface LiveServer {
  process: PeerProcess;
  port: number;
  certPath: string;
  snippet: string;
  records(): Array<Record<string, unknown>>;
}

async function startEchoCli(dir: TempDir, extra: string[] = []): Promise<LiveServer> {
  const configDir = dir.subdir('config');
  const child = new PeerProcess(process.execPath, [repoFile('dist/cli.js'), 'echo', '--port', '0', '--config-dir', configDir, '--json-log', '--duration', '110', ...extra], {
    name: 'dtls-lab echo',
    timeoutSeconds: 120,
  });
  await child.waitFor(/# ---8<---[\s\S]*# ---8<---\n(Ctrl-C stops|Stops after)/, 10_000);
  const records = () =>
    child.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const listening = records().find((r) => r.event === 'listening');
  assert.ok(listening, child.output);
  const certPath = /certificate: (\S+)/.exec(child.stderr)?.[1];
  assert.ok(certPath, child.stderr);
  const snippet = /# ---8<---\n([\s\S]*?)\n# ---8<---/.exec(child.stderr)?.[1];
  assert.ok(snippet, child.stderr);
  return { process: child, port: Number(listening.port), certPath, snippet, records };
}

function lines(text: string): string[] {
  return text.split('\n').map((line) => line.replace(/\r$/, ''));
}

async function waitUntil(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('real DTLS peers against `dtls-lab echo`', { timeout: 110_000 }, () => {
  let dir: TempDir;
  let server: LiveServer;
  before(async () => {
    requireTool('openssl', 'openssl');
    dir = new TempDir();
    server = await startEchoCli(dir);
  });
  after(async () => {
    await server?.process.kill();
    dir?.remove();
  });

  /** Sends each line after the previous echo came back on the peer's stdout. */
  async function converse(peer: PeerProcess): Promise<void> {
    for (const message of MESSAGES) {
      peer.write(`${message}\n`);
      await waitUntil(() => lines(peer.stdout).includes(message), 5000);
      assert.ok(lines(peer.stdout).includes(message), `no echo of "${message}"; ${peer.name}:\n${peer.output}\nserver:\n${server.process.output.slice(-3000)}`);
    }
  }

  it('openssl s_client -dtls1_2 -CAfile <printed path> gets three echoes', { timeout: 20_000 }, async () => {
    const before = server.records().filter((r) => r.event === 'handshake').length;
    const peer = new PeerProcess('openssl', ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${server.port}`, '-CAfile', server.certPath, '-verify_return_error', '-quiet'], {
      timeoutSeconds: 18,
    });
    try {
      await peer.waitFor(/verify return:1/, 8000);
      await waitUntil(() => server.records().filter((r) => r.event === 'handshake').length > before, 3000);
      await converse(peer);
      const handshake = server.records().filter((r) => r.event === 'handshake').at(-1);
      note(`openssl s_client -> dtls-lab echo: ${String(handshake?.suite)} / ${String(handshake?.group)} in ${String(handshake?.handshakeMs)} ms`);
    } finally {
      await peer.kill();
    }
  });

  it('gnutls-cli --udp --x509cafile <printed path> gets three echoes', { timeout: 20_000 }, async () => {
    requireTool('gnutls-cli', 'gnutls-bin');
    const peer = new PeerProcess('gnutls-cli', ['--udp', '-p', String(server.port), '127.0.0.1', '--x509cafile', server.certPath], { timeoutSeconds: 18 });
    try {
      await peer.waitFor(/Simple Client Mode/, 8000);
      assert.match(peer.output, /Certificate is trusted|status: The certificate is trusted/i);
      await converse(peer);
    } finally {
      await peer.kill();
    }
  });

  it('a Godot 3.2.3 client (mbedTLS) validating the certificate for "localhost" gets three echoes', { timeout: 20_000 }, async () => {
    requireTool('godot3-server', 'godot3-server');
    const godot = runGodot3Script(
      repoFile('test/interop/godot3/dtls-echo-client.gd'),
      { DTLS_PORT: String(server.port), DTLS_CERT: server.certPath, DTLS_HOSTNAME: 'localhost', DTLS_VALIDATE: '1', DTLS_MESSAGES: MESSAGES.join('|'), DTLS_DEADLINE_MS: '14000' },
      dir.subdir('home'),
    );
    try {
      await godot.waitFor(/^RESULT /m, 17_000);
      assert.match(godot.stdout, /^RESULT ok$/m, `${godot.output}\nserver:\n${server.process.output.slice(-3000)}`);
      assert.deepEqual(
        lines(godot.stdout).filter((line) => line.startsWith('ECHO ')),
        MESSAGES.map((m) => `ECHO ${m}`),
      );
      // Godot sends close_notify (disconnect_from_peer): the server ends the session with that reason.
      const ended = () => server.records().some((r) => r.event === 'session-end' && r.reason === 'close_notify' && r.echoes === 3);
      await waitUntil(ended, 3000);
      assert.ok(ended(), server.process.output.slice(-3000));
    } finally {
      await godot.kill();
    }
  });

  it('the printed Godot 4 snippet, run in our sandbox, connects to the live server over real UDP and gets its echo', { timeout: 20_000 }, async () => {
    const document = `# @dtls server name=idle\nextends Node\n\n# @dtls client name=printed-snippet\n${server.snippet}\n`;
    const parsed = readSnippets(document, 'gdscript');
    assert.equal(parsed.pairs.length, 1, JSON.stringify(parsed.problems));
    const report = await runPair(parsed.pairs[0], { link: 'udp', timeoutMs: 4000 });
    const client = report.peers.find((p) => p.role === 'client');
    assert.ok(client, JSON.stringify(report, null, 2).slice(0, 3000));
    const prints = client.prints.map((p) => p.text);
    assert.ok(prints.some((text) => /echo: hello from Godot/.test(text)), `client printed ${JSON.stringify(prints)}; problems ${JSON.stringify(report.problems).slice(0, 2000)}\nserver:\n${server.process.output.slice(-2000)}`);
    assert.equal(client.finalStatus?.statusName, 'STATUS_CONNECTED');
  });

  it('--ecdsa: openssl and a validating Godot 3.2.3 client accept the generated P-256 certificate and get their echoes', { timeout: 20_000 }, async () => {
    requireTool('godot3-server', 'godot3-server');
    const ecdsa = await startEchoCli(dir, ['--ecdsa']);
    const peer = new PeerProcess('openssl', ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${ecdsa.port}`, '-CAfile', ecdsa.certPath, '-verify_return_error', '-quiet'], {
      timeoutSeconds: 15,
    });
    try {
      assert.match(ecdsa.certPath, /echo-server-ecdsa\.crt$/);
      await peer.waitFor(/verify return:1/, 8000);
      for (const message of MESSAGES) {
        peer.write(`${message}\n`);
        await waitUntil(() => lines(peer.stdout).includes(message), 5000);
        assert.ok(lines(peer.stdout).includes(message), peer.output);
      }
      const godot = runGodot3Script(
        repoFile('test/interop/godot3/dtls-echo-client.gd'),
        { DTLS_PORT: String(ecdsa.port), DTLS_CERT: ecdsa.certPath, DTLS_HOSTNAME: 'localhost', DTLS_VALIDATE: '1', DTLS_MESSAGES: MESSAGES.join('|'), DTLS_DEADLINE_MS: '10000' },
        dir.subdir('home-ecdsa'),
      );
      try {
        await godot.waitFor(/^RESULT /m, 12_000);
        assert.match(godot.stdout, /^RESULT ok$/m, godot.output);
        assert.equal(lines(godot.stdout).filter((line) => line.startsWith('ECHO ')).length, 3);
      } finally {
        await godot.kill();
      }
      const suites = ecdsa.records().filter((r) => r.event === 'handshake').map((r) => String(r.suite));
      assert.ok(suites.length >= 2 && suites.every((suite) => suite.startsWith('TLS_ECDHE_ECDSA_')), suites.join(', '));
      note(`--ecdsa: ${suites.join(', ')}`);
    } finally {
      await peer.kill();
      await ecdsa.process.kill();
    }
  });

  it('the server stops on SIGTERM and prints its counters', { timeout: 20_000 }, async () => {
    const other = await startEchoCli(dir, ['--uppercase']);
    try {
      await waitUntil(() => other.records().length > 0, 2000);
      await other.process.kill();
      // 'exit' can come before the last output is read: give the pipes a moment.
      await waitUntil(() => /stopped \(SIGTERM\)/.test(other.process.stderr) && other.records().at(-1)?.event === 'stopped', 2000);
      assert.match(other.process.stderr, /stopped \(SIGTERM\); datagrams in \d+/);
      assert.equal(other.records().at(-1)?.event, 'stopped');
    } finally {
      await other.process.kill();
    }
  });
});
