CREATE TABLE `external_identities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`provider_id` integer NOT NULL,
	`issuer` text NOT NULL,
	`subject` text NOT NULL,
	`linked_at` integer NOT NULL,
	`last_sign_in_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`provider_id`) REFERENCES `identity_providers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `external_identities_issuer_subject` ON `external_identities` (`issuer`,`subject`);--> statement-breakpoint
CREATE INDEX `external_identities_user` ON `external_identities` (`user_id`);--> statement-breakpoint
CREATE INDEX `external_identities_provider` ON `external_identities` (`provider_id`);--> statement-breakpoint
CREATE TABLE `identity_providers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`protocol` text NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`seat_policy` text DEFAULT 'auto' NOT NULL,
	`password_sign_in_disabled` integer DEFAULT false NOT NULL,
	`oidc_issuer` text,
	`oidc_client_id` text,
	`oidc_client_secret_enc` text,
	`claim_map` text DEFAULT '{"email":"email","name":"name","unit":"department","profession":"jobTitle","groups":"groups"}' NOT NULL,
	`leader_groups` text DEFAULT '[]' NOT NULL,
	`admin_groups` text DEFAULT '[]' NOT NULL,
	`last_tested_at` integer,
	`last_test_ok` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "identity_providers_protocol" CHECK("identity_providers"."protocol" in ('oidc', 'saml')),
	CONSTRAINT "identity_providers_seat_policy" CHECK("identity_providers"."seat_policy" in ('auto', 'approval'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `identity_providers_organisation_id_unique` ON `identity_providers` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `sso_errors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider_id` integer NOT NULL,
	`at` integer NOT NULL,
	`code` text NOT NULL,
	`detail` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`provider_id`) REFERENCES `identity_providers`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "sso_errors_detail_length" CHECK(length("sso_errors"."detail") <= 500)
);
--> statement-breakpoint
CREATE INDEX `sso_errors_provider` ON `sso_errors` (`provider_id`,`at`);--> statement-breakpoint
CREATE TABLE `sso_flows` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`provider_id` integer NOT NULL,
	`state` text,
	`nonce` text,
	`code_verifier` text,
	`redirect_to` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`provider_id`) REFERENCES `identity_providers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sso_flows_expires` ON `sso_flows` (`expires_at`);