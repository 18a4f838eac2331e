import type {ActionPlugin} from "../../types.js";
import {option} from "../helpers.js";

const TEXT = {type: "string", minLength: 1};

/**
 * `stream.speak`: say something into a stream, first in its queue (a morning greeting before the
 * day's episodes). `message` may use the rules' `{{ }}` expressions; `ha_template` is handed to
 * Home Assistant as written, so its own templates (`states('weather.home')`, calendars) work there.
 * The stream's previous spoken item is replaced.
 */
export const speakAction: ActionPlugin = {
  kind: "action",
  type: "stream.speak",
  description: "Stream: speak a message into an item at the head of the stream",
  verbatim: ["ha_template"],
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["stream"],
    properties: {stream: TEXT, message: TEXT, ha_template: TEXT, language: TEXT, engine: TEXT},
  },
  compile(options, ctx) {
    const given = ["message", "ha_template"].filter((k) => options[k] !== undefined);
    if (given.length !== 1) ctx.fail("give one of 'message' (text, with {{ }} expressions) or 'ha_template'");
    // Home Assistant's template syntax is not ours: it is passed on untouched.
    const {ha_template: haTemplate, ...ours} = options;
    const read = option(ours);
    return async (run) => {
      const {stream, message, language, engine} = read(run);
      const name = String(stream);
      if (run.dryRun) {
        run.record(`stream.speak '${name}' ${JSON.stringify(message ?? haTemplate)}`);
        return;
      }
      const spoken = run.services.spoken;
      if (!spoken) throw new Error("speech is not available here");
      await spoken.say(name, {
        message: message === undefined ? undefined : String(message),
        haTemplate: typeof haTemplate === "string" ? haTemplate : undefined,
        language: language === undefined ? undefined : String(language),
        engine: engine === undefined ? undefined : String(engine),
      });
    };
  },
};
