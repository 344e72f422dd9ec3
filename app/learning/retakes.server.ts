import { and, asc, eq, inArray, isNotNull, max, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import {
  licenceCourses,
  licences,
  memberships,
  modules,
  quizAttempts,
  quizQuestions,
  quizRetakes,
  quizzes,
  users,
} from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db, type Db, type Tx } from "~/db.server";
import { attemptsExhaustedInGroup, inCurrentRound } from "./completion.server";

export type LockedQuiz = { quizId: number; moduleId: number; filmTitle: string };

/**
 * The quizzes the people have used every allowed attempt of without passing in this round, so the
 * module cannot be completed until an admin gives new attempts. A quiz without questions
 * holds no module back, so it is never locked. One query however many people are asked for.
 */
function lockedQuizRows(handle: Db | Tx, condition: SQL | undefined) {
  return (
    handle
      .select({ userId: quizAttempts.userId, quizId: quizzes.id, moduleId: modules.id, filmTitle: modules.title })
      .from(quizAttempts)
      .innerJoin(quizzes, eq(quizzes.id, quizAttempts.quizId))
      .innerJoin(modules, eq(modules.id, quizzes.moduleId))
      .where(
        and(
          condition,
          isNotNull(quizzes.maxAttempts),
          sql`exists (select 1 from ${quizQuestions} where ${quizQuestions.quizId} = ${quizzes.id})`,
        ),
      )
      .groupBy(quizAttempts.userId, quizzes.id)
      // Passed in an earlier round does not count: a refresher's quiz can lock like a first one.
      .having(
        sql`max(case when ${inCurrentRound} then ${quizAttempts.passed} else 0 end) = 0 and ${attemptsExhaustedInGroup}`,
      )
      .orderBy(asc(modules.courseId), asc(modules.position))
      .all()
  );
}

/** For the people overview: each person's locked quizzes among the given modules, in course order. */
export function lockedQuizzesByUser(userIds: number[], moduleIds: number[]): Map<number, LockedQuiz[]> {
  const result = new Map<number, LockedQuiz[]>();
  if (userIds.length === 0 || moduleIds.length === 0) return result;
  for (const { userId, ...locked } of lockedQuizRows(
    db,
    and(inArray(quizAttempts.userId, userIds), inArray(modules.id, moduleIds)),
  )) {
    const own = result.get(userId) ?? [];
    own.push(locked);
    result.set(userId, own);
  }
  return result;
}

/** Every outcome but notFound names the municipality the person and the quiz were found in, so the answer shows above its list. */
export type GrantOutcome =
  | { status: "granted"; organisationId: number; personName: string; filmTitle: string }
  | { status: "ownAttempts"; organisationId: number }
  | { status: "notLocked"; organisationId: number }
  | { status: "notFound" };

const adminMembership = alias(memberships, "admin_membership");

/**
 * Gives a locked-out person a new round of attempts: the attempts made so far stop counting
 * against the limit, and stay stored. Only an admin of a municipality the person belongs to, and
 * only for a quiz of a course on one of that municipality's licences; anything else is notFound,
 * so an admin learns nothing about people or courses that are not theirs. A grant already made
 * since the person's latest attempt (a double click, two admins at once) is answered as granted
 * without storing another. Admins cannot grant themselves new attempts: the limit is there for
 * them too.
 */
export function grantQuizRetake(
  admin: Pick<SessionUser, "id">,
  userId: number,
  quizId: number,
  now = new Date(),
): GrantOutcome {
  return db.transaction(
    (tx) => {
      const allowed = tx
        .select({ organisationId: licences.organisationId, personName: users.name, filmTitle: modules.title })
        .from(quizzes)
        .innerJoin(modules, eq(modules.id, quizzes.moduleId))
        .innerJoin(licenceCourses, eq(licenceCourses.courseId, modules.courseId))
        .innerJoin(licences, eq(licences.id, licenceCourses.licenceId))
        .innerJoin(
          adminMembership,
          and(
            eq(adminMembership.organisationId, licences.organisationId),
            eq(adminMembership.userId, admin.id),
            eq(adminMembership.role, "admin"),
          ),
        )
        .innerJoin(
          memberships,
          and(eq(memberships.organisationId, licences.organisationId), eq(memberships.userId, userId)),
        )
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(quizzes.id, quizId))
        .get();
      if (!allowed) return { status: "notFound" } as const;
      const { organisationId } = allowed;
      if (userId === admin.id) return { status: "ownAttempts", organisationId } as const;
      const granted = { status: "granted", ...allowed } as const;

      const latestAttemptId =
        tx
          .select({ id: max(quizAttempts.id) })
          .from(quizAttempts)
          .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.quizId, quizId)))
          .get()?.id ?? 0;
      const locked = lockedQuizRows(tx, and(eq(quizAttempts.userId, userId), eq(quizzes.id, quizId))).length > 0;
      if (!locked) {
        const latestRetake = tx
          .select({ afterAttemptId: max(quizRetakes.afterAttemptId) })
          .from(quizRetakes)
          .where(and(eq(quizRetakes.userId, userId), eq(quizRetakes.quizId, quizId)))
          .get()?.afterAttemptId;
        return latestRetake != null && latestRetake >= latestAttemptId
          ? granted
          : ({ status: "notLocked", organisationId } as const);
      }

      tx.insert(quizRetakes)
        .values({ quizId, userId, grantedBy: admin.id, grantedAt: now, afterAttemptId: latestAttemptId })
        .run();
      return granted;
    },
    { behavior: "immediate" },
  );
}
