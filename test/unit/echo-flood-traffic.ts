// Flood traffic against an in-process EchoServer, shared by the flood test and bench/echo-flood.ts:
// sockets on 127.0.0.1-8, and a sender that puts each datagram either on one of those sockets (real
// UDP) or straight into the server with a forged 127.x source address.

import { createSocket, type Socket } from 'node:dgram';
import type { EchoServer } from '../../engine/echo/echo-server';
import type { Random } from './dtls-stage-rig';

/** Sockets on random ports of 127.0.0.1 and, where they can be bound, 127.0.0.2-8. */
export async function floodSockets(perAddress: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 1; i <= 8; i++) {
    for (let j = 0; j < perAddress; j++) {
      const socket = createSocket('udp4');
      socket.on('error', () => undefined);
      const ok = await new Promise<boolean>((resolve) => {
        socket.once('error', () => resolve(false));
        socket.bind(0, `127.0.0.${i}`, () => resolve(true));
      });
      if (ok) sockets.push(socket);
      else socket.close();
    }
  }
  return sockets;
}

export class FloodSender {
  /** Datagrams sent over real UDP, and handed to the server with a forged source. */
  udpSent = 0;
  injected = 0;

  constructor(
    private readonly server: EchoServer,
    private readonly sockets: Socket[],
    private readonly port: number,
    private readonly rng: Random,
    /** Share of datagrams that go over real UDP (when there are sockets). */
    private readonly udpShare: number,
  ) {}

  send(datagram: Buffer): void {
    const rng = this.rng;
    if (rng.next() < this.udpShare && this.sockets.length > 0) {
      this.sockets[rng.int(this.sockets.length)]!.send(datagram, this.port, '127.0.0.1');
      this.udpSent++;
    } else {
      const address = rng.next() < 0.5 ? '127.0.0.1' : `127.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
      this.server.receiveDatagram(datagram, { address, port: 1024 + rng.int(64512) });
      this.injected++;
    }
  }
}
