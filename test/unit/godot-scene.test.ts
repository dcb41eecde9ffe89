// Node, SceneTree and SceneTreeTimer: the lifecycle callbacks, 60 Hz frames, timers awaited or
// connected, the tree's frame signals, quit() and _exit_tree(), and the timer limit.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './godot-helpers';

test('_enter_tree, _ready, then _physics_process before _process every 1/60 s; quit() runs _exit_tree', async () => {
  const r = await runScript(`
extends Node
var frames := 0
func _enter_tree():
  print("enter ", is_inside_tree(), " ", get_parent().name)
func _ready():
  print("ready")
func _physics_process(delta):
  print("physics %.4f" % delta)
func _process(delta):
  frames += 1
  print("process %d %d" % [frames, get_tree().get_frame()])
  if frames == 3:
    get_tree().quit()
func _exit_tree():
  print("exit at %d ms" % Time.get_ticks_msec())
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints, [
    'enter true root',
    'ready',
    'physics 0.0167',
    'process 1 1',
    'physics 0.0167',
    'process 2 2',
    'physics 0.0167',
    'process 3 3',
    'exit at 33 ms',
  ]);
});

test('await on a SceneTreeTimer, a connected timeout, process_frame and signals of the tree', async () => {
  const r = await runScript(`
extends Node
func _ready():
  var t0 := Time.get_ticks_msec()
  var timer := get_tree().create_timer(0.25)
  timer.timeout.connect(func(): print("connected callback at ", Time.get_ticks_msec() - t0))
  print("time_left ", snapped(timer.time_left, 0.01))
  await timer.timeout
  print("awaited at ", Time.get_ticks_msec() - t0)
  await get_tree().process_frame
  print("after a frame")
  var other := get_tree().create_timer(0.1)
  other.connect("timeout", _on_timeout)
  print(other.connect("timeout", _on_timeout), " ", other.connect("no_such_signal", _on_timeout))
  await get_tree().create_timer(0.2).timeout
  get_tree().quit()
func _on_timeout():
  print("method callback")
`);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.prints, ['time_left 0.25', 'connected callback at 250', 'awaited at 250', 'after a frame', '31 31', 'method callback']);
  assert.ok(r.errors.some((e) => /Signal 'timeout' is already connected/.test(e)));
  assert.ok(r.errors.some((e) => /Attempt to connect nonexistent signal 'no_such_signal'/.test(e)));
});

test('a script without _process ends after _ready, unless something is still pending', async () => {
  const r = await runScript(`
extends Node
func _ready():
  print("start")
  get_tree().create_timer(0.5).timeout.connect(func(): print("late timer"))
`);
  assert.deepEqual(r.prints, ['start', 'late timer']);
  assert.equal(r.report.peers.find((p) => p.name === 'client')!.crashed, false);
});

test('nodes: add_child, get_node, remove_child and queue_free', async () => {
  const r = await runScript(`
extends Node
func _ready():
  var a := Node.new()
  a.name = "A"
  var b := Node.new()
  b.name = "B"
  a.tree_entered.connect(func(): print("A entered"))
  add_child(a)
  a.add_child(b)
  print(get_child_count(), " ", get_node("A/B").name, " ", has_node("A/C"), " ", b.get_parent().name, " ", b.is_inside_tree())
  print(get_node_or_null("/root/client/A") == a, " ", get_children().size())
  a.remove_child(b)
  print(b.is_inside_tree(), " ", a.get_child_count())
  a.queue_free()
  print(get_child_count(), " ", a.is_queued_for_deletion())
  add_child(b)
  add_child(b)
  set_physics_process(false)
  print(is_physics_processing(), " ", is_processing())
  get_node("Missing")
`);
  // Signals emitted by the engine (tree_entered) reach script callables at the start of the peer's next task.
  assert.deepEqual(r.prints.slice(0, 5), ['1 B false A true', 'true 1', 'false 0', '0 true', 'false true']);
  assert.ok(r.errors.some((e) => /already has a parent/.test(e)));
  assert.match(r.failures[0]?.message ?? '', /Node not found: "Missing"/);
});

test('timers are bounded per peer', async () => {
  const r = await runScript(`
extends Node
func _ready():
  for i in 300:
    get_tree().create_timer(10.0)
`);
  assert.match(r.failures[0]?.message ?? '', /already has 256 pending timers, the sandbox's limit/);
});
