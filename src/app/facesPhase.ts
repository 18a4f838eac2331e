import path from "node:path";
import {HaBridge} from "../bridge/haBridge.js";
import {BridgeTopics} from "../bridge/topics.js";
import {LocalBroker} from "../broker/localBroker.js";
import {connectionBudget, DEFAULT_PER_CLIENT, openFileLimits} from "../core/connectionGuard.js";
import {requireFfmpeg} from "../core/ffmpeg.js";
import {FamilyPlan} from "../family/familyPlan.js";
import {withoutNightSounds} from "../family/nightListening.js";
import {HealthMonitor} from "../health/healthMonitor.js";
import {AlbumArt} from "../mediaPlayer/albumArt.js";
import {MediaPlayers} from "../mediaPlayer/mediaPlayers.js";
import {MediaTopics} from "../mediaPlayer/mediaTopics.js";
import {PlayerExposure} from "../mediaPlayer/playerExposure.js";
import {QuietHours} from "../parents/quietHours.js";
import type {RuleEngine} from "../rules/engine.js";
import {PlayerMutes} from "../yoto/playerMutes.js";
import type {AppOptions} from "./appOptions.js";
import type {Base} from "./basePhase.js";
import {registerBridgeFeatures} from "./bridgeFeatures.js";
import type {ListenerNetwork} from "./buildListeners.js";
import {buildRules} from "./buildRules.js";
import type {Cloud} from "./cloudPhase.js";
import type {Content} from "./contentPhase.js";
import {fileLimitWarning} from "./fileLimits.js";
import type {LateWiring} from "./lateWiring.js";

/** What faces the family and Home Assistant: the broker and bridge, the media players, the rules, the plan. */
export interface Faces {
  broker: LocalBroker;
  bridge: HaBridge;
  /** Each player as a Home Assistant media player, through the MQTT Media Player integration. */
  mediaPlayers: MediaPlayers;
  /** Each player's Home Assistant switches (media player, DLNA renderer), from its details in the panel. */
  exposure: PlayerExposure;
  /** Mute for players that only have a volume: the media players and the renderers share one. */
  mutes: PlayerMutes;
  /** Quiet hours rules start (`player.quiet`), with their pending restores. */
  quietHours: QuietHours;
  rules: RuleEngine;
  family: FamilyPlan;
  /** The overview the Health page and the bridge's health sensors show. */
  healthMonitor: HealthMonitor;
  /** Where the HTTP listeners bind and the connections they may hold (shared with the broker). */
  network: ListenerNetwork;
}

/**
 * Phase 4 of the composition root: the broker, every Home Assistant face (the bridge, its
 * per-capability features and the media players, registered here in one place), the rules and the
 * family plan over them.
 */
export function buildFaces(deps: Base & Cloud & Content, opts: AppOptions, late: LateWiring): Faces {
  const {config, bus, log, players, store} = deps;
  // Every socket is a file descriptor: the listeners share what the process may open, so no
  // flood of connections can starve the others (or the files the service itself opens).
  const fileLimits = openFileLimits();
  const budget = connectionBudget(fileLimits?.soft ?? 1024);
  const perClient = opts.connectionsPerClient ?? DEFAULT_PER_CLIENT;
  const fewFiles = fileLimits && fileLimitWarning({...fileLimits, budget});
  if (fewFiles) log.warning(fewFiles);
  const broker = new LocalBroker(config, deps.supervisor, opts.brokerHost ?? deps.host, log.child("mqtt-broker"), {
    total: budget.broker,
    perClient,
  });
  const topics = new BridgeTopics(config.base_topic, config.discovery_prefix);
  const bridge = new HaBridge({
    broker: () => broker.connection(),
    topics,
    players,
    account: deps.account,
    bus,
    log: log.child("ha-bridge"),
    version: deps.version,
    republishDelayMs: opts.republishDelayMs,
    floodWindowMs: opts.floodWindowMs,
    onAnyMessage: late.deliverMqtt,
    announcer: deps.announcer,
  });
  const exposure = new PlayerExposure({store, bus, log: log.child("player-exposure")});
  const mutes = new PlayerMutes({players, bus});
  const mediaPlayers = new MediaPlayers({
    topics: new MediaTopics(topics),
    players,
    announce: (player, request, how) => deps.announcer.announce(player, request, how),
    cards: deps.cards,
    playUrl: (player, url, how) => deps.announcer.playUrl(player, url, how),
    mutes,
    exposure,
    publish: (topic, payload, retain) => bridge.mqtt.publish(topic, payload, retain),
    art: new AlbumArt({
      workDir: path.join(deps.dataDir, "artwork"),
      ffmpegPath: () => opts.ffmpegPath ?? requireFfmpeg().path,
      policy: deps.fetchPolicy,
    }),
    enabled: config.ha_media_players,
    // A radio card shows the station's song, as the listening history does.
    liveTitle: late.liveTitle,
    // A relay card playing a renderer's cast shows the cast's track, artist, album and position.
    castNow: late.castNow,
    floodWindowMs: opts.floodWindowMs,
    bus,
    log: log.child("media-players"),
  });
  const quietHours = new QuietHours({store, players, bus, timeZone: deps.zone.zone, log: log.child("quiet-hours")});
  const rules = buildRules({...deps, bridge, quietHours}, {...opts, timeZone: deps.zone.zone});
  const family = new FamilyPlan({
    store,
    players,
    quietHours,
    // The day's listening without the night's sleep sounds (built later: late-bound).
    listening: withoutNightSounds(deps.history, late.sleep, deps.zone.zone),
    streams: deps.streams,
    bus,
    log: log.child("family"),
    timeZone: rules.timeZone,
    rules,
    // The service's own playback: an announcement, or a child's sleep sound (never a request for one more story).
    ownPlayback: (playerId, cardId) =>
      deps.announcer.ownsPlayback(playerId, cardId) || late.sleep.owns(playerId, cardId),
  });
  const healthMonitor = new HealthMonitor({
    bus,
    players,
    account: deps.account,
    report: late.health,
    feeds: deps.feeds,
    silentAfterMinutes: opts.health?.silentAfterMinutes,
    startProblems: deps.zone.problem ? [deps.zone.problem] : [],
  });
  // Every Home Assistant face in one place: the media players' topics, then each capability's entities.
  bridge.registerTopics(mediaPlayers);
  registerBridgeFeatures({...deps, bridge, rules, quietHours, family, healthMonitor}, topics, opts.health?.refreshMs);
  return {
    broker,
    bridge,
    mediaPlayers,
    exposure,
    mutes,
    quietHours,
    rules,
    family,
    healthMonitor,
    network: {host: deps.host, budget, perClient},
  };
}
