import {createHash} from "node:crypto";
import {describe, expect, it} from "vitest";
import {EVERY_GRANT} from "../../../src/assistants/assistantGrants.js";
import {AssistantRates} from "../../../src/assistants/assistantRates.js";
import {accessToken, newKey, readAccessToken, sign, signedBy} from "../../../src/assistants/assistantTokens.js";
import {clientOf, registerClient, type Signer} from "../../../src/assistants/oauthClients.js";
import {MAX_WAITING, MAX_WAITING_FROM_ONE, OAuthRequests, WAITING_FULL} from "../../../src/assistants/oauthRequests.js";

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
      "The registration's redirect_uris 'javascript:alert(1)' cannot take an answer: only an http or https address can (not javascript:)",
    ],
    [
      {redirect_uris: ["ms-msdt:/id PCWDiagnostic"]},
      "The registration's redirect_uris 'ms-msdt:/id PCWDiagnostic' cannot take an answer: only an http or https address can (not ms-msdt:)",
    ],
    [
      {redirect_uris: ["view-source:http://192.168.1.5:8099/"]},
      "The registration's redirect_uris 'view-source:http://192.168.1.5:8099/' cannot take an answer: only an http or https address can (not view-source:)",
    ],
    [
      {redirect_uris: ["com.example.app:/callback"]},
      "The registration's redirect_uris 'com.example.app:/callback' cannot take an answer: only an http or https address can (not com.example.app:)",
    ],
    [
      {redirect_uris: ["https://a.example/cb#x"]},
      "The registration's redirect_uris 'https://a.example/cb#x' cannot take an answer: an address with a #fragment cannot",
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

  const CLAIMS_HA =
    "The registration's client_name 'Home Assistant' is taken only by Home Assistant itself, whose answers go to https://my.home-assistant.io/redirect/oauth or its own address followed by /auth/external/callback: register under another name";

  it.each([
    ["Home Assistant", ["http://evil.example/cb"]],
    ["home  ASSISTANT", [HA_REDIRECT, "http://evil.example/cb"]],
    ["Home-Assistant", ["https://my.home-assistant.io/redirect/oauth?x=1"]],
    ["Home\u200bAssistant", ["http://192.168.1.66:8123/auth/external/callback/x"]],
    // Cyrillic letters drawn as Latin ones, and characters a font draws as nothing or as a space.
    ["Home \u0410ssistant", ["http://evil.example/cb"]],
    ["\u041d\u043eme Assistant", ["http://evil.example/cb"]],
    ["Home\u3164Assistant", ["http://evil.example/cb"]],
    ["Home Assistant\ufe0f\u034f", ["http://evil.example/cb"]],
    ["Home\u2800Assistant", ["http://evil.example/cb"]],
    ["\uff28ome Assistant", ["http://evil.example/cb"]],
  ])("takes the name %j only with Home Assistant's own redirects (%j refused)", (name, uris) => {
    expect(() => registerClient({client_name: name, redirect_uris: uris}, signer())).toThrow(CLAIMS_HA);
  });

  it("takes 'Home Assistant' with My Home Assistant's redirect or a Home Assistant's own /auth/external/callback", () => {
    for (const uri of [HA_REDIRECT, "http://homeassistant.local:8123/auth/external/callback"])
      expect(registerClient({client_name: "Home Assistant", redirect_uris: [uri]}, signer())).toMatchObject({
        client_name: "Home Assistant",
        redirect_uris: [uri],
      });
  });

  it("drops format characters from a name and makes control characters spaces, as registered and as read back", () => {
    const ours = signer();
    const answer = registerClient(
      {client_name: "Evil\u202eTNATSISSA\u200b\u2066 \u2069Bot\nline", redirect_uris: ["https://bot.example/cb"]},
      ours,
    );
    expect(answer.client_name).toBe("EvilTNATSISSA Bot line");
    expect(clientOf(answer.client_id, ours)?.name).toBe("EvilTNATSISSA Bot line");
    // An id signed before names were cleaned is shown clean.
    const payload = Buffer.from(JSON.stringify({n: "Home\u202eAssistant", r: ["https://x.example/cb"]})).toString(
      "base64url",
    );
    const old = `${payload}.${ours.sign(`client:${payload}`)}`;
    expect(clientOf(old, ours)?.name).toBe("HomeAssistant");
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

/** A request approved and its code taken by the browser that asked. */
function codeOf(requests: OAuthRequests): string {
  const {id, secret} = requests.ask(asked, "192.168.1.20");
  requests.answer(id, true);
  const s = requests.state(id, secret);
  if (s.status !== "approved") throw new Error(`not approved: ${s.status}`);
  return s.code;
}

describe("authorization requests and codes", () => {
  it("waits for a parent, shows where it came from and its pairing code, and gives its code once", () => {
    const requests = new OAuthRequests();
    const {id, secret, pairing} = requests.ask(asked, "192.168.1.20");
    expect(pairing).toMatch(/^[ACDEFHJKMNPRTUVWXY3479]{4}$/);
    expect(requests.waiting()).toMatchObject([
      {id, client: "Home Assistant", redirect_host: "my.home-assistant.io", from: "192.168.1.20", pairing},
    ]);
    expect(requests.state(id, secret)).toEqual({status: "waiting", pairing});
    expect(requests.answer(id, true)).toBe(true);
    expect(requests.answer(id, true)).toBe(false);
    const approved = requests.state(id, secret);
    if (approved.status !== "approved") throw new Error("not approved");
    expect(requests.state(id, secret)).toEqual({status: "gone"});
    expect(requests.redeem(approved.code, "c1", HA_REDIRECT, "w".repeat(64))).toEqual({ok: false});
    // The wrong verifier spent it.
    expect(requests.redeem(approved.code, "c1", HA_REDIRECT, verifier)).toEqual({ok: false});
  });

  it("gives the answer only to the browser holding the request's secret, and only when it takes it", () => {
    const requests = new OAuthRequests();
    const {id, secret, pairing} = requests.ask(asked, "192.168.1.20");
    requests.answer(id, true);
    expect(requests.state(id, "")).toEqual({status: "not_yours"});
    expect(requests.state(id, "x".repeat(43))).toEqual({status: "not_yours"});
    // A HEAD (take = false) spends nothing either.
    expect(requests.state(id, secret, false)).toEqual({status: "waiting", pairing});
    expect(requests.state(id, secret)).toMatchObject({status: "approved"});
    // A no goes the same way.
    const denied = requests.ask(asked, "192.168.1.20");
    requests.answer(denied.id, false);
    expect(requests.state(denied.id, "")).toEqual({status: "not_yours"});
    expect(requests.state(denied.id, denied.secret)).toMatchObject({status: "denied"});
  });

  it("shows each waiting request its own pairing code", () => {
    const requests = new OAuthRequests();
    const codes = Array.from({length: MAX_WAITING}, (_, i) => requests.ask(asked, `10.0.0.${i}`).pairing);
    expect(new Set(codes).size).toBe(MAX_WAITING);
  });

  it("trades a code for the client and redirect it was issued to, with the grants the parent gave", () => {
    const requests = new OAuthRequests();
    expect(requests.redeem(codeOf(requests), "c2", HA_REDIRECT, verifier)).toEqual({ok: false});
    expect(requests.redeem(codeOf(requests), "c1", "https://other.example/cb", verifier)).toEqual({ok: false});
    const {id, secret} = requests.ask(asked, "192.168.1.20");
    requests.answer(id, true, {readOnly: true, children: ["Mia"]});
    const s = requests.state(id, secret);
    const code = s.status === "approved" ? s.code : "";
    expect(requests.redeem(code, "c1", HA_REDIRECT, verifier)).toMatchObject({
      ok: true,
      granted: {client: "c1", scope: "yoto", grants: {readOnly: true, children: ["Mia"]}},
    });
    expect(requests.redeem(codeOf(requests), "c1", HA_REDIRECT, verifier)).toMatchObject({
      granted: {grants: EVERY_GRANT},
    });
  });

  it("holds a code while its tokens are saved: a second trade at once loses, a failed save leaves it good, a saved one is spent", () => {
    const requests = new OAuthRequests();
    const code = codeOf(requests);
    expect(requests.outstanding()).toBe(1);
    const first = requests.redeem(code, "c1", HA_REDIRECT, verifier);
    if (!first.ok) throw new Error("refused");
    expect(requests.redeem(code, "c1", HA_REDIRECT, verifier)).toEqual({ok: false});
    first.failed();
    const again = requests.redeem(code, "c1", HA_REDIRECT, verifier);
    if (!again.ok) throw new Error("the code was spent by a failed save");
    again.done("assistant-1");
    expect(requests.outstanding()).toBe(0);
    // Presented after its trade: a replay, naming the assistant to revoke, once.
    expect(requests.redeem(code, "c1", HA_REDIRECT, verifier)).toEqual({ok: false, replayOf: "assistant-1"});
    expect(requests.redeem(code, "c1", HA_REDIRECT, verifier)).toEqual({ok: false});
  });

  it("ends a request after 10 minutes and a code after 5, and refuses a 21st waiting request rather than drop one", () => {
    let now = 0;
    const changes: number[] = [];
    const requests = new OAuthRequests(
      () => changes.push(now),
      () => now,
    );
    const first = requests.ask(asked, "10.0.0.0");
    for (let i = 1; i < MAX_WAITING; i++) requests.ask(asked, `10.0.0.${i}`);
    expect(requests.waiting()).toHaveLength(MAX_WAITING);
    expect(() => requests.ask(asked, "10.0.1.1")).toThrow(WAITING_FULL);
    expect(requests.waiting()).toHaveLength(MAX_WAITING);
    expect(requests.state(first.id, first.secret)).toMatchObject({status: "waiting"});
    requests.answer(first.id, true);
    const s = requests.state(first.id, first.secret);
    now += 5 * 60_000 + 1;
    expect(s.status === "approved" && requests.redeem(s.code, "c1", HA_REDIRECT, verifier)).toEqual({ok: false});
    now += 10 * 60_000;
    expect(requests.waiting()).toEqual([]);
    expect(changes.length).toBe(MAX_WAITING + 1);
  });
});

describe("a flood of authorization requests", () => {
  it("from one machine replaces that machine's own oldest, never a request another browser waits on, and says so once", () => {
    const requests = new OAuthRequests();
    const parent = requests.ask({...asked, state: "parent"}, "192.168.1.20");
    expect(parent.again).toBe(false);
    const flood = Array.from({length: 50}, () => requests.ask(asked, "192.168.1.66"));
    expect(flood.map((f) => f.again)).toEqual([false, ...Array(49).fill(true)]);
    expect(requests.waiting()).toHaveLength(1 + MAX_WAITING_FROM_ONE);
    expect(requests.state(parent.id, parent.secret)).toMatchObject({status: "waiting"});
    expect(requests.state(flood[0]!.id, flood[0]!.secret)).toEqual({status: "gone"});
  });

  it("from ten machines, two each, leaves the parent's earlier request waiting, to be approved", () => {
    const requests = new OAuthRequests();
    const parent = requests.ask(asked, "192.168.1.20");
    const refused: string[] = [];
    for (let machine = 0; machine < 10; machine++)
      for (let n = 0; n < 2; n++) {
        try {
          requests.ask(asked, `192.168.1.${100 + machine}`);
        } catch (err) {
          refused.push((err as Error).message);
        }
      }
    expect(refused).toEqual([WAITING_FULL]);
    expect(requests.answer(parent.id, true)).toBe(true);
    expect(requests.state(parent.id, parent.secret)).toMatchObject({status: "approved"});
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
