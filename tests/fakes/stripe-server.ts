import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small Stripe for the tests: the real `stripe` SDK talks to it over HTTP (see STRIPE_API_BASE),
 * so what is tested is what runs against Stripe, down to the form encoding and idempotency keys.
 * It implements the calls the invoicing makes, answers them the way Stripe does as far as our
 * code and the SDK read the answers, and records every request for the tests to inspect.
 */

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type Params = { [key: string]: FormValue };

export type RecordedRequest = {
  method: string;
  path: string;
  params: Params;
  idempotencyKey: string | null;
  stripeVersion: string | null;
  /** What the fake answered; 0 when it dropped the connection instead. */
  status: number;
};

type Metadata = Record<string, string>;

export type FakeCustomer = {
  id: string;
  object: "customer";
  created: number;
  livemode: false;
  name: string | null;
  email: string | null;
  address: Params | null;
  preferred_locales: string[];
  metadata: Metadata;
  /** Stripe only shows these when expanded; kept here for the tests. */
  tax_ids: { type: string; value: string }[];
};

export type FakeTaxRate = {
  id: string;
  object: "tax_rate";
  created: number;
  livemode: false;
  active: boolean;
  display_name: string;
  description: string | null;
  percentage: number;
  effective_percentage: number;
  inclusive: boolean;
  country: string | null;
  jurisdiction: string | null;
  tax_type: string | null;
  metadata: Metadata;
};

type LineTax = {
  amount: number;
  tax_behavior: "exclusive";
  taxable_amount: number;
  type: "tax_rate_details";
  tax_rate_details: { tax_rate: string };
};

export type FakeLine = {
  id: string;
  object: "line_item";
  livemode: false;
  invoice: string;
  amount: number;
  currency: string;
  description: string | null;
  metadata: Metadata;
  parent: { type: "invoice_item_details"; invoice_item_details: { invoice_item: string; proration: false } };
  period: { start: number; end: number };
  pricing: { type: "price_details"; unit_amount_decimal: string };
  quantity: number;
  subtotal: number;
  taxes: LineTax[];
};

export type FakeInvoiceItem = {
  id: string;
  object: "invoiceitem";
  livemode: false;
  customer: string;
  invoice: string;
  amount: number;
  currency: string;
  description: string | null;
  quantity: number;
  unit_amount_decimal: string;
  tax_rates: FakeTaxRate[];
  period: { start: number; end: number };
  metadata: Metadata;
};

export type FakeInvoice = {
  id: string;
  object: "invoice";
  created: number;
  livemode: false;
  customer: string;
  collection_method: string;
  currency: string;
  days_until_due: number | null;
  auto_advance: boolean;
  custom_fields: { name: string; value: string }[] | null;
  description: string | null;
  footer: string | null;
  metadata: Metadata;
  status: "draft" | "open" | "paid" | "void" | "uncollectible";
  number: string | null;
  due_date: number | null;
  effective_at: number | null;
  status_transitions: {
    finalized_at: number | null;
    paid_at: number | null;
    marked_uncollectible_at: number | null;
    voided_at: number | null;
  };
  lines: { object: "list"; data: FakeLine[]; has_more: false; total_count: number; url: string };
  subtotal: number;
  subtotal_excluding_tax: number;
  total_excluding_tax: number;
  total_taxes: {
    amount: number;
    tax_behavior: "exclusive";
    taxable_amount: number;
    type: "tax_rate_details";
    tax_rate_details: { tax_rate: string };
  }[];
  total: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  /** Not a Stripe field: how often it was sent, for the tests. */
  sent_count: number;
};

type Result = { status: number; body: unknown };

export type FailureOptions = {
  /** Only requests whose path matches; by default any request. */
  path?: RegExp;
  /**
   * Carry the request out, then drop the connection before answering, like a timeout after
   * Stripe did the work. By default the request is refused with a 500 and nothing is done.
   */
  afterProcessing?: boolean;
};

export type FakeStripe = {
  url: string;
  requests: RecordedRequest[];
  customers: Map<string, FakeCustomer>;
  taxRates: Map<string, FakeTaxRate>;
  invoices: Map<string, FakeInvoice>;
  invoiceItems: Map<string, FakeInvoiceItem>;
  /** The next `count` matching requests fail (see FailureOptions). */
  failNext(count: number, options?: FailureOptions): void;
  /** While true, every connection is closed at once, as when Stripe cannot be reached. */
  setUnreachable(unreachable: boolean): void;
  /** A webhook event about one of the fake's invoices, as Stripe would post it. */
  invoiceEvent(
    type: string,
    invoiceId: string,
    options?: { id?: string; created?: number; object?: Partial<FakeInvoice> },
  ): string;
  /** Forgets every object, request, key and pending failure, as a new Stripe account would start. */
  reset(): void;
  close(): Promise<void>;
};

/** Stripe's form encoding: `custom_fields[0][name]=EAN` becomes `{ custom_fields: [{ name: "EAN" }] }`. */
export function parseStripeForm(encoded: string): Params {
  const root: Params = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const [head = "", ...rest] = key.split("[");
    const path = [head, ...rest.map((part) => part.replace(/]$/, ""))];
    let node = root;
    path.forEach((segment, index) => {
      if (index === path.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      if (typeof next === "object" && !Array.isArray(next)) node = next;
      else node = node[segment] = {};
    });
  }
  return arrayify(root) as Params;
}

function arrayify(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const entries = Object.entries(value).map(([key, inner]) => [key, arrayify(inner)] as const);
  if (entries.length > 0 && entries.every(([key]) => /^\d+$/.test(key))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, inner]) => inner);
  }
  return Object.fromEntries(entries);
}

const text = (value: FormValue | undefined) => (typeof value === "string" ? value : undefined);
const record = (value: FormValue | undefined): Params =>
  typeof value === "object" && !Array.isArray(value) ? value : {};
const list = (value: FormValue | undefined): FormValue[] => (Array.isArray(value) ? value : []);
const metadataOf = (value: FormValue | undefined): Metadata =>
  Object.fromEntries(
    Object.entries(record(value)).flatMap(([key, inner]) => (typeof inner === "string" ? [[key, inner]] : [])),
  );

const stripeError = (
  status: number,
  type: string,
  message: string,
  extra: { code?: string; param?: string } = {},
): Result => ({
  status,
  body: { error: { type, message, ...extra } },
});
const missing = (kind: string, id: string, param?: string) =>
  stripeError(param ? 400 : 404, "invalid_request_error", `No such ${kind}: '${id}'`, {
    code: "resource_missing",
    ...(param ? { param } : {}),
  });
const invalid = (message: string, param?: string) =>
  stripeError(400, "invalid_request_error", message, param ? { param } : {});

export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: RecordedRequest[] = [];
  const customers = new Map<string, FakeCustomer>();
  const taxRates = new Map<string, FakeTaxRate>();
  const invoices = new Map<string, FakeInvoice>();
  const invoiceItems = new Map<string, FakeInvoiceItem>();
  const idempotent = new Map<string, { method: string; path: string; params: string; result: Result }>();
  const failures: (FailureOptions & { left: number })[] = [];
  let unreachable = false;
  let sequence = 0;
  let invoiceNumber = 0;

  const newId = (prefix: string) => `${prefix}_fake${String(++sequence).padStart(8, "0")}`;
  const clock = () => Math.floor(Date.now() / 1000);

  function recompute(invoice: FakeInvoice) {
    const subtotal = invoice.lines.data.reduce((sum, line) => sum + line.amount, 0);
    const byRate = new Map<string, { amount: number; taxable: number }>();
    for (const tax of invoice.lines.data.flatMap((line) => line.taxes)) {
      const entry = byRate.get(tax.tax_rate_details.tax_rate) ?? { amount: 0, taxable: 0 };
      byRate.set(tax.tax_rate_details.tax_rate, {
        amount: entry.amount + tax.amount,
        taxable: entry.taxable + tax.taxable_amount,
      });
    }
    invoice.total_taxes = [...byRate].map(([taxRate, sums]) => ({
      amount: sums.amount,
      tax_behavior: "exclusive",
      taxable_amount: sums.taxable,
      type: "tax_rate_details",
      tax_rate_details: { tax_rate: taxRate },
    }));
    const tax = invoice.total_taxes.reduce((sum, entry) => sum + entry.amount, 0);
    Object.assign(invoice, {
      subtotal,
      subtotal_excluding_tax: subtotal,
      total_excluding_tax: subtotal,
      total: subtotal + tax,
    });
    invoice.amount_due = invoice.total;
    invoice.amount_remaining = invoice.total - invoice.amount_paid;
  }

  function createCustomer(params: Params): Result {
    const address = record(params.address);
    const customer: FakeCustomer = {
      id: newId("cus"),
      object: "customer",
      created: clock(),
      livemode: false,
      name: text(params.name) ?? null,
      email: text(params.email) ?? null,
      address: Object.keys(address).length > 0 ? address : null,
      preferred_locales: list(params.preferred_locales).flatMap((locale) =>
        typeof locale === "string" ? [locale] : [],
      ),
      metadata: metadataOf(params.metadata),
      tax_ids: list(params.tax_id_data).map((entry) => ({
        type: text(record(entry).type) ?? "",
        value: text(record(entry).value) ?? "",
      })),
    };
    customers.set(customer.id, customer);
    return { status: 200, body: customer };
  }

  function createTaxRate(params: Params): Result {
    const percentage = Number(text(params.percentage));
    const displayName = text(params.display_name);
    const inclusive = text(params.inclusive);
    if (!displayName) return invalid("Missing required param: display_name.", "display_name");
    if (!Number.isFinite(percentage)) return invalid("Missing required param: percentage.", "percentage");
    if (inclusive !== "true" && inclusive !== "false")
      return invalid("Missing required param: inclusive.", "inclusive");
    const rate: FakeTaxRate = {
      id: newId("txr"),
      object: "tax_rate",
      created: clock(),
      livemode: false,
      active: text(params.active) !== "false",
      display_name: displayName,
      description: text(params.description) ?? null,
      percentage,
      effective_percentage: percentage,
      inclusive: inclusive === "true",
      country: text(params.country) ?? null,
      jurisdiction: text(params.jurisdiction) ?? null,
      tax_type: text(params.tax_type) ?? null,
      metadata: metadataOf(params.metadata),
    };
    taxRates.set(rate.id, rate);
    return { status: 200, body: rate };
  }

  function createInvoice(params: Params): Result {
    const customer = text(params.customer) ?? "";
    if (!customers.has(customer)) return missing("customer", customer, "customer");
    const collection = text(params.collection_method) ?? "charge_automatically";
    const days = text(params.days_until_due);
    if (collection === "send_invoice" && days === undefined && text(params.due_date) === undefined) {
      return invalid("Invoices with collection_method=send_invoice need days_until_due or due_date.", "days_until_due");
    }
    const customFields = list(params.custom_fields).map((field) => ({
      name: text(record(field).name) ?? "",
      value: text(record(field).value) ?? "",
    }));
    if (customFields.length > 4) return invalid("An invoice can have at most 4 custom fields.", "custom_fields");
    if (customFields.some((field) => field.name.length > 40 || field.value.length > 140)) {
      return invalid("Custom field names are at most 40 characters and values at most 140.", "custom_fields");
    }
    const id = newId("in");
    const invoice: FakeInvoice = {
      id,
      object: "invoice",
      created: clock(),
      livemode: false,
      customer,
      collection_method: collection,
      currency: text(params.currency) ?? "dkk",
      days_until_due: days === undefined ? null : Number(days),
      auto_advance: text(params.auto_advance) !== "false",
      custom_fields: customFields.length > 0 ? customFields : null,
      description: text(params.description) ?? null,
      footer: text(params.footer) ?? null,
      metadata: metadataOf(params.metadata),
      status: "draft",
      number: null,
      due_date: null,
      effective_at: null,
      status_transitions: { finalized_at: null, paid_at: null, marked_uncollectible_at: null, voided_at: null },
      lines: { object: "list", data: [], has_more: false, total_count: 0, url: `/v1/invoices/${id}/lines` },
      subtotal: 0,
      subtotal_excluding_tax: 0,
      total_excluding_tax: 0,
      total_taxes: [],
      total: 0,
      amount_due: 0,
      amount_paid: 0,
      amount_remaining: 0,
      sent_count: 0,
    };
    invoices.set(id, invoice);
    return { status: 200, body: invoice };
  }

  function createInvoiceItem(params: Params): Result {
    const invoiceId = text(params.invoice);
    const invoice = invoiceId === undefined ? undefined : invoices.get(invoiceId);
    // Loose items wait for a subscription's next invoice, which the invoicing never uses.
    if (!invoiceId) return invalid("The fake only adds items to a given draft invoice.", "invoice");
    if (!invoice) return missing("invoice", invoiceId, "invoice");
    if (invoice.status !== "draft")
      return invalid(`Invoice ${invoice.id} is no longer a draft; items cannot be added.`, "invoice");
    const customer = text(params.customer) ?? invoice.customer;
    if (customer !== invoice.customer) return invalid("The item's customer is not the invoice's customer.", "customer");
    const currency = text(params.currency) ?? invoice.currency;
    if (currency !== invoice.currency) return invalid("The item's currency is not the invoice's currency.", "currency");
    const quantity = Number(text(params.quantity) ?? "1");
    const unitAmount = text(params.unit_amount_decimal);
    if (unitAmount === undefined || !Number.isFinite(Number(unitAmount)))
      return invalid("Missing required param: unit_amount_decimal.", "unit_amount_decimal");
    const rates: FakeTaxRate[] = [];
    for (const rateId of list(params.tax_rates)) {
      const rate = typeof rateId === "string" ? taxRates.get(rateId) : undefined;
      if (!rate) return missing("tax_rate", String(rateId), "tax_rates");
      if (!rate.active) return invalid(`Tax rate ${rate.id} is archived and cannot be used on new items.`, "tax_rates");
      if (rate.inclusive) return invalid("The fake only computes exclusive tax rates.", "tax_rates");
      rates.push(rate);
    }
    const period = record(params.period);
    const created = clock();
    const amount = Math.round(quantity * Number(unitAmount));
    const item: FakeInvoiceItem = {
      id: newId("ii"),
      object: "invoiceitem",
      livemode: false,
      customer,
      invoice: invoice.id,
      amount,
      currency,
      description: text(params.description) ?? null,
      quantity,
      unit_amount_decimal: unitAmount,
      tax_rates: rates,
      period: { start: Number(text(period.start) ?? created), end: Number(text(period.end) ?? created) },
      metadata: metadataOf(params.metadata),
    };
    invoiceItems.set(item.id, item);
    invoice.lines.data.push({
      id: newId("il"),
      object: "line_item",
      livemode: false,
      invoice: invoice.id,
      amount,
      currency,
      description: item.description,
      // Stripe shows an item's metadata on the invoice line it makes.
      metadata: item.metadata,
      parent: { type: "invoice_item_details", invoice_item_details: { invoice_item: item.id, proration: false } },
      period: item.period,
      pricing: { type: "price_details", unit_amount_decimal: unitAmount },
      quantity,
      subtotal: amount,
      taxes: rates.map((rate) => ({
        amount: Math.round((amount * rate.percentage) / 100),
        tax_behavior: "exclusive",
        taxable_amount: amount,
        type: "tax_rate_details",
        tax_rate_details: { tax_rate: rate.id },
      })),
    });
    invoice.lines.total_count = invoice.lines.data.length;
    recompute(invoice);
    return { status: 200, body: item };
  }

  function finalize(invoice: FakeInvoice, params: Params): Result {
    if (invoice.status !== "draft") return invalid(`Invoice ${invoice.id} is already finalized.`);
    const now = clock();
    invoice.status = "open";
    invoice.number = `RT-${String(++invoiceNumber).padStart(4, "0")}`;
    invoice.effective_at = now;
    invoice.status_transitions.finalized_at = now;
    if (invoice.days_until_due !== null) invoice.due_date = now + invoice.days_until_due * 86_400;
    const autoAdvance = text(params.auto_advance);
    if (autoAdvance !== undefined) invoice.auto_advance = autoAdvance === "true";
    recompute(invoice);
    return { status: 200, body: invoice };
  }

  function sendInvoice(invoice: FakeInvoice): Result {
    if (invoice.collection_method !== "send_invoice")
      return invalid("Only invoices with collection_method=send_invoice can be sent.");
    if (invoice.status !== "open")
      return invalid(`Invoice ${invoice.id} is ${invoice.status}; only open invoices can be sent.`);
    invoice.sent_count += 1;
    return { status: 200, body: invoice };
  }

  function pay(invoice: FakeInvoice, params: Params): Result {
    if (text(params.paid_out_of_band) !== "true")
      return invalid("The fake only records payments made out of band.", "paid_out_of_band");
    if (invoice.status === "paid") return invalid("Invoice is already paid.");
    if (invoice.status !== "open" && invoice.status !== "uncollectible")
      return invalid(`Invoice ${invoice.id} is ${invoice.status} and cannot be paid.`);
    invoice.status = "paid";
    invoice.status_transitions.paid_at = clock();
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    return { status: 200, body: invoice };
  }

  const retrieveTaxRate = (id: string): Result => {
    const rate = taxRates.get(id);
    return rate ? { status: 200, body: rate } : missing("tax_rate", id);
  };

  const withInvoice = (id: string, act: (invoice: FakeInvoice) => Result) => {
    const invoice = invoices.get(id);
    return invoice ? act(invoice) : missing("invoice", id);
  };

  const routes: [string, RegExp, (params: Params, id: string) => Result][] = [
    ["POST", /^\/v1\/customers$/, createCustomer],
    ["POST", /^\/v1\/tax_rates$/, createTaxRate],
    ["GET", /^\/v1\/tax_rates\/([^/]+)$/, (_params, id) => retrieveTaxRate(id)],
    ["POST", /^\/v1\/invoices$/, createInvoice],
    [
      "GET",
      /^\/v1\/invoices\/([^/]+)$/,
      (_params, id) => withInvoice(id, (invoice) => ({ status: 200, body: invoice })),
    ],
    ["POST", /^\/v1\/invoiceitems$/, createInvoiceItem],
    [
      "POST",
      /^\/v1\/invoices\/([^/]+)\/finalize$/,
      (params, id) => withInvoice(id, (invoice) => finalize(invoice, params)),
    ],
    ["POST", /^\/v1\/invoices\/([^/]+)\/send$/, (_params, id) => withInvoice(id, sendInvoice)],
    ["POST", /^\/v1\/invoices\/([^/]+)\/pay$/, (params, id) => withInvoice(id, (invoice) => pay(invoice, params))],
  ];

  function route(method: string, path: string, params: Params): Result {
    for (const [routeMethod, pattern, act] of routes) {
      const match = method === routeMethod ? pattern.exec(path) : null;
      if (match) return act(params, decodeURIComponent(match[1] ?? ""));
    }
    return stripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  }

  /**
   * A repeat of a key gets the first answer again and makes nothing new; the same key with
   * another request is refused. Stripe keeps failed answers too; here only successes are kept,
   * as the fake's failures (see failNext) stand for requests that never got to be carried out.
   */
  function idempotently(
    key: string | null,
    method: string,
    path: string,
    params: Params,
  ): Result & { replayed: boolean } {
    const earlier = key ? idempotent.get(key) : undefined;
    const fingerprint = JSON.stringify(params);
    if (earlier) {
      if (earlier.method !== method || earlier.path !== path || earlier.params !== fingerprint) {
        return {
          ...stripeError(
            400,
            "idempotency_error",
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}'.`,
          ),
          replayed: false,
        };
      }
      return { ...earlier.result, replayed: true };
    }
    const result = route(method, path, params);
    if (key && method === "POST" && result.status < 300)
      idempotent.set(key, { method, path, params: fingerprint, result });
    return { ...result, replayed: false };
  }

  function takeFailure(path: string) {
    const failure = failures.find((candidate) => candidate.left > 0 && (!candidate.path || candidate.path.test(path)));
    if (failure) failure.left -= 1;
    return failure;
  }

  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    if (unreachable) {
      request.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? "/", "http://stripe.fake");
    const method = request.method ?? "GET";
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === "string" ? value : null;
    };
    const entry: RecordedRequest = {
      method,
      path: url.pathname,
      params: parseStripeForm(method === "GET" ? url.search.slice(1) : Buffer.concat(chunks).toString("utf8")),
      idempotencyKey: header("idempotency-key"),
      stripeVersion: header("stripe-version"),
      status: 0,
    };
    requests.push(entry);
    const answer = (result: Result, headers: Record<string, string> = {}) => {
      entry.status = result.status;
      response.writeHead(result.status, {
        "Content-Type": "application/json",
        "Request-Id": `req_fake${requests.length}`,
        ...headers,
      });
      response.end(JSON.stringify(result.body));
    };

    if (!/^Bearer sk_test_\w+$/.test(header("authorization") ?? "")) {
      answer(stripeError(401, "invalid_request_error", "Invalid API Key provided."));
      return;
    }
    const failure = takeFailure(entry.path);
    if (failure && !failure.afterProcessing) {
      // Told not to retry, the SDK gives up at once, so each failure asked for fails one call.
      answer(stripeError(500, "api_error", "Something went wrong on Stripe's end (the fake was told to fail)."), {
        "Stripe-Should-Retry": "false",
      });
      return;
    }
    const result = idempotently(entry.idempotencyKey, method, entry.path, entry.params);
    if (failure) {
      request.socket.destroy();
      return;
    }
    answer(result, result.replayed ? { "Idempotent-Replayed": "true" } : {});
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ error: { type: "api_error", message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    customers,
    taxRates,
    invoices,
    invoiceItems,
    failNext(count, options = {}) {
      failures.push({ ...options, left: count });
    },
    setUnreachable(value) {
      unreachable = value;
      // Connections the SDK keeps alive would otherwise still get through.
      if (value) server.closeAllConnections();
    },
    invoiceEvent(type, invoiceId, options = {}) {
      const invoice = invoices.get(invoiceId);
      if (!invoice) throw new Error(`The fake has no invoice ${invoiceId}`);
      return JSON.stringify({
        id: options.id ?? newId("evt"),
        object: "event",
        api_version: "2026-10-28.endive",
        created: options.created ?? clock(),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
        data: { object: { ...structuredClone(invoice), ...options.object } },
      });
    },
    reset() {
      requests.length = 0;
      for (const memory of [customers, taxRates, invoices, invoiceItems, idempotent]) memory.clear();
      failures.length = 0;
      unreachable = false;
      sequence = 0;
      invoiceNumber = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
