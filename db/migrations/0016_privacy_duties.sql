CREATE TABLE `access_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`viewer_id` integer,
	`organisation_id` integer,
	`action` text NOT NULL,
	`format` text,
	FOREIGN KEY (`viewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `access_log_organisation` ON `access_log` (`organisation_id`,`at`);--> statement-breakpoint
CREATE INDEX `access_log_at` ON `access_log` (`at`);--> statement-breakpoint
CREATE TABLE `privacy_purges` (
	`day` text PRIMARY KEY NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`summary` text
);
--> statement-breakpoint
CREATE TABLE `privacy_settings` (
	`organisation_id` integer PRIMARY KEY NOT NULL,
	`retention_months` integer DEFAULT 12 NOT NULL,
	`unlist_grace_days` integer DEFAULT 30 NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` integer,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "privacy_settings_retention" CHECK("privacy_settings"."retention_months" between 1 and 120),
	CONSTRAINT "privacy_settings_grace" CHECK("privacy_settings"."unlist_grace_days" between 0 and 365)
);
--> statement-breakpoint
ALTER TABLE `users` ADD `erased_at` integer;--> statement-breakpoint
ALTER TABLE `memberships` ADD `unlisted_at` integer;--> statement-breakpoint
ALTER TABLE `certificates` ADD `withdrawn_at` integer;