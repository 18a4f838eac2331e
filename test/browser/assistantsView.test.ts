import {createHash, randomBytes} from "node:crypto";
import path from "node:path";
import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {homeNetworkAddress} from "../../src/core/address.js";
import type {AssistantsList} from "../../src/shared/api/index.js";
import {findChromium, openPage} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, SHOTS, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

let stack: PanelStack;
let demo: RunningDemo;
let proxy: IngressProxy;
let browser: BrowserContext;
/** Page errors and failed requests: none expected but the ones a test causes (and takes out). */
const problems: string[] = [];

const REDIRECT = "https://my.home-assistant.io/redirect/oauth";
const ABOUT =
  "Home Assistant finds it by itself (Settings → Devices & services → Model Context Protocol); any other MCP client takes this address and a token.";
const ASKS = "Home Assistant asks to use the Yotos (answer goes to my.home-assistant.io)";
const APPROVING = "Approving lets that assistant play, pause and ask about the Yotos, within the family plan.";

/** The admin API straight from the service. */
async function assistants(): Promise<AssistantsList & {panel_port: number}> {
  const res = await fetch(`${demo.panelUrl}api/assistants`);
  expect(res.status).toBe(200);
  return (await res.json()) as AssistantsList & {panel_port: number};
}

/**
 * Home Assistant's MCP integration starting to sign in: the server's metadata, a registration,
 * then the authorization request, which waits for a parent. Resolves with what finishing it needs.
 */
async function askAsHomeAssistant(): Promise<{clientId: string; verifier: string; waiting: string; cookie: string}> {
  const meta = await fetch(`${demo.panelUrl}.well-known/oauth-authorization-server`);
  expect(meta.status).toBe(200);
  const {registration_endpoint, authorization_endpoint} = (await meta.json()) as Record<string, string>;
  const registered = await fetch(registration_endpoint as string, {
    method: "POST",
    headers: {"content-type": "application/json"},
    body: JSON.stringify({
      redirect_uris: [REDIRECT],
      client_name: "Home Assistant",
      token_endpoint_auth_method: "none",
    }),
  });
  expect(registered.status).toBe(201);
  const clientId = ((await registered.json()) as {client_id: string}).client_id;
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const url = new URL(authorization_endpoint as string);
  for (const [k, v] of Object.entries({
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT,
    state: "s",
    code_challenge: challenge,
    code_challenge_method: "S256",
  }))
    url.searchParams.set(k, v);
  const asked = await fetch(url, {redirect: "manual"});
  expect(asked.status).toBe(302);
  const waiting = new URL(asked.headers.get("location") as string, demo.panelUrl).href;
  // The assistant's browser keeps the cookie the page set: its answer goes to that browser alone.
  const cookie = (asked.headers.getSetCookie()[0] ?? "").split(";")[0] as string;
  return {clientId, verifier, waiting, cookie};
}

/** After a parent's Approve: the code the browser is sent back with, exchanged for tokens. */
async function finishSignIn(asked: {
  clientId: string;
  verifier: string;
  waiting: string;
  cookie: string;
}): Promise<void> {
  const back = await fetch(asked.waiting, {redirect: "manual", headers: {cookie: asked.cookie}});
  expect(back.status).toBe(302);
  const to = new URL(back.headers.get("location") as string);
  expect(`${to.origin}${to.pathname}`).toBe(REDIRECT);
  const token = await fetch(`${demo.panelUrl}oauth/token`, {
    method: "POST",
    headers: {"content-type": "application/x-www-form-urlencoded"},
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: to.searchParams.get("code") as string,
      client_id: asked.clientId,
      redirect_uri: REDIRECT,
      code_verifier: asked.verifier,
    }).toString(),
  });
  expect(token.status).toBe(200);
}

/** The text a person reads in a locator, without the line breaks around it. */
const textOf = async (page: Page, selector: string) => (await page.locator(selector).innerText()).trim();

/** No horizontal scroll: the page is no wider than the window. */
const scrollWidth = (page: Page) => page.evaluate<number>("document.documentElement.scrollWidth");

describe.skipIf(!chromium.path)("the Assistants view", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
  }, 90_000);

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("makes a token shown once, answers a request as it comes, and revokes, at 360 px", async () => {
    const page = await openPage(browser, `${proxy.url}#assistants`, 360, problems);
    const view = page.locator("yss-assistants-view");
    await view.getByTestId("no-assistants").waitFor();
    expect(await textOf(page, "yss-assistants-view [data-testid=no-requests]")).toBe("No assistant is asking.");

    // The address: the service tells it here (no ingress between it and the page), the home
    // network's for the loopback the page was opened on: a laptop pastes it.
    const {mcp_url} = await assistants();
    const shown = new URL(demo.panelUrl);
    shown.hostname = homeNetworkAddress() ?? shown.hostname;
    expect(mcp_url).toBe(`${shown.origin}/mcp`);
    expect(await textOf(page, "yss-assistants-view [data-testid=mcp-url] code")).toBe(mcp_url);
    await view.getByRole("button", {name: "Copy the MCP server's address"}).waitFor();
    expect(await textOf(page, "yss-assistants-view [data-testid=mcp-about]")).toBe(ABOUT);

    // No name: the service's own words.
    await view.getByRole("button", {name: "Make a token"}).click();
    const makeError = view.getByTestId("make-error");
    await makeError.getByText("Name the assistant", {exact: false}).waitFor();
    expect((await makeError.getByRole("alert").innerText()).trim()).toBe(
      'Name the assistant (for example "Kitchen speaker"), up to 60 characters: the list of assistants shows it',
    );
    const refused = problems.findIndex((p) => p.startsWith("400 POST ") && p.endsWith("/api/assistants"));
    expect(refused).toBeGreaterThanOrEqual(0);
    problems.splice(refused, 1);

    await view.getByRole("textbox", {name: "Assistant's name"}).fill("Kitchen speaker");
    await view.getByRole("button", {name: "Make a token"}).click();
    const made = view.getByTestId("made");
    await made.waitFor();
    expect((await makeError.getByRole("alert").innerText()).trim()).toBe("");
    const token = (await made.locator("yss-copy-text code").innerText()).trim();
    expect(token.length).toBeGreaterThan(20);
    expect((await made.getByTestId("shown-once").innerText()).trim()).toBe(
      "Shown once: paste it into the assistant now.",
    );
    await made.getByRole("button", {name: "Copy the token for Kitchen speaker"}).waitFor();
    const row = view.getByTestId("assistants").locator("li");
    await row.first().waitFor();
    await expect(row.count()).resolves.toBe(1);
    expect((await row.locator(".name").innerText()).trim()).toBe("Kitchen speaker");
    expect((await row.getByTestId("kind").innerText()).trim()).toBe("Token");
    expect((await row.getByTestId("made-at").innerText()).trim()).toBe("Made just now");
    expect((await row.getByTestId("used-at").innerText()).trim()).toBe("Last used: never");

    // A request comes while the page is open: it shows up by itself.
    const asked = await askAsHomeAssistant();
    const request = view.getByTestId("requests").locator("li");
    await request.first().waitFor();
    expect((await request.locator(".asks").innerText()).trim()).toBe(ASKS);
    // The machine it came from and the pairing code its own page shows: a parent tells requests apart by them.
    const [listedRequest] = (await assistants()).requests;
    expect(listedRequest?.pairing).toMatch(/^[ACDEFHJKMNPRTUVWXY3479]{4}$/);
    expect((await request.getByTestId("from").innerText()).trim()).toBe("From 127.0.0.1");
    expect((await request.getByTestId("pairing").innerText()).trim()).toBe(listedRequest?.pairing);
    // Large: a parent compares it with the assistant's page at a glance.
    const fontSize = await request
      .getByTestId("pairing")
      .evaluate((el) =>
        Number.parseFloat(
          (globalThis as unknown as {getComputedStyle(e: unknown): {fontSize: string}}).getComputedStyle(el).fontSize,
        ),
      );
    expect(fontSize).toBeGreaterThan(20);
    const waitingPage = await (await fetch(asked.waiting, {headers: {cookie: asked.cookie}})).text();
    expect(waitingPage).toContain(
      `Check that the panel shows <strong class="pairing">${listedRequest?.pairing}</strong>`,
    );
    await request
      .getByRole("button", {name: `Approve Home Assistant from 127.0.0.1, code ${listedRequest?.pairing}`, exact: true})
      .waitFor();
    expect((await view.getByTestId("requests-about").innerText()).trim()).toBe(APPROVING);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await page.screenshot({path: path.join(SHOTS, "assistants-360.png"), fullPage: true});

    await request.getByRole("button", {name: "Approve Home Assistant"}).click();
    await view.getByTestId("no-requests").waitFor();
    expect((await assistants()).requests).toEqual([]);
    // Home Assistant finishes signing in: it joins the list as it does.
    await finishSignIn(asked);
    await row.nth(1).waitFor();
    const oauth = row.filter({hasText: "Signed in via OAuth"});
    expect((await oauth.locator(".name").innerText()).trim()).toBe("Home Assistant");
    // The one step left in Home Assistant, said once an assistant has signed in through OAuth.
    expect(await view.getByTestId("tick-in-agent").innerText()).toContain(
      "tick “Yoto Smart Stream” under Control Home Assistant, beside Assist.",
    );

    // The token was shown once: not after a reload.
    await page.reload();
    await row.nth(1).waitFor();
    await expect(view.getByTestId("made").count()).resolves.toBe(0);
    expect(await page.content()).not.toContain(token);
    const html = await view.evaluate((el) => el.shadowRoot?.innerHTML ?? "");
    expect(html).not.toContain(token);

    // Revoke asks once more, then the token is gone.
    const kitchen = row.filter({hasText: "Kitchen speaker"});
    await kitchen.getByRole("button", {name: "Revoke Kitchen speaker"}).click();
    const confirm = kitchen.getByRole("group", {name: "Revoke Kitchen speaker?"});
    await confirm.waitFor();
    expect((await confirm.locator("span").first().innerText()).trim()).toBe(
      "Revoke Kitchen speaker? It can no longer use the Yotos.",
    );
    await kitchen.getByTestId("confirm-revoke").click();
    await kitchen.waitFor({state: "detached"});
    await expect(row.count()).resolves.toBe(1);
    expect((await assistants()).assistants.map((a) => a.name)).toEqual(["Home Assistant"]);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("shows the address, a request, a token and the list side by side on a desktop (1280x800)", async () => {
    const page = await openPage(browser, `${proxy.url}#assistants`, 1280, problems);
    await page.setViewportSize({width: 1280, height: 800});
    const view = page.locator("yss-assistants-view");
    await view.getByTestId("assistants").waitFor();
    await view.getByRole("textbox", {name: "Assistant's name"}).fill("Living room tablet");
    await view.getByRole("button", {name: "Make a token"}).click();
    await view.getByTestId("made").waitFor();
    const asked = await askAsHomeAssistant();
    await view.getByTestId("requests").locator("li").first().waitFor();
    expect(await textOf(page, "yss-assistants-view [data-testid=requests] .asks")).toBe(ASKS);
    const names = view.getByTestId("assistants").locator(".name");
    await names.nth(1).waitFor();
    expect((await names.allInnerTexts()).map((n) => n.trim()).sort()).toEqual(["Home Assistant", "Living room tablet"]);
    // Side by side: the token's card starts level with the address's.
    const [server, make] = await Promise.all(
      ["#server", "#make"].map((id) => view.locator(id).evaluate((el) => el.getBoundingClientRect().top)),
    );
    expect(make).toBe(server);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(1280);
    await page.screenshot({path: path.join(SHOTS, "assistants-1280x800.png")});

    // Deny: the request leaves, and the assistant's browser is told so.
    await view.getByRole("button", {name: "Deny Home Assistant"}).click();
    await view.getByTestId("no-requests").waitFor();
    const denied = await fetch(asked.waiting, {redirect: "manual", headers: {cookie: asked.cookie}});
    expect(denied.status).toBe(302);
    expect(new URL(denied.headers.get("location") ?? "").searchParams.get("error")).toBe("access_denied");
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
  it("gives a token and an approval less than everything: read only, some children, at 360 px", async () => {
    // The family the child picker offers: two children, each with a Yoto.
    const put = (child: string, players: string[]) =>
      fetch(`${demo.panelUrl}api/children/${child}`, {
        method: "PUT",
        headers: {"content-type": "application/json"},
        body: JSON.stringify({players}),
      });
    expect((await put("Mia", ["Bedroom Mini"])).status).toBe(200);
    expect((await put("Ben", ["Living Room"])).status).toBe(200);
    const page = await openPage(browser, `${proxy.url}#assistants`, 360, problems);
    const view = page.locator("yss-assistants-view");
    const form = view.getByTestId("make-grants");
    const readOnly = form.getByRole("checkbox", {name: "Read only"});
    const every = form.getByRole("checkbox", {name: "Every child"});
    const mia = form.getByRole("checkbox", {name: "Mia"});
    await mia.waitFor();
    expect([await readOnly.isChecked(), await every.isChecked(), await mia.isChecked()]).toEqual([false, true, false]);

    // Read only, every child.
    await view.getByRole("textbox", {name: "Assistant's name"}).fill("Grandma's tablet");
    await readOnly.check();
    await view.getByRole("button", {name: "Make a token"}).click();
    await view.getByTestId("made").waitFor();
    const rows = view.getByTestId("assistants").locator("li");
    const grandma = rows.filter({hasText: "Grandma's tablet"});
    expect((await grandma.getByTestId("grants").innerText()).trim()).toBe("Read-only, every child");
    // The form is back to everything for the next one.
    expect([await readOnly.isChecked(), await every.isChecked()]).toEqual([false, true]);
    await view.getByRole("button", {name: "Done"}).click();

    // A child ticked unticks "Every child"; the last one unticked ticks it again.
    await mia.check();
    expect(await every.isChecked()).toBe(false);
    await mia.uncheck();
    expect(await every.isChecked()).toBe(true);
    await mia.check();
    await view.getByRole("textbox", {name: "Assistant's name"}).fill("Mia's companion");
    await view.getByRole("button", {name: "Make a token"}).click();
    await view.getByTestId("made").waitFor();
    const companion = rows.filter({hasText: "Mia's companion"});
    await companion.waitFor();
    expect((await companion.getByTestId("grants").innerText()).trim()).toBe("Mia only");
    const listed = (await assistants()).assistants.filter((a) => a.name !== "Home Assistant");
    expect(listed.map((a) => [a.name, a.read_only, a.children])).toEqual(
      expect.arrayContaining([
        ["Grandma's tablet", true, []],
        ["Mia's companion", false, ["Mia"]],
      ]),
    );

    // An OAuth request's Approve sends the row's own choice.
    await askAsHomeAssistant();
    const request = view.getByTestId("requests").locator("li");
    await request.first().waitFor();
    const asks = request.first().locator("yss-assistant-grants");
    await asks.getByRole("checkbox", {name: "Read only"}).check();
    await asks.getByRole("checkbox", {name: "Ben"}).check();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await page.screenshot({path: path.join(SHOTS, "assistants-grants-360.png"), fullPage: true});
    const approved = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/approve"));
    await request.first().getByRole("button", {name: "Approve Home Assistant"}).click();
    expect((await approved).postDataJSON()).toEqual({read_only: true, children: ["Ben"]});
    await view.getByTestId("no-requests").waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
