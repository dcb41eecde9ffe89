// A tiny Host for the GDScript interpreter tests: a Counter class whose poll() suspends the caller,
// an OS singleton with delay_msec(), and a Node base class.

import {
  ScriptError, Suspend, type CallContext, type Host, type NativeClass, type NativeObject, type NativeResult,
  type Range, type Value,
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
