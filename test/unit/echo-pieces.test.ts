// Unit tests of the echo server's pieces: certificate store, printed snippet, token bucket,
// session table expiry (fake clock), impairment and argument parsing.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CertificateError, defaultConfigDir, loadOrCreateCertificate } from '../../engine/echo/certificate-store';
import { godot4ClientSnippet, opensslClientCommand, gnutlsClientCommand } from '../../engine/echo/godot-snippet';
import { TokenBucketLimiter } from '../../engine/echo/rate-limit';
import { SessionTable } from '../../engine/echo/session-table';
import { sourceOf } from '../../engine/echo/session-stats';
import { Impairment } from '../../engine/echo/impairment';
import { DropCounters } from '../../engine/echo/drop-counters';
import { isLoopback, parseEchoArguments, EchoUsageError } from '../../engine/cli/echo-command';
import { parse } from '../../engine/gdscript';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'echo-unit-'));
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

class FakeClock {
  constructor(public t = 1000) {}
  now(): number {
    return this.t;
  }
}

describe('echo certificate store', () => {
  it('creates an RSA-2048 certificate once (CN/SAN localhost, IP SAN 127.0.0.1) and reuses it', () => {
    const dir = join(tempDir(), 'nested', 'config');
    const first = loadOrCreateCertificate({ configDir: dir });
    assert.equal(first.created, true);
    assert.equal(first.keyType, 'rsa');
    const x509 = new X509Certificate(first.certificatePem);
    assert.match(x509.subject, /CN=localhost/);
    assert.equal(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
    assert.equal(x509.checkHost('localhost'), 'localhost');
    assert.equal(x509.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(x509.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.ok(x509.verify(x509.publicKey), 'self-signed');
    assert.equal(first.fingerprint, x509.fingerprint256);
    assert.equal(statSync(first.keyPath).mode & 0o777, 0o600);
    const second = loadOrCreateCertificate({ configDir: dir });
    assert.equal(second.created, false);
    assert.equal(second.certificatePem, first.certificatePem);
    assert.equal(second.fingerprint, first.fingerprint);
  });

  it('creates an ECDSA P-256 certificate (forge structure, signed by Node) that verifies', () => {
    const dir = tempDir();
    const stored = loadOrCreateCertificate({ configDir: dir, keyType: 'ecdsa' });
    const x509 = new X509Certificate(stored.certificatePem);
    assert.equal(stored.keyType, 'ecdsa');
    assert.equal(x509.publicKey.asymmetricKeyType, 'ec');
    assert.equal(x509.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(x509.verify(x509.publicKey));
    assert.equal(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
    assert.notEqual(stored.certPath, loadOrCreateCertificate({ configDir: dir }).certPath, 'RSA and ECDSA are stored apart');
  });

  it('uses --cert/--key files and rejects a key that does not match', () => {
    const a = loadOrCreateCertificate({ configDir: tempDir() });
    const b = loadOrCreateCertificate({ configDir: tempDir(), keyType: 'ecdsa' });
    const own = loadOrCreateCertificate({ configDir: '/nonexistent', certPath: a.certPath, keyPath: a.keyPath });
    assert.equal(own.fingerprint, a.fingerprint);
    assert.throws(() => loadOrCreateCertificate({ configDir: '/x', certPath: a.certPath, keyPath: b.keyPath }), CertificateError);
    const garbage = join(tempDir(), 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    assert.throws(() => loadOrCreateCertificate({ configDir: '/x', certPath: garbage, keyPath: a.keyPath }), /not a PEM certificate/);
    assert.throws(() => loadOrCreateCertificate({ configDir: '/x', certPath: a.certPath }), /go together/);
  });

  it('defaults to $XDG_CONFIG_HOME/godot-dtls-lab, else ~/.config/godot-dtls-lab', () => {
    assert.equal(defaultConfigDir({ XDG_CONFIG_HOME: '/xdg', HOME: '/home/u' }), '/xdg/godot-dtls-lab');
    assert.equal(defaultConfigDir({ HOME: '/home/u' }), '/home/u/.config/godot-dtls-lab');
  });
});

describe('echo printed snippet', () => {
  const stored = loadOrCreateCertificate({ configDir: tempDir() });
  it('is a Godot 4 client that pins exactly this certificate inline and checks host name localhost', () => {
    const text = godot4ClientSnippet({ certificatePem: stored.certificatePem, port: 4242 });
    assert.ok(text.includes(`"""${stored.certificatePem.trim()}"""`), 'the PEM is inline in a triple-quoted string');
    assert.match(text, /X509Certificate\.new\(\)/);
    assert.match(text, /cert\.load_from_string\(SERVER_CERT\)/);
    assert.match(text, /udp\.connect_to_host\("127\.0\.0\.1", 4242\)/);
    assert.match(text, /dtls\.connect_to_peer\(udp, "localhost", TLSOptions\.client\(cert\)\)/);
    assert.match(text, /func _process\(_delta\):\n\tdtls\.poll\(\)/);
    const { errors } = parse(text);
    assert.deepEqual(errors, [], 'the snippet parses');
  });

  it('prints the matching openssl and gnutls command lines', () => {
    assert.equal(opensslClientCommand(4242, '/c/cert.crt'), 'openssl s_client -dtls1_2 -connect 127.0.0.1:4242 -CAfile /c/cert.crt -verify_return_error');
    assert.equal(opensslClientCommand(5, "/my dir/it's.crt"), `openssl s_client -dtls1_2 -connect 127.0.0.1:5 -CAfile '/my dir/it'\\''s.crt' -verify_return_error`);
    assert.equal(gnutlsClientCommand(4242, '/c/cert.crt'), 'gnutls-cli --udp -p 4242 127.0.0.1 --x509cafile /c/cert.crt');
  });
});

describe('echo rate limiter (token bucket)', () => {
  it('allows a burst, then the refill rate, per source', () => {
    const clock = new FakeClock();
    const limiter = new TokenBucketLimiter({ ratePerSecond: 10, burst: 3, clock });
    assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('a')), [true, true, true, false]);
    assert.equal(limiter.take('b'), true, 'sources are independent');
    clock.t += 100; // one token
    assert.equal(limiter.take('a'), true);
    assert.equal(limiter.take('a'), false);
    clock.t += 10_000;
    assert.equal(limiter.available('a'), 3, 'never above the burst');
    limiter.prune();
    assert.equal(limiter.trackedSources, 0, 'full buckets are forgotten');
  });

  it('keeps at most maxSources buckets', () => {
    const clock = new FakeClock();
    const limiter = new TokenBucketLimiter({ ratePerSecond: 1, burst: 1, clock, maxSources: 100 });
    for (let i = 0; i < 10_000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`);
    assert.ok(limiter.trackedSources <= 100);
  });

  it('rejects nonsense settings', () => {
    assert.throws(() => new TokenBucketLimiter({ ratePerSecond: 0, burst: 1, clock: new FakeClock() }), RangeError);
    assert.throws(() => new TokenBucketLimiter({ ratePerSecond: 1, burst: 0, clock: new FakeClock() }), RangeError);
  });
});

describe('echo session table', () => {
  it('expires idle sessions by the (fake) clock; activity keeps a session alive', () => {
    const clock = new FakeClock();
    const table = new SessionTable<string>({ clock, idleTimeoutMs: 60_000, maxSessions: 10, maxSessionsPerSource: 5 });
    table.add('127.0.0.1:1000', 'a');
    table.add('127.0.0.1:1001', 'b');
    clock.t += 30_000;
    table.touch('127.0.0.1:1001');
    clock.t += 30_000;
    assert.deepEqual(table.idle().map((s) => s.value), ['a']);
    clock.t += 29_999;
    assert.deepEqual(table.idle().map((s) => s.value), ['a']);
    clock.t += 1;
    assert.deepEqual(table.idle().map((s) => s.value).sort(), ['a', 'b']);
  });

  it('keys by address and port, and caps sessions in total and per source', () => {
    const clock = new FakeClock();
    const table = new SessionTable<number>({ clock, idleTimeoutMs: 1000, maxSessions: 3, maxSessionsPerSource: 2 });
    table.add('127.0.0.1:1', 1);
    assert.equal(table.admit('127.0.0.1'), 'ok');
    table.add('127.0.0.1:2', 2);
    assert.equal(table.get('127.0.0.1:1')?.value, 1);
    assert.equal(table.get('127.0.0.1:2')?.value, 2);
    assert.equal(table.admit('127.0.0.1'), 'source-cap');
    assert.equal(table.admit('127.0.0.2'), 'ok');
    table.add('[::1]:3', 3);
    assert.equal(table.countFrom('::1'), 1);
    assert.equal(table.admit('127.0.0.2'), 'session-cap');
    table.remove('127.0.0.1:1');
    assert.equal(table.countFrom('127.0.0.1'), 1);
    assert.equal(table.admit('127.0.0.1'), 'ok');
    assert.equal(sourceOf('[::1]:3'), '::1');
  });
});

describe('echo impairment, counters, arguments', () => {
  it('drops with the given probability', () => {
    let i = 0;
    const values = [0.1, 0.5, 0.9];
    const impairment = new Impairment({ lossRate: 0.5, delayMs: 0, random: () => values[i++ % 3] });
    assert.deepEqual([1, 2, 3].map(() => impairment.shouldDrop()), [true, false, false]);
    assert.equal(new Impairment({ lossRate: 0, delayMs: 0 }).active, false);
    assert.throws(() => new Impairment({ lossRate: 2, delayMs: 0 }), RangeError);
  });

  it('counts drops by reason and reports them as JSON', () => {
    const counters = new DropCounters();
    counters.drop('rate-limited');
    counters.drop('rate-limited', 2);
    counters.drop('not-a-client-hello');
    assert.equal(counters.totalDropped, 4);
    assert.deepEqual((counters.toJSON() as { dropped: unknown }).dropped, { 'not-a-client-hello': 1, 'rate-limited': 3 });
    assert.match(counters.describe(), /dropped: not-a-client-hello 1, rate-limited 3/);
  });

  it('parses the options; a non-loopback host needs --allow-remote', () => {
    const args = parseEchoArguments(['--port', '0', '--uppercase', '--loss', '0.25', '--delay', '30', '--idle-timeout', '5', '--json-log']);
    assert.equal(args.port, 0);
    assert.equal(args.host, '127.0.0.1');
    assert.equal(args.uppercase, true);
    assert.equal(args.loss, 0.25);
    assert.equal(args.delayMs, 30);
    assert.equal(args.idleTimeoutS, 5);
    assert.equal(args.jsonLog, true);
    assert.equal(parseEchoArguments([]).port, 4242);
    assert.throws(() => parseEchoArguments(['--host', '0.0.0.0']), EchoUsageError);
    assert.equal(parseEchoArguments(['--host', '0.0.0.0', '--allow-remote']).allowRemote, true);
    assert.throws(() => parseEchoArguments(['--loss', '1.5']), /--loss/);
    assert.throws(() => parseEchoArguments(['--port', '70000']), /--port/);
    assert.throws(() => parseEchoArguments(['--cert', 'x']), /go together/);
    assert.throws(() => parseEchoArguments(['--bogus']), /Unknown echo option/);
    assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && !isLoopback('192.168.1.2'));
  });
});

