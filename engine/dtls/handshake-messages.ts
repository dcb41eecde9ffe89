// Handshake message framing (RFC 6347 §4.2.2) and the bodies of the messages this engine speaks
// (RFC 5246 §7.4, RFC 6347 §4.2.1 HelloVerifyRequest, RFC 8422 §5.4/§5.7 ECDHE key exchange).

import { ByteReader, ByteWriter, DecodeError } from './bytes';
import { EC_CURVE_TYPE_NAMED_CURVE, HANDSHAKE_HEADER_LENGTH } from './constants';

export interface HandshakeFragment {
  msgType: number;
  /** Length of the whole message body. */
  length: number;
  messageSeq: number;
  fragmentOffset: number;
  fragmentLength: number;
  body: Buffer;
}

/** Decodes all handshake fragments in one record payload. Throws DecodeError. */
export function decodeHandshakeFragments(payload: Buffer): HandshakeFragment[] {
  const reader = new ByteReader(payload, 'handshake record');
  const fragments: HandshakeFragment[] = [];
  if (payload.length === 0) throw new DecodeError('empty handshake record');
  while (reader.remaining > 0) {
    if (reader.remaining < HANDSHAKE_HEADER_LENGTH) throw new DecodeError('truncated handshake header');
    const msgType = reader.u8();
    const length = reader.u24();
    const messageSeq = reader.u16();
    const fragmentOffset = reader.u24();
    const fragmentLength = reader.u24();
    if (fragmentOffset + fragmentLength > length) {
      throw new DecodeError(`fragment ${fragmentOffset}+${fragmentLength} beyond message length ${length}`);
    }
    const body = reader.bytes(fragmentLength);
    fragments.push({ msgType, length, messageSeq, fragmentOffset, fragmentLength, body });
  }
  return fragments;
}

export function encodeHandshakeFragment(msgType: number, messageSeq: number, message: Buffer, offset: number, count: number): Buffer {
  return new ByteWriter()
    .u8(msgType)
    .u24(message.length)
    .u16(messageSeq)
    .u24(offset)
    .u24(count)
    .bytes(message.subarray(offset, offset + count))
    .toBuffer();
}

/** The unfragmented form, as hashed into the handshake transcript (RFC 6347 §4.2.6). */
export function encodeWholeHandshake(msgType: number, messageSeq: number, body: Buffer): Buffer {
  return encodeHandshakeFragment(msgType, messageSeq, body, 0, body.length);
}

export interface Extension {
  type: number;
  data: Buffer;
}

function readExtensions(reader: ByteReader): Extension[] {
  if (reader.remaining === 0) return [];
  const block = new ByteReader(reader.vector16(), 'extensions');
  const extensions: Extension[] = [];
  const seen = new Set<number>();
  while (block.remaining > 0) {
    const type = block.u16();
    const data = block.vector16();
    if (seen.has(type)) throw new DecodeError(`duplicate extension ${type}`);
    seen.add(type);
    extensions.push({ type, data });
  }
  return extensions;
}

function writeExtensions(writer: ByteWriter, extensions: Extension[]): void {
  if (extensions.length === 0) return;
  const block = new ByteWriter();
  for (const extension of extensions) block.u16(extension.type).vector16(extension.data);
  writer.vector16(block.toBuffer());
}

export function findExtension(extensions: Extension[], type: number): Extension | undefined {
  return extensions.find((extension) => extension.type === type);
}

// ---- ClientHello -----------------------------------------------------------------------------

export interface ClientHello {
  clientVersion: number;
  random: Buffer;
  sessionId: Buffer;
  cookie: Buffer;
  cipherSuites: number[];
  compressionMethods: number[];
  extensions: Extension[];
}

export function encodeClientHello(hello: ClientHello): Buffer {
  const suites = new ByteWriter();
  for (const suite of hello.cipherSuites) suites.u16(suite);
  const writer = new ByteWriter()
    .u16(hello.clientVersion)
    .bytes(hello.random)
    .vector8(hello.sessionId)
    .vector8(hello.cookie)
    .vector16(suites.toBuffer())
    .vector8(Buffer.from(hello.compressionMethods));
  writeExtensions(writer, hello.extensions);
  return writer.toBuffer();
}

export function decodeClientHello(body: Buffer): ClientHello {
  const reader = new ByteReader(body, 'ClientHello');
  const clientVersion = reader.u16();
  const random = reader.bytes(32);
  const sessionId = reader.vector8(0, 32);
  const cookie = reader.vector8(0, 255);
  const suiteBytes = reader.vector16(2, 0xfffe);
  if (suiteBytes.length % 2 !== 0) throw new DecodeError('ClientHello: odd cipher_suites length');
  const cipherSuites: number[] = [];
  for (let i = 0; i < suiteBytes.length; i += 2) cipherSuites.push(suiteBytes.readUInt16BE(i));
  const compressionMethods = [...reader.vector8(1, 255)];
  const extensions = readExtensions(reader);
  reader.expectEnd();
  return { clientVersion, random, sessionId, cookie, cipherSuites, compressionMethods, extensions };
}

// ---- HelloVerifyRequest ----------------------------------------------------------------------

export interface HelloVerifyRequest {
  serverVersion: number;
  cookie: Buffer;
}

export function encodeHelloVerifyRequest(request: HelloVerifyRequest): Buffer {
  return new ByteWriter().u16(request.serverVersion).vector8(request.cookie).toBuffer();
}

export function decodeHelloVerifyRequest(body: Buffer): HelloVerifyRequest {
  const reader = new ByteReader(body, 'HelloVerifyRequest');
  const serverVersion = reader.u16();
  const cookie = reader.vector8(0, 255);
  reader.expectEnd();
  return { serverVersion, cookie };
}

// ---- ServerHello -----------------------------------------------------------------------------

export interface ServerHello {
  serverVersion: number;
  random: Buffer;
  sessionId: Buffer;
  cipherSuite: number;
  compressionMethod: number;
  extensions: Extension[];
}

export function encodeServerHello(hello: ServerHello): Buffer {
  const writer = new ByteWriter()
    .u16(hello.serverVersion)
    .bytes(hello.random)
    .vector8(hello.sessionId)
    .u16(hello.cipherSuite)
    .u8(hello.compressionMethod);
  writeExtensions(writer, hello.extensions);
  return writer.toBuffer();
}

export function decodeServerHello(body: Buffer): ServerHello {
  const reader = new ByteReader(body, 'ServerHello');
  const serverVersion = reader.u16();
  const random = reader.bytes(32);
  const sessionId = reader.vector8(0, 32);
  const cipherSuite = reader.u16();
  const compressionMethod = reader.u8();
  const extensions = readExtensions(reader);
  reader.expectEnd();
  return { serverVersion, random, sessionId, cipherSuite, compressionMethod, extensions };
}

// ---- Certificate -----------------------------------------------------------------------------

export function encodeCertificate(chainDer: Buffer[]): Buffer {
  const list = new ByteWriter();
  for (const der of chainDer) list.vector24(der);
  return new ByteWriter().vector24(list.toBuffer()).toBuffer();
}

export function decodeCertificate(body: Buffer): Buffer[] {
  const reader = new ByteReader(body, 'Certificate');
  const list = new ByteReader(reader.vector24(), 'certificate_list');
  reader.expectEnd();
  const chain: Buffer[] = [];
  while (list.remaining > 0) chain.push(list.vector24(1));
  return chain;
}

// ---- ServerKeyExchange (ECDHE, named curve) --------------------------------------------------

export interface EcdheServerParams {
  namedGroup: number;
  publicPoint: Buffer;
  /** The ServerECDHParams bytes exactly as covered by the signature. */
  encodedParams: Buffer;
}

export interface ServerKeyExchange extends EcdheServerParams {
  signatureScheme: number;
  signature: Buffer;
}

export function encodeEcdheParams(namedGroup: number, publicPoint: Buffer): Buffer {
  return new ByteWriter().u8(EC_CURVE_TYPE_NAMED_CURVE).u16(namedGroup).vector8(publicPoint).toBuffer();
}

export function encodeServerKeyExchange(encodedParams: Buffer, signatureScheme: number, signature: Buffer): Buffer {
  return new ByteWriter().bytes(encodedParams).u16(signatureScheme).vector16(signature).toBuffer();
}

export function decodeServerKeyExchange(body: Buffer): ServerKeyExchange {
  const reader = new ByteReader(body, 'ServerKeyExchange');
  const curveType = reader.u8();
  if (curveType !== EC_CURVE_TYPE_NAMED_CURVE) throw new DecodeError(`ServerKeyExchange: curve type ${curveType} is not named_curve`);
  const namedGroup = reader.u16();
  const publicPoint = reader.vector8(1);
  const encodedParams = body.subarray(0, reader.position);
  const signatureScheme = reader.u16();
  const signature = reader.vector16(1);
  reader.expectEnd();
  return { namedGroup, publicPoint, encodedParams, signatureScheme, signature };
}

// ---- CertificateRequest (parsed only so a client can answer with an empty Certificate) --------

export function decodeCertificateRequest(body: Buffer): { certificateTypes: number[]; signatureSchemes: number[] } {
  const reader = new ByteReader(body, 'CertificateRequest');
  const certificateTypes = [...reader.vector8(1)];
  const schemes = reader.vector16(2);
  const signatureSchemes: number[] = [];
  for (let i = 0; i + 1 < schemes.length; i += 2) signatureSchemes.push(schemes.readUInt16BE(i));
  reader.vector16(); // certificate_authorities, unused
  reader.expectEnd();
  return { certificateTypes, signatureSchemes };
}

// ---- ClientKeyExchange (ECDHE) and Finished --------------------------------------------------

export function encodeClientKeyExchange(publicPoint: Buffer): Buffer {
  return new ByteWriter().vector8(publicPoint).toBuffer();
}

export function decodeClientKeyExchange(body: Buffer): Buffer {
  const reader = new ByteReader(body, 'ClientKeyExchange');
  const point = reader.vector8(1);
  reader.expectEnd();
  return point;
}

export const VERIFY_DATA_LENGTH = 12;

export function decodeFinished(body: Buffer): Buffer {
  if (body.length !== VERIFY_DATA_LENGTH) throw new DecodeError(`Finished: verify_data is ${body.length} bytes, expected ${VERIFY_DATA_LENGTH}`);
  return body;
}
