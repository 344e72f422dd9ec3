ALTER TABLE `module_progress` ADD `credit_clock` integer;--> statement-breakpoint
ALTER TABLE `playback_views` DROP COLUMN `credited_ms`;