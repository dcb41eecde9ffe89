// Client side of the full DTLS 1.2 ECDHE handshake (RFC 6347 §4.2, RFC 5246 §7.3, RFC 8422):
// flight 1/3 ClientHello (+cookie), flight 4 from the server, flight 5 CKE/CCS/Finished, flight 6.

import { randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { DecodeError } from './bytes';
import { checkServerCertificate, type VerifyOptions } from './certificate-check';
import { AesGcmProtection } from './cipher-state';
import {
  AlertDescription,
  AlertLevel,
  CIPHER_SUITES,
  COMPRESSION_NULL,
  DTLS_1_0,
  DTLS_1_2,
  EC_POINT_FORMAT_UNCOMPRESSED,
  ExtensionType,
  HandshakeType,
  cipherSuiteByCode,
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
import { deriveTrafficKeys, extendedMasterSecret, finishedVerifyData, masterSecret, type TrafficKeys } from './key-schedule';
import { OFFERED_SIGNATURE_SCHEMES, keyTypeOf, signatureSchemeByCode, signatureSchemeName, verifyWithScheme } from './signature-schemes';
import { HandshakeTranscript } from './transcript';

export interface ClientHandshakeOptions {
  serverName?: string;
  verify: VerifyOptions;
  /** Groups to offer, in order (default x25519, secp256r1). */
  groups?: readonly GroupName[];
}

type ClientPhase =
  | 'idle'
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
  private group: NamedGroup | undefined;
  private serverPoint: Buffer = Buffer.alloc(0);
  private signatureScheme = '';
  private certificateRequested = false;
  private master: Buffer = Buffer.alloc(0);
  private keys: TrafficKeys | undefined;

  constructor(private readonly host: HandshakeHost, private readonly options: ClientHandshakeOptions) {}

  start(): void {
    this.sendClientHello(1);
  }

  private sendClientHello(flight: number): void {
    const extensions: Extension[] = [];
    if (isSniCandidate(this.options.serverName)) extensions.push(serverNameExtension(this.options.serverName));
    extensions.push(
      supportedGroupsExtension(groupCodes(this.options.groups)),
      ecPointFormatsExtension(),
      signatureAlgorithmsExtension(OFFERED_SIGNATURE_SCHEMES),
      extendedMasterSecretExtension(),
      emptyRenegotiationInfoExtension(),
    );
    this.offeredExtensions = extensions;
    const body = encodeClientHello({
      clientVersion: DTLS_1_2,
      random: this.clientRandom,
      sessionId: Buffer.alloc(0),
      cookie: this.cookie,
      cipherSuites: CIPHER_SUITES.map((suite) => suite.code),
      compressionMethods: [COMPRESSION_NULL],
      extensions,
    });
    this.lastClientHello = this.host.queueHandshake(HandshakeType.ClientHello, body);
    this.host.sendFlight(flight, true);
    this.phase = 'await-server-hello';
  }

  handleChangeCipherSpec(): boolean {
    if (this.phase !== 'await-change-cipher-spec' || !this.keys) return false;
    this.host.activateReadEpoch(new AesGcmProtection(this.keys.serverWriteKey, this.keys.serverWriteSalt));
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
        break;
      case 'await-server-hello-done':
        if (type === HandshakeType.CertificateRequest && !this.certificateRequested) return this.onCertificateRequest(message);
        if (type === HandshakeType.ServerHelloDone) return this.onServerHelloDone(message);
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
    const suite = cipherSuiteByCode(hello.cipherSuite);
    if (!suite) throw illegalParameter(`server chose cipher suite ${hex16(hello.cipherSuite)}, which we did not offer`);
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
    }
    this.suite = suite;
    this.serverRandom = Buffer.from(hello.random);
    this.transcript.reset();
    this.transcript.add(this.lastClientHello);
    this.transcript.add(message.whole);
    this.phase = 'await-certificate';
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
    this.transcript.add(message.whole);
    this.phase = 'await-server-key-exchange';
  }

  private onServerKeyExchange(message: IncomingMessage): void {
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
      throw new DtlsFailure('decrypt-error', `ServerKeyExchange signature (${scheme.name}) does not verify with the server certificate's key`, AlertDescription.DecryptError);
    }
    this.group = exchange.namedGroup as NamedGroup;
    this.serverPoint = Buffer.from(exchange.publicPoint);
    this.signatureScheme = scheme.name;
    this.transcript.add(message.whole);
    this.phase = 'await-server-hello-done';
  }

  private onCertificateRequest(message: IncomingMessage): void {
    decodeCertificateRequest(message.body);
    this.certificateRequested = true;
    this.transcript.add(message.whole);
  }

  private onServerHelloDone(message: IncomingMessage): void {
    if (message.body.length !== 0) throw decodeFailure('ServerHelloDone is not empty');
    this.transcript.add(message.whole);
    this.host.peerFlightComplete(4);

    if (this.certificateRequested) {
      this.transcript.add(this.host.queueHandshake(HandshakeType.Certificate, encodeCertificate([])));
    }
    const ephemeral = EphemeralKeyPair.generate(this.group!);
    const preMasterSecret = ephemeral.sharedSecret(this.serverPoint);
    this.transcript.add(this.host.queueHandshake(HandshakeType.ClientKeyExchange, encodeClientKeyExchange(ephemeral.publicPoint)));
    this.master = this.useExtendedMasterSecret
      ? extendedMasterSecret(preMasterSecret, this.transcript.hash())
      : masterSecret(preMasterSecret, this.clientRandom, this.serverRandom);
    const suite = this.suite!;
    this.keys = deriveTrafficKeys(this.master, this.clientRandom, this.serverRandom, suite.keyLength, suite.fixedIvLength);
    this.host.queueChangeCipherSpec(new AesGcmProtection(this.keys.clientWriteKey, this.keys.clientWriteSalt));
    const verifyData = finishedVerifyData(this.master, 'client', this.transcript.hash());
    this.transcript.add(this.host.queueHandshake(HandshakeType.Finished, verifyData));
    this.host.sendFlight(5, true);
    this.phase = 'await-change-cipher-spec';
  }

  private onFinished(message: IncomingMessage): void {
    if (message.epoch === 0) throw unexpectedMessage('server Finished arrived unencrypted');
    const received = decodeFinished(message.body);
    const expected = finishedVerifyData(this.master, 'server', this.transcript.hash());
    if (!timingSafeEqual(received, expected)) {
      throw new DtlsFailure('decrypt-error', 'server Finished verify_data does not match our transcript', AlertDescription.DecryptError);
    }
    this.transcript.add(message.whole);
    this.phase = 'done';
    this.host.peerFlightComplete(6);
    this.host.complete({
      suite: this.suite!.name,
      group: groupName(this.group!),
      extendedMasterSecret: this.useExtendedMasterSecret,
      signatureScheme: this.signatureScheme,
    });
  }
}
