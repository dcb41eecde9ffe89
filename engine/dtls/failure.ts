// The error type handshake code throws to abort a connection: it names the failure kind shown to
// users and the fatal alert sent to the peer.

import { AlertDescription } from './constants';
import type { FailureKind } from './events';

export class DtlsFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** Fatal alert to send; undefined sends none (e.g. a timeout). */
    readonly alert: AlertDescription | undefined,
  ) {
    super(message);
    this.name = 'DtlsFailure';
  }
}

export function unexpectedMessage(message: string): DtlsFailure {
  return new DtlsFailure('unexpected-message', message, AlertDescription.UnexpectedMessage);
}

export function handshakeFailure(message: string): DtlsFailure {
  return new DtlsFailure('handshake-failure', message, AlertDescription.HandshakeFailure);
}

export function illegalParameter(message: string): DtlsFailure {
  return new DtlsFailure('illegal-parameter', message, AlertDescription.IllegalParameter);
}

export function decodeFailure(message: string): DtlsFailure {
  return new DtlsFailure('decode-error', message, AlertDescription.DecodeError);
}
