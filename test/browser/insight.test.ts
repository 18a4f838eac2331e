import {mkdir, readFile} from "node:fs/promises";
import path from "node:path";
import type {BrowserContext, Locator, Page} from "playwright-core";
import {afterAll, beforeAll, beforeEach, describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../src/paths.js";
import {eventually, findChromium, openPage, overflow} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

const SHOTS = path.join(PACKAGE_ROOT, "test-artifacts", "screenshots");
const WIDTHS = [1280, 360] as const;
const LIVING = "y7s9dk3mqp2x8v4n1c6b0zlq";
const MINI = "y2m8rj5tnw4h9f1g7e3k6aqp";
/** The demo's shop card: a title and chapters, as a family's bought cards have. */
const OWL = "dShp1";

let stack: PanelStack;
let demo: RunningDemo;
let proxy: IngressProxy;
let browser: BrowserContext;
/** Page errors and failed requests, from every page: the views must not produce any. */
const problems: string[] = [];

/** The admin API straight from the service, as the panel calls it (what a child does to a virtual player). */
async function call(method: string, pathname: string, body?: unknown): Promise<number> {
  const response = await fetch(`${demo.panelUrl}${pathname}`, {
    method,
    headers: {"X-Requested-With": "yoto-smart-stream", "Content-Type": "application/json"},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

/** A request the service answers 404 and the audit log writes as one info line naming `id`. */
const auditLine = (id: string) => call("POST", `api/virtual/${id}/press`, {button: "left"});
const turnKnob = (player: string) => call("POST", `api/virtual/${player}/knob`, {steps: 1});

/** The text a component shows, through its shadow roots (innerText stops at them), without its styles. */
async function shownText(locator: Locator): Promise<string> {
  // Runs in the page; the tests are compiled without DOM types, hence the loose node type.
  type Node = {nodeType: number; nodeName: string; textContent: string | null; shadowRoot?: Node | null};
  const text = await locator.evaluate((root: unknown) => {
    let out = "";
    const stack: Node[] = [root as Node];
    while (stack.length) {
      const n = stack.pop() as Node & {childNodes: ArrayLike<Node>};
      if (n.nodeType === 3) out += n.textContent ?? "";
      else if (n.nodeName !== "STYLE") {
        // Elements apart, as the eye sees them: "Living Room" and "4 s" are two words, not one.
        out += " ";
        const children = Array.from(((n.shadowRoot ?? n) as typeof n).childNodes).reverse();
        stack.push(...children);
      }
    }
    return out;
  });
  return text.replace(/\s+/g, " ").trim();
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({path: path.join(SHOTS, name), fullPage: true});
}

describe.skipIf(!chromium.path)("logs, history and health views in Chromium, behind an ingress-like prefix", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
    await mkdir(SHOTS, {recursive: true});
  }, 90_000);

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("charts a virtual player's listening per day, with today's total and the session, live", async () => {
    const page = await openPage(browser, `${proxy.url}#history`, 1280, problems);
    const view = page.locator("yss-history-view");
    // Nothing has played on the fresh demo: the view says what will appear, and when.
    const empty = view.getByTestId("history-empty");
    await empty.waitFor();
    expect(await empty.innerText()).toMatch(
      /^Nothing played in the last 14 days\. When a player plays a card, its listening shows up here per day and per player: within a minute while it plays, and as a session when it stops\. Sessions are kept for \d+ days\.$/,
    );

    await shoot(page, "history-empty-1280.png");

    // Living Room plays the shop card for a few seconds.
    const playedFrom = Date.now();
    expect(await call("POST", `api/virtual/${LIVING}/card`, {cardId: OWL})).toBe(200);
    await view.getByRole("button", {name: "7 days"}).click();
    const session = view.locator(".sessions li").first();
    await session.locator(".chip", {hasText: "playing now"}).waitFor();
    expect(await view.getByRole("button", {name: "7 days"}).getAttribute("aria-pressed")).toBe("true");
    // Until the service has counted a few seconds of it (from the player's own messages), not for a set time.
    await eventually(async () => {
      const history = (await (await fetch(`${demo.panelUrl}api/history`)).json()) as {today: Record<string, number>};
      return (history.today[LIVING] ?? 0) >= 3;
    }, "three seconds counted for the Living Room");
    expect(await call("DELETE", `api/virtual/${LIVING}/card`)).toBe(200);
    const playedFor = (Date.now() - playedFrom) / 1000;

    // The session closes and the chart follows without a reload.
    await eventually(async () => (await session.locator(".chip").count()) === 0, "the session to close");
    const bar = view.locator("yss-history-chart").getByRole("img", {name: /Living Room \d+ s\)$/});
    await bar.waitFor();
    expect(await view.locator("yss-history-chart").getByRole("img").count()).toBe(1);
    expect(await bar.getAttribute("aria-label")).toMatch(/^\w{3}, \w{3} \d+: \d+ s \(Living Room \d+ s\)$/);
    expect(await view.locator("yss-history-chart rect").count()).toBe(1);
    const text = await shownText(view);
    expect(text).toMatch(/The Owl Who Hummed Introduction Living Room/);
    expect(text).toMatch(/Listening today Living Room \d+ s Bedroom Mini 0 min/);
    expect(text).toMatch(/Living Room: \d+ s in 7 days Bedroom Mini: 0 min in 7 days/);
    const seconds = Number(text.match(/Listening today Living Room (\d+) s/)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(3);
    // No more than it played for: counted from the player's messages, not made up.
    expect(seconds).toBeLessThanOrEqual(Math.ceil(playedFor) + 1);
    await shoot(page, "history-1280.png");
    expect(await overflow(page)).toBe(0);

    for (const width of [1280, 360]) {
      const other = width === 1280 ? page : await openPage(browser, `${proxy.url}#history`, width, problems);
      const v = other.locator("yss-history-view");
      await v.getByRole("button", {name: "1 year"}).click();
      await eventually(
        async () => (await v.locator("yss-history-chart").getAttribute("data-days")) === "365",
        "a year of days",
      );
      await v
        .locator("yss-history-chart")
        .getByRole("img", {name: /Living Room/})
        .waitFor();
      await shoot(other, `history-year-${width}.png`);
      expect(await overflow(other)).toBe(0);
      if (width === 360) {
        await v.getByRole("button", {name: "14 days"}).click();
        await eventually(
          async () => (await v.locator("yss-history-chart").getAttribute("data-days")) === "14",
          "two weeks of days",
        );
        await v
          .locator("yss-history-chart")
          .getByRole("img", {name: /Living Room/})
          .waitFor();
        await shoot(other, "history-360.png");
        expect(await overflow(other)).toBe(0);
      }
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it("shows the cloud, the account and each player in words, and counts stream requests live", async () => {
    for (const width of WIDTHS) {
      const page = await openPage(browser, `${proxy.url}#health`, width, problems);
      const view = page.locator("yss-health-view");
      await view.getByTestId("cloud").waitFor();
      const cloud = await shownText(view.getByTestId("cloud"));
      expect(cloud).toMatch(
        /^Yoto's cloud Connected Account Linked Access Renews in \d+ (min|h( \d+ min)?) Running (under a minute|\d+ min) · version \S+$/,
      );
      for (const name of ["Living Room", "Bedroom Mini"])
        expect(await shownText(view.locator(".players li", {hasText: name}))).toMatch(
          new RegExp(`^${name} Online Last heard (just now|\\d+ minutes? ago)$`),
        );
      const services = await shownText(view.locator(".services"));
      expect(services).toContain("Players Running");
      expect(services).toContain("Listening history Running");
      const all = await shownText(view);
      expect(all).toContain("Everything is working");
      // No machine values: no snake_case states, no service ids.
      expect(all).not.toMatch(/_|yoto-|needs relink|waiting for account/);

      if (width === 1280) {
        // The bundle for a bug report, downloaded through the ingress-like prefix.
        const [download] = await Promise.all([page.waitForEvent("download"), view.getByTestId("diagnostics").click()]);
        expect(download.suggestedFilename()).toMatch(/^yoto-smart-stream-diagnostics-[\dT-]+Z\.json$/);
        const bundle = JSON.parse(await readFile((await download.path()) as string, "utf8"));
        expect(bundle.players.map((p: {id: string}) => p.id)).toEqual(["player-1", "player-2"]);
        const requests = view.getByTestId("stream-requests");
        const before = Number((await requests.innerText()).split(" ")[0]);
        const streamUrl = demo.printed.match(/Demo stream:\s+(\S+)/)?.[1] as string;
        const answer = await fetch(streamUrl);
        await answer.body?.cancel();
        await eventually(
          async () => Number((await requests.innerText()).split(" ")[0]) === before + 1,
          "the stream request counted",
        );
      }
      // The three tabs are in sight (the row of tabs wraps on a phone) and each opens its view.
      for (const [tab, element] of [
        ["History", "yss-history-view"],
        ["Logs", "yss-logs-view"],
        ["Health", "yss-health-view"],
      ] as const) {
        const link = page.getByRole("link", {name: tab, exact: true});
        const at = await link.boundingBox();
        expect(at && at.x >= 0 && at.x + at.width <= width).toBe(true);
        await link.click();
        await page.locator(element).waitFor();
        expect(await link.getAttribute("aria-current")).toBe("page");
      }
      await view.getByTestId("cloud").waitFor();
      await shoot(page, `health-${width}.png`);
      expect(await overflow(page)).toBe(0);
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it("shows log lines live, filtered by level, text and player, and downloads them redacted", async () => {
    for (const width of WIDTHS) {
      const page = await openPage(browser, `${proxy.url}#logs`, width, problems);
      const view = page.locator("yss-logs-view");
      const lines = view.locator(".line");
      await lines.first().waitFor();
      const withText = (text: string) => lines.filter({hasText: text});

      // Live: a line written after the page loaded appears without a reload.
      await auditLine(`live-${width}`);
      await withText(`/api/virtual/live-${width}/press → 404`).waitFor();
      expect(await shownText(withText(`live-${width}`))).toMatch(
        new RegExp(`^\\d\\d:\\d\\d:\\d\\d Info audit POST /api/virtual/live-${width}/press → 404 by loopback$`),
      );

      // Level: warnings and errors only; an info line written meanwhile stays out.
      await view.getByLabel("Level").selectOption({label: "Warnings and errors"});
      const levels = () => lines.locator(".level").allInnerTexts();
      await eventually(async () => !(await levels()).includes("Info"), "info lines gone");
      await auditLine(`quiet-${width}`);
      expect(
        await call("PUT", `api/streams/broken-${width}`, {
          feed: {url: "http://127.0.0.1:9/feed.xml?token=s3cretT0ken"},
        }),
      ).toBe(202);
      await withText(`The feed of stream 'broken-${width}' could not be refreshed`).waitFor();
      expect(await withText(`quiet-${width}`).count()).toBe(0);
      expect(await levels()).not.toContain("Info");

      // Text: only lines containing it, live ones too.
      await view.getByLabel("Level").selectOption({label: "Everything (debug)"});
      await view.getByLabel("Filter text").fill("knob");
      await eventually(async () => (await lines.filter({hasNotText: "knob"}).count()) === 0, "only knob lines");
      const knobs = await lines.count();
      await auditLine(`unrelated-${width}`);
      expect(await turnKnob(LIVING)).toBe(200);
      await eventually(async () => (await lines.count()) === knobs + 1, "the new knob line");
      expect(await withText(`unrelated-${width}`).count()).toBe(0);

      // Player: only lines about Bedroom Mini (by its id in them), with the text filter still on.
      await view.getByLabel("Player").selectOption({label: "Bedroom Mini"});
      // The view asks for the filtered lines again: the Living Room's go once that answer is in.
      await eventually(async () => (await lines.filter({hasNotText: MINI}).count()) === 0, "only Bedroom Mini's lines");
      const minis = await withText(MINI).count();
      expect(await turnKnob(MINI)).toBe(200);
      expect(await turnKnob(LIVING)).toBe(200);
      expect(await turnKnob(MINI)).toBe(200);
      await eventually(async () => (await withText(MINI).count()) >= minis + 2, "Bedroom Mini's new knob lines");
      expect(await withText(LIVING).count()).toBe(0);
      expect(await lines.filter({hasNotText: MINI}).count()).toBe(0);

      // The download carries the filters, and the file is redacted.
      const link = view.getByRole("link", {name: "Download (redacted)"});
      const href = (await link.getAttribute("href")) as string;
      expect(href).toBe(`api/logs/download?level=debug&q=knob&player=${MINI}`);
      const file = await page.evaluate(async (url: string) => {
        const r = await fetch(url);
        return {status: r.status, disposition: r.headers.get("content-disposition"), text: await r.text()};
      }, href);
      expect(file.status).toBe(200);
      expect(file.disposition).toMatch(/^attachment; filename="yoto-smart-stream-\d{4}-\d\d-\d\d\.log"$/);
      const [, redacted, described, ...body] = file.text.trimEnd().split("\n");
      expect(redacted).toMatch(/^# redacted: tokens and passwords, your home folder's path, signed URLs/);
      expect(described).toMatch(
        /^# \d+ lines \(level debug and above, containing 'knob', about player 'Bedroom Mini'\)$/,
      );
      expect(body.length).toBeGreaterThanOrEqual(2);
      for (const line of body)
        expect(line).toMatch(/INFO \(audit\): POST \/api\/virtual\/player-\d\/knob → 200 by loopback$/);
      expect(file.text).not.toContain(MINI);

      // Paused, new lines wait under a counter and do not move what is being read.
      await view.getByLabel("Filter text").fill("");
      await view.getByLabel("Player").selectOption({label: "All players"});
      await withText(`unrelated-${width}`).waitFor();
      await view.getByRole("button", {name: "Pause"}).click();
      await auditLine(`held-${width}`);
      // Other parts of the service may write meanwhile: at least the held line is counted.
      const follow = view.getByRole("button", {name: /^Follow \(\d+ new\)$/});
      await follow.waitFor();
      expect(await withText(`held-${width}`).count()).toBe(0);
      await follow.click();
      await withText(`held-${width}`).waitFor();
      await view.getByRole("button", {name: "Pause"}).waitFor();

      await shoot(page, `logs-${width}.png`);
      expect(await overflow(page)).toBe(0);
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 90_000);

  it("keeps a flood of 2,000 lines bounded in the DOM and still shows the newest", async () => {
    const page = await openPage(browser, `${proxy.url}#logs`, 1280, problems);
    const view = page.locator("yss-logs-view");
    const lines = view.locator(".line");
    await lines.first().waitFor();
    const started = Date.now();
    for (let batch = 0; batch < 2000; batch += 20)
      await Promise.all(Array.from({length: 20}, (_, i) => auditLine(`flood-${batch + i}`)));
    const written = Date.now();
    await view.locator(".line", {hasText: "/api/virtual/flood-1999/press"}).waitFor();
    const shown = Date.now() - written;
    expect(await lines.count()).toBe(500);
    // Following: the newest line is in sight at the bottom.
    const box = view.locator(".lines");
    expect(
      await box.evaluate((el: unknown) => {
        const b = el as {scrollHeight: number; scrollTop: number; clientHeight: number};
        return b.scrollHeight - b.scrollTop - b.clientHeight;
      }),
    ).toBeLessThanOrEqual(1);
    console.log(`2,000 lines written in ${written - started} ms; the last on screen ${shown} ms later`);
    await shoot(page, "logs-flood-1280.png");

    // Scrolling up to read pauses; new lines wait; back at the bottom they come in and it follows.
    await box.evaluate((el: unknown) => {
      (el as {scrollTop: number}).scrollTop = 0;
    });
    await view.getByRole("button", {name: "Follow", exact: true}).waitFor();
    await auditLine("while-reading");
    await view.getByRole("button", {name: /^Follow \(\d+ new\)$/}).waitFor();
    expect(await lines.filter({hasText: "while-reading"}).count()).toBe(0);
    expect(await lines.first().innerText()).toContain("flood-1500/");
    await box.evaluate((el: unknown) => {
      const b = el as {scrollTop: number; scrollHeight: number};
      b.scrollTop = b.scrollHeight;
    });
    await lines.filter({hasText: "while-reading"}).waitFor();
    await view.getByRole("button", {name: "Pause"}).waitFor();
    await page.close();
    expect(problems).toEqual([]);
  }, 90_000);
});
