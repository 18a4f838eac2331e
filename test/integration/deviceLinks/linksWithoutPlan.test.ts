import {afterEach, describe, expect, it} from "vitest";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";
import {DeviceLinks} from "../../../src/deviceLinks/deviceLinks.js";
import {Store} from "../../../src/store/store.js";
import {tabletFamily} from "../../helpers/tabletFamily.js";
import {tempDir} from "../../helpers/tmp.js";

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});
const family = tabletFamily();

/** Device links on a real state database, over a family plan that has loaded or has not. */
async function linksOver(dir: string, plan: {loaded: boolean; children: Map<string, string>}) {
  const log = new Logger({sink: () => {}});
  const store = new Store(dir, log);
  await store.start();
  const links = new DeviceLinks({
    store,
    child: (name) => {
      const id = plan.children.get(name);
      return id === undefined ? undefined : {name, id};
    },
    childWithId: (id) => [...plan.children].find(([, childId]) => childId === id)?.[0],
    childrenLoaded: () => plan.loaded,
    bus: new EventBus(log),
    log,
  });
  await links.start();
  const stop = async () => {
    await links.stop();
    await store.stop();
  };
  stops.push(stop);
  return {links, store, stop};
}

describe("device links over a family plan that did not load", () => {
  it("are refused while it is down and work again once it loads: none is removed for it", async () => {
    const dir = await tempDir();
    const plan = {loaded: true, children: new Map([["Mia", "mia-id"]])};
    const first = await linksOver(dir, plan);
    const {token} = await first.links.create("Mia", "Kitchen tablet");
    await first.stop();

    // The plan failed to start: it knows no child, which is not the same as every child removed.
    const down = await linksOver(dir, {loaded: false, children: new Map()});
    expect(down.links.check(token)).toEqual({ok: false, why: "no_plan"});
    expect(await down.store.entries("device_links")).toHaveLength(1);
    await down.stop();

    const again = await linksOver(dir, plan);
    expect(again.links.check(token)).toMatchObject({ok: true, child: "Mia"});
  });

  it("are answered 503 saying why, and a child's row that is no child leaves the plan and its links working", async () => {
    const f = await family();
    await f.addChild("Mia");
    const kitchen = await f.link("Mia");
    // A row cut short ahead of Mia's, as a hand edit or a torn write leaves it.
    await f.t.app.store.namespace<unknown>("family_children").set("aa", null);
    await f.restart();
    expect((await f.send("GET", "/api/children/Mia/shelf", {device: kitchen.token})).status).toBe(200);
    expect(f.t.app.family.childrenLoaded).toBe(true);
    // The plan stopped (as one that failed to start): the tablet is told, and keeps its link.
    await f.t.app.family.stop();
    expect(await f.send("GET", "/api/children/Mia/shelf", {device: kitchen.token})).toMatchObject({
      status: 503,
      body: {
        error:
          "The family plan did not load (the log says why), so no tablet's page opens until it does: this link is kept",
        code: "family_plan_down",
      },
    });
  }, 60_000);
});
