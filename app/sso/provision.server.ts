import { and, desc, eq, gte, inArray, isNull, lte } from "drizzle-orm";
import {
  externalIdentities,
  type identityProviders,
  licences,
  memberships,
  seatEvents,
  seatRequests,
  seats,
  users,
  type MembershipRole,
  type SsoSeatPolicy,
} from "#db/schema";
import { db, type Tx } from "~/db.server";
import { safeRedirectPath } from "~/utils/http.server";
import { recordProviderError } from "./connections.server";
import type { SsoSignInResult } from "./sign-in-flow.server";
import { danishDate } from "~/i18n/dates";
import { claimSeat } from "~/licensing/licences.server";
import { isOwnAddress, unitIdByName } from "~/licensing/municipality-lookups.server";

/** What the provider said about the person, already read through the provider's claim map. */
export type SsoPerson = {
  issuer: string;
  subject: string;
  email: string | null;
  /** False only when the provider says outright that the address is not verified. */
  emailVerified: boolean;
  name: string | null;
  unit: string | null;
  groups: string[];
};

export type SsoProvider = {
  id: number;
  organisationId: number;
  seatPolicy: SsoSeatPolicy;
  leaderGroups: string[];
  adminGroups: string[];
};

/**
 * claimed/held: the person has a seat; full: every current licence is full; requested: the admin
 * approves seats and has been asked; none: no current licence exists.
 */
export type SeatOutcome = "claimed" | "held" | "full" | "requested" | "none";

export type ProvisionResult =
  | { ok: true; userId: number; seat: SeatOutcome }
  | {
      ok: false;
      reason:
        "sso.signIn.missingEmail" | "sso.signIn.domainNotOurs" | "sso.signIn.alreadyLinked" | "sso.signIn.deactivated";
    };

function roleFromGroups(provider: SsoProvider, groups: string[]): MembershipRole | null {
  if (provider.adminGroups.length === 0 && provider.leaderGroups.length === 0) return null;
  if (groups.some((group) => provider.adminGroups.includes(group))) return "admin";
  if (groups.some((group) => provider.leaderGroups.includes(group))) return "leader";
  return "learner";
}

function currentLicences(tx: Tx, organisationId: number, now: Date) {
  const today = danishDate(now);
  return tx
    .select({ id: licences.id })
    .from(licences)
    .where(and(eq(licences.organisationId, organisationId), lte(licences.startsOn, today), gte(licences.endsOn, today)))
    .orderBy(desc(licences.endsOn))
    .all();
}

/**
 * A seat on one of the municipality's current licences, the one that runs longest first. The
 * actor is the person themselves when they sign in, or the admin who approves their request.
 */
export function claimCurrentSeat(
  tx: Tx,
  organisationId: number,
  person: { id: number; email: string },
  actorUserId: number,
  now: Date,
): SeatOutcome {
  let full = false;
  for (const licence of currentLicences(tx, organisationId, now)) {
    const claim = claimSeat(licence.id, person.id, now, tx);
    if (claim.status === "alreadyHolds") return "held";
    if (claim.status === "claimed") {
      tx.insert(seatEvents)
        .values({ licenceId: licence.id, kind: "claimed", subjectEmail: person.email, actorUserId, at: now })
        .run();
      return "claimed";
    }
    if (claim.status === "full") full = true;
  }
  return full ? "full" : "none";
}

/** Under the "approval" policy a person without a seat waits in the admin's list; asking twice keeps one request. */
function requestSeat(tx: Tx, organisationId: number, userId: number, now: Date): SeatOutcome {
  const licenceIds = currentLicences(tx, organisationId, now).map((licence) => licence.id);
  if (licenceIds.length === 0) return "none";
  const held = tx
    .select({ id: seats.id })
    .from(seats)
    .where(and(inArray(seats.licenceId, licenceIds), eq(seats.userId, userId), isNull(seats.revokedAt)))
    .get();
  if (held) return "held";
  tx.insert(seatRequests).values({ organisationId, userId, requestedAt: now }).onConflictDoNothing().run();
  return "requested";
}

/**
 * Finds or makes the platform account for a person the provider vouched for, in one transaction.
 * The account is found by issuer and subject; only the first sign-in may go by e-mail address,
 * and only with an address in this municipality's own domains.
 */
export function provisionSsoUser(provider: SsoProvider, person: SsoPerson, now = new Date()): ProvisionResult {
  return db.transaction(
    (tx): ProvisionResult => {
      const linked = tx
        .select({ id: externalIdentities.id, userId: externalIdentities.userId })
        .from(externalIdentities)
        .where(and(eq(externalIdentities.issuer, person.issuer), eq(externalIdentities.subject, person.subject)))
        .get();

      let userId: number;
      let email: string;
      if (linked) {
        userId = linked.userId;
        const account = tx
          .select({ email: users.email, deactivatedAt: users.deactivatedAt })
          .from(users)
          .where(eq(users.id, userId))
          .get();
        if (account?.deactivatedAt) return { ok: false, reason: "sso.signIn.deactivated" };
        email = account?.email ?? "";
        tx.update(externalIdentities).set({ lastSignInAt: now }).where(eq(externalIdentities.id, linked.id)).run();
      } else {
        if (!person.email || !person.emailVerified) return { ok: false, reason: "sso.signIn.missingEmail" };
        email = person.email.trim().toLowerCase();
        if (!isOwnAddress(tx, provider.organisationId, email)) return { ok: false, reason: "sso.signIn.domainNotOurs" };
        const existing = tx
          .select({ id: users.id, deactivatedAt: users.deactivatedAt })
          .from(users)
          .where(eq(users.email, email))
          .get();
        if (existing?.deactivatedAt) return { ok: false, reason: "sso.signIn.deactivated" };
        if (existing) {
          // The address links the account once; a second subject with the same address is someone else.
          const other = tx
            .select({ id: externalIdentities.id })
            .from(externalIdentities)
            .where(and(eq(externalIdentities.userId, existing.id), eq(externalIdentities.providerId, provider.id)))
            .get();
          if (other) return { ok: false, reason: "sso.signIn.alreadyLinked" };
          console.info(
            `Kommunelogin: konto ${existing.id} er knyttet til ${person.issuer} (${person.subject}) via e-mail`,
          );
          userId = existing.id;
        } else {
          userId = tx
            .insert(users)
            .values({ email, name: person.name?.trim() || email })
            .returning({ id: users.id })
            .get().id;
        }
        tx.insert(externalIdentities)
          .values({
            userId,
            providerId: provider.id,
            issuer: person.issuer,
            subject: person.subject,
            linkedAt: now,
            lastSignInAt: now,
          })
          .run();
      }

      if (person.name?.trim()) tx.update(users).set({ name: person.name.trim() }).where(eq(users.id, userId)).run();
      const role = roleFromGroups(provider, person.groups);
      const unitId = unitIdByName(tx, provider.organisationId, person.unit);
      // A role the provider does not manage (no groups configured) stays as the admin set it, and so does a unit it does not name.
      const changes = { ...(role && { role }), ...(unitId !== null && { unitId }) };
      const membership = tx
        .insert(memberships)
        .values({ userId, organisationId: provider.organisationId, role: role ?? "learner", unitId });
      if (Object.keys(changes).length > 0) {
        membership.onConflictDoUpdate({ target: [memberships.userId, memberships.organisationId], set: changes }).run();
      } else {
        membership.onConflictDoNothing().run();
      }

      const seat =
        provider.seatPolicy === "auto"
          ? claimCurrentSeat(tx, provider.organisationId, { id: userId, email }, userId, now)
          : requestSeat(tx, provider.organisationId, userId, now);
      return { ok: true, userId, seat };
    },
    { behavior: "immediate" },
  );
}

/**
 * The end of a sign-in both protocols share: the account made or found for the person the
 * provider vouched for, as the result `ssoSignInResponse` answers. A missing address is the
 * provider's set-up, so it goes in the admin's error log with `missingEmailDetail`.
 */
export function provisionForSignIn(
  provider: typeof identityProviders.$inferSelect,
  person: SsoPerson,
  {
    redirectTo,
    idToken,
    missingEmailDetail,
  }: { redirectTo: string | null; idToken: string | null; missingEmailDetail: string },
  now = new Date(),
): SsoSignInResult {
  const provisioned = provisionSsoUser(
    {
      id: provider.id,
      organisationId: provider.organisationId,
      seatPolicy: provider.seatPolicy,
      leaderGroups: JSON.parse(provider.leaderGroups) as string[],
      adminGroups: JSON.parse(provider.adminGroups) as string[],
    },
    person,
    now,
  );
  if (!provisioned.ok) {
    if (provisioned.reason === "sso.signIn.missingEmail")
      recordProviderError(db, provider.id, provisioned.reason, missingEmailDetail, now);
    return { ok: false, reason: provisioned.reason };
  }
  return {
    ok: true,
    userId: provisioned.userId,
    providerId: provider.id,
    organisationId: provider.organisationId,
    idToken,
    seat: provisioned.seat,
    redirectTo: safeRedirectPath(redirectTo),
  };
}
