// Baseline: the least a Node server can do to serve a file with single byte ranges.
import {createReadStream, statSync} from "node:fs";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {serveBenchProtocol} from "../lib.js";

const file = process.argv[2] as string;
const size = statSync(file).size;
const server = http.createServer((req, res) => {
  const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
  const start = m ? Number(m[1]) : 0;
  const end = m?.[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  res.writeHead(m ? 206 : 200, {
    "Content-Type": "audio/mpeg",
    "Content-Length": end - start + 1,
    ...(m ? {"Content-Range": `bytes ${start}-${end}/${size}`} : {}),
  });
  createReadStream(file, {start, end, highWaterMark: 256 * 1024}).pipe(res);
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  const {port} = server.address() as AddressInfo;
  serveBenchProtocol(`http://127.0.0.1:${port}/`, async () => {
    server.closeAllConnections();
    server.close();
  });
});
