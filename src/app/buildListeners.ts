import path from "node:path";
import {SECRET_OPTIONS} from "../config/schema.js";
import {whereToSet} from "../config/whereToSet.js";
import {locateFfmpeg} from "../core/ffmpeg.js";
import type {DeviceLinks} from "../deviceLinks/deviceLinks.js";
import type {ChildWeeks} from "../family/childWeeks.js";
import type {SleepSounds} from "../family/sleepSounds.js";
import {createAdminApp} from "../http/adminApp.js";
import {createAudioApp} from "../http/audioApp.js";
import {AuditLog} from "../http/audit.js";
import {FileResources} from "../http/fileResource.js";
import {FileSender} from "../http/fileSender.js";
import {HttpListener} from "../http/listener.js";
import {INGRESS_PROXY_ADDRESS} from "../http/middleware/adminAccess.js";
import {DEFAULT_AUDIO_RATE_LIMIT} from "../http/middleware/rateLimit.js";
import {PACKAGE_ROOT} from "../paths.js";
import type {Pictures} from "../pictures/pictures.js";
import type {Catalogue} from "../playing/catalogue.js";
import {ownNames} from "../playing/ownNames.js";
import type {Shelves} from "../shelf/shelves.js";
import type {Voice} from "../voice/voice.js";
import type {AppOptions} from "./appOptions.js";
import type {AssistantsWing} from "./assistantsPhase.js";
import type {Base} from "./basePhase.js";
import type {Cloud} from "./cloudPhase.js";
import type {Content} from "./contentPhase.js";
import type {Faces} from "./facesPhase.js";
import type {LateWiring} from "./lateWiring.js";

/** Where the listeners bind and how many connections each may hold (shared with the broker). */
export interface ListenerNetwork {
  host: string;
  budget: {audio: number; admin: number};
  perClient: number;
}

/** The app as far as its listeners reach into it. */
type ListenedApp = Base &
  Cloud &
  Content &
  Faces & {
    voice: Voice;
    shelves: Shelves;
    sleep: SleepSounds;
    weeks: ChildWeeks;
    devices: DeviceLinks;
    pictures: Pictures;
    catalogue: Catalogue;
    assistants: AssistantsWing;
  };

/**
 * The two HTTP listeners over the app's services: the panel and admin API (ingress, this machine
 * or a token) and the public audio listener players reach (signed URLs only). Part of the
 * composition root, kept apart because each listener takes most of the app.
 */
export function buildListeners(
  app: ListenedApp,
  opts: AppOptions,
  late: Pick<LateWiring, "health" | "upnpStatus" | "castTitleOnCard" | "nowPlaying" | "homeAssistantPages">,
): {admin: HttpListener; audio: HttpListener} {
  const net = app.network;
  const sender = new FileSender(app.files);
  const files = new FileResources(sender, app.files);
  // The panel's port as it listens (the Supervisor may pick it): the Family page builds a tablet's address with it.
  let admin: HttpListener | undefined;
  const panelPort = () => admin?.port ?? app.config.ingress_port;
  const adminApp = buildAdminApp(app, opts, late, files, panelPort);
  const {app: audioApp, fastPath} = createAudioApp({
    library: app.library,
    streams: app.streams,
    radio: app.radio,
    ...{stories: app.stories, archive: app.archive},
    sender,
    files,
    relay: app.announcer,
    signer: app.signer,
    rateLimit: {...(opts.audioRateLimit ?? DEFAULT_AUDIO_RATE_LIMIT), trustedProxies: app.config.trusted_proxies},
    log: app.log.child("audio"),
  });
  const sslDir = app.homeAssistant ? "/ssl" : ".";
  const tls = app.config.ssl
    ? {certfile: path.resolve(sslDir, app.config.certfile), keyfile: path.resolve(sslDir, app.config.keyfile)}
    : undefined;
  // Uploads of hundreds of MB over a slow uplink outlast Node's 5-minute request limit; the idle
  // timeout still drops a stalled one.
  const portInUse = (option: "ingress_port" | "audio_port") => portInUseAdvice(option, app.homeAssistant);
  const adminListen = {
    host: net.host,
    port: app.config.ingress_port,
    portInUse: portInUse("ingress_port"),
    requestTimeoutMs: 0,
    // All of Home Assistant's panel traffic comes from its one ingress proxy.
    connections: {
      total: net.budget.admin,
      perClient: net.perClient,
      exempt: ingressPeers(app, opts),
    },
  };
  admin = new HttpListener("admin-http", adminApp, adminListen, app.log.child("admin"));
  const audio = new HttpListener(
    "audio-http",
    audioApp,
    // Behind a reverse proxy every player arrives from the proxy's address.
    {
      host: net.host,
      port: app.config.audio_port,
      portInUse: portInUse("audio_port"),
      tls,
      connections: {total: net.budget.audio, perClient: net.perClient, exempt: app.config.trusted_proxies},
      fastPath,
    },
    app.log.child("audio"),
  );
  return {admin, audio};
}

/**
 * What to do when a listener's port is taken. The add-on shares the host's network: another add-on
 * may hold the audio port (pick another on the Network tab); the Supervisor picks the panel's port
 * free at each start.
 */
function portInUseAdvice(option: "ingress_port" | "audio_port", homeAssistant: boolean): string {
  if (!homeAssistant) return `choose another port ${whereToSet(option, false)}`;
  return option === "audio_port"
    ? "choose another host port for 8080/tcp on the add-on's Network tab"
    : "restart the add-on";
}

/** The panel and admin API over the app's services (ingress, this machine or a token). */
function buildAdminApp(
  app: ListenedApp,
  opts: AppOptions,
  late: Pick<LateWiring, "health" | "upnpStatus" | "castTitleOnCard" | "nowPlaying" | "homeAssistantPages">,
  files: FileResources,
  panelPort: () => number,
): ReturnType<typeof createAdminApp> {
  return createAdminApp({
    library: app.library,
    streams: app.streams,
    radio: app.radio,
    sources: app.sources,
    account: app.account,
    players: app.players,
    mediaPlayerNames: () => app.mediaPlayers.names(),
    upnpStatus: late.upnpStatus,
    // A radio card's song on the Players view, as the media player shows it: while it plays.
    song: ({playback: {cardId, status}}) =>
      cardId !== null && (status === "playing" || status === "loading")
        ? (app.radio.songOnCard(cardId) ?? late.castTitleOnCard(cardId))
        : undefined,
    nowPlaying: late.nowPlaying,
    // A card made to play a stream, named as the family knows it on the Players and History views.
    names: ownNames({
      catalogue: app.catalogue,
      cards: app.cards,
      announcer: app.announcer,
      children: () => app.family.names(),
    }),
    rules: app.rules,
    runAnswerWithinMs: opts.runAnswerWithinMs,
    cards: app.cards,
    icons: app.icons,
    stories: app.stories,
    announcer: app.announcer,
    feeds: app.feeds,
    archive: app.archive,
    broker: app.broker,
    history: app.history,
    quietHours: app.quietHours,
    exposure: app.exposure,
    family: app.family,
    voice: app.voice,
    shelves: app.shelves,
    sleep: app.sleep,
    weeks: app.weeks,
    devices: app.devices,
    pictures: app.pictures,
    assistants: app.assistants.assistants,
    oauthRequests: app.assistants.oauthRequests,
    clientDocuments: app.assistants.clientDocuments,
    // What an assistant may be given (a token or an approval): the plan's children as they are when a parent asks.
    children: () => app.family.names(),
    mcp: app.assistants.mcp,
    panelPort,
    quietTimeZone: () => app.rules.timeZone,
    clientId: app.config.yoto_client_id,
    homeAssistant: app.homeAssistant,
    files,
    links: app.links,
    uploadMaxBytes: app.config.upload_max_mb * 1024 * 1024,
    normalize: app.config.audio_normalize,
    ffmpegPath: opts.ffmpegPath,
    access: {
      // Outside Home Assistant 172.30.32.2 can be any container (Docker pools include 172.30/16).
      ingressPeers: ingressPeers(app, opts),
      allowLoopback: opts.adminAccess?.allowLoopback ?? true,
      apiToken: app.config.api_token,
    },
    origin: {
      allowedHosts: [
        ...app.config.allowed_hosts,
        ...(app.config.public_url ? [new URL(app.config.public_url).hostname] : []),
      ],
    },
    homeAssistantPages: late.homeAssistantPages,
    audit: new AuditLog(app.log.child("audit"), {floodWindowMs: opts.floodWindowMs}),
    health: late.health,
    options: () => ({...app.config}),
    secretOptions: SECRET_OPTIONS,
    ffmpeg: () => {
      const found = locateFfmpeg();
      return found ? `${found.path} (${found.source})` : undefined;
    },
    healthOverview: () => app.healthMonitor.overview(),
    logs: app.logs,
    uiDist: path.join(PACKAGE_ROOT, "dist", "ui"),
    bus: app.bus,
    virtualHands: opts.virtualHands,
    log: app.log.child("admin"),
  });
}

/** Who reaches the panel as Home Assistant's ingress proxy: its address inside Home Assistant only. */
function ingressPeers(app: ListenedApp, opts: AppOptions): readonly string[] {
  return opts.adminAccess?.ingressPeers ?? (app.homeAssistant ? [INGRESS_PROXY_ADDRESS] : []);
}
