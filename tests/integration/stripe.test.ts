import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { invoices, licences, orders, organisations, outboxEmails, platformSettings, stripeEvents } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { startFakeStripe, type RecordedRequest } from "../fakes/stripe-server";

const WEBHOOK_SECRET = "whsec_rettidig_test_secret";
const fake = await startFakeStripe();
Object.assign(process.env, {
  STRIPE_SECRET_KEY: "sk_test_rettidig",
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_API_BASE: fake.url,
});
afterAll(() => fake.close());

// Loaded only now, so the app's first getEnv() already points it at the fake.
const { db } = await import("~/db.server");
const { orderSchema } = await import("~/billing/forms");
const { invoiceDocument } = await import("~/billing/invoices.server");
const { placeOrder } = await import("~/billing/orders.server");
const { issueInvoice, providerFor } = await import("~/billing/providers.server");
const { KEY_SCOPE_SETTING, VAT_RATE_SETTING } = await import("~/billing/stripe-provider.server");
const { danishDate } = await import("~/i18n/dates");
const webhook = await import("~/routes/webhooks.stripe");
const { request, routeArgs, userIdByEmail } = await import("../utils/requests");
const { demoKommune, naboKommune } = await import("../utils/fixtures");

async function order(fields: Record<string, string> = {}, admin = demoEmails.admin) {
  const form = orderSchema.parse({
    kind: "new",
    planSlug: "pilot-100-12",
    startsOn: danishDate(),
    discountCode: "PILOT2026",
    orderReference: "PO-4711",
    intent: "place",
    requestKey: randomUUID(),
    acceptTerms: "on",
    ...demoKommune,
    ...fields,
  });
  const result = await placeOrder({ id: userIdByEmail(admin) }, form, new Date(), "stripe");
  if (result.status !== "placed") throw new Error(`Ordren blev ikke afgivet: ${JSON.stringify(result)}`);
  return result;
}

/** Issuing is meant to fail here; the provider logs that, and the log is kept out of the test output. */
async function failingToIssue<T>(run: () => Promise<T>): Promise<T> {
  const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
  try {
    const result = await run();
    expect(log).toHaveBeenCalledWith(expect.stringContaining("kunne ikke udstedes nu"), expect.anything());
    return result;
  } finally {
    log.mockRestore();
  }
}

const ourInvoice = (id: number) => db.select().from(invoices).where(eq(invoices.id, id)).get()!;
const stripeInvoiceOf = (id: number) => fake.invoices.get(ourInvoice(id).stripeInvoiceId ?? "")!;
const fakeInvoicesFor = (id: number) =>
  [...fake.invoices.values()].filter((invoice) => invoice.metadata.invoiceId === String(id));
const since = (mark: number) => fake.requests.slice(mark);
const posts = (requests: RecordedRequest[], path: RegExp) =>
  requests.filter((r) => r.method === "POST" && path.test(r.path));
const setting = (key: string) => db.select().from(platformSettings).where(eq(platformSettings.key, key)).get()?.value;
const key = (step: string) => `rettidig-${setting(KEY_SCOPE_SETTING)}-${step}`;
const danishDay = (unixSeconds: number) => danishDate(new Date(unixSeconds * 1000));

// Every test starts with an empty Stripe, as it starts with the seeded database (see
// tests/setup/worker-database.ts), and places the orders it builds on itself.
beforeEach(() => fake.reset());

// Checked after every test, for the calls that test made: whatever could make or change something
// at Stripe carried a key of ours. The SDK gives its own retries a random key, which would not stop
// a retry of ours from making a second object, so any key will not do.
afterEach(() => {
  const ours = key("");
  expect(fake.requests.filter((r) => r.method === "POST" && !r.idempotencyKey?.startsWith(ours))).toEqual([]);
});

describe("issuing an invoice through Stripe", () => {
  it("makes one customer, one VAT rate, one invoice with one line, then finalizes and sends it", async () => {
    const first = await order();
    expect(first.issued).toBe("issued");

    expect(fake.customers.size).toBe(1);
    const [customer] = fake.customers.values();
    expect(customer).toMatchObject({
      name: "Demo Kommune",
      email: "faktura@demo-kommune.dk",
      address: { line1: "Rådhustorvet 1", postal_code: "7100", city: "Vejle", country: "DK" },
      preferred_locales: ["da"],
      tax_ids: [{ type: "eu_vat", value: "DK29181004" }],
      metadata: { organisationId: "1", ean: "5798000123458", cvr: "29181004" },
    });
    expect(db.select().from(organisations).where(eq(organisations.id, 1)).get()?.stripeCustomerId).toBe(customer!.id);

    expect(fake.taxRates.size).toBe(1);
    const [rate] = fake.taxRates.values();
    expect(rate).toMatchObject({
      display_name: "Moms",
      percentage: 25,
      inclusive: false,
      jurisdiction: "DK",
      country: "DK",
      active: true,
    });
    expect(setting(VAT_RATE_SETTING)).toBe(rate!.id);

    expect(fake.invoices.size).toBe(1);
    const stripeInvoice = stripeInvoiceOf(first.invoiceId);
    expect(stripeInvoice).toMatchObject({
      customer: customer!.id,
      collection_method: "send_invoice",
      days_until_due: 30,
      currency: "dkk",
      auto_advance: false,
      status: "open",
      number: "RT-0001",
      sent_count: 1,
      metadata: { invoiceId: String(first.invoiceId), orderId: String(first.orderId) },
      subtotal: 5_997_500,
      total: 7_496_875,
      total_taxes: [{ amount: 1_499_375, tax_rate_details: { tax_rate: rate!.id } }],
    });
    const placed = db.select().from(orders).where(eq(orders.id, first.orderId)).get()!;
    expect(stripeInvoice.custom_fields).toEqual([
      { name: "EAN", value: "5798000123458" },
      { name: "Ordrenr.", value: "PO-4711" },
      { name: "Personreference", value: "Hanne Berg" },
      { name: "Licensperiode", value: `${placed.startsOn} – ${placed.endsOn}` },
    ]);
    // The municipality pays by bank transfer to the seller's own account.
    expect(stripeInvoice.footer).toContain("reg.nr. 5301, kontonr. 0241234567");
    expect(stripeInvoice.description).toContain("reg.nr. 5301, kontonr. 0241234567");

    expect(fake.invoiceItems.size).toBe(1);
    const [item] = fake.invoiceItems.values();
    expect(item).toMatchObject({
      invoice: stripeInvoice.id,
      customer: customer!.id,
      quantity: 100,
      unit_amount_decimal: "59975",
      amount: 5_997_500,
      currency: "dkk",
    });
    expect(item!.tax_rates.map((r) => r.id)).toEqual([rate!.id]);
    expect([danishDay(item!.period.start), danishDay(item!.period.end)]).toEqual([placed.startsOn, placed.endsOn]);

    const keys = posts(fake.requests, /./).map((r) => `${r.path} ${r.idempotencyKey}`);
    expect(setting(KEY_SCOPE_SETTING)).toMatch(/^[0-9a-f]{8}$/);
    expect(keys).toEqual([
      `/v1/customers ${key("customer-org-1")}`,
      `/v1/invoices ${key(`invoice-${first.invoiceId}`)}`,
      `/v1/tax_rates ${key("taxrate-vat25")}`,
      `/v1/invoiceitems ${key(`invoice-${first.invoiceId}-line-1`)}`,
      `/v1/invoices/${stripeInvoice.id}/finalize ${key(`invoice-${first.invoiceId}-finalize-0`)}`,
      `/v1/invoices/${stripeInvoice.id}/send ${key(`invoice-${first.invoiceId}-send-0`)}`,
    ]);
    expect(new Set(fake.requests.map((r) => r.stripeVersion))).toEqual(new Set(["2026-10-28.endive"]));

    expect(ourInvoice(first.invoiceId)).toMatchObject({
      provider: "stripe",
      stripeInvoiceId: stripeInvoice.id,
      number: "RT-0001",
      status: "sent",
      issueDate: danishDay(stripeInvoice.status_transitions.finalized_at!),
      dueDate: danishDay(stripeInvoice.due_date!),
      netOre: 5_997_500,
      vatOre: 1_499_375,
      grossOre: 7_496_875,
      lastError: null,
      nextAttemptAt: null,
    });
    // Stripe's number is the one on the PDF and in the OIOUBL file.
    expect(invoiceDocument(first.invoiceId)?.number).toBe("RT-0001");
  });

  it("reuses the municipality's customer and the VAT rate for its next order", async () => {
    expect((await order()).issued).toBe("issued");
    const mark = fake.requests.length;
    const second = await order({ orderReference: "PO-4712" });
    expect(second.issued).toBe("issued");
    expect(posts(since(mark), /^\/v1\/(customers|tax_rates)$/)).toEqual([]);
    expect(fake.customers.size).toBe(1);
    expect(fake.taxRates.size).toBe(1);
    expect(stripeInvoiceOf(second.invoiceId)).toMatchObject({
      customer: [...fake.customers.keys()][0],
      number: "RT-0002",
    });
    expect(ourInvoice(second.invoiceId)).toMatchObject({ status: "sent", number: "RT-0002" });
  });

  it("makes nothing new when an issued invoice is issued again", async () => {
    const first = await order();
    expect(first.issued).toBe("issued");
    const mark = fake.requests.length;
    expect(await issueInvoice(first.invoiceId)).toBe("issued");
    expect(posts(since(mark), /./)).toEqual([]);
    expect(ourInvoice(first.invoiceId)).toMatchObject({ status: "sent", number: "RT-0001" });
  });

  it("replaces a VAT rate archived in the dashboard, once", async () => {
    expect((await order()).issued).toBe("issued");
    const archived = [...fake.taxRates.values()][0]!;
    archived.active = false;
    const mark = fake.requests.length;
    const next = await order({ orderReference: "PO-4713" });
    expect(next.issued).toBe("issued");
    expect(posts(since(mark), /^\/v1\/tax_rates$/).map((r) => r.idempotencyKey)).toEqual([
      key(`taxrate-vat25-replacing-${archived.id}`),
    ]);
    const replacement = setting(VAT_RATE_SETTING);
    expect(replacement).not.toBe(archived.id);
    expect(
      fake.invoiceItems.get(stripeInvoiceOf(next.invoiceId).lines.data[0]!.parent.invoice_item_details.invoice_item)
        ?.tax_rates[0]?.id,
    ).toBe(replacement);
  });
});

describe("when Stripe fails", () => {
  it("keeps the order when Stripe cannot be reached, and finishes the invoice later without doubles", async () => {
    fake.setUnreachable(true);
    const before = new Date();
    const placed = await failingToIssue(() =>
      order({ ...naboKommune, orderReference: "NK-1" }, demoEmails.neighbourAdmin),
    );
    fake.setUnreachable(false);

    expect(placed.issued).toBe("deferred");
    const saved = db.select().from(orders).where(eq(orders.id, placed.orderId)).get()!;
    expect(saved.organisationId).toBe(2);
    expect(db.select().from(licences).where(eq(licences.id, saved.licenceId)).get()).toMatchObject({
      organisationId: 2,
      seatCount: 100,
    });
    const pending = ourInvoice(placed.invoiceId);
    expect(pending).toMatchObject({ status: "pending", stripeInvoiceId: null, number: null, attempts: 1 });
    expect(pending.lastError).toBeTruthy();
    expect(pending.nextAttemptAt!.getTime()).toBeGreaterThan(before.getTime());

    expect(await issueInvoice(placed.invoiceId)).toBe("issued");
    expect([...fake.customers.values()].filter((c) => c.metadata.organisationId === "2")).toHaveLength(1);
    expect(fakeInvoicesFor(placed.invoiceId)).toHaveLength(1);
    expect(ourInvoice(placed.invoiceId)).toMatchObject({ status: "sent", lastError: null, nextAttemptAt: null });
    expect(ourInvoice(placed.invoiceId).number).toMatch(/^RT-\d{4}$/);
  });

  it("never sends a Stripe invoice whose total disagrees with the order's", async () => {
    fake.setUnreachable(true);
    const placed = await failingToIssue(() => order({ orderReference: "PO-SKAEV" }));
    fake.setUnreachable(false);
    const ours = ourInvoice(placed.invoiceId);
    db.update(invoices)
      .set({ netOre: ours.netOre + 1, grossOre: ours.grossOre + 1 })
      .where(eq(invoices.id, placed.invoiceId))
      .run();
    const mark = fake.requests.length;
    expect(await failingToIssue(() => issueInvoice(placed.invoiceId))).toBe("deferred");
    expect(ourInvoice(placed.invoiceId).lastError).toMatch(/sendes ikke/);
    expect(ourInvoice(placed.invoiceId).status).not.toBe("sent");
    expect(fake.requests.slice(mark).some((r) => r.path.endsWith("/send"))).toBe(false);
  });

  it("finishes the same Stripe invoice when finalizing failed after it was made", async () => {
    fake.failNext(1, { path: /\/finalize$/ });
    const placed = await failingToIssue(() => order({ orderReference: "PO-4714" }));
    expect(placed.issued).toBe("deferred");
    const half = ourInvoice(placed.invoiceId);
    expect(half).toMatchObject({ status: "pending", number: null, attempts: 1 });
    expect(half.lastError).toBeTruthy();
    const draft = fake.invoices.get(half.stripeInvoiceId!)!;
    expect(draft).toMatchObject({ status: "draft", lines: { total_count: 1 } });

    const mark = fake.requests.length;
    expect(await issueInvoice(placed.invoiceId)).toBe("issued");
    expect(since(mark).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v1/invoices/${draft.id}`,
      `POST /v1/invoices/${draft.id}/finalize`,
      `POST /v1/invoices/${draft.id}/send`,
    ]);
    expect(fakeInvoicesFor(placed.invoiceId)).toHaveLength(1);
    expect(draft).toMatchObject({ status: "open", lines: { total_count: 1 }, sent_count: 1 });
    expect(ourInvoice(placed.invoiceId)).toMatchObject({
      status: "sent",
      number: draft.number,
      stripeInvoiceId: draft.id,
    });
  });

  it("gets the same Stripe invoice back when the answer to making it was lost", async () => {
    // Stripe made the invoice both times the SDK asked, but neither answer arrived.
    fake.failNext(2, { path: /^\/v1\/invoices$/, afterProcessing: true });
    const placed = await failingToIssue(() => order({ orderReference: "PO-4715" }));
    expect(placed.issued).toBe("deferred");
    expect(ourInvoice(placed.invoiceId).stripeInvoiceId).toBeNull();
    const lost = fake.requests.filter(
      (r) => r.path === "/v1/invoices" && r.idempotencyKey === key(`invoice-${placed.invoiceId}`),
    );
    expect(lost.map((r) => r.status)).toEqual([0, 0]);

    expect(await issueInvoice(placed.invoiceId)).toBe("issued");
    expect(fakeInvoicesFor(placed.invoiceId)).toHaveLength(1);
    expect(ourInvoice(placed.invoiceId)).toMatchObject({
      status: "sent",
      stripeInvoiceId: fakeInvoicesFor(placed.invoiceId)[0]!.id,
    });
  });
});

async function deliver(
  payload: string,
  signature: string | null = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
) {
  const headers = new Headers({ "Content-Type": "application/json" });
  if (signature !== null) headers.set("Stripe-Signature", signature);
  const response = await webhook.action(
    routeArgs(request("/webhooks/stripe", { method: "POST", body: payload, headers })),
  );
  return { status: response.status, message: ((await response.json()) as { message: string }).message };
}

const paidMails = (number: string) =>
  db
    .select()
    .from(outboxEmails)
    .where(eq(outboxEmails.subject, `Betaling modtaget for faktura nr. ${number}`))
    .all();
const eventRows = (id: string) => db.select().from(stripeEvents).where(eq(stripeEvents.id, id)).all();
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

describe("Stripe's webhooks", () => {
  it("marks an invoice paid once, however often and in whatever order the events come", async () => {
    const placed = await order({ orderReference: "PO-5001" });
    const stripeInvoice = stripeInvoiceOf(placed.invoiceId);
    const number = stripeInvoice.number!;
    const finalizedAt = stripeInvoice.status_transitions.finalized_at!;
    const paidAt = finalizedAt + 3600;
    const paid = fake.invoiceEvent("invoice.paid", stripeInvoice.id, {
      id: "evt_paid_5001",
      created: paidAt,
      object: { status: "paid", status_transitions: { ...stripeInvoice.status_transitions, paid_at: paidAt } },
    });

    expect(await deliver(paid)).toEqual({ status: 200, message: "Fakturaens status er opdateret." });
    expect(await deliver(paid)).toEqual({ status: 200, message: "Hændelsen er allerede behandlet." });
    const succeeded = fake.invoiceEvent("invoice.payment_succeeded", stripeInvoice.id, {
      created: paidAt,
      object: { status: "paid" },
    });
    expect((await deliver(succeeded)).status).toBe(200);
    // The finalized event was sent first but arrives last.
    const finalized = fake.invoiceEvent("invoice.finalized", stripeInvoice.id, {
      id: "evt_finalized_5001",
      created: finalizedAt,
      object: { status: "open" },
    });
    expect(await deliver(finalized)).toEqual({
      status: 200,
      message: "Fakturaen har allerede denne eller en nyere status.",
    });

    expect(ourInvoice(placed.invoiceId)).toMatchObject({
      status: "paid",
      paidAt: new Date(paidAt * 1000),
      statusAt: new Date(paidAt * 1000),
    });
    expect(paidMails(number)).toHaveLength(1);
    expect(paidMails(number)[0]!.to).toBe(demoEmails.admin);
    expect(eventRows("evt_paid_5001")).toEqual([
      { id: "evt_paid_5001", type: "invoice.paid", receivedAt: expect.any(Date) },
    ]);
    expect(eventRows("evt_finalized_5001")).toHaveLength(1);
  });

  it("finds the invoice by its metadata when Stripe's id was never stored here", async () => {
    fake.setUnreachable(true);
    const placed = await failingToIssue(() => order({ orderReference: "PO-5002" }));
    fake.setUnreachable(false);
    expect(ourInvoice(placed.invoiceId)).toMatchObject({ status: "pending", stripeInvoiceId: null });

    const paidAt = seconds(new Date());
    const finalizedAt = paidAt - 2 * 86_400;
    const event = (id: string, orderId: number) =>
      JSON.stringify({
        id,
        object: "event",
        type: "invoice.paid",
        created: paidAt,
        data: {
          object: {
            id: "in_from_dashboard",
            object: "invoice",
            number: "RT-9001",
            status: "paid",
            status_transitions: {
              finalized_at: finalizedAt,
              paid_at: paidAt,
              marked_uncollectible_at: null,
              voided_at: null,
            },
            due_date: finalizedAt + 30 * 86_400,
            metadata: { invoiceId: String(placed.invoiceId), orderId: String(orderId) },
          },
        },
      });
    // Another installation sharing the Stripe account has its own invoice with this number.
    expect(await deliver(event("evt_other_installation", placed.orderId + 1000))).toEqual({
      status: 200,
      message: "Fakturaen er ikke fra Rettidig og er ignoreret.",
    });
    expect(ourInvoice(placed.invoiceId).status).toBe("pending");

    expect((await deliver(event("evt_dashboard_paid", placed.orderId))).status).toBe(200);
    expect(ourInvoice(placed.invoiceId)).toMatchObject({
      status: "paid",
      stripeInvoiceId: "in_from_dashboard",
      number: "RT-9001",
      issueDate: danishDay(finalizedAt),
      dueDate: danishDay(finalizedAt + 30 * 86_400),
    });
    expect(paidMails("RT-9001")).toHaveLength(1);

    // The billing job's retry then has nothing left to do.
    const mark = fake.requests.length;
    expect(await issueInvoice(placed.invoiceId)).toBe("issued");
    expect(since(mark)).toEqual([]);
  });

  it("refuses unsigned and badly signed deliveries and stores nothing", async () => {
    const placed = await order({ orderReference: "PO-5003" });
    const stripeInvoice = stripeInvoiceOf(placed.invoiceId);
    const payload = fake.invoiceEvent("invoice.paid", stripeInvoice.id, {
      id: "evt_forged",
      object: { status: "paid" },
    });
    const eventsBefore = db.select().from(stripeEvents).all().length;

    const forged = Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" });
    expect(await deliver(payload, forged)).toEqual({
      status: 400,
      message: "Signaturen kunne ikke bekræftes. Hændelsen er afvist.",
    });
    const otherPayload = Stripe.webhooks.generateTestHeaderString({
      payload: payload.replace("evt_forged", "evt_other"),
      secret: WEBHOOK_SECRET,
    });
    expect((await deliver(payload, otherPayload)).status).toBe(400);
    expect(await deliver(payload, null)).toEqual({ status: 400, message: "Stripe-Signature-headeren mangler." });

    expect(db.select().from(stripeEvents).all()).toHaveLength(eventsBefore);
    expect(ourInvoice(placed.invoiceId).status).toBe("sent");
    expect((await webhook.loader()).status).toBe(405);
    expect(
      (await webhook.action(routeArgs(request("/webhooks/stripe", { method: "PUT", body: payload })))).status,
    ).toBe(405);
  });

  it("follows failed payments, overdue, void and uncollectible invoices; void stays void, uncollectible can still be paid", async () => {
    const [failing, voided, written] = [
      await order({ orderReference: "PO-6001" }),
      await order({ orderReference: "PO-6002" }),
      await order({ orderReference: "PO-6003" }),
    ];
    const at = seconds(new Date()) + 60;
    const send = (type: string, invoiceId: number, created: number, object: Record<string, unknown> = {}) =>
      deliver(fake.invoiceEvent(type, stripeInvoiceOf(invoiceId).id, { created, object }));

    await send("invoice.payment_failed", failing.invoiceId, at);
    expect(ourInvoice(failing.invoiceId).status).toBe("payment_failed");
    await send("invoice.overdue", failing.invoiceId, at + 60);
    expect(ourInvoice(failing.invoiceId).status).toBe("overdue");
    // An older report of the same stage does not undo a newer one.
    await send("invoice.payment_failed", failing.invoiceId, at + 30);
    expect(ourInvoice(failing.invoiceId).status).toBe("overdue");
    await send("invoice.paid", failing.invoiceId, at + 120, { status: "paid" });
    expect(ourInvoice(failing.invoiceId).status).toBe("paid");

    await send("invoice.voided", voided.invoiceId, at);
    expect(ourInvoice(voided.invoiceId).status).toBe("void");
    await send("invoice.paid", voided.invoiceId, at + 60, { status: "paid" });
    expect(ourInvoice(voided.invoiceId)).toMatchObject({ status: "void", paidAt: null });
    expect(paidMails(ourInvoice(voided.invoiceId).number!)).toHaveLength(0);

    await send("invoice.marked_uncollectible", written.invoiceId, at);
    expect(ourInvoice(written.invoiceId).status).toBe("uncollectible");
    await send("invoice.paid", written.invoiceId, at + 60, { status: "paid" });
    expect(ourInvoice(written.invoiceId).status).toBe("paid");
    expect(paidMails(ourInvoice(written.invoiceId).number!)).toHaveLength(1);
  });

  it("acknowledges events it has no use for", async () => {
    const other = JSON.stringify({
      id: "evt_customer",
      object: "event",
      type: "customer.created",
      created: seconds(new Date()),
      data: { object: { id: "cus_x", object: "customer" } },
    });
    expect(await deliver(other)).toEqual({ status: 200, message: "Hændelsestypen bruges ikke og er ignoreret." });
    const stranger = JSON.stringify({
      id: "evt_stranger",
      object: "event",
      type: "invoice.paid",
      created: seconds(new Date()),
      data: {
        object: {
          id: "in_not_ours",
          object: "invoice",
          number: "X-1",
          metadata: {},
          status_transitions: { paid_at: null },
        },
      },
    });
    expect(await deliver(stranger)).toEqual({
      status: 200,
      message: "Fakturaen er ikke fra Rettidig og er ignoreret.",
    });
  });
});

describe("the owner marking a Stripe invoice paid", () => {
  it("records the bank transfer at Stripe as paid out of band, and tells the admins once", async () => {
    const placed = await order({ orderReference: "PO-7001" });
    const stripeInvoice = stripeInvoiceOf(placed.invoiceId);
    const mark = fake.requests.length;
    await providerFor("stripe").markPaid(placed.invoiceId, new Date());

    const pay = since(mark).filter((r) => r.path === `/v1/invoices/${stripeInvoice.id}/pay`);
    expect(pay).toMatchObject([
      {
        method: "POST",
        params: { paid_out_of_band: "true" },
        idempotencyKey: key(`invoice-${placed.invoiceId}-paid-out-of-band`),
        status: 200,
      },
    ]);
    expect(stripeInvoice.status).toBe("paid");
    expect(ourInvoice(placed.invoiceId).status).toBe("paid");
    expect(paidMails(stripeInvoice.number!)).toHaveLength(1);

    // Stripe's own invoice.paid event follows and changes nothing; a second click calls nobody.
    const paidAt = stripeInvoice.status_transitions.paid_at!;
    expect((await deliver(fake.invoiceEvent("invoice.paid", stripeInvoice.id, { created: paidAt }))).status).toBe(200);
    const again = fake.requests.length;
    await providerFor("stripe").markPaid(placed.invoiceId, new Date());
    expect(since(again)).toEqual([]);
    expect(paidMails(stripeInvoice.number!)).toHaveLength(1);
  });
});
