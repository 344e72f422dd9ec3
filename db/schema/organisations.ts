import { relations, sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { users } from "./identity";

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
    /**
     * No longer listed as staff: the grace period after their last seat was taken back has run
     * out, or the person was erased. The membership stays so municipal figures still count them.
     */
    unlistedAt: integer("unlisted_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.organisationId] }),
    index("memberships_org").on(t.organisationId),
    index("memberships_unit").on(t.unitId),
  ],
);

export const organisationsRelations = relations(organisations, ({ many }) => ({
  domains: many(organisationDomains),
  units: many(organisationUnits),
  eanLocations: many(eanLocations),
  memberships: many(memberships),
}));

export const organisationDomainsRelations = relations(organisationDomains, ({ one }) => ({
  organisation: one(organisations, { fields: [organisationDomains.organisationId], references: [organisations.id] }),
}));

export const organisationUnitsRelations = relations(organisationUnits, ({ one, many }) => ({
  organisation: one(organisations, { fields: [organisationUnits.organisationId], references: [organisations.id] }),
  memberships: many(memberships),
}));

export const eanLocationsRelations = relations(eanLocations, ({ one }) => ({
  organisation: one(organisations, { fields: [eanLocations.organisationId], references: [organisations.id] }),
}));

export const membershipsRelations = relations(memberships, ({ one }) => ({
  user: one(users, { fields: [memberships.userId], references: [users.id] }),
  organisation: one(organisations, { fields: [memberships.organisationId], references: [organisations.id] }),
  unit: one(organisationUnits, { fields: [memberships.unitId], references: [organisationUnits.id] }),
}));
