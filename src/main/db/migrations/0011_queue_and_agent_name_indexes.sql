DROP INDEX `client_stakes_queue`;--> statement-breakpoint
CREATE INDEX `client_stakes_queue` ON `client_stakes` (`final_warning_date`,"at_stake" DESC,`user_id`,`agent_external_id`);--> statement-breakpoint
DROP INDEX `clients_agent`;--> statement-breakpoint
CREATE INDEX `clients_agent` ON `clients` (`agent_external_id`,`agent_name`);