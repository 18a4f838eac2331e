import type {Service} from "../core/service.js";

/** Every service of the app, by the name the composition root holds it under. */
export interface AppServices {
  logs: Service;
  healthMonitor: Service;
  store: Service;
  signer: Service;
  library: Service;
  files: Service;
  streams: Service;
  radio: Service;
  account: Service;
  history: Service;
  exposure: Service;
  quietHours: Service;
  cards: Service;
  sources: Service;
  stories: Service;
  narration: Service;
  streamed: Service;
  announcer: Service;
  feeds: Service;
  archive: Service;
  broker: Service;
  mediaPlayers: Service;
  bridge: Service;
  rules: Service;
  family: Service;
  sleep: Service;
  devices: Service;
  pictures: Service;
  voice: Service;
  assistants: {assistants: Service; mcpService: Service};
  storyRadio: Service;
  audio: Service;
  upnp: Service;
  admin: Service;
}

/** What the root holds apart from its fields: the players themselves, the catalogue, the renderers' listener. */
export interface RootServices {
  playersService: Service;
  catalogue: Service;
  renderersListener?: Service;
}

/**
 * The order the app starts its services in (and stops them in reverse): each after what it reads
 * at its start, the listeners last but for what needs their ports.
 */
export function startOrder(app: AppServices, root: RootServices): Service[] {
  return [
    // First in, last out: every other service's lines at start and stop are kept.
    app.logs,
    // Before the listeners: it counts every stream request.
    app.healthMonitor,
    app.store,
    app.signer,
    app.library,
    app.files,
    app.streams,
    app.radio,
    app.account,
    root.playersService,
    app.history,
    // Before the media players and renderers: they read each player's switches from the start.
    app.exposure,
    // Before the announcer: a restore after a crash mid-announcement mutes a lifted player before its story comes back.
    app.quietHours,
    app.cards,
    app.sources,
    app.stories,
    app.narration,
    app.streamed,
    app.announcer,
    app.feeds,
    app.archive,
    // After what it is made of; before voice, the shelves and the pictures that read it.
    root.catalogue,
    app.broker,
    // Before the bridge: it hears every player from the start, and publishes once the bridge connects.
    app.mediaPlayers,
    app.bridge,
    app.rules,
    // After the rules: it hands them its generated rules on start.
    app.family,
    // After the family (it reads the children) and the quiet hours it lifts.
    app.sleep,
    // After the family: a link is checked against the children there are.
    app.devices,
    app.pictures,
    app.voice,
    app.assistants.assistants,
    // After the family and the streams: it writes each child's programme from the plan.
    app.storyRadio,
    app.audio,
    // After the audio listener: what a control point casts may be this service's own stream URL.
    // The renderers' listener first: SSDP answers with its port.
    ...(root.renderersListener ? [root.renderersListener] : []),
    app.upnp,
    app.admin,
    // After the panel's listener: the address it offers Home Assistant has the port it took.
    app.assistants.mcpService,
  ];
}
