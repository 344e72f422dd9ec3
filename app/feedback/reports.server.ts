import { and, asc, count, eq, inArray } from "drizzle-orm";
import {
  courses,
  feedbackAnswers,
  feedbackAudiences,
  feedbackForms,
  feedbackQuestions,
  feedbackResponses,
  organisations,
  users,
  type FeedbackAudience,
  type FeedbackQuestionKind,
  type Profession,
} from "#db/schema";
import { db } from "~/db.server";
import { invariantResponse } from "~/utils/http.server";
import { isScored, MIN_GROUP, parseChoices, reportFilterSchema, scoreRange, type ReportFilters } from "./forms";

/**
 * The owner sees every municipality; an admin sees their own only, and always under the
 * minimum-group rules. For the owner the rules apply to anonymous forms only.
 */
export type ReportViewer = { kind: "owner" } | { kind: "admin"; organisationId: number };

export type Bar = { value: string; count: number };
/** A figure drawn from too few responses is left out: count and mean are null. */
export type TrendPoint = { month: string; count: number | null; mean: number | null };
export type BreakdownRow = { profession: Profession | null; count: number | null; mean: number | null };

export type QuestionReport = {
  id: number;
  kind: FeedbackQuestionKind;
  text: string;
  lowLabel: string | null;
  highLabel: string | null;
  /** Null when too few answered it to show its figures. */
  answered: number | null;
  bars: Bar[] | null;
  mean: number | null;
  trend: TrendPoint[];
  breakdown: BreakdownRow[];
  /** Free text; the name only on a form that is not anonymous, and only for the owner. */
  texts: { text: string; name: string | null }[];
};

export type FormReport = {
  formId: number;
  courseId: number;
  courseTitle: string;
  audience: FeedbackAudience;
  title: string;
  anonymous: boolean;
  /** Whether the minimum-group rule applies to what this viewer sees of the form. */
  restricted: boolean;
  status: "none" | "tooFew" | "shown";
  responseCount: number | null;
  questions: QuestionReport[];
};

type ResponseRow = {
  id: string;
  formId: number;
  organisationId: number;
  profession: Profession | null;
  submittedWeek: string;
  userId: number | null;
};

type AnswerRow = { responseId: string; questionId: number; score: number | null; text: string | null };

const round = (value: number) => Math.round(value * 100) / 100;
const mean = (scores: number[]) =>
  scores.length === 0 ? null : round(scores.reduce((sum, score) => sum + score, 0) / scores.length);
const monthOf = (week: string) => week.slice(0, 7);

/** The filters in a report's address; anything the lists could not have sent is a 400, never a guess. */
export function parseReportFilters(request: Request): ReportFilters {
  const parsed = reportFilterSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  invariantResponse(parsed.success, "refusal.filterUnreadable");
  return parsed.data;
}

function scopedFilters(viewer: ReportViewer, filters: ReportFilters): ReportFilters {
  return viewer.kind === "admin" ? { ...filters, organisationId: viewer.organisationId } : filters;
}

/** The group a response is counted in; the form fixes the audience. */
const groupKey = (response: { formId: number; organisationId: number; profession: Profession | null }) =>
  `${response.formId}|${response.organisationId}|${response.profession ?? ""}`;

/**
 * The forms, responses and answers the filters select, in course and audience order. On a form
 * the rule applies to, a response is left out altogether when its form, municipality and
 * profession together have fewer than MIN_GROUP responses, counted over the whole form whatever
 * the filters. Every view is then built from whole groups of at least MIN_GROUP, so setting one
 * view against another (all municipalities against one, all professions against one) never
 * singles out fewer. `answeredFormIds` are the selected forms with any response before that.
 */
function selection(filters: ReportFilters, ruleApplies: (form: { anonymous: boolean }) => boolean) {
  const forms = db
    .select({
      id: feedbackForms.id,
      courseId: feedbackForms.courseId,
      courseTitle: courses.title,
      coursePosition: courses.position,
      audience: feedbackForms.audience,
      title: feedbackForms.title,
      anonymous: feedbackForms.anonymous,
    })
    .from(feedbackForms)
    .innerJoin(courses, eq(courses.id, feedbackForms.courseId))
    .where(
      and(
        filters.courseId ? eq(feedbackForms.courseId, filters.courseId) : undefined,
        filters.audience ? eq(feedbackForms.audience, filters.audience) : undefined,
      ),
    )
    .all()
    .sort(
      (a, b) =>
        a.coursePosition - b.coursePosition ||
        feedbackAudiences.indexOf(a.audience) - feedbackAudiences.indexOf(b.audience),
    );
  const formIds = forms.map((form) => form.id);
  if (formIds.length === 0)
    return { forms, questions: [], responses: [], answers: [], answeredFormIds: new Set<number>() };
  const responseWhere = and(
    inArray(feedbackResponses.formId, formIds),
    filters.organisationId ? eq(feedbackResponses.organisationId, filters.organisationId) : undefined,
    filters.profession ? eq(feedbackResponses.profession, filters.profession) : undefined,
  );
  const questions = db
    .select()
    .from(feedbackQuestions)
    .where(inArray(feedbackQuestions.formId, formIds))
    .orderBy(asc(feedbackQuestions.formId), asc(feedbackQuestions.position))
    .all();
  // Ordered by the random id, so nothing in the order tells when a response was given.
  const selected: ResponseRow[] = db
    .select({
      id: feedbackResponses.id,
      formId: feedbackResponses.formId,
      organisationId: feedbackResponses.organisationId,
      profession: feedbackResponses.profession,
      submittedWeek: feedbackResponses.submittedWeek,
      userId: feedbackResponses.userId,
    })
    .from(feedbackResponses)
    .where(responseWhere)
    .orderBy(asc(feedbackResponses.id))
    .all();
  const ruledFormIds = forms.filter(ruleApplies).map((form) => form.id);
  const groupSizes = new Map(
    ruledFormIds.length === 0
      ? []
      : db
          .select({
            formId: feedbackResponses.formId,
            organisationId: feedbackResponses.organisationId,
            profession: feedbackResponses.profession,
            size: count(),
          })
          .from(feedbackResponses)
          .where(inArray(feedbackResponses.formId, ruledFormIds))
          .groupBy(feedbackResponses.formId, feedbackResponses.organisationId, feedbackResponses.profession)
          .all()
          .map((group) => [groupKey(group), group.size]),
  );
  const responses = selected.filter(
    (response) => !ruledFormIds.includes(response.formId) || (groupSizes.get(groupKey(response)) ?? 0) >= MIN_GROUP,
  );
  const kept = new Set(responses.map((response) => response.id));
  const answers: AnswerRow[] = db
    .select({
      responseId: feedbackAnswers.responseId,
      questionId: feedbackAnswers.questionId,
      score: feedbackAnswers.score,
      text: feedbackAnswers.text,
    })
    .from(feedbackAnswers)
    .innerJoin(feedbackResponses, eq(feedbackResponses.id, feedbackAnswers.responseId))
    .where(responseWhere)
    .orderBy(asc(feedbackAnswers.responseId))
    .all()
    .filter((answer) => kept.has(answer.responseId));
  return {
    forms,
    questions,
    responses,
    answers,
    answeredFormIds: new Set(selected.map((response) => response.formId)),
  };
}

function namesOf(userIds: number[]) {
  if (userIds.length === 0) return new Map<number, { name: string; email: string }>();
  return new Map(
    db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(inArray(users.id, userIds))
      .all()
      .map((user) => [user.id, { name: user.name, email: user.email }]),
  );
}

function scoreBars(kind: "scale" | "recommend", scores: number[]): Bar[] {
  const { min, max } = scoreRange[kind];
  const bars: Bar[] = [];
  for (let score = max; score >= min; score -= 1)
    bars.push({ value: String(score), count: scores.filter((s) => s === score).length });
  return bars;
}

function choiceBars(choices: string[], chosen: string[]): Bar[] {
  // An option the owner has since renamed or removed still counts, after the current ones.
  const values = [...choices, ...new Set(chosen.filter((value) => !choices.includes(value)))];
  return values.map((value) => ({ value, count: chosen.filter((c) => c === value).length }));
}

/**
 * The owner's dashboard and the admins' view: for each form the filters select, per question
 * the distribution and mean, the trend by month, a breakdown by profession, and the free text.
 * Where the rules apply, responses from groups under MIN_GROUP are left out first (see
 * selection), and then any figure drawn from fewer than MIN_GROUP responses is left out of the
 * data altogether, not merely hidden on the page.
 */
export function feedbackReport(viewer: ReportViewer, requested: ReportFilters): FormReport[] {
  const filters = scopedFilters(viewer, requested);
  const isRestricted = (form: { anonymous: boolean }) => viewer.kind === "admin" || form.anonymous;
  const { forms, questions, responses, answers, answeredFormIds } = selection(filters, isRestricted);
  const names =
    viewer.kind === "owner"
      ? namesOf([...new Set(responses.flatMap((r) => (r.userId ? [r.userId] : [])))])
      : new Map<number, { name: string }>();
  const responseById = new Map(responses.map((response) => [response.id, response]));

  return forms.map((form) => {
    const restricted = isRestricted(form);
    const shown = (count: number) => !restricted || count >= MIN_GROUP;
    const formResponses = responses.filter((response) => response.formId === form.id);
    const base = {
      formId: form.id,
      courseId: form.courseId,
      courseTitle: form.courseTitle,
      audience: form.audience,
      title: form.title,
      anonymous: form.anonymous,
      restricted,
    };
    if (!answeredFormIds.has(form.id)) return { ...base, status: "none", responseCount: 0, questions: [] };
    if (!shown(formResponses.length)) return { ...base, status: "tooFew", responseCount: null, questions: [] };

    const questionReports = questions
      .filter((question) => question.formId === form.id)
      .map((question): QuestionReport => {
        const given = answers
          .filter((answer) => answer.questionId === question.id)
          .map((answer) => ({ ...answer, response: responseById.get(answer.responseId)! }));
        const report: QuestionReport = {
          id: question.id,
          kind: question.kind,
          text: question.text,
          lowLabel: question.lowLabel,
          highLabel: question.highLabel,
          answered: shown(given.length) ? given.length : null,
          bars: null,
          mean: null,
          trend: [],
          breakdown: [],
          texts: [],
        };
        // Free text belongs to the form's group, which is large enough by now; a figure needs its own answers to be.
        if (question.kind === "text") {
          report.texts = given.flatMap((answer) => {
            if (answer.text == null) return [];
            const userId = restricted ? null : answer.response.userId;
            return [{ text: answer.text, name: userId != null ? (names.get(userId)?.name ?? null) : null }];
          });
        } else if (report.answered == null) {
          return report;
        } else if (isScored(question.kind)) {
          const scored = given.filter((answer) => answer.score != null);
          const scores = scored.map((answer) => answer.score!);
          report.bars = scoreBars(question.kind, scores);
          report.mean = mean(scores);
          const months = [...new Set(scored.map((answer) => monthOf(answer.response.submittedWeek)))].sort();
          report.trend = months.map((month) => {
            const inMonth = scored
              .filter((answer) => monthOf(answer.response.submittedWeek) === month)
              .map((answer) => answer.score!);
            return shown(inMonth.length)
              ? { month, count: inMonth.length, mean: mean(inMonth) }
              : { month, count: null, mean: null };
          });
          const professionsGiven = [...new Set(scored.map((answer) => answer.response.profession))];
          report.breakdown = professionsGiven.map((profession) => {
            const ofProfession = scored
              .filter((answer) => answer.response.profession === profession)
              .map((answer) => answer.score!);
            return shown(ofProfession.length)
              ? { profession, count: ofProfession.length, mean: mean(ofProfession) }
              : { profession, count: null, mean: null };
          });
        } else {
          report.bars = choiceBars(
            parseChoices(question.choices) ?? [],
            given.flatMap((answer) => (answer.text != null ? [answer.text] : [])),
          );
        }
        return report;
      });
    return { ...base, status: "shown", responseCount: formResponses.length, questions: questionReports };
  });
}

/** What the filters offer: every course, and for the owner every municipality. */
export function reportFilterOptions(viewer: ReportViewer) {
  return {
    courses: db.select({ id: courses.id, title: courses.title }).from(courses).orderBy(asc(courses.position)).all(),
    organisations:
      viewer.kind === "owner"
        ? db
            .select({ id: organisations.id, name: organisations.name })
            .from(organisations)
            .orderBy(asc(organisations.name))
            .all()
        : [],
  };
}

export type ExportRow = {
  courseTitle: string;
  audience: FeedbackAudience;
  /** For the access log: which municipalities' named people left the platform in the file. */
  organisationId: number;
  organisationName: string;
  profession: Profession | null;
  month: string;
  name: string;
  email: string;
  responseNumber: number;
  question: string;
  answer: string;
};

/**
 * The owner's export, one row per answer. Rows of an anonymous form carry no name, e-mail or
 * user id, only the month, and a response is left out when its municipality, audience and
 * profession together have fewer than MIN_GROUP responses to the form, since those three
 * columns could otherwise single a person out. Responses to forms that are not anonymous carry
 * the person's name and e-mail.
 */
export function feedbackExport(requested: ReportFilters): ExportRow[] {
  const { forms, questions, responses: included, answers } = selection(requested, (form) => form.anonymous);
  const formById = new Map(forms.map((form) => [form.id, form]));
  const questionById = new Map(questions.map((question) => [question.id, question]));
  const organisationNames = new Map(
    db
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .all()
      .map((o) => [o.id, o.name]),
  );
  const names = namesOf([
    ...new Set(
      included.flatMap((response) =>
        response.userId && !formById.get(response.formId)!.anonymous ? [response.userId] : [],
      ),
    ),
  ]);
  const formOrder = new Map(forms.map((form, index) => [form.id, index]));
  included.sort((a, b) => formOrder.get(a.formId)! - formOrder.get(b.formId)! || (a.id < b.id ? -1 : 1));

  const answersByResponse = new Map<string, AnswerRow[]>();
  for (const answer of answers)
    answersByResponse.set(answer.responseId, [...(answersByResponse.get(answer.responseId) ?? []), answer]);

  return included.flatMap((response, index) => {
    const form = formById.get(response.formId)!;
    const person = !form.anonymous && response.userId ? names.get(response.userId) : undefined;
    return (answersByResponse.get(response.id) ?? [])
      .map((answer) => ({ answer, question: questionById.get(answer.questionId)! }))
      .sort((a, b) => a.question.position - b.question.position)
      .map(({ answer, question }) => ({
        courseTitle: form.courseTitle,
        audience: form.audience,
        organisationId: response.organisationId,
        organisationName: organisationNames.get(response.organisationId) ?? "",
        profession: response.profession,
        month: monthOf(response.submittedWeek),
        name: person?.name ?? "",
        email: person?.email ?? "",
        responseNumber: index + 1,
        question: question.text,
        answer: answer.score != null ? String(answer.score) : (answer.text ?? ""),
      }));
  });
}
