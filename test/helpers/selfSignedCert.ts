import {execFile} from "node:child_process";
import {readFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {tempDir} from "./tmp.js";

/**
 * A certificate for 127.0.0.1 made by OpenSSL for one test file: its files, and their text for a
 * server's `cert`/`key` or a client's `ca`. The address is in subjectAltName, where Node checks it.
 */
export async function selfSignedCert(): Promise<{certFile: string; keyFile: string; cert: string; key: string}> {
  const dir = await tempDir();
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  await promisify(execFile)("openssl", [
    ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"],
    ...["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", keyFile, "-out", certFile],
  ]);
  return {certFile, keyFile, cert: await readFile(certFile, "utf8"), key: await readFile(keyFile, "utf8")};
}
