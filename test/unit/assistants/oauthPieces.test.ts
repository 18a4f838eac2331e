import {createHash} from "node:crypto";
import {describe, expect, it} from "vitest";
import {AssistantRates} from "../../../src/assistants/assistantRates.js";
import {accessToken, newKey, readAccessToken, sign, signedBy} from "../../../src/assistants/assistantTokens.js";
import {clientOf, registerClient, type Signer} from "../../../src/assistants/oauthClients.js";
import {MAX_WAITING, MAX_WAITING_FROM_ONE, OAuthRequests} from "../../../src/assistants/oauthRequests.js";

const signer = (key = newKey()): Signer => ({sign: (p) => sign(key, p), signed: (p, s) => signedBy(key, p, s)});
const HA_REDIRECT = "https://my.home-assistant.io/redirect/oauth";
const verifier = "v".repeat(64);
const challenge = createHash("sha256").update(verifier).digest("base64url");

describe("dynamic client registration (RFC 7591)", () => {
  it("answers a client id this add-on alone opens, with the client's name and redirect", () => {
    const ours = signer();
    const answer = registerClient(
      {redirect_uris: [HA_REDIRECT], client_name: "Home Assistant", token_endpoint_auth_method: "client_secret_post"},
      ours,
    );
    expect(answer).toMatchObject({
      client_name: "Home Assistant",
      redirect_uris: [HA_REDIRECT],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      scope: "yoto",
    });
    expect(clientOf(answer.client_id, ours)).toEqual({name: "Home Assistant", redirectUris: [HA_REDIRECT]});
    // Another household's add-on signs with another key.
    expect(clientOf(answer.client_id, signer())).toBeUndefined();
    // A name changed in the id breaks its signature.
    const [payload, signature] = String(answer.client_id).split(".");
    const forged = Buffer.from(JSON.stringify({n: "Evil", r: ["https://evil.example/cb"]})).toString("base64url");
    expect(clientOf(`${forged}.${signature}`, ours)).toBeUndefined();
    expect(payload).not.toBe(forged);
  });

  it.each([
    [{}, "The registration's redirect_uris must list 1 to 5 addresses the answer may go to"],
    [
      {redirect_uris: ["javascript:alert(1)"]},
      "The registration's redirect_uris 'javascript:alert(1)' cannot take an answer (no javascript: address)",
    ],
    [
      {redirect_uris: ["https://a.example/cb#x"]},
      "The registration's redirect_uris 'https://a.example/cb#x' cannot take an answer (no #fragment address)",
    ],
    [{redirect_uris: ["not a url"]}, "The registration's redirect_uris 'not a url' is not an address"],
    [
      {redirect_uris: [HA_REDIRECT], grant_types: ["client_credentials"]},
      'The registration\'s grant_types must include "authorization_code" (and may include "refresh_token")',
    ],
    [{redirect_uris: [HA_REDIRECT], scope: "admin"}, 'The registration\'s scope may only be "yoto"'],
  ])("refuses %j in words", (body, words) => {
    expect(() => registerClient(body, signer())).toThrow(words);
  });
});

const asked = {
  client: "c1",
  clientName: "Home Assistant",
  redirectUri: HA_REDIRECT,
  state: "s",
  challenge,
  scope: "yoto",
};

describe("authorization requests and codes", () => {
  it("waits for a parent, gives its code once, and trades it once for the right verifier only", () => {
    const requests = new OAuthRequests();
    const id = requests.ask(asked).id;
    expect(requests.waiting()).toMatchObject([{id, client: "Home Assistant", redirect_host: "my.home-assistant.io"}]);
    expect(requests.state(id)).toEqual({status: "waiting"});
    expect(requests.answer(id, true)).toBe(true);
    expect(requests.answer(id, true)).toBe(false);
    const approved = requests.state(id);
    if (approved.status !== "approved") throw new Error("not approved");
    expect(requests.state(id)).toEqual({status: "gone"});
    expect(requests.redeem(approved.code, "c1", HA_REDIRECT, "w".repeat(64))).toBeUndefined();
    // The wrong verifier spent it.
    expect(requests.redeem(approved.code, "c1", HA_REDIRECT, verifier)).toBeUndefined();
  });

  it("trades a code for the client and redirect it was issued to", () => {
    const requests = new OAuthRequests();
    const code = (): string => {
      const id = requests.ask(asked).id;
      requests.answer(id, true);
      const s = requests.state(id);
      return s.status === "approved" ? s.code : "";
    };
    expect(requests.redeem(code(), "c2", HA_REDIRECT, verifier)).toBeUndefined();
    expect(requests.redeem(code(), "c1", "https://other.example/cb", verifier)).toBeUndefined();
    expect(requests.redeem(code(), "c1", HA_REDIRECT, verifier)).toMatchObject({client: "c1", scope: "yoto"});
  });

  it("ends a request after 10 minutes and a code after 5, and keeps at most 20 waiting", () => {
    let now = 0;
    const changes: number[] = [];
    const requests = new OAuthRequests(
      () => changes.push(now),
      () => now,
    );
    const first = requests.ask(asked, "10.0.0.0").id;
    for (let i = 1; i < MAX_WAITING; i++) requests.ask(asked, `10.0.0.${i}`);
    expect(requests.waiting()).toHaveLength(MAX_WAITING);
    requests.ask(asked, "10.0.1.1");
    expect(requests.waiting()).toHaveLength(MAX_WAITING);
    expect(requests.state(first)).toEqual({status: "gone"});
    const late = requests.ask(asked, "10.0.1.2").id;
    requests.answer(late, true);
    const s = requests.state(late);
    now += 5 * 60_000 + 1;
    expect(s.status === "approved" && requests.redeem(s.code, "c1", HA_REDIRECT, verifier)).toBeUndefined();
    now += 10 * 60_000;
    expect(requests.waiting()).toEqual([]);
    expect(changes.length).toBe(MAX_WAITING + 3);
  });
});

describe("a flood of authorization requests from one machine", () => {
  it("replaces that machine's own oldest, never a request another browser waits on, and says so once", () => {
    const requests = new OAuthRequests();
    const parent = requests.ask({...asked, state: "parent"}, "192.168.1.20");
    expect(parent.again).toBe(false);
    const flood = Array.from({length: 50}, () => requests.ask(asked, "192.168.1.66"));
    expect(flood.map((f) => f.again)).toEqual([false, ...Array(49).fill(true)]);
    expect(requests.waiting()).toHaveLength(1 + MAX_WAITING_FROM_ONE);
    expect(requests.state(parent.id)).toEqual({status: "waiting"});
    expect(requests.state(flood[0]!.id)).toEqual({status: "gone"});
  });
});

describe("access tokens", () => {
  it("name their assistant until they end, and only under this add-on's key", () => {
    const key = newKey();
    const token = accessToken(key, "a1", 1000);
    expect(readAccessToken(key, token, 999)).toEqual({assistant: "a1"});
    expect(readAccessToken(key, token, 1000)).toEqual({why: "ended"});
    expect(readAccessToken(newKey(), token, 999)).toEqual({why: "unknown"});
    expect(readAccessToken(key, token.replace("a1.", "a2."), 999)).toEqual({why: "unknown"});
    expect(readAccessToken(key, token.replace(".1000.", ".9999.").slice(0), 999)).toEqual({why: "unknown"});
  });
});

describe("the rate per assistant", () => {
  it("lets a burst through at once, then says how long to wait, and refills", () => {
    let now = 0;
    const rates = new AssistantRates({burst: 3, perSecond: 1}, () => now);
    expect([rates.take("a"), rates.take("a"), rates.take("a")]).toEqual([undefined, undefined, undefined]);
    expect(rates.take("a")).toBe(1);
    expect(rates.take("b")).toBeUndefined();
    now += 1000;
    expect(rates.take("a")).toBeUndefined();
    expect(rates.take("a")).toBe(1);
  });
});
