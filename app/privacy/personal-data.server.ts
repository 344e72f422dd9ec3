import { and, asc, desc, eq } from "drizzle-orm";
import {
  accessLog,
  certificates,
  courses,
  externalIdentities,
  identityProviders,
  licences,
  memberships,
  modules,
  organisations,
  organisationUnits,
  outboxEmails,
  passwordResets,
  plans,
  quizRetakes,
  quizzes,
  scimUsers,
  seatEvents,
  seatRequests,
  seats,
  sessions,
  users,
} from "#db/schema";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { db } from "~/db.server";
import {
  feedbackOf,
  filmProgress,
  filmTitle,
  inScope,
  mandatoryTrainingOf,
  measurementsOf,
  meetingsOf,
  quizAttemptsOf,
  type PersonalDataScope,
} from "./personal-data-parts.server";

/**
 * Everything the platform holds about one person, section by section, in the shape the JSON
 * download has (keys stay as they are; dates become ISO 8601). Null when there is no such person.
 * Anonymous feedback and measurement answers are not here: nothing ties them to the person.
 */
export function personalDataOf(userId: number, scope: PersonalDataScope = {}) {
  const account = db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      profession: users.profession,
      platformRole: users.platformRole,
      createdAt: users.createdAt,
      deactivatedAt: users.deactivatedAt,
      passwordHash: users.passwordHash,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!account) return null;
  const { passwordHash, ...person } = account;
  const byUser = <T extends SQLiteColumn>(column: T) => eq(column, userId);

  const externalLogins = db
    .select({
      protocol: identityProviders.protocol,
      organisation: organisations.name,
      issuer: externalIdentities.issuer,
      subject: externalIdentities.subject,
      linkedAt: externalIdentities.linkedAt,
      lastSignInAt: externalIdentities.lastSignInAt,
    })
    .from(externalIdentities)
    .innerJoin(identityProviders, eq(identityProviders.id, externalIdentities.providerId))
    .innerJoin(organisations, eq(organisations.id, identityProviders.organisationId))
    .where(and(byUser(externalIdentities.userId), inScope(identityProviders.organisationId, scope)))
    .orderBy(asc(externalIdentities.linkedAt))
    .all();
  const directory = db
    .select({
      organisation: organisations.name,
      userName: scimUsers.userName,
      externalId: scimUsers.externalId,
      active: scimUsers.active,
      createdAt: scimUsers.createdAt,
      updatedAt: scimUsers.updatedAt,
    })
    .from(scimUsers)
    .innerJoin(organisations, eq(organisations.id, scimUsers.organisationId))
    .where(and(byUser(scimUsers.userId), inScope(scimUsers.organisationId, scope)))
    .all();

  return {
    account: {
      ...person,
      // Whether a password is set, never the hash: the hash is of no use to the person and a risk in a file.
      passwordSet: passwordHash !== null,
      externalLogins,
      directory,
    },
    // The cookie's token is never stored and its hash is left out for the same reason as the password's.
    sessions: db
      .select({ createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(byUser(sessions.userId))
      .orderBy(desc(sessions.createdAt))
      .all(),
    passwordResets: db
      .select({
        createdAt: passwordResets.createdAt,
        expiresAt: passwordResets.expiresAt,
        usedAt: passwordResets.usedAt,
      })
      .from(passwordResets)
      .where(byUser(passwordResets.userId))
      .orderBy(desc(passwordResets.createdAt))
      .all(),
    memberships: db
      .select({
        organisation: organisations.name,
        role: memberships.role,
        unit: organisationUnits.name,
        createdAt: memberships.createdAt,
        unlistedAt: memberships.unlistedAt,
      })
      .from(memberships)
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
      .leftJoin(organisationUnits, eq(organisationUnits.id, memberships.unitId))
      .where(and(byUser(memberships.userId), inScope(memberships.organisationId, scope)))
      .all(),
    seats: db
      .select({
        organisation: organisations.name,
        plan: plans.name,
        licenceStartsOn: licences.startsOn,
        licenceEndsOn: licences.endsOn,
        claimedAt: seats.claimedAt,
        revokedAt: seats.revokedAt,
      })
      .from(seats)
      .innerJoin(licences, eq(licences.id, seats.licenceId))
      .innerJoin(organisations, eq(organisations.id, licences.organisationId))
      .leftJoin(plans, eq(plans.id, licences.planId))
      .where(and(byUser(seats.userId), inScope(licences.organisationId, scope)))
      .orderBy(asc(seats.claimedAt))
      .all(),
    // The seat log names people by address, so these are the events about the person's current address.
    seatEvents: db
      .select({ organisation: organisations.name, kind: seatEvents.kind, at: seatEvents.at })
      .from(seatEvents)
      .innerJoin(licences, eq(licences.id, seatEvents.licenceId))
      .innerJoin(organisations, eq(organisations.id, licences.organisationId))
      .where(and(eq(seatEvents.subjectEmail, person.email), inScope(licences.organisationId, scope)))
      .orderBy(asc(seatEvents.at), asc(seatEvents.id))
      .all(),
    seatRequests: db
      .select({
        organisation: organisations.name,
        requestedAt: seatRequests.requestedAt,
        decidedAt: seatRequests.decidedAt,
        decision: seatRequests.decision,
      })
      .from(seatRequests)
      .innerJoin(organisations, eq(organisations.id, seatRequests.organisationId))
      .where(and(byUser(seatRequests.userId), inScope(seatRequests.organisationId, scope)))
      .orderBy(asc(seatRequests.requestedAt))
      .all(),
    progress: filmProgress(userId),
    quizAttempts: quizAttemptsOf(userId),
    quizRetakes: db
      .select({ ...filmTitle, grantedAt: quizRetakes.grantedAt })
      .from(quizRetakes)
      .innerJoin(quizzes, eq(quizzes.id, quizRetakes.quizId))
      .innerJoin(modules, eq(modules.id, quizzes.moduleId))
      .innerJoin(courses, eq(courses.id, modules.courseId))
      .where(byUser(quizRetakes.userId))
      .orderBy(asc(quizRetakes.grantedAt))
      .all(),
    certificates: db
      .select({
        code: certificates.code,
        course: certificates.courseTitle,
        recipientName: certificates.recipientName,
        organisation: certificates.organisationName,
        minutes: certificates.minutes,
        completedOn: certificates.completedOn,
        validUntil: certificates.validUntil,
        round: certificates.round,
        issuedAt: certificates.issuedAt,
        withdrawnAt: certificates.withdrawnAt,
      })
      .from(certificates)
      .where(byUser(certificates.userId))
      .orderBy(asc(certificates.issuedAt))
      .all(),
    mandatoryTraining: mandatoryTrainingOf(userId, scope),
    meetings: meetingsOf(userId, scope),
    emails: db
      .select({ subject: outboxEmails.subject, text: outboxEmails.text, createdAt: outboxEmails.createdAt })
      .from(outboxEmails)
      .where(eq(outboxEmails.to, person.email))
      .orderBy(desc(outboxEmails.createdAt), desc(outboxEmails.id))
      .all(),
    feedback: feedbackOf(userId, scope),
    measurements: measurementsOf(userId, scope),
    accessLog: db
      .select({
        at: accessLog.at,
        organisation: organisations.name,
        action: accessLog.action,
        format: accessLog.format,
      })
      .from(accessLog)
      .leftJoin(organisations, eq(organisations.id, accessLog.organisationId))
      .where(and(byUser(accessLog.viewerId), inScope(accessLog.organisationId, scope)))
      .orderBy(desc(accessLog.at), desc(accessLog.id))
      .all(),
  };
}

export type PersonalData = NonNullable<ReturnType<typeof personalDataOf>>;

/**
 * Every column that points at a person (a foreign key to users), and what the export does with
 * it. A test walks the schema and fails on a column in neither list, so a new table cannot be
 * left out of "Mine data" without a decision and its reason written here.
 */
export const personReferences = {
  exported: [
    "access_log.viewer_id",
    "certificates.user_id",
    "course_restarts.user_id",
    "external_identities.user_id",
    "feedback_responses.user_id",
    "feedback_submissions.user_id",
    "measurement_follow_ups.user_id",
    "measurement_submissions.user_id",
    "meeting_participants.user_id",
    "meeting_presenters.user_id",
    "meeting_sessions.presenter_id",
    "memberships.user_id",
    "module_progress.user_id",
    "module_progress_archive.user_id",
    "password_resets.user_id",
    "quiz_attempts.user_id",
    "quiz_retakes.user_id",
    "scim_users.user_id",
    "seat_requests.user_id",
    "seats.user_id",
    "sessions.user_id",
    "training_assignment_people.user_id",
    "training_cycles.user_id",
    "training_digests.recipient_user_id",
  ],
  leftOut: {
    // Who did something in the municipality's or the course owner's administration: a record of
    // that work, kept by the municipality, which names the admin as its author and says nothing about them.
    "invitations.invited_by": "the admin who sent an invitation: the municipality's record of its administration",
    "join_links.created_by": "the admin who made a join link: the municipality's record of its administration",
    "seat_events.actor_user_id":
      "who changed a seat: the seat log names its actor, the person's own events are exported",
    "seat_requests.decided_by": "the admin who decided someone else's seat request",
    "quiz_retakes.granted_by": "the admin who gave someone new quiz attempts",
    "meeting_presenters.granted_by": "the leader who allowed someone else to present",
    "training_assignments.created_by": "the admin who made a course mandatory: the municipality's rule, not about them",
    "training_assignments.removed_by": "the admin who removed a mandatory course",
    "training_mail_settings.updated_by": "the admin who last changed the municipality's mail settings",
    "privacy_settings.updated_by": "the admin who last changed the municipality's privacy settings",
    "scim_tokens.created_by": "the admin who made a directory token",
    "orders.placed_by": "the admin who placed an order: an accounting record the bookkeeping law keeps",
    "media_jobs.requested_by": "the course owner who uploaded a film",
  },
} as const;
