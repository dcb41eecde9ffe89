// Crypto: key and self-signed certificate generation, random bytes, RSA sign/verify/encrypt/decrypt
// and HMAC, as Godot's Crypto class does them. Keys come from Node's crypto; the certificate is
// assembled and signed with node-forge.

import { constants, createHmac, privateDecrypt, privateEncrypt, publicDecrypt, publicEncrypt, randomBytes, timingSafeEqual } from 'node:crypto';
import forge from 'node-forge';
import { ScriptError } from '../gdscript/host';
import { signCertificateSha256 } from './certificate-signing';
import { CryptoKey } from './crypto-key';
import { rsaKeyPool } from './rsa-key-pool';
import { hmacHashName, HashType } from './hashing';
import { GodotObject, opt, param, type ClassSpec } from './method-table';
import { RefCountedSpec } from './object';
import type { GodotRuntime } from './runtime';
import { bytesOf, packedBytes, toNumber } from './variant';
import { X509Certificate } from './x509-certificate';
import type { CallContext, Value } from '../gdscript/host';

const NAME_ATTRIBUTES = new Set(['CN', 'O', 'OU', 'C', 'L', 'ST', 'E', 'emailAddress']);

/** DER DigestInfo prefixes (RFC 8017 §9.2) for PKCS#1 v1.5 signatures over a precomputed hash. */
const DIGEST_INFO: Record<number, { prefix: Buffer; size: number; name: string }> = {
  [HashType.HASH_MD5]: { prefix: Buffer.from('3020300c06082a864886f70d020505000410', 'hex'), size: 16, name: 'MD5' },
  [HashType.HASH_SHA1]: { prefix: Buffer.from('3021300906052b0e03021a05000414', 'hex'), size: 20, name: 'SHA-1' },
  [HashType.HASH_SHA256]: { prefix: Buffer.from('3031300d060960864801650304020105000420', 'hex'), size: 32, name: 'SHA-256' },
};

export class Crypto extends GodotObject {
  constructor(runtime: GodotRuntime) {
    super(CryptoSpec, runtime);
  }
}

function generateRsa(runtime: GodotRuntime, bits: number): CryptoKey {
  if (!Number.isInteger(bits) || bits < 1024 || bits > 8192) throw new ScriptError(`Crypto.generate_rsa: unsupported key size ${bits}; use 2048, 3072 or 4096.`);
  // From the background pool when a key is ready (each key is handed out once), else generated now.
  const privateKey = rsaKeyPool.take(bits);
  const key = new CryptoKey(runtime);
  key.keyPem = privateKey;
  key.publicOnly = false;
  return key;
}

/** "CN=localhost,O=Lab,C=US" → forge attributes; an error names the part Godot would refuse. */
function parseDistinguishedName(name: string): forge.pki.CertificateField[] {
  return name.split(',').map((part) => {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    if (eq <= 0 || !NAME_ATTRIBUTES.has(key))
      throw new ScriptError(`Crypto.generate_self_signed_certificate: invalid issuer_name part "${part.trim()}"; write e.g. "CN=localhost,O=Lab,C=US".`);
    const value = part.slice(eq + 1).trim();
    return key === 'E' || key === 'emailAddress' ? { name: 'emailAddress', value } : { shortName: key, value };
  });
}

/** Godot's "YYYYMMDDhhmmss" validity strings. */
function parseValidity(text: string, parameter: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) throw new ScriptError(`Crypto.generate_self_signed_certificate: ${parameter} "${text}" is not in the form YYYYMMDDhhmmss.`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function selfSignedCertificate(runtime: GodotRuntime, key: CryptoKey, issuer: string, notBefore: string, notAfter: string): X509Certificate {
  if (key.isEmpty() || key.publicOnly) throw new ScriptError('Crypto.generate_self_signed_certificate: the key must hold a private key (use generate_rsa()).');
  let privateKey: forge.pki.rsa.PrivateKey;
  try {
    privateKey = forge.pki.privateKeyFromPem(key.keyPem) as forge.pki.rsa.PrivateKey;
  } catch {
    throw new ScriptError('Crypto.generate_self_signed_certificate: only RSA keys are supported here (Crypto.generate_rsa creates one).');
  }
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = parseValidity(notBefore, 'not_before');
  cert.validity.notAfter = parseValidity(notAfter, 'not_after');
  const attributes = parseDistinguishedName(issuer);
  cert.setSubject(attributes);
  cert.setIssuer(attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCertificateSha256(cert, key.keyPem);
  const result = new X509Certificate(runtime);
  result.load(forge.pki.certificateToPem(cert));
  return result;
}

const EMPTY = () => packedBytes(new Uint8Array(0));

/** The key argument, checked: a CryptoKey with a key; RSA only for the raw RSA operations. */
function rsaKey(value: Value, method: string, needPrivate: boolean, ctx: CallContext): CryptoKey | undefined {
  const key = value as CryptoKey | null;
  if (!key || key.isEmpty()) {
    ctx.warn(`Crypto.${method}: the key is empty.`);
    return undefined;
  }
  if (needPrivate && key.publicOnly) {
    ctx.warn(`Crypto.${method}: this needs a private key, and the CryptoKey holds only a public key.`);
    return undefined;
  }
  if (key.publicKeyObject().asymmetricKeyType !== 'rsa') {
    ctx.warn(`Crypto.${method}: the lab supports RSA keys here (Crypto.generate_rsa() makes one).`);
    return undefined;
  }
  return key;
}

function digestInfo(type: number, hash: Uint8Array, method: string, ctx: CallContext): Buffer | undefined {
  const info = DIGEST_INFO[type];
  if (!info) {
    ctx.warn(`Crypto.${method}: invalid hash type ${type}.`);
    return undefined;
  }
  if (hash.length !== info.size) {
    ctx.warn(`Crypto.${method}: a ${info.name} hash is ${info.size} bytes, got ${hash.length}. Pass the hash of the message (HashingContext), not the message.`);
    return undefined;
  }
  return Buffer.concat([info.prefix, hash]);
}

/** RSAES-PKCS1-v1_5 decryption, done by hand: Node refuses PKCS#1 v1.5 padding for privateDecrypt (CVE-2023-46809). */
function pkcs1Decrypt(key: CryptoKey, ciphertext: Uint8Array): Uint8Array | undefined {
  const em = privateDecrypt({ key: key.keyObject(), padding: constants.RSA_NO_PADDING }, ciphertext);
  if (em[0] !== 0 || em[1] !== 2) return undefined;
  const zero = em.indexOf(0, 2);
  if (zero < 10) return undefined;
  return new Uint8Array(em.subarray(zero + 1));
}

export const CryptoSpec: ClassSpec<Crypto> = {
  name: 'Crypto',
  inherits: RefCountedSpec,
  description:
    'Cryptographic helpers: random bytes, RSA keys, self-signed certificates, RSA signatures and encryption (PKCS#1 v1.5), HMAC and constant-time comparison.',
  construct: (runtime) => new Crypto(runtime),
  methods: {
    constant_time_compare: {
      params: [param('trusted', 'PackedByteArray'), param('received', 'PackedByteArray')],
      returns: 'bool',
      description: 'Compares two byte arrays in time that does not depend on their contents (for MACs and tokens); false when the sizes differ.',
      call(_self, [trusted, received]) {
        const a = bytesOf(trusted);
        const b = bytesOf(received);
        return a.length === b.length && timingSafeEqual(a, b);
      },
    },
    decrypt: {
      params: [param('key', 'CryptoKey'), param('ciphertext', 'PackedByteArray')],
      returns: 'PackedByteArray',
      description: 'Decrypts RSA (PKCS#1 v1.5) ciphertext with the private key.',
      call(_self, [keyValue, ciphertext], ctx) {
        const key = rsaKey(keyValue, 'decrypt', true, ctx);
        if (!key) return EMPTY();
        try {
          const plain = pkcs1Decrypt(key, bytesOf(ciphertext));
          if (plain) return packedBytes(plain);
        } catch {
          // reported below
        }
        ctx.warn('Crypto.decrypt: error while decrypting: the ciphertext does not fit this key.');
        return EMPTY();
      },
    },
    encrypt: {
      params: [param('key', 'CryptoKey'), param('plaintext', 'PackedByteArray')],
      returns: 'PackedByteArray',
      description: "Encrypts a short message with the key's public half (RSA PKCS#1 v1.5: at most the key size minus 11 bytes).",
      call(_self, [keyValue, plaintext], ctx) {
        const key = rsaKey(keyValue, 'encrypt', false, ctx);
        if (!key) return EMPTY();
        const data = bytesOf(plaintext);
        const max = (key.publicKeyObject().asymmetricKeyDetails?.modulusLength ?? 2048) / 8 - 11;
        if (data.length > max) {
          ctx.warn(`Crypto.encrypt: a ${max + 11}-byte RSA key encrypts at most ${max} bytes, got ${data.length}.`);
          return EMPTY();
        }
        return packedBytes(new Uint8Array(publicEncrypt({ key: key.publicKeyObject(), padding: constants.RSA_PKCS1_PADDING }, data)));
      },
    },
    generate_random_bytes: {
      params: [param('size', 'int')],
      returns: 'PackedByteArray',
      description: 'Cryptographically secure random bytes.',
      call(_self, [size]) {
        const n = toNumber(size);
        if (!(n >= 0 && n <= 1 << 20)) throw new ScriptError(`Crypto.generate_random_bytes: size ${n} is out of the sandbox's range (0 to 1048576).`);
        return packedBytes(new Uint8Array(randomBytes(n)));
      },
    },
    generate_rsa: {
      params: [param('size', 'int')],
      returns: 'CryptoKey',
      description: 'Generates an RSA private key of `size` bits (2048 is the usual choice).',
      call: (self, [size]) => generateRsa(self.runtime, toNumber(size)),
    },
    generate_self_signed_certificate: {
      params: [
        param('key', 'CryptoKey'),
        opt('issuer_name', 'String', 'CN=myserver,O=myorganisation,C=IT'),
        opt('not_before', 'String', '20140101000000'),
        opt('not_after', 'String', '20340101000000'),
      ],
      returns: 'X509Certificate',
      description:
        'Makes a certificate for `key`, signed by that same key. issuer_name is a comma-separated distinguished name ("CN=localhost,O=Lab,C=US"); the validity dates are YYYYMMDDhhmmss.',
      call(self, [key, issuer, notBefore, notAfter]) {
        if (key === null) throw new ScriptError('Crypto.generate_self_signed_certificate: key is null.');
        return selfSignedCertificate(self.runtime, key as CryptoKey, String(issuer), String(notBefore), String(notAfter));
      },
    },
    hmac_digest: {
      params: [param('hash_type', 'HashingContext.HashType'), param('key', 'PackedByteArray'), param('msg', 'PackedByteArray')],
      returns: 'PackedByteArray',
      description: 'The HMAC of msg with key, using HASH_SHA1 or HASH_SHA256.',
      call(_self, [type, key, msg], ctx) {
        const name = hmacHashName(toNumber(type));
        if (!name) {
          ctx.warn('Crypto.hmac_digest: unsupported hash type; HMAC supports HASH_SHA1 and HASH_SHA256.');
          return EMPTY();
        }
        if (bytesOf(key).length === 0) {
          ctx.warn('Crypto.hmac_digest: the key must not be empty.');
          return EMPTY();
        }
        return packedBytes(new Uint8Array(createHmac(name, bytesOf(key)).update(bytesOf(msg)).digest()));
      },
    },
    sign: {
      params: [param('hash_type', 'HashingContext.HashType'), param('hash', 'PackedByteArray'), param('key', 'CryptoKey')],
      returns: 'PackedByteArray',
      description: 'Signs a hash (computed with HashingContext) with the private key (RSA PKCS#1 v1.5).',
      call(_self, [type, hash, keyValue], ctx) {
        const key = rsaKey(keyValue, 'sign', true, ctx);
        const info = key && digestInfo(toNumber(type), bytesOf(hash), 'sign', ctx);
        if (!key || !info) return EMPTY();
        return packedBytes(new Uint8Array(privateEncrypt({ key: key.keyObject(), padding: constants.RSA_PKCS1_PADDING }, info)));
      },
    },
    verify: {
      params: [param('hash_type', 'HashingContext.HashType'), param('hash', 'PackedByteArray'), param('signature', 'PackedByteArray'), param('key', 'CryptoKey')],
      returns: 'bool',
      description: 'Whether `signature` is a valid signature of the hash by the key (its public half is enough).',
      call(_self, [type, hash, signature, keyValue], ctx) {
        const key = rsaKey(keyValue, 'verify', false, ctx);
        const info = key && digestInfo(toNumber(type), bytesOf(hash), 'verify', ctx);
        if (!key || !info) return false;
        try {
          const recovered = publicDecrypt({ key: key.publicKeyObject(), padding: constants.RSA_PKCS1_PADDING }, bytesOf(signature));
          return recovered.length === info.length && timingSafeEqual(recovered, info);
        } catch {
          return false;
        }
      },
    },
  },
};
