import { and, asc, desc, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import {
  courses,
  licenceCourses,
  licences,
  memberships,
  organisationUnits,
  trainingAssignmentPeople,
  trainingAssignments,
  trainingCycles,
  users,
} from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import type { MessageKey } from "~/i18n/da";
import { danishDate } from "~/i18n/dates";
import { administers } from "~/licensing/overview.server";
import { ledUnits } from "~/licensing/people.server";
import { syncTrainingCycles } from "./cycles.server";
import type { CreateAssignmentInput } from "./forms";

type Actor = Pick<SessionUser, "id">;

/** What someone may assign in a municipality: an admin anything, a leader only their own unit. */
type Authority = { kind: "admin" } | { kind: "leader"; unitId: number; unitName: string };

export function trainingAuthority(actor: Actor, organisationId: number): Authority | null {
  if (administers(actor, organisationId)) return { kind: "admin" };
  const led = ledUnits(actor).find((unit) => unit.organisationId === organisationId);
  return led ? { kind: "leader", unitId: led.unitId, unitName: led.unitName } : null;
}

export type CreateResult =
  | { status: "created"; assignmentId: number }
  /** Not an admin or leader of that municipality: answered as if it did not exist. */
  | { status: "notFound" }
  /** A leader reaching outside their unit. */
  | { status: "outsideUnit" }
  | { status: "invalid"; field: keyof CreateAssignmentInput; message: MessageKey; values?: Record<string, string> };

/** The courses on the municipality's licences that have not ended: what it may make mandatory. */
export function licensedCourses(organisationId: number, now = new Date()) {
  return db
    .selectDistinct({ id: courses.id, title: courses.title, position: courses.position })
    .from(licenceCourses)
    .innerJoin(licences, eq(licences.id, licenceCourses.licenceId))
    .innerJoin(courses, eq(courses.id, licenceCourses.courseId))
    .where(
      and(
        eq(licences.organisationId, organisationId),
        gte(licences.endsOn, danishDate(now)),
        eq(courses.published, true),
      ),
    )
    .orderBy(asc(courses.position))
    .all()
    .map(({ id, title }) => ({ id, title }));
}

/** The members with these e-mail addresses, with their unit: an address not among them is no member. */
function membersByEmail(organisationId: number, emails: string[]) {
  if (emails.length === 0) return [];
  return db
    .select({ userId: users.id, email: users.email, unitId: memberships.unitId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organisationId, organisationId), inArray(users.email, emails)))
    .all();
}

/**
 * Makes a course mandatory in one municipality, with every check in here: the actor's right to do
 * it there (a leader only for their own unit or people in it), a due date not before today, a
 * course on the municipality's licences, and a unit or people of that municipality. Refused, nothing
 * is written. Then the rounds are opened at once, so the people see the course first straight away.
 */
export function createAssignment(actor: Actor, input: CreateAssignmentInput, now = new Date()): CreateResult {
  const { organisationId } = input;
  const authority = trainingAuthority(actor, organisationId);
  if (!authority) return { status: "notFound" };
  const today = danishDate(now);
  if (authority.kind === "leader" && !(input.scope === "unit" || input.scope === "people"))
    return { status: "outsideUnit" };
  if (authority.kind === "leader" && input.scope === "unit" && input.unitId !== authority.unitId)
    return { status: "outsideUnit" };
  if (input.dueMode === "date" && input.dueOn! < today)
    return { status: "invalid", field: "dueOn", message: "training.error.dueInPast" };
  if (!licensedCourses(organisationId, now).some((course) => course.id === input.courseId))
    return { status: "invalid", field: "courseId", message: "training.error.courseNotLicensed" };
  if (input.scope === "unit") {
    const unit = db
      .select({ id: organisationUnits.id })
      .from(organisationUnits)
      .where(and(eq(organisationUnits.id, input.unitId!), eq(organisationUnits.organisationId, organisationId)))
      .get();
    if (!unit) return { status: "invalid", field: "unitId", message: "training.error.unitNotFound" };
  }
  const people = input.scope === "people" ? membersByEmail(organisationId, input.people) : [];
  if (input.scope === "people") {
    const stranger = input.people.find((email) => !people.some((person) => person.email === email));
    if (stranger)
      return {
        status: "invalid",
        field: "people",
        message: "training.error.personNotMember",
        values: { email: stranger },
      };
    if (authority.kind === "leader" && people.some((person) => person.unitId !== authority.unitId))
      return { status: "outsideUnit" };
  }

  const assignmentId = db.transaction((tx) => {
    const [created] = tx
      .insert(trainingAssignments)
      .values({
        organisationId,
        courseId: input.courseId,
        scope: input.scope,
        unitId: input.scope === "unit" ? input.unitId : null,
        profession: input.scope === "profession" ? input.profession : null,
        dueMode: input.dueMode,
        dueOn: input.dueMode === "date" ? input.dueOn : null,
        dueDays: input.dueMode === "afterSeat" ? input.dueDays : null,
        recurrenceMonths: input.recurrenceMonths ?? null,
        createdBy: actor.id,
        createdAt: now,
      })
      .returning({ id: trainingAssignments.id })
      .all();
    if (people.length > 0)
      tx.insert(trainingAssignmentPeople)
        .values(people.map((person) => ({ assignmentId: created!.id, userId: person.userId })))
        .run();
    return created!.id;
  });
  syncTrainingCycles(now, { organisationId });
  return { status: "created", assignmentId };
}

/** Whether a leader may take the assignment away: it is for their unit, or only for people in it. */
function leaderMayManage(assignmentId: number, scope: string, unitId: number | null, leaderUnitId: number) {
  if (scope === "unit") return unitId === leaderUnitId;
  if (scope !== "people") return false;
  const outside = db
    .select({ userId: trainingAssignmentPeople.userId })
    .from(trainingAssignmentPeople)
    .leftJoin(
      memberships,
      and(eq(memberships.userId, trainingAssignmentPeople.userId), eq(memberships.unitId, leaderUnitId)),
    )
    .where(and(eq(trainingAssignmentPeople.assignmentId, assignmentId), isNull(memberships.userId)))
    .get();
  return outside === undefined;
}

export type RemoveResult = "removed" | "notFound" | "outsideUnit";

/**
 * Takes an assignment away (softly: it keeps its row). Completed rounds stay as history; open rounds
 * no other assignment covers are withdrawn by the sync, which runs at once.
 */
export function removeAssignment(
  actor: Actor,
  organisationId: number,
  assignmentId: number,
  now = new Date(),
): RemoveResult {
  const authority = trainingAuthority(actor, organisationId);
  if (!authority) return "notFound";
  const assignment = db
    .select({ id: trainingAssignments.id, scope: trainingAssignments.scope, unitId: trainingAssignments.unitId })
    .from(trainingAssignments)
    .where(
      and(
        eq(trainingAssignments.id, assignmentId),
        eq(trainingAssignments.organisationId, organisationId),
        isNull(trainingAssignments.removedAt),
      ),
    )
    .get();
  if (!assignment) return "notFound";
  if (
    authority.kind === "leader" &&
    !leaderMayManage(assignment.id, assignment.scope, assignment.unitId, authority.unitId)
  )
    return "outsideUnit";
  const removed = db
    .update(trainingAssignments)
    .set({ removedAt: now, removedBy: actor.id })
    .where(and(eq(trainingAssignments.id, assignmentId), isNull(trainingAssignments.removedAt)))
    .run();
  if (removed.changes === 0) return "notFound";
  syncTrainingCycles(now, { organisationId });
  return "removed";
}

/**
 * The municipality's active assignments as the page lists them, newest first; for a leader only
 * those that reach their unit, each saying whether they may remove it.
 */
export function assignmentsFor(actor: Actor, organisationId: number) {
  const authority = trainingAuthority(actor, organisationId);
  if (!authority) return [];
  const rows = db
    .select({
      id: trainingAssignments.id,
      courseTitle: courses.title,
      scope: trainingAssignments.scope,
      unitId: trainingAssignments.unitId,
      unitName: organisationUnits.name,
      profession: trainingAssignments.profession,
      dueMode: trainingAssignments.dueMode,
      dueOn: trainingAssignments.dueOn,
      dueDays: trainingAssignments.dueDays,
      recurrenceMonths: trainingAssignments.recurrenceMonths,
      people: sql<string | null>`(
        select group_concat(u.name, ', ') from ${trainingAssignmentPeople} p join ${users} u on u.id = p.user_id
        where p.assignment_id = ${trainingAssignments.id})`,
      covered: sql<number>`(
        select count(*) from ${trainingCycles} c
        where c.assignment_id = ${trainingAssignments.id} and c.ended_at is null)`,
    })
    .from(trainingAssignments)
    .innerJoin(courses, eq(courses.id, trainingAssignments.courseId))
    .leftJoin(organisationUnits, eq(organisationUnits.id, trainingAssignments.unitId))
    .where(and(eq(trainingAssignments.organisationId, organisationId), isNull(trainingAssignments.removedAt)))
    .orderBy(desc(trainingAssignments.createdAt), desc(trainingAssignments.id))
    .all();
  if (authority.kind === "admin") return rows.map((row) => ({ ...row, canRemove: true }));
  return rows
    .map((row) => ({ ...row, canRemove: leaderMayManage(row.id, row.scope, row.unitId, authority.unitId) }))
    .filter((row) => row.canRemove || row.scope === "everyone" || row.scope === "profession");
}

export type AssignmentRow = ReturnType<typeof assignmentsFor>[number];

/** The units an assignment form offers: all of the municipality's for an admin, a leader's own. */
export function assignableUnits(actor: Actor, organisationId: number) {
  const authority = trainingAuthority(actor, organisationId);
  if (!authority) return [];
  if (authority.kind === "leader") return [{ id: authority.unitId, name: authority.unitName }];
  return db
    .select({ id: organisationUnits.id, name: organisationUnits.name })
    .from(organisationUnits)
    .where(eq(organisationUnits.organisationId, organisationId))
    .orderBy(asc(organisationUnits.name))
    .all();
}
