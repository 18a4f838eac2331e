import Koa from "koa";
import {afterEach, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {HttpListener} from "../../../src/http/listener.js";

let listener: HttpListener | undefined;
afterEach(async () => {
  await listener?.stop();
  listener = undefined;
});

async function started(host: string): Promise<{lines: string[]; port: number}> {
  const lines: string[] = [];
  listener = new HttpListener("admin-http", new Koa(), {host, port: 0}, new Logger({sink: (l) => lines.push(l)}));
  await listener.start();
  return {lines, port: listener.port};
}

describe("the listener's start line", () => {
  it("says every address is bound when the host is the wildcard, and how this machine opens it", async () => {
    const {lines, port} = await started("0.0.0.0");
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          ` INFO: Listening on port ${port} \\(all addresses; http://127\\.0\\.0\\.1:${port} from this machine\\)$`,
        ),
      ),
    ]);
  });

  it("names the one address bound otherwise", async () => {
    const {lines, port} = await started("127.0.0.1");
    expect(lines).toEqual([expect.stringMatching(new RegExp(` INFO: Listening on http://127\\.0\\.0\\.1:${port}$`))]);
  });
});
