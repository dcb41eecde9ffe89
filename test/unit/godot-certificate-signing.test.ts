// Crypto.generate_self_signed_certificate() signs with Node's crypto: the same certificate, byte for
// byte, as node-forge's own cert.sign() makes, and one that OpenSSL verifies.

import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import forge from 'node-forge';
import { signCertificateSha256 } from '../../engine/godot/certificate-signing';

function unsignedCertificate(privateKeyPem: string): forge.pki.Certificate {
  const key = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01a1b2c3d4e5f60718';
  cert.validity.notBefore = new Date(Date.UTC(2024, 0, 1));
  cert.validity.notAfter = new Date(Date.UTC(2034, 0, 1));
  const name = [{ shortName: 'CN', value: 'localhost' }, { shortName: 'O', value: 'Lab' }, { shortName: 'C', value: 'US' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true }, { name: 'subjectKeyIdentifier' }]);
  return cert;
}

test('signCertificateSha256 makes the certificate forge makes, and OpenSSL verifies it', () => {
  for (const format of ['pkcs1', 'pkcs8'] as const) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: format, format: 'pem' },
    });
    const byForge = unsignedCertificate(privateKey);
    byForge.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
    const byNode = unsignedCertificate(privateKey);
    signCertificateSha256(byNode, privateKey);
    const pem = forge.pki.certificateToPem(byNode);
    assert.equal(pem, forge.pki.certificateToPem(byForge), format);
    const x509 = new X509Certificate(pem);
    assert.equal(x509.verify(x509.publicKey), true);
    assert.equal(x509.publicKey.export({ type: 'spki', format: 'pem' }), publicKey);
    assert.match(x509.subject, /CN=localhost/);
  }
});
