CREATE TABLE `licence_courses` (
	`licence_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	PRIMARY KEY(`licence_id`, `course_id`),
	FOREIGN KEY (`licence_id`) REFERENCES `licences`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `licence_courses_course` ON `licence_courses` (`course_id`);--> statement-breakpoint
CREATE TABLE `licences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`plan_id` integer,
	`seat_count` integer NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "licences_seats_positive" CHECK("licences"."seat_count" > 0),
	CONSTRAINT "licences_period_order" CHECK("licences"."starts_on" <= "licences"."ends_on")
);
--> statement-breakpoint
CREATE INDEX `licences_organisation` ON `licences` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `plan_courses` (
	`plan_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	PRIMARY KEY(`plan_id`, `course_id`),
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`seat_count` integer NOT NULL,
	`period_months` integer NOT NULL,
	`list_price_ore` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	CONSTRAINT "plans_seats_positive" CHECK("plans"."seat_count" > 0),
	CONSTRAINT "plans_period_positive" CHECK("plans"."period_months" > 0),
	CONSTRAINT "plans_price_not_negative" CHECK("plans"."list_price_ore" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_slug_unique` ON `plans` (`slug`);--> statement-breakpoint
CREATE TABLE `seats` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`licence_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`claimed_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`licence_id`) REFERENCES `licences`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `seats_one_active_per_person` ON `seats` (`licence_id`,`user_id`) WHERE "seats"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX `seats_user` ON `seats` (`user_id`);--> statement-breakpoint
-- Carry over access granted by organisation_courses: each such organisation gets a licence for a year
-- from this month, with a seat for each of its members, so nobody loses a course they had.
INSERT INTO `licences` (`organisation_id`, `plan_id`, `seat_count`, `starts_on`, `ends_on`)
SELECT `organisation_id`, NULL,
       max(1, (SELECT count(*) FROM `memberships` m WHERE m.`organisation_id` = oc.`organisation_id`)),
       date('now', 'start of month'), date('now', 'start of month', '+12 months', '-1 day')
FROM `organisation_courses` oc GROUP BY `organisation_id`;--> statement-breakpoint
INSERT INTO `licence_courses` (`licence_id`, `course_id`)
SELECT l.`id`, oc.`course_id` FROM `organisation_courses` oc JOIN `licences` l ON l.`organisation_id` = oc.`organisation_id`;--> statement-breakpoint
INSERT INTO `seats` (`licence_id`, `user_id`, `claimed_at`)
SELECT l.`id`, m.`user_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER)
FROM `memberships` m JOIN `licences` l ON l.`organisation_id` = m.`organisation_id`;--> statement-breakpoint
DROP TABLE `organisation_courses`;