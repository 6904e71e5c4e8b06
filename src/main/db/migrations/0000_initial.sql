CREATE TABLE `clients` (
	`user_id` text PRIMARY KEY NOT NULL,
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
	`prior_hash` text
);
--> statement-breakpoint
CREATE INDEX `clients_agent` ON `clients` (`agent_external_id`);--> statement-breakpoint
CREATE TABLE `follow_up_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`user_id` text NOT NULL,
	`agent_external_id` text DEFAULT '' NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')) NOT NULL,
	`kind` text NOT NULL,
	`from_value` text,
	`to_value` text
);
--> statement-breakpoint
CREATE INDEX `follow_up_events_key` ON `follow_up_events` (`type`,`user_id`,`agent_external_id`,`at`);--> statement-breakpoint
CREATE TABLE `follow_ups` (
	`type` text NOT NULL,
	`user_id` text NOT NULL,
	`agent_external_id` text DEFAULT '' NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	`next_action_date` text,
	`note` text,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`type`, `user_id`, `agent_external_id`)
);
--> statement-breakpoint
CREATE TABLE `import_issues` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`import_id` integer NOT NULL,
	`level` text NOT NULL,
	`position` integer NOT NULL,
	`sip_meta_id` text,
	`field` text,
	`reason` text NOT NULL,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_issues_import` ON `import_issues` (`import_id`,`position`);--> statement-breakpoint
CREATE TABLE `imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`file_name` text NOT NULL,
	`file_path` text,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`records_read` integer DEFAULT 0 NOT NULL,
	`inserted` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`warnings` integer DEFAULT 0 NOT NULL,
	`sip_records` integer DEFAULT 0 NOT NULL,
	`client_records` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sip_history` (
	`sip_meta_id` text NOT NULL,
	`snapshot_at` text NOT NULL,
	`amount` real NOT NULL,
	`current_sip_status` text,
	`success_amount` real,
	`failed_amount` real,
	`success_count` real,
	`is_active` integer,
	`import_id` integer NOT NULL,
	PRIMARY KEY(`sip_meta_id`, `snapshot_at`)
);
--> statement-breakpoint
CREATE TABLE `sips` (
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
	`sip_days` real,
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
	`prior_hash` text
);
--> statement-breakpoint
CREATE INDEX `sips_user` ON `sips` (`user_id`,`agent_external_id`);--> statement-breakpoint
CREATE INDEX `sips_agent` ON `sips` (`agent_external_id`);--> statement-breakpoint
CREATE INDEX `sips_status` ON `sips` (`current_sip_status`);--> statement-breakpoint
CREATE INDEX `sips_latest_success` ON `sips` (`latest_success_order_date`);--> statement-breakpoint
CREATE INDEX `sips_inserted_at` ON `sips` (`inserted_at`);