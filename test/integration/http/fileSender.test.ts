import {randomBytes} from "node:crypto";
import {rename, writeFile} from "node:fs/promises";
import http from "node:http";
import net, {type AddressInfo} from "node:net";
import path from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";
import {OpenFiles} from "../../../src/files/openFiles.js";
import type {Segment} from "../../../src/files/segment.js";
import {FileSender} from "../../../src/http/fileSender.js";
import {openFilesUnder} from "../../helpers/fds.js";
import {tempDir} from "../../helpers/tmp.js";

let server: http.Server | undefined;
const quiet = new Logger({sink: () => {}});
let open: OpenFiles;
beforeEach(async () => {
  open = new OpenFiles(new EventBus(quiet), quiet);
  await open.start();
});
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
  await open.stop();
});

/** Serve `segments` through FileSender on a real socket; report how each send ended. */
async function serve(segments: Segment[]) {
  const sender = new FileSender(open);
  const outcomes: Array<"ok" | "failed"> = [];
  server = http.createServer((_req, res) => {
    res.writeHead(200);
    sender.send(res, segments).then(
      () => {
        outcomes.push("ok");
        res.end();
      },
      () => {
        outcomes.push("failed");
        res.destroy();
      },
    );
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, outcomes};
}

describe("FileSender", () => {
  it("writes exactly the requested bytes of several files as one body", async () => {
    const dir = await tempDir();
    const files = await Promise.all(
      [700_000, 3, 300_000].map(async (size, i) => {
        const file = path.join(dir, `f${i}`);
        const data = randomBytes(size);
        await writeFile(file, data);
        return {file, data};
      }),
    );
    const [a, b, c] = files as [(typeof files)[0], (typeof files)[0], (typeof files)[0]];
    const {url, outcomes} = await serve([
      {file: a.file, start: 123_456, end: 699_999},
      {file: b.file, start: 0, end: 2},
      {file: c.file, start: 0, end: 262_144},
    ]);
    const body = Buffer.from(await (await fetch(url)).arrayBuffer());
    const expected = Buffer.concat([a.data.subarray(123_456), b.data, c.data.subarray(0, 262_145)]);
    expect(body.length).toBe(expected.length);
    expect(body.equals(expected)).toBe(true);
    expect(outcomes).toEqual(["ok"]);
  });

  it("stops reading and closes its files when the client goes away mid-body", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "big");
    // Far more than loopback socket buffers hold, so the sender is still writing when the client leaves.
    const size = 48 * 1024 * 1024;
    await writeFile(file, Buffer.alloc(size, 1));
    const {url, outcomes} = await serve([{file: file, start: 0, end: size - 1}]);
    // A client that asks and never reads: the server blocks on backpressure, then the client leaves.
    const {port} = new URL(url);
    const socket = net.connect(Number(port), "127.0.0.1");
    socket.pause();
    socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await new Promise((r) => setTimeout(r, 300));
    expect(outcomes).toEqual([]);
    socket.destroy();
    await expect.poll(() => outcomes, {timeout: 5000}).toHaveLength(1);
    expect(outcomes).toEqual(["failed"]);
    // Let go of, and closed once the open files are: nothing is held per client.
    expect(open.health().details).toEqual({open: 1, inUse: 0});
    await open.stop();
    await expect.poll(() => openFilesUnder(dir), {timeout: 2000}).toEqual([]);
  });

  it("fails when a file is shorter than its segment says", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "short");
    await writeFile(file, randomBytes(1000));
    const {url, outcomes} = await serve([{file: file, start: 0, end: 4999}]);
    await fetch(url)
      .then((r) => r.arrayBuffer())
      .catch(() => undefined);
    await expect.poll(() => outcomes, {timeout: 5000}).toEqual(["failed"]);
    expect(open.health().details).toEqual({open: 1, inUse: 0});
  });

  it("sends bytes already in memory between file segments, in order", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "f");
    const data = randomBytes(600_000);
    await writeFile(file, data);
    const inMemory = randomBytes(5000);
    const {url, outcomes} = await serve([
      {file, start: 10, end: 299_999},
      // Bytes 1000..4999 of a file whose bytes 1000.. are in memory from offset 1000.
      {file: "not read", start: 2000, end: 4999, memory: {data: inMemory.subarray(1000), offset: 1000}},
      {file, start: 300_000, end: 599_999},
    ]);
    const body = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(
      body.equals(Buffer.concat([data.subarray(10, 300_000), inMemory.subarray(2000), data.subarray(300_000)])),
    ).toBe(true);
    expect(outcomes).toEqual(["ok"]);
  });

  it("refuses a file that is not the one measured: another file now at the path is never sent", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "f");
    await writeFile(file, randomBytes(1000));
    const measured = await open.acquire(file);
    measured.release();
    // Replaced the way editors and uploads save: a new file renamed over the old one.
    await writeFile(`${file}.new`, randomBytes(1000));
    await rename(`${file}.new`, file);
    // What the library does when it sees a change (otherwise a file is confirmed once a second).
    open.forgetChecks();
    const {url, outcomes} = await serve([{file, start: 0, end: 999, identity: measured.key}]);
    await fetch(url)
      .then((r) => r.arrayBuffer())
      .catch(() => undefined);
    await expect.poll(() => outcomes, {timeout: 5000}).toEqual(["failed"]);
  });
});
