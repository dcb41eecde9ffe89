// A tiny Host for the GDScript interpreter tests: a Counter class whose poll() suspends the caller,
// an OS singleton with delay_msec(), and a Node base class; plus runReady()/printed() to run a few lines
// on it.

import assert from 'node:assert/strict';
import {
  parse, ScriptError, ScriptInstance, Suspend, type CallContext, type Host, type NativeClass, type NativeObject,
  type NativeResult, type Range, type Value,
} from '../../engine/gdscript';

export interface PrintedLine {
  text: string;
  stream: 'stdout' | 'stderr';
  range: Range;
}

export class CounterObject implements NativeObject {
  readonly className = 'Counter';
  count = 0;
  value: Value = 0;
  has(method: string): boolean {
    return ['poll', 'get_count', 'nap', 'fail', 'add'].includes(method);
  }
  call(method: string, args: Value[], ctx: CallContext): NativeResult {
    switch (method) {
      case 'poll':
        this.count++;
        return new Suspend('yield', 0);
      case 'get_count':
        return this.count;
      case 'nap':
        return new Suspend('sleep', Number(args[0]), () => 'rested');
      case 'fail':
        throw new ScriptError('Counter refused.');
      case 'add':
        if (typeof args[0] !== 'number') ctx.warn('add() wants an int.');
        this.count += typeof args[0] === 'number' ? args[0] : 0;
        return this.count;
    }
    throw new ScriptError(`unexpected ${method}`);
  }
  getProperty(name: string): Value | undefined {
    return name === 'value' ? this.value : undefined;
  }
  setProperty(name: string, value: Value): boolean {
    if (name !== 'value') return false;
    this.value = value;
    return true;
  }
}

class NodeObject implements NativeObject {
  readonly className = 'Node';
  name: Value = 'Root';
  has(method: string): boolean {
    return method === 'get_name';
  }
  call(method: string): NativeResult {
    if (method === 'get_name') return this.name;
    throw new ScriptError(`unexpected ${method}`);
  }
  getProperty(name: string): Value | undefined {
    return name === 'name' ? this.name : undefined;
  }
  setProperty(name: string, value: Value): boolean {
    if (name !== 'name') return false;
    this.name = value;
    return true;
  }
}

export class FakeHost implements Host {
  readonly lines: PrintedLine[] = [];
  readonly counters: CounterObject[] = [];
  private readonly classes = new Map<string, NativeClass>();

  constructor() {
    this.classes.set('Counter', {
      name: 'Counter',
      constants: { LIMIT: 3, MODE_FAST: 1 },
      construct: () => {
        const c = new CounterObject();
        this.counters.push(c);
        return c;
      },
    });
    this.classes.set('OS', {
      name: 'OS',
      constants: {},
      hasStatic: (m) => m === 'delay_msec',
      callStatic: (m, args) => new Suspend('sleep', Number(args[0])),
    });
    this.classes.set('Node', { name: 'Node', constants: {}, construct: () => new NodeObject() });
  }

  getClass(name: string): NativeClass | undefined {
    return this.classes.get(name);
  }

  print(text: string, stream: 'stdout' | 'stderr', range: Range): void {
    this.lines.push({ text, stream, range });
  }

  get stdout(): string[] {
    return this.lines.filter((l) => l.stream === 'stdout').map((l) => l.text);
  }
  get stderr(): string[] {
    return this.lines.filter((l) => l.stream === 'stderr').map((l) => l.text);
  }
}

/** What a script run by runReady() printed, and the runtime error that stopped it, if any. */
export interface ReadyOutcome {
  out: string[];
  err: string[];
  error?: string;
}

/** Runs `func _ready():` with the given body lines (after `members`) on a FakeHost. */
export function runReady(body: string[], members: string[] = []): ReadyOutcome {
  const src = ['extends Node', ...members, 'func _ready():', ...body.map((l) => '\t' + l)].join('\n') + '\n';
  const { script, errors } = parse(src);
  assert.deepEqual(errors, [], src);
  const host = new FakeHost();
  const instance = new ScriptInstance(script, host);
  for (const task of [instance.initialize(), instance.call('_ready')]) {
    const r = task.run(1_000_000);
    if (r.kind === 'error') return { out: host.stdout, err: host.stderr, error: r.message };
    assert.equal(r.kind, 'done');
  }
  return { out: host.stdout, err: host.stderr };
}

/** What `print(expr)` prints, or "ERROR: message" for a runtime error. */
export function printed(expr: string): string {
  const r = runReady([`print(${expr})`]);
  return r.error ? 'ERROR: ' + r.error : r.out[0];
}
