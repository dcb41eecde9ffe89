// Client side of the full DTLS 1.2 ECDHE handshake (RFC 6347 §4.2, RFC 5246 §7.3, RFC 8422):
// flight 1/3 ClientHello (+cookie), flight 4 from the server, flight 5 CKE/CCS/Finished, flight 6.

import { randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { DecodeError } from './bytes';
import { checkServerCertificate, type VerifyOptions } from './certificate-check';
import { createRecordProtection } from './cipher-state';
import {
  AlertDescription,
  AlertLevel,
  COMPRESSION_NULL,
  DTLS_1_0,
  DTLS_1_2,
  EC_POINT_FORMAT_UNCOMPRESSED,
  ExtensionType,
  HandshakeType,
  groupName,
  handshakeName,
  hex16,
  groupCodes,
  type CipherSuiteInfo,
  type GroupName,
  type NamedGroup,
} from './constants';
import {
  ecPointFormatsExtension,
  emptyRenegotiationInfoExtension,
  extendedMasterSecretExtension,
  isEmptyRenegotiationInfo,
  isSniCandidate,
  parseEcPointFormats,
  serverNameExtension,
  signatureAlgorithmsExtension,
  supportedGroupsExtension,
} from './extensions';
import { DtlsFailure, decodeFailure, handshakeFailure, illegalParameter, unexpectedMessage } from './failure';
import type { HandshakeHost, HandshakeRole, IncomingMessage } from './handshake-host';
import {
  decodeCertificate,
  decodeCertificateRequest,
  decodeFinished,
  decodeHelloVerifyRequest,
  decodeServerHello,
  decodeServerKeyExchange,
  encodeCertificate,
  encodeClientHello,
  encodeClientKeyExchange,
  type Extension,
} from './handshake-messages';
import { EphemeralKeyPair } from './key-exchange';
import {
  checkPskCredentials,
  decodePskServerKeyExchange,
  encodePskClientKeyExchange,
  identityBytes,
  pskPreMasterSecret,
  type PskClientCredentials,
} from './psk';
import { clientOfferedSuites } from './suite-negotiation';
import type { ClientSuiteOptions } from './suite-options';
import { deriveTrafficKeys, extendedMasterSecret, finishedVerifyData, masterSecret, type TrafficKeys } from './key-schedule';
import { OFFERED_SIGNATURE_SCHEMES, keyTypeOf, signatureSchemeByCode, signatureSchemeName, verifyWithScheme } from './signature-schemes';
import { cipherSuiteLabel } from './suite-names';
import { HandshakeTranscript } from './transcript';
// Session resumption, tickets, ALPN, record_size_limit, client certificates and key log.
import { randomBytes as randomSessionIdBytes } from 'node:crypto';
import { ALPN_EXTENSION, alpnExtension, parseAlpn, validateAlpnProtocols } from './alpn';
import { encodeCertificateVerify } from './client-auth';
import { loadServerCredentials as loadClientCredentials, type ServerCredentials as ClientCredentials } from './credentials';
import type { NegotiatedParameters } from './handshake-host';
import type { ClientFeatureOptions } from './handshake-features';
import { keyLogLine } from './key-log';
import { RECORD_SIZE_LIMIT_EXTENSION, parseRecordSizeLimit, recordSizeLimitExtension, validateRecordSizeLimit } from './record-size-limit';
import { SESSION_ID_LENGTH, sameServerName, type DtlsSession } from './session';
import { SESSION_TICKET_EXTENSION, decodeNewSessionTicket, sessionTicketExtension, type NewSessionTicket } from './session-ticket';
import { chooseSignatureScheme as chooseClientSignatureScheme, signWithScheme as signClientData, type SignatureScheme as ClientSignatureScheme } from './signature-schemes';

export interface ClientHandshakeOptions extends ClientSuiteOptions, ClientFeatureOptions {
  serverName?: string;
  verify: VerifyOptions;
  /** Groups to offer, in order (default x25519, secp256r1, secp384r1, secp521r1). */
  groups?: readonly GroupName[];
}

type ClientPhase =
  | 'idle'
  | 'await-new-session-ticket'
  | 'await-server-hello'
  | 'await-certificate'
  | 'await-server-key-exchange'
  | 'await-server-hello-done'
  | 'await-change-cipher-spec'
  | 'await-finished'
  | 'done';

const MAX_HELLO_VERIFY_REQUESTS = 4;

export class ClientHandshake implements HandshakeRole {
  private phase: ClientPhase = 'idle';
  private readonly clientRandom: Buffer = randomBytes(32);
  private cookie: Buffer = Buffer.alloc(0);
  private helloVerifyRequests = 0;
  private offeredExtensions: Extension[] = [];
  private lastClientHello: Buffer = Buffer.alloc(0);
  private readonly transcript = new HandshakeTranscript();

  private serverRandom: Buffer = Buffer.alloc(0);
  private suite: CipherSuiteInfo | undefined;
  private useExtendedMasterSecret = false;
  private serverPublicKey: KeyObject | undefined;
  /** Subject of the server's leaf certificate, for messages. */
  private serverSubject = '';
  private group: NamedGroup | undefined;
  private serverPoint: Buffer = Buffer.alloc(0);
  private signatureScheme = '';
  private pskHint = '';
  private pskIdentity: string | undefined;
  private readonly offeredSuites: readonly CipherSuiteInfo[];
  private certificateRequested = false;
  private master: Buffer = Buffer.alloc(0);
  private keys: TrafficKeys | undefined;
  // Resumption (RFC 5246 §7.3, RFC 5077), ALPN, record_size_limit, client certificate.
  private offeredSession: DtlsSession | undefined;
  private offeredTicket: Uint8Array | undefined;
  private offeredSessionId: Buffer = Buffer.alloc(0);
  private serverSessionId: Buffer = Buffer.alloc(0);
  private resumed = false;
  private expectTicket = false;
  private newTicket: NewSessionTicket | undefined;
  private alpn: string | undefined;
  private clientCredentials: ClientCredentials | undefined;
  private requestedCertificate: { certificateTypes: number[]; signatureSchemes: number[] } | undefined;
  private clientSigningScheme: ClientSignatureScheme | undefined;
  private establishedSession: DtlsSession | undefined;

  constructor(private readonly host: HandshakeHost, private readonly options: ClientHandshakeOptions) {
    // Both throw a RangeError naming the problem (unknown or CBC suite, unknown group, bad PSK).
    this.offeredSuites = clientOfferedSuites(options.cipherSuites, options.psk !== undefined);
    groupCodes(options.groups);
    if (options.psk !== undefined && typeof options.psk !== 'function') checkPskCredentials(options.psk);
    this.prepareFeatures();
  }

  start(): void {
    this.sendClientHello(1);
  }

  private sendClientHello(flight: number): void {
    const extensions: Extension[] = [];
    if (isSniCandidate(this.options.serverName)) extensions.push(serverNameExtension(this.options.serverName));
    if (this.offeredSuites.some((suite) => suite.ecdhe)) {
      extensions.push(supportedGroupsExtension(groupCodes(this.options.groups)), ecPointFormatsExtension());
    }
    if (this.offeredSuites.some((suite) => suite.authentication !== 'psk')) {
      extensions.push(signatureAlgorithmsExtension(OFFERED_SIGNATURE_SCHEMES));
    }
    extensions.push(extendedMasterSecretExtension(), emptyRenegotiationInfoExtension());
    extensions.push(...this.featureExtensions());
    this.offeredExtensions = extensions;
    const body = encodeClientHello({
      clientVersion: DTLS_1_2,
      random: this.clientRandom,
      sessionId: this.offeredSessionId,
      cookie: this.cookie,
      cipherSuites: this.offeredSuites.map((suite) => suite.code),
      compressionMethods: [COMPRESSION_NULL],
      extensions,
    });
    this.lastClientHello = this.host.queueHandshake(HandshakeType.ClientHello, body);
    this.host.sendFlight(flight, true);
    this.phase = 'await-server-hello';
  }

  handleChangeCipherSpec(): boolean {
    if (this.phase !== 'await-change-cipher-spec' || !this.keys) return false;
    this.host.activateReadEpoch(createRecordProtection(this.suite!, this.keys.serverWriteKey, this.keys.serverWriteSalt));
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
    switch (this.phase) {
      case 'await-server-hello':
        if (type === HandshakeType.HelloVerifyRequest) return this.onHelloVerifyRequest(message);
        if (type === HandshakeType.ServerHello) return this.onServerHello(message);
        break;
      case 'await-certificate':
        if (type === HandshakeType.Certificate) return this.onCertificate(message);
        break;
      case 'await-server-key-exchange':
        if (type === HandshakeType.ServerKeyExchange) return this.onServerKeyExchange(message);
        // RFC 4279 §2: a plain PSK server without an identity hint sends no ServerKeyExchange.
        if (type === HandshakeType.ServerHelloDone && this.suite?.keyExchange === 'psk') return this.onServerHelloDone(message);
        break;
      case 'await-server-hello-done':
        if (type === HandshakeType.CertificateRequest && !this.certificateRequested) return this.onCertificateRequest(message);
        if (type === HandshakeType.ServerHelloDone) return this.onServerHelloDone(message);
        break;
      case 'await-new-session-ticket':
        if (type === HandshakeType.NewSessionTicket) return this.onNewSessionTicket(message);
        break;
      case 'await-finished':
        if (type === HandshakeType.Finished) return this.onFinished(message);
        break;
      case 'done':
        if (type === HandshakeType.HelloRequest) {
          this.host.sendAlert(AlertLevel.Warning, AlertDescription.NoRenegotiation);
          return;
        }
        break;
      default:
        break;
    }
    throw unexpectedMessage(`unexpected ${handshakeName(type)} (message_seq ${message.messageSeq}) while in ${this.phase}`);
  }

  private onHelloVerifyRequest(message: IncomingMessage): void {
    const request = decodeHelloVerifyRequest(message.body);
    if (request.serverVersion !== DTLS_1_0 && request.serverVersion !== DTLS_1_2) {
      throw new DtlsFailure('protocol-version', `HelloVerifyRequest has version ${hex16(request.serverVersion)}`, AlertDescription.ProtocolVersion);
    }
    this.helloVerifyRequests += 1;
    if (this.helloVerifyRequests > MAX_HELLO_VERIFY_REQUESTS) {
      throw handshakeFailure(`server sent ${this.helloVerifyRequests} HelloVerifyRequests without accepting a cookie`);
    }
    this.host.peerFlightComplete(2);
    this.cookie = Buffer.from(request.cookie);
    this.sendClientHello(3);
  }

  private onServerHello(message: IncomingMessage): void {
    const hello = decodeServerHello(message.body);
    if (hello.serverVersion !== DTLS_1_2) {
      throw new DtlsFailure('protocol-version', `server chose version ${hex16(hello.serverVersion)}, we only speak DTLS 1.2 (0xfefd)`, AlertDescription.ProtocolVersion);
    }
    const suite = this.offeredSuites.find((offered) => offered.code === hello.cipherSuite);
    if (!suite) throw illegalParameter(`server chose cipher suite ${cipherSuiteLabel(hello.cipherSuite)}, which we did not offer`);
    if (hello.compressionMethod !== COMPRESSION_NULL) throw illegalParameter(`server chose compression ${hello.compressionMethod}`);
    for (const extension of hello.extensions) {
      if (!this.offeredExtensions.some((offered) => offered.type === extension.type)) {
        throw new DtlsFailure('unsupported-extension', `server sent extension ${extension.type}, which we did not offer`, AlertDescription.UnsupportedExtension);
      }
      if (extension.type === ExtensionType.RenegotiationInfo && !isEmptyRenegotiationInfo(extension.data)) {
        throw handshakeFailure('server sent a non-empty renegotiation_info in an initial handshake');
      }
      if (extension.type === ExtensionType.EcPointFormats && !parseEcPointFormats(extension.data).includes(EC_POINT_FORMAT_UNCOMPRESSED)) {
        throw illegalParameter('server does not accept uncompressed EC points');
      }
      if (extension.type === ExtensionType.ExtendedMasterSecret) this.useExtendedMasterSecret = true;
      this.onServerHelloExtension(extension);
    }
    this.suite = suite;
    this.serverRandom = Buffer.from(hello.random);
    this.transcript.reset();
    this.transcript.add(this.lastClientHello);
    this.transcript.add(message.whole);
    if (suite.authentication === 'psk') this.signatureScheme = 'none';
    this.phase = suite.authentication === 'psk' ? 'await-server-key-exchange' : 'await-certificate';
    this.checkResumption(hello.sessionId);
  }

  private onCertificate(message: IncomingMessage): void {
    const chain = decodeCertificate(message.body);
    const leaf = checkServerCertificate(chain, this.options.verify);
    const keyType = keyTypeOf(leaf.publicKey);
    if (keyType !== this.suite!.authentication) {
      throw new DtlsFailure(
        'bad-certificate',
        `server certificate has a ${leaf.publicKey.asymmetricKeyType} key but ${this.suite!.name} needs ${this.suite!.authentication === 'ec' ? 'ECDSA' : 'RSA'}`,
        AlertDescription.UnsupportedCertificate,
      );
    }
    this.serverPublicKey = leaf.publicKey;
    this.serverSubject = leaf.subject.replace(/\n/g, ', ');
    this.transcript.add(message.whole);
    this.phase = 'await-server-key-exchange';
  }

  private onServerKeyExchange(message: IncomingMessage): void {
    if (this.suite!.authentication === 'psk') return this.onPskServerKeyExchange(message);
    const exchange = decodeServerKeyExchange(message.body);
    if (!groupCodes(this.options.groups).includes(exchange.namedGroup)) {
      throw illegalParameter(`server chose group ${groupName(exchange.namedGroup)}, which we did not offer`);
    }
    const scheme = signatureSchemeByCode(exchange.signatureScheme);
    if (!scheme || !OFFERED_SIGNATURE_SCHEMES.includes(scheme.code)) {
      throw illegalParameter(`server signed with ${signatureSchemeName(exchange.signatureScheme)}, which we did not offer`);
    }
    if (scheme.keyType !== this.suite!.authentication) {
      throw illegalParameter(`signature scheme ${scheme.name} does not fit ${this.suite!.name}`);
    }
    const signed = Buffer.concat([this.clientRandom, this.serverRandom, exchange.encodedParams]);
    if (!verifyWithScheme(scheme, this.serverPublicKey!, signed, exchange.signature)) {
      throw new DtlsFailure(
        'bad-signature',
        `the ServerKeyExchange signature (${scheme.name}) does not verify with the public key of the server certificate (${this.serverSubject}): the server's private key does not belong to its certificate, or the message was altered`,
        AlertDescription.DecryptError,
      );
    }
    this.group = exchange.namedGroup as NamedGroup;
    this.serverPoint = Buffer.from(exchange.publicPoint);
    this.signatureScheme = scheme.name;
    this.transcript.add(message.whole);
    this.phase = 'await-server-hello-done';
  }

  /** PSK: identity hint only; ECDHE_PSK: hint and unsigned ECDH parameters (RFC 4279 §2, RFC 5489 §2). */
  private onPskServerKeyExchange(message: IncomingMessage): void {
    const exchange = decodePskServerKeyExchange(message.body, this.suite!.ecdhe);
    this.pskHint = exchange.hint.toString('utf8');
    if (exchange.namedGroup !== undefined) {
      if (!groupCodes(this.options.groups).includes(exchange.namedGroup)) {
        throw illegalParameter(`server chose group ${groupName(exchange.namedGroup)}, which we did not offer`);
      }
      this.group = exchange.namedGroup as NamedGroup;
      this.serverPoint = Buffer.from(exchange.publicPoint!);
    }
    this.signatureScheme = 'none';
    this.transcript.add(message.whole);
    this.phase = 'await-server-hello-done';
  }

  private pskCredentials(): PskClientCredentials {
    const option = this.options.psk!;
    const credentials = typeof option === 'function' ? option(this.pskHint) : option;
    if (!credentials) throw handshakeFailure(`no PSK for the server's identity hint '${this.pskHint}'`);
    if (typeof option === 'function') {
      try {
        checkPskCredentials(credentials);
      } catch (error) {
        throw new DtlsFailure('internal-error', (error as Error).message, AlertDescription.InternalError);
      }
    }
    return credentials;
  }

  private onCertificateRequest(message: IncomingMessage): void {
    this.requestedCertificate = decodeCertificateRequest(message.body);
    this.certificateRequested = true;
    this.transcript.add(message.whole);
  }

  private onServerHelloDone(message: IncomingMessage): void {
    if (message.body.length !== 0) throw decodeFailure('ServerHelloDone is not empty');
    this.transcript.add(message.whole);
    this.host.peerFlightComplete(4);

    if (this.certificateRequested) this.sendClientCertificate();
    const suite = this.suite!;
    const ephemeral = suite.ecdhe ? EphemeralKeyPair.generate(this.group!) : undefined;
    const ecdhSecret = ephemeral?.sharedSecret(this.serverPoint);
    let preMasterSecret: Buffer;
    let clientKeyExchange: Buffer;
    if (suite.authentication === 'psk') {
      const credentials = this.pskCredentials();
      const identity = identityBytes(credentials.identity);
      this.pskIdentity = identity.toString('utf8');
      preMasterSecret = pskPreMasterSecret(Buffer.from(credentials.key), ecdhSecret);
      clientKeyExchange = encodePskClientKeyExchange(identity, ephemeral?.publicPoint);
    } else {
      preMasterSecret = ecdhSecret!;
      clientKeyExchange = encodeClientKeyExchange(ephemeral!.publicPoint);
    }
    this.transcript.add(this.host.queueHandshake(HandshakeType.ClientKeyExchange, clientKeyExchange));
    this.master = this.useExtendedMasterSecret
      ? extendedMasterSecret(preMasterSecret, this.transcript.hash(suite.hash), suite.hash)
      : masterSecret(preMasterSecret, this.clientRandom, this.serverRandom, suite.hash);
    this.keys = deriveTrafficKeys(this.master, this.clientRandom, this.serverRandom, suite.keyLength, suite.fixedIvLength, suite.hash);
    this.sendCertificateVerify();
    this.logKey();
    this.host.queueChangeCipherSpec(createRecordProtection(suite, this.keys.clientWriteKey, this.keys.clientWriteSalt));
    const verifyData = finishedVerifyData(this.master, 'client', this.transcript.hash(suite.hash), suite.hash);
    this.transcript.add(this.host.queueHandshake(HandshakeType.Finished, verifyData));
    this.host.sendFlight(5, true);
    this.phase = this.expectTicket ? 'await-new-session-ticket' : 'await-change-cipher-spec';
  }

  private onFinished(message: IncomingMessage): void {
    if (message.epoch === 0) throw unexpectedMessage('server Finished arrived unencrypted');
    const received = decodeFinished(message.body);
    const hash = this.suite!.hash;
    const expected = finishedVerifyData(this.master, 'server', this.transcript.hash(hash), hash);
    if (!timingSafeEqual(received, expected)) {
      throw new DtlsFailure('decrypt-error', 'server Finished verify_data does not match our transcript', AlertDescription.DecryptError);
    }
    this.transcript.add(message.whole);
    if (this.resumed) return this.finishAbbreviatedHandshake();
    this.phase = 'done';
    this.host.peerFlightComplete(6);
    this.host.complete(this.withFeatures({
      suite: this.suite!.name,
      group: this.group !== undefined ? groupName(this.group) : 'psk',
      extendedMasterSecret: this.useExtendedMasterSecret,
      signatureScheme: this.signatureScheme,
      ...(this.pskIdentity !== undefined ? { pskIdentity: this.pskIdentity } : {}),
    }));
  }

  // ---- resumption, tickets, ALPN, record_size_limit, client certificate, key log ------------

  /** The session of the completed handshake, to offer later as `resumeSession`. */
  get session(): DtlsSession | undefined {
    return this.establishedSession;
  }

  /** Checks the feature options and picks the session to offer, if any. */
  private prepareFeatures(): void {
    const options = this.options;
    if (options.alpnProtocols !== undefined) validateAlpnProtocols(options.alpnProtocols, 'alpnProtocols');
    if (options.recordSizeLimit !== undefined) validateRecordSizeLimit(options.recordSizeLimit);
    if ((options.certificatePem === undefined) !== (options.privateKeyPem === undefined)) {
      throw new Error('certificatePem and privateKeyPem must be given together');
    }
    if (options.certificatePem !== undefined && options.privateKeyPem !== undefined) {
      this.clientCredentials = loadClientCredentials(options.certificatePem, options.privateKeyPem);
    }
    const session = options.resumeSession;
    if (!session) return;
    const ticket = options.sessionTickets !== false && session.ticket && session.ticket.length > 0 ? session.ticket : undefined;
    const serverName = isSniCandidate(options.serverName) ? options.serverName : undefined;
    // RFC 7627 §5.3: a session without the extended master secret is not offered (full handshake).
    if (!session.extendedMasterSecret || session.masterSecret.length !== 48) return;
    if (!this.offeredSuites.some((suite) => suite.code === session.suiteCode)) return;
    // RFC 6066 §3: a session belongs to the server name it was made for.
    if (!sameServerName(session.serverName, serverName)) return;
    if (session.id.length === 0 && !ticket) return;
    this.offeredSession = session;
    this.offeredTicket = ticket;
    // RFC 5077 §3.4: with a ticket we send a session id too; the server echoes it when it accepts.
    this.offeredSessionId = session.id.length > 0 ? Buffer.from(session.id) : randomSessionIdBytes(SESSION_ID_LENGTH);
  }

  private featureExtensions(): Extension[] {
    const extensions: Extension[] = [];
    if (this.options.sessionTickets !== false) extensions.push(sessionTicketExtension(this.offeredTicket));
    if (this.options.alpnProtocols !== undefined) extensions.push(alpnExtension(this.options.alpnProtocols));
    if (this.options.recordSizeLimit !== undefined) extensions.push(recordSizeLimitExtension(this.options.recordSizeLimit));
    return extensions;
  }

  /** ServerHello extensions of the optional features (the caller already checked that we offered them). */
  private onServerHelloExtension(extension: Extension): void {
    switch (extension.type) {
      case SESSION_TICKET_EXTENSION:
        if (extension.data.length !== 0) throw decodeFailure('server sent a non-empty session_ticket extension');
        this.expectTicket = true;
        break;
      case ALPN_EXTENSION: {
        const protocols = parseAlpn(extension.data);
        const chosen = protocols[0]!;
        if (protocols.length !== 1 || !this.options.alpnProtocols?.includes(chosen)) {
          throw illegalParameter(`server selected ALPN [${protocols.join(', ')}]; it must pick exactly one of [${this.options.alpnProtocols?.join(', ') ?? ''}]`);
        }
        this.alpn = chosen;
        break;
      }
      case RECORD_SIZE_LIMIT_EXTENSION:
        this.host.setRecordSizeLimits({
          send: parseRecordSizeLimit(extension.data),
          ...(this.options.recordSizeLimit !== undefined ? { receive: this.options.recordSizeLimit } : {}),
        });
        break;
      default:
        break;
    }
  }

  /** The server echoed our session id: it resumes the offered session (RFC 5246 §7.4.1.3). */
  private checkResumption(sessionId: Buffer): void {
    this.serverSessionId = Buffer.from(sessionId);
    const session = this.offeredSession;
    if (!session) return;
    const offered = this.offeredTicket ? 'ticket' : 'session-id';
    if (!sessionId.equals(this.offeredSessionId)) {
      this.host.emitEvent({ type: 'resumption', offered, accepted: false, reason: 'the server did not echo our session id: full handshake' });
      return;
    }
    this.host.emitEvent({ type: 'resumption', offered, accepted: true });
    const suite = this.suite!;
    if (suite.code !== session.suiteCode) {
      throw illegalParameter(`server resumed a ${session.suite} session with ${suite.name}`);
    }
    // RFC 7627 §5.3: we only offer sessions with the extended master secret; the server must keep it.
    if (!this.useExtendedMasterSecret) {
      throw handshakeFailure('server resumed an extended-master-secret session without the extended_master_secret extension (RFC 7627 §5.3)');
    }
    this.resumed = true;
    this.master = Buffer.from(session.masterSecret);
    this.keys = deriveTrafficKeys(this.master, this.clientRandom, this.serverRandom, suite.keyLength, suite.fixedIvLength, suite.hash);
    this.logKey();
    this.phase = this.expectTicket ? 'await-new-session-ticket' : 'await-change-cipher-spec';
  }

  /** RFC 5077 §3.3: NewSessionTicket comes before the server's ChangeCipherSpec. */
  private onNewSessionTicket(message: IncomingMessage): void {
    this.newTicket = decodeNewSessionTicket(message.body);
    this.transcript.add(message.whole);
    this.phase = 'await-change-cipher-spec';
  }

  /** Abbreviated handshake: the server's flight 4 (ServerHello, [NewSessionTicket], CCS, Finished) is in; answer with flight 5. */
  private finishAbbreviatedHandshake(): void {
    const suite = this.suite!;
    const keys = this.keys!;
    const session = this.offeredSession!;
    this.host.peerFlightComplete(4);
    this.host.queueChangeCipherSpec(createRecordProtection(suite, keys.clientWriteKey, keys.clientWriteSalt));
    const verifyData = finishedVerifyData(this.master, 'client', this.transcript.hash(suite.hash), suite.hash);
    this.transcript.add(this.host.queueHandshake(HandshakeType.Finished, verifyData));
    this.host.sendFlight(5, false);
    this.phase = 'done';
    this.host.complete(this.withFeatures({
      suite: suite.name,
      group: session.group,
      extendedMasterSecret: true,
      signatureScheme: session.signatureScheme,
    }));
  }

  /** Completes the negotiated parameters and records the session of this handshake. */
  private withFeatures(parameters: Omit<NegotiatedParameters, 'resumed'>): NegotiatedParameters {
    const suite = this.suite!;
    const previous = this.resumed ? this.offeredSession : undefined;
    const fresh = this.newTicket !== undefined && this.newTicket.ticket.length > 0 ? this.newTicket : undefined;
    const ticket = fresh?.ticket ?? previous?.ticket;
    const serverName = isSniCandidate(this.options.serverName) ? this.options.serverName : undefined;
    this.establishedSession = Object.freeze({
      id: previous ? Buffer.from(previous.id) : Buffer.from(this.serverSessionId),
      ...(ticket ? { ticket: Buffer.from(ticket) } : {}),
      ...(fresh ? { ticketLifetimeSeconds: fresh.lifetimeHintSeconds } : previous?.ticketLifetimeSeconds !== undefined ? { ticketLifetimeSeconds: previous.ticketLifetimeSeconds } : {}),
      masterSecret: Buffer.from(this.master),
      suite: suite.name,
      suiteCode: suite.code,
      extendedMasterSecret: this.useExtendedMasterSecret,
      ...(serverName !== undefined ? { serverName } : {}),
      group: parameters.group,
      signatureScheme: parameters.signatureScheme,
      createdAt: previous && !fresh ? previous.createdAt : Date.now(),
    });
    return { ...parameters, resumed: this.resumed, ...(this.alpn !== undefined ? { alpn: this.alpn } : {}) };
  }

  /** Certificate in answer to a CertificateRequest: ours if we have one that fits, else empty. */
  private sendClientCertificate(): void {
    const credentials = this.clientCredentials;
    const request = this.requestedCertificate;
    let chain: Buffer[] = [];
    if (credentials && request) {
      const wantedType = credentials.keyType === 'rsa' ? 1 : 64; // rsa_sign, ecdsa_sign
      const scheme = chooseClientSignatureScheme(credentials.keyType, request.signatureSchemes, credentials.curve);
      if (request.certificateTypes.includes(wantedType) && scheme) {
        this.clientSigningScheme = scheme;
        chain = credentials.chainDer;
      }
    }
    this.transcript.add(this.host.queueHandshake(HandshakeType.Certificate, encodeCertificate(chain)));
  }

  /** CertificateVerify: a signature over all handshake messages so far (RFC 5246 §7.4.8). */
  private sendCertificateVerify(): void {
    const scheme = this.clientSigningScheme;
    if (!scheme) return;
    const signature = signClientData(scheme, this.clientCredentials!.privateKey, this.transcript.contents());
    this.transcript.add(this.host.queueHandshake(HandshakeType.CertificateVerify, encodeCertificateVerify(scheme.code, signature)));
  }

  private logKey(): void {
    if (!this.options.onKeyLog) return;
    try {
      this.options.onKeyLog(keyLogLine(this.clientRandom, this.master));
    } catch {
      // A failing key log listener must not break the handshake.
    }
  }
}
