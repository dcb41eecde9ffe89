// The background pool of RSA keys behind Crypto.generate_rsa(): fresh keys of the right size, never
// one handed out twice, made ahead once a size was asked for, waited for while in the making, and
// made on the spot when the pool is off or the size is not pooled.

import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { test } from 'node:test';
import { RsaKeyPool } from '../../engine/godot/rsa-key-pool';

function modulusBits(pem: string): number {
  const key = createPrivateKey(pem);
  assert.equal(key.asymmetricKeyType, 'rsa');
  return key.asymmetricKeyDetails!.modulusLength!;
}

test('the first key is made on the spot, the next one comes from the pool, and no key is handed out twice', { timeout: 60_000 }, async () => {
  const pool = new RsaKeyPool({ size: 1, maxSizes: 2 });
  try {
    const keys = new Set<string>();
    const first = pool.take(1024);
    assert.equal(modulusBits(first), 1024);
    assert.deepEqual(pool.stats, { ready: 0, waited: 0, onDemand: 1 });
    keys.add(first);
    for (let i = 0; i < 6; i++) {
      assert.ok(await pool.whenReady(1024, 1, 30_000), 'the worker made a key');
      const pem = pool.take(1024);
      assert.equal(modulusBits(pem), 1024);
      assert.ok(!keys.has(pem), 'a fresh key every time');
      keys.add(pem);
    }
    assert.deepEqual(pool.stats, { ready: 6, waited: 0, onDemand: 1 });
  } finally {
    pool.close();
  }
});

test('a key still in the making is waited for, not made a second time', { timeout: 60_000 }, () => {
  const pool = new RsaKeyPool({ size: 1, maxSizes: 1 });
  try {
    pool.prefill(1024);
    const pem = pool.take(1024); // the worker has barely started: take() waits for its key
    assert.equal(modulusBits(pem), 1024);
    assert.equal(pool.stats.onDemand, 0);
    assert.equal(pool.stats.ready + pool.stats.waited, 1);
    const next = pool.take(1024);
    assert.notEqual(next, pem);
    assert.equal(pool.stats.onDemand, 0);
  } finally {
    pool.close();
  }
});

test('size 0, sizes beyond maxSizes and keys above 4096 bits are made on the spot', { timeout: 60_000 }, async () => {
  const off = new RsaKeyPool({ size: 0, maxSizes: 3 });
  off.take(1024);
  off.take(1024);
  assert.deepEqual(off.stats, { ready: 0, waited: 0, onDemand: 2 });
  assert.equal(await off.whenReady(1024, 1, 200), true, 'nothing to wait for with size 0');
  assert.equal(off.readyCount(1024), 0);

  const one = new RsaKeyPool({ size: 1, maxSizes: 1 });
  try {
    one.take(1024);
    const other = one.take(1280);
    assert.equal(modulusBits(other), 1280);
    assert.ok(await one.whenReady(1024, 1, 30_000));
    assert.equal(one.readyCount(1280), 0, 'a second size is not pooled with maxSizes 1');
    assert.deepEqual(one.stats, { ready: 0, waited: 0, onDemand: 2 });
  } finally {
    one.close();
  }
});
