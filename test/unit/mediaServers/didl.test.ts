import {describe, expect, it} from "vitest";
import {parseDidl} from "../../../src/mediaServers/contentDirectory.js";
import {onServerHost} from "../../../src/mediaServers/serverFetch.js";

const didl = (inner: string) =>
  `<DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/">${inner}</DIDL-Lite>`;

describe("folder listings (DIDL-Lite)", () => {
  it("reads folders and audio tracks, their entities decoded, and leaves photos and videos out", () => {
    const entries = parseDidl(
      didl(
        `<container id="1$2" parentID="0"><dc:title>Rock &amp; Roll</dc:title><upnp:class>object.container.album.musicAlbum</upnp:class></container>` +
          `<item id="a&amp;b" parentID="1"><dc:title>Tom &amp; Jerry&#x27;s &lt;Song&gt;</dc:title><upnp:class>object.item.audioItem.musicTrack</upnp:class><upnp:artist>Nana</upnp:artist><res protocolInfo="http-get:*:audio/mpeg:*" duration="1:02:03.500" size="1234">http://10.0.0.9:8200/MediaItems/1.mp3?a=1&amp;b=2</res></item>` +
          `<item id="p" parentID="1"><dc:title>Photo</dc:title><upnp:class>object.item.imageItem.photo</upnp:class><res protocolInfo="http-get:*:image/jpeg:*">http://10.0.0.9/p.jpg</res></item>`,
      ),
      "127.0.0.1",
    );
    expect(entries).toEqual([
      {
        id: "1$2",
        title: "Rock & Roll",
        kind: "folder",
        duration: null,
        artist: null,
        album: null,
        cover: null,
        audioUrl: null,
        size: null,
      },
      {
        id: "a&b",
        title: "Tom & Jerry's <Song>",
        kind: "track",
        duration: 3723.5,
        artist: "Nana",
        album: null,
        cover: null,
        // On the host the server was found on, whatever address it names.
        audioUrl: "http://127.0.0.1:8200/MediaItems/1.mp3?a=1&b=2",
        size: 1234,
      },
    ]);
  });

  it("puts a resource written with no host (MiniDLNA with no network interface to name) on the server's host", () => {
    const entries = parseDidl(
      didl(
        `<item id="1"><dc:title>A</dc:title><upnp:class>object.item.audioItem.musicTrack</upnp:class><upnp:albumArtURI>http://:21609/AlbumArt/7-1.jpg</upnp:albumArtURI><res protocolInfo="http-get:*:audio/mpeg:*">http://:21609/MediaItems/23.mp3</res></item>` +
          `<item id="2"><dc:title>B</dc:title><upnp:class>object.item.audioItem.musicTrack</upnp:class><res protocolInfo="http-get:*:audio/mpeg:*">HTTP://</res></item>` +
          `<item id="3"><dc:title>C</dc:title><upnp:class>object.item.audioItem.musicTrack</upnp:class><res protocolInfo="http-get:*:audio/mpeg:*">ftp://:21/x.mp3</res></item>`,
      ),
      "[::1]",
    );
    expect(entries.map((e) => [e.id, e.audioUrl, e.cover])).toEqual([
      ["1", "http://[::1]:21609/MediaItems/23.mp3", "http://[::1]:21609/AlbumArt/7-1.jpg"],
      ["2", "http://[::1]/", null],
      ["3", null, null],
    ]);
  });

  it("refuses an entity XML does not define, and a DOCTYPE", () => {
    expect(() =>
      parseDidl(
        didl(
          `<item id="x"><dc:title>&nbsp;</dc:title><upnp:class>object.item.audioItem</upnp:class><res protocolInfo="http-get:*:audio/mpeg:*">http://h/1.mp3</res></item>`,
        ),
        "h",
      ),
    ).toThrow("Its folder listing uses an entity (&nbsp;) XML does not define: it was not read");
    expect(() => parseDidl(`<!DOCTYPE x [<!ENTITY a "b">]>${didl("")}`, "h")).toThrow(
      "Its folder listing declares a DOCTYPE or entities, which a media server never needs: it was not read",
    );
  });
});

describe("onServerHost", () => {
  it("moves a link onto the server's host, resolves against a base with no host, and never guesses a host", () => {
    expect(onServerHost("http://10.0.0.9:8200/a.mp3", "nas.local")?.toString()).toBe("http://nas.local:8200/a.mp3");
    expect(onServerHost("/ctl/ContentDir", "[::1]", "http://:8200/")?.toString()).toBe(
      "http://[::1]:8200/ctl/ContentDir",
    );
    expect(onServerHost("http://:8200/a.mp3", "NAS.local")?.toString()).toBe("http://nas.local:8200/a.mp3");
    // Not host names: the setter would keep the placeholder, so nothing is returned.
    expect(onServerHost("http://:8200/a.mp3", "::1")).toBeNull();
    expect(onServerHost("http://:8200/a.mp3", "nas.local:9000")).toBeNull();
    expect(onServerHost("file:///etc/passwd", "nas.local")).toBeNull();
  });
});
