import {describe, expect, it} from "vitest";
import {addressKind, FetchPolicy} from "../../../src/core/fetchPolicy.js";

const url = (u: string) => new URL(u);

describe("the fetch policy", () => {
  it("names what kind of address each special range is, and leaves public ones alone", () => {
    expect(addressKind("127.0.0.1")).toBe("loopback");
    expect(addressKind("127.8.9.10")).toBe("loopback");
    expect(addressKind("::1")).toBe("loopback");
    expect(addressKind("::ffff:127.0.0.1")).toBe("loopback");
    expect(addressKind("::ffff:7f00:1")).toBe("loopback");
    expect(addressKind("::7f00:1")).toBe("loopback");
    expect(addressKind("64:ff9b::a00:1")).toBe("private");
    expect(addressKind("64:ff9b::192.168.1.1")).toBe("private");
    expect(addressKind("169.254.169.254")).toBe("link-local");
    expect(addressKind("fe80::1")).toBe("link-local");
    expect(addressKind("10.1.2.3")).toBe("private");
    expect(addressKind("172.16.0.1")).toBe("private");
    expect(addressKind("172.31.255.255")).toBe("private");
    expect(addressKind("192.168.1.20")).toBe("private");
    expect(addressKind("fd12:3456::1")).toBe("private");
    expect(addressKind("0.0.0.0")).toBe("unspecified");
    expect(addressKind("100.64.0.1")).toBe("shared (carrier-grade NAT)");
    expect(addressKind("224.0.0.251")).toBe("multicast");
    for (const open of ["93.184.216.34", "172.32.0.1", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"])
      expect(addressKind(open), open).toBeUndefined();
  });

  it("refuses loopback, link-local and private addresses by default, saying how to allow one", () => {
    const policy = new FetchPolicy();
    expect(policy.refusal(url("http://127.0.0.1:8099/api/health"), "127.0.0.1")).toBe(
      "127.0.0.1 is a loopback address, which this service does not fetch from unless you allow it: add '127.0.0.1' to the fetch_allow option (--fetch_allow 127.0.0.1 or YSS_FETCH_ALLOW=127.0.0.1) if it is yours",
    );
    expect(policy.refusal(url("http://nas.local/ep.mp3"), "192.168.1.20")).toBe(
      "'nas.local' (192.168.1.20) is a private address, which this service does not fetch from unless you allow it: add 'nas.local' to the fetch_allow option (--fetch_allow nas.local or YSS_FETCH_ALLOW=nas.local) if it is yours",
    );
    expect(policy.refusal(url("http://[::1]:80/"), "::1")).toMatch(/^::1 is a loopback address/);
    expect(policy.refusal(url("http://metadata/"), "169.254.169.254")).toMatch(/is a link-local address/);
    expect(policy.refusal(url("https://example.com/a.mp3"), "93.184.216.34")).toBeUndefined();
  });

  it("allows what fetch_allow lists: a host, a host:port, an address, an address:port, a CIDR range", () => {
    const policy = new FetchPolicy(["NAS.local", "podcasts.lan:8000", "10.0.0.5", "127.0.0.1:4000", "192.168.1.0/24"]);
    expect(policy.refusal(url("http://nas.local/a.mp3"), "192.168.7.7")).toBeUndefined();
    expect(policy.refusal(url("http://podcasts.lan:8000/feed"), "192.168.7.8")).toBeUndefined();
    expect(policy.refusal(url("http://podcasts.lan:8001/feed"), "192.168.7.8")).toMatch(/private address/);
    expect(policy.refusal(url("http://10.0.0.5:1234/"), "10.0.0.5")).toBeUndefined();
    expect(policy.refusal(url("http://127.0.0.1:4000/"), "127.0.0.1")).toBeUndefined();
    expect(policy.refusal(url("http://127.0.0.1:4001/"), "127.0.0.1")).toMatch(/loopback/);
    expect(policy.refusal(url("http://player.lan/"), "192.168.1.44")).toBeUndefined();
    expect(policy.refusal(url("http://other.lan/"), "192.168.2.44")).toMatch(/private/);
    // A listed name that resolves inside is allowed; an unlisted name resolving to a listed address is too.
    expect(policy.refusal(url("http://anything.example/"), "10.0.0.5")).toBeUndefined();
  });

  it("trusts Home Assistant's and its own origins whatever they resolve to", () => {
    let publicUrl: string | undefined;
    const policy = new FetchPolicy();
    policy.trust(() => publicUrl);
    policy.trustOrigin("http://supervisor");
    expect(policy.refusal(url("http://supervisor/core/api/tts_proxy/x.mp3"), "172.30.32.2")).toBeUndefined();
    expect(policy.refusal(url("http://192.168.1.5:8080/audio/x.mp3"), "192.168.1.5")).toMatch(/private/);
    publicUrl = "http://192.168.1.5:8080/";
    expect(policy.refusal(url("http://192.168.1.5:8080/audio/x.mp3"), "192.168.1.5")).toBeUndefined();
    // Only that origin: the admin port on the same machine stays refused.
    expect(policy.refusal(url("http://192.168.1.5:8099/api/health"), "192.168.1.5")).toMatch(/private/);
  });

  it("refuses a name that resolves inside, after DNS, with one bad address among good ones", async () => {
    const policy = new FetchPolicy();
    const target = url("http://localhost:9/");
    const lookup = policy.lookupFor(target) as unknown as (
      host: string,
      options: object,
      cb: (err: Error | null, addresses: unknown) => void,
    ) => void;
    const err = await new Promise<Error | null>((resolve) => lookup("localhost", {all: true}, (e) => resolve(e)));
    expect(err?.message).toMatch(/^'localhost' \((127\.0\.0\.1|::1)\) is a loopback address/);
  });

  it("says which fetch_allow entry is malformed", () => {
    expect(() => new FetchPolicy(["10.0.0.0/40"])).toThrow(
      "fetch_allow entry '10.0.0.0/40' is not a CIDR range (like 192.168.1.0/24)",
    );
    expect(() => new FetchPolicy(["http://nas.local/x"])).toThrow(
      "fetch_allow entry 'http://nas.local/x' is not a host, host:port, IP address or CIDR range (like nas.local, 192.168.1.20:8000 or 192.168.1.0/24)",
    );
    expect(() => new FetchPolicy(["nas.local:99999"])).toThrow(/fetch_allow entry 'nas.local:99999' is not a host/);
  });
});

describe("addresses written the ways a URL may write them", () => {
  it("judges what the URL parser makes of decimal, hex, short and IPv6 forms", () => {
    const policy = new FetchPolicy();
    for (const written of [
      "http://2130706433/",
      "http://0x7f.1/",
      "http://127.1/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::127.0.0.1]/",
      "http://[0:0:0:0:0:0:0:1]/",
      "http://0.0.0.0/",
    ]) {
      const target = new URL(written);
      expect(() => policy.checkLiteral(target), written).toThrow(/is an? (loopback|unspecified) address/);
    }
  });
});

describe("IPv6 ranges that carry or hide an inside address", () => {
  it("judges mapped (::ffff:0:0/96) and translated (::ffff:0:0:0/96) forms as the IPv4 address inside, however written", () => {
    for (const written of [
      "::ffff:127.0.0.1",
      "0:0:0:0:0:ffff:7f00:1",
      "::ffff:7f00:0001",
      "::ffff:0:127.0.0.1",
      "::ffff:0:7f00:1",
    ])
      expect(addressKind(written), written).toBe("loopback");
    expect(addressKind("::ffff:0:a00:1")).toBe("private");
    expect(addressKind("::ffff:0:a9fe:a9fe")).toBe("link-local");
    expect(addressKind("::ffff:0:808:808")).toBeUndefined();
  });

  it("judges 6to4 (2002::/16) by the IPv4 address in its next 32 bits", () => {
    expect(addressKind("2002:7f00:1::1")).toBe("loopback");
    expect(addressKind("2002:c0a8:101::1")).toBe("private");
    expect(addressKind("2002:a9fe:a9fe::")).toBe("link-local");
    expect(addressKind("2002:808:808::1")).toBeUndefined();
  });

  it("refuses local-use NAT64 (64:ff9b:1::/48) and site-local (fec0::/10)", () => {
    expect(addressKind("64:ff9b:1::808:808")).toBe("local-use NAT64");
    expect(addressKind("64:ff9b:1:ffff::1")).toBe("local-use NAT64");
    expect(addressKind("fec0::1")).toBe("site-local");
    expect(addressKind("feff:ffff::1")).toBe("site-local");
    // Their neighbours are public.
    expect(addressKind("64:ff9b:2::1")).toBeUndefined();
    expect(addressKind("ff0e::1")).toBe("multicast");
  });

  it("refuses Teredo (2001::/32), whose far end is an IPv4 host behind a tunnel, and nothing else in 2001::/16", () => {
    expect(addressKind("2001:0:4136:e378:8000:63bf:80ff:fffe")).toBe("Teredo tunnel");
    expect(addressKind("2001::ffff:ffff")).toBe("Teredo tunnel");
    expect(addressKind("2001:0:ffff:ffff:ffff:ffff:ffff:ffff")).toBe("Teredo tunnel");
    expect(addressKind("2001:1::1")).toBeUndefined();
    expect(addressKind("2001:4860:4860::8888")).toBeUndefined();
    expect(new FetchPolicy().refusal(url("http://[2001::1]/"), "2001::1")).toMatch(
      /^2001::1 is a Teredo tunnel address, which this service does not fetch from unless you allow it/,
    );
  });

  it("says so in the refusal, and names what to list", () => {
    const policy = new FetchPolicy();
    expect(policy.refusal(url("http://[fec0::1]:8099/"), "fec0::1")).toBe(
      "fec0::1 is a site-local address, which this service does not fetch from unless you allow it: add 'fec0::1' to the fetch_allow option (--fetch_allow fec0::1 or YSS_FETCH_ALLOW=fec0::1) if it is yours",
    );
    expect(policy.refusal(url("http://[64:ff9b:1::1]/"), "64:ff9b:1::1")).toMatch(
      /^64:ff9b:1::1 is a local-use NAT64 address/,
    );
    expect(policy.refusal(url("http://[2002:7f00:1::1]:8099/"), "2002:7f00:1::1")).toMatch(
      /^'2002:7f00:1::1' \(127\.0\.0\.1\) is a loopback address, .* add '127\.0\.0\.1' to the fetch_allow option/,
    );
    expect(() => policy.checkLiteral(url("http://[::ffff:0:7f00:1]:8099/"))).toThrow(/is a loopback address/);
  });
});

describe("fetch_allow as people write it", () => {
  it("takes a wildcard name, a trailing dot, and IPv6 forms of an IPv4 address as the refusal names them", () => {
    const policy = new FetchPolicy(["*.home.arpa", "vm.", "[::ffff:127.0.0.1]:8000", "64:ff9b::a00:5"]);
    expect(policy.refusal(new URL("http://nas.home.arpa/a.mp3"), "192.168.1.9")).toBeUndefined();
    expect(policy.refusal(new URL("http://home.arpa.evil/a.mp3"), "192.168.1.9")).toMatch(/private/);
    expect(policy.refusal(new URL("http://vm/a.mp3"), "10.1.1.1")).toBeUndefined();
    expect(policy.refusal(new URL("http://vm./a.mp3"), "10.1.1.1")).toBeUndefined();
    expect(policy.refusal(new URL("http://127.0.0.1:8000/a.mp3"), "127.0.0.1")).toBeUndefined();
    expect(policy.refusal(new URL("http://10.0.0.5/a.mp3"), "10.0.0.5")).toBeUndefined();
    // The refusal names what to list, as it will be matched.
    expect(new FetchPolicy().refusal(new URL("http://[64:ff9b::7f00:1]/"), "64:ff9b::7f00:1")).toContain(
      "add '127.0.0.1' to the fetch_allow option",
    );
    expect(new FetchPolicy().refusal(new URL("http://0.0.0.0/"), "0.0.0.0")).toMatch(
      /^0\.0\.0\.0 is an unspecified address/,
    );
    expect(() => new FetchPolicy(["*"])).toThrow(
      "fetch_allow entry '*' would allow the whole home network; list your hosts or ranges instead (like nas.local or 192.168.1.0/24)",
    );
  });
});
