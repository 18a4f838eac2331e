import http from "node:http";
import type {AddressInfo} from "node:net";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {HttpRequestError, httpRequest, jsonObject} from "../../../src/core/httpRequest.js";
import {freePort} from "../../helpers/mqtt.js";

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/echo") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () =>
        res.end(
          JSON.stringify({
            method: req.method,
            type: req.headers["content-type"],
            length: req.headers["content-length"],
            body: Buffer.concat(chunks).toString(),
          }),
        ),
      );
    } else if (req.url === "/silent") {
      // Headers never come.
    } else if (req.url === "/declared-large") {
      res.writeHead(200, {"Content-Length": String(10_000)});
      res.end("x".repeat(10_000));
    } else if (req.url === "/chunked-large") {
      res.writeHead(200);
      res.write("x".repeat(6_000));
      setTimeout(() => res.end("x".repeat(6_000)), 10);
    } else if (req.url === "/reset") {
      req.socket.destroy();
    } else {
      res.writeHead(404, {"Content-Type": "text/html"});
      res.end("<html>nope</html>");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<HttpRequestError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpRequestError);
  return err as HttpRequestError;
}

describe("httpRequest", () => {
  it("sends a body with its length and reads the whole answer", async () => {
    const res = await httpRequest(`${base}/echo`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({é: 1}),
      timeoutMs: 2000,
    });
    expect(res.ok).toBe(true);
    expect(JSON.parse(res.text())).toEqual({
      method: "POST",
      type: "application/json",
      length: String(Buffer.byteLength('{"é":1}')),
      body: '{"é":1}',
    });
  });

  it("answers an error status as an answer, not a failure", async () => {
    const res = await httpRequest(`${base}/missing`, {timeoutMs: 2000});
    expect([res.status, res.ok, res.text()]).toEqual([404, false, "<html>nope</html>"]);
    expect(jsonObject(res.text())).toEqual({});
  });

  it("says which address refused the connection", async () => {
    const port = await freePort();
    const err = await failure(httpRequest(`http://127.0.0.1:${port}/x?token=secret`, {timeoutMs: 2000}));
    expect([err.kind, err.message]).toEqual(["unreachable", `connection refused by 127.0.0.1:${port}`]);
  });

  it("gives up after the time allowed", async () => {
    const err = await failure(httpRequest(`${base}/silent`, {timeoutMs: 150}));
    expect([err.kind, err.message]).toEqual(["timeout", "no answer within 150 ms"]);
  });

  it("refuses an answer over the limit, declared or counted", async () => {
    const declared = await failure(httpRequest(`${base}/declared-large`, {timeoutMs: 2000, maxBytes: 5000}));
    expect([declared.kind, declared.message]).toEqual([
      "too_large",
      "the answer is 10000 bytes, more than the 5000 expected",
    ]);
    const counted = await failure(httpRequest(`${base}/chunked-large`, {timeoutMs: 2000, maxBytes: 10_000}));
    expect([counted.kind, counted.message]).toEqual(["too_large", "the answer is more than 10000 bytes"]);
  });

  it("reports a connection closed before the answer", async () => {
    const err = await failure(httpRequest(`${base}/reset`, {timeoutMs: 2000}));
    expect([err.kind, err.message]).toEqual(["unreachable", `${new URL(base).host} closed the connection`]);
  });

  it("refuses addresses that are not http(s)", async () => {
    const err = await failure(httpRequest("file:///etc/passwd", {timeoutMs: 2000}));
    expect(err.message).toBe("file: addresses are not supported");
  });
});
