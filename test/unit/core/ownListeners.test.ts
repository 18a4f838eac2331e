import {hostname, networkInterfaces} from "node:os";
import {describe, expect, it} from "vitest";
import {isThisMachine, ownListenerAt, portOf, thisMachineName} from "../../../src/core/ownListeners.js";

/** This machine's first IPv4 address that is not loopback (a container has one on its network). */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i?.family === "IPv4" && !i.internal)?.address;

describe("does an address lead back to this machine", () => {
  it("knows loopback and the unspecified address in every spelling", () => {
    for (const address of ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "0.0.0.0", "::", "::ffff:127.0.0.1", "::1%lo"])
      expect(isThisMachine(address), address).toBe(true);
  });

  it("knows its interfaces' addresses, also as IPv4-mapped IPv6, and nothing else", () => {
    expect(lanAddress).toBeDefined();
    expect(isThisMachine(lanAddress as string)).toBe(true);
    expect(isThisMachine(`::ffff:${lanAddress}`)).toBe(true);
    expect(isThisMachine(`[::FFFF:${lanAddress}]`)).toBe(true);
    expect(isThisMachine("203.0.113.7")).toBe(false);
    expect(isThisMachine("2001:db8::7")).toBe(false);
  });

  it("knows its names without asking DNS", () => {
    expect(thisMachineName("localhost")).toBe("localhost");
    expect(thisMachineName("App.LocalHost.")).toBe("localhost");
    expect(thisMachineName(hostname())).toBe("host name");
    expect(thisMachineName(`${hostname().toUpperCase()}.local`)).toBe("host name");
    expect(thisMachineName("radio.example")).toBeUndefined();
  });

  it("names the listener at a URL's port, the scheme's default when it has none", () => {
    const ports = {audio: 8080, admin: undefined, web: 80};
    expect(ownListenerAt(new URL("http://x:8080/a"), ports)).toEqual({name: "audio", port: 8080});
    expect(ownListenerAt(new URL("http://x/a"), ports)).toEqual({name: "web", port: 80});
    expect(ownListenerAt(new URL("https://x/a"), ports)).toBeUndefined();
    expect(portOf(new URL("https://x/a"))).toBe(443);
  });
});
