import {createHash} from "node:crypto";
import {setTimeout as sleep} from "node:timers/promises";
import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {pkceTokens, startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";

let sim: YotoSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const xml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

/** 50 MPEG-1 Layer III frames at 128 kb/s, 48 kHz: 1.2 s. */
function mp3(seed = 0): Buffer {
  const frame = Buffer.alloc(384, seed);
  frame.set([0xff, 0xfb, 0x94, 0x64]);
  return Buffer.concat(Array.from({length: 50}, () => frame));
}

async function started() {
  sim = await startSimulator();
  const token = (await pkceTokens(sim)).access_token;
  return {s: sim, headers: {Authorization: `Bearer ${token}`}};
}

async function uploadUrl(s: YotoSimulator, headers: Record<string, string>, sha: string, filename = "song.mp3") {
  const res = await fetch(`${s.url}/media/transcode/audio/uploadUrl?sha256=${sha}&filename=${filename}`, {headers});
  expect(res.status).toBe(200);
  return (await jsonOf(res)).upload as {uploadId: string; uploadUrl: string | null};
}

const put = (url: string, body: Buffer) =>
  fetch(url, {method: "PUT", headers: {"Content-Type": "audio/mpeg"}, body: new Uint8Array(body)});

const poll = (s: YotoSimulator, headers: Record<string, string>, uploadId: string) =>
  fetch(`${s.url}/media/upload/${uploadId}/transcoded?loudnorm=false`, {headers});

describe("simulated audio upload flow", () => {
  it("uploads, polls through processing to done, dedupes the same sha, and the track reads back playable", async () => {
    const {s, headers} = await started();
    const bytes = mp3(1);
    const sha = sha256(bytes);
    const upload = await uploadUrl(s, headers, sha);
    expect(upload.uploadUrl).toMatch(
      new RegExp(
        `^${s.url.replaceAll(".", "\\.")}/upload-bucket/${upload.uploadId}\\?X-Amz-Date=\\d{8}T\\d{6}Z&X-Amz-Expires=3600&X-Amz-Signature=[0-9a-f]{64}$`,
      ),
    );
    const early = await poll(s, headers, upload.uploadId);
    expect(early.status).toBe(202);
    expect((await jsonOf(early)).transcode).toMatchObject({transcodedSha256: null, startedAt: null, progress: null});
    const putRes = await put(upload.uploadUrl as string, bytes);
    expect(putRes.status).toBe(200);
    expect(await putRes.text()).toBe("");

    const answers: number[] = [];
    let done: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && !done; i++) {
      const res = await poll(s, headers, upload.uploadId);
      answers.push(res.status);
      const body = await jsonOf(res);
      if (res.status === 202) {
        expect(body.transcode.failedUploadSha256).toBeNull();
        expect(["queued", "analyzing", "transcoding"]).toContain(body.transcode.progress.phase);
      } else done = body.transcode;
      await sleep(60);
    }
    expect(answers[0]).toBe(202);
    expect(answers.at(-1)).toBe(200);
    expect(done).toMatchObject({
      uploadId: upload.uploadId,
      transcodedSha256: sha,
      transcodedInfo: {
        duration: 1.2,
        fileSize: bytes.length,
        channels: "stereo",
        format: "mp3",
        metadata: {title: "song"},
      },
      progress: {phase: "complete", percent: 100},
    });

    // The same file again: already there, nothing to upload.
    expect(await uploadUrl(s, headers, sha)).toEqual({uploadId: upload.uploadId, uploadUrl: null});

    const card = await fetch(`${s.url}/content`, {
      method: "POST",
      headers: {...headers, "Content-Type": "application/json"},
      body: JSON.stringify({
        title: "Uploaded",
        content: {
          chapters: [
            {key: "01", title: "1", tracks: [{key: "01", title: "s", trackUrl: `yoto:#${sha}`, type: "audio"}]},
          ],
        },
      }),
    });
    const cardId = (await jsonOf(card)).card.cardId;
    const read = await jsonOf(await fetch(`${s.url}/content/${cardId}`, {headers}));
    const served = await fetch(read.card.content.chapters[0].tracks[0].trackUrl);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("refuses a PUT with another digest, an empty body or a forged signature; 404 for an unknown upload", async () => {
    const {s, headers} = await started();
    const bytes = mp3(2);
    const upload = await uploadUrl(s, headers, sha256(bytes));
    const url = upload.uploadUrl as string;
    const wrong = await put(url, mp3(3));
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toBe(xml("BadDigest", "The sha256 you specified did not match what we received."));
    expect((await put(url, Buffer.alloc(0))).status).toBe(400);
    const forged = await put(url.replace(/X-Amz-Signature=\w+/, `X-Amz-Signature=${"0".repeat(64)}`), bytes);
    expect(forged.status).toBe(403);
    expect((await poll(s, headers, "no-such-upload")).status).toBe(404);
    expect((await put(url, bytes)).status).toBe(200);
  });

  it("refuses uploads: the PUT with 403 AccessDenied, or the transcode ending failed (202 with failedUploadSha256)", async () => {
    const {s, headers} = await started();
    const bytes = mp3(4);
    const sha = sha256(bytes);
    s.refuseUploads = "put";
    const first = await uploadUrl(s, headers, sha);
    const refused = await put(first.uploadUrl as string, bytes);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe("text/xml");
    expect(await refused.text()).toBe(xml("AccessDenied", "Access Denied"));

    await fetch(`${s.url}/sim/faults`, {method: "POST", body: JSON.stringify({refuseUploads: "transcode"})});
    expect(s.refuseUploads).toBe("transcode");
    const second = await uploadUrl(s, headers, sha);
    expect((await put(second.uploadUrl as string, bytes)).status).toBe(200);
    await sleep(s.transcodeMs + 50);
    const failed = await poll(s, headers, second.uploadId);
    expect(failed.status).toBe(202);
    expect((await jsonOf(failed)).transcode).toEqual({
      uploadId: second.uploadId,
      uploadSha256: sha,
      uploadFilename: "song.mp3",
      transcodedSha256: null,
      failedUploadSha256: sha,
      startedAt: null,
      progress: null,
    });
    // A failed transcode is not a stored file: the same sha gets an upload URL again.
    expect((await uploadUrl(s, headers, sha)).uploadUrl).not.toBeNull();
  });
});

describe("simulated API limits", () => {
  it("answers 429 with Retry-After for rateLimitNext, then serves again", async () => {
    const {s, headers} = await started();
    s.rateLimitNext(2, 7);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${s.url}/content/mine`, {headers});
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("7");
      expect(await jsonOf(res)).toEqual({error: {code: "too-many-requests", message: "Too Many Requests"}});
    }
    expect((await fetch(`${s.url}/content/mine`, {headers})).status).toBe(200);
    await fetch(`${s.url}/sim/faults`, {method: "POST", body: JSON.stringify({rateLimitNext: 1})});
    const viaControl = await fetch(`${s.url}/card/family/library`, {headers});
    expect(viaControl.status).toBe(429);
    expect(viaControl.headers.get("retry-after")).toBe("1");
  });

  it("refuses a new card beyond cardLimit with 403 card-limit, but still lets an existing card be replaced", async () => {
    const {s, headers} = await started();
    s.addCard({cardId: "own01", title: "Ours", content: {chapters: []}});
    s.cardLimit = 1;
    const post = (body: object) =>
      fetch(`${s.url}/content`, {
        method: "POST",
        headers: {...headers, "Content-Type": "application/json"},
        body: JSON.stringify(body),
      });
    const refused = await post({title: "One too many", content: {chapters: []}});
    expect(refused.status).toBe(403);
    expect(await jsonOf(refused)).toEqual({
      error: {code: "card-limit", message: "This account has reached its limit of 1 Make Your Own cards"},
    });
    expect((await post({cardId: "own01", title: "Renamed", content: {chapters: []}})).status).toBe(200);
    s.cardLimit = undefined;
    expect((await post({title: "Now fine", content: {chapters: []}})).status).toBe(200);
  });
});
