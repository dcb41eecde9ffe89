// Typed events emitted by connections and by CookieAuthority.inspect, plus the clock they are
// stamped with. Every event carries `at`, the clock time (milliseconds) when it happened.

/** Source of time for a connection. Milliseconds; only differences matter. */
export interface Clock {
  now(): number;
}

/** Wall clock (monotonic) for real sockets. */
export const monotonicClock: Clock = { now: () => performance.now() };

export type ConnectionState = 'idle' | 'handshaking' | 'connected' | 'closed' | 'failed';
export type Direction = 'sent' | 'received';

export type FailureKind =
  | 'hostname-mismatch'
  | 'untrusted-certificate'
  | 'expired-certificate'
  | 'not-yet-valid-certificate'
  | 'bad-certificate'
  /** A signature did not verify: of a certificate in the chain (alert bad_certificate), of
   * ServerKeyExchange or of CertificateVerify (alert decrypt_error). */
  | 'bad-signature'
  /** The leaf's keyUsage / extKeyUsage does not allow this use (alert unsupported_certificate). */
  | 'certificate-usage'
  | 'handshake-failure'
  | 'handshake-timeout'
  | 'decrypt-error'
  | 'unexpected-message'
  | 'illegal-parameter'
  | 'decode-error'
  | 'protocol-version'
  | 'unsupported-extension'
  | 'peer-alert'
  | 'no-application-protocol'
  | 'client-certificate-required'
  | 'record-overflow'
  | 'unknown-psk-identity'
  | 'internal-error';

export interface ConnectionFailure {
  kind: FailureKind;
  message: string;
  /** For kind 'peer-alert': the alert the peer sent (e.g. 'bad_certificate'). */
  alert?: string;
}

export interface StateEvent {
  type: 'state';
  at: number;
  from: ConnectionState;
  to: ConnectionState;
}

export interface FlightEvent {
  type: 'flight';
  at: number;
  direction: Direction;
  /** RFC 6347 §4.2.4 numbering: 1 ClientHello, 2 HelloVerifyRequest, 3 ClientHello+cookie,
   * 4 ServerHello..ServerHelloDone, 5 client CKE/CCS/Finished, 6 server [NewSessionTicket]/CCS/Finished.
   * Abbreviated handshake (resumption): 1-3 as above, 4 ServerHello/[NewSessionTicket]/CCS/Finished,
   * 5 client CCS/Finished, and no flight 6. */
  flight: number;
  messages: string[];
  bytes: number;
  datagrams: number;
  retransmission: boolean;
}

/** One handshake fragment of a message: body bytes [fragmentOffset, fragmentOffset + fragmentLength). */
export interface FragmentRange {
  fragmentOffset: number;
  fragmentLength: number;
}

export interface MessageEvent {
  type: 'message';
  at: number;
  direction: Direction;
  message: string;
  messageSeq: number;
  epoch: number;
  /** Whole message including its 12-byte handshake header. */
  bytes: number;
  fragmented: boolean;
  /** The fragments the message went out in or was reassembled from, in sending / arrival order
   * (received: every fragment that contributed, overlaps included). One range [0, body length) for
   * a message sent or received whole. */
  fragments: FragmentRange[];
}

export type RecordContentType = 'handshake' | 'change_cipher_spec' | 'alert' | 'application_data';

/** One DTLS record put on the wire or taken off it (RFC 6347 §4.1). Emitted only while a listener
 * is registered. */
export interface RecordEvent {
  type: 'record';
  at: number;
  direction: Direction;
  contentType: RecordContentType;
  epoch: number;
  /** The record's 48-bit sequence number. */
  sequence: number;
  /** The record's length field: payload bytes after the 13-byte header (ciphertext when encrypted). */
  length: number;
  /** Protected with the epoch's keys (every record of epoch > 0). */
  encrypted: boolean;
}

/** The retransmission timer (RFC 6347 §4.2.4) or the overall handshake deadline. */
export interface TimerEvent {
  type: 'timer';
  at: number;
  action: 'armed' | 'cancelled' | 'expired';
  /** armed: the time until it fires; cancelled / expired: the value it had been armed with. */
  timeoutMs: number;
  /** 'retransmission': the flight timer; 'handshake': the handshakeTimeoutMs deadline. */
  timer: 'retransmission' | 'handshake';
  /** Retransmission timer: the flight it guards. */
  flight?: number;
}

export interface RetransmitEvent {
  type: 'retransmit';
  at: number;
  flight: number;
  attempt: number;
  /** Timer value armed after this retransmission. */
  nextTimeoutMs: number;
  /** 'timeout': our timer fired; 'peer-retransmission': the peer repeated its previous flight. */
  reason: 'timeout' | 'peer-retransmission';
}

export interface AlertEvent {
  type: 'alert';
  at: number;
  direction: Direction;
  level: 'warning' | 'fatal';
  description: string;
  code: number;
  /** Plain-language meaning, phrased for the direction: "the peer ..." when received, "this endpoint
   * ..." when sent (e.g. bad_certificate: "the peer rejected the certificate it was given"). */
  meaning: string;
}

export interface RecordDroppedEvent {
  type: 'record-dropped';
  at: number;
  reason: string;
}

export interface ApplicationDataEvent {
  type: 'application-data';
  at: number;
  direction: Direction;
  bytes: number;
}

export interface HandshakeCompleteEvent {
  type: 'handshake-complete';
  at: number;
  suite: string;
  group: string;
  extendedMasterSecret: boolean;
  /** true for an abbreviated handshake (session id or ticket). */
  resumed: boolean;
  /** Negotiated ALPN protocol, if any. */
  alpn?: string;
  /** Scheme that signed ServerKeyExchange, or 'none' for PSK suites. */
  signatureScheme: string;
}

/** Server: how the cipher suite was chosen from the ClientHello (emitted before flight 4). */
export interface SuiteSelectionEvent {
  type: 'suite-selection';
  at: number;
  suite: string;
  /** Group name, or 'psk' for a PSK suite without ECDHE. */
  group: string;
  signatureScheme: string;
  preference: 'server' | 'client';
  /** The client's cipher_suites (IANA names, or hex for unknown code points). */
  offered: string[];
  /** Offered suites this engine does not implement (CBC, RC4, CCM, static RSA, ...), skipped. */
  unsupported: string[];
  /** Our suites that were offered but could not be used, each with the reason. */
  skipped: Array<{ suite: string; reason: string }>;
}

/** A client offered a session (ClientHello with a session id or a ticket): whether it was resumed. */
export interface ResumptionEvent {
  type: 'resumption';
  at: number;
  offered: 'session-id' | 'ticket';
  accepted: boolean;
  /** Why a full handshake was done instead. */
  reason?: string;
}

export interface FailureEvent {
  type: 'failure';
  at: number;
  kind: FailureKind;
  message: string;
}

export type DtlsEvent =
  | StateEvent
  | FlightEvent
  | MessageEvent
  | RetransmitEvent
  | AlertEvent
  | RecordDroppedEvent
  | ApplicationDataEvent
  | HandshakeCompleteEvent
  | FailureEvent
  | ResumptionEvent
  | SuiteSelectionEvent
  | RecordEvent
  | TimerEvent;

export type DtlsEventListener = (event: DtlsEvent) => void;

/** Distributes events to listeners, keeping registration order. */
export class EventHub {
  private readonly listeners: DtlsEventListener[] = [];

  add(listener: DtlsEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Whether anyone listens (events that cost something to build are skipped otherwise). */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  emit(event: DtlsEvent): void {
    const count = this.listeners.length;
    if (count === 0) return;
    if (count === 1) {
      this.listeners[0]!(event);
      return;
    }
    for (const listener of [...this.listeners]) listener(event);
  }
}
