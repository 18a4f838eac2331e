import {describe, expect, it} from "vitest";
import {playerDiscovery} from "../../../src/bridge/discovery.js";
import {playerStateJson} from "../../../src/bridge/playerState.js";
import {BridgeTopics} from "../../../src/bridge/topics.js";
import {decodeUtf8} from "../../../src/yoto/coerce.js";
import {usableDevice} from "../../../src/yoto/deviceList.js";
import {newPlayer} from "../../../src/yoto/playerModel.js";
import {deviceSubscriptions, isDeviceId, parseInbound} from "../../../src/yoto/topics.js";
import {discoveryProblems} from "../../helpers/discoverySchema.js";

const DASHED = "y2P3y0gSbIMTq5Mux4vhI-XE";
/** Home Assistant's rule for the node and object ids in a discovery topic. */
const HA_OBJECT_ID = /^[a-zA-Z0-9_-]+$/;

describe("device ids as Yoto really issues them", () => {
  it("parses topics of ids with '-' and '_', and nothing that could be a wildcard or another level", () => {
    expect(parseInbound(`device/${DASHED}/data/events`)).toEqual({deviceId: DASHED, kind: "events"});
    expect(parseInbound("device/y_under_score/status/full")).toEqual({deviceId: "y_under_score", kind: "statusFull"});
    for (const topic of ["device/+/data/events", "device/#/status", "device/a b/status", "device//status"])
      expect(parseInbound(topic)).toBeUndefined();
    expect(deviceSubscriptions(DASHED)).toContain(`device/${DASHED}/data/events`);
    expect([DASHED, "y_1", "a".repeat(64)].every(isDeviceId)).toBe(true);
    expect(["", "a".repeat(65), "y+1", "y#", "y/1", "y 1", "yé", 42, null].some(isDeviceId)).toBe(false);
  });

  it("keeps a device list entry as reported, and refuses an id that could not be subscribed to", () => {
    expect(
      usableDevice({deviceId: DASHED, name: "Attic", online: true, deviceType: "v4e", deviceFamily: "v4"}),
    ).toEqual({device: {deviceId: DASHED, name: "Attic", online: true, deviceType: "v4e", deviceFamily: "v4"}});
    expect(usableDevice({deviceId: "y1", name: "", online: "yes"})).toEqual({
      device: {deviceId: "y1", name: "Yoto Player", online: false, deviceType: "unknown", deviceFamily: "unknown"},
    });
    expect(usableDevice({deviceId: "device/+/x", name: "Odd"})).toEqual({
      skipped:
        "Skipped a player in Yoto's device list: its id \"device/+/x\" is not 1 to 64 letters, digits, '-' or '_', so its messages could not be subscribed to",
    });
    expect(usableDevice(null)).toEqual({
      skipped:
        "Skipped a player in Yoto's device list: its id null is not 1 to 64 letters, digits, '-' or '_', so its messages could not be subscribed to",
    });
  });

  it("gives Home Assistant valid, distinct ids and topics for a dashed id", () => {
    const topics = new BridgeTopics("yoto", "homeassistant");
    const player = newPlayer({deviceId: DASHED, name: "Attic", deviceFamily: "v3", deviceType: "v3e", online: true});
    const twin = newPlayer({
      deviceId: DASHED.replace("-", "_"),
      name: "Attic",
      deviceFamily: "v3",
      deviceType: "v3e",
      online: true,
    });
    const discovery = playerDiscovery(player, {topics, version: "test"});
    expect(discoveryProblems(discovery)).toEqual([]);
    const objectId = topics.playerObjectId(DASHED);
    expect(objectId).toMatch(HA_OBJECT_ID);
    expect(topics.discovery(objectId)).toBe(`homeassistant/device/yoto_${DASHED}_yoto/config`);
    expect(objectId).not.toBe(topics.playerObjectId(twin.id));
    const components = Object.values(discovery.components as Record<string, {unique_id?: string}>);
    const uniqueIds = components.map((c) => c.unique_id).filter(Boolean);
    expect(uniqueIds).toContain(`yoto_${DASHED}_battery_yoto`);
    const twinIds = Object.values(
      playerDiscovery(twin, {topics, version: "test"}).components as Record<string, {unique_id?: string}>,
    ).map((c) => c.unique_id);
    expect(uniqueIds.filter((id) => twinIds.includes(id))).toEqual([]);
    expect(topics.parseSet(`yoto/${DASHED}/set/volume`)).toEqual({player: DASHED, attribute: "volume"});
    expect(playerStateJson(player)).toMatchObject({id: DASHED});
  });
});

describe("payload bytes", () => {
  it("says whether a payload was UTF-8 and reads it either way", () => {
    expect(decodeUtf8(Buffer.from('{"t":"caf\u00e9"}'))).toEqual({text: '{"t":"caf\u00e9"}', valid: true});
    expect(decodeUtf8(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))).toEqual({text: '{"\uFFFD"}', valid: false});
    // A byte order mark is no part of the JSON.
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toEqual({text: "{}", valid: true});
  });
});
