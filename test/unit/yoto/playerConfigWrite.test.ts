import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {PlayerConfigs} from "../../../src/yoto/playerConfigs.js";
import {newPlayer, type PlayerState} from "../../../src/yoto/playerModel.js";
import {type DeviceConfig, YotoRest} from "../../../src/yoto/rest.js";
import {parseSettingsPatch} from "../../../src/yoto/settings.js";

const ID = "y123";

/**
 * Yoto's config endpoint as it behaves (reference §10.15): GET answers the block, PUT replaces
 * it whole, and whatever the PUT leaves out goes back to the firmware's default.
 */
class FakeYoto extends YotoRest {
  config: DeviceConfig = {
    bluetoothEnabled: "1",
    headphonesVolumeLimited: true,
    maxVolumeLimit: "12",
    nightMaxVolumeLimit: "4",
    ambientColour: "#102030",
    dayTime: "06:45",
    locale: "fr",
    alarms: ["1111100,07:15,4OD25,,,8,1"],
  };
  readonly puts: DeviceConfig[] = [];

  constructor() {
    super({
      apiUrl: "http://yoto.invalid",
      tokens: {accessToken: async () => "token", invalidate: () => undefined},
      log: new Logger({level: "error", sink: () => undefined}),
    });
  }

  override async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    expect(path).toBe(`/device-v2/${ID}/config`);
    if (method === "GET") return {device: {deviceId: ID, config: structuredClone(this.config)}} as T;
    const written = (body as {config: DeviceConfig}).config;
    this.puts.push(written);
    this.config = {bluetoothEnabled: "1", headphonesVolumeLimited: true, locale: "en", ...written};
    return {status: "ok"} as T;
  }
}

function configs(yoto: FakeYoto) {
  let player: PlayerState = newPlayer({
    deviceId: ID,
    name: "Living Room",
    deviceFamily: "v3",
    deviceType: "v3",
    online: true,
  });
  const store = new PlayerConfigs({
    rest: yoto,
    current: () => player,
    commit: (_previous, next) => {
      player = next;
    },
    warnOnce: () => undefined,
    forgetWarning: () => undefined,
  });
  return {store, player: () => player};
}

describe("writing the Bluetooth and headphone-limit settings", () => {
  it("reads Yoto's block, changes only those keys, and writes every other key back as it was", async () => {
    const yoto = new FakeYoto();
    const {store, player} = configs(yoto);
    const before = structuredClone(yoto.config);

    const changes = await store.update(player(), parseSettingsPatch({bluetooth: "OFF"}));
    expect(changes).toEqual({bluetoothEnabled: "0"});
    expect(yoto.config).toEqual({...before, bluetoothEnabled: "0"});
    expect(player().settings).toMatchObject({bluetooth: false, headphonesLimited: true, dayMaxVolume: 12});

    await store.update(player(), parseSettingsPatch({headphones_volume_limited: false}));
    expect(yoto.config).toEqual({...before, bluetoothEnabled: "0", headphonesVolumeLimited: false});
    expect(player().settings).toMatchObject({bluetooth: false, headphonesLimited: false});

    // Each PUT carried the whole block: nothing fell back to the firmware's default ("en").
    expect(yoto.puts.map((c) => Object.keys(c).sort())).toEqual([
      Object.keys(before).sort(),
      Object.keys(before).sort(),
    ]);
    expect(yoto.config.locale).toBe("fr");
  });

  it("turns Bluetooth back on as the text Yoto keeps, never a boolean", async () => {
    const yoto = new FakeYoto();
    yoto.config.bluetoothEnabled = "0";
    const {store, player} = configs(yoto);
    await store.update(player(), parseSettingsPatch({bluetooth: true, headphones_volume_limited: "ON"}));
    expect(yoto.puts[0]).toMatchObject({bluetoothEnabled: "1", headphonesVolumeLimited: true, locale: "fr"});
  });
});
