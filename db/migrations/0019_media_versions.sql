CREATE TABLE `media_versions` (
	`slug` text NOT NULL,
	`version` text NOT NULL,
	`duration_seconds` integer NOT NULL,
	`subtitles` integer NOT NULL,
	`described_audio` integer NOT NULL,
	`stored_at` integer NOT NULL,
	PRIMARY KEY(`slug`, `version`)
);
