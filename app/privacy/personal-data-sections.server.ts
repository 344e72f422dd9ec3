import type { MeasurementMoment, MembershipRole, seatRequestDecisions } from "#db/schema";
import { professionLabels } from "~/feedback/professions";
import type { MessageKey } from "~/i18n/da";
import { formatClock, formatDateTime, formatDay, type Language, type Translate } from "~/i18n/i18n";
import type { Range } from "~/learning/played-ranges";
import { accessActionLabels } from "./access-actions";
import type { PersonalData } from "./personal-data.server";

/** One table of a section: headed columns and rows of text, as the page and the PDF show it. */
export type DataTable = { heading: string | null; columns: string[]; rows: string[][] };
export type DataSection = { id: string; heading: string; note: string | null; tables: DataTable[] };

const roleLabels: Record<MembershipRole, MessageKey> = {
  learner: "personalData.role.learner",
  leader: "personalData.role.leader",
  admin: "personalData.role.admin",
};

const decisionLabels: Record<(typeof seatRequestDecisions)[number], MessageKey> = {
  approved: "personalData.decision.approved",
  declined: "personalData.decision.declined",
};

const momentLabels: Record<MeasurementMoment, MessageKey> = {
  baseline: "measurementReport.moment.baseline",
  completion: "measurementReport.moment.completion",
  followUp: "measurementReport.moment.followUp",
  leaderFollowUp: "personalData.moment.leaderFollowUp",
};

/** How many played stretches of a film are written out; the rest are counted, and the download has them all. */
const RANGES_SHOWN = 4;

/**
 * A person's data as sections of tables with every value written out in the reader's language:
 * "Mine data", the admin's person page and the PDF all show these, so they cannot disagree.
 */
export function personalDataSections(data: PersonalData, t: Translate, language: Language): DataSection[] {
  const when = (date: Date | null) => (date ? formatDateTime(language, date) : "–");
  const day = (isoDate: string | null) => (isoDate ? formatDay(language, isoDate) : "–");
  const yesNo = (value: boolean) => t(value ? "personalData.yes" : "personalData.no");
  const text = (value: string | null) => value ?? "–";
  const seconds = (ms: number) => formatClock(ms / 1000);
  const ranges = (played: Range[]) => {
    if (played.length === 0) return "–";
    const shown = played.slice(0, RANGES_SHOWN).map(([start, end]) => `${formatClock(start)}–${formatClock(end)}`);
    const more = played.length - shown.length;
    return more > 0 ? t("personalData.rangesMore", { ranges: shown.join(", "), more }) : shown.join(", ");
  };
  const table = (heading: MessageKey | null, columns: MessageKey[], rows: string[][]): DataTable => ({
    heading: heading ? t(heading) : null,
    columns: columns.map((column) => t(column)),
    rows,
  });
  const { account } = data;
  return [
    {
      id: "account",
      heading: t("personalData.account.heading"),
      note: null,
      tables: [
        table(
          null,
          ["personalData.column.field", "personalData.column.value"],
          [
            [t("personalData.account.name"), account.name],
            [t("personalData.account.email"), account.email],
            [t("personalData.account.profession"), account.profession ? t(professionLabels[account.profession]) : "–"],
            [t("personalData.account.created"), when(account.createdAt)],
            [t("personalData.account.password"), yesNo(account.passwordSet)],
            [t("personalData.account.deactivated"), when(account.deactivatedAt)],
          ],
        ),
        table(
          "personalData.account.externalLogins",
          [
            "personalData.column.municipality",
            "personalData.column.issuer",
            "personalData.column.externalId",
            "personalData.column.linked",
            "personalData.column.lastSignIn",
          ],
          account.externalLogins.map((l) => [
            l.organisation,
            l.issuer,
            l.subject,
            when(l.linkedAt),
            when(l.lastSignInAt),
          ]),
        ),
        table(
          "personalData.account.directory",
          ["personalData.column.municipality", "personalData.column.userName", "personalData.column.active"],
          account.directory.map((d) => [d.organisation, d.userName, yesNo(d.active)]),
        ),
      ],
    },
    {
      id: "sessions",
      heading: t("personalData.sessions.heading"),
      note: t("personalData.sessions.note"),
      tables: [
        table(
          null,
          ["personalData.column.started", "personalData.column.lastSeen", "personalData.column.expires"],
          data.sessions.map((s) => [when(s.createdAt), when(s.lastSeenAt), when(s.expiresAt)]),
        ),
        table(
          "personalData.sessions.passwordResets",
          ["personalData.column.requested", "personalData.column.expires", "personalData.column.used"],
          data.passwordResets.map((r) => [when(r.createdAt), when(r.expiresAt), when(r.usedAt)]),
        ),
      ],
    },
    {
      id: "seats",
      heading: t("personalData.seats.heading"),
      note: null,
      tables: [
        table(
          "personalData.seats.memberships",
          [
            "personalData.column.municipality",
            "personalData.column.role",
            "admin.column.unit",
            "admin.column.since",
            "personalData.column.unlisted",
          ],
          data.memberships.map((m) => [
            m.organisation,
            t(roleLabels[m.role]),
            text(m.unit),
            when(m.createdAt),
            when(m.unlistedAt),
          ]),
        ),
        table(
          "personalData.seats.seats",
          [
            "personalData.column.municipality",
            "personalData.column.licence",
            "personalData.column.claimed",
            "personalData.column.revoked",
          ],
          data.seats.map((s) => [
            s.organisation,
            `${s.plan ?? ""} ${day(s.licenceStartsOn)}–${day(s.licenceEndsOn)}`.trim(),
            when(s.claimedAt),
            when(s.revokedAt),
          ]),
        ),
        table(
          "personalData.seats.log",
          ["personalData.column.municipality", "admin.column.event", "admin.column.when"],
          data.seatEvents.map((e) => [e.organisation, t(`admin.event.${e.kind}`), when(e.at)]),
        ),
        table(
          "personalData.seats.requests",
          ["personalData.column.municipality", "personalData.column.requested", "personalData.column.decided"],
          data.seatRequests.map((r) => [
            r.organisation,
            when(r.requestedAt),
            r.decision ? `${t(decisionLabels[r.decision])}, ${when(r.decidedAt)}` : "–",
          ]),
        ),
      ],
    },
    {
      id: "progress",
      heading: t("personalData.progress.heading"),
      note: t("personalData.progress.note"),
      tables: [
        table(
          null,
          [
            "personalData.column.course",
            "personalData.column.film",
            "personalData.column.played",
            "personalData.column.ranges",
            "personalData.column.watched",
          ],
          data.progress.films.map((p) => [
            p.course,
            p.film,
            seconds(p.playedMs),
            ranges(p.playedRanges),
            when(p.watchedAt),
          ]),
        ),
        table(
          "personalData.progress.archived",
          [
            "personalData.column.restarted",
            "personalData.column.film",
            "personalData.column.played",
            "personalData.column.ranges",
            "personalData.column.watched",
          ],
          data.progress.archivedRounds.map((p) => [
            when(p.restartedAt),
            p.film,
            seconds(p.playedMs),
            ranges(p.playedRanges),
            when(p.watchedAt),
          ]),
        ),
      ],
    },
    {
      id: "quizzes",
      heading: t("personalData.quizzes.heading"),
      note: null,
      tables: [
        table(
          null,
          [
            "personalData.column.film",
            "personalData.column.submitted",
            "personalData.column.score",
            "personalData.column.answers",
          ],
          data.quizAttempts.map((a) => [
            a.film,
            when(a.submittedAt),
            t(a.passed ? "personalData.quizzes.passed" : "personalData.quizzes.failed", {
              correct: a.correctCount,
              questions: a.questionCount,
              percent: a.scorePercent,
            }),
            a.answers
              .map((answer) =>
                t(answer.correct ? "personalData.quizzes.answerRight" : "personalData.quizzes.answerWrong", {
                  question: answer.question,
                  chosen: answer.chosen.join(", ") || "–",
                }),
              )
              .join("\n"),
          ]),
        ),
        table(
          "personalData.quizzes.retakes",
          ["personalData.column.film", "personalData.column.granted"],
          data.quizRetakes.map((r) => [r.film, when(r.grantedAt)]),
        ),
      ],
    },
    {
      id: "certificates",
      heading: t("personalData.certificates.heading"),
      note: null,
      tables: [
        table(
          null,
          [
            "personalData.column.code",
            "personalData.column.course",
            "personalData.column.completed",
            "personalData.column.validUntil",
            "personalData.column.withdrawn",
          ],
          data.certificates.map((c) => [c.code, c.course, day(c.completedOn), day(c.validUntil), when(c.withdrawnAt)]),
        ),
      ],
    },
    {
      id: "training",
      heading: t("personalData.training.heading"),
      note: null,
      tables: [
        table(
          null,
          [
            "personalData.column.municipality",
            "personalData.column.course",
            "personalData.column.due",
            "personalData.column.completed",
            "personalData.column.reminders",
          ],
          data.mandatoryTraining.rounds.map((r) => [
            r.organisation,
            r.refresher ? t("personalData.training.refresher", { course: r.course }) : r.course,
            day(r.dueOn),
            day(r.completedOn),
            String(r.remindersSent.length),
          ]),
        ),
        table(
          "personalData.training.namedIn",
          ["personalData.column.municipality", "personalData.column.course"],
          data.mandatoryTraining.namedIn.map((n) => [n.organisation, n.course]),
        ),
      ],
    },
    {
      id: "meetings",
      heading: t("personalData.meetings.heading"),
      note: null,
      tables: [
        table(
          null,
          ["personalData.column.municipality", "personalData.column.film", "personalData.column.present"],
          data.meetings.attended.map((m) => [m.organisation, m.film, `${when(m.joinedAt)}–${when(m.lastSeenAt)}`]),
        ),
        table(
          "personalData.meetings.presented",
          ["personalData.column.municipality", "personalData.column.film", "personalData.column.started"],
          data.meetings.presented.map((m) => [m.organisation, m.film, when(m.startedAt)]),
        ),
      ],
    },
    {
      id: "emails",
      heading: t("personalData.emails.heading"),
      note: t("personalData.emails.note"),
      tables: [
        table(
          null,
          ["personalData.column.sent", "personalData.column.subject"],
          data.emails.map((e) => [when(e.createdAt), e.subject]),
        ),
      ],
    },
    {
      id: "feedback",
      heading: t("personalData.feedback.heading"),
      note: t("personalData.feedback.anonymousNote"),
      tables: [
        table(
          null,
          ["personalData.column.course", "personalData.column.week", "personalData.column.answers"],
          data.feedback.namedResponses.map((r) => [
            `${r.course}: ${r.form}`,
            day(r.submittedWeek),
            r.answers.map((a) => `${a.question}: ${a.text ?? a.score ?? "–"}`).join("\n"),
          ]),
        ),
        table(
          "personalData.feedback.answered",
          ["personalData.column.course"],
          data.feedback.questionnairesAnswered.map((q) => [`${q.course}: ${q.form}`]),
        ),
        table(
          "personalData.feedback.measurements",
          ["personalData.column.course", "personalData.column.moment"],
          data.measurements.momentsDone.map((m) => [m.course, t(momentLabels[m.moment])]),
        ),
      ],
    },
    {
      id: "accessLog",
      heading: t("personalData.accessLog.heading"),
      note: t("personalData.accessLog.note"),
      tables: [
        table(
          null,
          ["admin.column.when", "personalData.column.municipality", "accessLog.column.action"],
          data.accessLog.map((a) => [when(a.at), text(a.organisation), t(accessActionLabels[a.action])]),
        ),
      ],
    },
  ];
}
