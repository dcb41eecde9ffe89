// Shared helpers for the DTLS tests: certificate creation (node-forge for RSA, the openssl CLI for
// ECDSA, which forge cannot sign), a virtual clock and an in-memory lossy link between our client
// and our server endpoint.

import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import {
  DtlsConnection,
  DtlsServerEndpoint,
  type DtlsClientOptions,
  type DtlsEvent,
  type DtlsServerEndpointOptions,
  type GroupName,
} from '../../engine/dtls';

export interface Credentials {
  certificatePem: string;
  privateKeyPem: string;
}

export interface CertificateSpec {
  commonName?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  notBefore?: Date;
  notAfter?: Date;
  isCa?: boolean;
  /** Signs with this CA instead of self-signing. */
  issuer?: Credentials;
  /** keyUsage bits instead of the default (digitalSignature, keyEncipherment, keyCertSign for a CA);
   * false: no keyUsage extension at all. */
  keyUsage?: false | Partial<Record<'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign', boolean>>;
  /** extKeyUsage purposes: names node-forge knows (serverAuth, clientAuth, codeSigning, ...) or
   * dotted OIDs (2.5.29.37.0 is anyExtendedKeyUsage). Absent: no extKeyUsage extension. */
  extKeyUsage?: string[];
}

const DAY = 24 * 60 * 60 * 1000;

function newRsaKeyPem(): string {
  // PEM from the generation itself: exporting the generated KeyObject can deadlock Node 20 under GC.
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }).privateKey;
}

/** An RSA-2048 certificate made with node-forge (self-signed unless `issuer` is given). */
export function makeRsaCertificate(spec: CertificateSpec = {}): Credentials {
  const privateKeyPem = newRsaKeyPem();
  const privateKey = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  cert.validity.notBefore = spec.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = spec.notAfter ?? new Date(Date.now() + 30 * DAY);
  const subject = [{ name: 'commonName', value: spec.commonName ?? 'localhost' }];
  cert.setSubject(subject);
  const altNames = [
    ...(spec.dnsNames ?? ['localhost']).map((value) => ({ type: 2, value })),
    ...(spec.ipAddresses ?? ['127.0.0.1']).map((ip) => ({ type: 7, ip })),
  ];
  const extensions: object[] = [{ name: 'basicConstraints', cA: spec.isCa ?? !spec.issuer }];
  if (spec.keyUsage !== false) {
    extensions.push({ name: 'keyUsage', ...(spec.keyUsage ?? { digitalSignature: true, keyEncipherment: true, keyCertSign: spec.isCa ?? !spec.issuer }) });
  }
  if (spec.extKeyUsage) extensions.push({ name: 'extKeyUsage', ...Object.fromEntries(spec.extKeyUsage.map((purpose) => [purpose, true])) });
  if (!spec.isCa) extensions.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(extensions);
  if (spec.issuer) {
    const issuerCert = forge.pki.certificateFromPem(spec.issuer.certificatePem);
    cert.setIssuer(issuerCert.subject.attributes);
    cert.sign(forge.pki.privateKeyFromPem(spec.issuer.privateKeyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  } else {
    cert.setIssuer(subject);
    cert.sign(privateKey, forge.md.sha256.create());
  }
  return { certificatePem: forge.pki.certificateToPem(cert), privateKeyPem };
}

/** An ECDSA self-signed certificate (P-256 unless `curve` says otherwise) for CN=localhost (SAN localhost, 127.0.0.1), via the openssl CLI. */
export function makeEcdsaCertificate(commonName = 'localhost', curve: 'prime256v1' | 'secp384r1' | 'secp521r1' = 'prime256v1'): Credentials {
  const dir = mkdtempSync(join(tmpdir(), 'dtls-ec-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-nodes',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '30',
        '-subj', `/CN=${commonName}`, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore', timeout: 10_000 },
    );
    return { certificatePem: readFileSync(join(dir, 'cert.pem'), 'utf8'), privateKeyPem: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let rsaCache: Credentials | undefined;
let ecdsaCache: Credentials | undefined;

export function rsaCredentials(): Credentials {
  rsaCache ??= makeRsaCertificate();
  return rsaCache;
}

export function ecdsaCredentials(): Credentials {
  ecdsaCache ??= makeEcdsaCertificate();
  return ecdsaCache;
}

const curveCaches = new Map<string, Credentials>();

/** Cached ECDSA certificate on P-384 or P-521 (same names as ecdsaCredentials). */
export function ecdsaCurveCredentials(curve: 'secp384r1' | 'secp521r1'): Credentials {
  let credentials = curveCaches.get(curve);
  if (!credentials) {
    credentials = makeEcdsaCertificate('localhost', curve);
    curveCaches.set(curve, credentials);
  }
  return credentials;
}

export class VirtualClock {
  time = 0;

  now(): number {
    return this.time;
  }
}

export interface Packet {
  direction: 'to-server' | 'to-client';
  data: Buffer;
  /** Index among packets sent in this direction so far (0-based). */
  index: number;
}

export type PacketFilter = (packet: Packet) => 'deliver' | 'drop';

export interface LinkOptions {
  server: Credentials;
  client?: Partial<Omit<DtlsClientOptions, 'role' | 'send' | 'clock'>>;
  serverMtu?: number;
  serverGroups?: GroupName[];
  /** More server endpoint options (cipher suites, PSK, ...); `certificatePem: undefined` makes a PSK-only server. */
  serverOptions?: Partial<Omit<DtlsServerEndpointOptions, 'clock' | 'sendTo' | 'onConnection' | 'onStatelessEvent'>>;
  latencyMs?: number;
  filter?: PacketFilter;
  /** Reorders each burst of datagrams sent in one direction at the same instant. */
  reverseBursts?: boolean;
}

export interface TimedEvent {
  who: 'client' | 'server' | 'cookie';
  event: DtlsEvent;
}

/** Our client and our server endpoint joined by an in-memory link on a virtual clock. */
export class VirtualLink {
  readonly clock = new VirtualClock();
  readonly client: DtlsConnection;
  readonly endpoint: DtlsServerEndpoint;
  readonly events: TimedEvent[] = [];
  readonly clientAddress = '192.0.2.7:40000';
  serverConnection: DtlsConnection | undefined;
  private queue: Array<{ at: number; order: number; to: 'server' | 'client'; data: Buffer }> = [];
  private order = 0;
  private counts = { 'to-server': 0, 'to-client': 0 };
  private readonly latency: number;

  constructor(private readonly options: LinkOptions) {
    this.latency = options.latencyMs ?? 0;
    this.client = new DtlsConnection({
      role: 'client',
      clock: this.clock,
      send: (data) => this.transmit('to-server', Buffer.from(data)),
      verify: { mode: 'chain', trustedCaPems: [options.server.certificatePem], hostname: 'localhost' },
      serverName: 'localhost',
      ...options.client,
    });
    this.client.onEvent((event) => this.events.push({ who: 'client', event }));
    this.endpoint = new DtlsServerEndpoint({
      clock: this.clock,
      certificatePem: options.server.certificatePem,
      privateKeyPem: options.server.privateKeyPem,
      sendTo: (_address, data) => this.transmit('to-client', Buffer.from(data)),
      ...(options.serverMtu !== undefined ? { mtu: options.serverMtu } : {}),
      ...(options.serverGroups !== undefined ? { groups: options.serverGroups } : {}),
      ...options.serverOptions,
      onConnection: (connection) => {
        this.serverConnection = connection;
        connection.onEvent((event) => this.events.push({ who: 'server', event }));
      },
      onStatelessEvent: (_address, event) => this.events.push({ who: 'cookie', event }),
    });
  }

  private transmit(direction: 'to-server' | 'to-client', data: Buffer): void {
    const index = this.counts[direction]++;
    if (this.options.filter?.({ direction, data, index }) === 'drop') return;
    this.queue.push({ at: this.clock.now() + this.latency, order: this.order++, to: direction === 'to-server' ? 'server' : 'client', data });
  }

  /** Sends a raw datagram to the client (as if from the server) or to the server endpoint. */
  inject(to: 'server' | 'client', data: Buffer): void {
    this.queue.push({ at: this.clock.now(), order: this.order++, to, data });
  }

  private deliverDue(): void {
    for (;;) {
      const due = this.queue.filter((packet) => packet.at <= this.clock.now());
      if (due.length === 0) return;
      this.queue = this.queue.filter((packet) => packet.at > this.clock.now());
      due.sort((a, b) => a.at - b.at || a.order - b.order);
      if (this.options.reverseBursts) due.reverse();
      for (const packet of due) {
        if (packet.to === 'server') this.endpoint.receive(this.clientAddress, packet.data);
        else this.client.receive(packet.data);
      }
    }
  }

  /** Runs the link until `done()` holds or nothing is left to happen before `limitMs`. */
  run(done: () => boolean, limitMs = 120_000): void {
    for (let steps = 0; steps < 100_000; steps++) {
      this.deliverDue();
      if (done()) return;
      const times = [
        ...this.queue.map((packet) => packet.at),
        this.client.nextTimeout(),
        this.endpoint.nextTimeout(),
      ].filter((t): t is number => t !== undefined);
      if (times.length === 0) return;
      const next = Math.min(...times);
      if (next > limitMs) return;
      this.clock.time = Math.max(this.clock.time, next);
      this.client.poll();
      this.endpoint.poll();
    }
    throw new Error('virtual link did not settle');
  }

  handshake(limitMs = 120_000): void {
    this.client.start();
    this.run(() => this.client.state !== 'handshaking' && (this.serverConnection?.state ?? 'idle') !== 'handshaking' && this.serverConnection !== undefined || this.client.state === 'failed', limitMs);
  }

  eventsOf(who: TimedEvent['who'], type: DtlsEvent['type']): DtlsEvent[] {
    return this.events.filter((entry) => entry.who === who && entry.event.type === type).map((entry) => entry.event);
  }
}

/** The handshake type of the first record of a plaintext handshake datagram, if any. */
export function firstHandshakeType(datagram: Buffer): number | undefined {
  if (datagram.length < 26 || datagram[0] !== 22 || datagram.readUInt16BE(3) !== 0) return undefined;
  return datagram[13];
}
