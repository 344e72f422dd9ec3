import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import { licences, users } from "#db/schema";
import { orderSchema } from "~/billing/forms";
import { invoiceDocument } from "~/billing/invoices.server";
import { buildOioublInvoice } from "~/billing/oioubl.server";
import { placeOrder } from "~/billing/orders.server";
import { renderInvoicePdf } from "~/billing/pdf.server";
import { db } from "~/db.server";
import { importInvitations } from "~/licensing/invitation-import.server";
import { seatsInUse } from "~/licensing/licences.server";
import { pilotOrderFields } from "../utils/fixtures";
import { fixed, printTable, summarise, timed, whole } from "./report";

/**
 * What a municipality waits for when it orders: placing an order (licence, order and numbered
 * invoice in one transaction, then the mail), rendering its PDF and OIOUBL file, and importing
 * a CSV of 10,000 staff. Runs on the manual provider, so no network is involved.
 */
export async function benchBilling({
  orders,
  renders,
  importRows,
}: {
  orders: number;
  renders: number;
  importRows: number;
}) {
  // In production mode every mail kept in the outbox warns that SMTP is missing: thousands of lines here.
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    await run({ orders, renders, importRows });
  } finally {
    console.warn = warn;
  }
}

async function run({ orders, renders, importRows }: { orders: number; renders: number; importRows: number }) {
  const admin = db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(eq(users.email, "admin@demo-kommune.dk"))
    .get();
  if (!admin) throw new Error("The seed has no admin@demo-kommune.dk");
  const order = (reference: string) => orderSchema.parse(pilotOrderFields({ orderReference: reference }));

  const placeSamples: number[] = [];
  let lastInvoice = 0;
  for (let index = 0; index < orders; index++) {
    const placed = await timed(placeSamples, () => placeOrder(admin, order(`BENCH-${index}`), new Date(), "manual"));
    if (placed.status !== "placed") throw new Error(`order ${index} was not placed: ${placed.status}`);
    lastInvoice = placed.invoiceId;
  }

  const document = invoiceDocument(lastInvoice);
  if (!document) throw new Error("the last invoice has no document");
  const pdfSamples: number[] = [];
  const xmlSamples: number[] = [];
  for (let index = 0; index < renders; index++) {
    await timed(pdfSamples, () => renderInvoicePdf(document, { kind: "invoice" }));
    await timed(xmlSamples, () => buildOioublInvoice(document));
  }

  // A licence big enough for the whole file, so the import is measured, not refused.
  const licenceId = db.select({ id: licences.id }).from(licences).where(eq(licences.organisationId, 1)).get()!.id;
  db.update(licences)
    .set({ seatCount: seatsInUse(licenceId) + importRows })
    .where(eq(licences.id, licenceId))
    .run();
  const csv = Buffer.from(
    [
      "navn;e-mail",
      ...Array.from({ length: importRows }, (_, i) => `Medarbejder ${i};bench-import-${i}@demo-kommune.dk`),
    ].join("\r\n"),
    "utf8",
  );
  const importStarted = performance.now();
  const imported = importInvitations(admin, licenceId, csv, { skipRefused: false, language: "da" });
  const importMs = performance.now() - importStarted;
  if (imported.status !== "imported")
    throw new Error(`the import was refused: ${JSON.stringify(imported).slice(0, 200)}`);
  await imported.mailing;

  const rows = [
    ["placeOrder (manual provider)", summarise(placeSamples)],
    ["invoice PDF (pdfkit)", summarise(pdfSamples)],
    ["invoice OIOUBL XML", summarise(xmlSamples)],
  ] as const;
  printTable(
    "Billing",
    ["Operation", "count", "p50 ms", "p95 ms", "p99 ms"],
    [
      ...rows.map(([name, s]) => [name, whole(s.count), fixed(s.p50), fixed(s.p95), fixed(s.p99)]),
      [`CSV import, ${whole(importRows)} rows (check + one transaction)`, 1, fixed(importMs), "–", "–"],
    ],
    ["The import time excludes handing the mails to the outbox, which happens after the transaction."],
  );
}
