import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {
  applyEvents,
  applyPresence,
  applyShadow,
  applyStatus,
  newPlayer,
  type PlayerState,
  snapVolumePercent,
} from "../../../src/yoto/playerModel.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "..", "fixtures", "yoto", `${name}.json`), "utf8"));
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
      lastCardId: "7JtVV",
    });
    p = applyEvents(p, fixture("events-volume"), AT);
    expect(p.volume).toEqual({level: 11, max: 16, percent: 69});
    expect(p.playback.trackTitle).toBe("Snow Angels");
    // Stop: the card goes to "none" but chapter and track stay as the device left them.
    p = applyEvents(p, {cardId: "none", playbackStatus: "stopped", eventUtc: 1}, AT);
    expect(p.playback).toMatchObject({
      status: "stopped",
      cardId: null,
      chapterKey: "03",
      trackKey: "03",
      lastCardId: "7JtVV",
    });
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
      nightlight: "0x194a55",
      dayMode: "night",
    });
    // The battery's temperature comes only from `batteryTemp`, never from `temp`'s first part.
    expect(v3.batteryTemperature).toBeUndefined();
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
    expect(p.volume).toEqual({level: 5, max: 8, percent: 32});
    expect(p.playback).toMatchObject({status: "unknown", cardId: "7JtVV", trackKey: "03"});
    // powerSrc 9 is a value nobody documented: kept as "unknown", not dropped.
    expect(p.powerSource).toBe("unknown");
  });

  it("snaps volume percentages to the 17 hardware steps and the current cap", () => {
    expect(snapVolumePercent(0)).toBe(0);
    expect(snapVolumePercent(33)).toBe(32);
    expect(snapVolumePercent(66)).toBe(69);
    expect(snapVolumePercent(100)).toBe(100);
    expect(snapVolumePercent(100, 8)).toBe(50);
    expect(snapVolumePercent(140)).toBe(100);
  });

  it("reads battery temperature from batteryTemp and room temperature from temp's second part", () => {
    const full = applyStatus(player(), fixture("real-status-full-v3-poweron"), AT);
    expect(full).toMatchObject({temperature: 22, batteryTemperature: 24, ambientLight: 204});
    const partial = applyStatus(full, fixture("real-status-partial-v3"), AT);
    expect(partial).toMatchObject({
      battery: 71,
      batteryTemperature: 27,
      temperature: 22, // the partial has no `temp`: the last reading stays
      ambientLight: 131,
      nightlight: "0x3a1f6b",
    });
  });

  it("reads 'notSupported', null and 0 temperatures as unknown, never as 0", () => {
    const known = applyStatus(player(), fixture("real-status-full-v3-poweron"), AT);
    const unsupported = applyStatus(known, fixture("real-status-unsupported"), AT);
    expect(unsupported.temperature).toBeUndefined();
    expect(unsupported.batteryTemperature).toBeUndefined();
    // The other nulls are nothing reported: the last values stay.
    expect(unsupported).toMatchObject({battery: 93, powerSource: "usb-c", nightlight: "off", charging: true});
    const mini = applyStatus(player(), fixture("real-status-mini-charging"), AT);
    expect(mini.temperature).toBeUndefined();
    expect(mini.batteryTemperature).toBeUndefined();
    for (const temp of ["notSupported", null, "", "0:0", "0:0:0", 0, "0"])
      expect(applyStatus(known, {status: {temp}}, AT).temperature).toBeUndefined();
    for (const batteryTemp of ["notSupported", null, "", 0, "0"])
      expect(applyStatus(known, {status: {batteryTemp}}, AT).batteryTemperature).toBeUndefined();
    expect(applyStatus(player(), {status: {temp: "25"}}, AT).temperature).toBe(25);
    expect(applyStatus(player(), {status: {temp: "0:24", batteryTemp: "26"}}, AT)).toMatchObject({
      temperature: 24,
      batteryTemperature: 26,
    });
  });

  it("keeps a power source it does not know as 'unknown' (a charging Mini reports 5)", () => {
    const mini = applyStatus(player(), fixture("real-status-mini-charging"), AT);
    expect(mini).toMatchObject({powerSource: "unknown", charging: true, battery: 58});
    for (const [powerSrc, expected] of [
      [0, "battery"],
      [1, "dock"],
      ["2", "usb-c"],
      [3, "qi"],
      [4, "unknown"],
      [-1, "unknown"],
      [1.5, "unknown"],
      ["mains", "unknown"],
    ] as const)
      expect(applyStatus(player(), {status: {powerSrc}}, AT).powerSource).toBe(expected);
    // Nothing reported, or not a value at all: what was known stays.
    expect(applyStatus(mini, {status: {powerSrc: null}}, AT).powerSource).toBe("unknown");
    expect(applyStatus(mini, {status: {powerSrc: {}}}, AT).powerSource).toBe("unknown");
  });

  it("brings a player back online on a running status, right after power-on too", () => {
    const off = applyStatus(applyPresence(player(), {state: "online"}, AT), fixture("status-shutdown"), AT);
    expect(off.online).toBe(false);
    const up = applyStatus(off, fixture("real-status-full-v3-poweron"), AT);
    expect(up.online).toBe(true);
    // A legacy 5-minute partial comes only from a player that is up.
    expect(applyStatus(off, fixture("real-status-partial-v3"), AT).online).toBe(true);
  });

  it("takes 'no card active, none inserted' as stopped, even after a missed stop event", () => {
    const playing = applyEvents(player(), fixture("events-playing"), AT);
    const p = applyStatus(playing, fixture("real-status-full-v3-poweron"), AT);
    expect(p.playback).toMatchObject({status: "stopped", cardId: null});
    // A card the events already told us about is not replaced by status' activeCard.
    const other = applyStatus(playing, {status: {activeCard: "zz999", cardInserted: 1}}, AT);
    expect(other.playback).toMatchObject({status: "playing", cardId: "7JtVV"});
    // activeCard "none" while something streams (cardInserted 3) is no stop.
    expect(applyStatus(playing, {status: {activeCard: "none", cardInserted: 3}}, AT).playback.status).toBe("playing");
  });

  it("reads what holds the card slot, and guesses nothing for a value Yoto has not shown", () => {
    const known = applyStatus(player(), {status: {cardInserted: 1}}, AT);
    const slot = (cardInserted: unknown) => applyStatus(known, {status: {cardInserted}}, AT).cardInsertion;
    expect([0, 1, 2, 3, "2"].map(slot)).toEqual(["none", "physical", "remote", "streaming", "remote"]);
    // A value Yoto has not shown forgets the last one rather than leave it standing.
    for (const cardInserted of [7, 4, -1, 1.5, "x", true]) {
      const p = applyStatus(known, {status: {cardInserted}}, AT);
      expect(p.cardInsertion, String(cardInserted)).toBeUndefined();
      expect(Object.hasOwn(p, "cardInsertion"), String(cardInserted)).toBe(false);
    }
    // A later status without the field, or with null (never reported), keeps what the last one said.
    expect(applyStatus(known, {status: {batteryLevel: 50}}, AT).cardInsertion).toBe("physical");
    expect(applyStatus(known, {status: {cardInserted: null}}, AT).cardInsertion).toBe("physical");
    // From every shape of status: compact, full and the offline shadow.
    expect(applyStatus(player(), fixture("status-compact"), AT).cardInsertion).toBe("none");
    expect(applyStatus(player(), fixture("real-status-full-v3-poweron"), AT).cardInsertion).toBe("none");
    expect(applyShadow(player(), {cardInserted: 2}).cardInsertion).toBe("remote");
  });

  it("reads the firmware from compact and full status and from the shadow, and keeps it when a status leaves it out", () => {
    expect(applyStatus(player(), fixture("status-compact"), AT).firmware).toBe("v2.23.2");
    const full = applyStatus(player(), fixture("real-status-full-v3-poweron"), AT);
    expect(full.firmware).toBe("v2.22.5");
    expect(applyStatus(full, fixture("real-status-partial-v3"), AT).firmware).toBe("v2.22.5");
    expect(applyStatus(full, {status: {fwVersion: "v2.23.2"}}, AT).firmware).toBe("v2.23.2");
    expect(applyShadow(player(), {fwVersion: "v2.22.5"}).firmware).toBe("v2.22.5");
    // The shadow is older than anything live: it never replaces a firmware a status gave.
    expect(applyShadow(full, {fwVersion: "v2.17.5"}).firmware).toBe("v2.22.5");
  });

  it("keeps unknown device types, families and playing sources as reported", () => {
    const p = newPlayer({deviceId: "y4", name: "Den", deviceFamily: "v4", deviceType: "v4e", online: true});
    expect(p).toMatchObject({family: "v4", type: "v4e"});
    const e = applyEvents(p, {playbackStatus: "rewinding", source: "radio-live", cardId: "abcde"}, AT);
    expect(e.playback).toMatchObject({status: "unknown", source: "radio-live", cardId: "abcde"});
  });

  it("fills an offline player's gaps from the config shadow, whose nulls change nothing", () => {
    const config = fixture("real-config-offline") as {device: {status: unknown}};
    const offline = newPlayer({
      deviceId: "y2P3y0gSbIMTq5Mux4vhI-XE",
      name: "Attic",
      deviceFamily: "v3",
      deviceType: "v3e",
      online: false,
    });
    const p = applyShadow(offline, config.device.status);
    expect(p).toMatchObject({
      online: false,
      battery: 38,
      charging: false,
      powerSource: "battery",
      temperature: 19,
      nightlight: "0x194a55",
      ambientLight: 87,
      firmware: "v2.22.5",
      dayMode: "night",
      playback: {status: "unknown", cardId: "k9Rt2"},
      lastSeen: "2026-11-20T21:14:03.118Z",
    });
    expect(p.batteryTemperature).toBeUndefined(); // null in the shadow: never reported
    // What the live model knows wins: the shadow is older than any live message.
    const live = applyStatus(
      applyEvents(offline, fixture("events-idle"), AT),
      fixture("real-status-mini-charging"),
      AT,
    );
    const merged = applyShadow(live, config.device.status);
    expect(merged).toMatchObject({battery: 58, powerSource: "unknown", online: true, lastSeen: AT.toISOString()});
    expect(merged.playback).toMatchObject({status: "stopped", cardId: null});
    for (const junk of [null, "text", [], 42]) expect(applyShadow(offline, junk)).toBe(offline);
  });
});
