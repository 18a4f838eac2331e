import {existsSync, readFileSync, statSync} from "node:fs";
import path from "node:path";

/** Where the repository's own pages live on GitHub: links there are checked as files here. */
export const REPOSITORY_BLOB = "https://github.com/yoto-smart-stream/yoto-smart-stream/blob/main/";

/** A markdown text without its fenced blocks and inline code, where a `](` is not a link. */
function prose(text: string): string[] {
  let fenced = false;
  return text.split("\n").map((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return "";
    }
    return fenced ? "" : line.replace(/`[^`]*`/g, (code) => " ".repeat(code.length));
  });
}

/** GitHub's heading ids: lower case, punctuation dropped, spaces to '-', repeats numbered. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const plain = (heading[1] as string).replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const slug = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    ids.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return ids;
}

/**
 * Every link in `file` (a markdown file under `root`) that leads nowhere: a missing file, or an
 * #anchor no heading of its page makes. Links to the repository on GitHub count as local files;
 * other web addresses are not fetched.
 */
export function deadLinks(root: string, file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const dead: string[] = [];
  prose(text).forEach((line, i) => {
    for (const m of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const href = m[1] as string;
      const where = `${file}:${i + 1} ${href}`;
      let target: string;
      if (href.startsWith(REPOSITORY_BLOB)) target = href.slice(REPOSITORY_BLOB.length);
      else if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue;
      else
        target = path.posix.join(
          path.posix.dirname(file),
          href.startsWith("#") ? path.posix.basename(file) + href : href,
        );
      const [page = "", anchor] = target.split("#");
      const local = path.join(root, decodeURIComponent(page));
      if (!existsSync(local)) {
        dead.push(`${where}: no file ${page}`);
        continue;
      }
      if (anchor === undefined) continue;
      if (statSync(local).isDirectory() || !page.endsWith(".md")) {
        dead.push(`${where}: #${anchor} on a page that has no headings`);
        continue;
      }
      if (!anchors(readFileSync(local, "utf8")).has(decodeURIComponent(anchor)))
        dead.push(`${where}: no heading #${anchor} in ${page}`);
    }
  });
  return dead;
}
