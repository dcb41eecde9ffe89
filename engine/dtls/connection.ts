// A sans-IO DTLS 1.2 connection (client or server). It never touches sockets or timers: feed it
// datagrams with receive(), call poll() when nextTimeout() is reached, and it hands datagrams to
// the `send` callback. Records, epochs, flights, retransmission, alerts and application data live
// here; the handshake messages themselves are handled by ClientHandshake / ServerHandshake.

import { ownedBuffer } from './bytes';
import type { VerifyOptions } from './certificate-check';
import type { RecordProtection } from './cipher-state';
import {
  AlertDescription,
  AlertLevel,
  CHANGE_CIPHER_SPEC_NAME,
  ContentType,
  DTLS_1_2,
  MAX_PLAINTEXT_LENGTH,
  RECORD_HEADER_LENGTH,
  alertMeaning,
  alertName,
  handshakeName,
  type GroupName,
} from './constants';
import { ClientHandshake } from './client';
import { CookieAuthority } from './cookie';
import { loadServerCredentials, type ServerCredentials } from './credentials';
import {
  EventHub,
  type Clock,
  type ConnectionFailure,
  type ConnectionState,
  type DtlsEvent,
  type DtlsEventListener,
  type FailureKind,
  type RecordContentType,
} from './events';
import { DtlsFailure } from './failure';
import { FlightTimer } from './flight-timer';
import { packFlight, type FlightItem } from './flight-packer';
import { HandshakeReassembler } from './fragment-reassembler';
import type { HandshakeHost, HandshakeRole, NegotiatedParameters } from './handshake-host';
import { decodeHandshakeFragments, encodeWholeHandshake, type HandshakeFragment } from './handshake-messages';
import { encodeRecord, parseDatagram, type DtlsRecord } from './record-layer';
import { ReplayWindow } from './replay-window';
import { ServerHandshake } from './server';
import type { ClientSuiteOptions, ServerSuiteOptions } from './suite-options';
import { pickClientFeatures, type ClientFeatureOptions, type ServerFeatureOptions } from './handshake-features';
import type { DtlsSession } from './session';

interface CommonOptions {
  /** Called with every datagram to put on the wire. Must not call receive() on this connection synchronously. */
  send(datagram: Uint8Array): void;
  clock: Clock;
  /** Largest datagram we produce (bytes of UDP payload). Default 1400, minimum 128. */
  mtu?: number;
  /** First retransmission timeout (default 1000 ms); doubles on every timeout. */
  initialRetransmitMs?: number;
  /** Cap of the retransmission timeout (default 60000 ms). */
  maxRetransmitMs?: number;
  /** The handshake fails with 'handshake-timeout' if not done this long after it started (default 60000 ms). */
  handshakeTimeoutMs?: number;
}

export interface DtlsClientOptions extends CommonOptions, ClientSuiteOptions, ClientFeatureOptions {
  role: 'client';
  /** Sent as server_name when it is a DNS name (not an IP address). */
  serverName?: string;
  verify: VerifyOptions;
  /** Groups to offer, in order (default ['x25519', 'secp256r1', 'secp384r1', 'secp521r1']). */
  groups?: GroupName[];
}

export interface DtlsServerOptions extends CommonOptions, ServerSuiteOptions, ServerFeatureOptions {
  role: 'server';
  /** Certificate chain in PEM, leaf first. RSA or ECDSA (P-256, P-384, P-521) leaf. May be left out
   * (with privateKeyPem) by a PSK-only server, which then needs pskCallback. */
  certificatePem?: string;
  privateKeyPem?: string;
  /** "ip:port" of the peer; bound into the cookie. */
  clientAddress: string;
  /** When given, a ClientHello without a valid cookie is answered with a HelloVerifyRequest and the
   * connection stays idle (no state kept). Without it, the handshake starts on any ClientHello. */
  cookieAuthority?: CookieAuthority;
  /** Groups accepted, in preference order (default ['x25519', 'secp256r1', 'secp384r1', 'secp521r1']). */
  groups?: GroupName[];
}

export type DtlsConnectionOptions = DtlsClientOptions | DtlsServerOptions;

interface SentFlight {
  number: number;
  /** Sent with the retransmission timer armed (the peer must answer it). */
  awaitingReply: boolean;
  items: FlightItem[];
  lastSentAt: number;
  transmissions: number;
}

interface IncomingFlight {
  messages: string[];
  bytes: number;
  datagrams: Set<number>;
}

interface CompletedPeerFlight {
  number: number;
  lastSeq: number;
  messages: string[];
}

const MAX_FUTURE_EPOCH_RECORDS = 16;
const MAX_EARLY_APPLICATION_DATA = 16;

export class DtlsConnection {
  readonly role: 'client' | 'server';
  private currentState: ConnectionState = 'idle';
  private failureInfo: ConnectionFailure | undefined;
  private negotiatedParameters: NegotiatedParameters | undefined;

  private readonly events = new EventHub();
  private readonly stateWatchers: Array<(to: ConnectionState) => void> = [];
  private readonly sendDatagram: (datagram: Uint8Array) => void;
  private readonly clock: Clock;
  private readonly mtu: number;
  private readonly initialRetransmitMs: number;
  private readonly handshakeTimeoutMs: number;
  private readonly timer: FlightTimer;
  private readonly handshake: HandshakeRole;
  private readonly cookieAuthority: CookieAuthority | undefined;
  private readonly clientAddress: string;
  private handshakeDeadline: number | undefined;

  // Write side.
  private writeEpoch = 0;
  private readonly writeProtection = new Map<number, RecordProtection>();
  private readonly writeSequence = new Map<number, number>([[0, 0]]);
  private nextSendMessageSeq = 0;
  private buildingFlight: FlightItem[] = [];
  private lastFlight: SentFlight | undefined;

  // Read side.
  private readEpoch = 0;
  private readProtection: RecordProtection | undefined;
  /** record_size_limit (RFC 8449): the peer's (caps what we send) and ours (enforced on receive). */
  private peerRecordSizeLimit: number | undefined;
  private ownRecordSizeLimit: number | undefined;
  /** Records of the handshake's new read epoch that failed authentication (see processRecord). */
  private handshakeAuthFailures = 0;
  private replayWindow = new ReplayWindow();
  private futureEpochRecords: Array<{ record: DtlsRecord; datagramId: number }> = [];
  private replayFutureRecordsPending = false;
  private readonly reassembler = new HandshakeReassembler();
  private incoming: IncomingFlight = { messages: [], bytes: 0, datagrams: new Set() };
  private lastPeerFlight: CompletedPeerFlight | undefined;
  private lastRetransmissionCheckDatagram = -1;
  private datagramCounter = 0;
  private processing = false;
  private readonly inbox: Buffer[] = [];

  private readonly applicationData: Buffer[] = [];
  private earlyApplicationData: Buffer[] = [];
  private closeNotifySent = false;

  constructor(options: DtlsConnectionOptions) {
    this.role = options.role;
    this.sendDatagram = options.send;
    this.clock = options.clock;
    this.mtu = options.mtu ?? 1400;
    if (!Number.isInteger(this.mtu) || this.mtu < 128) throw new RangeError(`mtu must be an integer >= 128, got ${options.mtu}`);
    this.initialRetransmitMs = options.initialRetransmitMs ?? 1000;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 60_000;
    this.timer = new FlightTimer(this.initialRetransmitMs, options.maxRetransmitMs ?? 60_000);
    const host = this.createHost();
    if (options.role === 'client') {
      this.handshake = new ClientHandshake(host, {
        verify: options.verify,
        ...(options.serverName !== undefined ? { serverName: options.serverName } : {}),
        ...(options.groups !== undefined ? { groups: options.groups } : {}),
        ...(options.cipherSuites !== undefined ? { cipherSuites: options.cipherSuites } : {}),
        ...(options.psk !== undefined ? { psk: options.psk } : {}),
        ...pickClientFeatures(options),
      });
      this.cookieAuthority = undefined;
      this.clientAddress = '';
    } else {
      const credentials = serverCredentials(options);
      this.handshake = new ServerHandshake(host, credentials, options.groups, options, options);
      this.cookieAuthority = options.cookieAuthority;
      this.clientAddress = options.clientAddress;
    }
  }

  // ---- public API ----------------------------------------------------------------------------

  get state(): ConnectionState {
    return this.currentState;
  }

  get failure(): ConnectionFailure | undefined {
    return this.failureInfo;
  }

  get negotiated(): NegotiatedParameters | undefined {
    return this.negotiatedParameters;
  }

  /** After the handshake: the session (client: pass it as `resumeSession` to resume later). */
  get session(): DtlsSession | undefined {
    return this.currentState === 'connected' || this.currentState === 'closed' ? this.handshake.session : undefined;
  }

  /** Registers a listener; returns a function that removes it. */
  onEvent(listener: DtlsEventListener): () => void {
    return this.events.add(listener);
  }

  /**
   * Calls `watcher` after every state change. For endpoints and transports that only need the
   * state: unlike onEvent, it does not make the connection build its per-record events.
   */
  onStateChange(watcher: (to: ConnectionState) => void): void {
    this.stateWatchers.push(watcher);
  }

  /** Client: sends the first ClientHello. Server: no-op (it starts on the first ClientHello). */
  start(): void {
    if (this.role !== 'client' || this.currentState !== 'idle') return;
    this.beginHandshake();
    this.guard(() => this.handshake.start());
  }

  /** Processes one datagram from the peer. Never throws on bad input. */
  receive(datagram: Uint8Array): void {
    this.inbox.push(ownedBuffer(datagram));
    if (this.processing) return;
    this.processing = true;
    try {
      for (let next = this.inbox.shift(); next; next = this.inbox.shift()) this.processDatagram(next);
    } finally {
      this.processing = false;
    }
  }

  /** Fires due timers (retransmission, handshake timeout) at clock.now(). */
  poll(): void {
    if (this.currentState !== 'handshaking') return;
    const now = this.clock.now();
    if (this.handshakeDeadline !== undefined && now >= this.handshakeDeadline) {
      this.emitTimer('expired', 'handshake', this.handshakeTimeoutMs);
      this.handshakeDeadline = undefined;
      const flight = this.lastFlight ? `; last sent flight ${this.lastFlight.number}, ${this.lastFlight.transmissions} time(s)` : '';
      this.fail(new DtlsFailure('handshake-timeout', `handshake did not complete within ${this.handshakeTimeoutMs} ms${flight}`, undefined));
      return;
    }
    if (this.timer.isDue(now) && this.lastFlight) {
      this.emitTimer('expired', 'retransmission', this.timer.currentMs, this.lastFlight.number);
      const nextTimeoutMs = this.timer.backOff(now);
      this.emit({ type: 'retransmit', at: now, flight: this.lastFlight.number, attempt: this.timer.attempts, nextTimeoutMs, reason: 'timeout' });
      this.emitTimer('armed', 'retransmission', nextTimeoutMs, this.lastFlight.number);
      this.transmitFlight(this.lastFlight, true);
    }
  }

  /** Absolute clock time at which poll() has work to do, or undefined. */
  nextTimeout(): number | undefined {
    if (this.currentState !== 'handshaking') return undefined;
    const times = [this.timer.nextDeadline, this.handshakeDeadline].filter((t): t is number => t !== undefined);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** Sends one datagram of application data. Throws unless connected. */
  sendApplicationData(data: Uint8Array): void {
    if (this.currentState !== 'connected') {
      throw new Error(`cannot send application data: the DTLS connection is ${this.currentState}, not connected`);
    }
    if (data.length > MAX_PLAINTEXT_LENGTH) {
      throw new RangeError(`application data of ${data.length} bytes exceeds the DTLS record limit of ${MAX_PLAINTEXT_LENGTH}`);
    }
    if (this.peerRecordSizeLimit !== undefined && data.length > this.peerRecordSizeLimit) {
      throw new RangeError(`application data of ${data.length} bytes exceeds the peer's record_size_limit of ${this.peerRecordSizeLimit} (RFC 8449)`);
    }
    // A view, not a copy: sealing only reads it.
    const plaintext = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.sendDatagram(this.sealRecord(ContentType.ApplicationData, this.writeEpoch, plaintext));
    this.emit({ type: 'application-data', at: this.clock.now(), direction: 'sent', bytes: data.length });
  }

  /** How many received application data messages are waiting in readApplicationData(). */
  pendingApplicationData(): number {
    return this.applicationData.length;
  }

  /** Next received application data message, or undefined. */
  readApplicationData(): Uint8Array | undefined {
    return this.applicationData.shift();
  }

  /** Sends close_notify (unless idle) and moves to 'closed'. */
  close(): void {
    if (this.currentState === 'closed' || this.currentState === 'failed') return;
    if (this.currentState !== 'idle') this.sendCloseNotify();
    this.stopHandshakeMachinery();
    this.setState('closed');
  }

  // ---- handshake host ------------------------------------------------------------------------

  private createHost(): HandshakeHost {
    return {
      now: () => this.clock.now(),
      queueHandshake: (msgType, body) => {
        const messageSeq = this.nextSendMessageSeq++;
        this.buildingFlight.push({ kind: 'handshake', msgType, messageSeq, body, epoch: this.writeEpoch });
        return encodeWholeHandshake(msgType, messageSeq, body);
      },
      queueChangeCipherSpec: (protection) => {
        this.buildingFlight.push({ kind: 'change-cipher-spec', epoch: this.writeEpoch });
        this.writeEpoch += 1;
        this.writeProtection.set(this.writeEpoch, protection);
        this.writeSequence.set(this.writeEpoch, 0);
      },
      sendFlight: (number, awaitingReply) => {
        const flight: SentFlight = { number, awaitingReply, items: this.buildingFlight, lastSentAt: this.clock.now(), transmissions: 0 };
        this.buildingFlight = [];
        // The timer of the previous flight (if still armed) ends here.
        this.stopRetransmissionTimer();
        this.lastFlight = flight;
        if (awaitingReply) {
          this.timer.startFlight(this.clock.now());
          this.emitTimer('armed', 'retransmission', this.timer.currentMs, number);
        }
        this.transmitFlight(flight, false);
      },
      activateReadEpoch: (protection) => {
        this.readEpoch += 1;
        this.readProtection = protection;
        this.replayWindow = new ReplayWindow();
        this.replayFutureRecordsPending = true;
      },
      peerFlightComplete: (number) => {
        const now = this.clock.now();
        this.emit({
          type: 'flight',
          at: now,
          direction: 'received',
          flight: number,
          messages: this.incoming.messages,
          bytes: this.incoming.bytes,
          datagrams: this.incoming.datagrams.size,
          retransmission: false,
        });
        this.lastPeerFlight = { number, lastSeq: this.reassembler.nextSeq - 1, messages: this.incoming.messages };
        this.incoming = { messages: [], bytes: 0, datagrams: new Set() };
      },
      sendAlert: (level, description) => this.sendAlert(level, description),
      emitEvent: (event) => this.emit({ ...event, at: this.clock.now() } as DtlsEvent),
      complete: (parameters) => this.completeHandshake(parameters),
      setRecordSizeLimits: (limits) => {
        if (limits.send !== undefined) this.peerRecordSizeLimit = limits.send;
        if (limits.receive !== undefined) this.ownRecordSizeLimit = limits.receive;
      },
    };
  }

  private beginHandshake(): void {
    this.handshakeDeadline = this.clock.now() + this.handshakeTimeoutMs;
    this.setState('handshaking');
    this.emitTimer('armed', 'handshake', this.handshakeTimeoutMs);
  }

  private completeHandshake(parameters: NegotiatedParameters): void {
    this.negotiatedParameters = parameters;
    this.stopRetransmissionTimer();
    this.cancelHandshakeDeadline();
    // Whoever sent the last flight (server: flight 6; client of an abbreviated handshake: flight 5)
    // keeps it to repeat it if the peer repeats its own; the other side is done with its flights.
    if (this.lastFlight?.awaitingReply) this.lastFlight = undefined;
    this.emit({
      type: 'handshake-complete',
      at: this.clock.now(),
      suite: parameters.suite,
      group: parameters.group,
      extendedMasterSecret: parameters.extendedMasterSecret,
      resumed: parameters.resumed,
      ...(parameters.alpn !== undefined ? { alpn: parameters.alpn } : {}),
      signatureScheme: parameters.signatureScheme,
    });
    this.setState('connected');
    const early = this.earlyApplicationData;
    this.earlyApplicationData = [];
    for (const data of early) this.deliverApplicationData(data);
  }

  // ---- sending -------------------------------------------------------------------------------

  private sealRecord(contentType: ContentType, epoch: number, plaintext: Buffer): Buffer {
    const sequence = this.writeSequence.get(epoch) ?? 0;
    if (sequence >= 2 ** 48 - 1) throw new DtlsFailure('internal-error', 'record sequence number space exhausted', AlertDescription.InternalError);
    this.writeSequence.set(epoch, sequence + 1);
    const protection = epoch > 0 ? this.writeProtection.get(epoch) : undefined;
    const payload = protection ? protection.seal(contentType, DTLS_1_2, epoch, sequence, plaintext) : plaintext;
    if (this.events.active) this.emitRecord('sent', contentType, epoch, sequence, payload.length);
    return encodeRecord(contentType, DTLS_1_2, epoch, sequence, payload);
  }

  private transmitFlight(flight: SentFlight, retransmission: boolean): void {
    const now = this.clock.now();
    const packed = packFlight(flight.items, this.mtu, (type, epoch, plaintext) => this.sealRecord(type, epoch, plaintext), this.peerRecordSizeLimit);
    flight.lastSentAt = now;
    flight.transmissions += 1;
    for (const datagram of packed.datagrams) this.sendDatagram(datagram);
    if (!retransmission && this.events.active) {
      flight.items.forEach((item, index) => {
        if (item.kind !== 'handshake') return;
        this.emit({
          type: 'message',
          at: now,
          direction: 'sent',
          message: handshakeName(item.msgType),
          messageSeq: item.messageSeq,
          epoch: item.epoch,
          bytes: item.body.length + 12,
          fragmented: (packed.fragmentCounts[index] ?? 1) > 1,
          fragments: packed.fragmentRanges[index] ?? [],
        });
      });
    }
    this.emit({
      type: 'flight',
      at: now,
      direction: 'sent',
      flight: flight.number,
      messages: flight.items.map((item) => (item.kind === 'handshake' ? handshakeName(item.msgType) : CHANGE_CIPHER_SPEC_NAME)),
      bytes: packed.datagrams.reduce((sum, datagram) => sum + datagram.length, 0),
      datagrams: packed.datagrams.length,
      retransmission,
    });
  }

  private sendAlert(level: AlertLevel, description: AlertDescription): void {
    try {
      this.sendDatagram(this.sealRecord(ContentType.Alert, this.writeEpoch, Buffer.from([level, description])));
    } catch {
      // The transport is gone; the alert is best effort.
    }
    this.emit({
      type: 'alert',
      at: this.clock.now(),
      direction: 'sent',
      level: level === AlertLevel.Fatal ? 'fatal' : 'warning',
      description: alertName(description),
      code: description,
      meaning: alertMeaning(description, 'sent'),
    });
  }

  private sendCloseNotify(): void {
    if (this.closeNotifySent) return;
    this.closeNotifySent = true;
    this.sendAlert(AlertLevel.Warning, AlertDescription.CloseNotify);
  }

  /** The peer repeated its last flight: repeat ours (at most once per half initial timeout). */
  private retransmitForPeer(): void {
    const flight = this.lastFlight;
    if (!flight) return;
    const now = this.clock.now();
    if (now - flight.lastSentAt < this.initialRetransmitMs / 2) return;
    this.emit({
      type: 'retransmit',
      at: now,
      flight: flight.number,
      attempt: flight.transmissions,
      nextTimeoutMs: this.timer.nextDeadline !== undefined ? this.timer.nextDeadline - now : 0,
      reason: 'peer-retransmission',
    });
    this.transmitFlight(flight, true);
  }

  // ---- receiving -----------------------------------------------------------------------------

  private processDatagram(datagram: Buffer): void {
    if (this.currentState === 'failed') {
      this.drop('connection has failed');
      return;
    }
    if (this.role === 'client' && this.currentState === 'idle') {
      this.drop('client not started');
      return;
    }
    const datagramId = this.datagramCounter++;
    if (this.role === 'server' && this.currentState === 'idle' && !this.screenInitialDatagram(datagram)) return;

    const { records, problem } = parseDatagram(datagram);
    for (const record of records) {
      if (this.hasFailed()) return;
      if (this.events.active) {
        this.emitRecord('received', record.contentType, record.epoch, record.sequence, record.wireLength - RECORD_HEADER_LENGTH);
      }
      this.guard(() => this.processRecord(record, datagramId));
    }
    if (problem && !this.hasFailed()) this.drop(problem);
  }

  /** Server, before any handshake: only a ClientHello (with a valid cookie when cookies are on) starts one. */
  private screenInitialDatagram(datagram: Buffer): boolean {
    const now = this.clock.now();
    const located = CookieAuthority.locateClientHello(datagram);
    if ('reason' in located) {
      this.drop(`no handshake in progress: ${located.reason}`);
      return false;
    }
    if (this.cookieAuthority && !this.cookieAuthority.isValidCookie(located.hello, this.clientAddress, now)) {
      const { reply, events } = this.cookieAuthority.helloVerifyRequest(located, this.clientAddress, now);
      this.sendDatagram(reply);
      for (const event of events) this.emit(event);
      return false;
    }
    this.reassembler.expect(located.messageSeq);
    this.nextSendMessageSeq = located.messageSeq;
    this.writeSequence.set(0, located.recordSequence);
    this.beginHandshake();
    return true;
  }

  private processRecord(record: DtlsRecord, datagramId: number): void {
    let plaintext: Buffer;
    if (record.epoch === this.readEpoch) {
      if (this.readEpoch > 0) {
        if (this.replayWindow.isReplay(record.sequence)) {
          this.drop(`replayed or too old record (epoch ${record.epoch}, sequence ${record.sequence})`);
          return;
        }
        const opened = this.readProtection!.open(record.contentType, record.version, record.epoch, record.sequence, record.fragment);
        if (!opened) {
          this.drop(`record failed authentication (bad ${this.readProtection!.cipher} tag, epoch ${record.epoch}, sequence ${record.sequence})`);
          // During the handshake, a peer that keeps sending records we cannot open derived other
          // keys (e.g. a different PSK): fail with bad_record_mac (RFC 6347 §4.1.2.7 allows a fatal
          // alert) instead of waiting for the handshake timeout. One bad record may be noise.
          if (this.currentState === 'handshaking' && ++this.handshakeAuthFailures >= 2) {
            throw new DtlsFailure(
              'decrypt-error',
              `${this.handshakeAuthFailures} records of epoch ${record.epoch} failed authentication during the handshake: the peers derived different keys (with a PSK suite: the pre-shared keys differ)`,
              AlertDescription.BadRecordMac,
            );
          }
          return;
        }
        this.replayWindow.markReceived(record.sequence);
        if (this.ownRecordSizeLimit !== undefined && opened.length > this.ownRecordSizeLimit) {
          throw new DtlsFailure(
            'record-overflow',
            `peer sent a protected record with ${opened.length} bytes of plaintext; our record_size_limit is ${this.ownRecordSizeLimit} (RFC 8449)`,
            AlertDescription.RecordOverflow,
          );
        }
        plaintext = opened;
      } else {
        plaintext = record.fragment;
      }
    } else if (record.epoch === this.readEpoch + 1 && this.currentState === 'handshaking') {
      if (this.futureEpochRecords.length < MAX_FUTURE_EPOCH_RECORDS) this.futureEpochRecords.push({ record, datagramId });
      else this.drop(`record from epoch ${record.epoch} arrived before the ChangeCipherSpec (buffer full)`);
      return;
    } else if (record.epoch === 0 && this.readEpoch > 0) {
      // Retransmitted epoch-0 handshake records still matter (they trigger our retransmission).
      if (record.contentType === ContentType.ChangeCipherSpec) return;
      if (record.contentType !== ContentType.Handshake) {
        this.drop(`unencrypted ${contentTypeName(record.contentType)} record after encryption started`);
        return;
      }
      plaintext = record.fragment;
    } else {
      this.drop(`record from unexpected epoch ${record.epoch} (reading epoch ${this.readEpoch})`);
      return;
    }

    if (this.currentState === 'closed' && record.contentType !== ContentType.Alert) {
      this.drop(`${contentTypeName(record.contentType)} record after the connection was closed`);
      return;
    }
    switch (record.contentType) {
      case ContentType.Handshake:
        this.processHandshakeRecord(record, plaintext, datagramId);
        break;
      case ContentType.ChangeCipherSpec:
        this.processChangeCipherSpec(record, plaintext, datagramId);
        break;
      case ContentType.Alert:
        this.processAlert(plaintext);
        break;
      case ContentType.ApplicationData:
        this.processApplicationData(record, plaintext);
        break;
      default:
        this.drop(`unknown content type ${record.contentType}`);
    }
  }

  private processHandshakeRecord(record: DtlsRecord, plaintext: Buffer, datagramId: number): void {
    let fragments: HandshakeFragment[];
    try {
      fragments = decodeHandshakeFragments(plaintext);
    } catch (error) {
      this.drop(`malformed handshake record: ${(error as Error).message}`);
      return;
    }
    let contributed = false;
    for (const fragment of fragments) {
      if (record.epoch < this.readEpoch && fragment.messageSeq >= this.reassembler.nextSeq) {
        this.drop(`unencrypted ${handshakeName(fragment.msgType)} after the peer's ChangeCipherSpec`);
        continue;
      }
      const outcome = this.reassembler.add(fragment, record.epoch);
      if (outcome === 'old') this.onOldFragment(fragment, record, datagramId);
      else if (outcome === 'rejected') this.drop(this.reassembler.rejectionReason);
      else contributed = true;
    }
    if (contributed) {
      this.incoming.bytes += record.wireLength;
      this.incoming.datagrams.add(datagramId);
    }
    this.deliverHandshakeMessages();
  }

  private deliverHandshakeMessages(): void {
    for (;;) {
      if (this.currentState === 'failed' || this.currentState === 'closed') return;
      const message = this.reassembler.takeNext();
      if (!message) return;
      const whole = encodeWholeHandshake(message.msgType, message.messageSeq, message.body);
      this.emit({
        type: 'message',
        at: this.clock.now(),
        direction: 'received',
        message: handshakeName(message.msgType),
        messageSeq: message.messageSeq,
        epoch: message.epoch,
        bytes: whole.length,
        fragmented: message.fragments > 1,
        fragments: message.ranges,
      });
      this.incoming.messages.push(handshakeName(message.msgType));
      this.handshake.handleMessage({ ...message, whole });
    }
  }

  private onOldFragment(fragment: HandshakeFragment, record: DtlsRecord, datagramId: number): void {
    const previous = this.lastPeerFlight;
    if (!previous || fragment.messageSeq !== previous.lastSeq || datagramId === this.lastRetransmissionCheckDatagram) return;
    this.lastRetransmissionCheckDatagram = datagramId;
    this.emit({
      type: 'flight',
      at: this.clock.now(),
      direction: 'received',
      flight: previous.number,
      messages: previous.messages,
      bytes: record.wireLength,
      datagrams: 1,
      retransmission: true,
    });
    if (this.currentState === 'handshaking' || this.currentState === 'connected') this.retransmitForPeer();
  }

  private processChangeCipherSpec(record: DtlsRecord, plaintext: Buffer, datagramId: number): void {
    if (plaintext.length !== 1 || plaintext[0] !== 1) {
      this.drop('malformed ChangeCipherSpec');
      return;
    }
    if (this.currentState !== 'handshaking' || !this.handshake.handleChangeCipherSpec()) {
      if (this.currentState === 'handshaking') this.drop('unexpected ChangeCipherSpec (handshake not ready for it)');
      return;
    }
    this.incoming.messages.push(CHANGE_CIPHER_SPEC_NAME);
    this.incoming.bytes += record.wireLength;
    this.incoming.datagrams.add(datagramId);
    if (this.replayFutureRecordsPending) {
      this.replayFutureRecordsPending = false;
      const buffered = this.futureEpochRecords;
      this.futureEpochRecords = [];
      for (const entry of buffered) {
        if (!this.isLive()) return;
        this.processRecord(entry.record, entry.datagramId);
      }
    }
  }

  private processAlert(plaintext: Buffer): void {
    if (plaintext.length !== 2) {
      this.drop(`malformed alert (${plaintext.length} bytes)`);
      return;
    }
    const level = plaintext[0]!;
    const description = plaintext[1]!;
    if (level !== AlertLevel.Warning && level !== AlertLevel.Fatal) {
      this.drop(`alert with unknown level ${level}`);
      return;
    }
    this.emit({
      type: 'alert',
      at: this.clock.now(),
      direction: 'received',
      level: level === AlertLevel.Fatal ? 'fatal' : 'warning',
      description: alertName(description),
      code: description,
      meaning: alertMeaning(description, 'received'),
    });
    if (this.currentState === 'closed') return;
    if (description === AlertDescription.CloseNotify) {
      this.sendCloseNotify();
      this.stopHandshakeMachinery();
      this.setState('closed');
      return;
    }
    if (level === AlertLevel.Fatal) {
      this.failureInfo = {
        kind: 'peer-alert',
        message: `peer sent fatal alert ${alertName(description)}: ${alertMeaning(description, 'received')}`,
        alert: alertName(description),
      };
      this.finishFailure();
    }
  }

  private processApplicationData(record: DtlsRecord, plaintext: Buffer): void {
    if (record.epoch === 0) {
      this.drop('unencrypted application data');
      return;
    }
    if (this.currentState === 'connected') {
      this.deliverApplicationData(plaintext);
    } else if (this.currentState === 'handshaking' && this.earlyApplicationData.length < MAX_EARLY_APPLICATION_DATA) {
      this.earlyApplicationData.push(Buffer.from(plaintext));
    } else {
      this.drop(`application data while ${this.currentState}`);
    }
  }

  private deliverApplicationData(data: Buffer): void {
    // `data` is ours already: freshly decrypted, or copied when it was held back as early data.
    this.applicationData.push(data);
    this.emit({ type: 'application-data', at: this.clock.now(), direction: 'received', bytes: data.length });
  }

  // ---- failure and state ---------------------------------------------------------------------

  /** Runs handshake code, turning a thrown DtlsFailure (or a bug) into a failed connection. */
  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      if (error instanceof DtlsFailure) this.fail(error);
      else this.fail(new DtlsFailure('internal-error', `internal error: ${(error as Error)?.message ?? String(error)}`, AlertDescription.InternalError));
    }
  }

  private fail(failure: DtlsFailure): void {
    if (this.currentState === 'failed' || this.currentState === 'closed') return;
    if (failure.alert !== undefined) this.sendAlert(AlertLevel.Fatal, failure.alert);
    this.failureInfo = { kind: failure.kind, message: failure.message };
    this.finishFailure();
  }

  private finishFailure(): void {
    this.stopHandshakeMachinery();
    const info = this.failureInfo!;
    this.handshake.invalidateSession?.();
    this.emit({ type: 'failure', at: this.clock.now(), kind: info.kind as FailureKind, message: info.message });
    this.setState('failed');
  }

  private stopHandshakeMachinery(): void {
    this.stopRetransmissionTimer();
    this.cancelHandshakeDeadline();
    this.lastFlight = undefined;
    this.futureEpochRecords = [];
  }

  private setState(to: ConnectionState): void {
    const from = this.currentState;
    if (from === to) return;
    this.currentState = to;
    this.emit({ type: 'state', at: this.clock.now(), from, to });
    for (const watcher of this.stateWatchers) watcher(to);
  }

  private hasFailed(): boolean {
    return this.currentState === 'failed';
  }

  private isLive(): boolean {
    return this.currentState === 'handshaking' || this.currentState === 'connected';
  }

  private stopRetransmissionTimer(): void {
    if (this.timer.nextDeadline === undefined) return;
    const flight = this.lastFlight?.number;
    this.timer.stop();
    this.emitTimer('cancelled', 'retransmission', this.timer.currentMs, flight);
  }

  private cancelHandshakeDeadline(): void {
    if (this.handshakeDeadline === undefined) return;
    this.handshakeDeadline = undefined;
    this.emitTimer('cancelled', 'handshake', this.handshakeTimeoutMs);
  }

  private emitTimer(action: 'armed' | 'cancelled' | 'expired', timer: 'retransmission' | 'handshake', timeoutMs: number, flight?: number): void {
    if (!this.events.active) return;
    this.emit({ type: 'timer', at: this.clock.now(), action, timeoutMs, timer, ...(flight !== undefined ? { flight } : {}) });
  }

  private emitRecord(direction: 'sent' | 'received', contentType: number, epoch: number, sequence: number, length: number): void {
    this.emit({ type: 'record', at: this.clock.now(), direction, contentType: recordContentTypeName(contentType), epoch, sequence, length, encrypted: epoch > 0 });
  }

  private drop(reason: string): void {
    this.emit({ type: 'record-dropped', at: this.clock.now(), reason });
  }

  private emit(event: DtlsEvent): void {
    this.events.emit(event);
  }
}

function serverCredentials(options: DtlsServerOptions): ServerCredentials | undefined {
  if (options.certificatePem !== undefined || options.privateKeyPem !== undefined) {
    if (options.certificatePem === undefined || options.privateKeyPem === undefined) {
      throw new Error('certificatePem and privateKeyPem must be given together');
    }
    return loadServerCredentials(options.certificatePem, options.privateKeyPem);
  }
  if (!options.pskCallback) throw new Error('a server needs certificatePem and privateKeyPem, or a pskCallback (PSK suites only)');
  return undefined;
}

function recordContentTypeName(type: number): RecordContentType {
  switch (type) {
    case ContentType.ChangeCipherSpec:
      return 'change_cipher_spec';
    case ContentType.Alert:
      return 'alert';
    case ContentType.ApplicationData:
      return 'application_data';
    default:
      // parseDatagram passes only the four known types.
      return 'handshake';
  }
}

function contentTypeName(type: number): string {
  switch (type) {
    case ContentType.ChangeCipherSpec:
      return 'ChangeCipherSpec';
    case ContentType.Alert:
      return 'alert';
    case ContentType.Handshake:
      return 'handshake';
    case ContentType.ApplicationData:
      return 'application data';
    default:
      return `type-${type}`;
  }
}

