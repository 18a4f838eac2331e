import https from "node:https";
import type {AddressInfo} from "node:net";
import {afterEach, beforeAll, describe, expect, it} from "vitest";
import {
  ClientDocumentError,
  ClientDocuments,
  documentClient,
  isDocumentId,
} from "../../../src/assistants/clientDocuments.js";
import {FetchPolicy} from "../../../src/core/fetchPolicy.js";
import {selfSignedCert} from "../../helpers/selfSignedCert.js";

/**
 * Client ID Metadata Documents read from a real HTTPS server on this machine, with a certificate
 * made here (its address in subjectAltName, as Node checks it) and trusted as the household's own CA.
 */
let cert = "";
let key = "";
beforeAll(async () => {
  ({cert, key} = await selfSignedCert());
});

const closing: Array<() => void> = [];
afterEach(() => {
  for (const close of closing.splice(0)) close();
});

/** A document server: `answer` decides each reply; the requests it got are counted. */
async function documentServer(
  answer: (origin: string, url: string) => {status?: number; body: string; headers?: Record<string, string>},
) {
  const seen: string[] = [];
  let origin = "";
  const server = https.createServer({cert, key}, (req, res) => {
    seen.push(req.url ?? "");
    const {status = 200, body, headers = {}} = answer(origin, req.url ?? "");
    res.writeHead(status, {"Content-Type": "application/json", ...headers}).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closing.push(() => {
    server.closeAllConnections();
    server.close();
  });
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {origin, seen};
}

/** What the asker is told of a document that could not be fetched: how the network looks is the parent's log's. */
const UNREAD =
  "it could not be read from here (a document inside the home network is read only when fetch_allow lists its host)";

const claudeLike = (origin: string) =>
  JSON.stringify({
    client_id: `${origin}/oauth/client.json`,
    client_name: "Claude Code",
    redirect_uris: ["http://localhost:33418/callback"],
    grant_types: ["authorization_code", "refresh_token"],
    token_endpoint_auth_method: "none",
  });

describe("Client ID Metadata Documents", () => {
  it("reads the client from its document once, and keeps it for the token request", async () => {
    const {origin, seen} = await documentServer((o) => ({body: claudeLike(o)}));
    const documents = new ClientDocuments({fetchPolicy: new FetchPolicy(["127.0.0.1"]), ca: cert});
    const id = `${origin}/oauth/client.json`;
    const [first, second] = await Promise.all([documents.client(id), documents.client(id)]);
    expect(first).toEqual({name: "Claude Code", redirectUris: ["http://localhost:33418/callback"]});
    expect(second).toEqual(first);
    await documents.client(id);
    expect(seen).toEqual(["/oauth/client.json"]);
  });

  it("refuses a document inside the home network that fetch_allow does not list, without asking it or saying why to the asker", async () => {
    const {origin, seen} = await documentServer((o) => ({body: claudeLike(o)}));
    const logged: string[] = [];
    const documents = new ClientDocuments({
      fetchPolicy: new FetchPolicy(),
      ca: cert,
      log: {debug: (line: string) => logged.push(line)},
    });
    const failed = await documents.client(`${origin}/oauth/client.json`).catch((err: Error) => err);
    expect(failed).toBeInstanceOf(ClientDocumentError);
    expect((failed as Error).message).toBe(UNREAD);
    expect(logged.join("\n")).toContain(
      "127.0.0.1 is a loopback address, which this service does not fetch from unless you allow it",
    );
    expect(seen).toEqual([]);
  });

  it("reads at most four documents at once, for everyone", async () => {
    const held: Array<() => void> = [];
    const server = https.createServer({cert, key}, (_req, res) => {
      held.push(() => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closing.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const documents = new ClientDocuments({fetchPolicy: new FetchPolicy(["127.0.0.1"]), ca: cert});
    const reading = [1, 2, 3, 4].map((n) =>
      documents.client(`${origin}/c${n}.json`).catch((err: Error) => err.message),
    );
    await expect(documents.client(`${origin}/c5.json`)).rejects.toThrow(
      "too many client documents are being read at once: try again in a moment",
    );
    while (held.length < 4) await new Promise((resolve) => server.once("request", resolve));
    for (const answer of held) answer();
    expect(await Promise.all(reading)).toEqual([
      "it answered 404",
      "it answered 404",
      "it answered 404",
      "it answered 404",
    ]);
  });

  it.each([
    [
      "a redirect",
      {status: 302, body: "", headers: {Location: "https://example.com/x.json"}},
      "it answered 302, a redirect, which is not followed",
    ],
    ["a missing page", {status: 404, body: "{}"}, "it answered 404"],
    ["more than 5 KB", {body: `{"client_name": "${"x".repeat(6000)}"}`}, UNREAD],
  ])("names what was wrong with %s, and asks again only after 30 s", async (_what, reply, words) => {
    let replies = 0;
    const {origin} = await documentServer((o) => (replies++ === 0 ? reply : {body: claudeLike(o)}));
    let now = 1_000_000;
    const documents = new ClientDocuments({fetchPolicy: new FetchPolicy(["127.0.0.1"]), ca: cert, now: () => now});
    const id = `${origin}/oauth/client.json`;
    await expect(documents.client(id)).rejects.toThrow(words);
    now += 29_000;
    await expect(documents.client(id)).rejects.toThrow(words);
    expect(replies).toBe(1);
    now += 2_000;
    await expect(documents.client(id)).resolves.toMatchObject({name: "Claude Code"});
  });

  it.each([
    ["not JSON", "<html>", "it is not JSON"],
    ["a list", "[]", "it is not a JSON object"],
    [
      "another client_id",
      {client_id: "https://evil.example/c.json", redirect_uris: ["https://a.example/cb"]},
      "its client_id is not the address it was read from",
    ],
    [
      "a secret",
      {client_secret: "s", redirect_uris: ["https://a.example/cb"]},
      "it holds a client_secret, which a document may not",
    ],
    [
      "a private key client",
      {token_endpoint_auth_method: "private_key_jwt", redirect_uris: ["https://a.example/cb"]},
      `its token_endpoint_auth_method is 'private_key_jwt': this add-on takes public clients ("none") only`,
    ],
    ["no redirects", {redirect_uris: []}, "its redirect_uris must list 1 to 5 addresses"],
    [
      "a custom scheme",
      {redirect_uris: ["ms-msdt:/id"]},
      "its redirect_uris may only be http or https addresses without a #fragment",
    ],
  ])("refuses a document that is %s", (_what, doc, words) => {
    const id = "https://client.example/oauth/client.json";
    const text = typeof doc === "string" ? doc : JSON.stringify({client_id: id, ...doc});
    expect(() => documentClient(id, text)).toThrow(words);
  });

  it("keeps a name without reversing or hiding characters, and falls back to the host", () => {
    const id = "https://client.example/c.json";
    const named = documentClient(
      id,
      JSON.stringify({
        client_id: id,
        client_name: "Kitchen \u202eClaude\u200b\n",
        redirect_uris: ["https://a.example/cb"],
      }),
    );
    expect(named.name).toBe("Kitchen Claude");
    const disguised = JSON.stringify({
      client_id: id,
      client_name: "Home\u200bAssistant",
      redirect_uris: ["https://a.example/cb"],
    });
    expect(() => documentClient(id, disguised)).toThrow("'Home Assistant' is taken only by Home Assistant itself");
    const unnamed = documentClient(id, JSON.stringify({client_id: id, redirect_uris: ["https://a.example/cb"]}));
    expect(unnamed.name).toBe("client.example");
  });

  it.each([
    ["https://client.example/c.json", true],
    ["https://client.example/", false],
    ["http://client.example/c.json", false],
    ["https://user:pw@client.example/c.json", false],
    ["https://client.example/a/../c.json", false],
    ["https://client.example/c.json#x", false],
    [`https://client.example/${"a".repeat(600)}`, false],
    ["eyJuIjoiSG9tZSJ9.sig", false],
  ])("takes %s as a document's address: %s", (id, expected) => {
    expect(isDocumentId(id)).toBe(expected);
  });
});
