import { and, eq, inArray, isNull, max, sql } from "drizzle-orm";
import {
  courses,
  licenceCourses,
  licences,
  memberships,
  moduleProgress,
  modules,
  organisations,
  organisationUnits,
  seats,
  users,
} from "#db/schema";
import { consumeAllowance } from "~/auth/rate-limits.server";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { completedModulesByUser } from "~/learning/completion.server";
import { lockedQuizzesByUser, type LockedQuiz } from "~/learning/retakes.server";
import { sendEmail } from "~/email/mailer.server";
import { getEnv } from "~/env.server";
import { translator, type Language } from "~/i18n/i18n";
import { administeredOrganisations } from "./overview.server";
import { personStatuses, type PersonStatus } from "./person-status";

export function parseStatusFilter(value: string | null): PersonStatus | null {
  return personStatuses.find((status) => status === value) ?? null;
}

export type PersonRow = {
  userId: number;
  name: string;
  email: string;
  role: "learner" | "leader" | "admin";
  unitId: number | null;
  unitName: string | null;
  hasSeat: boolean;
  filmsWatched: number;
  filmsTotal: number;
  coursesCompleted: number;
  coursesTotal: number;
  lastActivity: Date | null;
  status: PersonStatus;
  /** Quizzes with every attempt used and none passed: the module stays incomplete until an admin gives new attempts. */
  lockedQuizzes: LockedQuiz[];
};

export type PeopleFilter = { status?: PersonStatus | null; unitId?: number | null };

/** A unit filter from the URL, kept only when it names one of the municipality's units. */
export function parseUnitFilter(organisationId: number, value: string | null): number | null {
  const unitId = Number(value);
  if (!value || !Number.isSafeInteger(unitId)) return null;
  return unitsOf(organisationId).some((unit) => unit.id === unitId) ? unitId : null;
}

export function unitsOf(organisationId: number) {
  return db
    .select({ id: organisationUnits.id, name: organisationUnits.name, kind: organisationUnits.kind })
    .from(organisationUnits)
    .where(eq(organisationUnits.organisationId, organisationId))
    .orderBy(organisationUnits.name)
    .all();
}

/**
 * Every member of the municipality (or of one of its units) with their seat and how far they
 * have come on the courses of the municipality's licences. Only this municipality's people.
 */
export function peopleOverview(
  organisationId: number,
  { status: only = null, unitId = null }: PeopleFilter = {},
): PersonRow[] {
  const members = db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      unitId: memberships.unitId,
      unitName: organisationUnits.name,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(organisationUnits, eq(organisationUnits.id, memberships.unitId))
    .where(
      and(
        eq(memberships.organisationId, organisationId),
        // The grace period after the last seat was taken back has run out: no longer staff here.
        isNull(memberships.unlistedAt),
        unitId === null ? undefined : eq(memberships.unitId, unitId),
      ),
    )
    .orderBy(users.name)
    .all();
  if (members.length === 0) return [];
  const userIds = members.map((m) => m.userId);

  const licenceIds = db.select({ id: licences.id }).from(licences).where(eq(licences.organisationId, organisationId));
  // Only what staff can take counts: a course the owner has granted but not yet published holds no one back.
  const courseIds = db
    .selectDistinct({ courseId: licenceCourses.courseId })
    .from(licenceCourses)
    .innerJoin(courses, eq(courses.id, licenceCourses.courseId))
    .where(
      and(
        inArray(licenceCourses.licenceId, licenceIds),
        eq(courses.published, true),
        sql`exists (select 1 from ${modules} where ${modules.courseId} = ${courses.id} and ${modules.published})`,
      ),
    )
    .all()
    .map((row) => row.courseId);
  const courseModules = courseIds.length
    ? db
        .select({ id: modules.id, courseId: modules.courseId })
        .from(modules)
        .where(and(inArray(modules.courseId, courseIds), eq(modules.published, true)))
        .all()
    : [];
  const moduleCourse = new Map(courseModules.map((m) => [m.id, m.courseId]));

  const seated = new Set(
    db
      .select({ userId: seats.userId })
      .from(seats)
      .where(and(inArray(seats.licenceId, licenceIds), isNull(seats.revokedAt), inArray(seats.userId, userIds)))
      .all()
      .map((row) => row.userId),
  );

  const progress = courseModules.length
    ? db
        .select({
          userId: moduleProgress.userId,
          moduleId: moduleProgress.moduleId,
          watched: sql<number>`${moduleProgress.watchedAt} is not null`,
          played: moduleProgress.playedMs,
        })
        .from(moduleProgress)
        .where(and(inArray(moduleProgress.userId, userIds), inArray(moduleProgress.moduleId, [...moduleCourse.keys()])))
        .all()
    : [];
  const lastActivity = new Map(
    db
      .select({ userId: moduleProgress.userId, at: max(moduleProgress.updatedAt) })
      .from(moduleProgress)
      .where(inArray(moduleProgress.userId, userIds))
      .groupBy(moduleProgress.userId)
      .all()
      .map((row) => [row.userId, row.at]),
  );

  const completedModules = completedModulesByUser(userIds, [...moduleCourse.keys()]);
  const lockedQuizzes = lockedQuizzesByUser(userIds, [...moduleCourse.keys()]);
  const modulesPerCourse = new Map<number, number>();
  for (const m of courseModules) modulesPerCourse.set(m.courseId, (modulesPerCourse.get(m.courseId) ?? 0) + 1);

  const rows = members.map((member) => {
    const own = progress.filter((p) => p.userId === member.userId);
    const watchedModules = own.filter((p) => p.watched);
    const completedPerCourse = new Map<number, number>();
    for (const moduleId of completedModules.get(member.userId) ?? []) {
      const courseId = moduleCourse.get(moduleId)!;
      completedPerCourse.set(courseId, (completedPerCourse.get(courseId) ?? 0) + 1);
    }
    const coursesCompleted = [...modulesPerCourse].filter(
      ([courseId, count]) => (completedPerCourse.get(courseId) ?? 0) === count,
    ).length;
    const started = own.some((p) => p.played > 0);
    const status: PersonStatus =
      courseIds.length > 0 && coursesCompleted === courseIds.length ? "completed" : started ? "started" : "notStarted";
    const last = lastActivity.get(member.userId);
    return {
      ...member,
      hasSeat: seated.has(member.userId),
      filmsWatched: watchedModules.length,
      filmsTotal: courseModules.length,
      coursesCompleted,
      coursesTotal: courseIds.length,
      lastActivity: last ? new Date(last) : null,
      status,
      lockedQuizzes: lockedQuizzes.get(member.userId) ?? [],
    };
  });
  return only ? rows.filter((person) => person.status === only) : rows;
}

/** The units a leader leads: each leader follows the people of their own unit, and only those. */
export function ledUnits(user: Pick<SessionUser, "id">) {
  return db
    .select({
      organisationId: organisations.id,
      organisationName: organisations.name,
      unitId: organisationUnits.id,
      unitName: organisationUnits.name,
    })
    .from(memberships)
    .innerJoin(organisationUnits, eq(organisationUnits.id, memberships.unitId))
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.userId, user.id), eq(memberships.role, "leader")))
    .all();
}

/**
 * Whose people the user may list for an organisation: an admin the whole municipality (or the
 * unit asked for), a leader their own unit whatever is asked; null for everyone else.
 */
export function peopleScope(user: Pick<SessionUser, "id">, organisationId: number, requestedUnit: string | null) {
  const administered = administeredOrganisations(user).find((o) => o.id === organisationId);
  if (administered)
    return {
      organisationId,
      organisationName: administered.name,
      unitId: parseUnitFilter(organisationId, requestedUnit),
    };
  const led = ledUnits(user).find((unit) => unit.organisationId === organisationId);
  return led ? { organisationId, organisationName: led.organisationName, unitId: led.unitId } : null;
}

/** How many were mailed, and how many were passed over because they had a reminder within the day. */
type Reminded = { mailed: number; remindedToday: number };

/**
 * Mails everyone in one of the admin's municipalities who has a seat and has not started, except
 * those already reminded within the day (by any admin); null when the admin does not administer
 * that municipality.
 */
export async function remindNotStarted(
  admin: Pick<SessionUser, "id" | "name">,
  organisationId: number,
  language: Language,
): Promise<Reminded | null> {
  const organisation = administeredOrganisations(admin).find((o) => o.id === organisationId);
  if (!organisation) return null;
  const t = translator(language);
  const reminded: Reminded = { mailed: 0, remindedToday: 0 };
  for (const person of peopleOverview(organisation.id)) {
    if (!person.hasSeat || person.status !== "notStarted") continue;
    if (!(await consumeAllowance("reminderMail", person.email))) {
      reminded.remindedToday += 1;
      continue;
    }
    reminded.mailed += 1;
    await sendEmail({
      to: person.email,
      subject: t("remind.mailSubject"),
      text: t("remind.mailBody", {
        name: person.name,
        organisation: organisation.name,
        link: `${getEnv().PUBLIC_URL}/kurser`,
      }),
    });
  }
  return reminded;
}
