import type {ActionPlugin} from "../../types.js";
import {option} from "../helpers.js";

/**
 * `stream.refresh_feed`: fetch a feed stream's new episodes now (a morning rule before the
 * greeting, say). The run waits until the episodes are in (`wait: false` goes on at once). A feed
 * that fails does not stop the run: the stream keeps its last good episodes, and the feed's error
 * is in the log, the panel and Home Assistant.
 */
export const refreshFeedAction: ActionPlugin = {
  kind: "action",
  type: "stream.refresh_feed",
  description: "Stream: refresh the feed it follows",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["stream"],
    properties: {stream: {type: "string", minLength: 1}, wait: {type: ["boolean", "string"]}},
  },
  compile(options, ctx) {
    ctx.reference("stream", options.stream, ["stream"]);
    const read = option(options);
    return async (run) => {
      const {stream, wait} = read(run);
      const name = String(stream);
      if (run.dryRun) {
        run.record(`stream.refresh_feed '${name}'`);
        return;
      }
      const feeds = run.services.feeds;
      if (!feeds) throw new Error("feeds are not available here");
      if (!feeds.has(name)) throw new Error(`stream '${name}' does not follow a feed`);
      const refreshed = feeds.refresh(name);
      if (wait === false || wait === "false") return;
      await refreshed;
      const {error} = feeds.view(name);
      if (error) run.services.log.warning(`stream.refresh_feed in '${run.ruleId}': ${error}`);
    };
  },
};
