import http from "node:http";
import {describe, expect, it} from "vitest";
import {type Answer, tabletFamily} from "../../helpers/tabletFamily.js";

const family = tabletFamily();
const PIN = "2580";

/** `Too many PIN tries <where> (<n> a minute): …`, with however many seconds are left. */
const refused = (where: string, perMinute: number) =>
  new RegExp(
    `^Too many PIN tries ${where} \\(${perMinute} a minute\\): try again in \\d+ s, or unlock the tablet from a parent's signed-in browser$`,
  );

const tally = (answers: Answer[]) => {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
};

describe("the parent PIN's tries", () => {
  it("are counted before they are checked: of 300 guesses sent at once, 5 are looked at, and a restart keeps the count", async () => {
    const f = await family();
    await f.addChild("Mia");
    expect((await f.send("PUT", "/api/devices/pin", {body: {pin: PIN}})).body).toEqual({pin_set: true});
    const kitchen = await f.link("Mia", "Kitchen tablet");
    const bedroom = await f.link("Mia", "Bedroom tablet");

    // 300 wrong guesses at once from the kitchen tablet (none is the PIN: every one is wrong).
    const guesses = Array.from({length: 300}, (_, n) => String(n).padStart(4, "0"));
    const unlock = (pin: string, device: string, from: string, agent?: http.Agent) =>
      f.send("POST", "/api/children/Mia/unlock", {body: {pin}, device, from, ...(agent ? {agent} : {})});
    // Over 50 kept connections, as a browser's page or a script would (one address may hold no more
    // than the listener's per-address cap open at once): all 300 in flight together.
    const agent = new http.Agent({keepAlive: true, maxSockets: 50});
    const answers = await Promise.all(guesses.map((pin) => unlock(pin, kitchen.token, "127.0.0.2", agent)));
    agent.destroy();
    expect(tally(answers)).toEqual({403: 5, 429: 295});
    const tooMany = answers.find((a) => a.status === 429) as Answer;
    expect(tooMany.body.code).toBe("pin_tries");
    expect(tooMany.body.error).toMatch(refused("on this tablet", 5));
    const wait = Number(tooMany.headers["retry-after"]);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);

    // The right PIN on the kitchen tablet now: refused unseen, like any sixth try.
    expect((await unlock(PIN, kitchen.token, "127.0.0.2")).status).toBe(429);

    // Restarted (kill or stop, the tries were saved before each was checked): still refused.
    await f.restart();
    const after = await unlock(PIN, kitchen.token, "127.0.0.2");
    expect(after.status).toBe(429);
    expect(after.body.error).toMatch(refused("on this tablet", 5));

    // A parent at the bedroom tablet, on another address, is not locked out by the kitchen's.
    expect(await unlock(PIN, bedroom.token, "127.0.0.3")).toMatchObject({status: 200, body: {unlocked: true}});
  }, 120_000);

  it("are limited per address as well as per tablet, and in all, each saying which", async () => {
    const f = await family();
    await f.addChild("Mia");
    await f.send("PUT", "/api/devices/pin", {body: {pin: PIN}});
    const tablets = await Promise.all(Array.from({length: 6}, (_, n) => f.link("Mia", `Tablet ${n}`)));
    const token = (n: number) => (tablets[n] as {token: string}).token;
    const wrong = (n: number, from: string) =>
      f.send("POST", "/api/children/Mia/unlock", {body: {pin: "1111"}, device: token(n), from});

    // Two tablets on one address spend its ten tries a minute; a third there is refused for the address.
    for (const n of [0, 1]) for (let i = 0; i < 5; i++) expect((await wrong(n, "127.0.0.4")).status).toBe(403);
    const address = await wrong(2, "127.0.0.4");
    expect(address.status).toBe(429);
    expect(address.body.error).toMatch(refused("from this address", 10));

    // Two more tablets on addresses of their own make the family's twenty: any tablet is refused now.
    for (const [n, from] of [
      [2, "127.0.0.5"],
      [3, "127.0.0.6"],
    ] as const)
      for (let i = 0; i < 5; i++) expect((await wrong(n, from)).status).toBe(403);
    const all = await wrong(4, "127.0.0.7");
    expect(all.status).toBe(429);
    expect(all.body.error).toMatch(refused("on the family's tablets", 20));
    // A parent's own signed-in browser still unlocks, PIN or not.
    expect((await f.send("POST", "/api/children/Mia/unlock", {body: {}})).body).toEqual({unlocked: true});
  }, 120_000);

  it("are set only by a PIN: an empty or null body is a 400 that removes nothing; removing is its own request", async () => {
    const f = await family();
    await f.send("PUT", "/api/devices/pin", {body: {pin: PIN}});
    expect(await f.send("PUT", "/api/devices/pin", {body: {}})).toMatchObject({
      status: 400,
      body: {
        error:
          'The parent PIN is 4 to 8 digits, as a string ({"pin": "2580"}); the body had no \'pin\'. To remove the PIN, send DELETE /api/devices/pin',
        code: "bad_pin",
      },
    });
    expect((await f.send("PUT", "/api/devices/pin", {body: {pin: null}})).body.error).toBe(
      'The parent PIN is 4 to 8 digits, as a string ({"pin": "2580"}); not null. To remove the PIN, send DELETE /api/devices/pin',
    );
    expect((await f.send("GET", "/api/devices")).body.pin_set).toBe(true);
    expect((await f.send("DELETE", "/api/devices/pin")).body).toEqual({pin_set: false});
    expect((await f.send("GET", "/api/devices")).body.pin_set).toBe(false);
  }, 60_000);

  it("leave a parent's changes in the audit however many a tablet sends", async () => {
    const f = await family();
    await f.addChild("Mia");
    await f.send("PUT", "/api/devices/pin", {body: {pin: PIN}});
    const lost = await f.link("Mia", "Lost tablet");
    const kitchen = await f.link("Mia", "Kitchen tablet");
    expect((await f.send("DELETE", `/api/devices/${lost.link.id}`)).status).toBe(200);
    const agent = new http.Agent({keepAlive: true, maxSockets: 20});
    const body = {pin: "0000"};
    await Promise.all(
      Array.from({length: 400}, () =>
        f.send("POST", "/api/children/Mia/unlock", {body, device: kitchen.token, from: "127.0.0.2", agent}),
      ),
    );
    agent.destroy();
    const audit = (await f.send("GET", "/api/audit")).body.entries as Array<{
      method: string;
      path: string;
      via: string;
    }>;
    expect(audit.filter((e) => e.via === "device")).toHaveLength(200);
    expect(audit).toContainEqual(expect.objectContaining({method: "DELETE", path: `/api/devices/${lost.link.id}`}));
    // Its lines are counted past the first few a minute, not written 400 times.
    expect(f.t.logs.filter((l) => l.includes("/api/children/Mia/unlock → ")).length).toBeLessThan(50);
  }, 60_000);
});
