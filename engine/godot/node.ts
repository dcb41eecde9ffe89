// Node and SceneTree, just enough for a snippet's own script: the sandbox calls _ready() and then
// _process(delta) every frame, like a scene with this script on its root node.

import { GodotObject, type ClassSpec } from './method-table';
import type { GodotRuntime } from './runtime';

export class NodeObject extends GodotObject {
  constructor(runtime: GodotRuntime) {
    super(NodeSpec, runtime);
  }
}

export class SceneTree extends GodotObject {
  constructor(runtime: GodotRuntime) {
    super(SceneTreeSpec, runtime);
  }
}

export const SceneTreeSpec: ClassSpec<SceneTree> = {
  name: 'SceneTree',
  methods: {
    quit: {
      params: [{ name: 'exit_code', type: 'int', default: () => 0 }],
      returns: 'void',
      call(self) {
        self.runtime.lifecycle.quitRequested = true;
        return null;
      },
    },
  },
};

export const NodeSpec: ClassSpec<NodeObject> = {
  name: 'Node',
  construct: (runtime) => new NodeObject(runtime),
  methods: {
    get_tree: { params: [], returns: 'SceneTree', call: (self) => new SceneTree(self.runtime) },
    set_process: {
      params: [{ name: 'enable', type: 'bool' }],
      returns: 'void',
      call(self, [enable]) {
        self.runtime.lifecycle.processing = enable === true;
        return null;
      },
    },
    is_processing: { params: [], returns: 'bool', call: (self) => self.runtime.lifecycle.processing },
    queue_free: {
      params: [],
      returns: 'void',
      call(self) {
        self.runtime.lifecycle.quitRequested = true;
        return null;
      },
    },
  },
};
