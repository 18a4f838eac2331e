import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {
  applyEvents,
  applyPresence,
  applyStatus,
  newPlayer,
  type PlayerState,
  snapVolumePercent,
} from "../../src/yoto/playerModel.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "fixtures", "yoto", `${name}.json`), "utf8"));
const AT = new Date("2026-11-21T09:00:00Z");
const player = (): PlayerState =>
  newPlayer({deviceId: "y123", name: "Living Room", deviceFamily: "v3", deviceType: "v3", online: false});

describe("normalised player model", () => {
  it("reads the idle snapshot a player sends after events/request", () => {
    const p = applyEvents(player(), fixture("events-idle"), AT);
    expect(p).toMatchObject({
      online: true,
      playback: {status: "stopped", cardId: null, streaming: false},
      volume: {level: 8, max: 16, percent: 50},
      sleepTimer: {active: false},
      lastSeen: "2026-11-21T09:00:00.000Z",
    });
  });

  it("merges partial events, keeping what they leave out", () => {
    let p = applyEvents(player(), fixture("events-playing"), AT);
    expect(p.playback).toEqual({
      status: "playing",
      cardId: "7JtVV",
      chapterKey: "03",
      chapterTitle: "Snow Angels",
      trackKey: "03",
      trackTitle: "Snow Angels",
      position: 94,
      trackLength: 315,
      source: "remote",
      streaming: false,
    });
    p = applyEvents(p, fixture("events-volume"), AT);
    expect(p.volume).toEqual({level: 11, max: 16, percent: 69});
    expect(p.playback.trackTitle).toBe("Snow Angels");
    // Stop: the card goes to "none" but chapter and track stay as the device left them.
    p = applyEvents(p, {cardId: "none", playbackStatus: "stopped", eventUtc: 1}, AT);
    expect(p.playback).toMatchObject({status: "stopped", cardId: null, chapterKey: "03", trackKey: "03"});
  });

  it("accepts numbers and booleans sent as strings or 0/1", () => {
    const p = applyEvents(player(), fixture("events-strings"), AT);
    expect(p).toMatchObject({
      playback: {status: "paused", position: 12, streaming: true},
      volume: {level: 6, max: 16, percent: 38},
      sleepTimer: {active: true, secondsRemaining: 600},
    });
  });

  it("reads compact and full status, wrapped, with the quirks of each family", () => {
    const mini = applyStatus(player(), fixture("status-compact"), AT);
    expect(mini).toMatchObject({
      battery: 62,
      charging: true,
      ambientLight: 0,
      headphones: false,
      firmware: "v2.23.2",
      nightlight: "off",
      dayMode: "day",
    });
    expect(mini.temperature).toBeUndefined(); // "0:0:0": no sensor
    expect(mini.volume).toEqual({level: 8, percent: 50});
    const v3 = applyStatus(player(), fixture("status-full-v3"), AT);
    expect(v3).toMatchObject({
      battery: 87,
      charging: false,
      ambientLight: 42,
      wifiDbm: -52,
      powerSource: "usb-c",
      temperature: 18,
      batteryTemperature: 24,
      nightlight: "0x194a55",
      dayMode: "night",
    });
  });

  it("takes a shutdown status or an offline presence as offline", () => {
    const on = applyPresence(player(), {state: "online", ts: 1}, AT);
    expect(on.online).toBe(true);
    expect(applyStatus(on, fixture("status-shutdown"), AT).online).toBe(false);
    expect(applyPresence(on, {state: "offline", ts: 2}, AT).online).toBe(false);
    expect(applyPresence(on, {state: "sleepy"}, AT)).toBe(on);
  });

  it("never throws on malformed payloads and keeps the last good values", () => {
    let p = applyEvents(player(), fixture("events-playing"), AT);
    for (const junk of fixture("malformed") as unknown[]) {
      p = applyEvents(p, junk, AT);
      p = applyStatus(p, junk, AT);
      p = applyPresence(p, junk, AT);
    }
    expect(p.volume).toEqual({level: 5, max: 8, percent: 31});
    expect(p.playback).toMatchObject({status: "unknown", cardId: "7JtVV", trackKey: "03"});
    expect(p.powerSource).toBeUndefined();
  });

  it("snaps volume percentages to the 17 hardware steps and the current cap", () => {
    expect(snapVolumePercent(0)).toBe(0);
    expect(snapVolumePercent(33)).toBe(32);
    expect(snapVolumePercent(66)).toBe(69);
    expect(snapVolumePercent(100)).toBe(100);
    expect(snapVolumePercent(100, 8)).toBe(50);
    expect(snapVolumePercent(140)).toBe(100);
  });
});
