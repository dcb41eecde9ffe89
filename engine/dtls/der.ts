// Just enough DER (X.690) to read the parts of an X.509 certificate that Node's X509Certificate does
// not expose: the subject Name as encoded, and the keyUsage / extKeyUsage extensions
// (RFC 5280 §4.1, §4.2.1.3, §4.2.1.12).

export interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** One TLV at `offset`; throws a RangeError on truncated or unsupported encodings. */
export function readTlv(der: Buffer, offset: number): Tlv {
  const tag = der[offset];
  let lengthByte = der[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new RangeError('truncated DER');
  let length = lengthByte;
  let contentStart = offset + 2;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new RangeError('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = der[offset + 2 + i];
      if (lengthByte === undefined) throw new RangeError('truncated DER');
      length = length * 256 + lengthByte;
    }
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > der.length) throw new RangeError('truncated DER');
  return { tag, start: offset, contentStart, end };
}

/** The TLVs directly inside a constructed TLV. */
export function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readTlv(der, offset);
    if (child.end > parent.end) throw new RangeError('DER element overruns its parent');
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** Dotted form of an OBJECT IDENTIFIER's contents. */
export function decodeOid(content: Buffer): string {
  const parts: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        parts.push(first, value - first * 40);
      } else {
        parts.push(value);
      }
      value = 0;
    }
  }
  return parts.join('.');
}

export interface CertificateExtension {
  oid: string;
  critical: boolean;
  /** Contents of extnValue (the DER of the extension's own value). */
  value: Buffer;
}

const TAG_SEQUENCE = 0x30;
const TAG_BOOLEAN = 0x01;
const TAG_OCTET_STRING = 0x04;
const TAG_OID = 0x06;
const TAG_EXTENSIONS = 0xa3;

/** The extensions of a DER certificate (empty when it has none); throws a RangeError on bad DER. */
export function certificateExtensions(certificateDer: Buffer): CertificateExtension[] {
  const certificate = readTlv(certificateDer, 0);
  const tbs = readTlv(certificateDer, certificate.contentStart);
  const wrapper = children(certificateDer, tbs).find((field) => field.tag === TAG_EXTENSIONS);
  if (!wrapper) return [];
  const sequence = readTlv(certificateDer, wrapper.contentStart);
  if (sequence.tag !== TAG_SEQUENCE) throw new RangeError('extensions are not a SEQUENCE');
  return children(certificateDer, sequence).map((extension) => {
    const parts = children(certificateDer, extension);
    const oid = parts[0];
    const value = parts[parts.length - 1];
    if (!oid || oid.tag !== TAG_OID || !value || value.tag !== TAG_OCTET_STRING) throw new RangeError('malformed Extension');
    const criticalField = parts.length === 3 ? parts[1]! : undefined;
    const critical = criticalField !== undefined && criticalField.tag === TAG_BOOLEAN && certificateDer[criticalField.contentStart] !== 0;
    return {
      oid: decodeOid(certificateDer.subarray(oid.contentStart, oid.end)),
      critical,
      value: certificateDer.subarray(value.contentStart, value.end),
    };
  });
}

/** The encoded subject Name of an X.509 certificate (RFC 5280 §4.1), or undefined. */
export function subjectDer(certificateDer: Buffer): Buffer | undefined {
  try {
    const certificate = readTlv(certificateDer, 0);
    const tbs = readTlv(certificateDer, certificate.contentStart);
    let field = readTlv(certificateDer, tbs.contentStart);
    if (field.tag === 0xa0) field = readTlv(certificateDer, field.end); // [0] version
    // serialNumber, signature, issuer, validity, subject
    for (let i = 0; i < 4; i++) field = readTlv(certificateDer, field.end);
    if (field.tag !== TAG_SEQUENCE) return undefined;
    return Buffer.from(certificateDer.subarray(field.start, field.end));
  } catch {
    return undefined;
  }
}
