import { masterPlaylist } from "~/media/hls-playlists.server";
import type { RenditionInfo } from "~/media/ladder-folder.server";

const renditions: RenditionInfo[] = [
  {
    name: "360p",
    width: 640,
    height: 360,
    frameRate: 25,
    bandwidth: 900_000,
    averageBandwidth: 800_000,
    codecs: "avc1.4d401e,mp4a.40.2",
  },
  {
    name: "720p",
    width: 1280,
    height: 720,
    frameRate: 25,
    bandwidth: 3_000_000,
    averageBandwidth: 2_800_000,
    codecs: "avc1.4d401f,mp4a.40.2",
  },
];

const lines = (text: string) => text.trimEnd().split("\n");
const attributes = (line: string) =>
  Object.fromEntries(
    [...line.slice(line.indexOf(":") + 1).matchAll(/([A-Z-]+)=("[^"]*"|[^,]*)/g)].map(([, key, value]) => [
      key,
      value!.replace(/^"|"$/g, ""),
    ]),
  );

describe("the multivariant playlist", () => {
  it("offers the film's own sound and the described one as an audio group every variant refers to", () => {
    const text = lines(masterPlaylist(6, renditions, { subtitles: true, audio: { bandwidth: 140_000 } }));
    const audio = text.filter((line) => line.startsWith("#EXT-X-MEDIA:TYPE=AUDIO")).map(attributes);
    expect(audio).toEqual([
      {
        TYPE: "AUDIO",
        "GROUP-ID": "aud",
        NAME: "Dansk",
        LANGUAGE: "da",
        DEFAULT: "YES",
        AUTOSELECT: "YES",
        CHANNELS: "2",
        URI: "audio-main/index.m3u8",
      },
      {
        TYPE: "AUDIO",
        "GROUP-ID": "aud",
        NAME: "Synstolkning",
        LANGUAGE: "da",
        DEFAULT: "NO",
        AUTOSELECT: "YES",
        CHANNELS: "2",
        CHARACTERISTICS: "public.accessibility.describes-video",
        URI: "audio-described/index.m3u8",
      },
    ]);
    const variants = text.filter((line) => line.startsWith("#EXT-X-STREAM-INF:")).map(attributes);
    expect(variants).toHaveLength(2);
    for (const [index, variant] of variants.entries()) {
      expect(variant).toMatchObject({ AUDIO: "aud", SUBTITLES: "subs" });
      // The audio rendition is fetched beside the variant, so it counts in what the variant needs.
      expect(Number(variant.BANDWIDTH)).toBe(renditions[index]!.bandwidth + 140_000);
      expect(Number(variant["AVERAGE-BANDWIDTH"])).toBe(renditions[index]!.averageBandwidth + 140_000);
    }
    // Each variant is followed by its own playlist.
    expect(text[text.indexOf(text.find((line) => line.startsWith("#EXT-X-STREAM-INF:"))!) + 1]).toBe("360p/index.m3u8");
  });

  it("names no audio group for a film without a described soundtrack", () => {
    for (const audio of [undefined, null]) {
      const text = masterPlaylist(3, renditions, { subtitles: false, audio });
      expect(text).not.toContain("TYPE=AUDIO");
      expect(text).not.toContain("AUDIO=");
      expect(text).not.toContain("SUBTITLES");
      expect(text).toContain("BANDWIDTH=900000,AVERAGE-BANDWIDTH=800000");
    }
  });
});
