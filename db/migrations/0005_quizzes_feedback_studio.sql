CREATE TABLE `certificates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`user_id` integer,
	`course_id` integer,
	`recipient_name` text NOT NULL,
	`course_title` text NOT NULL,
	`organisation_name` text NOT NULL,
	`minutes` integer NOT NULL,
	`completed_on` text NOT NULL,
	`issued_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_code_unique` ON `certificates` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_user_course` ON `certificates` (`user_id`,`course_id`);--> statement-breakpoint
CREATE TABLE `feedback_answers` (
	`response_id` text NOT NULL,
	`question_id` integer NOT NULL,
	`score` integer,
	`text` text,
	PRIMARY KEY(`response_id`, `question_id`),
	FOREIGN KEY (`response_id`) REFERENCES `feedback_responses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `feedback_questions`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `feedback_answers_question` ON `feedback_answers` (`question_id`);--> statement-breakpoint
CREATE TABLE `feedback_forms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` integer NOT NULL,
	`audience` text NOT NULL,
	`title` text NOT NULL,
	`intro` text DEFAULT '' NOT NULL,
	`anonymous` integer DEFAULT true NOT NULL,
	`opens_on` text NOT NULL,
	`closes_on` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "feedback_forms_dates" CHECK("feedback_forms"."closes_on" is null or "feedback_forms"."opens_on" <= "feedback_forms"."closes_on")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_forms_course_audience` ON `feedback_forms` (`course_id`,`audience`);--> statement-breakpoint
CREATE TABLE `feedback_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`form_id` integer NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`required` integer DEFAULT true NOT NULL,
	`low_label` text,
	`high_label` text,
	`choices` text,
	FOREIGN KEY (`form_id`) REFERENCES `feedback_forms`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_questions_form_position` ON `feedback_questions` (`form_id`,`position`);--> statement-breakpoint
CREATE TABLE `feedback_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`form_id` integer NOT NULL,
	`organisation_id` integer NOT NULL,
	`audience` text NOT NULL,
	`profession` text,
	`user_id` integer,
	`submitted_week` text NOT NULL,
	FOREIGN KEY (`form_id`) REFERENCES `feedback_forms`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `feedback_responses_form` ON `feedback_responses` (`form_id`);--> statement-breakpoint
CREATE INDEX `feedback_responses_org` ON `feedback_responses` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `feedback_submissions` (
	`form_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	PRIMARY KEY(`form_id`, `user_id`),
	FOREIGN KEY (`form_id`) REFERENCES `feedback_forms`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `media_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`module_id` integer NOT NULL,
	`kind` text NOT NULL,
	`source_file` text NOT NULL,
	`original_name` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`progress_permille` integer DEFAULT 0 NOT NULL,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`heartbeat_at` integer,
	`result_version` text,
	`requested_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `media_jobs_status` ON `media_jobs` (`status`);--> statement-breakpoint
CREATE INDEX `media_jobs_module` ON `media_jobs` (`module_id`);--> statement-breakpoint
CREATE TABLE `quiz_attempt_answers` (
	`attempt_id` integer NOT NULL,
	`question_id` integer NOT NULL,
	`selected_option_ids` text NOT NULL,
	`correct` integer NOT NULL,
	PRIMARY KEY(`attempt_id`, `question_id`),
	FOREIGN KEY (`attempt_id`) REFERENCES `quiz_attempts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `quiz_questions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quiz_attempt_answers_question` ON `quiz_attempt_answers` (`question_id`);--> statement-breakpoint
CREATE TABLE `quiz_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`quiz_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`correct_count` integer NOT NULL,
	`question_count` integer NOT NULL,
	`score_percent` integer NOT NULL,
	`passed` integer NOT NULL,
	`submitted_at` integer NOT NULL,
	FOREIGN KEY (`quiz_id`) REFERENCES `quizzes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quiz_attempts_user_quiz` ON `quiz_attempts` (`user_id`,`quiz_id`);--> statement-breakpoint
CREATE INDEX `quiz_attempts_quiz` ON `quiz_attempts` (`quiz_id`);--> statement-breakpoint
CREATE TABLE `quiz_options` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`question_id` integer NOT NULL,
	`position` integer NOT NULL,
	`text` text NOT NULL,
	`correct` integer NOT NULL,
	FOREIGN KEY (`question_id`) REFERENCES `quiz_questions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_options_question_position` ON `quiz_options` (`question_id`,`position`);--> statement-breakpoint
CREATE TABLE `quiz_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`quiz_id` integer NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`explanation` text NOT NULL,
	FOREIGN KEY (`quiz_id`) REFERENCES `quizzes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_questions_quiz_position` ON `quiz_questions` (`quiz_id`,`position`);--> statement-breakpoint
CREATE TABLE `quizzes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`module_id` integer NOT NULL,
	`pass_percent` integer DEFAULT 80 NOT NULL,
	`max_attempts` integer,
	`shuffle_questions` integer DEFAULT true NOT NULL,
	`shuffle_options` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "quizzes_pass_percent" CHECK("quizzes"."pass_percent" between 1 and 100),
	CONSTRAINT "quizzes_max_attempts" CHECK("quizzes"."max_attempts" is null or "quizzes"."max_attempts" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quizzes_module_id_unique` ON `quizzes` (`module_id`);--> statement-breakpoint
ALTER TABLE `courses` ADD `certificate_minutes` integer;--> statement-breakpoint
ALTER TABLE `modules` ADD `published` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `profession` text;