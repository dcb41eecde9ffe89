// Application-Layer Protocol Negotiation (RFC 7301): the client lists protocols, the server picks
// one by its own preference and answers with exactly that one, or ends the handshake with a fatal
// no_application_protocol alert (120) when both sides sent ALPN and nothing matches.

import { ByteReader, ByteWriter, DecodeError } from './bytes';
import type { AlertDescription } from './constants';
import { DtlsFailure } from './failure';
import type { Extension } from './handshake-messages';

export const ALPN_EXTENSION = 16;
/** no_application_protocol (RFC 7301 §3.2). */
export const NO_APPLICATION_PROTOCOL = 120 as AlertDescription;

/** Checks an alpnProtocols option: a non-empty list of 1..255-byte names. Throws a RangeError. */
export function validateAlpnProtocols(protocols: readonly string[], option: string): void {
  if (protocols.length === 0) throw new RangeError(`${option} must not be empty (leave it out to send no ALPN)`);
  for (const protocol of protocols) {
    const length = Buffer.byteLength(protocol, 'utf8');
    if (length < 1 || length > 255) throw new RangeError(`${option}: protocol name '${protocol}' must be 1..255 bytes`);
  }
}

export function alpnExtension(protocols: readonly string[]): Extension {
  const list = new ByteWriter();
  for (const protocol of protocols) list.vector8(Buffer.from(protocol, 'utf8'));
  return { type: ALPN_EXTENSION, data: new ByteWriter().vector16(list.toBuffer()).toBuffer() };
}

/** Decodes a ProtocolNameList; throws DecodeError when it is empty or holds an empty name. */
export function parseAlpn(data: Buffer): string[] {
  const reader = new ByteReader(data, 'application_layer_protocol_negotiation');
  const list = new ByteReader(reader.vector16(2), 'protocol_name_list');
  reader.expectEnd();
  const protocols: string[] = [];
  while (list.remaining > 0) protocols.push(list.vector8(1).toString('utf8'));
  if (protocols.length === 0) throw new DecodeError('empty protocol_name_list');
  return protocols;
}

/** Server: our first protocol the client also offers; throws no_application_protocol when none. */
export function selectAlpnProtocol(ours: readonly string[], offered: readonly string[]): string {
  const chosen = ours.find((protocol) => offered.includes(protocol));
  if (chosen === undefined) {
    throw new DtlsFailure(
      'no-application-protocol',
      `client offers ALPN [${offered.join(', ')}], none of which the server supports [${ours.join(', ')}]`,
      NO_APPLICATION_PROTOCOL,
    );
  }
  return chosen;
}
