// Time, OS and the global functions the Godot side provides (var_to_bytes / bytes_to_var).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './godot-helpers';

test('Time: ticks follow the run clock; calendar conversions and strings', async () => {
  const r = await runScript(`
extends Node
func _ready():
  var t0 := Time.get_ticks_msec()
  OS.delay_msec(1500)
  OS.delay_usec(500)
  print(Time.get_ticks_msec() - t0, " ", Time.get_ticks_usec() >= 1500500)
  print(Time.get_datetime_dict_from_unix_time(1700000000))
  print(Time.get_datetime_string_from_unix_time(1700000000), " ", Time.get_datetime_string_from_unix_time(1700000000, true))
  print(Time.get_date_string_from_unix_time(0), " ", Time.get_time_string_from_unix_time(86399))
  print(Time.get_unix_time_from_datetime_string("2023-11-14T22:13:20"), " ", Time.get_unix_time_from_datetime_dict({"year": 2000, "month": 1, "day": 1}))
  print(Time.get_datetime_dict_from_datetime_string("2024-02-29 12:30:00", true))
  print(Time.get_datetime_string_from_datetime_dict({"year": 2024, "month": 2, "day": 29, "hour": 1, "minute": 2, "second": 3}, false))
  print(Time.get_offset_string_from_offset_minutes(-330), " ", Time.get_time_zone_from_system())
  var now := Time.get_unix_time_from_system()
  var d := Time.get_datetime_dict_from_system()
  print(abs(now - Time.get_unix_time_from_datetime_dict(d)) < 2.0, " ", d.has("dst"), " ", Time.MONTH_MARCH, " ", Time.WEEKDAY_FRIDAY)
  print(Time.get_unix_time_from_datetime_string("not a date"))
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints, [
    '1500 true',
    '{ "year": 2023, "month": 11, "day": 14, "weekday": 2, "hour": 22, "minute": 13, "second": 20 }',
    '2023-11-14T22:13:20 2023-11-14 22:13:20',
    '1970-01-01 23:59:59',
    '1700000000 946684800',
    '{ "year": 2024, "month": 2, "day": 29, "weekday": 4, "hour": 12, "minute": 30, "second": 0 }',
    '2024-02-29T01:02:03',
    '-05:30 { "bias": 0, "name": "UTC" }',
    'true true 3 5',
    '0',
  ]);
  assert.ok(r.errors.some((e) => /Invalid ISO 8601 date\/time string/.test(e)));
});

test('OS: delays block only the calling peer; processes, the shell and the environment are refused', async () => {
  const r = await runScript(`
extends Node
func _ready():
  print(OS.get_name(), " ", OS.get_processor_count(), " ", OS.has_feature("pc"), " ", OS.is_debug_build())
  print(OS.execute("/bin/sh", ["-c", "id"]), " ", OS.create_process("rm", ["-rf", "/"]), " ", OS.shell_open("https://example.com"), " ", OS.kill(1))
  print(OS.get_environment("HOME"), "|", OS.has_environment("PATH"))
  OS.set_environment("X", "1")
  print(OS.get_cmdline_args(), " ", OS.get_locale())
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints, ['Linux 2 true true', '-1 -1 2 2', '|false', '[] en_US']);
  assert.ok(r.errors.some((e) => /OS\.execute: the sandbox cannot start programs \("\/bin\/sh" was not run\)/.test(e)));
  assert.ok(r.errors.some((e) => /OS\.shell_open: the sandbox cannot open/.test(e)));
});

test('OS.get_ticks_msec and the other Godot 3 clock functions name their Time replacement', async () => {
  for (const [call, replacement] of [
    ['OS.get_ticks_msec()', 'Time.get_ticks_msec()'],
    ['OS.get_ticks_usec()', 'Time.get_ticks_usec()'],
    ['OS.get_unix_time()', 'Time.get_unix_time_from_system()'],
    ['OS.get_datetime()', 'Time.get_datetime_dict_from_system()'],
  ]) {
    const r = await runScript(`extends Node\nfunc _ready():\n  print(${call})\n`);
    assert.equal(r.failures.length, 1, call);
    assert.ok(r.failures[0].message.endsWith(`is ${replacement} in Godot 4.`), r.failures[0].message);
    assert.match(r.failures[0].message, /^Invalid call\. Nonexistent function '[a-z_]+' in base 'OS'\./);
  }
});

test('var_to_bytes / bytes_to_var are answered by the Godot side', async () => {
  const r = await runScript(`
extends Node
func _ready():
  var b := var_to_bytes({"a": PackedByteArray([1, 2]), "b": -7, "c": 1.0e100})
  var back = bytes_to_var(b)
  print(b.size(), " ", back["a"], " ", back["b"], " ", back["c"] == 1.0e100)
  print(bytes_to_var(PackedByteArray([99, 0, 0, 0])))
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints.slice(0, 1), ['76 [1, 2] -7 true']);
  assert.equal(r.prints[1], '<null>');
  assert.ok(r.errors.some((e) => /unknown Variant type 99/.test(e)));
});
