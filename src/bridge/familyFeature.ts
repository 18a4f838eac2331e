import {badRequest} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import {readBonusAsk} from "../family/bonuses.js";
import {childSlug} from "../family/childNames.js";
import type {FamilyPlan} from "../family/familyPlan.js";
import type {ChildView} from "../family/types.js";
import {bridgeEntityId, bridgeUniqueId, type Component} from "./discovery.js";
import type {BridgeFeature, PlayerFeature} from "./features.js";
import {json} from "./playerComponents.js";
import type {BridgeTopics} from "./topics.js";

/** Bridge requests the family entities send, each `{"child": "<name>"}` (the listener also `"player"`). */
export const FAMILY_REQUESTS = {
  bonus: "family/bonus",
  allow: "family/allow",
  notTonight: "family/not_tonight",
  listener: "family/listener",
} as const;
/** The event type HA's event entity fires when a child asks for one more story. */
export const BONUS_REQUESTED = "bonus_requested";
const LISTENER_TOPIC = "listener";

type Family = Pick<FamilyPlan, "list" | "listeners" | "names" | "bonus" | "answer" | "setListener">;

/** What `<base>/bridge/family` holds, by child name: today's numbers the sensors read. */
export function familyState(children: ChildView[]): Record<string, unknown> {
  return {
    children: Object.fromEntries(
      children.map((c) => [
        c.name,
        {
          minutes_used: c.minutes_used,
          minutes_left: c.minutes_left,
          minutes_budget: c.minutes_budget,
          quiet: c.quiet_until !== null,
          quiet_until: c.quiet_until,
          quiet_reason: c.quiet_reason,
          bonus_until: c.bonus?.until ?? null,
          bonuses_left: c.bonuses_left,
          request: c.request !== null,
        },
      ]),
    ),
  };
}

/** The component id of one of a child's entities on the bridge device: `family_<child>_<what>`. */
export function childEntityKey(child: string, what: string): string {
  return `family_${childSlug(child)}_${what}`;
}

/** One of a child's entities on the bridge device, available while the bridge is. */
export function childEntity(
  topics: BridgeTopics,
  child: string,
  what: string,
  platform: string,
  extra: Record<string, unknown>,
): Component {
  return {
    platform,
    unique_id: bridgeUniqueId(topics, childEntityKey(child, what)),
    default_entity_id: bridgeEntityId(topics, platform, childEntityKey(child, what)),
    availability: [{topic: topics.bridgeState, value_template: json("state")}],
    ...extra,
  };
}

/**
 * The family plan in Home Assistant (docs/family-plan.md, "Family plan"). On the bridge device, per child:
 * minutes left (sensor), quiet (binary sensor), one more story, Allow and Not tonight (buttons; the
 * answers available only while a request waits) and a "bonus request" event entity, fired with
 * `bonus_requested` and the child, player and card, which the shipped blueprint turns into a
 * phone notification. On each shared player's device, a "Who is listening" select.
 */
export function familyFeature(
  family: Family,
  bus: EventBus,
  topics: BridgeTopics,
  publish: (topic: string, payload: unknown, retain?: boolean) => void,
): {bridge: BridgeFeature; player: PlayerFeature} {
  const stateTopic = `${topics.base}/bridge/family`;
  const eventTopic = (child: string) => `${topics.base}/bridge/family/${childSlug(child)}/event`;
  const available = [{topic: topics.bridgeState, value_template: json("state")}];
  const childComponents = (c: ChildView): Record<string, Component> => {
    const key = (what: string) => childEntityKey(c.name, what);
    const name = JSON.stringify(c.name);
    const entity = (what: string, platform: string, extra: Record<string, unknown>) =>
      childEntity(topics, c.name, what, platform, extra);
    const press = (request: string) => ({
      command_topic: topics.request(request),
      payload_press: JSON.stringify({child: c.name}),
    });
    const whileAsking = {
      availability: [
        ...available,
        {topic: stateTopic, value_template: `{{ 'online' if value_json.children[${name}].request else 'offline' }}`},
      ],
      availability_mode: "all",
    };
    return {
      [key("minutes_left")]: entity("minutes_left", "sensor", {
        name: `${c.name} minutes left`,
        icon: "mdi:timer-sand",
        device_class: "duration",
        unit_of_measurement: "min",
        state_topic: stateTopic,
        // No budget: HA's unknown, not 0.
        value_template: `{{ value_json.children[${name}].minutes_left if value_json.children[${name}].minutes_left is not none else 'None' }}`,
        json_attributes_topic: stateTopic,
        json_attributes_template: `{{ value_json.children[${name}] | tojson }}`,
      }),
      [key("quiet")]: entity("quiet", "binary_sensor", {
        name: `${c.name} quiet`,
        icon: "mdi:sleep",
        state_topic: stateTopic,
        value_template: `{{ 'ON' if value_json.children[${name}].quiet else 'OFF' }}`,
      }),
      [key("bonus")]: entity("bonus", "button", {
        name: `${c.name} one more story`,
        icon: "mdi:book-plus",
        ...press(FAMILY_REQUESTS.bonus),
      }),
      [key("allow")]: entity("allow", "button", {
        name: `${c.name} allow`,
        icon: "mdi:check",
        ...press(FAMILY_REQUESTS.allow),
        ...whileAsking,
      }),
      [key("not_tonight")]: entity("not_tonight", "button", {
        name: `${c.name} not tonight`,
        icon: "mdi:close",
        ...press(FAMILY_REQUESTS.notTonight),
        ...whileAsking,
      }),
      [key("request")]: entity("request", "event", {
        name: `${c.name} bonus request`,
        icon: "mdi:hand-wave",
        state_topic: eventTopic(c.name),
        event_types: [BONUS_REQUESTED],
      }),
    };
  };
  const child = (data: Record<string, unknown>) => {
    if (typeof data.child !== "string" || data.child === "")
      throw badRequest(`Name the child: {"child": "<name>"}`, "invalid_payload");
    return data.child;
  };
  const bridge: BridgeFeature = {
    name: "family",
    components: () => Object.assign({}, ...family.list().children.map(childComponents)),
    info: () => ({}),
    retained: () => ({family: familyState(family.list().children)}),
    requests: {
      // `{"child": …}` and, like POST /api/children/<name>/bonus, `minutes` or `until`: refused in its words.
      [FAMILY_REQUESTS.bonus]: (data) => {
        const {child: _named, ...ask} = data;
        const name = child(data);
        readBonusAsk(ask);
        return family.bonus(name, ask, "Home Assistant");
      },
      [FAMILY_REQUESTS.allow]: (data) => family.answer(child(data), true, "Home Assistant"),
      [FAMILY_REQUESTS.notTonight]: (data) => family.answer(child(data), false, "Home Assistant"),
      [FAMILY_REQUESTS.listener]: async (data) => {
        if (typeof data.player !== "string")
          throw badRequest(`Send {"player": "<id>", "child": "<name>"}`, "invalid_payload");
        return family.setListener(data.player, child(data));
      },
    },
    watch(changed) {
      const owner = {};
      bus.on(owner, "family.changed", changed);
      // Minutes tick while a child listens: only the numbers change, not the entities.
      const numbers = () => publish(stateTopic, familyState(family.list().children), true);
      bus.on(owner, "quiet.changed", numbers);
      bus.on(owner, "history.changed", numbers);
      bus.on(owner, "family.requested", (r) =>
        publish(
          eventTopic(r.child),
          {
            event_type: BONUS_REQUESTED,
            child: r.child,
            player: r.player,
            player_id: r.playerId,
            card: r.card ?? null,
            card_id: r.cardId ?? null,
            reason: r.reason,
            expires_at: r.expires_at,
          },
          false,
        ),
      );
      return () => bus.off(owner);
    },
  };
  const player: PlayerFeature = {
    name: "family-listener",
    components(k): Record<string, Component> {
      if (!family.listeners().some((l) => l.playerId === k.player.id)) return {};
      return {
        listener: k.entity("listener", "select", {
          name: "Who is listening",
          icon: "mdi:account-child",
          state_topic: `${k.state}/${LISTENER_TOPIC}`,
          value_template: "{{ value_json.child }}",
          command_topic: topics.request(FAMILY_REQUESTS.listener),
          command_template: `{{ {'player': ${JSON.stringify(k.player.id)}, 'child': value} | tojson }}`,
          options: family.names(),
          availability: available,
        }),
      };
    },
    retained(playerId) {
      const shared = family.listeners().find((l) => l.playerId === playerId);
      return shared ? {[LISTENER_TOPIC]: {child: shared.child, usual: shared.usual}} : {};
    },
    watch(changed) {
      const owner = {};
      // A player no longer shared loses its select too: the ones shared before are rebuilt with the ones shared now.
      let shared = new Set(family.listeners().map((l) => l.playerId));
      bus.on(owner, "family.changed", () => {
        const now = new Set(family.listeners().map((l) => l.playerId));
        for (const id of new Set([...shared, ...now])) changed(id);
        shared = now;
      });
      return () => bus.off(owner);
    },
  };
  return {bridge, player};
}
