import type {Announcer} from "../announce/announcer.js";
import type {Archive} from "../archive/archive.js";
import type {HaBridge} from "../bridge/haBridge.js";
import type {SupervisorAccess} from "../broker/choice.js";
import type {LocalBroker} from "../broker/localBroker.js";
import type {Cards} from "../cards/cards.js";
import type {Config} from "../config/schema.js";
import type {EventBus} from "../core/events.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import type {Logger} from "../core/logger.js";
import {DeviceLinks} from "../deviceLinks/deviceLinks.js";
import type {ChildWeeks} from "../family/childWeeks.js";
import type {FamilyPlan} from "../family/familyPlan.js";
import type {SleepSounds} from "../family/sleepSounds.js";
import type {Feeds} from "../feeds/feeds.js";
import type {OpenFiles} from "../files/openFiles.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {PlayGate} from "../gate/playGate.js";
import type {HealthMonitor} from "../health/healthMonitor.js";
import type {History} from "../history/history.js";
import type {HttpListener} from "../http/listener.js";
import type {Icons} from "../icons/icons.js";
import type {Library} from "../library/library.js";
import type {PublicLinks} from "../links/publicLinks.js";
import type {UrlSigner} from "../links/urlSigner.js";
import type {Logs} from "../logs/logs.js";
import type {MediaPlayers} from "../mediaPlayer/mediaPlayers.js";
import type {PlayerExposure} from "../mediaPlayer/playerExposure.js";
import type {Sources} from "../mediaServers/sources.js";
import type {QuietHours} from "../parents/quietHours.js";
import type {Pictures} from "../pictures/pictures.js";
import type {Radio} from "../radio/radio.js";
import type {RuleEngine} from "../rules/engine.js";
import type {HealthReport} from "../shared/api/health.js";
import type {Shelves} from "../shelf/shelves.js";
import type {Store} from "../store/store.js";
import type {Stories, StoryNarration, StreamedStories} from "../stories/index.js";
import type {StoryRadio} from "../storyRadio/storyRadio.js";
import type {Streams} from "../streams/streams.js";
import type {UpnpRenderers} from "../upnpRenderers/renderers.js";
import type {Voice} from "../voice/voice.js";
import type {YotoAccount} from "../yoto/account.js";
import type {YotoPlayers} from "../yoto/players.js";
import type {AppOptions} from "./appOptions.js";
import {type AssistantsWing, buildAssistants} from "./assistantsPhase.js";
import {buildBase} from "./basePhase.js";
import {buildListeners} from "./buildListeners.js";
import {buildCloud} from "./cloudPhase.js";
import {buildContent} from "./contentPhase.js";
import {buildFaces} from "./facesPhase.js";
import {trustHomeAssistantUrls} from "./homeAssistantUrls.js";
import {lateWiring} from "./lateWiring.js";
import {ServiceLifecycle} from "./lifecycle.js";
import {buildShelf} from "./shelfPhase.js";
import {startOrder} from "./startOrder.js";
import {buildRenderers} from "./upnpPhase.js";
import {buildCatalogue, buildVoice} from "./voicePhase.js";

export type {AppOptions} from "./appOptions.js";

/**
 * The composition root: builds every service from one config, starts them in order, stops them in
 * reverse. Nothing else in the app is global.
 */
export class App {
  readonly config: Config;
  /** Running as the Home Assistant add-on (ingress, the Supervisor's broker). */
  readonly homeAssistant: boolean;
  readonly log: Logger;
  readonly bus: EventBus;
  /** The recent log lines, for the panel's Logs view. */
  readonly logs: Logs;
  /** The overview the Health page and the bridge's health sensors show. */
  readonly healthMonitor: HealthMonitor;
  readonly store: Store;
  readonly signer: UrlSigner;
  readonly links: PublicLinks;
  readonly library: Library;
  /** Audio files held open between the requests that read them. */
  readonly files: OpenFiles;
  readonly streams: Streams;
  /** Streams that are internet radio stations. */
  readonly radio: Radio;
  /** The home network's media servers, whose tracks queue like library items. */
  readonly sources: Sources;
  readonly account: YotoAccount;
  /** The players, as every service holds them: a start passes the gate. */
  readonly players: GatedPlayers;
  /** The one gate every start on a player passes. */
  readonly gate: PlayGate;
  readonly #playersService: YotoPlayers;
  /** What each player played, when and for how long. */
  readonly history: History;
  readonly family: FamilyPlan;
  readonly cards: Cards;
  readonly icons: Icons;
  readonly stories: Stories;
  readonly narration: StoryNarration;
  readonly streamed: StreamedStories;
  readonly announcer: Announcer;
  readonly feeds: Feeds;
  /** The family's own cards, kept at home. */
  readonly archive: Archive;
  readonly broker: LocalBroker;
  readonly bridge: HaBridge;
  /** Each player as a Home Assistant media player, through the MQTT Media Player integration. */
  readonly mediaPlayers: MediaPlayers;
  /** Each player's Home Assistant switches (media player, DLNA renderer). */
  readonly exposure: PlayerExposure;
  /** Quiet hours rules start (`player.quiet`), with their pending restores. */
  readonly quietHours: QuietHours;
  readonly rules: RuleEngine;
  /** What a family says to Home Assistant, answered (the voice blueprint's requests). */
  readonly voice: Voice;
  /** Each child's shelf and page (the child's corner). */
  readonly shelves: Shelves;
  /** Each child's sleep sounds: started by the house at night, within the plan. */
  readonly sleep: SleepSounds;
  /** Each child's last seven days, read from the history and the journal when asked. */
  readonly weeks: ChildWeeks;
  /** Each child's story radio stream. */
  readonly storyRadio: StoryRadio;
  /** The children's device links: a tablet that opens one child's page and nothing else. */
  readonly devices: DeviceLinks;
  /** The MCP server for assistants: its credentials, OAuth requests and endpoint. */
  readonly assistants: AssistantsWing;
  /** A picture for every shelf item: chosen by a parent, or its own (a card's art, a story's icon), served from here. */
  readonly pictures: Pictures;
  readonly admin: HttpListener;
  readonly audio: HttpListener;
  /** Each player as a UPnP/DLNA MediaRenderer on the home network (upnp_port, SSDP). */
  readonly upnp: UpnpRenderers;
  readonly #lifecycle: ServiceLifecycle;
  readonly #version: string;
  /** Where fetches chosen by others (announcement media, feeds, covers) may go. */
  readonly fetchPolicy: FetchPolicy;
  readonly #haCore?: SupervisorAccess;
  #learning?: Promise<unknown>;
  /** Home Assistant's own addresses (not the Supervisor's), once learnt; none outside it. */
  homeAssistantPages: readonly string[] = [];

  constructor(opts: AppOptions) {
    // Phases, each given only what the ones before it built: the compiler sees the order.
    const late = lateWiring(this, opts);
    const base = buildBase(opts, late);
    const {cloud, below} = buildCloud(base, opts, late);
    const content = buildContent({...base, ...cloud}, opts, late, below.announcerStart);
    const faces = buildFaces({...base, ...cloud, ...content}, opts, late);
    // Everything the four phases built, as the later builders are handed it.
    const built = {...base, ...cloud, ...content, ...faces};
    const catalogue = buildCatalogue(built, late);
    // Story radio is built beside voice, after it: asked for only when a request names it.
    this.voice = buildVoice(
      {...built, catalogue},
      opts.voiceRate,
      (child, shelf) => Boolean(this.storyRadio.forChild(child, shelf)),
      {
        sleep: {begin: (child, ask, how) => this.sleep.begin(child, ask, how)},
        weeks: {week: (child) => this.weeks.week(child)},
      },
    );
    ({
      shelves: this.shelves,
      storyRadio: this.storyRadio,
      pictures: this.pictures,
      sleep: this.sleep,
      weeks: this.weeks,
    } = buildShelf({...built, catalogue}, opts.ffmpegPath, opts.sleepMinuteMs));
    this.devices = new DeviceLinks({
      store: base.store,
      child: (name) => faces.family.childIdentity(name),
      childWithId: (id) => faces.family.childWithId(id),
      childrenLoaded: () => faces.family.childrenLoaded,
      bus: base.bus,
      log: base.log.child("devices"),
    });
    this.assistants = buildAssistants(
      {...base, family: faces.family, voice: this.voice, shelves: this.shelves},
      opts,
      () => this.admin?.port ?? base.config.ingress_port,
    );
    const listeners = buildListeners(
      {
        ...{...built, voice: this.voice, shelves: this.shelves, sleep: this.sleep, weeks: this.weeks},
        ...{devices: this.devices, pictures: this.pictures, catalogue, assistants: this.assistants},
      },
      opts,
      late,
    );
    const renderers = buildRenderers(built, opts, late);
    this.upnp = renderers.upnp;

    ({config: this.config, homeAssistant: this.homeAssistant, log: this.log, bus: this.bus} = base);
    ({logs: this.logs, store: this.store, signer: this.signer, links: this.links} = base);
    ({library: this.library, files: this.files, streams: this.streams, fetchPolicy: this.fetchPolicy} = base);
    this.#version = base.version;
    this.#haCore = base.haCore;
    ({account: this.account, players: this.players, history: this.history, gate: this.gate} = cloud);
    this.#playersService = below.playersService;
    ({cards: this.cards, sources: this.sources, icons: this.icons, stories: this.stories} = content);
    ({narration: this.narration, streamed: this.streamed} = content);
    ({announcer: this.announcer, feeds: this.feeds, radio: this.radio, archive: this.archive} = content);
    ({broker: this.broker, bridge: this.bridge, mediaPlayers: this.mediaPlayers} = faces);
    this.exposure = faces.exposure;
    ({quietHours: this.quietHours, rules: this.rules, family: this.family} = faces);
    this.healthMonitor = faces.healthMonitor;
    ({admin: this.admin, audio: this.audio} = listeners);

    const services = startOrder(this, {
      playersService: this.#playersService,
      catalogue,
      renderersListener: renderers.listener,
    });
    this.#lifecycle = new ServiceLifecycle(services, {bus: this.bus, log: this.log, version: this.#version});
    late.built();
  }

  /** Start every service in order. A failing optional service is reported and the rest go on. */
  async start(): Promise<void> {
    await this.#lifecycle.start();
    const core = this.#haCore;
    if (core?.token)
      this.#learning = trustHomeAssistantUrls(
        {...core, token: core.token},
        this.fetchPolicy,
        this.log.child("fetch"),
      ).then((urls) => {
        this.homeAssistantPages = urls.filter((url) => url !== core.url);
      });
  }

  /** Stop in reverse order; one failing stop does not keep the others running. */
  async stop(): Promise<void> {
    await this.#learning?.catch(() => undefined);
    await this.#lifecycle.stop();
  }

  health(): HealthReport {
    return this.#lifecycle.health();
  }
}
