import type {TriggerPlugin} from "../../types.js";
import {eventTrigger} from "../helpers.js";

/** A player (or anyone) asks for a stream's MP3. */
export const streamRequestedTrigger: TriggerPlugin = {
  kind: "trigger",
  type: "stream_requested",
  description: "A stream's audio is requested",
  schema: {type: "object", additionalProperties: false, properties: {stream: {type: "string"}}},
  compile(options, ctx) {
    ctx.reference("stream", options.stream, ["stream"]);
    return eventTrigger("stream_requested", (options.stream as string | undefined) ?? "*", (e) => ({
      ...e,
      type: "stream_requested",
    }));
  },
};
