import {afterEach, describe, expect, it} from "vitest";
import {type ArchiveStack, addFamilyCard, archiveNow, archiveStack} from "../../helpers/familyArchive.js";
import {call} from "../../helpers/http.js";
import {until} from "../../helpers/parentRulesStack.js";

let stack: ArchiveStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("health after an archive run", () => {
  it("is degraded with the archive's error after a failed run, until a run succeeds", async () => {
    stack = await archiveStack();
    const {sim, api} = stack;
    await addFamilyCard(sim, "aaa1", "First", [{title: "One"}]);
    // Healthy first: on a busy machine the cloud connection may still be coming up when the stack answers.
    let before: {status?: string; services?: unknown} = {};
    await until(
      async () => {
        before = (await call("GET", `${api}/health`)).body;
        return before.status === "ok";
      },
      "a healthy start",
      15_000,
    ).catch(() => expect(before.status, JSON.stringify(before.services)).toBe("ok"));

    expect((await call("POST", `${sim.url}/sim/faults`, {fail5xx: 50})).status).toBe(200);
    const failed = await archiveNow(api);
    expect(failed.run.state).toBe("failed");
    const health = (await call("GET", `${api}/health`)).body;
    expect(health.status).toBe("degraded");
    expect(health.services.archive).toMatchObject({
      state: "running",
      degraded: true,
      error: `The last archive run failed: ${failed.run.error}`,
    });
    expect(failed.run.error).toMatch(/^Yoto answered 503 to GET \/content/);
    const overview = (await call("GET", `${api}/health/overview`)).body;
    expect(overview.status).toBe("degraded");

    expect((await call("POST", `${sim.url}/sim/faults`, {fail5xx: 0})).status).toBe(200);
    expect((await archiveNow(api)).run.state).toBe("done");
    const after = (await call("GET", `${api}/health`)).body;
    expect(after.status).toBe("ok");
    expect(after.services.archive).not.toHaveProperty("degraded");
    expect(after.services.archive).not.toHaveProperty("error");
  }, 60_000);
});
