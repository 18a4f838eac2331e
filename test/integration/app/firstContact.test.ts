import {type ChildProcess, spawn} from "node:child_process";
import {existsSync} from "node:fs";
import {cp, symlink, writeFile} from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_CLIENT_ID} from "../../../src/demo/cloud.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {freePort} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {shippedRulesFolder} from "../../helpers/shippedRules.js";
import {tempDir} from "../../helpers/tmp.js";

const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) await stop(child);
});

/** A fresh copy of the repository as a newcomer has it after `npm install`. */
async function freshCopy(): Promise<string> {
  const dir = await tempDir("yss-newcomer-");
  for (const part of ["bin", "src", "translations", "package.json", "config.yaml"])
    await cp(path.join(PACKAGE_ROOT, part), path.join(dir, part), {recursive: true});
  // The rules a clone has: not what the demo or a parent left in this checkout's rules/.
  await cp(await shippedRulesFolder(), path.join(dir, "rules"), {recursive: true});
  await symlink(path.join(PACKAGE_ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

/** `npx yoto-smart-stream <command>` in `dir`, on free ports; resolves once it says it runs. */
async function launch(dir: string, command: string, extra: string[] = [], brokerPort?: number) {
  const ports = {audio: await freePort(), admin: await freePort(), broker: brokerPort ?? (await freePort())};
  const args = [
    ...[path.join(dir, "bin", "yoto-smart-stream.js"), command],
    ...["--audio_port", String(ports.audio), "--ingress_port", String(ports.admin)],
    ...["--embedded_broker_port", String(ports.broker), ...extra],
    // start is a real install, which searches the home network for media servers: a test sends nothing off the machine.
    ...(command === "start" ? ["--media_discovery", "false"] : []),
  ];
  const child = spawn(process.execPath, args, {cwd: dir, env: {...process.env, NODE_OPTIONS: ""}});
  running.push(child);
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  await waitFor(() => output.includes("Yoto Smart Stream is running."), `'${command}' to start`, 90_000);
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever JSON the API answers
  const api = async (pathname: string): Promise<any> =>
    (await fetch(`http://127.0.0.1:${ports.admin}${pathname}`)).json();
  return {child, output: () => output, api, ports};
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

describe("the README's path for a newcomer: demo, then start, in one folder", () => {
  it("keeps the demo apart, starts clean, and never sends a login to whoever did not issue it", async () => {
    const dir = await freshCopy();
    const demo = await launch(dir, "demo");
    for (let i = 0; (await demo.api("/api/account")).state !== "linked"; i++) {
      if (i > 300) throw new Error("the demo's account never linked");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await stop(demo.child);
    expect(existsSync(path.join(dir, "demo-data"))).toBe(true);
    // The demo again on its own data: it links itself, so it never asks anyone to link again.
    const again = await launch(dir, "demo");
    await waitFor(() => again.output().includes("Story card:"), "the demo's story card", 30_000);
    expect(await again.api("/api/account")).toMatchObject({state: "linked"});
    expect(again.output()).not.toContain("link the account again");
    expect(again.output()).not.toContain("Next: link your Yoto account");
    await stop(again.child);

    const start = await launch(dir, "start");
    await waitFor(() => start.output().includes("example.yaml"), "the example rules", 10_000);
    expect(await start.api("/api/account")).toMatchObject({state: "unlinked"});
    // The next step is in the start text: set the client id, then link on the Account page.
    const admin = `http://127.0.0.1:${start.ports.admin}`;
    expect(start.output()).toContain(
      [
        "  Next: link your Yoto account, so your players appear:",
        "    1. register an app at https://dashboard.yoto.dev/ (redirect URL http://127.0.0.1:8787/callback; scopes openid, profile, offline_access, family:devices:view, family:devices:control, family:devices:manage, family:library:view, user:content:view, user:content:manage) and set yoto_client_id with --yoto_client_id, YSS_YOTO_CLIENT_ID or 'yoto_client_id' in the --options file",
        `    2. open ${admin}/#account, press Start linking, sign in to Yoto, and paste back the address the browser ends on`,
        `       (or POST ${admin}/api/account/link, then /api/account/link/complete {"url": "…"})`,
      ].join("\n"),
    );
    expect((await start.api("/api/streams")).streams.map((s: {name: string}) => s.name)).toEqual([]);
    expect(start.output()).toContain(
      `Wrote an example rules file to '${path.join(dir, "data", "rules")}/example.yaml'`,
    );
    // A clean start: no error lines, no red rules.
    expect(
      start
        .output()
        .split("\n")
        .filter((l) => / ERROR /.test(l)),
    ).toEqual([]);
    const rules = await start.api("/api/rules");
    expect([rules.rules.length, rules.errors.length]).toEqual([1, 0]);
    await stop(start.child);

    // The demo's saved login, offered to the real service (its folder, its client id): refused.
    const reuse = await launch(dir, "start", ["--data_dir", "demo-data", "--yoto_client_id", DEMO_CLIENT_ID]);
    expect(await reuse.api("/api/account")).toMatchObject({state: "unlinked"});
    expect(reuse.output()).toMatch(
      new RegExp(
        `The saved Yoto login was issued by http://127\\.0\\.0\\.1:\\d+ to client '${DEMO_CLIENT_ID}', not by https://login\\.yotoplay\\.com to '${DEMO_CLIENT_ID}' as configured now: it is not used or sent anywhere; link the account again`,
      ),
    );
  }, 240_000);

  it("starts with what works and says plainly what does not: a busy MQTT port, a media folder that is a file", async () => {
    const dir = await freshCopy();
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as net.AddressInfo).port;
    await writeFile(path.join(dir, "not-a-folder.mp3"), "x");
    try {
      const start = await launch(dir, "start", ["--media_dirs", "not-a-folder.mp3"], port);
      const output = start.output();
      const notRunning = output.slice(output.indexOf("Not running:"));
      expect(notRunning).toContain(
        `  mqtt-broker: port ${port} for the embedded MQTT broker is already in use (another broker such as Mosquitto, or another copy of this service?): stop it, choose another embedded_broker_port, or use that broker with mqtt_mode: external and mqtt_url`,
      );
      expect(notRunning).toContain(
        "  ha-bridge: The embedded MQTT broker is not running (its start failed; see the log)",
      );
      expect(output).toContain(
        `Media folder '${path.join(dir, "not-a-folder.mp3")}' is a file, not a folder: set media_dirs to the folder that holds your audio`,
      );
      expect(output).not.toContain("ENOTDIR");
      expect((await start.api("/api/health")).services.library.state).toBe("running");
    } finally {
      busy.close();
    }
  }, 120_000);
});
