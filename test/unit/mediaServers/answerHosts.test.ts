import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {answeringHosts, udnOf} from "../../../src/mediaServers/answerHosts.js";
import {serverIdOf} from "../../../src/mediaServers/description.js";
import {followAnswers, MAX_DISCOVERED} from "../../../src/mediaServers/discovery.js";
import type {MediaServer} from "../../../src/mediaServers/mediaServer.js";
import type {SsdpAnswer} from "../../../src/upnp/ssdpSearch.js";

const TYPE = "urn:schemas-upnp-org:device:MediaServer:1";

/** An answer from `from` (an IPv6 address is bracketed in its LOCATION), naming `udn` in its USN. */
function answerFrom(from: string, udn: string | undefined, path = "/rootDesc.xml"): SsdpAnswer {
  const host = from.includes(":") ? `[${from}]` : from;
  const location = `http://${host}:8200${path}`;
  return {location, usn: udn ? `${udn}::${TYPE}` : location, maxAgeSeconds: 1800, from};
}

/** A stand-in for a server read from `location`, whose description names `udn`. */
function serverAt(location: string, udn: string): MediaServer {
  return {
    id: serverIdOf(udn),
    description: {id: serverIdOf(udn), name: udn, url: location, controlUrl: `${location}/ctl`},
    access: {origin: new URL(location)},
    discovered: true,
    expiresAt: 0,
  } as unknown as MediaServer;
}

describe("answers taken per device", () => {
  it("reads the UDN a USN starts with, and nothing else", () => {
    expect(udnOf(`uuid:4d696e69-444c-164e-9d41-b827eb1f1a2b::${TYPE}`)).toBe(
      "uuid:4d696e69-444c-164e-9d41-b827eb1f1a2b",
    );
    expect(udnOf("uuid:nas")).toBe("uuid:nas");
    expect(udnOf("http://192.168.1.20:8200/rootDesc.xml")).toBeUndefined();
    expect(udnOf(`::${TYPE}`)).toBeUndefined();
  });

  it("groups a host's answers from any number of IPv6 addresses under its UDN; an answer naming none stands alone", () => {
    const many = Array.from({length: 40}, (_, i) => answerFrom(`2001:db8::${(i + 1).toString(16)}`, "uuid:nas"));
    const bare = [answerFrom("192.168.1.30", undefined), answerFrom("192.168.1.31", undefined)];
    const hosts = answeringHosts([...many, answerFrom("fe80::2", "uuid:tv"), ...bare]);
    expect(hosts.map((h) => h.answers.length)).toEqual([40, 1, 1, 1]);
    expect(hosts[0]?.id).toBe(serverIdOf("uuid:nas"));
    expect(hosts[2]?.id).toBeUndefined();
  });

  it("reads a host heard from 40 IPv6 addresses once, as one place, round after round, and keeps the rest for others", async () => {
    const many = Array.from({length: 40}, (_, i) => answerFrom(`2001:db8::${(i + 1).toString(16)}`, "uuid:nas"));
    const later = answerFrom("2001:db8::99", "uuid:later");
    const servers = new Map<string, MediaServer>();
    const read: string[] = [];
    const round = (answers: SsdpAnswer[]) =>
      followAnswers(
        {answers, leftOut: new Map()},
        {
          servers,
          connect: async (location) => {
            read.push(location);
            const udn = answers.find((a) => a.location === location)?.usn.split("::")[0] as string;
            return serverAt(location, udn);
          },
          log: new Logger({level: "debug", sink: () => {}}),
          now: Date.now(),
        },
      );
    await round(many);
    await round([...many, later]);
    expect(read).toEqual([many[0]?.location, later.location]);
    expect([...servers.values()].map((s) => s.description.name)).toEqual(["uuid:nas", "uuid:later"]);
    expect(servers.size).toBeLessThan(MAX_DISCOVERED);
  });
});
