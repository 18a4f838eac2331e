import {ownEntry} from "../core/ownKeys.js";
import type {PlayerWorld, VirtualPlayer} from "./player.js";

export type Command = {ack: string; run: (player: VirtualPlayer, body: Record<string, unknown>) => boolean};

// Command topic → behaviour; ack keys are the ones real players send (reference §4.4, §10.8:
// `set-volume`, not `volume`), each echoing the request body byte for byte.
export const COMMANDS: Record<string, Command> = {
  "events/request": {ack: "events", run: (p) => always(() => p.requestEvents())},
  "status/request": {ack: "status", run: (p) => always(() => p.requestStatus(false))},
  status: {ack: "status", run: (p, b) => always(() => p.requestStatus(true, b.requestId))},
  "volume/set": {ack: "set-volume", run: (p, b) => p.setVolumePercent(b.volume)},
  "card/start": {ack: "card-play", run: (p, b) => p.startCard(b)},
  "card/stop": {ack: "card-stop", run: (p) => p.stopCard()},
  "card/pause": {ack: "card-pause", run: (p) => p.pause()},
  "card/resume": {ack: "card-resume", run: (p) => p.resume()},
  "sleep-timer/set": {ack: "sleep-timer", run: (p, b) => p.setSleepTimer(b.seconds)},
  "ambients/set": {ack: "ambients", run: (p, b) => p.setAmbient(b)},
  "display/preview": {ack: "display", run: (p, b) => p.preview(b)},
  reboot: {
    ack: "reboot",
    run: (p) =>
      always(() => {
        p.setOnline(false);
        setTimeout(() => p.setOnline(true), 50);
      }),
  },
};

/**
 * A command published to `device/<id>/command/<command>`, run and acked on `<topic>/response`. A
 * body that is not JSON runs as an empty one; an unknown command FAILs under its topic's name.
 */
export function runCommand(player: VirtualPlayer, world: PlayerWorld, command: string, raw: Buffer): void {
  const text = raw.toString("utf8");
  let body: Record<string, unknown> = {};
  try {
    body = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = {};
  }
  const handler = ownEntry(COMMANDS, command);
  if (!handler) {
    ack(player, world, command.replace("/", "-"), "FAIL", text);
    return;
  }
  const ok = handler.run(player, body);
  ack(player, world, handler.ack, ok ? "OK" : "FAIL", text);
}

/** The simulator's faults decide whether an ack comes late, or not at all. */
function ack(player: VirtualPlayer, world: PlayerWorld, key: string, result: "OK" | "FAIL", reqBody: string): void {
  const {delayMs, lose} = world.acks;
  if (lose) return;
  const send = () => world.publish(`${player.topic}/response`, {status: {[key]: result, req_body: reqBody}});
  if (delayMs > 0) setTimeout(send, delayMs);
  else send();
}

function always(action: () => void): boolean {
  action();
  return true;
}
