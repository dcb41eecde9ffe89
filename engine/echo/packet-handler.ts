// What the echo server asks of a packet handler (`--script FILE.gd`): it is told when a session's
// handshake completes, gets every application-data packet with a way to answer, and is told when
// the session ends. Without a handler the server echoes (or upper-cases) each packet itself.

import type { SessionEndReason } from './session-stats';

/** One client session as a handler sees it. */
export interface HandlerSession {
  /** The server's number for the session (1, 2, …). */
  readonly id: number;
  /** The client's IP address and UDP port. */
  readonly host: string;
  readonly port: number;
  /** The negotiated cipher suite (set once the handshake completed). */
  suite?: string;
  /** Application-data packets received in this session so far (the current one included). */
  packets: number;
}

/** What a handler may do with the session it is called for. */
export interface HandlerReply {
  /** Sends one packet to the client (ignored once the session is gone). */
  send(data: Uint8Array): void;
  /** Closes the session (close_notify) with this reason in the log. */
  close(reason: SessionEndReason): void;
}

export interface PacketHandler {
  /** The session's handshake completed. */
  sessionStarted(session: HandlerSession, reply: HandlerReply): void;
  /** One packet from the client; answers (if any) go through `reply`, now or later. */
  handle(data: Uint8Array, session: HandlerSession, reply: HandlerReply): void;
  /** The session ended (close_notify, idle timeout, failure, shutdown, …). */
  sessionEnded(session: HandlerSession, reason: string): void;
  /** The server stops: no more calls. */
  close(): void;
}
