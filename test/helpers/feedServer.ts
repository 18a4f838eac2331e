import {mkdtemp, readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {tmpdir} from "node:os";
import path from "node:path";
import {makeTone} from "./audio.js";
import {call} from "./http.js";

export interface FeedEpisode {
  guid: string;
  title: string;
  /** ISO date. */
  published: string;
  /** Path on this server, e.g. "/audio/1.mp3", or a whole URL elsewhere. */
  path: string;
  /** itunes:duration in seconds. */
  duration?: number;
  type?: string;
}

/** Episode `n` of the test feed: "Tale n", published on the nth of November 2026, ten minutes long. */
export const taleEpisode = (n: number, extra: Partial<FeedEpisode> = {}): FeedEpisode => ({
  guid: `tale-${n}`,
  title: `Tale ${n}`,
  published: `2026-11-0${n}T06:00:00Z`,
  path: `/audio/${n}.mp3`,
  duration: 600,
  ...extra,
});

/**
 * A podcast host on loopback: an RSS feed made from `episodes` (with ETag/Last-Modified and 304s),
 * audio files by path, and hooks to break it. Every request is logged, so tests can count them.
 */
export class FeedServer {
  episodes: FeedEpisode[] = [];
  /** Path → file on disk, or bytes. */
  readonly files = new Map<string, string | Buffer>();
  readonly log: Array<{method: string; path: string; conditional: boolean; status: number}> = [];
  /** The feed's cover address (itunes:image), when it names one. */
  image?: string;
  /** Answer this status to the feed instead of the feed. */
  feedStatus?: number;
  /** Serve this text (or these bytes) as the feed instead of the RSS, with this Content-Type. */
  feedBody?: string | Buffer;
  feedType?: string;
  title = "Bedtime Tales";
  /** Paths asked for but never answered (a host that stalls), and who asked. */
  readonly hold = new Set<string>();
  readonly held: string[] = [];
  #server?: http.Server;
  #version = 1;

  get url(): string {
    return `http://127.0.0.1:${(this.#server?.address() as AddressInfo | undefined)?.port}`;
  }

  /** The feed changed: a new ETag. */
  bump(): void {
    this.#version++;
  }

  async start(): Promise<void> {
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  requests(path: string): Array<{conditional: boolean; status: number}> {
    return this.log.filter((r) => r.path === path);
  }

  rss(): string {
    const items = this.episodes
      .map(
        (e) => `<item><title>${xmlText(e.title)}</title><guid isPermaLink="false">${xmlText(e.guid)}</guid>
<pubDate>${new Date(e.published).toUTCString()}</pubDate>
<enclosure url="${e.path.startsWith("http") ? e.path : `${this.url}${e.path}`}" length="1000" type="${e.type ?? "audio/mpeg"}"/>
${e.duration !== undefined ? `<itunes:duration>${e.duration}</itunes:duration>` : ""}</item>`,
      )
      .join("\n");
    return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>${xmlText(this.title)}</title><link>${this.url}/</link><description>Stories</description>
${this.image ? `<itunes:image href="${xmlText(this.image)}"/>` : ""}
${items}
</channel></rss>`;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] as string;
    const conditional = req.headers["if-none-match"] !== undefined || req.headers["if-modified-since"] !== undefined;
    const answer = (status: number, headers: Record<string, string>, body?: string | Buffer) => {
      this.log.push({method: req.method ?? "GET", path, conditional, status});
      res.writeHead(
        status,
        body === undefined ? headers : {...headers, "Content-Length": String(Buffer.byteLength(body))},
      );
      res.end(body);
    };
    if (this.hold.has(path)) {
      this.held.push(path);
      return;
    }
    if (path === "/old-feed.xml") return answer(301, {Location: "/feed.xml"});
    if (path === "/feed.xml") {
      if (this.feedStatus) return answer(this.feedStatus, {"Content-Type": "text/plain"}, "down");
      const etag = `"v${this.#version}"`;
      if (req.headers["if-none-match"] === etag) return answer(304, {ETag: etag});
      return answer(
        200,
        {
          "Content-Type": this.feedType ?? "application/rss+xml",
          ETag: etag,
          "Last-Modified": new Date(0).toUTCString(),
        },
        this.feedBody ?? this.rss(),
      );
    }
    const file = this.files.get(path);
    if (file === undefined) return answer(404, {"Content-Type": "text/plain"}, "no such file");
    const body = typeof file === "string" ? await readFile(file) : file;
    answer(200, {"Content-Type": path.endsWith(".html") ? "text/html" : "audio/mpeg"}, body);
  }
}

function xmlText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** A started FeedServer serving `count` one-second tones at /audio/1.mp3 … /audio/<count>.mp3. */
export async function toneFeedServer(count: number): Promise<FeedServer> {
  const server = new FeedServer();
  await server.start();
  const dir = await mkdtemp(path.join(tmpdir(), "yss-feed-audio-"));
  for (let i = 1; i <= count; i++)
    server.files.set(
      `/audio/${i}.mp3`,
      await makeTone(path.join(dir, `${i}.mp3`), {seconds: 1, frequency: 300 + i * 100}),
    );
  return server;
}

/** Follow a feed on a stream through the admin API and refresh it: the feed view once it is read. */
export async function followFeed(adminUrl: string, stream: string, feed: Record<string, unknown>) {
  const put = await call("PUT", `${adminUrl}/api/streams/${stream}`, {feed});
  if (put.status !== 202) throw new Error(`following answered ${put.status}: ${JSON.stringify(put.body)}`);
  return refreshFeed(adminUrl, stream);
}

/** Refresh a feed stream now: the feed view once it is done. */
export async function refreshFeed(adminUrl: string, stream: string) {
  const res = await call("POST", `${adminUrl}/api/streams/${stream}/feed/refresh`);
  if (res.status !== 200) throw new Error(`the refresh answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}
