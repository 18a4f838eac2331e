import path from "node:path";
import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
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
/** Page errors and failed requests: the view must not produce any. */
const problems: string[] = [];

async function api(method: string, pathname: string, body?: object): Promise<number> {
  const res = await fetch(`${demo.panelUrl}${pathname}`, {
    method,
    headers: body ? {"content-type": "application/json"} : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  await res.arrayBuffer();
  return res.status;
}

const text = async (page: Page, testId: string) =>
  ((await page.locator("yss-voice-view").getByTestId(testId).textContent()) ?? "").replace(/\s+/g, " ").trim();

describe.skipIf(!chromium.path)("the Voice page", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
    await browser.grantPermissions(["clipboard-read", "clipboard-write"], {origin: new URL(proxy.url).origin});
    expect(await api("PUT", "api/children/Mia", {players: ["Bedroom Mini"]})).toBe(200);
  }, 90_000);

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("shows the family's names and the automation to paste at 360 px, in English and German, and says when to paste again", async () => {
    const page = await openPage(browser, `${proxy.url}#voice`, 360, problems);
    const view = page.locator("yss-voice-view");
    await expect(page.getByRole("link", {name: "Voice"}).getAttribute("aria-current")).resolves.toBe("page");
    await view.getByTestId("children").filter({hasText: "Mia"}).waitFor();
    expect(await text(page, "children")).toBe("Mia");
    expect(await text(page, "players")).toBe("Living Room, Bedroom Mini");
    expect(await text(page, "areas")).toBe(
      "No areas yet: Home Assistant sends them with its first voice request; say something to a satellite, then come back.",
    );
    const yaml = (await view.getByTestId("yaml").textContent()) ?? "";
    expect(yaml).toContain("use_blueprint:\n  path: yoto_smart_stream/voice_en.yaml\n");
    // Each line may start with a word said to anyone first ("hey").
    expect(yaml).toContain(
      '      - "[(hey|hi|okay|ok|so|now|right)] (Mia) (wants|would like) (one more|another) story [please]"\n',
    );
    expect(await text(page, "version")).toMatch(
      /^Version \S+\. These change when a child, a Yoto or an area does: come back and paste again\.$/,
    );

    const copy = view.getByRole("button", {name: "Copy the automation YAML"});
    await expect(copy.getAttribute("aria-label")).resolves.toBe("Copy the automation YAML");
    await expect(
      view.getByRole("button", {name: "Copy the sentences of Play something"}).getAttribute("aria-label"),
    ).resolves.toBe("Copy the sentences of Play something");
    await page.screenshot({path: path.join(SHOTS, "voice-360.png"), fullPage: true});
    // Every list open: the longest sentence lines wrap within the screen.
    await view.locator("details.yaml summary").click();
    const play = view.getByRole("button", {name: /^Play something play/});
    await expect(play.getAttribute("aria-expanded")).resolves.toBe("false");
    for (const fold of await view.locator("button.fold").all()) await fold.click();
    await expect(play.getAttribute("aria-expanded")).resolves.toBe("true");
    // Every sentence the service gives for the trigger, one line each.
    const given = (await (await fetch(`${demo.panelUrl}api/voice/sentences?language=en`)).json()) as {
      triggers: Array<{id: string; sentences: string[]}>;
    };
    const playLines = given.triggers.find((t) => t.id === "play")?.sentences ?? [];
    expect(playLines.length).toBeGreaterThan(8);
    expect(await view.locator("#sentences-play li").allTextContents()).toEqual(playLines);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await view.locator(".trigger[data-trigger=play]").screenshot({path: path.join(SHOTS, "voice-play-360.png")});

    await copy.click();
    await view.getByRole("status").filter({hasText: "Copied"}).first().waitFor();
    const copied = await page.evaluate<string>("navigator.clipboard.readText()");
    expect(copied).toBe(yaml);
    expect(await view.getByTestId("changed").count()).toBe(0);

    // A child added elsewhere: the page follows, and says what was pasted is out of date.
    expect(await api("PUT", "api/children/Ben", {players: ["Living Room"]})).toBe(200);
    await view.getByTestId("children").filter({hasText: "Ben, Mia"}).waitFor();
    expect(await text(page, "changed")).toBe("Your family's names changed since you last copied: paste again.");

    // Deutsch: the German blueprint's sentences, the same names; nothing copied in German yet.
    await view.getByRole("button", {name: "Deutsch"}).click();
    await expect(view.getByRole("button", {name: "Deutsch"}).getAttribute("aria-pressed")).resolves.toBe("true");
    await view.getByTestId("yaml").filter({hasText: "voice_de.yaml"}).waitFor();
    expect(await view.getByTestId("yaml").textContent()).toContain("use_blueprint:");
    expect(await view.getByTestId("yaml").textContent()).toContain("Mia");
    expect(await text(page, "children")).toBe("Ben, Mia");
    expect(await view.getByTestId("changed").count()).toBe(0);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);

    // Home Assistant's first voice request brings the areas: the one holding a Yoto is named, back in English.
    const asked = await api("POST", "api/voice", {
      trigger: "whats_playing",
      slots: {who: "Mia"},
      rooms: [
        ["Mia's Room", ["Bedroom Mini"]],
        ["Kitchen", ["Lamp"]],
      ],
    });
    expect(asked).toBe(200);
    await view.getByRole("button", {name: "English"}).click();
    await view.getByTestId("areas").filter({hasText: "Mia's Room"}).waitFor();
    expect(await text(page, "areas")).toBe("Mia's Room");
    await eventually(
      async () => ((await view.getByTestId("yaml").textContent()) ?? "").includes("voice_en.yaml"),
      "the English YAML",
    );
    expect(await view.getByTestId("yaml").textContent()).toContain("Mia's Room");
    expect(await view.getByTestId("yaml").textContent()).not.toContain("Kitchen");
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
