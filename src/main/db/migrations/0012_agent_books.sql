CREATE TABLE `agent_books` (
	`agent_external_id` text PRIMARY KEY NOT NULL,
	`agent_id` text,
	`live_sips` integer NOT NULL,
	`clients` integer NOT NULL,
	`total_invested` real NOT NULL,
	`monthly_sip_amount` real NOT NULL,
	`failing` integer NOT NULL
);--> statement-breakpoint
-- Hand-written: a book from before this table gets its agents' books now (so a read never finds
-- them missing), and its other derived results are rebuilt on its next read.
INSERT INTO `agent_books` (`agent_external_id`, `agent_id`, `live_sips`, `clients`, `total_invested`, `monthly_sip_amount`, `failing`)
  SELECT coalesce(`agent_external_id`, ''), max(`agent_id`), count(*), count(DISTINCT `user_id`), sum(coalesce(`success_amount`, 0)),
    coalesce(sum(CASE WHEN `is_active` = 1 THEN `monthly_amount` END), 0),
    count(CASE WHEN `is_active` = 1 AND `current_sip_status` = 'Failed' THEN 1 END)
  FROM `sips` WHERE coalesce(`deleted`, 0) = 0 GROUP BY 1;--> statement-breakpoint
DELETE FROM `derived`;
