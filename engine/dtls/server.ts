// Server side of the full DTLS 1.2 ECDHE handshake: answers a (cookie-checked) ClientHello with
// flight 4 (ServerHello, Certificate, ServerKeyExchange, ServerHelloDone), then takes flight 5 and
// finishes with flight 6 (ChangeCipherSpec, Finished). Suite, group and signature scheme follow
// the certificate's key type and our preference among what the client offers.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { DecodeError } from './bytes';
import { AesGcmProtection } from './cipher-state';
import {
  AlertDescription,
  AlertLevel,
  CIPHER_SUITES,
  COMPRESSION_NULL,
  DTLS_1_2,
  EC_POINT_FORMAT_UNCOMPRESSED,
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
  parseEcPointFormats,
  parseServerName,
  parseUint16List,
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
  type ClientHello,
  type Extension,
} from './handshake-messages';
import { EphemeralKeyPair } from './key-exchange';
import { deriveTrafficKeys, extendedMasterSecret, finishedVerifyData, masterSecret, type TrafficKeys } from './key-schedule';
import { chooseSignatureScheme, signWithScheme } from './signature-schemes';
import { HandshakeTranscript } from './transcript';

type ServerPhase = 'await-client-hello' | 'await-client-key-exchange' | 'await-change-cipher-spec' | 'await-finished' | 'done';

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
  private serverName: string | undefined;
  private master: Buffer = Buffer.alloc(0);
  private keys: TrafficKeys | undefined;

  constructor(
    private readonly host: HandshakeHost,
    private readonly credentials: ServerCredentials,
    /** Groups we accept, in preference order (default x25519, secp256r1). */
    private readonly groups?: readonly GroupName[],
  ) {}

  start(): void {
    // The server waits for a ClientHello.
  }

  handleChangeCipherSpec(): boolean {
    if (this.phase !== 'await-change-cipher-spec' || !this.keys) return false;
    this.host.activateReadEpoch(new AesGcmProtection(this.keys.clientWriteKey, this.keys.clientWriteSalt));
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

    this.suite = this.chooseSuite(hello);
    this.group = this.chooseGroup(hello);
    const pointFormats = findExtension(hello.extensions, ExtensionType.EcPointFormats);
    if (pointFormats && !parseEcPointFormats(pointFormats.data).includes(EC_POINT_FORMAT_UNCOMPRESSED)) {
      throw illegalParameter('client does not accept uncompressed EC points');
    }
    const signatureAlgorithms = findExtension(hello.extensions, ExtensionType.SignatureAlgorithms);
    const scheme = chooseSignatureScheme(
      this.credentials.keyType,
      signatureAlgorithms ? parseUint16List(signatureAlgorithms.data, 'signature_algorithms') : undefined,
    );
    if (!scheme) throw handshakeFailure(`client accepts no signature algorithm our ${this.credentials.keyType.toUpperCase()} key can make`);
    this.signatureScheme = scheme.name;

    const renegotiationInfo = findExtension(hello.extensions, ExtensionType.RenegotiationInfo);
    if (renegotiationInfo && !isEmptyRenegotiationInfo(renegotiationInfo.data)) {
      throw handshakeFailure('client sent a non-empty renegotiation_info in an initial handshake');
    }
    const secureRenegotiation = !!renegotiationInfo || hello.cipherSuites.includes(EMPTY_RENEGOTIATION_INFO_SCSV);
    this.useExtendedMasterSecret = !!findExtension(hello.extensions, ExtensionType.ExtendedMasterSecret);
    const serverName = findExtension(hello.extensions, ExtensionType.ServerName);
    if (serverName) this.serverName = parseServerName(serverName.data);

    this.clientRandom = Buffer.from(hello.random);
    this.transcript.add(message.whole);
    this.host.peerFlightComplete(hello.cookie.length > 0 ? 3 : 1);

    const extensions: Extension[] = [];
    if (secureRenegotiation) extensions.push(emptyRenegotiationInfoExtension());
    if (this.useExtendedMasterSecret) extensions.push(extendedMasterSecretExtension());
    if (pointFormats) extensions.push(ecPointFormatsExtension());
    const serverHello = encodeServerHello({
      serverVersion: DTLS_1_2,
      random: this.serverRandom,
      sessionId: Buffer.alloc(0),
      cipherSuite: this.suite.code,
      compressionMethod: COMPRESSION_NULL,
      extensions,
    });
    this.transcript.add(this.host.queueHandshake(HandshakeType.ServerHello, serverHello));
    this.transcript.add(this.host.queueHandshake(HandshakeType.Certificate, encodeCertificate(this.credentials.chainDer)));

    this.ephemeral = EphemeralKeyPair.generate(this.group);
    const params = encodeEcdheParams(this.group, this.ephemeral.publicPoint);
    const signature = signWithScheme(scheme, this.credentials.privateKey, Buffer.concat([this.clientRandom, this.serverRandom, params]));
    this.transcript.add(this.host.queueHandshake(HandshakeType.ServerKeyExchange, encodeServerKeyExchange(params, scheme.code, signature)));
    this.transcript.add(this.host.queueHandshake(HandshakeType.ServerHelloDone, Buffer.alloc(0)));
    this.host.sendFlight(4, true);
    this.phase = 'await-client-key-exchange';
  }

  private chooseSuite(hello: ClientHello): CipherSuiteInfo {
    const suite = CIPHER_SUITES.find((candidate) => candidate.authentication === this.credentials.keyType && hello.cipherSuites.includes(candidate.code));
    if (!suite) {
      const wanted = CIPHER_SUITES.filter((candidate) => candidate.authentication === this.credentials.keyType).map((candidate) => candidate.name);
      throw handshakeFailure(`client offers none of our cipher suites for a ${this.credentials.keyType.toUpperCase()} certificate (${wanted.join(', ')}); it offered ${hello.cipherSuites.length} others`);
    }
    return suite;
  }

  private chooseGroup(hello: ClientHello): NamedGroup {
    const extension = findExtension(hello.extensions, ExtensionType.SupportedGroups);
    // RFC 8422 §4: without supported_groups, any curve may be used; secp256r1 is the safe choice.
    const offered = extension ? parseUint16List(extension.data, 'supported_groups') : [NamedGroup.Secp256r1];
    const ours = groupCodes(this.groups);
    const group = ours.find((candidate) => offered.includes(candidate));
    if (group === undefined) {
      throw handshakeFailure(`client supports none of our groups (${ours.map(groupName).join(', ')}); it offered ${offered.map(groupName).join(', ')}`);
    }
    return group;
  }

  private onClientKeyExchange(message: IncomingMessage): void {
    const clientPoint = decodeClientKeyExchange(message.body);
    const preMasterSecret = this.ephemeral!.sharedSecret(clientPoint);
    this.transcript.add(message.whole);
    this.master = this.useExtendedMasterSecret
      ? extendedMasterSecret(preMasterSecret, this.transcript.hash())
      : masterSecret(preMasterSecret, this.clientRandom, this.serverRandom);
    const suite = this.suite!;
    this.keys = deriveTrafficKeys(this.master, this.clientRandom, this.serverRandom, suite.keyLength, suite.fixedIvLength);
    this.phase = 'await-change-cipher-spec';
  }

  private onFinished(message: IncomingMessage): void {
    if (message.epoch === 0) throw unexpectedMessage('client Finished arrived unencrypted');
    const received = decodeFinished(message.body);
    const expected = finishedVerifyData(this.master, 'client', this.transcript.hash());
    if (!timingSafeEqual(received, expected)) {
      throw new DtlsFailure('decrypt-error', 'client Finished verify_data does not match our transcript', AlertDescription.DecryptError);
    }
    this.transcript.add(message.whole);
    this.host.peerFlightComplete(5);

    const keys = this.keys!;
    this.host.queueChangeCipherSpec(new AesGcmProtection(keys.serverWriteKey, keys.serverWriteSalt));
    const verifyData = finishedVerifyData(this.master, 'server', this.transcript.hash());
    this.transcript.add(this.host.queueHandshake(HandshakeType.Finished, verifyData));
    this.host.sendFlight(6, false);
    this.phase = 'done';
    this.host.complete({
      suite: this.suite!.name,
      group: groupName(this.group!),
      extendedMasterSecret: this.useExtendedMasterSecret,
      signatureScheme: this.signatureScheme,
      ...(this.serverName !== undefined ? { serverName: this.serverName } : {}),
    });
  }
}
