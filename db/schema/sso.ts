import { relations, sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { sessions, users } from "./identity";
import { organisations, organisationUnits } from "./organisations";

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
    /** Where the provider's SAML metadata was read from; empty when the admin uploaded the file. */
    samlMetadataUrl: text("saml_metadata_url"),
    samlIdpEntityId: text("saml_idp_entity_id"),
    /** The provider's single sign-on address for the HTTP-Redirect binding. */
    samlIdpSsoUrl: text("saml_idp_sso_url"),
    /** The provider's signing certificates (PEM) as a JSON array: several while it rolls one over. */
    samlIdpCerts: text("saml_idp_certs").notNull().default("[]"),
    /** The platform's own certificate for this municipality, published in its service-provider metadata. */
    samlSpCertPem: text("saml_sp_cert_pem"),
    /** Its private key, sealed like the client secret: it signs requests and opens encrypted assertions. */
    samlSpKeyEnc: text("saml_sp_key_enc"),
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
    /** The ID of the AuthnRequest, which the provider's answer must name in InResponseTo. */
    samlRequestId: text("saml_request_id").unique(),
    /**
     * A SAML answer arrives as a cross-site POST that carries no cookie. The checked person waits
     * here, as JSON, until the browser's own request with the flow cookie finishes the sign-in.
     */
    verifiedPerson: text("verified_person"),
    /** Where the person goes once signed in: a path of the platform's own. */
    redirectTo: text("redirect_to"),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("sso_flows_expires").on(t.expiresAt)],
);

/** Every SAML assertion accepted, kept until it would have expired anyway: one is accepted once. */
export const samlAssertionIds = sqliteTable(
  "saml_assertion_ids",
  {
    providerId: integer("provider_id")
      .notNull()
      .references(() => identityProviders.id, { onDelete: "cascade" }),
    assertionId: text("assertion_id").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.assertionId] }), index("saml_assertion_ids_expires").on(t.expiresAt)],
);

/**
 * A session that began at the municipality's provider, so signing out can end the provider's
 * session too (OpenID Connect's end-session endpoint wants the ID token as a hint).
 */
export const ssoSessions = sqliteTable("sso_sessions", {
  sessionIdHash: text("session_id_hash")
    .primaryKey()
    .references(() => sessions.idHash, { onDelete: "cascade" }),
  providerId: integer("provider_id")
    .notNull()
    .references(() => identityProviders.id, { onDelete: "cascade" }),
  idToken: text("id_token"),
});

export const seatRequestDecisions = ["approved", "declined"] as const;

/**
 * A person who signed in through the municipality's login while its seat policy is "approval":
 * they wait here until the admin gives them a seat or declines. One open request per person.
 */
export const seatRequests = sqliteTable(
  "seat_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    requestedAt: integer("requested_at", { mode: "timestamp_ms" }).notNull(),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    decidedBy: integer("decided_by").references(() => users.id, { onDelete: "set null" }),
    decision: text("decision", { enum: seatRequestDecisions }),
  },
  (t) => [
    uniqueIndex("seat_requests_open")
      .on(t.organisationId, t.userId)
      .where(sql`${t.decidedAt} is null`),
    check(
      "seat_requests_decided",
      sql`(${t.decidedAt} is null and ${t.decision} is null) or (${t.decidedAt} is not null and ${t.decision} in ('approved', 'declined'))`,
    ),
  ],
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

export const samlAssertionIdsRelations = relations(samlAssertionIds, ({ one }) => ({
  provider: one(identityProviders, { fields: [samlAssertionIds.providerId], references: [identityProviders.id] }),
}));

export const ssoSessionsRelations = relations(ssoSessions, ({ one }) => ({
  session: one(sessions, { fields: [ssoSessions.sessionIdHash], references: [sessions.idHash] }),
  provider: one(identityProviders, { fields: [ssoSessions.providerId], references: [identityProviders.id] }),
}));

export const seatRequestsRelations = relations(seatRequests, ({ one }) => ({
  organisation: one(organisations, { fields: [seatRequests.organisationId], references: [organisations.id] }),
  user: one(users, { fields: [seatRequests.userId], references: [users.id] }),
}));

/**
 * The bearer tokens the municipality's directory (Entra ID and the like) uses for SCIM. Only the
 * hash is kept; rotating makes a new token and revokes the old one.
 */
export const scimTokens = sqliteTable(
  "scim_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("scim_tokens_org").on(t.organisationId)],
);

/** A person as the municipality's directory knows them: the SCIM resource behind a platform account. */
export const scimUsers = sqliteTable(
  "scim_users",
  {
    /** The SCIM id the directory addresses the person by (a UUID), never the account's own id. */
    id: text("id").primaryKey(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Lower-cased: SCIM compares userName without regard to case. */
    userName: text("user_name").notNull(),
    externalId: text("external_id"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("scim_users_org_user_name").on(t.organisationId, t.userName),
    uniqueIndex("scim_users_org_user").on(t.organisationId, t.userId),
    index("scim_users_external_id").on(t.organisationId, t.externalId),
    check("scim_users_user_name_lower", sql`${t.userName} = lower(${t.userName})`),
  ],
);

/** A group in the municipality's directory; the admin may tie it to a unit, and its members are placed there. */
export const scimGroups = sqliteTable(
  "scim_groups",
  {
    id: text("id").primaryKey(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    displayName: text("display_name").notNull(),
    externalId: text("external_id"),
    unitId: integer("unit_id").references(() => organisationUnits.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("scim_groups_org").on(t.organisationId, t.displayName)],
);

export const scimGroupMembers = sqliteTable(
  "scim_group_members",
  {
    groupId: text("group_id")
      .notNull()
      .references(() => scimGroups.id, { onDelete: "cascade" }),
    scimUserId: text("scim_user_id")
      .notNull()
      .references(() => scimUsers.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.scimUserId] }), index("scim_group_members_user").on(t.scimUserId)],
);

export const scimTokensRelations = relations(scimTokens, ({ one }) => ({
  organisation: one(organisations, { fields: [scimTokens.organisationId], references: [organisations.id] }),
}));

export const scimUsersRelations = relations(scimUsers, ({ one, many }) => ({
  organisation: one(organisations, { fields: [scimUsers.organisationId], references: [organisations.id] }),
  user: one(users, { fields: [scimUsers.userId], references: [users.id] }),
  groups: many(scimGroupMembers),
}));

export const scimGroupsRelations = relations(scimGroups, ({ one, many }) => ({
  organisation: one(organisations, { fields: [scimGroups.organisationId], references: [organisations.id] }),
  unit: one(organisationUnits, { fields: [scimGroups.unitId], references: [organisationUnits.id] }),
  members: many(scimGroupMembers),
}));

export const scimGroupMembersRelations = relations(scimGroupMembers, ({ one }) => ({
  group: one(scimGroups, { fields: [scimGroupMembers.groupId], references: [scimGroups.id] }),
  scimUser: one(scimUsers, { fields: [scimGroupMembers.scimUserId], references: [scimUsers.id] }),
}));
