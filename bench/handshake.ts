// Full handshakes per second: our DTLS 1.2 client + server (one process, in-memory link, no
// timers) against Node's own TLS 1.2 (OpenSSL) client + server over TCP loopback in the same
// process. Both: ECDHE-ECDSA with P-256, AES-128-GCM, a P-256 certificate checked against its CA
// and host name, no session reuse. Not a test; prints both rates and ours/node.
//
//   node out/bench/handshake.js [--seconds 4] [--rounds 3] [--no-cookie] [--only ours]

import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { constants } from 'node:crypto';
import { DtlsConnection, DtlsServerEndpoint, type Clock } from '../engine/dtls';
import { ecdsaCredentials, type Credentials } from '../test/unit/dtls-helpers';
import { hasFlag, numberOption, stringOption } from './command-line';

const SUITE = 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256';

const seconds = numberOption('seconds', 4);
const rounds = numberOption('rounds', 3);
const cookies = !hasFlag('no-cookie');
/** --only ours: measure only our engine (for profiling with node --cpu-prof). */
const only = stringOption('only');

// ---- ours ------------------------------------------------------------------------------------

const frozen: Clock = { now: () => 0 };

/** A server endpoint shared by all handshakes (as a real server would be). */
function ourServer(credentials: Credentials, toClient: Buffer[][]): { endpoint: DtlsServerEndpoint; current: { inbox: Buffer[] } } {
  const current = { inbox: [] as Buffer[] };
  const endpoint = new DtlsServerEndpoint({
    clock: frozen,
    certificatePem: credentials.certificatePem,
    privateKeyPem: credentials.privateKeyPem,
    cipherSuites: [SUITE],
    groups: ['secp256r1'],
    cookies,
    sendTo: (_address, datagram) => current.inbox.push(Buffer.from(datagram)),
  });
  void toClient;
  return { endpoint, current };
}

function ourHandshake(credentials: Credentials, server: ReturnType<typeof ourServer>, index: number): void {
  const address = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}:4433`;
  const toServer: Buffer[] = [];
  const toClient: Buffer[] = [];
  server.current.inbox = toClient;
  const client = new DtlsConnection({
    role: 'client',
    clock: frozen,
    send: (datagram) => toServer.push(Buffer.from(datagram)),
    verify: { mode: 'chain', trustedCaPems: [credentials.certificatePem], hostname: 'localhost' },
    serverName: 'localhost',
    cipherSuites: [SUITE],
    groups: ['secp256r1'],
  });
  client.start();
  for (let guard = 0; guard < 100 && (toServer.length > 0 || toClient.length > 0); guard++) {
    for (let d = toServer.shift(); d; d = toServer.shift()) server.endpoint.receive(address, d);
    for (let d = toClient.shift(); d; d = toClient.shift()) client.receive(d);
  }
  const connection = server.endpoint.connections.get(address);
  if (client.state !== 'connected' || connection?.state !== 'connected') {
    throw new Error(`our handshake ${index} did not complete: client ${client.state} ${client.failure?.message ?? ''}`);
  }
  if (client.negotiated?.suite !== SUITE || client.negotiated.group !== 'secp256r1') throw new Error(`negotiated ${JSON.stringify(client.negotiated)}`);
  // Forget it without close_notify, like destroy() on the Node side.
  server.endpoint.connections.delete(address);
}

function measureOurs(credentials: Credentials, durationMs: number): number {
  const server = ourServer(credentials, []);
  let count = 0;
  const started = performance.now();
  let elapsed = 0;
  while ((elapsed = performance.now() - started) < durationMs) ourHandshake(credentials, server, count++);
  return count / (elapsed / 1000);
}

// ---- node tls --------------------------------------------------------------------------------

async function nodeServer(credentials: Credentials): Promise<tls.Server> {
  const server = tls.createServer({
    key: credentials.privateKeyPem,
    cert: credentials.certificatePem,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.2',
    ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256',
    ecdhCurve: 'prime256v1',
    // No tickets and no session cache: every handshake is a full one.
    secureOptions: constants.SSL_OP_NO_TICKET,
    sessionTimeout: 0,
  });
  server.on('secureConnection', (socket) => {
    socket.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

function nodeHandshake(port: number, credentials: Credentials): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      ca: [credentials.certificatePem],
      servername: 'localhost',
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256',
      ecdhCurve: 'prime256v1',
    });
    socket.once('secureConnect', () => {
      if (socket.getCipher().name !== 'ECDHE-ECDSA-AES128-GCM-SHA256' || socket.isSessionReused()) {
        reject(new Error(`node negotiated ${socket.getCipher().name}, reused ${socket.isSessionReused()}`));
      }
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

async function measureNode(port: number, credentials: Credentials, durationMs: number): Promise<number> {
  let count = 0;
  const started = performance.now();
  let elapsed = 0;
  while ((elapsed = performance.now() - started) < durationMs) {
    await nodeHandshake(port, credentials);
    count++;
  }
  return count / (elapsed / 1000);
}

// ---- main ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const credentials = ecdsaCredentials();
  if (only === 'ours') {
    measureOurs(credentials, 500);
    console.log(`ours: ${measureOurs(credentials, seconds * 1000).toFixed(1)} handshakes/s`);
    return;
  }
  const server = await nodeServer(credentials);
  const port = (server.address() as AddressInfo).port;
  console.log(`Full handshakes/s, ECDHE-ECDSA P-256 + AES-128-GCM, node ${process.version}, ${rounds} rounds of ${seconds} s each`);
  console.log(`ours: DTLS 1.2 client+server in one process over an in-memory link${cookies ? ', with the HelloVerifyRequest cookie exchange' : ', cookies off'}`);
  console.log('node: tls (OpenSSL) TLS 1.2 client+server in the same process over TCP 127.0.0.1, no tickets/session reuse');
  // Warm-up (JIT, OpenSSL tables).
  measureOurs(credentials, 500);
  await measureNode(port, credentials, 500);
  const ours: number[] = [];
  const node: number[] = [];
  for (let round = 0; round < rounds; round++) {
    ours.push(measureOurs(credentials, seconds * 1000));
    node.push(await measureNode(port, credentials, seconds * 1000));
    console.log(`  round ${round + 1}: ours ${ours[round]!.toFixed(1)}/s, node ${node[round]!.toFixed(1)}/s`);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const o = median(ours);
  const n = median(node);
  console.log(`median: ours ${o.toFixed(1)} handshakes/s, node ${n.toFixed(1)} handshakes/s, ratio ours/node ${(o / n).toFixed(2)}x (goal >= 1.0x)`);
  server.close();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
