import type {TriggerPlugin} from "../../types.js";
import {eventTrigger} from "../helpers.js";

/** Once when the rules are loaded at start (not on reloads). */
export const startupTrigger: TriggerPlugin = {
  kind: "trigger",
  type: "startup",
  description: "When the service starts",
  schema: {type: "object", additionalProperties: false, properties: {}},
  compile: () => eventTrigger("startup", "*", () => ({type: "startup"})),
};
