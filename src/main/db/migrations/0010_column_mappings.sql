CREATE TABLE `column_mappings` (
	`columns_key` text PRIMARY KEY NOT NULL,
	`columns` text NOT NULL,
	`mapping` text NOT NULL,
	`saved_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `imports` ADD `mapping_saved_at` text;