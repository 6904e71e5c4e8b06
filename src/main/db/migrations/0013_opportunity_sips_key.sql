PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_opportunity_sips` (
	`user_id` text NOT NULL,
	`agent_external_id` text NOT NULL,
	`sip_meta_id` text NOT NULL,
	`type` text NOT NULL,
	`annual_value` real NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_opportunity_sips`("user_id", "agent_external_id", "sip_meta_id", "type", "annual_value") SELECT "user_id", "agent_external_id", "sip_meta_id", "type", "annual_value" FROM `opportunity_sips`;--> statement-breakpoint
DROP TABLE `opportunity_sips`;--> statement-breakpoint
ALTER TABLE `__new_opportunity_sips` RENAME TO `opportunity_sips`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `opportunity_sips_key` ON `opportunity_sips` (`user_id`,`agent_external_id`,`sip_meta_id`,`type`);