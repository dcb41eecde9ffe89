// StreamPeer: the abstract base of StreamPeerTCP and StreamPeerTLS. Reads of a given size block the
// calling task (WaitFor) until enough bytes have arrived, like Godot's blocking reads; the other peer
// keeps running meanwhile.

import type { CallContext, NativeResult, Value } from '../gdscript/host';
import { GdArray } from '../gdscript/values';
import { asciiBytes, decodeNumber, encodeNumber, latin1String, NUMBER_SIZE, type NumberKind } from './binary';
import { ErrorCode } from './error-codes';
import { decodeVariant, encodeVariant } from './marshalling';
import { GodotObject, opt, param, type ClassSpec, type MethodSpec } from './method-table';
import { RefCountedSpec } from './object';
import { bytesOf, int, packedBytes, toNumber } from './variant';
import { WaitFor } from './wait';

export abstract class StreamPeerObject extends GodotObject {
  bigEndian = false;
  private readonly inbox: Uint8Array[] = [];
  private inboxBytes = 0;

  /** Moves the bytes that arrived on the transport into the read buffer. */
  protected abstract pull(): Uint8Array | undefined;
  /** OK when the stream can be read now, else the Error code a read returns (FAILED when not connected). */
  abstract readError(): number;
  /** Whether more bytes may still arrive (connected and the peer has not closed). */
  abstract mayReceiveMore(): boolean;
  /** Queues bytes for the peer; an Error code. */
  abstract writeBytes(data: Uint8Array, ctx: CallContext): number;

  protected fill(): void {
    for (let chunk = this.pull(); chunk && chunk.length > 0; chunk = this.pull()) {
      this.inbox.push(chunk);
      this.inboxBytes += chunk.length;
    }
  }

  /** Bytes ready to read. */
  buffered(): number {
    this.fill();
    return this.inboxBytes;
  }

  peek(n: number): Uint8Array {
    return this.take(n, false);
  }

  consume(n: number): Uint8Array {
    return this.take(n, true);
  }

  private take(n: number, remove: boolean): Uint8Array {
    this.fill();
    const count = Math.min(n, this.inboxBytes);
    const out = new Uint8Array(count);
    let offset = 0;
    let i = 0;
    while (offset < count) {
      const chunk = this.inbox[i];
      const part = Math.min(chunk.length, count - offset);
      out.set(chunk.subarray(0, part), offset);
      offset += part;
      if (remove) {
        if (part === chunk.length) this.inbox.shift();
        else this.inbox[i] = chunk.subarray(part);
      } else i++;
    }
    if (remove) this.inboxBytes -= count;
    return out;
  }

  /** Drops whatever is buffered (disconnect). */
  protected clearInbox(): void {
    this.inbox.length = 0;
    this.inboxBytes = 0;
  }
}

/** Blocks until `needed()` bytes are buffered (or the stream can deliver no more), then calls `done`. */
export function blockingRead(
  self: StreamPeerObject,
  what: string,
  needed: () => number | undefined,
  done: (error: number) => Value,
  ctx: CallContext,
): NativeResult {
  const error = self.readError();
  if (error !== ErrorCode.OK) {
    ctx.warn(`${self.className}.${what}: the stream is not connected.`);
    return done(error);
  }
  const enough = () => {
    const n = needed();
    return n !== undefined && self.buffered() >= n;
  };
  const limit = self.runtime.limits.maxBufferedBytes;
  const tooBig = () => (needed() ?? 0) > limit;
  const finish = () => {
    if (tooBig()) {
      ctx.warn(`${self.className}.${what}: ${needed()} bytes is more than the sandbox lets a stream buffer (${limit}).`);
      return done(ErrorCode.ERR_OUT_OF_MEMORY);
    }
    if (enough()) return done(ErrorCode.OK);
    ctx.warn(`${self.className}.${what}: the connection closed before all the bytes arrived.`);
    self.consume(self.buffered()); // like Godot, the bytes of a read that hit the end are used up
    return done(ErrorCode.ERR_FILE_EOF);
  };
  if (enough() || tooBig() || !self.mayReceiveMore()) return finish();
  return new WaitFor(`${self.className}.${what}`, () => enough() || tooBig() || !self.mayReceiveMore(), finish);
}

function readNumber(kind: NumberKind): MethodSpec<StreamPeerObject> {
  const size = NUMBER_SIZE[kind];
  const signed = !kind.startsWith('u');
  const what = kind === 'float' || kind === 'double' ? `a ${kind === 'float' ? '32' : '64'}-bit float` : `${signed ? 'a signed' : 'an unsigned'} ${size * 8}-bit integer`;
  return {
    params: [],
    returns: kind === 'float' || kind === 'double' ? 'float' : 'int',
    description: `Reads ${what} (blocks until ${size} byte${size > 1 ? 's have' : ' has'} arrived).`,
    call: (self, _args, ctx) =>
      blockingRead(self, `get_${kind}`, () => size, (error) => (error === ErrorCode.OK ? decodeNumber(kind, self.consume(size), self.bigEndian) : kind === 'float' || kind === 'double' ? decodeNumber(kind, new Uint8Array(size), false) : 0), ctx),
  };
}

function writeNumber(kind: NumberKind): MethodSpec<StreamPeerObject> {
  const size = NUMBER_SIZE[kind];
  const isFloat = kind === 'float' || kind === 'double';
  return {
    params: [param('value', isFloat ? 'float' : 'int')],
    returns: 'void',
    description: `Writes ${isFloat ? `a ${size * 8}-bit float` : `${kind.startsWith('u') ? 'an unsigned' : 'a signed'} ${size * 8}-bit integer`}.`,
    call(self, [value], ctx) {
      self.writeBytes(encodeNumber(kind, value, self.bigEndian), ctx);
      return null;
    },
  };
}

/** Reads a u32 length then that many bytes; `decode` turns the bytes into the result. */
function lengthPrefixed(self: StreamPeerObject, what: string, fixed: number, decode: (bytes: Uint8Array | null) => Value, ctx: CallContext): NativeResult {
  if (fixed >= 0) return blockingRead(self, what, () => fixed, (e) => decode(e === ErrorCode.OK ? self.consume(fixed) : null), ctx);
  const length = () => (self.buffered() >= 4 ? Number(decodeNumber('u32', self.peek(4), self.bigEndian)) : undefined);
  return blockingRead(
    self,
    what,
    () => {
      const n = length();
      return n === undefined ? undefined : n + 4;
    },
    (e) => {
      if (e !== ErrorCode.OK) return decode(null);
      const n = length()!;
      self.consume(4);
      return decode(self.consume(n));
    },
    ctx,
  );
}

const utf8 = new TextDecoder();

function cString(text: string): string {
  const nul = text.indexOf('\0');
  return nul >= 0 ? text.slice(0, nul) : text;
}

export const StreamPeerSpec: ClassSpec<StreamPeerObject> = {
  name: 'StreamPeer',
  inherits: RefCountedSpec,
  description:
    'The base of byte-stream peers (StreamPeerTCP, StreamPeerTLS): raw bytes, fixed-size numbers, strings and Variants. Reads of a given size wait until the bytes have arrived.',
  properties: {
    big_endian: {
      type: 'bool',
      defaultText: 'false',
      description: 'Whether numbers are read and written big-endian (network order) instead of little-endian.',
      getter: 'is_big_endian_enabled',
      setter: 'set_big_endian',
    },
  },
  methods: {
    get_8: readNumber('8'),
    get_16: readNumber('16'),
    get_32: readNumber('32'),
    get_64: readNumber('64'),
    get_u8: readNumber('u8'),
    get_u16: readNumber('u16'),
    get_u32: readNumber('u32'),
    get_u64: readNumber('u64'),
    get_float: readNumber('float'),
    get_double: readNumber('double'),
    put_8: writeNumber('8'),
    put_16: writeNumber('16'),
    put_32: writeNumber('32'),
    put_64: writeNumber('64'),
    put_u8: writeNumber('u8'),
    put_u16: writeNumber('u16'),
    put_u32: writeNumber('u32'),
    put_u64: writeNumber('u64'),
    put_float: writeNumber('float'),
    put_double: writeNumber('double'),
    get_available_bytes: {
      params: [],
      returns: 'int',
      const: true,
      description: 'How many received bytes can be read without waiting.',
      call: (self) => int(self.readError() === ErrorCode.OK || self.buffered() > 0 ? self.buffered() : 0),
    },
    get_data: {
      params: [param('bytes', 'int')],
      returns: 'Array',
      description: 'Reads exactly `bytes` bytes, waiting for them; returns [Error, PackedByteArray].',
      call(self, [bytes], ctx) {
        const n = Math.max(0, toNumber(bytes));
        return blockingRead(self, 'get_data', () => n, (e) => new GdArray([int(e), packedBytes(e === ErrorCode.OK ? self.consume(n) : new Uint8Array(0))]), ctx);
      },
    },
    get_partial_data: {
      params: [param('bytes', 'int')],
      returns: 'Array',
      description: 'Reads up to `bytes` bytes without waiting; returns [Error, PackedByteArray] with what was available.',
      call(self, [bytes], ctx) {
        const error = self.readError();
        if (error !== ErrorCode.OK && self.buffered() === 0) {
          ctx.warn(`${self.className}.get_partial_data: the stream is not connected.`);
          return new GdArray([int(error), packedBytes(new Uint8Array(0))]);
        }
        return new GdArray([int(ErrorCode.OK), packedBytes(self.consume(Math.max(0, toNumber(bytes))))]);
      },
    },
    get_string: {
      params: [opt('bytes', 'int', -1)],
      returns: 'String',
      description: 'Reads an ASCII string of `bytes` bytes, or (with -1) one written by put_string(): a u32 length, then the characters.',
      call: (self, [bytes], ctx) => lengthPrefixed(self, 'get_string', toNumber(bytes), (b) => (b ? cString(latin1String(b)) : ''), ctx),
    },
    get_utf8_string: {
      params: [opt('bytes', 'int', -1)],
      returns: 'String',
      description: 'Reads a UTF-8 string of `bytes` bytes, or (with -1) one written by put_utf8_string(): a u32 length, then the bytes.',
      call: (self, [bytes], ctx) => lengthPrefixed(self, 'get_utf8_string', toNumber(bytes), (b) => (b ? cString(utf8.decode(b)) : ''), ctx),
    },
    get_var: {
      params: [opt('allow_objects', 'bool', false)],
      returns: 'Variant',
      description: 'Reads a Variant written by put_var(): a u32 length, then Godot\'s binary encoding.',
      call: (self, [allowObjects], ctx) =>
        lengthPrefixed(
          self,
          'get_var',
          -1,
          (b) => {
            if (!b) return null;
            const decoded = decodeVariant(b, allowObjects === true);
            if (decoded.ok) return decoded.value;
            ctx.warn(`Error when trying to decode Variant: ${decoded.message}`);
            return null;
          },
          ctx,
        ),
    },
    put_data: {
      params: [param('data', 'PackedByteArray')],
      returns: 'Error',
      description: 'Writes all the bytes.',
      call: (self, [data], ctx) => int(self.writeBytes(bytesOf(data).slice(), ctx)),
    },
    put_partial_data: {
      params: [param('data', 'PackedByteArray')],
      returns: 'Array',
      description: 'Writes the bytes the stream accepts now; returns [Error, bytes written].',
      call(self, [data], ctx) {
        const bytes = bytesOf(data).slice();
        const error = self.writeBytes(bytes, ctx);
        return new GdArray([int(error), int(error === ErrorCode.OK ? bytes.length : 0)]);
      },
    },
    put_string: {
      params: [param('value', 'String')],
      returns: 'void',
      description: 'Writes an ASCII string: a u32 length, then one byte per character (get_string() reads it).',
      call(self, [value], ctx) {
        const b = asciiBytes(String(value));
        self.writeBytes(concat(encodeNumber('u32', b.length, self.bigEndian), b), ctx);
        return null;
      },
    },
    put_utf8_string: {
      params: [param('value', 'String')],
      returns: 'void',
      description: 'Writes a UTF-8 string: a u32 length, then the bytes (get_utf8_string() reads it).',
      call(self, [value], ctx) {
        const b = new TextEncoder().encode(String(value));
        self.writeBytes(concat(encodeNumber('u32', b.length, self.bigEndian), b), ctx);
        return null;
      },
    },
    put_var: {
      params: [param('value', 'Variant'), opt('full_objects', 'bool', false)],
      returns: 'void',
      description: "Writes a Variant: a u32 length, then Godot's binary encoding (get_var() reads it).",
      call(self, [value], ctx) {
        const encoded = encodeVariant(value);
        if (!encoded.ok) {
          ctx.warn(`Error when trying to encode Variant: ${encoded.message}`);
          return null;
        }
        self.writeBytes(concat(encodeNumber('u32', encoded.bytes.length, self.bigEndian), encoded.bytes), ctx);
        return null;
      },
    },
    set_big_endian: {
      params: [param('enable', 'bool')],
      returns: 'void',
      description: 'Setter of big_endian.',
      call(self, [enable]) {
        self.bigEndian = enable === true;
        return null;
      },
    },
    is_big_endian_enabled: { params: [], returns: 'bool', const: true, description: 'Getter of big_endian.', call: (self) => self.bigEndian },
  },
};

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
