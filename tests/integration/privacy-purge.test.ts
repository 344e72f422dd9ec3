import { and, eq, isNull } from "drizzle-orm";
import {
  accessLog,
  courseRestarts,
  courses,
  identityProviders,
  invitations,
  joinLinks,
  licences,
  meetingPlayback,
  meetingSessions,
  memberships,
  moduleProgress,
  moduleProgressArchive,
  outboxEmails,
  passwordResets,
  privacyPurges,
  privacySettings,
  rateLimits,
  samlAssertionIds,
  seats,
  sessions,
  ssoErrors,
  ssoFlows,
} from "#db/schema";
import { db } from "~/db.server";
import { getEnv } from "~/env.server";
import { claimSeat, revokeSeat } from "~/licensing/licences.server";
import { peopleOverview } from "~/licensing/people.server";
import { nextPurgeAt, lastPurge, runPrivacyPurge } from "~/privacy/purge.server";
import { unlistLapsedMembers } from "~/privacy/unlisting.server";
import { complianceRows } from "~/training/compliance.server";
import { runTrainingJobs } from "~/training/jobs.server";
import { moduleIdBySlug } from "../utils/quizzes";
import { raceWorkers } from "../utils/race-workers";
import { userIdByEmail } from "../utils/requests";
import { givenAssignment, givenCycle, organisationIdBySlug } from "../utils/training";

const SOFIE = "medarbejder@demo-kommune.dk";
const METTE = "sundhedsplejerske@demo-kommune.dk";
const LARS = "leder@demo-kommune.dk";
const FILM = "sofie-ingen-spurgte-til-mig";
const OTHER_FILM = "mikkel-den-stille-dreng-bagerst";

const DAY = 24 * 3600 * 1000;
/** Five in the morning, Danish summer time: past 02:00, so the night's purge is due. */
const NOW = new Date("2027-06-15T03:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const monthsAgo = (months: number) => {
  const date = new Date(NOW);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date;
};

function demoLicenceId() {
  return db
    .select({ id: licences.id })
    .from(licences)
    .where(eq(licences.organisationId, organisationIdBySlug("demo-kommune")))
    .get()!.id;
}

function providerId() {
  return db
    .insert(identityProviders)
    .values({ organisationId: organisationIdBySlug("demo-kommune"), protocol: "oidc", updatedAt: NOW })
    .returning({ id: identityProviders.id })
    .get().id;
}

function meeting(endedAt: Date | null) {
  const id = db
    .insert(meetingSessions)
    .values({
      organisationId: organisationIdBySlug("demo-kommune"),
      moduleId: moduleIdBySlug(FILM),
      presenterId: userIdByEmail(LARS),
      code: `M${Math.random().toString(36).slice(2, 8)}`,
      startedAt: new Date((endedAt ?? NOW).getTime() - 3600_000),
      expiresAt: new Date((endedAt ?? NOW).getTime() + 3600_000),
      endedAt,
    })
    .returning({ id: meetingSessions.id })
    .get().id;
  db.insert(meetingPlayback).values({ sessionId: id, fromSecond: 0, toSecond: 30, at: NOW }).run();
  return id;
}

function progress(email: string, slug: string, updatedAt: Date, watched: boolean) {
  db.insert(moduleProgress)
    .values({
      userId: userIdByEmail(email),
      moduleId: moduleIdBySlug(slug),
      playedRanges: "[[0,40]]",
      playedMs: 40_000,
      watchedAt: watched ? updatedAt : null,
      updatedAt,
    })
    .run();
}

const rangesOf = (email: string, slug: string) =>
  db
    .select({ ranges: moduleProgress.playedRanges, playedMs: moduleProgress.playedMs })
    .from(moduleProgress)
    .where(and(eq(moduleProgress.userId, userIdByEmail(email)), eq(moduleProgress.moduleId, moduleIdBySlug(slug))))
    .get();

function archivedRound(email: string, updatedAt: Date) {
  const userId = userIdByEmail(email);
  const courseId = db.select({ id: courses.id }).from(courses).limit(1).get()!.id;
  const restartId = db
    .insert(courseRestarts)
    .values({ userId, courseId, restartedAt: updatedAt, afterAttemptId: 0 })
    .returning({ id: courseRestarts.id })
    .get().id;
  db.insert(moduleProgressArchive)
    .values({
      restartId,
      moduleId: moduleIdBySlug(FILM),
      userId,
      playedRanges: "[[0,40]]",
      playedMs: 40_000,
      updatedAt,
    })
    .run();
  return restartId;
}

const archivedRanges = (restartId: number) =>
  db
    .select({ ranges: moduleProgressArchive.playedRanges })
    .from(moduleProgressArchive)
    .where(eq(moduleProgressArchive.restartId, restartId))
    .get()?.ranges;

describe("the nightly privacy purge", () => {
  it("removes what is past each limit and keeps what is within it", () => {
    const sofie = userIdByEmail(SOFIE);
    const licenceId = demoLicenceId();
    const provider = providerId();
    db.delete(sessions).run();
    db.insert(sessions)
      .values([
        { idHash: "expired", userId: sofie, expiresAt: daysAgo(1), lastSeenAt: daysAgo(1) },
        { idHash: "idle", userId: sofie, expiresAt: daysAgo(-5), lastSeenAt: new Date(NOW.getTime() - 9 * 3600_000) },
        { idHash: "live", userId: sofie, expiresAt: daysAgo(-5), lastSeenAt: new Date(NOW.getTime() - 3600_000) },
      ])
      .run();
    db.insert(passwordResets)
      .values([
        { tokenHash: "used", userId: sofie, expiresAt: daysAgo(-1), usedAt: daysAgo(0.5) },
        { tokenHash: "expired", userId: sofie, expiresAt: daysAgo(0.1) },
        { tokenHash: "live", userId: sofie, expiresAt: daysAgo(-1) },
      ])
      .run();
    const invitation = (email: string, expiresAt: Date, acceptedAt: Date | null = null) =>
      db
        .insert(invitations)
        .values({ licenceId, email, tokenHash: email, expiresAt, acceptedAt })
        .returning({ id: invitations.id })
        .get().id;
    const acceptedLongAgo = invitation("a@demo-kommune.dk", daysAgo(20), daysAgo(31));
    const acceptedLately = invitation("b@demo-kommune.dk", daysAgo(-10), daysAgo(29));
    const expiredLongAgo = invitation("c@demo-kommune.dk", daysAgo(31));
    const expiredLately = invitation("d@demo-kommune.dk", daysAgo(29));
    const link = (tokenHash: string, expiresAt: Date, revokedAt: Date | null = null) =>
      db
        .insert(joinLinks)
        .values({ licenceId, tokenHash, expiresAt, revokedAt, maxUses: 5 })
        .returning({ id: joinLinks.id })
        .get().id;
    const revokedLongAgo = link("revoked-old", daysAgo(-30), daysAgo(91));
    const expiredLinkLately = link("expired-recent", daysAgo(89));
    const liveLink = link("live", daysAgo(-30));
    db.insert(outboxEmails)
      .values([
        { to: SOFIE, subject: "old", text: "old", html: "old", createdAt: daysAgo(31) },
        { to: SOFIE, subject: "recent", text: "recent", html: "recent", createdAt: daysAgo(29) },
      ])
      .run();
    db.insert(ssoFlows)
      .values([
        { idHash: "expired", providerId: provider, expiresAt: daysAgo(0.01) },
        { idHash: "used", providerId: provider, expiresAt: daysAgo(-0.01), usedAt: daysAgo(0.001) },
        { idHash: "open", providerId: provider, expiresAt: daysAgo(-0.01) },
      ])
      .run();
    db.insert(samlAssertionIds)
      .values([
        { providerId: provider, assertionId: "old", expiresAt: daysAgo(0.01) },
        { providerId: provider, assertionId: "live", expiresAt: daysAgo(-0.01) },
      ])
      .run();
    db.insert(ssoErrors)
      .values([
        { providerId: provider, at: daysAgo(31), code: "old" },
        { providerId: provider, at: daysAgo(29), code: "recent" },
      ])
      .run();
    db.insert(rateLimits)
      .values([
        { key: "old", points: 1, expire: NOW.getTime() - 1 },
        { key: "live", points: 1, expire: NOW.getTime() + 60_000 },
      ])
      .run();
    const settledMeeting = meeting(daysAgo(2));
    const justEndedMeeting = meeting(daysAgo(0.5));
    const openMeeting = meeting(null);
    const organisationId = organisationIdBySlug("demo-kommune");
    db.insert(accessLog)
      .values([
        { at: monthsAgo(13), viewerId: sofie, organisationId, action: "viewPeople" },
        { at: monthsAgo(11), viewerId: sofie, organisationId, action: "viewPeople" },
      ])
      .run();
    db.delete(moduleProgress).run();
    progress(SOFIE, FILM, monthsAgo(13), true);
    progress(SOFIE, OTHER_FILM, monthsAgo(11), true);
    progress(METTE, FILM, monthsAgo(13), false);
    const oldRound = archivedRound(SOFIE, monthsAgo(13));
    const recentRound = archivedRound(METTE, monthsAgo(11));

    const outcome = runPrivacyPurge(NOW);

    expect(outcome.status).toBe("purged");
    expect(
      db
        .select({ id: sessions.idHash })
        .from(sessions)
        .all()
        .map((s) => s.id),
    ).toEqual(["live"]);
    expect(
      db
        .select({ id: passwordResets.tokenHash })
        .from(passwordResets)
        .all()
        .map((r) => r.id),
    ).toEqual(["live"]);
    const invitationIds = db
      .select({ id: invitations.id })
      .from(invitations)
      .all()
      .map((i) => i.id);
    expect(invitationIds).toEqual(expect.arrayContaining([acceptedLately, expiredLately]));
    expect(invitationIds).not.toContain(acceptedLongAgo);
    expect(invitationIds).not.toContain(expiredLongAgo);
    const linkIds = db
      .select({ id: joinLinks.id })
      .from(joinLinks)
      .all()
      .map((l) => l.id);
    expect(linkIds).toEqual(expect.arrayContaining([expiredLinkLately, liveLink]));
    expect(linkIds).not.toContain(revokedLongAgo);
    expect(
      db
        .select({ subject: outboxEmails.subject })
        .from(outboxEmails)
        .all()
        .map((m) => m.subject),
    ).toEqual(["recent"]);
    expect(
      db
        .select({ id: ssoFlows.idHash })
        .from(ssoFlows)
        .all()
        .map((f) => f.id),
    ).toEqual(["open"]);
    expect(
      db
        .select({ id: samlAssertionIds.assertionId })
        .from(samlAssertionIds)
        .all()
        .map((a) => a.id),
    ).toEqual(["live"]);
    expect(
      db
        .select({ code: ssoErrors.code })
        .from(ssoErrors)
        .all()
        .map((e) => e.code),
    ).toEqual(["recent"]);
    expect(
      db
        .select({ key: rateLimits.key })
        .from(rateLimits)
        .all()
        .map((r) => r.key),
    ).toEqual(["live"]);
    const playedMeetings = db
      .select({ id: meetingPlayback.sessionId })
      .from(meetingPlayback)
      .all()
      .map((p) => p.id);
    expect(playedMeetings.sort()).toEqual([justEndedMeeting, openMeeting].sort());
    expect(playedMeetings).not.toContain(settledMeeting);
    expect(
      db
        .select({ at: accessLog.at })
        .from(accessLog)
        .all()
        .map((row) => row.at),
    ).toEqual([monthsAgo(11)]);
    // The watched film keeps that it was watched and how much; only the raw ranges go.
    expect(rangesOf(SOFIE, FILM)).toEqual({ ranges: "[]", playedMs: 40_000 });
    expect(rangesOf(SOFIE, OTHER_FILM)?.ranges).toBe("[[0,40]]");
    // Not watched yet: the ranges are the progress.
    expect(rangesOf(METTE, FILM)?.ranges).toBe("[[0,40]]");
    expect(archivedRanges(oldRound)).toBe("[]");
    expect(archivedRanges(recentRound)).toBe("[[0,40]]");

    expect(lastPurge()?.counts).toMatchObject({
      sessions: 2,
      passwordResets: 2,
      invitations: 2,
      joinLinks: 1,
      outboxEmails: 1,
      ssoFlows: 2,
      samlAssertionIds: 1,
      ssoErrors: 1,
      rateLimits: 1,
      meetingPlayback: 1,
      accessLog: 1,
      playedRanges: 1,
      archivedRanges: 1,
    });
  });

  it("keeps raw ranges as long as the person's municipality has chosen, and the access log as configured", () => {
    const organisationId = organisationIdBySlug("demo-kommune");
    db.insert(privacySettings)
      .values({ organisationId, retentionMonths: 24, unlistGraceDays: 30, updatedAt: NOW })
      .run();
    db.delete(moduleProgress).run();
    progress(SOFIE, FILM, monthsAgo(13), true);
    progress(SOFIE, OTHER_FILM, monthsAgo(25), true);
    db.insert(accessLog)
      .values([
        { at: monthsAgo(13), viewerId: null, organisationId, action: "viewPeople" },
        { at: monthsAgo(3), viewerId: null, organisationId, action: "viewPeople" },
      ])
      .run();
    const configured = getEnv().ACCESS_LOG_RETENTION_MONTHS;
    Object.assign(getEnv(), { ACCESS_LOG_RETENTION_MONTHS: 2 });
    try {
      expect(runPrivacyPurge(NOW).status).toBe("purged");
    } finally {
      Object.assign(getEnv(), { ACCESS_LOG_RETENTION_MONTHS: configured });
    }
    expect(rangesOf(SOFIE, FILM)?.ranges).toBe("[[0,40]]");
    expect(rangesOf(SOFIE, OTHER_FILM)?.ranges).toBe("[]");
    expect(db.select().from(accessLog).all()).toHaveLength(0);
  });
});

describe("once a night", () => {
  it("waits for 02:00 Danish time, runs once per day, and the table remembers across restarts", async () => {
    // 01:30 in Copenhagen in summer is 23:30 UTC the day before.
    expect(runPrivacyPurge(new Date("2027-06-14T23:30:00Z")).status).toBe("notDue");
    expect(db.select().from(privacyPurges).all()).toHaveLength(0);
    expect(runPrivacyPurge(new Date("2027-06-15T00:05:00Z")).status).toBe("purged");
    // The training job runs every five minutes; the day is claimed, so later rounds skip it.
    const outcomes = await runTrainingJobs(new Date("2027-06-15T00:10:00Z"));
    expect(outcomes.find((o) => o.step === "privacyPurge")?.result).toEqual({ status: "alreadyClaimed" });
    expect(runPrivacyPurge(new Date("2027-06-16T00:05:00Z")).status).toBe("purged");
    // As of a moment moved forward (the CLI's --now), the job leaves the purge out.
    const moved = await runTrainingJobs(new Date("2027-06-17T00:10:00Z"), { clockMoved: true });
    expect(moved.map((o) => o.step)).not.toContain("privacyPurge");
    expect(moved.map((o) => o.step)).toContain("unlistLapsedMembers");
    expect(
      db
        .select({ day: privacyPurges.day })
        .from(privacyPurges)
        .all()
        .map((row) => row.day),
    ).toEqual(["2027-06-15", "2027-06-16"]);
  });

  it("takes over a night whose process died an hour ago, but not one still running", () => {
    db.insert(privacyPurges)
      .values({ day: "2027-06-15", startedAt: new Date("2027-06-15T00:05:00Z") })
      .run();
    expect(runPrivacyPurge(new Date("2027-06-15T00:30:00Z")).status).toBe("alreadyClaimed");
    expect(runPrivacyPurge(new Date("2027-06-15T01:10:00Z")).status).toBe("purged");
    expect(db.select().from(privacyPurges).get()?.finishedAt).toEqual(new Date("2027-06-15T01:10:00Z"));
  });

  it("is run by exactly one of several processes at once", async () => {
    const outcomes = await raceWorkers<string>("integration/privacy-purge-worker.ts", NOW);
    expect(outcomes.filter((status) => status === "purged")).toHaveLength(1);
    expect(outcomes.filter((status) => status === "alreadyClaimed")).toHaveLength(3);
  }, 60_000);

  it("says when the next purge runs, in winter, in summer and on the night clocks go forward", () => {
    expect(nextPurgeAt(new Date("2027-01-15T00:30:00Z"))).toEqual(new Date("2027-01-15T01:00:00Z"));
    expect(nextPurgeAt(new Date("2027-06-14T22:30:00Z"))).toEqual(new Date("2027-06-15T00:00:00Z"));
    // 28 March 2027: 02:00 does not exist; the purge is due at 03:00 summer time.
    expect(nextPurgeAt(new Date("2027-03-28T00:30:00Z"))).toEqual(new Date("2027-03-28T01:00:00Z"));
    // Past 02:00 and not yet run: the job's next round.
    expect(nextPurgeAt(NOW)).toEqual(NOW);
    runPrivacyPurge(NOW);
    expect(nextPurgeAt(NOW)).toEqual(new Date("2027-06-16T00:00:00Z"));
  });
});

describe("a member whose seat was taken back", () => {
  const listed = (organisationId: number) => peopleOverview(organisationId).map((person) => person.email);
  const unlistedAt = (email: string, organisationId: number) =>
    db
      .select({ at: memberships.unlistedAt })
      .from(memberships)
      .where(and(eq(memberships.userId, userIdByEmail(email)), eq(memberships.organisationId, organisationId)))
      .get()?.at;

  function takeSeatBack(email: string, at: Date) {
    const held = db
      .select({ id: seats.id })
      .from(seats)
      .where(and(eq(seats.userId, userIdByEmail(email)), isNull(seats.revokedAt)))
      .all();
    expect(held.length).toBeGreaterThan(0);
    for (const seat of held) expect(revokeSeat(seat.id, at)).toBe(true);
  }

  it("stays listed through the grace period, is unlisted after it, and is listed again with a new seat", () => {
    const organisationId = organisationIdBySlug("demo-kommune");
    const scope = { organisationId, organisationName: "Demo Kommune", unitId: null };
    const inCompliance = (at: Date) => complianceRows(scope, at).map((row) => row.email);
    givenCycle(SOFIE, givenAssignment({ dueOn: "2027-09-01" }), { dueOn: "2027-09-01" });
    const revokedAt = new Date("2027-06-01T08:00:00Z");
    takeSeatBack(SOFIE, revokedAt);

    expect(unlistLapsedMembers(new Date(revokedAt.getTime() + 29 * DAY))).toBe(0);
    expect(listed(organisationId)).toContain(SOFIE);
    expect(inCompliance(revokedAt)).toContain(SOFIE);

    const after = new Date(revokedAt.getTime() + 30 * DAY + 1000);
    expect(unlistLapsedMembers(after)).toBe(1);
    expect(unlistedAt(SOFIE, organisationId)).toEqual(after);
    expect(listed(organisationId)).not.toContain(SOFIE);
    expect(inCompliance(after)).not.toContain(SOFIE);
    // Running again changes nothing; the leader, who holds no seat, is never unlisted.
    expect(unlistLapsedMembers(new Date(after.getTime() + DAY))).toBe(0);
    expect(unlistedAt(SOFIE, organisationId)).toEqual(after);
    expect(unlistedAt(LARS, organisationId)).toBeNull();
    expect(listed(organisationId)).toContain(LARS);

    db.update(licences)
      .set({ startsOn: "2027-01-01", endsOn: "2027-12-31" })
      .where(eq(licences.id, demoLicenceId()))
      .run();
    expect(claimSeat(demoLicenceId(), userIdByEmail(SOFIE), new Date("2027-07-20T08:00:00Z")).status).toBe("claimed");
    expect(unlistedAt(SOFIE, organisationId)).toBeNull();
    expect(listed(organisationId)).toContain(SOFIE);
  });

  it("follows the municipality's own grace period", () => {
    const organisationId = organisationIdBySlug("demo-kommune");
    db.insert(privacySettings)
      .values({ organisationId, retentionMonths: 12, unlistGraceDays: 0, updatedAt: NOW })
      .run();
    takeSeatBack(METTE, NOW);
    expect(unlistLapsedMembers(NOW)).toBe(1);
    expect(listed(organisationId)).not.toContain(METTE);
  });
});
