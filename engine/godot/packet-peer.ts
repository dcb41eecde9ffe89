// PacketPeer: the abstract base of PacketPeerUDP and PacketPeerDTLS (Godot 4.3 class reference).

import type { CallContext } from '../gdscript/host';
import { ErrorCode } from './error-codes';
import { decodeVariant, encodeVariant } from './marshalling';
import { GodotObject, opt, param, type ClassSpec } from './method-table';
import { RefCountedSpec } from './object';
import { bytesOf, int, packedBytes, toNumber } from './variant';

/** What every packet peer implements; the PacketPeer methods below are written once on top of it. */
export abstract class PacketPeerObject extends GodotObject {
  /** Error of the last get_packet / get_var (Godot's get_packet_error). */
  packetError: number = ErrorCode.OK;
  encodeBufferMaxSize = 8388608;
  abstract availablePacketCount(): number;
  /** The next packet, or the Error code Godot returns when there is none (and an error line when Godot prints one). */
  abstract receivePacket(ctx: CallContext): Uint8Array | number;
  /** Sends one packet; returns a Godot Error code. */
  abstract sendPacket(data: Uint8Array, ctx: CallContext): number;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export const PacketPeerSpec: ClassSpec<PacketPeerObject> = {
  name: 'PacketPeer',
  inherits: RefCountedSpec,
  description:
    'The base of packet-based peers (PacketPeerUDP, PacketPeerDTLS): send and receive whole packets, as raw bytes or as Variants in Godot\'s binary encoding.',
  properties: {
    encode_buffer_max_size: {
      type: 'int',
      defaultText: '8388608',
      description: 'The largest Variant put_var() encodes, in bytes; bigger values fail with ERR_OUT_OF_MEMORY.',
      getter: 'get_encode_buffer_max_size',
      setter: 'set_encode_buffer_max_size',
    },
  },
  methods: {
    get_available_packet_count: {
      params: [],
      returns: 'int',
      const: true,
      description: 'How many received packets are waiting to be read.',
      call: (self) => int(self.availablePacketCount()),
    },
    get_packet: {
      params: [],
      returns: 'PackedByteArray',
      description: 'Takes the next received packet (an empty array when there is none; see get_packet_error()).',
      call(self, _args, ctx) {
        const packet = self.receivePacket(ctx);
        if (typeof packet === 'number') {
          self.packetError = packet;
          return packedBytes(new Uint8Array(0));
        }
        self.packetError = ErrorCode.OK;
        return packedBytes(packet);
      },
    },
    get_packet_error: {
      params: [],
      returns: 'Error',
      const: true,
      description: 'The error of the last get_packet() or get_var() (OK when it returned a packet).',
      call: (self) => int(self.packetError),
    },
    get_var: {
      params: [opt('allow_objects', 'bool', false)],
      returns: 'Variant',
      description:
        'Takes the next packet and decodes it as a Variant (Godot\'s binary encoding, see put_var()). Objects are never decoded in the lab.',
      call(self, [allowObjects], ctx) {
        const packet = self.receivePacket(ctx);
        if (typeof packet === 'number') {
          self.packetError = packet;
          ctx.warn('Error while fetching variable from packet peer.');
          return null;
        }
        const decoded = decodeVariant(packet, allowObjects === true);
        if (!decoded.ok) {
          self.packetError = decoded.error;
          ctx.warn(`Error while fetching variable from packet peer: ${decoded.message}`);
          return null;
        }
        self.packetError = ErrorCode.OK;
        return decoded.value;
      },
    },
    put_packet: {
      params: [param('buffer', 'PackedByteArray')],
      returns: 'Error',
      description: 'Sends the bytes as one packet.',
      call: (self, [buffer], ctx) => int(self.sendPacket(bytesOf(buffer).slice(), ctx)),
    },
    put_var: {
      params: [param('var', 'Variant'), opt('full_objects', 'bool', false)],
      returns: 'Error',
      description:
        'Encodes a Variant (null, bool, int, float, String, Array, Dictionary, PackedByteArray; objects as their id) and sends it as one packet.',
      call(self, [value], ctx) {
        const encoded = encodeVariant(value, self.encodeBufferMaxSize);
        if (!encoded.ok) {
          if (encoded.error === ErrorCode.ERR_OUT_OF_MEMORY && !encoded.message.startsWith('Potential'))
            ctx.warn("Failed to encode variant, encode size is bigger then encode_buffer_max_size. Consider raising it via 'set_encode_buffer_max_size'.");
          else ctx.warn(`Error when trying to encode Variant: ${encoded.message}`);
          return int(encoded.error);
        }
        if (encoded.bytes.length > self.encodeBufferMaxSize) {
          ctx.warn("Failed to encode variant, encode size is bigger then encode_buffer_max_size. Consider raising it via 'set_encode_buffer_max_size'.");
          return int(ErrorCode.ERR_OUT_OF_MEMORY);
        }
        return int(self.sendPacket(encoded.bytes, ctx));
      },
    },
    get_encode_buffer_max_size: {
      params: [],
      returns: 'int',
      const: true,
      description: 'Getter of encode_buffer_max_size.',
      call: (self) => int(self.encodeBufferMaxSize),
    },
    set_encode_buffer_max_size: {
      params: [param('max_size', 'int')],
      returns: 'void',
      description: 'Setter of encode_buffer_max_size (1024 bytes to 256 MiB, rounded up to a power of two).',
      call(self, [size], ctx) {
        const n = toNumber(size);
        if (n < 1024) ctx.warn('Max encode buffer must be at least 1024 bytes');
        else if (n > 256 * 1024 * 1024) ctx.warn('Max encode buffer cannot exceed 256 MiB');
        else self.encodeBufferMaxSize = nextPowerOfTwo(n);
        return null;
      },
    },
  },
};
