import { and, asc, count, eq, like } from "drizzle-orm";
import {
  courses,
  feedbackResponses,
  licences,
  modules,
  organisations,
  professions,
  quizzes,
  seats,
  users,
  type Profession,
} from "#db/schema";
import { listCoursesForViewer } from "~/catalog/catalog.server";
import { db } from "~/db.server";
import { isScored, parseChoices, reportFilterSchema, scoreRange, type AnswerInput } from "~/feedback/forms";
import { feedbackExport, feedbackReport } from "~/feedback/reports.server";
import { submitFeedback } from "~/feedback/responses.server";
import { renderCertificatePdf } from "~/learning/certificate-pdf.server";
import { issueCertificate } from "~/learning/certificates.server";
import { submitAttempt } from "~/learning/quizzes.server";
import { courseStatistics } from "~/learning/statistics.server";
import { peopleOverview } from "~/licensing/people.server";
import * as csvRoute from "~/routes/ejer.feedback.svar[.]csv";
import { seededForm } from "../utils/feedback";
import { answers as quizAnswers, markWatched, storedQuestions } from "../utils/quizzes";
import { request, routeArgs, sessionCookieFor, settle } from "../utils/requests";
import { addBenchLearners } from "./database";
import { seededRandom, type Random } from "./random";
import { fixed, printTable, summarise, timed, whole, type Summary } from "./report";

export type LearningOptions = {
  /** Graded quiz attempts, spread over the bench learners. */
  attempts: number;
  courseLists: number;
  peopleOverviews: number;
  /** Anonymous feedback responses; each person answers a form once, so learners are added when there are too few. */
  responses: number;
  reports: number;
  statistics: number;
  certificates: number;
};

const DAY_MS = 24 * 3600 * 1000;
/** Inside the pilot licence's year, which starts on the first of the month the bench was seeded. */
const RESPONSE_SPREAD_DAYS = 180;
const COMMENTS = [
  "Gode film, men lidt lange.",
  "Mere om samtalen med forældrene, tak.",
  "Relevant for hele personalegruppen.",
  "Svært at finde tid til i en travl hverdag.",
];

type Learner = { id: number; email: string };
type FeedbackQuestion = ReturnType<typeof seededForm>["questions"][number];

function benchLearners(): Learner[] {
  return db
    .select({ id: users.id, email: users.email })
    .from(users)
    .innerJoin(seats, eq(seats.userId, users.id))
    .where(like(users.email, "bench-%"))
    .orderBy(asc(users.id))
    .all();
}

function feedbackAnswer(question: FeedbackQuestion, random: Random): AnswerInput | null {
  if (isScored(question.kind)) {
    const { min, max } = scoreRange[question.kind];
    return { questionId: question.id, score: random.int(min, max), text: null };
  }
  if (question.kind === "choice")
    return { questionId: question.id, score: null, text: random.pick(parseChoices(question.choices) ?? []) };
  return question.required || random.chance(0.3)
    ? { questionId: question.id, score: null, text: random.pick(COMMENTS) }
    : null;
}

/**
 * What the quizzes, the course lists, the admins' overview, the feedback and the certificates
 * cost on a municipality of bench learners: one call at a time, as a single server process
 * would make them.
 */
export async function benchLearning(options: LearningOptions) {
  const random = seededRandom(20260202);
  const organisation = db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.slug, "demo-kommune"))
    .get();
  if (!organisation) throw new Error("The bench database has no demo-kommune");
  const licence = db
    .select({ id: licences.id })
    .from(licences)
    .where(eq(licences.organisationId, organisation.id))
    .orderBy(asc(licences.id))
    .get();
  if (!licence) throw new Error("demo-kommune has no licence");
  const courseRows = db
    .select({ id: courses.id, slug: courses.slug, title: courses.title })
    .from(courses)
    .where(eq(courses.published, true))
    .orderBy(asc(courses.position))
    .all();
  const firstCourse = courseRows[0];
  if (!firstCourse) throw new Error("The bench database has no published course");

  const respondentsNeeded = Math.ceil(options.responses / courseRows.length);
  const before = benchLearners();
  if (before.length < respondentsNeeded)
    addBenchLearners(db, licence.id, before.length, respondentsNeeded - before.length);
  const learners = benchLearners();

  const courseModules = db
    .select({ id: modules.id, slug: modules.slug })
    .from(modules)
    .where(and(eq(modules.courseId, firstCourse.id), eq(modules.published, true)))
    .orderBy(asc(modules.position))
    .all();
  const quizModule = courseModules[0];
  const quiz =
    quizModule &&
    db.select({ maxAttempts: quizzes.maxAttempts }).from(quizzes).where(eq(quizzes.moduleId, quizModule.id)).get();
  if (!quizModule || !quiz) throw new Error("The first module of the first course has no quiz");
  if (quiz.maxAttempts != null) throw new Error(`The demo quiz allows only ${quiz.maxAttempts} attempts`);
  const questions = storedQuestions(quizModule.slug);

  // Everyone has seen the quiz's film; every third learner the whole course, so there are courses to complete.
  const finishers = learners.filter((_, index) => index % 3 === 0);
  db.transaction(() => {
    for (const learner of learners) markWatched(learner.email, quizModule.slug);
    for (const learner of finishers)
      for (const module of courseModules.slice(1)) markWatched(learner.email, module.slug);
  });

  const attemptSamples: number[] = [];
  let passed = 0;
  for (let index = 0; index < options.attempts; index++) {
    const learner = learners[index % learners.length]!;
    // A question answered wrongly now and then, so attempts both pass and fail.
    const chosen = quizAnswers(
      questions,
      questions.flatMap((_, question) => (random.chance(0.2) ? [question] : [])),
    );
    const outcome = await timed(attemptSamples, () => submitAttempt(learner.id, quizModule.id, chosen));
    if (outcome.status !== "graded") throw new Error(`attempt ${index} was not graded: ${outcome.status}`);
    if (outcome.result.passed) passed++;
  }

  const listSamples: number[] = [];
  for (let index = 0; index < options.courseLists; index++) {
    const learner = learners[index % learners.length]!;
    const list = await timed(listSamples, () => listCoursesForViewer({ id: learner.id, platformRole: null }));
    if (list.length !== courseRows.length)
      throw new Error(`${learner.email} sees ${list.length} courses, not ${courseRows.length}`);
  }

  const overviewSamples: number[] = [];
  let people = 0;
  let courseCompletions = 0;
  for (let index = 0; index < options.peopleOverviews; index++) {
    const rows = await timed(overviewSamples, () => peopleOverview(organisation.id));
    people = rows.length;
    courseCompletions = rows.reduce((sum, person) => sum + person.coursesCompleted, 0);
  }

  const forms = courseRows.map((course) => ({ course, form: seededForm(course.slug, "staff") }));
  const givenProfession = new Set<number>();
  const submitSamples: number[] = [];
  const startMs = Date.now();
  for (let index = 0; index < options.responses; index++) {
    const learner = learners[index % respondentsNeeded]!;
    const { course, form } = forms[Math.floor(index / respondentsNeeded)]!;
    const answers = form.questions.flatMap((question) => feedbackAnswer(question, random) ?? []);
    // The form asks for the profession only until it is known.
    const profession: Profession | null = givenProfession.has(learner.id) ? null : random.pick(professions);
    givenProfession.add(learner.id);
    // Dated over half a year, so the dashboard's trend has months to compute.
    const at = new Date(startMs + random.int(0, RESPONSE_SPREAD_DAYS) * DAY_MS);
    const result = await timed(submitSamples, () =>
      submitFeedback(learner, course.id, answers, profession, form.anonymous, at),
    );
    if (result !== "saved") throw new Error(`response ${index} by ${learner.email} to ${course.slug} was ${result}`);
  }
  const responseCount = db.select({ n: count() }).from(feedbackResponses).get()?.n ?? 0;

  const filters = reportFilterSchema.parse({});
  const reportSamples: number[] = [];
  const exportSamples: number[] = [];
  const csvSamples: number[] = [];
  let exportRows = 0;
  let csvBytes = 0;
  const ownerCookie = await sessionCookieFor("ejer@rettidig.dk");
  for (let index = 0; index < options.reports; index++) {
    const reports = await timed(reportSamples, () => feedbackReport({ kind: "owner" }, filters));
    if (!reports.some((report) => report.status === "shown")) throw new Error("the owner's dashboard shows no form");
    exportRows = (await timed(exportSamples, () => feedbackExport(filters))).length;
    const csv = await timed(csvSamples, async () => {
      const response = await settle(() =>
        csvRoute.loader(routeArgs(request("/ejer/feedback/svar.csv", { cookie: ownerCookie }))),
      );
      if (response.status !== 200) throw new Error(`the CSV export answered ${response.status}`);
      return response.text();
    });
    csvBytes = Buffer.byteLength(csv);
  }

  const statisticsSamples: number[] = [];
  for (let index = 0; index < options.statistics; index++) await timed(statisticsSamples, () => courseStatistics());

  // The first learner has watched the whole course; one attempt with every answer right completes it.
  const graduate = learners[0]!;
  submitAttempt(graduate.id, quizModule.id, quizAnswers(questions));
  const issued = issueCertificate(graduate.id, firstCourse.id);
  if (issued.status !== "issued") throw new Error(`no certificate for ${graduate.email}: ${issued.status}`);
  const pdfSamples: number[] = [];
  for (let index = 0; index < options.certificates; index++)
    await timed(pdfSamples, () => renderCertificatePdf(issued.certificate));

  const row = (name: string, summary: Summary) => [
    name,
    whole(summary.count),
    fixed(summary.p50),
    fixed(summary.p95),
    fixed(summary.p99),
  ];
  printTable(
    "Learning and feedback",
    ["Operation", "count", "p50 ms", "p95 ms", "p99 ms"],
    [
      row(`submitAttempt() (${questions.length} questions, grade and store)`, summarise(attemptSamples)),
      row("listCoursesForViewer() (learner)", summarise(listSamples)),
      row(`peopleOverview() (${whole(people)} people)`, summarise(overviewSamples)),
      row("submitFeedback() (anonymous)", summarise(submitSamples)),
      row(`feedbackReport() (owner, ${whole(responseCount)} responses)`, summarise(reportSamples)),
      row(`feedbackExport() (${whole(exportRows)} rows)`, summarise(exportSamples)),
      row("CSV export loader (session, export, CSV text)", summarise(csvSamples)),
      row("courseStatistics() (owner, all courses)", summarise(statisticsSamples)),
      row("certificate PDF (pdfkit)", summarise(pdfSamples)),
    ],
    [
      `${whole(options.attempts)} attempts by ${whole(learners.length)} learners on a quiz without an attempt limit; ${whole(passed)} passed.`,
      `${whole(finishers.length)} learners have watched all of "${firstCourse.title}"; the overview counts ${whole(courseCompletions)} completed courses.`,
      `${whole(options.responses)} responses, one per person and form, over ${forms.length} staff forms, dated over ${RESPONSE_SPREAD_DAYS} days; ` +
        `${whole(Math.max(0, learners.length - before.length))} learners were added to answer them. The CSV is ${fixed(csvBytes / 2 ** 20, 1)} MiB.`,
    ],
  );
}
