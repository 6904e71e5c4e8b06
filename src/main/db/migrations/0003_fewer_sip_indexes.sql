DROP INDEX `sips_status`;--> statement-breakpoint
DROP INDEX `sips_latest_success`;