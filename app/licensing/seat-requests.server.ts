import { and, asc, eq, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { memberships, organisations, organisationUnits, seatRequests, users } from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { sendEmail } from "~/email/mailer.server";
import { getEnv } from "~/env.server";
import { translator } from "~/i18n/i18n";
import { claimCurrentSeat } from "~/sso/provision.server";

type Admin = Pick<SessionUser, "id">;

/** The municipality's admins read it; a request is theirs only through the admin's own membership. */
const administeredBy = (admin: Admin) =>
  and(
    eq(memberships.organisationId, seatRequests.organisationId),
    eq(memberships.userId, admin.id),
    eq(memberships.role, "admin"),
  );

// The person's own membership, beside the admin's, for the unit they were placed in.
const staff = alias(memberships, "staff");

/** Everyone waiting for a seat in the admin's municipalities, the longest-waiting first. */
export function openSeatRequests(admin: Admin) {
  return db
    .select({
      id: seatRequests.id,
      name: users.name,
      email: users.email,
      organisationName: organisations.name,
      unitName: organisationUnits.name,
      requestedAt: seatRequests.requestedAt,
    })
    .from(seatRequests)
    .innerJoin(memberships, administeredBy(admin))
    .innerJoin(organisations, eq(organisations.id, seatRequests.organisationId))
    .innerJoin(users, eq(users.id, seatRequests.userId))
    .leftJoin(staff, and(eq(staff.userId, seatRequests.userId), eq(staff.organisationId, seatRequests.organisationId)))
    .leftJoin(organisationUnits, eq(organisationUnits.id, staff.unitId))
    .where(isNull(seatRequests.decidedAt))
    .orderBy(asc(seatRequests.requestedAt))
    .all();
}

export type SeatRequestDecision =
  | { status: "notFound" }
  | { status: "full" | "noLicence"; name: string }
  | { status: "approved" | "declined"; name: string };

/**
 * Approving gives the person a seat on the municipality's current licence and closes the request
 * in one transaction; a full licence leaves the request open. Either answer is mailed to the
 * person afterwards, since they were told on signing in that they would hear.
 */
export async function decideSeatRequest(
  admin: Admin,
  requestId: number,
  decision: "approve" | "decline",
  now = new Date(),
): Promise<SeatRequestDecision> {
  const decided = db.transaction(
    (tx): { answer: SeatRequestDecision; mailTo: string | null } => {
      const request = tx
        .select({
          id: seatRequests.id,
          organisationId: seatRequests.organisationId,
          userId: users.id,
          name: users.name,
          email: users.email,
        })
        .from(seatRequests)
        .innerJoin(memberships, administeredBy(admin))
        .innerJoin(users, eq(users.id, seatRequests.userId))
        .where(and(eq(seatRequests.id, requestId), isNull(seatRequests.decidedAt)))
        .get();
      if (!request) return { answer: { status: "notFound" }, mailTo: null };
      const { name, email } = request;
      if (decision === "approve") {
        const seat = claimCurrentSeat(tx, request.organisationId, { id: request.userId, email }, admin.id, now);
        if (seat === "full") return { answer: { status: "full", name }, mailTo: null };
        if (seat === "none") return { answer: { status: "noLicence", name }, mailTo: null };
      }
      const status = decision === "approve" ? "approved" : "declined";
      tx.update(seatRequests)
        .set({ decidedAt: now, decidedBy: admin.id, decision: status })
        .where(eq(seatRequests.id, request.id))
        .run();
      return { answer: { status, name }, mailTo: email };
    },
    { behavior: "immediate" },
  );
  if (decided.mailTo && (decided.answer.status === "approved" || decided.answer.status === "declined")) {
    await mailDecision(decided.mailTo, decided.answer.status);
  }
  return decided.answer;
}

// The person's language is not known before they choose one on the site, so the mail is in Danish.
const t = translator("da");

async function mailDecision(to: string, status: "approved" | "declined") {
  const link = `${getEnv().PUBLIC_URL}/kurser`;
  try {
    await sendEmail(
      status === "approved"
        ? { to, subject: t("seatRequests.approvedSubject"), text: t("seatRequests.approvedBody", { link }) }
        : { to, subject: t("seatRequests.declinedSubject"), text: t("seatRequests.declinedBody") },
    );
  } catch (error) {
    // The decision stands; the admin's page already shows it, and the person sees it when they sign in.
    console.error("Besked om en plads kunne ikke sendes:", error);
  }
}
