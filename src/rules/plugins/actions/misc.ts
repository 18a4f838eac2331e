import type {ActionPlugin} from "../../types.js";
import {option} from "../helpers.js";

/** Publish on the local broker (e.g. to start a Home Assistant automation). */
export const mqttPublishAction: ActionPlugin = {
  kind: "action",
  type: "mqtt.publish",
  description: "Publish a message on the local MQTT broker",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["topic"],
    properties: {topic: {type: "string", minLength: 1}, payload: {}, retain: {type: "boolean"}},
  },
  compile(options, ctx) {
    if (/[#+]/.test(options.topic as string)) ctx.fail("a topic to publish to cannot hold + or #", ["topic"]);
    const read = option(options);
    return async (run) => {
      const o = read(run);
      const payload = typeof o.payload === "string" ? o.payload : JSON.stringify(o.payload ?? "");
      if (run.dryRun) {
        run.record(`mqtt.publish ${o.topic} ${payload}`);
        return;
      }
      if (!run.services.mqtt) throw new Error("the local MQTT broker is not available");
      run.services.mqtt.publish(String(o.topic), payload, o.retain === true);
    };
  },
};

/** Write a line to the add-on log. */
export const logAction: ActionPlugin = {
  kind: "action",
  type: "log",
  description: "Write a line to the log",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["message"],
    properties: {message: {type: "string"}, level: {enum: ["debug", "info", "warning", "error"]}},
  },
  compile(options) {
    const read = option(options);
    return async (run) => {
      const o = read(run);
      if (run.dryRun) {
        run.record(`log ${o.message}`);
        return;
      }
      const level = (o.level as "debug" | "info" | "warning" | "error" | undefined) ?? "info";
      run.services.log[level](`[${run.ruleId}] ${String(o.message)}`);
    };
  },
};

/** `stop: "reason"` ends the run here (with `error: true`, as a failure). */
export const stopAction: ActionPlugin = {
  kind: "action",
  type: "stop",
  description: "End the run",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["stop"],
    properties: {stop: {type: "string"}, error: {type: "boolean"}},
  },
  compile(options) {
    return async () => {
      throw Object.assign(new Error(String(options.stop)), {quiet: options.error !== true});
    };
  },
};
