// Bodies of the hello extensions this engine sends and understands: server_name (RFC 6066),
// supported_groups and ec_point_formats (RFC 8422), signature_algorithms (RFC 5246 §7.4.1.4.1),
// extended_master_secret (RFC 7627) and renegotiation_info (RFC 5746).

import { isIP } from 'node:net';
import { ByteReader, ByteWriter, DecodeError } from './bytes';
import { EC_POINT_FORMAT_UNCOMPRESSED, ExtensionType } from './constants';
import type { Extension } from './handshake-messages';

const HOST_NAME_TYPE = 0;

export function serverNameExtension(hostName: string): Extension {
  const name = Buffer.from(hostName, 'ascii');
  const entry = new ByteWriter().u8(HOST_NAME_TYPE).vector16(name).toBuffer();
  return { type: ExtensionType.ServerName, data: new ByteWriter().vector16(entry).toBuffer() };
}

/** Whether a name may go into server_name: a DNS name, not an IP literal (RFC 6066 §3). */
export function isSniCandidate(name: string | undefined): name is string {
  return !!name && isIP(name) === 0 && /^[A-Za-z0-9.-]+$/.test(name) && !name.endsWith('.');
}

/**
 * Reads the host name from server_name leniently: an empty extension or a zero-length host name
 * (Godot 3 / mbedTLS sends one when no hostname is given) yields '' instead of an error.
 */
export function parseServerName(data: Buffer): string | undefined {
  try {
    if (data.length === 0) return '';
    const reader = new ByteReader(data, 'server_name');
    const list = new ByteReader(reader.vector16(), 'server_name list');
    while (list.remaining > 0) {
      const type = list.u8();
      const name = list.vector16();
      if (type === HOST_NAME_TYPE) return name.toString('ascii');
    }
    return '';
  } catch {
    return undefined;
  }
}

export function supportedGroupsExtension(groups: readonly number[]): Extension {
  const list = new ByteWriter();
  for (const group of groups) list.u16(group);
  return { type: ExtensionType.SupportedGroups, data: new ByteWriter().vector16(list.toBuffer()).toBuffer() };
}

export function parseUint16List(data: Buffer, what: string): number[] {
  const reader = new ByteReader(data, what);
  const list = reader.vector16(2);
  reader.expectEnd();
  if (list.length % 2 !== 0) throw new DecodeError(`${what}: odd length`);
  const values: number[] = [];
  for (let i = 0; i < list.length; i += 2) values.push(list.readUInt16BE(i));
  return values;
}

export function ecPointFormatsExtension(): Extension {
  return { type: ExtensionType.EcPointFormats, data: new ByteWriter().vector8(Buffer.from([EC_POINT_FORMAT_UNCOMPRESSED])).toBuffer() };
}

export function parseEcPointFormats(data: Buffer): number[] {
  const reader = new ByteReader(data, 'ec_point_formats');
  const formats = [...reader.vector8(1)];
  reader.expectEnd();
  return formats;
}

export function signatureAlgorithmsExtension(schemes: readonly number[]): Extension {
  const list = new ByteWriter();
  for (const scheme of schemes) list.u16(scheme);
  return { type: ExtensionType.SignatureAlgorithms, data: new ByteWriter().vector16(list.toBuffer()).toBuffer() };
}

export function extendedMasterSecretExtension(): Extension {
  return { type: ExtensionType.ExtendedMasterSecret, data: Buffer.alloc(0) };
}

/** renegotiation_info for an initial handshake: an empty renegotiated_connection. */
export function emptyRenegotiationInfoExtension(): Extension {
  return { type: ExtensionType.RenegotiationInfo, data: Buffer.from([0]) };
}

export function isEmptyRenegotiationInfo(data: Buffer): boolean {
  return data.length === 1 && data[0] === 0;
}
