// Signal connections, kept per object and signal name (for script objects and host objects alike).
// A connection is a Callable (signal.connect(callable)) or a function waiting in `await signal`.

import { GdCallable, type Value } from './values';

/** Object.ConnectFlags */
export const CONNECT_DEFERRED = 1;
export const CONNECT_PERSIST = 2;
export const CONNECT_ONE_SHOT = 4;
export const CONNECT_REFERENCE_COUNTED = 8;

export interface Connection {
  /** Set for signal.connect(callable). */
  callable?: GdCallable;
  /** Set for a function suspended in `await signal` (an interpreter Coroutine). */
  waiter?: unknown;
  flags: number;
  /** The script environment the connection was made from (where its code runs). */
  env: unknown;
}

const table = new WeakMap<object, Map<string, Connection[]>>();

export function connectionsOf(owner: object, name: string): Connection[] {
  return table.get(owner)?.get(name) ?? [];
}

function listFor(owner: object, name: string): Connection[] {
  let bySignal = table.get(owner);
  if (!bySignal) {
    bySignal = new Map();
    table.set(owner, bySignal);
  }
  let list = bySignal.get(name);
  if (!list) {
    list = [];
    bySignal.set(name, list);
  }
  return list;
}

/** Two callables are the same connection target (Godot's Callable ==). */
export function callableEquals(a: GdCallable, b: GdCallable): boolean {
  if (a === b) return true;
  if ((a.inner === undefined) !== (b.inner === undefined)) return false;
  if (a.inner && b.inner) {
    if (a.unbound !== b.unbound) return false;
    const x = a.bound ?? [];
    const y = b.bound ?? [];
    if (x.length !== y.length || x.some((v, i) => !sameSimple(v, y[i]))) return false;
    return callableEquals(a.inner, b.inner);
  }
  if (a.lambda || b.lambda) return a.lambda === b.lambda;
  return a.target === b.target && a.name === b.name;
}

function sameSimple(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && 'value' in a && 'value' in b) {
    return (a as { value: unknown }).value === (b as { value: unknown }).value && a.constructor === b.constructor;
  }
  return false;
}

export function findConnection(owner: object, name: string, callable: GdCallable): Connection | undefined {
  return connectionsOf(owner, name).find((c) => c.callable !== undefined && callableEquals(c.callable, callable));
}

export function addConnection(owner: object, name: string, connection: Connection): void {
  listFor(owner, name).push(connection);
}

export function removeConnection(owner: object, name: string, connection: Connection): void {
  const list = table.get(owner)?.get(name);
  if (!list) return;
  const i = list.indexOf(connection);
  if (i >= 0) list.splice(i, 1);
}

/**
 * The connections an emission reaches, in connection order; one-shot connections and waiting
 * functions are removed (they run once).
 */
export function takeEmission(owner: object, name: string): Connection[] {
  const list = table.get(owner)?.get(name);
  if (!list || list.length === 0) return [];
  const snapshot = list.slice();
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i].waiter !== undefined || (list[i].flags & CONNECT_ONE_SHOT) !== 0) list.splice(i, 1);
  }
  return snapshot;
}
