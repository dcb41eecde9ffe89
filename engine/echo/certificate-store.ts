// The echo server's certificate: generated once into a config folder and reused on later starts,
// or the user's own --cert/--key. Keys come from Node's crypto with PEM encoding requested at
// generation (exporting a freshly generated KeyObject can deadlock Node 20); the certificate is
// assembled with node-forge. node-forge signs only RSA, so for ECDSA (P-256) the to-be-signed
// structure forge builds gets the EC public key swapped in and is signed with Node's crypto.

import { generateKeyPairSync, sign, X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export type KeyType = 'rsa' | 'ecdsa';

export interface StoredCertificate {
  certificatePem: string;
  privateKeyPem: string;
  certPath: string;
  keyPath: string;
  /** true when this call generated the files. */
  created: boolean;
  /** SHA-256 fingerprint, colon-separated upper-case hex (as openssl x509 -fingerprint prints it). */
  fingerprint: string;
  keyType: KeyType;
}

/** `$XDG_CONFIG_HOME/godot-dtls-lab`, else `~/.config/godot-dtls-lab`. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.trim() !== '' ? xdg : join(env.HOME || homedir(), '.config'), 'godot-dtls-lab');
}

export function certificateFingerprint(certificatePem: string): string {
  return new X509Certificate(certificatePem).fingerprint256;
}

export interface CertificateStoreOptions {
  configDir: string;
  keyType?: KeyType;
  /** Use these files instead of the stored certificate (both or neither). */
  certPath?: string;
  keyPath?: string;
  /** Generate a new certificate even when one is stored (`dtls-lab cert --force`). */
  renew?: boolean;
  now?: () => Date;
}

export class CertificateError extends Error {}

/** Where the store keeps the certificate and key of `keyType` in `configDir`. */
export function storedCertificatePaths(configDir: string, keyType: KeyType): { certPath: string; keyPath: string } {
  return { certPath: join(configDir, `echo-server-${keyType}.crt`), keyPath: join(configDir, `echo-server-${keyType}.key`) };
}

/** Loads the stored certificate of `keyType` from `configDir`, generating it on first use (or when `renew`). */
export function loadOrCreateCertificate(options: CertificateStoreOptions): StoredCertificate {
  if ((options.certPath === undefined) !== (options.keyPath === undefined)) throw new CertificateError('--cert and --key go together');
  if (options.certPath !== undefined && options.keyPath !== undefined) {
    let certificatePem: string;
    let privateKeyPem: string;
    try {
      certificatePem = readFileSync(options.certPath, 'utf8');
      privateKeyPem = readFileSync(options.keyPath, 'utf8');
    } catch (error) {
      throw new CertificateError(`cannot read the certificate or key: ${(error as Error).message}`);
    }
    return { ...checkPair(certificatePem, privateKeyPem), certPath: options.certPath, keyPath: options.keyPath, created: false };
  }
  const keyType = options.keyType ?? 'rsa';
  const { certPath, keyPath } = storedCertificatePaths(options.configDir, keyType);
  if (!options.renew && existsSync(certPath) && existsSync(keyPath)) {
    const stored = checkPair(readFileSync(certPath, 'utf8'), readFileSync(keyPath, 'utf8'));
    return { ...stored, certPath, keyPath, created: false };
  }
  const generated = generateCertificate(keyType, options.now?.() ?? new Date());
  mkdirSync(options.configDir, { recursive: true });
  writeFileSync(keyPath, generated.privateKeyPem, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, generated.certificatePem);
  return { ...generated, certPath, keyPath, created: true, fingerprint: certificateFingerprint(generated.certificatePem), keyType };
}

function checkPair(certificatePem: string, privateKeyPem: string): { certificatePem: string; privateKeyPem: string; fingerprint: string; keyType: KeyType } {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (error) {
    throw new CertificateError(`not a PEM certificate: ${(error as Error).message}`);
  }
  let keyType: KeyType;
  try {
    const key = createPrivateKey(privateKeyPem);
    if (!certificate.checkPrivateKey(key)) throw new CertificateError('the private key does not belong to the certificate');
    keyType = key.asymmetricKeyType === 'ec' ? 'ecdsa' : 'rsa';
  } catch (error) {
    if (error instanceof CertificateError) throw error;
    throw new CertificateError(`not a PEM private key: ${(error as Error).message}`);
  }
  return { certificatePem, privateKeyPem, fingerprint: certificate.fingerprint256, keyType };
}

const DAY = 24 * 60 * 60 * 1000;
const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

/** A self-signed certificate for localhost: CN and DNS SAN "localhost", IP SAN 127.0.0.1, 10 years. */
export function generateCertificate(keyType: KeyType, now = new Date()): { certificatePem: string; privateKeyPem: string } {
  const pair =
    keyType === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
      : generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const cert = forge.pki.createCertificate();
  if (keyType === 'rsa') {
    const privateKey = forge.pki.privateKeyFromPem(pair.privateKey) as forge.pki.rsa.PrivateKey;
    cert.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  } else {
    // Placeholder so that forge can build the structure; replaced by the EC key below.
    cert.publicKey = forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger('3'), new forge.jsbn.BigInteger('65537'));
  }
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  cert.validity.notBefore = new Date(now.getTime() - DAY);
  cert.validity.notAfter = new Date(now.getTime() + 3650 * DAY);
  const name = [
    { name: 'commonName', value: 'localhost' },
    { name: 'organizationName', value: 'Godot DTLS Lab echo server' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: keyType === 'rsa', keyCertSign: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
      ],
    },
  ]);
  if (keyType === 'rsa') {
    cert.sign(forge.pki.privateKeyFromPem(pair.privateKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
    return { certificatePem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'), privateKeyPem: pair.privateKey };
  }
  const asn1 = forge.asn1;
  (cert as unknown as { siginfo: { algorithmOid: string } }).siginfo.algorithmOid = OID_ECDSA_WITH_SHA256;
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const algorithm = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(OID_ECDSA_WITH_SHA256).getBytes()),
  ]);
  const spkiDer = Buffer.from(pair.publicKey.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const spki = asn1.fromDer(forge.util.createBuffer(spkiDer.toString('binary')));
  const fields = tbs.value as forge.asn1.Asn1[];
  // TBSCertificate: [0] version, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, [3] extensions
  fields[2] = algorithm;
  fields[6] = spki;
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = sign('sha256', tbsDer, pair.privateKey);
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(OID_ECDSA_WITH_SHA256).getBytes()),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(0) + signature.toString('binary')),
  ]);
  const der = Buffer.from(asn1.toDer(certificate).getBytes(), 'binary');
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return { certificatePem: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`, privateKeyPem: pair.privateKey };
}
