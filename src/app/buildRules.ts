import path from "node:path";
import {RuleEngine} from "../rules/engine.js";
import type {SpokenItems} from "../spoken/spokenItems.js";
import type {App} from "./app.js";
import type {AppOptions} from "./appOptions.js";

/**
 * The rule engine with every service its plugins act on: part of the composition root, kept beside
 * it so app.ts stays readable. Built after the services it names; the bridge and announcer are
 * reached through closures, as they exist by the time a rule runs.
 */
export function buildRules(app: App, opts: AppOptions, spoken: SpokenItems): RuleEngine {
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
      spoken,
      mqtt: {publish: (topic, payload, retain) => app.bridge.mqtt.publish(topic, payload, retain)},
      history: app.history,
      quietHours: app.quietHours,
      log: app.log.child("rules"),
    },
    timeZone: opts.timeZone,
    watch: true,
    writeExample: true,
    onMqttTopics: (topics) => app.bridge.mqtt.setExtraTopics(topics),
    onStories: (stories, failing) => app.stories.setStories(stories, failing),
  });
}
