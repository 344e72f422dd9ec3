import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { courseRestarts, moduleProgress, modules, quizAttempts, quizQuestions, quizRetakes, quizzes } from "#db/schema";
import { db } from "~/db.server";
import { danishDate } from "~/i18n/dates";

/**
 * The id of the person's last quiz attempt before the quiz's course was last started again for a
 * refresher (course_restarts); 0 when it never was. Attempts up to it belong to earlier rounds.
 * Aliased tables, so the fragment also fits queries that join modules or quizzes themselves.
 */
const roundBaseline = sql`coalesce((
  select max(round_restart.after_attempt_id) from ${courseRestarts} round_restart
  join ${modules} round_module on round_module.course_id = round_restart.course_id
  join ${quizzes} round_quiz on round_quiz.module_id = round_module.id
  where round_quiz.id = ${quizAttempts.quizId} and round_restart.user_id = ${quizAttempts.userId}
), 0)`;

/**
 * Whether an attempt belongs to the person's current round of the course: made after the latest
 * restart, that is with an id above the highest one the restart saw. "Passed", the best score and
 * completion are judged on these only, so a refresher has to be passed again. Earlier rounds'
 * attempts stay stored for the statistics.
 */
export const inCurrentRound = sql`${quizAttempts.id} > ${roundBaseline}`;

/**
 * The attempt limit's one rule, for a query over quiz_attempts: an attempt counts against the
 * limit only when it was made in the current round (inCurrentRound) and after the person's latest
 * retake of that quiz, that is when its id is above the highest one the retake saw. Earlier
 * attempts of the round still count for "passed" and the best score.
 */
export const countsAgainstLimit = sql`${quizAttempts.id} > max(${roundBaseline}, coalesce((
  select max(${quizRetakes.afterAttemptId}) from ${quizRetakes}
  where ${quizRetakes.userId} = ${quizAttempts.userId} and ${quizRetakes.quizId} = ${quizAttempts.quizId}
), 0))`;

/**
 * attemptsExhausted (~/learning/attempt-limit) for a query grouped by person and quiz, with
 * quizzes joined: every allowed attempt used. Never true for a quiz without a limit.
 */
export const attemptsExhaustedInGroup = sql`count(case when ${countsAgainstLimit} then 1 end) >= ${quizzes.maxAttempts}`;

export type QuizStanding = {
  quizId: number;
  /** Whether an attempt of the current round passed, also one from before a retake. */
  passed: boolean;
  /** The attempts that count against the limit (see countsAgainstLimit); fresh each round. */
  attemptsUsed: number;
  /** Null: unlimited. */
  maxAttempts: number | null;
  bestScorePercent: number | null;
};

export type ModuleCompletion = {
  moduleId: number;
  watched: boolean;
  /** Null when the module has no quiz with questions: the film alone completes it. */
  quiz: QuizStanding | null;
  complete: boolean;
  /** When the last requirement was met: the film watched or the quiz passed, whichever came later. */
  completedAt: Date | null;
};

/**
 * What one person has completed of the given modules in the current round. A module is complete
 * when its film has been watched (the 90 % rule in progress.server; a restart resets the film's
 * progress) and its quiz, if it has one, has been passed in this round (inCurrentRound).
 */
export function moduleCompletions(userId: number, moduleIds: number[]): Map<number, ModuleCompletion> {
  const result = new Map<number, ModuleCompletion>();
  if (moduleIds.length === 0) return result;

  const watchedAt = new Map(
    db
      .select({ moduleId: moduleProgress.moduleId, watchedAt: moduleProgress.watchedAt })
      .from(moduleProgress)
      .where(and(eq(moduleProgress.userId, userId), inArray(moduleProgress.moduleId, moduleIds)))
      .all()
      .map((row) => [row.moduleId, row.watchedAt]),
  );

  // A quiz without questions cannot be passed, so it does not hold the module back.
  const quizRows = db
    .select({ id: quizzes.id, moduleId: quizzes.moduleId, maxAttempts: quizzes.maxAttempts })
    .from(quizzes)
    .where(
      and(
        inArray(quizzes.moduleId, moduleIds),
        sql`exists (select 1 from ${quizQuestions} where ${quizQuestions.quizId} = ${quizzes.id})`,
      ),
    )
    .all();
  const attemptStats = new Map(
    quizRows.length === 0
      ? []
      : db
          .select({
            quizId: quizAttempts.quizId,
            attemptsUsed: sql<number>`count(case when ${countsAgainstLimit} then 1 end)`,
            best: sql<number>`max(${quizAttempts.scorePercent})`,
            firstPassedAt: sql<
              number | null
            >`min(case when ${quizAttempts.passed} then ${quizAttempts.submittedAt} end)`,
          })
          .from(quizAttempts)
          .where(
            and(
              eq(quizAttempts.userId, userId),
              inArray(
                quizAttempts.quizId,
                quizRows.map((q) => q.id),
              ),
              inCurrentRound,
            ),
          )
          .groupBy(quizAttempts.quizId)
          .all()
          .map((row) => [row.quizId, row]),
  );
  const quizByModule = new Map(quizRows.map((quiz) => [quiz.moduleId, quiz]));

  for (const moduleId of moduleIds) {
    const watched = watchedAt.get(moduleId) ?? null;
    const quiz = quizByModule.get(moduleId);
    const stats = quiz ? attemptStats.get(quiz.id) : undefined;
    const passedAt = stats?.firstPassedAt != null ? new Date(stats.firstPassedAt) : null;
    const standing: QuizStanding | null = quiz
      ? {
          quizId: quiz.id,
          passed: passedAt != null,
          attemptsUsed: stats?.attemptsUsed ?? 0,
          maxAttempts: quiz.maxAttempts,
          bestScorePercent: stats?.best ?? null,
        }
      : null;
    const complete = watched != null && (standing == null || standing.passed);
    const completedAt = complete ? new Date(Math.max(watched!.getTime(), passedAt?.getTime() ?? 0)) : null;
    result.set(moduleId, { moduleId, watched: watched != null, quiz: standing, complete, completedAt });
  }
  return result;
}

export type CourseCompletion = {
  moduleCount: number;
  completedCount: number;
  complete: boolean;
  /** The Danish day the last module was completed, once all are. */
  completedOn: string | null;
};

/** A course is complete (in this round) when every one of its published modules is. A course without modules never is. */
export function courseCompletion(userId: number, courseId: number): CourseCompletion {
  const moduleIds = db
    .select({ id: modules.id })
    .from(modules)
    .where(and(eq(modules.courseId, courseId), eq(modules.published, true)))
    .orderBy(asc(modules.position))
    .all()
    .map((row) => row.id);
  const completions = [...moduleCompletions(userId, moduleIds).values()];
  const completed = completions.filter((c) => c.complete);
  const complete = moduleIds.length > 0 && completed.length === moduleIds.length;
  const last = complete ? Math.max(...completed.map((c) => c.completedAt!.getTime())) : null;
  return {
    moduleCount: moduleIds.length,
    completedCount: completed.length,
    complete,
    completedOn: last == null ? null : danishDate(new Date(last)),
  };
}

/**
 * The same rule as moduleCompletions, for many people at once (the admins' and leaders'
 * overviews): which of the modules each person has completed.
 */
export function completedModulesByUser(userIds: number[], moduleIds: number[]): Map<number, Set<number>> {
  const result = new Map<number, Set<number>>();
  if (userIds.length === 0 || moduleIds.length === 0) return result;
  const rows = db
    .select({ userId: moduleProgress.userId, moduleId: moduleProgress.moduleId })
    .from(moduleProgress)
    .where(
      and(
        inArray(moduleProgress.userId, userIds),
        inArray(moduleProgress.moduleId, moduleIds),
        isNotNull(moduleProgress.watchedAt),
        sql`not exists (
          select 1 from ${quizzes}
          where ${quizzes.moduleId} = ${moduleProgress.moduleId}
            and exists (select 1 from ${quizQuestions} where ${quizQuestions.quizId} = ${quizzes.id})
            and not exists (
              select 1 from ${quizAttempts}
              where ${quizAttempts.quizId} = ${quizzes.id} and ${quizAttempts.userId} = ${moduleProgress.userId}
                and ${quizAttempts.passed} and ${inCurrentRound}
            )
        )`,
      ),
    )
    .all();
  for (const row of rows) {
    const completed = result.get(row.userId) ?? new Set<number>();
    completed.add(row.moduleId);
    result.set(row.userId, completed);
  }
  return result;
}
