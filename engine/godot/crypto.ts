// Crypto: key and self-signed certificate generation and random bytes, as Godot's Crypto class does
// them. Keys come from Node's crypto; the certificate is assembled and signed with node-forge.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { ScriptError } from '../gdscript/host';
import { CryptoKey } from './crypto-key';
import { GodotObject, type ClassSpec } from './method-table';
import type { GodotRuntime } from './runtime';
import { packedBytes, toNumber } from './variant';
import { X509Certificate } from './x509-certificate';

const NAME_ATTRIBUTES = new Set(['CN', 'O', 'OU', 'C', 'L', 'ST', 'E', 'emailAddress']);

export class Crypto extends GodotObject {
  constructor(runtime: GodotRuntime) {
    super(CryptoSpec, runtime);
  }
}

function generateRsa(runtime: GodotRuntime, bits: number): CryptoKey {
  if (!Number.isInteger(bits) || bits < 1024 || bits > 8192) throw new ScriptError(`Crypto.generate_rsa: unsupported key size ${bits}; use 2048, 3072 or 4096.`);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const key = new CryptoKey(runtime);
  key.keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
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
  cert.sign(privateKey, forge.md.sha256.create());
  const result = new X509Certificate(runtime);
  result.load(forge.pki.certificateToPem(cert));
  return result;
}

export const CryptoSpec: ClassSpec<Crypto> = {
  name: 'Crypto',
  construct: (runtime) => new Crypto(runtime),
  methods: {
    generate_rsa: {
      params: [{ name: 'size', type: 'int' }],
      returns: 'CryptoKey',
      call: (self, [size]) => generateRsa(self.runtime, toNumber(size)),
    },
    generate_self_signed_certificate: {
      params: [
        { name: 'key', type: 'CryptoKey' },
        { name: 'issuer_name', type: 'String', default: () => 'CN=myserver,O=myorganisation,C=IT' },
        { name: 'not_before', type: 'String', default: () => '20140101000000' },
        { name: 'not_after', type: 'String', default: () => '20340101000000' },
      ],
      returns: 'X509Certificate',
      call(self, [key, issuer, notBefore, notAfter]) {
        if (key === null) throw new ScriptError('Crypto.generate_self_signed_certificate: key is null.');
        return selfSignedCertificate(self.runtime, key as CryptoKey, String(issuer), String(notBefore), String(notAfter));
      },
    },
    generate_random_bytes: {
      params: [{ name: 'size', type: 'int' }],
      returns: 'PackedByteArray',
      call: (_self, [size]) => packedBytes(new Uint8Array(randomBytes(Math.max(0, toNumber(size))))),
    },
  },
};
