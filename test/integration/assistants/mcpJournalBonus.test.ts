import type {Client} from "@modelcontextprotocol/sdk/client/index.js";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {assistantToken, mcpClient} from "../../helpers/mcp.js";
import {nightNow} from "../../helpers/nightNow.js";
import {waitFor} from "../../helpers/players.js";

/**
 * An assistant's acts are journaled under its own name, not "by voice", and its "one more story"
 * asks a parent unless the child's plan lets assistants grant it (`bonus.assistant`), whatever
 * the plan lets voice do.
 */
const startLinked = linkedBridge();
const MINI = DEMO_PLAYERS[1]!.deviceId;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const said = (result: Awaited<ReturnType<Client["callTool"]>>) => (result.content as Array<{text: string}>)[0]?.text;

describe("an assistant in the child's journal, and its one more story", () => {
  it("is named in the journal, asks a parent even where voice grants, and grants once the plan lets assistants", async () => {
    const {t, sim} = await startLinked();
    const url = t.app.admin.url;
    const plan = (bonus: Record<string, string>) =>
      call("PUT", `${url}/api/children/Mia`, {players: ["Bedroom Mini"], schedule: nightNow(), bonus});
    // Voice may grant at once; assistants are not voice.
    expect((await plan({voice: "grant"})).status).toBe(200);
    await waitFor(() => t.app.quietHours.period(MINI) !== undefined, "Mia's bedtime on the Mini");
    client = await mcpClient(url, await assistantToken(url, {name: "Home Assistant"}));
    const journal = async () =>
      (await call("GET", `${url}/api/children/Mia`)).body.journal as Array<{what: string; text: string}>;

    expect(said(await client.callTool({name: "play_on_yoto", arguments: {what: "songs", who: "Mia"}}))).toMatch(
      /^Mia is asleep: quiet until /,
    );
    expect(sim.player(MINI).eventsSnapshot().cardId).toBe("none");
    expect((await journal()).find((e) => e.what === "refused")?.text).toMatch(
      /^'Songs', asked by the assistant 'Home Assistant', was not played: Mia is asleep: 'Bedroom Mini' is quiet until/,
    );

    expect(said(await client.callTool({name: "one_more_story", arguments: {who: "Mia"}}))).toBe(
      "I've asked a parent if Mia can have one more story.",
    );
    expect((await journal()).find((e) => e.what === "request")?.text).toBe(
      "Mia asked for one more story (by the assistant 'Home Assistant')",
    );
    expect((await call("GET", `${url}/api/children/Mia`)).body.bonus ?? null).toBeNull();

    expect((await plan({voice: "ask", assistant: "grant"})).status).toBe(200);
    expect(said(await client.callTool({name: "one_more_story", arguments: {who: "Mia"}}))).toBe(
      "Mia can have one more story: 15 more minutes.",
    );
    expect((await journal()).find((e) => e.what === "bonus")?.text).toBe(
      "Mia got a bonus of 15 min (by the assistant 'Home Assistant'; 1 of 3 today)",
    );
  });

  it("keeps the plan's choice for assistants, and refuses a value that is neither ask nor grant", async () => {
    const {t} = await startLinked();
    const url = t.app.admin.url;
    const put = (bonus: unknown) => call("PUT", `${url}/api/children/Mia`, {players: ["Bedroom Mini"], bonus});
    const wrong = await put({assistant: "always"});
    expect(wrong.status).toBe(400);
    expect((wrong.body as {error: string}).error).toBe(
      `'bonus.assistant' must be "ask" (a parent answers) or "grant" (the bonus starts at once) (got "always")`,
    );
    expect((await put({assistant: "grant"})).status).toBe(200);
    expect((await call("GET", `${url}/api/children/Mia`)).body.plan).toMatchObject({bonus: {assistant: "grant"}});
  });
});
