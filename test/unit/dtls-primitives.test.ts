// Building blocks: PRF, AES-GCM records, replay window, reassembly, the stateless cookie, and a
// hand-made Godot-3-style ClientHello (empty server_name, record version 0xfeff) at our server.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { CookieAuthority, DtlsServerEndpoint } from '../../engine/dtls';
import { AesGcmProtection } from '../../engine/dtls/cipher-state';
import { ByteWriter } from '../../engine/dtls/bytes';
import { HandshakeReassembler } from '../../engine/dtls/fragment-reassembler';
import {
  decodeHandshakeFragments,
  decodeHelloVerifyRequest,
  decodeServerHello,
  decodeServerKeyExchange,
  encodeClientHello,
  encodeHandshakeFragment,
  type ClientHello,
} from '../../engine/dtls/handshake-messages';
import { prf } from '../../engine/dtls/key-schedule';
import { encodeRecord, parseDatagram } from '../../engine/dtls/record-layer';
import { ReplayWindow } from '../../engine/dtls/replay-window';
import { rsaCredentials, VirtualClock } from './dtls-helpers';

function clientHelloDatagram(hello: ClientHello, recordVersion = 0xfeff, messageSeq = 0, recordSeq = 0): Buffer {
  const body = encodeClientHello(hello);
  return encodeRecord(22, recordVersion, 0, recordSeq, encodeHandshakeFragment(1, messageSeq, body, 0, body.length));
}

function plainHello(cookie: Buffer = Buffer.alloc(0)): ClientHello {
  return {
    clientVersion: 0xfefd,
    random: Buffer.alloc(32, 9),
    sessionId: Buffer.alloc(0),
    cookie,
    cipherSuites: [0xc02f],
    compressionMethods: [0],
    extensions: [],
  };
}

describe('DTLS building blocks', () => {
  it('TLS 1.2 PRF (SHA-256) matches the published test vector', () => {
    const out = prf(Buffer.from('9bbe436ba940f017b17652849a71db35', 'hex'), 'test label', Buffer.from('a0ba9f936cda311827a6f796ffd5198c', 'hex'), 100);
    assert.equal(
      out.toString('hex'),
      'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af' +
        '0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66',
    );
  });

  it('AES-128-GCM records round-trip and reject tampering and wrong header fields', () => {
    const key = randomBytes(16);
    const salt = randomBytes(4);
    const writer = new AesGcmProtection(key, salt);
    const reader = new AesGcmProtection(key, salt);
    const sealed = writer.seal(23, 0xfefd, 1, 5, Buffer.from('secret'));
    assert.equal(sealed.length, 8 + 6 + 16);
    assert.equal(reader.open(23, 0xfefd, 1, 5, sealed)?.toString(), 'secret');
    assert.equal(reader.open(23, 0xfefd, 1, 6, sealed), undefined, 'sequence number is authenticated');
    assert.equal(reader.open(21, 0xfefd, 1, 5, sealed), undefined, 'content type is authenticated');
    const flipped = Buffer.from(sealed);
    flipped[10]! ^= 0x80;
    assert.equal(reader.open(23, 0xfefd, 1, 5, flipped), undefined);
  });

  it('replay window accepts new and out-of-order records once', () => {
    const window = new ReplayWindow();
    for (const seq of [0, 1, 5, 3]) {
      assert.equal(window.isReplay(seq), false, `first ${seq}`);
      window.markReceived(seq);
    }
    assert.equal(window.isReplay(3), true);
    assert.equal(window.isReplay(4), false);
    window.markReceived(200);
    assert.equal(window.isReplay(100), true, 'too old');
    assert.equal(window.isReplay(199), false);
  });

  it('reassembles overlapping out-of-order fragments and hands messages out in message_seq order', () => {
    const reassembler = new HandshakeReassembler();
    const message1 = randomBytes(300);
    const message0 = randomBytes(50);
    const fragment = (seq: number, body: Buffer, offset: number, count: number) =>
      decodeHandshakeFragments(encodeHandshakeFragment(11, seq, body, offset, count))[0]!;
    assert.equal(reassembler.add(fragment(1, message1, 200, 100), 0), 'accepted');
    assert.equal(reassembler.add(fragment(1, message1, 0, 150), 0), 'accepted');
    assert.equal(reassembler.takeNext(), undefined, 'seq 0 missing');
    assert.equal(reassembler.add(fragment(1, message1, 100, 120), 0), 'accepted');
    assert.equal(reassembler.add(fragment(0, message0, 0, 50), 0), 'accepted');
    const first = reassembler.takeNext()!;
    assert.deepEqual([first.messageSeq, first.fragments, first.body.equals(message0)], [0, 1, true]);
    const second = reassembler.takeNext()!;
    assert.deepEqual([second.messageSeq, second.fragments, second.body.equals(message1)], [1, 3, true]);
    assert.equal(reassembler.add(fragment(0, message0, 0, 50), 0), 'old');
    assert.equal(reassembler.add(fragment(40, message0, 0, 50), 0), 'rejected');
  });

  it('CookieAuthority: ignores non-hellos, answers a bare ClientHello statelessly, accepts its cookie only from the same address', () => {
    const authority = new CookieAuthority({ secret: Buffer.alloc(32, 1) });
    assert.equal(authority.inspect(Buffer.from('junk'), '10.0.0.1:1', 0).kind, 'ignored');
    const appData = encodeRecord(23, 0xfefd, 1, 0, Buffer.alloc(30));
    assert.equal(authority.inspect(appData, '10.0.0.1:1', 0).kind, 'ignored');

    const verdict = authority.inspect(clientHelloDatagram(plainHello(), 0xfeff, 0, 7), '10.0.0.1:1', 0);
    assert.equal(verdict.kind, 'needs-cookie');
    if (verdict.kind !== 'needs-cookie') return;
    const [record] = parseDatagram(Buffer.from(verdict.reply)).records;
    assert.equal(record!.sequence, 7, 'HelloVerifyRequest reuses the ClientHello record sequence number');
    const [fragment] = decodeHandshakeFragments(record!.fragment);
    assert.equal(fragment!.msgType, 3);
    const hvr = decodeHelloVerifyRequest(fragment!.body);
    assert.equal(hvr.serverVersion, 0xfeff);
    assert.equal(hvr.cookie.length, 32);
    assert.deepEqual(verdict.events.map((e) => e.type === 'flight' ? `${e.direction} ${e.flight}` : `${e.type}`), [
      'record',
      'message',
      'received 1',
      'record',
      'message',
      'sent 2',
    ]);
    // The stateless step reports its two records too: the ClientHello taken in and the HelloVerifyRequest sent.
    const records = verdict.events.filter((e) => e.type === 'record');
    assert.deepEqual(
      records.map((e) => e.type === 'record' && `${e.direction} ${e.contentType} epoch ${e.epoch} seq ${e.sequence} ${e.encrypted ? 'encrypted' : 'plain'}`),
      ['received handshake epoch 0 seq 7 plain', 'sent handshake epoch 0 seq 7 plain'],
    );
    const sentRecord = records[1];
    assert.ok(sentRecord?.type === 'record');
    assert.equal(sentRecord.length, verdict.reply.length - 13);

    const retried = clientHelloDatagram(plainHello(hvr.cookie), 0xfefd, 1, 8);
    assert.equal(authority.inspect(retried, '10.0.0.1:1', 5).kind, 'valid-cookie');
    assert.equal(authority.inspect(retried, '10.0.0.2:1', 5).kind, 'needs-cookie', 'cookie is bound to the address');
    const otherRandom = { ...plainHello(hvr.cookie), random: Buffer.alloc(32, 8) };
    assert.equal(authority.inspect(clientHelloDatagram(otherRandom), '10.0.0.1:1', 5).kind, 'needs-cookie');
  });

  it('CookieAuthority rotation keeps the previous period valid, not older ones', () => {
    const authority = new CookieAuthority({ rotateEveryMs: 1000 });
    const verdict = authority.inspect(clientHelloDatagram(plainHello()), 'a:1', 500);
    assert.equal(verdict.kind, 'needs-cookie');
    if (verdict.kind !== 'needs-cookie') return;
    const cookie = decodeHelloVerifyRequest(decodeHandshakeFragments(parseDatagram(Buffer.from(verdict.reply)).records[0]!.fragment)[0]!.body).cookie;
    const retried = clientHelloDatagram(plainHello(cookie));
    assert.equal(authority.inspect(retried, 'a:1', 900).kind, 'valid-cookie');
    assert.equal(authority.inspect(retried, 'a:1', 1500).kind, 'valid-cookie');
    assert.equal(authority.inspect(retried, 'a:1', 2500).kind, 'needs-cookie');
  });

  it('server accepts a Godot 3 style ClientHello: empty server_name, record version 0xfeff, no x25519, no PSS', () => {
    const godotSuites = [0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc02b, 0xc02f, 0x009e, 0xc00a, 0x00ff];
    const emptyServerName = new ByteWriter().vector16(new ByteWriter().u8(0).vector16(Buffer.alloc(0)).toBuffer()).toBuffer();
    const groups = new ByteWriter();
    for (const g of [25, 28, 24, 27, 23, 26, 22]) groups.u16(g);
    const schemes = new ByteWriter();
    for (const s of [0x0603, 0x0601, 0x0503, 0x0501, 0x0403, 0x0401, 0x0303, 0x0301, 0x0203, 0x0201]) schemes.u16(s);
    const hello = (cookie: Buffer): ClientHello => ({
      clientVersion: 0xfefd,
      random: randomBytes(32),
      sessionId: Buffer.alloc(0),
      cookie,
      cipherSuites: godotSuites,
      compressionMethods: [0],
      extensions: [
        { type: 0, data: emptyServerName },
        { type: 10, data: new ByteWriter().vector16(groups.toBuffer()).toBuffer() },
        { type: 11, data: Buffer.from([1, 0]) },
        { type: 13, data: new ByteWriter().vector16(schemes.toBuffer()).toBuffer() },
        { type: 22, data: Buffer.alloc(0) },
        { type: 23, data: Buffer.alloc(0) },
        { type: 35, data: Buffer.alloc(0) },
      ],
    });
    const replies: Buffer[] = [];
    const clock = new VirtualClock();
    const endpoint = new DtlsServerEndpoint({ clock, ...rsaCredentials(), sendTo: (_a, d) => replies.push(Buffer.from(d)) });
    const first = hello(Buffer.alloc(0));
    endpoint.receive('10.1.1.1:5', clientHelloDatagram(first, 0xfeff));
    assert.equal(replies.length, 1);
    assert.equal(endpoint.connections.size, 0, 'no state before a valid cookie');
    const cookie = decodeHelloVerifyRequest(decodeHandshakeFragments(parseDatagram(replies[0]!).records[0]!.fragment)[0]!.body).cookie;
    const connection = endpoint.receive('10.1.1.1:5', clientHelloDatagram({ ...first, cookie }, 0xfeff, 1, 1));
    assert.equal(connection?.state, 'handshaking', connection?.failure?.message);
    const flight4 = replies.slice(1).flatMap((d) => parseDatagram(d).records).flatMap((r) => decodeHandshakeFragments(r.fragment));
    const serverHello = decodeServerHello(flight4.find((f) => f.msgType === 2)!.body);
    assert.equal(serverHello.cipherSuite, 0xc02f);
    assert.deepEqual(serverHello.extensions.map((e) => e.type).sort((a, b) => a - b), [11, 23, 0xff01], 'ec_point_formats, extended_master_secret, renegotiation_info (SCSV seen)');
    const keyExchange = decodeServerKeyExchange(flight4.find((f) => f.msgType === 12)!.body);
    assert.equal(keyExchange.namedGroup, 23, 'secp256r1');
    assert.equal(keyExchange.signatureScheme, 0x0401, 'rsa_pkcs1_sha256');
    assert.equal(flight4.find((f) => f.msgType === 2)!.messageSeq, 1, 'ServerHello takes the ClientHello message_seq');
  });
});
