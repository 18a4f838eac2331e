import {describe, expect, it} from "vitest";
import {AckTracker} from "../../../src/yoto/acks.js";
import {ackKeysFor} from "../../../src/yoto/commands.js";

const PLAYER = "y2P3y0gSbIMTq5Mux4vhI-XE";
const OURS = '{"uri":"https://yoto.io/abc12","chapterKey":"01-INT","trackKey":"01-INT"}';
// What another client (written in Python) sent for the same card: same key, other bytes.
const THEIRS = '{"uri": "https://yoto.io/abc12", "chapterKey": "01-INT", "trackKey": "01-INT"}';

const ack = (key: string, result: string, reqBody?: string) => ({
  status: {[key]: result, ...(reqBody === undefined ? {} : {req_body: reqBody})},
});

/** Settles to "OK" / the error's message, or "pending" if it has not settled yet. */
async function outcome(promise: Promise<void>): Promise<string> {
  const pending = Symbol("pending");
  const result = await Promise.race([
    promise.then(
      () => "OK",
      (err: Error) => err.message,
    ),
    new Promise<symbol>((resolve) => setImmediate(() => resolve(pending))),
  ]);
  return result === pending ? "pending" : (result as string);
}

describe("acks are matched by key and echoed body", () => {
  it("an ack for another client's command with the same key settles nothing; ours then settles on its own ack", async () => {
    const acks = new AckTracker();
    const ours = acks.expect(PLAYER, "card/start", OURS, "'play_card' on 'Living Room'", 5000);
    expect(acks.handle(PLAYER, ack("card-play", "OK", THEIRS))).toBe(false);
    expect(await outcome(ours)).toBe("pending");
    expect(acks.handle(PLAYER, ack("card-play", "OK", OURS))).toBe(true);
    expect(await outcome(ours)).toBe("OK");
  });

  it("another client's FAIL does not fail ours", async () => {
    const acks = new AckTracker();
    const ours = acks.expect(PLAYER, "volume/set", '{"volume":50}', "'volume' on 'Living Room'", 5000);
    expect(acks.handle(PLAYER, ack("set-volume", "FAIL", '{"volume": 50}'))).toBe(false);
    expect(acks.handle(PLAYER, ack("volume", "FAIL", ""))).toBe(false);
    expect(await outcome(ours)).toBe("pending");
    acks.handle(PLAYER, ack("set-volume", "OK", '{"volume":50}'));
    expect(await outcome(ours)).toBe("OK");
  });

  it("our body under a key the topic is never acked with settles nothing", async () => {
    const acks = new AckTracker();
    const ours = acks.expect(PLAYER, "card/start", OURS, "'play_card' on 'Living Room'", 5000);
    expect(acks.handle(PLAYER, ack("set-volume", "OK", OURS))).toBe(false);
    expect(await outcome(ours)).toBe("pending");
    acks.rejectAll("the test is over");
    expect(await outcome(ours)).toBe("'play_card' on 'Living Room' was cancelled: the test is over");
  });

  it("an ack without req_body proves nothing and settles nothing", async () => {
    const acks = new AckTracker();
    const ours = acks.expect(PLAYER, "card/pause", "", "'pause' on 'Living Room'", 5000);
    expect(acks.handle(PLAYER, ack("card-pause", "OK"))).toBe(false);
    expect(await outcome(ours)).toBe("pending");
    expect(acks.handle(PLAYER, ack("card-pause", "OK", ""))).toBe(true);
    expect(await outcome(ours)).toBe("OK");
  });

  it("two identical commands of ours in flight settle oldest first", async () => {
    const acks = new AckTracker();
    const first = acks.expect(PLAYER, "card/pause", "", "first pause", 5000);
    const second = acks.expect(PLAYER, "card/pause", "", "second pause", 5000);
    acks.handle(PLAYER, ack("card-pause", "FAIL", ""));
    expect(await outcome(first)).toBe(
      "first pause was refused by the player (FAIL); it may have no card to do that with right now",
    );
    expect(await outcome(second)).toBe("pending");
    acks.handle(PLAYER, ack("card", "OK", ""));
    expect(await outcome(second)).toBe("OK");
  });

  it("acks for one player never settle another's commands", async () => {
    const acks = new AckTracker();
    const ours = acks.expect(PLAYER, "reboot", "", "'reboot' on 'Living Room'", 5000);
    expect(acks.handle("yOtherPlayer000000000000", ack("reboot", "OK", ""))).toBe(false);
    expect(await outcome(ours)).toBe("pending");
    acks.handle(PLAYER, ack("reboot", "OK", ""));
    expect(await outcome(ours)).toBe("OK");
  });

  it("a FAIL says what is true for the command that failed", async () => {
    const acks = new AckTracker();
    const start = acks.expect(PLAYER, "card/start", OURS, "'play_card' on 'Living Room'", 5000);
    const volume = acks.expect(PLAYER, "volume/set", '{"volume":50}', "'volume' on 'Living Room'", 5000);
    const icon = acks.expect(PLAYER, "display/preview", '{"uri":"x"}', "'show_icon' on 'Bedroom Mini'", 5000);
    acks.handle(PLAYER, ack("card-play", "FAIL", OURS));
    acks.handle(PLAYER, ack("set-volume", "FAIL", '{"volume":50}'));
    acks.handle(PLAYER, ack("display", "FAIL", '{"uri":"x"}'));
    expect(await outcome(start)).toBe(
      "'play_card' on 'Living Room' was refused by the player (FAIL); check the card is on the family's account and the chapter and track exist on it, spelled as the card spells them",
    );
    expect(await outcome(volume)).toBe(
      "'volume' on 'Living Room' was refused by the player (FAIL); it did not take the new volume; try again, and restart the player if it keeps refusing",
    );
    expect(await outcome(icon)).toBe(
      "'show_icon' on 'Bedroom Mini' was refused by the player (FAIL); this player or its firmware may not support it",
    );
  });
});

describe("ack keys", () => {
  it("are the topic, its resource and the older command names seen in real acks", () => {
    expect([...ackKeysFor("card/start")]).toEqual(["card/start", "card", "card-play"]);
    expect([...ackKeysFor("card/pause")]).toEqual(["card/pause", "card", "card-pause"]);
    expect([...ackKeysFor("volume/set")]).toEqual(["volume/set", "volume", "set-volume"]);
    expect([...ackKeysFor("sleep-timer/set")]).toEqual(["sleep-timer/set", "sleep-timer", "sleepTimer", "sleep"]);
    expect([...ackKeysFor("events/request")]).toEqual(["events/request", "events"]);
    expect([...ackKeysFor("status/request")]).toEqual(["status/request", "status"]);
    expect([...ackKeysFor("ambients/set")]).toEqual(["ambients/set", "ambients"]);
    expect([...ackKeysFor("display/preview")]).toEqual(["display/preview", "display"]);
    expect([...ackKeysFor("reboot")]).toEqual(["reboot"]);
  });
});
