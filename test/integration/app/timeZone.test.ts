import {describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {call} from "../../helpers/http.js";

/** The app started with `TZ` as Home Assistant or a shell would set it; the test's own zone is put back at once. */
async function startWithTz(tz: string): Promise<TestApp> {
  const before = process.env.TZ;
  process.env.TZ = tz;
  try {
    return await startApp();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

const WARNING =
  "TZ is 'Mars/Olympus', which is not a time zone this system knows: quiet hours, bedtimes, rules and the day's listening minutes run in UTC. Set TZ to a zone name such as Europe/London or America/New_York (the add-on takes Home Assistant's: Settings → System → General → Time zone) and restart.";

describe("the time zone at start", () => {
  it("says once that a TZ naming no zone runs as UTC, how to fix it, and keeps saying so in health", async () => {
    const t = await startWithTz("Mars/Olympus");
    expect(t.logs.filter((l) => l.includes("TZ is"))).toEqual([expect.stringContaining(`WARNING: ${WARNING}`)]);
    const health = (await call("GET", `${t.adminUrl}/api/health`)).body;
    expect(health.status).toBe("degraded");
    expect(health.services.health).toMatchObject({state: "running", degraded: true, error: WARNING});
    const overview = (await call("GET", `${t.adminUrl}/api/health/overview`)).body;
    expect(overview.attention).toContain(WARNING);
    // What runs is shown by its name: UTC, not the name that was not a zone.
    expect((await call("GET", `${t.adminUrl}/api/rules`)).body.timeZone).toBe("UTC");
    expect((await call("GET", `${t.adminUrl}/api/children`)).body.timeZone).toBe("UTC");
    await t.stop();
  }, 30_000);

  it("says nothing of a TZ that is a zone, UTC itself included", async () => {
    const t = await startWithTz("UTC");
    expect(t.logs.join("\n")).not.toContain("TZ is");
    expect((await call("GET", `${t.adminUrl}/api/health`)).body.services.health).not.toHaveProperty("degraded");
    expect((await call("GET", `${t.adminUrl}/api/rules`)).body.timeZone).toBe("UTC");
    await t.stop();
  }, 30_000);
});
