// Server side of the full DTLS 1.2 ECDHE handshake: answers a (cookie-checked) ClientHello with
// flight 4 (ServerHello, Certificate, ServerKeyExchange, ServerHelloDone), then takes flight 5 and
// finishes with flight 6 (ChangeCipherSpec, Finished). Suite, group and signature scheme follow
// the certificate's key type and our preference among what the client offers.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { DecodeError } from './bytes';
import { createRecordProtection } from './cipher-state';
import {
  AlertDescription,
  AlertLevel,
  CIPHER_SUITES,
  COMPRESSION_NULL,
  DTLS_1_2,
  EMPTY_RENEGOTIATION_INFO_SCSV,
  ExtensionType,
  HandshakeType,
  NamedGroup,
  groupName,
  handshakeName,
  groupCodes,
  hex16,
  type CipherSuiteInfo,
  type GroupName,
} from './constants';
import type { ServerCredentials } from './credentials';
import {
  ecPointFormatsExtension,
  emptyRenegotiationInfoExtension,
  extendedMasterSecretExtension,
  isEmptyRenegotiationInfo,
  parseServerName,
} from './extensions';
import { DtlsFailure, decodeFailure, handshakeFailure, illegalParameter, unexpectedMessage } from './failure';
import type { HandshakeHost, HandshakeRole, IncomingMessage } from './handshake-host';
import {
  decodeClientHello,
  decodeClientKeyExchange,
  decodeFinished,
  encodeCertificate,
  encodeEcdheParams,
  encodeServerHello,
  encodeServerKeyExchange,
  findExtension,
  type Extension,
} from './handshake-messages';
import { EphemeralKeyPair } from './key-exchange';
import { deriveTrafficKeys, extendedMasterSecret, finishedVerifyData, masterSecret, type TrafficKeys } from './key-schedule';
import { decodePskClientKeyExchange, encodePskServerKeyExchange, pskPreMasterSecret } from './psk';
import { signWithScheme, type SignatureScheme } from './signature-schemes';
import { chooseServerSuite, resolveCipherSuites } from './suite-negotiation';
import type { ServerSuiteOptions } from './suite-options';
import { HandshakeTranscript } from './transcript';
// Session resumption, tickets, ALPN, record_size_limit, client certificates and key log.
import { X509Certificate as ClientX509Certificate, type KeyObject } from 'node:crypto';
import { ALPN_EXTENSION, alpnExtension, parseAlpn, selectAlpnProtocol, validateAlpnProtocols } from './alpn';
import { checkClientCertificate, certificateAuthorityNames, decodeCertificateVerify, encodeCertificateRequest } from './client-auth';
import type { NegotiatedParameters } from './handshake-host';
import type { ServerFeatureOptions } from './handshake-features';
import { decodeCertificate as decodeClientCertificateChain, type ClientHello as ResumptionClientHello } from './handshake-messages';
import { keyLogLine } from './key-log';
import { RECORD_SIZE_LIMIT_EXTENSION, parseRecordSizeLimit, recordSizeLimitExtension, validateRecordSizeLimit } from './record-size-limit';
import { SessionCache, sameServerName, type DtlsSession, type SessionState } from './session';
import { SESSION_TICKET_EXTENSION, encodeNewSessionTicket, sessionTicketExtension } from './session-ticket';
import {
  OFFERED_SIGNATURE_SCHEMES as CLIENT_VERIFY_SCHEMES,
  keyTypeOf as clientKeyTypeOf,
  signatureSchemeByCode as clientSchemeByCode,
  signatureSchemeName as clientSchemeName,
  verifyWithScheme as verifyClientSignature,
} from './signature-schemes';

type ServerPhase =
  | 'await-client-hello'
  | 'await-client-certificate'
  | 'await-client-key-exchange'
  | 'await-certificate-verify'
  | 'await-change-cipher-spec'
  | 'await-finished'
  | 'done';

interface ResumableSession {
  state: SessionState;
  suite: CipherSuiteInfo;
  via: 'ticket' | 'session-id';
}

export class ServerHandshake implements HandshakeRole {
  private phase: ServerPhase = 'await-client-hello';
  private readonly transcript = new HandshakeTranscript();
  private readonly serverRandom: Buffer = randomBytes(32);
  private clientRandom: Buffer = Buffer.alloc(0);
  private suite: CipherSuiteInfo | undefined;
  private group: NamedGroup | undefined;
  private ephemeral: EphemeralKeyPair | undefined;
  private useExtendedMasterSecret = false;
  private signatureScheme = '';
  private pskIdentity: string | undefined;
  private serverName: string | undefined;
  /** Enabled suites in our preference order. */
  private readonly enabledSuites: readonly CipherSuiteInfo[];
  private master: Buffer = Buffer.alloc(0);
  private keys: TrafficKeys | undefined;
  // Resumption (RFC 5246 §7.3, RFC 5077), ALPN, record_size_limit, client certificate.
  private resumed: ResumableSession | undefined;
  private sessionId: Buffer = Buffer.alloc(0);
  private issueTicket = false;
  private alpn: string | undefined;
  private clientRecordSizeLimit: number | undefined;
  private certificateRequested = false;
  private clientCertificates: Buffer[] | undefined;
  private clientPublicKey: KeyObject | undefined;
  private clientLeaf: ClientX509Certificate | undefined;
  private establishedSession: DtlsSession | undefined;

  constructor(
    private readonly host: HandshakeHost,
    /** Undefined for a PSK-only server. */
    private readonly credentials: ServerCredentials | undefined,
    /** Groups we accept, in preference order (default x25519, secp256r1, secp384r1, secp521r1). */
    private readonly groups?: readonly GroupName[],
    private readonly suiteOptions: ServerSuiteOptions = {},
    private readonly features: ServerFeatureOptions = {},
  ) {
    if (features.alpnProtocols !== undefined) validateAlpnProtocols(features.alpnProtocols, 'alpnProtocols');
    if (features.recordSizeLimit !== undefined) validateRecordSizeLimit(features.recordSizeLimit);
    this.enabledSuites = suiteOptions.cipherSuites ? resolveCipherSuites(suiteOptions.cipherSuites) : CIPHER_SUITES;
    groupCodes(groups); // throws on an unknown group name
  }

  start(): void {
    // The server waits for a ClientHello.
  }

  handleChangeCipherSpec(): boolean {
    if (this.phase !== 'await-change-cipher-spec' || !this.keys) return false;
    this.host.activateReadEpoch(createRecordProtection(this.suite!, this.keys.clientWriteKey, this.keys.clientWriteSalt));
    this.phase = 'await-finished';
    return true;
  }

  handleMessage(message: IncomingMessage): void {
    try {
      this.dispatch(message);
    } catch (error) {
      if (error instanceof DecodeError) throw decodeFailure(`malformed ${handshakeName(message.msgType)}: ${error.message}`);
      throw error;
    }
  }

  private dispatch(message: IncomingMessage): void {
    const type = message.msgType;
    if (this.phase === 'await-client-certificate' && type === HandshakeType.Certificate) return this.onClientCertificate(message);
    if (this.phase === 'await-client-certificate' && type === HandshakeType.ClientKeyExchange) {
      this.noClientCertificate('client sent no Certificate message');
      return this.onClientKeyExchange(message);
    }
    if (this.phase === 'await-certificate-verify' && type === HandshakeType.CertificateVerify) return this.onCertificateVerify(message);
    if (this.phase === 'await-client-hello' && type === HandshakeType.ClientHello) return this.onClientHello(message);
    if (this.phase === 'await-client-key-exchange' && type === HandshakeType.ClientKeyExchange) return this.onClientKeyExchange(message);
    if (this.phase === 'await-client-key-exchange' && type === HandshakeType.Certificate) {
      throw unexpectedMessage('client sent a Certificate we did not ask for');
    }
    if (this.phase === 'await-finished' && type === HandshakeType.Finished) return this.onFinished(message);
    if (this.phase === 'done' && type === HandshakeType.ClientHello) {
      this.host.sendAlert(AlertLevel.Warning, AlertDescription.NoRenegotiation);
      return;
    }
    throw unexpectedMessage(`unexpected ${handshakeName(type)} (message_seq ${message.messageSeq}) while in ${this.phase}`);
  }

  private onClientHello(message: IncomingMessage): void {
    const hello = decodeClientHello(message.body);
    // DTLS versions count down: 0xfeff is 1.0, 0xfefd is 1.2.
    if (hello.clientVersion > DTLS_1_2) {
      throw new DtlsFailure('protocol-version', `client offers at most version ${hex16(hello.clientVersion)}, we need DTLS 1.2`, AlertDescription.ProtocolVersion);
    }
    if (!hello.compressionMethods.includes(COMPRESSION_NULL)) throw illegalParameter('client does not offer null compression');
    const resumable = this.findResumableSession(hello);
    if (resumable) return this.beginAbbreviatedHandshake(hello, message, resumable);

    const preferClientOrder = this.suiteOptions.preferClientOrder ?? false;
    const choice = chooseServerSuite(hello, {
      suites: this.enabledSuites,
      preferClientOrder,
      groups: groupCodes(this.groups),
      credentials: this.credentials,
      psk: this.suiteOptions.pskCallback !== undefined,
    });
    this.suite = choice.suite;
    this.group = choice.group;
    const scheme = choice.signatureScheme;
    this.signatureScheme = scheme?.name ?? 'none';
    this.host.emitEvent({
      type: 'suite-selection',
      suite: choice.suite.name,
      group: this.group !== undefined ? groupName(this.group) : 'psk',
      signatureScheme: this.signatureScheme,
      preference: preferClientOrder ? 'client' : 'server',
      offered: choice.offered,
      unsupported: choice.unsupported,
      skipped: choice.skipped,
    });
    const pointFormats = findExtension(hello.extensions, ExtensionType.EcPointFormats);

    const renegotiationInfo = findExtension(hello.extensions, ExtensionType.RenegotiationInfo);
    if (renegotiationInfo && !isEmptyRenegotiationInfo(renegotiationInfo.data)) {
      throw handshakeFailure('client sent a non-empty renegotiation_info in an initial handshake');
    }
    const secureRenegotiation = !!renegotiationInfo || hello.cipherSuites.includes(EMPTY_RENEGOTIATION_INFO_SCSV);
    this.useExtendedMasterSecret = !!findExtension(hello.extensions, ExtensionType.ExtendedMasterSecret);
    const serverName = findExtension(hello.extensions, ExtensionType.ServerName);
    if (serverName) this.serverName = parseServerName(serverName.data);
    this.negotiateFeatures(hello);
    this.issueTicket = this.ticketRequested(hello);
    if (this.features.sessionCache) this.sessionId = SessionCache.newSessionId();

    this.clientRandom = Buffer.from(hello.random);
    this.transcript.add(message.whole);
    this.host.peerFlightComplete(hello.cookie.length > 0 ? 3 : 1);

    const extensions: Extension[] = [];
    if (secureRenegotiation) extensions.push(emptyRenegotiationInfoExtension());
    if (this.useExtendedMasterSecret) extensions.push(extendedMasterSecretExtension());
    if (pointFormats && this.suite.ecdhe) extensions.push(ecPointFormatsExtension());
    extensions.push(...this.featureExtensions());
    const serverHello = encodeServerHello({
      serverVersion: DTLS_1_2,
      random: this.serverRandom,
      sessionId: this.sessionId,
      cipherSuite: this.suite.code,
      compressionMethod: COMPRESSION_NULL,
      extensions,
    });
    this.transcript.add(this.host.queueHandshake(HandshakeType.ServerHello, serverHello));
    if (this.suite.authentication !== 'psk') {
      this.transcript.add(this.host.queueHandshake(HandshakeType.Certificate, encodeCertificate(this.credentials!.chainDer)));
    }
    const serverKeyExchange = this.serverKeyExchange(scheme);
    if (serverKeyExchange) this.transcript.add(this.host.queueHandshake(HandshakeType.ServerKeyExchange, serverKeyExchange));
    this.queueCertificateRequest();
    this.transcript.add(this.host.queueHandshake(HandshakeType.ServerHelloDone, Buffer.alloc(0)));
    this.host.sendFlight(4, true);
    this.phase = this.certificateRequested ? 'await-client-certificate' : 'await-client-key-exchange';
  }

  /** ServerKeyExchange body for the chosen suite (RFC 8422 §5.4, RFC 4279 §2, RFC 5489 §2); undefined to omit it. */
  private serverKeyExchange(scheme: SignatureScheme | undefined): Buffer | undefined {
    const suite = this.suite!;
    const hint = Buffer.from(this.suiteOptions.pskIdentityHint ?? '', 'utf8');
    if (!suite.ecdhe) {
      // Plain PSK: the message only carries the hint and is omitted without one.
      return hint.length > 0 ? encodePskServerKeyExchange(hint) : undefined;
    }
    this.ephemeral = EphemeralKeyPair.generate(this.group!);
    const params = encodeEcdheParams(this.group!, this.ephemeral.publicPoint);
    if (suite.authentication === 'psk') return encodePskServerKeyExchange(hint, params);
    const signature = signWithScheme(scheme!, this.credentials!.privateKey, Buffer.concat([this.clientRandom, this.serverRandom, params]));
    return encodeServerKeyExchange(params, scheme!.code, signature);
  }

  /** The premaster secret from ClientKeyExchange. */
  private preMasterSecret(body: Buffer): Buffer {
    const suite = this.suite!;
    if (suite.authentication !== 'psk') return this.ephemeral!.sharedSecret(decodeClientKeyExchange(body));
    const exchange = decodePskClientKeyExchange(body, suite.ecdhe);
    const identity = exchange.identity.toString('utf8');
    this.pskIdentity = identity;
    const key = this.suiteOptions.pskCallback!(identity, Buffer.from(exchange.identity));
    if (key === undefined) {
      throw new DtlsFailure('unknown-psk-identity', `unknown PSK identity '${identity}'`, AlertDescription.UnknownPskIdentity);
    }
    if (key.length === 0 || key.length > 0xffff) throw new DtlsFailure('internal-error', `pskCallback returned a ${key.length}-byte key`, AlertDescription.InternalError);
    const ecdhSecret = suite.ecdhe ? this.ephemeral!.sharedSecret(exchange.publicPoint!) : undefined;
    return pskPreMasterSecret(Buffer.from(key), ecdhSecret);
  }

  private onClientKeyExchange(message: IncomingMessage): void {
    const suite = this.suite!;
    const preMasterSecret = this.preMasterSecret(message.body);
    this.transcript.add(message.whole);
    this.master = this.useExtendedMasterSecret
      ? extendedMasterSecret(preMasterSecret, this.transcript.hash(suite.hash), suite.hash)
      : masterSecret(preMasterSecret, this.clientRandom, this.serverRandom, suite.hash);
    this.keys = deriveTrafficKeys(this.master, this.clientRandom, this.serverRandom, suite.keyLength, suite.fixedIvLength, suite.hash);
    this.logKey();
    this.phase = this.clientPublicKey ? 'await-certificate-verify' : 'await-change-cipher-spec';
  }

  private onFinished(message: IncomingMessage): void {
    if (message.epoch === 0) throw unexpectedMessage('client Finished arrived unencrypted');
    const received = decodeFinished(message.body);
    const hash = this.suite!.hash;
    const expected = finishedVerifyData(this.master, 'client', this.transcript.hash(hash), hash);
    if (!timingSafeEqual(received, expected)) {
      throw new DtlsFailure('decrypt-error', 'client Finished verify_data does not match our transcript', AlertDescription.DecryptError);
    }
    this.transcript.add(message.whole);
    this.host.peerFlightComplete(5);
    if (this.resumed) return this.completeAbbreviatedHandshake();
    this.queueNewSessionTicket();

    const keys = this.keys!;
    this.host.queueChangeCipherSpec(createRecordProtection(this.suite!, keys.serverWriteKey, keys.serverWriteSalt));
    const verifyData = finishedVerifyData(this.master, 'server', this.transcript.hash(hash), hash);
    this.transcript.add(this.host.queueHandshake(HandshakeType.Finished, verifyData));
    this.host.sendFlight(6, false);
    this.phase = 'done';
    this.host.complete(this.withFeatures({
      suite: this.suite!.name,
      group: this.group !== undefined ? groupName(this.group) : 'psk',
      extendedMasterSecret: this.useExtendedMasterSecret,
      signatureScheme: this.signatureScheme,
      ...(this.pskIdentity !== undefined ? { pskIdentity: this.pskIdentity } : {}),
      ...(this.serverName !== undefined ? { serverName: this.serverName } : {}),
    }));
  }

  // ---- resumption, tickets, ALPN, record_size_limit, client certificate, key log ------------

  /** The session of the completed handshake (id is empty without a session cache). */
  get session(): DtlsSession | undefined {
    return this.establishedSession;
  }

  /** RFC 5246 §7.2.2: a session whose connection ends with a fatal alert is not resumed again. */
  invalidateSession(): void {
    const cache = this.features.sessionCache;
    if (!cache) return;
    if (this.resumed?.via === 'session-id' || (!this.resumed && this.establishedSession)) {
      if (this.sessionId.length > 0) cache.remove(this.sessionId);
    }
  }

  /** ALPN and record_size_limit from the ClientHello (full and abbreviated handshakes). */
  private negotiateFeatures(hello: ResumptionClientHello): void {
    const alpn = findExtension(hello.extensions, ALPN_EXTENSION);
    // RFC 7301 §3.2: the server's preference decides; no overlap is a fatal no_application_protocol.
    if (alpn && this.features.alpnProtocols) this.alpn = selectAlpnProtocol(this.features.alpnProtocols, parseAlpn(alpn.data));
    const limit = findExtension(hello.extensions, RECORD_SIZE_LIMIT_EXTENSION);
    if (limit) {
      this.clientRecordSizeLimit = parseRecordSizeLimit(limit.data);
      this.host.setRecordSizeLimits({
        send: this.clientRecordSizeLimit,
        ...(this.features.recordSizeLimit !== undefined ? { receive: this.features.recordSizeLimit } : {}),
      });
    }
  }

  private ticketRequested(hello: ResumptionClientHello): boolean {
    return this.features.ticketKeys !== undefined && findExtension(hello.extensions, SESSION_TICKET_EXTENSION) !== undefined;
  }

  private featureExtensions(): Extension[] {
    const extensions: Extension[] = [];
    if (this.issueTicket) extensions.push(sessionTicketExtension());
    if (this.alpn !== undefined) extensions.push(alpnExtension([this.alpn]));
    if (this.clientRecordSizeLimit !== undefined && this.features.recordSizeLimit !== undefined) {
      extensions.push(recordSizeLimitExtension(this.features.recordSizeLimit));
    }
    return extensions;
  }

  /**
   * The session the client offers, if we can resume it: a ticket we sealed (RFC 5077) or a
   * session id in our cache, with a suite the client still offers, the same server name
   * (RFC 6066 §3) and the extended master secret (RFC 7627 §5.3). Emits a 'resumption' event.
   */
  private findResumableSession(hello: ResumptionClientHello): ResumableSession | undefined {
    const ticket = findExtension(hello.extensions, SESSION_TICKET_EXTENSION);
    let via: ResumableSession['via'];
    let state: SessionState | undefined;
    const refuse = (reason: string): undefined => {
      this.host.emitEvent({ type: 'resumption', offered: via, accepted: false, reason });
      return undefined;
    };
    if (ticket && ticket.data.length > 0) {
      via = 'ticket';
      if (!this.features.ticketKeys) return refuse('tickets are not enabled on this server (no ticketKeys)');
      const opened = this.features.ticketKeys.open(ticket.data);
      if (!opened.ok) return refuse(opened.reason);
      state = opened.state;
    } else if (hello.sessionId.length > 0) {
      via = 'session-id';
      if (!this.features.sessionCache) return refuse('session ids are not cached on this server (no sessionCache)');
      state = this.features.sessionCache.lookup(hello.sessionId);
      if (!state) return refuse('unknown or expired session id');
    } else {
      return undefined;
    }
    const suite = this.enabledSuites.find((candidate) => candidate.code === state!.suiteCode);
    if (!suite || !hello.cipherSuites.includes(state.suiteCode)) return refuse(`the session's suite ${hex16(state.suiteCode)} is not offered or not enabled`);
    const clientEms = findExtension(hello.extensions, ExtensionType.ExtendedMasterSecret) !== undefined;
    if (state.extendedMasterSecret && !clientEms) {
      // RFC 7627 §5.3: the original session used EMS, the new ClientHello does not: abort.
      throw handshakeFailure('client resumes an extended-master-secret session without the extended_master_secret extension (RFC 7627 §5.3)');
    }
    if (!state.extendedMasterSecret) return refuse('the session has no extended master secret; a full handshake negotiates a new one (RFC 7627 §5.3)');
    const serverName = findExtension(hello.extensions, ExtensionType.ServerName);
    const name = serverName ? parseServerName(serverName.data) : undefined;
    if (!sameServerName(state.serverName, name)) return refuse(`the session is for server name '${state.serverName ?? ''}', not '${name ?? ''}'`);
    if (this.features.requestClientCertificate?.required && !(state.clientCertificates && state.clientCertificates.length > 0)) {
      return refuse('a client certificate is required and the session has none');
    }
    this.host.emitEvent({ type: 'resumption', offered: via, accepted: true });
    return { state, suite, via };
  }

  /** Abbreviated handshake, flight 4: ServerHello, [NewSessionTicket], ChangeCipherSpec, Finished (RFC 6347 §4.2.4). */
  private beginAbbreviatedHandshake(hello: ResumptionClientHello, message: IncomingMessage, resumable: ResumableSession): void {
    const { state, suite } = resumable;
    const renegotiationInfo = findExtension(hello.extensions, ExtensionType.RenegotiationInfo);
    if (renegotiationInfo && !isEmptyRenegotiationInfo(renegotiationInfo.data)) {
      throw handshakeFailure('client sent a non-empty renegotiation_info in an initial handshake');
    }
    const secureRenegotiation = !!renegotiationInfo || hello.cipherSuites.includes(EMPTY_RENEGOTIATION_INFO_SCSV);
    const serverName = findExtension(hello.extensions, ExtensionType.ServerName);
    if (serverName) this.serverName = parseServerName(serverName.data);
    this.resumed = resumable;
    this.suite = suite;
    this.useExtendedMasterSecret = true;
    this.signatureScheme = state.signatureScheme;
    this.master = Buffer.from(state.masterSecret);
    if (state.clientCertificates && state.clientCertificates.length > 0) this.clientCertificates = state.clientCertificates;
    this.negotiateFeatures(hello);
    // A ticket is renewed; a cached session keeps its id. Either way the client's session id is echoed (RFC 5077 §3.4).
    this.issueTicket = resumable.via === 'ticket' && this.ticketRequested(hello);
    this.sessionId = Buffer.from(hello.sessionId);
    this.clientRandom = Buffer.from(hello.random);
    this.transcript.add(message.whole);
    this.host.peerFlightComplete(hello.cookie.length > 0 ? 3 : 1);

    const extensions: Extension[] = [];
    if (secureRenegotiation) extensions.push(emptyRenegotiationInfoExtension());
    extensions.push(extendedMasterSecretExtension(), ...this.featureExtensions());
    const serverHello = encodeServerHello({
      serverVersion: DTLS_1_2,
      random: this.serverRandom,
      sessionId: this.sessionId,
      cipherSuite: suite.code,
      compressionMethod: COMPRESSION_NULL,
      extensions,
    });
    this.transcript.add(this.host.queueHandshake(HandshakeType.ServerHello, serverHello));
    this.keys = deriveTrafficKeys(this.master, this.clientRandom, this.serverRandom, suite.keyLength, suite.fixedIvLength, suite.hash);
    this.logKey();
    this.queueNewSessionTicket();
    this.host.queueChangeCipherSpec(createRecordProtection(suite, this.keys.serverWriteKey, this.keys.serverWriteSalt));
    const verifyData = finishedVerifyData(this.master, 'server', this.transcript.hash(suite.hash), suite.hash);
    this.transcript.add(this.host.queueHandshake(HandshakeType.Finished, verifyData));
    this.host.sendFlight(4, true);
    this.phase = 'await-change-cipher-spec';
  }

  /** Abbreviated handshake: the client's CCS and Finished (flight 5) checked out. */
  private completeAbbreviatedHandshake(): void {
    const { state } = this.resumed!;
    this.phase = 'done';
    this.host.complete(this.withFeatures({
      suite: this.suite!.name,
      group: state.group,
      extendedMasterSecret: true,
      signatureScheme: state.signatureScheme,
      ...(this.serverName !== undefined ? { serverName: this.serverName } : {}),
    }));
  }

  private currentSessionState(createdAt: number): SessionState {
    const resumed = this.resumed?.state;
    return {
      masterSecret: Buffer.from(this.master),
      suiteCode: this.suite!.code,
      extendedMasterSecret: this.useExtendedMasterSecret,
      ...(this.serverName !== undefined ? { serverName: this.serverName } : {}),
      group: resumed ? resumed.group : this.group !== undefined ? groupName(this.group) : 'psk',
      signatureScheme: resumed ? resumed.signatureScheme : this.signatureScheme,
      ...(this.clientCertificates ? { clientCertificates: this.clientCertificates } : {}),
      createdAt: resumed ? resumed.createdAt : createdAt,
    };
  }

  /** NewSessionTicket, right before our ChangeCipherSpec (RFC 5077 §3.3). */
  private queueNewSessionTicket(): void {
    const keys = this.features.ticketKeys;
    if (!this.issueTicket || !keys) return;
    const ticket = keys.seal(this.currentSessionState(keys.clock.now()));
    this.transcript.add(this.host.queueHandshake(HandshakeType.NewSessionTicket, encodeNewSessionTicket({ lifetimeHintSeconds: keys.lifetimeHintSeconds, ticket })));
  }

  /** Stores a full handshake's session in the cache and completes the negotiated parameters. */
  private withFeatures(parameters: Omit<NegotiatedParameters, 'resumed'>): NegotiatedParameters {
    const cache = this.features.sessionCache;
    if (!this.resumed && cache && this.sessionId.length > 0) cache.store(this.sessionId, this.currentSessionState(cache.clock.now()));
    const suite = this.suite!;
    this.establishedSession = Object.freeze({
      id: Buffer.from(this.sessionId),
      masterSecret: Buffer.from(this.master),
      suite: suite.name,
      suiteCode: suite.code,
      extendedMasterSecret: this.useExtendedMasterSecret,
      ...(this.serverName !== undefined ? { serverName: this.serverName } : {}),
      group: parameters.group,
      signatureScheme: parameters.signatureScheme,
      createdAt: Date.now(),
    });
    let clientCertificate: NegotiatedParameters['clientCertificate'];
    const leafDer = this.clientCertificates?.[0];
    if (leafDer) {
      const leaf = this.clientLeaf ?? new ClientX509Certificate(leafDer);
      clientCertificate = { subject: leaf.subject.replace(/\n/g, ', '), fingerprint256: leaf.fingerprint256 };
    }
    return {
      ...parameters,
      resumed: this.resumed !== undefined,
      ...(this.alpn !== undefined ? { alpn: this.alpn } : {}),
      ...(clientCertificate ? { clientCertificate } : {}),
    };
  }

  private queueCertificateRequest(): void {
    const request = this.features.requestClientCertificate;
    // RFC 4279 §2: no certificates with the PSK suites.
    if (!request || this.suite!.authentication === 'psk') return;
    this.certificateRequested = true;
    const body = encodeCertificateRequest(CLIENT_VERIFY_SCHEMES, certificateAuthorityNames(request.trustedCaPems));
    this.transcript.add(this.host.queueHandshake(HandshakeType.CertificateRequest, body));
  }

  private noClientCertificate(reason: string): void {
    if (this.features.requestClientCertificate?.required) {
      throw new DtlsFailure('client-certificate-required', `${reason}, but this server requires a client certificate`, AlertDescription.HandshakeFailure);
    }
    this.phase = 'await-client-key-exchange';
  }

  private onClientCertificate(message: IncomingMessage): void {
    const chain = decodeClientCertificateChain(message.body);
    this.transcript.add(message.whole);
    if (chain.length === 0) return this.noClientCertificate('client sent an empty Certificate');
    const leaf = checkClientCertificate(chain, this.features.requestClientCertificate!);
    if (!clientKeyTypeOf(leaf.publicKey)) {
      throw new DtlsFailure('bad-certificate', `client certificate has a ${leaf.publicKey.asymmetricKeyType} key; we accept RSA and ECDSA`, AlertDescription.UnsupportedCertificate);
    }
    this.clientCertificates = chain;
    this.clientPublicKey = leaf.publicKey;
    this.clientLeaf = leaf;
    this.phase = 'await-client-key-exchange';
  }

  /** CertificateVerify: the client's signature over all handshake messages before it (RFC 5246 §7.4.8). */
  private onCertificateVerify(message: IncomingMessage): void {
    const verify = decodeCertificateVerify(message.body);
    const scheme = clientSchemeByCode(verify.signatureScheme);
    if (!scheme || !CLIENT_VERIFY_SCHEMES.includes(scheme.code)) {
      throw illegalParameter(`client signed CertificateVerify with ${clientSchemeName(verify.signatureScheme)}, which we did not offer`);
    }
    if (scheme.keyType !== clientKeyTypeOf(this.clientPublicKey!)) {
      throw illegalParameter(`client signed CertificateVerify with ${scheme.name}, which does not fit its ${this.clientPublicKey!.asymmetricKeyType} key`);
    }
    if (!verifyClientSignature(scheme, this.clientPublicKey!, this.transcript.contents(), verify.signature)) {
      throw new DtlsFailure(
        'bad-signature',
        `the client's CertificateVerify signature (${scheme.name}) does not verify with the public key of its certificate (${this.clientLeaf!.subject.replace(/\n/g, ', ')}): the client's private key does not belong to its certificate, or the handshake messages were altered`,
        AlertDescription.DecryptError,
      );
    }
    this.transcript.add(message.whole);
    this.phase = 'await-change-cipher-spec';
  }

  private logKey(): void {
    if (!this.features.onKeyLog) return;
    try {
      this.features.onKeyLog(keyLogLine(this.clientRandom, this.master));
    } catch {
      // A failing key log listener must not break the handshake.
    }
  }
}
