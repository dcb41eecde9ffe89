// Public API of the DTLS 1.2 engine. See README.md beside this file.

export { DtlsConnection } from './connection';
export type { DtlsConnectionOptions, DtlsClientOptions, DtlsServerOptions } from './connection';
export { CookieAuthority } from './cookie';
export type { CookieAuthorityOptions, CookieInspection } from './cookie';
export { checkServerCertificate, describeCertificateNames } from './certificate-check';
export type { VerifyOptions, VerifyOptions as CertificateVerification } from './certificate-check';
export { monotonicClock } from './events';
export type { GroupName } from './constants';
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
} from './events';
export type { NegotiatedParameters } from './handshake-host';
export { DtlsServerEndpoint } from './server-endpoint';
export type { DtlsServerEndpointOptions } from './server-endpoint';
export { DtlsUdpServer, DtlsHandshakeError, connectDtlsUdp } from './udp-endpoint';
export type { DtlsUdpServerOptions, DtlsUdpClient, DtlsUdpClientOptions } from './udp-endpoint';
