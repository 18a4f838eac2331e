import type http from "node:http";
import type {AddressInfo} from "node:net";

/**
 * `server` listening on 127.0.0.1 (a port of its own), its closing (every connection with it) added
 * to `owned` for the test's end; answers its origin.
 */
export async function listenOwned(server: http.Server, owned: Array<() => Promise<void>>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  owned.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
