// Options of the optional handshake features: session resumption (session ids and RFC 5077
// tickets), ALPN (RFC 7301), record_size_limit (RFC 8449), client certificates and key logging.
// DtlsClientOptions / DtlsServerOptions extend these; the server endpoints pass them through.

import type { ClientCertificateRequestOptions } from './client-auth';
import type { KeyLogListener } from './key-log';
import type { DtlsSession, SessionCache } from './session';
import type { TicketKeys } from './session-ticket';

export interface ClientFeatureOptions {
  /** A session from an earlier connection's `session` to offer for an abbreviated handshake. It is
   * only offered when it used the extended master secret, its suite is one we offer and its
   * server name equals `serverName`; otherwise the client does a plain full handshake. */
  resumeSession?: DtlsSession;
  /** Send the session_ticket extension (RFC 5077) to ask for / present a ticket (default true). */
  sessionTickets?: boolean;
  /** ALPN protocol names to offer, in our preference order (RFC 7301). */
  alpnProtocols?: string[];
  /** Largest protected record plaintext we accept (64..16384), sent as record_size_limit (RFC 8449). */
  recordSizeLimit?: number;
  /** Client certificate chain (PEM, leaf first) and key, sent when the server asks for one. */
  certificatePem?: string;
  privateKeyPem?: string;
  /** Receives one SSLKEYLOGFILE line ("CLIENT_RANDOM <hex> <hex>") per completed key exchange. */
  onKeyLog?: KeyLogListener;
}

export interface ServerFeatureOptions {
  /** Session-id resumption: full handshakes get a 32-byte session id and are stored here. */
  sessionCache?: SessionCache;
  /** Ticket resumption (RFC 5077): clients that send session_ticket get a NewSessionTicket. */
  ticketKeys?: TicketKeys;
  /** ALPN protocols we speak, in our preference order (the server's preference wins). */
  alpnProtocols?: string[];
  /** Largest protected record plaintext we accept (64..16384), sent when the client sends record_size_limit. */
  recordSizeLimit?: number;
  /** Ask clients for a certificate (CertificateRequest in flight 4) and check it. */
  requestClientCertificate?: ClientCertificateRequestOptions;
  /** Receives one SSLKEYLOGFILE line ("CLIENT_RANDOM <hex> <hex>") per completed key exchange. */
  onKeyLog?: KeyLogListener;
}

const SERVER_FEATURE_KEYS = ['sessionCache', 'ticketKeys', 'alpnProtocols', 'recordSizeLimit', 'requestClientCertificate', 'onKeyLog'] as const;

/** The server feature options set in `options` (for passing them on without undefined values). */
export function pickServerFeatures(options: ServerFeatureOptions): ServerFeatureOptions {
  const picked: Record<string, unknown> = {};
  for (const key of SERVER_FEATURE_KEYS) if (options[key] !== undefined) picked[key] = options[key];
  return picked as ServerFeatureOptions;
}

const CLIENT_FEATURE_KEYS = ['resumeSession', 'sessionTickets', 'alpnProtocols', 'recordSizeLimit', 'certificatePem', 'privateKeyPem', 'onKeyLog'] as const;

/** The client feature options set in `options`. */
export function pickClientFeatures(options: ClientFeatureOptions): ClientFeatureOptions {
  const picked: Record<string, unknown> = {};
  for (const key of CLIENT_FEATURE_KEYS) if (options[key] !== undefined) picked[key] = options[key];
  return picked as ClientFeatureOptions;
}
