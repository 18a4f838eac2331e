import type {EventBus} from "../core/events.js";
import type {ChildWeek} from "../shared/api/family.js";
import type {Component} from "./discovery.js";
import {childEntity, childEntityKey} from "./familyFeature.js";
import type {BridgeFeature} from "./features.js";
import {json} from "./playerComponents.js";
import type {BridgeTopics} from "./topics.js";

const STATE = "week";
/** Listening moves the week's minutes: read again at most this often while a child listens. */
const LISTENING_EVERY_MS = 5 * 60_000;
/** A new day starts a new week's last day: read again at least this often. */
const HOURLY_MS = 60 * 60_000;

/** What the week's sensors read, as the bridge needs it. */
export interface WeekPort {
  family: {names(): string[]};
  weeks: {week(child: string): Promise<ChildWeek>};
  bus: EventBus;
  topics: BridgeTopics;
  log: {warning(message: string): void};
  now(): number;
}

/** What a child's week sensor holds: the week's minutes, with the days and the top titles as attributes. */
export function weekState(week: ChildWeek): Record<string, unknown> {
  return {
    minutes: week.minutes,
    nights_up: week.days.filter((d) => d.night.wakes.length > 0).length,
    wakes: week.days.reduce((n, d) => n + d.night.wakes.length, 0),
    top: week.top.map((t) => t.title),
    from: week.from,
    to: week.to,
    days: week.days.map((d) => ({
      date: d.date,
      minutes: d.minutes,
      budget: d.budget,
      refusals: d.refusals,
      asks: d.asks,
      wakes: d.night.wakes.length,
      sleep_minutes: d.night.sleep_minutes,
    })),
  };
}

/**
 * Per child, on the bridge device: "<child> this week" (a sensor: the last seven days' minutes;
 * attributes: each day's minutes, budget, refusals, asks and wakes, the top titles, the nights up),
 * which the weekly blueprint reads for a parent's notification. The weeks are read from the history
 * and the journal when something changes them (the plan, a sleep sound, listening at most every five
 * minutes, the hour), and kept for the retained topic.
 */
export function weekFeature(port: WeekPort): BridgeFeature {
  const {topics} = port;
  const stateTopic = `${topics.base}/bridge/${STATE}`;
  let weeks: Record<string, Record<string, unknown>> = {};
  let reading: Promise<void> | undefined;
  let again = false;
  let lastListening = 0;
  const components = (name: string): Record<string, Component> => {
    const named = JSON.stringify(name);
    return {
      [childEntityKey(name, "week")]: childEntity(topics, name, "week", "sensor", {
        name: `${name} this week`,
        icon: "mdi:chart-bar",
        device_class: "duration",
        unit_of_measurement: "min",
        state_class: "measurement",
        state_topic: stateTopic,
        value_template: `{{ value_json.children[${named}].minutes if ${named} in value_json.children else 'None' }}`,
        json_attributes_topic: stateTopic,
        json_attributes_template: `{{ (value_json.children[${named}] if ${named} in value_json.children else {}) | tojson }}`,
        availability: [{topic: topics.bridgeState, value_template: json("state")}],
      }),
    };
  };
  /** Every child's week read again, once at a time (a change meanwhile reads once more after). */
  const read = (changed: () => void): Promise<void> => {
    if (reading !== undefined) {
      again = true;
      return reading;
    }
    reading = (async () => {
      const next: typeof weeks = {};
      for (const name of port.family.names()) {
        try {
          next[name] = weekState(await port.weeks.week(name));
        } catch (err) {
          port.log.warning(`${name}'s week could not be read for Home Assistant (${(err as Error).message})`);
        }
      }
      weeks = next;
      changed();
    })().finally(() => {
      reading = undefined;
      if (again) {
        again = false;
        void read(changed);
      }
    });
    return reading;
  };
  return {
    name: "week",
    components: () => Object.assign({}, ...port.family.names().map(components)),
    info: () => ({}),
    retained: () => ({[STATE]: {children: weeks}}),
    watch(changed) {
      const owner = {};
      const now = () => void read(changed);
      port.bus.on(owner, "family.changed", now);
      port.bus.on(owner, "sleep.changed", now);
      port.bus.on(owner, "history.changed", () => {
        if (port.now() - lastListening < LISTENING_EVERY_MS) return;
        lastListening = port.now();
        now();
      });
      const hourly = setInterval(now, HOURLY_MS);
      hourly.unref();
      now();
      return () => {
        clearInterval(hourly);
        port.bus.off(owner);
      };
    },
  };
}
