import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { and, asc, eq } from "drizzle-orm";
import {
  courses,
  feedbackForms,
  feedbackQuestions,
  licences,
  memberships,
  seats,
  users,
  type FeedbackAudience,
  type MembershipRole,
} from "#db/schema";
import { db } from "~/db.server";
import { parseChoices } from "~/feedback/forms";
import * as feedbackRoute from "~/routes/kurser.$courseSlug.feedback/route";
import { formRequest, routeArgs, sessionCookieFor, settle } from "./requests";

export const COURSES = [
  "unges-egne-fortaellinger",
  "i-skolen-og-fritiden",
  "sundhedspleje-og-tandpleje",
  "fra-bekymring-til-handling",
] as const;

export function courseIdOf(slug: string): number {
  return db.select({ id: courses.id }).from(courses).where(eq(courses.slug, slug)).get()!.id;
}

/** The seeded form of a course for an audience, with its questions in order. */
export function seededForm(slug: string, audience: FeedbackAudience) {
  const form = db
    .select()
    .from(feedbackForms)
    .where(and(eq(feedbackForms.courseId, courseIdOf(slug)), eq(feedbackForms.audience, audience)))
    .get()!;
  const questions = db
    .select()
    .from(feedbackQuestions)
    .where(eq(feedbackQuestions.formId, form.id))
    .orderBy(asc(feedbackQuestions.position))
    .all();
  return { ...form, questions };
}

type Form = Pick<ReturnType<typeof seededForm>, "anonymous" | "questions">;

/** A valid answer to every question of the form as it was read, as its page posts it; overrides replace single fields. */
export function answerFields(form: Form, overrides: Record<string, string> = {}): Record<string, string> {
  const fields: Record<string, string> = { intent: "respond", anonymous: form.anonymous ? "yes" : "no" };
  for (const question of form.questions) {
    const name = `q${question.id}`;
    if (question.kind === "scale") fields[name] = "4";
    else if (question.kind === "recommend") fields[name] = "8";
    else if (question.kind === "choice") fields[name] = parseChoices(question.choices)![0]!;
    else fields[name] = "Gode film.";
  }
  return { ...fields, ...overrides };
}

export async function respond(email: string, slug: string, fields: Record<string, string>, cookie?: string) {
  const sessionCookie = cookie ?? (await sessionCookieFor(email));
  return settle(() =>
    feedbackRoute.action(
      routeArgs(formRequest(`/kurser/${slug}/feedback`, fields, sessionCookie), { courseSlug: slug }),
    ),
  );
}

/** More people in Demo Kommune with a seat on its pilot licence, so groups can reach five. */
export function addDemoPeople(count: number, role: MembershipRole = "learner") {
  const licenceId = db.select({ id: licences.id }).from(licences).where(eq(licences.organisationId, 1)).get()!.id;
  return Array.from({ length: count }, () => {
    const tag = randomUUID().slice(0, 8);
    const id = db
      .insert(users)
      .values({ email: `person-${tag}@demo-kommune.dk`, name: `Person ${tag}` })
      .returning({ id: users.id })
      .get().id;
    db.insert(memberships).values({ userId: id, organisationId: 1, role }).run();
    db.insert(seats).values({ licenceId, userId: id, claimedAt: new Date() }).run();
    return id;
  });
}

/** The answer export read as a spreadsheet reads it: semicolons, quoted cells, any byte-order mark; the header row first. */
export function csvRows(text: string): string[][] {
  return parse(text, { delimiter: ";", bom: true }) as string[][];
}
