/**
 * The name an OAuth client gives itself, as the family reads it on the panel, in the log and in the
 * list of assistants. Anyone on the home network may register, so a name is text a stranger chose:
 * control characters (a line break forging a log line) become spaces, and format characters
 * (\p{Cf}: U+202E turning the rest of a line around, U+200B hiding inside "Home Assistant",
 * U+2066–2069 isolates) are dropped, so what a parent reads is what the letters say.
 */
export const MAX_CLIENT_NAME = 60;

export function cleanName(raw: string, max = MAX_CLIENT_NAME): string {
  return (
    raw
      .slice(0, 4 * max)
      .normalize("NFKC")
      // Format characters and every other one a font draws as nothing (U+034F, U+115F, U+3164, U+FE0F).
      .replace(/[\p{Cf}\p{DI}]+/gu, "")
      // Braille's blank and the like: shown as a space, so read as one.
      .replace(/\u2800+/g, " ")
      .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, max)
      .trim()
  );
}

/**
 * A client whose name the family trusts on sight, with the only addresses its answers go to.
 * "Home Assistant" is taken by Home Assistant's MCP integration, which registers the address
 * `config_entry_oauth2_flow.async_get_redirect_uri` gives (home-assistant/core): My Home
 * Assistant's redirect while the `my` integration is loaded, else the frontend's own address
 * followed by /auth/external/callback.
 */
interface KnownClient {
  name: string;
  redirects: string;
  takes(uri: URL): boolean;
}

const KNOWN: Record<string, KnownClient> = {
  homeassistant: {
    name: "Home Assistant",
    redirects: "https://my.home-assistant.io/redirect/oauth or its own address followed by /auth/external/callback",
    takes: (uri) =>
      uri.href === "https://my.home-assistant.io/redirect/oauth" ||
      ((uri.protocol === "http:" || uri.protocol === "https:") &&
        uri.pathname === "/auth/external/callback" &&
        !uri.search &&
        !uri.username &&
        !uri.password),
  },
};

/** The known client a (cleaned) name claims, in any capitals or spacing; an own-property lookup. */
export function knownClient(name: string): KnownClient | undefined {
  const key = skeleton(name).replace(/[\s\p{P}]+/gu, "");
  return Object.hasOwn(KNOWN, key) ? KNOWN[key] : undefined;
}

/**
 * Letters of other scripts drawn as Latin ones ("Ноme Аssistant" in Cyrillic), each as the Latin
 * letter it looks like: a name is compared with the known ones as a parent would read it.
 */
const LOOKALIKES: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  һ: "h",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  ɑ: "a",
  ο: "o",
  α: "a",
  ι: "i",
  κ: "k",
  ν: "v",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ε: "e",
  η: "n",
  ѵ: "v",
  ӏ: "l",
  ı: "i",
};

/** A name as it reads: lower case, marks dropped, look-alike letters made Latin. */
function skeleton(name: string): string {
  let read = "";
  for (const char of name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, ""))
    read += Object.hasOwn(LOOKALIKES, char) ? LOOKALIKES[char] : char;
  return read;
}
