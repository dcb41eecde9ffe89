// Flood of spoofed ClientHellos (random source addresses, no valid cookie) against
// DtlsServerEndpoint: datagrams/s, connections and heap before/after. With --expose-gc the heap is
// measured after a full collection, so the difference is what the endpoint really keeps.
//
//   node --expose-gc out/bench/flood.js [--datagrams 100000]

import { DtlsConnection, DtlsServerEndpoint } from '../engine/dtls';
import { ecdsaCredentials, VirtualClock } from '../test/unit/dtls-helpers';
import { Random, containerSizes, randomAddress, spoofedDatagram, type SpoofKind } from '../test/unit/dtls-stage-rig';
import { numberOption } from './command-line';

const total = numberOption('datagrams', 100_000);
const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MiB`;

const credentials = ecdsaCredentials();
const clock = new VirtualClock();
const rng = new Random(1);
const kinds: SpoofKind[] = ['no-cookie', 'no-cookie', 'forged-cookie', 'garbage', 'not-a-hello'];
let replies = 0;
let replyBytes = 0;
let legitInbox: Buffer[] = [];
const legitAddress = '192.0.2.10:5000';
const endpoint = new DtlsServerEndpoint({
  clock,
  certificatePem: credentials.certificatePem,
  privateKeyPem: credentials.privateKeyPem,
  sendTo: (address, datagram) => {
    if (address === legitAddress) legitInbox.push(Buffer.from(datagram));
    else {
      replies++;
      replyBytes += datagram.length;
    }
  },
});

// Pre-generate the datagrams so the heap difference is the endpoint's, not the generator's.
const addresses: string[] = [];
const datagrams: Buffer[] = [];
for (let i = 0; i < total; i++) {
  addresses.push(randomAddress(rng));
  datagrams.push(spoofedDatagram(rng, rng.pick(kinds), Buffer.alloc(0)));
}

console.log(`Spoofed ClientHello flood against DtlsServerEndpoint, node ${process.version}, gc ${gc ? 'exposed' : 'NOT exposed (run with --expose-gc)'}`);
// Warm up (JIT, lazily created internals) on the first 1%, then measure the rest.
const warm = Math.floor(total / 100);
for (let i = 0; i < warm; i++) endpoint.receive(addresses[i]!, datagrams[i]!);
const before = heapUsed();
const started = performance.now();
for (let i = warm; i < total; i++) endpoint.receive(addresses[i]!, datagrams[i]!);
const elapsed = performance.now() - started;
const afterFlood = heapUsed();
console.log(`datagrams       ${total.toLocaleString('en-US')} (${(total - warm).toLocaleString('en-US')} measured in ${elapsed.toFixed(0)} ms, ${Math.round((total - warm) / (elapsed / 1000)).toLocaleString('en-US')}/s)`);
console.log(`replies         ${replies.toLocaleString('en-US')} HelloVerifyRequests, ${(replyBytes / Math.max(1, replies)).toFixed(0)} B each`);
console.log(`connections     ${endpoint.connections.size}; endpoint containers ${JSON.stringify(containerSizes(endpoint))}, cookie authority ${JSON.stringify(containerSizes(endpoint.cookieAuthority))}`);
console.log(`heap            before ${mib(before)}, after ${mib(afterFlood)}, difference ${mib(afterFlood - before)}`);

// A real client still gets in.
const client = new DtlsConnection({
  role: 'client',
  clock,
  send: (data) => endpoint.receive(legitAddress, Buffer.from(data)),
  verify: { mode: 'chain', trustedCaPems: [credentials.certificatePem], hostname: 'localhost' },
  serverName: 'localhost',
});
client.start();
for (let guard = 0; guard < 50 && legitInbox.length > 0; guard++) {
  const inbox = legitInbox;
  legitInbox = [];
  for (const d of inbox) client.receive(d);
}
console.log(`legit client    ${client.state} after the flood; connections ${endpoint.connections.size}`);
datagrams.length = 0;
addresses.length = 0;
process.exitCode = client.state === 'connected' && endpoint.connections.size === 1 ? 0 : 1;
