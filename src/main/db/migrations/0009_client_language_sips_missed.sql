CREATE TABLE `client_languages` (
	`user_id` text NOT NULL,
	`agent_external_id` text DEFAULT '' NOT NULL,
	`language` text NOT NULL,
	PRIMARY KEY(`user_id`, `agent_external_id`)
);
--> statement-breakpoint
ALTER TABLE `opportunities` ADD `sips_missed` text;--> statement-breakpoint
-- Derived results are rebuilt so every auto-cancel opportunity carries its SIPs' counts.
DELETE FROM `derived`;
