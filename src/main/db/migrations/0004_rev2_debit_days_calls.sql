CREATE TABLE `calls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`agent_external_id` text DEFAULT '' NOT NULL,
	`at` text NOT NULL,
	`outcome` text NOT NULL,
	`note` text,
	`next_action_date` text
);
--> statement-breakpoint
CREATE INDEX `calls_client` ON `calls` (`user_id`,`agent_external_id`,`at`);--> statement-breakpoint
CREATE INDEX `calls_at` ON `calls` (`at`);--> statement-breakpoint
CREATE TABLE `client_stakes` (
	`user_id` text NOT NULL,
	`agent_external_id` text NOT NULL,
	`at_stake` real NOT NULL,
	`final_warning_date` text,
	PRIMARY KEY(`user_id`, `agent_external_id`)
);
--> statement-breakpoint
CREATE INDEX `client_stakes_queue` ON `client_stakes` (`final_warning_date`,`at_stake`,`user_id`,`agent_external_id`);--> statement-breakpoint
CREATE TABLE `derived` (
	`key` text PRIMARY KEY NOT NULL,
	`version` text NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `opportunity_sips` (
	`user_id` text NOT NULL,
	`agent_external_id` text NOT NULL,
	`sip_meta_id` text NOT NULL,
	`type` text NOT NULL,
	`annual_value` real NOT NULL,
	PRIMARY KEY(`user_id`, `agent_external_id`, `sip_meta_id`, `type`)
);
--> statement-breakpoint
-- Derived results are recomputed with the new columns; the caches move from settings to `derived`.
DELETE FROM `opportunities`;--> statement-breakpoint
DELETE FROM `settings` WHERE `key` LIKE '\_%' ESCAPE '\';--> statement-breakpoint
DROP INDEX `opportunities_order`;--> statement-breakpoint
DROP INDEX `opportunities_type_order`;--> statement-breakpoint
ALTER TABLE `opportunities` ADD `annual_value` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `opportunities` ADD `missed_instalments` integer;--> statement-breakpoint
ALTER TABLE `opportunities` ADD `final_warning` integer;--> statement-breakpoint
ALTER TABLE `opportunities` ADD `ceased` integer;--> statement-breakpoint
ALTER TABLE `opportunities` ADD `next_debit_date` text;--> statement-breakpoint
ALTER TABLE `opportunities` ADD `end_date` text;--> statement-breakpoint
ALTER TABLE `opportunities` ADD `days_left` integer;--> statement-breakpoint
CREATE INDEX `opportunities_order` ON `opportunities` (`score`,`annual_value`,`user_id`);--> statement-breakpoint
CREATE INDEX `opportunities_type_order` ON `opportunities` (`type`,`score`,`annual_value`,`user_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_sips` (
	`sip_meta_id` text PRIMARY KEY NOT NULL,
	`uid` text,
	`user_id` text NOT NULL,
	`goal_id` text,
	`agent_id` text,
	`agent_external_id` text,
	`member_id` text,
	`inserted_at` text,
	`event_date` text,
	`created_at` text,
	`sip_meta_date` text,
	`sip_meta_month` text,
	`sip_days` text,
	`num_days` real,
	`amount` real NOT NULL,
	`schemes` text,
	`goal_name` text,
	`start_date` text,
	`end_date` text,
	`paused_from` text,
	`paused_till` text,
	`paused_reason` text,
	`increment_percentage` real,
	`increment_amount` real,
	`increment_period` text,
	`is_active` integer,
	`sip_sales_status` text,
	`had_mandate_at_creation` integer,
	`has_current_mandate` integer,
	`mandate_tracking_status` text,
	`mandate_confirmed_date` text,
	`stepper_enabled` integer,
	`first_order_nav_allocated_at` text,
	`first_success_order_date` text,
	`latest_success_order_date` text,
	`first_success_order_month` text,
	`latest_success_order_month` text,
	`success_amount` real,
	`pending_amount` real,
	`failed_amount` real,
	`in_progress_amount` real,
	`paused_amount` real,
	`success_count` real,
	`current_sip_status` text,
	`deleted` integer,
	`monthly_amount` real GENERATED ALWAYS AS (amount * max(1, coalesce(json_array_length(sip_days), 0))) VIRTUAL,
	`snapshot_at` text DEFAULT '' NOT NULL,
	`row_hash` text NOT NULL,
	`import_id` integer NOT NULL,
	`prior_hash` text
);
--> statement-breakpoint
-- sip_days was read as one number: a single day 1–31 becomes its list; anything else ("10,15" read as 1015)
-- cannot be told apart and becomes null until the export is imported again.
INSERT INTO `__new_sips`("sip_meta_id", "uid", "user_id", "goal_id", "agent_id", "agent_external_id", "member_id", "inserted_at", "event_date", "created_at", "sip_meta_date", "sip_meta_month", "sip_days", "num_days", "amount", "schemes", "goal_name", "start_date", "end_date", "paused_from", "paused_till", "paused_reason", "increment_percentage", "increment_amount", "increment_period", "is_active", "sip_sales_status", "had_mandate_at_creation", "has_current_mandate", "mandate_tracking_status", "mandate_confirmed_date", "stepper_enabled", "first_order_nav_allocated_at", "first_success_order_date", "latest_success_order_date", "first_success_order_month", "latest_success_order_month", "success_amount", "pending_amount", "failed_amount", "in_progress_amount", "paused_amount", "success_count", "current_sip_status", "deleted", "snapshot_at", "row_hash", "import_id", "prior_hash") SELECT "sip_meta_id", "uid", "user_id", "goal_id", "agent_id", "agent_external_id", "member_id", "inserted_at", "event_date", "created_at", "sip_meta_date", "sip_meta_month", CASE WHEN "sip_days" BETWEEN 1 AND 31 AND "sip_days" = CAST("sip_days" AS INTEGER) THEN json_array(CAST("sip_days" AS INTEGER)) END, "num_days", "amount", "schemes", "goal_name", "start_date", "end_date", "paused_from", "paused_till", "paused_reason", "increment_percentage", "increment_amount", "increment_period", "is_active", "sip_sales_status", "had_mandate_at_creation", "has_current_mandate", "mandate_tracking_status", "mandate_confirmed_date", "stepper_enabled", "first_order_nav_allocated_at", "first_success_order_date", "latest_success_order_date", "first_success_order_month", "latest_success_order_month", "success_amount", "pending_amount", "failed_amount", "in_progress_amount", "paused_amount", "success_count", "current_sip_status", "deleted", "snapshot_at", "row_hash", "import_id", "prior_hash" FROM `sips`;--> statement-breakpoint
DROP TABLE `sips`;--> statement-breakpoint
ALTER TABLE `__new_sips` RENAME TO `sips`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `sips_user` ON `sips` (`user_id`,`agent_external_id`);--> statement-breakpoint
CREATE INDEX `sips_agent` ON `sips` (`agent_external_id`);--> statement-breakpoint
CREATE INDEX `sips_inserted_at` ON `sips` (`inserted_at`);--> statement-breakpoint
ALTER TABLE `follow_up_events` ADD `call_id` integer;--> statement-breakpoint
ALTER TABLE `follow_up_events` ADD `import_id` integer;