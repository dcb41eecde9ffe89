// Our client and our server over real UDP sockets on 127.0.0.1 (DtlsUdpServer + connectDtlsUdp).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectDtlsUdp, DtlsHandshakeError, DtlsUdpServer, type DtlsEvent } from '../../engine/dtls';
import { ecdsaCredentials, rsaCredentials } from './dtls-helpers';

describe('DTLS over UDP on 127.0.0.1 (ours <-> ours)', () => {
  for (const [name, credentials] of [['RSA', rsaCredentials], ['ECDSA', ecdsaCredentials]] as const) {
    it(`echoes through DtlsUdpServer with an ${name} certificate`, { timeout: 10_000 }, async () => {
      const serverEvents: DtlsEvent[] = [];
      const server = await DtlsUdpServer.listen({
        ...credentials(),
        onEvent: (_address, event) => serverEvents.push(event),
        onData: (connection, data) => connection.sendApplicationData(data),
      });
      try {
        const started = performance.now();
        const client = await connectDtlsUdp('127.0.0.1', server.address().port, {
          serverName: 'localhost',
          verify: { mode: 'chain', trustedCaPems: [credentials().certificatePem], hostname: 'localhost' },
        });
        const elapsed = performance.now() - started;
        try {
          for (const text of ['one', 'two', 'three']) {
            client.send(text);
            assert.equal(Buffer.from(await client.receive(2000)).toString(), text);
          }
        } finally {
          await client.close();
        }
        const deadline = Date.now() + 2000;
        while (!serverEvents.some((e) => e.type === 'state' && e.to === 'closed') && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        assert.ok(serverEvents.some((e) => e.type === 'alert' && e.direction === 'received' && e.description === 'close_notify'));
        assert.equal(server.endpoint.connections.size, 0, 'closed connections are forgotten');
        process.stdout.write(`# ours<->ours UDP handshake (${name}): ${elapsed.toFixed(1)} ms\n`);
      } finally {
        await server.close();
      }
    });
  }

  it('rejects connectDtlsUdp with a DtlsHandshakeError carrying the failure kind', { timeout: 10_000 }, async () => {
    const server = await DtlsUdpServer.listen({ ...rsaCredentials() });
    try {
      const error = await connectDtlsUdp('127.0.0.1', server.address().port, {
        verify: { mode: 'chain', trustedCaPems: [rsaCredentials().certificatePem], hostname: 'other.example' },
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof DtlsHandshakeError);
      assert.equal(error.kind, 'hostname-mismatch');
    } finally {
      await server.close();
    }
  });
});
