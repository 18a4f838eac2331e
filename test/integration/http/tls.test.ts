import {execFile} from "node:child_process";
import {writeFile} from "node:fs/promises";
import https from "node:https";
import path from "node:path";
import {promisify} from "node:util";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

const OPENSSL = systemNeed("openssl");

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe("TLS on the audio listener", () => {
  it.skipIf(!OPENSSL.path)("serves signed audio over HTTPS with the configured certificate", async () => {
    const dir = await tempDir();
    const cert = path.join(dir, "cert.pem");
    const key = path.join(dir, "key.pem");
    await promisify(execFile)("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-keyout",
      key,
      "-out",
      cert,
    ]);
    t = await startApp(["--ssl", "--certfile", cert, "--keyfile", key]);
    expect(t.audioUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get(`${t!.audioUrl}/audio/x`, {rejectUnauthorized: false}, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on("error", reject);
    });
    expect(status).toBe(404);
  });

  it("names every certificate file that is missing, and how to fix it", async () => {
    const dir = await tempDir();
    const cert = path.join(dir, "none.pem");
    const key = path.join(dir, "k.pem");
    await expect(startApp(["--ssl", "--certfile", cert, "--keyfile", key])).rejects.toThrow(
      `Cannot start: 'audio-http' failed (ssl is on but the certfile '${cert}' cannot be read (ENOENT) and the keyfile '${key}' cannot be read (ENOENT): put them in place or turn ssl off)`,
    );
    await writeFile(cert, "not really a certificate");
    await expect(startApp(["--ssl", "--certfile", cert, "--keyfile", key])).rejects.toThrow(
      `(ssl is on but the keyfile '${key}' cannot be read (ENOENT): put them in place or turn ssl off)`,
    );
  });
});
