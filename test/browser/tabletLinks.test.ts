import path from "node:path";
import type {BrowserContext} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {DeviceLinksList} from "../../src/shared/api/index.js";
import {eventually, findChromium, openPage} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, SHOTS, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

let stack: PanelStack;
let demo: RunningDemo;
let proxy: IngressProxy;
let browser: BrowserContext;
/** Page errors and failed requests: none expected. */
const problems: string[] = [];

/** The admin API straight from the service. */
async function api<T>(method: string, pathname: string, body?: object): Promise<{status: number; body: T}> {
  const res = await fetch(`${demo.panelUrl}${pathname}`, {
    method,
    headers: body ? {"content-type": "application/json"} : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {status: res.status, body: (text ? JSON.parse(text) : undefined) as T};
}

/** What a tablet with the credential gets for the child's shelf. */
async function shelfWith(token: string): Promise<number> {
  const res = await fetch(`${demo.panelUrl}api/children/Mia/shelf`, {headers: {Authorization: `Device ${token}`}});
  await res.arrayBuffer();
  return res.status;
}

describe.skipIf(!chromium.path)("the Family page's tablets and parent PIN", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
    const created = await api("PUT", "api/children/Mia", {players: ["Bedroom Mini"], budget: {minutes: 60}});
    expect(created.status).toBe(200);
  }, 90_000);

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("makes a link with its QR code once, lists it, revokes it, and sets the parent PIN, at 360 px", async () => {
    const page = await openPage(browser, `${proxy.url}#family`, 360, problems);
    const card = page.locator("yss-child-card[data-child=Mia]");
    const tablets = card.locator("yss-tablet-links");
    await tablets.getByTestId("no-tablets").waitFor();
    const name = tablets.getByRole("textbox", {name: "Tablet's name"});
    await expect(name.inputValue()).resolves.toBe("Mia's tablet");

    // Through ingress the tablet cannot follow: the link goes to the panel's own port on this host.
    const devices = await api<DeviceLinksList & {panel_port: number}>("GET", "api/devices");
    expect(devices.body.panel_port).toBe(Number(new URL(demo.panelUrl).port));
    const base = `http://${new URL(proxy.url).hostname}:${devices.body.panel_port}/`;

    await name.fill("Kitchen tablet");
    await tablets.getByRole("button", {name: "Make a tablet link"}).click();
    const made = tablets.getByTestId("made");
    await made.waitFor();
    const qr = made.getByRole("img", {name: "QR code of the link for Kitchen tablet"});
    await eventually(
      () =>
        qr.evaluate((img) => {
          const drawn = img as unknown as {complete: boolean; naturalWidth: number};
          return drawn.complete && drawn.naturalWidth > 0;
        }),
      "the QR code drawn",
    );
    const url = (await made.locator("yss-copy-text code").innerText()).trim();
    expect(url.startsWith(base)).toBe(true);
    expect(url).toContain("child/Mia#device=");
    expect((await made.locator("p").innerText()).trim()).toBe(
      "Open this on the child's tablet (scan the code, or type the link). It is shown only now: make a new one if it is lost.",
    );
    await made.getByRole("button", {name: "Copy the link for Kitchen tablet"}).waitFor();

    const row = tablets.getByTestId("tablet-links").locator("li");
    await expect(row.count()).resolves.toBe(1);
    expect((await row.locator(".name").innerText()).trim()).toBe("Kitchen tablet");
    expect((await row.getByTestId("used-at").innerText()).trim()).toBe("Last used: never");
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    await page.screenshot({path: path.join(SHOTS, "family-tablet-link-360.png"), fullPage: true});

    // The credential opens Mia's shelf until it is revoked.
    const token = url.slice(url.indexOf("#device=") + "#device=".length);
    expect(await shelfWith(token)).toBe(200);

    await row.getByRole("button", {name: "Revoke Kitchen tablet"}).click();
    await row.getByRole("group", {name: "Revoke Kitchen tablet?"}).waitFor();
    await row.getByTestId("confirm-revoke").click();
    await tablets.getByTestId("no-tablets").waitFor();
    await made.waitFor({state: "detached"});
    expect(await shelfWith(token)).toBe(401);
    expect((await api<DeviceLinksList>("GET", "api/children/Mia/devices")).body.links).toEqual([]);

    // The family's parent PIN.
    const pin = page.locator("yss-parent-pin");
    const state = pin.getByTestId("pin-state");
    await state.filter({hasText: "No parent PIN is set."}).waitFor();
    expect((await pin.locator("p.muted").innerText()).trim()).toBe(
      "A locked tablet asks for it before it lets go of its child.",
    );
    await pin.getByLabel("PIN (4 to 8 digits)").fill("2580");
    await pin.getByRole("button", {name: "Set PIN"}).click();
    await state.filter({hasText: "A parent PIN is set."}).waitFor();
    expect((await state.innerText()).trim()).toBe("A parent PIN is set.");
    expect((await api<DeviceLinksList>("GET", "api/devices")).body.pin_set).toBe(true);
    await pin.getByRole("button", {name: "Change PIN"}).waitFor();

    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    await page.screenshot({path: path.join(SHOTS, "family-parent-pin-360.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
