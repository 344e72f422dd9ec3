import fs from "node:fs";
import { eq } from "drizzle-orm";
import { modules, seats } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { getSessionSecret } from "~/env.server";
import { mediaBaseUrl } from "~/media/access.server";
import { mediaRoot, moduleMediaDir } from "~/media/library.server";
import { signMediaToken } from "~/media/token.server";
import { createObjectStore } from "~/storage/object-store.server";
import { freePort } from "../fakes/nginx";
import { ownMediaBucket } from "../utils/media-bucket";
import {
  MEDIA_STORAGES,
  rawGet,
  startMediaServer,
  writeMediaFile,
  type MediaServer,
  type MediaStorage,
} from "../utils/media-server";
import { sessionCookieFor, userIdByEmail } from "../utils/requests";

const bucketSettings = ownMediaBucket("media-access");

const SLUG = "sofie-ingen-spurgte-til-mig";
const VERSION = "testversion0001";
const SEGMENT = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

function moduleId() {
  const row = db.select({ id: modules.id }).from(modules).where(eq(modules.slug, SLUG)).get();
  if (!row) throw new Error("module missing");
  return row.id;
}

const learnerUrl = (file: string) => `${mediaBaseUrl(userIdByEmail(demoEmails.learner), moduleId(), VERSION)}/${file}`;

// Every case runs with the films in the folder and in the bucket: the answers must be the same.
describe.each(MEDIA_STORAGES)("films kept in %s storage", (storage: MediaStorage) => {
  const write = (relative: string, content: string | Buffer, version = VERSION, slug = SLUG) =>
    writeMediaFile(storage, { slug, version }, relative, content);

  // Files the folder's run left behind must not be what the bucket's run serves.
  beforeAll(() => {
    if (storage === "s3") fs.rmSync(mediaRoot(), { recursive: true, force: true });
  });

  beforeEach(async () => {
    await write("master.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n360p/index.m3u8\n");
    await write("360p/seg_00000.ts", SEGMENT);
    await write("complete.json", "{}");
    db.update(modules).set({ mediaVersion: VERSION, durationSeconds: 30 }).where(eq(modules.slug, SLUG)).run();
  });

  const start = (settings: Record<string, string> = {}, options: Parameters<typeof startMediaServer>[1] = {}) =>
    startMediaServer({ MEDIA_STORAGE: storage, ...settings }, options);

  // The fast path as the server mounts it, without the grant cache: these tests change access between requests.
  let server: MediaServer;
  beforeAll(async () => {
    server = await start({ MEDIA_ACCESS_CACHE_SECONDS: "0" });
  });
  afterAll(() => server.close());

  function fetchMedia(url: string, init: { cookie?: string; headers?: Record<string, string>; method?: string } = {}) {
    return rawGet(`${server.origin}${url}`, init);
  }

  describe("media is served only to those who may see the course", () => {
    it("serves a playlist and byte ranges of a segment to the learner it was issued to", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const playlist = await fetchMedia(learnerUrl("master.m3u8"), { cookie });
      expect(playlist.status).toBe(200);
      expect(playlist.headers.get("Content-Type")).toBe("application/vnd.apple.mpegurl");
      expect(playlist.headers.get("Cache-Control")).toMatch(/private/);

      const part = await fetchMedia(learnerUrl("360p/seg_00000.ts"), { cookie, headers: { Range: "bytes=100-199" } });
      expect(part.status).toBe(206);
      expect(part.headers.get("Content-Type")).toBe("video/mp2t");
      expect(part.headers.get("Content-Range")).toBe(`bytes 100-199/${SEGMENT.length}`);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(SEGMENT.subarray(100, 200));
    });

    it("refuses anonymous requests, even with a valid token", async () => {
      expect((await fetchMedia(learnerUrl("master.m3u8"))).status).toBe(403);
      expect((await fetchMedia(learnerUrl("360p/seg_00000.ts"))).status).toBe(403);
    });

    it("refuses a signed-in user from a municipality without access to the course", async () => {
      const neighbour = userIdByEmail(demoEmails.neighbourLearner);
      const cookie = await sessionCookieFor(demoEmails.neighbourLearner);
      // Even a correctly signed token for this user does not open a course the municipality lacks.
      const ownToken = `${mediaBaseUrl(neighbour, moduleId(), VERSION)}/master.m3u8`;
      expect((await fetchMedia(ownToken, { cookie })).status).toBe(403);
      // Nor does a token issued to someone else.
      expect((await fetchMedia(learnerUrl("master.m3u8"), { cookie })).status).toBe(403);
    });

    it("refuses forged tokens", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const learner = userIdByEmail(demoEmails.learner);
      const forgedSecret = signMediaToken(
        { userId: learner, moduleId: moduleId(), version: VERSION, expiresAt: Date.now() + 60_000 },
        "a-different-secret-of-enough-length!!",
      );
      const [payload, signature] = learnerUrl("master.m3u8").split("/")[2]!.split(".");
      const otherPayload = Buffer.from(
        JSON.stringify({ u: learner, m: moduleId() + 1, v: VERSION, e: Date.now() + 60_000 }),
      ).toString("base64url");
      for (const token of [forgedSecret, `${otherPayload}.${signature}`, `${payload}.AAAA`, "not-a-token", ""]) {
        expect((await fetchMedia(`/media/${token}/${VERSION}/master.m3u8`, { cookie })).status).toBe(403);
      }
    });

    it("refuses expired tokens", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const learner = userIdByEmail(demoEmails.learner);
      const expired = signMediaToken(
        { userId: learner, moduleId: moduleId(), version: VERSION, expiresAt: Date.now() - 1 },
        getSessionSecret(),
      );
      expect((await fetchMedia(`/media/${expired}/${VERSION}/master.m3u8`, { cookie })).status).toBe(403);
      const longAgo = mediaBaseUrl(learner, moduleId(), VERSION, Date.now() - 3 * 3600 * 1000);
      expect((await fetchMedia(`${longAgo}/master.m3u8`, { cookie })).status).toBe(403);
    });

    it("stops serving as soon as the person no longer has access", async () => {
      const cookie = await sessionCookieFor(demoEmails.leader);
      const leader = userIdByEmail(demoEmails.leader);
      const url = `${mediaBaseUrl(leader, moduleId(), VERSION)}/master.m3u8`;
      expect((await fetchMedia(url, { cookie })).status).toBe(200);
      db.update(seats).set({ revokedAt: new Date() }).where(eq(seats.userId, leader)).run();
      expect((await fetchMedia(url, { cookie })).status).toBe(403);
    });

    it("serves the described soundtrack under the same check as the picture: its learner yes, a stranger or a lost seat no", async () => {
      await write("audio-described/index.m3u8", "#EXTM3U\n");
      await write("audio-described/seg_00000.ts", SEGMENT);
      const files = ["audio-described/index.m3u8", "audio-described/seg_00000.ts"];

      const cookie = await sessionCookieFor(demoEmails.learner);
      for (const file of files) expect((await fetchMedia(learnerUrl(file), { cookie })).status).toBe(200);
      for (const file of files) expect((await fetchMedia(learnerUrl(file))).status).toBe(403);
      const neighbourCookie = await sessionCookieFor(demoEmails.neighbourLearner);
      const neighbourOwn = (file: string) =>
        `${mediaBaseUrl(userIdByEmail(demoEmails.neighbourLearner), moduleId(), VERSION)}/${file}`;
      for (const file of files) {
        expect((await fetchMedia(neighbourOwn(file), { cookie: neighbourCookie })).status).toBe(403);
        expect((await fetchMedia(learnerUrl(file), { cookie: neighbourCookie })).status).toBe(403);
      }
      db.update(seats)
        .set({ revokedAt: new Date() })
        .where(eq(seats.userId, userIdByEmail(demoEmails.learner)))
        .run();
      for (const file of files) expect((await fetchMedia(learnerUrl(file), { cookie })).status).toBe(403);
    });

    it("does not serve files outside the module's media folder, though they exist", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const otherModule = "mikkel-den-stille-dreng-bagerst";
      await write("360p/seg_00000.ts", SEGMENT, VERSION, otherModule);
      const base = learnerUrl("").replace(/\/$/, "");
      expect((await fetchMedia(`${base}/360p/seg_00000.ts`, { cookie })).status).toBe(200);
      for (const file of [
        `../../${otherModule}/${VERSION}/360p/seg_00000.ts`,
        `360p/../../../${otherModule}/${VERSION}/360p/seg_00000.ts`,
        `/${moduleMediaDir(otherModule, VERSION)}/360p/seg_00000.ts`,
        "complete.json",
        "360p\\..\\master.m3u8",
      ]) {
        expect((await fetchMedia(`${base}/${file}`, { cookie })).status).toBe(404);
      }
      // A path that climbs out through the version names another version than the token's.
      const climbing = `${learnerUrl("").split("/").slice(0, 3).join("/")}/../${otherModule}/${VERSION}/360p/seg_00000.ts`;
      expect((await fetchMedia(climbing, { cookie })).status).toBe(403);
    });
  });

  describe("a media token opens one version of one published film", () => {
    const NEWER = "testversion0002";

    beforeEach(async () => {
      await write("master.m3u8", "#EXTM3U\n", NEWER);
      await write("complete.json", "{}", NEWER);
    });

    it("opens only the version it was issued for, though the other is the module's film and the token is valid", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const token = learnerUrl("").split("/")[2]!;
      db.update(modules).set({ mediaVersion: NEWER }).where(eq(modules.slug, SLUG)).run();
      try {
        // The film a player started keeps playing after the module has moved on…
        expect((await fetchMedia(`/media/${token}/${VERSION}/master.m3u8`, { cookie })).status).toBe(200);
        // …but its token opens no other version, not even the module's current one.
        const refused = await fetchMedia(`/media/${token}/${NEWER}/master.m3u8`, { cookie });
        expect(refused.status).toBe(403);
        expect(await refused.text()).toBe("Du har ikke adgang til denne film.");
        const newToken = `${mediaBaseUrl(userIdByEmail(demoEmails.learner), moduleId(), NEWER)}/master.m3u8`;
        expect((await fetchMedia(newToken, { cookie })).status).toBe(200);
      } finally {
        db.update(modules).set({ mediaVersion: VERSION }).where(eq(modules.slug, SLUG)).run();
      }
    });

    it("stops serving a learner once the module is unpublished, and lets the owner go on previewing it", async () => {
      const learnerCookie = await sessionCookieFor(demoEmails.learner);
      const ownerCookie = await sessionCookieFor(demoEmails.owner);
      const ownerUrl = `${mediaBaseUrl(userIdByEmail(demoEmails.owner), moduleId(), VERSION)}/master.m3u8`;
      expect((await fetchMedia(learnerUrl("master.m3u8"), { cookie: learnerCookie })).status).toBe(200);
      db.update(modules).set({ published: false }).where(eq(modules.slug, SLUG)).run();
      try {
        expect((await fetchMedia(learnerUrl("master.m3u8"), { cookie: learnerCookie })).status).toBe(403);
        expect((await fetchMedia(learnerUrl("360p/seg_00000.ts"), { cookie: learnerCookie })).status).toBe(403);
        expect((await fetchMedia(ownerUrl, { cookie: ownerCookie })).status).toBe(200);
      } finally {
        db.update(modules).set({ published: true }).where(eq(modules.slug, SLUG)).run();
      }
      expect((await fetchMedia(learnerUrl("master.m3u8"), { cookie: learnerCookie })).status).toBe(200);
    });
  });

  describe("the fast path answers like a file server", () => {
    it("answers HEAD without a body, revalidates with 304 and refuses other methods in Danish", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const head = await fetchMedia(learnerUrl("360p/seg_00000.ts"), { cookie, method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("Content-Length")).toBe(String(SEGMENT.length));
      expect(head.headers.get("Cache-Control")).toBe("private, max-age=3600");
      const etag = head.headers.get("ETag") ?? "";
      expect(etag).not.toBe("");
      const again = await fetchMedia(learnerUrl("360p/seg_00000.ts"), { cookie, headers: { "If-None-Match": etag } });
      expect(again.status).toBe(304);
      const playlist = await fetchMedia(learnerUrl("master.m3u8"), { cookie });
      expect(playlist.status).toBe(200);
      expect(playlist.headers.get("Cache-Control")).toBe("private, no-cache");
      const post = await fetchMedia(learnerUrl("master.m3u8"), { cookie, method: "POST" });
      expect(post.status).toBe(405);
      expect(await post.text()).toBe("Film kan kun hentes, ikke sendes hertil.");
    });

    it("answers an unsatisfiable range with its own 416, naming the size, and a missing file with the Danish 404", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const beyond = await fetchMedia(learnerUrl("360p/seg_00000.ts"), { cookie, headers: { Range: "bytes=5000-" } });
      expect(beyond.status).toBe(416);
      expect(beyond.headers.get("Content-Range")).toBe(`bytes */${SEGMENT.length}`);
      expect(await beyond.text()).toBe("Den del af filen, der blev bedt om, findes ikke.");
      const missing = await fetchMedia(learnerUrl("360p/seg_09999.ts"), { cookie });
      expect(missing.status).toBe(404);
      expect(await missing.text()).toBe("Filen findes ikke.");
    });

    it("revalidates by date as well, and answers HEAD for a range", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const whole = await fetchMedia(learnerUrl("360p/seg_00000.ts"), { cookie });
      expect(whole.status).toBe(200);
      expect(whole.headers.get("Accept-Ranges")).toBe("bytes");
      const lastModified = whole.headers.get("Last-Modified") ?? "";
      expect(lastModified).not.toBe("");
      const unchanged = await fetchMedia(learnerUrl("360p/seg_00000.ts"), {
        cookie,
        headers: { "If-Modified-Since": lastModified },
      });
      expect(unchanged.status).toBe(304);
      const head = await fetchMedia(learnerUrl("360p/seg_00000.ts"), {
        cookie,
        method: "HEAD",
        headers: { Range: "bytes=10-19" },
      });
      expect(head.status).toBe(206);
      expect(head.headers.get("Content-Length")).toBe("10");
      expect(head.headers.get("Content-Range")).toBe(`bytes 10-19/${SEGMENT.length}`);
    });

    it.runIf(storage === "local")("passes send's own 412 through for a precondition that fails", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const changed = await fetchMedia(learnerUrl("360p/seg_00000.ts"), {
        cookie,
        headers: { "If-Match": '"another-version"' },
      });
      expect(changed.status).toBe(412);
      expect(await changed.text()).toBe("Filen er ændret siden den version, du spurgte efter.");
    });
  });

  describe.runIf(storage === "s3")("a bucket that fails is named, not a 500", () => {
    it("answers 502 when the store refuses the read and 503 when it cannot be reached, in Danish", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const storeWith = (changes: { S3_BUCKET?: string; S3_ENDPOINT?: string }) => {
        const store = createObjectStore({ ...bucketSettings, S3_FORCE_PATH_STYLE: true, ...changes });
        if (!store) throw new Error("incomplete S3 settings");
        return store;
      };
      const noBucket = storeWith({ S3_BUCKET: "rettidig-no-such-bucket" });
      const unreachable = storeWith({ S3_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
      for (const [bucket, status, text] of [
        [noBucket, 502, "Filen kunne ikke hentes fra lageret. Prøv igen senere."],
        [unreachable, 503, "Lageret med filmene svarer ikke lige nu. Prøv igen om lidt."],
      ] as const) {
        const failing = await start({}, { bucket });
        try {
          for (const file of ["360p/seg_00000.ts", "master.m3u8"]) {
            const answer = await rawGet(`${failing.origin}${learnerUrl(file)}`, { cookie });
            expect(answer.status).toBe(status);
            expect(answer.headers.get("Cache-Control")).toBe("no-store");
            expect(await answer.text()).toBe(text);
          }
          // The seat is still checked first: a stranger learns nothing about the store.
          expect((await rawGet(`${failing.origin}${learnerUrl("360p/seg_00000.ts")}`)).status).toBe(403);
        } finally {
          await failing.close();
        }
      }
    });
  });

  describe("the seat check may be reused for a few seconds per token and session", () => {
    it("keeps serving a revoked learner only until the cache time has passed, then refuses", async () => {
      let clock = Date.now();
      const cached = await start({ MEDIA_ACCESS_CACHE_SECONDS: "5" }, { now: () => clock });
      try {
        const cookie = await sessionCookieFor(demoEmails.leader);
        const leader = userIdByEmail(demoEmails.leader);
        const url = `${cached.origin}${mediaBaseUrl(leader, moduleId(), VERSION)}/360p/seg_00000.ts`;
        const playlist = url.replace("360p/seg_00000.ts", "master.m3u8");
        expect((await rawGet(url, { cookie })).status).toBe(200);
        expect((await rawGet(playlist, { cookie })).status).toBe(200);
        db.update(seats).set({ revokedAt: new Date() }).where(eq(seats.userId, leader)).run();
        // A film is never started again: its playlist is checked afresh.
        expect((await rawGet(playlist, { cookie })).status).toBe(403);
        clock += 4_000;
        expect((await rawGet(url, { cookie })).status).toBe(200);
        // The grant is the session's: other cookies coming and going still find it…
        expect((await rawGet(url, { cookie: `${cookie}; hls-quality=720p` })).status).toBe(200);
        expect((await rawGet(url, { cookie: `theme=dark; ${cookie}` })).status).toBe(200);
        // …while a request without the session, or with another session of the same person, never rides on it.
        expect((await rawGet(url)).status).toBe(403);
        expect((await rawGet(url, { cookie: await sessionCookieFor(demoEmails.leader) })).status).toBe(403);
        clock += 1_001;
        expect((await rawGet(url, { cookie })).status).toBe(403);
        clock += 10_000;
        expect((await rawGet(url, { cookie })).status).toBe(403);
      } finally {
        await cached.close();
      }
    });
  });

  describe("the bytes the fast path sent are reported in one place", () => {
    it("reports each answer's body size by tier: whole, a range, and nothing for HEAD or a refusal", async () => {
      const served: Array<[string, number]> = [];
      const counted = await start({}, { onServed: (tier, bytes) => served.push([tier, bytes]) });
      try {
        const cookie = await sessionCookieFor(demoEmails.learner);
        const url = `${counted.origin}${learnerUrl("360p/seg_00000.ts")}`;
        expect((await rawGet(url, { cookie })).status).toBe(200);
        expect((await rawGet(url, { cookie, headers: { Range: "bytes=0-99" } })).status).toBe(206);
        expect((await rawGet(url, { cookie, method: "HEAD" })).status).toBe(200);
        expect((await rawGet(url)).status).toBe(403);
        await expect.poll(() => served.length).toBe(3);
        expect(served).toEqual([
          ["app", SEGMENT.length],
          ["app", 100],
          ["app", 0],
        ]);
      } finally {
        await counted.close();
      }
    });
  });
});
