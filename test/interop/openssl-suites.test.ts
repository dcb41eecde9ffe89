// Every cipher suite (and the P-384/P-521 groups and certificates) pinned once against OpenSSL 3.0,
// in both directions: our client <-> `openssl s_server -cipher X`, and `openssl s_client -cipher X`
// <-> our DtlsUdpServer (echo). Each case: handshake, three messages each way, close_notify.
// OpenSSL 3.0 has no TLS_ECDHE_PSK_WITH_AES_*_GCM (RFC 8442, 0xD001/0xD002): those two are tested
// ours <-> ours only (test/unit/dtls-suites.test.ts).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  connectDtlsUdp,
  DtlsHandshakeError,
  DtlsUdpServer,
  type DtlsEvent,
  type GroupName,
  type HandshakeCompleteEvent,
  type SuiteSelectionEvent,
} from '../../engine/dtls';
import { ecdsaCredentials, ecdsaCurveCredentials, rsaCredentials, type Credentials } from '../unit/dtls-helpers';
import { freeUdpPort, OpensslProcess, TempDir } from './openssl-helpers';

const PSK_HEX = '1a2b3c4d5e6f708192a3b4c5d6e7f801';
const PSK_IDENTITY = 'godot-lab';

type Auth = 'rsa' | 'ecdsa' | 'ecdsa-p384' | 'ecdsa-p521' | 'psk';

interface SuiteCase {
  /** OpenSSL's name, for -cipher. */
  openssl: string;
  suite: string;
  auth: Auth;
  /** OpenSSL -groups value, when the group is pinned. */
  opensslGroup?: 'P-256' | 'P-384' | 'P-521' | 'X25519';
  /** Group we expect on our side ('psk' for plain PSK). */
  group: string;
  /** Identity hint on the server side (plain PSK). */
  hint?: string;
}

const CASES: SuiteCase[] = [
  { openssl: 'ECDHE-ECDSA-AES128-GCM-SHA256', suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', auth: 'ecdsa', group: 'x25519' },
  { openssl: 'ECDHE-RSA-AES128-GCM-SHA256', suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', auth: 'rsa', opensslGroup: 'P-256', group: 'secp256r1' },
  { openssl: 'ECDHE-ECDSA-AES256-GCM-SHA384', suite: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', auth: 'ecdsa-p384', opensslGroup: 'P-384', group: 'secp384r1' },
  { openssl: 'ECDHE-RSA-AES256-GCM-SHA384', suite: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', auth: 'rsa', opensslGroup: 'P-521', group: 'secp521r1' },
  { openssl: 'ECDHE-ECDSA-CHACHA20-POLY1305', suite: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', auth: 'ecdsa-p521', opensslGroup: 'P-521', group: 'secp521r1' },
  { openssl: 'ECDHE-RSA-CHACHA20-POLY1305', suite: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', auth: 'rsa', opensslGroup: 'P-384', group: 'secp384r1' },
  { openssl: 'PSK-AES128-GCM-SHA256', suite: 'TLS_PSK_WITH_AES_128_GCM_SHA256', auth: 'psk', group: 'psk' },
  { openssl: 'PSK-AES256-GCM-SHA384', suite: 'TLS_PSK_WITH_AES_256_GCM_SHA384', auth: 'psk', group: 'psk', hint: 'lab-hint' },
  { openssl: 'PSK-CHACHA20-POLY1305', suite: 'TLS_PSK_WITH_CHACHA20_POLY1305_SHA256', auth: 'psk', group: 'psk' },
  { openssl: 'ECDHE-PSK-CHACHA20-POLY1305', suite: 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256', auth: 'psk', opensslGroup: 'P-384', group: 'secp384r1' },
];

function credentialsFor(auth: Auth): Credentials {
  switch (auth) {
    case 'rsa':
      return rsaCredentials();
    case 'ecdsa':
      return ecdsaCredentials();
    case 'ecdsa-p384':
      return ecdsaCurveCredentials('secp384r1');
    case 'ecdsa-p521':
      return ecdsaCurveCredentials('secp521r1');
    case 'psk':
      throw new Error('PSK cases have no certificate');
  }
}

const EXPECTED_CURVE_SCHEME: Partial<Record<Auth, RegExp>> = {
  ecdsa: /^ecdsa_/,
  'ecdsa-p384': /^ecdsa_/,
  'ecdsa-p521': /^ecdsa_/,
  rsa: /^rsa_/,
};

describe('our client <-> openssl s_server, one case per suite', { timeout: 240_000 }, () => {
  let dir: TempDir;
  before(() => {
    dir = new TempDir();
  });
  after(() => dir.remove());

  for (const [index, testCase] of CASES.entries()) {
    const label = `${testCase.openssl}${testCase.opensslGroup ? ` -groups ${testCase.opensslGroup}` : ''}${testCase.hint ? ' -psk_hint' : ''}`;
    it(`negotiates ${testCase.suite} (s_server -cipher ${label})`, { timeout: 20_000 }, async () => {
      const port = await freeUdpPort();
      const args = ['s_server', '-dtls1_2', '-accept', `127.0.0.1:${port}`, '-naccept', '1', '-mtu', '1400', '-cipher', testCase.openssl];
      let trusted: string | undefined;
      if (testCase.auth === 'psk') {
        args.push('-nocert', '-psk', PSK_HEX, '-psk_identity', PSK_IDENTITY);
        if (testCase.hint) args.push('-psk_hint', testCase.hint);
      } else {
        const credentials = credentialsFor(testCase.auth);
        const files = dir.writeCredentials(`server-${index}`, credentials);
        args.push('-cert', files.cert, '-key', files.key);
        trusted = credentials.certificatePem;
      }
      if (testCase.opensslGroup) args.push('-groups', testCase.opensslGroup);
      const server = new OpensslProcess(args, 18);
      try {
        await server.waitFor(/ACCEPT/);
        const hints: string[] = [];
        const events: DtlsEvent[] = [];
        const client = await connectDtlsUdp('127.0.0.1', port, {
          verify: trusted ? { mode: 'chain', trustedCaPems: [trusted], hostname: 'localhost' } : { mode: 'none' },
          ...(testCase.auth === 'psk'
            ? { psk: (hint: string) => (hints.push(hint), { identity: PSK_IDENTITY, key: Buffer.from(PSK_HEX, 'hex') }) }
            : {}),
          onEvent: (event) => events.push(event),
        });
        try {
          const negotiated = client.connection.negotiated!;
          assert.equal(negotiated.suite, testCase.suite);
          assert.equal(negotiated.group, testCase.group);
          assert.equal(negotiated.extendedMasterSecret, true);
          if (testCase.auth === 'psk') {
            assert.equal(negotiated.signatureScheme, 'none');
            assert.equal(negotiated.pskIdentity, PSK_IDENTITY);
            assert.deepEqual(hints, [testCase.hint ?? '']);
          } else {
            assert.match(negotiated.signatureScheme, EXPECTED_CURVE_SCHEME[testCase.auth]!);
          }
          const complete = events.find((e): e is HandshakeCompleteEvent => e.type === 'handshake-complete');
          assert.equal(complete?.suite, testCase.suite);
          for (let n = 1; n <= 3; n++) {
            client.send(`message ${n} from node\n`);
            await server.waitFor(new RegExp(`message ${n} from node`));
            server.write(`reply ${n} from openssl\n`);
            assert.equal(Buffer.from(await client.receive(5000)).toString(), `reply ${n} from openssl\n`);
          }
        } finally {
          await client.close();
        }
        await server.waitFor(/DONE|CONNECTION CLOSED|shutting down/i);
        // OpenSSL agrees on the suite it printed for the session.
        assert.match(server.output, new RegExp(`CIPHER is ${testCase.openssl}`));
      } finally {
        await server.kill();
      }
    });
  }

  it('our client reports a PSK mismatch from s_server as a failure, not a hang', { timeout: 20_000 }, async () => {
    const port = await freeUdpPort();
    const server = new OpensslProcess(
      ['s_server', '-dtls1_2', '-accept', `127.0.0.1:${port}`, '-naccept', '1', '-nocert', '-cipher', 'PSK-AES128-GCM-SHA256', '-psk', PSK_HEX, '-psk_identity', PSK_IDENTITY],
      18,
    );
    try {
      await server.waitFor(/ACCEPT/);
      const failure = await connectDtlsUdp('127.0.0.1', port, {
        verify: { mode: 'none' },
        psk: { identity: PSK_IDENTITY, key: Buffer.from('00'.repeat(16), 'hex') },
        handshakeTimeoutMs: 4000,
        initialRetransmitMs: 300,
      }).then(
        () => assert.fail('the handshake should fail'),
        (error: unknown) => error,
      );
      assert.ok(failure instanceof DtlsHandshakeError, String(failure));
      // OpenSSL drops the undecryptable Finished and waits; our client gives up at its timeout, or
      // gets an alert if OpenSSL sends one.
      assert.match(failure.kind, /handshake-timeout|peer-alert|decrypt-error/);
      process.stdout.write(`# our client, wrong PSK against s_server: ${failure.kind}: ${failure.message}\n`);
    } finally {
      await server.kill();
    }
  });
});

describe('openssl s_client <-> our DtlsUdpServer (echo), one case per suite', { timeout: 240_000 }, () => {
  let dir: TempDir;
  before(() => {
    dir = new TempDir();
  });
  after(() => dir.remove());

  async function runClient(
    testCase: SuiteCase,
    server: DtlsUdpServer,
    events: DtlsEvent[],
    caFile: string | undefined,
    extraArgs: string[] = [],
  ): Promise<OpensslProcess> {
    const args = ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${server.address().port}`, '-cipher', testCase.openssl, ...extraArgs];
    if (caFile) args.push('-CAfile', caFile, '-verify_return_error');
    if (testCase.auth === 'psk') args.push('-psk', PSK_HEX, '-psk_identity', PSK_IDENTITY);
    if (testCase.opensslGroup) args.push('-groups', testCase.opensslGroup);
    const client = new OpensslProcess(args, 18);
    await client.waitFor(/CONNECTED|Cipher is/);
    for (let n = 1; n <= 3; n++) {
      client.write(`line ${n} typed into s_client\n`);
      // s_client does not print what it sends: each line on its stdout is our echo.
      await client.waitFor(new RegExp(`line ${n} typed into s_client\\n`));
    }
    client.endInput();
    await client.waitForExit(10_000);
    assert.ok(
      events.some((e) => e.type === 'alert' && e.direction === 'received' && e.description === 'close_notify'),
      'our server got no close_notify',
    );
    return client;
  }

  for (const [index, testCase] of CASES.entries()) {
    // Alternate PSK-only servers and servers with a certificate and a pskCallback.
    const pskOnly = testCase.auth === 'psk' && index % 2 === 0;
    const label = `${testCase.openssl}${testCase.opensslGroup ? ` -groups ${testCase.opensslGroup}` : ''}${pskOnly ? ', PSK-only server' : ''}`;
    it(`negotiates ${testCase.suite} (s_client -cipher ${label})`, { timeout: 20_000 }, async () => {
      const events: DtlsEvent[] = [];
      const credentials = testCase.auth === 'psk' ? (pskOnly ? undefined : rsaCredentials()) : credentialsFor(testCase.auth);
      const server = await DtlsUdpServer.listen({
        host: '127.0.0.1',
        ...(credentials ?? {}),
        ...(testCase.auth === 'psk'
          ? { pskCallback: (identity: string) => (identity === PSK_IDENTITY ? Buffer.from(PSK_HEX, 'hex') : undefined) }
          : {}),
        ...(testCase.hint ? { pskIdentityHint: testCase.hint } : {}),
        onEvent: (_address, event) => events.push(event),
        onData: (connection, data) => connection.sendApplicationData(data),
      });
      let client: OpensslProcess | undefined;
      try {
        const caFile = credentials && testCase.auth !== 'psk' ? dir.writeCredentials(`ours-${index}`, credentials).cert : undefined;
        client = await runClient(testCase, server, events, caFile);
        const complete = events.find((e): e is HandshakeCompleteEvent => e.type === 'handshake-complete');
        assert.equal(complete?.suite, testCase.suite);
        assert.equal(complete?.group, testCase.group);
        assert.equal(complete?.extendedMasterSecret, true);
        const selection = events.find((e): e is SuiteSelectionEvent => e.type === 'suite-selection');
        assert.equal(selection?.suite, testCase.suite);
        assert.match(client.output, new RegExp(`Cipher is ${testCase.openssl}`));
        if (testCase.auth !== 'psk') assert.match(client.output, /Verify return code: 0 \(ok\)/);
      } finally {
        await client?.kill();
        await server.close();
      }
    });
  }

  // Our server signs ServerKeyExchange with what s_client's signature_algorithms allow.
  const sigalgCases: Array<{ sigalgs: string; auth: Auth; openssl: string; suite: string; scheme: string }> = [
    { sigalgs: 'RSA+SHA384', auth: 'rsa', openssl: 'ECDHE-RSA-AES128-GCM-SHA256', suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', scheme: 'rsa_pkcs1_sha384' },
    { sigalgs: 'rsa_pss_rsae_sha512:RSA+SHA256', auth: 'rsa', openssl: 'ECDHE-RSA-AES256-GCM-SHA384', suite: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', scheme: 'rsa_pss_rsae_sha512' },
    { sigalgs: 'ECDSA+SHA512:ECDSA+SHA384:ECDSA+SHA256', auth: 'ecdsa-p384', openssl: 'ECDHE-ECDSA-AES128-GCM-SHA256', suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', scheme: 'ecdsa_secp384r1_sha384' },
    { sigalgs: 'ECDSA+SHA256', auth: 'ecdsa-p521', openssl: 'ECDHE-ECDSA-AES256-GCM-SHA384', suite: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', scheme: 'ecdsa_secp256r1_sha256' },
  ];
  for (const [index, sigalgCase] of sigalgCases.entries()) {
    it(`signs with ${sigalgCase.scheme} for s_client -sigalgs ${sigalgCase.sigalgs}`, { timeout: 20_000 }, async () => {
      const events: DtlsEvent[] = [];
      const credentials = credentialsFor(sigalgCase.auth);
      const server = await DtlsUdpServer.listen({
        host: '127.0.0.1',
        ...credentials,
        onEvent: (_address, event) => events.push(event),
        onData: (connection, data) => connection.sendApplicationData(data),
      });
      let client: OpensslProcess | undefined;
      try {
        const caFile = dir.writeCredentials(`sigalg-${index}`, credentials).cert;
        const testCase: SuiteCase = { openssl: sigalgCase.openssl, suite: sigalgCase.suite, auth: sigalgCase.auth, group: 'x25519' };
        client = await runClient(testCase, server, events, caFile, ['-sigalgs', sigalgCase.sigalgs]);
        const selection = events.find((e): e is SuiteSelectionEvent => e.type === 'suite-selection');
        assert.equal(selection?.suite, sigalgCase.suite);
        assert.equal(selection?.signatureScheme, sigalgCase.scheme);
        const complete = events.find((e): e is HandshakeCompleteEvent => e.type === 'handshake-complete');
        assert.equal(complete?.signatureScheme, sigalgCase.scheme);
      } finally {
        await client?.kill();
        await server.close();
      }
    });
  }

  it('refuses s_client offering only CBC suites, naming them', { timeout: 20_000 }, async () => {
    const events: DtlsEvent[] = [];
    const server = await DtlsUdpServer.listen({ host: '127.0.0.1', ...rsaCredentials(), onEvent: (_address, event) => events.push(event) });
    const client = new OpensslProcess(
      ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${server.address().port}`, '-cipher', 'ECDHE-RSA-AES128-SHA:AES256-SHA256'],
      18,
    );
    try {
      client.endInput();
      await client.waitForExit(10_000);
      const failure = events.find((e) => e.type === 'failure');
      assert.ok(failure && failure.type === 'failure', 'our server did not fail');
      assert.equal(failure.kind, 'handshake-failure');
      assert.match(
        failure.message,
        /^the client offered only CBC suites \(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA256\); this engine supports AEAD suites only/,
      );
      assert.match(client.output, /handshake failure/i);
    } finally {
      await client.kill();
      await server.close();
    }
  });

  it('answers s_client with a wrong PSK with bad_record_mac, and an unknown identity with unknown_psk_identity', { timeout: 20_000 }, async () => {
    for (const [identity, key, kind, alert] of [
      [PSK_IDENTITY, '00'.repeat(16), 'decrypt-error', /bad record mac/i],
      ['somebody-else', PSK_HEX, 'unknown-psk-identity', /unknown psk identity/i],
    ] as const) {
      const events: DtlsEvent[] = [];
      const server = await DtlsUdpServer.listen({
        host: '127.0.0.1',
        pskCallback: (name) => (name === PSK_IDENTITY ? Buffer.from(PSK_HEX, 'hex') : undefined),
        onEvent: (_address, event) => events.push(event),
      });
      const client = new OpensslProcess(
        ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${server.address().port}`, '-cipher', 'PSK-AES128-GCM-SHA256', '-psk', key, '-psk_identity', identity],
        18,
      );
      try {
        await client.waitForExit(10_000);
        const failure = events.find((e) => e.type === 'failure');
        assert.ok(failure && failure.type === 'failure', 'our server did not fail');
        assert.equal(failure.kind, kind);
        assert.match(client.output, alert);
      } finally {
        await client.kill();
        await server.close();
      }
    }
  });
});

// Groups of the Godot 3 client (secp521r1 first, no x25519) against our server, via OpenSSL.
describe('openssl s_client with Godot-like groups <-> our DtlsUdpServer', { timeout: 60_000 }, () => {
  for (const [groups, preferClientOrder, expected] of [
    ['P-521:P-384:P-256', false, 'secp256r1'],
    ['P-521:P-384:P-256', true, 'secp521r1'],
  ] as Array<[string, boolean, GroupName]>) {
    it(`-groups ${groups}${preferClientOrder ? ' with preferClientOrder' : ''} gives ${expected}`, { timeout: 20_000 }, async () => {
      const events: DtlsEvent[] = [];
      const server = await DtlsUdpServer.listen({
        host: '127.0.0.1',
        ...rsaCredentials(),
        preferClientOrder,
        onEvent: (_address, event) => events.push(event),
        onData: (connection, data) => connection.sendApplicationData(data),
      });
      const client = new OpensslProcess(['s_client', '-dtls1_2', '-connect', `127.0.0.1:${server.address().port}`, '-groups', groups], 18);
      try {
        client.write('group check\n');
        await client.waitFor(/group check\n/);
        client.endInput();
        await client.waitForExit(10_000);
        const complete = events.find((e): e is HandshakeCompleteEvent => e.type === 'handshake-complete');
        assert.equal(complete?.group, expected);
      } finally {
        await client.kill();
        await server.close();
      }
    });
  }
});
