// Bounds-checked reading and writing of the big-endian, length-prefixed structures used by
// DTLS (RFC 5246 §4 presentation language: uint8/16/24/48 and opaque vectors).

/** Thrown when a structure is shorter than its lengths claim or has trailing garbage. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

export class ByteReader {
  private offset = 0;

  constructor(private readonly data: Buffer, private readonly what = 'structure') {}

  get remaining(): number {
    return this.data.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  private need(count: number): void {
    if (count > this.remaining) {
      throw new DecodeError(`${this.what}: needs ${count} more bytes at offset ${this.offset}, only ${this.remaining} left`);
    }
  }

  u8(): number {
    this.need(1);
    return this.data[this.offset++]!;
  }

  u16(): number {
    this.need(2);
    const value = this.data.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  u24(): number {
    this.need(3);
    const value = this.data.readUIntBE(this.offset, 3);
    this.offset += 3;
    return value;
  }

  u48(): number {
    this.need(6);
    const value = this.data.readUIntBE(this.offset, 6);
    this.offset += 6;
    return value;
  }

  bytes(count: number): Buffer {
    this.need(count);
    const slice = this.data.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  vector8(min = 0, max = 0xff): Buffer {
    return this.checkedVector(this.u8(), min, max);
  }

  vector16(min = 0, max = 0xffff): Buffer {
    return this.checkedVector(this.u16(), min, max);
  }

  vector24(min = 0, max = 0xffffff): Buffer {
    return this.checkedVector(this.u24(), min, max);
  }

  rest(): Buffer {
    return this.bytes(this.remaining);
  }

  expectEnd(): void {
    if (this.remaining !== 0) {
      throw new DecodeError(`${this.what}: ${this.remaining} unexpected trailing bytes`);
    }
  }

  private checkedVector(length: number, min: number, max: number): Buffer {
    if (length < min || length > max) {
      throw new DecodeError(`${this.what}: vector length ${length} outside ${min}..${max}`);
    }
    return this.bytes(length);
  }
}

export class ByteWriter {
  private readonly parts: Buffer[] = [];
  private total = 0;

  get length(): number {
    return this.total;
  }

  private push(part: Buffer): this {
    this.parts.push(part);
    this.total += part.length;
    return this;
  }

  u8(value: number): this {
    return this.push(Buffer.from([value & 0xff]));
  }

  u16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(value);
    return this.push(b);
  }

  u24(value: number): this {
    const b = Buffer.alloc(3);
    b.writeUIntBE(value, 0, 3);
    return this.push(b);
  }

  u48(value: number): this {
    const b = Buffer.alloc(6);
    b.writeUIntBE(value, 0, 6);
    return this.push(b);
  }

  bytes(data: Uint8Array): this {
    return this.push(Buffer.from(data));
  }

  vector8(data: Uint8Array): this {
    if (data.length > 0xff) throw new RangeError(`vector too long for 8-bit length: ${data.length}`);
    return this.u8(data.length).bytes(data);
  }

  vector16(data: Uint8Array): this {
    if (data.length > 0xffff) throw new RangeError(`vector too long for 16-bit length: ${data.length}`);
    return this.u16(data.length).bytes(data);
  }

  vector24(data: Uint8Array): this {
    if (data.length > 0xffffff) throw new RangeError(`vector too long for 24-bit length: ${data.length}`);
    return this.u24(data.length).bytes(data);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts, this.total);
  }
}

/** Copies any Uint8Array view into a Buffer we own. */
export function ownedBuffer(data: Uint8Array): Buffer {
  // allocUnsafe takes small sizes from Node's pool: much cheaper than slicing the ArrayBuffer.
  const copy = Buffer.allocUnsafe(data.byteLength);
  copy.set(data);
  return copy;
}
