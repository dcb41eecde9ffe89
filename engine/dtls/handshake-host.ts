// The contract between a connection (records, flights, timers, events) and the role-specific
// handshake logic in client.ts / server.ts.

import type { AesGcmProtection } from './cipher-state';
import type { AlertDescription, AlertLevel, HandshakeType } from './constants';
import type { ReassembledMessage } from './fragment-reassembler';

export interface IncomingMessage extends ReassembledMessage {
  /** The message in unfragmented form, as it goes into the transcript. */
  whole: Buffer;
}

export interface NegotiatedParameters {
  /** IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
  suite: string;
  /** 'x25519' | 'secp256r1'. */
  group: string;
  extendedMasterSecret: boolean;
  /** Scheme that signed ServerKeyExchange, e.g. 'rsa_pss_rsae_sha256'. */
  signatureScheme: string;
  /** Server side: host name the client sent in server_name ('' for the empty name Godot 3 sends). */
  serverName?: string;
}

export interface HandshakeHost {
  now(): number;
  /** Adds a handshake message to the flight being built (current write epoch, next message_seq); returns its whole encoding. */
  queueHandshake(msgType: HandshakeType, body: Buffer): Buffer;
  /** Adds ChangeCipherSpec to the flight being built; later messages are written in the next epoch with `protection`. */
  queueChangeCipherSpec(protection: AesGcmProtection): void;
  /** Sends the flight being built. `awaitingReply` arms the retransmission timer; otherwise the
   * flight is kept and repeated only when the peer repeats its own last flight. */
  sendFlight(flight: number, awaitingReply: boolean): void;
  /** Starts reading the next epoch with `protection`. */
  activateReadEpoch(protection: AesGcmProtection): void;
  /** The last message of the peer's flight `flight` has been processed. */
  peerFlightComplete(flight: number): void;
  sendAlert(level: AlertLevel, description: AlertDescription): void;
  /** The handshake succeeded. */
  complete(parameters: NegotiatedParameters): void;
}

export interface HandshakeRole {
  /** Client: sends the first ClientHello. Server: nothing. */
  start(): void;
  /** Processes one in-order handshake message; throws DtlsFailure to abort. */
  handleMessage(message: IncomingMessage): void;
  /** A ChangeCipherSpec arrived; returns false when it is not expected now (the record is dropped). */
  handleChangeCipherSpec(): boolean;
}
