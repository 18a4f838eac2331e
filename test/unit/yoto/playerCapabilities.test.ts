import {describe, expect, it} from "vitest";
import {capabilitiesOf} from "../../../src/yoto/capabilities.js";
import {toWire} from "../../../src/yoto/commandWire.js";
import {newPlayer} from "../../../src/yoto/playerModel.js";

const player = (deviceFamily: string, deviceType = deviceFamily) =>
  newPlayer({deviceId: "y2P3y0gSbIMTq5Mux4vhI-XE", name: "Den", deviceFamily, deviceType, online: true});
const noCards = async () => {
  throw new Error("no card is read for an ambient colour");
};

describe("player capabilities by family", () => {
  it("follows the family table: only the v3 has a light sensor, only the Mini lacks a ring", () => {
    expect(capabilitiesOf("v1")).toMatchObject({lightRing: true, ambientLightSensor: false});
    expect(capabilitiesOf("v2")).toMatchObject({lightRing: true, ambientLightSensor: false});
    expect(capabilitiesOf("v3")).toMatchObject({lightRing: true, ambientLightSensor: true});
    expect(capabilitiesOf("mini")).toMatchObject({lightRing: false, ambientLightSensor: false});
  });

  it("gives a family it has never seen the 2nd generation's set, without changing the name", () => {
    for (const family of ["v4", "minie", "", "constructor", "__proto__"])
      expect(capabilitiesOf(family)).toEqual(capabilitiesOf("v2"));
    expect(player("v4", "v4e")).toMatchObject({family: "v4", type: "v4e"});
  });

  it("sends an ambient colour to any family with a ring, a new one too, and refuses the Mini", async () => {
    for (const family of ["v1", "v2", "v3", "v4"])
      await expect(toWire(player(family), {command: "ambient", color: "#ff8800"}, noCards)).resolves.toEqual({
        topic: "ambients/set",
        payload: {r: 255, g: 136, b: 0},
      });
    await expect(toWire(player("mini", "minie"), {command: "ambient", color: "#ff8800"}, noCards)).rejects.toThrow(
      "'Den' is a Yoto Mini, which has no light ring for an ambient colour",
    );
  });
});
