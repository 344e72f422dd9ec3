import { relations, sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { users } from "./identity";
import { organisations } from "./organisations";

export const ssoProtocols = ["oidc", "saml"] as const;
export type SsoProtocol = (typeof ssoProtocols)[number];

/** What happens when someone signs in for the first time: take a free seat, or wait for the admin. */
export const ssoSeatPolicies = ["auto", "approval"] as const;
export type SsoSeatPolicy = (typeof ssoSeatPolicies)[number];

/** The names of the claims (or SAML attributes) a person's details are read from. */
export type SsoClaimMap = { email: string; name: string; unit: string; profession: string; groups: string };

/** The names Entra ID and most OpenID providers use; the admin changes them where a provider differs. */
export const defaultSsoClaimMap: SsoClaimMap = {
  email: "email",
  name: "name",
  unit: "department",
  profession: "jobTitle",
  groups: "groups",
};

/**
 * The municipality's own login, one per municipality. Secrets are stored sealed (see
 * app/sso/secrets.server.ts), bound to this row and column, and are never shown again.
 */
export const identityProviders = sqliteTable(
  "identity_providers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .unique()
      .references(() => organisations.id, { onDelete: "cascade" }),
    protocol: text("protocol", { enum: ssoProtocols }).notNull(),
    /** Off until the admin has tested the connection and switched it on. */
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(false),
    seatPolicy: text("seat_policy", { enum: ssoSeatPolicies }).notNull().default("auto"),
    /** Addresses in the municipality's domains may then sign in only through the provider. */
    passwordSignInDisabled: integer("password_sign_in_disabled", { mode: "boolean" }).notNull().default(false),
    oidcIssuer: text("oidc_issuer"),
    oidcClientId: text("oidc_client_id"),
    oidcClientSecretEnc: text("oidc_client_secret_enc"),
    /** An SsoClaimMap as JSON. */
    claimMap: text("claim_map").notNull().default(JSON.stringify(defaultSsoClaimMap)),
    /** The group names (or ids, as Entra ID sends them) that make someone a leader, as a JSON array. */
    leaderGroups: text("leader_groups").notNull().default("[]"),
    /** The same for the municipality's admins. */
    adminGroups: text("admin_groups").notNull().default("[]"),
    lastTestedAt: integer("last_tested_at", { mode: "timestamp_ms" }),
    lastTestOk: integer("last_test_ok", { mode: "boolean" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    check("identity_providers_protocol", sql`${t.protocol} in ('oidc', 'saml')`),
    check("identity_providers_seat_policy", sql`${t.seatPolicy} in ('auto', 'approval')`),
  ],
);

/** What went wrong at the latest sign-ins and tests, for the admin's connection page. */
export const ssoErrors = sqliteTable(
  "sso_errors",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    providerId: integer("provider_id")
      .notNull()
      .references(() => identityProviders.id, { onDelete: "cascade" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    /** The i18n key of the Danish message the person saw. */
    code: text("code").notNull(),
    /** What the provider or library said, shortened, and never a secret or a token. */
    detail: text("detail").notNull().default(""),
  },
  (t) => [
    index("sso_errors_provider").on(t.providerId, t.at),
    check("sso_errors_detail_length", sql`length(${t.detail}) <= 500`),
  ],
);

/**
 * A person's account at a provider. An account is found by issuer and subject, never by e-mail
 * alone, so a changed or reused address at the municipality cannot sign in as someone else.
 */
export const externalIdentities = sqliteTable(
  "external_identities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    providerId: integer("provider_id")
      .notNull()
      .references(() => identityProviders.id, { onDelete: "cascade" }),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    linkedAt: integer("linked_at", { mode: "timestamp_ms" }).notNull(),
    lastSignInAt: integer("last_sign_in_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("external_identities_issuer_subject").on(t.issuer, t.subject),
    index("external_identities_user").on(t.userId),
    index("external_identities_provider").on(t.providerId),
  ],
);

/**
 * A sign-in on its way through the provider. The browser holds a random token in a cookie and
 * the row its hash; a row is used once and is worthless after it expires.
 */
export const ssoFlows = sqliteTable(
  "sso_flows",
  {
    idHash: text("id_hash").primaryKey(),
    providerId: integer("provider_id")
      .notNull()
      .references(() => identityProviders.id, { onDelete: "cascade" }),
    // An OpenID Connect flow's checks; a SAML flow checks its request id instead.
    state: text("state"),
    nonce: text("nonce"),
    codeVerifier: text("code_verifier"),
    /** Where the person goes once signed in: a path of the platform's own. */
    redirectTo: text("redirect_to"),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("sso_flows_expires").on(t.expiresAt)],
);

export const identityProvidersRelations = relations(identityProviders, ({ one, many }) => ({
  organisation: one(organisations, {
    fields: [identityProviders.organisationId],
    references: [organisations.id],
  }),
  errors: many(ssoErrors),
  externalIdentities: many(externalIdentities),
}));

export const ssoErrorsRelations = relations(ssoErrors, ({ one }) => ({
  provider: one(identityProviders, { fields: [ssoErrors.providerId], references: [identityProviders.id] }),
}));

export const externalIdentitiesRelations = relations(externalIdentities, ({ one }) => ({
  user: one(users, { fields: [externalIdentities.userId], references: [users.id] }),
  provider: one(identityProviders, { fields: [externalIdentities.providerId], references: [identityProviders.id] }),
}));
