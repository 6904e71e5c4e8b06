CREATE TABLE `import_sets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`undone_at` text,
	`previous_as_of` text,
	`as_of` text,
	`sip_records` integer DEFAULT 0 NOT NULL,
	`event_counts` text DEFAULT '{}' NOT NULL,
	`new_count` integer DEFAULT 0 NOT NULL,
	`resolved_count` integer DEFAULT 0 NOT NULL,
	`credited_count` integer DEFAULT 0 NOT NULL,
	`won_annual` real DEFAULT 0 NOT NULL,
	`undo_kept` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `opportunity_changes` (
	`set_id` integer NOT NULL,
	`type` text NOT NULL,
	`user_id` text NOT NULL,
	`agent_external_id` text NOT NULL,
	`change` text NOT NULL,
	`annual_value` real NOT NULL,
	`follow_up` text,
	`reason` text,
	PRIMARY KEY(`set_id`, `type`, `user_id`, `agent_external_id`)
);
--> statement-breakpoint
CREATE TABLE `sip_events` (
	`set_id` integer NOT NULL,
	`sip_meta_id` text NOT NULL,
	`event` text NOT NULL,
	`user_id` text NOT NULL,
	`agent_external_id` text NOT NULL,
	`before` text,
	`after` text,
	PRIMARY KEY(`set_id`, `sip_meta_id`, `event`)
);
--> statement-breakpoint
CREATE INDEX `sip_events_event` ON `sip_events` (`set_id`,`event`);--> statement-breakpoint
CREATE TABLE `undo_clients` (
	`set_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`name` text,
	`email` text,
	`phone_number` text,
	`crn` text,
	`total_current_value` real,
	`total_invested_value` real,
	`mf_current_value` real,
	`agent_external_id` text,
	`agent_name` text,
	`agent_email` text,
	`agent_phone_number` text,
	`member_id` text,
	`latest_as_on_date` text,
	`first_active_at` text,
	`snapshot_at` text DEFAULT '' NOT NULL,
	`row_hash` text NOT NULL,
	`import_id` integer NOT NULL,
	`prior_hash` text,
	PRIMARY KEY(`set_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `undo_sip_history` (
	`set_id` integer NOT NULL,
	`sip_meta_id` text NOT NULL,
	`snapshot_at` text NOT NULL,
	`amount` real NOT NULL,
	`current_sip_status` text,
	`success_amount` real,
	`failed_amount` real,
	`success_count` real,
	`is_active` integer,
	`import_id` integer NOT NULL,
	PRIMARY KEY(`set_id`, `sip_meta_id`, `snapshot_at`)
);
--> statement-breakpoint
CREATE TABLE `undo_sips` (
	`set_id` integer NOT NULL,
	`sip_meta_id` text NOT NULL,
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
	`snapshot_at` text DEFAULT '' NOT NULL,
	`row_hash` text NOT NULL,
	`import_id` integer NOT NULL,
	`prior_hash` text,
	PRIMARY KEY(`set_id`, `sip_meta_id`)
);
--> statement-breakpoint
ALTER TABLE `follow_up_events` ADD `detail` text;--> statement-breakpoint
ALTER TABLE `imports` ADD `set_id` integer;--> statement-breakpoint
CREATE INDEX `imports_set` ON `imports` (`set_id`);--> statement-breakpoint
-- Imports made before import sets: each file was its own import, with no changes or undo data kept.
INSERT INTO `import_sets` (`id`, `started_at`, `finished_at`, `sip_records`) SELECT `id`, `started_at`, `finished_at`, `sip_records` FROM `imports`;--> statement-breakpoint
UPDATE `imports` SET `set_id` = `id`;
