import fs from "node:fs";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { certificates, courses, moduleProgress, modules, quizzes } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { mediaBaseUrl } from "~/media/access.server";
import { moduleMediaDir } from "~/media/library.server";
import * as home from "~/routes/_index";
import * as progressApi from "~/routes/api.progress";
import * as checkPage from "~/routes/bevis.$code";
import * as favicon from "~/routes/favicon[.]ico";
import * as health from "~/routes/healthz";
import * as myCourses from "~/routes/kurser._index";
import * as modulePage from "~/routes/kurser.$courseSlug.$moduleSlug._index";
import * as quizPage from "~/routes/kurser.$courseSlug.$moduleSlug.quiz";
import * as coursePage from "~/routes/kurser.$courseSlug._index";
import * as feedbackPage from "~/routes/kurser.$courseSlug.feedback/route";
import { rawGet, startMediaServer, type MediaServer } from "../utils/media-server";
import { markWatched } from "../utils/quizzes";
import { request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";
import { dumpTables } from "../utils/table-dump";

// The media fast path answers before Remix; this walk asks it as the server would.
let mediaServer: MediaServer;
beforeAll(async () => {
  mediaServer = await startMediaServer();
});
afterAll(() => mediaServer.close());

// The learner has completed this course (its quizzes removed, every film watched) and holds no
// certificate for it yet: the course page used to issue one. Its films have media, for which the
// module page used to store a playback view on every visit.
const COMPLETE = "i-skolen-og-fritiden";
const WITH_QUIZ = "unges-egne-fortaellinger";
const QUIZ_FILM = "sofie-ingen-spurgte-til-mig";
const LEARNER = demoEmails.learner;
const VERSION = "readonly0001";

const modulesOf = (slug: string) =>
  db
    .select({ id: modules.id, slug: modules.slug })
    .from(modules)
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(eq(courses.slug, slug))
    .all();

type Visit = { name: string; status: number; run: (cookie: string) => Promise<Response> };

const get = (url: string, cookie: string) => request(url, { cookie });

/** Every page and file of the learner's side, fetched with GET as a browser would. */
function visits(): Visit[] {
  const [film] = modulesOf(COMPLETE);
  const mediaUrl = `${mediaBaseUrl(userIdByEmail(LEARNER), film!.id, VERSION)}/master.m3u8`;
  return [
    { name: "/", status: 302, run: (cookie) => settle(() => home.loader(routeArgs(get("/", cookie)))) },
    {
      name: "/kurser",
      status: 200,
      run: (cookie) => settle(() => myCourses.loader(routeArgs(get("/kurser", cookie)))),
    },
    {
      name: "course page",
      status: 200,
      run: (cookie) =>
        settle(() => coursePage.loader(routeArgs(get(`/kurser/${COMPLETE}`, cookie), { courseSlug: COMPLETE }))),
    },
    {
      name: "module page",
      status: 200,
      run: (cookie) =>
        settle(() =>
          modulePage.loader(
            routeArgs(get(`/kurser/${COMPLETE}/${film!.slug}`, cookie), {
              courseSlug: COMPLETE,
              moduleSlug: film!.slug,
            }),
          ),
        ),
    },
    {
      name: "quiz page",
      status: 200,
      run: (cookie) =>
        settle(() =>
          quizPage.loader(
            routeArgs(get(`/kurser/${WITH_QUIZ}/${QUIZ_FILM}/quiz`, cookie), {
              courseSlug: WITH_QUIZ,
              moduleSlug: QUIZ_FILM,
            }),
          ),
        ),
    },
    {
      name: "feedback page",
      status: 200,
      run: (cookie) =>
        settle(() =>
          feedbackPage.loader(routeArgs(get(`/kurser/${COMPLETE}/feedback`, cookie), { courseSlug: COMPLETE })),
        ),
    },
    {
      name: "certificate check",
      status: 404,
      run: (cookie) =>
        settle(() => checkPage.loader(routeArgs(get("/bevis/2345-6789-ABCD", cookie), { code: "2345-6789-ABCD" }))),
    },
    {
      name: "film",
      status: 200,
      run: (cookie) => rawGet(`${mediaServer.origin}${mediaUrl}`, { cookie }),
    },
    { name: "progress endpoint", status: 405, run: () => settle(() => progressApi.loader()) },
    { name: "health", status: 200, run: (cookie) => settle(() => health.loader(routeArgs(get("/healthz", cookie)))) },
    { name: "favicon", status: 200, run: () => settle(() => favicon.loader()) },
  ];
}

describe("the learner's pages only read", () => {
  beforeEach(() => {
    const films = modulesOf(COMPLETE);
    db.delete(quizzes)
      .where(
        inArray(
          quizzes.moduleId,
          films.map((m) => m.id),
        ),
      )
      .run();
    for (const { slug } of films) markWatched(LEARNER, slug, new Date("2026-03-02T09:00:00Z"));
    markWatched(LEARNER, QUIZ_FILM);
    db.update(modules)
      .set({ mediaVersion: VERSION, durationSeconds: 40 })
      .where(
        inArray(
          modules.id,
          films.map((m) => m.id),
        ),
      )
      .run();
    const dir = moduleMediaDir(films[0]!.slug, VERSION);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "master.m3u8"), "#EXTM3U\n");
  });

  it("leaves every table as it was, however often each page is opened", async () => {
    const cookie = await sessionCookieFor(LEARNER);
    const before = dumpTables();
    for (let round = 0; round < 3; round++) {
      for (const visit of visits()) {
        expect((await visit.run(cookie)).status, visit.name).toBe(visit.status);
      }
    }
    expect(dumpTables()).toEqual(before);
  });

  it("still shows each page with what it is for: the earned certificate offered, the film with its view", async () => {
    const cookie = await sessionCookieFor(LEARNER);
    const course = await (
      await settle(() => coursePage.loader(routeArgs(get(`/kurser/${COMPLETE}`, cookie), { courseSlug: COMPLETE })))
    ).json();
    expect(course).toMatchObject({
      certificate: { code: null, href: `/kurser/${COMPLETE}/kursusbevis.pdf` },
      certificateRefusal: null,
    });
    const [film] = modulesOf(COMPLETE);
    const page = await settle(() =>
      modulePage.loader(
        routeArgs(get(`/kurser/${COMPLETE}/${film!.slug}`, cookie), { courseSlug: COMPLETE, moduleSlug: film!.slug }),
      ),
    );
    expect(page.status).toBe(200);
    expect(((await page.json()) as { media: { viewId: string } }).media.viewId).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(
      db
        .select()
        .from(certificates)
        .where(eq(certificates.userId, userIdByEmail(LEARNER)))
        .all(),
    ).toEqual([]);
    expect(
      db
        .select()
        .from(moduleProgress)
        .where(eq(moduleProgress.userId, userIdByEmail(LEARNER)))
        .all().length,
    ).toBeGreaterThan(0);
  });
});
