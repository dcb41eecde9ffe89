// PacketPeer: the abstract base of PacketPeerUDP and PacketPeerDTLS (Godot 4.3 class reference).

import type { CallContext } from '../gdscript/host';
import { ErrorCode } from './error-codes';
import { GodotObject, type ClassSpec } from './method-table';
import { bytesOf, int, packedBytes } from './variant';

/** What every packet peer implements; the PacketPeer methods below are written once on top of it. */
export abstract class PacketPeerObject extends GodotObject {
  /** Error of the last get_packet (Godot's get_packet_error). */
  packetError: number = ErrorCode.OK;
  abstract availablePacketCount(): number;
  /** The next packet, or undefined when there is none. */
  abstract nextPacket(ctx: CallContext): Uint8Array | undefined;
  /** Sends one packet; returns a Godot Error code. */
  abstract sendPacket(data: Uint8Array, ctx: CallContext): number;
}

export const PacketPeerSpec: ClassSpec<PacketPeerObject> = {
  name: 'PacketPeer',
  methods: {
    get_available_packet_count: { params: [], returns: 'int', call: (self) => int(self.availablePacketCount()) },
    get_packet: {
      params: [],
      returns: 'PackedByteArray',
      call(self, _args, ctx) {
        const packet = self.nextPacket(ctx);
        self.packetError = packet ? ErrorCode.OK : ErrorCode.ERR_UNAVAILABLE;
        if (!packet) ctx.warn(`No packet available in ${self.className}: check get_available_packet_count() first.`);
        return packedBytes(packet ?? new Uint8Array(0));
      },
    },
    put_packet: {
      params: [{ name: 'buffer', type: 'PackedByteArray' }],
      returns: 'Error',
      call: (self, [buffer], ctx) => int(self.sendPacket(bytesOf(buffer), ctx)),
    },
    get_packet_error: { params: [], returns: 'Error', call: (self) => int(self.packetError) },
  },
};
