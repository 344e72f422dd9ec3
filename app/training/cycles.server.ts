import { and, eq, isNull, sql } from "drizzle-orm";
import { certificates, modules, trainingAssignments, trainingCycles } from "#db/schema";
import { db } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { completedModulesByUser, courseCompletion } from "~/learning/completion.server";
import { issueCertificate, normaliseCertificateCode, type IssueResult } from "~/learning/certificates.server";
import { roundExpiry } from "./validity.server";

/** A person covered by one assignment, with the due date that assignment gives them. */
type Coverage = { organisationId: number; userId: number; courseId: number; assignmentId: number; dueOn: string };

type CoverageRow = {
  assignmentId: number;
  organisationId: number;
  courseId: number;
  userId: number;
  dueMode: "date" | "afterSeat";
  dueOn: string | null;
  dueDays: number | null;
  newcomerDays: number;
  createdAt: number;
  seatClaimedAt: number;
};

/**
 * Who each active assignment covers today: members matching its scope, not deactivated, holding a
 * seat not taken back on a licence of the municipality that is running today and includes the
 * course. The seat taken first is the person's seat day.
 */
function coverageRows(today: string, organisationId: number | undefined): CoverageRow[] {
  return db.all<CoverageRow>(sql`
    select a.id as assignmentId, a.organisation_id as organisationId, a.course_id as courseId, m.user_id as userId,
      a.due_mode as dueMode, a.due_on as dueOn, a.due_days as dueDays, a.newcomer_days as newcomerDays,
      a.created_at as createdAt, min(s.claimed_at) as seatClaimedAt
    from training_assignments a
    join memberships m on m.organisation_id = a.organisation_id
    join users u on u.id = m.user_id and u.deactivated_at is null
    join seats s on s.user_id = m.user_id and s.revoked_at is null
    join licences l on l.id = s.licence_id and l.organisation_id = a.organisation_id
      and l.starts_on <= ${today} and l.ends_on >= ${today}
    join licence_courses lc on lc.licence_id = l.id and lc.course_id = a.course_id
    where a.removed_at is null
      ${organisationId === undefined ? sql`` : sql`and a.organisation_id = ${organisationId}`}
      and (a.scope = 'everyone'
        or (a.scope = 'unit' and m.unit_id = a.unit_id)
        or (a.scope = 'profession' and u.profession = a.profession)
        or (a.scope = 'people' and exists (
          select 1 from training_assignment_people p where p.assignment_id = a.id and p.user_id = m.user_id)))
    group by a.id, m.user_id`);
}

const later = (a: string, b: string) => (a > b ? a : b);

/**
 * The due date an assignment gives a person covered today. With a date, those covered on the day it
 * was made get that date, and someone covered later (a newcomer) at least `newcomerDays` from today.
 * With days from the seat, the count starts at the later of the seat day and the assignment day.
 */
function dueDateFor(row: CoverageRow, today: string): string {
  const assignedOn = danishDate(new Date(row.createdAt));
  if (row.dueMode === "afterSeat") {
    return shiftDays(later(danishDate(new Date(row.seatClaimedAt)), assignedOn), row.dueDays!);
  }
  return today <= assignedOn ? row.dueOn! : later(row.dueOn!, shiftDays(today, row.newcomerDays));
}

const personCourse = (c: { organisationId: number; userId: number; courseId: number }) =>
  `${c.organisationId}:${c.userId}:${c.courseId}`;

/**
 * One governing assignment per municipality, person and course: the one giving the earliest due
 * date (ties: the oldest), so a person covered twice gets one round and one set of reminders.
 */
function governingCoverage(rows: CoverageRow[], today: string): Map<string, Coverage[]> {
  const byPerson = new Map<string, Coverage[]>();
  for (const row of rows) {
    const coverage = { ...row, dueOn: dueDateFor(row, today) };
    const key = personCourse(coverage);
    byPerson.set(key, [...(byPerson.get(key) ?? []), coverage]);
  }
  for (const list of byPerson.values())
    list.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.assignmentId - b.assignmentId);
  return byPerson;
}

export type SyncSummary = { opened: number; movedEarlier: number; completed: number; withdrawn: number };

/**
 * Brings the rounds of mandatory training in line with the assignments, worked out from the
 * database alone, so it can run at any time, again, or in two processes at once: opens a first
 * round for everyone newly covered (the partial unique index on the current round lets only one
 * insert win), moves an open round's due date earlier when a new assignment demands it (never
 * later), completes rounds whose course is already complete, notes when a round was started, and
 * withdraws open rounds no one covers any more. Completed rounds stay as history. Rounds whose
 * completion expired are renewed elsewhere (renewExpiredCycles).
 */
export function syncTrainingCycles(now = new Date(), { organisationId }: { organisationId?: number } = {}) {
  const today = danishDate(now);
  return db.transaction(
    (tx): SyncSummary => {
      const summary: SyncSummary = { opened: 0, movedEarlier: 0, completed: 0, withdrawn: 0 };
      const covered = governingCoverage(coverageRows(today, organisationId), today);
      const current = new Map(
        tx
          .select()
          .from(trainingCycles)
          .where(
            and(
              isNull(trainingCycles.endedAt),
              organisationId === undefined ? undefined : eq(trainingCycles.organisationId, organisationId),
            ),
          )
          .all()
          .map((cycle) => [personCourse(cycle), cycle]),
      );

      for (const [key, coverages] of covered) {
        const governing = coverages[0]!;
        const cycle = current.get(key);
        if (!cycle) {
          const opened = tx.run(sql`
            insert into training_cycles (organisation_id, user_id, course_id, number, assignment_id, opened_on, due_on)
            select ${governing.organisationId}, ${governing.userId}, ${governing.courseId}, coalesce(max(number), 0) + 1,
              ${governing.assignmentId}, ${today}, ${governing.dueOn}
            from training_cycles
            where organisation_id = ${governing.organisationId} and user_id = ${governing.userId}
              and course_id = ${governing.courseId}
            on conflict do nothing`);
          summary.opened += opened.changes;
          continue;
        }
        if (cycle.completedOn !== null) continue;
        if (governing.dueOn < cycle.dueOn) {
          const moved = tx
            .update(trainingCycles)
            .set({ dueOn: governing.dueOn, assignmentId: governing.assignmentId, sequence: sql`sequence + 1` })
            .where(and(eq(trainingCycles.id, cycle.id), sql`${trainingCycles.dueOn} > ${governing.dueOn}`))
            .run();
          summary.movedEarlier += moved.changes;
        } else if (!coverages.some((c) => c.assignmentId === cycle.assignmentId)) {
          // The assignment that set the date no longer covers the person, another does: it governs now, the date stays.
          tx.update(trainingCycles)
            .set({ assignmentId: governing.assignmentId })
            .where(eq(trainingCycles.id, cycle.id))
            .run();
        }
      }

      for (const [key, cycle] of current) {
        if (covered.has(key) || cycle.completedOn !== null) continue;
        const withdrawn = tx
          .update(trainingCycles)
          .set({ endedAt: now, endReason: "withdrawn" })
          .where(
            and(eq(trainingCycles.id, cycle.id), isNull(trainingCycles.endedAt), isNull(trainingCycles.completedOn)),
          )
          .run();
        summary.withdrawn += withdrawn.changes;
      }

      backfillStartedAt(organisationId);
      summary.completed = completeFinishedCycles(now, organisationId);
      return summary;
    },
    { behavior: "immediate" },
  );
}

/** Open rounds of a course the person has already begun (in this round's progress) are in progress. */
function backfillStartedAt(organisationId: number | undefined) {
  const firstProgress = sql`(
    select min(mp.updated_at) from module_progress mp join modules m on m.id = mp.module_id
    where m.course_id = training_cycles.course_id and mp.user_id = training_cycles.user_id and mp.played_ms > 0)`;
  db.run(sql`
    update training_cycles set started_at = ${firstProgress}
    where ended_at is null and started_at is null and ${firstProgress} is not null
      ${organisationId === undefined ? sql`` : sql`and organisation_id = ${organisationId}`}`);
}

/**
 * Open rounds whose course is complete in the person's current round: also a course finished
 * before it was made mandatory, which counts as done on the day it was finished.
 */
function completeFinishedCycles(now: Date, organisationId: number | undefined): number {
  const open = db
    .select({ id: trainingCycles.id, userId: trainingCycles.userId, courseId: trainingCycles.courseId })
    .from(trainingCycles)
    .where(
      and(
        isNull(trainingCycles.endedAt),
        isNull(trainingCycles.completedOn),
        organisationId === undefined ? undefined : eq(trainingCycles.organisationId, organisationId),
      ),
    )
    .all();
  let completed = 0;
  for (const courseId of new Set(open.map((cycle) => cycle.courseId))) {
    const moduleIds = db
      .select({ id: modules.id })
      .from(modules)
      .where(and(eq(modules.courseId, courseId), eq(modules.published, true)))
      .all()
      .map((row) => row.id);
    if (moduleIds.length === 0) continue;
    const cycles = open.filter((cycle) => cycle.courseId === courseId);
    const done = completedModulesByUser(
      cycles.map((cycle) => cycle.userId),
      moduleIds,
    );
    for (const cycle of cycles) {
      if ((done.get(cycle.userId)?.size ?? 0) < moduleIds.length) continue;
      const completion = courseCompletion(cycle.userId, courseId);
      if (completion.completedOn === null) continue;
      completed += completeCycle(cycle.id, completion.completedOn, latestCertificateId(cycle.userId, courseId), now);
    }
  }
  return completed;
}

function latestCertificateId(userId: number, courseId: number): number | null {
  return (
    db
      .select({ id: certificates.id })
      .from(certificates)
      .where(and(eq(certificates.userId, userId), eq(certificates.courseId, courseId)))
      .orderBy(sql`${certificates.round} desc`)
      .limit(1)
      .get()?.id ?? null
  );
}

/**
 * Marks one open round complete on the Danish day the course was completed; a recurring
 * assignment's completion counts for its number of months from that day.
 */
function completeCycle(cycleId: number, completedOn: string, certificateId: number | null, now: Date): number {
  const cycle = db
    .select({ recurrenceMonths: trainingAssignments.recurrenceMonths, startedAt: trainingCycles.startedAt })
    .from(trainingCycles)
    .leftJoin(trainingAssignments, eq(trainingAssignments.id, trainingCycles.assignmentId))
    .where(eq(trainingCycles.id, cycleId))
    .get();
  if (!cycle) return 0;
  return db
    .update(trainingCycles)
    .set({
      completedAt: now,
      completedOn,
      certificateId,
      expiresOn: roundExpiry(completedOn, cycle),
      startedAt: cycle.startedAt ?? now,
    })
    .where(and(eq(trainingCycles.id, cycleId), isNull(trainingCycles.completedOn), isNull(trainingCycles.endedAt)))
    .run().changes;
}

/**
 * The person's current rounds of the course are under way: set once, by the first seconds credited
 * on one of its films (the sync back-fills it for progress made before the round opened).
 */
export function markRoundStarted(userId: number, courseId: number, now = new Date()) {
  db.update(trainingCycles)
    .set({ startedAt: now })
    .where(
      and(
        eq(trainingCycles.userId, userId),
        eq(trainingCycles.courseId, courseId),
        isNull(trainingCycles.endedAt),
        isNull(trainingCycles.startedAt),
      ),
    )
    .run();
}

/**
 * The live hook after progress that may have completed a course (a film watched, a quiz passed, the
 * PDF asked for): issues the certificate as it is earned and completes the person's current rounds
 * of the course with it, in every municipality that made it mandatory for them.
 */
export function recordCourseProgress(userId: number, courseId: number, now = new Date()): IssueResult {
  markRoundStarted(userId, courseId, now);
  const issued = issueCertificate(userId, courseId, now);
  if (issued.status !== "issued") return issued;
  const open = db
    .select({ id: trainingCycles.id })
    .from(trainingCycles)
    .where(
      and(
        eq(trainingCycles.userId, userId),
        eq(trainingCycles.courseId, courseId),
        isNull(trainingCycles.endedAt),
        isNull(trainingCycles.completedOn),
      ),
    )
    .all();
  if (open.length === 0) return issued;
  const completion = courseCompletion(userId, courseId);
  const code = normaliseCertificateCode(issued.certificate.code);
  const certificateId = code
    ? (db.select({ id: certificates.id }).from(certificates).where(eq(certificates.code, code)).get()?.id ?? null)
    : null;
  if (completion.completedOn === null) return issued;
  const completedOn = completion.completedOn;
  db.transaction(() => {
    for (const cycle of open) completeCycle(cycle.id, completedOn, certificateId, now);
  });
  return issued;
}
