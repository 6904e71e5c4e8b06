CREATE INDEX `opportunities_sip` ON `opportunities` (`current_sip_amount`);--> statement-breakpoint
CREATE INDEX `opportunities_type_sip` ON `opportunities` (`type`,`current_sip_amount`);--> statement-breakpoint
CREATE INDEX `opportunities_annual` ON `opportunities` (`annual_value`);--> statement-breakpoint
CREATE INDEX `opportunities_type_annual` ON `opportunities` (`type`,`annual_value`);