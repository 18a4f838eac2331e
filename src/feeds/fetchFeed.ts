import {shown} from "../core/download.js";
import {errorMessage} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {httpRequest} from "../core/httpRequest.js";
import {decodeFeed} from "./decodeFeed.js";

/** What makes the next request conditional: the last answer's validators. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** `url` is where the feed was read in the end (after redirects): relative addresses in it resolve against it. */
export type FeedAnswer = {unchanged: true} | {unchanged: false; text: string; url: string; validators: Validators};

const MAX_REDIRECTS = 5;
const MAX_FEED_BYTES = 10 * 1024 * 1024;
const FEED_TIMEOUT_MS = 30_000;

/**
 * GET a feed, conditionally (If-None-Match / If-Modified-Since), so an unchanged feed costs one
 * small answer. Redirects are followed by hand, each hop checked to be http(s) and to lead where the
 * fetch policy lets it (a feed is someone else's document: it may point anywhere). Errors say why in
 * words, without the URL's query (it may hold a private feed's token).
 */
export async function fetchFeed(
  url: string,
  validators: Validators,
  userAgent: string,
  policy?: FetchPolicy,
): Promise<FeedAnswer> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const target = new URL(current);
    if (target.protocol !== "http:" && target.protocol !== "https:")
      throw new Error(`it redirects to a ${target.protocol} address`);
    const headers: Record<string, string> = {
      "User-Agent": userAgent,
      Accept: "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5",
    };
    if (validators.etag) headers["If-None-Match"] = validators.etag;
    if (validators.lastModified) headers["If-Modified-Since"] = validators.lastModified;
    let res: Awaited<ReturnType<typeof httpRequest>>;
    try {
      policy?.checkLiteral(target);
      res = await httpRequest(target, {
        headers,
        timeoutMs: FEED_TIMEOUT_MS,
        maxBytes: MAX_FEED_BYTES,
        ...(policy ? {lookup: policy.lookupFor(target)} : {}),
      });
    } catch (err) {
      throw new Error(`${shown(current)} could not be read (${errorMessage(err)})`);
    }
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && res.status !== 304 && location) {
      if (hop >= MAX_REDIRECTS) throw new Error(`${shown(url)} redirects more than ${MAX_REDIRECTS} times`);
      current = new URL(location, current).href;
      continue;
    }
    if (res.status === 304) return {unchanged: true};
    if (!res.ok) throw new Error(`${shown(current)} answered ${res.status}`);
    const etag = res.headers.etag;
    const lastModified = res.headers["last-modified"];
    return {
      unchanged: false,
      text: decodeFeed(res.body, res.headers["content-type"]),
      url: current,
      validators: {...(etag ? {etag} : {}), ...(lastModified ? {lastModified} : {})},
    };
  }
}
