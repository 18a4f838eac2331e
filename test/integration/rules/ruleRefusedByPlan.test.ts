import {writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import type {Trace} from "../../../src/shared/api/rules.js";
import {call} from "../../helpers/http.js";
import {journalRefusals} from "../../helpers/journal.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {MINI} from "../../helpers/upnpHttp.js";

const start = linkedBridge();

/** Why the plan holds the Mini (Ben's day used before it began), as the gate says it (UTC). */
const WHY = "Ben's listening for today is used up: 'Bedroom Mini' is quiet until tomorrow 00:00";
const REFUSED = `${WHY}. A parent can end it: Allow on the Family page, or "End now" on the player (Home Assistant's "End quiet hours" button)`;

const RULES = `- id: songs_at_night
  alias: Songs at night
  triggers: [{trigger: mqtt, topic: rules/songs}]
  actions: [{action: player.play_card, player: "Bedroom Mini", card: songs}]
`;

describe("a parent's own rule the family plan refuses", () => {
  it("is a refusal, not a failure: logged at INFO once, journalled, and health stays ok", async () => {
    const {t, sim} = await start({app: {timeZone: "UTC"}});
    await writeFile(path.join(t.dataDir, "..", "rules", "night.yaml"), RULES);
    expect((await call("POST", `${t.adminUrl}/api/rules/reload`)).status).toBe(200);
    // Ben's day is used before it began: the plan holds the Mini.
    const plan = await call("PUT", `${t.adminUrl}/api/children/Ben`, {players: ["Bedroom Mini"], budget: {minutes: 0}});
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    await waitFor(() => t.app.quietHours.period(MINI) !== undefined, "the Mini quiet");

    // Run three times, as a rule fired every few minutes at bedtime would be.
    const runs: Trace[] = [];
    for (let i = 0; i < 3; i++) {
      const ran = await call("POST", `${t.adminUrl}/api/rules/songs_at_night/run`);
      expect(ran.status, JSON.stringify(ran.body)).toBe(200);
      runs.push(ran.body.trace as Trace);
    }
    for (const run of runs) {
      expect(run).toMatchObject({result: "refused", error: REFUSED});
      expect(run.actions.map((a) => a.error)).toEqual([REFUSED]);
    }
    expect(sim.player(MINI).eventsSnapshot().cardId).not.toBe("songs");

    // Said once at INFO, with the reason; never at ERROR.
    const said = t.logs.filter((l) => l.includes("songs_at_night"));
    expect(said.filter((l) => / ERROR /.test(l))).toEqual([]);
    const told = said.filter((l) => l.includes("was not let play"));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(" INFO ");
    expect(told[0]).toContain(
      `Rule 'songs_at_night' was not let play at [0].actions[0] (player.play_card), as the family plan says: ${WHY}`,
    );

    // Journalled as the gate journals every refusal: once, naming the rule.
    expect((await journalRefusals(t)).map((e) => e.text)).toEqual([
      `'Songs', started by the rule 'songs_at_night', was not played: ${WHY}`,
    ]);

    // The family plan working is not a fault: the rules are not degraded.
    const health = await call("GET", `${t.adminUrl}/api/health`);
    expect(health.body.services.rules).not.toHaveProperty("degraded");
    expect(health.body.services.rules).not.toHaveProperty("error");
    expect(health.body.status).toBe("ok");
  }, 60_000);
});
