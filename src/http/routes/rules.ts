import type Router from "@koa/router";
import {badRequest} from "../../core/errors.js";
import type {RuleEngine} from "../../rules/engine.js";
import {readJson} from "../body.js";

export interface RuleRouteDeps {
  rules: RuleEngine;
  /** How long "Run now" waits for a run to end (default RUN_ANSWER_WITHIN_MS; tests shorten it). */
  runAnswerWithinMs?: number;
}

/** Rules for the panel: what loaded, what failed and where, enable switches, reload, run traces. */
/** How long "Run now" waits for a run to end before answering that it is under way. */
export const RUN_ANSWER_WITHIN_MS = 5000;

export function ruleRoutes(router: Router, {rules, runAnswerWithinMs}: RuleRouteDeps): void {
  const answerWithinMs = runAnswerWithinMs ?? RUN_ANSWER_WITHIN_MS;
  router.get("/api/rules", (ctx) => {
    ctx.body = {rules: rules.list(), errors: rules.errors(), timeZone: rules.timeZone};
  });
  router.post("/api/rules/reload", async (ctx) => {
    const {loaded, failed, errors} = await rules.reload();
    ctx.body = {loaded, failed, errors};
  });
  router.get("/api/rules/traces", (ctx) => {
    ctx.body = {traces: rules.traces()};
  });
  router.get("/api/rules/:id/traces", (ctx) => {
    ctx.body = {traces: rules.traces(ctx.params.id as string)};
  });
  router.put("/api/rules/:id", async (ctx) => {
    const body = (await readJson(ctx)) as {enabled?: unknown} | null;
    if (typeof body?.enabled !== "boolean")
      throw badRequest('Send {"enabled": true} or {"enabled": false}', "invalid_body");
    ctx.body = await rules.setEnabled(ctx.params.id as string, body.enabled);
  });
  router.post("/api/rules/:id/run", async (ctx) => {
    const id = ctx.params.id as string;
    const run = rules.run(id);
    // A wind-down runs for minutes: answer once it is under way instead of holding the request
    // (and Home Assistant's ingress proxy) open; its steps follow in the rule's runs.
    let timer: NodeJS.Timeout | undefined;
    const stillRunning = new Promise<"running">((resolve) => {
      timer = setTimeout(() => resolve("running"), answerWithinMs);
    });
    const outcome = await Promise.race([run, stillRunning]).finally(() => clearTimeout(timer));
    if (outcome !== "running") {
      ctx.body = {trace: outcome};
      return;
    }
    run.catch(() => {}); // its failure is in its trace, which the panel reads
    ctx.status = 202;
    ctx.body = {trace: rules.traces(id).find((t) => t.result === "running")};
  });
}
