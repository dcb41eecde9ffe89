// The boundary between the interpreter and the Godot API it runs against. The host (engine/godot)
// provides native classes and singletons; the interpreter calls them and honours their requests
// to suspend the calling peer.

import type { Range } from './range';
import type { Value } from './values';

export type { Value } from './values';
export type { Range, Position } from './range';

export interface Host {
  /**
   * Look up a global class or singleton by name (UDPServer, PacketPeerDTLS, TLSOptions, Crypto, OS,
   * Time, and the script's `extends` base such as Node). `undefined` → the interpreter reports
   * `Identifier "X" not declared in the current scope.`
   */
  getClass(name: string): NativeClass | undefined;
  /**
   * Output of print()/prints()/printt()/printraw()/print_rich() ('stdout') and printerr() ('stderr').
   * push_error()/push_warning() and CallContext.warn() also come here on 'stderr', prefixed with
   * "ERROR: " / "WARNING: ". One call per printed line, without the trailing newline.
   * `range` is the range of the call expression.
   */
  print(text: string, stream: 'stdout' | 'stderr', range: Range): void;
  /**
   * `load(path)`: a resource from the host's files (res://, user://). Absent → load() is a runtime
   * error saying the script runs on its own. Throws ScriptError when the path cannot be loaded.
   */
  load?(path: string, ctx: CallContext): Value;
}

export interface NativeClass {
  readonly name: string;
  /** Integer constants/enum values, e.g. STATUS_HANDSHAKING → 1. */
  readonly constants: Record<string, Value>;
  /** `X.new()`; absent for singletons/static-only classes (then `X.new()` is a runtime error). */
  construct?(ctx: CallContext): NativeObject;
  /** Static / singleton methods: TLSOptions.client_unsafe(), OS.delay_msec(10), Time.get_ticks_msec(). */
  callStatic?(method: string, args: Value[], ctx: CallContext): NativeResult;
  /** Whether callStatic() knows `method`; when absent every name is passed to callStatic(). */
  hasStatic?(method: string): boolean;
}

export interface NativeObject {
  readonly className: string;
  call(method: string, args: Value[], ctx: CallContext): NativeResult;
  has(method: string): boolean;
  getProperty?(name: string): Value | undefined;
  setProperty?(name: string, value: Value): boolean;
  /** Optional: `is`-checks against base classes (`peer is PacketPeer`). Default: className === name. */
  isClass?(name: string): boolean;
  /** Optional: how str()/print() show the object. Default: `<ClassName#id>`. */
  stringify?(): string;
}

/** What a native call returns: a value, or a request to suspend this peer. */
export type NativeResult = Value | Suspend;

export class Suspend {
  constructor(
    /** 'yield' = give other peers a turn now (poll()); 'sleep' = block for `ms` milliseconds (OS.delay_msec). */
    readonly kind: 'yield' | 'sleep',
    readonly ms: number,
    /** Computes the call's result when the peer is resumed (default: null). May throw ScriptError. */
    readonly resume?: () => Value,
  ) {}
}

export interface CallContext {
  /** Range of the call expression in the document (for errors/decorations). */
  readonly range: Range;
  /** Report a Godot-style error line (like Godot's ERR_FAIL_* prints) without stopping the script. */
  warn(message: string): void;
}

/** Thrown by natives to stop the script with a runtime error at the call site. The interpreter also uses it internally. */
export class ScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptError';
  }
}
