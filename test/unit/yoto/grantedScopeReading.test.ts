import {describe, expect, it} from "vitest";
import {grantedScope, missingScopes} from "../../../src/yoto/grantedScopes.js";
import {DEFAULT_SCOPE} from "../../../src/yoto/oauthClient.js";

const jwt = (claims: unknown) =>
  `e30.${Buffer.from(typeof claims === "string" ? claims : JSON.stringify(claims)).toString("base64url")}.sig`;

describe("reading the scopes a token answer grants", () => {
  it("says unknown, never throws, for an answer whose token is no text or whose claims are no JSON", () => {
    expect(grantedScope({access_token: 42 as unknown as string})).toBeUndefined();
    expect(grantedScope({access_token: null as unknown as string})).toBeUndefined();
    expect(grantedScope({access_token: jwt("not json")})).toBeUndefined();
    expect(grantedScope({access_token: jwt({scope: ["a"]})})).toBeUndefined();
    expect(grantedScope({access_token: jwt({scope: "openid profile"})})).toBe("openid profile");
  });

  it("reads scopes apart on any whitespace, so a tab is not every scope missing", () => {
    const granted = DEFAULT_SCOPE.split(" ").join("\t");
    expect(missingScopes(granted, DEFAULT_SCOPE)).toEqual([]);
    expect(
      missingScopes(`${DEFAULT_SCOPE.replace(" user:content:manage", "")}`, DEFAULT_SCOPE)?.map((m) => m.scope),
    ).toEqual(["user:content:manage"]);
  });
});
