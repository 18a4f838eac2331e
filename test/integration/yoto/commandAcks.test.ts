import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {startSimulator} from "../../helpers/cloud.js";
import {type CloudStack, linkedCloud, waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;

let sim: YotoSimulator | undefined;
let stack: CloudStack | undefined;
afterEach(async () => {
  await stack?.stop();
  await sim?.stop();
  sim = stack = undefined;
});

describe("command acks over the cloud broker", () => {
  it("the Yoto app's ack for its own volume change neither settles nor fails ours", async () => {
    sim = await startSimulator();
    stack = await linkedCloud(sim, {commandTimeoutMs: 3000});
    await waitFor(() => stack!.players.get(LIVING).volume.level !== undefined, "the Living Room");
    // The player answers us late; meanwhile the app's acks (a Python-spaced body) go out first.
    sim.acks.delayMs = 300;
    let settled = "";
    const ours = stack.players.command(LIVING, {command: "volume", percent: 75}).then(
      () => {
        settled = "ok";
      },
      (err: Error) => {
        settled = err.message;
      },
    );
    sim.broker.publish(`device/${LIVING}/response`, {status: {"set-volume": "FAIL", req_body: '{"volume": 75}'}});
    sim.broker.publish(`device/${LIVING}/response`, {status: {volume: "OK", req_body: '{"volume": 25}'}});
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(settled).toBe("");
    await ours;
    expect(settled).toBe("ok");
    expect(sim.player(LIVING).volume).toBe(12);
  });
});
