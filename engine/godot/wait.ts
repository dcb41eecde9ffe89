// A Suspend that blocks the calling task until a condition holds: Semaphore.wait(), Mutex.lock(),
// Thread.wait_to_finish(), PacketPeerUDP.wait() and `await signal`. The sandbox checks `ready()`
// whenever it looks at the peer, and resumes the task as soon as it is true.

import { Suspend, type Value } from '../gdscript/host';

export interface WaitOptions {
  /** An `await`: the function returns to its caller (the frame loop goes on) and resumes later. */
  coroutine?: boolean;
  /** Only another task of the same peer can end this wait (mutex, semaphore, thread join): used to detect deadlocks. */
  sync?: boolean;
}

export class WaitFor extends Suspend {
  constructor(
    /** What is waited on, for diagnostics: "Semaphore.wait()". */
    readonly reason: string,
    readonly ready: () => boolean,
    resume?: () => Value,
    readonly options: WaitOptions = {},
  ) {
    super('yield', 0, resume);
  }
}

export function isWaitFor(value: unknown): value is WaitFor {
  return value instanceof WaitFor;
}
