import path from "node:path";
import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, beforeEach, describe, expect, it} from "vitest";
import type {ChildrenList, ChildView} from "../../src/shared/api/index.js";
import {eventually, findChromium, openPage, overflow} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, SHOTS, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

let stack: PanelStack;
let demo: RunningDemo;
let proxy: IngressProxy;
let browser: BrowserContext;
/** Page errors and failed requests: none but the refusals a test provokes on purpose. */
const problems: string[] = [];

/** The admin API straight from the service, to set up a child and to check what the panel saved. */
async function api<T>(method: string, pathname: string, body?: object): Promise<{status: number; body: T}> {
  const res = await fetch(`${demo.panelUrl}${pathname}`, {
    method,
    headers: body ? {"content-type": "application/json"} : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {status: res.status, body: (text ? JSON.parse(text) : undefined) as T};
}

const mia = async () => (await api<ChildView>("GET", "api/children/Mia")).body;
const ben = async () => (await api<ChildView>("GET", "api/children/Ben")).body;

/** The demo's Living Room player. */
const LIVING = "y7s9dk3mqp2x8v4n1c6b0zlq";

async function openFamily(width: number): Promise<Page> {
  const page = await openPage(browser, `${proxy.url}#family`, width, problems);
  await page.locator("yss-child-card").first().waitFor();
  return page;
}

describe.skipIf(!chromium.path)("the Family page", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
    const created = await api("PUT", "api/children/Mia", {players: ["Bedroom Mini"], budget: {minutes: 60}});
    expect(created.status).toBe(200);
  }, 90_000);

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("offers Allow on a request with no bonuses left today as disabled, saying why, and Not tonight answers", async () => {
    // Ben's plan grants no bonus at all, and today's minutes are used from the start.
    const saved = await api("PUT", "api/children/Ben", {
      players: ["Living Room"],
      budget: {minutes: 0},
      bonus: {daily_cap: 0},
    });
    expect(saved.status).toBe(200);
    await eventually(async () => (await ben()).quiet_reason === "budget", "Ben kept quiet for his budget");
    const page = await openFamily(360);
    const card = page.locator("yss-child-card[data-child=Ben]");
    // Ben puts a card in the Living Room player (the virtual player, as a child's hand would): the plan
    // holds it and raises a request. A play_card from the API would be refused at the play gate.
    const played = await api("POST", `api/virtual/${LIVING}/card`, {cardId: "dShp1"});
    expect(played.status).toBe(200);
    const request = card.getByTestId("request");
    await request.waitFor();
    const allow = request.getByRole("button", {name: "Allow"});
    await expect(allow.getAttribute("aria-disabled")).resolves.toBe("true");
    const why =
      "No bonuses today: Ben's plan allows none. Raise the daily cap in Edit plan to allow one, or answer Not tonight.";
    expect((await request.getByTestId("allow-why").innerText()).trim()).toBe(why);
    await expect(allow.getAttribute("aria-describedby")).resolves.toBe("no-allow");
    // Pressed all the same (it keeps the focus): the reason again, and nothing asked of the service.
    await allow.press("Enter");
    await card.getByRole("alert").filter({hasText: why}).waitFor();
    expect((await ben()).request).not.toBeNull();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "family-request-no-bonus-360.png"), fullPage: true});

    await request.getByRole("button", {name: "Not tonight"}).click();
    await request.waitFor({state: "detached"});
    expect((await ben()).request).toBeNull();
    expect((await api("DELETE", "api/children/Ben")).status).toBe(204);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("writes times on the family's clock, whatever the browser's: 'tomorrow' where it means tomorrow, no ISO", async () => {
    const {timeZone} = (await api<ChildrenList>("GET", "api/children")).body;
    // Ava has no night: today's minutes used up, she is quiet until midnight on the family's clock.
    expect((await api("PUT", "api/children/Ava", {players: ["Living Room"], budget: {minutes: 0}})).status).toBe(200);
    const ava = (await api<ChildView>("GET", "api/children/Ava")).body;
    expect(ava.quiet_reason).toBe("budget");
    const page = await openPage(browser, `${proxy.url}#family`, 360, problems);
    // A browser 14 hours ahead of the family (a parent away, a laptop on another zone).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Emulation.setTimezoneOverride", {timezoneId: "Pacific/Kiritimati"});
    await page.reload();
    const card = page.locator("yss-child-card[data-child=Ava]");
    await card.waitFor();
    // The family's times as this browser writes times ("7:00 AM"), worked out in the page itself.
    const clock = (iso: string) =>
      page.evaluate(
        ([at, zone]) => new Date(at as string).toLocaleTimeString(undefined, {timeStyle: "short", timeZone: zone}),
        [iso, timeZone],
      );
    const midnight = await clock(ava.quiet_until as string);
    const chip = card.getByTestId("quiet-state").locator(".chip");
    expect((await chip.innerText()).trim()).toBe(`Quiet until tomorrow ${midnight}`);
    const reached = ava.journal.find((e) => e.what === "budget_reached");
    expect(reached?.text).toBe("Ava has used today's 0 min: quiet until tomorrow 00:00 or a bonus");
    const row = card.getByTestId("journal").locator("li[data-what=budget_reached]");
    expect((await row.locator("time").innerText()).trim()).toBe(await clock(reached?.at as string));
    expect((await row.innerText()).includes("T00:00:00")).toBe(false);
    await expect(page.locator("yss-family-view .top p").innerText()).resolves.toContain(
      `Times are on the family's clock (${timeZone})`,
    );
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "family-times-360.png"), fullPage: true});

    // The Living Room's card says the same on the Players page.
    await page.goto(`${proxy.url}#players`);
    const quiet = page.locator(`yss-player-card[data-player=${LIVING}]`).getByTestId("quiet-chip");
    await quiet.filter({hasText: "Quiet until"}).waitFor();
    await eventually(
      async () => (await quiet.innerText()).trim() === `Quiet until tomorrow ${midnight}`,
      "the player's quiet on the family's clock",
    );
    expect((await api("DELETE", "api/children/Ava")).status).toBe(204);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("keeps a night's request under Tonight, with the night's steps, not under Today", async () => {
    const {timeZone} = (await api<ChildrenList>("GET", "api/children")).body;
    // A night that began an hour ago on the family's clock and ends tomorrow, every day of the week.
    const hhmm = (t: number) =>
      new Intl.DateTimeFormat("en-GB", {timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"}).format(t);
    const night = {bedtime: hhmm(Date.now() - 3_600_000), wake: hhmm(Date.now() - 7_200_000)};
    const week = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, night]));
    expect((await api("PUT", "api/children/Zoe", {players: ["Living Room"], schedule: week})).status).toBe(200);
    const zoe = async () => (await api<ChildView>("GET", "api/children/Zoe")).body;
    await eventually(async () => (await zoe()).quiet_reason === "bedtime", "Zoe's night under way");
    expect((await api("POST", `api/virtual/${LIVING}/card`, {cardId: "dShp1"})).status).toBe(200);
    await eventually(async () => (await zoe()).request !== null, "Zoe's request");
    // The journal's line is written just after the request is kept: read once both are in.
    const tonightsEntries = async () =>
      (await zoe()).journal_by_night.find((p) => p.part === "tonight")?.entries.map((e) => e.what) ?? [];
    await eventually(async () => (await tonightsEntries()).length > 0, "the request in tonight's journal");
    expect(await tonightsEntries()).toEqual(["request"]);

    const page = await openFamily(360);
    const card = page.locator("yss-child-card[data-child=Zoe]");
    const tonight = card.locator("[data-testid=journal][data-part=tonight]");
    await tonight.locator("li[data-what=request]").waitFor();
    await expect(card.locator(".so-far").innerText()).resolves.toBe("So far tonight");
    // Under Tonight's steps, not under Today.
    const order = await card.evaluate((el) =>
      [...(el.shadowRoot?.querySelectorAll("h3, [data-part], [data-step]") ?? [])].map(
        (n) => n.getAttribute("data-part") ?? n.getAttribute("data-step") ?? n.textContent,
      ),
    );
    expect(order.slice(order.indexOf("Tonight"), order.indexOf("tonight") + 1)).toEqual([
      "Tonight",
      "bedtime",
      "wake",
      "tonight",
    ]);
    expect(await card.locator("[data-part=today] li[data-what=request]").count()).toBe(0);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "family-tonight-360.png"), fullPage: true});
    await card.getByRole("button", {name: "Not tonight"}).click();
    await card.getByTestId("request").waitFor({state: "detached"});
    expect((await api("DELETE", "api/children/Zoe")).status).toBe(204);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("shows a child's day, saves a bedtime from the week grid, shows a refusal by the form, and grants a bonus", async () => {
    const page = await openFamily(1280);
    const card = page.locator("yss-child-card[data-child=Mia]");
    await card.getByTestId("today").filter({hasText: "0 of 60 min"}).waitFor();
    await expect(card.getByRole("progressbar").getAttribute("max")).resolves.toBe("60");

    await card.getByRole("button", {name: "Edit plan"}).click();
    const editor = page.locator("yss-plan-editor");
    await page.getByRole("heading", {name: "Mia's plan"}).waitFor();
    await editor.getByLabel("Monday bedtime").fill("20:15");
    await editor.getByLabel("Monday wake").fill("07:00");
    await editor.getByRole("button", {name: "Save plan"}).click();
    await editor.getByRole("status").filter({hasText: "Saved"}).waitFor();
    expect((await mia()).plan.schedule).toEqual({mon: {bedtime: "20:15", wake: "07:00"}});
    // Tonight's steps come from the saved plan (the service's dry run).
    await card.locator("[data-step=bedtime]").first().waitFor();

    // A night that ends when it starts: the service's words by the form, the night marked, nothing saved.
    await editor.getByLabel("Tuesday bedtime").fill("21:00");
    await editor.getByLabel("Tuesday wake").fill("21:00");
    await editor.getByRole("button", {name: "Save plan"}).click();
    const refusal = editor.getByTestId("plan-error");
    await refusal
      .getByRole("alert")
      .filter({hasText: "'schedule.tue' needs a wake time other than its bedtime"})
      .waitFor();
    await expect(editor.getByLabel("Tuesday wake").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(editor.getByLabel("Monday wake").getAttribute("aria-invalid")).resolves.toBe("false");
    expect((await mia()).plan.schedule?.tue).toBeUndefined();
    expect(problems).toEqual([expect.stringMatching(/^400 PUT .*\/api\/children\/Mia$/)]);
    problems.length = 0;
    // Put back as saved, so the rest of the page is what the service holds.
    await editor.getByRole("button", {name: "Discard changes"}).click();
    await expect(editor.getByLabel("Tuesday wake").inputValue()).resolves.toBe("");

    const left = (await mia()).bonuses_left;
    await card.getByRole("button", {name: "+15 min"}).click();
    await card.getByTestId("bonus").filter({hasText: "Bonus of 15 min until"}).waitFor();
    await card
      .getByTestId("bonuses-left")
      .filter({hasText: `${left - 1} bonuses left today`})
      .waitFor();
    const after = await mia();
    expect(after.bonus?.minutes).toBe(15);
    expect(after.journal.map((e) => e.what)).toContain("bonus");
    await card.getByTestId("journal").filter({hasText: "bonus of 15 min"}).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("sets 'one more story' by voice and from an assistant to grant, and keeps them through a later save", async () => {
    const page = await openFamily(1280);
    const card = page.locator("yss-child-card[data-child=Mia]");
    await card.getByRole("button", {name: "Edit plan"}).click();
    const editor = page.locator("yss-plan-editor");
    await editor.getByLabel('"One more story" by voice').selectOption({label: "Grant the bonus"});
    await editor.getByLabel('"One more story" from an assistant').selectOption({label: "Grant the bonus"});
    await editor.getByRole("button", {name: "Save plan"}).click();
    await editor.getByRole("status").filter({hasText: "Saved"}).waitFor();
    expect((await mia()).plan.bonus).toMatchObject({voice: "grant", assistant: "grant"});
    await page.close();

    // A fresh page, another field changed: the voice choice comes back as saved and stays.
    const again = await openFamily(1280);
    await again.locator("yss-child-card[data-child=Mia]").getByRole("button", {name: "Edit plan"}).click();
    const second = again.locator("yss-plan-editor");
    await expect(second.getByLabel('"One more story" by voice').inputValue()).resolves.toBe("grant");
    await expect(second.getByLabel('"One more story" from an assistant').inputValue()).resolves.toBe("grant");
    await second.getByLabel("Bonus minutes").fill("20");
    await second.getByRole("button", {name: "Save plan"}).click();
    await second.getByRole("status").filter({hasText: "Saved"}).waitFor();
    expect((await mia()).plan.bonus).toMatchObject({minutes: 20, voice: "grant", assistant: "grant"});
    await second.getByLabel('"One more story" by voice').selectOption({label: "Ask a parent"});
    await second.getByRole("button", {name: "Save plan"}).click();
    await second.getByRole("status").filter({hasText: "Saved"}).waitFor();
    // Voice asks a parent again; assistants still grant: each its own choice.
    expect((await mia()).plan.bonus).toEqual({minutes: 20, assistant: "grant"});
    expect(problems).toEqual([]);
    await again.close();
  }, 60_000);

  it("fits a phone (360 px) with the plan open: nothing scrolls sideways", async () => {
    const page = await openFamily(360);
    await page.locator("yss-child-card[data-child=Mia]").getByRole("button", {name: "Edit plan"}).click();
    await page.locator("yss-plan-editor yss-week-grid").waitFor();
    await page.locator("yss-plan-editor").getByRole("button", {name: "Add a date"}).click();
    // A new date is tonight's evening as the service says it (yesterday's after midnight, until the wake).
    const date = page.locator("yss-night-overrides li:last-child").getByLabel("Evening of");
    const {evening} = await mia();
    expect([await date.inputValue(), await date.getAttribute("min")]).toEqual([evening, evening]);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "family-360.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("adds a child with a shared player and removes them again, by keyboard", async () => {
    const page = await openFamily(1280);
    const add = page.getByRole("button", {name: "Add child"});
    await add.focus();
    await page.keyboard.press("Enter");
    // The name field has the focus as the form opens.
    const name = page.locator("yss-child-add").getByLabel("Name");
    await eventually(() => name.evaluate((el) => el.matches(":focus")), "the focus in the name field");
    await page.keyboard.type("Leo");
    await page.locator("yss-child-add").getByLabel("Living Room").selectOption("shared");
    await page.locator("yss-child-add").getByRole("button", {name: "Add child"}).press("Enter");
    await page.getByRole("heading", {name: "Leo's plan"}).waitFor();
    const leo = page.locator("yss-child-card[data-child=Leo]");
    const listening = leo.getByLabel("Who is listening on Living Room");
    await expect(listening.inputValue()).resolves.toBe("Leo");
    expect(await listening.locator("option").allInnerTexts()).toEqual(["Leo (usually)", "Mia"]);
    expect((await api<ChildView>("GET", "api/children/Leo")).body.plan.shared_players).toEqual(["Living Room"]);
    // Mia borrows the Living Room: the player follows her plan now.
    await listening.selectOption("Mia");
    await eventually(
      async () =>
        (await api<ChildrenList>("GET", "api/children")).body.listeners.some(
          (l) => l.player === "Living Room" && l.child === "Mia",
        ),
      "Mia listening on the Living Room",
    );

    await leo.getByRole("button", {name: "Remove child"}).press("Enter");
    // The confirm step: Cancel has the focus, so a second Enter removes nothing.
    await expect(leo.getByRole("button", {name: "Cancel"}).evaluate((el) => el.matches(":focus"))).resolves.toBe(true);
    await leo.getByRole("button", {name: "Remove Leo"}).press("Enter");
    await leo.waitFor({state: "detached"});
    expect((await api("GET", "api/children/Leo")).status).toBe(404);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("marks the plan's rules in the Rules view, with no switch to flip", async () => {
    const plan = (await mia()).plan;
    const saved = await api("PUT", "api/children/Mia", {...plan, bedtime: {wind_down: {minutes: 10, volume: 3}}});
    expect(saved.status).toBe(200);
    const page = await openPage(browser, `${proxy.url}#rules`, 360, problems);
    const rule = page.locator("yss-rules-view .rule[data-rule=family_mia_wind_down]");
    await rule.getByTestId("rule-from").filter({hasText: "from the family plan"}).waitFor();
    expect(await rule.getByRole("switch").count()).toBe(0);
    await expect(rule.getByRole("link", {name: "Family page"}).getAttribute("href")).resolves.toBe("#family");
    // Rules from files keep their switch.
    const {body} = await api<{rules: Array<{from?: string}>}>("GET", "api/rules");
    expect(await page.getByRole("switch").count()).toBe(body.rules.filter((r) => !r.from).length);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("names the evening its steps are for when it is not tonight, and says Tonight when it is", async () => {
    const {timeZone} = (await api<ChildrenList>("GET", "api/children")).body;
    const dateIn = (t: number) =>
      new Intl.DateTimeFormat("en-CA", {timeZone, year: "numeric", month: "2-digit", day: "2-digit"}).format(t);
    const weekday = (date: string) =>
      (["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const)[new Date(`${date}T12:00:00Z`).getUTCDay()];
    // Three days on: neither tonight, nor a night still under way from yesterday.
    const today = dateIn(Date.now());
    const later = new Date(Date.parse(`${today}T12:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
    const plan = (await mia()).plan;
    const night = {bedtime: "20:00", wake: "07:00"};
    expect((await api("PUT", "api/children/Mia", {...plan, schedule: {[weekday(later)]: night}})).status).toBe(200);
    expect((await mia()).tonight_evening).toBe(later);

    const page = await openFamily(360);
    const heading = page.locator("yss-child-card[data-child=Mia]").getByTestId("tonight-heading");
    // Written as this browser writes a date, as the page does.
    const named = await page.evaluate(
      (date) =>
        new Intl.DateTimeFormat(undefined, {weekday: "long", month: "long", day: "numeric", timeZone: "UTC"}).format(
          new Date(`${date}T12:00:00Z`),
        ),
      later,
    );
    await heading.filter({hasText: `Next evening: ${named}`}).waitFor();
    expect(await heading.innerText()).toBe(`Next evening: ${named}`);

    // Tonight's own night planned: the heading says Tonight again, without a reload.
    expect((await api("PUT", "api/children/Mia", {...plan, schedule: {[weekday(today)]: night}})).status).toBe(200);
    await heading.filter({hasText: /^Tonight$/}).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
