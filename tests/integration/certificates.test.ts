import type * as Crypto from "node:crypto";
import { and, asc, eq, isNull } from "drizzle-orm";
import {
  certificates,
  courses,
  moduleProgress,
  modules,
  quizAttempts,
  quizOptions,
  quizQuestions,
  quizzes,
  seats,
  users,
} from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { getEnv } from "~/env.server";
import { serializeLanguage } from "~/i18n/language.server";
import { certificateHours, certificateOfferFor, issueCertificate } from "~/learning/certificates.server";
import { renderCertificatePdf } from "~/learning/certificate-pdf.server";
import { openPlaybackView } from "~/learning/progress.server";
import * as progressApi from "~/routes/api.progress";
import * as checkPage from "~/routes/bevis.$code";
import * as quizPage from "~/routes/kurser.$courseSlug.$moduleSlug.quiz";
import * as coursePage from "~/routes/kurser.$courseSlug._index";
import * as download from "~/routes/kurser.$courseSlug.kursusbevis[.]pdf";
import { pdfText } from "../utils/pdf-text";
import { answerBody } from "../utils/quizzes";
import { escapeHtml, renderRoute } from "../utils/render-route";
import { request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

// Lets a test choose the letters of the next codes drawn, to show what happens when one is taken.
const forcedDraws = vi.hoisted(() => [] as number[]);
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof Crypto>();
  return { ...actual, randomInt: (max: number) => forcedDraws.shift() ?? actual.randomInt(max) };
});

const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE = /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/;
const FIRST = "unges-egne-fortaellinger";
const SECOND = "i-skolen-og-fritiden";
const THIRD = "sundhedspleje-og-tandpleje";

function course(slug: string) {
  const row = db.select({ id: courses.id, title: courses.title }).from(courses).where(eq(courses.slug, slug)).get()!;
  const moduleIds = db
    .select({ id: modules.id })
    .from(modules)
    .where(eq(modules.courseId, row.id))
    .orderBy(asc(modules.position))
    .all()
    .map((m) => m.id);
  return { ...row, slug, moduleIds };
}

function setDurations(moduleIds: number[], seconds: number[]) {
  moduleIds.forEach((id, index) =>
    db
      .update(modules)
      .set({ durationSeconds: seconds[index] ?? null })
      .where(eq(modules.id, id))
      .run(),
  );
}

function watchAll(userId: number, moduleIds: number[], at: Date) {
  for (const moduleId of moduleIds) {
    const values = { playedRanges: "[[0,600]]", playedMs: 600_000, watchedAt: at, updatedAt: at };
    db.insert(moduleProgress)
      .values({ userId, moduleId, ...values })
      .onConflictDoUpdate({ target: [moduleProgress.userId, moduleProgress.moduleId], set: values })
      .run();
  }
}

function addQuiz(moduleId: number): number {
  const quizId = db.insert(quizzes).values({ moduleId, updatedAt: new Date() }).returning({ id: quizzes.id }).get().id;
  const questionId = db
    .insert(quizQuestions)
    .values({
      quizId,
      position: 1,
      kind: "trueFalse",
      text: "Kan en bekymring deles med kolleger?",
      explanation: "Ja, det er ofte første skridt.",
    })
    .returning({ id: quizQuestions.id })
    .get().id;
  db.insert(quizOptions)
    .values([
      { questionId, position: 1, text: "Sandt", correct: true },
      { questionId, position: 2, text: "Falsk", correct: false },
    ])
    .run();
  return quizId;
}

function recordAttempt(userId: number, quizId: number, passed: boolean, at: Date) {
  const score = passed ? 100 : 0;
  db.insert(quizAttempts)
    .values({
      quizId,
      userId,
      correctCount: passed ? 1 : 0,
      questionCount: 1,
      scorePercent: score,
      passed,
      submittedAt: at,
    })
    .run();
}

const storedCertificates = (userId: number) =>
  db.select().from(certificates).where(eq(certificates.userId, userId)).all();

async function downloadAs(email: string | null, courseSlug: string) {
  const cookie = email ? await sessionCookieFor(email) : undefined;
  return settle(() =>
    download.loader(routeArgs(request(`/kurser/${courseSlug}/kursusbevis.pdf`, { cookie }), { courseSlug })),
  );
}

async function check(code: string, cookie?: string) {
  const response = await settle(() =>
    checkPage.loader(routeArgs(request(`/bevis/${encodeURIComponent(code)}`, { cookie }), { code })),
  );
  return { response, body: (await response.json()) as { certificate: Record<string, string> | null } };
}

const oneLine = (text: string) => text.replace(/\s+/g, " ");

const first = course(FIRST);
const learner = userIdByEmail(demoEmails.learner);
let firstQuiz: number;

beforeEach(() => {
  // The demo quizzes would hold every course back; this file adds the one quiz it needs.
  db.delete(quizzes).run();
  // 2,200 s of film is 36⅔ minutes, which the certificate rounds up to 45.
  setDurations(first.moduleIds, [600, 700, 500, 400]);
  firstQuiz = addQuiz(first.moduleIds[1]!);
});

function issued(userId: number, courseId: number) {
  const result = issueCertificate(userId, courseId);
  if (result.status !== "issued") throw new Error(`no certificate issued: ${result.status}`);
  return result.certificate;
}

/** Sofie's certificate of the first course, as the first test earns it: completed on 8 January 2026. */
function sofieCompletesFirstCourse() {
  watchAll(learner, first.moduleIds, new Date("2026-01-05T09:00:00Z"));
  recordAttempt(learner, firstQuiz, true, new Date("2026-01-07T23:30:00Z"));
  return issued(learner, first.id);
}

/** The leader's certificate of the first course, completed on 1 April 2026. */
function leaderCompletesFirstCourse() {
  const leader = userIdByEmail(demoEmails.leader);
  watchAll(leader, first.moduleIds, new Date("2026-04-01T08:00:00Z"));
  recordAttempt(leader, firstQuiz, true, new Date("2026-04-01T09:00:00Z"));
  return issued(leader, first.id);
}

/** The health visitor's certificate of the second course at the owner's 75 minutes, completed on 2 February 2026. */
function nurseCompletesSecondCourse() {
  const second = course(SECOND);
  db.update(courses).set({ certificateMinutes: 75 }).where(eq(courses.id, second.id)).run();
  setDurations(second.moduleIds, [3600, 3600, 3600, 3600]);
  watchAll(userIdByEmail(demoEmails.healthVisitor), second.moduleIds, new Date("2026-02-02T10:00:00Z"));
  return issued(userIdByEmail(demoEmails.healthVisitor), second.id);
}

describe("issuing a certificate", () => {
  it("refuses while a quiz is not passed, even with every film watched, and issues once it is", async () => {
    watchAll(learner, first.moduleIds, new Date("2026-01-05T09:00:00Z"));
    recordAttempt(learner, firstQuiz, false, new Date("2026-01-06T09:00:00Z"));

    expect(issueCertificate(learner, first.id)).toEqual({ status: "incomplete" });
    expect(certificateOfferFor(learner, first)).toBeNull();
    const refused = await downloadAs(demoEmails.learner, FIRST);
    expect(refused.status).toBe(303);
    expect(refused.headers.get("Location")).toBe(`/kurser/${FIRST}?kursusbevis=ikke-optjent`);
    expect(storedCertificates(learner)).toEqual([]);

    // 23:30 UTC on 7 January is already 8 January in Denmark.
    recordAttempt(learner, firstQuiz, true, new Date("2026-01-07T23:30:00Z"));
    // Earned, but completed here without the quiz page, so nothing has issued it yet; the page only offers it.
    expect(certificateOfferFor(learner, first)).toEqual({ code: null, href: `/kurser/${FIRST}/kursusbevis.pdf` });
    expect(storedCertificates(learner)).toEqual([]);

    const downloaded = await downloadAs(demoEmails.learner, FIRST);
    expect(downloaded.status).toBe(200);
    const offer = certificateOfferFor(learner, first);
    expect(offer?.code).toMatch(CODE);
    expect(offer?.href).toBe(`/kurser/${FIRST}/kursusbevis.pdf`);
    expect(storedCertificates(learner)).toEqual([
      expect.objectContaining({
        code: offer!.code!.replaceAll("-", ""),
        courseId: first.id,
        recipientName: "Sofie Nørgaard",
        courseTitle: "Unges egne fortællinger",
        organisationName: "Demo Kommune",
        minutes: 45,
        completedOn: "2026-01-08",
      }),
    ]);
    expect(issueCertificate(learner, first.id)).toMatchObject({ status: "issued", certificate: { code: offer!.code } });
    expect(storedCertificates(learner)).toHaveLength(1);
  });

  it("gives a one-page landscape PDF with name, course, municipality, date, hours, code and where to check it", async () => {
    sofieCompletesFirstCourse();
    const code = certificateOfferFor(learner, first)!.code!;
    const response = await downloadAs(demoEmails.learner, FIRST);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="kursusbevis-${FIRST}.pdf"`);
    expect(response.headers.get("Cache-Control")).toContain("no-store");

    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.toString("latin1")).toContain("/MediaBox [0 0 841.89 595.28]");
    const text = oneLine(await pdfText(bytes));
    for (const expected of [
      "Kursusbevis",
      "Sofie Nørgaard",
      "Unges egne fortællinger",
      "Demo Kommune",
      "8. januar 2026",
      "0,75 timer",
      code,
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain(`${getEnv().PUBLIC_URL}/bevis/${code}`);
  });

  it("prints names with letters outside the PDF fonts as their nearest plain letters", async () => {
    sofieCompletesFirstCourse();
    const [issued] = storedCertificates(learner);
    const text = oneLine(
      await pdfText(await renderCertificatePdf({ ...issued!, recipientName: "Łukasz Şahin Nguyễn" })),
    );
    expect(text).toContain("Lukasz Sahin Nguyen");
  });

  it("states the owner's study time when set, and at least a quarter of an hour when the films have no length yet", () => {
    const second = course(SECOND);
    const nurse = userIdByEmail(demoEmails.healthVisitor);
    db.update(courses).set({ certificateMinutes: 75 }).where(eq(courses.id, second.id)).run();
    setDurations(second.moduleIds, [3600, 3600, 3600, 3600]);
    watchAll(nurse, second.moduleIds, new Date("2026-02-02T10:00:00Z"));
    const owners = issueCertificate(nurse, second.id);
    expect(owners.status === "issued" && owners.certificate.minutes).toBe(75);

    const third = course(THIRD);
    const admin = userIdByEmail(demoEmails.admin);
    watchAll(admin, third.moduleIds, new Date("2026-02-02T10:00:00Z"));
    const unmeasured = issueCertificate(admin, third.id);
    expect(unmeasured.status === "issued" && unmeasured.certificate.minutes).toBe(15);
  });

  it("writes hours the Danish way, and the English way in English", () => {
    expect([15, 30, 60, 75, 120].map((minutes) => certificateHours(minutes, "da"))).toEqual([
      "0,25 timer",
      "0,5 timer",
      "1 time",
      "1,25 timer",
      "2 timer",
    ]);
    expect([60, 90].map((minutes) => certificateHours(minutes, "en"))).toEqual(["1 hour", "1.5 hours"]);
  });

  it("keeps stating what was true when it was issued after the name, course and study time change", async () => {
    nurseCompletesSecondCourse();
    const second = course(SECOND);
    const nurse = userIdByEmail(demoEmails.healthVisitor);
    const [before] = storedCertificates(nurse);
    expect(before).toMatchObject({ recipientName: "Mette Dahl", courseTitle: "I skolen og fritiden", minutes: 75 });

    db.update(users).set({ name: "Mette Dahl Krogh" }).where(eq(users.id, nurse)).run();
    db.update(courses)
      .set({ title: "I skolen, i SFO og i fritiden", certificateMinutes: 240 })
      .where(eq(courses.id, second.id))
      .run();
    watchAll(nurse, second.moduleIds, new Date("2026-03-03T10:00:00Z"));

    expect(storedCertificates(nurse)).toEqual([before]);
    const text = oneLine(
      await pdfText(Buffer.from(await (await downloadAs(demoEmails.healthVisitor, SECOND)).arrayBuffer())),
    );
    expect(text).toContain("Mette Dahl");
    expect(text).not.toContain("Krogh");
    expect(text).toContain("I skolen og fritiden");
    expect(text).toContain("1,25 timer");
    expect(text).toContain("2. februar 2026");
    const { body } = await check(before!.code);
    expect(body.certificate).toMatchObject({
      recipientName: "Mette Dahl",
      courseTitle: "I skolen og fritiden",
      hours: "1,25 timer",
    });
  });

  it("draws another code when the one drawn is taken", () => {
    sofieCompletesFirstCourse();
    const taken = storedCertificates(learner)[0]!.code;
    const chosen = "KVTB2345MNPQ";
    forcedDraws.push(...[...taken, ...chosen].map((char) => ALPHABET.indexOf(char)));
    const leader = userIdByEmail(demoEmails.leader);
    const third = course(THIRD);
    watchAll(leader, third.moduleIds, new Date("2026-02-03T10:00:00Z"));
    expect(issueCertificate(leader, third.id)).toMatchObject({
      status: "issued",
      certificate: { code: "KVTB-2345-MNPQ" },
    });
    expect(forcedDraws).toEqual([]);
    expect(storedCertificates(learner)[0]!.code).toBe(taken);
  });
});

describe("who can download a certificate", () => {
  it("gives each person their own and no one else's", async () => {
    sofieCompletesFirstCourse();
    const sofies = certificateOfferFor(learner, first)!.code!;
    expect(await downloadAs(demoEmails.leader, FIRST).then((r) => r.headers.get("Location"))).toBe(
      `/kurser/${FIRST}?kursusbevis=ikke-optjent`,
    );

    const leader = userIdByEmail(demoEmails.leader);
    watchAll(leader, first.moduleIds, new Date("2026-04-01T08:00:00Z"));
    recordAttempt(leader, firstQuiz, true, new Date("2026-04-01T09:00:00Z"));
    const response = await downloadAs(demoEmails.leader, FIRST);
    expect(response.status).toBe(200);
    const text = oneLine(await pdfText(Buffer.from(await response.arrayBuffer())));
    expect(text).toContain("Lars Holm");
    expect(text).not.toContain("Sofie");
    expect(text).not.toContain(sofies);
  });

  it("keeps a certificate downloadable after the seat that led to it has been taken back", async () => {
    leaderCompletesFirstCourse();
    const leader = userIdByEmail(demoEmails.leader);
    const seat = db
      .select()
      .from(seats)
      .where(and(eq(seats.userId, leader), isNull(seats.revokedAt)))
      .get()!;
    db.update(seats).set({ revokedAt: new Date() }).where(eq(seats.id, seat.id)).run();
    try {
      const response = await downloadAs(demoEmails.leader, FIRST);
      expect(response.status).toBe(200);
      expect(oneLine(await pdfText(Buffer.from(await response.arrayBuffer())))).toContain("Lars Holm");
      // Without a certificate already issued, the course itself is still required: the course page answers 403.
      const refused = await downloadAs(demoEmails.leader, SECOND);
      expect(refused.status).toBe(303);
      expect(refused.headers.get("Location")).toBe(`/kurser/${SECOND}`);
    } finally {
      db.update(seats).set({ revokedAt: null }).where(eq(seats.id, seat.id)).run();
    }
  });

  it("refuses people without the course as the course page does, however far they got", async () => {
    const outsider = userIdByEmail(demoEmails.neighbourLearner);
    watchAll(outsider, first.moduleIds, new Date("2026-04-02T08:00:00Z"));
    recordAttempt(outsider, firstQuiz, true, new Date("2026-04-02T09:00:00Z"));
    // Sent to the course page, which answers them as it answers anyone: 403 and 404.
    for (const [email, slug] of [
      [demoEmails.neighbourLearner, FIRST],
      [demoEmails.learner, "findes-ikke"],
    ] as const) {
      const refused = await downloadAs(email, slug);
      expect(refused.status).toBe(303);
      expect(refused.headers.get("Location")).toBe(`/kurser/${slug}`);
    }
    const anonymous = await downloadAs(null, FIRST);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe(
      `/log-ind?redirectTo=${encodeURIComponent(`/kurser/${FIRST}/kursusbevis.pdf`)}`,
    );
    expect(storedCertificates(outsider)).toEqual([]);
  });

  it("issues none to the course owner, who previews courses without a municipality's seat", async () => {
    const owner = userIdByEmail(demoEmails.owner);
    watchAll(owner, first.moduleIds, new Date("2026-04-03T08:00:00Z"));
    recordAttempt(owner, firstQuiz, true, new Date("2026-04-03T09:00:00Z"));
    expect(issueCertificate(owner, first.id)).toEqual({ status: "noMunicipality" });
    expect(certificateOfferFor(owner, first)).toBeNull();
    const refused = await downloadAs(demoEmails.owner, FIRST);
    expect(refused.status).toBe(303);
    expect(refused.headers.get("Location")).toBe(`/kurser/${FIRST}?kursusbevis=kun-kommunens-medarbejdere`);
    expect(storedCertificates(owner)).toEqual([]);
  });
});

describe("the public check page", () => {
  it("confirms a code typed in any case, with or without dashes, for anyone", async () => {
    sofieCompletesFirstCourse();
    const code = certificateOfferFor(learner, first)!.code!;
    const stranger = await sessionCookieFor(demoEmails.neighbourAdmin);
    const variants = [
      code,
      code.toLowerCase(),
      code.replaceAll("-", ""),
      ` ${code.replaceAll("-", "").toLowerCase()} `,
    ];
    for (const [index, variant] of variants.entries()) {
      const { response, body } = await check(variant, index % 2 === 0 ? undefined : stranger);
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      expect(body.certificate).toEqual({
        code,
        recipientName: "Sofie Nørgaard",
        courseTitle: "Unges egne fortællinger",
        organisationName: "Demo Kommune",
        completedOn: "2026-01-08",
        hours: "0,75 timer",
        // Not a mandatory course that must be refreshed: no end, so never expired.
        validUntil: null,
        expired: false,
      });
    }
    const english = await check(code, (await serializeLanguage("en")).split(";")[0]);
    expect(english.body.certificate?.hours).toBe("0.75 hours");
  });

  it("tells search engines to stay away", async () => {
    sofieCompletesFirstCourse();
    const code = certificateOfferFor(learner, first)!.code!;
    const { body } = await check(code);
    const tags = checkPage.meta({ data: body, matches: [] } as unknown as Parameters<typeof checkPage.meta>[0]);
    expect(tags).toContainEqual({ name: "robots", content: "noindex" });
  });

  it("answers 404 Ukendt kode for malformed and unknown codes", async () => {
    for (const code of [
      "",
      "abc",
      "KVTB-2345-MNP0",
      "KVTB-2345-MNPQR",
      "KVTB-2345-MNPI",
      "KVTB/2345/MNPQ",
      "%00",
      "A".repeat(5000),
      "2345-6789-ABCD",
    ]) {
      const { response, body } = await check(code);
      expect({ code, status: response.status }).toEqual({ code, status: 404 });
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      expect(body.certificate).toBeNull();
      const tags = checkPage.meta({ data: body, matches: [] } as unknown as Parameters<typeof checkPage.meta>[0]);
      expect(tags).toContainEqual({ title: "Ukendt kode · Rettidig" });
    }
  });
});

describe("certificates outlive what they came from", () => {
  it("still checks out once the person's account is gone", async () => {
    sofieCompletesFirstCourse();
    leaderCompletesFirstCourse();
    const code = certificateOfferFor(learner, first)!.code!;
    const leader = userIdByEmail(demoEmails.leader);
    const leaders = db
      .select()
      .from(certificates)
      .where(and(eq(certificates.userId, leader), eq(certificates.courseId, first.id)))
      .get()!;
    db.delete(users).where(eq(users.id, leader)).run();
    expect((await check(leaders.code)).body.certificate).toMatchObject({ recipientName: "Lars Holm" });
    expect((await check(code)).response.status).toBe(200);
  });
});

describe("certificates are issued as they are earned, by the step that completes the course", () => {
  const FOURTH = "fra-bekymring-til-handling";
  const fourth = course(FOURTH);
  const lastModuleSlug = () =>
    db
      .select({ slug: modules.slug })
      .from(modules)
      .where(eq(modules.id, fourth.moduleIds.at(-1)!))
      .get()!.slug;

  async function coursePageAs(email: string, query = "") {
    const cookie = await sessionCookieFor(email);
    return renderRoute(coursePage, "/kurser/:courseSlug", request(`/kurser/${FOURTH}${query}`, { cookie }));
  }

  beforeEach(() => setDurations(fourth.moduleIds, [40, 40, 40, 40]));

  it("issues it when the progress report that makes the last film watched arrives", async () => {
    const nurse = userIdByEmail(demoEmails.healthVisitor);
    watchAll(nurse, fourth.moduleIds.slice(0, -1), new Date("2026-05-04T09:00:00Z"));
    const cookie = await sessionCookieFor(demoEmails.healthVisitor);
    // A view opened a minute ago may be credited the whole 40 s film.
    const viewId = openPlaybackView(nurse, fourth.moduleIds.at(-1)!, new Date(Date.now() - 60_000));
    const report = (ranges: [number, number][]) =>
      settle(() =>
        progressApi.action(
          routeArgs(
            request("/api/progress", {
              method: "POST",
              cookie,
              body: JSON.stringify({ viewId, ranges, positionSeconds: ranges[0]![1], ended: false }),
            }),
          ),
        ),
      );

    const halfway = await report([[0, 20]]);
    expect(halfway.status).toBe(200);
    expect(storedCertificates(nurse).filter((c) => c.courseId === fourth.id)).toEqual([]);

    const watched = await report([[0, 40]]);
    expect(watched.status).toBe(200);
    expect(await watched.json()).toMatchObject({ watched: true });
    const [issued] = storedCertificates(nurse).filter((c) => c.courseId === fourth.id);
    expect(issued).toMatchObject({ userId: nurse, organisationName: "Demo Kommune" });

    // The course page shows the code the report issued, and issues nothing of its own.
    const page = await coursePageAs(demoEmails.healthVisitor);
    expect(page.html).toContain(issued!.code.match(/.{4}/g)!.join("-"));
  });

  it("issues it when the quiz attempt that passes the last module is graded", async () => {
    const admin = userIdByEmail(demoEmails.admin);
    const quizId = addQuiz(fourth.moduleIds.at(-1)!);
    watchAll(admin, fourth.moduleIds, new Date("2026-05-05T09:00:00Z"));
    expect(storedCertificates(admin).filter((c) => c.courseId === fourth.id)).toEqual([]);

    const question = db
      .select({ id: quizQuestions.id })
      .from(quizQuestions)
      .where(eq(quizQuestions.quizId, quizId))
      .get()!;
    const optionId = (correct: boolean) =>
      db
        .select({ id: quizOptions.id })
        .from(quizOptions)
        .where(and(eq(quizOptions.questionId, question.id), eq(quizOptions.correct, correct)))
        .get()!.id;
    const cookie = await sessionCookieFor(demoEmails.admin);
    const attempt = (optionIdChosen: number) =>
      settle(() =>
        quizPage.action(
          routeArgs(
            request(`/kurser/${FOURTH}/${lastModuleSlug()}/quiz`, {
              method: "POST",
              cookie,
              body: answerBody(new Map([[question.id, [optionIdChosen]]])),
            }),
            {
              courseSlug: FOURTH,
              moduleSlug: lastModuleSlug(),
            },
          ),
        ),
      );

    const failed = await attempt(optionId(false));
    expect(failed.status).toBe(200);
    expect(storedCertificates(admin).filter((c) => c.courseId === fourth.id)).toEqual([]);

    const passed = await attempt(optionId(true));
    expect(passed.status).toBe(200);
    expect(storedCertificates(admin).filter((c) => c.courseId === fourth.id)).toEqual([
      expect.objectContaining({ recipientName: "Hanne Berg" }),
    ]);
  });

  it("sends a direct hit for a certificate not yet earned to the course page, which says why and what is left", async () => {
    const learnerEmail = demoEmails.learner;
    const refused = await downloadAs(learnerEmail, FOURTH);
    expect(refused.status).toBe(303);
    const location = refused.headers.get("Location")!;
    expect(location).toBe(`/kurser/${FOURTH}?kursusbevis=ikke-optjent`);

    const page = await coursePageAs(learnerEmail, location.slice(location.indexOf("?")));
    expect(page.context.statusCode).toBe(200);
    expect(page.html).toContain(escapeHtml("Du har ikke fået et kursusbevis endnu."));
    expect(page.html).not.toContain("Hent kursusbevis");
    // Without the refusal in the address, the page does not bring it up.
    const plain = await coursePageAs(learnerEmail);
    expect(plain.context.statusCode).toBe(200);
    expect(plain.html).toContain(escapeHtml("Fra bekymring til handling"));
    expect(plain.html).not.toContain(escapeHtml("Du har ikke fået et kursusbevis endnu."));
  });
});
