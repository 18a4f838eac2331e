import {describe, expect, it} from "vitest";
import {FetchPolicy} from "../../../src/core/fetchPolicy.js";
import {Logger} from "../../../src/core/logger.js";
import {type OwnListeners, ServerGuard} from "../../../src/mediaServers/serverGuard.js";

const url = (u: string) => new URL(u);

function guard(allow: string[] = [], own: OwnListeners = {ports: {admin: 8099, audio: 8080, MQTT: 1883}, origins: []}) {
  const policy = new FetchPolicy(allow);
  const lines: string[] = [];
  const g = new ServerGuard({
    listed: (u, address) => policy.listed(u, address),
    ownListeners: () => own,
    log: new Logger({level: "debug", sink: (line) => lines.push(line)}),
  });
  return {g, lines};
}

describe("what a media server's links may lead to", () => {
  const nas = url("http://192.168.1.20:8200/rootDesc.xml");

  it("allows the server's own scheme, host and port, at a private or loopback address", () => {
    const {g} = guard();
    expect(g.refusal(url("http://192.168.1.20:8200/MediaItems/1.mp3"), nas, "192.168.1.20")).toBeUndefined();
    const local = url("http://127.0.0.1:8200/rootDesc.xml");
    expect(g.refusal(url("http://127.0.0.1:8200/ctl"), local, "127.0.0.1")).toBeUndefined();
  });

  it("refuses another port or scheme of the same host unless fetch_allow lists it", () => {
    expect(guard().g.refusal(url("http://192.168.1.20:9000/a.mp3"), nas, "192.168.1.20")).toBe(
      "http://192.168.1.20:9000/a.mp3 is not where the media server at 192.168.1.20:8200 was found (another port): a media server is fetched from only at the address and port it was added or found with; if that port is the server's too, add '192.168.1.20:9000' to the fetch_allow option",
    );
    expect(guard().g.refusal(url("https://192.168.1.20:8200/a.mp3"), nas, "192.168.1.20")).toMatch(
      /was found \(another scheme\)/,
    );
    expect(guard(["192.168.1.20:9000"]).g.refusal(url("http://192.168.1.20:9000/a.mp3"), nas, "192.168.1.20")).toBe(
      undefined,
    );
    expect(guard(["192.168.1.0/24"]).g.refusal(url("http://192.168.1.20:9000/a.mp3"), nas, "192.168.1.20")).toBe(
      undefined,
    );
    expect(guard(["192.168.1.20:9001"]).g.refusal(url("http://192.168.1.20:9000/a.mp3"), nas, "192.168.1.20")).toMatch(
      /another port/,
    );
  });

  it("never leads to this service's own listeners, whatever fetch_allow lists", () => {
    const local = url("http://127.0.0.1:8099/desc.xml");
    const {g} = guard(["127.0.0.1", "0.0.0.0"]);
    expect(g.refusal(url("http://127.0.0.1:8099/api/library/rescan"), local, "127.0.0.1")).toBe(
      "http://127.0.0.1:8099/api/library/rescan leads to this service's own admin port (8099): a media server's links are never followed back to this service",
    );
    for (const [link, address] of [
      ["http://127.0.0.2:8080/x", "127.0.0.2"],
      ["http://0.0.0.0:1883/", "0.0.0.0"],
      ["http://[::ffff:127.0.0.1]:8080/x", "::ffff:7f00:1"],
      ["http://localhost:8080/x", undefined],
    ] as const)
      expect(g.refusal(url(link), url(link), address), link).toMatch(/leads to this service's own (audio|MQTT) port/);
    // The same port on another machine is that machine's.
    expect(
      g.refusal(url("http://192.168.1.30:8080/a.mp3"), url("http://192.168.1.30:8080/d.xml"), "192.168.1.30"),
    ).toBe(undefined);
  });

  it("never leads to this service's public address, by whatever name", () => {
    const {g} = guard([], {ports: {}, origins: ["https://yoto.example.net"]});
    const there = url("https://yoto.example.net/desc.xml");
    expect(g.refusal(url("https://yoto.example.net/streams/x.mp3"), there, "203.0.113.9")).toBe(
      "https://yoto.example.net/streams/x.mp3 leads to this service's own public address (https://yoto.example.net): a media server's links are never followed back to this service",
    );
  });

  it("refuses link-local and cloud metadata addresses unless fetch_allow lists them", () => {
    const at = (u: string) => url(u);
    expect(
      guard().g.refusal(at("http://169.254.20.7:8200/d.xml"), at("http://169.254.20.7:8200/d.xml"), "169.254.20.7"),
    ).toBe(
      "http://169.254.20.7:8200/d.xml is not fetched: 169.254.20.7 is a link-local address, which a media server is not fetched from unless you allow it: add '169.254.20.7' to the fetch_allow option (--fetch_allow 169.254.20.7 or YSS_FETCH_ALLOW=169.254.20.7) if it is yours",
    );
    const named = at("http://nas.local:8200/d.xml");
    expect(guard().g.refusal(named, named, "169.254.169.254")).toMatch(
      /^http:\/\/nas\.local:8200\/d\.xml is not fetched: 'nas\.local' \(169\.254\.169\.254\) is a cloud metadata address, .* add 'nas\.local' to the fetch_allow option/,
    );
    expect(guard().g.refusal(named, named, "fd00:ec2::254")).toMatch(/is a cloud metadata address/);
    expect(guard().g.refusal(named, named, "100.100.100.200")).toMatch(/is a cloud metadata address/);
    expect(guard().g.refusal(named, named, "2002:a9fe:1401::1")).toMatch(/\(169\.254\.20\.1\) is a link-local address/);
    expect(guard(["169.254.0.0/16"]).g.refusal(named, named, "169.254.20.7")).toBeUndefined();
    expect(guard(["nas.local"]).g.refusal(named, named, "169.254.20.7")).toBeUndefined();
    // Other inside addresses are where media servers live.
    expect(guard().g.refusal(named, named, "10.0.0.5")).toBeUndefined();
    expect(guard().g.refusal(named, named, "fd12::5")).toBeUndefined();
    expect(guard().g.refusal(named, named, "100.64.1.2")).toBeUndefined();
  });

  it("judges a name on what it resolves to, and logs each refusal once", async () => {
    const {g, lines} = guard();
    const link = url("http://localhost:8099/api/diagnostics");
    const lookup = g.lookupFor(link, url("http://localhost:8099/desc.xml")) as unknown as (
      host: string,
      options: object,
      cb: (err: Error | null) => void,
    ) => void;
    const ask = () => new Promise<Error | null>((resolve) => lookup("localhost", {all: true}, (e) => resolve(e)));
    expect((await ask())?.message).toBe(
      "http://localhost:8099/api/diagnostics leads to this service's own admin port (8099): a media server's links are never followed back to this service",
    );
    await ask();
    expect(
      lines.filter((l) => l.includes("Media server link refused: http://localhost:8099/api/diagnostics")),
    ).toHaveLength(1);
  });
});
