// Signals of emulated objects. The interpreter owns signal values, connections and `await`
// (engine/gdscript/signals.ts, GdSignal): `timer.timeout` is a GdSignal whose owner is the emulated
// object, so `timer.timeout.connect(f)` and `await timer.timeout` work through it. This file adds the
// Object methods (connect("timeout", f), emit_signal(...)) on emulated objects, with Godot's checks,
// and the host side of an emission (a timer firing): awaiting functions and connected callables are
// queued on their scripts and run in the peer's next task.

import type { CallContext, Value } from '../gdscript/host';
import { emitSignal as queueEmission } from '../gdscript/interpreter';
import { addConnection, connectionsOf, findConnection, removeConnection } from '../gdscript/signals';
import { GdCallable } from '../gdscript/values';
import { ErrorCode } from './error-codes';
import type { GodotObject } from './method-table';

function callableName(callable: GdCallable): string {
  const target = callable.target as { className?: string } | null;
  return `${target?.className ?? 'null'}::${callable.name}`;
}

/** The script environment a callable's code runs in (where emissions are queued). */
function environmentOf(callable: GdCallable): unknown {
  const target = callable.resolve([]).callable.target as { env?: unknown } | null;
  return target?.env;
}

/** Object.connect on an emulated object: Godot's checks and error codes. */
export function connectSignal(owner: GodotObject, name: string, callable: GdCallable, flags: number, ctx: CallContext): number {
  if (!owner.hasSignal(name)) {
    ctx.warn(`In Object of type '${owner.className}': Attempt to connect nonexistent signal '${name}' to callable '${callableName(callable)}'.`);
    return ErrorCode.ERR_INVALID_PARAMETER;
  }
  if (findConnection(owner, name, callable)) {
    ctx.warn(`Signal '${name}' is already connected to given callable '${callableName(callable)}' in that object.`);
    return ErrorCode.ERR_INVALID_PARAMETER;
  }
  const limit = owner.runtime.limits.maxConnections;
  if (connectionsOf(owner, name).length >= limit) {
    ctx.warn(`Signal '${name}' already has ${limit} connections: that is the sandbox's limit.`);
    return ErrorCode.ERR_OUT_OF_MEMORY;
  }
  const env = environmentOf(callable);
  if (env === undefined) {
    ctx.warn(`Object.connect: '${callableName(callable)}' is not a function of the script; connect a method or a lambda.`);
    return ErrorCode.ERR_INVALID_PARAMETER;
  }
  addConnection(owner, name, { callable, flags, env });
  return ErrorCode.OK;
}

export function disconnectSignal(owner: GodotObject, name: string, callable: GdCallable, ctx: CallContext): void {
  const connection = findConnection(owner, name, callable);
  if (!connection) {
    ctx.warn(`Attempt to disconnect a nonexistent connection from '${owner.className}'. Signal: '${name}', callable: '${callableName(callable)}'.`);
    return;
  }
  removeConnection(owner, name, connection);
}

export function isSignalConnected(owner: GodotObject, name: string, callable: GdCallable): boolean {
  return findConnection(owner, name, callable) !== undefined;
}

/** The host emits a signal (a timer's timeout, a frame): queued on the scripts that listen. */
export function emitNativeSignal(owner: GodotObject, name: string, args: Value[]): void {
  queueEmission(owner, name, args);
}
