import {compileTemplate} from "../../expressions.js";
import type {TriggerPlugin} from "../../types.js";

/** A message on the local broker: how Home Assistant automations fire rules. */
export const mqttTrigger: TriggerPlugin = {
  kind: "trigger",
  type: "mqtt",
  description: "A message on a topic of the local MQTT broker",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["topic"],
    properties: {topic: {type: "string", minLength: 1}, payload: {type: "string"}, value_template: {type: "string"}},
  },
  compile(options, ctx) {
    const topic = options.topic as string;
    if (/#./.test(topic) || /[^/]\+|\+[^/]/.test(topic))
      ctx.fail(`'${topic}' is not a valid MQTT topic filter`, ["topic"]);
    const template =
      options.value_template === undefined ? undefined : compileTemplate(options.value_template as string);
    return {
      attach: (host, fire) =>
        host.mqtt(topic, (actual, payload) => {
          let json: unknown;
          try {
            json = JSON.parse(payload);
          } catch {
            json = undefined;
          }
          const value = template ? String(template({value: payload, value_json: json}) ?? "") : payload;
          if (options.payload !== undefined && value !== options.payload) return;
          fire({type: "mqtt", topic: actual, payload, payload_json: json, value});
        }),
    };
  },
};
