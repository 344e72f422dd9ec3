import { randomInt } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { certificates, courseRestarts, courses, modules, users } from "#db/schema";
import { db } from "~/db.server";
import type { MessageKey } from "~/i18n/da";
import { intlLocale, translator, type Language } from "~/i18n/i18n";
import { danishDate } from "~/i18n/dates";
import { courseSeat } from "~/licensing/access.server";
import { certificateValidity } from "~/training/validity.server";
import { courseCompletion } from "./completion.server";

/** No 0/O, 1/I/L: a code read aloud or typed from paper cannot be mistaken for another. */
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_LENGTH = 12;
const CODE_PATTERN = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);
const QUARTER_HOUR_SECONDS = 15 * 60;

export type Certificate = {
  /** As printed: XXXX-XXXX-XXXX. */
  code: string;
  recipientName: string;
  courseTitle: string;
  organisationName: string;
  minutes: number;
  /** YYYY-MM-DD */
  completedOn: string;
  issuedAt: Date;
  /** YYYY-MM-DD, the last day it counts; null when it does not expire. */
  validUntil: string | null;
};

export type IssueResult =
  | { status: "issued"; certificate: Certificate }
  | { status: "incomplete" }
  /** Complete, but no municipality's seat gives the person the course (the course owner previewing it). */
  | { status: "noMunicipality" };

/** The code as stored, from whatever a person typed: any case, with or without dashes; null when it cannot be a code. */
export function normaliseCertificateCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, "").toUpperCase();
  return CODE_PATTERN.test(code) ? code : null;
}

function formatCertificateCode(code: string): string {
  return code.match(/.{1,4}/g)?.join("-") ?? code;
}

function newCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
}

/** Study time as a certificate states it, e.g. "0,5 timer", "1 time", "1,25 timer". */
export function certificateHours(minutes: number, language: Language): string {
  const hours = minutes / 60;
  const number = new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 2 }).format(hours);
  return translator(language)(hours === 1 ? "certificate.hoursOne" : "certificate.hoursOther", { hours: number });
}

const certificateColumns = {
  code: certificates.code,
  recipientName: certificates.recipientName,
  courseTitle: certificates.courseTitle,
  organisationName: certificates.organisationName,
  minutes: certificates.minutes,
  completedOn: certificates.completedOn,
  issuedAt: certificates.issuedAt,
  validUntil: certificates.validUntil,
};

const asCertificate = (row: Certificate): Certificate => ({ ...row, code: formatCertificateCode(row.code) });

/** The person's current round of the course: 0, then one more each time a refresher started it again. */
function currentRound(userId: number, courseId: number): number {
  return db
    .select({ restarts: sql<number>`count(*)` })
    .from(courseRestarts)
    .where(and(eq(courseRestarts.userId, userId), eq(courseRestarts.courseId, courseId)))
    .get()!.restarts;
}

/** The certificate of the person's current round of the course, if it has been issued. */
function existingCertificate(userId: number, courseId: number): Certificate | null {
  const row = db
    .select(certificateColumns)
    .from(certificates)
    .where(
      and(
        eq(certificates.userId, userId),
        eq(certificates.courseId, courseId),
        eq(certificates.round, currentRound(userId, courseId)),
      ),
    )
    .get();
  return row ? asCertificate(row) : null;
}

/**
 * The latest certificate the person holds for the course with this slug (a refresher's round not
 * yet completed leaves the previous one). It stays theirs after the seat or licence that led to it
 * has ended, so no access to the course is asked for.
 */
export function heldCertificate(userId: number, courseSlug: string): Certificate | null {
  const row = db
    .select(certificateColumns)
    .from(certificates)
    .innerJoin(courses, eq(courses.id, certificates.courseId))
    .where(and(eq(certificates.userId, userId), eq(courses.slug, courseSlug)))
    .orderBy(desc(certificates.round))
    .limit(1)
    .get();
  return row ? asCertificate(row) : null;
}

/** Whether the certificate's validity ran out before today (Danish time); one without an end never does. */
export function certificateExpired(certificate: Pick<Certificate, "validUntil">, now = new Date()): boolean {
  return certificate.validUntil != null && certificate.validUntil < danishDate(now);
}

/** The owner's figure when set; otherwise the published films' total, rounded up to a quarter of an hour. */
function studyMinutes(courseId: number, ownerMinutes: number | null): number {
  if (ownerMinutes != null) return ownerMinutes;
  const { seconds } = db
    .select({ seconds: sql<number>`coalesce(sum(${modules.durationSeconds}), 0)` })
    .from(modules)
    .where(and(eq(modules.courseId, courseId), eq(modules.published, true)))
    .get()!;
  return Math.max(1, Math.ceil(seconds / QUARTER_HOUR_SECONDS)) * 15;
}

const MAX_CODE_DRAWS = 10;

type Eligibility =
  | { status: "eligible"; completedOn: string; organisationName: string }
  | { status: "incomplete" }
  | { status: "noMunicipality" };

/** Whether the person has earned the course's certificate today: every module complete, and the course through a municipality's seat. */
function certificateEligibility(userId: number, courseId: number, now: Date): Eligibility {
  const completion = courseCompletion(userId, courseId);
  if (!completion.complete || !completion.completedOn) return { status: "incomplete" };
  const organisationName = courseSeat(userId, courseId, now)?.organisationName ?? null;
  if (!organisationName) return { status: "noMunicipality" };
  return { status: "eligible", completedOn: completion.completedOn, organisationName };
}

/**
 * The person's certificate for the course's current round, issued the first time the round is
 * complete: when the last module is completed (the progress report or quiz attempt that completes
 * it) or, for a course completed otherwise (a module taken out of it), when the person asks for the
 * PDF. From then on it is never changed: it states what was true on the day it was issued, also
 * how long it is valid under a recurring mandatory assignment (~/training/validity.server).
 */
export function issueCertificate(userId: number, courseId: number, now = new Date()): IssueResult {
  const existing = existingCertificate(userId, courseId);
  if (existing) return { status: "issued", certificate: existing };

  const eligibility = certificateEligibility(userId, courseId, now);
  if (eligibility.status !== "eligible") return eligibility;
  // A complete course has modules and the person has progress on them, so both rows exist.
  const course = db
    .select({ title: courses.title, minutes: courses.certificateMinutes })
    .from(courses)
    .where(eq(courses.id, courseId))
    .get()!;
  const recipient = db.select({ name: users.name }).from(users).where(eq(users.id, userId)).get()!;

  const snapshot = {
    userId,
    courseId,
    recipientName: recipient.name,
    courseTitle: course.title,
    organisationName: eligibility.organisationName,
    minutes: studyMinutes(courseId, course.minutes),
    completedOn: eligibility.completedOn,
    issuedAt: now,
    round: currentRound(userId, courseId),
    validUntil: certificateValidity(userId, courseId, eligibility.completedOn),
  };
  // A clash is either a code already in use, so another is drawn, or a certificate issued meanwhile by another request, which wins.
  for (let draw = 0; draw < MAX_CODE_DRAWS; draw += 1) {
    db.insert(certificates)
      .values({ ...snapshot, code: newCode() })
      .onConflictDoNothing()
      .run();
    const certificate = existingCertificate(userId, courseId);
    if (certificate) return { status: "issued", certificate };
  }
  throw new Error(`no free certificate code in ${MAX_CODE_DRAWS} draws`);
}

/** Where the PDF of the course's certificate is fetched. */
const certificateHref = (courseSlug: string) => `/kurser/${courseSlug}/kursusbevis.pdf`;

/**
 * For the course page, which only reads: the certificate once it is earned, with its code once
 * it is issued. A course completed without an issuing step has no code yet; the PDF issues it.
 */
export function certificateOfferFor(
  userId: number,
  course: { id: number; slug: string },
  now = new Date(),
): null | { code: string | null; href: string } {
  const existing = existingCertificate(userId, course.id);
  if (existing) return { code: existing.code, href: certificateHref(course.slug) };
  return certificateEligibility(userId, course.id, now).status === "eligible"
    ? { code: null, href: certificateHref(course.slug) }
    : null;
}

// A refused download sends the person to the course page, whose address names why in these words.
const REFUSAL_PARAM = "kursusbevis";
const refusalWords = { incomplete: "ikke-optjent", noMunicipality: "kun-kommunens-medarbejdere" } as const;
const refusalMessages = {
  incomplete: "refusal.certificateIncomplete",
  noMunicipality: "refusal.certificateSeatHoldersOnly",
} as const satisfies Record<keyof typeof refusalWords, MessageKey>;

/** The course page, saying why the certificate could not be had. */
export function certificateRefusedAddress(courseSlug: string, reason: keyof typeof refusalWords): string {
  return `/kurser/${encodeURIComponent(courseSlug)}?${REFUSAL_PARAM}=${refusalWords[reason]}`;
}

/** The message for the refusal a course page's address names, if it names one. */
export function certificateRefusalIn(url: URL): MessageKey | null {
  const word = url.searchParams.get(REFUSAL_PARAM);
  const reason = (Object.keys(refusalWords) as (keyof typeof refusalWords)[]).find((key) => refusalWords[key] === word);
  return reason ? refusalMessages[reason] : null;
}

/**
 * What the public check page confirms, of any round; null for a code that is malformed or was never
 * issued. `withdrawnAt` is set when its holder was erased, and the page then confirms nothing.
 */
export function findCertificateByCode(input: string): (Certificate & { withdrawnAt: Date | null }) | null {
  const code = normaliseCertificateCode(input);
  if (!code) return null;
  const row = db
    .select({ ...certificateColumns, withdrawnAt: certificates.withdrawnAt })
    .from(certificates)
    .where(eq(certificates.code, code))
    .get();
  return row ? { ...asCertificate(row), withdrawnAt: row.withdrawnAt } : null;
}
