// Our DTLS client against a real Godot 3.2.3 DTLSServer (mbedTLS), the peer our users actually
// have: test/interop/godot3/dtls-echo-server.gd runs in `godot3-server --no-window -s`, loads the
// key and certificate we write, answers the first ClientHello with a HelloVerifyRequest (that
// connection is dropped, the retried ClientHello arrives as a new one) and echoes datagrams.
// The test and the script talk through stdout lines (see the script's header).
//
// mbedTLS uses server preference (ChaCha20-Poly1305 first) and picks secp521r1 from our groups;
// we assert "one of our AEAD suites" and print what was negotiated.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectDtlsUdp, type DtlsEvent, type FlightEvent } from '../../engine/dtls';
import { ecdsaCredentials, rsaCredentials, type Credentials } from '../unit/dtls-helpers';
import {
  assertSupportedAeadSuite,
  describeEvents,
  ECHO_MESSAGES,
  echoExchange,
  freeUdpPort,
  note,
  repoFile,
  requireTool,
  runGodot3Script,
  TempDir,
} from './peer-harness';

const SCRIPT = 'test/interop/godot3/dtls-echo-server.gd';

const cases: Array<{ name: string; credentials: () => Credentials; authentication: 'rsa' | 'ec' }> = [
  { name: 'RSA-2048 certificate', credentials: rsaCredentials, authentication: 'rsa' },
  { name: 'ECDSA P-256 certificate', credentials: ecdsaCredentials, authentication: 'ec' },
];

describe('our client <-> Godot 3.2.3 DTLSServer (mbedTLS)', { timeout: 120_000 }, () => {
  let dir: TempDir;
  let script: string;
  before(() => {
    requireTool('godot3-server', 'godot3-server');
    script = repoFile(SCRIPT);
    dir = new TempDir();
  });
  after(() => dir?.remove());

  cases.forEach((testCase, index) => {
    it(`handshakes (after Godot's HelloVerifyRequest), echoes three datagrams, closes: ${testCase.name}`, { timeout: 20_000 }, async () => {
      const credentials = testCase.credentials();
      const files = dir.writeCredentials(`godot-server-${index}`, credentials);
      const port = await freeUdpPort();
      const godot = runGodot3Script(script, { DTLS_PORT: String(port), DTLS_KEY: files.key, DTLS_CERT: files.cert, DTLS_DEADLINE_MS: '14000' }, dir.subdir('home'));
      const events: DtlsEvent[] = [];
      try {
        await godot.waitFor(/^READY \d+$/m, 10_000);
        const started = performance.now();
        const client = await connectDtlsUdp('127.0.0.1', port, {
          serverName: 'localhost',
          verify: { mode: 'chain', trustedCaPems: [credentials.certificatePem], hostname: 'localhost' },
          onEvent: (event) => events.push(event),
        }).catch((error: unknown) => {
          throw new Error(`handshake with Godot failed: ${(error as Error).message}\nour events:\n${describeEvents(events)}\nGodot:\n${godot.output.slice(-2000)}`);
        });
        const elapsed = performance.now() - started;
        const negotiated = client.connection.negotiated!;
        try {
          assertSupportedAeadSuite(negotiated.suite, testCase.authentication);
          assert.ok(['x25519', 'secp256r1', 'secp384r1', 'secp521r1'].includes(negotiated.group), negotiated.group);
          assert.equal(negotiated.extendedMasterSecret, true);
          const received = events.filter((e): e is FlightEvent => e.type === 'flight' && e.direction === 'received' && !e.retransmission).map((e) => e.flight);
          assert.deepEqual(received, [2, 4, 6], 'Godot sends a HelloVerifyRequest first');
          await echoExchange(client);
        } finally {
          await client.close();
        }
        await godot.waitFor(/^DISCONNECTED \d+$/m, 5000);
        assert.equal(await godot.waitForExit(5000), 0, godot.output);

        const lines = godot.stdout.split('\n');
        assert.deepEqual(lines.filter((line) => line.startsWith('ECHO ')), ECHO_MESSAGES.map((m) => `ECHO ${m}`));
        // The connection that got the HelloVerifyRequest reads as STATUS_ERROR and is dropped;
        // the ClientHello with the cookie comes in as a second connection that completes.
        const protocol = lines.filter((line) => /^(TAKE|DROP|CONNECTED)/.test(line));
        assert.match(protocol[0] ?? '', /^TAKE [13]$/, godot.output);
        assert.equal(protocol[1], 'DROP 3', godot.output);
        assert.ok(protocol.includes('CONNECTED'), godot.output);
        note(`Godot 3.2.3 DTLSServer (${testCase.name}): ${negotiated.suite} / ${negotiated.group} / ${negotiated.signatureScheme}, handshake ${elapsed.toFixed(0)} ms`);
      } finally {
        await godot.kill();
      }
    });
  });
});
