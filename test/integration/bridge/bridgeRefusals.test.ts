import {describe, expect, it} from "vitest";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const startLinked = linkedBridge();

describe("what the bridge refuses", () => {
  it("refuses a bonus request's invalid minutes as the admin API does, in the same words, and grants the minutes asked", async () => {
    const {t, watcher: w} = await startLinked();
    await waitFor(() => t.app.players.list().length === 2, "players");
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"]})).status).toBe(200);
    const ask = async (body: Record<string, unknown>, transaction: number) => {
      await w.client.publishAsync(
        "yoto/bridge/request/family/bonus",
        JSON.stringify({child: "Mia", ...body, transaction}),
      );
      await waitFor(
        () => w.lastJson("yoto/bridge/response/family/bonus")?.transaction === transaction,
        `the answer to ${transaction}`,
      );
      return w.lastJson("yoto/bridge/response/family/bonus");
    };
    for (const [i, body] of [{minutes: "lots"}, {minutes: 0}, {minutes: 2.5}, {minute: 5}].entries()) {
      const http = await call("POST", `${t.adminUrl}/api/children/Mia/bonus`, body);
      expect(http.status).toBe(400);
      const answer = await ask(body, i + 1);
      expect(answer).toMatchObject({status: "error", error: (http.body as {error: string}).error});
    }
    expect((await ask({minutes: "lots"}, 9)).error).toBe(
      `'minutes' must be a whole number of minutes from 1 to 240 (got "lots")`,
    );
    // None of those granted anything; the minutes asked are the minutes given.
    expect((await call("GET", `${t.adminUrl}/api/children/Mia`)).body).toMatchObject({bonus: null});
    expect(await ask({minutes: 40}, 10)).toMatchObject({status: "ok", data: {bonus: {minutes: 40}}});
  }, 30_000);
});
