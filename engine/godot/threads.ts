// Thread, Mutex and Semaphore. A Thread runs its Callable as another resumable task of the same
// peer: the sandbox interleaves it with the main loop (at waits, and every slice of steps), so races
// and the need for a Mutex are real. Blocking calls (wait_to_finish, lock, wait) suspend only the
// calling task.

import { GdCallable } from '../gdscript/values';
import { ErrorCode } from './error-codes';
import { enumOf, GodotObject, opt, param, type ClassSpec } from './method-table';
import { RefCountedSpec } from './object';
import type { FiberHandle, GodotRuntime } from './runtime';
import { int, toNumber } from './variant';
import { WaitFor } from './wait';
import type { Value } from '../gdscript/host';

export class Thread extends GodotObject {
  fiber?: FiberHandle;
  private alive = false;

  constructor(runtime: GodotRuntime) {
    super(ThreadSpec, runtime);
  }

  get started(): boolean {
    return this.fiber !== undefined;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  start(callable: GdCallable): void {
    this.alive = true;
    this.runtime.usage.threads++;
    this.fiber = this.runtime.scheduler.spawn(callable, [], 'thread', `Thread ${this.instanceId}`, () => {
      this.alive = false;
      this.runtime.usage.threads--;
    });
  }

  /** Result of wait_to_finish(); the Thread can be started again afterwards. */
  finish(): Value {
    const result = this.fiber?.result ?? null;
    this.fiber = undefined;
    return result;
  }
}

export const ThreadSpec: ClassSpec<Thread> = {
  name: 'Thread',
  inherits: RefCountedSpec,
  description:
    'Runs a Callable next to the main loop. In the lab a thread is another task of the same peer, interleaved with the others; always wait_to_finish() it.',
  enums: {
    Priority: enumOf('Thread priorities (no effect in the lab).', [
      ['PRIORITY_LOW', 0, 'Low priority.'],
      ['PRIORITY_NORMAL', 1, 'Normal priority.'],
      ['PRIORITY_HIGH', 2, 'High priority.'],
    ]),
  },
  construct: (runtime) => new Thread(runtime),
  methods: {
    start: {
      params: [param('callable', 'Callable'), opt('priority', 'Thread.Priority', 1)],
      returns: 'Error',
      description: 'Starts running the callable (bind arguments with Callable.bind()). ERR_ALREADY_IN_USE when started and not yet waited for.',
      godot3: { godot3: 'start(instance, method, userdata, priority)', godot4: 'start(callable.bind(userdata), priority), e.g. start(_worker.bind(data))' },
      call(self, [callable, priority], ctx) {
        if (self.started) {
          ctx.warn('Thread already started.');
          return int(ErrorCode.ERR_ALREADY_IN_USE);
        }
        const p = toNumber(priority);
        if (!(p >= 0 && p <= 2)) {
          ctx.warn(`Thread.start: invalid priority ${p}.`);
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        if (self.runtime.usage.threads >= self.runtime.limits.maxThreads) {
          ctx.warn(`Thread.start: this peer already runs ${self.runtime.limits.maxThreads} threads, the sandbox's limit. wait_to_finish() the ones that are done.`);
          return int(ErrorCode.ERR_CANT_CREATE);
        }
        self.start(callable as GdCallable);
        return int(ErrorCode.OK);
      },
    },
    wait_to_finish: {
      params: [],
      returns: 'Variant',
      description: 'Blocks until the thread\'s callable returns, and gives its return value. The thread can then be started again.',
      call(self, _args, ctx) {
        const fiber = self.fiber;
        if (!fiber) {
          ctx.warn('Thread must have been started to wait for its completion.');
          return null;
        }
        if (fiber.id === self.runtime.scheduler.currentFiberId()) {
          ctx.warn("A Thread can't wait for itself to finish.");
          return null;
        }
        if (fiber.done) return self.finish();
        return new WaitFor(`Thread.wait_to_finish() (${fiber.name})`, () => fiber.done, () => self.finish(), { sync: true });
      },
    },
    is_alive: { params: [], returns: 'bool', const: true, description: 'Whether the callable is still running.', call: (self) => self.isAlive },
    is_started: {
      params: [],
      returns: 'bool',
      const: true,
      description: 'Whether the thread was started and not yet waited for.',
      call: (self) => self.started,
    },
    get_id: {
      params: [],
      returns: 'String',
      const: true,
      description: 'An id of the running thread ("" when not started).',
      call: (self) => (self.fiber ? String(self.fiber.id) : ''),
    },
  },
  statics: {
    set_thread_safety_checks_enabled: {
      params: [param('enabled', 'bool')],
      returns: 'void',
      description: 'Turns Godot\'s thread-safety checks off for the calling thread (no effect in the lab).',
      call: () => null,
    },
  },
};

export class Mutex extends GodotObject {
  owner?: number;
  depth = 0;

  constructor(runtime: GodotRuntime) {
    super(MutexSpec, runtime);
  }

  tryLock(): boolean {
    const me = this.runtime.scheduler.currentFiberId();
    if (this.owner !== undefined && this.owner !== me) return false;
    this.owner = me;
    this.depth++;
    return true;
  }
}

export const MutexSpec: ClassSpec<Mutex> = {
  name: 'Mutex',
  inherits: RefCountedSpec,
  description: 'A recursive lock: one thread at a time holds it between lock() and unlock(). Use it around data that threads share.',
  construct: (runtime) => new Mutex(runtime),
  methods: {
    lock: {
      params: [],
      returns: 'void',
      description: 'Takes the lock, waiting while another thread holds it. The same thread may lock it again (and must unlock as often).',
      call(self) {
        if (self.tryLock()) return null;
        return new WaitFor(
          'Mutex.lock()',
          () => self.owner === undefined,
          () => {
            self.tryLock();
            return null;
          },
          { sync: true },
        );
      },
    },
    try_lock: { params: [], returns: 'bool', description: 'Takes the lock if nobody else holds it; false otherwise (never waits).', call: (self) => self.tryLock() },
    unlock: {
      params: [],
      returns: 'void',
      description: 'Releases the lock taken by lock() or try_lock().',
      call(self, _args, ctx) {
        if (self.owner !== self.runtime.scheduler.currentFiberId()) {
          ctx.warn('Mutex.unlock: this thread does not hold the lock.');
          return null;
        }
        if (--self.depth === 0) self.owner = undefined;
        return null;
      },
    },
  },
};

export class Semaphore extends GodotObject {
  count = 0;

  constructor(runtime: GodotRuntime) {
    super(SemaphoreSpec, runtime);
  }
}

export const SemaphoreSpec: ClassSpec<Semaphore> = {
  name: 'Semaphore',
  inherits: RefCountedSpec,
  description: 'A counter threads wait on: post() adds one, wait() takes one, waiting while it is zero. Starts at zero.',
  construct: (runtime) => new Semaphore(runtime),
  methods: {
    post: {
      params: [],
      returns: 'void',
      description: 'Adds one to the counter, letting one waiting thread go on.',
      godot3: { godot3: 'post() -> Error', godot4: 'post() (returns nothing)' },
      call(self) {
        self.count++;
        return null;
      },
    },
    try_wait: {
      params: [],
      returns: 'bool',
      description: 'Takes one from the counter if it is not zero; false otherwise (never waits).',
      godot3: { godot3: 'try_wait() -> Error (ERR_BUSY)', godot4: 'try_wait() -> bool' },
      call(self) {
        if (self.count === 0) return false;
        self.count--;
        return true;
      },
    },
    wait: {
      params: [],
      returns: 'void',
      description: 'Takes one from the counter, waiting while it is zero.',
      call(self) {
        if (self.count > 0) {
          self.count--;
          return null;
        }
        return new WaitFor(
          'Semaphore.wait()',
          () => self.count > 0,
          () => {
            self.count--;
            return null;
          },
          { sync: true },
        );
      },
    },
  },
};
