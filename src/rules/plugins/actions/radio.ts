import {shownUrl} from "../../../radio/policyGet.js";
import type {ActionPlugin} from "../../types.js";
import {option} from "../helpers.js";

/**
 * `stream.set_radio`: make a stream play an internet radio station (made when it does not exist),
 * the same as `PUT /api/streams/<name>` with `{"radio": {"url": …}}`: the station is checked
 * first (a web page, a playlist that points back at itself, a home-network host not in
 * `fetch_allow` fail the run with why). A stream that follows a podcast feed is refused (by
 * Streams, as for every front door): its next refresh would take it back. Cards that stream it play the new station from their next play.
 */
export const setRadioAction: ActionPlugin = {
  kind: "action",
  type: "stream.set_radio",
  description: "Stream: play an internet radio station",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["stream", "url"],
    properties: {stream: {type: "string", minLength: 1}, url: {type: "string", minLength: 1}},
  },
  compile(options) {
    const read = option(options);
    return async (run) => {
      const {stream, url} = read(run);
      const name = String(stream);
      if (run.dryRun) {
        run.record(`stream.set_radio '${name}' url=${JSON.stringify(shownUrl(String(url)))}`);
        return;
      }
      const radio = run.services.radio;
      if (!radio) throw new Error("radio is not available here");
      await radio.setStation(name, String(url));
    };
  },
};
