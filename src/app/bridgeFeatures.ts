import {cardGroupFeature} from "../bridge/cardGroupFeature.js";
import {familyFeature} from "../bridge/familyFeature.js";
import {feedFeature} from "../bridge/feedFeature.js";
import type {HaBridge} from "../bridge/haBridge.js";
import {healthFeature} from "../bridge/healthFeature.js";
import {listeningFeature} from "../bridge/listeningFeature.js";
import {quietFeature} from "../bridge/quietFeature.js";
import {radioFeature} from "../bridge/radioFeature.js";
import {ruleFeature} from "../bridge/ruleFeature.js";
import {streamFeature} from "../bridge/streamFeature.js";
import type {BridgeTopics} from "../bridge/topics.js";
import type {FamilyPlan} from "../family/familyPlan.js";
import type {HealthMonitor} from "../health/healthMonitor.js";
import type {QuietHours} from "../parents/quietHours.js";
import type {RuleEngine} from "../rules/engine.js";
import type {Base} from "./basePhase.js";
import type {Cloud} from "./cloudPhase.js";
import type {Content} from "./contentPhase.js";

/** What the bridge's features show and drive. */
export type BridgeFeatureDeps = Pick<Base, "bus" | "log" | "streams"> &
  Pick<Cloud, "players" | "history"> &
  Pick<Content, "feeds" | "radio"> & {
    bridge: HaBridge;
    rules: RuleEngine;
    quietHours: QuietHours;
    family: FamilyPlan;
    healthMonitor: HealthMonitor;
  };

/**
 * What each capability adds to the MQTT bridge (entities, topics, requests), registered once the
 * services exist: part of the composition root, kept beside it so app.ts stays readable.
 */
export function registerBridgeFeatures(app: BridgeFeatureDeps, topics: BridgeTopics, healthRefreshMs?: number): void {
  const {bridge, bus} = app;
  bridge.register(streamFeature(app.streams, bus, topics));
  bridge.register(ruleFeature(app.rules, bus, topics));
  bridge.register(feedFeature(app.feeds, bus, topics));
  const stations = () =>
    app.streams
      .list()
      .filter((s) => s.radio)
      .flatMap((s) => {
        const view = app.radio.view(s.name);
        return view ? [{stream: s.name, ...view}] : [];
      });
  bridge.register(radioFeature(stations, bus, topics));
  bridge.registerPlayer(listeningFeature(app.history, bus));
  bridge.registerPlayer(cardGroupFeature(app.players, bus, app.log.child("card-groups")));
  const quiet = quietFeature(app.quietHours, bus);
  bridge.registerPlayer(quiet.player);
  bridge.register(quiet.bridge);
  const family = familyFeature(app.family, bus, topics, (topic, payload, retain) =>
    bridge.mqtt.publish(topic, payload as object, retain),
  );
  bridge.register(family.bridge);
  bridge.registerPlayer(family.player);
  bridge.register(
    healthFeature({
      overview: () => app.healthMonitor.overview(),
      bus,
      topics,
      publish: (topic, payload, retain) => bridge.mqtt.publish(topic, payload, retain),
      refreshMs: healthRefreshMs,
    }),
  );
}
