// Turns the DTLS engine's events into timeline entries of the peer that owns the connection.

import type { DtlsEvent } from '../dtls';
import type { GodotRuntime } from './runtime';

export function traceDtlsEvent(runtime: GodotRuntime, connection: string, event: DtlsEvent): void {
  switch (event.type) {
    case 'flight':
      runtime.record({
        kind: 'flight',
        connection,
        direction: event.direction,
        flight: event.flight,
        messages: event.messages,
        bytes: event.bytes,
        retransmission: event.retransmission,
      });
      break;
    case 'alert':
      runtime.record({ kind: 'alert', connection, direction: event.direction, level: event.level, description: event.description });
      break;
    case 'record-dropped':
      runtime.record({ kind: 'drop', connection, reason: event.reason });
      break;
    case 'application-data':
      runtime.record({ kind: 'data', connection, direction: event.direction, bytes: event.bytes });
      break;
    case 'handshake-complete':
      runtime.record({ kind: 'handshake', connection, suite: event.suite, group: event.group, extendedMasterSecret: event.extendedMasterSecret });
      break;
    default:
      // States are reported as Godot statuses by PacketPeerDTLS; messages and timers are in the flights.
      break;
  }
}
