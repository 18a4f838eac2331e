import {describe, expect, it} from "vitest";
import {logDownload} from "../../../src/logs/download.js";
import {isSecretKey, Redactor} from "../../../src/logs/redact.js";
import type {LogEntry} from "../../../src/logs/types.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId; // y7s9dk3mqp2x8v4n1c6b0zlq
const MINI = DEMO_PLAYERS[1]!.deviceId; // y2m8rj5tnw4h9f1g7e3k6aqp
const DASHED = "y2P3y0gSbIMTq5Mux4vhI-XE"; // Yoto issues ids with '-' and '_' too
const JWT =
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhdXRoMHxhYmMiLCJleHAiOjE3NjcyMjU2MDB9.c2lnbmF0dXJlLXBhcnQtaGVyZQ";
const BROKER_PASSWORD = "Zk3vQ9mW1xT7pL2nR8sY4cBd";

function redactor() {
  return new Redactor({playerIds: [LIVING, MINI], cardIds: ["4OD25", "ab3Xk"], secrets: [BROKER_PASSWORD]});
}

describe("log lines redacted for a public issue, as the service writes them", () => {
  it("turns known player and card ids into aliases, the same alias on every line", () => {
    const r = redactor();
    expect(r.line(`Card 'Bedtime' (ab3Xk) on the account streams 'bedtime': using it`)).toBe(
      "Card 'Bedtime' (card-2) on the account streams 'bedtime': using it",
    );
    expect(r.line(`Ignored a status message from 'Bedroom Mini' because volume is not a number`)).toBe(
      "Ignored a status message from 'Bedroom Mini' because volume is not a number",
    );
    expect(r.line(`Not publishing to 'yoto/${MINI}/card_image': the message is 300 KB`)).toBe(
      "Not publishing to 'yoto/player-2/card_image': the message is 300 KB",
    );
    // Inside the bridge's discovery topics and unique ids, between underscores.
    expect(
      r.line(`Publishing to 'homeassistant/device/yoto_${LIVING}_yoto/config' failed (client disconnecting)`),
    ).toBe("Publishing to 'homeassistant/device/yoto_player-1_yoto/config' failed (client disconnecting)");
    expect(r.line(`Relay card 4OD25 is no longer on the account: making it again`)).toBe(
      "Relay card card-1 is no longer on the account: making it again",
    );
    // Not inside a longer word: '4OD25X' is not the card '4OD25'.
    expect(r.line("Unknown card 4OD25X")).toBe("Unknown card 4OD25X");
    // An id too short to tell from a number is left as it is (it identifies nothing).
    expect(new Redactor({playerIds: [], cardIds: ["1"]}).line("Library scanned (1 ms)")).toBe("Library scanned (1 ms)");
  });

  it("aliases every device id in Yoto's MQTT topics, known or not, and keeps it consistent", () => {
    const r = redactor();
    expect(
      r.line(
        `Yoto's broker refused device/${DASHED}/data/events, device/${DASHED}/data/status, device/${LIVING}/response`,
      ),
    ).toBe("Yoto's broker refused device/player-3/data/events, device/player-3/data/status, device/player-1/response");
    // Learnt from a topic, the id is hidden everywhere after it too.
    expect(r.line(`Player ${DASHED} came online`)).toBe("Player player-3 came online");
  });

  it("removes tokens: JWTs, Bearer, token/password/secret fields in key=value and JSON", () => {
    const r = redactor();
    expect(r.line(`Yoto answered 401 to GET /device-v2/devices/mine: Authorization: Bearer ${JWT} was refused`)).toBe(
      "Yoto answered 401 to GET /device-v2/devices/mine: Authorization: Bearer <redacted> was refused",
    );
    expect(r.line(`Token rejected: ${JWT}`)).toBe("Token rejected: <redacted>");
    expect(
      r.line(
        `Yoto refused the refresh: {"access_token":"${JWT}","refresh_token":"v1.MjQ5ZmQ1","token_type":"Bearer","expires_in":86400}`,
      ),
    ).toBe(
      'Yoto refused the refresh: {"access_token":"<redacted>","refresh_token":"<redacted>","token_type":"<redacted>","expires_in":86400}',
    );
    expect(r.line(`plugin says: client_secret=abc123 password=hunter22 api_token=t0k3n volume=8`)).toBe(
      "plugin says: client_secret=<redacted> password=<redacted> api_token=<redacted> volume=8",
    );
    expect(r.line(`{"password": "a \\"quoted\\" one", "state": "online"}`)).toBe(
      '{"password": "<redacted>", "state": "online"}',
    );
  });

  it("cuts the query off signed links and OAuth redirects, and the login out of broker URLs", () => {
    const r = redactor();
    expect(
      r.line(
        "Story 'sleepy-dragon' scene 'cave' plays silence: GET https://yoto.example.net:8080/streams/bedtime.mp3?sig=Q2xLx0lDd8vHk3mN4pR7sT9uW1yZ2aB4 failed",
      ),
    ).toBe(
      "Story 'sleepy-dragon' scene 'cave' plays silence: GET https://yoto.example.net:8080/streams/bedtime.mp3?<redacted> failed",
    );
    expect(r.line(`Track URL /audio/7f3a9c.mp3?sig=Q2xLx0lDd8vHk3mN4pR7sT9uW1yZ2aB4 is no longer valid`)).toBe(
      "Track URL /audio/7f3a9c.mp3?<redacted> is no longer valid",
    );
    expect(r.line("Pasted http://127.0.0.1:8787/callback?code=aB3dE5fG7h&state=xyz123 (state mismatch)")).toBe(
      "Pasted http://127.0.0.1:8787/callback?<redacted> (state mismatch)",
    );
    expect(
      r.line("Using the MQTT broker at mqtt://homeassistant:s3cr3tPw@core-mosquitto:1883 (from the Supervisor)"),
    ).toBe("Using the MQTT broker at mqtt://<redacted>@core-mosquitto:1883 (from the Supervisor)");
    // A question is not a query string.
    expect(r.line("Why? Because the card is not on the account")).toBe("Why? Because the card is not on the account");
  });

  it("hides Wi-Fi names wherever a status or config payload carries one", () => {
    const r = redactor();
    expect(
      r.line(
        `Ignored a status message from 'Living Room' because battery is not a number: {"statusVersion":3,"wifiStrength":-52,"ssid":"Smith Family 5G","battery":"x"}`,
      ),
    ).toBe(
      `Ignored a status message from 'Living Room' because battery is not a number: {"statusVersion":3,"wifiStrength":-52,"ssid":"<ssid>","battery":"x"}`,
    );
    expect(r.line(`device status: {"networkSsid": "BT-Hub-7XQ2", "online": true} ssid=Casa_Rossi`)).toBe(
      `device status: {"networkSsid": "<ssid>", "online": true} ssid=<ssid>`,
    );
  });

  it("hides e-mail addresses and the embedded broker's login", () => {
    const r = redactor();
    expect(r.line("Signed in to Yoto as jane.doe+yoto@example.co.uk")).toBe("Signed in to Yoto as <email>");
    expect(
      r.line(
        "Made a login for the embedded MQTT broker, user 'yoto' (the password is in the panel and in '/data/mqtt-broker-login.json'): give it to every MQTT client, Home Assistant's MQTT integration included",
      ),
    ).toBe(
      "Made a login for the embedded MQTT broker, user '<mqtt-user>' (the password is in the panel and in '/data/mqtt-broker-login.json'): give it to every MQTT client, Home Assistant's MQTT integration included",
    );
    expect(r.line(`MQTT client 'mqttx_1' from 127.0.0.1: refused, bad login ${BROKER_PASSWORD}`)).toBe(
      "MQTT client 'mqttx_1' from 127.0.0.1: refused, bad login <redacted>",
    );
  });

  it("shortens the home folder's path to ~, which often holds the user's name, and leaves / and /root alone", () => {
    const r = new Redactor({playerIds: [], cardIds: [], homeDir: "/home/alice/"});
    expect(r.line("Created URL-signing key /home/alice/yoto/data/url-signing.key")).toBe(
      "Created URL-signing key ~/yoto/data/url-signing.key",
    );
    expect(r.line("Media folder '/home/alicex/music' does not exist")).toBe(
      "Media folder '/home/alicex/music' does not exist",
    );
    expect(new Redactor({playerIds: [], cardIds: [], homeDir: "/root"}).line("/root/data/x")).toBe("/root/data/x");
    expect(new Redactor({playerIds: [], cardIds: [], homeDir: "/"}).line("/data/options.json")).toBe(
      "/data/options.json",
    );
  });

  it("leaves ordinary lines alone", () => {
    const r = redactor();
    for (const line of [
      "Listening on http://127.0.0.1:8099",
      "Library scanned: 12 items (3 added, 0 removed, 1 updated)",
      "Lost the connection to Yoto's cloud broker; reconnecting in 2 s",
      "Home Assistant came online: republishing discovery and state",
      "Announced 'Dinner is ready' on 'Living Room' (2.4 s, ended)",
    ])
      expect(r.line(line)).toBe(line);
  });

  it("names the secret fields by their words, in any case or style", () => {
    for (const key of ["access_token", "refreshToken", "client_secret", "PASSWORD", "sig", "code", "device_code"])
      expect(isSecretKey(key)).toBe(true);
    for (const key of ["state", "volume", "cardId", "chapterKey", "status", "expires_in"])
      expect(isSecretKey(key)).toBe(false);
  });

  it("stays linear on long hostile lines: a megabyte each, read in time growing with its length", () => {
    const r = redactor();
    const hostile: Array<[(n: number) => string, number]> = [
      [(n) => "eyJ".repeat(n), 350_000], // a JWT start with no dot, again and again
      [(n) => "?".repeat(n), 1_000_000], // query starts with no name
      [(n) => `"a":"${'\\"'.repeat(n)}`, 500_000], // a JSON value whose quotes are all escaped, never closed
      [(n) => "a".repeat(n), 1_000_000], // one endless word: no key=value, no e-mail, no id
      [(n) => `${"x@".repeat(n)}`, 500_000], // e-mail starts with no domain
      [(n) => `${"device/".repeat(n)}`, 140_000], // topic starts with no id
      [(n) => `${"://".repeat(n)}`, 330_000], // URL logins with no host
      [(n) => `${`${MINI.slice(0, 20)} `.repeat(n)}`, 48_000], // near-misses of a known id
      [(n) => "a=".repeat(n), 500_000], // key=value starts with no value
      [(n) => '"a"'.repeat(n), 330_000], // JSON keys with no colon
    ];
    // Linear: a tenth of each line first, then the whole in no more than 40 times its time. Without
    // its lookbehind the JWT pattern alone takes 2 s on 60 KB of "eyJ" (quadratic): minutes on a megabyte.
    for (const [line, n] of hostile) readsInLinearTime(line, (text) => r.line(text), n);
  });
});

describe("the download", () => {
  const entry = (seq: number, message: string, level: LogEntry["level"] = "info", namespace = "players"): LogEntry => ({
    seq,
    at: `2026-03-07T19:0${seq}:00.000Z`,
    level,
    namespace,
    message,
  });

  it("has a header saying what was hidden, then each line as the add-on log prints it, aliases shared", () => {
    const {filename, text} = logDownload(
      [
        entry(1, `Player 'Bedroom Mini' (${MINI}) came online`),
        entry(2, `Yoto's broker refused device/${MINI}/data/events`, "warning", "players:cloud-mqtt"),
        entry(3, "Started", "info", ""),
      ],
      {playerIds: [LIVING, MINI], cardIds: []},
      {version: "1.4.0", now: new Date("2026-03-07T20:15:00.000Z"), filters: [`containing '${MINI}'`]},
    );
    expect(filename).toBe("yoto-smart-stream-2026-03-07.log");
    expect(text).toBe(
      [
        "# Yoto Smart Stream 1.4.0, log downloaded 2026-03-07T20:15:00.000Z",
        "# redacted: tokens and passwords, your home folder's path, signed URLs and every query string, logins in URLs, e-mail addresses, Wi-Fi names (SSIDs), the MQTT broker login, the Yoto client id; player and card ids become player-N and card-N",
        "# 3 lines (containing 'player-2')",
        "[2026-03-07 19:01:00] INFO (players): Player 'Bedroom Mini' (player-2) came online",
        "[2026-03-07 19:02:00] WARNING (players:cloud-mqtt): Yoto's broker refused device/player-2/data/events",
        "[2026-03-07 19:03:00] INFO: Started",
        "",
      ].join("\n"),
    );
  });
});
