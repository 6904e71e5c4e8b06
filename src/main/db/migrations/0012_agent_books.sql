CREATE TABLE `agent_books` (
	`agent_external_id` text PRIMARY KEY NOT NULL,
	`agent_id` text,
	`live_sips` integer NOT NULL,
	`clients` integer NOT NULL,
	`total_invested` real NOT NULL,
	`monthly_sip_amount` real NOT NULL,
	`failing` integer NOT NULL
);--> statement-breakpoint
-- Hand-written: the derived results of a book from before this table are rebuilt on its next read.
DELETE FROM `derived`;
