import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {simulatedApp} from "../../../bench/cloud.js";
import {startApp} from "../../helpers/app.js";
import {until} from "../../helpers/icecast.js";
import {tempDir} from "../../helpers/tmp.js";
import {recordUdpSends, type UdpSend} from "../../helpers/udpSends.js";

const MULTICAST = "239.255.255.250";

let recorder: {restore(): void} | undefined;
afterEach(() => {
  recorder?.restore();
  recorder = undefined;
});

/** Every datagram this process sends from now on (a multicast one is noted, never sent). */
function record(): UdpSend[] {
  const sends: UdpSend[] = [];
  recorder = recordUdpSends((send) => sends.push(send));
  return sends;
}

const searched = (sends: UdpSend[]) => sends.some((s) => s.port === 1900);

describe("where media server discovery searches", () => {
  it("searches this machine only in an App as the tests build it: nothing to the multicast group", async () => {
    const sends = record();
    const t = await startApp(["--media_discovery", "true"]);
    await until(async () => searched(sends), "an SSDP search", 10_000);
    await t.stop();
    expect(sends.filter((s) => s.port === 1900)).toEqual([{address: "127.0.0.1", port: 1900}]);
    expect(sends.filter((s) => s.address === MULTICAST)).toEqual([]);
    expect(
      t.logs.some((l) => l.includes("Looking for media servers on this machine only (SSDP to 127.0.0.1:1900)")),
    ).toBe(true);
  });

  it("searches this machine only in the benchmarks' App (discovery on, as bench sections run it)", async () => {
    const sends = record();
    const root = await tempDir();
    const bench = await simulatedApp({root, mediaDirs: [path.join(root, "media")]});
    try {
      expect(bench.app.config.media_discovery).toBe(true);
      await until(async () => searched(sends), "an SSDP search", 10_000);
    } finally {
      await bench.stop();
    }
    expect(sends.filter((s) => s.port === 1900)).toEqual([{address: "127.0.0.1", port: 1900}]);
    expect(sends.filter((s) => s.address === MULTICAST)).toEqual([]);
  });

  it("searches the multicast group when told it is a real install (what `start` tells it)", async () => {
    const sends = record();
    const t = await startApp(["--media_discovery", "true"], {ssdpScope: "network"});
    await until(async () => searched(sends), "an SSDP search", 10_000);
    await t.stop();
    // Noted by the recorder and not sent: this test itself keeps to the machine.
    expect(sends.filter((s) => s.port === 1900)).toEqual([{address: MULTICAST, port: 1900}]);
    expect(t.logs.some((l) => l.includes("Looking for media servers on the home network (SSDP)"))).toBe(true);
  });
});
