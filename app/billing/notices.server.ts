import { and, desc, eq, gte, inArray, lt, lte } from "drizzle-orm";
import {
  invoices,
  licenceNotices,
  licences,
  memberships,
  orders,
  organisations,
  unpaidInvoiceStatuses,
  users,
} from "#db/schema";
import { db } from "~/db.server";
import { sendEmail } from "~/email/mailer.server";
import { sendOnce } from "~/email/send-once.server";
import { getEnv } from "~/env.server";
import { formatDay, translator } from "~/i18n/i18n";
import { SUSPEND_AFTER_DAYS_OVERDUE } from "~/licensing/licences.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { formatKroner } from "./money";

// Notices to municipalities are written in Danish: they go to shared public mailboxes.
const t = translator("da");

function adminAddresses(organisationId: number): string[] {
  return db
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.role, "admin")))
    .all()
    .map((row) => row.email);
}

function ownerAddresses(): string[] {
  return db
    .select({ email: users.email })
    .from(users)
    .where(eq(users.platformRole, "owner"))
    .all()
    .map((row) => row.email);
}

type NoticeKey = { licenceId: number; kind: (typeof licenceNotices.$inferInsert)["kind"]; invoiceId: number };

/** A licence notice once: the licence_notices row is the claim (see sendOnce). */
async function sendNoticeOnce(key: NoticeKey, now: Date, send: () => Promise<void>) {
  await sendOnce({
    claim: () =>
      db
        .insert(licenceNotices)
        .values({ ...key, sentAt: now })
        .onConflictDoNothing()
        .run().changes === 1,
    release: () =>
      db
        .delete(licenceNotices)
        .where(
          and(
            eq(licenceNotices.licenceId, key.licenceId),
            eq(licenceNotices.kind, key.kind),
            eq(licenceNotices.invoiceId, key.invoiceId),
          ),
        )
        .run(),
    send,
  });
}

async function mailAll(addresses: string[], subject: string, text: string) {
  for (const to of new Set(addresses)) await sendEmail({ to, subject, text });
}

/**
 * Tells the municipality's admins that their payment has arrived; called once, when an invoice
 * first becomes paid. The payment is recorded whether or not the mail gets through.
 */
export async function notifyInvoicePaid(invoiceId: number) {
  try {
    await mailInvoicePaid(invoiceId);
  } catch (error) {
    console.error(`Kvitteringen for faktura ${invoiceId} kunne ikke sendes:`, error);
  }
}

async function mailInvoicePaid(invoiceId: number) {
  const row = db
    .select({ number: invoices.number, grossOre: invoices.grossOre, organisationId: orders.organisationId })
    .from(invoices)
    .innerJoin(orders, eq(orders.id, invoices.orderId))
    .where(eq(invoices.id, invoiceId))
    .get();
  if (!row) return;
  await mailAll(
    adminAddresses(row.organisationId),
    t("notice.paidSubject", { number: row.number ?? "" }),
    t("notice.paidBody", {
      number: row.number ?? "",
      total: formatKroner(row.grossOre),
      link: `${getEnv().PUBLIC_URL}/administration`,
    }),
  );
}

/**
 * Someone signing in through the municipality's login found every seat taken: the admins hear
 * about it once per licence, not once per person turned away.
 */
export async function tellAdminsSeatsAreFull(organisationId: number, now = new Date()) {
  const today = danishDate(now);
  const licence = db
    .select({ id: licences.id, seatCount: licences.seatCount, organisationName: organisations.name })
    .from(licences)
    .innerJoin(organisations, eq(organisations.id, licences.organisationId))
    .where(and(eq(licences.organisationId, organisationId), lte(licences.startsOn, today), gte(licences.endsOn, today)))
    .orderBy(desc(licences.endsOn))
    .get();
  if (!licence) return;
  const values = {
    organisation: licence.organisationName,
    seats: String(licence.seatCount),
    link: `${getEnv().PUBLIC_URL}/administration`,
  };
  await sendNoticeOnce({ licenceId: licence.id, kind: "seats_full", invoiceId: 0 }, now, () =>
    mailAll(adminAddresses(organisationId), t("notice.seatsFullSubject", values), t("notice.seatsFullBody", values)),
  );
}

/**
 * Once an invoice is unpaid 14 days past its due date, new seats stop (see isLicenceSuspended);
 * the admins and the owner hear about it once, so they can sort it out.
 */
async function sendOverdueNotices(now: Date) {
  const lastAcceptableDueDate = shiftDays(danishDate(now), -SUSPEND_AFTER_DAYS_OVERDUE);
  const overdue = db
    .select({
      invoiceId: invoices.id,
      number: invoices.number,
      dueDate: invoices.dueDate,
      grossOre: invoices.grossOre,
      licenceId: orders.licenceId,
      organisationId: orders.organisationId,
      organisationName: organisations.name,
    })
    .from(invoices)
    .innerJoin(orders, eq(orders.id, invoices.orderId))
    .innerJoin(organisations, eq(organisations.id, orders.organisationId))
    .where(and(inArray(invoices.status, unpaidInvoiceStatuses), lt(invoices.dueDate, lastAcceptableDueDate)))
    .all();
  for (const invoice of overdue) {
    const values = {
      number: invoice.number ?? "",
      organisation: invoice.organisationName,
      due: formatDay("da", invoice.dueDate),
      total: formatKroner(invoice.grossOre),
      link: `${getEnv().PUBLIC_URL}/administration`,
    };
    await sendNoticeOnce(
      { licenceId: invoice.licenceId, kind: "invoice_overdue", invoiceId: invoice.invoiceId },
      now,
      () =>
        mailAll(
          [...adminAddresses(invoice.organisationId), ...ownerAddresses()],
          t("notice.overdueSubject", values),
          t("notice.overdueBody", values),
        ),
    );
  }
}

function daysBetween(from: string, to: string) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const END_NOTICES = [
  { days: 60, kind: "ends_in_60_days" },
  { days: 30, kind: "ends_in_30_days" },
] as const;

/** 60 and 30 days before a licence ends, its admins are told, with a link that renews it in one step. */
async function sendEndNotices(now: Date) {
  const today = danishDate(now);
  for (const notice of END_NOTICES) {
    const ending = db
      .select({
        id: licences.id,
        endsOn: licences.endsOn,
        organisationId: licences.organisationId,
        organisationName: organisations.name,
      })
      .from(licences)
      .innerJoin(organisations, eq(organisations.id, licences.organisationId))
      .where(and(gte(licences.endsOn, today), lte(licences.endsOn, shiftDays(today, notice.days))))
      .all();
    for (const licence of ending) {
      // A licence already renewed needs no reminder.
      const renewed = db
        .select({ id: orders.id })
        .from(orders)
        .innerJoin(licences, eq(licences.id, orders.licenceId))
        .where(
          and(
            eq(orders.kind, "renewal"),
            eq(orders.organisationId, licence.organisationId),
            gte(licences.startsOn, shiftDays(licence.endsOn, 1)),
          ),
        )
        .get();
      if (renewed) continue;
      // The 60-day notice is not sent late on top of the 30-day one.
      if (notice.days === 60 && licence.endsOn <= shiftDays(today, 30)) continue;
      const values = {
        organisation: licence.organisationName,
        end: formatDay("da", licence.endsOn),
        days: String(daysBetween(today, licence.endsOn)),
        link: `${getEnv().PUBLIC_URL}/administration/bestil?forny=${licence.id}`,
      };
      await sendNoticeOnce({ licenceId: licence.id, kind: notice.kind, invoiceId: 0 }, now, () =>
        mailAll(
          adminAddresses(licence.organisationId),
          t("notice.endingSubject", values),
          t("notice.endingBody", values),
        ),
      );
    }
  }
}

/** Everything the billing job sends; each notice at most once, however often it runs. */
export async function sendDueNotices(now = new Date()) {
  await sendOverdueNotices(now);
  await sendEndNotices(now);
}
