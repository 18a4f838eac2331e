// Baseline: the least a Node server can do to serve a file with single byte ranges.
import {createReadStream, readdirSync, statSync} from "node:fs";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {serveBenchProtocol} from "../lib.js";

// argv: a file, served at any path; or a folder, whose files are served at /<name>.
const given = process.argv[2] as string;
const folder = statSync(given).isDirectory() ? given : undefined;
const sizes = new Map<string, number>(
  folder ? readdirSync(folder).map((name) => [`/${name}`, statSync(`${folder}/${name}`).size]) : [],
);
const fileSize = folder ? 0 : statSync(given).size;
const server = http.createServer((req, res) => {
  const pathname = (req.url ?? "/").split("?")[0] as string;
  const size = folder ? sizes.get(pathname) : fileSize;
  if (size === undefined) return void res.writeHead(404).end();
  const file = folder ? `${folder}${pathname}` : given;
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
  const base = `http://127.0.0.1:${port}`;
  serveBenchProtocol(
    `${base}/`,
    async () => {
      server.closeAllConnections();
      server.close();
    },
    folder ? [...sizes.keys()].map((name) => `${base}${name}`) : undefined,
  );
});
