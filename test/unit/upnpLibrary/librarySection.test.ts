import {describe, expect, it} from "vitest";
import type {LibraryItem} from "../../../src/library/types.js";
import {librarySection} from "../../../src/upnpLibrary/sections/library.js";
import {fingerprint, indexLibrary} from "../../../src/upnpLibrary/sections/libraryIndex.js";

const item = (i: number, relPath: string, tags: Partial<LibraryItem> = {}): LibraryItem => ({
  id: i.toString(16).padStart(16, "0"),
  source: "media",
  relPath,
  title: `Track ${i}`,
  duration: 60,
  mime: "audio/mpeg",
  hasCover: false,
  size: 1000,
  mtimeMs: 1_700_000_000_000,
  ...tags,
});

const links = {
  absolute: (p: string) => `http://audio.example${p}?sig=x`,
  itemPath: (it: LibraryItem) => `/audio/${it.id}.mp3`,
};

describe("the Library section's grouping", () => {
  it("groups 50,000 files by folder, artist and album, and makes the grouping again only when a file changed", async () => {
    const items = Array.from({length: 50_000}, (_, i) =>
      item(i, `Artist ${i % 100}/Album ${i % 1000}/${i}.mp3`, {
        artist: `Artist ${i % 100}`,
        album: `Album ${i % 1000}`,
      }),
    );
    const index = indexLibrary(items);
    expect(index.root.folders.size).toBe(100);
    expect(index.artists.size).toBe(100);
    expect(index.albums.size).toBe(1000);
    expect(index.albums.get("Album 7")?.length).toBe(50);
    expect(fingerprint(items)).toBe(fingerprint([...items]));
    const touched = items.map((it, i) => (i === 31_337 ? {...it, mtimeMs: it.mtimeMs + 1} : it));
    expect(fingerprint(touched)).not.toBe(fingerprint(items));

    const s = librarySection({items: () => items}, links);
    expect((await s.children("library/albums/Album%207")).map((e) => e.title).slice(0, 2)).toEqual([
      "Track 7",
      "Track 1007",
    ]);
    expect((await s.items()).length).toBe(50_000);
  });

  it("walks a folder 2,000 deep to its file, and keeps names that look like ids ('@', '%', '..') apart from files", async () => {
    const deep = `${Array.from({length: 2000}, (_, i) => `d${i}`).join("/")}/bottom.mp3`;
    const items = [item(1, deep), item(2, "@home/100%/a.mp3"), item(3, "../escape/b.mp3")];
    const s = librarySection({items: () => items}, links);
    let id = "library/folders/d0";
    for (let i = 1; i < 2000; i++) id += `/d${i}`;
    expect((await s.children(id)).map((e) => e.title)).toEqual(["Track 1"]);
    expect((await s.items()).map((e) => e.title).sort()).toEqual(["Track 1", "Track 2", "Track 3"]);

    const top = await s.children("library/folders");
    expect(top.map((e) => [e.id, e.title])).toEqual([
      ["library/folders/%40home", "@home"],
      ["library/folders/d0", "d0"],
      ["library/folders/escape", "escape"],
    ]);
    expect((await s.children("library/folders/%40home/100%25")).map((e) => e.title)).toEqual(["Track 2"]);
    // An id part that is a file's mark, or not percent-encoding at all, names nothing.
    expect(await s.children("library/folders/@0000000000000002")).toEqual([]);
    expect(await s.children("library/folders/%E0%A4%A")).toEqual([]);
  });

  it("reads the library once for a walk through many folders in one turn, not once a folder", async () => {
    const items = Array.from({length: 5_000}, (_, i) => item(i, `Folder ${i % 1000}/${i}.mp3`));
    let reads = 0;
    const section = librarySection(
      {
        items: () => {
          reads++;
          return items;
        },
      },
      links,
    );
    const folders = await section.children("library/folders");
    expect(folders).toHaveLength(1000);
    for (const folder of folders) await section.children(folder.id);
    expect(reads).toBe(1);
  });

  it("counts an artist's children as it lists them: its albums, and its tracks without an album one by one", async () => {
    const items = [
      item(1, "a/1.mp3", {artist: "Nan"}),
      item(2, "a/2.mp3", {artist: "Nan"}),
      item(3, "a/3.mp3", {artist: "Nan", album: "Songs"}),
    ];
    const section = librarySection({items: () => items}, links);
    const [nan] = await section.children("library/artists");
    expect(nan).toMatchObject({kind: "container", title: "Nan", childCount: 3});
    expect(await section.children(nan?.id as string)).toHaveLength(3);
  });
});
