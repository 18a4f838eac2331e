import net from "node:net";

/**
 * A loopback port for a server another program binds later (Mosquitto, Icecast, MiniDLNA, a flag).
 *
 * A port the kernel hands out for `listen(0)` comes from the ephemeral range, the same range every
 * outgoing connection takes its local port from: closed again and bound a moment later, it can be
 * taken in between by any connection of any test file running beside this one. So these come from
 * a block below that range, one block per Vitest worker (VITEST_POOL_ID), each port tried before it
 * is handed out, and never the same port twice in one process. Imports nothing of the test runner:
 * the bench uses it too.
 */
const FIRST = 20_000;
const BLOCK = 1_500;
const poolId = Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 0) || 0;
const base = FIRST + (poolId % 8) * BLOCK;
// Each new process of the same worker starts elsewhere in its block (a port a file left in
// TIME_WAIT or a child not yet gone is skipped by the bind check anyway).
let next = Math.floor(Math.random() * BLOCK);

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({port, host: "127.0.0.1", exclusive: true}, () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < BLOCK; tries++) {
    const port = base + (next++ % BLOCK);
    if (await canBind(port)) return port;
  }
  throw new Error(`no free loopback port in ${base}-${base + BLOCK - 1}`);
}
