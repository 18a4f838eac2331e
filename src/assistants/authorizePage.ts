/**
 * The page a client's browser shows while a parent decides (`GET /oauth/authorize`): plain HTML
 * that reloads itself every two seconds, no script, readable on a phone. Its words are the whole
 * of what the family sees of OAuth.
 */

type PageKind = "waiting" | "gone" | "unknown_client" | "bad_redirect";

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
};

export function authorizePage(kind: PageKind): string {
  const {title, text} = WORDS[kind];
  const refresh = kind === "waiting" ? '<meta http-equiv="refresh" content="2">' : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${refresh}
<title>${title} · Yoto Smart Stream</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:24px;color:#1c1c1c;background:#fafafa}
main{max-width:32rem;margin:10vh auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin:0 0 12px}</style></head>
<body><main><h1>${title}</h1><p>${text}</p></main></body></html>`;
}
