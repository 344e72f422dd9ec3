import { eq } from "drizzle-orm";
import { modules, seats } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import * as myCourses from "~/routes/kurser._index";
import * as coursePage from "~/routes/kurser.$courseSlug._index";
import * as modulePage from "~/routes/kurser.$courseSlug.$moduleSlug._index";
import * as progressApi from "~/routes/api.progress";
import * as outbox from "~/routes/udvikler.udbakke";
import { translator } from "~/i18n/i18n";
import type { MessageKey } from "~/i18n/da";
import { jsonOf, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

const COURSE = "unges-egne-fortaellinger";
const MODULE = "sofie-ingen-spurgte-til-mig";

/** "Mine kurser": the courses made mandatory for the person first, the others after. */
type MyCourses = { mandatory: { slug: string }[]; optional: { slug: string }[] };

describe("pages show each person only what they may take", () => {
  it("lists the four courses for the demo learner and none for the neighbouring municipality", async () => {
    const demo = await settle(() => myCourses.loader(routeArgs(request("/kurser", { cookie: "" }))));
    expect(demo.status).toBe(302);

    const learner = await sessionCookieFor(demoEmails.learner);
    const mine = await jsonOf<MyCourses>(
      await settle(() => myCourses.loader(routeArgs(request("/kurser", { cookie: learner })))),
    );
    expect(mine.mandatory).toEqual([]);
    expect(mine.optional.map((c) => c.slug)).toHaveLength(4);

    const neighbour = await sessionCookieFor(demoEmails.neighbourLearner);
    const theirs = await jsonOf<MyCourses>(
      await settle(() => myCourses.loader(routeArgs(request("/kurser", { cookie: neighbour })))),
    );
    expect(theirs).toEqual({ mandatory: [], optional: [] });
  });

  it("answers 403 on a course and its films for a municipality without access, and 404 for unknown ones", async () => {
    const neighbour = await sessionCookieFor(demoEmails.neighbourLearner);
    const course = await settle(() =>
      coursePage.loader(routeArgs(request(`/kurser/${COURSE}`, { cookie: neighbour }), { courseSlug: COURSE })),
    );
    expect(course.status).toBe(403);
    const film = await settle(() =>
      modulePage.loader(
        routeArgs(request(`/kurser/${COURSE}/${MODULE}`, { cookie: neighbour }), {
          courseSlug: COURSE,
          moduleSlug: MODULE,
        }),
      ),
    );
    expect(film.status).toBe(403);

    const learner = await sessionCookieFor(demoEmails.learner);
    const unknown = await settle(() =>
      coursePage.loader(routeArgs(request("/kurser/findes-ikke", { cookie: learner }), { courseSlug: "findes-ikke" })),
    );
    expect(unknown.status).toBe(404);
    const wrongCourse = await settle(() =>
      modulePage.loader(
        routeArgs(request(`/kurser/i-skolen-og-fritiden/${MODULE}`, { cookie: learner }), {
          courseSlug: "i-skolen-og-fritiden",
          moduleSlug: MODULE,
        }),
      ),
    );
    expect(wrongCourse.status).toBe(404);
  });

  it("lets the course owner see every course", async () => {
    const owner = await sessionCookieFor(demoEmails.owner);
    const body = await jsonOf<MyCourses>(
      await settle(() => myCourses.loader(routeArgs(request("/kurser", { cookie: owner })))),
    );
    expect(body.optional).toHaveLength(4);
  });

  it("shows the outbox only to the course owner, and never in production", async () => {
    const outboxAs = async (cookie: string) =>
      (await settle(() => outbox.loader(routeArgs(request("/udvikler/udbakke", { cookie }))))).status;
    const owner = await sessionCookieFor(demoEmails.owner);
    expect(await outboxAs(owner)).toBe(200);
    expect(await outboxAs(await sessionCookieFor(demoEmails.admin))).toBe(404);
    expect(await outboxAs("")).toBe(302);
    const { getEnv } = await import("~/env.server");
    const previous = getEnv().NODE_ENV;
    Object.assign(getEnv(), { NODE_ENV: "production" });
    try {
      expect(await outboxAs(owner)).toBe(404);
    } finally {
      Object.assign(getEnv(), { NODE_ENV: previous });
    }
  });
});

describe("the progress endpoint", () => {
  const post = (body: string, cookie?: string) =>
    settle(() =>
      progressApi.action(
        routeArgs(
          request("/api/progress", { method: "POST", body, cookie, headers: { "Content-Type": "application/json" } }),
        ),
      ),
    );

  it("refuses anonymous reports, bad JSON, wrong shapes and other people's views", async () => {
    expect((await post(JSON.stringify({ viewId: "x", ranges: [], positionSeconds: 0 }))).status).toBe(401);
    const learner = await sessionCookieFor(demoEmails.learner);
    expect((await post("{not json", learner)).status).toBe(400);
    expect((await post(JSON.stringify({ viewId: "x", ranges: [[0, "a"]], positionSeconds: 0 }), learner)).status).toBe(
      400,
    );
    expect((await post("x".repeat(70_000), learner)).status).toBe(413);
    expect((await post("ø".repeat(40_000), learner)).status).toBe(413);
    const unknown = await post(
      JSON.stringify({ viewId: "no-such-view", ranges: [[0, 1]], positionSeconds: 1 }),
      learner,
    );
    expect(unknown.status).toBe(404);
    // The message is shown as the person's language writes it, whether the route sends the text or its key.
    const { message } = (await unknown.json()) as { message: string };
    expect(translator("da")(message as MessageKey)).toMatch(/Genindlæs siden/);
  });

  it("saves a report against the view the module page opened", async () => {
    db.update(modules).set({ mediaVersion: "v1", durationSeconds: 30 }).where(eq(modules.slug, MODULE)).run();
    const learner = await sessionCookieFor(demoEmails.learner);
    const page = await jsonOf<{ media: { viewId: string; base: string } }>(
      await settle(() =>
        modulePage.loader(
          routeArgs(request(`/kurser/${COURSE}/${MODULE}`, { cookie: learner }), {
            courseSlug: COURSE,
            moduleSlug: MODULE,
          }),
        ),
      ),
    );
    expect(page.media.base).toMatch(/^\/media\/[\w-]+\.[\w-]+\/v1$/);

    const saved = await post(
      JSON.stringify({ viewId: page.media.viewId, ranges: [[0, 2]], positionSeconds: 2, ended: false }),
      learner,
    );
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ playedSeconds: 2, lastPositionSeconds: 2, watched: false });

    // Once the seat is taken back, the open player can no longer record anything.
    db.update(seats)
      .set({ revokedAt: new Date() })
      .where(eq(seats.userId, userIdByEmail(demoEmails.learner)))
      .run();
    const after = await post(
      JSON.stringify({ viewId: page.media.viewId, ranges: [[0, 4]], positionSeconds: 4, ended: false }),
      learner,
    );
    expect(after.status).toBe(403);
  });
});
