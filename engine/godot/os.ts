// The OS and Time singletons: blocking delays suspend the peer; ticks read the run's clock.

import { ScriptError, Suspend } from '../gdscript/host';
import type { ClassSpec } from './method-table';
import { GodotObject } from './method-table';
import { int, toNumber } from './variant';

/** Singletons are looked up as classes with static methods; no instance is ever created. */
abstract class Singleton extends GodotObject {}

const MOVED_TO_TIME = ['get_ticks_msec', 'get_ticks_usec', 'get_unix_time', 'get_datetime', 'get_date', 'get_time', 'get_system_time_msecs'];

export const OSSpec: ClassSpec<Singleton> = {
  name: 'OS',
  methods: {},
  statics: {
    delay_msec: {
      params: [{ name: 'msec', type: 'int' }],
      returns: 'void',
      call: (_rt, [msec]) => new Suspend('sleep', Math.max(0, toNumber(msec))),
    },
    delay_usec: {
      params: [{ name: 'usec', type: 'int' }],
      returns: 'void',
      call: (_rt, [usec]) => new Suspend('sleep', Math.max(0, toNumber(usec)) / 1000),
    },
    get_name: { params: [], returns: 'String', call: () => 'Linux' },
    get_processor_count: { params: [], returns: 'int', call: () => int(2) },
    ...Object.fromEntries(
      MOVED_TO_TIME.map((name) => [
        name,
        {
          params: [],
          returns: 'int',
          call: () => {
            throw new ScriptError(`Invalid call. Nonexistent function '${name}' in base 'OS'. In Godot 4 it is Time.${name.replace('get_system_time_msecs', 'get_unix_time_from_system')}().`);
          },
        },
      ]),
    ),
  },
};

export const TimeSpec: ClassSpec<Singleton> = {
  name: 'Time',
  methods: {},
  statics: {
    get_ticks_msec: { params: [], returns: 'int', call: (rt) => int(Math.floor(rt.now())) },
    get_ticks_usec: { params: [], returns: 'int', call: (rt) => int(Math.floor(rt.now() * 1000)) },
    get_unix_time_from_system: { params: [], returns: 'float', call: () => Date.now() / 1000 },
  },
};
