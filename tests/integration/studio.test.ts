import { asc, count, eq } from "drizzle-orm";
import {
  courses,
  licenceCourses,
  licences,
  modules,
  planCourses,
  plans,
  quizQuestions,
  quizzes,
  reflectionQuestions,
} from "#db/schema";
import { findCourseForViewer, findModuleForViewer } from "~/catalog/catalog.server";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import * as overviewPage from "~/routes/ejer.studie._index";
import * as coursePage from "~/routes/ejer.studie.kurser.$courseId._index/route";
import * as modulePage from "~/routes/ejer.studie.moduler.$moduleId._index/route";
import { request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";
import { giveModuleFilm } from "../utils/media";

const OWNER = demoEmails.owner;
const LEARNER = demoEmails.learner;

type Reply = {
  formId: string;
  result: { status?: string; error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> };
  notice: { key: string } | null;
};
type Fields = Record<string, string | string[]>;

/** A form body; a list is sent once per value, as a browser sends ticked checkboxes. */
function body(fields: Fields) {
  return new URLSearchParams(
    Object.entries(fields).flatMap(([name, value]) =>
      Array.isArray(value) ? value.map((item) => [name, item]) : [[name, value]],
    ),
  );
}

async function cookieOf(as: string | null) {
  return as ? await sessionCookieFor(as) : undefined;
}

async function postOverview(fields: Fields, as: string | null = OWNER) {
  const cookie = await cookieOf(as);
  return settle(() =>
    overviewPage.action(routeArgs(request("/ejer/studie", { method: "POST", body: body(fields), cookie }))),
  );
}

async function postCourse(courseId: number | string, fields: Fields, as: string | null = OWNER) {
  const cookie = await cookieOf(as);
  const url = `/ejer/studie/kurser/${courseId}`;
  return settle(() =>
    coursePage.action(
      routeArgs(request(url, { method: "POST", body: body(fields), cookie }), { courseId: String(courseId) }),
    ),
  );
}

async function postModule(moduleId: number | string, fields: Fields, as: string | null = OWNER) {
  const cookie = await cookieOf(as);
  const url = `/ejer/studie/moduler/${moduleId}`;
  return settle(() =>
    modulePage.action(
      routeArgs(request(url, { method: "POST", body: body(fields), cookie }), { moduleId: String(moduleId) }),
    ),
  );
}

async function loadCourse(courseId: number | string, as: string | null = OWNER) {
  const cookie = await cookieOf(as);
  return settle(async () =>
    coursePage.loader(
      routeArgs(request(`/ejer/studie/kurser/${courseId}`, { cookie }), { courseId: String(courseId) }),
    ),
  );
}

async function loadModule(moduleId: number | string, as: string | null = OWNER) {
  const cookie = await cookieOf(as);
  return settle(async () =>
    modulePage.loader(
      routeArgs(request(`/ejer/studie/moduler/${moduleId}`, { cookie }), { moduleId: String(moduleId) }),
    ),
  );
}

async function reply(response: Response) {
  return (await response.json()) as Reply;
}

const courseCount = () => db.select({ n: count() }).from(courses).get()?.n ?? 0;
const courseBySlug = (slug: string) => db.select().from(courses).where(eq(courses.slug, slug)).get()!;
const moduleBySlug = (slug: string) => db.select().from(modules).where(eq(modules.slug, slug)).get()!;
const courseOrder = () =>
  db
    .select({ slug: courses.slug })
    .from(courses)
    .orderBy(asc(courses.position), asc(courses.id))
    .all()
    .map((row) => row.slug);
const moduleOrder = (courseId: number) =>
  db
    .select({ slug: modules.slug })
    .from(modules)
    .where(eq(modules.courseId, courseId))
    .orderBy(asc(modules.position))
    .all()
    .map((row) => row.slug);
const questionsOf = (moduleId: number) =>
  db
    .select({ text: reflectionQuestions.text })
    .from(reflectionQuestions)
    .where(eq(reflectionQuestions.moduleId, moduleId))
    .orderBy(asc(reflectionQuestions.position))
    .all()
    .map((row) => row.text);
const giveFilm = (moduleId: number, seconds = 240) => giveModuleFilm(moduleId, { seconds });
const pilotLicenceId = () =>
  db.select({ id: licences.id }).from(licences).where(eq(licences.organisationId, 1)).orderBy(asc(licences.id)).get()!
    .id;
const learner = () => ({ id: userIdByEmail(LEARNER), platformRole: null });

async function newCourse(title: string) {
  const response = await postOverview({ intent: "createCourse", title, summary: "Et kursus til test af studiet." });
  expect(response.status).toBe(302);
  return Number(response.headers.get("Location")!.split("/").pop());
}

async function newModule(courseId: number, title: string) {
  const response = await postCourse(courseId, {
    intent: "createModule",
    title,
    description: "En film om at se tegnene i tide.",
  });
  expect(response.status).toBe(302);
  return Number(response.headers.get("Location")!.split("/").pop());
}

describe("the course owner's studio", () => {
  it("is the course owner's alone, and others change nothing", async () => {
    const courseId = courseBySlug("unges-egne-fortaellinger").id;
    const moduleId = moduleBySlug("sofie-ingen-spurgte-til-mig").id;
    const before = courseCount();
    expect(
      (
        await postOverview(
          { intent: "createCourse", title: "Uden adgang", summary: "Bør aldrig blive oprettet." },
          null,
        )
      ).status,
    ).toBe(302);
    for (const email of [LEARNER, demoEmails.leader, demoEmails.admin, demoEmails.neighbourAdmin]) {
      const cookie = await sessionCookieFor(email);
      expect(
        (await settle(() => overviewPage.loader(routeArgs(request("/ejer/studie", { cookie }))))).status,
        email,
      ).toBe(404);
      expect((await loadCourse(courseId, email)).status, email).toBe(404);
      expect((await loadModule(moduleId, email)).status, email).toBe(404);
      expect(
        (
          await postOverview(
            { intent: "createCourse", title: "Uden adgang", summary: "Bør aldrig blive oprettet." },
            email,
          )
        ).status,
        email,
      ).toBe(404);
      expect((await postCourse(courseId, { intent: "publishCourse", published: "false" }, email)).status, email).toBe(
        404,
      );
      expect((await postModule(moduleId, { intent: "saveReflection" }, email)).status, email).toBe(404);
    }
    expect(courseCount()).toBe(before);
    expect(courseBySlug("unges-egne-fortaellinger").published).toBe(true);
    expect(questionsOf(moduleId)).toHaveLength(4);
  });

  it("creates courses last and hidden, with a slug that never changes", async () => {
    const id = await newCourse("Når børn flytter: Skift og tab");
    const created = db.select().from(courses).where(eq(courses.id, id)).get()!;
    expect(created).toMatchObject({
      slug: "naar-boern-flytter-skift-og-tab",
      title: "Når børn flytter: Skift og tab",
      published: false,
      certificateMinutes: null,
    });
    expect(courseOrder().at(-1)).toBe(created.slug);

    const again = await newCourse("Når børn flytter: skift og tab!");
    expect(db.select().from(courses).where(eq(courses.id, again)).get()?.slug).toBe(
      "naar-boern-flytter-skift-og-tab-2",
    );

    const saved = await postCourse(id, {
      intent: "updateCourse",
      title: "Når familier flytter",
      summary: "Om børn, der skifter skole igen og igen.",
      certificateMinutes: "90",
    });
    expect(saved.status).toBe(200);
    expect((await reply(saved)).notice).toEqual({ key: "studio.saved" });
    expect(db.select().from(courses).where(eq(courses.id, id)).get()).toMatchObject({
      slug: "naar-boern-flytter-skift-og-tab",
      title: "Når familier flytter",
      summary: "Om børn, der skifter skole igen og igen.",
      certificateMinutes: 90,
    });
    expect(
      (
        await postCourse(id, {
          intent: "updateCourse",
          title: "Når familier flytter",
          summary: "Om børn, der skifter skole igen og igen.",
          certificateMinutes: "",
        })
      ).status,
    ).toBe(200);
    expect(db.select().from(courses).where(eq(courses.id, id)).get()?.certificateMinutes).toBeNull();

    const page = await loadCourse(id);
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({
      course: { id, title: "Når familier flytter", published: false },
      modules: [],
    });
  });

  it("refuses bad input beside the field with a 400, saving nothing", async () => {
    const before = courseCount();
    const cases: [Fields, string, string][] = [
      [{ title: "Ab", summary: "Et kursus til test." }, "title", "studio.titleLength"],
      [{ title: "   ", summary: "Et kursus til test." }, "title", "studio.titleLength"],
      [{ title: "x".repeat(121), summary: "Et kursus til test." }, "title", "studio.titleLength"],
      [{ title: "Et kursus", summary: "For kort" }, "summary", "studio.summaryLength"],
      [{ title: "Et kursus", summary: "x".repeat(401) }, "summary", "studio.summaryLength"],
      [{ title: "Et kursus" }, "summary", "validation.required"],
    ];
    for (const [fields, field, message] of cases) {
      const response = await postOverview({ intent: "createCourse", ...fields });
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect((await reply(response)).result.error?.[field], JSON.stringify(fields)).toEqual([message]);
    }
    expect(courseCount()).toBe(before);

    const course = courseBySlug("i-skolen-og-fritiden");
    for (const minutes of ["14", "6001", "1,5", "90 min", "-30", "1e3"]) {
      const response = await postCourse(course.id, {
        intent: "updateCourse",
        title: "Ny titel",
        summary: "En helt ny beskrivelse.",
        certificateMinutes: minutes,
      });
      expect(response.status, minutes).toBe(400);
      expect((await reply(response)).result.error?.certificateMinutes, minutes).toEqual(["studio.minutesInvalid"]);
    }
    const module = moduleBySlug("samtalen-med-barnet");
    const badModule = await postModule(module.id, {
      intent: "updateModule",
      title: "Ny titel",
      description: "x".repeat(2001),
    });
    expect(badModule.status).toBe(400);
    expect((await reply(badModule)).result.error?.description).toEqual(["studio.descriptionLength"]);
    expect(db.select().from(courses).where(eq(courses.id, course.id)).get()).toEqual(course);
    expect(moduleBySlug("samtalen-med-barnet")).toEqual(module);

    expect((await postOverview({ intent: "deleteEverything" })).status).toBe(400);
    expect((await postOverview({ intent: "moveCourse", courseId: "abc", direction: "up" })).status).toBe(400);
    expect(
      (await postOverview({ intent: "moveCourse", courseId: String(course.id), direction: "sideways" })).status,
    ).toBe(400);
    // A course missing from the list (a stale page) is said beside that course's buttons, not on an error page.
    const staleForms: Record<string, string>[] = [
      { intent: "moveCourse", direction: "up" },
      { intent: "publishCourse", published: "false" },
    ];
    for (const fields of staleForms) {
      const stale = await postOverview({ ...fields, courseId: "999999" });
      expect(stale.status, fields.intent).toBe(404);
      expect(await reply(stale), fields.intent).toMatchObject({
        formId: "course-999999",
        result: { error: { "": ["studio.courseGone"] } },
        notice: null,
      });
    }
    const notAForm = await settle(async () =>
      overviewPage.action(
        routeArgs(
          request("/ejer/studie", {
            method: "POST",
            body: "{}",
            headers: { "Content-Type": "multipart/form-data; boundary=x" },
            cookie: await sessionCookieFor(OWNER),
          }),
        ),
      ),
    );
    expect(notAForm.status).toBe(400);
  });

  it("answers unknown or malformed ids in the address with a Danish 404", async () => {
    for (const id of ["999999", "abc", "1.5", "0", "-1", "1e3", "0x1"]) {
      const coursePageResponse = await loadCourse(id);
      expect(coursePageResponse.status, id).toBe(404);
      expect(await coursePageResponse.json()).toEqual({ message: "notFound.course" });
      const modulePageResponse = await loadModule(id);
      expect(modulePageResponse.status, id).toBe(404);
      expect(await modulePageResponse.json()).toEqual({ message: "notFound.module" });
      expect(
        (await postCourse(id, { intent: "createModule", title: "Et modul", description: "En beskrivelse af modulet." }))
          .status,
        id,
      ).toBe(404);
      expect((await postModule(id, { intent: "saveReflection" })).status, id).toBe(404);
    }
  });

  it("moves courses up and down, and leaves the first and last where they are", async () => {
    const start = courseOrder();
    const second = courseBySlug(start[1]!);
    const moved = await postOverview({ intent: "moveCourse", courseId: String(second.id), direction: "up" });
    expect(moved.status).toBe(200);
    expect(await reply(moved)).toMatchObject({ formId: `course-${second.id}`, notice: { key: "studio.moved" } });
    expect(courseOrder()).toEqual([start[1], start[0], ...start.slice(2)]);

    expect((await postOverview({ intent: "moveCourse", courseId: String(second.id), direction: "up" })).status).toBe(
      200,
    );
    expect(courseOrder()).toEqual([start[1], start[0], ...start.slice(2)]);

    expect((await postOverview({ intent: "moveCourse", courseId: String(second.id), direction: "down" })).status).toBe(
      200,
    );
    expect(courseOrder()).toEqual(start);
    const last = courseBySlug(start.at(-1)!);
    expect((await postOverview({ intent: "moveCourse", courseId: String(last.id), direction: "down" })).status).toBe(
      200,
    );
    expect(courseOrder()).toEqual(start);

    // Positions that repeat still give a definite order to move in.
    db.update(courses).set({ position: 1 }).run();
    const tied = courseOrder();
    expect(
      (await postOverview({ intent: "moveCourse", courseId: String(courseBySlug(tied[2]!).id), direction: "up" }))
        .status,
    ).toBe(200);
    expect(courseOrder()).toEqual([tied[0], tied[2], tied[1], ...tied.slice(3)]);
  });

  it("creates modules last with unique slugs that keep clear of the learner's own pages", async () => {
    const courseId = await newCourse("Modulernes kursus");
    const first = await newModule(courseId, "Quiz");
    const second = await newModule(courseId, "Samtalen med barnet");
    const third = await newModule(courseId, "Feedback");
    const fourth = await newModule(courseId, "!!!");
    const slugs = [first, second, third, fourth].map((id) =>
      db.select().from(modules).where(eq(modules.id, id)).get()!,
    );
    expect(slugs.map((m) => m.slug)).toEqual(["quiz-2", "samtalen-med-barnet-2", "feedback-2", "modul"]);
    expect(slugs.map((m) => m.position)).toEqual([1, 2, 3, 4]);
    expect(slugs.every((m) => !m.published && m.courseId === courseId && m.mediaVersion === null)).toBe(true);
    // Left to the film upload: the demo's placeholder films are built only for "synthetic" modules.
    expect(slugs.every((m) => m.mediaSource === "upload")).toBe(true);

    const saved = await postModule(second, {
      intent: "updateModule",
      title: "Samtalen med den unge",
      description: "Hvordan man spørger, så den unge svarer.",
    });
    expect(saved.status).toBe(200);
    expect(db.select().from(modules).where(eq(modules.id, second)).get()).toMatchObject({
      slug: "samtalen-med-barnet-2",
      title: "Samtalen med den unge",
    });

    const bad = await postCourse(courseId, { intent: "createModule", title: "Et", description: "Kort" });
    expect(bad.status).toBe(400);
    expect((await reply(bad)).result.error).toMatchObject({
      title: ["studio.titleLength"],
      description: ["studio.descriptionLength"],
    });
    expect(moduleOrder(courseId)).toHaveLength(4);
  });

  it("swaps modules inside their course without breaking the unique positions", async () => {
    const course = courseBySlug("sundhedspleje-og-tandpleje");
    const start = moduleOrder(course.id);
    const third = moduleBySlug(start[2]!);
    const moved = await postCourse(course.id, { intent: "moveModule", moduleId: String(third.id), direction: "up" });
    expect(moved.status).toBe(200);
    expect(await reply(moved)).toMatchObject({ formId: `module-${third.id}`, notice: { key: "studio.moved" } });
    expect(moduleOrder(course.id)).toEqual([start[0], start[2], start[1], start[3]]);
    expect(
      (await postCourse(course.id, { intent: "moveModule", moduleId: String(third.id), direction: "down" })).status,
    ).toBe(200);
    expect(moduleOrder(course.id)).toEqual(start);
    const last = moduleBySlug(start.at(-1)!);
    expect(
      (await postCourse(course.id, { intent: "moveModule", moduleId: String(last.id), direction: "down" })).status,
    ).toBe(200);
    expect(moduleOrder(course.id)).toEqual(start);
    expect(
      db
        .select({ position: modules.position })
        .from(modules)
        .where(eq(modules.courseId, course.id))
        .all()
        .every((row) => row.position > 0),
    ).toBe(true);

    // A module of another course cannot be moved from this course's page; the refusal stands beside that module.
    const elsewhere = moduleBySlug("samtalen-med-barnet");
    const refused = await postCourse(course.id, {
      intent: "moveModule",
      moduleId: String(elsewhere.id),
      direction: "up",
    });
    expect(refused.status).toBe(404);
    expect(await reply(refused)).toMatchObject({
      formId: `module-${elsewhere.id}`,
      result: { error: { "": ["studio.moduleGone"] } },
      notice: null,
    });
    expect(moduleBySlug("samtalen-med-barnet").position).toBe(elsewhere.position);
  });

  it("publishes a module only with a film, and a course only with a published module that has one", async () => {
    const courseId = await newCourse("Udgivelsens kursus");
    const refusedCourse = await postOverview({
      intent: "publishCourse",
      courseId: String(courseId),
      published: "true",
    });
    expect(refusedCourse.status).toBe(409);
    expect(await reply(refusedCourse)).toMatchObject({
      formId: `course-${courseId}`,
      result: { error: { "": ["studio.courseNeedsFilm"] } },
    });

    const moduleId = await newModule(courseId, "Første film");
    const refusedModule = await postCourse(courseId, {
      intent: "publishModule",
      moduleId: String(moduleId),
      published: "true",
    });
    expect(refusedModule.status).toBe(409);
    expect((await reply(refusedModule)).result.error?.[""]).toEqual(["studio.moduleNeedsFilm"]);
    expect((await postModule(moduleId, { intent: "publishModule", published: "true" })).status).toBe(409);
    expect(db.select().from(modules).where(eq(modules.id, moduleId)).get()?.published).toBe(false);

    // A film without Danish subtitles cannot be published: the owner is told to upload them first.
    await giveModuleFilm(moduleId, { subtitles: false });
    const withoutSubtitles = await postCourse(courseId, {
      intent: "publishModule",
      moduleId: String(moduleId),
      published: "true",
    });
    expect(withoutSubtitles.status).toBe(409);
    expect((await reply(withoutSubtitles)).result.error?.[""]).toEqual(["studio.moduleNeedsSubtitles"]);
    const withoutSubtitlesHere = await postModule(moduleId, { intent: "publishModule", published: "true" });
    expect(withoutSubtitlesHere.status).toBe(409);
    expect((await reply(withoutSubtitlesHere)).result.error?.[""]).toEqual(["studio.moduleNeedsSubtitles"]);
    expect(db.select().from(modules).where(eq(modules.id, moduleId)).get()?.published).toBe(false);

    // A film on an unpublished module is not enough for the course.
    await giveFilm(moduleId);
    expect((await postCourse(courseId, { intent: "publishCourse", published: "true" })).status).toBe(409);
    expect(db.select().from(courses).where(eq(courses.id, courseId)).get()?.published).toBe(false);

    const published = await postModule(moduleId, { intent: "publishModule", published: "true" });
    expect(published.status).toBe(200);
    expect((await reply(published)).notice).toEqual({ key: "studio.modulePublished" });
    const coursePublished = await postCourse(courseId, { intent: "publishCourse", published: "true" });
    expect(coursePublished.status).toBe(200);
    expect((await reply(coursePublished)).notice).toEqual({ key: "studio.coursePublished" });
    expect(db.select().from(courses).where(eq(courses.id, courseId)).get()?.published).toBe(true);

    // Withdrawing is always allowed, even when it leaves the course with nothing to show.
    expect(
      (await postCourse(courseId, { intent: "publishModule", moduleId: String(moduleId), published: "false" })).status,
    ).toBe(200);
    expect(db.select().from(modules).where(eq(modules.id, moduleId)).get()?.published).toBe(false);
    const overviewResponse = await settle(async () =>
      overviewPage.loader(routeArgs(request("/ejer/studie", { cookie: await sessionCookieFor(OWNER) }))),
    );
    expect(overviewResponse.status).toBe(200);
    const overview = (await overviewResponse.json()) as {
      courses: { id: number; published: boolean; showsAFilm: boolean }[];
    };
    expect(overview.courses.find((course) => course.id === courseId)).toMatchObject({
      published: true,
      showsAFilm: false,
    });
    expect(
      (await postOverview({ intent: "publishCourse", courseId: String(courseId), published: "false" })).status,
    ).toBe(200);
    expect(db.select().from(courses).where(eq(courses.id, courseId)).get()?.published).toBe(false);

    // Another course's module cannot be published from this course's page.
    const elsewhere = moduleBySlug("samtalen-med-barnet");
    const refused = await postCourse(courseId, {
      intent: "publishModule",
      moduleId: String(elsewhere.id),
      published: "false",
    });
    expect(refused.status).toBe(404);
    expect(await reply(refused)).toMatchObject({
      formId: `module-${elsewhere.id}`,
      result: { error: { "": ["studio.moduleGone"] } },
    });
    expect(moduleBySlug("samtalen-med-barnet").published).toBe(true);
  });

  it("hides unpublished modules from learners, but not from the owner's preview", async () => {
    const course = courseBySlug("unges-egne-fortaellinger");
    const hidden = moduleBySlug("mikkel-den-stille-dreng-bagerst");
    expect(
      (await postCourse(course.id, { intent: "publishModule", moduleId: String(hidden.id), published: "false" }))
        .status,
    ).toBe(200);

    const seen = findCourseForViewer(learner(), course.slug);
    if (seen.status !== "ok") throw new Error(`the learner lost the course: ${seen.status}`);
    expect(seen.course.modules.map((m) => m.slug)).toEqual([
      "sofie-ingen-spurgte-til-mig",
      "amira-vi-flyttede-hele-tiden",
      "jonas-paedagogen-der-blev-ved",
    ]);
    expect(findModuleForViewer(learner(), course.slug, hidden.slug).status).toBe("notFound");
    const next = findModuleForViewer(learner(), course.slug, "sofie-ingen-spurgte-til-mig");
    expect(next.status === "ok" ? next.detail.next?.slug : null).toBe("amira-vi-flyttede-hele-tiden");

    const owner = { id: userIdByEmail(OWNER), platformRole: "owner" as const };
    expect(findModuleForViewer(owner, course.slug, hidden.slug).status).toBe("ok");

    await giveFilm(hidden.id);
    expect(
      (await postCourse(course.id, { intent: "publishModule", moduleId: String(hidden.id), published: "true" })).status,
    ).toBe(200);
    expect(findModuleForViewer(learner(), course.slug, hidden.slug).status).toBe("ok");
  });

  it("saves 0–8 reflection questions in the order given, all or nothing", async () => {
    const module = moduleBySlug("amira-vi-flyttede-hele-tiden");
    const before = questionsOf(module.id);
    const three = ["Hvad lagde du først mærke til?", "Hvem kunne Amira have talt med?", "Hvad ville du gøre i morgen?"];
    const saved = await postModule(module.id, {
      intent: "saveReflection",
      "questions[0]": three[0]!,
      "questions[1]": three[1]!,
      "questions[2]": three[2]!,
    });
    expect(saved.status).toBe(200);
    expect((await reply(saved)).notice).toEqual({ key: "studio.questionsSaved" });
    expect(questionsOf(module.id)).toEqual(three);

    const tooShort = await postModule(module.id, {
      intent: "saveReflection",
      "questions[0]": three[0]!,
      "questions[1]": "Hvorfor?",
    });
    expect(tooShort.status).toBe(400);
    expect((await reply(tooShort)).result.error?.["questions[1]"]).toEqual(["studio.questionLength"]);
    const nine = Object.fromEntries(
      Array.from({ length: 9 }, (_, index) => [`questions[${index}]`, `Spørgsmål nummer ${index + 1} til drøftelse?`]),
    );
    const tooMany = await postModule(module.id, { intent: "saveReflection", ...nine });
    expect(tooMany.status).toBe(400);
    expect((await reply(tooMany)).result.error?.questions).toEqual(["studio.questionsTooMany"]);
    expect(questionsOf(module.id)).toEqual(three);

    const eight = Object.fromEntries(Object.entries(nine).slice(0, 8));
    expect((await postModule(module.id, { intent: "saveReflection", ...eight })).status).toBe(200);
    expect(questionsOf(module.id)).toHaveLength(8);

    // Adding a question without JavaScript comes back as a longer form, with nothing saved yet.
    const added = await postModule(module.id, {
      intent: "saveReflection",
      "questions[0]": three[0]!,
      __intent__: JSON.stringify({ type: "insert", payload: { name: "questions" } }),
    });
    expect(added.status).toBe(200);
    expect((await reply(added)).result.initialValue?.questions).toHaveLength(2);
    expect(questionsOf(module.id)).toHaveLength(8);

    // An emptied list sends no questions at all.
    expect((await postModule(module.id, { intent: "saveReflection" })).status).toBe(200);
    expect(questionsOf(module.id)).toEqual([]);
    expect(before.length).toBeGreaterThan(0);

    const pageResponse = await loadModule(module.id);
    expect(pageResponse.status).toBe(200);
    const page = (await pageResponse.json()) as {
      reflectionQuestions: string[];
      course: { slug: string };
      module: { slug: string };
    };
    expect(page).toMatchObject({
      reflectionQuestions: [],
      course: { slug: "unges-egne-fortaellinger" },
      module: { slug: module.slug },
    });
  });

  it("gives running and coming licences the course, once, and refuses ended or unknown ones", async () => {
    const courseId = await newCourse("Adgangens kursus");
    const today = danishDate();
    const coming = db
      .insert(licences)
      .values({
        organisationId: 2,
        planId: null,
        seatCount: 10,
        startsOn: shiftDays(today, 30),
        endsOn: shiftDays(today, 395),
      })
      .returning({ id: licences.id })
      .get().id;
    const ended = db
      .insert(licences)
      .values({
        organisationId: 2,
        planId: null,
        seatCount: 10,
        startsOn: shiftDays(today, -400),
        endsOn: shiftDays(today, -1),
      })
      .returning({ id: licences.id })
      .get().id;
    const pilot = pilotLicenceId();
    const includes = () =>
      db
        .select({ id: licenceCourses.licenceId })
        .from(licenceCourses)
        .where(eq(licenceCourses.courseId, courseId))
        .all()
        .map((row) => row.id)
        .sort((a, b) => a - b);

    const offeredPage = await loadCourse(courseId);
    expect(offeredPage.status).toBe(200);
    const offered = (await offeredPage.json()) as {
      course: { forSale: boolean };
      licences: { id: number; organisationName: string; includesCourse: boolean; seatCount: number }[];
      plans: { includesCourse: boolean }[];
    };
    expect(offered.licences.map((licence) => licence.id).sort((a, b) => a - b)).toEqual(
      [pilot, coming].sort((a, b) => a - b),
    );
    expect(offered.licences.find((licence) => licence.id === coming)).toMatchObject({
      organisationName: "Nabo Kommune",
      includesCourse: false,
      seatCount: 10,
    });
    expect(offered.plans.length).toBeGreaterThan(0);
    expect(offered.plans.every((plan) => !plan.includesCourse)).toBe(true);
    expect(offered.course.forSale).toBe(false);

    for (const [licenceIds, message] of [
      [[String(ended)], "studio.licenceUnknown"],
      [[String(pilot), "999999"], "studio.licenceUnknown"],
      [[], "studio.licencesRequired"],
      [["abc"], "validation.required"],
    ] as const) {
      const refused = await postCourse(courseId, { intent: "grantAccess", licenceIds: [...licenceIds] });
      expect(refused.status, licenceIds.join()).toBe(400);
      expect(Object.values((await reply(refused)).result.error ?? {}).flat(), licenceIds.join()).toContain(message);
    }
    expect(includes()).toEqual([]);

    const granted = await postCourse(courseId, { intent: "grantAccess", licenceIds: [String(pilot), String(coming)] });
    expect(granted.status).toBe(200);
    expect((await reply(granted)).notice).toEqual({ key: "studio.accessGiven" });
    expect(includes()).toEqual([pilot, coming].sort((a, b) => a - b));
    expect((await postCourse(courseId, { intent: "grantAccess", licenceIds: [String(pilot)] })).status).toBe(200);
    expect(includes()).toEqual([pilot, coming].sort((a, b) => a - b));

    const afterPage = await loadCourse(courseId);
    expect(afterPage.status).toBe(200);
    const after = (await afterPage.json()) as typeof offered;
    expect(after.licences.every((licence) => licence.includesCourse)).toBe(true);

    // Given access and published with a film, the course reaches the learner on the pilot licence.
    expect(findCourseForViewer(learner(), courseBySlug("adgangens-kursus").slug).status).toBe("forbidden");
    const moduleId = await newModule(courseId, "Adgangens film");
    await giveFilm(moduleId);
    expect((await postModule(moduleId, { intent: "publishModule", published: "true" })).status).toBe(200);
    expect((await postCourse(courseId, { intent: "publishCourse", published: "true" })).status).toBe(200);
    expect(findCourseForViewer(learner(), "adgangens-kursus").status).toBe("ok");
  });

  it("lists every course in order with each module's film, quiz and reflection questions", async () => {
    const courseId = await newCourse("Oversigtens kursus");
    const withQuiz = await newModule(courseId, "Med film og quiz");
    const emptyQuiz = await newModule(courseId, "Med en tom quiz");
    const bare = await newModule(courseId, "Uden noget");
    await giveFilm(withQuiz, 754);
    const quizId = db
      .insert(quizzes)
      .values({ moduleId: withQuiz, updatedAt: new Date() })
      .returning({ id: quizzes.id })
      .get().id;
    db.insert(quizQuestions)
      .values(
        [1, 2, 3].map((position) => ({
          quizId,
          position,
          kind: "trueFalse" as const,
          text: `Påstand ${position}`,
          explanation: "Fordi.",
        })),
      )
      .run();
    db.insert(quizzes).values({ moduleId: emptyQuiz, updatedAt: new Date() }).run();
    expect(
      (
        await postModule(withQuiz, {
          intent: "saveReflection",
          "questions[0]": "Hvad lagde du først mærke til?",
          "questions[1]": "Hvem kunne du have talt med?",
        })
      ).status,
    ).toBe(200);

    const response = await settle(async () =>
      overviewPage.loader(routeArgs(request("/ejer/studie", { cookie: await sessionCookieFor(OWNER) }))),
    );
    expect(response.status).toBe(200);
    const data = (await response.json()) as {
      courses: {
        id: number;
        slug: string;
        published: boolean;
        modules: {
          id: number;
          hasFilm: boolean;
          durationSeconds: number | null;
          quizQuestionCount: number | null;
          reflectionCount: number;
        }[];
      }[];
    };
    expect(data.courses.map((c) => c.slug)).toEqual(courseOrder());
    const listed = data.courses.find((c) => c.id === courseId)!;
    expect(listed.published).toBe(false);
    expect(listed.modules).toEqual([
      expect.objectContaining({
        id: withQuiz,
        hasFilm: true,
        durationSeconds: 754,
        quizQuestionCount: 3,
        reflectionCount: 2,
      }),
      expect.objectContaining({ id: emptyQuiz, hasFilm: false, quizQuestionCount: 0, reflectionCount: 0 }),
      expect.objectContaining({ id: bare, hasFilm: false, quizQuestionCount: null, reflectionCount: 0 }),
    ]);

    const withQuizPage = await loadModule(withQuiz);
    expect(withQuizPage.status).toBe(200);
    const modulePageData = (await withQuizPage.json()) as {
      module: { hasFilm: boolean; durationSeconds: number; quizQuestionCount: number | null };
    };
    expect(modulePageData.module).toMatchObject({ hasFilm: true, durationSeconds: 754, quizQuestionCount: 3 });
    const barePage = await loadModule(bare);
    expect(barePage.status).toBe(200);
    expect(((await barePage.json()) as typeof modulePageData).module.quizQuestionCount).toBeNull();
  });

  it("refuses characters XML cannot carry in every text, and line breaks in titles, beside the field and saving nothing", async () => {
    const before = courseCount();
    const cases: [Fields, string][] = [
      [{ title: "Tidlig\u000Bopsporing", summary: "Et kursus til test af studiet." }, "title"],
      [{ title: "Tidlig\nopsporing", summary: "Et kursus til test af studiet." }, "title"],
      [{ title: "Tidlig\u0085opsporing", summary: "Et kursus til test af studiet." }, "title"],
      [{ title: "Tidlig opsporing", summary: "Et kursus\u0000 til test af studiet." }, "summary"],
      [{ title: "Tidlig opsporing", summary: "Et kursus \uFFFF til test af studiet." }, "summary"],
    ];
    for (const [fields, field] of cases) {
      const response = await postOverview({ intent: "createCourse", ...fields });
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect((await reply(response)).result.error?.[field], JSON.stringify(fields)).toEqual([
        "validation.controlCharacter",
      ]);
    }
    expect(courseCount()).toBe(before);
    // A summary may run over several lines, and emoji are ordinary text.
    expect(
      (
        await postOverview({
          intent: "createCourse",
          title: "Flere linjer 🌱",
          summary: "Første linje.\r\nAnden linje.",
        })
      ).status,
    ).toBe(302);

    const module = moduleBySlug("samtalen-med-barnet");
    const description = await postModule(module.id, {
      intent: "updateModule",
      title: "Samtalen med barnet",
      description: "En beskrivelse\u0001 med et styretegn.",
    });
    expect(description.status).toBe(400);
    expect((await reply(description)).result.error?.description).toEqual(["validation.controlCharacter"]);
    const question = await postModule(module.id, {
      intent: "saveReflection",
      "questions[0]": "Hvad lagde du\u0008 først mærke til?",
    });
    expect(question.status).toBe(400);
    expect((await reply(question)).result.error?.["questions[0]"]).toEqual(["validation.controlCharacter"]);
    expect(moduleBySlug("samtalen-med-barnet")).toEqual(module);
  });

  it("offers a published course that no plan on sale includes to the plans on sale, and adds it only to those", async () => {
    const courseId = await newCourse("Salgets kursus");
    const moduleId = await newModule(courseId, "Salgets film");
    await giveFilm(moduleId);
    expect((await postModule(moduleId, { intent: "publishModule", published: "true" })).status).toBe(200);
    expect((await postCourse(courseId, { intent: "publishCourse", published: "true" })).status).toBe(200);
    const forSale = async () => {
      const page = await loadCourse(courseId);
      expect(page.status).toBe(200);
      return ((await page.json()) as { course: { forSale: boolean } }).course.forSale;
    };
    expect(await forSale()).toBe(false);

    const onSale = db
      .select({ id: plans.id })
      .from(plans)
      .where(eq(plans.active, true))
      .orderBy(asc(plans.id))
      .all()
      .map((plan) => plan.id);
    expect(onSale.length).toBeGreaterThan(1);
    const offSale = db
      .insert(plans)
      .values({
        slug: "udgaaet-licens",
        name: "Udgået licens",
        seatCount: 10,
        periodMonths: 12,
        listPriceOre: 100_000,
        active: false,
      })
      .returning({ id: plans.id })
      .get().id;
    const plansWithCourse = () =>
      db
        .select({ id: planCourses.planId })
        .from(planCourses)
        .where(eq(planCourses.courseId, courseId))
        .all()
        .map((row) => row.id);
    for (const [planIds, message] of [
      [[], "studio.plansRequired"],
      [[String(offSale)], "studio.planUnknown"],
      [[String(onSale[0]), "999999"], "studio.planUnknown"],
      [["abc"], "validation.required"],
    ] as const) {
      const refused = await postCourse(courseId, { intent: "addToPlans", planIds: [...planIds] });
      expect(refused.status, planIds.join()).toBe(400);
      const answer = await reply(refused);
      expect(answer, planIds.join()).toMatchObject({ formId: "addToPlans", notice: null });
      expect(Object.values(answer.result.error ?? {}).flat(), planIds.join()).toContain(message);
    }
    expect(plansWithCourse()).toEqual([]);

    const added = await postCourse(courseId, { intent: "addToPlans", planIds: [String(onSale[0])] });
    expect(added.status).toBe(200);
    expect(await reply(added)).toMatchObject({ formId: "addToPlans", notice: { key: "studio.addedToPlans" } });
    expect(plansWithCourse()).toEqual([onSale[0]]);
    expect(await forSale()).toBe(true);
    // Sent again, from a second tab: nothing twice.
    expect((await postCourse(courseId, { intent: "addToPlans", planIds: [String(onSale[0])] })).status).toBe(200);
    expect(plansWithCourse()).toEqual([onSale[0]]);
    expect((await postCourse(courseId, { intent: "addToPlans", planIds: [String(onSale[0])] }, LEARNER)).status).toBe(
      404,
    );
  });
});
