// Object, RefCounted and Resource: the bases of every emulated class. Object holds what every
// Godot object answers (class queries, dynamic get/set/call, signals).

import { ScriptError, Suspend } from '../gdscript/host';
import { GdArray, GdCallable, isArray } from '../gdscript/values';
import { ErrorCode } from './error-codes';
import { enumOf, GodotObject, opt, param, type ClassSpec } from './method-table';
import { connectSignal, disconnectSignal, isSignalConnected } from './signals';
import { dict, int } from './variant';

export const ObjectSpec: ClassSpec<GodotObject> = {
  name: 'Object',
  description: 'The base of every Godot class: class queries, dynamic property access and calls, and signals.',
  enums: {
    ConnectFlags: enumOf(
      'Options for connect().',
      [
        ['CONNECT_DEFERRED', 1, 'Call the callable at the end of the frame instead of during the emission (the lab runs every callback as its own task anyway).'],
        ['CONNECT_PERSIST', 2, 'Save the connection with the scene (no effect in the lab).'],
        ['CONNECT_ONE_SHOT', 4, 'Disconnect after the first emission.'],
        ['CONNECT_REFERENCE_COUNTED', 8, 'Allow connecting the same callable several times, counting the connections.'],
      ],
      true,
    ),
  },
  constants: {
    NOTIFICATION_POSTINITIALIZE: { value: 0, description: 'Notification sent when the object is initialized.' },
    NOTIFICATION_PREDELETE: { value: 1, description: 'Notification sent before the object is deleted.' },
  },
  signals: {
    property_list_changed: { params: [], description: 'Emitted when the list of properties changes.' },
    script_changed: { params: [], description: "Emitted when the object's script changes." },
  },
  methods: {
    get_class: { params: [], returns: 'String', const: true, description: 'The name of the native class of the object.', call: (self) => self.className },
    is_class: {
      params: [param('class', 'String')],
      returns: 'bool',
      const: true,
      description: 'Whether the object is of the given class or inherits it.',
      call: (self, [name]) => self.isClass(String(name)),
    },
    has_method: {
      params: [param('method', 'StringName')],
      returns: 'bool',
      const: true,
      description: 'Whether the object has a method with this name.',
      call: (self, [method]) => self.has(String(method)) && !self.isRemoved(String(method)),
    },
    has_signal: {
      params: [param('signal', 'StringName')],
      returns: 'bool',
      const: true,
      description: 'Whether the object has a signal with this name.',
      call: (self, [signal]) => self.hasSignal(String(signal)),
    },
    get_instance_id: { params: [], returns: 'int', const: true, description: 'The unique id of this object.', call: (self) => int(self.instanceId) },
    get: {
      params: [param('property', 'StringName')],
      returns: 'Variant',
      const: true,
      description: 'The value of a property (or constant, or signal) by name; null when there is none.',
      call: (self, [name]) => self.getProperty(String(name)) ?? null,
    },
    set: {
      params: [param('property', 'StringName'), param('value', 'Variant')],
      returns: 'void',
      description: 'Sets a property by name; unknown names are ignored, like in Godot.',
      call(self, [name, value]) {
        self.setProperty(String(name), value);
        return null;
      },
    },
    call: {
      params: [param('method', 'StringName')],
      vararg: true,
      returns: 'Variant',
      description: 'Calls a method by name with the given arguments.',
      call: (self, [method, ...args], ctx) => self.call(String(method), args, ctx),
    },
    callv: {
      params: [param('method', 'StringName'), param('arg_array', 'Array')],
      returns: 'Variant',
      description: 'Calls a method by name with the arguments in an Array.',
      call: (self, [method, args], ctx) => self.call(String(method), isArray(args) ? args.items.slice() : [], ctx),
    },
    connect: {
      params: [param('signal', 'StringName'), param('callable', 'Callable'), opt('flags', 'int', 0)],
      returns: 'Error',
      description: "Connects a Callable to one of the object's signals (see ConnectFlags). Returns an Error code.",
      godot3: { godot3: 'connect(signal, target, method, binds, flags)', godot4: 'connect(signal, callable, flags)' },
      call: (self, [signal, callable, flags], ctx) => int(connectSignal(self, String(signal), callable as GdCallable, Number(flags), ctx)),
    },
    disconnect: {
      params: [param('signal', 'StringName'), param('callable', 'Callable')],
      returns: 'void',
      description: 'Removes a connection made with connect().',
      godot3: { godot3: 'disconnect(signal, target, method)', godot4: 'disconnect(signal, callable)' },
      call(self, [signal, callable], ctx) {
        disconnectSignal(self, String(signal), callable as GdCallable, ctx);
        return null;
      },
    },
    is_connected: {
      params: [param('signal', 'StringName'), param('callable', 'Callable')],
      returns: 'bool',
      const: true,
      description: 'Whether the callable is connected to the signal.',
      godot3: { godot3: 'is_connected(signal, target, method)', godot4: 'is_connected(signal, callable)' },
      call: (self, [signal, callable]) => isSignalConnected(self, String(signal), callable as GdCallable),
    },
    emit_signal: {
      params: [param('signal', 'StringName')],
      vararg: true,
      returns: 'Error',
      description: 'Emits one of the object\'s signals with the given arguments.',
      call(self, [signal, ...args], ctx) {
        if (!self.hasSignal(String(signal))) {
          ctx.warn(`Can't emit non-existing signal "${String(signal)}".`);
          return int(ErrorCode.ERR_UNAVAILABLE);
        }
        self.emitSignal(String(signal), args);
        return int(ErrorCode.OK);
      },
    },
    get_signal_list: {
      params: [],
      returns: 'Array',
      const: true,
      description: "The names of the object's signals (as dictionaries with a `name` key).",
      call: (self) => new GdArray(self.signalNames().map((name) => dict({ name }))),
    },
    to_string: { params: [], returns: 'String', description: 'How print() and str() show the object.', call: (self) => self.stringify() },
  },
};

export const RefCountedSpec: ClassSpec<GodotObject> = {
  name: 'RefCounted',
  inherits: ObjectSpec,
  godot3: { godot3: 'Reference', godot4: 'RefCounted' },
  description: 'Base of objects that are freed when nothing refers to them any more (most non-Node classes). The lab keeps every count at 1.',
  construct: (runtime) => new PlainObject(RefCountedSpec, runtime),
  methods: {
    get_reference_count: { params: [], returns: 'int', const: true, description: 'How many references the object has.', call: () => int(1) },
    init_ref: { params: [], returns: 'bool', description: 'Initializes the reference count (engine internal).', call: () => true },
    reference: { params: [], returns: 'bool', description: 'Increments the reference count (engine internal).', call: () => true },
    unreference: { params: [], returns: 'bool', description: 'Decrements the reference count (engine internal).', call: () => false },
  },
};

export class ResourceObject extends GodotObject {
  resourcePath = '';
  resourceName = '';
}

export const ResourceSpec: ClassSpec<ResourceObject> = {
  name: 'Resource',
  inherits: RefCountedSpec,
  description: 'Base of data objects that can be saved and loaded (CryptoKey, X509Certificate).',
  partial: 'Only the path and name of a resource; no sub-resources, RIDs or local-to-scene handling.',
  properties: {
    resource_path: { type: 'String', defaultText: '""', description: 'The path the resource was loaded from (res:// or user://).', getter: 'get_path', setter: 'set_path' },
    resource_name: { type: 'String', defaultText: '""', description: 'An optional name for the resource.', getter: 'get_name', setter: 'set_name' },
  },
  signals: { changed: { params: [], description: 'Emitted when the resource changes (emit_changed()).' } },
  methods: {
    get_path: { params: [], returns: 'String', const: true, description: 'Getter of resource_path.', call: (self) => self.resourcePath },
    set_path: {
      params: [param('path', 'String')],
      returns: 'void',
      description: 'Setter of resource_path.',
      call(self, [path]) {
        self.resourcePath = String(path);
        return null;
      },
    },
    get_name: { params: [], returns: 'String', const: true, description: 'Getter of resource_name.', call: (self) => self.resourceName },
    set_name: {
      params: [param('name', 'String')],
      returns: 'void',
      description: 'Setter of resource_name.',
      call(self, [name]) {
        self.resourceName = String(name);
        return null;
      },
    },
    emit_changed: {
      params: [],
      returns: 'void',
      description: 'Emits the `changed` signal.',
      call(self) {
        self.emitSignal('changed');
        return null;
      },
    },
  },
};

/** An object with no state of its own (RefCounted.new()). */
export class PlainObject extends GodotObject {}

/** Throws when `result` is a Suspend (natives used where no waiting is possible). */
export function noSuspend<T>(result: T | Suspend, what: string): T {
  if (result instanceof Suspend) throw new ScriptError(`${what} cannot wait here.`);
  return result;
}
