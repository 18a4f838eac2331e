import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {startMosquitto, watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const MOSQUITTO = systemNeed("mosquitto");

// Every entity's availability includes `yoto/bridge/state` (mode all): while it says offline, Home
// Assistant shows every Yoto entity as unavailable, so nothing may leave it offline while we run.
const STATE = "yoto/bridge/state";
const OFFLINE = JSON.stringify({state: "offline"});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function appOnMosquitto(existingUrl?: string): Promise<{t: TestApp; url: string}> {
  let url = existingUrl;
  if (!url) {
    const mosquitto = await startMosquitto();
    cleanups.push(() => mosquitto.stop());
    url = mosquitto.url;
  }
  const t = await startApp(["--mqtt_mode", "external", "--mqtt_url", url], {republishDelayMs: () => 0});
  cleanups.push(() => t.stop());
  await waitFor(() => t.app.bridge.mqtt.connected, "the bridge's connection");
  return {t, url};
}

const corrected = (t: TestApp) => t.logs.filter((l) => l.includes("publishing online again"));

describe.skipIf(!MOSQUITTO.path)("the bridge's availability topic", () => {
  it("is republished online when Home Assistant's birth message arrives", async () => {
    const {url} = await appOnMosquitto();
    const w = await watchBroker(url, [STATE]);
    cleanups.push(() => w.close());
    await waitFor(() => w.lastJson(STATE)?.state === "online", "the retained online state");
    const before = w.seen.filter((m) => m.topic === STATE).length;

    await w.client.publishAsync("homeassistant/status", "online");
    await waitFor(() => w.seen.filter((m) => m.topic === STATE).length > before, "the state republished on birth");
    expect(w.lastJson(STATE)).toEqual({state: "online"});
  });

  it("is set back to online when another client retains a forged offline, and a late subscriber sees online", async () => {
    const {t, url} = await appOnMosquitto();
    const forger = await watchBroker(url, [STATE]);
    cleanups.push(() => forger.close());
    const from = forger.seen.length;
    await forger.client.publishAsync(STATE, OFFLINE, {qos: 1, retain: true});
    // The correction can follow within milliseconds: look for the offline among what came since,
    // then for an online after it.
    const since = () => forger.seen.slice(from).map((m) => m.payload);
    await waitFor(() => since().includes(OFFLINE), "the forged offline to go out");
    await waitFor(
      () =>
        since()
          .slice(since().indexOf(OFFLINE))
          .includes(JSON.stringify({state: "online"})),
      "the bridge to correct it",
    );

    const late = await watchBroker(url, [STATE]);
    cleanups.push(() => late.close());
    await waitFor(() => late.seen.length > 0, "the retained state for a late subscriber");
    expect(late.seen).toEqual([{topic: STATE, payload: JSON.stringify({state: "online"}), retain: true}]);
    expect(
      t.logs.some((l) =>
        l.endsWith(
          `WARNING (ha-bridge:mqtt): Something else set '${STATE}' to '${OFFLINE}' while we run; publishing online again`,
        ),
      ),
    ).toBe(true);

    // Our own goodbye on a clean stop is not something to correct.
    await t.stop();
    await waitFor(() => late.last(STATE) === OFFLINE, "the clean stop's offline");
    // All the stopped service sent was acknowledged before stop() returned, so reached the broker
    // before this marker: once the marker is back, nothing of its can still be on the way.
    await late.client.subscribeAsync("test/marker", {qos: 1});
    await late.client.publishAsync("test/marker", "after the stop", {qos: 1});
    await waitFor(() => late.last("test/marker") === "after the stop", "the marker");
    expect(late.last(STATE)).toBe(OFFLINE);
  });

  it("takes the offline an earlier run left retained as stale, not forged: no warning after a restart", async () => {
    const first = await appOnMosquitto();
    await first.t.stop();
    const w = await watchBroker(first.url, [STATE]);
    cleanups.push(() => w.close());
    await waitFor(() => w.last(STATE) === OFFLINE, "the first run's goodbye");

    const {t} = await appOnMosquitto(first.url);
    await waitFor(() => w.lastJson(STATE)?.state === "online", "the second run's online");
    // Answered after the retained offline it read on connecting: by then that has been judged.
    const probe = await watchBroker(first.url, ["yoto/bridge/response/#"]);
    await probe.handledSoFar();
    await probe.close();
    expect(corrected(t)).toEqual([]);
    expect(w.seen.map((m) => m.payload)).toEqual([OFFLINE, JSON.stringify({state: "online"})]);
  });
});
