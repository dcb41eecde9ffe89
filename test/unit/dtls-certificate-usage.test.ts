// keyUsage / extKeyUsage of the peer's leaf (RFC 5280 §4.2.1.3, §4.2.1.12) on both sides, and the
// 'bad-signature' failure kind: a certificate in the chain whose signature does not verify (alert
// bad_certificate), a ServerKeyExchange or CertificateVerify signature that does not verify (alert
// decrypt_error). Certificates are made with node-forge (RSA) and the openssl CLI (ECDSA).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkServerCertificate, readCertificateUsage, type AlertEvent, type VerifyOptions } from '../../engine/dtls';
import { parseDatagram } from '../../engine/dtls/record-layer';
import { ecdsaCredentials, makeRsaCertificate, rsaCredentials, VirtualLink, type CertificateSpec, type Credentials, type LinkOptions, type Packet } from './dtls-helpers';

const UNSUPPORTED_CERTIFICATE = 43;
const BAD_CERTIFICATE = 42;
const DECRYPT_ERROR = 51;

const pemBody = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
const toPem = (der: Buffer) => `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

/** The same certificate with the last byte of its signature flipped (the TBS part is untouched). */
function tamperSignature(certificatePem: string): string {
  const der = Buffer.from(pemBody(certificatePem));
  der[der.length - 1] ^= 0x01;
  return toPem(der);
}

const memo = new Map<string, Credentials>();
function cached(key: string, make: () => Credentials): Credentials {
  let value = memo.get(key);
  if (!value) {
    value = make();
    memo.set(key, value);
  }
  return value;
}

function rsa(key: string, spec: CertificateSpec): Credentials {
  return cached(key, () => makeRsaCertificate(spec));
}

/** A P-256 certificate for localhost made by the openssl CLI with extra -addext lines. */
function ecdsaWith(key: string, ...addext: string[]): Credentials {
  return cached(key, () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtls-usage-'));
    try {
      execFileSync(
        'openssl',
        [
          'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
          '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '30', '-subj', '/CN=localhost',
          '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', ...addext.flatMap((line) => ['-addext', line]),
        ],
        { stdio: 'ignore', timeout: 10_000 },
      );
      return { certificatePem: readFileSync(join(dir, 'cert.pem'), 'utf8'), privateKeyPem: readFileSync(join(dir, 'key.pem'), 'utf8') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

function alerts(link: VirtualLink, who: 'client' | 'server', direction: 'sent' | 'received'): AlertEvent[] {
  return (link.eventsOf(who, 'alert') as AlertEvent[]).filter((alert) => alert.direction === direction);
}

function run(options: LinkOptions): VirtualLink {
  const link = new VirtualLink(options);
  link.handshake();
  return link;
}

function trusting(server: Credentials, trustedPem = server.certificatePem): LinkOptions {
  return { server, client: { verify: { mode: 'chain', trustedCaPems: [trustedPem], hostname: 'localhost' } } };
}

function failureOf(run: () => unknown): { kind: string; message: string; alert?: number } {
  try {
    run();
  } catch (error) {
    return error as { kind: string; message: string; alert?: number };
  }
  assert.fail('expected a failure');
}

const chain = (options: VerifyOptions, ...pems: string[]) => () => checkServerCertificate(pems.map(pemBody), options);

describe('DTLS certificate key usage (RFC 5280 §4.2.1.3, §4.2.1.12)', () => {
  it('reads keyUsage and extKeyUsage from the DER', () => {
    const cert = rsa('ku-ke-eku-cs', { keyUsage: { keyEncipherment: true, dataEncipherment: true }, extKeyUsage: ['clientAuth', 'codeSigning'] });
    assert.deepEqual(readCertificateUsage(new X509Certificate(cert.certificatePem).raw), {
      keyUsage: ['keyEncipherment', 'dataEncipherment'],
      extendedKeyUsage: ['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.3'],
    });
    const none = rsa('no-ku', { keyUsage: false });
    assert.deepEqual(readCertificateUsage(new X509Certificate(none.certificatePem).raw), {});
    // A bit in the second byte (decipherOnly) and the openssl CLI's encoding.
    const ec = ecdsaWith('ec-ka', 'keyUsage=critical,keyAgreement,decipherOnly', 'extendedKeyUsage=serverAuth,2.5.29.37.0');
    assert.deepEqual(readCertificateUsage(new X509Certificate(ec.certificatePem).raw), {
      keyUsage: ['keyAgreement', 'decipherOnly'],
      extendedKeyUsage: ['1.3.6.1.5.5.7.3.1', '2.5.29.37.0'],
    });
  });

  it('client: a server certificate whose keyUsage lacks digitalSignature fails with certificate-usage / unsupported_certificate', () => {
    const server = rsa('ku-ke', { keyUsage: { keyEncipherment: true } });
    const link = run(trusting(server));
    assert.equal(link.client.state, 'failed');
    assert.equal(link.client.failure?.kind, 'certificate-usage');
    assert.equal(
      link.client.failure?.message,
      'server certificate (CN=localhost) has keyUsage [keyEncipherment] without digitalSignature, which signing the ServerKeyExchange (all our certificate suites are ECDHE) needs (RFC 5280 §4.2.1.3)',
    );
    assert.deepEqual(alerts(link, 'client', 'sent').map((a) => `${a.level} ${a.description} ${a.code}`), [`fatal unsupported_certificate ${UNSUPPORTED_CERTIFICATE}`]);
    assert.equal(link.serverConnection?.failure?.kind, 'peer-alert');
    assert.equal(link.serverConnection?.failure?.alert, 'unsupported_certificate');
  });

  it('client: an ECDSA server certificate with keyUsage keyAgreement only (an ECDH certificate) fails the same way', () => {
    const server = ecdsaWith('ec-ka-only', 'keyUsage=critical,keyAgreement');
    const link = run(trusting(server));
    assert.equal(link.client.failure?.kind, 'certificate-usage');
    assert.match(link.client.failure!.message, /keyUsage \[keyAgreement\] without digitalSignature/);
  });

  it('client: a server certificate with extKeyUsage clientAuth only fails with certificate-usage, naming serverAuth', () => {
    const server = rsa('eku-client', { extKeyUsage: ['clientAuth'] });
    const link = run(trusting(server));
    assert.equal(link.client.failure?.kind, 'certificate-usage');
    assert.equal(
      link.client.failure?.message,
      'server certificate (CN=localhost) has extendedKeyUsage [clientAuth] without serverAuth, which a TLS server certificate needs (RFC 5280 §4.2.1.12)',
    );
    assert.equal(link.serverConnection?.failure?.alert, 'unsupported_certificate');
  });

  it('client: accepts serverAuth, anyExtendedKeyUsage, digitalSignature alone, and certificates without the extensions', () => {
    const accepted: Array<[string, CertificateSpec]> = [
      ['eku-server', { extKeyUsage: ['serverAuth', 'clientAuth'], keyUsage: { digitalSignature: true } }],
      ['eku-any', { extKeyUsage: ['2.5.29.37.0'] }],
      ['ku-ds', { keyUsage: { digitalSignature: true } }],
      ['no-ku', { keyUsage: false }],
    ];
    for (const [key, spec] of accepted) {
      const link = run(trusting(rsa(key, spec)));
      assert.equal(link.client.state, 'connected', `${key}: ${link.client.failure?.message}`);
    }
  });

  it("client: mode 'none' checks no key usage", () => {
    const link = run({ server: rsa('eku-client', { extKeyUsage: ['clientAuth'] }), client: { verify: { mode: 'none' } } });
    assert.equal(link.client.state, 'connected', link.client.failure?.message);
  });

  it('server: a client certificate needs clientAuth when it has extKeyUsage, and digitalSignature when it has keyUsage', () => {
    const ca = rsa('client-ca', { commonName: 'Player CA', isCa: true });
    const cases: Array<[string, CertificateSpec, string | undefined]> = [
      ['client-eku-server', { commonName: 'player-1', issuer: ca, extKeyUsage: ['serverAuth'] }, 'client certificate (CN=player-1) has extendedKeyUsage [serverAuth] without clientAuth, which a TLS client certificate needs (RFC 5280 §4.2.1.12)'],
      ['client-ku-ke', { commonName: 'player-1', issuer: ca, keyUsage: { keyEncipherment: true } }, 'client certificate (CN=player-1) has keyUsage [keyEncipherment] without digitalSignature, which signing CertificateVerify needs (RFC 5280 §4.2.1.3)'],
      ['client-eku-client', { commonName: 'player-1', issuer: ca, extKeyUsage: ['clientAuth'] }, undefined],
    ];
    for (const [key, spec, failure] of cases) {
      const player = rsa(key, spec);
      const link = run({
        server: ecdsaCredentials(),
        serverOptions: { requestClientCertificate: { trustedCaPems: [ca.certificatePem], required: true } },
        client: { certificatePem: player.certificatePem, privateKeyPem: player.privateKeyPem },
      });
      if (failure === undefined) {
        assert.equal(link.serverConnection?.state, 'connected', `${key}: ${link.serverConnection?.failure?.message}`);
        continue;
      }
      assert.equal(link.serverConnection?.failure?.kind, 'certificate-usage', key);
      assert.equal(link.serverConnection?.failure?.message, failure);
      assert.deepEqual(alerts(link, 'server', 'sent').map((a) => a.code), [UNSUPPORTED_CERTIFICATE]);
      assert.equal(link.client.failure?.kind, 'peer-alert');
      assert.equal(link.client.failure?.alert, 'unsupported_certificate');
    }
  });
});

describe("DTLS 'bad-signature': certificates, ServerKeyExchange, CertificateVerify", () => {
  const ca = () => rsa('lab-ca', { commonName: 'Lab Test CA', isCa: true });
  const leaf = () => rsa('lab-leaf', { issuer: ca() });

  it('a leaf whose signature was altered fails with bad-signature and bad_certificate, not untrusted-certificate', () => {
    const tampered = { certificatePem: tamperSignature(leaf().certificatePem), privateKeyPem: leaf().privateKeyPem };
    const link = run(trusting({ certificatePem: tampered.certificatePem + ca().certificatePem, privateKeyPem: tampered.privateKeyPem }, ca().certificatePem));
    assert.equal(link.client.failure?.kind, 'bad-signature');
    assert.equal(
      link.client.failure?.message,
      'the signature of the server certificate (CN=localhost) does not verify with the key of its issuer (CN=Lab Test CA, trusted): the certificate was altered or signed by another key',
    );
    assert.deepEqual(alerts(link, 'client', 'sent').map((a) => a.code), [BAD_CERTIFICATE]);
    assert.equal(link.serverConnection?.failure?.alert, 'bad_certificate');

    // Control: the genuine chain connects.
    const genuine = run(trusting({ certificatePem: leaf().certificatePem + ca().certificatePem, privateKeyPem: leaf().privateKeyPem }, ca().certificatePem));
    assert.equal(genuine.client.state, 'connected', genuine.client.failure?.message);
  });

  it('an intermediate CA whose signature was altered fails with bad-signature naming the CA certificate', () => {
    const root = rsa('root', { commonName: 'Lab Root', isCa: true });
    const intermediate = rsa('intermediate', { commonName: 'Lab Intermediate', isCa: true, issuer: root });
    const server = rsa('leaf-of-intermediate', { issuer: intermediate });
    const verify: VerifyOptions = { mode: 'chain', trustedCaPems: [root.certificatePem], hostname: 'localhost' };

    assert.doesNotThrow(chain(verify, server.certificatePem, intermediate.certificatePem));
    const failure = failureOf(chain(verify, server.certificatePem, tamperSignature(intermediate.certificatePem)));
    assert.equal(failure.kind, 'bad-signature');
    assert.equal(failure.alert, BAD_CERTIFICATE);
    assert.equal(
      failure.message,
      'the signature of the CA certificate (CN=Lab Intermediate) does not verify with the key of its issuer (CN=Lab Root, trusted): the certificate was altered or signed by another key',
    );
    // A trusted root that is not the issuer at all stays untrusted-certificate.
    const stranger = rsa('stranger-ca', { commonName: 'Stranger CA', isCa: true });
    const untrusted = failureOf(chain({ ...verify, trustedCaPems: [stranger.certificatePem] }, server.certificatePem, intermediate.certificatePem));
    assert.equal(untrusted.kind, 'untrusted-certificate');
  });

  it('an altered copy of a trusted self-signed certificate is bad-signature; another self-signed certificate of the same name is untrusted', () => {
    const original = rsaCredentials();
    const verify: VerifyOptions = { mode: 'chain', trustedCaPems: [original.certificatePem], hostname: 'localhost' };
    const altered = failureOf(chain(verify, tamperSignature(original.certificatePem)));
    assert.equal(altered.kind, 'bad-signature');
    assert.match(altered.message, /signature of the server certificate \(CN=localhost\) does not verify with the key of its issuer \(CN=localhost, trusted\)/);
    // ecdsaCredentials() is also CN=localhost, validly self-signed: not trusted, but no bad signature.
    assert.equal(failureOf(chain(verify, ecdsaCredentials().certificatePem)).kind, 'untrusted-certificate');
  });

  /** Flips the last byte of the handshake message `msgType` (unfragmented, epoch 0) in datagrams going `direction`. */
  function tamperMessage(direction: Packet['direction'], msgType: number, link: () => VirtualLink): (packet: Packet) => 'deliver' | 'drop' {
    let done = false;
    return (packet) => {
      if (done || packet.direction !== direction) return 'deliver';
      const copy = Buffer.from(packet.data);
      let offset = 0;
      for (const record of parseDatagram(copy).records) {
        const start = offset + 13;
        offset += record.wireLength;
        if (record.contentType !== 22 || record.epoch !== 0 || record.fragment[0] !== msgType) continue;
        copy[start + record.fragment.length - 1] ^= 0x01;
        done = true;
        link().inject(direction === 'to-client' ? 'client' : 'server', copy);
        return 'drop';
      }
      return 'deliver';
    };
  }

  it('a ServerKeyExchange signature that does not verify fails with bad-signature and decrypt_error', () => {
    for (const credentials of [ecdsaCredentials(), rsaCredentials()]) {
      const link: VirtualLink = new VirtualLink({ ...trusting(credentials), filter: tamperMessage('to-client', 12, () => link) });
      link.handshake();
      assert.equal(link.client.failure?.kind, 'bad-signature');
      assert.match(
        link.client.failure!.message,
        /^the ServerKeyExchange signature \((ecdsa_secp256r1_sha256|rsa_pss_rsae_sha256)\) does not verify with the public key of the server certificate \(CN=localhost\): the server's private key does not belong to its certificate, or the message was altered$/,
      );
      const sent = alerts(link, 'client', 'sent');
      assert.deepEqual(sent.map((a) => a.code), [DECRYPT_ERROR]);
      assert.equal(sent[0]!.meaning, 'a signature or Finished check failed');
      assert.equal(link.serverConnection?.failure?.alert, 'decrypt_error');
    }
  });

  it('a CertificateVerify signature that does not verify fails the server with bad-signature and decrypt_error', () => {
    const ca = rsa('client-ca', { commonName: 'Player CA', isCa: true });
    const player = rsa('client-eku-client', { commonName: 'player-1', issuer: ca, extKeyUsage: ['clientAuth'] });
    const link: VirtualLink = new VirtualLink({
      server: ecdsaCredentials(),
      serverOptions: { requestClientCertificate: { trustedCaPems: [ca.certificatePem], required: true } },
      client: { certificatePem: player.certificatePem, privateKeyPem: player.privateKeyPem },
      filter: tamperMessage('to-server', 15, () => link),
    });
    link.handshake();
    assert.equal(link.serverConnection?.failure?.kind, 'bad-signature');
    assert.match(
      link.serverConnection!.failure!.message,
      /^the client's CertificateVerify signature \(\w+\) does not verify with the public key of its certificate \(CN=player-1\)/,
    );
    assert.deepEqual(alerts(link, 'server', 'sent').map((a) => a.code), [DECRYPT_ERROR]);
    assert.equal(link.client.failure?.alert, 'decrypt_error');
  });

  it('records the server cannot open during the handshake stay decrypt-error (bad_record_mac), not bad-signature', () => {
    // Flip a byte of the client's encrypted Finished: the server cannot open it and, after the
    // retransmission fails the same way, gives up with decrypt-error / bad_record_mac.
    let flips = 0;
    const link = run({
      server: ecdsaCredentials(),
      filter: (packet) => {
        if (packet.direction !== 'to-server') return 'deliver';
        const records = parseDatagram(packet.data).records;
        if (records.some((r) => r.epoch === 1 && r.contentType === 22)) {
          packet.data[packet.data.length - 1] ^= 0x01;
          flips++;
        }
        return 'deliver';
      },
    });
    assert.ok(flips >= 2);
    assert.equal(link.serverConnection?.failure?.kind, 'decrypt-error');
    assert.deepEqual(alerts(link, 'server', 'sent').map((a) => a.description), ['bad_record_mac']);
  });
});
