import path from "node:path";
import type {Announcer} from "../announce/announcer.js";
import {buildAnnouncer} from "../announce/buildAnnouncer.js";
import type {Archive} from "../archive/archive.js";
import {buildArchive} from "../archive/buildArchive.js";
import {HaBridge} from "../bridge/haBridge.js";
import {BridgeTopics} from "../bridge/topics.js";
import type {SupervisorAccess} from "../broker/choice.js";
import {LocalBroker} from "../broker/localBroker.js";
import {Cards} from "../cards/cards.js";
import type {Config} from "../config/schema.js";
import {SECRET_OPTIONS} from "../config/schema.js";
import {connectionBudget, DEFAULT_PER_CLIENT, openFileLimits} from "../core/connectionGuard.js";
import {EventBus} from "../core/events.js";
import {FetchPolicy} from "../core/fetchPolicy.js";
import {requireFfmpeg} from "../core/ffmpeg.js";
import {Logger} from "../core/logger.js";
import {FamilyPlan} from "../family/familyPlan.js";
import {buildLivingCards} from "../feeds/buildLivingCards.js";
import type {Feeds} from "../feeds/feeds.js";
import {OpenFiles} from "../files/openFiles.js";
import {HealthMonitor} from "../health/healthMonitor.js";
import {History} from "../history/history.js";
import type {HttpListener} from "../http/listener.js";
import {Icons} from "../icons/icons.js";
import {Library} from "../library/library.js";
import {PublicLinks} from "../links/publicLinks.js";
import {UrlSigner} from "../links/urlSigner.js";
import {Logs} from "../logs/logs.js";
import {AlbumArt} from "../mediaPlayer/albumArt.js";
import {MediaPlayers} from "../mediaPlayer/mediaPlayers.js";
import {MediaTopics} from "../mediaPlayer/mediaTopics.js";
import {QuietHours} from "../parents/quietHours.js";
import {buildRadio} from "../radio/buildRadio.js";
import type {Radio} from "../radio/radio.js";
import type {RuleEngine} from "../rules/engine.js";
import type {HealthReport} from "../shared/api/health.js";
import {buildSources} from "../sources/buildSources.js";
import type {Sources} from "../sources/sources.js";
import {Speech} from "../speech/speech.js";
import {Store} from "../store/store.js";
import {sceneSeconds} from "../stories/sceneSeconds.js";
import {Stories} from "../stories/stories.js";
import {Streams} from "../streams/streams.js";
import {YotoAccount} from "../yoto/account.js";
import {YOTO_CLOUD} from "../yoto/endpoints.js";
import {OAuthClient} from "../yoto/oauthClient.js";
import {YotoPlayers} from "../yoto/players.js";
import {YotoRest} from "../yoto/rest.js";
import type {AppOptions} from "./appOptions.js";
import {registerBridgeFeatures} from "./bridgeFeatures.js";
import {buildListeners} from "./buildListeners.js";
import {buildRules} from "./buildRules.js";
import {fileLimitWarning} from "./fileLimits.js";
import {trustHomeAssistantUrls} from "./homeAssistantUrls.js";
import {lateWiring} from "./lateWiring.js";
import {ServiceLifecycle} from "./lifecycle.js";
import {ownListeners} from "./ownListeners.js";
import {zoneInUse} from "./timeZone.js";

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
  readonly players: YotoPlayers;
  /** What each player played, when and for how long. */
  readonly history: History;
  readonly family: FamilyPlan;
  readonly cards: Cards;
  readonly icons: Icons;
  readonly stories: Stories;
  readonly announcer: Announcer;
  readonly feeds: Feeds;
  /** The family's own cards, kept at home. */
  readonly archive: Archive;
  readonly broker: LocalBroker;
  readonly bridge: HaBridge;
  /** Each player as a Home Assistant media player, through the MQTT Media Player integration. */
  readonly mediaPlayers: MediaPlayers;
  /** Quiet hours rules start (`player.quiet`), with their pending restores. */
  readonly quietHours: QuietHours;
  readonly rules: RuleEngine;
  readonly admin: HttpListener;
  readonly audio: HttpListener;
  readonly #lifecycle: ServiceLifecycle;
  readonly #version: string;
  /** Where fetches chosen by others (announcement media, feeds, covers) may go. */
  readonly fetchPolicy: FetchPolicy;
  readonly #haCore?: SupervisorAccess;
  #learning?: Promise<unknown>;

  constructor(opts: AppOptions) {
    const {config} = opts;
    const ha = opts.homeAssistant ?? false;
    this.homeAssistant = ha;
    this.config = config;
    this.#version = opts.version ?? "0.0.0";
    this.log = opts.log ?? new Logger({level: config.log_level});
    for (const option of SECRET_OPTIONS) this.log.addSecret(config[option] as string | undefined);
    // Said once at start, and on the Health page until fixed: a wrong TZ moves every bedtime.
    const zone = zoneInUse(opts.timeZone);
    if (zone.problem) this.log.warning(zone.problem);

    const dataDir = path.resolve(config.data_dir);
    const host = opts.host ?? "0.0.0.0";
    const late = lateWiring(this, opts);
    this.bus = new EventBus(this.log.child("events"));
    this.logs = new Logs({log: this.log, bus: this.bus});
    this.store = new Store(dataDir, this.log.child("store"), opts.store);
    this.signer = new UrlSigner(dataDir, this.log.child("signer"));
    this.links = new PublicLinks(this.signer, late.publicUrl);
    this.library = new Library({
      mediaDirs: config.media_dirs.map((d) => path.resolve(d)),
      uploadsDir: path.join(dataDir, "uploads"),
      store: this.store,
      bus: this.bus,
      log: this.log.child("library"),
    });

    this.files = new OpenFiles(this.bus, this.log.child("files"));
    this.streams = new Streams({
      store: this.store,
      library: this.library,
      files: this.files,
      bus: this.bus,
      log: this.log.child("streams"),
      firstWaitMs: opts.streams?.firstWaitMs,
    });

    const cloud = opts.cloud ?? YOTO_CLOUD;
    this.account = new YotoAccount({
      oauth: new OAuthClient(cloud.authUrl, config.yoto_client_id ?? ""),
      store: this.store,
      log: this.log.child("yoto-account"),
      onStatus: (status) => this.bus.emit("account.changed", status),
      forgetSavedLogin: opts.cloud?.forgetSavedLogin,
    });
    const rest = new YotoRest({apiUrl: cloud.apiUrl, tokens: this.account, log: this.log.child("yoto-rest")});
    this.players = new YotoPlayers({
      account: this.account,
      rest,
      mqttUrl: cloud.mqttUrl,
      bus: this.bus,
      log: this.log.child("players"),
    });
    this.history = new History({
      dataDir,
      players: this.players,
      bus: this.bus,
      log: this.log.child("history"),
      retentionDays: config.history_days,
      timeZone: zone.zone,
      busyTimeoutMs: opts.store?.busyTimeoutMs,
      sweepMs: opts.history?.sweepMs,
      ignoreCard: late.isRelayCard,
      liveTitle: late.liveTitle,
    });

    this.cards = new Cards({
      store: this.store,
      rest,
      links: this.links,
      library: this.library,
      streams: this.streams,
      players: this.players,
      bus: this.bus,
      log: this.log.child("cards"),
    });
    const own = {fetchPolicy: () => this.fetchPolicy, ownListeners: () => ownListeners(this, late.publicUrl())};
    this.sources = buildSources({...this, ...own, ffmpegPath: opts.ffmpegPath, sources: opts.sources});
    this.icons = new Icons({rest, players: this.players, log: this.log.child("icons")});
    this.stories = new Stories({
      bus: this.bus,
      players: this.players,
      cards: this.cards,
      sceneSeconds: sceneSeconds(this.library, this.streams),
      log: this.log.child("stories"),
      settle: late.settleRules,
    });

    const supervisor = opts.supervisor ?? {url: "http://supervisor"};
    const haCore = ha && supervisor.token ? supervisor : undefined;
    this.#haCore = haCore;
    // What others choose for us to fetch (announcement media, feeds) stays out of the home network.
    this.fetchPolicy = new FetchPolicy(config.fetch_allow);
    this.fetchPolicy.trust(late.publicUrl);
    this.fetchPolicy.trust(() => this.audio?.url);
    // One text-to-speech for announcements and spoken stream items: it looks for a local engine once.
    const speech = new Speech({core: haCore, engine: config.tts_engine, language: config.tts_language});
    this.announcer = buildAnnouncer({
      config,
      dataDir,
      players: this.players,
      rest,
      links: this.links,
      store: this.store,
      streams: this.streams,
      library: this.library,
      bus: this.bus,
      log: this.log.child("announce"),
      speech,
      ffmpegPath: opts.ffmpegPath,
      lamePath: opts.lamePath,
      fetchPolicy: this.fetchPolicy,
      quiet: late.quiet,
      timeZone: () => this.rules.timeZone,
    });
    this.players.hideFromPickers(late.isRelayCard);
    const living = buildLivingCards({
      config,
      dataDir,
      library: this.library,
      streams: this.streams,
      store: this.store,
      bus: this.bus,
      log: this.log,
      core: haCore,
      speech,
      ffmpegPath: opts.ffmpegPath,
      version: this.#version,
      fetchPolicy: this.fetchPolicy,
    });
    this.feeds = living.feeds;
    this.radio = buildRadio({
      ...this,
      ...{dataDir, speech, ffmpegPath: opts.ffmpegPath, timings: opts.radio},
      ownOrigins: () => [late.publicUrl(), this.audio?.url],
      // Port 0 (a test's "any free port") is no port until the listener has one.
      ownPorts: () => ({audio: this.audio?.port || undefined, admin: this.admin?.port || undefined}),
    });
    this.archive = buildArchive({...this, config, dataDir, rest, ffmpegPath: opts.ffmpegPath});
    // Cards are made of stories and feed streams, which themselves use cards: they register.
    this.cards.registerSource("story", this.stories);
    this.cards.registerSource("feed", this.feeds);

    // Every socket is a file descriptor: the listeners share what the process may open, so no
    // flood of connections can starve the others (or the files the service itself opens).
    const fileLimits = openFileLimits();
    const budget = connectionBudget(fileLimits?.soft ?? 1024);
    const perClient = opts.connectionsPerClient ?? DEFAULT_PER_CLIENT;
    const fewFiles = fileLimits && fileLimitWarning({...fileLimits, budget});
    if (fewFiles) this.log.warning(fewFiles);
    this.broker = new LocalBroker(config, supervisor, host, this.log.child("mqtt-broker"), {
      total: budget.broker,
      perClient,
    });
    const topics = new BridgeTopics(config.base_topic, config.discovery_prefix);
    this.bridge = new HaBridge({
      broker: () => this.broker.connection(),
      topics,
      players: this.players,
      account: this.account,
      bus: this.bus,
      log: this.log.child("ha-bridge"),
      version: this.#version,
      republishDelayMs: opts.republishDelayMs,
      floodWindowMs: opts.floodWindowMs,
      onAnyMessage: late.deliverMqtt,
      announcer: this.announcer,
    });
    this.mediaPlayers = new MediaPlayers({
      topics: new MediaTopics(topics),
      players: this.players,
      announce: (player, request, how) => this.announcer.announce(player, request, how),
      playStream: (player, stream) => this.cards.playStream(player, stream),
      publish: (topic, payload, retain) => this.bridge.mqtt.publish(topic, payload, retain),
      art: new AlbumArt({
        workDir: path.join(dataDir, "artwork"),
        ffmpegPath: () => opts.ffmpegPath ?? requireFfmpeg().path,
        policy: this.fetchPolicy,
      }),
      enabled: config.ha_media_players,
      // A radio card shows the station's song, as the listening history does.
      liveTitle: late.liveTitle,
      floodWindowMs: opts.floodWindowMs,
      bus: this.bus,
      log: this.log.child("media-players"),
    });
    this.bridge.registerTopics(this.mediaPlayers);
    this.quietHours = new QuietHours({
      store: this.store,
      players: this.players,
      bus: this.bus,
      log: this.log.child("quiet-hours"),
    });
    this.rules = buildRules(this, {...opts, timeZone: zone.zone}, living.spoken);
    this.family = new FamilyPlan({
      store: this.store,
      players: this.players,
      quietHours: this.quietHours,
      listening: this.history,
      streams: this.streams,
      bus: this.bus,
      log: this.log.child("family"),
      timeZone: this.rules.timeZone,
      rules: this.rules,
      ownPlayback: (playerId, cardId) => this.announcer.ownsPlayback(playerId, cardId),
    });
    this.healthMonitor = new HealthMonitor({
      bus: this.bus,
      players: this.players,
      account: this.account,
      report: () => this.health(),
      feeds: this.feeds,
      silentAfterMinutes: opts.health?.silentAfterMinutes,
      startProblems: zone.problem ? [zone.problem] : [],
    });
    registerBridgeFeatures(this, topics, opts.health?.refreshMs);

    const listeners = buildListeners(this, opts, {host, budget, perClient});
    this.admin = listeners.admin;
    this.audio = listeners.audio;

    const services = [
      // First in, last out: every other service's lines at start and stop are kept.
      this.logs,
      // Before the listeners: it counts every stream request.
      this.healthMonitor,
      this.store,
      this.signer,
      this.library,
      this.files,
      this.streams,
      this.radio,
      this.account,
      this.players,
      this.history,
      this.cards,
      this.sources,
      this.stories,
      this.announcer,
      this.feeds,
      this.archive,
      this.broker,
      // Before the bridge: it hears every player from the start, and publishes once the bridge connects.
      this.mediaPlayers,
      this.bridge,
      this.quietHours,
      this.rules,
      // After the rules: it hands them its generated rules on start.
      this.family,
      this.audio,
      this.admin,
    ];
    this.#lifecycle = new ServiceLifecycle(services, {bus: this.bus, log: this.log, version: this.#version});
  }

  /** Start every service in order. A failing optional service is reported and the rest go on. */
  async start(): Promise<void> {
    await this.#lifecycle.start();
    const core = this.#haCore;
    if (core?.token)
      this.#learning = trustHomeAssistantUrls({...core, token: core.token}, this.fetchPolicy, this.log.child("fetch"));
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
