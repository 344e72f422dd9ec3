CREATE TABLE `database_backups` (
	`slot` text PRIMARY KEY NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`name` text,
	`size_bytes` integer,
	`target` text,
	`attempts` integer DEFAULT 1 NOT NULL,
	`error` text,
	`failed_at` integer
);
