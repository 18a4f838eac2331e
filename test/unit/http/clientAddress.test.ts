import {describe, expect, it} from "vitest";
import {isLoopback, normalizeAddress} from "../../../src/core/address.js";
import {clientAddress} from "../../../src/http/clientAddress.js";
import {bucketKey} from "../../../src/http/middleware/rateLimit.js";
import {safeBaseName} from "../../../src/library/upload.js";

describe("client addresses", () => {
  it("normalises IPv4-mapped IPv6 and recognises loopback", () => {
    expect(normalizeAddress("::ffff:172.30.32.2")).toBe("172.30.32.2");
    expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopback("127.8.9.1")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("172.30.32.2")).toBe(false);
    expect(isLoopback("1270::1")).toBe(false);
  });

  it("believes X-Forwarded-For only from a trusted proxy, taking the rightmost untrusted hop", () => {
    const trusted = new Set(["10.0.0.2", "10.0.0.3"]);
    expect(clientAddress("203.0.113.9", "1.2.3.4", trusted)).toBe("203.0.113.9");
    expect(clientAddress("::ffff:10.0.0.2", "1.2.3.4", trusted)).toBe("1.2.3.4");
    expect(clientAddress("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.3", trusted)).toBe("1.2.3.4");
    expect(clientAddress("10.0.0.2", "garbage", trusted)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", undefined, trusted)).toBe("10.0.0.2");
  });
});

describe("safeBaseName", () => {
  it.each([
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\kid\\Story Time.mp3", "Story Time"],
    [".hidden.wav", "hidden"],
    ["Él & la lune?.flac", "Él _ la lune_"],
    ["", "upload"],
  ])("%s → %s", (input, expected) => {
    expect(safeBaseName(input)).toBe(expected);
  });
});

describe("rate limit keys", () => {
  it("keys IPv4 clients by address and IPv6 clients by their /64", () => {
    expect(bucketKey("203.0.113.7")).toBe("203.0.113.7");
    expect(bucketKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(bucketKey("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(bucketKey("2001:DB8::5")).toBe("2001:db8:0:0::/64");
    expect(bucketKey("::1")).toBe("0:0:0:0::/64");
  });
});
