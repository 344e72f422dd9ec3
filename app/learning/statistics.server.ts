import { asc, eq, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import {
  courses,
  memberships,
  moduleProgress,
  moduleProgressArchive,
  modules,
  organisations,
  quizAttemptAnswers,
  quizAttempts,
  quizQuestions,
  quizzes,
  users,
  type QuizQuestionKind,
} from "#db/schema";
import { db } from "~/db.server";

/** A question is flagged once enough people have answered it and fewer than half got it right. */
export const FLAG_MIN_ANSWERS = 5;
export const FLAG_BELOW_SHARE = 0.5;

export type QuestionStatistics = {
  id: number;
  position: number;
  text: string;
  kind: QuizQuestionKind;
  answered: number;
  right: number;
  /** Null until someone has answered. */
  rightShare: number | null;
  flagged: boolean;
};

export type ModuleStatistics = {
  id: number;
  position: number;
  title: string;
  published: boolean;
  started: number;
  watched: number;
  /** Null when the module has no quiz with questions. */
  quiz: { took: number; passed: number; attempts: number; questions: QuestionStatistics[] } | null;
};

export type CourseStatistics = { id: number; title: string; published: boolean; modules: ModuleStatistics[] };

/**
 * Who is counted: learners, not the course owner trying out her own films, and when a
 * municipality is chosen only its members.
 */
export function countedPeople(userId: SQLiteColumn, organisationId: number | null): SQL {
  const learners = sql`${userId} in (select ${users.id} from ${users} where ${users.platformRole} is null)`;
  return organisationId == null
    ? learners
    : sql`${learners} and ${userId} in (select ${memberships.userId} from ${memberships} where ${memberships.organisationId} = ${organisationId})`;
}

/**
 * Whether the person's viewing of the module in an earlier round (archived when a refresher started
 * the course again and reset the live row) meets the condition, so a refresher lowers no figure.
 */
function earlierRound(condition: SQL): SQL {
  return sql`exists (
    select 1 from ${moduleProgressArchive} archived
    where archived.user_id = ${moduleProgress.userId} and archived.module_id = ${moduleProgress.moduleId} and ${condition}
  )`;
}

/** Hard questions first, so a misleading one is easy to spot; unanswered ones last. */
function worstFirst(a: QuestionStatistics, b: QuestionStatistics) {
  return (a.rightShare ?? 2) - (b.rightShare ?? 2) || a.position - b.position;
}

/**
 * Per course and module: how many have started the film, watched it and passed the quiz, and
 * for each quiz question how often it is answered right.
 */
export function courseStatistics(organisationId: number | null = null): CourseStatistics[] {
  const courseRows = db
    .select({ id: courses.id, title: courses.title, published: courses.published })
    .from(courses)
    .orderBy(asc(courses.position))
    .all();
  const moduleRows = db
    .select({
      id: modules.id,
      courseId: modules.courseId,
      position: modules.position,
      title: modules.title,
      published: modules.published,
    })
    .from(modules)
    .orderBy(asc(modules.courseId), asc(modules.position))
    .all();
  const progress = new Map(
    db
      .select({
        moduleId: moduleProgress.moduleId,
        started: sql<number>`sum(case when ${moduleProgress.playedMs} > 0 or ${moduleProgress.watchedAt} is not null or ${earlierRound(sql`(archived.played_ms > 0 or archived.watched_at is not null)`)} then 1 else 0 end)`,
        watched: sql<number>`sum(case when ${moduleProgress.watchedAt} is not null or ${earlierRound(sql`archived.watched_at is not null`)} then 1 else 0 end)`,
      })
      .from(moduleProgress)
      .where(countedPeople(moduleProgress.userId, organisationId))
      .groupBy(moduleProgress.moduleId)
      .all()
      .map((row) => [row.moduleId, row]),
  );
  const quizByModule = new Map(
    db
      .select({ id: quizzes.id, moduleId: quizzes.moduleId })
      .from(quizzes)
      .all()
      .map((row) => [row.moduleId, row.id]),
  );
  const attemptsByQuiz = new Map(
    db
      .select({
        quizId: quizAttempts.quizId,
        took: sql<number>`count(distinct ${quizAttempts.userId})`,
        passed: sql<number>`count(distinct case when ${quizAttempts.passed} then ${quizAttempts.userId} end)`,
        attempts: sql<number>`count(*)`,
      })
      .from(quizAttempts)
      .where(countedPeople(quizAttempts.userId, organisationId))
      .groupBy(quizAttempts.quizId)
      .all()
      .map((row) => [row.quizId, row]),
  );
  const answersByQuestion = new Map(
    db
      .select({
        questionId: quizAttemptAnswers.questionId,
        answered: sql<number>`count(*)`,
        right: sql<number>`sum(case when ${quizAttemptAnswers.correct} then 1 else 0 end)`,
      })
      .from(quizAttemptAnswers)
      .innerJoin(quizAttempts, eq(quizAttempts.id, quizAttemptAnswers.attemptId))
      .where(countedPeople(quizAttempts.userId, organisationId))
      .groupBy(quizAttemptAnswers.questionId)
      .all()
      .map((row) => [row.questionId, row]),
  );
  const questionRows = db
    .select({
      id: quizQuestions.id,
      quizId: quizQuestions.quizId,
      position: quizQuestions.position,
      text: quizQuestions.text,
      kind: quizQuestions.kind,
    })
    .from(quizQuestions)
    .all();

  const moduleStatistics = (module: (typeof moduleRows)[number]): ModuleStatistics => {
    const quizId = quizByModule.get(module.id);
    const questions: QuestionStatistics[] = questionRows
      .filter((question) => question.quizId === quizId)
      .map((question) => {
        const answers = answersByQuestion.get(question.id);
        const answered = answers?.answered ?? 0;
        const right = answers?.right ?? 0;
        const rightShare = answered > 0 ? right / answered : null;
        const flagged = answered >= FLAG_MIN_ANSWERS && rightShare != null && rightShare < FLAG_BELOW_SHARE;
        return {
          id: question.id,
          position: question.position,
          text: question.text,
          kind: question.kind,
          answered,
          right,
          rightShare,
          flagged,
        };
      })
      .sort(worstFirst);
    const attempts = quizId == null ? undefined : attemptsByQuiz.get(quizId);
    return {
      id: module.id,
      position: module.position,
      title: module.title,
      published: module.published,
      started: progress.get(module.id)?.started ?? 0,
      watched: progress.get(module.id)?.watched ?? 0,
      quiz:
        questions.length === 0
          ? null
          : { took: attempts?.took ?? 0, passed: attempts?.passed ?? 0, attempts: attempts?.attempts ?? 0, questions },
    };
  };

  return courseRows.map((course) => ({
    ...course,
    modules: moduleRows.filter((module) => module.courseId === course.id).map(moduleStatistics),
  }));
}

/** The municipalities the statistics can be narrowed to. */
export function statisticsOrganisations() {
  return db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .orderBy(asc(organisations.name))
    .all();
}
