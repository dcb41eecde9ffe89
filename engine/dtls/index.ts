// Public API of the DTLS 1.2 engine. See README.md beside this file.

export { DtlsConnection } from './connection';
export type { DtlsConnectionOptions, DtlsClientOptions, DtlsServerOptions } from './connection';
export { CookieAuthority } from './cookie';
export type { CookieAuthorityOptions, CookieInspection } from './cookie';
export { checkServerCertificate, describeCertificateNames } from './certificate-check';
export type { VerifyOptions, VerifyOptions as CertificateVerification, CertificateRole } from './certificate-check';
export { readCertificateUsage } from './certificate-usage';
export type { CertificateUsage } from './certificate-usage';
export { monotonicClock } from './events';
export type { GroupName } from './constants';
export { CIPHER_SUITES, alertMeaning, alertName } from './constants';
export type { CipherSuiteInfo } from './constants';
export type { ClientSuiteOptions, ServerSuiteOptions } from './suite-options';
export type { PskCallback, PskClientCredentials, PskClientOption } from './psk';
export type {
  Clock,
  ConnectionFailure,
  ConnectionState,
  Direction,
  DtlsEvent,
  DtlsEventListener,
  FailureKind,
  AlertEvent,
  ApplicationDataEvent,
  FailureEvent,
  FlightEvent,
  HandshakeCompleteEvent,
  MessageEvent,
  RecordDroppedEvent,
  RetransmitEvent,
  StateEvent,
  SuiteSelectionEvent,
  RecordEvent,
  RecordContentType,
  TimerEvent,
  FragmentRange,
} from './events';
export type { NegotiatedParameters } from './handshake-host';
export { DtlsServerEndpoint } from './server-endpoint';
export type { DtlsServerEndpointOptions } from './server-endpoint';
export { DtlsUdpServer, DtlsHandshakeError, connectDtlsUdp } from './udp-endpoint';
export type { DtlsUdpServerOptions, DtlsUdpClient, DtlsUdpClientOptions } from './udp-endpoint';
// Session resumption, tickets, ALPN, record_size_limit, client certificates, key log.
export { SessionCache, wallClock } from './session';
export type { DtlsSession, SessionCacheOptions, SessionState } from './session';
export { TicketKeys } from './session-ticket';
export type { TicketKeysOptions, TicketOpening } from './session-ticket';
export { keyLogFile, keyLogLine, parseKeyLogLine } from './key-log';
export type { KeyLogListener } from './key-log';
export type { ClientFeatureOptions, ServerFeatureOptions } from './handshake-features';
export type { ClientCertificateRequestOptions } from './client-auth';
export type { ResumptionEvent } from './events';
