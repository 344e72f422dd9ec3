CREATE TABLE `saml_assertion_ids` (
	`provider_id` integer NOT NULL,
	`assertion_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`provider_id`, `assertion_id`),
	FOREIGN KEY (`provider_id`) REFERENCES `identity_providers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `saml_assertion_ids_expires` ON `saml_assertion_ids` (`expires_at`);--> statement-breakpoint
CREATE TABLE `scim_group_members` (
	`group_id` text NOT NULL,
	`scim_user_id` text NOT NULL,
	PRIMARY KEY(`group_id`, `scim_user_id`),
	FOREIGN KEY (`group_id`) REFERENCES `scim_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`scim_user_id`) REFERENCES `scim_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scim_group_members_user` ON `scim_group_members` (`scim_user_id`);--> statement-breakpoint
CREATE TABLE `scim_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` integer NOT NULL,
	`display_name` text NOT NULL,
	`external_id` text,
	`unit_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`unit_id`) REFERENCES `organisation_units`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `scim_groups_org` ON `scim_groups` (`organisation_id`,`display_name`);--> statement-breakpoint
CREATE TABLE `scim_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scim_tokens_token_hash_unique` ON `scim_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `scim_tokens_org` ON `scim_tokens` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `scim_users` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`user_name` text NOT NULL,
	`external_id` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "scim_users_user_name_lower" CHECK("scim_users"."user_name" = lower("scim_users"."user_name"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scim_users_org_user_name` ON `scim_users` (`organisation_id`,`user_name`);--> statement-breakpoint
CREATE UNIQUE INDEX `scim_users_org_user` ON `scim_users` (`organisation_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `scim_users_external_id` ON `scim_users` (`organisation_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `seat_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`requested_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` integer,
	`decision` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "seat_requests_decided" CHECK(("seat_requests"."decided_at" is null and "seat_requests"."decision" is null) or ("seat_requests"."decided_at" is not null and "seat_requests"."decision" in ('approved', 'declined')))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `seat_requests_open` ON `seat_requests` (`organisation_id`,`user_id`) WHERE "seat_requests"."decided_at" is null;--> statement-breakpoint
CREATE TABLE `sso_sessions` (
	`session_id_hash` text PRIMARY KEY NOT NULL,
	`provider_id` integer NOT NULL,
	`id_token` text,
	FOREIGN KEY (`session_id_hash`) REFERENCES `sessions`(`id_hash`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`provider_id`) REFERENCES `identity_providers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `users` ADD `deactivated_at` integer;--> statement-breakpoint
ALTER TABLE `identity_providers` ADD `saml_metadata_url` text;--> statement-breakpoint
ALTER TABLE `identity_providers` ADD `saml_idp_entity_id` text;--> statement-breakpoint
ALTER TABLE `identity_providers` ADD `saml_idp_sso_url` text;--> statement-breakpoint
ALTER TABLE `identity_providers` ADD `saml_idp_certs` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `identity_providers` ADD `saml_sp_cert_pem` text;--> statement-breakpoint
ALTER TABLE `identity_providers` ADD `saml_sp_key_enc` text;--> statement-breakpoint
ALTER TABLE `sso_flows` ADD `saml_request_id` text;--> statement-breakpoint
ALTER TABLE `sso_flows` ADD `verified_person` text;--> statement-breakpoint
CREATE UNIQUE INDEX `sso_flows_saml_request_id_unique` ON `sso_flows` (`saml_request_id`);