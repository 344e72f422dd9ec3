import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import {
  courses,
  feedbackAnswers,
  feedbackForms,
  feedbackQuestions,
  feedbackResponses,
  feedbackSubmissions,
  users,
  type FeedbackAudience,
  type Profession,
} from "#db/schema";
import { db } from "~/db.server";
import { courseCompletion } from "~/learning/completion.server";
import { courseSeat } from "~/licensing/access.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { parseChoices, type AnswerInput, type ResponseQuestion } from "./forms";

export type FeedbackState = "open" | "answered" | "notOpenYet" | "closed";

/** Monday of the week a Danish day falls in: all an anonymous response keeps of when it was given. */
export function weekOf(isoDate: string): string {
  const weekday = (new Date(`${isoDate}T00:00:00Z`).getUTCDay() + 6) % 7;
  return shiftDays(isoDate, -weekday);
}

/**
 * Who a person answers a course's feedback as: the municipality of the seat that gives them the
 * course today, and their role there (its leaders get the leaders' form, everyone else the staff's).
 */
function respondentFor(
  userId: number,
  courseId: number,
  now: Date,
): { organisationId: number; audience: FeedbackAudience } | null {
  const seat = courseSeat(userId, courseId, now);
  return seat ? { organisationId: seat.organisationId, audience: seat.role === "leader" ? "leader" : "staff" } : null;
}

function formOf(courseId: number, audience: FeedbackAudience) {
  return db
    .select()
    .from(feedbackForms)
    .where(and(eq(feedbackForms.courseId, courseId), eq(feedbackForms.audience, audience)))
    .get();
}

function questionsOf(formId: number) {
  return db
    .select({
      id: feedbackQuestions.id,
      kind: feedbackQuestions.kind,
      text: feedbackQuestions.text,
      required: feedbackQuestions.required,
      lowLabel: feedbackQuestions.lowLabel,
      highLabel: feedbackQuestions.highLabel,
      choices: feedbackQuestions.choices,
    })
    .from(feedbackQuestions)
    .where(eq(feedbackQuestions.formId, formId))
    .orderBy(asc(feedbackQuestions.position))
    .all()
    .map((question) => ({ ...question, choices: parseChoices(question.choices) }));
}

function hasAnswered(formId: number, userId: number) {
  return !!db
    .select({ formId: feedbackSubmissions.formId })
    .from(feedbackSubmissions)
    .where(and(eq(feedbackSubmissions.formId, formId), eq(feedbackSubmissions.userId, userId)))
    .get();
}

function openState(form: { opensOn: string; closesOn: string | null }, now: Date): Exclude<FeedbackState, "answered"> {
  const today = danishDate(now);
  if (today < form.opensOn) return "notOpenYet";
  if (form.closesOn && today > form.closesOn) return "closed";
  return "open";
}

function feedbackHref(courseId: number) {
  const course = db.select({ slug: courses.slug }).from(courses).where(eq(courses.id, courseId)).get();
  return course ? `/kurser/${course.slug}/feedback` : null;
}

export type FeedbackOffer = {
  audience: FeedbackAudience;
  state: FeedbackState;
  courseComplete: boolean;
  href: string;
};

/** What the course page offers: null when the person has no seat for the course or there is no form with questions for them. */
export function feedbackOfferFor(user: { id: number }, courseId: number, now = new Date()): FeedbackOffer | null {
  const respondent = respondentFor(user.id, courseId, now);
  const form = respondent ? formOf(courseId, respondent.audience) : undefined;
  const href = feedbackHref(courseId);
  if (!respondent || !form || !href || questionsOf(form.id).length === 0) return null;
  return {
    audience: respondent.audience,
    state: hasAnswered(form.id, user.id) ? "answered" : openState(form, now),
    courseComplete: courseCompletion(user.id, courseId).complete,
    href,
  };
}

export type FeedbackQuestion = ReturnType<typeof questionsOf>[number] & ResponseQuestion;

export type FeedbackPage = {
  /** True for someone who may see the course but holds no seat for it (the course owner): the staff form, not answerable. */
  preview: boolean;
  audience: FeedbackAudience;
  state: FeedbackState;
  courseComplete: boolean;
  profession: Profession | null;
  form: {
    id: number;
    title: string;
    intro: string;
    anonymous: boolean;
    opensOn: string;
    closesOn: string | null;
    questions: FeedbackQuestion[];
  } | null;
};

/** The form page of a course the person may already see (the route checks course access). */
export function feedbackPageFor(user: { id: number }, courseId: number, now = new Date()): FeedbackPage {
  const respondent = respondentFor(user.id, courseId, now);
  const audience = respondent?.audience ?? "staff";
  const form = formOf(courseId, audience);
  const profession =
    db.select({ profession: users.profession }).from(users).where(eq(users.id, user.id)).get()?.profession ?? null;
  const state: FeedbackState =
    form && respondent && hasAnswered(form.id, user.id) ? "answered" : form ? openState(form, now) : "closed";
  return {
    preview: respondent == null,
    audience,
    state,
    courseComplete: courseCompletion(user.id, courseId).complete,
    profession,
    form: form
      ? {
          id: form.id,
          title: form.title,
          intro: form.intro,
          anonymous: form.anonymous,
          opensOn: form.opensOn,
          closesOn: form.closesOn,
          questions: questionsOf(form.id),
        }
      : null,
  };
}

export type SubmitResult =
  "saved" | "noSeat" | "noForm" | "notOpenYet" | "closed" | "alreadyAnswered" | "anonymityChanged" | "questionsChanged";

/**
 * Saves one response in one transaction: that the person answered (its primary key stops a
 * second response), the response and its answers, and the profession if given. An anonymous
 * response carries no user id, only the municipality, audience, profession and week, and the
 * record that the person answered carries nothing that leads to it. `shownAnonymous` is what the
 * form said when the person opened it (null when the page did not say); a response is only kept
 * on the terms the person was shown.
 */
export function submitFeedback(
  user: { id: number },
  courseId: number,
  answers: AnswerInput[],
  profession: Profession | null,
  shownAnonymous: boolean | null,
  now = new Date(),
): SubmitResult {
  const respondent = respondentFor(user.id, courseId, now);
  if (!respondent) return "noSeat";
  const form = formOf(courseId, respondent.audience);
  if (!form) return "noForm";
  const state = openState(form, now);
  if (state !== "open") return state;

  // Immediate: the write lock is taken before the checks, so no other process can answer in between
  // (the submissions row's primary key would refuse it anyway).
  return db.transaction(
    (tx) => {
      if (hasAnswered(form.id, user.id)) return "alreadyAnswered";
      const current = tx
        .select({ anonymous: feedbackForms.anonymous })
        .from(feedbackForms)
        .where(eq(feedbackForms.id, form.id))
        .get();
      if (!current) return "noForm";
      const { anonymous } = current;
      if (anonymous !== shownAnonymous) return "anonymityChanged";
      const questions = tx
        .select({ id: feedbackQuestions.id, required: feedbackQuestions.required })
        .from(feedbackQuestions)
        .where(eq(feedbackQuestions.formId, form.id))
        .all();
      const answered = new Set(answers.map((answer) => answer.questionId));
      const known = new Set(questions.map((question) => question.id));
      if (
        answers.some((answer) => !known.has(answer.questionId)) ||
        questions.some((question) => question.required && !answered.has(question.id))
      ) {
        return "questionsChanged";
      }

      tx.insert(feedbackSubmissions).values({ formId: form.id, userId: user.id }).run();
      if (profession) tx.update(users).set({ profession }).where(eq(users.id, user.id)).run();
      const responseProfession =
        profession ??
        tx.select({ profession: users.profession }).from(users).where(eq(users.id, user.id)).get()?.profession ??
        null;
      const responseId = randomBytes(16).toString("base64url");
      tx.insert(feedbackResponses)
        .values({
          id: responseId,
          formId: form.id,
          organisationId: respondent.organisationId,
          audience: respondent.audience,
          profession: responseProfession,
          userId: anonymous ? null : user.id,
          submittedWeek: weekOf(danishDate(now)),
        })
        .run();
      if (answers.length > 0)
        tx.insert(feedbackAnswers)
          .values(answers.map((answer) => ({ responseId, ...answer })))
          .run();
      return "saved";
    },
    { behavior: "immediate" },
  );
}

export function setProfession(user: { id: number }, profession: Profession) {
  db.update(users).set({ profession }).where(eq(users.id, user.id)).run();
}
