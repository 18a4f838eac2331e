// A tablet on a machine of its own: run inside a network namespace (`ip netns exec`), it sends
// `count` POSTs of one JSON body to `url` at once, over at most `connections` kept connections, and
// writes one line: how many answers had each status, and the body of one answer per status. No
// test helpers here: they load vitest, which only runs inside the test runner.

import http from "node:http";

const [url, body, authorization, count, connections] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const agent = new http.Agent({keepAlive: true, maxSockets: Number(connections)});

function post(): Promise<{status: number; text: string}> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {method: "POST", agent, headers: {Authorization: authorization, "Content-Type": "application/json"}},
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({status: res.statusCode ?? 0, text}));
      },
    );
    req.on("error", (err) => resolve({status: 0, text: err.message}));
    req.end(body);
  });
}

const answers = await Promise.all(Array.from({length: Number(count)}, post));
agent.destroy();
const statuses: Record<string, number> = {};
const bodies: Record<string, string> = {};
for (const a of answers) {
  statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  bodies[a.status] ??= a.text;
}
process.stdout.write(`${JSON.stringify({statuses, bodies})}\n`);
