import {readFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {runnable} from "../../helpers/compiled.js";
import {type RunningDemo, startDemo} from "../../helpers/demo.js";
import {until} from "../../helpers/icecast.js";
import {tempDir} from "../../helpers/tmp.js";
import type {UdpSend} from "../../helpers/udpSends.js";

let demo: RunningDemo | undefined;
afterEach(() => {
  demo?.child.kill("SIGKILL");
  demo = undefined;
});

describe("npm run demo keeps to the machine", () => {
  it("looks for media servers on this machine only: its SSDP search never goes to the multicast group", async () => {
    // Every datagram the demo process sends is written down by a recorder loaded into it (and one
    // to a multicast group is noted, not sent).
    const log = path.join(await tempDir(), "udp.jsonl");
    demo = await startDemo({
      nodeArgs: ["--import", runnable("test/helpers/udpSendsPreload.ts")],
      env: {TEST_UDP_SENDS_LOG: log},
    });
    const sends = async (): Promise<UdpSend[]> =>
      (await readFile(log, "utf8").catch(() => ""))
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as UdpSend);
    await until(async () => (await sends()).some((s) => s.port === 1900), "the demo's SSDP search", 20_000);
    expect((await sends()).filter((s) => s.port === 1900)).toEqual([{address: "127.0.0.1", port: 1900}]);
    expect((await sends()).filter((s) => s.address === "239.255.255.250")).toEqual([]);
    expect(demo.printed).toContain(
      "Looking for media servers on this machine only (SSDP to 127.0.0.1:1900), not on the home network",
    );
  }, 90_000);
});
