import { and, desc, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import { invitations, joinLinks, licences, memberships, organisations, seatEvents, seats, users } from "#db/schema";
import { normaliseEmail } from "~/auth/auth.server";
import { hashSecretToken, newSecretToken } from "~/auth/secret-tokens.server";
import type { SessionUser } from "~/auth/session.server";
import { consumeAllowance } from "~/auth/rate-limits.server";
import { db, type Tx } from "~/db.server";
import { sendEmail } from "~/email/mailer.server";
import { getEnv } from "~/env.server";
import { isOwnAddress } from "./municipality-lookups.server";
import type { MessageKey } from "~/i18n/da";
import { translator, type Language } from "~/i18n/i18n";
import { JOIN_LINK_MAX_DAYS, JOIN_LINK_MAX_USES } from "./forms";
import { administeredLicence, INVITATION_VALID_MS, recordInvitation } from "./invitations.server";
import { claimSeat, isLicenceSuspended, seatsInUse } from "./licences.server";
import { danishDate, endOfDanishDay, isIsoDate, shiftDays } from "~/i18n/dates";

export type JoinLinkState = "active" | "expired" | "revoked" | "usedUp";

function stateOf(
  link: { revokedAt: Date | null; expiresAt: Date; uses: number; maxUses: number },
  now: Date,
): JoinLinkState {
  if (link.revokedAt) return "revoked";
  if (link.expiresAt <= now) return "expired";
  if (link.uses >= link.maxUses) return "usedUp";
  return "active";
}

export type CreateJoinLinkResult =
  | { status: "created"; url: string }
  | { status: "notFound" }
  | { status: "invalid"; field: "expiresOn" | "maxUses"; message: MessageKey };

/**
 * Creates a link to one of the admin's licences. Only its hash is kept, so the link is shown
 * this once. It cannot outlive the licence or admit more people than the licence has seats.
 */
export function createJoinLink(
  admin: Pick<SessionUser, "id">,
  input: { licenceId: number; expiresOn: string; maxUses: number },
  now = new Date(),
): CreateJoinLinkResult {
  const licence = administeredLicence(admin, input.licenceId);
  if (!licence) return { status: "notFound" };
  const today = danishDate(now);
  const invalid = (field: "expiresOn" | "maxUses", message: MessageKey) =>
    ({ status: "invalid", field, message }) as const;
  if (!isIsoDate(input.expiresOn)) return invalid("expiresOn", "joinLinks.expiryInvalid");
  if (input.expiresOn < today) return invalid("expiresOn", "joinLinks.expiryPast");
  if (input.expiresOn > shiftDays(today, JOIN_LINK_MAX_DAYS)) return invalid("expiresOn", "joinLinks.expiryTooFar");
  if (input.expiresOn > licence.endsOn) return invalid("expiresOn", "joinLinks.expiryAfterLicence");
  const seatCount =
    db.select({ seatCount: licences.seatCount }).from(licences).where(eq(licences.id, licence.id)).get()?.seatCount ??
    0;
  if (!Number.isInteger(input.maxUses) || input.maxUses < 1 || input.maxUses > JOIN_LINK_MAX_USES)
    return invalid("maxUses", "joinLinks.usesRange");
  if (input.maxUses > seatCount) return invalid("maxUses", "joinLinks.usesAboveSeats");

  const token = newSecretToken();
  db.insert(joinLinks)
    .values({
      licenceId: licence.id,
      tokenHash: hashSecretToken(token),
      expiresAt: endOfDanishDay(input.expiresOn),
      maxUses: input.maxUses,
      createdBy: admin.id,
    })
    .run();
  return { status: "created", url: `${getEnv().PUBLIC_URL}/deltag/${token}` };
}

/** The ids of the licences of the municipalities the user is an admin of, as a subquery. */
function administeredLicenceIds(admin: Pick<SessionUser, "id">) {
  return db
    .select({ id: licences.id })
    .from(licences)
    .innerJoin(
      memberships,
      and(eq(memberships.organisationId, licences.organisationId), eq(memberships.userId, admin.id)),
    )
    .where(eq(memberships.role, "admin"));
}

/** A link with its licence's period and what stateOf needs, as the admin's list and the join page both read it. */
const linkColumns = {
  id: joinLinks.id,
  licenceId: joinLinks.licenceId,
  startsOn: licences.startsOn,
  endsOn: licences.endsOn,
  uses: joinLinks.uses,
  maxUses: joinLinks.maxUses,
  expiresAt: joinLinks.expiresAt,
  revokedAt: joinLinks.revokedAt,
};

/** The links of the admin's own municipalities, newest first; never another municipality's. */
export function joinLinksForAdmin(admin: Pick<SessionUser, "id">, now = new Date()) {
  return db
    .select({ ...linkColumns, createdAt: joinLinks.createdAt })
    .from(joinLinks)
    .innerJoin(licences, eq(licences.id, joinLinks.licenceId))
    .where(inArray(joinLinks.licenceId, administeredLicenceIds(admin)))
    .orderBy(desc(joinLinks.createdAt), desc(joinLinks.id))
    .all()
    .map((link) => ({ ...link, state: stateOf(link, now) }));
}

/** Closes a link for good. Closing it again changes nothing; another municipality's link is "notFound". */
export function revokeJoinLink(
  admin: Pick<SessionUser, "id">,
  linkId: number,
  now = new Date(),
): "revoked" | "notFound" {
  const result = db
    .update(joinLinks)
    .set({ revokedAt: sql`coalesce(${joinLinks.revokedAt}, ${now.getTime()})` })
    .where(and(eq(joinLinks.id, linkId), inArray(joinLinks.licenceId, administeredLicenceIds(admin))))
    .run();
  return result.changes === 1 ? "revoked" : "notFound";
}

type OpenJoinLink = {
  id: number;
  licenceId: number;
  organisationId: number;
  organisationName: string;
  seatCount: number;
  startsOn: string;
  endsOn: string;
};

export type JoinLinkLookup = { status: "unknown" } | { status: "closed" } | { status: "open"; link: OpenJoinLink };

export function findJoinLink(token: string, now = new Date()): JoinLinkLookup {
  const row = db
    .select({
      ...linkColumns,
      organisationId: organisations.id,
      organisationName: organisations.name,
      seatCount: licences.seatCount,
    })
    .from(joinLinks)
    .innerJoin(licences, eq(licences.id, joinLinks.licenceId))
    .innerJoin(organisations, eq(organisations.id, licences.organisationId))
    .where(eq(joinLinks.tokenHash, hashSecretToken(token)))
    .get();
  if (!row) return { status: "unknown" };
  if (stateOf(row, now) !== "active") return { status: "closed" };
  return { status: "open", link: row };
}

/**
 * Counts one use, only while the link is open and not used up. The test and the increment are
 * one statement, so however many people use the link at once, it admits no more than maxUses.
 */
function consumeUse(tx: Tx, linkId: number, now: Date): boolean {
  const result = tx
    .update(joinLinks)
    .set({ uses: sql`${joinLinks.uses} + 1` })
    .where(
      and(
        eq(joinLinks.id, linkId),
        isNull(joinLinks.revokedAt),
        gt(joinLinks.expiresAt, now),
        lt(joinLinks.uses, joinLinks.maxUses),
      ),
    )
    .run();
  return result.changes === 1;
}

type SeatRefusal = "full" | "notActive" | "suspended";

/** The tests claimSeat makes, asked ahead: a request acceptance would refuse sends no mail and uses nothing. */
function whyNoSeat(tx: Tx, link: OpenJoinLink, now: Date): SeatRefusal | null {
  const today = danishDate(now);
  if (today < link.startsOn || today > link.endsOn) return "notActive";
  if (isLicenceSuspended(link.licenceId, now, tx)) return "suspended";
  if (seatsInUse(link.licenceId, tx) >= link.seatCount) return "full";
  return null;
}

function holdsSeat(tx: Tx, licenceId: number, address: string) {
  const row = tx
    .select({ id: seats.id })
    .from(seats)
    .innerJoin(users, eq(users.id, seats.userId))
    .where(and(eq(seats.licenceId, licenceId), eq(users.email, address), isNull(seats.revokedAt)))
    .get();
  return row !== undefined;
}

function mailJoinRequest(
  mail: { subject: MessageKey; body: MessageKey; link: string; linkTokenHash?: string },
  organisationName: string,
  address: string,
  language: Language,
) {
  const t = translator(language);
  sendEmail({
    to: address,
    subject: t(mail.subject, { organisation: organisationName }),
    text: t(mail.body, { organisation: organisationName, link: mail.link }),
    linkTokenHash: mail.linkTokenHash,
  }).catch((error: unknown) => console.error("Mailen fra tilmeldingslinket kunne ikke sendes:", error));
}

export type JoinRequestResult =
  { status: "sent" } | { status: "unknown" | "closed" | "wrongDomain" | "tooMany" | SeatRefusal };

/**
 * Someone who is not signed in asks for a seat with a work address. Nothing is given until they
 * prove the address is theirs: they are mailed an ordinary invitation, whose acceptance creates
 * the account and claims the seat in one transaction. Otherwise anyone holding the link could
 * make an account in a colleague's name.
 *
 * The use is counted now, when the invitation is made, not at acceptance: an invitation does not
 * record which link it came from, and counting here also caps how many mails a shared link can
 * send. A second request for the same address re-sends its pending invitation with a new token
 * and uses nothing; someone who already holds a seat is mailed a sign-in link instead. The answer
 * on the page is the same in every case, so it tells no one who is registered.
 *
 * Each request may send a mail, so an address gets only a few an hour and one client a few
 * hundred (a whole town hall may share one address the day the link goes out). Both are counted
 * after the domain check, which reads only the municipality's own domains and sends nothing, and
 * before anything about the person is looked up: "too many" says nothing about who exists.
 */
export async function requestSeatWithJoinLink(
  token: string,
  email: string,
  language: Language,
  clientAddress: string,
  now = new Date(),
): Promise<JoinRequestResult> {
  const found = findJoinLink(token, now);
  if (found.status !== "open") return { status: found.status };
  const { link } = found;
  const address = normaliseEmail(email);
  if (!isOwnAddress(db, link.organisationId, address)) return { status: "wrongDomain" };
  const allowed =
    (await consumeAllowance("joinLinkClient", clientAddress)) && (await consumeAllowance("joinLinkRequest", address));
  if (!allowed) return { status: "tooMany" };

  // Immediate: the checks read what the writes depend on, so the write lock is taken first.
  const outcome = db.transaction(
    (tx) => {
      // The licence's own state first, the same answer for every address: asked after the
      // address, a full licence would tell an outsider which addresses already hold a seat.
      const refusal = whyNoSeat(tx, link, now);
      if (refusal) return { status: refusal } as const;
      if (holdsSeat(tx, link.licenceId, address)) return { status: "holdsSeat" } as const;
      const pending = tx
        .select({ id: invitations.id })
        .from(invitations)
        .where(
          and(
            eq(invitations.licenceId, link.licenceId),
            eq(invitations.email, address),
            isNull(invitations.acceptedAt),
            gt(invitations.expiresAt, now),
          ),
        )
        .get();
      if (pending) {
        const renewed = newSecretToken();
        tx.update(invitations)
          .set({ tokenHash: hashSecretToken(renewed), expiresAt: new Date(now.getTime() + INVITATION_VALID_MS) })
          .where(eq(invitations.id, pending.id))
          .run();
        return { status: "invite", token: renewed } as const;
      }
      if (!consumeUse(tx, link.id, now)) return { status: "closed" } as const;
      return { status: "invite", token: recordInvitation(tx, null, link.licenceId, address, now) } as const;
    },
    { behavior: "immediate" },
  );

  if (outcome.status === "invite") {
    const mail = {
      subject: "join.mailSubject",
      body: "join.mailBody",
      link: `${getEnv().PUBLIC_URL}/invitation/${outcome.token}`,
      linkTokenHash: hashSecretToken(outcome.token),
    } as const;
    mailJoinRequest(mail, link.organisationName, address, language);
    return { status: "sent" };
  }
  if (outcome.status === "holdsSeat") {
    const mail = {
      subject: "join.mailHoldsSubject",
      body: "join.mailHoldsBody",
      link: `${getEnv().PUBLIC_URL}/log-ind`,
    } as const;
    mailJoinRequest(mail, link.organisationName, address, language);
    return { status: "sent" };
  }
  return outcome;
}

export type JoinClaimResult = { status: "claimed" } | { status: "unknown" | "closed" | "wrongDomain" | SeatRefusal };

/**
 * Someone signed in takes a seat at once: their account's address is already proven. The use,
 * the seat, the membership and the log entry are one transaction; a person who already holds a
 * seat on the licence uses nothing.
 */
export function claimSeatWithJoinLink(
  token: string,
  user: Pick<SessionUser, "id" | "email">,
  now = new Date(),
): JoinClaimResult {
  const found = findJoinLink(token, now);
  if (found.status !== "open") return { status: found.status };
  const { link } = found;
  let usedUp = false;
  try {
    return db.transaction(
      (tx): JoinClaimResult => {
        if (!isOwnAddress(tx, link.organisationId, user.email)) return { status: "wrongDomain" };
        const claim = claimSeat(link.licenceId, user.id, now, tx);
        if (claim.status === "alreadyHolds") return { status: "claimed" };
        if (claim.status === "unknownLicence") return { status: "unknown" };
        if (claim.status !== "claimed") return { status: claim.status };
        if (!consumeUse(tx, link.id, now)) {
          // Another person took the last use since the lookup: the seat just inserted goes back.
          usedUp = true;
          tx.rollback();
        }
        tx.insert(memberships)
          .values({ userId: user.id, organisationId: link.organisationId, role: "learner" })
          .onConflictDoNothing()
          .run();
        tx.insert(seatEvents)
          .values({
            licenceId: link.licenceId,
            kind: "claimed",
            subjectEmail: user.email,
            actorUserId: user.id,
            at: now,
          })
          .run();
        return { status: "claimed" };
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (usedUp) return { status: "closed" };
    throw error;
  }
}
