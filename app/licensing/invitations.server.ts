import { and, eq, gt, isNull } from "drizzle-orm";
import { invitations, licences, memberships, organisations, seatEvents, seats, users } from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { normaliseEmail } from "~/auth/auth.server";
import { hashPassword } from "~/auth/password.server";
import { hashSecretToken, newSecretToken } from "~/auth/secret-tokens.server";
import { db, type Tx } from "~/db.server";
import { sendEmail } from "~/email/mailer.server";
import { getEnv } from "~/env.server";
import { translator, type Language } from "~/i18n/i18n";
import { claimSeat, isLicenceSuspended, revokeSeat } from "./licences.server";

export const INVITATION_VALID_MS = 14 * 24 * 3600 * 1000;

/** The licences of the organisations the user administers, or null when this licence is not among them. */
export function administeredLicence(user: Pick<SessionUser, "id">, licenceId: number) {
  return (
    db
      .select({ id: licences.id, organisationId: licences.organisationId, organisationName: organisations.name, endsOn: licences.endsOn })
      .from(licences)
      .innerJoin(organisations, eq(organisations.id, licences.organisationId))
      .innerJoin(memberships, and(eq(memberships.organisationId, licences.organisationId), eq(memberships.userId, user.id)))
      .where(and(eq(licences.id, licenceId), eq(memberships.role, "admin")))
      .get() ?? null
  );
}

/** A seat in use on a licence this admin administers, with its holder's address; null for any other seat. */
function managedSeat(admin: Pick<SessionUser, "id">, seatId: number) {
  const seat = db
    .select({ licenceId: seats.licenceId, email: users.email })
    .from(seats)
    .innerJoin(users, eq(users.id, seats.userId))
    .where(and(eq(seats.id, seatId), isNull(seats.revokedAt)))
    .get();
  const licence = seat ? administeredLicence(admin, seat.licenceId) : null;
  return seat && licence ? { ...seat, organisationName: licence.organisationName } : null;
}

/** Takes a seat back on behalf of an admin of the licence's municipality, and logs it. */
export function revokeSeatAsAdmin(admin: Pick<SessionUser, "id">, seatId: number, now = new Date()): "revoked" | "notFound" {
  const seat = managedSeat(admin, seatId);
  if (!seat) return "notFound";
  return db.transaction((tx) => {
    if (!revokeSeat(seatId, now, tx)) return "notFound";
    tx.insert(seatEvents).values({ licenceId: seat.licenceId, kind: "revoked", subjectEmail: seat.email, actorUserId: admin.id, at: now }).run();
    return "revoked";
  });
}

export type InviteResult = { status: "invited" } | { status: "forbidden" } | { status: "suspended" };

/** Saves an invitation and its log entry; `inviter` is null when the person asked for it through a join link. */
export function recordInvitation(tx: Tx, inviter: Pick<SessionUser, "id"> | null, licenceId: number, address: string, now: Date): string {
  const token = newSecretToken();
  const invitedBy = inviter?.id ?? null;
  tx.insert(invitations)
    .values({ licenceId, email: address, tokenHash: hashSecretToken(token), invitedBy, expiresAt: new Date(now.getTime() + INVITATION_VALID_MS) })
    .run();
  tx.insert(seatEvents).values({ licenceId, kind: "invited", subjectEmail: address, actorUserId: invitedBy, at: now }).run();
  return token;
}

/** Never rejects: a failed mail is logged. Callers sending many await it to send them one at a time. */
export function mailInvitation(admin: Pick<SessionUser, "name">, organisationName: string, address: string, token: string, language: Language) {
  const t = translator(language);
  return sendEmail({
    to: address,
    subject: t("invite.mailSubject", { organisation: organisationName }),
    text: t("invite.mailBody", { organisation: organisationName, inviter: admin.name, link: `${getEnv().PUBLIC_URL}/invitation/${token}` }),
  }).catch((error: unknown) => console.error("Invitationen kunne ikke sendes:", error));
}

/** Mails a two-week link that lets the address take a seat on the licence. */
export function inviteToLicence(admin: Pick<SessionUser, "id" | "name">, licenceId: number, email: string, language: Language, now = new Date()): InviteResult {
  const licence = administeredLicence(admin, licenceId);
  if (!licence) return { status: "forbidden" };
  // An invitation nobody can accept would only disappoint the person invited.
  if (isLicenceSuspended(licenceId, now)) return { status: "suspended" };
  const address = normaliseEmail(email);
  const token = db.transaction((tx) => recordInvitation(tx, admin, licenceId, address, now));
  mailInvitation(admin, licence.organisationName, address, token, language);
  return { status: "invited" };
}

/**
 * Gives a seat to someone else: the current holder loses it (keeping their history) and the
 * new address is invited to the freed seat, both in the log.
 */
export function reassignSeat(
  admin: Pick<SessionUser, "id" | "name">,
  seatId: number,
  email: string,
  language: Language,
  now = new Date(),
): "reassigned" | "notFound" {
  const seat = managedSeat(admin, seatId);
  if (!seat) return "notFound";
  const address = normaliseEmail(email);
  const token = db.transaction((tx) => {
    if (!revokeSeat(seatId, now, tx)) return null;
    tx.insert(seatEvents).values({ licenceId: seat.licenceId, kind: "reassigned", subjectEmail: seat.email, actorUserId: admin.id, at: now }).run();
    return recordInvitation(tx, admin, seat.licenceId, address, now);
  });
  if (!token) return "notFound";
  mailInvitation(admin, seat.organisationName, address, token, language);
  return "reassigned";
}

export type OpenInvitation = { id: number; licenceId: number; email: string; organisationId: number; organisationName: string; hasAccount: boolean };

export function findOpenInvitation(token: string, now = new Date()): OpenInvitation | null {
  const row = db
    .select({
      id: invitations.id,
      licenceId: invitations.licenceId,
      email: invitations.email,
      organisationId: organisations.id,
      organisationName: organisations.name,
    })
    .from(invitations)
    .innerJoin(licences, eq(licences.id, invitations.licenceId))
    .innerJoin(organisations, eq(organisations.id, licences.organisationId))
    .where(and(eq(invitations.tokenHash, hashSecretToken(token)), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
    .get();
  if (!row) return null;
  const account = db.select({ id: users.id }).from(users).where(eq(users.email, row.email)).get();
  return { ...row, hasAccount: Boolean(account) };
}

export type AcceptResult =
  | { status: "accepted"; userId: number }
  | { status: "invalid" }
  | { status: "full" }
  | { status: "notActive" }
  | { status: "suspended" }
  | { status: "signInFirst" };

/**
 * Takes the seat the invitation offers. Someone new gives a name and password and gets an
 * account; someone who has one must be signed in as the invited address.
 */
export async function acceptInvitation(
  token: string,
  person: { signedInUserId: number | null; newAccount?: { name: string; password: string } },
  now = new Date(),
): Promise<AcceptResult> {
  const invitation = findOpenInvitation(token, now);
  if (!invitation) return { status: "invalid" };
  const passwordHash = person.newAccount && !invitation.hasAccount ? await hashPassword(person.newAccount.password) : null;

  let refused: "full" | "notActive" | "suspended" | null = null;
  try {
    return db.transaction((tx): AcceptResult => {
      let userId = tx.select({ id: users.id }).from(users).where(eq(users.email, invitation.email)).get()?.id ?? null;
      if (userId != null && userId !== person.signedInUserId) return { status: "signInFirst" };
      if (userId == null) {
        if (!person.newAccount || !passwordHash) return { status: "signInFirst" };
        userId = tx.insert(users).values({ email: invitation.email, name: person.newAccount.name, passwordHash }).returning({ id: users.id }).get().id;
      }
      const claim = claimSeat(invitation.licenceId, userId, now, tx);
      if (claim.status === "full" || claim.status === "notActive" || claim.status === "suspended") {
        // Rolling back takes the new account with it: nothing is half-saved when the licence is full.
        refused = claim.status;
        tx.rollback();
      }
      if (claim.status === "unknownLicence") return { status: "invalid" };
      tx.insert(memberships).values({ userId, organisationId: invitation.organisationId, role: "learner" }).onConflictDoNothing().run();
      tx.update(invitations).set({ acceptedAt: now }).where(eq(invitations.id, invitation.id)).run();
      if (claim.status === "claimed") {
        tx.insert(seatEvents)
          .values({ licenceId: invitation.licenceId, kind: "claimed", subjectEmail: invitation.email, actorUserId: userId, at: now })
          .run();
      }
      return { status: "accepted", userId };
    });
  } catch (error) {
    if (refused) return { status: refused };
    throw error;
  }
}
