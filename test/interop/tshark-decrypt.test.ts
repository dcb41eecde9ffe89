// Capture export: our client and our server talk over an in-memory link, every datagram goes into
// a pcapng file (engine/dtls/pcap-writer.ts) with IPv4/UDP headers, the client's `onKeyLog` writes
// an SSLKEYLOGFILE, and tshark (Wireshark 4) must decode the capture as DTLS on the server port and
// decrypt the application data and the close_notify alerts with the key log.
// tshark is required: if it is missing the tests fail and say how to install it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DtlsConnection, DtlsServerEndpoint, type Clock } from '../../engine/dtls';
import { internetChecksum, PcapngWriter, type PcapLinkType } from '../../engine/dtls/pcap-writer';
import { ecdsaCredentials, rsaCredentials, type Credentials } from '../unit/dtls-helpers';
import { note, requireTool, TempDir, tshark } from './peer-harness';

const CLIENT = '127.0.0.1:50123';
const SERVER_PORT = 4433;
const SERVER = `127.0.0.1:${SERVER_PORT}`;
const KEY_LOG_LINE = /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/;

interface Session {
  writer: PcapngWriter;
  clientKeyLog: string[];
  serverKeyLog: string[];
  suite: string | undefined;
  clientReceived: string[];
  serverReceived: string[];
}

/**
 * Our client <-> our server endpoint over an in-memory link (1 ms per hop on a clock that starts at
 * the current wall time), recording every datagram; the client says `hello`, the server answers,
 * then the client closes.
 */
function capturedSession(credentials: Credentials, suite: string, linkType: PcapLinkType): Session {
  const writer = new PcapngWriter({ linkType });
  const start = Date.now();
  let elapsed = 0;
  const clock: Clock = { now: () => elapsed };
  const queue: Array<{ to: 'client' | 'server'; data: Buffer }> = [];
  const clientKeyLog: string[] = [];
  const serverKeyLog: string[] = [];
  let serverConnection: DtlsConnection | undefined;

  const client = new DtlsConnection({
    role: 'client',
    clock,
    send: (data) => {
      writer.record({ timestampMs: start + elapsed, source: CLIENT, destination: SERVER, data });
      queue.push({ to: 'server', data: Buffer.from(data) });
    },
    verify: { mode: 'chain', trustedCaPems: [credentials.certificatePem], hostname: 'localhost' },
    serverName: 'localhost',
    cipherSuites: [suite],
    onKeyLog: (line) => clientKeyLog.push(line),
  });
  const endpoint = new DtlsServerEndpoint({
    clock,
    ...credentials,
    sendTo: (_address, data) => {
      writer.record({ timestampMs: start + elapsed, source: SERVER, destination: CLIENT, data });
      queue.push({ to: 'client', data: Buffer.from(data) });
    },
    onKeyLog: (line) => serverKeyLog.push(line),
    onConnection: (connection) => {
      serverConnection = connection;
    },
  });
  const pump = () => {
    for (let guard = 0; queue.length > 0; guard++) {
      assert.ok(guard < 1000, 'in-memory link did not settle');
      const next = queue.shift()!;
      elapsed += 1;
      if (next.to === 'server') endpoint.receive(CLIENT, next.data);
      else client.receive(next.data);
    }
  };
  const drain = (connection: DtlsConnection | undefined, into: string[]) => {
    for (let data = connection?.readApplicationData(); data; data = connection?.readApplicationData()) into.push(Buffer.from(data).toString('utf8'));
  };

  client.start();
  pump();
  assert.equal(client.state, 'connected', `handshake failed: ${client.failure?.message}`);
  const clientReceived: string[] = [];
  const serverReceived: string[] = [];
  client.sendApplicationData(Buffer.from('hello'));
  pump();
  drain(serverConnection, serverReceived);
  serverConnection!.sendApplicationData(Buffer.from('hello from our server'));
  pump();
  drain(client, clientReceived);
  client.close();
  pump();
  assert.equal(serverConnection?.state, 'closed');
  return { writer, clientKeyLog, serverKeyLog, suite: client.negotiated?.suite, clientReceived, serverReceived };
}

describe('pcapng export + key log: tshark decrypts our DTLS', { timeout: 120_000 }, () => {
  let dir: TempDir;
  before(() => {
    requireTool('tshark', 'tshark');
    dir = new TempDir();
  });
  after(() => dir?.remove());

  it('writes a pcapng whose IPv4/UDP headers tshark accepts (checksums verified), for both link types', { timeout: 20_000 }, async () => {
    for (const linkType of ['ethernet', 'raw-ipv4'] as const) {
      const writer = new PcapngWriter({ linkType });
      const at = Date.UTC(2024, 0, 2, 3, 4, 5, 678) + 0.123; // fractional ms survive as microseconds
      writer.record({ timestampMs: at, source: '127.0.0.1:40000', destination: '10.1.2.3:4433', data: Buffer.from('odd length!'), comment: 'first' });
      writer.record({ timestampMs: at + 1.5, source: '10.1.2.3:4433', destination: '127.0.0.1:40000', data: Buffer.alloc(1200, 0xab) });
      writer.record({ timestampMs: at + 2, source: '192.168.0.255:65535', destination: '127.0.0.1:1', data: Buffer.alloc(0) });
      const bytes = writer.toBuffer();

      // Structure: SHB (byte-order magic), IDB (link type), three EPBs, each block length repeated at its end.
      assert.equal(bytes.readUInt32LE(0), 0x0a0d0d0a);
      assert.equal(bytes.readUInt32LE(8), 0x1a2b3c4d);
      const blocks: Array<{ type: number; offset: number; length: number }> = [];
      for (let offset = 0; offset < bytes.length; ) {
        const length = bytes.readUInt32LE(offset + 4);
        assert.equal(length % 4, 0);
        assert.equal(bytes.readUInt32LE(offset + length - 4), length);
        blocks.push({ type: bytes.readUInt32LE(offset), offset, length });
        offset += length;
      }
      assert.deepEqual(blocks.map((b) => b.type), [0x0a0d0d0a, 1, 6, 6, 6]);
      assert.equal(bytes.readUInt16LE(blocks[1]!.offset + 8), linkType === 'ethernet' ? 1 : 101);
      const epb = blocks[2]!.offset;
      const micros = (BigInt(bytes.readUInt32LE(epb + 12)) << 32n) | BigInt(bytes.readUInt32LE(epb + 16));
      assert.equal(micros, BigInt(Math.round(at * 1000)));
      const ip = epb + 28 + (linkType === 'ethernet' ? 14 : 0);
      assert.equal(internetChecksum(bytes.subarray(ip, ip + 20)), 0, 'IPv4 header checksum verifies');
      assert.equal(bytes.readUInt16BE(ip + 2), 20 + 8 + 11);
      assert.equal(bytes.readUInt16BE(ip + 20 + 4), 8 + 11, 'UDP length');

      const file = dir.write(`headers-${linkType}.pcapng`, bytes);
      const fields = await tshark([
        '-r', file, '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
        '-T', 'fields', '-E', 'separator=,', '-e', 'ip.src', '-e', 'udp.srcport', '-e', 'ip.dst', '-e', 'udp.dstport',
        '-e', 'udp.length', '-e', 'ip.checksum.status', '-e', 'udp.checksum.status', '-e', 'frame.time_epoch', '-e', 'frame.comment',
      ]);
      const rows = fields.trim().split('\n').map((line) => line.split(','));
      assert.equal(rows.length, 3, fields);
      // checksum.status 1 = Good (0 Bad, 2 Unverified)
      assert.deepEqual(rows[0]!.slice(0, 7), ['127.0.0.1', '40000', '10.1.2.3', '4433', '19', '1', '1']);
      assert.deepEqual(rows[1]!.slice(0, 7), ['10.1.2.3', '4433', '127.0.0.1', '40000', '1208', '1', '1']);
      assert.deepEqual(rows[2]!.slice(0, 7), ['192.168.0.255', '65535', '127.0.0.1', '1', '8', '1', '1']);
      assert.equal(rows[0]![7], (at / 1000).toFixed(6) + '000');
      assert.equal(rows[0]![8], 'first');
    }
  });

  it('rejects what it cannot write: IPv6 and oversized datagrams', () => {
    const writer = new PcapngWriter();
    assert.throws(() => writer.record({ timestampMs: 0, source: '[::1]:1', destination: '127.0.0.1:2', data: Buffer.alloc(1) }), RangeError);
    assert.throws(() => writer.record({ timestampMs: 0, source: '127.0.0.1:1', destination: '127.0.0.1:2', data: Buffer.alloc(70_000) }), RangeError);
    assert.equal(writer.packetCount, 0);
  });

  const cases: Array<{ credentials: () => Credentials; suite: string; linkType: PcapLinkType }> = [
    { credentials: rsaCredentials, suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', linkType: 'ethernet' },
    { credentials: ecdsaCredentials, suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', linkType: 'ethernet' },
    { credentials: ecdsaCredentials, suite: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', linkType: 'raw-ipv4' },
    { credentials: rsaCredentials, suite: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', linkType: 'raw-ipv4' },
  ];

  for (const testCase of cases) {
    it(`tshark decrypts "hello" with our key log: ${testCase.suite} (${testCase.linkType})`, { timeout: 20_000 }, async () => {
      const session = capturedSession(testCase.credentials(), testCase.suite, testCase.linkType);
      assert.equal(session.suite, testCase.suite);
      assert.deepEqual(session.serverReceived, ['hello']);
      assert.deepEqual(session.clientReceived, ['hello from our server']);
      assert.equal(session.clientKeyLog.length, 1, 'one key log line per handshake (client onKeyLog)');
      assert.match(session.clientKeyLog[0]!, KEY_LOG_LINE);
      assert.deepEqual(session.serverKeyLog, session.clientKeyLog, 'both sides log the same CLIENT_RANDOM line');

      const name = testCase.suite.toLowerCase();
      const capture = dir.write(`${name}.pcapng`, session.writer.toBuffer());
      const keyLog = dir.write(`${name}.keys`, `${session.clientKeyLog.join('\n')}\n`);
      const common = ['-r', capture, '-d', `udp.port==${SERVER_PORT},dtls`, '-o', `tls.keylog_file:${keyLog}`];

      const decrypted = await tshark([...common, '-Y', 'dtls.app_data', '-T', 'fields', '-e', 'udp.srcport', '-e', 'data.data']);
      const rows = decrypted.trim().split('\n').map((line) => line.split('\t'));
      assert.deepEqual(
        rows.map(([port, hex]) => [port, Buffer.from(hex ?? '', 'hex').toString('utf8')]),
        [
          ['50123', 'hello'],
          [String(SERVER_PORT), 'hello from our server'],
        ],
        `tshark fields:\n${decrypted}`,
      );
      const dump = await tshark([...common, '-Y', 'dtls.app_data', '-x']);
      assert.match(dump, /Decrypted DTLS \(5 bytes\):\n0000 {2}68 65 6c 6c 6f {2,}.*hello/);

      // The handshake decodes too, and the encrypted alerts decrypt to close_notify both ways.
      const info = await tshark([...common, '-T', 'fields', '-e', '_ws.col.Info']);
      assert.match(info, /Client Hello/);
      assert.match(info, /Hello Verify Request/);
      assert.match(info, /Server Hello, Certificate, Server Key Exchange, Server Hello Done/);
      const alerts = await tshark([...common, '-Y', 'dtls.alert_message', '-T', 'fields', '-e', 'dtls.alert_message.level', '-e', 'dtls.alert_message.desc']);
      assert.deepEqual(alerts.trim().split('\n'), ['1\t0', '1\t0'], `alerts:\n${alerts}`);

      // Without the key log nothing decrypts: the assertion above really depends on onKeyLog.
      const withoutKeys = await tshark(['-r', capture, '-d', `udp.port==${SERVER_PORT},dtls`, '-Y', 'dtls.app_data', '-T', 'fields', '-e', 'data.data']);
      assert.equal(withoutKeys.trim().split('\n').filter((line) => line.trim() !== '').length, 0, withoutKeys);
    });
  }

  // tshark 4.0 (Debian 12) builds the DTLS 1.2 ChaCha20-Poly1305 nonce from the 48-bit sequence
  // number without the epoch (its debug log shows "tls_decrypt_aead_record seq 0 ... auth tag
  // mismatch"), so it cannot decrypt ChaCha20 DTLS, not even an OpenSSL<->OpenSSL capture. GnuTLS and
  // mbedTLS (Godot) interoperate with our ChaCha20 records (see the gnutls-* and godot3-* tests).
  // This case checks that the key log is found and the failure is exactly that nonce mismatch; on a
  // tshark that decrypts it, it asserts the plaintext like the AES cases.
  it('ChaCha20-Poly1305: tshark finds our key (decrypts it, or fails only on its known DTLS nonce bug)', { timeout: 20_000 }, async () => {
    const suite = 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256';
    const session = capturedSession(rsaCredentials(), suite, 'ethernet');
    assert.equal(session.suite, suite);
    assert.match(session.clientKeyLog[0] ?? '', KEY_LOG_LINE);
    const capture = dir.write('chacha.pcapng', session.writer.toBuffer());
    const keyLog = dir.write('chacha.keys', `${session.clientKeyLog.join('\n')}\n`);
    const debugLog = `${dir.path}/chacha-tls-debug.txt`;
    const fields = await tshark([
      '-r', capture, '-d', `udp.port==${SERVER_PORT},dtls`, '-o', `tls.keylog_file:${keyLog}`, '-o', `tls.debug_file:${debugLog}`,
      '-Y', 'dtls.app_data', '-T', 'fields', '-e', 'data.data',
    ]);
    const decrypted = fields.trim().split('\n').filter((line) => line.trim() !== '').map((hex) => Buffer.from(hex, 'hex').toString('utf8'));
    if (decrypted.length > 0) {
      assert.deepEqual(decrypted, ['hello', 'hello from our server']);
      note('tshark decrypts DTLS ChaCha20-Poly1305');
      return;
    }
    const debug = readFileSync(debugLog, 'utf8');
    assert.match(debug, /cipher suite 0xCCA8 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256/);
    assert.match(debug, /ssl_change_cipher CLIENT/, 'tshark derived the keys from our key log');
    assert.match(debug, /tls_decrypt_aead_record auth tag mismatch/);
    const version = (await tshark(['--version'])).split('\n')[0];
    note(`${version}: cannot decrypt DTLS ChaCha20-Poly1305 (known tshark nonce limitation; AES-GCM cases decrypt)`);
  });
});
