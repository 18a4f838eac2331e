import type Router from "@koa/router";
import {badRequest} from "../../core/errors.js";
import type {RuleEngine} from "../../rules/engine.js";
import {readJson} from "../body.js";

export interface RuleRouteDeps {
  rules: RuleEngine;
}

/** Rules for the panel: what loaded, what failed and where, enable switches, reload, run traces. */
export function ruleRoutes(router: Router, {rules}: RuleRouteDeps): void {
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
    ctx.body = {trace: await rules.run(ctx.params.id as string)};
  });
}
