// A bounded, seeded mutation fuzzer for the DTLS engine, shared by test/unit/dtls-fuzz.test.ts
// (short run) and bench/fuzz.ts (a million datagrams). Each session drives a real client/server
// pair to a random stage of the handshake (StageRig), then feeds one side a burst of datagrams
// built from the genuine records of that handshake and mutated: bit flips, byte overwrites,
// truncation, record and handshake length corruption, structure-aware shortening, epoch/sequence/
// type changes, splicing, duplication, reordering, re-fragmentation, and (once keys exist)
// mutated plaintext re-sealed with the peer's real epoch-1 keys so it passes the AEAD check.
// Checked: nothing escapes receive()/poll(); the side ends idle, handshaking, failed or closed,
// or connected only with a handshake whose keys really agree with the untouched peer's.

import type { DtlsConnection } from '../../engine/dtls';
import type { Credentials } from './dtls-helpers';
import { CT, DTLS12, HT, Random, StageRig, filler, handshake, record, splitRecords, type RigOptions, type Side, type WireRecord } from './dtls-stage-rig';

export interface FuzzOptions {
  credentials: Credentials;
  /** Extra client/server options for the pair (PSK suites, ...). */
  rig?: Omit<RigOptions, 'credentials'>;
  seed: number;
  /** Stop after this many datagrams fed. */
  datagrams: number;
  /** Most datagrams fed in one session (default 48). */
  maxPerSession?: number;
  /** Called every ~progressEvery datagrams. */
  onProgress?: (stats: FuzzStats) => void;
  progressEvery?: number;
}

export interface FuzzFinding {
  kind: 'exception' | 'insane-state' | 'internal-error';
  stage: number;
  side: Side;
  detail: string;
  /** The last datagram fed (hex), for reproduction. */
  datagram: string;
}

export interface FuzzStats {
  datagrams: number;
  sessions: number;
  elapsedMs: number;
  exceptions: number;
  findings: FuzzFinding[];
  /** Final state of the fuzzed side, per session. */
  outcomes: Record<string, number>;
  /** Failure kinds of the fuzzed side (failed sessions). */
  failureKinds: Record<string, number>;
  /** Sessions in which the fuzzed side reached 'connected' (each one verified by a round trip). */
  connectedVerified: number;
  /** Datagrams per mutation operator. */
  operators: Record<string, number>;
  /** Sessions per side and stage. */
  coverage: Record<string, number>;
}

type Operator = (ctx: MutationContext, datagram: Buffer) => Buffer;

interface MutationContext {
  rng: Random;
  rig: StageRig;
  side: Side;
  /** Records the side has yet to receive, then ones it had, then the other side's. */
  seeds: WireRecord[];
}

const MAX_FINDINGS = 50;

// ---- helpers -----------------------------------------------------------------------------------

function recordOffsets(datagram: Buffer): number[] {
  const offsets: number[] = [];
  let offset = 0;
  while (offset + 13 <= datagram.length) {
    offsets.push(offset);
    offset += 13 + datagram.readUInt16BE(offset + 11);
  }
  return offsets;
}

function plaintextHandshakeRecords(datagram: Buffer): WireRecord[] {
  return splitRecords(datagram).filter((rec) => rec.type === CT.Handshake && rec.epoch === 0 && rec.payload.length >= 12);
}

function rebuild(records: WireRecord[]): Buffer {
  return Buffer.concat(records.map((rec) => rec.wire));
}

function withPayload(rec: WireRecord, payload: Buffer): WireRecord {
  const wire = record({ type: rec.type, version: rec.version, epoch: rec.epoch, sequence: rec.sequence }, payload);
  return { ...rec, payload, wire };
}

const INTERESTING_16 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000, 0x4001, 0x7fff, 0x8000, 0xfffe, 0xffff];

function interesting16(rng: Random, near: number): number {
  return rng.chance(0.5) ? rng.pick(INTERESTING_16) : Math.max(0, Math.min(0xffff, near + rng.int(9) - 4));
}

// ---- operators ---------------------------------------------------------------------------------

const OPERATORS: Record<string, Operator> = {
  bitflip: ({ rng }, d) => {
    const out = Buffer.from(d);
    for (let n = 1 + rng.int(4); n > 0 && out.length > 0; n--) out[rng.int(out.length)]! ^= 1 << rng.int(8);
    return out;
  },
  byte: ({ rng }, d) => {
    const out = Buffer.from(d);
    if (out.length > 0) out[rng.int(out.length)] = rng.pick([0, 1, 0x7f, 0x80, 0xfe, 0xff, rng.int(256)]);
    return out;
  },
  truncate: ({ rng }, d) => d.subarray(0, rng.int(d.length + 1)),
  'record-length': ({ rng }, d) => {
    const offsets = recordOffsets(d);
    if (offsets.length === 0) return d;
    const out = Buffer.from(d);
    const at = rng.pick(offsets);
    out.writeUInt16BE(interesting16(rng, out.readUInt16BE(at + 11)), at + 11);
    return out;
  },
  'record-header': ({ rng }, d) => {
    const offsets = recordOffsets(d);
    if (offsets.length === 0) return d;
    const out = Buffer.from(d);
    const at = rng.pick(offsets);
    switch (rng.int(4)) {
      case 0:
        out[at] = rng.pick([20, 21, 22, 23, 24, 0, 255]);
        break;
      case 1:
        out.writeUInt16BE(rng.pick([DTLS12, 0xfeff, 0x0303, 0xfefc, rng.int(0x10000)]), at + 1);
        break;
      case 2:
        out.writeUInt16BE(rng.pick([0, 1, 2, 0xffff]), at + 3);
        break;
      default:
        out.writeUIntBE(rng.pick([0, 1, 2, 63, 64, 65, 1000, 2 ** 48 - 1, rng.int(2 ** 30)]), at + 5, 6);
    }
    return out;
  },
  'handshake-header': ({ rng }, d) => {
    const records = splitRecords(d);
    const targets = records.filter((rec) => rec.type === CT.Handshake && rec.epoch === 0 && rec.payload.length >= 12);
    if (targets.length === 0) return d;
    const target = rng.pick(targets);
    const payload = Buffer.from(target.payload);
    switch (rng.int(5)) {
      case 0:
        payload[0] = rng.pick([0, 1, 2, 3, 4, 11, 12, 13, 14, 15, 16, 20, 21, 22, 99, 255]);
        break;
      case 1:
        payload.writeUIntBE(rng.chance(0.5) ? rng.int(1 << 24) : Math.max(0, payload.readUIntBE(1, 3) + rng.int(9) - 4), 1, 3);
        break;
      case 2:
        payload.writeUInt16BE(interesting16(rng, payload.readUInt16BE(4)), 4);
        break;
      case 3:
        payload.writeUIntBE(rng.chance(0.5) ? rng.int(1 << 24) : rng.int(64), 6, 3);
        break;
      default:
        payload.writeUIntBE(rng.chance(0.5) ? rng.int(1 << 24) : Math.max(0, payload.readUIntBE(9, 3) + rng.int(9) - 4), 9, 3);
    }
    return rebuild(records.map((rec) => (rec === target ? withPayload(rec, payload) : rec)));
  },
  'shorten-body': ({ rng }, d) => {
    // Cuts a handshake body and fixes every length so the record parses and the decoder sees it.
    const records = splitRecords(d);
    const targets = records.filter((rec) => rec.type === CT.Handshake && rec.epoch === 0 && rec.payload.length > 12);
    if (targets.length === 0) return d;
    const target = rng.pick(targets);
    const body = target.payload.subarray(12, 12 + target.payload.readUIntBE(9, 3));
    const cut = rng.chance(0.5) ? rng.int(body.length) : Math.max(0, body.length - 1 - rng.int(4));
    const grown = rng.chance(0.2) ? Buffer.concat([body, filler(1 + rng.int(8), rng.int(1000) + 1)]) : body.subarray(0, cut);
    const payload = handshake({ msgType: target.payload[0]!, messageSeq: target.payload.readUInt16BE(4), body: grown });
    return rebuild(records.map((rec) => (rec === target ? withPayload(rec, payload) : rec)));
  },
  'body-bytes': ({ rng }, d) => {
    // Overwrites bytes inside a handshake body (lengths stay valid, so decoders see the damage).
    const records = splitRecords(d);
    const targets = records.filter((rec) => rec.type === CT.Handshake && rec.epoch === 0 && rec.payload.length > 12);
    if (targets.length === 0) return d;
    const target = rng.pick(targets);
    const payload = Buffer.from(target.payload);
    for (let n = 1 + rng.int(3); n > 0; n--) payload[12 + rng.int(payload.length - 12)] = rng.pick([0, 1, 0xff, 0x80, rng.int(256)]);
    return rebuild(records.map((rec) => (rec === target ? withPayload(rec, payload) : rec)));
  },
  fragment: ({ rng }, d) => {
    // Re-fragments a handshake message, sometimes with overlaps, gaps or disagreeing headers.
    const records = splitRecords(d);
    const targets = records.filter((rec) => rec.type === CT.Handshake && rec.epoch === 0 && rec.payload.length > 13);
    if (targets.length === 0) return d;
    const target = rng.pick(targets);
    const type = target.payload[0]!;
    const seq = target.payload.readUInt16BE(4);
    const body = target.payload.subarray(12, 12 + target.payload.readUIntBE(9, 3));
    const pieces: WireRecord[] = [];
    let offset = 0;
    while (offset < body.length) {
      const size = 1 + rng.int(Math.max(1, Math.min(body.length - offset, 200)));
      const start = rng.chance(0.15) ? Math.max(0, offset - rng.int(8)) : offset;
      const length = rng.chance(0.05) ? body.length + 1 + rng.int(4) : body.length;
      const frag = handshake({ msgType: rng.chance(0.05) ? rng.pick([1, 2, 11, 20]) : type, messageSeq: seq, body: body.subarray(start, offset + size), length, fragmentOffset: start });
      pieces.push(withPayload(target, frag));
      offset += size;
      if (rng.chance(0.05)) offset += 1 + rng.int(4);
    }
    for (let i = pieces.length - 1; i > 0 && rng.chance(0.5); i--) {
      const j = rng.int(i + 1);
      [pieces[i], pieces[j]] = [pieces[j]!, pieces[i]!];
    }
    return rebuild(records.flatMap((rec) => (rec === target ? pieces : [rec])));
  },
  splice: ({ rng, seeds }, d) => {
    const other = rng.pick(seeds).wire;
    return Buffer.concat([d.subarray(0, rng.int(d.length + 1)), other.subarray(rng.int(other.length + 1))]);
  },
  duplicate: ({ rng }, d) => {
    const records = splitRecords(d);
    if (records.length === 0) return Buffer.concat([d, d]);
    const i = rng.int(records.length);
    records.splice(i, 0, records[i]!);
    return rebuild(records);
  },
  reorder: ({ rng }, d) => {
    const records = splitRecords(d);
    for (let i = records.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [records[i], records[j]] = [records[j]!, records[i]!];
    }
    return rebuild(records);
  },
  insert: ({ rng }, d) => {
    const at = rng.int(d.length + 1);
    return Buffer.concat([d.subarray(0, at), filler(1 + rng.int(16), 1 + rng.int(1 << 20)), d.subarray(at)]);
  },
  reseal: (ctx, d) => resealMutated(ctx, d),
};

const OPERATOR_NAMES = Object.keys(OPERATORS);

/** Decrypts an epoch-1 record with its sender's keys, damages the plaintext, and seals it again. */
function resealMutated({ rng, rig, side }: MutationContext, d: Buffer): Buffer {
  const sender: Side = side === 'client' ? 'server' : 'client';
  let protection;
  try {
    protection = rig.writeProtection(sender);
  } catch {
    return OPERATORS['handshake-header']!({ rng, rig, side, seeds: [] }, d);
  }
  const records = splitRecords(d);
  const sealed = records.filter((rec) => rec.epoch === 1);
  let plaintext: Buffer;
  let type: number;
  if (sealed.length > 0) {
    const target = rng.pick(sealed);
    const opened = protection.open(target.type, target.version, 1, target.sequence, target.payload);
    if (!opened) return d;
    plaintext = Buffer.from(opened);
    type = target.type;
  } else {
    // Nothing sealed to start from: seal a plaintext handshake record or a made-up message.
    const plain = plaintextHandshakeRecords(d);
    plaintext = plain.length > 0 ? Buffer.from(rng.pick(plain).payload) : handshake({ msgType: rng.pick([HT.Finished, HT.ClientHello, HT.HelloRequest]), messageSeq: rig.nextSeq(side), body: filler(12, rng.int(99) + 1) });
    type = rng.chance(0.8) ? CT.Handshake : rng.pick([CT.Alert, CT.ApplicationData, CT.ChangeCipherSpec]);
  }
  switch (rng.int(6)) {
    case 0:
      if (plaintext.length > 0) plaintext[rng.int(plaintext.length)]! ^= 1 << rng.int(8);
      break;
    case 1:
      plaintext = plaintext.subarray(0, rng.int(plaintext.length + 1));
      break;
    case 2:
      if (plaintext.length >= 12) plaintext.writeUInt16BE(interesting16(rng, plaintext.readUInt16BE(4)), 4);
      break;
    case 3:
      if (plaintext.length >= 1) plaintext[0] = rng.pick([0, 1, 2, 3, 4, 11, 14, 16, 20, 99]);
      break;
    case 4:
      type = rng.pick([CT.Alert, CT.ApplicationData, CT.ChangeCipherSpec, CT.Handshake]);
      if (type === CT.Alert) plaintext = Buffer.from([rng.pick([1, 2, 3]), rng.pick([0, 10, 20, 40, 50, 100, rng.int(256)])]);
      break;
    default:
      // unchanged content under a new sequence number (a legitimate-looking retransmission)
      break;
  }
  const sequence = 1 + rng.int(60);
  return record({ type, epoch: 1, sequence }, protection.seal(type, DTLS12, 1, sequence, plaintext));
}

// ---- the loop ----------------------------------------------------------------------------------

function baseDatagram({ rng, seeds }: MutationContext): Buffer {
  const count = rng.chance(0.7) ? 1 : 2 + rng.int(3);
  const parts: Buffer[] = [];
  // Mostly the records the side is waiting for (the first seeds), sometimes anything.
  for (let i = 0; i < count; i++) parts.push(rng.chance(0.6) ? seeds[Math.min(i, seeds.length - 1)]!.wire : rng.pick(seeds).wire);
  return Buffer.concat(parts);
}

function targetConnection(rig: StageRig, side: Side): DtlsConnection | undefined {
  return side === 'client' ? rig.client : rig.server;
}

/**
 * Application data gets through both ways. Re-sealed records the fuzzer fed (with the peer's real
 * keys) may have taken sequence numbers 1..60 in the replay window or left application data of
 * their own, so the sender tries again with the next sequence numbers and the reader looks
 * through everything it got.
 */
function roundTripWorks(rig: StageRig): string | undefined {
  const server = rig.server;
  if (!server || rig.client.state !== 'connected' || server.state !== 'connected') {
    return `after the drain: client ${rig.client.state}, server ${rig.state('server')}`;
  }
  const pass = (from: DtlsConnection, to: DtlsConnection, text: string): boolean => {
    for (let attempt = 0; attempt < 70; attempt++) {
      from.sendApplicationData(Buffer.from(text));
      rig.drain();
      for (let got = to.readApplicationData(); got; got = to.readApplicationData()) {
        if (Buffer.from(got).toString() === text) return true;
      }
    }
    return false;
  };
  if (!pass(rig.client, server, 'fuzz-ping')) return 'server never read the client application data';
  if (!pass(server, rig.client, 'fuzz-pong')) return 'client never read the server application data';
  return undefined;
}

export function runFuzz(options: FuzzOptions): FuzzStats {
  const rng = new Random(options.seed);
  const maxPerSession = options.maxPerSession ?? 48;
  const progressEvery = options.progressEvery ?? 100_000;
  let nextProgress = progressEvery;
  const stats: FuzzStats = {
    datagrams: 0,
    sessions: 0,
    elapsedMs: 0,
    exceptions: 0,
    findings: [],
    outcomes: {},
    failureKinds: {},
    connectedVerified: 0,
    operators: {},
    coverage: {},
  };
  const started = performance.now();
  const stageCount = countStages(options.credentials, options.rig);

  const finding = (f: FuzzFinding) => {
    if (f.kind === 'exception') stats.exceptions++;
    if (stats.findings.length < MAX_FINDINGS) stats.findings.push(f);
  };

  while (stats.datagrams < options.datagrams) {
    const stage = rng.int(stageCount);
    const side: Side = rng.chance(0.5) ? 'client' : 'server';
    const rig = new StageRig({ credentials: options.credentials, ...options.rig }).advance(stage);
    stats.sessions++;
    stats.coverage[`${side}@${stage}`] = (stats.coverage[`${side}@${stage}`] ?? 0) + 1;
    const pending = rig.queue.filter((q) => q.to === side).map((q) => q.rec);
    const other: Side = side === 'client' ? 'server' : 'client';
    const seeds = [...pending, ...rig.history[side], ...rig.queue.filter((q) => q.to === other).map((q) => q.rec), ...rig.history[other]];
    if (seeds.length === 0) seeds.push(...splitRecords(record({ type: CT.Handshake }, handshake({ msgType: HT.ClientHello, messageSeq: 0, body: filler(60) }))));
    const ctx: MutationContext = { rng, rig, side, seeds };
    const wasConnected = rig.state(side) === 'connected';
    const budget = 1 + rng.int(maxPerSession);
    let last: Buffer = Buffer.alloc(0);

    for (let i = 0; i < budget && stats.datagrams < options.datagrams; i++) {
      let datagram: Buffer;
      if (rng.chance(0.08)) {
        datagram = Buffer.from(baseDatagram(ctx));
        stats.operators.genuine = (stats.operators.genuine ?? 0) + 1;
      } else {
        datagram = baseDatagram(ctx);
        for (let n = 1 + (rng.chance(0.3) ? rng.int(3) : 0); n > 0; n--) {
          const name = rng.pick(OPERATOR_NAMES);
          stats.operators[name] = (stats.operators[name] ?? 0) + 1;
          datagram = OPERATORS[name]!(ctx, datagram);
        }
      }
      last = datagram;
      stats.datagrams++;
      try {
        rig.deliver(side, datagram);
        if (rng.chance(0.05)) {
          rig.clock.time += rng.int(3000);
          rig.client.poll();
          rig.endpoint.poll();
        }
      } catch (error) {
        finding({ kind: 'exception', stage, side, detail: (error as Error)?.stack ?? String(error), datagram: datagram.toString('hex') });
        break;
      }
      const state = rig.state(side);
      if (state === 'failed' || state === 'closed') break;
    }

    const connection = targetConnection(rig, side);
    const state = rig.state(side);
    stats.outcomes[state] = (stats.outcomes[state] ?? 0) + 1;
    if (state === 'failed' && connection?.failure) {
      stats.failureKinds[connection.failure.kind] = (stats.failureKinds[connection.failure.kind] ?? 0) + 1;
      if (connection.failure.kind === 'internal-error') {
        finding({ kind: 'internal-error', stage, side, detail: connection.failure.message, datagram: last.toString('hex') });
      }
    }
    if (!['idle', 'handshaking', 'failed', 'closed', 'connected', 'none'].includes(state)) {
      finding({ kind: 'insane-state', stage, side, detail: `state ${state}`, datagram: last.toString('hex') });
    }
    if (state === 'connected' && !wasConnected) {
      // Connected after mutations: only acceptable if the handshake is the genuine one, i.e. the
      // untouched peer ends connected with the same keys.
      try {
        rig.drain();
        const problem = roundTripWorks(rig);
        if (problem) finding({ kind: 'insane-state', stage, side, detail: `${side} connected but ${problem}`, datagram: last.toString('hex') });
        else stats.connectedVerified++;
      } catch (error) {
        finding({ kind: 'exception', stage, side, detail: (error as Error)?.stack ?? String(error), datagram: last.toString('hex') });
      }
    }
    if (stats.datagrams >= nextProgress) {
      nextProgress += progressEvery;
      stats.elapsedMs = performance.now() - started;
      options.onProgress?.(stats);
    }
  }
  stats.elapsedMs = performance.now() - started;
  return stats;
}

/** Number of stages of a natural handshake (start + every single record). */
function countStages(credentials: Credentials, extra: Omit<RigOptions, 'credentials'> = {}): number {
  const rig = new StageRig({ credentials, ...extra });
  let count = 1;
  while (rig.step()) count++;
  return count;
}
