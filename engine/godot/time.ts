// Time: ticks since the run started (virtual or wall clock) and calendar conversions. The sandbox's
// system time zone is UTC, so "local" and UTC dates agree and runs do not depend on the machine.

import { ScriptError } from '../gdscript/host';
import { GdDictionary, isDictionary, makeFloat } from '../gdscript/values';
import { enumOf, GodotObject, opt, param, type ClassSpec } from './method-table';
import type { GodotRuntime } from './runtime';
import { dict, int, toNumber } from './variant';
import type { Value } from '../gdscript/host';

abstract class Singleton extends GodotObject {}

interface DateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const pad = (n: number, width = 2) => (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(width, '0');

function fromUnix(seconds: number): DateTime & { weekday: number } {
  const d = new Date(Math.floor(seconds) * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

function toUnix(t: DateTime): number {
  const ms = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  // Date.UTC treats years 0-99 as 1900-1999.
  const fix = t.year >= 0 && t.year < 100 ? new Date(ms).setUTCFullYear(t.year) : ms;
  return Math.floor(fix / 1000);
}

function dateString(t: DateTime): string {
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
}

function timeString(t: DateTime): string {
  return `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

function datetimeString(t: DateTime, useSpace: boolean): string {
  return `${dateString(t)}${useSpace ? ' ' : 'T'}${timeString(t)}`;
}

function dateDict(t: DateTime & { weekday: number }): GdDictionary {
  return dict({ year: int(t.year), month: int(t.month), day: int(t.day), weekday: int(t.weekday) });
}

function timeDict(t: DateTime): GdDictionary {
  return dict({ hour: int(t.hour), minute: int(t.minute), second: int(t.second) });
}

function datetimeDict(t: DateTime & { weekday: number }, weekday = true): GdDictionary {
  const d = dict({ year: int(t.year), month: int(t.month), day: int(t.day) });
  if (weekday) d.set('weekday', int(t.weekday));
  d.set('hour', int(t.hour));
  d.set('minute', int(t.minute));
  d.set('second', int(t.second));
  return d;
}

/** "YYYY-MM-DDTHH:MM:SS", "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD" or "HH:MM:SS". */
function parseDatetime(text: string): DateTime | undefined {
  const full = /^(-?\d+)-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2}):(\d{1,2}))?$/.exec(text.trim());
  if (full) return { year: +full[1], month: +full[2], day: +full[3], hour: +(full[4] ?? 0), minute: +(full[5] ?? 0), second: +(full[6] ?? 0) };
  const time = /^(\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(text.trim());
  if (time) return { year: 1970, month: 1, day: 1, hour: +time[1], minute: +time[2], second: +time[3] };
  return undefined;
}

function fromDict(value: Value): DateTime {
  if (!isDictionary(value)) throw new ScriptError('Time: expected a Dictionary.');
  const get = (key: string, fallback: number) => {
    const v = value.get(key);
    return v === undefined ? fallback : toNumber(v);
  };
  return { year: get('year', 1970), month: get('month', 1), day: get('day', 1), hour: get('hour', 0), minute: get('minute', 0), second: get('second', 0) };
}

function unixNow(rt: GodotRuntime): number {
  return (rt.startedAtUnixMs + rt.now()) / 1000;
}

const utcParam = opt('utc', 'bool', false);
const unixParam = param('unix_time_val', 'int');

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];
const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const title = (s: string) => s[0] + s.slice(1).toLowerCase();

export const TimeSpec: ClassSpec<Singleton> = {
  name: 'Time',
  singleton: true,
  description:
    'Clocks and calendar conversions. Ticks count from the start of the run (virtual time on the virtual link); the system time zone of the sandbox is UTC.',
  enums: {
    Month: enumOf('The months, January = 1.', MONTHS.map((m, i) => [`MONTH_${m}`, i + 1, `${title(m)}.`] as [string, number, string])),
    Weekday: enumOf('The days of the week, Sunday = 0.', WEEKDAYS.map((d, i) => [`WEEKDAY_${d}`, i, `${title(d)}.`] as [string, number, string])),
  },
  methods: {},
  statics: {
    get_ticks_msec: {
      params: [],
      returns: 'int',
      const: true,
      description: 'Milliseconds since the program (the run) started.',
      godot3: { godot3: 'OS.get_ticks_msec()', godot4: 'Time.get_ticks_msec()' },
      call: (rt) => int(Math.floor(rt.now())),
    },
    get_ticks_usec: {
      params: [],
      returns: 'int',
      const: true,
      description: 'Microseconds since the program (the run) started.',
      godot3: { godot3: 'OS.get_ticks_usec()', godot4: 'Time.get_ticks_usec()' },
      call: (rt) => int(Math.floor(rt.now() * 1000)),
    },
    get_unix_time_from_system: {
      params: [],
      returns: 'float',
      const: true,
      description: 'Seconds since the Unix epoch (1970-01-01 UTC), with fractions.',
      godot3: { godot3: 'OS.get_unix_time()', godot4: 'Time.get_unix_time_from_system()' },
      call: (rt) => makeFloat(unixNow(rt)),
    },
    get_datetime_dict_from_system: {
      params: [utcParam],
      returns: 'Dictionary',
      const: true,
      description: 'The current date and time: year, month, day, weekday, hour, minute, second and dst.',
      godot3: { godot3: 'OS.get_datetime()', godot4: 'Time.get_datetime_dict_from_system()' },
      call(rt) {
        const d = datetimeDict(fromUnix(unixNow(rt)));
        d.set('dst', false);
        return d;
      },
    },
    get_date_dict_from_system: {
      params: [utcParam],
      returns: 'Dictionary',
      const: true,
      description: 'The current date: year, month, day and weekday.',
      godot3: { godot3: 'OS.get_date()', godot4: 'Time.get_date_dict_from_system()' },
      call: (rt) => dateDict(fromUnix(unixNow(rt))),
    },
    get_time_dict_from_system: {
      params: [utcParam],
      returns: 'Dictionary',
      const: true,
      description: 'The current time: hour, minute and second.',
      godot3: { godot3: 'OS.get_time()', godot4: 'Time.get_time_dict_from_system()' },
      call: (rt) => timeDict(fromUnix(unixNow(rt))),
    },
    get_datetime_string_from_system: {
      params: [utcParam, opt('use_space', 'bool', false)],
      returns: 'String',
      const: true,
      description: 'The current date and time as "YYYY-MM-DDTHH:MM:SS" (a space instead of T with use_space).',
      call: (rt, [, useSpace]) => datetimeString(fromUnix(unixNow(rt)), useSpace === true),
    },
    get_date_string_from_system: { params: [utcParam], returns: 'String', const: true, description: 'The current date as "YYYY-MM-DD".', call: (rt) => dateString(fromUnix(unixNow(rt))) },
    get_time_string_from_system: { params: [utcParam], returns: 'String', const: true, description: 'The current time as "HH:MM:SS".', call: (rt) => timeString(fromUnix(unixNow(rt))) },
    get_time_zone_from_system: {
      params: [],
      returns: 'Dictionary',
      const: true,
      description: 'The system time zone: bias (minutes from UTC) and name. Always UTC in the sandbox.',
      call: () => dict({ bias: int(0), name: 'UTC' }),
    },
    get_datetime_dict_from_unix_time: {
      params: [unixParam],
      returns: 'Dictionary',
      const: true,
      description: 'The UTC date and time of a Unix time: year, month, day, weekday, hour, minute, second.',
      call: (_rt, [t]) => datetimeDict(fromUnix(toNumber(t))),
    },
    get_date_dict_from_unix_time: {
      params: [unixParam],
      returns: 'Dictionary',
      const: true,
      description: 'The UTC date of a Unix time: year, month, day, weekday.',
      call: (_rt, [t]) => dateDict(fromUnix(toNumber(t))),
    },
    get_time_dict_from_unix_time: {
      params: [unixParam],
      returns: 'Dictionary',
      const: true,
      description: 'The UTC time of day of a Unix time: hour, minute, second.',
      call: (_rt, [t]) => timeDict(fromUnix(toNumber(t))),
    },
    get_datetime_string_from_unix_time: {
      params: [unixParam, opt('use_space', 'bool', false)],
      returns: 'String',
      const: true,
      description: 'A Unix time as "YYYY-MM-DDTHH:MM:SS" (UTC).',
      call: (_rt, [t, useSpace]) => datetimeString(fromUnix(toNumber(t)), useSpace === true),
    },
    get_date_string_from_unix_time: {
      params: [unixParam],
      returns: 'String',
      const: true,
      description: 'The date of a Unix time as "YYYY-MM-DD" (UTC).',
      call: (_rt, [t]) => dateString(fromUnix(toNumber(t))),
    },
    get_time_string_from_unix_time: {
      params: [unixParam],
      returns: 'String',
      const: true,
      description: 'The time of day of a Unix time as "HH:MM:SS" (UTC).',
      call: (_rt, [t]) => timeString(fromUnix(toNumber(t))),
    },
    get_datetime_dict_from_datetime_string: {
      params: [param('datetime', 'String'), param('weekday', 'bool')],
      returns: 'Dictionary',
      const: true,
      description: 'Parses "YYYY-MM-DDTHH:MM:SS" (or a date, or a time) into a dictionary; with weekday, adds the day of the week.',
      call(_rt, [text, weekday], ctx) {
        const t = parseDatetime(String(text));
        if (!t) {
          ctx.warn(`Invalid ISO 8601 date/time string: "${String(text)}".`);
          return new GdDictionary();
        }
        return datetimeDict({ ...t, weekday: fromUnix(toUnix(t)).weekday }, weekday === true);
      },
    },
    get_datetime_string_from_datetime_dict: {
      params: [param('datetime', 'Dictionary'), param('use_space', 'bool')],
      returns: 'String',
      const: true,
      description: 'Formats a date/time dictionary as "YYYY-MM-DDTHH:MM:SS".',
      call: (_rt, [d, useSpace]) => datetimeString(fromDict(d), useSpace === true),
    },
    get_unix_time_from_datetime_dict: {
      params: [param('datetime', 'Dictionary')],
      returns: 'int',
      const: true,
      description: 'The Unix time of a date/time dictionary (read as UTC; missing keys are 1970-01-01 00:00:00).',
      call: (_rt, [d]) => int(toUnix(fromDict(d))),
    },
    get_unix_time_from_datetime_string: {
      params: [param('datetime', 'String')],
      returns: 'int',
      const: true,
      description: 'The Unix time of a "YYYY-MM-DDTHH:MM:SS" string (read as UTC).',
      call(_rt, [text], ctx) {
        const t = parseDatetime(String(text));
        if (!t) {
          ctx.warn(`Invalid ISO 8601 date/time string: "${String(text)}".`);
          return int(0);
        }
        return int(toUnix(t));
      },
    },
    get_offset_string_from_offset_minutes: {
      params: [param('offset_minutes', 'int')],
      returns: 'String',
      const: true,
      description: 'A time zone offset in minutes as "+HH:MM" / "-HH:MM".',
      call(_rt, [minutes]) {
        const m = toNumber(minutes);
        const sign = m < 0 ? '-' : '+';
        const a = Math.abs(m);
        return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
      },
    },
  },
};
