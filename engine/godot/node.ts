// Node, SceneTree and SceneTreeTimer, enough for a snippet's own script: the sandbox puts the
// script's node in the tree, calls _enter_tree() and _ready(), then every frame (60 per second)
// _physics_process(delta) and _process(delta), and emits the tree's physics_frame / process_frame
// signals. Timers from create_timer() fire on the run's clock.

import { ScriptError } from '../gdscript/host';
import { connectionsOf } from '../gdscript/signals';
import { GdArray, makeFloat } from '../gdscript/values';
import { enumOf, GodotObject, opt, param, type ClassSpec } from './method-table';
import { ObjectSpec, RefCountedSpec } from './object';
import type { GodotRuntime } from './runtime';
import { float, int, toNumber } from './variant';
import type { CallContext, Value } from '../gdscript/host';

const FRAME_SECONDS = 1 / 60;

export class NodeObject extends GodotObject {
  name = '';
  parent?: NodeObject;
  readonly children: NodeObject[] = [];
  inTree = false;
  queuedForDeletion = false;
  /** The node whose script is the snippet (set by the sandbox). */
  isScriptRoot = false;

  constructor(runtime: GodotRuntime) {
    super(NodeSpec, runtime);
  }

  setInTree(inTree: boolean): void {
    if (this.inTree === inTree) return;
    if (!inTree) this.emitSignal('tree_exiting');
    this.inTree = inTree;
    for (const child of this.children) child.setInTree(inTree);
    this.emitSignal(inTree ? 'tree_entered' : 'tree_exited');
  }

  addChild(child: NodeObject): void {
    child.parent = this;
    this.children.push(child);
    if (!child.name) child.name = `@Node@${child.instanceId % 100000}`;
    child.setInTree(this.inTree);
    this.emitSignal('child_entered_tree', [child]);
  }

  removeChild(child: NodeObject): void {
    const i = this.children.indexOf(child);
    if (i < 0) return;
    this.emitSignal('child_exiting_tree', [child]);
    this.children.splice(i, 1);
    child.parent = undefined;
    child.setInTree(false);
  }

  findNode(path: string): NodeObject | undefined {
    let node: NodeObject | undefined = this;
    const parts = path.split('/').filter((p) => p && p !== '.');
    if (path.startsWith('/')) {
      node = sceneTree(this.runtime).root;
      if (parts.shift() !== node.name) return undefined;
    }
    for (const part of parts) {
      if (!node) return undefined;
      if (part === '..') node = node.parent;
      else node = node.children.find((c) => c.name === part);
    }
    return node;
  }

  override stringify(): string {
    return `${this.name || this.className}:<${this.className}#${this.instanceId}>`;
  }
}

export class SceneTree extends GodotObject {
  readonly root: NodeObject;

  constructor(runtime: GodotRuntime) {
    super(SceneTreeSpec, runtime);
    this.root = new NodeObject(runtime);
    this.root.name = 'root';
    this.root.inTree = true;
  }
}

/** The peer's SceneTree (one per peer). */
export function sceneTree(runtime: GodotRuntime): SceneTree {
  let tree = runtime.singletons.get('SceneTree') as SceneTree | undefined;
  if (!tree) {
    tree = new SceneTree(runtime);
    runtime.singletons.set('SceneTree', tree);
  }
  return tree;
}

/** The sandbox puts the script's own node under the tree's root before _enter_tree()/_ready(). */
export function enterScriptNode(runtime: GodotRuntime, base: unknown, name: string): void {
  if (!(base instanceof NodeObject)) return;
  base.isScriptRoot = true;
  if (!base.name) base.name = name;
  sceneTree(runtime).root.addChild(base);
}

/** Whether something waits for the tree's frame signals (then frames go on even without _process()). */
export function wantsFrames(runtime: GodotRuntime): boolean {
  const tree = runtime.singletons.get('SceneTree') as SceneTree | undefined;
  return tree !== undefined && (connectionsOf(tree, 'process_frame').length > 0 || connectionsOf(tree, 'physics_frame').length > 0);
}

/** Emits SceneTree.physics_frame or process_frame, when the tree exists (someone asked for it). */
export function emitFrameSignal(runtime: GodotRuntime, which: 'physics_frame' | 'process_frame'): void {
  const tree = runtime.singletons.get('SceneTree') as SceneTree | undefined;
  tree?.emitSignal(which);
}

function nodeArg(value: Value, method: string, ctx: CallContext): NodeObject | undefined {
  if (value instanceof NodeObject) return value;
  ctx.warn(`Node.${method}: the argument is not a Node.`);
  return undefined;
}

export class SceneTreeTimer extends GodotObject {
  private deadline = 0;
  private timer?: { cancel(): void };

  constructor(runtime: GodotRuntime) {
    super(SceneTreeTimerSpec, runtime);
  }

  schedule(seconds: number): void {
    this.timer?.cancel();
    this.deadline = this.runtime.now() + Math.max(0, seconds) * 1000;
    this.timer = this.runtime.timers.add(this.deadline, () => {
      this.timer = undefined;
      this.emitSignal('timeout');
    });
  }

  get timeLeft(): number {
    return this.timer ? Math.max(0, this.deadline - this.runtime.now()) / 1000 : 0;
  }
}

export const SceneTreeTimerSpec: ClassSpec<SceneTreeTimer> = {
  name: 'SceneTreeTimer',
  inherits: RefCountedSpec,
  description: 'A one-shot timer made by SceneTree.create_timer(): emits `timeout` once its time has passed. `await get_tree().create_timer(1.0).timeout` waits one second.',
  properties: {
    time_left: { type: 'float', description: 'Seconds until `timeout`.', getter: 'get_time_left', setter: 'set_time_left' },
  },
  signals: { timeout: { params: [], description: 'Emitted when the time is up.' } },
  methods: {
    get_time_left: { params: [], returns: 'float', const: true, description: 'Getter of time_left.', call: (self) => float(self.timeLeft) },
    set_time_left: {
      params: [param('time', 'float')],
      returns: 'void',
      description: 'Setter of time_left: restarts the countdown.',
      call(self, [time]) {
        self.schedule(toNumber(time));
        return null;
      },
    },
  },
};

export const SceneTreeSpec: ClassSpec<SceneTree> = {
  name: 'SceneTree',
  inherits: ObjectSpec,
  description: "The tree of nodes of one peer, and its main loop: frames, timers, quitting. get_tree() gives it.",
  partial: 'Frames, timers, the root and quitting; no groups, pausing, multiplayer or scene changes.',
  properties: {
    root: { type: 'Window', description: 'The root of the tree (a plain Node in the lab; the script\'s node is its child).', getter: 'get_root' },
  },
  signals: {
    process_frame: {
      params: [],
      description: 'Emitted every frame, just before the nodes\' _process().',
      godot3: { godot3: 'idle_frame', godot4: 'process_frame' },
    },
    physics_frame: { params: [], description: "Emitted every physics frame, just before the nodes' _physics_process()." },
    tree_changed: { params: [], description: 'Emitted when nodes are added, removed or moved.' },
    node_added: { params: [param('node', 'Node')], description: 'Emitted when a node enters the tree.' },
    node_removed: { params: [param('node', 'Node')], description: 'Emitted when a node leaves the tree.' },
  },
  methods: {
    create_timer: {
      params: [param('time_sec', 'float'), opt('process_always', 'bool', true), opt('process_in_physics', 'bool', false), opt('ignore_time_scale', 'bool', false)],
      returns: 'SceneTreeTimer',
      description: 'A timer that emits `timeout` after time_sec seconds; typically awaited: `await get_tree().create_timer(0.5).timeout`.',
      godot3: { godot3: 'yield(get_tree().create_timer(t), "timeout")', godot4: 'await get_tree().create_timer(t).timeout' },
      call(self, [seconds]) {
        if (self.runtime.timers.size >= self.runtime.limits.maxTimers)
          throw new ScriptError(`SceneTree.create_timer: this peer already has ${self.runtime.limits.maxTimers} pending timers, the sandbox's limit.`);
        const timer = new SceneTreeTimer(self.runtime);
        timer.schedule(toNumber(seconds));
        return timer;
      },
    },
    quit: {
      params: [opt('exit_code', 'int', 0)],
      returns: 'void',
      description: 'Ends the program (this peer) at the end of the frame, with an exit code.',
      call(self, [code]) {
        self.runtime.lifecycle.quitRequested = true;
        self.runtime.lifecycle.exitCode = toNumber(code);
        return null;
      },
    },
    get_frame: { params: [], returns: 'int', const: true, description: 'The number of frames processed so far.', call: (self) => int(self.runtime.frame) },
    get_root: { params: [], returns: 'Window', const: true, description: 'Getter of root.', call: (self) => self.root },
    get_node_count: {
      params: [],
      returns: 'int',
      const: true,
      description: 'How many nodes are in the tree.',
      call(self) {
        const count = (n: NodeObject): number => 1 + n.children.reduce((sum, c) => sum + count(c), 0);
        return int(count(self.root));
      },
    },
  },
};

const includeInternal = opt('include_internal', 'bool', false);

export const NodeSpec: ClassSpec<NodeObject> = {
  name: 'Node',
  inherits: ObjectSpec,
  description:
    'The building block of scenes. A snippet\'s script extends Node: the lab calls its _ready(), then _physics_process() and _process() 60 times per second, until get_tree().quit() or queue_free().',
  partial: 'The tree, processing and lifecycle; no groups, ownership, multiplayer authority or input.',
  construct: (runtime) => {
    if (runtime.usage.nodes >= runtime.limits.maxNodes) throw new ScriptError(`Node.new: this peer already made ${runtime.limits.maxNodes} nodes, the sandbox's limit.`);
    runtime.usage.nodes++;
    return new NodeObject(runtime);
  },
  constants: {
    NOTIFICATION_ENTER_TREE: { value: 10, description: 'The node entered the tree.' },
    NOTIFICATION_EXIT_TREE: { value: 11, description: 'The node is about to leave the tree.' },
    NOTIFICATION_READY: { value: 13, description: 'The node is ready (see _ready()).' },
    NOTIFICATION_PHYSICS_PROCESS: { value: 16, description: 'A physics frame (see _physics_process()).' },
    NOTIFICATION_PROCESS: { value: 17, description: 'A frame (see _process()).' },
  },
  enums: {
    InternalMode: enumOf('Where add_child() puts an internal child.', [
      ['INTERNAL_MODE_DISABLED', 0, 'A normal child.'],
      ['INTERNAL_MODE_FRONT', 1, 'An internal child before the normal ones.'],
      ['INTERNAL_MODE_BACK', 2, 'An internal child after the normal ones.'],
    ]),
  },
  properties: {
    name: { type: 'StringName', description: 'The name of the node among its siblings.', getter: 'get_name', setter: 'set_name' },
  },
  signals: {
    ready: { params: [], description: 'Emitted after _ready().' },
    tree_entered: { params: [], description: 'Emitted when the node enters the tree.' },
    tree_exiting: { params: [], description: 'Emitted when the node is about to leave the tree.' },
    tree_exited: { params: [], description: 'Emitted after the node left the tree.' },
    child_entered_tree: { params: [param('node', 'Node')], description: 'Emitted when a child enters the tree.' },
    child_exiting_tree: { params: [param('node', 'Node')], description: 'Emitted when a child is about to leave the tree.' },
    renamed: { params: [], description: 'Emitted when the node is renamed.' },
  },
  virtuals: {
    _enter_tree: { params: [], returns: 'void', description: 'Called when the node enters the tree, before _ready().' },
    _ready: { params: [], returns: 'void', description: 'Called once, when the node and its children are in the tree. The place to set sockets up.' },
    _process: { params: [param('delta', 'float')], returns: 'void', description: 'Called every frame (60 per second in the lab); delta is the time since the previous frame, in seconds.' },
    _physics_process: { params: [param('delta', 'float')], returns: 'void', description: 'Called every physics frame (60 per second), before _process(); delta is 1/60.' },
    _exit_tree: { params: [], returns: 'void', description: 'Called when the node leaves the tree (also when the peer quits).' },
  },
  methods: {
    add_child: {
      params: [param('node', 'Node'), opt('force_readable_name', 'bool', false), opt('internal', 'Node.InternalMode', 0)],
      returns: 'void',
      description: 'Adds a child node (it enters the tree if this node is in it).',
      call(self, [node], ctx) {
        const child = nodeArg(node, 'add_child', ctx);
        if (!child) return null;
        if (child.parent) {
          ctx.warn(`Can't add child '${child.name}' to '${self.name}', already has a parent '${child.parent.name}'.`);
          return null;
        }
        if (child === self) {
          ctx.warn(`Can't add child '${child.name}' to itself.`);
          return null;
        }
        self.addChild(child);
        return null;
      },
    },
    remove_child: {
      params: [param('node', 'Node')],
      returns: 'void',
      description: 'Removes a child node (it leaves the tree but is not freed).',
      call(self, [node], ctx) {
        const child = nodeArg(node, 'remove_child', ctx);
        if (!child) return null;
        if (child.parent !== self) {
          ctx.warn(`Cannot remove child node '${child.name}' as it is not a child of this node.`);
          return null;
        }
        self.removeChild(child);
        return null;
      },
    },
    get_child: {
      params: [param('idx', 'int'), includeInternal],
      returns: 'Node',
      const: true,
      description: 'The child at an index (negative counts from the end).',
      call(self, [idx]) {
        const i = toNumber(idx);
        return self.children[i < 0 ? self.children.length + i : i] ?? null;
      },
    },
    get_child_count: { params: [includeInternal], returns: 'int', const: true, description: 'How many children the node has.', call: (self) => int(self.children.length) },
    get_children: { params: [includeInternal], returns: 'Array', const: true, description: 'The children, in order.', call: (self) => new GdArray(self.children.slice(), 'Node') },
    get_node: {
      params: [param('path', 'NodePath')],
      returns: 'Node',
      const: true,
      description: 'The node at a path relative to this one ("Child/Grandchild", "..", or "/root/..."); an error when there is none.',
      call(self, [path]) {
        const node = self.findNode(String(path));
        if (!node) throw new ScriptError(`Node not found: "${String(path)}" (relative to "${self.name}").`);
        return node;
      },
    },
    get_node_or_null: {
      params: [param('path', 'NodePath')],
      returns: 'Node',
      const: true,
      description: 'Like get_node(), but null when there is no such node.',
      call: (self, [path]) => self.findNode(String(path)) ?? null,
    },
    has_node: { params: [param('path', 'NodePath')], returns: 'bool', const: true, description: 'Whether a node exists at the path.', call: (self, [path]) => self.findNode(String(path)) !== undefined },
    get_parent: { params: [], returns: 'Node', const: true, description: 'The parent node (null for a node outside the tree).', call: (self) => self.parent ?? null },
    get_tree: { params: [], returns: 'SceneTree', const: true, description: 'The SceneTree of this peer.', call: (self) => sceneTree(self.runtime) },
    is_inside_tree: { params: [], returns: 'bool', const: true, description: 'Whether the node is in the tree.', call: (self) => self.inTree },
    get_name: { params: [], returns: 'StringName', const: true, description: 'Getter of name.', call: (self) => self.name },
    set_name: {
      params: [param('name', 'String')],
      returns: 'void',
      description: 'Setter of name.',
      call(self, [name]) {
        self.name = String(name);
        self.emitSignal('renamed');
        return null;
      },
    },
    queue_free: {
      params: [],
      returns: 'void',
      description: 'Deletes the node at the end of the frame. On the script\'s own node this ends the peer, like freeing the main scene.',
      call(self) {
        self.queuedForDeletion = true;
        if (self.isScriptRoot) self.runtime.lifecycle.quitRequested = true;
        else self.parent?.removeChild(self);
        return null;
      },
    },
    is_queued_for_deletion: { params: [], returns: 'bool', const: true, description: 'Whether queue_free() was called.', call: (self) => self.queuedForDeletion },
    set_process: {
      params: [param('enable', 'bool')],
      returns: 'void',
      description: 'Turns the per-frame _process() calls on or off.',
      call(self, [enable]) {
        if (self.isScriptRoot) self.runtime.lifecycle.processing = enable === true;
        return null;
      },
    },
    is_processing: { params: [], returns: 'bool', const: true, description: 'Whether _process() is called every frame.', call: (self) => self.isScriptRoot && self.runtime.lifecycle.processing },
    set_physics_process: {
      params: [param('enable', 'bool')],
      returns: 'void',
      description: 'Turns the per-physics-frame _physics_process() calls on or off.',
      call(self, [enable]) {
        if (self.isScriptRoot) self.runtime.lifecycle.physicsProcessing = enable === true;
        return null;
      },
    },
    is_physics_processing: {
      params: [],
      returns: 'bool',
      const: true,
      description: 'Whether _physics_process() is called every physics frame.',
      call: (self) => self.isScriptRoot && self.runtime.lifecycle.physicsProcessing,
    },
    get_process_delta_time: { params: [], returns: 'float', const: true, description: 'The delta of the current frame (1/60 s in the lab).', call: () => makeFloat(FRAME_SECONDS) },
    get_physics_process_delta_time: { params: [], returns: 'float', const: true, description: 'The delta of a physics frame (1/60 s).', call: () => makeFloat(FRAME_SECONDS) },
  },
};
