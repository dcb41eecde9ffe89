// X509Certificate: a certificate (chain) in PEM, as Godot's Crypto creates or loads it.

import { X509Certificate as NodeX509 } from 'node:crypto';
import { ErrorCode } from './error-codes';
import { GodotObject, type ClassSpec } from './method-table';
import type { GodotRuntime } from './runtime';
import { int } from './variant';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export class X509Certificate extends GodotObject {
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
  construct: (runtime) => new X509Certificate(runtime),
  methods: {
    load_from_string: {
      params: [{ name: 'string', type: 'String' }],
      returns: 'Error',
      call(self, [text], ctx) {
        const error = self.load(String(text));
        if (error !== ErrorCode.OK) ctx.warn('X509Certificate.load_from_string: the text holds no valid PEM certificate.');
        return int(error);
      },
    },
    save_to_string: { params: [], returns: 'String', call: (self) => self.pem() },
  },
};
