import {readFile} from "node:fs/promises";
import path from "node:path";
import type {MqttClient} from "mqtt";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {parseCommand} from "../../../src/yoto/commands.js";
import {sendAdmitted} from "../../helpers/admitted.js";
import {connectMqtt, pkceTokens, startSimulator} from "../../helpers/cloud.js";
import {type CloudStack, linkedCloud, waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/yoto");

let sim: YotoSimulator | undefined;
let stack: CloudStack | undefined;
let spy: MqttClient | undefined;
afterEach(async () => {
  await spy?.endAsync(true);
  await stack?.stop();
  await sim?.stop();
  sim = stack = spy = undefined;
});

function addSongs(s: YotoSimulator): void {
  const track = (key: string) => ({
    key,
    title: `Track ${key}`,
    trackUrl: "yoto:#x",
    type: "audio" as const,
    duration: 60,
  });
  s.addCard({
    cardId: "songs",
    title: "Songs",
    content: {
      chapters: ["01", "02", "03"].map((key) => ({key, title: `Chapter ${key}`, tracks: [track("01"), track("02")]})),
    },
  });
}

const ready = (s: CloudStack, id: string) => () => {
  const p = s.players.list().find((x) => x.id === id);
  return p?.volume.level !== undefined && p.battery !== undefined;
};

describe("Yoto players over the cloud broker", () => {
  it("connects like a polite client: fresh alphanumeric id, exact topics, events then status per device", async () => {
    sim = await startSimulator();
    spy = await connectMqtt(sim, (await pkceTokens(sim)).access_token);
    const order: string[] = [];
    await spy.subscribeAsync(
      [LIVING, MINI].flatMap((id) => [
        `device/${id}/command/events/request`,
        `device/${id}/command/status/request`,
        `device/${id}/data/events`,
      ]),
      {qos: 1},
    );
    spy.on("message", (topic) => order.push(topic));
    stack = await linkedCloud(sim);
    await waitFor(ready(stack, LIVING), "the Living Room's events and status");
    await waitFor(ready(stack, MINI), "the Mini's events and status");
    // The REST shadow can make a player ready before its status request reaches this spy.
    const seenFor = (id: string) => order.filter((t) => t.includes(id)).length >= 3;
    await waitFor(() => seenFor(LIVING) && seenFor(MINI), "both players' requests and events on the spy");

    const clientId = sim.broker.connections.at(-1)?.clientId ?? "";
    expect(clientId).toMatch(/^[A-Za-z0-9]{12,}$/);
    expect(sim.broker.refusals).toEqual([]);
    for (const id of [LIVING, MINI]) {
      const mine = order.filter((t) => t.includes(id));
      expect(mine.slice(0, 3)).toEqual([
        `device/${id}/command/events/request`,
        `device/${id}/data/events`,
        `device/${id}/command/status/request`,
      ]);
    }
    const living = stack.players.get("living room");
    expect(living).toMatchObject({id: LIVING, family: "v3", online: true, volume: {level: 8, max: 16, percent: 50}});
    expect(living.playback).toMatchObject({status: "stopped", cardId: null});
  });

  it("round-trips volume and card commands with acks, using the card's own zero-padded keys", async () => {
    sim = await startSimulator();
    addSongs(sim);
    stack = await linkedCloud(sim);
    await waitFor(ready(stack, LIVING), "the Living Room");

    const volume = await sendAdmitted(stack.players, LIVING, parseCommand({command: "volume", percent: 40}));
    expect(volume).toEqual({topic: "volume/set", payload: {volume: 38}});
    expect(sim.player(LIVING).volume).toBe(6);
    await waitFor(() => stack!.players.get(LIVING).volume.level === 6, "the volume event");

    const start = await sendAdmitted(
      stack.players,
      LIVING,
      parseCommand({command: "play_card", cardId: "songs", chapter: 2, track: "1"}),
    );
    expect(start?.payload).toEqual({uri: "https://yoto.io/songs", chapterKey: "02", trackKey: "01"});
    await waitFor(() => stack!.players.get(LIVING).playback.status === "playing", "playback to start");
    expect(stack.players.get(LIVING).playback).toMatchObject({cardId: "songs", chapterKey: "02", trackKey: "01"});

    await sendAdmitted(stack.players, LIVING, {command: "next"});
    await waitFor(() => stack!.players.get(LIVING).playback.trackKey === "02", "the next track");
    await sendAdmitted(stack.players, LIVING, {command: "next"});
    await waitFor(() => stack!.players.get(LIVING).playback.chapterKey === "03", "the next chapter");
    await sendAdmitted(stack.players, LIVING, {command: "pause"});
    await waitFor(() => stack!.players.get(LIVING).playback.status === "paused", "pause");

    await expect(
      sendAdmitted(stack.players, LIVING, parseCommand({command: "play_card", cardId: "songs", chapter: "9"})),
    ).rejects.toThrow("Card 'Songs' has no chapter '9': its chapters are 01, 02, 03");
    await expect(sendAdmitted(stack.players, MINI, {command: "ambient", color: "#ff8800"})).rejects.toThrow(
      "'Bedroom Mini' is a Yoto Mini, which has no light ring for an ambient colour",
    );
  });

  it("surfaces a refused command and a lost ack as clear errors", async () => {
    sim = await startSimulator();
    stack = await linkedCloud(sim, {commandTimeoutMs: 400});
    await waitFor(ready(stack, LIVING), "the Living Room");
    await expect(sendAdmitted(stack.players, LIVING, {command: "play_card", cardId: "zzzzz"})).rejects.toThrow(
      "'play_card' on 'Living Room' was refused by the player (FAIL); check the card is on the family's account and the chapter and track exist on it, spelled as the card spells them",
    );
    sim.acks.lose = true;
    await expect(sendAdmitted(stack.players, LIVING, {command: "volume", percent: 50})).rejects.toThrow(
      "'volume' on 'Living Room' was not acknowledged within 0.4 s: the player may be offline, asleep or out of Wi-Fi range",
    );
    expect(stack.players.stats).toMatchObject({commands: 2, failedCommands: 2});
  });

  it("refuses a command while the cloud is unreachable, saying it reconnects by itself", async () => {
    sim = await startSimulator();
    stack = await linkedCloud(sim);
    await waitFor(ready(stack, LIVING), "the Living Room");
    sim.broker.refuseNext = 1000;
    sim.broker.dropConnections();
    await waitFor(() => stack!.players.cloud.state === "reconnecting", "the client to notice");
    await expect(sendAdmitted(stack.players, LIVING, {command: "pause"})).rejects.toThrow(
      "Not connected to Yoto's cloud right now, so the command was not sent; it reconnects by itself, try again shortly",
    );
    sim.broker.refuseNext = 0;
  });

  it("renews the connection before the token expires and loses no event on the way", async () => {
    sim = await startSimulator({tokenTtlSeconds: 3});
    stack = await linkedCloud(sim);
    await waitFor(ready(stack, LIVING), "the Living Room");
    const seen: number[] = [];
    stack.bus.on({}, "player.changed", ({player, changed}) => {
      if (player.id === LIVING && changed.includes("volume")) seen.push(player.volume.level as number);
    });
    const turned: number[] = [];
    const knob = sim.player(LIVING);
    // A turn every 40 ms, through two renewals (each 80 % into a 3-s token) and a little past the second.
    let after = 0;
    for (let step = 0; after < 5; step++) {
      if (step > 500) throw new Error(`no second renewal after ${step} turns (${stack.players.cloud.stats.rollovers})`);
      if (stack.players.cloud.stats.rollovers >= 2) after++;
      knob.turnKnob(step % 2 === 0 ? 1 : -1);
      turned.push(knob.volume);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await waitFor(() => seen.length >= turned.length, `${turned.length} volume changes (saw ${seen.length})`);
    expect(seen).toEqual(turned);
    expect(stack.players.cloud.stats.rollovers).toBeGreaterThanOrEqual(2);
    expect(new Set(sim.broker.connections.map((c) => c.clientId)).size).toBe(sim.broker.connections.length);
  });

  it("after an abrupt token expiry reconnects with a fresh token and catches up on what changed meanwhile", async () => {
    sim = await startSimulator();
    stack = await linkedCloud(sim);
    await waitFor(ready(stack, LIVING), "the Living Room");
    const refreshes = sim.oauth.stats.refreshes;
    sim.oauth.expireAllTokens();
    sim.broker.enforceExpiry();
    sim.player(LIVING).turnKnob(3); // while the client is away
    await waitFor(() => stack!.players.cloud.stats.connects >= 2, "a reconnect");
    await waitFor(() => stack!.players.get(LIVING).volume.level === 11, "the snapshot after re-subscribing");
    expect(sim.oauth.stats.refreshes).toBe(refreshes + 1);
    sim.player(LIVING).turnKnob(-1);
    await waitFor(() => stack!.players.get(LIVING).volume.level === 10, "a live event after re-subscribing");
  });

  it("backs off between failed connection attempts and recovers when the broker does", async () => {
    sim = await startSimulator();
    stack = await linkedCloud(sim);
    await waitFor(ready(stack, LIVING), "the Living Room");
    const before = sim.broker.attempts.length;
    sim.broker.refuseNext = 4;
    sim.broker.dropConnections();
    await waitFor(() => sim!.broker.attempts.length >= before + 5, "five attempts", 10_000);
    await waitFor(() => stack!.players.cloud.state === "connected", "the reconnect");
    const times = sim.broker.attempts.slice(before);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // 100 ms doubling with ±25 % jitter: 200, 400, 800, then the cap (its 1 s is the unit test's).
    expect(gaps[0]).toBeGreaterThanOrEqual(140);
    expect(gaps[2]).toBeGreaterThan(gaps[0] as number);
    expect(stack.lines.some((l) => l.includes("Cannot reach Yoto's cloud broker"))).toBe(true);
  });

  it("a revoked login ends in 'needs re-linking' without a retry loop", async () => {
    sim = await startSimulator();
    stack = await linkedCloud(sim);
    await waitFor(ready(stack, LIVING), "the Living Room");
    sim.oauth.revokeRefreshTokens();
    sim.oauth.expireAllTokens();
    sim.broker.enforceExpiry();
    await waitFor(() => stack!.players.cloud.state === "waiting_for_account", "the client to park");
    const attempts = sim.broker.attempts.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sim.broker.attempts.length).toBe(attempts);
    expect(stack.account.status()).toMatchObject({state: "needs_relink"});
    expect(stack.lines.filter((l) => l.includes("needs re-linking"))).toHaveLength(1);
  });

  it("parses captured, partial and malformed payloads without throwing", async () => {
    sim = await startSimulator();
    stack = await linkedCloud(sim);
    await waitFor(ready(stack, LIVING), "the Living Room");
    const topic = `device/${LIVING}`;
    for (const bad of JSON.parse(await readFile(path.join(FIXTURES, "malformed.json"), "utf8")) as unknown[])
      for (const suffix of ["data/events", "data/status", "presence", "response"])
        sim.broker.publish(`${topic}/${suffix}`, JSON.stringify(bad));
    sim.broker.publish(`${topic}/data/events`, "{not json");
    sim.broker.publish(
      `${topic}/events`,
      JSON.parse(await readFile(path.join(FIXTURES, "events-strings.json"), "utf8")),
    );
    sim.broker.publish(
      `${topic}/status`,
      JSON.parse(await readFile(path.join(FIXTURES, "status-full-v3.json"), "utf8")),
    );
    await waitFor(() => stack!.players.get(LIVING).sleepTimer.secondsRemaining === 600, "the string-typed events");
    const p = stack.players.get(LIVING);
    expect(p.volume.level).toBe(6);
    // Streaming turned on makes the model ask the player for its status, and the simulator's own
    // answer (nothing in the slot) may already have stopped the playback the junk said was paused.
    expect(p.playback).toMatchObject({position: 12, streaming: true});
    expect(p.temperature).toBeTypeOf("number");
    expect(stack.players.stats.malformed).toBeGreaterThanOrEqual(5);
    expect(
      stack.lines.filter((l) => l.includes("Ignored a events message from 'Living Room' because it is not JSON")),
    ).toHaveLength(1);
    sim.player(LIVING).turnKnob(-4); // 8 → 4 on the player (the injected fixture said 6)
    await waitFor(() => stack!.players.get(LIVING).volume.level === 4, "a valid event after the junk");
  });

  it("keeps a player offline when an older retained 'online' arrives after its live 'offline'", async () => {
    sim = await startSimulator();
    stack = await linkedCloud(sim);
    await waitFor(ready(stack, MINI), "the Bedroom Mini");
    sim.player(MINI).setOnline(false);
    await waitFor(() => !stack!.players.get(MINI).online, "the Mini offline");
    // What a subscription's retained presence looks like when it comes after a newer live one.
    sim.broker.publish(`device/${MINI}/presence`, JSON.stringify({state: "online", ts: Date.now() - 60_000}));
    await waitFor(() => stack!.players.stats.stalePresence === 1, "the older presence");
    expect(stack.players.get(MINI).online).toBe(false);
    // A newer one still counts.
    sim.player(MINI).setOnline(true);
    await waitFor(() => stack!.players.get(MINI).online, "the Mini back");
  });

  it("picks up a player added to the account later, and survives 5xx on the device list", async () => {
    sim = await startSimulator();
    stack = await linkedCloud(sim, {deviceRefreshMs: 200});
    await waitFor(ready(stack, LIVING), "the Living Room");
    const added: string[] = [];
    stack.bus.on({}, "player.added", ({player}) => {
      added.push(player.name);
    });
    sim.addPlayer({deviceId: "y9newplayer0000000000000", name: "Kitchen", deviceType: "v3", deviceFamily: "v3"});
    await fetch(`${sim.url}/sim/faults`, {method: "POST", body: JSON.stringify({fail5xx: 2})});
    await waitFor(ready(stack, "y9newplayer0000000000000"), "the new player's state", 8000);
    expect(added).toEqual(["Kitchen"]);
    expect(sim.broker.refusals).toEqual([]);
  });
});
