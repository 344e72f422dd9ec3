import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { syntheticDurationSeconds, syntheticVersion } from "~/media/demo-film/plan.server";
import { demoSubtitleCues } from "~/media/demo-film/subtitles.server";
import { contentTypeFor, fileVersion, mediaRoot, moduleMediaDir, resolveMediaFile } from "~/media/library.server";
import { buildWebVtt, withTimestampMap } from "~/media/webvtt.server";

const SLUG = "sofie-ingen-spurgte-til-mig";
const VERSION = "0123456789abcdef";

describe("resolveMediaFile", () => {
  it("resolves the ladder's own files inside the version folder", () => {
    const base = moduleMediaDir(SLUG, VERSION);
    expect(base).toBe(path.join(mediaRoot(), SLUG, VERSION));
    for (const file of [
      "master.m3u8",
      "360p/index.m3u8",
      "720p/seg_00012.ts",
      "subs/da.vtt",
      "subs/da.m3u8",
      "poster.jpg",
    ]) {
      expect(resolveMediaFile(SLUG, VERSION, file)).toBe(path.join(base, file));
    }
  });

  it.each([
    "../other/master.m3u8",
    "360p/../../x.ts",
    "..",
    "./master.m3u8",
    "/etc/passwd.ts",
    "360p//seg_00000.ts",
    "360p\\seg_00000.ts",
    "master.m3u8\0.ts",
    ".hidden.ts",
    "360p/.seg.ts",
    "complete.json",
    "master.m3u8.bak",
    "poster.JPG",
    "film.mp4",
    "poster",
    "",
    "a/b/c.ts",
    "%2e%2e/master.m3u8",
    "seg..ts",
  ])("refuses %j", (relative) => {
    expect(resolveMediaFile(SLUG, VERSION, relative)).toBeNull();
  });

  it("refuses odd slugs and versions", () => {
    expect(resolveMediaFile("../x", VERSION, "master.m3u8")).toBeNull();
    expect(resolveMediaFile(SLUG, "..", "master.m3u8")).toBeNull();
    expect(resolveMediaFile(SLUG, "abc.partial-1", "master.m3u8")).toBeNull();
    expect(resolveMediaFile("", VERSION, "master.m3u8")).toBeNull();
  });

  it("names the content types players expect", () => {
    expect(contentTypeFor("a/master.m3u8")).toBe("application/vnd.apple.mpegurl");
    expect(contentTypeFor("seg_00000.ts")).toBe("video/mp2t");
    expect(contentTypeFor("da.vtt")).toBe("text/vtt; charset=utf-8");
    expect(contentTypeFor("poster.jpg")).toBe("image/jpeg");
  });
});

describe("demo subtitles", () => {
  const title = "Sofie – “Ingen spurgte til mig”";
  const description =
    "Sofie er otte år og kommer ofte for sent i skole. Hun har ikke madpakke med, og hendes tøj er beskidt. Lærerne har bemærket, at hun er blevet mere stille i løbet af efteråret, og at hun ofte sidder alene i frikvartererne, mens de andre leger.";

  it.each([24, 31, 48])("cover a %i s film from 0 s to the end without gaps", (duration) => {
    const cues = demoSubtitleCues(title, description, duration);
    expect(cues[0]).toMatchObject({ startSeconds: 0, text: title });
    expect(cues[0]!.endSeconds).toBeLessThanOrEqual(3);
    expect(cues.at(-1)!.endSeconds).toBe(duration);
    for (let i = 1; i < cues.length; i++) expect(cues[i]!.startSeconds).toBe(cues[i - 1]!.endSeconds);
    for (const cue of cues) {
      expect(cue.endSeconds).toBeGreaterThan(cue.startSeconds);
      expect(cue.text.replace(/\n/g, " ").length).toBeLessThanOrEqual(80);
      for (const line of cue.text.split("\n")) expect(line.length).toBeLessThanOrEqual(42);
    }
    // Every word of the description reaches the viewer.
    expect(
      cues
        .slice(1)
        .map((c) => c.text.replace(/\n/g, " "))
        .join(" "),
    ).toBe(description);
    for (const t of [0, 3, 5, 10, duration - 0.5])
      expect(cues.some((c) => c.startSeconds <= t && t < c.endSeconds)).toBe(true);
  });

  it("let the title fill the film when there is no description", () => {
    expect(demoSubtitleCues("Titel", "  ", 30)).toEqual([{ startSeconds: 0, endSeconds: 30, text: "Titel" }]);
  });

  it("become a valid WebVTT file", () => {
    const vtt = buildWebVtt([
      { startSeconds: 0, endSeconds: 3.5, text: "Æble <og> pære & co" },
      { startSeconds: 3.5, endSeconds: 3725.25, text: "Linje 1\n\nLinje 2" },
    ]);
    expect(vtt).toBe(
      "WEBVTT\n\n1\n00:00:00.000 --> 00:00:03.500\nÆble &lt;og&gt; pære &amp; co\n\n2\n00:00:03.500 --> 01:02:05.250\nLinje 1\nLinje 2\n",
    );
    expect(() => buildWebVtt([{ startSeconds: 2, endSeconds: 1, text: "x" }])).toThrow();
  });

  it("get exactly one timestamp map in the header", () => {
    const mapped = withTimestampMap(
      "\uFEFFWEBVTT\r\nX-TIMESTAMP-MAP=MPEGTS:1,LOCAL:00:00:00.000\r\n\r\n00:00.000 --> 00:01.000\r\nHej\r\n",
      133200,
    );
    expect(mapped).toBe("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:133200,LOCAL:00:00:00.000\n\n00:00.000 --> 00:01.000\nHej\n");
    expect(withTimestampMap("WEBVTT", 9)).toBe("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:9,LOCAL:00:00:00.000\n");
    expect(() => withTimestampMap("1\n00:00:01,000 --> 00:00:02,000\nSRT", 0)).toThrow(/WebVTT/);
  });
});

describe("versions", () => {
  it("gives every slug a stable duration of 24–48 s", () => {
    const durations = ["a", "b", "sofie-ingen-spurgte-til-mig", "mikkel", "x-y-z", "amira"].map(
      syntheticDurationSeconds,
    );
    for (const d of durations) {
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(24);
      expect(d).toBeLessThanOrEqual(48);
    }
    expect(syntheticDurationSeconds("sofie-ingen-spurgte-til-mig")).toBe(durations[2]);
  });

  it("changes the synthetic version with anything that changes the film", () => {
    const cues = demoSubtitleCues("T", "En sætning.", 30);
    const base = syntheticVersion({ title: "T", durationSeconds: 30, cues });
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(syntheticVersion({ title: "T", durationSeconds: 30, cues })).toBe(base);
    expect(syntheticVersion({ title: "T2", durationSeconds: 30, cues })).not.toBe(base);
    expect(syntheticVersion({ title: "T", durationSeconds: 31, cues })).not.toBe(base);
    expect(
      syntheticVersion({ title: "T", durationSeconds: 30, cues: demoSubtitleCues("T", "En anden sætning.", 30) }),
    ).not.toBe(base);
  });

  it("hashes uploaded files by content", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rettidig-version-"));
    try {
      const a = path.join(dir, "a.mp4");
      const b = path.join(dir, "b.mp4");
      fs.writeFileSync(a, Buffer.alloc(200_000, 7));
      fs.writeFileSync(b, Buffer.alloc(200_000, 7));
      const version = await fileVersion(a);
      expect(version).toMatch(/^[0-9a-f]{16}$/);
      expect(await fileVersion(b)).toBe(version);
      expect(await fileVersion(a, "WEBVTT")).not.toBe(version);
      fs.appendFileSync(b, "x");
      expect(await fileVersion(b)).not.toBe(version);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
