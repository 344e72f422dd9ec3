import { and, eq, isNull, sql } from "drizzle-orm";
import { courses, modules, quizAttempts, quizQuestions, quizzes, trainingCycles } from "#db/schema";
import { db } from "~/db.server";
import { markWatched } from "./quizzes";
import { userIdByEmail } from "./requests";

/**
 * Every published film of the course watched and every quiz passed at `at`, as if the person had
 * just done it; the course is then complete on the Danish day of `at`.
 */
export function completeCourseAt(email: string, courseSlug: string, at: Date) {
  const courseModules = db
    .select({ id: modules.id, slug: modules.slug })
    .from(modules)
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(and(eq(courses.slug, courseSlug), eq(modules.published, true)))
    .all();
  for (const module of courseModules) {
    markWatched(email, module.slug, at);
    const quiz = db
      .select({ id: quizzes.id })
      .from(quizzes)
      .where(
        and(
          eq(quizzes.moduleId, module.id),
          sql`exists (select 1 from ${quizQuestions} where ${quizQuestions.quizId} = ${quizzes.id})`,
        ),
      )
      .get();
    if (quiz)
      db.insert(quizAttempts)
        .values({
          quizId: quiz.id,
          userId: userIdByEmail(email),
          correctCount: 1,
          questionCount: 1,
          scorePercent: 100,
          passed: true,
          submittedAt: at,
        })
        .run();
  }
}

/** The person's current round of the course, or undefined. */
export function currentRound(email: string, courseId: number) {
  return db
    .select()
    .from(trainingCycles)
    .where(
      and(
        eq(trainingCycles.userId, userIdByEmail(email)),
        eq(trainingCycles.courseId, courseId),
        isNull(trainingCycles.endedAt),
      ),
    )
    .get();
}

/** Every round of the person for the course, ended ones included, oldest first. */
export function allRounds(email: string, courseId: number) {
  return db
    .select()
    .from(trainingCycles)
    .where(and(eq(trainingCycles.userId, userIdByEmail(email)), eq(trainingCycles.courseId, courseId)))
    .orderBy(trainingCycles.id)
    .all();
}
