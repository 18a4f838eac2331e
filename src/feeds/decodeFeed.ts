/**
 * A feed's bytes as text, in the encoding it declares: a byte-order mark first, then the HTTP
 * `Content-Type` charset, then the XML prolog's `encoding`, else UTF-8 (what XML and JSON Feed
 * default to). Feeds in ISO-8859-2, windows-1251 or GB2312 were read as UTF-8 and their titles
 * garbled. TextDecoder knows the WHATWG encodings (GB2312 is read as GBK, its superset); a label it
 * does not know falls back to UTF-8 rather than failing the feed.
 */
export function decodeFeed(bytes: Uint8Array, contentType?: string): string {
  const bom = byteOrderMark(bytes);
  if (bom) return decode(bytes.subarray(bom.length), bom.encoding);
  const declared = charsetOf(contentType) ?? prologEncoding(bytes);
  // A document whose start reads as ASCII is not UTF-16, whatever it says (UTF-16 comes with a BOM).
  if (declared?.startsWith("utf-16") || declared === "unicode") return decode(bytes, "utf-8");
  return decode(bytes, declared ?? "utf-8");
}

function byteOrderMark(bytes: Uint8Array): {encoding: string; length: number} | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return {encoding: "utf-8", length: 3};
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return {encoding: "utf-16le", length: 2};
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return {encoding: "utf-16be", length: 2};
  return undefined;
}

/** `text/xml; charset="ISO-8859-2"` → "iso-8859-2". */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([A-Za-z0-9._:-]{1,40})"?/i.exec(contentType ?? "");
  return match?.[1]?.toLowerCase();
}

/** `<?xml version="1.0" encoding="gb2312"?>`, read from the first bytes as ASCII. */
function prologEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString("latin1");
  const prolog = /^\s*<\?xml[^>]{0,150}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/.exec(head);
  return prolog?.[1]?.toLowerCase();
}

function decode(bytes: Uint8Array, encoding: string): string {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  return decoder.decode(bytes);
}
