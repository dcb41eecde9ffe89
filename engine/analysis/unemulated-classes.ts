// Names of Godot 4.3 classes and singletons the lab does not emulate (class-data knows only the emulated
// ones). A script that names one is not using an undeclared identifier: Godot has it. The analyzer treats
// such a name as a class it knows nothing about (no member checks); running the script reports it.

const NAMES = `
AcceptDialog AnimatedSprite2D AnimatedSprite3D AnimationPlayer AnimationTree Area2D Area3D AudioServer AudioStream
AudioStreamPlayer AudioStreamPlayer2D AudioStreamPlayer3D BaseButton BoxContainer Button Camera2D Camera3D CanvasItem
CanvasLayer CharacterBody2D CharacterBody3D CheckBox CheckButton ClassDB CollisionShape2D CollisionShape3D ColorRect
ConfigFile Container Control DirAccess DisplayServer ENetConnection ENetMultiplayerPeer ENetPacketPeer EditorPlugin
Engine Expression GridContainer HBoxContainer HTTPClient HTTPRequest HSlider Image ImageTexture Input InputEvent
InputEventKey InputEventMouseButton InputEventMouseMotion InputMap IP ItemList JSON JSONRPC JavaScriptBridge Label
Label3D Line2D LineEdit MainLoop MarginContainer MeshInstance2D MeshInstance3D MultiplayerAPI MultiplayerPeer
MultiplayerSpawner MultiplayerSynchronizer Node2D Node3D OptionButton PackedScene Panel PanelContainer Performance
PhysicsBody2D PhysicsBody3D PopupMenu ProgressBar ProjectSettings RandomNumberGenerator RayCast2D RayCast3D
RegEx RegExMatch ResourceLoader ResourceSaver RichTextLabel RigidBody2D RigidBody3D SceneMultiplayer ScrollContainer
Shader ShaderMaterial Slider SpinBox Sprite2D Sprite3D StaticBody2D StaticBody3D StreamPeerBuffer StreamPeerGZIP
TabContainer TextEdit Texture Texture2D TextureButton TextureRect Theme Timer TranslationServer Tween Tweener
UPNP UPNPDevice VBoxContainer VSlider Viewport VisibleOnScreenNotifier2D WebRTCDataChannel WebRTCMultiplayerPeer
WebRTCPeerConnection WebSocketMultiplayerPeer WebSocketPeer Window WorkerThreadPool XMLParser ZIPPacker ZIPReader
`;

const UNEMULATED: ReadonlySet<string> = new Set(NAMES.split(/\s+/).filter(Boolean));

/** Whether Godot 4.3 has a class or singleton of this name that the lab does not emulate. */
export function isUnemulatedGodotClass(name: string): boolean {
  return UNEMULATED.has(name);
}
