CREATE TABLE `opportunities` (
	`type` text NOT NULL,
	`user_id` text NOT NULL,
	`agent_external_id` text NOT NULL,
	`agent_id` text,
	`sip_meta_ids` text NOT NULL,
	`current_sip_amount` real NOT NULL,
	`potential_value` real NOT NULL,
	`total_invested` real NOT NULL,
	`failed_amount` real NOT NULL,
	`last_activity_date` text,
	`days_since_activity` integer,
	`score` real NOT NULL,
	`monthly_increase` real,
	`expected_increments` integer,
	`running_months` integer,
	`failure_rate` real,
	`currently_failing` integer,
	`mandate_missing` integer,
	PRIMARY KEY(`type`, `user_id`, `agent_external_id`)
);
--> statement-breakpoint
CREATE INDEX `opportunities_order` ON `opportunities` (`score`,`potential_value`,`user_id`);--> statement-breakpoint
CREATE INDEX `opportunities_agent` ON `opportunities` (`agent_external_id`,`score`);--> statement-breakpoint
CREATE INDEX `opportunities_user` ON `opportunities` (`user_id`);