import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MediaError, ensureFfmpeg, probeHasVideo, run } from "~/media/ffmpeg.server";
import { demoSubtitleCues } from "~/media/demo-film/subtitles.server";
import { makeSyntheticFilm } from "~/media/demo-film/synthetic-film.server";
import { fitInside, outputFrameRate } from "~/media/filters.server";
import { PIPELINE_VERSION, buildLadder } from "~/media/hls-ladder.server";
import { buildWebVtt } from "~/media/webvtt.server";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "rettidig-pipeline-test-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function ffprobeJson(file: string, entries: string) {
  const { ffprobe } = await ensureFfmpeg();
  const { stdout } = await run(ffprobe, ["-v", "error", "-show_entries", entries, "-of", "json", file]);
  return JSON.parse(stdout.toString("utf8")) as {
    streams: {
      codec_type: string;
      codec_name: string;
      profile?: string;
      width?: number;
      height?: number;
      start_pts?: number;
      channels?: number;
    }[];
  };
}

function mediaPlaylistSegments(file: string) {
  const text = fs.readFileSync(file, "utf8");
  const durations = [...text.matchAll(/^#EXTINF:([\d.]+),\s*\n(.+)$/gm)].map((m) => ({
    duration: Number(m[1]),
    uri: m[2]!.trim(),
  }));
  return { text, segments: durations };
}

function partialsIn(dir: string) {
  return fs.readdirSync(dir).filter((name) => name.includes(".partial-"));
}

describe("a synthetic film through the HLS ladder", () => {
  const film = path.join(work, "film.mp4");
  const ladderParent = path.join(work, "ladder");
  const outDir = path.join(ladderParent, "v1");
  const title = "Test: Sofies “hemmelighed” – æøå, 100 % 'ok'";
  const cues = demoSubtitleCues(title, "Første sætning om barnet. Anden sætning om skolen.", 8);
  const progress: number[] = [];
  let result: { durationSeconds: number };

  beforeAll(async () => {
    await makeSyntheticFilm({ title, caption: "Demofilm", durationSeconds: 8, outFile: film });
    result = await buildLadder({
      input: film,
      outDir,
      subtitlesVtt: buildWebVtt(cues),
      onProgress: (f) => progress.push(f),
    });
  });

  it("makes an 8 s H.264/AAC film", async () => {
    const probe = await ffprobeJson(film, "stream=codec_type,codec_name,width,height:format=duration");
    expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(["aac", "h264"]);
    expect(probe.streams.find((s) => s.codec_type === "video")).toMatchObject({ width: 1280, height: 720 });
    expect(result.durationSeconds).toBe(8);
    expect(await probeHasVideo(film)).toBe(true);
  });

  it("writes a master playlist with both renditions and the subtitle group", () => {
    const master = fs.readFileSync(path.join(outDir, "master.m3u8"), "utf8");
    expect(master.startsWith("#EXTM3U\n#EXT-X-VERSION:")).toBe(true);
    expect(master).toContain("#EXT-X-INDEPENDENT-SEGMENTS");
    expect(master).toContain(
      '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Dansk",LANGUAGE="da",DEFAULT=YES,AUTOSELECT=YES,FORCED=NO,URI="subs/da.m3u8"',
    );
    const variants = [...master.matchAll(/^#EXT-X-STREAM-INF:(.+)\n(.+)$/gm)].map((m) => ({
      attributes: m[1]!,
      uri: m[2]!,
    }));
    expect(variants.map((v) => v.uri)).toEqual(["360p/index.m3u8", "720p/index.m3u8"]);
    const expected = [
      { resolution: "640x360", codecs: "avc1.4d401e,mp4a.40.2" },
      { resolution: "1280x720", codecs: "avc1.4d401f,mp4a.40.2" },
    ];
    variants.forEach((variant, i) => {
      const bandwidth = Number(/(?:^|,)BANDWIDTH=(\d+)/.exec(variant.attributes)?.[1]);
      const average = Number(/AVERAGE-BANDWIDTH=(\d+)/.exec(variant.attributes)?.[1]);
      expect(bandwidth).toBeGreaterThan(100_000);
      expect(average).toBeGreaterThan(0);
      expect(average).toBeLessThanOrEqual(bandwidth);
      expect(variant.attributes).toContain(`RESOLUTION=${expected[i]!.resolution}`);
      expect(variant.attributes).toContain(`CODECS="${expected[i]!.codecs}"`);
      expect(variant.attributes).toContain("FRAME-RATE=25.000");
      expect(variant.attributes).toContain('SUBTITLES="subs"');
      expect(fs.existsSync(path.join(outDir, variant.uri))).toBe(true);
    });
  });

  it("cuts VOD media playlists into segments of at most ~6 s", () => {
    for (const name of ["360p", "720p"]) {
      const { text, segments } = mediaPlaylistSegments(path.join(outDir, name, "index.m3u8"));
      expect(text).toContain("#EXT-X-PLAYLIST-TYPE:VOD");
      expect(text.trimEnd().endsWith("#EXT-X-ENDLIST")).toBe(true);
      expect(segments.map((s) => s.uri)).toEqual(["seg_00000.ts", "seg_00001.ts"]);
      for (const segment of segments) {
        expect(segment.duration).toBeLessThanOrEqual(6.5);
        expect(fs.statSync(path.join(outDir, name, segment.uri)).size).toBeGreaterThan(0);
      }
      expect(segments.reduce((sum, s) => sum + s.duration, 0)).toBeCloseTo(8, 1);
    }
  });

  it("encodes H.264 Main with stereo AAC-LC in the segments", async () => {
    const probe = await ffprobeJson(
      path.join(outDir, "720p", "seg_00000.ts"),
      "stream=codec_type,codec_name,profile,width,height,channels",
    );
    const video = probe.streams.find((s) => s.codec_type === "video");
    const audio = probe.streams.find((s) => s.codec_type === "audio");
    expect(video).toMatchObject({ codec_name: "h264", profile: "Main", width: 1280, height: 720 });
    expect(audio).toMatchObject({ codec_name: "aac", profile: "LC", channels: 2 });
  });

  it("maps subtitle time 0 to the first video frame of the segments", async () => {
    const vtt = fs.readFileSync(path.join(outDir, "subs", "da.vtt"), "utf8");
    const mpegts = Number(/^X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:00:00:00\.000$/m.exec(vtt)?.[1]);
    expect(vtt.startsWith("WEBVTT\nX-TIMESTAMP-MAP=")).toBe(true);
    for (const name of ["360p", "720p"]) {
      const [first, second] = await Promise.all(
        ["seg_00000.ts", "seg_00001.ts"].map(async (segment) => {
          const probe = await ffprobeJson(path.join(outDir, name, segment), "stream=codec_type,start_pts");
          return probe.streams.find((s) => s.codec_type === "video")!.start_pts!;
        }),
      );
      expect(first).toBe(mpegts);
      // The second segment starts exactly 6 s later: keyframes fall on the segment grid.
      expect(second! - first!).toBe(6 * 90_000);
    }
    const subs = fs.readFileSync(path.join(outDir, "subs", "da.m3u8"), "utf8");
    expect(subs).toContain("#EXT-X-PLAYLIST-TYPE:VOD");
    expect(subs).toMatch(/#EXTINF:8\.0\d\d,\nda\.vtt\n#EXT-X-ENDLIST/);
  });

  it("makes a poster and marks the folder complete", async () => {
    const poster = await ffprobeJson(path.join(outDir, "poster.jpg"), "stream=width,height");
    expect(poster.streams[0]).toMatchObject({ width: 1280, height: 720 });
    const complete = JSON.parse(fs.readFileSync(path.join(outDir, "complete.json"), "utf8"));
    expect(complete).toMatchObject({ durationSeconds: 8, pipelineVersion: PIPELINE_VERSION, subtitles: true });
    expect(complete.renditions.map((r: { name: string }) => r.name)).toEqual(["360p", "720p"]);
    expect(partialsIn(ladderParent)).toEqual([]);
  });

  it("reports progress up to 1", () => {
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it("returns at once when the ladder already exists", async () => {
    const master = path.join(outDir, "master.m3u8");
    const before = fs.statSync(master).mtimeMs;
    const started = Date.now();
    await expect(buildLadder({ input: film, outDir })).resolves.toEqual({ durationSeconds: 8 });
    expect(Date.now() - started).toBeLessThan(500);
    expect(fs.statSync(master).mtimeMs).toBe(before);
    expect(partialsIn(ladderParent)).toEqual([]);
  });
});

describe("inputs that are not 720p films", () => {
  it("handles a small 4:3 film without sound without upscaling it to 720p", async () => {
    const { ffmpeg } = await ensureFfmpeg();
    const input = path.join(work, "small.mp4");
    await run(ffmpeg, [
      "-v",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      "testsrc=size=320x240:rate=30:duration=3",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
      input,
    ]);
    const outDir = path.join(work, "small-ladder");
    await expect(buildLadder({ input, outDir })).resolves.toEqual({ durationSeconds: 3 });

    const master = fs.readFileSync(path.join(outDir, "master.m3u8"), "utf8");
    expect(master).not.toContain("EXT-X-MEDIA");
    expect(master).not.toContain("SUBTITLES=");
    expect(master).toContain("RESOLUTION=480x360");
    expect(master).toContain("FRAME-RATE=30.000");
    expect(master).not.toContain("720p/index.m3u8");
    // A silent track is added so every ladder has the audio its CODECS promise.
    const probe = await ffprobeJson(path.join(outDir, "360p", "seg_00000.ts"), "stream=codec_type,codec_name");
    expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(["aac", "h264"]);
  });

  it("refuses a text file named .mp4 and leaves nothing behind", async () => {
    const fake = path.join(work, "not-a-film.mp4");
    fs.writeFileSync(fake, "Dette er ikke en film, bare tekst.\n");
    expect(await probeHasVideo(fake)).toBe(false);
    const parent = path.join(work, "fake-ladder");
    await expect(buildLadder({ input: fake, outDir: path.join(parent, "v1") })).rejects.toThrow(MediaError);
    expect(fs.existsSync(path.join(parent, "v1"))).toBe(false);
    if (fs.existsSync(parent)) expect(partialsIn(parent)).toEqual([]);
  });

  it("refuses subtitles that are not WebVTT", async () => {
    await expect(
      buildLadder({
        input: path.join(work, "film.mp4"),
        outDir: path.join(work, "bad-subs"),
        subtitlesVtt: "1\n00:00:01,000 --> 00:00:02,000\nSRT\n",
      }),
    ).rejects.toThrow(/WebVTT/);
  });
});

describe("sizing helpers", () => {
  it("fits any shape inside the rendition box with even sides", () => {
    expect(fitInside(1920, 1080, 1280, 720)).toMatchObject({ width: 1280, height: 720 });
    expect(fitInside(1080, 1920, 1280, 720)).toMatchObject({ width: 406, height: 720 });
    expect(fitInside(720 * (64 / 45), 576, 640, 360)).toMatchObject({ width: 640, height: 360 });
    expect(fitInside(101, 77, 640, 360)).toMatchObject({ width: 472, height: 360 });
  });

  it("keeps common frame rates and halves high ones", () => {
    expect(outputFrameRate(25).expression).toBe("25");
    expect(outputFrameRate(30000 / 1001).expression).toBe("30000/1001");
    expect(outputFrameRate(50).expression).toBe("25");
    expect(outputFrameRate(60000 / 1001).expression).toBe("30000/1001");
    expect(outputFrameRate(null).expression).toBe("25");
  });
});
