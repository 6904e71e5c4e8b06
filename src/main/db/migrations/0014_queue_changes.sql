CREATE TABLE `queue_changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text,
	`agent_external_id` text
);
--> statement-breakpoint
CREATE INDEX `follow_up_events_at` ON `follow_up_events` (`at`);