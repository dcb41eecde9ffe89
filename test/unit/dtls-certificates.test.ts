// Client-side certificate checks: trust, validity, host name; each failure kind is distinct.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkServerCertificate, type DtlsEvent } from '../../engine/dtls';
import { ecdsaCredentials, makeRsaCertificate, rsaCredentials, VirtualLink, type Credentials } from './dtls-helpers';

const DAY = 24 * 60 * 60 * 1000;

function derChain(...credentials: Credentials[]): Buffer[] {
  return credentials.map((c) => {
    const body = c.certificatePem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    return Buffer.from(body, 'base64');
  });
}

function failureOf(run: () => unknown): { kind: string; message: string } {
  try {
    run();
  } catch (error) {
    return error as { kind: string; message: string };
  }
  assert.fail('expected a failure');
}

describe('DTLS certificate checking', () => {
  it('fails with hostname-mismatch, naming expected and found names, and alerts the server', () => {
    const link = new VirtualLink({
      server: rsaCredentials(),
      client: { verify: { mode: 'chain', trustedCaPems: [rsaCredentials().certificatePem], hostname: 'example.com' } },
    });
    link.handshake();
    assert.equal(link.client.state, 'failed');
    assert.equal(link.client.failure?.kind, 'hostname-mismatch');
    assert.equal(link.client.failure?.message, "certificate is for CN=localhost, SAN [localhost, 127.0.0.1], not for 'example.com'");
    const sent = link.eventsOf('client', 'alert') as Array<Extract<DtlsEvent, { type: 'alert' }>>;
    assert.deepEqual(sent.map((a) => `${a.direction} ${a.level} ${a.description} ${a.code}`), ['sent fatal bad_certificate 42']);
    assert.equal(link.serverConnection?.state, 'failed');
    assert.equal(link.serverConnection?.failure?.kind, 'peer-alert');
    assert.equal(link.serverConnection?.failure?.alert, 'bad_certificate');
  });

  it('matches IP addresses against IP SANs', () => {
    const link = new VirtualLink({
      server: ecdsaCredentials(),
      client: { serverName: '127.0.0.1', verify: { mode: 'chain', trustedCaPems: [ecdsaCredentials().certificatePem], hostname: '127.0.0.1' } },
    });
    link.handshake();
    assert.equal(link.client.state, 'connected', link.client.failure?.message);
    // No server_name for an IP literal.
    assert.equal(link.serverConnection?.negotiated?.serverName, undefined);
  });

  it('fails with untrusted-certificate when another certificate is trusted', () => {
    const link = new VirtualLink({
      server: rsaCredentials(),
      client: { verify: { mode: 'chain', trustedCaPems: [ecdsaCredentials().certificatePem], hostname: 'localhost' } },
    });
    link.handshake();
    assert.equal(link.client.failure?.kind, 'untrusted-certificate');
    assert.match(link.client.failure!.message, /self-signed and not in the trusted set/);
    assert.equal(link.serverConnection?.failure?.alert, 'unknown_ca');
  });

  it("fails with untrusted-certificate for a self-signed server under 'system' trust", () => {
    const link = new VirtualLink({
      server: rsaCredentials(),
      client: { verify: { mode: 'chain', trustedCaPems: 'system', hostname: 'localhost' } },
    });
    link.handshake();
    assert.equal(link.client.failure?.kind, 'untrusted-certificate');
  });

  it("accepts anything with mode 'none' (but still checks the ServerKeyExchange signature)", () => {
    const link = new VirtualLink({ server: rsaCredentials(), client: { verify: { mode: 'none' } } });
    link.handshake();
    assert.equal(link.client.state, 'connected');
  });

  it('fails with expired-certificate for an expired but trusted certificate', () => {
    const expired = makeRsaCertificate({ notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
    const link = new VirtualLink({
      server: expired,
      client: { verify: { mode: 'chain', trustedCaPems: [expired.certificatePem], hostname: 'localhost' } },
    });
    link.handshake();
    assert.equal(link.client.failure?.kind, 'expired-certificate');
    assert.match(link.client.failure!.message, /server certificate expired on/);
    assert.equal(link.serverConnection?.failure?.alert, 'certificate_expired');
  });

  it('builds a path through a CA: leaf + CA sent, only the CA trusted', () => {
    const ca = makeRsaCertificate({ commonName: 'Lab Test CA', isCa: true });
    const leaf = makeRsaCertificate({ commonName: 'localhost', issuer: ca });
    const server = { certificatePem: leaf.certificatePem + ca.certificatePem, privateKeyPem: leaf.privateKeyPem };
    const link = new VirtualLink({ server, client: { verify: { mode: 'chain', trustedCaPems: [ca.certificatePem], hostname: 'localhost' } } });
    link.handshake();
    assert.equal(link.client.state, 'connected', link.client.failure?.message);

    // Same chain, different CA trusted.
    const otherCa = makeRsaCertificate({ commonName: 'Other CA', isCa: true });
    const failure = failureOf(() =>
      checkServerCertificate(derChain(leaf, ca), { mode: 'chain', trustedCaPems: [otherCa.certificatePem], hostname: 'localhost' }),
    );
    assert.equal(failure.kind, 'untrusted-certificate');
    assert.match(failure.message, /CN=Lab Test CA/);
  });

  it('reports not-yet-valid and checks validity at a chosen time', () => {
    const credentials = rsaCredentials();
    const early = failureOf(() =>
      checkServerCertificate(derChain(credentials), {
        mode: 'chain',
        trustedCaPems: [credentials.certificatePem],
        at: () => new Date(Date.now() - 100 * DAY),
      }),
    );
    assert.equal(early.kind, 'not-yet-valid-certificate');
  });
});
