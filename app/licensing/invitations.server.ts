import { and, eq, gt, isNull } from "drizzle-orm";
import { invitations, licences, memberships, organisations, seatEvents, seats, users } from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { normaliseEmail } from "~/auth/auth.server";
import { consumeAllowance } from "~/auth/rate-limits.server";
import { hashPassword } from "~/auth/password.server";
import { hashSecretToken, newSecretToken } from "~/auth/secret-tokens.server";
import { db, type Tx } from "~/db.server";
import { forgetDeadLinks, sendEmail } from "~/email/mailer.server";
import { getEnv } from "~/env.server";
import { translator, type Language } from "~/i18n/i18n";
import { claimSeat, isLicenceSuspended, revokeSeat, seatsInUse } from "./licences.server";
import { danishDate } from "~/i18n/dates";

export const INVITATION_VALID_MS = 14 * 24 * 3600 * 1000;

/** The licences of the organisations the user administers, or null when this licence is not among them. */
export function administeredLicence(user: Pick<SessionUser, "id">, licenceId: number) {
  return (
    db
      .select({
        id: licences.id,
        organisationId: licences.organisationId,
        organisationName: organisations.name,
        seatCount: licences.seatCount,
        endsOn: licences.endsOn,
      })
      .from(licences)
      .innerJoin(organisations, eq(organisations.id, licences.organisationId))
      .innerJoin(
        memberships,
        and(eq(memberships.organisationId, licences.organisationId), eq(memberships.userId, user.id)),
      )
      .where(and(eq(licences.id, licenceId), eq(memberships.role, "admin")))
      .get() ?? null
  );
}

/**
 * A seat, in use or already taken back, on a licence this admin administers, with its holder's
 * address; null for any other seat. A seat taken back is still found, so a page shown before
 * that happened can be told so rather than told the seat does not exist.
 */
function managedSeat(admin: Pick<SessionUser, "id">, seatId: number) {
  const seat = db
    .select({ licenceId: seats.licenceId, email: users.email, revokedAt: seats.revokedAt })
    .from(seats)
    .innerJoin(users, eq(users.id, seats.userId))
    .where(eq(seats.id, seatId))
    .get();
  const licence = seat ? administeredLicence(admin, seat.licenceId) : null;
  return seat && licence ? { ...seat, licence } : null;
}

export type RevokeResult =
  | { status: "revoked"; licenceId: number; email: string }
  | { status: "alreadyRevoked"; licenceId: number }
  | { status: "notFound" };

/** Takes a seat back on behalf of an admin of the licence's municipality, and logs it. */
export function revokeSeatAsAdmin(admin: Pick<SessionUser, "id">, seatId: number, now = new Date()): RevokeResult {
  const seat = managedSeat(admin, seatId);
  if (!seat) return { status: "notFound" };
  const licenceId = seat.licenceId;
  return db.transaction((tx): RevokeResult => {
    // Taken back since the admin's page was shown, perhaps from another tab.
    if (!revokeSeat(seatId, now, tx)) return { status: "alreadyRevoked", licenceId };
    tx.insert(seatEvents)
      .values({ licenceId, kind: "revoked", subjectEmail: seat.email, actorUserId: admin.id, at: now })
      .run();
    return { status: "revoked", licenceId, email: seat.email };
  });
}

/** Why no one could take a seat on the licence today, asked before anyone is invited to one. */
export type ClosedLicence = "ended" | "suspended";

function whyClosed(licence: { id: number; endsOn: string }, now: Date): ClosedLicence | null {
  if (licence.endsOn < danishDate(now)) return "ended";
  if (isLicenceSuspended(licence.id, now)) return "suspended";
  return null;
}

export type InviteResult =
  | { status: "invited" | "mailLimit"; email: string }
  | { status: "forbidden" }
  | { status: ClosedLicence }
  | { status: "full"; seatCount: number };

/** Whether the address may be sent one more invitation: however often an admin presses the button, a person gets a handful a day. */
const mayMailInvitation = (address: string) => consumeAllowance("invitationMail", address);

/** Saves an invitation and its log entry; `inviter` is null when the person asked for it through a join link. */
export function recordInvitation(
  tx: Tx,
  inviter: Pick<SessionUser, "id"> | null,
  licenceId: number,
  address: string,
  now: Date,
): string {
  const token = newSecretToken();
  const invitedBy = inviter?.id ?? null;
  tx.insert(invitations)
    .values({
      licenceId,
      email: address,
      tokenHash: hashSecretToken(token),
      invitedBy,
      expiresAt: new Date(now.getTime() + INVITATION_VALID_MS),
    })
    .run();
  tx.insert(seatEvents)
    .values({ licenceId, kind: "invited", subjectEmail: address, actorUserId: invitedBy, at: now })
    .run();
  return token;
}

/** Never rejects: a failed mail is logged. Callers sending many await it to send them one at a time. */
export function mailInvitation(
  admin: Pick<SessionUser, "name">,
  organisationName: string,
  address: string,
  token: string,
  language: Language,
) {
  const t = translator(language);
  return sendEmail({
    to: address,
    subject: t("invite.mailSubject", { organisation: organisationName }),
    text: t("invite.mailBody", {
      organisation: organisationName,
      inviter: admin.name,
      link: `${getEnv().PUBLIC_URL}/invitation/${token}`,
    }),
    linkTokenHash: hashSecretToken(token),
  }).catch((error: unknown) => console.error("Invitationen kunne ikke sendes:", error));
}

/**
 * Mails a two-week link that lets the address take a seat on the licence. An invitation nobody
 * could accept today would only disappoint the person invited, so none is sent while the licence
 * has ended, is suspended or has every seat in use. Invitations still pending do not count
 * against the seats, as in the CSV import: many are never accepted, and they lapse.
 */
export async function inviteToLicence(
  admin: Pick<SessionUser, "id" | "name">,
  licenceId: number,
  email: string,
  language: Language,
  now = new Date(),
): Promise<InviteResult> {
  const licence = administeredLicence(admin, licenceId);
  if (!licence) return { status: "forbidden" };
  const closed = whyClosed(licence, now);
  if (closed) return { status: closed };
  if (seatsInUse(licenceId) >= licence.seatCount) return { status: "full", seatCount: licence.seatCount };
  const address = normaliseEmail(email);
  if (!(await mayMailInvitation(address))) return { status: "mailLimit", email: address };
  const token = db.transaction((tx) => recordInvitation(tx, admin, licenceId, address, now));
  mailInvitation(admin, licence.organisationName, address, token, language);
  return { status: "invited", email: address };
}

export type ReassignResult =
  | { status: "reassigned"; licenceId: number; from: string; email: string }
  | { status: "notFound" }
  | { status: "alreadyRevoked" | ClosedLicence; licenceId: number }
  | { status: "mailLimit"; licenceId: number; email: string };

/**
 * Gives a seat to someone else: the current holder loses it (keeping their history) and the
 * new address is invited to the freed seat, both in the log. Nothing changes when the new
 * person could not take the seat today, or may not be mailed another invitation yet: the holder
 * would lose the seat for no one.
 */
export async function reassignSeat(
  admin: Pick<SessionUser, "id" | "name">,
  seatId: number,
  email: string,
  language: Language,
  now = new Date(),
): Promise<ReassignResult> {
  const seat = managedSeat(admin, seatId);
  if (!seat) return { status: "notFound" };
  const licenceId = seat.licenceId;
  if (seat.revokedAt) return { status: "alreadyRevoked", licenceId };
  const closed = whyClosed(seat.licence, now);
  if (closed) return { status: closed, licenceId };
  const address = normaliseEmail(email);
  if (!(await mayMailInvitation(address))) return { status: "mailLimit", licenceId, email: address };
  const token = db.transaction((tx) => {
    if (!revokeSeat(seatId, now, tx)) return null;
    tx.insert(seatEvents)
      .values({ licenceId, kind: "reassigned", subjectEmail: seat.email, actorUserId: admin.id, at: now })
      .run();
    return recordInvitation(tx, admin, licenceId, address, now);
  });
  if (!token) return { status: "alreadyRevoked", licenceId };
  mailInvitation(admin, seat.licence.organisationName, address, token, language);
  return { status: "reassigned", licenceId, from: seat.email, email: address };
}

export type OpenInvitation = {
  id: number;
  licenceId: number;
  email: string;
  organisationId: number;
  organisationName: string;
  hasAccount: boolean;
};

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
    .where(
      and(
        eq(invitations.tokenHash, hashSecretToken(token)),
        isNull(invitations.acceptedAt),
        gt(invitations.expiresAt, now),
      ),
    )
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
  const passwordHash =
    person.newAccount && !invitation.hasAccount ? await hashPassword(person.newAccount.password) : null;

  let refused: "full" | "notActive" | "suspended" | null = null;
  try {
    return db.transaction((tx): AcceptResult => {
      let userId = tx.select({ id: users.id }).from(users).where(eq(users.email, invitation.email)).get()?.id ?? null;
      if (userId != null && userId !== person.signedInUserId) return { status: "signInFirst" };
      if (userId == null) {
        if (!person.newAccount || !passwordHash) return { status: "signInFirst" };
        userId = tx
          .insert(users)
          .values({ email: invitation.email, name: person.newAccount.name, passwordHash })
          .returning({ id: users.id })
          .get().id;
      }
      const claim = claimSeat(invitation.licenceId, userId, now, tx);
      if (claim.status === "full" || claim.status === "notActive" || claim.status === "suspended") {
        // Rolling back takes the new account with it: nothing is half-saved when the licence is full.
        refused = claim.status;
        tx.rollback();
      }
      if (claim.status === "unknownLicence") return { status: "invalid" };
      tx.insert(memberships)
        .values({ userId, organisationId: invitation.organisationId, role: "learner" })
        .onConflictDoNothing()
        .run();
      tx.update(invitations).set({ acceptedAt: now }).where(eq(invitations.id, invitation.id)).run();
      // The link is spent: its copy in the outbox goes with it.
      forgetDeadLinks(tx, now, invitation.email);
      if (claim.status === "claimed") {
        tx.insert(seatEvents)
          .values({
            licenceId: invitation.licenceId,
            kind: "claimed",
            subjectEmail: invitation.email,
            actorUserId: userId,
            at: now,
          })
          .run();
      }
      return { status: "accepted", userId };
    });
  } catch (error) {
    if (refused) return { status: refused };
    throw error;
  }
}
