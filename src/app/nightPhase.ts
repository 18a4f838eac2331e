import type {HaBridge} from "../bridge/haBridge.js";
import {sleepFeature} from "../bridge/sleepFeature.js";
import {BridgeTopics} from "../bridge/topics.js";
import {weekFeature} from "../bridge/weekFeature.js";
import {ChildWeeks} from "../family/childWeeks.js";
import {SleepSounds} from "../family/sleepSounds.js";
import type {Catalogue} from "../playing/catalogue.js";
import type {Base} from "./basePhase.js";
import type {Cloud} from "./cloudPhase.js";
import type {Faces} from "./facesPhase.js";

/**
 * Beside the shelves, before them (the moon on a child's page starts a sleep sound): the children's
 * sleep sounds over the plan, the gate, quiet hours and the catalogue; each child's week over the
 * history, the journal and the sleep sounds; and their entities in Home Assistant. It decides
 * nothing: the limits are the plan's, the figures the week's.
 */
export function buildNight(
  app: Base & Cloud & Faces & {bridge: HaBridge; catalogue: Catalogue},
  sleepMinuteMs?: number,
): {sleep: SleepSounds; weeks: ChildWeeks} {
  const {family, players} = app;
  const topics = new BridgeTopics(app.config.base_topic, app.config.discovery_prefix);
  const sleep = new SleepSounds({
    family,
    players,
    gate: app.gate,
    quiet: app.quietHours,
    catalogue: app.catalogue,
    store: app.store,
    bus: app.bus,
    log: app.log.child("sleep"),
    timeZone: () => family.timeZone,
    now: Date.now,
    minuteMs: sleepMinuteMs,
  });
  const weeks = new ChildWeeks({family, history: app.history, sleep, now: Date.now});
  // Per child: the sleep sound's button and whether one plays (the blueprint's request), and the week's minutes.
  app.bridge.register(sleepFeature({family, sleep, bus: app.bus, topics}));
  app.bridge.register(weekFeature({family, weeks, bus: app.bus, topics, log: app.log.child("week"), now: Date.now}));
  return {sleep, weeks};
}
