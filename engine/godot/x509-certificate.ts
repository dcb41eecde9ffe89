// X509Certificate: a certificate (chain) in PEM, as Godot's Crypto creates or loads it.

import { X509Certificate as NodeX509 } from 'node:crypto';
import { ErrorCode } from './error-codes';
import { readFile, writeFile } from './files';
import { param, type ClassSpec } from './method-table';
import { ResourceObject, ResourceSpec } from './object';
import type { GodotRuntime } from './runtime';
import { int } from './variant';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export class X509Certificate extends ResourceObject {
  private chainPem = '';

  constructor(runtime: GodotRuntime) {
    super(X509CertificateSpec, runtime);
  }

  pem(): string {
    return this.chainPem;
  }

  isEmpty(): boolean {
    return this.chainPem === '';
  }

  load(text: string): number {
    const blocks = text.match(PEM_BLOCK) ?? [];
    try {
      for (const block of blocks) new NodeX509(block);
    } catch {
      return ErrorCode.ERR_INVALID_DATA;
    }
    if (blocks.length === 0) return ErrorCode.ERR_INVALID_DATA;
    this.chainPem = blocks.join('\n') + '\n';
    return ErrorCode.OK;
  }
}

export const X509CertificateSpec: ClassSpec<X509Certificate> = {
  name: 'X509Certificate',
  inherits: ResourceSpec,
  description:
    'An X.509 certificate, or a chain of them (leaf first). Made by Crypto.generate_self_signed_certificate(), loaded from PEM text or a .crt file; TLSOptions uses it as the server\'s certificate or as the CA a client trusts.',
  construct: (runtime) => new X509Certificate(runtime),
  methods: {
    load: {
      params: [param('path', 'String')],
      returns: 'Error',
      description: 'Reads PEM certificates from a file (res:// or user://).',
      call(self, [path], ctx) {
        const read = readFile(self.runtime, String(path));
        if (!read.ok) {
          ctx.warn(`Cannot open X509Certificate file '${String(path)}': ${read.message}`);
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const error = self.load(Buffer.from(read.data).toString('utf8'));
        if (error !== ErrorCode.OK) ctx.warn(`Error parsing X509 certificates from file '${read.path.display}': it holds no valid PEM certificate.`);
        else self.resourcePath = read.path.display;
        return int(error);
      },
    },
    load_from_string: {
      params: [param('string', 'String')],
      returns: 'Error',
      description: 'Reads PEM certificates from a String.',
      call(self, [text], ctx) {
        const error = self.load(String(text));
        if (error !== ErrorCode.OK) ctx.warn('X509Certificate.load_from_string: the text holds no valid PEM certificate.');
        return int(error);
      },
    },
    save: {
      params: [param('path', 'String')],
      returns: 'Error',
      description: 'Writes the certificates as PEM to a file (user:// in the sandbox).',
      call(self, [path], ctx) {
        const written = writeFile(self.runtime, String(path), Buffer.from(self.pem(), 'utf8'));
        if (!written.ok) {
          ctx.warn(`Cannot save X509Certificate file '${String(path)}': ${written.message}`);
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        return int(ErrorCode.OK);
      },
    },
    save_to_string: { params: [], returns: 'String', description: 'The certificates as PEM text.', call: (self) => self.pem() },
  },
};
