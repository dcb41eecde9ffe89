// A record-by-record driver for the negative, fuzz and flood suites (and bench/fuzz.ts): our
// client and our server endpoint joined by queues we step by hand, so a test can stop the
// handshake after any single record, inject crafted datagrams into either side, and then let the
// genuine traffic continue. Also crafts DTLS records and handshake messages from scratch (its own
// encoders, so the tests do not trust the engine's), and reaches the peer's record protection to
// inject authentic epoch-1 records.

import { DtlsConnection, DtlsServerEndpoint, type DtlsClientOptions, type DtlsEvent, type DtlsServerEndpointOptions } from '../../engine/dtls';
import { VirtualClock, type Credentials } from './dtls-helpers';

export type Side = 'client' | 'server';

export const CT = { ChangeCipherSpec: 20, Alert: 21, Handshake: 22, ApplicationData: 23 } as const;
export const HT = {
  HelloRequest: 0,
  ClientHello: 1,
  ServerHello: 2,
  HelloVerifyRequest: 3,
  NewSessionTicket: 4,
  Certificate: 11,
  ServerKeyExchange: 12,
  CertificateRequest: 13,
  ServerHelloDone: 14,
  CertificateVerify: 15,
  ClientKeyExchange: 16,
  Finished: 20,
} as const;
export const HT_NAME: Record<number, string> = Object.fromEntries(Object.entries(HT).map(([name, code]) => [code, name]));

export const DTLS12 = 0xfefd;
export const DTLS10 = 0xfeff;

// ---- encoding ----------------------------------------------------------------------------------

export function u8(value: number): Buffer {
  return Buffer.from([value & 0xff]);
}
export function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value & 0xffff);
  return b;
}
export function u24(value: number): Buffer {
  const b = Buffer.alloc(3);
  b.writeUIntBE(value & 0xffffff, 0, 3);
  return b;
}
export function u48(value: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(value, 0, 6);
  return b;
}
export function vec8(data: Uint8Array): Buffer {
  return Buffer.concat([u8(data.length), data]);
}
export function vec16(data: Uint8Array): Buffer {
  return Buffer.concat([u16(data.length), data]);
}
export function vec24(data: Uint8Array): Buffer {
  return Buffer.concat([u24(data.length), data]);
}

export interface RecordSpec {
  type: number;
  version?: number;
  epoch?: number;
  sequence?: number;
  /** Overrides the length field (for length-overflow cases). */
  length?: number;
}

export function record(spec: RecordSpec, payload: Buffer): Buffer {
  return Buffer.concat([
    u8(spec.type),
    u16(spec.version ?? DTLS12),
    u16(spec.epoch ?? 0),
    u48(spec.sequence ?? 0),
    u16(spec.length ?? payload.length),
    payload,
  ]);
}

export interface FragmentSpec {
  msgType: number;
  messageSeq: number;
  body: Buffer;
  /** Overrides of header fields (defaults describe one unfragmented message). */
  length?: number;
  fragmentOffset?: number;
  fragmentLength?: number;
}

export function handshake(spec: FragmentSpec): Buffer {
  return Buffer.concat([
    u8(spec.msgType),
    u24(spec.length ?? spec.body.length),
    u16(spec.messageSeq),
    u24(spec.fragmentOffset ?? 0),
    u24(spec.fragmentLength ?? spec.body.length),
    spec.body,
  ]);
}

/** A random-looking but deterministic byte string. */
export function filler(length: number, seed = 7): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export interface HelloSpec {
  version?: number;
  random?: Buffer;
  sessionId?: Buffer;
  cookie?: Buffer;
  suites?: number[];
  compression?: number[];
  /** [type, data] pairs, written in order (duplicates allowed). */
  extensions?: Array<[number, Buffer]>;
}

export function extensionsBlock(extensions: Array<[number, Buffer]> | undefined): Buffer {
  if (!extensions) return Buffer.alloc(0);
  return vec16(Buffer.concat(extensions.map(([type, data]) => Buffer.concat([u16(type), vec16(data)]))));
}

export const EXT = { ServerName: 0, SupportedGroups: 10, EcPointFormats: 11, SignatureAlgorithms: 13, ExtendedMasterSecret: 23, RenegotiationInfo: 0xff01 };

/** Extensions a plausible client sends: groups x25519/P-256, uncompressed points, ECDSA/RSA-PSS SHA-256. */
export function typicalClientExtensions(): Array<[number, Buffer]> {
  return [
    [EXT.SupportedGroups, vec16(Buffer.concat([u16(29), u16(23)]))],
    [EXT.EcPointFormats, vec8(Buffer.from([0]))],
    [EXT.SignatureAlgorithms, vec16(Buffer.concat([u16(0x0403), u16(0x0804), u16(0x0401)]))],
    [EXT.ExtendedMasterSecret, Buffer.alloc(0)],
    [EXT.RenegotiationInfo, vec8(Buffer.alloc(0))],
  ];
}

export function clientHelloBody(spec: HelloSpec = {}): Buffer {
  return Buffer.concat([
    u16(spec.version ?? DTLS12),
    spec.random ?? filler(32, 11),
    vec8(spec.sessionId ?? Buffer.alloc(0)),
    vec8(spec.cookie ?? Buffer.alloc(0)),
    vec16(Buffer.concat((spec.suites ?? [0xc02b, 0xc02f]).map(u16))),
    vec8(Buffer.from(spec.compression ?? [0])),
    extensionsBlock(spec.extensions ?? typicalClientExtensions()),
  ]);
}

export interface ServerHelloSpec {
  version?: number;
  suite?: number;
  compression?: number;
  extensions?: Array<[number, Buffer]>;
}

export function serverHelloBody(spec: ServerHelloSpec = {}): Buffer {
  return Buffer.concat([
    u16(spec.version ?? DTLS12),
    filler(32, 13),
    vec8(Buffer.alloc(0)),
    u16(spec.suite ?? 0xc02b),
    u8(spec.compression ?? 0),
    extensionsBlock(spec.extensions),
  ]);
}

// ---- parsing what the engine sends -------------------------------------------------------------

export interface WireRecord {
  type: number;
  version: number;
  epoch: number;
  sequence: number;
  payload: Buffer;
  /** The whole record as it was on the wire. */
  wire: Buffer;
}

/** Splits a datagram into records; stops silently at the first malformed header. */
export function splitRecords(datagram: Buffer): WireRecord[] {
  const out: WireRecord[] = [];
  let offset = 0;
  while (offset + 13 <= datagram.length) {
    const length = datagram.readUInt16BE(offset + 11);
    if (offset + 13 + length > datagram.length) break;
    out.push({
      type: datagram[offset]!,
      version: datagram.readUInt16BE(offset + 1),
      epoch: datagram.readUInt16BE(offset + 3),
      sequence: datagram.readUIntBE(offset + 5, 6),
      payload: datagram.subarray(offset + 13, offset + 13 + length),
      wire: datagram.subarray(offset, offset + 13 + length),
    });
    offset += 13 + length;
  }
  return out;
}

/** "ServerHello", "ChangeCipherSpec", "epoch-1 handshake", "alert(2,10)", ... */
export function describeRecord(rec: WireRecord): string {
  if (rec.type === CT.ChangeCipherSpec) return 'ChangeCipherSpec';
  if (rec.epoch > 0) return rec.type === CT.Handshake ? 'Finished' : `epoch-${rec.epoch} type-${rec.type}`;
  if (rec.type === CT.Handshake && rec.payload.length >= 12) return HT_NAME[rec.payload[0]!] ?? `Handshake(${rec.payload[0]})`;
  if (rec.type === CT.Alert && rec.payload.length === 2) return `alert(${rec.payload[0]},${rec.payload[1]})`;
  return `type-${rec.type}`;
}

// ---- the rig -----------------------------------------------------------------------------------

export interface QueuedRecord {
  to: Side;
  rec: WireRecord;
  name: string;
}

export interface SealingProtection {
  seal(contentType: number, version: number, epoch: number, sequence: number, plaintext: Buffer): Buffer;
  open(contentType: number, version: number, epoch: number, sequence: number, fragment: Buffer): Buffer | undefined;
}

export interface RigOptions {
  credentials: Credentials;
  /** Collect every event of both sides (off in the fuzzer, for speed). */
  recordEvents?: boolean;
  clientAddress?: string;
  /** Extra client options (suites, PSK, ...). */
  client?: Partial<Omit<DtlsClientOptions, 'role' | 'send' | 'clock'>>;
  /** Extra server endpoint options. */
  server?: Partial<Omit<DtlsServerEndpointOptions, 'clock' | 'sendTo'>>;
}

export interface SideView {
  /** Handshake messages and ChangeCipherSpecs delivered to this side, in order. */
  received: string[];
  /** message_seq of the last handshake message delivered to this side (-1 before any). */
  lastSeq: number;
  /** Whether a ChangeCipherSpec was delivered (the side now reads epoch 1). */
  readsEpoch1: boolean;
}

/** One stop of the natural handshake: `steps` records delivered. */
export interface StageInfo {
  steps: number;
  /** e.g. "server has ClientKeyExchange" */
  name: string;
  clientState: string;
  serverState: string;
  client: SideView;
  server: SideView;
}

export class StageRig {
  readonly clock = new VirtualClock();
  readonly client: DtlsConnection;
  readonly endpoint: DtlsServerEndpoint;
  server: DtlsConnection | undefined;
  readonly clientAddress: string;
  /** Records waiting for delivery, in send order (both directions). */
  queue: QueuedRecord[] = [];
  readonly events: Array<{ who: Side | 'cookie'; event: DtlsEvent }> = [];
  /** Fatal and warning alerts each side sent (descriptions as codes). */
  readonly alertsSent: Record<Side, Array<{ level: string; code: number }>> = { client: [], server: [] };
  readonly view: Record<Side, SideView> = {
    client: { received: [], lastSeq: -1, readsEpoch1: false },
    server: { received: [], lastSeq: -1, readsEpoch1: false },
  };
  /** Every genuine record delivered to each side so far (by step()). */
  readonly history: Record<Side, WireRecord[]> = { client: [], server: [] };
  steps = 0;
  /** What the last step did, e.g. "server has ClientKeyExchange". */
  lastStepName = 'before the client starts';
  private started = false;

  constructor(private readonly options: RigOptions) {
    this.clientAddress = options.clientAddress ?? '198.51.100.9:5684';
    this.client = new DtlsConnection({
      role: 'client',
      clock: this.clock,
      send: (data) => this.enqueue('server', Buffer.from(data)),
      verify: { mode: 'chain', trustedCaPems: [options.credentials.certificatePem], hostname: 'localhost' },
      serverName: 'localhost',
      ...options.client,
    });
    this.watch('client', this.client);
    this.endpoint = new DtlsServerEndpoint({
      clock: this.clock,
      certificatePem: options.credentials.certificatePem,
      privateKeyPem: options.credentials.privateKeyPem,
      sendTo: (_address, data) => this.enqueue('client', Buffer.from(data)),
      ...options.server,
      onConnection: (connection) => {
        this.server = connection;
        this.watch('server', connection);
      },
      ...(options.recordEvents ? { onStatelessEvent: (_address: string, event: DtlsEvent) => this.events.push({ who: 'cookie', event }) } : {}),
    });
  }

  private watch(who: Side, connection: DtlsConnection): void {
    connection.onEvent((event) => {
      if (this.options.recordEvents) this.events.push({ who, event });
      if (event.type === 'alert' && event.direction === 'sent') this.alertsSent[who].push({ level: event.level, code: event.code });
    });
  }

  private enqueue(to: Side, datagram: Buffer): void {
    for (const rec of splitRecords(datagram)) {
      this.queue.push({ to, rec, name: describeRecord(rec) });
    }
  }

  state(side: Side): string {
    if (side === 'client') return this.client.state;
    return this.server?.state ?? 'none';
  }

  /** Hands a raw datagram to one side, exactly as the network would. */
  deliver(to: Side, datagram: Buffer): void {
    if (to === 'server') this.endpoint.receive(this.clientAddress, datagram);
    else this.client.receive(datagram);
  }

  /** Performs the next step of the natural handshake; false when there is nothing left to do. */
  step(): boolean {
    if (!this.started) {
      this.started = true;
      this.client.start();
      this.steps++;
      this.lastStepName = 'client has sent flight 1';
      return true;
    }
    const next = this.queue.shift();
    if (!next) return false;
    const view = this.view[next.to];
    if (next.rec.type === CT.Handshake && next.rec.epoch === 0 && next.rec.payload.length >= 12) {
      view.lastSeq = Math.max(view.lastSeq, next.rec.payload.readUInt16BE(4));
      view.received.push(next.name);
    } else if (next.rec.type === CT.Handshake && next.rec.epoch > 0) {
      view.lastSeq += 1; // the encrypted Finished
      view.received.push(next.name);
    } else if (next.rec.type === CT.ChangeCipherSpec) {
      view.readsEpoch1 = true;
      view.received.push(next.name);
    }
    this.history[next.to].push(next.rec);
    this.deliver(next.to, Buffer.from(next.rec.wire));
    this.steps++;
    const again = next.to === 'server' && next.name === 'ClientHello' ? (view.lastSeq === 0 ? ' (no cookie)' : ' (with cookie)') : '';
    this.lastStepName = `${next.to} has ${next.name}${again}`;
    return true;
  }

  /** Steps until `steps` records (plus the start) have been delivered. */
  advance(steps: number): this {
    while (this.steps < steps) if (!this.step()) throw new Error(`handshake ran out of steps at ${this.steps} (wanted ${steps})`);
    return this;
  }

  /** Delivers everything still queued (and whatever it provokes). */
  drain(limit = 200): void {
    for (let i = 0; i < limit && this.step(); i++);
  }

  /** Next message_seq `side` expects from its peer. */
  nextSeq(side: Side): number {
    return this.view[side].lastSeq + 1;
  }

  /** The write protection `side` uses for `epoch` (reached through a private field). */
  writeProtection(side: Side, epoch = 1): SealingProtection {
    const connection = side === 'client' ? this.client : this.server;
    const map = (connection as unknown as { writeProtection?: Map<number, SealingProtection> } | undefined)?.writeProtection;
    if (!(map instanceof Map)) throw new Error('DtlsConnection.writeProtection is gone: update StageRig.writeProtection');
    const protection = map.get(epoch);
    if (!protection) throw new Error(`${side} has no epoch-${epoch} write protection yet`);
    return protection;
  }

  /** An authentic record from `from` (epoch 1), with a sequence number of our choosing. */
  sealAs(from: Side, type: number, plaintext: Buffer, sequence = 40): Buffer {
    const sealed = this.writeProtection(from).seal(type, DTLS12, 1, sequence, plaintext);
    return record({ type, epoch: 1, sequence }, sealed);
  }

  describe(): StageInfo {
    return {
      steps: this.steps,
      name: this.lastStepName,
      clientState: this.client.state,
      serverState: this.state('server'),
      client: { ...this.view.client, received: [...this.view.client.received] },
      server: { ...this.view.server, received: [...this.view.server.received] },
    };
  }
}

/**
 * Runs one natural handshake with `credentials` and lists its stages: stage k is what both
 * sides look like after the start plus k-1 single-record deliveries.
 */
export function mapStages(credentials: Credentials, extra: Omit<RigOptions, 'credentials'> = {}): StageInfo[] {
  const rig = new StageRig({ credentials, ...extra });
  const stages: StageInfo[] = [rig.describe()];
  while (rig.step()) stages.push(rig.describe());
  if (rig.client.state !== 'connected' || rig.server?.state !== 'connected') {
    throw new Error(`the natural handshake did not complete (client ${rig.client.state}, server ${rig.state('server')})`);
  }
  return stages;
}

/** Deterministic PRNG (mulberry32). */
export class Random {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---- flood material ----------------------------------------------------------------------------

/** A random "ip:port" from a documentation-free, wide address space. */
export function randomAddress(rng: Random): string {
  return `${10 + rng.int(200)}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}:${1024 + rng.int(64000)}`;
}

export type SpoofKind = 'no-cookie' | 'forged-cookie' | 'replayed-cookie' | 'garbage' | 'not-a-hello';

/**
 * One spoofed datagram: a ClientHello without a cookie, with a random cookie, a ClientHello (with
 * its cookie) that was valid from another address, or something that is not a ClientHello at all.
 */
export function spoofedDatagram(rng: Random, kind: SpoofKind, replayedHello: Buffer): Buffer {
  switch (kind) {
    case 'replayed-cookie':
      return replayedHello;
    case 'no-cookie':
    case 'forged-cookie': {
      const cookie = kind === 'no-cookie' ? Buffer.alloc(0) : filler(32, 1 + rng.int(1 << 30));
      const body = clientHelloBody({ random: filler(32, 1 + rng.int(1 << 30)), cookie });
      return record({ type: CT.Handshake, sequence: rng.int(4) }, handshake({ msgType: HT.ClientHello, messageSeq: kind === 'no-cookie' ? 0 : 1, body }));
    }
    case 'garbage':
      return filler(1 + rng.int(300), 1 + rng.int(1 << 30));
    case 'not-a-hello':
      return record({ type: rng.pick([CT.Handshake, CT.ApplicationData, CT.Alert, CT.ChangeCipherSpec]), epoch: rng.int(2) }, filler(1 + rng.int(80), 1 + rng.int(1 << 30)));
  }
}

/** Sizes of every Map, Set and array held directly by `object` (to show nothing grows). */
export function containerSizes(object: object): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value instanceof Map || value instanceof Set) sizes[key] = value.size;
    else if (Array.isArray(value)) sizes[key] = value.length;
  }
  return sizes;
}
