import type Router from "@koa/router";
import type {Context} from "koa";
import {badRequest} from "../../core/errors.js";
import type {ChildWeeks} from "../../family/childWeeks.js";
import type {FamilyPlan} from "../../family/familyPlan.js";
import {readSleepAsk} from "../../family/sleepAsk.js";
import type {SleepSounds} from "../../family/sleepSounds.js";
import {readJsonObject} from "../body.js";
import type {AdminCaller} from "../middleware/adminAccess.js";
import {PANEL_HEADER, PANEL_HEADER_VALUE} from "../middleware/sameOrigin.js";

export interface FamilyRouteDeps {
  /** Each child's sleep sounds (docs/family-plan.md, "At night"). */
  sleep: Pick<SleepSounds, "state" | "begin" | "end">;
  /** Each child's last seven days (docs/history.md, "The week"). */
  weeks: Pick<ChildWeeks, "week">;
  family: Pick<
    FamilyPlan,
    "list" | "child" | "put" | "delete" | "bonus" | "answer" | "setListener" | "journal" | "pagePlayers"
  >;
}

const SEND_PLAN =
  'Send the child\'s plan as a JSON object, e.g. {"players": ["Bedroom Mini"], "budget": {"minutes": 60}, "schedule": {"mon": {"bedtime": "19:30", "wake": "07:00"}}}';

const SLEEP_STATUS = {refused: 409, offline: 503, failed: 502} as const;
const SEND_SLEEP = 'Send {"reason": "Mia is up"} and, if you like, one of her sleep sounds: {"sound": "stream:rain"}';

/**
 * Who did it, for the journal: the Home Assistant user on ingress, else the panel (its own header
 * says so: a parent pressed Allow there), else how the call came.
 */
function caller(ctx: Context): string {
  const who = ctx.state.caller as AdminCaller | undefined;
  if (who?.displayName || who?.userName) return (who.displayName ?? who.userName) as string;
  if (ctx.get(PANEL_HEADER) === PANEL_HEADER_VALUE) return "the panel";
  return who?.via === "ingress" ? "Home Assistant" : "the admin API";
}

/**
 * The family plan (docs/family-plan.md, "Family plan"): children with their players, schedule and budget;
 * bonuses; answers to a child's request; who is listening on a shared player; the journal.
 */
export function familyRoutes(router: Router, deps: FamilyRouteDeps): void {
  router.get("/api/children", (ctx) => {
    ctx.body = deps.family.list();
  });

  router.get("/api/children/:name", (ctx) => {
    ctx.body = deps.family.child(ctx.params.name as string);
  });

  router.put("/api/children/:name", async (ctx) => {
    const body = await readJsonObject(ctx, SEND_PLAN, "bad_plan");
    ctx.body = await deps.family.put(ctx.params.name as string, body);
  });

  router.delete("/api/children/:name", async (ctx) => {
    await deps.family.delete(ctx.params.name as string);
    ctx.status = 204;
  });

  router.post("/api/children/:name/bonus", async (ctx) => {
    const body = ctx.request.length
      ? await readJsonObject(ctx, 'Send {"minutes": 15} or {"until": "end_of_track"}', "bad_bonus")
      : {};
    ctx.body = await deps.family.bonus(ctx.params.name as string, body, caller(ctx));
  });

  router.get("/api/children/:name/week", async (ctx) => {
    ctx.body = await deps.weeks.week(ctx.params.name as string);
  });

  router.get("/api/children/:name/sleep", (ctx) => {
    ctx.body = deps.sleep.state(ctx.params.name as string);
  });

  // The house (a sensor's blueprint, a script), a parent: the child's sleep sound, through the play gate.
  router.post("/api/children/:name/sleep", async (ctx) => {
    const body = ctx.request.length ? await readJsonObject(ctx, SEND_SLEEP, "bad_sleep") : {};
    const ask = readSleepAsk(body);
    const answer = await deps.sleep.begin(ctx.params.name as string, ask, {route: "api", by: caller(ctx)});
    // The play gate's words in the body; the status as an automation reads it.
    if (answer.outcome !== "played" && answer.outcome !== "pending") ctx.status = SLEEP_STATUS[answer.outcome];
    ctx.body = answer;
  });

  router.delete("/api/children/:name/sleep", async (ctx) => {
    ctx.body = await deps.sleep.end(ctx.params.name as string, caller(ctx));
  });

  router.post("/api/children/:name/request/:answer", async (ctx) => {
    const answer = ctx.params.answer;
    if (answer !== "allow" && answer !== "not_tonight")
      throw badRequest(`Answer a request with /request/allow or /request/not_tonight (got '${answer}')`, "bad_answer");
    ctx.body = await deps.family.answer(ctx.params.name as string, answer === "allow", caller(ctx));
  });

  router.put("/api/family/listeners/:player", async (ctx) => {
    const body = await readJsonObject(
      ctx,
      'Send {"child": "<name>"}: who is listening on this player now',
      "bad_listener",
    );
    if (typeof body.child !== "string" || body.child === "")
      throw badRequest(`'child' must be a child's name (got ${JSON.stringify(body.child ?? null)})`, "bad_listener");
    ctx.body = await deps.family.setListener(ctx.params.player as string, body.child);
  });

  router.get("/api/family/journal", (ctx) => {
    const raw = ctx.query.days ?? "7";
    const days = typeof raw === "string" && /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(days >= 1 && days <= 60))
      throw badRequest(`'days' must be a whole number from 1 to 60 (got ${JSON.stringify(raw)})`, "bad_query");
    ctx.body = {entries: deps.family.journal(days)};
  });
}
