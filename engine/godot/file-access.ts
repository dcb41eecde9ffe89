// FileAccess: reading files from res:// (the snippet's folder, read-only) and reading and writing
// user:// (a per-run scratch folder in memory). Other paths are refused; see files.ts.

import { createHash } from 'node:crypto';
import { ErrorCode } from './error-codes';
import { decodeNumber, encodeNumber, NUMBER_SIZE, type NumberKind } from './binary';
import { fileExists, readFile, writeFile } from './files';
import { decodeVariant, encodeVariant } from './marshalling';
import { enumOf, GodotObject, opt, param, type ClassSpec, type MethodSpec } from './method-table';
import { RefCountedSpec } from './object';
import type { GodotRuntime } from './runtime';
import { bytesOf, int, packedBytes, toNumber } from './variant';
import type { CallContext } from '../gdscript/host';

export const ModeFlags = { READ: 1, WRITE: 2, READ_WRITE: 3, WRITE_READ: 7 } as const;

export class FileAccess extends GodotObject {
  data: Uint8Array = new Uint8Array(0);
  position = 0;
  path = '';
  mode = 0;
  open = false;
  eof = false;
  bigEndian = false;
  error: number = ErrorCode.OK;

  constructor(runtime: GodotRuntime) {
    super(FileAccessSpec, runtime);
  }

  read(n: number): Uint8Array {
    const out = this.data.slice(this.position, this.position + n);
    this.position += out.length;
    if (out.length < n) {
      this.eof = true;
      this.error = ErrorCode.ERR_FILE_EOF;
    }
    return out;
  }

  write(bytes: Uint8Array, ctx: CallContext): void {
    if (!this.open || !(this.mode & ModeFlags.WRITE)) {
      ctx.warn(`FileAccess: ${this.path || 'the file'} is not open for writing.`);
      return;
    }
    const end = this.position + bytes.length;
    if (end > this.data.length) {
      const grown = new Uint8Array(end);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(bytes, this.position);
    this.position = end;
    const written = writeFile(this.runtime, this.path, this.data);
    if (!written.ok) {
      ctx.warn(written.message);
      this.error = written.error;
    }
  }

  readable(ctx: CallContext): boolean {
    if (this.open && this.mode & ModeFlags.READ) return true;
    ctx.warn(`FileAccess: ${this.path || 'the file'} is not open for reading.`);
    return false;
  }
}

/** The last FileAccess.open() error of each peer. */
const openErrors = new WeakMap<GodotRuntime, number>();

function readNumber(kind: NumberKind): MethodSpec<FileAccess> {
  const size = NUMBER_SIZE[kind];
  return {
    params: [],
    returns: kind === 'float' || kind === 'double' ? 'float' : 'int',
    const: true,
    description: `Reads ${kind === 'float' || kind === 'double' ? `a ${size * 8}-bit float` : `an unsigned ${size * 8}-bit integer`}.`,
    call(self, _args, ctx) {
      if (!self.readable(ctx)) return int(0);
      const b = self.read(size);
      if (b.length < size) return kind === 'float' || kind === 'double' ? decodeNumber(kind, new Uint8Array(size), false) : int(0);
      return decodeNumber(kind, b, self.bigEndian);
    },
  };
}

function storeNumber(kind: NumberKind): MethodSpec<FileAccess> {
  const size = NUMBER_SIZE[kind];
  const isFloat = kind === 'float' || kind === 'double';
  return {
    params: [param('value', isFloat ? 'float' : 'int')],
    returns: 'void',
    description: `Writes ${isFloat ? `a ${size * 8}-bit float` : `an unsigned ${size * 8}-bit integer`}.`,
    call(self, [value], ctx) {
      self.write(encodeNumber(kind, value, self.bigEndian), ctx);
      return null;
    },
  };
}

const pathParam = param('path', 'String');

function hashOf(runtime: GodotRuntime, path: string, algorithm: 'md5' | 'sha256'): string {
  const read = readFile(runtime, path);
  return read.ok ? createHash(algorithm).update(read.data).digest('hex') : '';
}

export const FileAccessSpec: ClassSpec<FileAccess> = {
  name: 'FileAccess',
  inherits: RefCountedSpec,
  godot3: { godot3: 'File (File.new() then file.open(path, File.READ))', godot4: 'FileAccess.open(path, FileAccess.READ)' },
  description:
    'Reads and writes files. In the sandbox res:// is the snippet\'s folder (read-only) and user:// a scratch folder that lasts one run; other paths are refused.',
  partial: 'No compressed or encrypted files, CSV, permissions or hidden attributes.',
  enums: {
    ModeFlags: enumOf('How open() opens a file.', [
      ['READ', 1, 'Read only; the file must exist.'],
      ['WRITE', 2, 'Write only; the file is created or emptied.'],
      ['READ_WRITE', 3, 'Read and write; the file must exist.'],
      ['WRITE_READ', 7, 'Read and write; the file is created or emptied.'],
    ]),
  },
  properties: {
    big_endian: { type: 'bool', defaultText: 'false', description: 'Whether numbers are read and written big-endian.', getter: 'is_big_endian', setter: 'set_big_endian' },
  },
  statics: {
    open: {
      params: [pathParam, param('flags', 'FileAccess.ModeFlags')],
      returns: 'FileAccess',
      description: 'Opens a file; null when it cannot be opened (see get_open_error()).',
      call(runtime, [path, flags], ctx) {
        const mode = toNumber(flags);
        const file = new FileAccess(runtime);
        file.path = String(path);
        file.mode = mode;
        if (mode === ModeFlags.WRITE || mode === ModeFlags.WRITE_READ) {
          const written = writeFile(runtime, file.path, new Uint8Array(0));
          if (!written.ok) {
            ctx.warn(written.message);
            openErrors.set(runtime, written.error);
            return null;
          }
        } else if (mode === ModeFlags.READ || mode === ModeFlags.READ_WRITE) {
          const read = readFile(runtime, file.path);
          if (!read.ok) {
            ctx.warn(read.message);
            openErrors.set(runtime, read.error);
            return null;
          }
          if (mode === ModeFlags.READ_WRITE && read.path.root === 'res') {
            ctx.warn(`${read.path.display}: res:// is read-only in the sandbox; open it with FileAccess.READ, or write to user://.`);
            openErrors.set(runtime, ErrorCode.ERR_FILE_NO_PERMISSION);
            return null;
          }
          file.data = read.data;
        } else {
          ctx.warn(`FileAccess.open: invalid mode ${mode}.`);
          openErrors.set(runtime, ErrorCode.ERR_INVALID_PARAMETER);
          return null;
        }
        file.open = true;
        openErrors.set(runtime, ErrorCode.OK);
        return file;
      },
    },
    get_open_error: { params: [], returns: 'Error', description: 'The error of the last open() of this peer.', call: (runtime) => int(openErrors.get(runtime) ?? ErrorCode.OK) },
    file_exists: { params: [pathParam], returns: 'bool', description: 'Whether the file exists (res:// or user://).', call: (runtime, [path]) => fileExists(runtime, String(path)) },
    get_file_as_bytes: {
      params: [pathParam],
      returns: 'PackedByteArray',
      description: 'The whole file as bytes (empty, with get_open_error() set, when it cannot be read).',
      call(runtime, [path], ctx) {
        const read = readFile(runtime, String(path));
        openErrors.set(runtime, read.ok ? ErrorCode.OK : read.error);
        if (!read.ok) ctx.warn(read.message);
        return packedBytes(read.ok ? read.data : new Uint8Array(0));
      },
    },
    get_file_as_string: {
      params: [pathParam],
      returns: 'String',
      description: 'The whole file as UTF-8 text ("" when it cannot be read).',
      call(runtime, [path], ctx) {
        const read = readFile(runtime, String(path));
        openErrors.set(runtime, read.ok ? ErrorCode.OK : read.error);
        if (!read.ok) ctx.warn(read.message);
        return read.ok ? new TextDecoder().decode(read.data) : '';
      },
    },
    get_md5: { params: [pathParam], returns: 'String', description: 'The MD5 of the file, in hex ("" when it cannot be read).', call: (runtime, [path]) => hashOf(runtime, String(path), 'md5') },
    get_sha256: { params: [pathParam], returns: 'String', description: 'The SHA-256 of the file, in hex ("" when it cannot be read).', call: (runtime, [path]) => hashOf(runtime, String(path), 'sha256') },
  },
  methods: {
    close: {
      params: [],
      returns: 'void',
      description: 'Closes the file (writes are already saved).',
      call(self) {
        self.open = false;
        return null;
      },
    },
    flush: { params: [], returns: 'void', description: 'Saves what was written (the lab saves every write already).', call: () => null },
    is_open: { params: [], returns: 'bool', const: true, description: 'Whether the file is open.', call: (self) => self.open },
    get_error: { params: [], returns: 'Error', const: true, description: 'The error of the last operation (ERR_FILE_EOF after reading past the end).', call: (self) => int(self.error) },
    eof_reached: { params: [], returns: 'bool', const: true, description: 'Whether a read went past the end of the file.', call: (self) => self.eof },
    get_length: { params: [], returns: 'int', const: true, description: 'The size of the file in bytes.', call: (self) => int(self.data.length) },
    get_position: { params: [], returns: 'int', const: true, description: 'The current read/write position.', call: (self) => int(self.position) },
    get_path: { params: [], returns: 'String', const: true, description: 'The path the file was opened with.', call: (self) => self.path },
    get_path_absolute: { params: [], returns: 'String', const: true, description: 'The path as res:// or user:// (the sandbox never shows real paths).', call: (self) => self.path },
    seek: {
      params: [param('position', 'int')],
      returns: 'void',
      description: 'Moves to a position from the start.',
      call(self, [position]) {
        self.position = Math.max(0, toNumber(position));
        self.eof = false;
        return null;
      },
    },
    seek_end: {
      params: [opt('position', 'int', 0)],
      returns: 'void',
      description: 'Moves to a position from the end (0: the end).',
      call(self, [position]) {
        self.position = Math.max(0, self.data.length + toNumber(position));
        self.eof = false;
        return null;
      },
    },
    get_8: readNumber('u8'),
    get_16: readNumber('u16'),
    get_32: readNumber('u32'),
    get_64: readNumber('u64'),
    get_float: readNumber('float'),
    get_double: readNumber('double'),
    store_8: storeNumber('u8'),
    store_16: storeNumber('u16'),
    store_32: storeNumber('u32'),
    store_64: storeNumber('u64'),
    store_float: storeNumber('float'),
    store_double: storeNumber('double'),
    get_buffer: {
      params: [param('length', 'int')],
      returns: 'PackedByteArray',
      const: true,
      description: 'Reads up to `length` bytes.',
      call: (self, [length], ctx) => packedBytes(self.readable(ctx) ? self.read(Math.max(0, toNumber(length))) : new Uint8Array(0)),
    },
    get_as_text: {
      params: [opt('skip_cr', 'bool', false)],
      returns: 'String',
      const: true,
      description: 'The whole file as UTF-8 text.',
      call(self, [skipCr]) {
        const text = new TextDecoder().decode(self.data);
        return skipCr === true ? text.replace(/\r/g, '') : text;
      },
    },
    get_line: {
      params: [],
      returns: 'String',
      const: true,
      description: 'Reads up to the next line break (which is not included).',
      call(self, _args, ctx) {
        if (!self.readable(ctx)) return '';
        const rest = self.data.subarray(self.position);
        const nl = rest.indexOf(10);
        const line = nl < 0 ? rest : rest.subarray(0, nl);
        self.position += nl < 0 ? rest.length : nl + 1;
        if (nl < 0) self.eof = true;
        return new TextDecoder().decode(line).replace(/\r$/, '');
      },
    },
    get_pascal_string: {
      params: [],
      returns: 'String',
      description: 'Reads a string written by store_pascal_string(): a u32 length, then UTF-8.',
      call(self, _args, ctx) {
        if (!self.readable(ctx)) return '';
        const head = self.read(4);
        if (head.length < 4) return '';
        return new TextDecoder().decode(self.read(Number(decodeNumber('u32', head, self.bigEndian))));
      },
    },
    get_var: {
      params: [opt('allow_objects', 'bool', false)],
      returns: 'Variant',
      const: true,
      description: 'Reads a Variant written by store_var(): a u32 length, then Godot\'s binary encoding.',
      call(self, [allowObjects], ctx) {
        if (!self.readable(ctx)) return null;
        const head = self.read(4);
        if (head.length < 4) return null;
        const n = Number(decodeNumber('u32', head, self.bigEndian));
        const decoded = decodeVariant(self.read(n), allowObjects === true);
        if (!decoded.ok) {
          ctx.warn(`FileAccess.get_var: ${decoded.message}`);
          return null;
        }
        return decoded.value;
      },
    },
    store_buffer: {
      params: [param('buffer', 'PackedByteArray')],
      returns: 'void',
      description: 'Writes bytes.',
      call(self, [buffer], ctx) {
        self.write(bytesOf(buffer).slice(), ctx);
        return null;
      },
    },
    store_string: {
      params: [param('string', 'String')],
      returns: 'void',
      description: 'Writes a String as UTF-8 (no line break).',
      call(self, [text], ctx) {
        self.write(new TextEncoder().encode(String(text)), ctx);
        return null;
      },
    },
    store_line: {
      params: [param('line', 'String')],
      returns: 'void',
      description: 'Writes a String as UTF-8 and a line break.',
      call(self, [text], ctx) {
        self.write(new TextEncoder().encode(String(text) + '\n'), ctx);
        return null;
      },
    },
    store_pascal_string: {
      params: [param('string', 'String')],
      returns: 'void',
      description: 'Writes a String as a u32 length then UTF-8 (get_pascal_string() reads it).',
      call(self, [text], ctx) {
        const b = new TextEncoder().encode(String(text));
        self.write(encodeNumber('u32', b.length, self.bigEndian), ctx);
        self.write(b, ctx);
        return null;
      },
    },
    store_var: {
      params: [param('value', 'Variant'), opt('full_objects', 'bool', false)],
      returns: 'void',
      description: "Writes a Variant: a u32 length, then Godot's binary encoding.",
      call(self, [value], ctx) {
        const encoded = encodeVariant(value);
        if (!encoded.ok) {
          ctx.warn(`FileAccess.store_var: ${encoded.message}`);
          return null;
        }
        self.write(encodeNumber('u32', encoded.bytes.length, self.bigEndian), ctx);
        self.write(encoded.bytes, ctx);
        return null;
      },
    },
    set_big_endian: {
      params: [param('big_endian', 'bool')],
      returns: 'void',
      description: 'Setter of big_endian.',
      call(self, [big]) {
        self.bigEndian = big === true;
        return null;
      },
    },
    is_big_endian: { params: [], returns: 'bool', description: 'Getter of big_endian.', call: (self) => self.bigEndian },
  },
};

