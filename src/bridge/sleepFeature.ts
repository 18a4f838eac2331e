import {badRequest} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {SleepAsk} from "../family/sleepAsk.js";
import {readSleepAsk} from "../family/sleepAsk.js";
import type {SleepAnswer, SleepState} from "../shared/api/family.js";
import type {Component} from "./discovery.js";
import {childEntity, childEntityKey} from "./familyFeature.js";
import type {BridgeFeature} from "./features.js";
import {json} from "./playerComponents.js";
import type {BridgeTopics} from "./topics.js";

/** The bridge request a sleep sound's start is: `{"child": "<name>", "reason": "crying", "sound"?: "stream:rain"}`. */
export const SLEEP_REQUEST = "family/sleep";
const STATE = "sleep";

/** What the sleep entities read and drive, as the bridge needs it: the plan's children and their sleep sounds. */
export interface SleepPort {
  family: {list(): {children: ReadonlyArray<{name: string; plan: {sleep?: unknown}}>}};
  sleep: {
    state(child: string): SleepState;
    begin(child: string, ask: SleepAsk, how: {route: "bridge"; by: string}): Promise<SleepAnswer>;
  };
  bus: EventBus;
  topics: BridgeTopics;
}

/** What `<base>/bridge/sleep` holds, by child: whether a sleep sound plays, which, until when, and how many are left tonight. */
export function sleepState(port: Pick<SleepPort, "family" | "sleep">): Record<string, unknown> {
  const children = port.family.list().children.filter((c) => c.plan.sleep);
  return {
    children: Object.fromEntries(
      children.map((c) => {
        const s = port.sleep.state(c.name);
        return [
          c.name,
          {playing: s.playing !== null, title: s.playing?.title ?? null, until: s.playing?.until ?? null, left: s.left},
        ];
      }),
    ),
  };
}

/**
 * Per child with sleep sounds, on the bridge device: "<child> sleep sound" (a button: the first of
 * the plan's sounds, through the play gate as any start of the house's) and "<child> sleep sound
 * playing" (a binary sensor, with the title and its end as attributes). The shipped blueprint
 * starts one from a sensor by the same request the button sends.
 */
export function sleepFeature(port: SleepPort): BridgeFeature {
  const {topics} = port;
  const stateTopic = `${topics.base}/bridge/${STATE}`;
  const components = (name: string): Record<string, Component> => {
    const key = (what: string) => childEntityKey(name, what);
    const named = JSON.stringify(name);
    return {
      [key("sleep")]: childEntity(topics, name, "sleep", "button", {
        name: `${name} sleep sound`,
        icon: "mdi:weather-night",
        command_topic: topics.request(SLEEP_REQUEST),
        payload_press: JSON.stringify({child: name, reason: "Home Assistant"}),
      }),
      [key("sleep_playing")]: childEntity(topics, name, "sleep_playing", "binary_sensor", {
        name: `${name} sleep sound playing`,
        icon: "mdi:weather-night",
        state_topic: stateTopic,
        value_template: `{{ 'ON' if value_json.children[${named}].playing else 'OFF' }}`,
        json_attributes_topic: stateTopic,
        json_attributes_template: `{{ value_json.children[${named}] | tojson }}`,
        availability: [{topic: topics.bridgeState, value_template: json("state")}],
      }),
    };
  };
  return {
    name: "sleep",
    components: () =>
      Object.assign(
        {},
        ...port.family
          .list()
          .children.filter((c) => c.plan.sleep)
          .map((c) => components(c.name)),
      ),
    info: () => ({}),
    retained: () => ({[STATE]: sleepState(port)}),
    requests: {
      [SLEEP_REQUEST]: (data) => {
        if (typeof data.child !== "string" || data.child === "")
          throw badRequest(`Name the child: {"child": "<name>", "reason": "crying"}`, "invalid_payload");
        return port.sleep.begin(data.child, readSleepAsk(data, "child"), {route: "bridge", by: "Home Assistant"});
      },
    },
    watch(changed) {
      const owner = {};
      port.bus.on(owner, "family.changed", changed);
      port.bus.on(owner, "sleep.changed", changed);
      return () => port.bus.off(owner);
    },
  };
}
