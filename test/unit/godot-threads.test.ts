// Thread, Mutex and Semaphore: a thread is another task of the same peer, interleaved with the main
// loop; waits block only the calling task; deadlocks and runaway thread counts are reported.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './godot-helpers';

test('threads run next to the main loop; wait_to_finish returns the result; Mutex protects shared data', async () => {
  const r = await runScript(`
extends Node
var counter := 0
var mutex := Mutex.new()
func work(times: int):
  for i in times:
    mutex.lock()
    var seen := counter
    counter = seen + 1
    mutex.unlock()
  return times
func _ready():
  var threads = []
  for i in 4:
    var t := Thread.new()
    print(t.start(work.bind(20000)), " ", t.is_started())
    threads.append(t)
  print(threads[0].start(work.bind(1)))
  var total := 0
  for t in threads:
    total += t.wait_to_finish()
  print(total, " ", counter, " ", threads[0].is_started(), " ", threads[0].is_alive())
  print(OS.get_main_thread_id() == OS.get_thread_caller_id())
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints, ['0 true', '0 true', '0 true', '0 true', '22', '80000 80000 false false', 'true']);
  assert.ok(r.errors.includes('Thread already started.'));
});

test('a thread waits on a Semaphore posted by the main loop; wait() only blocks that thread', async () => {
  const r = await runScript(`
extends Node
var sem := Semaphore.new()
var log := []
var thread := Thread.new()
func consumer():
  for i in 3:
    sem.wait()
    log.append("got %d at %d" % [i, Time.get_ticks_msec()])
  return log.size()
func _ready():
  thread.start(consumer)
  for i in 3:
    OS.delay_msec(100)
    sem.post()
  print(thread.wait_to_finish())
  print(log)
  print(sem.try_wait(), " ", OS.get_thread_caller_id())
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints, ['3', '["got 0 at 100", "got 1 at 200", "got 2 at 300"]', 'false 1']);
});

test('a deadlock (every thread waits for another) is reported at the waiting line', async () => {
  const r = await runScript(`
extends Node
var sem := Semaphore.new()
func _ready():
  var t := Thread.new()
  t.start(func(): sem.wait())
  t.wait_to_finish()
`);
  const deadlock = r.failures.find((f) => f.code === 'deadlock');
  assert.ok(deadlock, JSON.stringify(r.failures));
  assert.match(deadlock.message, /Deadlock: every thread of this peer is waiting for another one \(the main thread waits in Thread\.wait_to_finish\(\).*waits in Semaphore\.wait\(\)\)/);
  assert.equal(deadlock.range.start.line, 8);
});

test('thousands of threads are refused past the sandbox limit of 16', async () => {
  const r = await runScript(`
extends Node
var gate := Semaphore.new()
func _ready():
  var codes = {}
  var keep = []
  for i in 5000:
    var t := Thread.new()
    var err = t.start(func(): gate.wait())
    codes[err] = codes.get(err, 0) + 1
    keep.append(t)
  print(codes)
  for t in keep:
    if t.is_started():
      gate.post()
      t.wait_to_finish()
  print(Thread.new().start(func(): return 1))
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints, ['{ 0: 16, 20: 4984 }', '0']);
  assert.ok(r.errors.some((e) => /already runs 16 threads, the sandbox's limit/.test(e)));
});

test('a runtime error in a thread is reported and the thread ends; Godot 3\'s start(self, "method") names the Callable form', async () => {
  const r = await runScript(`
extends Node
func bad():
  var a = []
  return a[3]
func _ready():
  var t := Thread.new()
  t.start(bad)
  print(t.wait_to_finish())
  t.start(self, "bad")
`);
  assert.deepEqual(r.prints, ['<null>']);
  assert.match(r.failures[0].message, /Out of bounds get index '3'.*\(in Thread \d+\)/);
  assert.match(r.failures[1].message, /Cannot convert argument 1 from Object to Callable\. Godot 3's start\(instance, method, userdata, priority\) is start\(callable\.bind\(userdata\), priority\)/);
});
