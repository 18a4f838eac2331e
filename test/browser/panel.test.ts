import path from "node:path";
import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, beforeEach, describe, expect, it} from "vitest";
import {makeTone} from "../helpers/audio.js";
import {eventually, findChromium, openPage, overflow} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, SHOTS, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

const VIEWS = ["players", "streams", "library", "rules", "stories", "account"] as const;
const MINI = "y2m8rj5tnw4h9f1g7e3k6aqp";
/** Runs in the page; the tests are compiled without DOM types, hence the cast. */
const background = (el: unknown): string =>
  (globalThis as unknown as {getComputedStyle(e: unknown): {backgroundColor: string}}).getComputedStyle(el)
    .backgroundColor;

let stack: PanelStack;
let demo: RunningDemo;
let proxy: IngressProxy;
let browser: BrowserContext;
let storyCard: string;
/** Page errors and failed requests, from every page: the panel must not produce any. */
const problems: string[] = [];

/** The admin API straight from the service (not through the panel), to check what the panel changed. */
async function api<T>(pathname: string): Promise<T> {
  return (await fetch(`${demo.panelUrl}${pathname}`)).json() as Promise<T>;
}

async function openPanel(view: string, width = 1280): Promise<Page> {
  const page = await openPage(browser, `${proxy.url}#${view}`, width, problems);
  return page;
}

describe.skipIf(!chromium.path)("the panel in Chromium, behind an ingress-like path prefix", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
    storyCard = demo.printed.match(/Story card: .*\((\w{5})\)/)?.[1] ?? "";
  }, 90_000);

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("renders every view with the demo's data at 1280 and 360 px wide, with no request escaping the prefix", async () => {
    const page = await openPanel("players");
    await page.locator("yss-player-card").first().waitFor();
    const checks: Record<(typeof VIEWS)[number], () => Promise<void>> = {
      players: async () => {
        await page.locator("yss-player-card h2", {hasText: "Living Room"}).waitFor();
        await page.locator("yss-player-card h2", {hasText: "Bedroom Mini"}).waitFor();
        expect(await page.locator("yss-player-card").count()).toBe(2);
        // Demo players have hands.
        expect(await page.getByRole("group", {name: "Virtual player controls"}).count()).toBe(2);
      },
      streams: async () => {
        await page.locator("yss-stream-editor h2", {hasText: "demo"}).waitFor();
        const {items} = await api<{items: unknown[]}>("api/streams/demo");
        await eventually(
          async () => (await page.locator("yss-queue-editor li").count()) === items.length,
          "queue rows",
        );
      },
      library: async () => {
        const {total} = await api<{total: number}>("api/library");
        await page.locator("yss-library-view tbody tr").first().waitFor();
        expect(await page.locator("yss-library-view tbody tr").count()).toBe(total);
      },
      rules: async () => {
        await page.locator("yss-rules-view .rule").first().waitFor();
        const {rules} = await api<{rules: unknown[]}>("api/rules");
        expect(await page.locator("yss-rules-view .rule").count()).toBe(rules.length);
        expect(await page.getByRole("switch").count()).toBe(rules.length);
      },
      stories: async () => {
        await page.locator('[data-story="sleepy_dragon"] h2', {hasText: "The Sleepy Dragon"}).waitFor();
        expect(await page.locator("yss-story-graph g.node").count()).toBe(5);
      },
      account: async () => {
        await page.locator('[data-testid="account-state"]', {hasText: "Linked"}).waitFor();
      },
    };
    for (const width of [1280, 360]) {
      await page.setViewportSize({width, height: 900});
      for (const view of VIEWS) {
        await page.getByRole("link", {name: new RegExp(`^${view}$`, "i")}).click();
        expect(page.url()).toBe(`${proxy.url}#${view}`);
        await checks[view]();
        // Nothing wider than the screen: the page never scrolls sideways.
        expect(await overflow(page), `${view} at ${width}px`).toBeLessThanOrEqual(0);
        await page.screenshot({path: path.join(SHOTS, `${view}-${width}.png`), fullPage: true});
      }
    }
    await page.close();
    expect(problems).toEqual([]);
  }, 90_000);

  it("asks for the Players view's data from the page itself, each once and with the panel's header; other views ask for none early", async () => {
    const page = await browser.newPage();
    const asked: Array<{path: string; header?: string}> = [];
    page.on("request", (req) => {
      const {pathname} = new URL(req.url());
      if (pathname.includes("/api/") && !pathname.endsWith("/api/events"))
        asked.push({path: pathname.slice(pathname.lastIndexOf("api/")), header: req.headers()["x-requested-with"]});
    });
    await page.goto(`${proxy.url}#players`);
    await page.locator("yss-player-card h2", {hasText: "Living Room"}).waitFor();
    const early = ["api/players", "api/virtual", "api/quiet-hours", "api/account/cards", "api/children"];
    // What sits beside the cards is asked for after the first paint: by then, or a moment later on a busy machine.
    await eventually(
      async () => early.every((path) => asked.some((a) => a.path === path)),
      "the Players view's requests",
    );
    for (const path of early)
      expect(
        asked.filter((a) => a.path === path),
        path,
      ).toEqual([{path, header: "yoto-smart-stream"}]);
    // All taken by the view: nothing is left waiting in the page.
    expect(await page.evaluate("JSON.stringify(Object.keys(window.__yssEarly))")).toBe("[]");

    await page.close();

    // Opened on another view (a new page: a hash change alone loads nothing).
    const streams = await browser.newPage();
    await streams.goto(`${proxy.url}#streams`);
    await streams.locator("yss-stream-editor h2", {hasText: "demo"}).waitFor();
    expect(await streams.evaluate("typeof window.__yssEarly")).toBe("undefined");
    await streams.close();

    // An early request that fails (the connection dropped) is asked again by the view.
    const retry = await browser.newPage();
    let players = 0;
    await retry.route("**/api/players", (route) => (players++ === 0 ? route.abort() : route.continue()));
    await retry.goto(`${proxy.url}#players`);
    await retry.locator("yss-player-card h2", {hasText: "Living Room"}).waitFor();
    expect(players).toBe(2);
    await retry.close();
    expect(problems).toEqual([]);
  }, 30_000);

  it("works on a phone (360 px): every tab in sight, a readable story graph, nothing sideways, words not codes", async () => {
    const page = await openPanel("players", 360);
    // Every tab fully on screen: nothing hides past the edge with no cue.
    for (const view of VIEWS) {
      const box = await page.getByRole("link", {name: new RegExp(`^${view}$`, "i")}).boundingBox();
      expect([view, (box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 360]).toEqual([view, true]);
    }
    // The player card: a model name, no "– dBm", and a word back after starting a card.
    const living = page.locator("yss-player-card").filter({has: page.locator("h2", {hasText: "Living Room"})});
    await living.locator("summary", {hasText: "Details"}).click();
    const details = await living.locator("dl").innerText();
    expect(details).toContain("Yoto Player (3rd gen)");
    expect(details).not.toMatch(/– (dBm|°C)|v3 v3/);
    // The name Home Assistant's MQTT Media Player integration is set up with, ready to copy.
    expect(details).toContain("Media player name");
    expect(await living.locator("yss-copy-text code").innerText()).toMatch(/^yoto_y[A-Za-z0-9_-]+$/);
    await living.getByRole("button", {name: "Copy the media player name"}).click();
    await living
      .locator("yss-copy-text [role=status]", {hasText: /^(Copied|Selected: copy it with Ctrl\+C)$/})
      .waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await living.getByRole("combobox", {name: "Card"}).selectOption({label: "Demo stream"});
    await living.getByRole("button", {name: "Play card"}).click();
    await living.locator('[data-testid="notice"]', {hasText: "Started 'Demo stream'"}).waitFor();
    await living.locator('[data-testid="status"]', {hasText: "playing"}).waitFor();
    // A stream has no length, but how far in it is shows.
    await living.locator('[data-testid="position"]', {hasText: / in$/}).waitFor();
    // A one-track chapter titled as its track says the title once.
    const now = await living.locator('[data-testid="now"]').innerText();
    const chapter = await living.locator('[data-testid="chapter"]').innerText();
    expect(now.split(chapter).length - 1, now).toBe(1);
    await page.screenshot({path: path.join(SHOTS, "players-playing-360.png"), fullPage: true});

    // Streams with every fold open still fit the screen.
    await page.getByRole("link", {name: /^streams$/i}).click();
    await page.locator("yss-stream-editor h2", {hasText: "demo"}).waitFor();
    for (const summary of await page.locator("yss-stream-editor summary").all()) await summary.click();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "streams-open-360.png"), fullPage: true});

    // The story graph keeps its size (readable text) and scrolls inside its frame.
    await page.getByRole("link", {name: /^stories$/i}).click();
    const graph = page.locator("yss-story-graph svg[role=img]");
    await graph.waitFor();
    const drawn = await graph.evaluate((el) => [
      (el as unknown as {getBoundingClientRect(): {width: number}}).getBoundingClientRect().width,
      Number((el as unknown as {getAttribute(n: string): string}).getAttribute("width")),
    ]);
    expect(drawn[0]).toBeCloseTo(drawn[1] as number, 0);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "stories-graph-360.png"), fullPage: true});

    // Rules speak words: a run's result and its steps, not API values and paths.
    await page.getByRole("link", {name: /^rules$/i}).click();
    const rule = page.locator("yss-rules-view .rule").filter({hasText: "Dragon lullaby stream"});
    await rule.getByRole("button", {name: "Show runs"}).click();
    const runs = page.locator("yss-rules-view ol[aria-label='Runs'] li");
    await runs.first().waitFor();
    const rules = [
      ...(await page.locator("yss-rules-view .rule").allInnerTexts()),
      ...(await runs.allInnerTexts()),
    ].join("\n");
    expect(rules).not.toMatch(/condition_failed|completed|\[\d+\]\./);
    expect(rules).toContain("done");
    expect(rules, rules).toMatch(/action 1: stream\./);
    await page.screenshot({path: path.join(SHOTS, "rules-runs-360.png"), fullPage: true});
    await page.close();
    expect(problems).toEqual([]);
  }, 90_000);

  it("reorders a queue by keyboard and by drag, and the service's queue changes", async () => {
    const page = await openPanel("streams");
    const ids = async () => (await api<{items: Array<{id: string}>}>("api/streams/demo")).items.map((i) => i.id);
    const before = await ids();
    expect(before.length).toBeGreaterThanOrEqual(3);

    // Keyboard: focus the first handle, ↓ moves it to second place, and the focus follows it.
    const handle = page.locator('yss-queue-editor li[data-index="0"] button.handle');
    await handle.focus();
    await page.keyboard.press("ArrowDown");
    const afterKeys = [before[1], before[0], ...before.slice(2)];
    await eventually(async () => JSON.stringify(await ids()) === JSON.stringify(afterKeys), "keyboard move saved");
    const focused = page.locator('yss-queue-editor li[data-index="1"] button.handle');
    await eventually(() => focused.evaluate((el) => el.matches(":focus")), "focus on the moved item");

    // Drag: the third row onto the first.
    await page
      .locator('yss-queue-editor li[data-index="2"]')
      .dragTo(page.locator('yss-queue-editor li[data-index="0"]'));
    const afterDrag = [afterKeys[2], afterKeys[0], afterKeys[1], ...afterKeys.slice(3)];
    await eventually(async () => JSON.stringify(await ids()) === JSON.stringify(afterDrag), "drag move saved");
    // Down: the first row dropped on the third takes its place.
    await page
      .locator('yss-queue-editor li[data-index="0"]')
      .dragTo(page.locator('yss-queue-editor li[data-index="2"]'));
    const afterDown = [afterDrag[1], afterDrag[2], afterDrag[0], ...afterDrag.slice(3)];
    await eventually(async () => JSON.stringify(await ids()) === JSON.stringify(afterDown), "downward drag saved");
    // The panel shows the service's order (once its live update has drawn it: the save answers first).
    const {items} = await api<{items: Array<{title: string}>}>("api/streams/demo");
    const firstTitle = page.locator('yss-queue-editor li[data-index="0"] .title');
    await eventually(
      async () => (await firstTitle.innerText()).trim() === items[0]?.title,
      "the service's first item first",
    );
    await page.close();
    expect(problems).toEqual([]);
  }, 60_000);

  it("uploads a file with a progress bar, then shows the new item", async () => {
    const file = await makeTone(path.join(demo.dataDir, "upload", "Panel Upload Tone.wav"), {
      seconds: 20,
      title: "Panel upload tone",
    });
    const page = await openPanel("library");
    await page.locator("yss-library-view tbody tr").first().waitFor();
    const rows = await page.locator("yss-library-view tbody tr").count();
    await page.locator('yss-upload input[type="file"]').setInputFiles(file);
    const bar = page.getByRole("progressbar", {name: "Upload progress"});
    await bar.waitFor();
    // All bytes sent; the service is normalising the audio, and says so.
    await eventually(async () => (await bar.getAttribute("value").catch(() => null)) === "100", "progress to 100");
    await page.getByRole("status").filter({hasText: "Checking and normalising Panel Upload Tone.wav"}).waitFor();
    await page.locator("yss-alert", {hasText: "Added 'Panel upload tone'"}).waitFor({timeout: 30_000});
    await bar.waitFor({state: "detached"});
    await eventually(
      async () => (await page.locator("yss-library-view tbody tr").count()) === rows + 1,
      "one more row",
    );
    // The new item is selected: its details and a preview player.
    await page.locator("yss-item-details h2", {hasText: "Panel upload tone"}).waitFor();
    const src = await page.locator("yss-item-details audio").getAttribute("src");
    const preview = await fetch(new URL(src as string, proxy.url), {headers: {Range: "bytes=0-1"}});
    expect(preview.status).toBe(206);
    await page.close();
    expect(problems).toEqual([]);
  }, 60_000);

  it("turns a rule off and on with its switch", async () => {
    const page = await openPanel("rules");
    const toggle = page.getByRole("switch").first();
    await toggle.waitFor();
    const id = await page.locator("yss-rules-view .rule").first().getAttribute("data-rule");
    const enabled = async () =>
      (await api<{rules: Array<{id: string; enabled: boolean}>}>("api/rules")).rules.find((r) => r.id === id)?.enabled;
    expect(await enabled()).toBe(true);
    await toggle.click();
    await eventually(async () => (await enabled()) === false, "rule disabled on the service");
    expect(await toggle.isChecked()).toBe(false);
    await toggle.click();
    await eventually(async () => (await enabled()) === true, "rule enabled again");
    await page.close();
    expect(problems).toEqual([]);
  }, 30_000);

  it("presses a virtual player's buttons and another tab's Players and Stories views follow live", async () => {
    const hands = await openPanel("players");
    const stories = await openPanel("stories");
    await stories.locator('[data-story="sleepy_dragon"]').waitFor();
    const mini = hands.locator("yss-player-card").filter({has: hands.locator("h2", {hasText: "Bedroom Mini"})});
    await mini.getByRole("combobox", {name: "Card"}).selectOption(storyCard);
    await mini.getByRole("button", {name: "Insert card"}).click();
    await mini.locator('[data-testid="status"]', {hasText: "playing"}).waitFor();
    await mini.locator('[data-testid="chapter"]', {hasText: "The dragon's hill"}).waitFor();

    const sceneCell = stories.locator(`tr[data-player="${MINI}"] [data-testid="scene"]`);
    await sceneCell.filter({hasText: "hill"}).waitFor();
    await mini.getByRole("button", {name: "Left", exact: true}).click();
    await mini.locator('[data-testid="last-move"]', {hasText: "left pressed: hill → cave"}).waitFor();
    await mini.locator('[data-testid="chapter"]', {hasText: "In the cave"}).waitFor();
    await sceneCell.filter({hasText: /^cave$/}).waitFor();
    await stories.locator('g.node.here[data-scene="cave"]').waitFor();

    await mini.getByRole("button", {name: "Right", exact: true}).click();
    await sceneCell.filter({hasText: /^lullaby$/}).waitFor();
    await stories.locator('g.node.here[data-scene="lullaby"]').waitFor();
    expect(await stories.locator("g.node.here").count()).toBe(1);
    const {sessions} = await api<{sessions: Array<{playerId: string; path: string[]}>}>("api/stories/sleepy_dragon");
    expect(sessions.find((s) => s.playerId === MINI)?.path).toEqual(["hill", "cave", "lullaby"]);
    await stories.screenshot({path: path.join(SHOTS, "stories-live-1280.png"), fullPage: true});

    // The knob turns the volume down, and the slider follows.
    const volume = Number((await mini.locator('[data-testid="volume"]').innerText()).replace("%", ""));
    await mini.getByRole("button", {name: "Knob down"}).click();
    await eventually(
      async () => Number((await mini.locator('[data-testid="volume"]').innerText()).replace("%", "")) < volume,
      "volume lower",
    );
    await hands.close();
    await stories.close();
    expect(problems).toEqual([]);
  }, 60_000);

  it("re-renders when a reactive property changes, with decorators as Vite compiled them", async () => {
    const page = await openPanel("players");
    await page.locator("yss-player-card").first().waitFor();
    const seen = await page.evaluate<Record<string, unknown>>(`(async () => {
      const alert = document.createElement("yss-alert");
      document.body.append(alert);
      alert.message = "first";
      await alert.updateComplete;
      const first = alert.shadowRoot.textContent.trim();
      alert.message = "second";
      alert.type = "success";
      await alert.updateComplete;
      const card = document.querySelector("yss-panel").shadowRoot.querySelector("yss-players-view")
        .shadowRoot.querySelector("yss-player-card");
      card.player = {...card.player, playback: {...card.player.playback, status: "playing", chapterTitle: "Set by the test"}};
      await card.updateComplete;
      return {
        first,
        second: alert.shadowRoot.textContent.trim(),
        role: alert.shadowRoot.querySelector("div").getAttribute("role"),
        // A class field would shadow Lit's accessor and stop updates: the property must live on the prototype.
        ownField: Object.hasOwn(alert, "message"),
        chapter: card.shadowRoot.querySelector('[data-testid="chapter"]').textContent,
      };
    })()`);
    expect(seen).toEqual({
      first: "first",
      second: "second",
      role: "status",
      ownField: false,
      chapter: "Set by the test",
    });
    await page.close();
  }, 30_000);

  it("takes Home Assistant's theme from the page around its frame, and follows a switch to light", async () => {
    const page = await browser.newPage();
    const origin = new URL(proxy.url).origin;
    const dark =
      "--primary-background-color: rgb(17, 17, 17); --card-background-color: rgb(28, 28, 28); " +
      "--primary-text-color: rgb(225, 225, 225); --primary-color: rgb(255, 152, 0); --divider-color: rgb(60, 60, 60)";
    // Home Assistant's page, same origin as ingress, with the panel in an iframe as HA shows it.
    await page.route(`${origin}/ha`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<html style="${dark}"><body style="margin:0"><iframe src="${proxy.prefix}/#players" style="border:0;width:100%;height:880px"></iframe></body></html>`,
      }),
    );
    await page.goto(`${origin}/ha`);
    const frame = page.frameLocator("iframe");
    const card = frame.locator("yss-player-card .card").first();
    await card.waitFor();
    const colours = async () => ({
      page: await frame.locator("body").evaluate(background),
      card: await card.evaluate(background),
    });
    expect(await colours()).toEqual({page: "rgb(17, 17, 17)", card: "rgb(28, 28, 28)"});
    await page.screenshot({path: path.join(SHOTS, "players-dark-theme-1280.png")});
    await page.evaluate(`document.documentElement.setAttribute("style",
      "--primary-background-color: rgb(250, 250, 250); --card-background-color: rgb(255, 255, 255)")`);
    await eventually(
      async () =>
        JSON.stringify(await colours()) === JSON.stringify({page: "rgb(250, 250, 250)", card: "rgb(255, 255, 255)"}),
      "light theme in the frame",
    );
    await page.close();
  }, 30_000);

  it("walks through the account link flow: start, sign in, paste the address back, linked", async () => {
    const page = await openPanel("account");
    await page.getByRole("button", {name: "Link again"}).click();
    const link = page.locator('[data-testid="authorize"]');
    await link.waitFor();
    const authorizeUrl = (await link.getAttribute("href")) as string;
    expect(authorizeUrl).toMatch(/\/authorize\?/);
    // The person signs in (the simulator approves at once) and lands on the unreachable callback page.
    const landed = (await fetch(authorizeUrl, {redirect: "manual"})).headers.get("location") as string;
    expect(landed).toMatch(/^http:\/\/127\.0\.0\.1:8787\/callback\?code=/);
    await page.screenshot({path: path.join(SHOTS, "account-link-step2-1280.png")});

    // A wrong paste first: the service's reason is shown next to the field.
    await page
      .getByRole("textbox", {name: "Address after signing in"})
      .fill("http://127.0.0.1:8787/callback?code=abc&state=wrong");
    await page.getByRole("button", {name: "Finish linking"}).click();
    await page
      .getByRole("alert")
      .filter({hasText: "That address belongs to another link attempt: start linking again and paste the new one"})
      .waitFor();

    await page.getByRole("textbox", {name: "Address after signing in"}).fill(landed);
    await page.getByRole("button", {name: "Finish linking"}).click();
    await page.getByRole("status").filter({hasText: "Linked: your players appear in the Players tab."}).waitFor();
    expect((await api<{state: string}>("api/account")).state).toBe("linked");
    for (const popup of browser.pages()) if (popup !== page && popup.url().includes("/authorize")) await popup.close();
    await page.close();
    // The wrong paste's 400 is the only failed request.
    expect(problems.filter((p) => !p.startsWith("400 POST"))).toEqual([]);
  }, 30_000);

  it("shows each scope Yoto left out on a phone (360 px), what stops working and the fix, until a link has them all", async () => {
    const simUrl = demo.printed.match(/Yoto cloud simulator: (\S+)/)?.[1] ?? "";
    const grant = (scopes: string[] | null) =>
      fetch(`${simUrl}/sim/faults`, {method: "POST", body: JSON.stringify({grantScopes: scopes})});
    /** Link over the API (the panel reloads on account.changed): start, sign in, paste back. */
    const linkOverApi = async () => {
      const post = (to: string, body?: object) =>
        fetch(`${demo.panelUrl}${to}`, {
          method: "POST",
          headers: {"Content-Type": "application/json", "X-Requested-With": "yoto-smart-stream"},
          body: body ? JSON.stringify(body) : undefined,
        });
      const {authorizeUrl} = (await (await post("api/account/link")).json()) as {authorizeUrl: string};
      const landed = (await fetch(authorizeUrl, {redirect: "manual"})).headers.get("location") as string;
      expect((await post("api/account/link/complete", {url: landed})).status).toBe(200);
    };
    // The family's app with two scopes unticked: Yoto links without them, and without an error.
    const granted = ["openid", "profile", "offline_access", "family:devices:view", "family:devices:control"];
    await grant([...granted, "family:devices:manage", "user:content:view"]);
    try {
      const page = await openPanel("account", 360);
      await page.getByRole("button", {name: "Link again"}).click();
      const link = page.locator('[data-testid="authorize"]');
      await link.waitFor();
      const landed = (await fetch((await link.getAttribute("href")) as string, {redirect: "manual"})).headers.get(
        "location",
      ) as string;
      await page.getByRole("textbox", {name: "Address after signing in"}).fill(landed);
      await page.getByRole("button", {name: "Finish linking"}).click();
      await page
        .getByRole("status")
        .filter({hasText: "Linked, but Yoto left out some scopes: see what stops working above."})
        .waitFor();
      const missing = page.locator('[data-testid="missing-scope"]');
      expect((await missing.allTextContents()).map((text) => text.replace(/\s+/g, " ").trim())).toEqual([
        "family:library:view Stops working: the family's cards and groups: shop and physical cards in the card pickers, the library's groups, and what a shop card that plays holds. Open your app at https://dashboard.yoto.dev/, tick family:library:view under its scopes, save, then link again: Yoto grants a newly ticked scope only at a new sign-in.",
        "user:content:manage Stops working: making and changing Make Your Own cards (stream, story, announcement and restored cards), and uploading their audio, icons and covers. Open your app at https://dashboard.yoto.dev/, tick user:content:manage under its scopes, save, then link again: Yoto grants a newly ticked scope only at a new sign-in.",
      ]);
      await page.locator('[data-testid="account-state"]', {hasText: "Linked (scopes missing)"}).waitFor();
      expect(await overflow(page)).toBe(0);
      await page.screenshot({path: path.join(SHOTS, "account-missing-scopes-360.png"), fullPage: true});

      // Ticked, and linked again: the list goes.
      await grant(null);
      await linkOverApi();
      await page.locator('[data-testid="account-state"]', {hasText: /^Linked$/}).waitFor();
      expect(await page.locator('[data-testid="missing-scopes"]').count()).toBe(0);
      for (const popup of browser.pages())
        if (popup !== page && popup.url().includes("/authorize")) await popup.close();
      await page.close();
    } finally {
      await grant(null);
    }
    expect(problems).toEqual([]);
  }, 30_000);

  it("shows the built-in broker's login on the Account tab, the password only when asked", async () => {
    const broker = await api<{kind: string; login?: {username: string; password?: string}}>("api/mqtt");
    expect(broker.kind).toBe("embedded");
    const page = await openPanel("account");
    await page.locator('[data-testid="broker-kind"]', {hasText: "Built-in broker"}).waitFor();
    expect(await page.locator('[data-testid="broker-username"]').textContent()).toBe(broker.login?.username);
    expect(await page.locator('[data-testid="broker-password"]').count()).toBe(0);
    await page.getByRole("button", {name: "Show password"}).click();
    const shown = await page.locator('[data-testid="broker-password"]').textContent();
    expect(shown).toBe(broker.login?.password);
    expect(shown?.length).toBeGreaterThanOrEqual(16);
    await page.close();
  }, 30_000);
});
