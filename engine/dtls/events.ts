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
  | 'handshake-failure'
  | 'handshake-timeout'
  | 'decrypt-error'
  | 'unexpected-message'
  | 'illegal-parameter'
  | 'decode-error'
  | 'protocol-version'
  | 'unsupported-extension'
  | 'peer-alert'
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
   * 4 ServerHello..ServerHelloDone, 5 client CKE/CCS/Finished, 6 server CCS/Finished. */
  flight: number;
  messages: string[];
  bytes: number;
  datagrams: number;
  retransmission: boolean;
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
  resumed: false;
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
  | FailureEvent;

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

  emit(event: DtlsEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
