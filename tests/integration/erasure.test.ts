import { and, count, eq, isNull, ne } from "drizzle-orm";
import {
  accessLog,
  certificates,
  feedbackForms,
  licences,
  meetingParticipants,
  memberships,
  modules,
  seatEvents,
  seats,
  users,
} from "#db/schema";
import { requestPasswordReset } from "~/auth/auth.server";
import { demoEmails } from "~/cli/seed/accounts";
import { db, sqlite } from "~/db.server";
import { feedbackReport, parseReportFilters } from "~/feedback/reports.server";
import { submitFeedback } from "~/feedback/responses.server";
import { courseStatistics } from "~/learning/statistics.server";
import { openPlaybackView, recordProgress } from "~/learning/progress.server";
import { measurementReportPage } from "~/measurement/report.server";
import { startMeeting } from "~/meetings/presenting.server";
import { ERASED_PLACEHOLDER } from "~/privacy/erasure.server";
import * as certificateRoute from "~/routes/bevis.$code";
import * as eraseRoute from "~/routes/administration.personer.$userId_.slet/route";
import { complianceSummary } from "~/training/compliance.server";
import { addDemoPeople, COURSES, courseIdOf, seededForm } from "../utils/feedback";
import {
  answerFields as measurementFields,
  completeWithCertificate,
  givenMeasurement,
  postAnswers,
} from "../utils/measurement";
import { formRequest, jsonOf, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";
import { dumpTables } from "../utils/table-dump";
import { givenAssignment, givenCycle, organisationIdBySlug, unitIdByName } from "../utils/training";

const NAME = "Karoline Østergaard-Testesen";
const EMAIL = "karoline.testesen@demo-kommune.dk";

/** Columns that the database itself declares as pointing at users. */
function userReferenceColumns(): Map<string, Set<string>> {
  const tables = Object.keys(dumpTables());
  return new Map(
    tables.map((table) => [
      table,
      new Set(
        (sqlite().prepare("select * from pragma_foreign_key_list(?)").all(table) as { table: string; from: string }[])
          .filter((key) => key.table === "users")
          .map((key) => key.from),
      ),
    ]),
  );
}

/** Where the bookkeeping act keeps the person named: the README's documented exception. */
const keptForBookkeeping = new Set(["orders.person_reference", "orders.buyer_name", "orders.buyer_email"]);

/** Every place in the database that still points at or names the person. */
function tracesOf(person: { id: number; name: string; email: string }): string[] {
  const references = userReferenceColumns();
  const found: string[] = [];
  for (const [table, rows] of Object.entries(dumpTables())) {
    for (const row of rows as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) {
        if (keptForBookkeeping.has(`${table}.${column}`)) continue;
        if (table === "users" && column === "id" && value === person.id) found.push("users.id");
        if (references.get(table)?.has(column) && value === person.id) found.push(`${table}.${column}`);
        if (typeof value === "string") {
          const text = value.toLowerCase();
          if (text.includes(person.email.toLowerCase()) || text.includes(person.name.toLowerCase()))
            found.push(`${table}.${column}: ${value.slice(0, 80)}`);
        }
      }
    }
  }
  return found;
}

/** Every figure a municipality or the course owner reads, as one comparable value. */
function figures(organisationId: number, now: Date) {
  const filters = parseReportFilters(request("/ejer/feedback"));
  const seatRows = db
    .select({ licenceId: seats.licenceId, rows: count() })
    .from(seats)
    .innerJoin(licences, eq(licences.id, seats.licenceId))
    .where(eq(licences.organisationId, organisationId))
    .groupBy(seats.licenceId)
    .all();
  return {
    statisticsAll: courseStatistics(),
    statisticsMunicipality: courseStatistics(organisationId),
    feedbackOwner: feedbackReport({ kind: "owner" }, filters),
    feedbackAdmin: feedbackReport({ kind: "admin", organisationId }, filters),
    measurement: measurementReportPage({ kind: "owner" }, filters),
    compliance: complianceSummary({ organisationId, organisationName: "Demo Kommune", unitId: null }, {}, now).total,
    seatHistory: seatRows,
    seatsBought: db.select({ seatCount: licences.seatCount }).from(licences).all(),
  };
}

/** A learner of Demo Kommune who has done everything the platform records about a person. */
async function givenBusyLearner(now: Date) {
  const organisationId = organisationIdBySlug("demo-kommune");
  const licenceId = db
    .select({ id: licences.id })
    .from(licences)
    .where(eq(licences.organisationId, organisationId))
    .get()!.id;
  const personId = db
    .insert(users)
    .values({ email: EMAIL, name: NAME, profession: "pedagogue" })
    .returning({ id: users.id })
    .get().id;
  db.insert(memberships)
    .values({ userId: personId, organisationId, role: "learner", unitId: unitIdByName("Skovbrynets Børnehus") })
    .run();
  db.insert(seats).values({ licenceId, userId: personId, claimedAt: now }).run();
  db.insert(seatEvents)
    .values({ licenceId, kind: "claimed", subjectEmail: EMAIL, actorUserId: personId, at: now })
    .run();

  // Films watched as the player reports them, a course completed with its quiz passed and its certificate.
  const film = db
    .select()
    .from(modules)
    .where(eq(modules.courseId, courseIdOf(COURSES[1])))
    .get()!;
  const viewId = openPlaybackView(personId, film.id, now);
  const duration = film.durationSeconds ?? 40;
  const played = recordProgress(
    personId,
    { viewId, ranges: [[0, duration]], positionSeconds: duration, ended: true },
    new Date(now.getTime() + (duration + 2) * 1000),
  );
  expect(played.status).toBe("ok");
  const measurement = givenMeasurement();
  expect((await postAnswers(EMAIL, "baseline", measurementFields(measurement.staff))).status).toBe(200);
  completeWithCertificate(EMAIL, now);

  // Named feedback on one course, anonymous on another, each among enough colleagues to be shown.
  const named = seededForm(COURSES[0], "staff");
  db.update(feedbackForms).set({ anonymous: false }).where(eq(feedbackForms.id, named.id)).run();
  const anonymous = seededForm(COURSES[1], "staff");
  const scaleAnswers = (form: typeof named, signature: string) =>
    form.questions.map((question) => ({
      questionId: question.id,
      score: question.kind === "scale" ? 4 : question.kind === "recommend" ? 8 : null,
      text: question.kind === "text" ? `Tak for filmene, hilsen ${signature}` : null,
    }));
  for (const [id, signature] of [
    [personId, NAME] as const,
    ...addDemoPeople(5).map((id) => [id, "en kollega"] as const),
  ]) {
    const answer = (form: typeof named) => scaleAnswers(form, signature);
    expect(submitFeedback({ id }, named.courseId, answer(named), "pedagogue", false, now)).toBe("saved");
    expect(submitFeedback({ id }, anonymous.courseId, answer(anonymous), "pedagogue", true, now)).toBe("saved");
  }

  // A staff meeting Lars showed, which she attended.
  const started = startMeeting(userIdByEmail(demoEmails.leader), film.id, now);
  if (started.status !== "started") throw new Error(`no meeting: ${started.status}`);
  db.insert(meetingParticipants)
    .values({ sessionId: started.sessionId, userId: personId, joinedAt: now, lastSeenAt: now, outcome: "discussed" })
    .run();

  // A mandatory round, a session, a password reset mail and its counters.
  givenCycle(EMAIL, givenAssignment(), { openedOn: "2020-01-01", dueOn: "2099-01-01" });
  await sessionCookieFor(EMAIL);
  await requestPasswordReset(EMAIL, "da", "127.0.0.1");
  return { personId, organisationId };
}

/** The erase page's form as the admin signed in with `cookie` sends it. */
function erase(cookie: string, personId: number, confirmation: string) {
  const path = `/administration/personer/${personId}/slet`;
  return settle(() =>
    eraseRoute.action(routeArgs(formRequest(path, { confirmation }, cookie), { userId: String(personId) })),
  );
}

describe("erasing a person", () => {
  it("leaves no trace of the learner while every figure still adds up, and withdraws the certificate", async () => {
    const now = new Date();
    const { personId, organisationId } = await givenBusyLearner(now);
    const person = { id: personId, name: NAME, email: EMAIL };
    expect(tracesOf(person).length).toBeGreaterThan(20);
    const code = db.select().from(certificates).where(eq(certificates.userId, personId)).get()!.code;
    const before = figures(organisationId, now);

    const response = await erase(await sessionCookieFor(demoEmails.admin), personId, `  ${NAME.toUpperCase()} `);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/administration?besked=slettet");

    expect(tracesOf(person)).toEqual([]);
    // The same figures. Her named answer is anonymous now, and where she signed a text with her name the placeholder stands.
    const expected = JSON.stringify(before)
      .replaceAll(`"name":${JSON.stringify(NAME)}`, `"name":null`)
      .replaceAll(NAME, ERASED_PLACEHOLDER);
    // Compliance is about the staff the municipality has now: like someone whose seat lapsed, she has left it.
    const after = JSON.parse(expected) as typeof before;
    after.compliance = {
      ...before.compliance,
      assigned: before.compliance.assigned - 1,
      notStarted: before.compliance.notStarted - 1,
    };
    expect(JSON.parse(JSON.stringify(figures(organisationId, now)))).toEqual(after);
    const standIn = db.select().from(users).where(eq(users.email, EMAIL)).get();
    expect(standIn).toBeUndefined();
    const erased = db.select().from(users).where(eq(users.profession, "pedagogue")).all();
    expect(erased.filter((user) => user.erasedAt !== null)).toEqual([
      expect.objectContaining({ name: "", passwordHash: null, platformRole: null, deactivatedAt: expect.any(Date) }),
    ]);
    const seatEvent = db.select().from(seatEvents).where(eq(seatEvents.subjectEmail, ERASED_PLACEHOLDER)).all();
    expect(seatEvent).toHaveLength(1);
    // The log says an admin of Demo Kommune erased someone, and nothing about whom.
    const logged = db.select().from(accessLog).where(eq(accessLog.action, "erasePerson")).all();
    expect(logged).toEqual([
      expect.objectContaining({ viewerId: userIdByEmail(demoEmails.admin), organisationId, format: null }),
    ]);
    const freed = db
      .select({ n: count() })
      .from(seats)
      .where(and(eq(seats.userId, erased.find((user) => user.erasedAt)!.id), isNull(seats.revokedAt)))
      .get()!.n;
    expect(freed).toBe(0);
    // The stand-in is nobody to erase: its page is not found.
    const standInId = String(erased.find((user) => user.erasedAt)!.id);
    const cookie = await sessionCookieFor(demoEmails.admin);
    const standInPage = await settle(() =>
      eraseRoute.loader(
        routeArgs(request(`/administration/personer/${standInId}/slet`, { cookie }), { userId: standInId }),
      ),
    );
    expect(standInPage.status).toBe(404);

    const check = await settle(() => certificateRoute.loader(routeArgs(request(`/bevis/${code}`), { code })));
    expect(check.status).toBe(410);
    expect(await check.json()).toEqual({ certificate: null, withdrawn: true });
  });

  it("touches nobody else's text: a longer name, a longer address and a first name alone are left as they were", async () => {
    const organisationId = organisationIdBySlug("demo-kommune");
    const licenceId = db
      .select({ id: licences.id })
      .from(licences)
      .where(eq(licences.organisationId, organisationId))
      .get()!.id;
    const person = (email: string, name: string) => {
      const id = db.insert(users).values({ email, name }).returning({ id: users.id }).get().id;
      db.insert(memberships).values({ userId: id, organisationId, role: "learner" }).run();
      db.insert(seatEvents).values({ licenceId, kind: "invited", subjectEmail: email, at: new Date() }).run();
      return id;
    };
    const boEk = person("bo@demo-kommune.dk", "Bo Ek");
    person("jacobo@demo-kommune.dk", "Bo Eklund");
    // Someone who gave only a first name, which is also a film's character.
    const sofie = person("sofie@demo-kommune.dk", "Sofie");
    const othersBefore = db.select().from(users).where(ne(users.id, boEk)).all();

    expect((await erase(await sessionCookieFor(demoEmails.admin), boEk, "Bo Ek")).status).toBe(302);
    expect((await erase(await sessionCookieFor(demoEmails.admin), sofie, "Sofie")).status).toBe(302);

    expect(
      db.select({ email: seatEvents.subjectEmail }).from(seatEvents).where(eq(seatEvents.kind, "invited")).all(),
    ).toEqual([{ email: ERASED_PLACEHOLDER }, { email: "jacobo@demo-kommune.dk" }, { email: ERASED_PLACEHOLDER }]);
    expect(db.select().from(users).where(eq(users.name, "Bo Eklund")).all()).toHaveLength(1);
    expect(othersBefore.filter((user) => user.id !== sofie)).toEqual(
      db.select().from(users).where(isNull(users.erasedAt)).all(),
    );
    expect(db.select({ title: modules.title }).from(modules).where(eq(modules.id, 1)).get()!.title).toMatch(/^Sofie: /);
  });

  it("refuses a confirmation that names someone else, beside the field, and erases nothing", async () => {
    const { personId } = await givenBusyLearner(new Date());
    const response = await erase(await sessionCookieFor(demoEmails.admin), personId, "Sofie Nørgaard");
    expect(response.status).toBe(400);
    const reply = await jsonOf<{ result: { error: Record<string, string[]> } }>(response, 400);
    expect(reply.result.error.confirmation).toEqual(["erasure.confirmationMismatch"]);
    expect(db.select().from(users).where(eq(users.id, personId)).get()?.name).toBe(NAME);
  });

  it("answers another municipality's person as not found", async () => {
    const neighbour = userIdByEmail(demoEmails.neighbourLearner);
    const cookie = await sessionCookieFor(demoEmails.admin);
    const before = dumpTables();
    const response = await erase(cookie, neighbour, demoEmails.neighbourLearner);
    expect(response.status).toBe(404);
    expect(dumpTables()).toEqual(before);
  });

  it("refuses the last admin erasing themselves, with a message above the form", async () => {
    const admin = userIdByEmail(demoEmails.neighbourAdmin);
    const cookie = await sessionCookieFor(demoEmails.neighbourAdmin);
    const before = dumpTables();
    const response = await erase(cookie, admin, demoEmails.neighbourAdmin);
    expect(response.status).toBe(409);
    const reply = await jsonOf<{ result: { error: Record<string, string[]> } }>(response, 409);
    expect(reply.result.error[""]).toEqual(["erasure.refusedLastAdmin"]);
    expect(dumpTables()).toEqual(before);
  });

  it("refuses a person another municipality also employs", async () => {
    const { personId } = await givenBusyLearner(new Date());
    db.insert(memberships)
      .values({ userId: personId, organisationId: organisationIdBySlug("nabo-kommune"), role: "learner" })
      .run();
    const response = await erase(await sessionCookieFor(demoEmails.admin), personId, EMAIL);
    expect(response.status).toBe(409);
    const reply = await jsonOf<{ result: { error: Record<string, string[]> } }>(response, 409);
    expect(reply.result.error[""]).toEqual(["erasure.refusedOtherMunicipality"]);
    expect(db.select().from(users).where(eq(users.id, personId)).get()?.email).toBe(EMAIL);
  });

  it("lets an admin erase themselves when another admin remains, and signs them out", async () => {
    const admin = userIdByEmail(demoEmails.admin);
    const second = addDemoPeople(1, "admin")[0]!;
    const response = await erase(await sessionCookieFor(demoEmails.admin), admin, demoEmails.admin);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/log-ind");
    expect(db.select().from(users).where(eq(users.id, admin)).get()).toBeUndefined();
    expect(db.select().from(memberships).where(eq(memberships.userId, second)).get()?.role).toBe("admin");
  });
});
