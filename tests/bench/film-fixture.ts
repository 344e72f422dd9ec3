import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { courses, modules } from "#db/schema";
import { db } from "~/db.server";
import { moduleMediaDir } from "~/media/library.server";

/** The demo module the media benches play; its learners' seats are what opens it. */
export const BENCH_SLUG = "sofie-ingen-spurgte-til-mig";
export const SEGMENT_SECONDS = 6;
/** A real film's 6 s segment at about 2.8 Mbit/s. */
export const SEGMENT_BYTES = 2 * 2 ** 20;

export type BenchFilm = {
  moduleId: number;
  /** The module's page, which signs the film's address and a playback view for whoever opens it. */
  pagePath: string;
  version: string;
  /** Every file by its path inside the version's folder, with its size in bytes. */
  files: Map<string, number>;
  segments: string[];
};

/**
 * A complete version of the bench module's film, as the transcoding worker leaves one: a master
 * and one 720p variant playlist over `segmentCount` segments, each `segmentBytes` of random bytes
 * (nothing on the way may compress them, and the page cache holds them after the first read). The
 * module is switched to the version, so the platform serves it to anyone holding a seat.
 */
export function writeBenchFilm(version: string, segmentCount: number, segmentBytes = SEGMENT_BYTES): BenchFilm {
  const module = db
    .select({ id: modules.id, course: courses.slug })
    .from(modules)
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(eq(modules.slug, BENCH_SLUG))
    .get();
  if (!module) throw new Error(`The bench database has no module ${BENCH_SLUG}`);
  const dir = moduleMediaDir(BENCH_SLUG, version);
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "720p"), { recursive: true });

  const segments = Array.from({ length: segmentCount }, (_, index) => `720p/seg_${String(index).padStart(5, "0")}.ts`);
  const variant = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-TARGETDURATION:${SEGMENT_SECONDS}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    ...segments.flatMap((segment) => [`#EXTINF:${SEGMENT_SECONDS}.000000,`, path.basename(segment)]),
    "#EXT-X-ENDLIST",
    "",
  ].join("\n");
  const master = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    '#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"',
    "720p/index.m3u8",
    "",
  ].join("\n");

  const files = new Map<string, number>();
  const write = (name: string, content: string | Buffer) => {
    fs.writeFileSync(path.join(dir, name), content);
    files.set(name, Buffer.byteLength(content));
  };
  write("master.m3u8", master);
  write("720p/index.m3u8", variant);
  for (const segment of segments) write(segment, randomBytes(segmentBytes));
  const durationSeconds = segmentCount * SEGMENT_SECONDS;
  fs.writeFileSync(path.join(dir, "complete.json"), JSON.stringify({ durationSeconds }));

  db.update(modules).set({ mediaVersion: version, durationSeconds }).where(eq(modules.id, module.id)).run();
  return { moduleId: module.id, pagePath: `/kurser/${module.course}/${BENCH_SLUG}`, version, files, segments };
}
