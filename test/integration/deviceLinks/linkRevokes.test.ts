import http from "node:http";
import {describe, expect, it} from "vitest";
import type {DeviceLinkView} from "../../../src/shared/api/devices.js";
import {waitFor} from "../../helpers/players.js";
import {tabletFamily} from "../../helpers/tabletFamily.js";

const family = tabletFamily();

const REVOKED = {
  error: "This device link was revoked, or is not one: a parent makes a new link on the Family page",
  code: "device_link_revoked",
};

/**
 * The live events a tablet follows (the credential in the address, as an EventSource sends it),
 * resolved once the service said hello; `seen(text)` resolves when the stream has carried `text`.
 */
function follow(url: string, token: string) {
  return new Promise<{text: () => string; seen(text: string): Promise<void>; ended: Promise<void>; close(): void}>(
    (resolve, reject) => {
      let text = "";
      const waiting: Array<{needle: string; done: () => void}> = [];
      const req = http.get(`${url}/api/events?only=family.changed&device=${token}`, (res) => {
        res.setEncoding("utf8");
        const ended = new Promise<void>((done) => res.once("close", () => done()));
        const stream = {
          text: () => text,
          seen: (needle: string) =>
            text.includes(needle) ? Promise.resolve() : new Promise<void>((done) => waiting.push({needle, done})),
          ended,
          close: () => req.destroy(),
        };
        res.on("data", (chunk: string) => {
          text += chunk;
          for (const w of waiting.splice(0)) (text.includes(w.needle) ? w.done : () => waiting.push(w))();
          if (text.includes("event: hello")) resolve(stream);
        });
      });
      req.on("error", reject);
    },
  );
}

const names = (links: unknown) => (links as DeviceLinkView[]).map((l) => l.name);

describe("a device link", () => {
  it("belongs to the child it was made for: a child removed and added again under the name opens to no old link, restarted or not", async () => {
    const f = await family();
    await f.addChild("Ben");
    const old = await f.link("Ben", "Ben's tablet");
    const events = await follow(f.t.adminUrl, old.token);
    expect((await f.send("DELETE", "/api/children/Ben")).status).toBeLessThan(300);
    // What it held open closes with its child.
    await events.ended;
    await f.addChild("Ben");
    const gone = {
      error:
        "This device link was for Ben, who was removed from the family plan (a child added again is a new child): a parent makes a new link on the Family page",
      code: "device_link_child_gone",
    };
    expect(await f.send("GET", "/api/children/Ben/shelf", {device: old.token})).toMatchObject({
      status: 401,
      body: gone,
    });
    expect((await f.send("GET", "/api/children/Ben/devices")).body.links).toEqual([]);
    expect((await f.send("GET", "/api/devices")).body.links).toEqual([]);

    await f.restart();
    expect(await f.send("GET", "/api/children/Ben/shelf", {device: old.token})).toMatchObject({
      status: 401,
      body: REVOKED,
    });
    expect((await f.send("GET", "/api/devices")).body.links).toEqual([]);
    // The new Ben's own link works.
    const fresh = await f.link("Ben", "Ben's new tablet");
    expect((await f.send("GET", "/api/children/Ben/shelf", {device: fresh.token})).status).toBe(200);
  }, 120_000);

  it("is at most 20 a child when 60 are asked for at once", async () => {
    const f = await family();
    await f.addChild("Mia");
    const asked = await Promise.all(
      Array.from({length: 60}, (_, n) => f.send("POST", "/api/children/Mia/devices", {body: {name: `Tablet ${n}`}})),
    );
    const made = asked.filter((a) => a.status === 201);
    expect(made).toHaveLength(20);
    const refused = asked.filter((a) => a.status !== 201);
    expect(refused).toHaveLength(40);
    expect(refused[0]?.body).toEqual({
      error: "Mia has 20 device links, the most there may be: revoke one on the Family page first",
      code: "too_many_device_links",
    });
    expect((await f.send("GET", "/api/children/Mia/devices")).body.links).toHaveLength(20);
    await f.restart();
    expect((await f.send("GET", "/api/children/Mia/devices")).body.links).toHaveLength(20);
  }, 120_000);

  it("closes the live events it holds open the moment it is revoked", async () => {
    const f = await family();
    await f.addChild("Mia");
    const link = await f.link("Mia");
    const other = await f.link("Mia", "Bedroom tablet");
    const events = await follow(f.t.adminUrl, link.token);
    const others = await follow(f.t.adminUrl, other.token);
    try {
      expect(events.text()).toContain("event: hello");
      expect((await f.send("DELETE", `/api/devices/${link.link.id}`)).status).toBe(200);
      await events.ended;
      // Another tablet's stream goes on: a change still reaches it.
      expect(
        (await f.send("PUT", "/api/children/Mia", {body: {players: ["Bedroom Mini"], budget: {minutes: 30}}})).status,
      ).toBe(200);
      await others.seen("event: family.changed");
      expect(await f.send("GET", "/api/children/Mia/shelf", {device: link.token})).toMatchObject({
        status: 401,
        body: REVOKED,
      });
    } finally {
      events.close();
      others.close();
    }
  }, 60_000);

  it("lists what the store holds after a revoke: only a saved revoke is answered OK", async () => {
    const f = await family();
    await f.addChild("Mia");
    const kitchen = await f.link("Mia", "Kitchen tablet");
    await f.link("Mia", "Bedroom tablet");
    expect(names((await f.send("GET", "/api/devices")).body.links)).toEqual(["Bedroom tablet", "Kitchen tablet"]);
    expect((await f.send("DELETE", `/api/devices/${kitchen.link.id}`)).body).toMatchObject({
      revoked: {name: "Kitchen tablet"},
    });
    await f.restart();
    expect(names((await f.send("GET", "/api/devices")).body.links)).toEqual(["Bedroom tablet"]);
    expect((await f.send("GET", "/api/children/Mia/shelf", {device: kitchen.token})).body).toEqual(REVOKED);
  }, 60_000);

  it("is revoked once when revoked five times at once: one answer says so, the others that it is gone already", async () => {
    const f = await family();
    await f.addChild("Mia");
    const link = await f.link("Mia");
    const answers = await Promise.all(Array.from({length: 5}, () => f.send("DELETE", `/api/devices/${link.link.id}`)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404, 404, 404, 404]);
    expect(answers.find((a) => a.status === 404)?.body).toEqual({
      error: `There is no device link '${link.link.id}' (it may be revoked already)`,
      code: "unknown_device_link",
    });
    expect(
      f.t.logs.filter((l) => l.includes("The device link 'Kitchen tablet' for Mia's page was revoked")),
    ).toHaveLength(1);
  }, 60_000);

  it("made while its child is removed is either refused or dies with the child: none is kept for nobody", async () => {
    const f = await family();
    await f.addChild("Ben");
    const [removed, ...made] = await Promise.all([
      f.send("DELETE", "/api/children/Ben"),
      ...Array.from({length: 20}, (_, n) => f.send("POST", "/api/children/Ben/devices", {body: {name: `Tablet ${n}`}})),
    ]);
    expect(removed?.status).toBeLessThan(300);
    for (const answer of made) expect([201, 404]).toContain(answer.status);
    await waitFor(() => f.t.app.devices.health().details.links === 0, "the links of nobody removed", 60_000);
    await f.restart();
    expect(await f.t.app.store.entries("device_links")).toEqual([]);
  }, 60_000);
});
