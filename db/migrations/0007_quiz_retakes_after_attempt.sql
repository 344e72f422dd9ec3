ALTER TABLE `quiz_retakes` ADD `after_attempt_id` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Retakes granted before this column existed keep the round they gave: the attempts submitted up to the grant stay uncounted.
UPDATE `quiz_retakes` SET `after_attempt_id` = coalesce((
  SELECT max(`id`) FROM `quiz_attempts`
  WHERE `quiz_attempts`.`user_id` = `quiz_retakes`.`user_id` AND `quiz_attempts`.`quiz_id` = `quiz_retakes`.`quiz_id`
    AND `quiz_attempts`.`submitted_at` <= `quiz_retakes`.`granted_at`
), 0);
