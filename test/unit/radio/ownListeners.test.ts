import type {LookupAddress} from "node:dns";
import {describe, expect, it} from "vitest";
import {FetchPolicy} from "../../../src/core/fetchPolicy.js";
import {guardOwnListeners, OwnListenerRefused} from "../../../src/radio/ownListeners.js";

const resolve = (lookup: ReturnType<FetchPolicy["lookupFor"]>, name: string) =>
  new Promise<{err: Error | null; address: string | LookupAddress[]}>((done) =>
    lookup(name, {}, (err, address) => done({err, address})),
  );

describe("station fetches that would reach this service", () => {
  const policy = new FetchPolicy(["127.0.0.0/8", "::1", "localhost"]);
  const guarded = guardOwnListeners(policy, () => ({audio: 8080, admin: undefined}));

  it("refuses a name that resolves to this machine at an own port, once resolved", async () => {
    const {err} = await resolve(guarded.lookupFor(new URL("http://localhost:8080/streams/kids.mp3")), "localhost");
    expect(err).toBeInstanceOf(OwnListenerRefused);
    expect(err).toMatchObject({code: "station_is_own_listener", status: 400});
    expect(err?.message).toMatch(
      /^http:\/\/localhost:8080\/streams\/kids\.mp3 leads back to this service: 'localhost' \((127\.0\.0\.1|::1)\) is this machine, and port 8080 is its own audio listener\./,
    );
  });

  it("lets the same machine through at another port (a local Icecast), and a port not listening yet", async () => {
    const other = await resolve(guarded.lookupFor(new URL("http://localhost:8000/kids")), "localhost");
    expect(other.err).toBeNull();
    expect(() => guarded.checkLiteral(new URL("http://127.0.0.1:8000/kids"))).not.toThrow();
    expect(() => guarded.checkLiteral(new URL("http://127.0.0.1:8099/kids"))).not.toThrow();
  });

  it("refuses IPv4-mapped and other loopback spellings before fetching, and keeps the policy's refusals", () => {
    expect(() => guarded.checkLiteral(new URL("http://[::ffff:127.0.0.1]:8080/x"))).toThrow(OwnListenerRefused);
    expect(() => guarded.checkLiteral(new URL("http://127.1:8080/x"))).toThrow(OwnListenerRefused);
    expect(() => guarded.checkLiteral(new URL("http://app.localhost:8080/x"))).toThrow(OwnListenerRefused);
    expect(() => guarded.checkLiteral(new URL("http://192.168.1.20:9000/x"))).toThrow(
      "192.168.1.20 is a private address, which this service does not fetch from unless you allow it",
    );
  });
});
