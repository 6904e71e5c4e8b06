CREATE TABLE `day_plan_clients` (
	`plan_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`agent_external_id` text NOT NULL,
	`position` integer NOT NULL,
	`added` text NOT NULL,
	`added_at` text NOT NULL,
	PRIMARY KEY(`plan_id`, `user_id`, `agent_external_id`),
	FOREIGN KEY (`plan_id`) REFERENCES `day_plans`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `day_plan_clients_order` ON `day_plan_clients` (`plan_id`,`position`);--> statement-breakpoint
CREATE TABLE `day_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`day` text NOT NULL,
	`agent_external_id` text,
	`fixed_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `day_plans_day` ON `day_plans` (`day`,`agent_external_id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`agent_external_id` text DEFAULT '' NOT NULL,
	`at` text NOT NULL,
	`channel` text NOT NULL,
	`type` text NOT NULL,
	`text` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `messages_client` ON `messages` (`user_id`,`agent_external_id`,`at`);--> statement-breakpoint
CREATE INDEX `messages_at` ON `messages` (`at`);--> statement-breakpoint
CREATE TABLE `reopenings` (
	`set_id` integer NOT NULL,
	`type` text NOT NULL,
	`user_id` text NOT NULL,
	`agent_external_id` text NOT NULL,
	`events` text NOT NULL,
	`state_before` text NOT NULL,
	`next_action_date_before` text,
	PRIMARY KEY(`set_id`, `type`, `user_id`, `agent_external_id`)
);
--> statement-breakpoint
ALTER TABLE `calls` ADD `voided_at` text;