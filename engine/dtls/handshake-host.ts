// The contract between a connection (records, flights, timers, events) and the role-specific
// handshake logic in client.ts / server.ts.

import type { RecordProtection } from './cipher-state';
import type { AlertDescription, AlertLevel, HandshakeType } from './constants';
import type { DtlsEvent } from './events';
import type { ReassembledMessage } from './fragment-reassembler';
import type { DtlsSession } from './session';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface IncomingMessage extends ReassembledMessage {
  /** The message in unfragmented form, as it goes into the transcript. */
  whole: Buffer;
}

export interface NegotiatedParameters {
  /** IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
  suite: string;
  /** 'x25519' | 'secp256r1' | 'secp384r1' | 'secp521r1', or 'psk' for a PSK suite without ECDHE. */
  group: string;
  extendedMasterSecret: boolean;
  /** Scheme that signed ServerKeyExchange, e.g. 'rsa_pss_rsae_sha256'; 'none' for PSK suites. */
  signatureScheme: string;
  /** PSK suites: the identity the client used. */
  pskIdentity?: string;
  /** Server side: host name the client sent in server_name ('' for the empty name Godot 3 sends). */
  serverName?: string;
  /** Abbreviated handshake (session resumed by id or ticket). group and signatureScheme are then
   * those of the full handshake that created the session. */
  resumed: boolean;
  /** ALPN protocol both sides agreed on (RFC 7301). */
  alpn?: string;
  /** Server side: the client's certificate, when it authenticated with one. */
  clientCertificate?: { subject: string; fingerprint256: string };
}

export interface HandshakeHost {
  now(): number;
  /** Adds a handshake message to the flight being built (current write epoch, next message_seq); returns its whole encoding. */
  queueHandshake(msgType: HandshakeType, body: Buffer): Buffer;
  /** Adds ChangeCipherSpec to the flight being built; later messages are written in the next epoch with `protection`. */
  queueChangeCipherSpec(protection: RecordProtection): void;
  /** Sends the flight being built. `awaitingReply` arms the retransmission timer; otherwise the
   * flight is kept and repeated only when the peer repeats its own last flight. */
  sendFlight(flight: number, awaitingReply: boolean): void;
  /** Starts reading the next epoch with `protection`. */
  activateReadEpoch(protection: RecordProtection): void;
  /** The last message of the peer's flight `flight` has been processed. */
  peerFlightComplete(flight: number): void;
  sendAlert(level: AlertLevel, description: AlertDescription): void;
  /** Emits an event of the handshake logic (e.g. 'suite-selection'); `at` is filled in. */
  emitEvent(event: DistributiveOmit<DtlsEvent, 'at'>): void;
  /** The handshake succeeded. */
  complete(parameters: NegotiatedParameters): void;
  /** record_size_limit (RFC 8449): `send` caps the plaintext of the protected records we send;
   * `receive` is our own limit, enforced on protected records from the peer. */
  setRecordSizeLimits(limits: { send?: number; receive?: number }): void;
}

export interface HandshakeRole {
  /** Client: sends the first ClientHello. Server: nothing. */
  start(): void;
  /** Processes one in-order handshake message; throws DtlsFailure to abort. */
  handleMessage(message: IncomingMessage): void;
  /** A ChangeCipherSpec arrived; returns false when it is not expected now (the record is dropped). */
  handleChangeCipherSpec(): boolean;
  /** After the handshake: the session it established or resumed. */
  readonly session?: DtlsSession | undefined;
  /** The connection failed (fatal alert sent or received): forget its session (RFC 5246 §7.2.2). */
  invalidateSession?(): void;
}
