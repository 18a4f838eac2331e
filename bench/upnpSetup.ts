import path from "node:path";
import type {PlayerSpec} from "../src/sim/player.js";
import {YotoSimulator} from "../src/sim/simulator.js";
import {type BenchChild, forkService, sized} from "./lib.js";
import {type EventSink, subscribe} from "./upnpHttp.js";

/** Players (so renderers) in the UPnP benches: the ten. */
export const PLAYERS = sized(10, 2);

/** What a UPnP bench child says once it is linked and every player is known. */
export interface Ready {
  upnpPort: number;
  renderers: number;
}

/**
 * A fresh simulator with PLAYERS players and the service linked to it in its own process
 * (`launch(args)`, args: data folder, media folder, endpoints, player count, "true"/"false" for
 * `upnp`), for `use`; both stopped after.
 */
export async function withService<T, R extends Ready = Ready>(
  o: {root: string; name: string; upnp: boolean; launch: (args: string[]) => BenchChild},
  use: (ready: R, sim: YotoSimulator, specs: PlayerSpec[], child: BenchChild) => Promise<T>,
): Promise<T> {
  const specs: PlayerSpec[] = Array.from({length: PLAYERS}, (_, i) => ({
    deviceId: `yupnp${String(i).padStart(4, "0")}`,
    name: `Player ${i}`,
    deviceType: i % 2 === 0 ? "v3" : "mini",
    deviceFamily: i % 2 === 0 ? "v3" : "mini",
  }));
  // 20× real time: each cast and announcement of the 5 s tone is over in a moment.
  const sim = new YotoSimulator({speed: 20, players: specs});
  await sim.start();
  const child = o.launch([
    path.join(o.root, o.name),
    path.join(o.root, "media"),
    JSON.stringify(sim.endpoints),
    String(PLAYERS),
    String(o.upnp),
  ]);
  try {
    const ready = await child.ask<R>({}, "ready");
    if (ready.renderers !== (o.upnp ? PLAYERS : 0))
      throw new Error(`bench: ${ready.renderers} renderers for ${PLAYERS} players (upnp ${o.upnp})`);
    return await use(ready, sim, specs, child);
  } finally {
    await child.stop();
    await sim.stop();
  }
}

/** One subscriber per renderer, to AVTransport and RenderingControl; resolved once every initial event is in. */
export async function subscribeAll(base: string, specs: PlayerSpec[], sink: EventSink): Promise<void> {
  const initial: Array<Promise<unknown>> = [];
  for (const spec of specs)
    for (const service of ["AVTransport", "RenderingControl"]) {
      const key = `${spec.deviceId}/${service}`;
      initial.push(sink.next((n) => n.key === key && n.seq === 0, `the initial event of ${key}`));
      await subscribe(base, spec.deviceId, service, sink, key);
    }
  await Promise.all(initial);
}

/**
 * One player on a simulator in real time (speed 1: a queue's timing is the player's own) and the
 * service with its renderer in a process of its own, for `use`; both stopped after.
 */
export async function withOnePlayer<T>(
  root: string,
  player: {deviceId: string; name: string},
  use: (ready: Ready, sim: YotoSimulator, child: BenchChild) => Promise<T>,
): Promise<T> {
  const sim = new YotoSimulator({speed: 1, players: [{...player, deviceType: "v3", deviceFamily: "v3"}]});
  await sim.start();
  const child = forkService("upnpService", [
    path.join(root, "service"),
    path.join(root, "media"),
    JSON.stringify(sim.endpoints),
    "1",
    "true",
  ]);
  try {
    return await use(await child.ask<Ready>({}, "ready"), sim, child);
  } finally {
    await child.stop();
    await sim.stop();
  }
}
