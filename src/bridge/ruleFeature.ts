import {badRequest} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {RuleEngine} from "../rules/engine.js";
import type {Component} from "./discovery.js";
import type {BridgeFeature} from "./features.js";
import type {BridgeTopics} from "./topics.js";

/** A switch per rule (enabled or not), a "Reload rules" button, and `rules/*` requests. */
export function ruleFeature(engine: RuleEngine, bus: EventBus, topics: BridgeTopics): BridgeFeature {
  return {
    name: "rules",
    components() {
      const out: Record<string, Component> = {
        reload_rules: {
          platform: "button",
          unique_id: `yoto_bridge_reload_rules_${topics.slug}`,
          default_entity_id: "button.yoto_smart_stream_reload_rules",
          name: "Reload rules",
          icon: "mdi:reload",
          entity_category: "config",
          command_topic: topics.request("rules/reload"),
          payload_press: "{}",
        },
        rule_errors: {
          platform: "sensor",
          unique_id: `yoto_bridge_rule_errors_${topics.slug}`,
          default_entity_id: "sensor.yoto_smart_stream_rule_errors",
          name: "Rule errors",
          icon: "mdi:alert-circle-outline",
          entity_category: "diagnostic",
          state_topic: topics.bridge("info"),
          value_template: "{{ value_json.rule_errors | length }}",
          json_attributes_topic: topics.bridge("info"),
          json_attributes_template: "{{ {'errors': value_json.rule_errors} | tojson }}",
        },
      };
      // The family plan's rules are changed on its page: no switch to turn one off behind its back.
      for (const rule of engine.list()) {
        if (rule.from) continue;
        out[`rule_${rule.id}`] = {
          platform: "switch",
          unique_id: `yoto_bridge_rule_${rule.id}_${topics.slug}`,
          default_entity_id: `switch.yoto_rule_${rule.id.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`,
          name: `Rule ${rule.alias}`,
          icon: "mdi:robot",
          entity_category: "config",
          state_topic: topics.bridge("info"),
          value_template: `{{ 'ON' if value_json.rules[${JSON.stringify(rule.id)}] else 'OFF' }}`,
          state_on: "ON",
          state_off: "OFF",
          command_topic: topics.request("rules/enable"),
          payload_on: JSON.stringify({rule: rule.id, enabled: true}),
          payload_off: JSON.stringify({rule: rule.id, enabled: false}),
        };
      }
      return out;
    },
    info() {
      return {
        rules: Object.fromEntries(engine.list().map((r) => [r.id, r.enabled])),
        rule_errors: engine.errors().map((e) => e.text),
      };
    },
    retained() {
      return {rules: {rules: engine.list(), errors: engine.errors().map((e) => e.text)}};
    },
    requests: {
      "rules/reload": async () => {
        const {loaded, failed, errors} = await engine.reload();
        return {loaded, failed, errors: errors.map((e) => e.text)};
      },
      "rules/enable": async ({rule, enabled}) => {
        if (typeof rule !== "string" || typeof enabled !== "boolean")
          throw badRequest(`Send {"rule": "<id>", "enabled": true|false}`, "invalid_payload");
        const status = await engine.setEnabled(rule, enabled);
        return {rule: status.id, enabled: status.enabled};
      },
    },
    watch(changed) {
      const owner = {};
      bus.on(owner, "rules.changed", changed);
      return () => bus.off(owner);
    },
  };
}
