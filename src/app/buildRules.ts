import path from "node:path";
import type {HaBridge} from "../bridge/haBridge.js";
import type {QuietHours} from "../parents/quietHours.js";
import {RuleEngine} from "../rules/engine.js";
import type {AppOptions} from "./appOptions.js";
import type {Base} from "./basePhase.js";
import type {Cloud} from "./cloudPhase.js";
import type {Content} from "./contentPhase.js";

/** What the rules act on: the services before them, the bridge they publish through, quiet hours. */
export type RulesDeps = Pick<Base, "config" | "store" | "bus" | "log" | "streams"> &
  Pick<Cloud, "players" | "history"> &
  Pick<Content, "stories" | "cards" | "announcer" | "radio" | "feeds" | "spoken"> & {
    bridge: HaBridge;
    quietHours: QuietHours;
  };

/**
 * The rule engine with every service its plugins act on: part of the composition root, kept beside
 * it so app.ts stays readable. Built after the services it names.
 */
export function buildRules(app: RulesDeps, opts: AppOptions): RuleEngine {
  return new RuleEngine({
    rulesDir: path.resolve(app.config.rules_dir),
    store: app.store,
    bus: app.bus,
    log: app.log.child("rules"),
    services: {
      players: app.players,
      streams: app.streams,
      stories: app.stories,
      cards: app.cards,
      announcer: {announce: (player, request, how) => app.announcer.announce(player, request, how)},
      radio: app.radio,
      feeds: app.feeds,
      spoken: app.spoken,
      mqtt: {publish: (topic, payload, retain) => app.bridge.mqtt.publish(topic, payload, retain)},
      history: app.history,
      quietHours: app.quietHours,
      log: app.log.child("rules"),
    },
    timeZone: opts.timeZone,
    watch: true,
    writeExample: true,
    onMqttTopics: (topics) => app.bridge.mqtt.setExtraTopics(topics),
    // Story files live among the rules; the folder is read once and stories load their own.
    documents: [app.stories.files],
  });
}
