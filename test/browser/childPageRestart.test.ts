import {describe, expect, it} from "vitest";
import {startApp} from "../helpers/app.js";
import {eventually, findChromium, launchBrowser} from "../helpers/browser.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "../helpers/cloud.js";
import {call} from "../helpers/http.js";
import {waitFor} from "../helpers/players.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

describe.skipIf(!chromium.path)("the child's page left open", () => {
  it("reconnects by itself after the service restarts, and goes on showing what changes", async () => {
    const sim = await startSimulator();
    addSongsCard(sim);
    const flags = ["--yoto_client_id", CLIENT_ID];
    const first = await startApp(flags, {cloud: sim.endpoints, republishDelayMs: () => 0});
    await linkAccount(first.app.account);
    await waitFor(() => first.app.players.list().some((p) => p.name === "Bedroom Mini" && p.online), "the Mini online");
    expect(
      (await call("PUT", `${first.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"], shelf: ["Songs"]})).status,
    ).toBe(200);

    const browser = await launchBrowser(chromium.path as string);
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      await page.goto(`${first.adminUrl}/child/Mia`);
      await page.getByRole("button", {name: "Songs"}).waitFor();

      // The add-on restarts (an update, a crash): the same address, the same data.
      const port = new URL(first.adminUrl).port;
      await first.stop();
      const second = await startApp([...flags, "--ingress_port", port], {
        cloud: sim.endpoints,
        dataDir: first.dataDir,
        mediaDir: first.mediaDir,
        republishDelayMs: () => 0,
      });
      await waitFor(
        () => second.app.players.list().some((p) => p.name === "Bedroom Mini" && p.online),
        "the Mini online again",
      );
      // Bedtime set after the restart reaches the page without a reload: its live events came back.
      const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
      const night = {bedtime: hhmm(Date.now() - 60_000), wake: hhmm(Date.now() - 3_600_000)};
      const schedule = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, night]));
      await eventually(async () => {
        const put = await call("PUT", `${second.adminUrl}/api/children/Mia`, {
          players: ["Bedroom Mini"],
          shelf: ["Songs"],
          schedule,
        });
        return put.status === 200;
      }, "the plan saved after the restart");
      await page.locator("yss-child-sleep section").waitFor({timeout: 20_000});
      expect(await page.evaluate<string>("performance.getEntriesByType('navigation')[0].type")).toBe("navigate");
      expect(errors).toEqual([]);
      await second.stop();
    } finally {
      await browser.close();
      await sim.stop();
    }
  }, 90_000);
});
