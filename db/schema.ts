import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const professions = [
  "teacher",
  "pedagogue",
  "healthVisitor",
  "dentalStaff",
  "socialWorker",
  "psychologist",
  "other",
] as const;
export type Profession = (typeof professions)[number];

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash"),
  /** 'owner' for course owners; staff and admins get their roles through memberships. */
  platformRole: text("platform_role", { enum: ["owner"] }),
  /** Asked once, the first time the person gives feedback; feedback results are broken down by it. */
  profession: text("profession", { enum: professions }),
  createdAt: createdAt(),
});

export const organisations = sqliteTable(
  "organisations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    cvr: text("cvr").notNull().unique(),
    /** The postal address invoices are made out to; filled in or confirmed with the first order. */
    streetName: text("street_name"),
    buildingNumber: text("building_number"),
    postalCode: text("postal_code"),
    city: text("city"),
    invoiceEmail: text("invoice_email"),
    /** Set once the municipality has a customer at Stripe; every later invoice reuses it. */
    stripeCustomerId: text("stripe_customer_id").unique(),
    createdAt: createdAt(),
  },
  (t) => [check("organisations_cvr_digits", sql`length(${t.cvr}) = 8 and ${t.cvr} not glob '*[^0-9]*'`)],
);

/** The e-mail domains a municipality's staff use; join links admit only addresses in them. */
export const organisationDomains = sqliteTable(
  "organisation_domains",
  {
    domain: text("domain").primaryKey(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
  },
  (t) => [
    index("organisation_domains_org").on(t.organisationId),
    check("organisation_domains_lower", sql`${t.domain} = lower(${t.domain})`),
  ],
);

export const unitKinds = ["forvaltning", "afdeling", "institution"] as const;
export type UnitKind = (typeof unitKinds)[number];

/** A part of the municipality staff belong to; leaders follow the people of their own unit. */
export const organisationUnits = sqliteTable(
  "organisation_units",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind", { enum: unitKinds }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("organisation_units_name").on(t.organisationId, t.name)],
);

/** The EAN (GLN) location numbers of the units that order and receive invoices. */
export const eanLocations = sqliteTable(
  "ean_locations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    ean: text("ean").notNull().unique(),
    label: text("label").notNull(),
  },
  (t) => [check("ean_locations_digits", sql`length(${t.ean}) = 13 and ${t.ean} not glob '*[^0-9]*'`)],
);

export const membershipRoles = ["learner", "leader", "admin"] as const;
export type MembershipRole = (typeof membershipRoles)[number];

export const memberships = sqliteTable(
  "memberships",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    role: text("role", { enum: membershipRoles }).notNull(),
    unitId: integer("unit_id").references(() => organisationUnits.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.organisationId] }),
    index("memberships_org").on(t.organisationId),
    index("memberships_unit").on(t.unitId),
  ],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the cookie's token, so a copy of the database cannot be used to sign in. */
    idHash: text("id_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    /**
     * The last request the session made, to within a few minutes: a session unused for hours ends
     * (idle timeout, for shared PCs). Written at most every few minutes, not on every request.
     */
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

/**
 * Counters for app/auth/rate-limits.server.ts, in the shape rate-limiter-flexible's
 * RateLimiterSQLite reads and writes (it owns the column names): one row per kind and key,
 * `expire` in epoch milliseconds. Kept in the database so limits hold across processes and
 * restarts; rows past `expire` are deleted as new ones are written.
 */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    points: integer("points").notNull().default(0),
    expire: integer("expire"),
  },
  (t) => [index("rate_limits_expire").on(t.expire)],
);

export const passwordResets = sqliteTable(
  "password_resets",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("password_resets_user").on(t.userId)],
);

export const courses = sqliteTable("courses", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  position: integer("position").notNull(),
  title: text("title").notNull(),
  summary: text("summary").notNull(),
  published: integer("published", { mode: "boolean" }).notNull().default(true),
  /** The study time a certificate states, set by the owner; null means the films' total, rounded up to a quarter of an hour. */
  certificateMinutes: integer("certificate_minutes"),
  createdAt: createdAt(),
});

export const modules = sqliteTable(
  "modules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    slug: text("slug").notNull().unique(),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    /** Whole seconds of the film currently published; null until the media pipeline has run. */
    durationSeconds: integer("duration_seconds"),
    /** Folder of the complete HLS ladder under MEDIA_DIR/<slug>/; only ever set once a ladder is whole. */
    mediaVersion: text("media_version"),
    /** 'synthetic' films are rebuilt by media:build; 'upload' films came from a real file and are left alone. */
    mediaSource: text("media_source", { enum: ["synthetic", "upload"] })
      .notNull()
      .default("synthetic"),
    /** An unpublished module is hidden from learners and left out of what completes the course. */
    published: integer("published", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("modules_course_position").on(t.courseId, t.position)],
);

export const reflectionQuestions = sqliteTable(
  "reflection_questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    text: text("text").notNull(),
  },
  (t) => [uniqueIndex("reflection_questions_module_position").on(t.moduleId, t.position)],
);

/** What a municipality can buy: which courses, how many seats, for how long, at what list price. */
export const plans = sqliteTable(
  "plans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    /** One or two sentences for the price page. */
    summary: text("summary").notNull().default(""),
    seatCount: integer("seat_count").notNull(),
    periodMonths: integer("period_months").notNull(),
    /** Excluding VAT, in øre. */
    listPriceOre: integer("list_price_ore").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    check("plans_seats_positive", sql`${t.seatCount} > 0`),
    check("plans_period_positive", sql`${t.periodMonths} > 0`),
    check("plans_price_not_negative", sql`${t.listPriceOre} >= 0`),
  ],
);

export const planCourses = sqliteTable(
  "plan_courses",
  {
    planId: integer("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.planId, t.courseId] })],
);

/**
 * A municipality's right to a number of seats on some courses for a period. Its courses are
 * copied from the plan when it is created, so a later change of plan does not change it.
 */
export const licences = sqliteTable(
  "licences",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "restrict" }),
    planId: integer("plan_id").references(() => plans.id, { onDelete: "set null" }),
    seatCount: integer("seat_count").notNull(),
    /** First and last day of the period, inclusive, as YYYY-MM-DD in Danish time. */
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("licences_organisation").on(t.organisationId),
    check("licences_seats_positive", sql`${t.seatCount} > 0`),
    check("licences_period_order", sql`${t.startsOn} <= ${t.endsOn}`),
  ],
);

export const licenceCourses = sqliteTable(
  "licence_courses",
  {
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "cascade" }),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.licenceId, t.courseId] }), index("licence_courses_course").on(t.courseId)],
);

/**
 * One person's use of one of a licence's seats. Taking a seat back sets revokedAt and frees
 * it; the row stays, so the person's history and the licence's audit keep it.
 */
export const seats = sqliteTable(
  "seats",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    claimedAt: integer("claimed_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("seats_one_active_per_person")
      .on(t.licenceId, t.userId)
      .where(sql`${t.revokedAt} is null`),
    index("seats_user").on(t.userId),
  ],
);

/** An e-mail invitation to take a seat on a licence; the link carries a token, the table its hash. */
export const invitations = sqliteTable(
  "invitations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: integer("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    acceptedAt: integer("accepted_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("invitations_licence").on(t.licenceId)],
);

/**
 * A link an admin shares on the intranet: anyone with an address in one of the municipality's
 * domains may take a seat with it, until it expires or has been used `maxUses` times.
 */
export const joinLinks = sqliteTable(
  "join_links",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    maxUses: integer("max_uses").notNull(),
    uses: integer("uses").notNull().default(0),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("join_links_licence").on(t.licenceId),
    check("join_links_uses", sql`${t.maxUses} > 0 and ${t.uses} >= 0 and ${t.uses} <= ${t.maxUses}`),
  ],
);

export const seatEventKinds = ["invited", "claimed", "revoked", "reassigned"] as const;

/** What happened to a licence's seats, and who did it: the admin's audit log. */
export const seatEvents = sqliteTable(
  "seat_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: seatEventKinds }).notNull(),
    /** The person the event is about: for an invitation, the address invited. */
    subjectEmail: text("subject_email").notNull(),
    actorUserId: integer("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("seat_events_licence").on(t.licenceId, t.at)],
);

/**
 * A price agreement: a discount on a plan (or every plan), either for one municipality, applied
 * by itself, or behind a code any municipality can enter when ordering.
 */
export const discounts = sqliteTable(
  "discounts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Shown on the order summary and the invoice line, e.g. "Pilotaftale". */
    label: text("label").notNull(),
    /** Upper case; null for an agreement that belongs to one municipality. */
    code: text("code").unique(),
    organisationId: integer("organisation_id").references(() => organisations.id, { onDelete: "cascade" }),
    planId: integer("plan_id").references(() => plans.id, { onDelete: "cascade" }),
    /** Hundredths of a percent: 7500 is 75 %. */
    percentBasisPoints: integer("percent_basis_points").notNull(),
    /** Last day it can be used (YYYY-MM-DD), inclusive; null for no end. */
    validUntil: text("valid_until"),
    maxUses: integer("max_uses"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    check("discounts_percent", sql`${t.percentBasisPoints} between 1 and 10000`),
    check("discounts_code_or_organisation", sql`${t.code} is not null or ${t.organisationId} is not null`),
    check("discounts_code_upper", sql`${t.code} is null or ${t.code} = upper(${t.code})`),
  ],
);

export const orderKinds = ["new", "renewal", "extraSeats"] as const;

/**
 * What a municipality ordered, with everything the invoice needs copied in: a later change of
 * address, plan or discount never changes an order already placed.
 */
export const orders = sqliteTable(
  "orders",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "restrict" }),
    /** The licence the order created (new, renewal) or added seats to (extraSeats). */
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "restrict" }),
    kind: text("kind", { enum: orderKinds }).notNull(),
    planId: integer("plan_id").references(() => plans.id, { onDelete: "set null" }),
    planName: text("plan_name").notNull(),
    seatCount: integer("seat_count").notNull(),
    /** The period the order pays for: for extra seats, the rest of the licence's period. */
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on").notNull(),
    months: integer("months").notNull(),
    ean: text("ean").notNull(),
    orderReference: text("order_reference").notNull(),
    personReference: text("person_reference").notNull(),
    buyerName: text("buyer_name").notNull(),
    buyerCvr: text("buyer_cvr").notNull(),
    buyerStreetName: text("buyer_street_name").notNull(),
    buyerBuildingNumber: text("buyer_building_number").notNull(),
    buyerPostalCode: text("buyer_postal_code").notNull(),
    buyerCity: text("buyer_city").notNull(),
    buyerEmail: text("buyer_email").notNull(),
    discountId: integer("discount_id").references(() => discounts.id, { onDelete: "set null" }),
    discountLabel: text("discount_label"),
    discountBasisPoints: integer("discount_basis_points").notNull().default(0),
    /** Before any discount, excluding VAT. */
    listNetOre: integer("list_net_ore").notNull(),
    netOre: integer("net_ore").notNull(),
    vatOre: integer("vat_ore").notNull(),
    grossOre: integer("gross_ore").notNull(),
    placedBy: integer("placed_by").references(() => users.id, { onDelete: "set null" }),
    /** A key from the order form, so a double click or a resent form places one order, not two. */
    requestKey: text("request_key").notNull().unique(),
    termsAcceptedAt: integer("terms_accepted_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("orders_organisation").on(t.organisationId),
    index("orders_licence").on(t.licenceId),
    check("orders_totals", sql`${t.grossOre} = ${t.netOre} + ${t.vatOre} and ${t.netOre} >= 0`),
    check("orders_seats_positive", sql`${t.seatCount} > 0`),
  ],
);

export const billingProviders = ["manual", "stripe"] as const;
export type BillingProviderName = (typeof billingProviders)[number];

/**
 * pending: saved here, not yet created at the provider (Stripe unreachable: retried later).
 * open: finalized, awaiting payment; sent: sent to the customer; the rest as Stripe names them.
 */
export const invoiceStatuses = [
  "pending",
  "open",
  "sent",
  "payment_failed",
  "overdue",
  "paid",
  "void",
  "uncollectible",
] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

/**
 * Issued to the municipality and not (yet) paid. A pending invoice has not reached the
 * municipality at all, so it can be neither overdue nor a reason to stop new seats.
 */
export const unpaidInvoiceStatuses = [
  "open",
  "sent",
  "payment_failed",
  "overdue",
  "uncollectible",
] as const satisfies readonly InvoiceStatus[];

/** One per order. */
export const invoices = sqliteTable(
  "invoices",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: integer("order_id")
      .notNull()
      .unique()
      .references(() => orders.id, { onDelete: "restrict" }),
    provider: text("provider", { enum: billingProviders }).notNull(),
    /** The manual provider's unbroken series: 1, 2, 3, ... with no gaps. */
    sequence: integer("sequence").unique(),
    /** The number printed on the invoice; for Stripe, set when Stripe finalizes it. */
    number: text("number").unique(),
    issueDate: text("issue_date").notNull(),
    dueDate: text("due_date").notNull(),
    netOre: integer("net_ore").notNull(),
    vatOre: integer("vat_ore").notNull(),
    grossOre: integer("gross_ore").notNull(),
    status: text("status", { enum: invoiceStatuses }).notNull(),
    /** When the status last changed, by the provider's clock: an older event never overrides a newer one. */
    statusAt: integer("status_at", { mode: "timestamp_ms" }).notNull(),
    paidAt: integer("paid_at", { mode: "timestamp_ms" }),
    stripeInvoiceId: text("stripe_invoice_id").unique(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [
    index("invoices_status").on(t.status, t.dueDate),
    check("invoices_totals", sql`${t.grossOre} = ${t.netOre} + ${t.vatOre}`),
    check(
      "invoices_manual_numbered",
      sql`${t.provider} <> 'manual' or (${t.sequence} is not null and ${t.number} is not null)`,
    ),
  ],
);

export const invoiceLines = sqliteTable(
  "invoice_lines",
  {
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    description: text("description").notNull(),
    quantity: integer("quantity").notNull(),
    /** UN/ECE Recommendation 20 code: "EA" for seats. */
    unitCode: text("unit_code").notNull(),
    unitPriceOre: integer("unit_price_ore").notNull(),
    lineNetOre: integer("line_net_ore").notNull(),
    periodStart: text("period_start"),
    periodEnd: text("period_end"),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.position] })],
);

/** Small values the platform keeps for itself, such as the id of the VAT rate created once at Stripe. */
export const platformSettings = sqliteTable("platform_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/** Every Stripe event handled, once: a repeated delivery finds its id here and changes nothing. */
export const stripeEvents = sqliteTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
});

export const licenceNoticeKinds = ["ends_in_60_days", "ends_in_30_days", "invoice_overdue"] as const;

/** Notices mailed about a licence, so each is sent once however often the job runs. */
export const licenceNotices = sqliteTable(
  "licence_notices",
  {
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: licenceNoticeKinds }).notNull(),
    /** For invoice notices, which invoice; 0 for the licence's own. */
    invoiceId: integer("invoice_id").notNull().default(0),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.licenceId, t.kind, t.invoiceId] })],
);

export const moduleProgress = sqliteTable(
  "module_progress",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    /** Merged, sorted, non-overlapping [start, end] pairs in seconds of film time, as JSON. */
    playedRanges: text("played_ranges").notNull().default("[]"),
    playedMs: integer("played_ms").notNull().default(0),
    lastPositionMs: integer("last_position_ms").notNull().default(0),
    watchedAt: integer("watched_at", { mode: "timestamp_ms" }),
    /**
     * How far credited playing time reaches on the wall clock. Every view of the film shares it,
     * so playing time can only be credited as fast as time passes, however many tabs are open.
     */
    creditClock: integer("credit_clock", { mode: "timestamp_ms" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.moduleId] })],
);

/** Mail kept here when no SMTP server is configured, so the flows work offline and tests can read them. */
export const outboxEmails = sqliteTable(
  "outbox_emails",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    /**
     * The hash of the reset or invitation token whose link the mail carries (password_resets or
     * invitations `token_hash`). The row is deleted once that link is spent, replaced or expired,
     * so the database never keeps a readable link that still opens something.
     */
    linkTokenHash: text("link_token_hash"),
    createdAt: createdAt(),
  },
  (t) => [index("outbox_emails_to").on(t.to)],
);

/** A module's check of what was taken away from the film; the module is complete once it is passed. */
export const quizzes = sqliteTable(
  "quizzes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .unique()
      .references(() => modules.id, { onDelete: "cascade" }),
    passPercent: integer("pass_percent").notNull().default(80),
    /** Null: as many attempts as the learner needs. */
    maxAttempts: integer("max_attempts"),
    shuffleQuestions: integer("shuffle_questions", { mode: "boolean" }).notNull().default(true),
    shuffleOptions: integer("shuffle_options", { mode: "boolean" }).notNull().default(true),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    check("quizzes_pass_percent", sql`${t.passPercent} between 1 and 100`),
    check("quizzes_max_attempts", sql`${t.maxAttempts} is null or ${t.maxAttempts} > 0`),
  ],
);

export const quizQuestionKinds = ["single", "multiple", "trueFalse"] as const;
export type QuizQuestionKind = (typeof quizQuestionKinds)[number];

export const quizQuestions = sqliteTable(
  "quiz_questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    quizId: integer("quiz_id")
      .notNull()
      .references(() => quizzes.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: text("kind", { enum: quizQuestionKinds }).notNull(),
    text: text("text").notNull(),
    /** Shown once the learner has answered. */
    explanation: text("explanation").notNull(),
  },
  (t) => [uniqueIndex("quiz_questions_quiz_position").on(t.quizId, t.position)],
);

/** The options of a question; `correct` stays on the server until an attempt has been graded. */
export const quizOptions = sqliteTable(
  "quiz_options",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    questionId: integer("question_id")
      .notNull()
      .references(() => quizQuestions.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    text: text("text").notNull(),
    correct: integer("correct", { mode: "boolean" }).notNull(),
  },
  (t) => [uniqueIndex("quiz_options_question_position").on(t.questionId, t.position)],
);

/** Every graded attempt, kept: passing one completes the quiz, and the owner's statistics read them. */
export const quizAttempts = sqliteTable(
  "quiz_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    quizId: integer("quiz_id")
      .notNull()
      .references(() => quizzes.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    correctCount: integer("correct_count").notNull(),
    questionCount: integer("question_count").notNull(),
    scorePercent: integer("score_percent").notNull(),
    passed: integer("passed", { mode: "boolean" }).notNull(),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("quiz_attempts_user_quiz").on(t.userId, t.quizId), index("quiz_attempts_quiz").on(t.quizId)],
);

export const quizAttemptAnswers = sqliteTable(
  "quiz_attempt_answers",
  {
    attemptId: integer("attempt_id")
      .notNull()
      .references(() => quizAttempts.id, { onDelete: "cascade" }),
    questionId: integer("question_id")
      .notNull()
      .references(() => quizQuestions.id, { onDelete: "cascade" }),
    /** The option ids the learner chose, as a JSON array. */
    selectedOptionIds: text("selected_option_ids").notNull(),
    correct: integer("correct", { mode: "boolean" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.attemptId, t.questionId] }),
    index("quiz_attempt_answers_question").on(t.questionId),
  ],
);

/**
 * New attempts an admin gave a person who had used every allowed attempt without passing;
 * otherwise that person could never complete the module, its course or get the certificate.
 * Only attempts made after the latest retake count against the limit, and no attempt is
 * deleted, so history and statistics stay as they were.
 */
export const quizRetakes = sqliteTable(
  "quiz_retakes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    quizId: integer("quiz_id")
      .notNull()
      .references(() => quizzes.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    grantedBy: integer("granted_by").references(() => users.id, { onDelete: "set null" }),
    grantedAt: integer("granted_at", { mode: "timestamp_ms" }).notNull(),
    /**
     * The person's highest quiz_attempts.id on this quiz when the retake was granted; only attempts
     * with a higher id count against the limit. Ids, not timestamps, because an attempt in the same
     * millisecond as the grant, or after the server's clock was set back, must count too.
     */
    afterAttemptId: integer("after_attempt_id").notNull().default(0),
  },
  (t) => [index("quiz_retakes_user_quiz").on(t.userId, t.quizId)],
);

/** Issued once per person and course when the course is complete; what it states is kept as it was then. */
export const certificates = sqliteTable(
  "certificates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The code printed on the certificate and checked at /bevis/<code>. */
    code: text("code").notNull().unique(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    courseId: integer("course_id").references(() => courses.id, { onDelete: "set null" }),
    recipientName: text("recipient_name").notNull(),
    courseTitle: text("course_title").notNull(),
    organisationName: text("organisation_name").notNull(),
    minutes: integer("minutes").notNull(),
    /** YYYY-MM-DD in Danish time: the day the last module was completed. */
    completedOn: text("completed_on").notNull(),
    issuedAt: integer("issued_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("certificates_user_course").on(t.userId, t.courseId)],
);

export const feedbackAudiences = ["staff", "leader"] as const;
export type FeedbackAudience = (typeof feedbackAudiences)[number];

/** A course's questionnaire for staff or for leaders; who gets which follows their role in the municipality. */
export const feedbackForms = sqliteTable(
  "feedback_forms",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    audience: text("audience", { enum: feedbackAudiences }).notNull(),
    title: text("title").notNull(),
    intro: text("intro").notNull().default(""),
    /** Anonymous responses keep no link to the person, and reports hide groups of fewer than five. */
    anonymous: integer("anonymous", { mode: "boolean" }).notNull().default(true),
    /** First and last day answers are taken, inclusive, as YYYY-MM-DD; no last day means open until closed. */
    opensOn: text("opens_on").notNull(),
    closesOn: text("closes_on"),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("feedback_forms_course_audience").on(t.courseId, t.audience),
    check("feedback_forms_dates", sql`${t.closesOn} is null or ${t.opensOn} <= ${t.closesOn}`),
  ],
);

export const feedbackQuestionKinds = ["scale", "recommend", "choice", "text"] as const;
export type FeedbackQuestionKind = (typeof feedbackQuestionKinds)[number];

export const feedbackQuestions = sqliteTable(
  "feedback_questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    formId: integer("form_id")
      .notNull()
      .references(() => feedbackForms.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: text("kind", { enum: feedbackQuestionKinds }).notNull(),
    text: text("text").notNull(),
    required: integer("required", { mode: "boolean" }).notNull().default(true),
    /** The labels of a 1-5 scale's ends. */
    lowLabel: text("low_label"),
    highLabel: text("high_label"),
    /** A single-choice question's options, as a JSON array of strings. */
    choices: text("choices"),
  },
  (t) => [uniqueIndex("feedback_questions_form_position").on(t.formId, t.position)],
);

/**
 * One submitted questionnaire. The id is random, anonymous responses have no user id and only
 * the week they were given, and the migration makes this table and its answers WITHOUT ROWID
 * (stored in id order, not in the order written), so nothing orders or dates them against the person.
 */
export const feedbackResponses = sqliteTable(
  "feedback_responses",
  {
    id: text("id").primaryKey(),
    formId: integer("form_id")
      .notNull()
      .references(() => feedbackForms.id, { onDelete: "cascade" }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    audience: text("audience", { enum: feedbackAudiences }).notNull(),
    profession: text("profession", { enum: professions }),
    /** Set only when the form is not anonymous. */
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    /** Monday of the week the response was given, YYYY-MM-DD. */
    submittedWeek: text("submitted_week").notNull(),
  },
  (t) => [index("feedback_responses_form").on(t.formId), index("feedback_responses_org").on(t.organisationId)],
);

export const feedbackAnswers = sqliteTable(
  "feedback_answers",
  {
    responseId: text("response_id")
      .notNull()
      .references(() => feedbackResponses.id, { onDelete: "cascade" }),
    questionId: integer("question_id")
      .notNull()
      .references(() => feedbackQuestions.id, { onDelete: "cascade" }),
    /** 1-5 for a scale, 0-10 for "would you recommend". */
    score: integer("score"),
    /** The chosen option of a single-choice question, or the free text. */
    text: text("text"),
  },
  (t) => [primaryKey({ columns: [t.responseId, t.questionId] }), index("feedback_answers_question").on(t.questionId)],
);

/**
 * That a person has answered a form, and nothing else: no time and no response id, so it
 * cannot be matched to an anonymous response. The migration makes it WITHOUT ROWID, so not
 * even the order rows were written in survives.
 */
export const feedbackSubmissions = sqliteTable(
  "feedback_submissions",
  {
    formId: integer("form_id")
      .notNull()
      .references(() => feedbackForms.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.formId, t.userId] })],
);

export const mediaJobKinds = ["film", "subtitles"] as const;
export const mediaJobStatuses = ["queued", "running", "done", "failed"] as const;
export type MediaJobStatus = (typeof mediaJobStatuses)[number];

/**
 * The transcoding queue. A job lives in the database so that a restart of the server picks it
 * up again: a running job whose heartbeat has gone quiet is taken over by the next worker.
 */
export const mediaJobs = sqliteTable(
  "media_jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: mediaJobKinds }).notNull(),
    /** The uploaded file, relative to the upload folder. */
    sourceFile: text("source_file").notNull(),
    originalName: text("original_name").notNull(),
    status: text("status", { enum: mediaJobStatuses }).notNull().default("queued"),
    /** 0-1000: tenths of a per cent, written as the pipeline reports. */
    progressPermille: integer("progress_permille").notNull().default(0),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    heartbeatAt: integer("heartbeat_at", { mode: "timestamp_ms" }),
    /** The ladder the job published, once done. */
    resultVersion: text("result_version"),
    requestedBy: integer("requested_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("media_jobs_status").on(t.status), index("media_jobs_module").on(t.moduleId)],
);
