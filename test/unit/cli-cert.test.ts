// `dtls-lab cert` as a user runs it (a child process of the compiled main.js): listed by --help,
// writes a certificate and key the echo server's store reuses, a second call reuses them, --force
// renews them, --ecdsa, --json, and clear errors for a folder that cannot hold the files.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadOrCreateCertificate } from '../../engine/echo/certificate-store';

const root = join(__dirname, '..', '..', '..');
const main = join(__dirname, '..', '..', 'engine', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'cli-cert-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg') } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Report { action: string; certPath: string; keyPath: string; keyType: string; fingerprint: string; subject: string; commonName: string; subjectAltNames: string[]; validFrom: string; validTo: string }
const json = (...args: string[]): Report => {
  const { code, stdout, stderr } = cli('cert', ...args, '--json');
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as Report;
};

test('dtls-lab --help lists cert; cert --help, -h and help cert print its usage', () => {
  assert.match(cli('--help').stdout, /^ {2}dtls-lab cert \[--config-dir DIR \| --out DIR\] \[--ecdsa\] \[--force\] \[--json\]$/m);
  const help = cli('cert', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage:\n {2}dtls-lab cert /);
  assert.match(help.stdout, /--force/);
  assert.equal(cli('cert', '-h').stdout, help.stdout);
  assert.equal(cli('help', 'cert').stdout, help.stdout);
});

test('cert writes key + certificate, prints paths, fingerprint, names and validity; a second call reuses them', () => {
  const folder = join(dir, 'dev');
  const first = cli('cert', '--config-dir', folder);
  assert.equal(first.code, 0, first.stderr);
  const certPath = join(folder, 'echo-server-rsa.crt');
  const keyPath = join(folder, 'echo-server-rsa.key');
  const x509 = new X509Certificate(readFileSync(certPath));
  assert.ok(x509.checkPrivateKey(createPrivateKey(readFileSync(keyPath))));
  assert.equal(statSync(keyPath).mode & 0o777, 0o600);
  assert.match(first.stdout, /^development certificate \(RSA-2048\), generated now$/m);
  assert.ok(first.stdout.includes(`certificate: ${certPath}\n`));
  assert.ok(first.stdout.includes(`private key: ${keyPath} `));
  assert.ok(first.stdout.includes(`SHA-256 fingerprint: ${x509.fingerprint256}\n`));
  assert.match(first.stdout, /subject: CN=localhost, O=Godot DTLS Lab echo server/);
  assert.match(first.stdout, /subject alternative names: DNS:localhost, IP Address:127\.0\.0\.1/);
  assert.match(first.stdout, /valid from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC to \d{4}-/);
  assert.ok(first.stdout.includes(`dtls-lab echo --config-dir ${folder}`));
  assert.equal(first.stderr, '');

  const again = json('--config-dir', folder);
  assert.equal(again.action, 'reused');
  assert.equal(again.fingerprint, x509.fingerprint256);
  assert.deepEqual([again.certPath, again.keyPath, again.keyType, again.commonName], [certPath, keyPath, 'rsa', 'localhost']);
  assert.deepEqual(again.subjectAltNames, ['DNS:localhost', 'IP Address:127.0.0.1']);
  assert.equal(again.validFrom, new Date(x509.validFrom).toISOString());
  assert.equal(again.validTo, new Date(x509.validTo).toISOString());
  // The echo server's store (what `dtls-lab echo --config-dir` loads) finds the same certificate.
  const echo = loadOrCreateCertificate({ configDir: folder });
  assert.equal(echo.created, false);
  assert.equal(echo.fingerprint, x509.fingerprint256);
});

test('--force renews the stored certificate; --out is --config-dir; --ecdsa makes a P-256 one beside it', () => {
  const folder = join(dir, 'renew');
  const created = json('--out', folder);
  assert.equal(created.action, 'generated');
  const renewed = json('--out', folder, '--force');
  assert.equal(renewed.action, 'renewed');
  assert.notEqual(renewed.fingerprint, created.fingerprint);
  assert.equal(new X509Certificate(readFileSync(renewed.certPath)).fingerprint256, renewed.fingerprint);
  assert.ok(new X509Certificate(readFileSync(renewed.certPath)).checkPrivateKey(createPrivateKey(readFileSync(renewed.keyPath))));
  assert.equal(statSync(renewed.keyPath).mode & 0o777, 0o600);
  assert.equal(json('--config-dir', folder).fingerprint, renewed.fingerprint);
  const ecdsa = json('--config-dir', folder, '--ecdsa');
  assert.equal(ecdsa.keyType, 'ecdsa');
  assert.equal(ecdsa.certPath, join(folder, 'echo-server-ecdsa.crt'));
  assert.equal(createPrivateKey(readFileSync(ecdsa.keyPath)).asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.equal(json('--config-dir', folder).fingerprint, renewed.fingerprint, 'the RSA one is untouched');
});

test('without a folder option the echo server\'s default folder is used ($XDG_CONFIG_HOME/godot-dtls-lab)', () => {
  assert.equal(json().certPath, join(dir, 'xdg', 'godot-dtls-lab', 'echo-server-rsa.crt'));
});

test('a folder that is a file, or goes through one, is a clear error with exit 2; so are bad options', () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a folder');
  const onFile = cli('cert', '--config-dir', file);
  assert.equal(onFile.code, 2);
  assert.equal(onFile.stderr.trim(), `dtls-lab cert: ${file} is a file, not a folder; give a folder (it is created when missing) with --config-dir DIR.`);
  assert.equal(onFile.stdout, '');
  const through = cli('cert', '--out', join(file, 'sub'));
  assert.equal(through.code, 2);
  assert.match(through.stderr, /goes through a file, not a folder/);
  for (const [args, message] of [
    [['--nope'], /Unknown cert option "--nope"/],
    [['--out'], /--out needs a folder/],
    [['--out', 'a', '--config-dir', 'b'], /give one of them, once/],
    [['extra'], /Unexpected argument "extra"/],
  ] as const) {
    const result = cli('cert', ...args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, message);
    assert.match(result.stderr, /dtls-lab cert \[--config-dir DIR/);
  }
});

test('stored files that are not a certificate and its key: exit 1, and --force replaces them', () => {
  const folder = join(dir, 'broken');
  json('--config-dir', folder);
  writeFileSync(join(folder, 'echo-server-rsa.crt'), 'garbage');
  const broken = cli('cert', '--config-dir', folder);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /the stored certificate in .* is not usable: not a PEM certificate.*Run again with --force to replace it\./);
  assert.equal(json('--config-dir', folder, '--force').action, 'renewed');
});
