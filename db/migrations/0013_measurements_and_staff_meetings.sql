CREATE TABLE `measurement_answers` (
	`response_id` text NOT NULL,
	`item_id` integer NOT NULL,
	`value` integer NOT NULL,
	PRIMARY KEY(`response_id`, `item_id`),
	FOREIGN KEY (`response_id`) REFERENCES `measurement_responses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `measurement_items`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "measurement_answers_value" CHECK("measurement_answers"."value" between 0 and 5)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `measurement_answers_item` ON `measurement_answers` (`item_id`);--> statement-breakpoint
CREATE TABLE `measurement_follow_ups` (
	`measurement_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`moment` text NOT NULL,
	`organisation_id` integer NOT NULL,
	`due_on` text NOT NULL,
	`invited_at` integer,
	`reminded_at` integer,
	PRIMARY KEY(`measurement_id`, `user_id`, `moment`),
	FOREIGN KEY (`measurement_id`) REFERENCES `measurements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `measurement_follow_ups_due` ON `measurement_follow_ups` (`due_on`);--> statement-breakpoint
CREATE TABLE `measurement_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`measurement_id` integer NOT NULL,
	`audience` text NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`low_label` text,
	`high_label` text,
	`quiz_question_id` integer,
	FOREIGN KEY (`measurement_id`) REFERENCES `measurements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`quiz_question_id`) REFERENCES `quiz_questions`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "measurement_items_kind" CHECK(("measurement_items"."kind" = 'statement' and "measurement_items"."quiz_question_id" is null) or ("measurement_items"."kind" = 'knowledge' and "measurement_items"."quiz_question_id" is not null and "measurement_items"."audience" = 'staff'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `measurement_items_position` ON `measurement_items` (`measurement_id`,`audience`,`position`);--> statement-breakpoint
CREATE TABLE `measurement_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`measurement_id` integer NOT NULL,
	`pseudonym` text NOT NULL,
	`moment` text NOT NULL,
	`organisation_id` integer NOT NULL,
	`profession` text,
	`submitted_week` text NOT NULL,
	FOREIGN KEY (`measurement_id`) REFERENCES `measurements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE UNIQUE INDEX `measurement_responses_once` ON `measurement_responses` (`measurement_id`,`pseudonym`,`moment`);--> statement-breakpoint
CREATE INDEX `measurement_responses_org` ON `measurement_responses` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `measurement_submissions` (
	`measurement_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`moment` text NOT NULL,
	PRIMARY KEY(`measurement_id`, `user_id`, `moment`),
	FOREIGN KEY (`measurement_id`) REFERENCES `measurements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `measurements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` integer NOT NULL,
	`intro` text DEFAULT '' NOT NULL,
	`follow_up_weeks` integer DEFAULT 12 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "measurements_follow_up_weeks" CHECK("measurements"."follow_up_weeks" between 1 and 104)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `measurements_course_id_unique` ON `measurements` (`course_id`);--> statement-breakpoint
CREATE TABLE `meeting_participants` (
	`session_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`joined_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`outcome` text,
	PRIMARY KEY(`session_id`, `user_id`),
	FOREIGN KEY (`session_id`) REFERENCES `meeting_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `meeting_participants_user` ON `meeting_participants` (`user_id`);--> statement-breakpoint
CREATE TABLE `meeting_playback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`from_second` integer NOT NULL,
	`to_second` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `meeting_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `meeting_playback_session` ON `meeting_playback` (`session_id`,`at`);--> statement-breakpoint
CREATE TABLE `meeting_presenters` (
	`organisation_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`granted_by` integer,
	`granted_at` integer NOT NULL,
	PRIMARY KEY(`organisation_id`, `user_id`),
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`granted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `meeting_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`unit_id` integer,
	`module_id` integer NOT NULL,
	`presenter_id` integer,
	`code` text NOT NULL,
	`started_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`ended_at` integer,
	`agreement` text,
	`agreement_at` integer,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`unit_id`) REFERENCES `organisation_units`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`presenter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `meeting_sessions_open_code` ON `meeting_sessions` (`code`) WHERE "meeting_sessions"."ended_at" is null;--> statement-breakpoint
CREATE INDEX `meeting_sessions_org_module` ON `meeting_sessions` (`organisation_id`,`module_id`);--> statement-breakpoint
CREATE TABLE `meeting_settings` (
	`organisation_id` integer PRIMARY KEY NOT NULL,
	`counts_as_watched` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
