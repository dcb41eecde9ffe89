// Negative state machine suite. A real client and server are stopped after every single record of
// a handshake; each handshake message (and a set of malformed or misplaced records) is then
// injected into one side at that point. A misplaced message must be ignored, or answered with the
// right fatal alert; it must never complete a handshake, and nothing may escape receive().
// "Ignored" is checked strictly: the side keeps its state, sends no alert, and the genuine
// handshake still completes afterwards and carries data both ways.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { ecdsaCredentials, makeEcdsaCertificate } from './dtls-helpers';
import {
  CT,
  DTLS10,
  DTLS12,
  EXT,
  HT,
  HT_NAME,
  StageRig,
  clientHelloBody,
  filler,
  handshake,
  mapStages,
  record,
  serverHelloBody,
  splitRecords,
  typicalClientExtensions,
  u16,
  u8,
  vec16,
  vec24,
  vec8,
  type HelloSpec,
  type RigOptions,
  type Side,
  type StageInfo,
} from './dtls-stage-rig';

const credentials = ecdsaCredentials();
const serverCertDer = new X509Certificate(credentials.certificatePem).raw;

const ALERT = { close_notify: 0, unexpected_message: 10, handshake_failure: 40, bad_certificate: 42, illegal_parameter: 47, unknown_ca: 48, decode_error: 50, decrypt_error: 51, protocol_version: 70, no_renegotiation: 100, unsupported_extension: 110 };
const ALERT_NAME: Record<number, string> = Object.fromEntries(Object.entries(ALERT).map(([name, code]) => [code, name]));

type Expectation =
  | { kind: 'ignored' }
  | { kind: 'hello-verify' }
  | { kind: 'fatal'; alert: number }
  | { kind: 'warning'; alert: number }
  | { kind: 'peer-alert' }
  | { kind: 'closed' };

function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'ignored':
      return 'is ignored';
    case 'hello-verify':
      return 'is answered with a HelloVerifyRequest and no state';
    case 'fatal':
      return `fails the handshake with a fatal ${ALERT_NAME[e.alert]} (${e.alert}) alert`;
    case 'warning':
      return `is answered with a ${ALERT_NAME[e.alert]} (${e.alert}) warning`;
    case 'peer-alert':
      return 'fails the connection without answering';
    case 'closed':
      return 'closes the connection (close_notify back)';
  }
}

// ---- phases ------------------------------------------------------------------------------------

type ClientPhase = 'idle' | 'await-hello-1' | 'await-hello-3' | 'await-certificate' | 'await-server-key-exchange' | 'await-server-hello-done' | 'await-change-cipher-spec' | 'await-finished' | 'connected';
type ServerPhase = 'stateless' | 'await-client-key-exchange' | 'await-change-cipher-spec' | 'await-finished' | 'connected';
type Phase = ClientPhase | ServerPhase;

function phaseOf(stage: StageInfo, side: Side): Phase | undefined {
  if (side === 'client') {
    const v = stage.client;
    if (stage.clientState === 'idle') return 'idle';
    if (stage.clientState === 'connected') return 'connected';
    if (stage.clientState !== 'handshaking') return undefined;
    if (v.readsEpoch1) return 'await-finished';
    if (v.received.includes('ServerHelloDone')) return 'await-change-cipher-spec';
    if (v.received.includes('ServerKeyExchange')) return 'await-server-hello-done';
    if (v.received.includes('Certificate')) return 'await-server-key-exchange';
    if (v.received.includes('ServerHello')) return 'await-certificate';
    return v.received.includes('HelloVerifyRequest') ? 'await-hello-3' : 'await-hello-1';
  }
  if (stage.serverState === 'none') return 'stateless';
  if (stage.serverState === 'connected') return 'connected';
  if (stage.serverState !== 'handshaking') return undefined;
  if (stage.server.readsEpoch1) return 'await-finished';
  if (stage.server.received.includes('ClientKeyExchange')) return 'await-change-cipher-spec';
  return 'await-client-key-exchange';
}

const PHASE_TEXT: Record<Phase, string> = {
  idle: 'not started',
  'await-hello-1': 'awaiting HelloVerifyRequest or ServerHello (flight 1 sent)',
  'await-hello-3': 'awaiting ServerHello (flight 3 sent)',
  'await-certificate': 'awaiting Certificate',
  'await-server-key-exchange': 'awaiting ServerKeyExchange',
  'await-server-hello-done': 'awaiting ServerHelloDone',
  'await-change-cipher-spec': 'awaiting ChangeCipherSpec',
  'await-finished': 'awaiting Finished (reads epoch 1)',
  connected: 'connected',
  stateless: 'holding no state (no valid cookie yet)',
  'await-client-key-exchange': 'awaiting ClientKeyExchange',
};

/** First stage of every (side, phase) of the natural handshake. */
function statePoints(): Array<{ side: Side; phase: Phase; stage: StageInfo }> {
  const points: Array<{ side: Side; phase: Phase; stage: StageInfo }> = [];
  const seen = new Set<string>();
  for (const stage of mapStages(credentials)) {
    for (const side of ['client', 'server'] as const) {
      const phase = phaseOf(stage, side);
      if (!phase || seen.has(`${side}/${phase}`)) continue;
      seen.add(`${side}/${phase}`);
      points.push({ side, phase, stage });
    }
  }
  return points;
}

const readsEpoch1 = (phase: Phase) => phase === 'await-finished' || phase === 'connected';

// ---- the case runner ---------------------------------------------------------------------------

type Injection = (rig: StageRig) => Buffer[];

function roundTrip(rig: StageRig): void {
  const server = rig.server!;
  rig.client.sendApplicationData(Buffer.from('ping'));
  rig.drain();
  assert.equal(Buffer.from(server.readApplicationData() ?? []).toString(), 'ping', 'server did not get application data after the injection');
  server.sendApplicationData(Buffer.from('pong'));
  rig.drain();
  assert.equal(Buffer.from(rig.client.readApplicationData() ?? []).toString(), 'pong', 'client did not get application data after the injection');
}

function runCase(steps: number, side: Side, inject: Injection, expect: Expectation, extra: Omit<RigOptions, 'credentials'> = {}): void {
  const rig = new StageRig({ credentials, ...extra }).advance(steps);
  const peer: Side = side === 'client' ? 'server' : 'client';
  const stateBefore = rig.state(side);
  const alertsBefore = rig.alertsSent[side].length;
  const queued = rig.queue.length;
  const connectionsBefore = rig.endpoint.connections.size;
  let becameConnected = false;
  const target = side === 'client' ? rig.client : rig.server;
  target?.onEvent((event) => {
    if (event.type === 'state' && event.to === 'connected') becameConnected = true;
  });

  for (const datagram of inject(rig)) {
    assert.doesNotThrow(() => rig.deliver(side, datagram), 'an exception escaped receive()');
  }
  const newAlerts = rig.alertsSent[side].slice(alertsBefore);
  const replies = rig.queue.slice(queued);
  const detail = () => `${side} is ${rig.state(side)}${target?.failure ? ` (${target.failure.kind}: ${target.failure.message})` : ''}, sent alerts ${JSON.stringify(newAlerts)}`;

  switch (expect.kind) {
    case 'ignored':
    case 'hello-verify': {
      assert.equal(rig.state(side), stateBefore, detail());
      assert.deepEqual(newAlerts, [], detail());
      assert.equal(rig.endpoint.connections.size, connectionsBefore, 'the server endpoint created state');
      if (expect.kind === 'hello-verify') {
        assert.equal(replies.length, 1, 'expected exactly one reply record');
        assert.equal(replies[0]!.name, 'HelloVerifyRequest');
      }
      // Whatever the injection provoked (a HelloVerifyRequest, a repeated flight) is not delivered.
      rig.queue.splice(queued);
      rig.drain();
      assert.equal(rig.client.state, 'connected', `client after the injection: ${rig.client.failure?.message ?? rig.client.state}`);
      assert.equal(rig.server?.state, 'connected', `server after the injection: ${rig.server?.failure?.message ?? rig.state('server')}`);
      roundTrip(rig);
      return;
    }
    case 'warning': {
      assert.equal(rig.state(side), stateBefore, detail());
      assert.deepEqual(newAlerts, [{ level: 'warning', code: expect.alert }], detail());
      rig.drain();
      roundTrip(rig);
      return;
    }
    case 'fatal':
    case 'peer-alert':
    case 'closed': {
      const wanted = expect.kind === 'fatal' ? 'failed' : expect.kind === 'closed' ? 'closed' : 'failed';
      assert.equal(rig.state(side), wanted, detail());
      if (expect.kind === 'fatal') assert.deepEqual(newAlerts, [{ level: 'fatal', code: expect.alert }], detail());
      if (expect.kind === 'peer-alert') {
        assert.deepEqual(newAlerts, [], detail());
        assert.equal(target?.failure?.kind, 'peer-alert');
      }
      if (expect.kind === 'closed') assert.deepEqual(newAlerts, [{ level: 'warning', code: ALERT.close_notify }], detail());
      // The genuine traffic (and our alert) goes on: the failed side must stay down.
      rig.drain();
      assert.equal(becameConnected, false, 'the side that rejected the message completed a handshake');
      assert.equal(rig.state(side), wanted);
      // Our alert reaches the peer, which gives up too (after a forged peer alert, nobody tells it).
      if (expect.kind !== 'peer-alert') assert.ok(['failed', 'closed', 'none'].includes(rig.state(peer)), `${peer} is ${rig.state(peer)} after ${side} gave up`);
      return;
    }
  }
}

// ---- generic handshake messages ----------------------------------------------------------------

const MESSAGES: Array<{ type: number; body: () => Buffer }> = [
  { type: HT.HelloRequest, body: () => Buffer.alloc(0) },
  { type: HT.ClientHello, body: () => clientHelloBody() },
  { type: HT.ServerHello, body: () => serverHelloBody() },
  { type: HT.HelloVerifyRequest, body: () => Buffer.concat([u16(DTLS10), vec8(filler(32))]) },
  { type: HT.NewSessionTicket, body: () => Buffer.concat([Buffer.from([0, 0, 0x1c, 0x20]), vec16(filler(64))]) },
  { type: HT.Certificate, body: () => vec24(vec24(serverCertDer)) },
  { type: HT.ServerKeyExchange, body: () => Buffer.concat([u8(3), u16(29), vec8(filler(32)), u16(0x0403), vec16(filler(70))]) },
  { type: HT.CertificateRequest, body: () => Buffer.concat([vec8(Buffer.from([64])), vec16(u16(0x0403)), vec16(Buffer.alloc(0))]) },
  { type: HT.ServerHelloDone, body: () => Buffer.alloc(0) },
  { type: HT.CertificateVerify, body: () => Buffer.concat([u16(0x0403), vec16(filler(70))]) },
  { type: HT.ClientKeyExchange, body: () => vec8(filler(32, 3)) },
  { type: HT.Finished, body: () => filler(12, 5) },
  { type: 99, body: () => filler(4) },
];

/** Messages that are legitimate (or whose content decides) at a phase: covered by the specific table below. */
const EXPECTED_HERE: Partial<Record<Phase, number[]>> = {
  'await-hello-1': [HT.HelloVerifyRequest, HT.ServerHello],
  'await-hello-3': [HT.HelloVerifyRequest, HT.ServerHello],
  'await-certificate': [HT.Certificate],
  'await-server-key-exchange': [HT.ServerKeyExchange],
  'await-server-hello-done': [HT.ServerHelloDone, HT.CertificateRequest],
  'await-client-key-exchange': [HT.ClientKeyExchange],
};

function genericExpectation(side: Side, phase: Phase, type: number, epoch: number): Expectation | undefined {
  if (phase === 'idle') return { kind: 'ignored' };
  if (phase === 'stateless') return type === HT.ClientHello ? { kind: 'hello-verify' } : { kind: 'ignored' };
  if (readsEpoch1(phase) && epoch === 0) return { kind: 'ignored' };
  if (phase === 'await-finished' && type === HT.Finished) return undefined;
  if (EXPECTED_HERE[phase]?.includes(type)) return undefined;
  if (phase === 'connected') {
    if (side === 'client' && type === HT.HelloRequest) return { kind: 'warning', alert: ALERT.no_renegotiation };
    if (side === 'server' && type === HT.ClientHello) return { kind: 'warning', alert: ALERT.no_renegotiation };
  }
  return { kind: 'fatal', alert: ALERT.unexpected_message };
}

function handshakeInjection(side: Side, type: number, body: () => Buffer, epoch: number): Injection {
  return (rig) => {
    const message = handshake({ msgType: type, messageSeq: rig.nextSeq(side), body: body() });
    if (epoch === 0) return [record({ type: CT.Handshake, sequence: 30 }, message)];
    return [rig.sealAs(side === 'client' ? 'server' : 'client', CT.Handshake, message)];
  };
}

// ---- record-level rows -------------------------------------------------------------------------

interface RecordRow {
  name: string;
  inject: (rig: StageRig, side: Side, phase: Phase) => Buffer[];
  expect: (side: Side, phase: Phase) => Expectation | undefined;
}

const ignoredAlways = () => ({ kind: 'ignored' }) as const;

/** A record of `type` the way the side currently reads it (sealed by the peer in epoch 1). */
function currentEpochRecord(rig: StageRig, side: Side, phase: Phase, type: number, payload: Buffer): Buffer {
  if (readsEpoch1(phase)) return rig.sealAs(side === 'client' ? 'server' : 'client', type, payload);
  return record({ type, sequence: 31 }, payload);
}

const RECORD_ROWS: RecordRow[] = [
  {
    name: 'ChangeCipherSpec out of turn',
    inject: (rig, side, phase) => [currentEpochRecord(rig, side, phase, CT.ChangeCipherSpec, Buffer.from([1]))],
    expect: (_side, phase) => (phase === 'await-change-cipher-spec' ? undefined : { kind: 'ignored' }),
  },
  { name: 'malformed ChangeCipherSpec (value 2)', inject: () => [record({ type: CT.ChangeCipherSpec }, Buffer.from([2]))], expect: ignoredAlways },
  { name: 'ChangeCipherSpec of two bytes', inject: () => [record({ type: CT.ChangeCipherSpec }, Buffer.from([1, 1]))], expect: ignoredAlways },
  { name: 'application data in epoch 0', inject: () => [record({ type: CT.ApplicationData }, Buffer.from('hello'))], expect: ignoredAlways },
  { name: 'a record of unknown content type 25', inject: () => [record({ type: 25 }, Buffer.from([1, 2, 3]))], expect: ignoredAlways },
  { name: 'a record of content type 255', inject: () => [record({ type: 255 }, filler(40))], expect: ignoredAlways },
  {
    name: 'a handshake record with TLS 1.2 (0x0303) as version',
    inject: (rig, side) => [record({ type: CT.Handshake, version: 0x0303 }, handshake({ msgType: HT.Finished, messageSeq: rig.nextSeq(side), body: filler(12) }))],
    expect: ignoredAlways,
  },
  {
    name: 'a handshake record with version 0xfe00',
    inject: (rig, side) => [record({ type: CT.Handshake, version: 0xfe00 }, handshake({ msgType: HT.ClientHello, messageSeq: rig.nextSeq(side), body: clientHelloBody() }))],
    expect: ignoredAlways,
  },
  {
    name: 'a record whose length runs past the datagram',
    inject: (rig, side) => [record({ type: CT.Handshake, length: 500 }, handshake({ msgType: HT.ClientHello, messageSeq: rig.nextSeq(side), body: clientHelloBody() }))],
    expect: ignoredAlways,
  },
  { name: 'a record claiming 65535 bytes', inject: () => [record({ type: CT.Handshake, length: 0xffff }, filler(64))], expect: ignoredAlways },
  { name: 'a truncated record header', inject: () => [record({ type: CT.Handshake }, Buffer.alloc(0)).subarray(0, 9)], expect: ignoredAlways },
  { name: 'an empty handshake record', inject: () => [record({ type: CT.Handshake }, Buffer.alloc(0))], expect: ignoredAlways },
  { name: 'a truncated handshake header', inject: () => [record({ type: CT.Handshake }, Buffer.from([HT.Finished, 0, 0, 12, 0]))], expect: ignoredAlways },
  {
    name: 'a handshake fragment extending past its message length',
    inject: (rig, side) => [record({ type: CT.Handshake }, handshake({ msgType: HT.Finished, messageSeq: rig.nextSeq(side), body: filler(12), length: 6 }))],
    expect: ignoredAlways,
  },
  {
    name: 'a handshake fragment longer than its record',
    inject: (rig, side) => [record({ type: CT.Handshake }, handshake({ msgType: HT.Finished, messageSeq: rig.nextSeq(side), body: filler(12), fragmentLength: 400, length: 400 }))],
    expect: ignoredAlways,
  },
  {
    name: 'a handshake message claiming 16 MiB',
    inject: (rig, side) => [record({ type: CT.Handshake }, handshake({ msgType: HT.Certificate, messageSeq: rig.nextSeq(side), body: filler(50), length: 0xffffff }))],
    expect: (_side, phase) => (readsEpoch1(phase) || phase === 'idle' || phase === 'stateless' ? { kind: 'ignored' } : { kind: 'ignored' }),
  },
  {
    name: 'a handshake message_seq 100 ahead',
    inject: (rig, side) => [record({ type: CT.Handshake }, handshake({ msgType: HT.Finished, messageSeq: rig.nextSeq(side) + 100, body: filler(12) }))],
    expect: ignoredAlways,
  },
  { name: 'a record from epoch 2', inject: () => [record({ type: CT.Handshake, epoch: 2, sequence: 1 }, filler(60))], expect: ignoredAlways },
  { name: 'a record from epoch 65535', inject: () => [record({ type: CT.ApplicationData, epoch: 0xffff, sequence: 0xffffffffffff }, filler(60))], expect: ignoredAlways },
  { name: 'an epoch-1 record with a bad tag', inject: () => [record({ type: CT.ApplicationData, epoch: 1, sequence: 5 }, filler(60))], expect: ignoredAlways },
  { name: 'an empty datagram', inject: () => [Buffer.alloc(0)], expect: ignoredAlways },
  { name: 'a single byte', inject: () => [Buffer.from([22])], expect: ignoredAlways },
  {
    name: 'a repeated copy of the last message it received',
    inject: (rig, side) => {
      const last = [...rig.history[side]].reverse().find((rec) => rec.type === CT.Handshake);
      return last ? [Buffer.from(last.wire)] : [];
    },
    expect: (_side, phase) => (phase === 'idle' || phase === 'stateless' ? undefined : { kind: 'ignored' }),
  },
  {
    name: 'a no_renegotiation warning alert',
    inject: (rig, side, phase) => [currentEpochRecord(rig, side, phase, CT.Alert, Buffer.from([1, ALERT.no_renegotiation]))],
    expect: ignoredAlways,
  },
  {
    name: 'an alert with level 3',
    inject: (rig, side, phase) => [currentEpochRecord(rig, side, phase, CT.Alert, Buffer.from([3, ALERT.handshake_failure]))],
    expect: ignoredAlways,
  },
  {
    name: 'an alert of three bytes',
    inject: (rig, side, phase) => [currentEpochRecord(rig, side, phase, CT.Alert, Buffer.from([2, ALERT.handshake_failure, 0]))],
    expect: ignoredAlways,
  },
  {
    name: 'a fatal handshake_failure alert',
    inject: (rig, side, phase) => [currentEpochRecord(rig, side, phase, CT.Alert, Buffer.from([2, ALERT.handshake_failure]))],
    expect: (_side, phase) => (phase === 'idle' || phase === 'stateless' ? { kind: 'ignored' } : { kind: 'peer-alert' }),
  },
  {
    name: 'a fatal alert in epoch 0 after the peer switched to epoch 1',
    inject: () => [record({ type: CT.Alert, sequence: 32 }, Buffer.from([2, ALERT.handshake_failure]))],
    expect: (_side, phase) => (readsEpoch1(phase) || phase === 'idle' || phase === 'stateless' ? { kind: 'ignored' } : undefined),
  },
  {
    name: 'close_notify',
    inject: (rig, side, phase) => [currentEpochRecord(rig, side, phase, CT.Alert, Buffer.from([1, ALERT.close_notify]))],
    expect: (_side, phase) => (phase === 'idle' || phase === 'stateless' ? { kind: 'ignored' } : { kind: 'closed' }),
  },
];

// ---- the generated table -----------------------------------------------------------------------

const POINTS = statePoints();

describe('DTLS negative state machine: every handshake message at every state', () => {
  for (const { side, phase, stage } of POINTS) {
    describe(`${side} ${PHASE_TEXT[phase]} (after "${stage.name}")`, () => {
      for (const { type, body } of MESSAGES) {
        for (const epoch of readsEpoch1(phase) ? [1, 0] : [0]) {
          const expect = genericExpectation(side, phase, type, epoch);
          if (!expect) continue;
          const label = `${HT_NAME[type] ?? `handshake type ${type}`}${readsEpoch1(phase) ? (epoch === 0 ? ' in plaintext (epoch 0)' : ' in epoch 1') : ''}`;
          it(`${label} ${describeExpectation(expect)}`, () => runCase(stage.steps, side, handshakeInjection(side, type, body, epoch), expect));
        }
      }
      for (const row of RECORD_ROWS) {
        const expect = row.expect(side, phase);
        if (!expect) continue;
        it(`${row.name} ${describeExpectation(expect)}`, () => runCase(stage.steps, side, (rig) => row.inject(rig, side, phase), expect));
      }
    });
  }
});

// ---- specific parameter checks -----------------------------------------------------------------

function pointOf(side: Side, phase: Phase): StageInfo {
  const point = POINTS.find((p) => p.side === side && p.phase === phase);
  if (!point) throw new Error(`no stage where the ${side} is ${phase}`);
  return point.stage;
}

function messageTo(side: Side, type: number, body: Buffer): Injection {
  return (rig) => [record({ type: CT.Handshake, sequence: 33 }, handshake({ msgType: type, messageSeq: rig.nextSeq(side), body }))];
}

function sealedMessageTo(side: Side, type: number, body: Buffer): Injection {
  return (rig) => [rig.sealAs(side === 'client' ? 'server' : 'client', CT.Handshake, handshake({ msgType: type, messageSeq: rig.nextSeq(side), body }))];
}

const fatal = (alert: number): Expectation => ({ kind: 'fatal', alert });

interface SpecificRow {
  side: Side;
  phase: Phase;
  name: string;
  inject: Injection;
  expect: Expectation;
}

const ske = (group: number, scheme: number, curveType = 3) => Buffer.concat([u8(curveType), u16(group), vec8(filler(group === 29 ? 32 : 65)), u16(scheme), vec16(filler(71))]);

const SPECIFIC: SpecificRow[] = [
  // ServerHello and HelloVerifyRequest contents (client after flight 3).
  { side: 'client', phase: 'await-hello-3', name: 'ServerHello choosing a suite we did not offer (0x002f)', inject: messageTo('client', HT.ServerHello, serverHelloBody({ suite: 0x002f })), expect: fatal(ALERT.illegal_parameter) },
  { side: 'client', phase: 'await-hello-3', name: 'ServerHello choosing compression method 1', inject: messageTo('client', HT.ServerHello, serverHelloBody({ compression: 1 })), expect: fatal(ALERT.illegal_parameter) },
  { side: 'client', phase: 'await-hello-3', name: 'ServerHello with version DTLS 1.0', inject: messageTo('client', HT.ServerHello, serverHelloBody({ version: DTLS10 })), expect: fatal(ALERT.protocol_version) },
  { side: 'client', phase: 'await-hello-3', name: 'ServerHello with an extension we did not offer', inject: messageTo('client', HT.ServerHello, serverHelloBody({ extensions: [[0x1234, Buffer.alloc(0)]] })), expect: fatal(ALERT.unsupported_extension) },
  { side: 'client', phase: 'await-hello-3', name: 'ServerHello with the same extension twice', inject: messageTo('client', HT.ServerHello, serverHelloBody({ extensions: [[EXT.ExtendedMasterSecret, Buffer.alloc(0)], [EXT.ExtendedMasterSecret, Buffer.alloc(0)]] })), expect: fatal(ALERT.decode_error) },
  { side: 'client', phase: 'await-hello-3', name: 'ServerHello with a non-empty renegotiation_info', inject: messageTo('client', HT.ServerHello, serverHelloBody({ extensions: [[EXT.RenegotiationInfo, vec8(filler(12))]] })), expect: fatal(ALERT.handshake_failure) },
  { side: 'client', phase: 'await-hello-3', name: 'ServerHello cut short after the random', inject: messageTo('client', HT.ServerHello, serverHelloBody().subarray(0, 34)), expect: fatal(ALERT.decode_error) },
  { side: 'client', phase: 'await-hello-3', name: 'ServerHello with trailing garbage', inject: messageTo('client', HT.ServerHello, Buffer.concat([serverHelloBody({ extensions: [] }), Buffer.from([1])])), expect: fatal(ALERT.decode_error) },
  { side: 'client', phase: 'await-hello-3', name: 'ServerHello with an extensions block longer than the message', inject: messageTo('client', HT.ServerHello, Buffer.concat([serverHelloBody(), u16(40), u16(23)])), expect: fatal(ALERT.decode_error) },
  { side: 'client', phase: 'await-hello-3', name: 'HelloVerifyRequest with version TLS 1.2 (0x0303)', inject: messageTo('client', HT.HelloVerifyRequest, Buffer.concat([u16(0x0303), vec8(filler(32))])), expect: fatal(ALERT.protocol_version) },
  { side: 'client', phase: 'await-hello-3', name: 'HelloVerifyRequest whose cookie runs past the message', inject: messageTo('client', HT.HelloVerifyRequest, Buffer.concat([u16(DTLS10), u8(40), filler(8)])), expect: fatal(ALERT.decode_error) },
  // Certificate.
  { side: 'client', phase: 'await-certificate', name: 'Certificate with an empty list', inject: messageTo('client', HT.Certificate, vec24(Buffer.alloc(0))), expect: fatal(ALERT.handshake_failure) },
  { side: 'client', phase: 'await-certificate', name: 'Certificate holding garbage instead of DER', inject: messageTo('client', HT.Certificate, vec24(vec24(filler(300)))), expect: fatal(ALERT.bad_certificate) },
  { side: 'client', phase: 'await-certificate', name: 'Certificate whose inner length disagrees with the list', inject: messageTo('client', HT.Certificate, Buffer.concat([Buffer.from([0, 0, 10]), vec24(filler(20))])), expect: fatal(ALERT.decode_error) },
  { side: 'client', phase: 'await-certificate', name: 'Certificate that nobody we trust issued', inject: (rig) => messageTo('client', HT.Certificate, vec24(vec24(new X509Certificate(makeEcdsaCertificate('intruder').certificatePem).raw)))(rig), expect: fatal(ALERT.unknown_ca) },
  // ServerKeyExchange.
  { side: 'client', phase: 'await-server-key-exchange', name: 'ServerKeyExchange for a group we did not offer (0x5a5a)', inject: messageTo('client', HT.ServerKeyExchange, ske(0x5a5a, 0x0403)), expect: fatal(ALERT.illegal_parameter) },
  { side: 'client', phase: 'await-server-key-exchange', name: 'ServerKeyExchange signed with a scheme we did not offer (rsa_pkcs1_sha1)', inject: messageTo('client', HT.ServerKeyExchange, ske(29, 0x0201)), expect: fatal(ALERT.illegal_parameter) },
  { side: 'client', phase: 'await-server-key-exchange', name: 'ServerKeyExchange whose signature does not verify', inject: messageTo('client', HT.ServerKeyExchange, ske(29, 0x0403)), expect: fatal(ALERT.decrypt_error) },
  { side: 'client', phase: 'await-server-key-exchange', name: 'ServerKeyExchange with explicit curve parameters (curve type 1)', inject: messageTo('client', HT.ServerKeyExchange, ske(29, 0x0403, 1)), expect: fatal(ALERT.decode_error) },
  { side: 'client', phase: 'await-server-key-exchange', name: 'ServerKeyExchange cut short inside the point', inject: messageTo('client', HT.ServerKeyExchange, ske(29, 0x0403).subarray(0, 20)), expect: fatal(ALERT.decode_error) },
  // ServerHelloDone / CertificateRequest.
  { side: 'client', phase: 'await-server-hello-done', name: 'ServerHelloDone with a body', inject: messageTo('client', HT.ServerHelloDone, Buffer.from([0])), expect: fatal(ALERT.decode_error) },
  { side: 'client', phase: 'await-server-hello-done', name: 'CertificateRequest with no certificate types', inject: messageTo('client', HT.CertificateRequest, Buffer.concat([vec8(Buffer.alloc(0)), vec16(u16(0x0403)), vec16(Buffer.alloc(0))])), expect: fatal(ALERT.decode_error) },
  // Finished.
  { side: 'client', phase: 'await-finished', name: 'server Finished with wrong verify_data', inject: sealedMessageTo('client', HT.Finished, filler(12, 9)), expect: fatal(ALERT.decrypt_error) },
  { side: 'client', phase: 'await-finished', name: 'server Finished of 11 bytes', inject: sealedMessageTo('client', HT.Finished, filler(11, 9)), expect: fatal(ALERT.decode_error) },
  { side: 'server', phase: 'await-finished', name: 'client Finished with wrong verify_data', inject: sealedMessageTo('server', HT.Finished, filler(12, 9)), expect: fatal(ALERT.decrypt_error) },
  { side: 'server', phase: 'await-finished', name: 'client Finished of 13 bytes', inject: sealedMessageTo('server', HT.Finished, filler(13, 9)), expect: fatal(ALERT.decode_error) },
  // ClientKeyExchange.
  { side: 'server', phase: 'await-client-key-exchange', name: 'ClientKeyExchange with a 31-byte x25519 key', inject: messageTo('server', HT.ClientKeyExchange, vec8(filler(31))), expect: fatal(ALERT.illegal_parameter) },
  { side: 'server', phase: 'await-client-key-exchange', name: 'ClientKeyExchange with the all-zero x25519 key', inject: messageTo('server', HT.ClientKeyExchange, vec8(Buffer.alloc(32))), expect: fatal(ALERT.illegal_parameter) },
  { side: 'server', phase: 'await-client-key-exchange', name: 'ClientKeyExchange with an empty key', inject: messageTo('server', HT.ClientKeyExchange, vec8(Buffer.alloc(0))), expect: fatal(ALERT.decode_error) },
  { side: 'server', phase: 'await-client-key-exchange', name: 'ClientKeyExchange with trailing bytes', inject: messageTo('server', HT.ClientKeyExchange, Buffer.concat([vec8(filler(32)), Buffer.from([0])])), expect: fatal(ALERT.decode_error) },
  { side: 'server', phase: 'await-client-key-exchange', name: 'empty ClientKeyExchange', inject: messageTo('server', HT.ClientKeyExchange, Buffer.alloc(0)), expect: fatal(ALERT.decode_error) },
];

/** ClientHello rows: sent once without a cookie, then again with the cookie the server handed out. */
function cookiedHello(spec: HelloSpec): Injection {
  return (rig) => {
    const first = handshake({ msgType: HT.ClientHello, messageSeq: 0, body: clientHelloBody(spec) });
    const queued = rig.queue.length;
    rig.deliver('server', record({ type: CT.Handshake, sequence: 0 }, first));
    const reply = rig.queue.slice(queued).find((q) => q.name === 'HelloVerifyRequest');
    rig.queue.splice(queued);
    if (!reply) return [];
    const body = reply.rec.payload.subarray(12);
    const cookie = body.subarray(3, 3 + body[2]!);
    const second = handshake({ msgType: HT.ClientHello, messageSeq: 1, body: clientHelloBody({ ...spec, cookie }) });
    return [record({ type: CT.Handshake, sequence: 1 }, second)];
  };
}

const withExtensions = (replace: Record<number, Buffer | undefined>): Array<[number, Buffer]> =>
  typicalClientExtensions()
    .map(([type, data]) => [type, type in replace ? replace[type] : data] as [number, Buffer | undefined])
    .filter((entry): entry is [number, Buffer] => entry[1] !== undefined);

const HELLO_ROWS: Array<{ name: string; spec: HelloSpec; expect: Expectation }> = [
  { name: 'offering only TLS_RSA_WITH_AES_128_CBC_SHA', spec: { suites: [0x002f] }, expect: fatal(ALERT.handshake_failure) },
  { name: 'without the null compression method', spec: { compression: [1] }, expect: fatal(ALERT.illegal_parameter) },
  { name: 'for DTLS 1.0 only', spec: { version: DTLS10 }, expect: fatal(ALERT.protocol_version) },
  { name: 'refusing uncompressed points', spec: { extensions: withExtensions({ [EXT.EcPointFormats]: vec8(Buffer.from([1])) }) }, expect: fatal(ALERT.illegal_parameter) },
  { name: 'supporting only an unknown group (0x5a5a)', spec: { extensions: withExtensions({ [EXT.SupportedGroups]: vec16(u16(0x5a5a)) }) }, expect: fatal(ALERT.handshake_failure) },
  { name: 'accepting only RSA signatures (ECDSA certificate)', spec: { extensions: withExtensions({ [EXT.SignatureAlgorithms]: vec16(Buffer.concat([u16(0x0804), u16(0x0401)])) }) }, expect: fatal(ALERT.handshake_failure) },
  { name: 'with a non-empty renegotiation_info', spec: { extensions: withExtensions({ [EXT.RenegotiationInfo]: vec8(filler(12)) }) }, expect: fatal(ALERT.handshake_failure) },
  { name: 'with a supported_groups of odd length', spec: { extensions: withExtensions({ [EXT.SupportedGroups]: vec16(Buffer.from([0, 29, 0])) }) }, expect: fatal(ALERT.decode_error) },
];

describe('DTLS negative parameters: the right fatal alert for a bad field', () => {
  for (const row of SPECIFIC) {
    it(`${row.side} ${PHASE_TEXT[row.phase]}: ${row.name} ${describeExpectation(row.expect)}`, () => runCase(pointOf(row.side, row.phase).steps, row.side, row.inject, row.expect));
  }
  for (const row of HELLO_ROWS) {
    it(`server: a cookie-valid ClientHello ${row.name} ${describeExpectation(row.expect)}`, () => {
      const rig = new StageRig({ credentials });
      let inject: Buffer[] = [];
      assert.doesNotThrow(() => {
        inject = cookiedHello(row.spec)(rig);
      });
      assert.equal(inject.length, 1, 'the server did not hand out a cookie');
      assert.equal(rig.endpoint.connections.size, 0);
      rig.deliver('server', inject[0]!);
      const alerts = rig.alertsSent.server;
      assert.equal(rig.server?.state, 'failed', rig.server?.failure?.message);
      assert.deepEqual(alerts, [{ level: 'fatal', code: (row.expect as { alert: number }).alert }], rig.server?.failure?.message);
      assert.equal(rig.endpoint.connections.size, 0, 'the endpoint kept the failed connection');
    });
  }
  it('server: a ClientHello with the same extension twice is ignored by the stateless cookie check', () => {
    const rig = new StageRig({ credentials });
    const spec: HelloSpec = { extensions: [...typicalClientExtensions(), [EXT.ExtendedMasterSecret, Buffer.alloc(0)]] };
    rig.deliver('server', record({ type: CT.Handshake }, handshake({ msgType: HT.ClientHello, messageSeq: 0, body: clientHelloBody(spec) })));
    assert.equal(rig.queue.length, 0);
    assert.equal(rig.endpoint.connections.size, 0);
  });
  for (const [what, messageSeq, sequence] of [
    ['message_seq 0xffff', 0xffff, 1],
    ['message_seq 0xfffe', 0xfffe, 1],
    ['record sequence number 2^48-1', 1, 2 ** 48 - 1],
  ] as const) {
    it(`server: a cookie-valid ClientHello with ${what} (no room left to number the handshake) is ignored, no state`, () => {
      // Found by the fuzzer: the server numbers its messages and records on from the ClientHello's
      // and used to fail with internal_error when the numbers ran out.
      const rig = new StageRig({ credentials });
      const withCookie = cookiedHello({})(rig)[0]!;
      const records = splitRecords(withCookie);
      const payload = Buffer.from(records[0]!.payload);
      payload.writeUInt16BE(messageSeq, 4);
      rig.deliver('server', record({ type: CT.Handshake, sequence }, payload));
      assert.equal(rig.endpoint.connections.size, 0);
      assert.deepEqual(rig.queue.map((q) => q.name), []);
      assert.deepEqual(rig.alertsSent.server, []);
      // The same hello numbered normally still works.
      payload.writeUInt16BE(1, 4);
      rig.deliver('server', record({ type: CT.Handshake, sequence: 1 }, payload));
      assert.equal(rig.server?.state, 'handshaking', rig.server?.failure?.message);
    });
  }
  it('server: a ClientHello carrying a forged cookie gets a fresh HelloVerifyRequest and no state', () => {
    const rig = new StageRig({ credentials });
    rig.deliver('server', record({ type: CT.Handshake }, handshake({ msgType: HT.ClientHello, messageSeq: 1, body: clientHelloBody({ cookie: filler(32) }) })));
    assert.deepEqual(rig.queue.map((q) => q.name), ['HelloVerifyRequest']);
    assert.equal(rig.endpoint.connections.size, 0);
  });
  it('a datagram with a valid ClientHello followed by garbage records does not confuse the stateless check', () => {
    const rig = new StageRig({ credentials });
    const hello = record({ type: CT.Handshake }, handshake({ msgType: HT.ClientHello, messageSeq: 0, body: clientHelloBody() }));
    rig.deliver('server', Buffer.concat([hello, record({ type: 99 }, filler(10)), filler(7)]));
    assert.deepEqual(rig.queue.map((q) => q.name), ['HelloVerifyRequest']);
    const records = splitRecords(rig.queue[0]!.rec.wire);
    assert.equal(records[0]!.version, DTLS10);
    assert.equal(rig.endpoint.connections.size, 0);
  });
});

describe('DTLS negative: what a connected peer refuses', () => {
  it('a connected client refuses application data sent in epoch 0 and keeps working', () => {
    runCase(pointOf('client', 'connected').steps, 'client', () => [record({ type: CT.ApplicationData, sequence: 9 }, Buffer.from('forged'))], { kind: 'ignored' });
  });
  it('a replayed epoch-1 record is dropped', () => {
    const rig = new StageRig({ credentials }).advance(pointOf('client', 'connected').steps);
    rig.client.sendApplicationData(Buffer.from('once'));
    const sent = rig.queue.shift()!;
    rig.deliver('server', Buffer.from(sent.rec.wire));
    rig.deliver('server', Buffer.from(sent.rec.wire));
    assert.equal(rig.server!.pendingApplicationData(), 1);
    assert.equal(rig.server!.state, 'connected');
  });
  it('epoch-1 application data sealed with the wrong record header (content type changed) is dropped', () => {
    const rig = new StageRig({ credentials }).advance(pointOf('client', 'connected').steps);
    rig.client.sendApplicationData(Buffer.from('typed'));
    const wire = Buffer.from(rig.queue.shift()!.rec.wire);
    wire[0] = CT.Handshake;
    rig.deliver('server', wire);
    assert.equal(rig.server!.pendingApplicationData(), 0);
    assert.equal(rig.server!.state, 'connected');
  });
  it('sendApplicationData before the handshake throws a plain error (API misuse, not input)', () => {
    const rig = new StageRig({ credentials }).advance(3);
    assert.throws(() => rig.client.sendApplicationData(Buffer.from('early')), /not connected/);
  });
  it('DTLS 1.2 record version is what every record the engine sends after the HelloVerifyRequest carries', () => {
    const rig = new StageRig({ credentials });
    rig.drain();
    for (const side of ['client', 'server'] as const) {
      for (const rec of rig.history[side]) {
        if (rec.type === CT.Handshake && rec.epoch === 0 && rec.payload[0] === HT.HelloVerifyRequest) continue;
        if (rec.type === CT.Handshake && rec.epoch === 0 && rec.payload[0] === HT.ClientHello && rec.payload.readUInt16BE(4) === 0) continue;
        assert.equal(rec.version, DTLS12, `${side}-bound record ${rec.type}`);
      }
    }
  });
});

// ---- PSK handshakes ----------------------------------------------------------------------------

const PSK_KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

function pskOptions(suite: string): Omit<RigOptions, 'credentials'> {
  return {
    client: { cipherSuites: [suite], psk: { identity: 'lab-client', key: PSK_KEY } },
    server: { pskCallback: (identity: string) => (identity === 'lab-client' ? PSK_KEY : undefined) },
  };
}

for (const suite of ['TLS_PSK_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256']) {
  describe(`DTLS negative, PSK handshake (${suite})`, () => {
    const options = pskOptions(suite);
    const stages = mapStages(credentials, options);
    const clientAfterHello = stages.find((stage) => stage.name === 'client has ServerHello');
    const serverAwaitingKeyExchange = stages.find((stage) => stage.name === 'server has ClientHello (with cookie)');
    it('completes untouched', () => {
      assert.ok(clientAfterHello && serverAwaitingKeyExchange, JSON.stringify(stages.map((stage) => stage.name)));
      const rig = new StageRig({ credentials, ...options });
      rig.drain();
      assert.equal(rig.client.negotiated?.suite, suite);
    });
    if (!clientAfterHello || !serverAwaitingKeyExchange) return;
    const ecdhe = suite.includes('ECDHE');
    for (const { type, body } of MESSAGES) {
      if (type === HT.ServerKeyExchange || type === HT.ServerHelloDone) continue;
      it(`client after the ServerHello: ${HT_NAME[type] ?? `handshake type ${type}`} fails the handshake with a fatal unexpected_message (10) alert`, () =>
        runCase(clientAfterHello.steps, 'client', handshakeInjection('client', type, body, 0), fatal(ALERT.unexpected_message), options));
    }
    for (const { type, body } of MESSAGES) {
      if (type === HT.ClientKeyExchange) continue;
      it(`server awaiting the PSK ClientKeyExchange: ${HT_NAME[type] ?? `handshake type ${type}`} fails the handshake with a fatal unexpected_message (10) alert`, () =>
        runCase(serverAwaitingKeyExchange.steps, 'server', handshakeInjection('server', type, body, 0), fatal(ALERT.unexpected_message), options));
    }
    const point = ecdhe ? vec8(filler(32, 3)) : Buffer.alloc(0);
    it('server: a ClientKeyExchange with an identity it does not know fails with unknown_psk_identity (115)', () =>
      runCase(serverAwaitingKeyExchange.steps, 'server', messageTo('server', HT.ClientKeyExchange, Buffer.concat([vec16(Buffer.from('intruder')), point])), fatal(115), options));
    it('server: a ClientKeyExchange whose identity runs past the message fails with decode_error (50)', () =>
      runCase(serverAwaitingKeyExchange.steps, 'server', messageTo('server', HT.ClientKeyExchange, Buffer.concat([u16(200), Buffer.from('lab-client')])), fatal(ALERT.decode_error), options));
    if (ecdhe) {
      it('client: ServerHelloDone without the ECDHE_PSK ServerKeyExchange fails with unexpected_message (10)', () =>
        runCase(clientAfterHello.steps, 'client', messageTo('client', HT.ServerHelloDone, Buffer.alloc(0)), fatal(ALERT.unexpected_message), options));
    }
  });
}
