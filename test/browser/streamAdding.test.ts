import {readFile} from "node:fs/promises";
import path from "node:path";
import type {BrowserContext} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../helpers/app.js";
import {makeTone} from "../helpers/audio.js";
import {findChromium, launchBrowser, openPage, overflow} from "../helpers/browser.js";
import {heldFolder} from "../helpers/heldDlna.js";
import {type IngressProxy, startIngressProxy} from "../helpers/ingressProxy.js";
import {SHOTS} from "../helpers/panelStack.js";
import {untilAdded} from "../helpers/streamAdding.js";
import {tempDir} from "../helpers/tmp.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

let t: TestApp;
let proxy: IngressProxy;
let browser: BrowserContext;
let tone: Buffer;

describe.skipIf(!chromium.path)("a media server folder on its way into a stream, in the Streams view", () => {
  beforeAll(async () => {
    tone = await readFile(await makeTone(path.join(await tempDir("yss-adding-"), "tone.mp3"), {seconds: 1}));
    // The answer waits for the first track however busy the machine: what is held is what is shown.
    t = await startApp(["--audio_normalize", "false"], {streams: {firstWaitMs: 60_000}});
    proxy = await startIngressProxy(t.adminUrl);
    browser = await launchBrowser(chromium.path as string);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
  });

  it("shows how many tracks are in while the rest come, then each one that could not be added, with why", async () => {
    const problems: string[] = [];
    const nas = await heldFolder(t, ["now", "held", "held-404"], () => ({type: "audio/mpeg", bytes: tone}));
    const res = await fetch(`${t.adminUrl}/api/streams/book/queue`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({items: [nas.ref]}),
    });
    expect(res.status).toBe(200);
    const page = await openPage(browser, `${proxy.url}#streams`, 360, problems);
    const editor = page.locator("yss-stream-editor");
    const status = editor.getByRole("status").filter({hasText: "Adding tracks"});
    await status.waitFor();
    expect((await status.innerText()).trim()).toBe("Adding tracks: 1 of 3");
    const bar = status.locator("progress");
    expect([await bar.evaluate((p) => (p as unknown as {value: number}).value), await bar.getAttribute("max")]).toEqual(
      [1, "3"],
    );

    const done = untilAdded(t.app, "book");
    nas.release();
    await done;
    // Live: the panel hears the last of them without being reloaded.
    const notAdded = editor.getByTestId("not-added");
    await notAdded.waitFor();
    expect((await notAdded.innerText()).replace(/\s+/g, " ").trim()).toBe(
      "Not added (1) Part 3: The media server answered 404 for 'Part 3'",
    );
    await status.waitFor({state: "detached"});
    expect(await editor.locator("yss-queue-editor").getByText("Part 2").count()).toBe(1);
    expect(await overflow(page)).toBe(0);
    await page.screenshot({path: path.join(SHOTS, "stream-adding-360.png"), fullPage: true});
    // No Yoto account is linked here: the card form's icon picker is told so (409), as it should be.
    const unexpected = problems.filter((p) => !/^409 GET .*\/api\/icons$/.test(p));
    expect(unexpected, unexpected.join("\n")).toEqual([]);
    await page.close();
  }, 60_000);
});
