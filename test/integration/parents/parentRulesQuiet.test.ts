import path from "node:path";
import {afterEach, describe, expect, it, vi} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import type {QuietPeriod} from "../../../src/parents/quietHours.js";
import {Store} from "../../../src/store/store.js";
import {
  fakeTime,
  MINI,
  type ParentStack,
  startParentStack,
  startQuiet,
  tick,
  until,
} from "../../helpers/parentRulesStack.js";

let stack: ParentStack | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await stack?.stop();
  stack = undefined;
});

const MINUTE = 60_000;

/** The London wall clock ("HH:MM") at `at`; rules run in Europe/London in these tests. */
const london = (at: number) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);

/** A minute boundary `minutes` ahead of the (fake) clock, and how a rule writes it. */
function ahead(minutes: number): {at: number; clock: string} {
  const at = Math.ceil((Date.now() + minutes * MINUTE) / MINUTE) * MINUTE;
  return {at, clock: london(at)};
}

const quietRule = (id: string, clock: string) => `
- id: ${id}
  triggers: [{trigger: mqtt, topic: home/${id}}]
  actions:
    - action: player.quiet
      player: Bedroom Mini
      until: "${clock}"
`;

/** The max volumes as the simulated cloud holds the Mini's config (what the player obeys). */
const maxVolumes = () => {
  const config = stack!.sim.player(MINI).config as Record<string, unknown>;
  return [config.maxVolumeLimit, config.nightMaxVolumeLimit];
};

/** What is saved for restoring, read through a second connection to the database file. */
async function saved(): Promise<Array<[string, QuietPeriod]>> {
  const reader = new Store(stack!.quietDir, new Logger({sink: () => {}}));
  await reader.start();
  try {
    return await reader.entries<QuietPeriod>("quiet_hours");
  } finally {
    await reader.stop();
  }
}

/**
 * The Mini playing with max volumes 12 (day) and 9 (night), fake time from then on, and rules that
 * quiet it until 10 and 30 minutes from now.
 */
async function quietStack() {
  const times: {soon?: ReturnType<typeof ahead>; later?: ReturnType<typeof ahead>} = {};
  stack = await startParentStack(
    () => ({"r.yaml": quietRule("quiet_soon", times.soon!.clock) + quietRule("quiet_later", times.later!.clock)}),
    {
      prepare: async (s) => {
        await s.cloud.players.command(MINI, {command: "settings", settings: {dayMaxVolume: 12, nightMaxVolume: 9}});
        s.sim.player(MINI).insertCard("long");
        await until(() => s.cloud.players.get(MINI).playback.status === "playing", "the story to play");
        fakeTime();
        times.soon = ahead(10);
        times.later = ahead(30);
      },
    },
  );
  return {soon: times.soon!, later: times.later!};
}

describe("player.quiet with a simulated player, a real store and fake time", () => {
  it("pauses and sets max volume 0 until the time, saved before it answers, then puts the volumes back", async () => {
    const {soon} = await quietStack();
    const trace = await stack!.engine.engine.run("quiet_soon");
    expect(trace?.result).toBe("completed");
    expect(maxVolumes()).toEqual(["0", "0"]);
    await until(() => stack!.cloud.players.get(MINI).playback.status === "paused", "the Mini to pause");
    expect(await saved()).toEqual([
      [
        MINI,
        // The volume it had (8) is what it gets back: max volume 0 pulls the volume itself to 0.
        {
          playerId: MINI,
          player: "Bedroom Mini",
          until: soon.at,
          restore: {dayMaxVolume: 12, nightMaxVolume: 9},
          before: 8,
          volume: 8,
        },
      ],
    ]);
    expect(stack!.cloud.players.get(MINI).volume.level).toBe(0);

    await tick(soon.at - Date.now() - 1000);
    expect(maxVolumes()).toEqual(["0", "0"]);
    await tick(1000);
    await until(() => maxVolumes()[0] === "12", "the max volumes to come back");
    expect(maxVolumes()).toEqual(["12", "9"]);
    await until(() => stack!.quietLines.some((l) => l.includes("Quiet hours over")), "the log line");
    expect(stack!.quietLines.find((l) => l.includes("Quiet hours over"))).toContain(
      "Quiet hours over on 'Bedroom Mini': max volume back to day 12, night 9, volume 8",
    );
    // Never left at 0: a child pressing play in the morning hears something.
    await until(() => stack!.cloud.players.get(MINI).volume.level === 8, "the volume to come back");
    await until(async () => (await saved()).length === 0, "the saved restore to be forgotten");
  }, 30_000);

  it("brings a player that was at volume 0 when quiet began back at the morning volume, not 0", async () => {
    const {soon} = await quietStack();
    stack!.sim.player(MINI).turnKnob(-16);
    await until(() => stack!.cloud.players.get(MINI).volume.level === 0, "the volume at 0");
    await stack!.engine.engine.run("quiet_soon");
    expect((await saved())[0]?.[1]).toMatchObject({before: 0, volume: 5});
    await tick(soon.at - Date.now());
    await until(() => stack!.quietLines.some((l) => l.includes("Quiet hours over")), "the log line");
    expect(stack!.quietLines.find((l) => l.includes("Quiet hours over"))).toContain(
      "Quiet hours over on 'Bedroom Mini': max volume back to day 12, night 9, volume 5",
    );
    await until(() => stack!.cloud.players.get(MINI).volume.level === 5, "the morning volume");
  }, 30_000);

  it("leaves the player alone when the restore cannot be saved, and says why", async () => {
    await quietStack();
    // The database goes away under the service (as with a full or failing disk).
    await stack!.quietStore.stop();
    const trace = await stack!.engine.engine.run("quiet_soon");
    expect([trace?.result, trace?.error]).toEqual([
      "error",
      `Could not save the state database '${path.join(stack!.quietDir, "state.sqlite")}' (SQLITE_MISUSE: Database is closed)`,
    ]);
    expect(maxVolumes()).toEqual(["12", "9"]);
    expect(stack!.cloud.players.get(MINI).playback.status).toBe("playing");
  }, 30_000);

  it("again while quiet moves the end and keeps the volumes from before the first", async () => {
    const {soon, later} = await quietStack();
    expect((await stack!.engine.engine.run("quiet_soon"))?.result).toBe("completed");
    expect((await stack!.engine.engine.run("quiet_later"))?.result).toBe("completed");
    expect((await saved()).map(([, p]) => [p.until, p.restore])).toEqual([
      [later.at, {dayMaxVolume: 12, nightMaxVolume: 9}],
    ]);
    await tick(soon.at - Date.now() + 5000);
    expect(maxVolumes()).toEqual(["0", "0"]);
    await tick(later.at - Date.now());
    await until(() => maxVolumes()[0] === "12", "the max volumes to come back at the later end");
    expect(maxVolumes()).toEqual(["12", "9"]);
  }, 30_000);

  it("restores an overdue end when the service starts again", async () => {
    const {soon} = await quietStack();
    expect((await stack!.engine.engine.run("quiet_soon"))?.result).toBe("completed");
    // The service stops (an add-on update) and is down when quiet hours end.
    await stack!.quiet.stop();
    await stack!.quietStore.stop();
    await tick(soon.at - Date.now() + 5 * MINUTE);
    expect(maxVolumes()).toEqual(["0", "0"]);
    const restarted = await startQuiet(stack!.quietDir, stack!.cloud, stack!.quietLines);
    stack!.quiet = restarted.quiet;
    stack!.quietStore = restarted.store;
    await until(() => maxVolumes()[0] === "12", "the restore on start");
    expect(maxVolumes()).toEqual(["12", "9"]);
    await until(async () => (await saved()).length === 0, "the saved restore to be forgotten");
  }, 30_000);

  it("waits for a player that is offline at the end, and restores it when it is back", async () => {
    const {soon} = await quietStack();
    expect((await stack!.engine.engine.run("quiet_soon"))?.result).toBe("completed");
    stack!.sim.player(MINI).setOnline(false);
    await until(() => !stack!.cloud.players.get(MINI).online, "the Mini to go offline");
    await tick(soon.at - Date.now() + 2 * MINUTE);
    expect(maxVolumes()).toEqual(["0", "0"]);
    expect(stack!.quietLines.filter((l) => l.includes("not undone yet")).map((l) => l.split("] ").pop())).toEqual([
      "WARNING: Quiet hours on 'Bedroom Mini' are over but not undone yet: the player is offline; it is done when it comes back",
    ]);
    expect(stack!.quiet.health()).toMatchObject({
      degraded: true,
      error: "Quiet hours not yet undone: Bedroom Mini: the player is offline; it is done when it comes back",
    });
    stack!.sim.player(MINI).setOnline(true);
    await until(() => maxVolumes()[0] === "12", "the restore once the Mini is back");
    expect(maxVolumes()).toEqual(["12", "9"]);
    await until(() => stack!.quiet.health().degraded === undefined, "health to clear");
    expect(stack!.quiet.health()).toEqual({details: {quietPlayers: 0}});
  }, 30_000);
});
