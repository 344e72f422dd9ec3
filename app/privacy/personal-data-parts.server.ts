/**
 * The longer sections of a person's data (./personal-data.server), each from the tables of one
 * domain, with the film, course or municipality it is about written out instead of an id.
 */
import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import {
  courseRestarts,
  courses,
  feedbackAnswers,
  feedbackForms,
  feedbackQuestions,
  feedbackResponses,
  feedbackSubmissions,
  measurementFollowUps,
  measurements,
  measurementSubmissions,
  meetingParticipants,
  meetingPresenters,
  meetingSessions,
  moduleProgress,
  moduleProgressArchive,
  modules,
  organisations,
  quizAttemptAnswers,
  quizAttempts,
  quizOptions,
  quizQuestions,
  quizzes,
  trainingAssignmentPeople,
  trainingAssignments,
  trainingCycles,
  trainingDigests,
  trainingReminders,
} from "#db/schema";
import { db } from "~/db.server";
import { parseStoredRanges } from "~/learning/progress.server";

/**
 * Seen by a municipality's admin, the sections that belong to a municipality (memberships, seats,
 * mandatory training, meetings, named feedback, the directory) show only that municipality's rows:
 * a person in two municipalities is not shown to the one what they do in the other.
 */
export type PersonalDataScope = { organisationId?: number };

/** The column, narrowed to the scope's municipality when there is one; `and` leaves out an undefined. */
export function inScope(column: SQLiteColumn, scope: PersonalDataScope): SQL | undefined {
  return scope.organisationId === undefined ? undefined : eq(column, scope.organisationId);
}

export const filmTitle = { course: courses.title, film: modules.title };

/** Each film's progress with its played ranges, and what earlier rounds of a refreshed course left. */
export function filmProgress(userId: number) {
  const current = db
    .select({
      ...filmTitle,
      playedRanges: moduleProgress.playedRanges,
      playedMs: moduleProgress.playedMs,
      lastPositionMs: moduleProgress.lastPositionMs,
      watchedAt: moduleProgress.watchedAt,
      updatedAt: moduleProgress.updatedAt,
    })
    .from(moduleProgress)
    .innerJoin(modules, eq(modules.id, moduleProgress.moduleId))
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(eq(moduleProgress.userId, userId))
    .orderBy(asc(courses.position), asc(modules.position))
    .all();
  const archived = db
    .select({
      ...filmTitle,
      restartedAt: courseRestarts.restartedAt,
      playedRanges: moduleProgressArchive.playedRanges,
      playedMs: moduleProgressArchive.playedMs,
      watchedAt: moduleProgressArchive.watchedAt,
      updatedAt: moduleProgressArchive.updatedAt,
    })
    .from(moduleProgressArchive)
    .innerJoin(courseRestarts, eq(courseRestarts.id, moduleProgressArchive.restartId))
    .innerJoin(modules, eq(modules.id, moduleProgressArchive.moduleId))
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(eq(moduleProgressArchive.userId, userId))
    .orderBy(asc(courseRestarts.restartedAt), asc(modules.position))
    .all();
  const withRanges = <T extends { playedRanges: string }>(row: T) => ({
    ...row,
    playedRanges: parseStoredRanges(row.playedRanges),
  });
  return { films: current.map(withRanges), archivedRounds: archived.map(withRanges) };
}

/** Every graded attempt with the question and the options chosen, as the learner saw them. */
export function quizAttemptsOf(userId: number) {
  const attempts = db
    .select({
      id: quizAttempts.id,
      ...filmTitle,
      submittedAt: quizAttempts.submittedAt,
      correctCount: quizAttempts.correctCount,
      questionCount: quizAttempts.questionCount,
      scorePercent: quizAttempts.scorePercent,
      passed: quizAttempts.passed,
    })
    .from(quizAttempts)
    .innerJoin(quizzes, eq(quizzes.id, quizAttempts.quizId))
    .innerJoin(modules, eq(modules.id, quizzes.moduleId))
    .innerJoin(courses, eq(courses.id, modules.courseId))
    .where(eq(quizAttempts.userId, userId))
    .orderBy(asc(quizAttempts.id))
    .all();
  const answers = attempts.length
    ? db
        .select({
          attemptId: quizAttemptAnswers.attemptId,
          question: quizQuestions.text,
          position: quizQuestions.position,
          selectedOptionIds: quizAttemptAnswers.selectedOptionIds,
          correct: quizAttemptAnswers.correct,
        })
        .from(quizAttemptAnswers)
        .innerJoin(quizQuestions, eq(quizQuestions.id, quizAttemptAnswers.questionId))
        .where(
          inArray(
            quizAttemptAnswers.attemptId,
            attempts.map((attempt) => attempt.id),
          ),
        )
        .orderBy(asc(quizQuestions.position))
        .all()
    : [];
  const optionIds = answers.flatMap((answer) => parseIds(answer.selectedOptionIds));
  const optionText = new Map(
    optionIds.length
      ? db
          .select({ id: quizOptions.id, text: quizOptions.text })
          .from(quizOptions)
          .where(inArray(quizOptions.id, optionIds))
          .all()
          .map((option) => [option.id, option.text])
      : [],
  );
  return attempts.map(({ id, ...attempt }) => ({
    ...attempt,
    answers: answers
      .filter((answer) => answer.attemptId === id)
      .map((answer) => ({
        question: answer.question,
        chosen: parseIds(answer.selectedOptionIds).map((optionId) => optionText.get(optionId) ?? ""),
        correct: answer.correct,
      })),
  }));
}

function parseIds(json: string): number[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((id): id is number => Number.isSafeInteger(id)) : [];
  } catch {
    return [];
  }
}

export function mandatoryTrainingOf(userId: number, scope: PersonalDataScope) {
  const cycles = db
    .select({
      id: trainingCycles.id,
      organisation: organisations.name,
      course: courses.title,
      number: trainingCycles.number,
      refresher: trainingCycles.refresher,
      openedOn: trainingCycles.openedOn,
      dueOn: trainingCycles.dueOn,
      startedAt: trainingCycles.startedAt,
      completedOn: trainingCycles.completedOn,
      expiresOn: trainingCycles.expiresOn,
      endedAt: trainingCycles.endedAt,
      endReason: trainingCycles.endReason,
    })
    .from(trainingCycles)
    .innerJoin(organisations, eq(organisations.id, trainingCycles.organisationId))
    .innerJoin(courses, eq(courses.id, trainingCycles.courseId))
    .where(and(eq(trainingCycles.userId, userId), inScope(trainingCycles.organisationId, scope)))
    .orderBy(asc(courses.position), asc(trainingCycles.number))
    .all();
  const reminders = cycles.length
    ? db
        .select({ cycleId: trainingReminders.cycleId, step: trainingReminders.step, sentAt: trainingReminders.sentAt })
        .from(trainingReminders)
        .where(
          inArray(
            trainingReminders.cycleId,
            cycles.map((cycle) => cycle.id),
          ),
        )
        .orderBy(asc(trainingReminders.sentAt))
        .all()
    : [];
  return {
    rounds: cycles.map(({ id, ...cycle }) => ({
      ...cycle,
      remindersSent: reminders.filter((r) => r.cycleId === id).map(({ step, sentAt }) => ({ step, sentAt })),
    })),
    namedIn: db
      .select({ organisation: organisations.name, course: courses.title })
      .from(trainingAssignmentPeople)
      .innerJoin(trainingAssignments, eq(trainingAssignments.id, trainingAssignmentPeople.assignmentId))
      .innerJoin(organisations, eq(organisations.id, trainingAssignments.organisationId))
      .innerJoin(courses, eq(courses.id, trainingAssignments.courseId))
      .where(and(eq(trainingAssignmentPeople.userId, userId), inScope(trainingAssignments.organisationId, scope)))
      .all(),
    digestsReceived: db
      .select({
        kind: trainingDigests.kind,
        organisation: organisations.name,
        period: trainingDigests.period,
        sentAt: trainingDigests.sentAt,
      })
      .from(trainingDigests)
      .innerJoin(organisations, eq(organisations.id, trainingDigests.organisationId))
      .where(and(eq(trainingDigests.recipientUserId, userId), inScope(trainingDigests.organisationId, scope)))
      .orderBy(asc(trainingDigests.sentAt))
      .all(),
  };
}

export function meetingsOf(userId: number, scope: PersonalDataScope) {
  const meeting = {
    organisation: organisations.name,
    film: modules.title,
    startedAt: meetingSessions.startedAt,
    endedAt: meetingSessions.endedAt,
  };
  return {
    attended: db
      .select({
        ...meeting,
        joinedAt: meetingParticipants.joinedAt,
        lastSeenAt: meetingParticipants.lastSeenAt,
        outcome: meetingParticipants.outcome,
      })
      .from(meetingParticipants)
      .innerJoin(meetingSessions, eq(meetingSessions.id, meetingParticipants.sessionId))
      .innerJoin(organisations, eq(organisations.id, meetingSessions.organisationId))
      .innerJoin(modules, eq(modules.id, meetingSessions.moduleId))
      .where(and(eq(meetingParticipants.userId, userId), inScope(meetingSessions.organisationId, scope)))
      .orderBy(asc(meetingSessions.startedAt))
      .all(),
    presented: db
      .select({ ...meeting, agreement: meetingSessions.agreement })
      .from(meetingSessions)
      .innerJoin(organisations, eq(organisations.id, meetingSessions.organisationId))
      .innerJoin(modules, eq(modules.id, meetingSessions.moduleId))
      .where(and(eq(meetingSessions.presenterId, userId), inScope(meetingSessions.organisationId, scope)))
      .orderBy(asc(meetingSessions.startedAt))
      .all(),
    mayPresent: db
      .select({ organisation: organisations.name, grantedAt: meetingPresenters.grantedAt })
      .from(meetingPresenters)
      .innerJoin(organisations, eq(organisations.id, meetingPresenters.organisationId))
      .where(and(eq(meetingPresenters.userId, userId), inScope(meetingPresenters.organisationId, scope)))
      .all(),
  };
}

/**
 * Named answers only. That the person answered a questionnaire is theirs too, but an anonymous
 * response has no user id (decision 26), so no one, the person included, can be shown it.
 */
export function feedbackOf(userId: number, scope: PersonalDataScope) {
  const responses = db
    .select({
      id: feedbackResponses.id,
      course: courses.title,
      form: feedbackForms.title,
      submittedWeek: feedbackResponses.submittedWeek,
    })
    .from(feedbackResponses)
    .innerJoin(feedbackForms, eq(feedbackForms.id, feedbackResponses.formId))
    .innerJoin(courses, eq(courses.id, feedbackForms.courseId))
    .where(and(eq(feedbackResponses.userId, userId), inScope(feedbackResponses.organisationId, scope)))
    .orderBy(asc(feedbackResponses.submittedWeek))
    .all();
  const answers = responses.length
    ? db
        .select({
          responseId: feedbackAnswers.responseId,
          question: feedbackQuestions.text,
          score: feedbackAnswers.score,
          text: feedbackAnswers.text,
        })
        .from(feedbackAnswers)
        .innerJoin(feedbackQuestions, eq(feedbackQuestions.id, feedbackAnswers.questionId))
        .where(
          inArray(
            feedbackAnswers.responseId,
            responses.map((response) => response.id),
          ),
        )
        .orderBy(asc(feedbackQuestions.position))
        .all()
    : [];
  return {
    namedResponses: responses.map(({ id, ...response }) => ({
      ...response,
      answers: answers.filter((a) => a.responseId === id).map(({ responseId: _, ...answer }) => answer),
    })),
    // Which questionnaires the person has answered, named or anonymously: it says nothing of what they answered.
    questionnairesAnswered: db
      .select({ course: courses.title, form: feedbackForms.title })
      .from(feedbackSubmissions)
      .innerJoin(feedbackForms, eq(feedbackForms.id, feedbackSubmissions.formId))
      .innerJoin(courses, eq(courses.id, feedbackForms.courseId))
      .where(eq(feedbackSubmissions.userId, userId))
      .all(),
  };
}

/** When the person is due or done, never what they answered: the answers sit under a pseudonym (decision 59). */
export function measurementsOf(userId: number, scope: PersonalDataScope) {
  return {
    momentsDone: db
      .select({ course: courses.title, moment: measurementSubmissions.moment })
      .from(measurementSubmissions)
      .innerJoin(measurements, eq(measurements.id, measurementSubmissions.measurementId))
      .innerJoin(courses, eq(courses.id, measurements.courseId))
      .where(eq(measurementSubmissions.userId, userId))
      .all(),
    followUps: db
      .select({
        course: courses.title,
        moment: measurementFollowUps.moment,
        dueOn: measurementFollowUps.dueOn,
        invitedAt: measurementFollowUps.invitedAt,
        remindedAt: measurementFollowUps.remindedAt,
      })
      .from(measurementFollowUps)
      .innerJoin(measurements, eq(measurements.id, measurementFollowUps.measurementId))
      .innerJoin(courses, eq(courses.id, measurements.courseId))
      .where(and(eq(measurementFollowUps.userId, userId), inScope(measurementFollowUps.organisationId, scope)))
      .all(),
  };
}
