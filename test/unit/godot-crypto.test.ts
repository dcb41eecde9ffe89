// Crypto, CryptoKey, X509Certificate, HashingContext, HMACContext, AESContext and Marshalls: results
// checked against Node's crypto and OpenSSL; keys and certificates made in the sandbox are read by
// `openssl` and used by `openssl s_server -dtls1_2`, which our sandboxed client connects to.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createCipheriv, createHash, createHmac, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runScript } from './godot-helpers';

const PEM = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----\n?/g;

function pemBlocks(lines: string[]): string[] {
  return lines.join('\n').match(PEM) ?? [];
}

function openssl(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('sign / verify, encrypt / decrypt (RSA PKCS#1 v1.5) agree with Node and OpenSSL', async () => {
  const r = await runScript(`
extends Node
func _ready():
  var crypto := Crypto.new()
  var key := crypto.generate_rsa(2048)
  var msg := "attack at dawn".to_utf8_buffer()
  var ctx := HashingContext.new()
  ctx.start(HashingContext.HASH_SHA256)
  ctx.update(msg)
  var digest := ctx.finish()
  var sig := crypto.sign(HashingContext.HASH_SHA256, digest, key)
  var pub := CryptoKey.new()
  pub.load_from_string(key.save_to_string(true), true)
  print(crypto.verify(HashingContext.HASH_SHA256, digest, sig, pub), " ", pub.is_public_only())
  sig[0] = sig[0] ^ 1
  print(crypto.verify(HashingContext.HASH_SHA256, digest, sig, pub))
  sig[0] = sig[0] ^ 1
  var secret := crypto.encrypt(pub, "shh".to_utf8_buffer())
  print(crypto.decrypt(key, secret).get_string_from_utf8(), " ", secret.size())
  print(crypto.decrypt(pub, secret).size(), " ", crypto.sign(HashingContext.HASH_SHA256, msg, key).size())
  print(key.save_to_string(true))
  print(Marshalls.raw_to_base64(sig))
  print(Marshalls.raw_to_base64(secret))
  print(key.save_to_string())
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints.slice(0, 4), ['true true', 'false', 'shh 256', '0 0']);
  assert.ok(r.errors.some((e) => /needs a private key/.test(e)));
  assert.ok(r.errors.some((e) => /a SHA-256 hash is 32 bytes, got 14/.test(e)));
  const [publicPem, privatePem] = pemBlocks(r.prints);
  assert.match(publicPem, /BEGIN PUBLIC KEY/);
  assert.match(privatePem, /BEGIN RSA PRIVATE KEY/);
  const sig = Buffer.from(r.prints.at(-3)!, 'base64');
  assert.ok(nodeVerify('sha256', Buffer.from('attack at dawn'), createPublicKey(publicPem), sig), 'Node verifies the sandbox signature');
  const dir = mkdtempSync(join(tmpdir(), 'godot-crypto-'));
  try {
    writeFileSync(join(dir, 'key.pem'), privatePem);
    writeFileSync(join(dir, 'secret.bin'), Buffer.from(r.prints.at(-2)!, 'base64'));
    const out = spawnSync('openssl', ['pkeyutl', '-decrypt', '-inkey', join(dir, 'key.pem'), '-in', join(dir, 'secret.bin'), '-pkeyopt', 'rsa_padding_mode:pkcs1'], { encoding: 'utf8' });
    assert.equal(out.stdout, 'shh', out.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keys and certificates made in the sandbox are read by openssl x509 / pkey', async () => {
  const r = await runScript(`
extends Node
func _ready():
  var crypto := Crypto.new()
  var key := crypto.generate_rsa(2048)
  var cert := crypto.generate_self_signed_certificate(key, "CN=lab.test,O=Godot DTLS Lab,C=DE", "20240101000000", "20440101000000")
  print(cert.save_to_string())
  print(key.save_to_string())
  print(key.save("user://k.key"), " ", cert.save("user://c.crt"))
  var k2 := CryptoKey.new()
  var c2 := X509Certificate.new()
  print(k2.load("user://k.key"), " ", c2.load("user://c.crt"), " ", k2.save_to_string() == key.save_to_string(), " ", c2.resource_path)
  var p := CryptoKey.new()
  print(key.save("user://k.pub", true), " ", p.load("user://k.pub", true), " ", p.is_public_only())
  print(X509Certificate.new().load_from_string("not pem"), " ", CryptoKey.new().load_from_string("nope"))
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints.slice(-4), ['0 0', '0 0 true user://c.crt', '0 0 true', '30 30']);
  const [certPem, keyPem] = pemBlocks(r.prints);
  const x509 = openssl(['x509', '-noout', '-subject', '-issuer', '-dates', '-text'], certPem);
  assert.equal(x509.status, 0, x509.stderr);
  assert.match(x509.stdout, /subject=CN\s*=\s*lab\.test, O\s*=\s*Godot DTLS Lab, C\s*=\s*DE/);
  assert.match(x509.stdout, /notBefore=Jan  1 00:00:00 2024 GMT/);
  assert.match(x509.stdout, /notAfter=Jan  1 00:00:00 2044 GMT/);
  assert.match(x509.stdout, /Public-Key: \(2048 bit\)/);
  const pkey = openssl(['pkey', '-noout', '-text'], keyPem);
  assert.equal(pkey.status, 0, pkey.stderr);
  assert.match(pkey.stdout, /Private-Key: \(2048 bit, 2 primes\)/);
  const match = openssl(['x509', '-noout', '-pubkey'], certPem).stdout === openssl(['pkey', '-pubout'], keyPem).stdout;
  assert.ok(match, 'the certificate holds the public half of the key');
});

test('HashingContext, HMACContext and Crypto.hmac_digest match Node; misuse gives Godot\'s errors', async () => {
  const r = await runScript(`
extends Node
func _ready():
  for t in [HashingContext.HASH_MD5, HashingContext.HASH_SHA1, HashingContext.HASH_SHA256]:
    var h := HashingContext.new()
    h.start(t)
    h.update("hello ".to_utf8_buffer())
    h.update("world".to_utf8_buffer())
    print(h.finish().hex_encode())
  var h := HashingContext.new()
  print(h.update(PackedByteArray()), " ", h.start(HashingContext.HASH_SHA1), " ", h.start(HashingContext.HASH_SHA1))
  var key := "k".to_utf8_buffer()
  var m := HMACContext.new()
  print(m.start(HashingContext.HASH_SHA256, key), " ", m.start(HashingContext.HASH_SHA256, key))
  m.update("hello ".to_utf8_buffer())
  m.update("world".to_utf8_buffer())
  print(m.finish().hex_encode())
  print(Crypto.new().hmac_digest(HashingContext.HASH_SHA1, key, "hello world".to_utf8_buffer()).hex_encode())
  print(HMACContext.new().start(HashingContext.HASH_MD5, key), " ", HMACContext.new().start(HashingContext.HASH_SHA1, PackedByteArray()))
  var c := Crypto.new()
  print(c.constant_time_compare(key, "k".to_utf8_buffer()), " ", c.constant_time_compare(key, "kk".to_utf8_buffer()), " ", c.generate_random_bytes(16).size())
`);
  assert.deepEqual(r.failures, []);
  const hex = (alg: string) => createHash(alg).update('hello world').digest('hex');
  assert.deepEqual(r.prints, [
    hex('md5'),
    hex('sha1'),
    hex('sha256'),
    '3 0 22',
    '0 11',
    createHmac('sha256', 'k').update('hello world').digest('hex'),
    createHmac('sha1', 'k').update('hello world').digest('hex'),
    '31 31',
    'true false 16',
  ]);
  assert.ok(r.errors.includes("HashingContext already started. Call 'finish' before starting a new one."));
});

test('AESContext: ECB and CBC in both directions match Node; IV state and Godot\'s checks', async () => {
  const r = await runScript(`
extends Node
func _ready():
  var key := "0123456789abcdef".to_utf8_buffer()
  var key256 := "0123456789abcdef0123456789abcdef".to_utf8_buffer()
  var iv := "fedcba9876543210".to_utf8_buffer()
  var data := "sixteen byte blk".to_utf8_buffer() + "another 16 bytes".to_utf8_buffer()
  var aes := AESContext.new()
  aes.start(AESContext.MODE_ECB_ENCRYPT, key)
  var ecb := aes.update(data)
  aes.finish()
  print(ecb.hex_encode())
  aes.start(AESContext.MODE_ECB_DECRYPT, key)
  print(aes.update(ecb).get_string_from_utf8())
  aes.finish()
  aes.start(AESContext.MODE_CBC_ENCRYPT, key256, iv)
  var first := aes.update(data.slice(0, 16))
  var second := aes.update(data.slice(16))
  print((first + second).hex_encode(), " ", aes.get_iv_state() == second)
  aes.finish()
  aes.start(AESContext.MODE_CBC_DECRYPT, key256, iv)
  print(aes.update(first + second).get_string_from_utf8())
  print(aes.start(AESContext.MODE_ECB_ENCRYPT, key))
  aes.finish()
  print(aes.start(AESContext.MODE_CBC_ENCRYPT, key), " ", aes.start(AESContext.MODE_ECB_ENCRYPT, "short".to_utf8_buffer()))
  aes.start(AESContext.MODE_ECB_ENCRYPT, key)
  print(aes.update("odd".to_utf8_buffer()).size(), " ", aes.get_iv_state().size())
`);
  assert.deepEqual(r.failures, []);
  const data = Buffer.from('sixteen byte blkanother 16 bytes');
  const ecb = createCipheriv('aes-128-ecb', Buffer.from('0123456789abcdef'), null).setAutoPadding(false).update(data).toString('hex');
  const cbc = createCipheriv('aes-256-cbc', Buffer.from('0123456789abcdef0123456789abcdef'), Buffer.from('fedcba9876543210')).setAutoPadding(false).update(data).toString('hex');
  assert.deepEqual(r.prints, [ecb, 'sixteen byte blkanother 16 bytes', `${cbc} true`, 'sixteen byte blkanother 16 bytes', '22', '31 31', '0 0']);
  assert.ok(r.errors.includes('The initialization vector (IV) must be exactly 16 bytes.'));
  assert.ok(r.errors.includes('AES key must be either 16 or 32 bytes'));
  assert.ok(r.errors.includes('The number of bytes to be encrypted must be multiple of 16. Add padding if needed'));
  assert.ok(r.errors.includes("Calling 'get_iv_state' only makes sense when the context is started in CBC mode."));
});

test('Marshalls converts Base64 to and from bytes, UTF-8 and Variants', async () => {
  const r = await runScript(`
extends Node
func _ready():
  print(Marshalls.raw_to_base64(PackedByteArray([0, 255, 16])))
  print(Marshalls.base64_to_raw("AP8Q"))
  print(Marshalls.utf8_to_base64("héllo"), " ", Marshalls.base64_to_utf8("aMOpbGxv"))
  var b := Marshalls.variant_to_base64({"a": [1, 2.5]})
  print(b)
  print(Marshalls.base64_to_variant(b))
  print(Marshalls.base64_to_raw("!!").size())
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints.slice(0, 3), ['AP8Q', '[0, 255, 16]', `${Buffer.from('héllo').toString('base64')} héllo`]);
  assert.equal(Buffer.from(r.prints[3], 'base64').toString('hex'), '1b0000000100000004000000010000006100000' + '01c00000002000000020000000100000003000000' + '00002040');
  assert.equal(r.prints[4], '{ "a": [1, 2.5] }');
  assert.equal(r.prints[5], '0');
  assert.ok(r.errors.some((e) => /not valid Base64/.test(e)));
});

test('a sandbox-made certificate and key serve `openssl s_server -dtls1_2`, and the sandboxed client connects', async () => {
  const made = await runScript(`
extends Node
func _ready():
  var crypto := Crypto.new()
  var key := crypto.generate_rsa(2048)
  var cert := crypto.generate_self_signed_certificate(key, "CN=localhost,O=Lab,C=US")
  print(cert.save_to_string())
  print(key.save_to_string())
`);
  const [certPem, keyPem] = pemBlocks(made.prints);
  const dir = mkdtempSync(join(tmpdir(), 'godot-s-server-'));
  const port = await new Promise<number>((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  writeFileSync(join(dir, 'cert.crt'), certPem);
  writeFileSync(join(dir, 'key.pem'), keyPem);
  const server = spawn('openssl', ['s_server', '-dtls1_2', '-accept', `127.0.0.1:${port}`, '-cert', join(dir, 'cert.crt'), '-key', join(dir, 'key.pem'), '-quiet'], { stdio: 'pipe' });
  let output = '';
  server.stdout.on('data', (c) => (output += c));
  server.stderr.on('data', (c) => (output += c));
  const guard = setTimeout(() => server.kill('SIGKILL'), 20_000);
  guard.unref();
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const r = await runScript(
      `
extends Node
func _ready():
  var cert := X509Certificate.new()
  print(cert.load("res://cert.crt"))
  var udp := PacketPeerUDP.new()
  udp.connect_to_host("127.0.0.1", ${port})
  var dtls := PacketPeerDTLS.new()
  dtls.connect_to_peer(udp, "localhost", TLSOptions.client(cert))
  while dtls.get_status() == PacketPeerDTLS.STATUS_HANDSHAKING:
    dtls.poll()
    OS.delay_msec(5)
  print("status ", dtls.get_status())
  dtls.put_packet("hello from the sandbox\\n".to_utf8_buffer())
  OS.delay_msec(200)
  dtls.disconnect_from_peer()
`,
      { link: 'udp', documentFolder: dir, timeoutMs: 15_000 },
    );
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.prints, ['0', 'status 2']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.match(output, /hello from the sandbox/);
  } finally {
    clearTimeout(guard);
    server.kill('SIGKILL');
    server.stdin.destroy();
    server.stdout.destroy();
    server.stderr.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
