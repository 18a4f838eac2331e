import {type ChildProcess, spawn} from "node:child_process";
import {existsSync} from "node:fs";

/** Debian's gmediarender (gmrender-resurrect), the reference renderer the UPnP bench compares with. */
export const GMEDIARENDER = ["/usr/bin/gmediarender", "/usr/local/bin/gmediarender"].find((p) => existsSync(p));

/**
 * The interface gmediarender serves on, made by the bench in a network namespace of its own: libupnp
 * refuses a loopback interface (UPNP_E_INVALID_INTERFACE), so one end of a veth pair whose other
 * end is in the same namespace carries 127.0.0.2. Nothing it sends (its SSDP too) leaves the
 * namespace; IPv6 is off there, as libupnp fails to bind a link-local address still being checked.
 */
export const GMEDIARENDER_IFACE = "ybench0";
export const GMEDIARENDER_ADDRESS = "127.0.0.2";

/** The shell that makes that namespace's interfaces, then runs its arguments (`sh -c NETNS_SETUP sh cmd…`). */
export const NETNS_SETUP = [
  "set -e",
  "ip link set lo up",
  `ip link add ${GMEDIARENDER_IFACE} type veth peer name ybench1`,
  `echo 1 > /proc/sys/net/ipv6/conf/${GMEDIARENDER_IFACE}/disable_ipv6`,
  "echo 1 > /proc/sys/net/ipv6/conf/ybench1/disable_ipv6",
  "ip link set ybench1 up",
  `ip link set ${GMEDIARENDER_IFACE} up`,
  `ip addr add ${GMEDIARENDER_ADDRESS}/32 dev ${GMEDIARENDER_IFACE}`,
  'exec "$@"',
].join("\n");

/** A running gmediarender: its services' control and event URLs. */
export interface Gmediarender {
  /** Its process id, for its CPU time. */
  pid: number;
  avTransport: {control: string; event: string};
  renderingControl: {control: string; event: string};
  stop(): Promise<void>;
}

/**
 * gmediarender on GMEDIARENDER_IFACE (inside the bench's namespace), playing into GStreamer's
 * fakesink (no sound device): started once its description answers.
 */
export async function startGmediarender(port: number, instance = 1): Promise<Gmediarender> {
  if (!GMEDIARENDER) throw new Error("bench: gmediarender is not installed");
  const child: ChildProcess = spawn(
    GMEDIARENDER,
    [
      "-f",
      `Bench reference ${instance}`,
      "-u",
      `7e1d2c3b-0000-4000-8000-00000000b${String(instance).padStart(3, "0")}`,
      `--port=${port}`,
      "-I",
      GMEDIARENDER_IFACE,
      "--gstout-audiosink=fakesink",
      "--gstout-videosink=fakesink",
    ],
    {stdio: "ignore"},
  );
  const base = `http://${GMEDIARENDER_ADDRESS}:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  const deadline = performance.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bench: gmediarender exited (${child.exitCode})`);
    const answer = await fetch(`${base}/description.xml`).catch(() => undefined);
    if (answer?.ok) break;
    if (performance.now() > deadline) {
      await stop();
      throw new Error("bench: gmediarender did not answer in 20 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    pid: child.pid as number,
    avTransport: {control: `${base}/upnp/control/rendertransport1`, event: `${base}/upnp/event/rendertransport1`},
    renderingControl: {control: `${base}/upnp/control/rendercontrol1`, event: `${base}/upnp/event/rendercontrol1`},
    stop,
  };
}
