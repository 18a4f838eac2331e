import type {PlanContext} from "./planContext.js";

/**
 * Quiet the plan started ended early, and not by the plan (a bonus, wake): a parent's End now, or
 * Home Assistant's End quiet hours. Said once in the child's journal, and the child's waiting
 * request for one more story is answered by it (it would otherwise wait for an Allow that no longer
 * means anything), and its ten minutes between asks start again. Run in the plan's queue after the change: the plan's own releases have cleared
 * their record by then, so only a parent's end is left to see.
 */
export async function endedByParent(ctx: PlanContext, playerId: string): Promise<void> {
  const held = ctx.data.quiet.get(playerId);
  const now = ctx.now();
  if (!held?.started || held.until <= now || ctx.quietHours.period(playerId)) return;
  const child = ctx.data.child(held.child) ?? ctx.childOfPlayer(playerId);
  if (!child) return;
  const what = held.reason === "bedtime" ? "bedtime" : "the quiet of a used-up day";
  const day = ctx.dayToChange(child, now);
  const waiting = day.request !== undefined && day.request.expiresAt > now;
  // The ask is answered: the next quiet (a used-up budget later tonight) takes a new one at once.
  if (waiting || day.lastRequestAt !== undefined) {
    day.request = undefined;
    day.lastRequestAt = undefined;
    await ctx.saveDay(child, day);
  }
  await ctx.note(
    child.name,
    "ended",
    `A parent ended ${what} on '${ctx.playerName(playerId)}' early${waiting ? `: ${child.name}'s request for one more story is answered` : ""}`,
  );
  ctx.changed(child.name);
}
