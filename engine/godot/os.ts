// The OS singleton: blocking delays suspend the calling task; processes, the environment and the
// shell are out of the sandbox's reach (refused with an error line). Godot 3's OS clock and calendar
// functions moved to Time: calling them is an error that names the replacement.

import { ScriptError, Suspend } from '../gdscript/host';
import { GdPackedArray, PACKED_STRING } from '../gdscript/packed-arrays';
import { GdArray } from '../gdscript/values';
import { ErrorCode } from './error-codes';
import { GodotObject, opt, param, type ClassSpec, type RemovedSpec } from './method-table';
import { int, toNumber } from './variant';

/** Singletons are looked up as classes with static methods; no instance is ever created. */
abstract class Singleton extends GodotObject {}

/** `expression`: the whole Godot 4 replacement when it is more than the call (units, int conversion). */
const moved = (godot3: string, godot4: string, expression = `Time.${godot4}()`): RemovedSpec => ({
  godot3: `OS.${godot3}()`,
  godot4: expression,
  description: `Moved to the Time singleton in Godot 4: ${expression}.`,
  static: true,
});

const FEATURES = new Set(['pc', 'linux', 'debug', '64', 'x86_64', 'template']);

export const OSSpec: ClassSpec<Singleton> = {
  name: 'OS',
  singleton: true,
  description:
    'The operating system, as far as the sandbox shows it: blocking delays, a few facts about the machine. Processes, environment variables and the shell are refused.',
  partial: 'Only delays, basic information and refusals; window, display, file-system and process management are not emulated.',
  removed: {
    get_ticks_msec: moved('get_ticks_msec', 'get_ticks_msec'),
    get_ticks_usec: moved('get_ticks_usec', 'get_ticks_usec'),
    get_unix_time: moved('get_unix_time', 'get_unix_time_from_system'),
    get_system_time_secs: moved('get_system_time_secs', 'get_unix_time_from_system', 'int(Time.get_unix_time_from_system())'),
    get_system_time_msecs: moved('get_system_time_msecs', 'get_unix_time_from_system', 'int(Time.get_unix_time_from_system() * 1000)'),
    get_datetime: moved('get_datetime', 'get_datetime_dict_from_system'),
    get_date: moved('get_date', 'get_date_dict_from_system'),
    get_time: moved('get_time', 'get_time_dict_from_system'),
    get_time_zone_info: moved('get_time_zone_info', 'get_time_zone_from_system'),
    get_datetime_from_unix_time: moved('get_datetime_from_unix_time', 'get_datetime_dict_from_unix_time'),
    get_unix_time_from_datetime: moved('get_unix_time_from_datetime', 'get_unix_time_from_datetime_dict'),
  },
  methods: {},
  statics: {
    delay_msec: {
      params: [param('msec', 'int')],
      returns: 'void',
      const: true,
      description: 'Blocks the calling thread (here: task) for msec milliseconds. The other peer keeps running.',
      call: (_rt, [msec]) => new Suspend('sleep', Math.max(0, toNumber(msec))),
    },
    delay_usec: {
      params: [param('usec', 'int')],
      returns: 'void',
      const: true,
      description: 'Blocks the calling thread (here: task) for usec microseconds.',
      call: (_rt, [usec]) => new Suspend('sleep', Math.max(0, toNumber(usec)) / 1000),
    },
    get_name: { params: [], returns: 'String', const: true, description: 'The name of the operating system ("Linux" in the sandbox).', call: () => 'Linux' },
    get_processor_count: { params: [], returns: 'int', const: true, description: 'The number of CPU cores (2 in the sandbox).', call: () => int(2) },
    get_processor_name: { params: [], returns: 'String', const: true, description: 'The CPU model name.', call: () => 'Godot DTLS Lab sandbox CPU' },
    get_cmdline_args: { params: [], returns: 'PackedStringArray', description: 'The command-line arguments (none in the sandbox).', call: () => new GdPackedArray(PACKED_STRING) },
    get_cmdline_user_args: { params: [], returns: 'PackedStringArray', description: 'The arguments after `--` (none in the sandbox).', call: () => new GdPackedArray(PACKED_STRING) },
    get_environment: {
      params: [param('variable', 'String')],
      returns: 'String',
      const: true,
      description: 'The value of an environment variable. The sandbox shows none: always "".',
      call: () => '',
    },
    has_environment: { params: [param('variable', 'String')], returns: 'bool', const: true, description: 'Whether an environment variable is set (never, in the sandbox).', call: () => false },
    set_environment: {
      params: [param('variable', 'String'), param('value', 'String')],
      returns: 'void',
      const: true,
      description: 'Sets an environment variable. Refused in the sandbox.',
      call(_rt, [name], ctx) {
        ctx.warn(`OS.set_environment: the sandbox has no environment; "${String(name)}" was not set.`);
        return null;
      },
    },
    unset_environment: {
      params: [param('variable', 'String')],
      returns: 'void',
      const: true,
      description: 'Removes an environment variable. Refused in the sandbox.',
      call(_rt, [name], ctx) {
        ctx.warn(`OS.unset_environment: the sandbox has no environment; "${String(name)}" is unchanged.`);
        return null;
      },
    },
    is_debug_build: { params: [], returns: 'bool', const: true, description: 'Whether this is a debug build (true: the lab runs like the editor).', call: () => true },
    is_stdout_verbose: { params: [], returns: 'bool', const: true, description: 'Whether verbose output is on (false).', call: () => false },
    has_feature: {
      params: [param('tag_name', 'String')],
      returns: 'bool',
      const: true,
      description: 'Whether a feature tag applies ("pc", "linux", "debug", "64", "x86_64" in the sandbox).',
      call: (_rt, [tag]) => FEATURES.has(String(tag)),
    },
    get_locale: { params: [], returns: 'String', const: true, description: 'The locale ("en_US").', call: () => 'en_US' },
    get_locale_language: { params: [], returns: 'String', const: true, description: 'The language of the locale ("en").', call: () => 'en' },
    get_unique_id: { params: [], returns: 'String', const: true, description: 'An id of the device (the peer\'s name in the sandbox).', call: (rt) => `dtls-lab-${rt.peer}` },
    get_process_id: { params: [], returns: 'int', const: true, description: 'The id of the process (a fixed number per peer in the sandbox).', call: (rt) => int(4000 + rt.peer.length) },
    get_thread_caller_id: {
      params: [],
      returns: 'int',
      const: true,
      description: 'The id of the calling thread (task); compare with get_main_thread_id().',
      call: (rt) => int(rt.scheduler.currentFiberId()),
    },
    get_main_thread_id: { params: [], returns: 'int', const: true, description: 'The id of the main thread.', call: (rt) => int(rt.scheduler.mainFiberId) },
    execute: {
      params: [param('path', 'String'), param('arguments', 'PackedStringArray'), opt('output', 'Array', () => new GdArray(), '[]'), opt('read_stderr', 'bool', false), opt('open_console', 'bool', false)],
      returns: 'int',
      description: 'Runs a program and waits for it. Refused in the sandbox (returns -1).',
      call(_rt, [path], ctx) {
        ctx.warn(`OS.execute: the sandbox cannot start programs ("${String(path)}" was not run).`);
        return int(-1);
      },
    },
    create_process: {
      params: [param('path', 'String'), param('arguments', 'PackedStringArray'), opt('open_console', 'bool', false)],
      returns: 'int',
      description: 'Starts a program. Refused in the sandbox (returns -1).',
      call(_rt, [path], ctx) {
        ctx.warn(`OS.create_process: the sandbox cannot start programs ("${String(path)}" was not run).`);
        return int(-1);
      },
    },
    kill: {
      params: [param('pid', 'int')],
      returns: 'Error',
      description: 'Ends a process. Refused in the sandbox.',
      call(_rt, [pid], ctx) {
        ctx.warn(`OS.kill: the sandbox cannot signal processes (pid ${toNumber(pid)}).`);
        return int(ErrorCode.ERR_UNAVAILABLE);
      },
    },
    shell_open: {
      params: [param('uri', 'String')],
      returns: 'Error',
      description: 'Opens a URI with the desktop. Refused in the sandbox.',
      call(_rt, [uri], ctx) {
        ctx.warn(`OS.shell_open: the sandbox cannot open "${String(uri)}".`);
        return int(ErrorCode.ERR_UNAVAILABLE);
      },
    },
    crash: {
      params: [param('message', 'String')],
      returns: 'void',
      description: 'Crashes the program with a message (stops this peer with a runtime error).',
      call(_rt, [message]) {
        throw new ScriptError(`OS.crash: ${String(message)}`);
      },
    },
  },
};
