import { and, asc, desc, eq, gt, inArray, isNull } from "drizzle-orm";
import { invitations, licences, memberships, organisations, seatEvents, seats, users } from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { invoicesOfLicence, paymentState } from "~/billing/invoices.server";
import { isLicenceSuspended } from "./licences.server";
import { danishDate } from "~/i18n/dates";
import { invariantResponse } from "~/utils/http.server";

/** The organisations where the user is an admin; empty for everyone else. */
export function administeredOrganisations(user: Pick<SessionUser, "id">) {
  return db
    .select({ id: organisations.id, name: organisations.name })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.userId, user.id), eq(memberships.role, "admin")))
    .orderBy(asc(organisations.name))
    .all();
}

/**
 * The municipality an admin page is about: the one `?organisation=` names among those the user
 * administers, or the first of them without it. A guard: it throws a 404 when the address names one
 * they do not administer. The others come along for the page's organisation switcher.
 */
export function requestedOrganisation(user: Pick<SessionUser, "id">, request: Request) {
  const organisations = administeredOrganisations(user);
  const requested = new URL(request.url).searchParams.get("organisation");
  const organisation = requested ? organisations.find((o) => String(o.id) === requested) : organisations[0];
  invariantResponse(organisation, "notFound.organisation", { status: 404 });
  return { organisation, organisations };
}

/** Whether the user is an admin of this municipality. */
export const administers = (user: Pick<SessionUser, "id">, organisationId: number) =>
  administeredOrganisations(user).some((organisation) => organisation.id === organisationId);

/** The municipality with its address name (slug), when the user administers it; else null. */
export function administeredOrganisation(user: Pick<SessionUser, "id">, organisationId: number) {
  if (!administers(user, organisationId)) return null;
  return (
    db
      .select({ id: organisations.id, name: organisations.name, slug: organisations.slug })
      .from(organisations)
      .where(eq(organisations.id, organisationId))
      .get() ?? null
  );
}

/**
 * What an admin sees of their own municipality's licences: seats used of bought, who holds
 * them, invitations not yet accepted, and the seat log. Never another municipality's.
 */
export function licenceOverviewForAdmin(user: Pick<SessionUser, "id">, now = new Date()) {
  const organisationsAdministered = administeredOrganisations(user);
  const organisationIds = organisationsAdministered.map((o) => o.id);
  if (organisationIds.length === 0) return { organisations: [], licences: [] };
  const licenceRows = db
    .select()
    .from(licences)
    .where(inArray(licences.organisationId, organisationIds))
    .orderBy(desc(licences.startsOn))
    .all();
  return {
    organisations: organisationsAdministered,
    licences: licenceRows.map((licence) => {
      const holders = db
        .select({ seatId: seats.id, name: users.name, email: users.email, claimedAt: seats.claimedAt })
        .from(seats)
        .innerJoin(users, eq(users.id, seats.userId))
        .where(and(eq(seats.licenceId, licence.id), isNull(seats.revokedAt)))
        .orderBy(asc(users.name))
        .all();
      const pending = db
        .select({ id: invitations.id, email: invitations.email, expiresAt: invitations.expiresAt })
        .from(invitations)
        .where(
          and(eq(invitations.licenceId, licence.id), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)),
        )
        .orderBy(desc(invitations.createdAt))
        .all();
      const events = db
        .select({ id: seatEvents.id, kind: seatEvents.kind, email: seatEvents.subjectEmail, at: seatEvents.at })
        .from(seatEvents)
        .where(eq(seatEvents.licenceId, licence.id))
        .orderBy(desc(seatEvents.at), desc(seatEvents.id))
        .limit(50)
        .all();
      const invoices = invoicesOfLicence(licence.id);
      return {
        id: licence.id,
        organisationId: licence.organisationId,
        invoices,
        paymentState: paymentState(invoices, now),
        suspended: isLicenceSuspended(licence.id, now),
        ended: licence.endsOn < danishDate(now),
        startsOn: licence.startsOn,
        endsOn: licence.endsOn,
        seatCount: licence.seatCount,
        seatsUsed: holders.length,
        holders,
        pending,
        events,
      };
    }),
  };
}
