/**
 * The page a client's browser shows while a parent decides (`GET /oauth/authorize`): plain HTML
 * that reloads itself every two seconds, no script, readable on a phone. Its words are the whole
 * of what the family sees of OAuth. Every refusal before a parent's answer is one of these pages,
 * never a redirect: the browser goes to no address a parent has not approved.
 */

export type PageKind = "waiting" | "gone" | "unknown_client" | "bad_redirect" | "not_yours" | "full" | "bad_request";

const WORDS: Record<PageKind, {title: string; text: string}> = {
  waiting: {
    title: "Waiting for a parent",
    text: "An assistant asks to use the family's Yotos. A parent approves it on the Yoto panel's Assistants page (in Home Assistant: the Yoto panel in the sidebar). This page goes on by itself once they have.",
  },
  gone: {
    title: "This request has ended",
    text: "Its 10 minutes passed, it was answered already, or the add-on restarted. Start again from the assistant.",
  },
  unknown_client: {
    title: "Unknown assistant",
    text: "This add-on does not know the client that sent you here (its client_id is not one it registered). Add the MCP server again from the assistant.",
  },
  bad_redirect: {
    title: "Wrong return address",
    text: "The redirect_uri is not one the client registered, so the answer cannot go back to it. Add the MCP server again from the assistant.",
  },
  not_yours: {
    title: "Not this browser's request",
    text: "This sign-in was started in another browser (or this one keeps no cookies), so its answer goes only there. Start again from the assistant, in a browser that keeps cookies.",
  },
  full: {
    title: "Too many requests",
    text: "Too many sign-in requests are waiting: ask a parent to answer them on the Assistants page, or try again in 10 minutes.",
  },
  bad_request: {
    title: "The assistant's request is wrong",
    text: "The add-on sends nothing back to the assistant. Add the MCP server again from the assistant, or tell its maker.",
  },
};

/** What the page adds to its words: the pairing code a waiting page shows, or what was wrong. */
export interface PageDetail {
  pairing?: string;
  /** The sentence saying what was wrong with a request (bad_request). */
  why?: string;
}

export function authorizePage(kind: PageKind, detail: PageDetail = {}): string {
  const {title, text} = WORDS[kind];
  const refresh = kind === "waiting" ? '<meta http-equiv="refresh" content="2">' : "";
  const why = detail.why ? `<p>${htmlText(detail.why)}</p>` : "";
  const pairing = detail.pairing
    ? `<p>Check that the panel shows <strong class="pairing">${htmlText(detail.pairing)}</strong> for this request before a parent approves it: another request may carry the same name.</p>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${refresh}
<title>${title} · Yoto Smart Stream</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:24px;color:#1c1c1c;background:#fafafa}
main{max-width:32rem;margin:10vh auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin:0 0 12px}.pairing{font:700 1.6rem/1 ui-monospace,monospace;letter-spacing:.15em}</style></head>
<body><main><h1>${title}</h1>${why}<p>${text}</p>${pairing}</main></body></html>`;
}

/** Text a stranger may have chosen, as HTML text. */
function htmlText(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c] as string,
  );
}
