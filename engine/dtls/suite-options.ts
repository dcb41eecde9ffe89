// Options about cipher suites and pre-shared keys. DtlsClientOptions / DtlsServerOptions extend
// these; the server endpoints pass them through with pickServerSuiteOptions.

import type { PskCallback, PskClientOption } from './psk';

export interface ClientSuiteOptions {
  /** IANA names of the suites to offer, in preference order. Default: the six ECDHE certificate
   * suites (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305; ECDSA before RSA), or the six PSK suites
   * (ECDHE_PSK before PSK) when `psk` is set. Unknown names and CBC suites throw a RangeError. */
  cipherSuites?: string[];
  /** Pre-shared key for the PSK and ECDHE_PSK suites: { identity, key }, or a function of the
   * server's identity hint ('' when none) returning one (undefined aborts with handshake_failure). */
  psk?: PskClientOption;
}

export interface ServerSuiteOptions {
  /** IANA names of the suites to accept, in our preference order. Default: every suite we have,
   * certificate suites first (AES-128-GCM, AES-256-GCM, ChaCha20), then ECDHE_PSK, then PSK. Suites
   * that need what we lack (a certificate of the right type, a pskCallback) are skipped. */
  cipherSuites?: string[];
  /** Pick the first suite (and group) in the client's order instead of ours (default false). */
  preferClientOrder?: boolean;
  /** Enables the PSK suites: the key for a client's identity, or undefined for an unknown identity
   * (answered with the unknown_psk_identity alert). */
  pskCallback?: PskCallback;
  /** psk_identity_hint sent in ServerKeyExchange (RFC 4279 §5.2); by default none is sent. */
  pskIdentityHint?: string;
}

const SERVER_SUITE_KEYS = ['cipherSuites', 'preferClientOrder', 'pskCallback', 'pskIdentityHint'] as const;

/** The suite options set in `options` (for passing them on without undefined values). */
export function pickServerSuiteOptions(options: ServerSuiteOptions): ServerSuiteOptions {
  const picked: Record<string, unknown> = {};
  for (const key of SERVER_SUITE_KEYS) if (options[key] !== undefined) picked[key] = options[key];
  return picked as ServerSuiteOptions;
}
