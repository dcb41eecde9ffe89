// Echo throughput with 1 KiB and 16 KiB records: our DTLS 1.2 pair over the in-memory link
// against Node's TLS 1.2 (OpenSSL) over TCP loopback in the same process, both AES-128-GCM
// (ECDHE-ECDSA P-256). The client sends records of the given size, the server echoes every
// record back as a record of the same size, the client reads it all; MB/s counts the payload
// that made the round trip (1 MB = 10^6 bytes). Not a test; prints both and ours/node.
//
//   node out/bench/throughput.js [--megabytes 64] [--rounds 3] [--size 1024] [--only ours]

import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { DtlsConnection, DtlsServerEndpoint, type Clock } from '../engine/dtls';
import { ecdsaCredentials, type Credentials } from '../test/unit/dtls-helpers';
import { hasFlag, numberOption, stringOption } from './command-line';

const SUITE = 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256';

const megabytes = numberOption('megabytes', 64);
const rounds = numberOption('rounds', 3);
const SIZES = hasFlag('size') ? [numberOption('size', 1024)] : [1024, 16384];
/** --only ours: measure only our engine (for profiling with node --cpu-prof). */
const onlyOurs = stringOption('only') === 'ours';

// ---- ours ------------------------------------------------------------------------------------

interface OurPair {
  client: DtlsConnection;
  server: DtlsConnection;
  toServer: Buffer[];
  toClient: Buffer[];
}

function ourPair(credentials: Credentials): OurPair {
  const clock: Clock = { now: () => 0 };
  const toServer: Buffer[] = [];
  const toClient: Buffer[] = [];
  const address = '10.0.0.1:4433';
  // The link hands over the datagram objects as they are (no copy), as a socket would.
  const endpoint = new DtlsServerEndpoint({
    clock,
    certificatePem: credentials.certificatePem,
    privateKeyPem: credentials.privateKeyPem,
    cipherSuites: [SUITE],
    groups: ['secp256r1'],
    sendTo: (_address, datagram) => toClient.push(datagram as Buffer),
  });
  const client = new DtlsConnection({
    role: 'client',
    clock,
    send: (datagram) => toServer.push(datagram as Buffer),
    verify: { mode: 'chain', trustedCaPems: [credentials.certificatePem], hostname: 'localhost' },
    cipherSuites: [SUITE],
    groups: ['secp256r1'],
  });
  client.start();
  for (let guard = 0; guard < 100 && (toServer.length > 0 || toClient.length > 0); guard++) {
    for (let d = toServer.shift(); d; d = toServer.shift()) endpoint.receive(address, d);
    for (let d = toClient.shift(); d; d = toClient.shift()) client.receive(d);
  }
  const server = endpoint.connections.get(address)!;
  if (client.state !== 'connected' || server.state !== 'connected') throw new Error('our handshake failed');
  return { client, server, toServer, toClient };
}

/** Sends `total` bytes in records of `size`, 64 at a time; the server echoes each one. */
function measureOurs(pair: OurPair, size: number, total: number): number {
  const payload = Buffer.alloc(size, 0x61);
  const count = Math.ceil(total / size);
  const window = 64;
  let received = 0;
  const started = performance.now();
  for (let sent = 0; sent < count; ) {
    const batch = Math.min(window, count - sent);
    for (let i = 0; i < batch; i++) pair.client.sendApplicationData(payload);
    sent += batch;
    for (let d = pair.toServer.shift(); d; d = pair.toServer.shift()) pair.server.receive(d);
    for (let m = pair.server.readApplicationData(); m; m = pair.server.readApplicationData()) pair.server.sendApplicationData(m);
    for (let d = pair.toClient.shift(); d; d = pair.toClient.shift()) pair.client.receive(d);
    for (let m = pair.client.readApplicationData(); m; m = pair.client.readApplicationData()) received += m.length;
  }
  const elapsed = performance.now() - started;
  if (received !== count * size) throw new Error(`ours echoed ${received} of ${count * size} bytes`);
  return received / 1e6 / (elapsed / 1000);
}

// ---- node tls --------------------------------------------------------------------------------

async function nodePair(credentials: Credentials, size: number): Promise<{ client: tls.TLSSocket; close(): void }> {
  const server = tls.createServer({
    key: credentials.privateKeyPem,
    cert: credentials.certificatePem,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.2',
    ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256',
    ecdhCurve: 'prime256v1',
  });
  server.on('secureConnection', (socket) => {
    socket.setNoDelay(true);
    socket.setMaxSendFragment(size);
    socket.on('error', () => undefined);
    // Echo in records of `size`: each write of `size` bytes becomes one TLS record.
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      while (pending.length - offset >= size) {
        socket.write(pending.subarray(offset, offset + size));
        offset += size;
      }
      pending = pending.subarray(offset);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = tls.connect({
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    ca: [credentials.certificatePem],
    servername: 'localhost',
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.2',
    ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256',
    ecdhCurve: 'prime256v1',
  });
  await once(client, 'secureConnect');
  client.setNoDelay(true);
  // Node batches queued writes into one SSL_write; capping the fragment keeps its records at `size`.
  client.setMaxSendFragment(size);
  return {
    client,
    close: () => {
      client.destroy();
      server.close();
    },
  };
}

async function measureNode(credentials: Credentials, size: number, total: number): Promise<number> {
  const { client, close } = await nodePair(credentials, size);
  const payload = Buffer.alloc(size, 0x61);
  const count = Math.ceil(total / size);
  const expected = count * size;
  let received = 0;
  const started = performance.now();
  const done = new Promise<void>((resolve) => {
    client.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= expected) resolve();
    });
  });
  for (let sent = 0; sent < count; sent++) {
    if (!client.write(payload)) await once(client, 'drain');
  }
  await done;
  const elapsed = performance.now() - started;
  close();
  return received / 1e6 / (elapsed / 1000);
}

// ---- main ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const credentials = ecdsaCredentials();
  const total = megabytes * 1e6;
  console.log(`Echo throughput (payload MB/s round trip), AES-128-GCM, node ${process.version}, ${megabytes} MB per run, ${rounds} rounds`);
  console.log('ours: DTLS 1.2 pair in one process over an in-memory link (64 records in flight)');
  console.log('node: tls (OpenSSL) TLS 1.2 pair in the same process over TCP 127.0.0.1 (records capped at the size with setMaxSendFragment)');
  const pair = ourPair(credentials);
  if (onlyOurs) {
    for (const size of SIZES) console.log(`${size} B records: ours ${measureOurs(pair, size, total).toFixed(1)} MB/s`);
    return;
  }
  for (const size of SIZES) {
    measureOurs(pair, size, total / 8);
    await measureNode(credentials, size, total / 8);
    const ours: number[] = [];
    const node: number[] = [];
    for (let round = 0; round < rounds; round++) {
      ours.push(measureOurs(pair, size, total));
      node.push(await measureNode(credentials, size, total));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const o = median(ours);
    const n = median(node);
    console.log(
      `${String(size / 1024).padStart(2)} KiB records: ours ${o.toFixed(1)} MB/s, node ${n.toFixed(1)} MB/s, ratio ours/node ${(o / n).toFixed(2)}x (goal >= 0.7x)` +
        `  [ours ${ours.map((v) => v.toFixed(0)).join('/')}, node ${node.map((v) => v.toFixed(0)).join('/')}]`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
