import path from "node:path";
import type {BrowserContext} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../src/sim/simulator.js";
import {eventually, findChromium, launchBrowser, openPage} from "../helpers/browser.js";
import {call} from "../helpers/http.js";
import {type Icecast, startIcecast} from "../helpers/icecast.js";
import {type IngressProxy, startIngressProxy} from "../helpers/ingressProxy.js";
import {linkedBridge} from "../helpers/linkedBridge.js";
import {SHOTS} from "../helpers/panelStack.js";
import {waitFor} from "../helpers/players.js";
import {listen, putStream, streamView} from "../helpers/radio.js";
import {systemNeed} from "../helpers/testPrograms.js";

const ICECAST = systemNeed("icecast2");

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);
const LIVING = DEMO_PLAYERS[0]!.deviceId;

let icecast: Icecast;
let browser: BrowserContext;
let proxy: IngressProxy | undefined;
const startLinked = linkedBridge();

describe.skipIf(!chromium.path || !ICECAST.path)("a radio card on the Players view", () => {
  beforeAll(async () => {
    icecast = await startIcecast();
    await icecast.feed("kids");
    await icecast.setTitle("kids", "Raffi - Baby Beluga");
    browser = await launchBrowser(chromium.path as string);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await icecast?.stop();
  });

  it("shows the song its station already plays when the card starts, and the next one as it comes", async () => {
    const {sim, t} = await startLinked({app: {linkToOwnAudioListener: true}});
    await waitFor(() => t.app.players.list().length === 2, "the players");
    expect((await putStream(t, "kids", {radio: {url: `${icecast.url}/kids`}})).status).toBe(200);
    const made = await call("POST", `${t.adminUrl}/api/cards`, {from: "stream", stream: "kids", title: "Kids radio"});
    // Another listener has the station on already: its song is known before this player's card starts,
    // so the page must ask for it when the card starts, not only when the song changes.
    const other = await listen(t, "kids");
    await eventually(async () => (await streamView(t, "kids")).radio.now_playing === "Raffi - Baby Beluga", "the song");

    proxy = await startIngressProxy(t.adminUrl);
    const problems: string[] = [];
    const page = await openPage(browser, `${proxy.url}#players`, 360, problems);
    const card = page.locator(`yss-player-card[data-player="${LIVING}"]`);
    await card.getByTestId("status").waitFor();
    sim.player(LIVING).insertCard((made.body as {card: {cardId: string}}).card.cardId);
    const song = card.getByTestId("song");
    await eventually(
      async () => (await song.count()) === 1 && (await song.innerText()) === "♪ Raffi - Baby Beluga",
      "the song on the player's card",
      15_000,
    );
    await page.screenshot({path: path.join(SHOTS, "players-radio-song-360.png"), fullPage: true});
    await icecast.setTitle("kids", "Down by the Bay");
    await eventually(async () => (await song.innerText()) === "♪ Down by the Bay", "the next song, live", 15_000);
    other.close();
    expect(problems).toEqual([]);
  }, 90_000);
});
