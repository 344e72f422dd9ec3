CREATE TABLE `discounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`label` text NOT NULL,
	`code` text,
	`organisation_id` integer,
	`plan_id` integer,
	`percent_basis_points` integer NOT NULL,
	`valid_until` text,
	`max_uses` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "discounts_percent" CHECK("discounts"."percent_basis_points" between 1 and 10000),
	CONSTRAINT "discounts_code_or_organisation" CHECK("discounts"."code" is not null or "discounts"."organisation_id" is not null),
	CONSTRAINT "discounts_code_upper" CHECK("discounts"."code" is null or "discounts"."code" = upper("discounts"."code"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discounts_code_unique` ON `discounts` (`code`);--> statement-breakpoint
CREATE TABLE `invoice_lines` (
	`invoice_id` integer NOT NULL,
	`position` integer NOT NULL,
	`description` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_code` text NOT NULL,
	`unit_price_ore` integer NOT NULL,
	`line_net_ore` integer NOT NULL,
	`period_start` text,
	`period_end` text,
	PRIMARY KEY(`invoice_id`, `position`),
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` integer NOT NULL,
	`provider` text NOT NULL,
	`sequence` integer,
	`number` text,
	`issue_date` text NOT NULL,
	`due_date` text NOT NULL,
	`net_ore` integer NOT NULL,
	`vat_ore` integer NOT NULL,
	`gross_ore` integer NOT NULL,
	`status` text NOT NULL,
	`status_at` integer NOT NULL,
	`paid_at` integer,
	`stripe_invoice_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "invoices_totals" CHECK("invoices"."gross_ore" = "invoices"."net_ore" + "invoices"."vat_ore"),
	CONSTRAINT "invoices_manual_numbered" CHECK("invoices"."provider" <> 'manual' or ("invoices"."sequence" is not null and "invoices"."number" is not null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_order_id_unique` ON `invoices` (`order_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_sequence_unique` ON `invoices` (`sequence`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_unique` ON `invoices` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_stripe_invoice_id_unique` ON `invoices` (`stripe_invoice_id`);--> statement-breakpoint
CREATE INDEX `invoices_status` ON `invoices` (`status`,`due_date`);--> statement-breakpoint
CREATE TABLE `join_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`licence_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`max_uses` integer NOT NULL,
	`uses` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`revoked_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`licence_id`) REFERENCES `licences`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "join_links_uses" CHECK("join_links"."max_uses" > 0 and "join_links"."uses" >= 0 and "join_links"."uses" <= "join_links"."max_uses")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `join_links_token_hash_unique` ON `join_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `join_links_licence` ON `join_links` (`licence_id`);--> statement-breakpoint
CREATE TABLE `licence_notices` (
	`licence_id` integer NOT NULL,
	`kind` text NOT NULL,
	`invoice_id` integer DEFAULT 0 NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`licence_id`, `kind`, `invoice_id`),
	FOREIGN KEY (`licence_id`) REFERENCES `licences`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`licence_id` integer NOT NULL,
	`kind` text NOT NULL,
	`plan_id` integer,
	`plan_name` text NOT NULL,
	`seat_count` integer NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`months` integer NOT NULL,
	`ean` text NOT NULL,
	`order_reference` text NOT NULL,
	`person_reference` text NOT NULL,
	`buyer_name` text NOT NULL,
	`buyer_cvr` text NOT NULL,
	`buyer_street_name` text NOT NULL,
	`buyer_building_number` text NOT NULL,
	`buyer_postal_code` text NOT NULL,
	`buyer_city` text NOT NULL,
	`buyer_email` text NOT NULL,
	`discount_id` integer,
	`discount_label` text,
	`discount_basis_points` integer DEFAULT 0 NOT NULL,
	`list_net_ore` integer NOT NULL,
	`net_ore` integer NOT NULL,
	`vat_ore` integer NOT NULL,
	`gross_ore` integer NOT NULL,
	`placed_by` integer,
	`request_key` text NOT NULL,
	`terms_accepted_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`licence_id`) REFERENCES `licences`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`discount_id`) REFERENCES `discounts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`placed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "orders_totals" CHECK("orders"."gross_ore" = "orders"."net_ore" + "orders"."vat_ore" and "orders"."net_ore" >= 0),
	CONSTRAINT "orders_seats_positive" CHECK("orders"."seat_count" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_request_key_unique` ON `orders` (`request_key`);--> statement-breakpoint
CREATE INDEX `orders_organisation` ON `orders` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `orders_licence` ON `orders` (`licence_id`);--> statement-breakpoint
CREATE TABLE `organisation_domains` (
	`domain` text PRIMARY KEY NOT NULL,
	`organisation_id` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "organisation_domains_lower" CHECK("organisation_domains"."domain" = lower("organisation_domains"."domain"))
);
--> statement-breakpoint
CREATE INDEX `organisation_domains_org` ON `organisation_domains` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `organisation_units` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organisation_units_name` ON `organisation_units` (`organisation_id`,`name`);--> statement-breakpoint
CREATE TABLE `platform_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `memberships` ADD `unit_id` integer REFERENCES organisation_units(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `memberships_unit` ON `memberships` (`unit_id`);--> statement-breakpoint
ALTER TABLE `organisations` ADD `street_name` text;--> statement-breakpoint
ALTER TABLE `organisations` ADD `building_number` text;--> statement-breakpoint
ALTER TABLE `organisations` ADD `postal_code` text;--> statement-breakpoint
ALTER TABLE `organisations` ADD `city` text;--> statement-breakpoint
ALTER TABLE `organisations` ADD `invoice_email` text;--> statement-breakpoint
ALTER TABLE `organisations` ADD `stripe_customer_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_stripe_customer_id_unique` ON `organisations` (`stripe_customer_id`);--> statement-breakpoint
ALTER TABLE `plans` ADD `summary` text DEFAULT '' NOT NULL;