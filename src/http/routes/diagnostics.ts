import type Router from "@koa/router";
import {DIAGNOSTIC_LOG_LINES, diagnosticsBundle} from "../../logs/diagnosticsBundle.js";
import {type LogRouteDeps, redactionContext} from "./logs.js";

/** What the bundle needs beyond what the log routes already have. */
export interface DiagnosticsRouteDeps {
  /** The options in effect (secrets included: the bundle masks them). */
  options: () => Record<string, unknown>;
  secretOptions: readonly string[];
  /** Which ffmpeg, when one was found ("/usr/bin/ffmpeg (PATH)"). */
  ffmpeg?: () => string | undefined;
}

/** `GET /api/diagnostics`: the redacted bundle a user attaches to a bug report, as a download. */
export function diagnosticsRoutes(router: Router, deps: LogRouteDeps & DiagnosticsRouteDeps): void {
  router.get("/api/diagnostics", (ctx) => {
    const players = deps.players.list();
    const health = deps.health();
    const {entries} = deps.logs.page({limit: DIAGNOSTIC_LOG_LINES});
    const {filename, bundle} = diagnosticsBundle({
      version: health.version,
      options: deps.options(),
      secretOptions: deps.secretOptions,
      players,
      health,
      broker: {...deps.broker.summary()},
      logs: entries,
      ffmpeg: deps.ffmpeg?.(),
      redaction: redactionContext(players, deps),
      now: new Date(),
    });
    ctx.set("Content-Disposition", `attachment; filename="${filename}"`);
    ctx.set("Cache-Control", "no-store");
    ctx.body = bundle;
  });
}
