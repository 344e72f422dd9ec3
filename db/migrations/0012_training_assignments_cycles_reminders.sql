CREATE TABLE `course_restarts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`cycle_id` integer,
	`restarted_at` integer NOT NULL,
	`after_attempt_id` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cycle_id`) REFERENCES `training_cycles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `course_restarts_cycle_id_unique` ON `course_restarts` (`cycle_id`);--> statement-breakpoint
CREATE INDEX `course_restarts_user_course` ON `course_restarts` (`user_id`,`course_id`);--> statement-breakpoint
CREATE TABLE `module_progress_archive` (
	`restart_id` integer NOT NULL,
	`module_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`played_ms` integer NOT NULL,
	`watched_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`restart_id`, `module_id`),
	FOREIGN KEY (`restart_id`) REFERENCES `course_restarts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `module_progress_archive_module` ON `module_progress_archive` (`module_id`);--> statement-breakpoint
CREATE TABLE `training_assignment_people` (
	`assignment_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	PRIMARY KEY(`assignment_id`, `user_id`),
	FOREIGN KEY (`assignment_id`) REFERENCES `training_assignments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `training_assignment_people_user` ON `training_assignment_people` (`user_id`);--> statement-breakpoint
CREATE TABLE `training_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`scope` text NOT NULL,
	`unit_id` integer,
	`profession` text,
	`due_mode` text NOT NULL,
	`due_on` text,
	`due_days` integer,
	`newcomer_days` integer DEFAULT 30 NOT NULL,
	`recurrence_months` integer,
	`refresh_due_days` integer DEFAULT 30 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`removed_by` integer,
	`removed_at` integer,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`unit_id`) REFERENCES `organisation_units`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`removed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "training_assignments_recurrence" CHECK("training_assignments"."recurrence_months" is null or "training_assignments"."recurrence_months" between 1 and 120),
	CONSTRAINT "training_assignments_unit_scope" CHECK(("training_assignments"."scope" = 'unit') = ("training_assignments"."unit_id" is not null)),
	CONSTRAINT "training_assignments_profession_scope" CHECK(("training_assignments"."scope" = 'profession') = ("training_assignments"."profession" is not null)),
	CONSTRAINT "training_assignments_due" CHECK(("training_assignments"."due_mode" = 'date' and "training_assignments"."due_on" is not null and "training_assignments"."due_days" is null) or ("training_assignments"."due_mode" = 'afterSeat' and "training_assignments"."due_days" between 1 and 365 and "training_assignments"."due_on" is null)),
	CONSTRAINT "training_assignments_newcomer_days" CHECK("training_assignments"."newcomer_days" between 1 and 365),
	CONSTRAINT "training_assignments_refresh_due_days" CHECK("training_assignments"."refresh_due_days" between 1 and 365)
);
--> statement-breakpoint
CREATE INDEX `training_assignments_org_course` ON `training_assignments` (`organisation_id`,`course_id`) WHERE "training_assignments"."removed_at" is null;--> statement-breakpoint
CREATE TABLE `training_cycles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`number` integer NOT NULL,
	`refresher` integer DEFAULT false NOT NULL,
	`assignment_id` integer,
	`opened_on` text NOT NULL,
	`due_on` text NOT NULL,
	`started_at` integer,
	`completed_at` integer,
	`completed_on` text,
	`certificate_id` integer,
	`expires_on` text,
	`ended_at` integer,
	`end_reason` text,
	`sequence` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assignment_id`) REFERENCES `training_assignments`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`certificate_id`) REFERENCES `certificates`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "training_cycles_number_positive" CHECK("training_cycles"."number" >= 1),
	CONSTRAINT "training_cycles_completed" CHECK(("training_cycles"."completed_on" is null) = ("training_cycles"."completed_at" is null)),
	CONSTRAINT "training_cycles_ended" CHECK(("training_cycles"."ended_at" is null) = ("training_cycles"."end_reason" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `training_cycles_number` ON `training_cycles` (`organisation_id`,`user_id`,`course_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `training_cycles_one_current` ON `training_cycles` (`organisation_id`,`user_id`,`course_id`) WHERE "training_cycles"."ended_at" is null;--> statement-breakpoint
CREATE INDEX `training_cycles_overview` ON `training_cycles` (`organisation_id`,`course_id`,`user_id`,`due_on`,`completed_on`,`started_at`,`expires_on`,`refresher`) WHERE "training_cycles"."ended_at" is null;--> statement-breakpoint
CREATE INDEX `training_cycles_open_due` ON `training_cycles` (`due_on`) WHERE "training_cycles"."ended_at" is null and "training_cycles"."completed_on" is null;--> statement-breakpoint
CREATE INDEX `training_cycles_user` ON `training_cycles` (`user_id`,`course_id`);--> statement-breakpoint
CREATE TABLE `training_digests` (
	`kind` text NOT NULL,
	`organisation_id` integer NOT NULL,
	`recipient_user_id` integer NOT NULL,
	`period` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `organisation_id`, `recipient_user_id`, `period`),
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recipient_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `training_mail_settings` (
	`organisation_id` integer PRIMARY KEY NOT NULL,
	`learner_reminders` integer DEFAULT true NOT NULL,
	`leader_digest` integer DEFAULT true NOT NULL,
	`admin_summary` integer DEFAULT true NOT NULL,
	`updated_by` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `training_reminders` (
	`cycle_id` integer NOT NULL,
	`step` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`cycle_id`, `step`),
	FOREIGN KEY (`cycle_id`) REFERENCES `training_cycles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
DROP INDEX `certificates_user_course`;--> statement-breakpoint
ALTER TABLE `certificates` ADD `round` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `certificates` ADD `valid_until` text;--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_user_course_round` ON `certificates` (`user_id`,`course_id`,`round`);