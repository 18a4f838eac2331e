import {spawn} from "node:child_process";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {waitFor} from "../../helpers/players.js";
import {freePort} from "../../helpers/ports.js";
import {tempDir} from "../../helpers/tmp.js";

describe("stopping the service from a terminal", () => {
  it("takes one Ctrl+C delivered twice (the terminal's, then npm's or tsx's forwarded copy) as one, and stops cleanly", async () => {
    const dataDir = await tempDir("yss-signals-");
    const ports = [await freePort(), await freePort(), await freePort()].map(String);
    const child = spawn(
      process.execPath,
      [
        ...[path.join(PACKAGE_ROOT, "bin", "yoto-smart-stream.js"), "start", "--data_dir", dataDir],
        ...["--audio_port", ports[0] as string, "--ingress_port", ports[1] as string],
        ...["--embedded_broker_port", ports[2] as string, "--mqtt_mode", "embedded", "--media_discovery", "false"],
        // Its own ports for the DLNA renderers and their SSDP too: the defaults (8098, 1900) are shared.
        ...["--upnp_port", "0", "--ssdp_port", "0"],
      ],
      {cwd: dataDir, env: {...process.env, NODE_OPTIONS: "", YSS_LOG_LEVEL: "info"}},
    );
    atFileEnd(() => child.kill("SIGKILL"));
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await waitFor(() => output.includes("Yoto Smart Stream is running."), "the service to start", 90_000).catch(
      (err) => {
        throw new Error(`${err.message}; it printed:\n${output}`);
      },
    );

    // Whether it looks for media servers on the network is said at start (here it was told not to).
    expect(output).toContain(
      "  Media servers: not looked for (media_discovery is off); media_servers adds them by address\n",
    );

    child.kill("SIGINT");
    // The second copy comes once the first was taken, as a forwarding runner's does (signals sent
    // together before the first is handled would merge into one).
    await waitFor(() => output.includes("SIGINT received, stopping"), "the first SIGINT to be taken", 30_000).catch(
      (err) => {
        throw new Error(
          `${err.message}; exit code ${child.exitCode}, signal ${child.signalCode}; it printed:\n${output}`,
        );
      },
    );
    child.kill("SIGINT");

    expect(await exited).toBe(0);
    expect(output).not.toContain("Second SIGINT");
    expect(output.match(/SIGINT received, stopping/g)).toHaveLength(1);
    expect(output).toMatch(/SIGINT received, stopping\n(.*\n)*.*Stopped\n/);
  }, 120_000);
});
