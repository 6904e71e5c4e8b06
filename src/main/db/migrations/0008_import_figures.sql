CREATE TABLE `import_figures` (
	`set_id` integer NOT NULL,
	`agent_external_id` text NOT NULL,
	`live_sips` integer NOT NULL,
	`monthly_active` real NOT NULL,
	`failing` integer NOT NULL,
	`final_warnings` integer,
	`at_stake` real,
	`credited` integer NOT NULL,
	`won_annual` real NOT NULL,
	`computed_later` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`set_id`, `agent_external_id`)
);--> statement-breakpoint
-- SPEC §5a: imports made before their figures were stored get them once here, labelled computed later.
-- Per import not undone that changed something: each SIP as its latest history row up to the import's
-- last file left it (live unless deleted by then); credits from the import's own records; the final
-- warnings and ₹ at stake need the detectors, so only the latest such import gets them (from the book now).
CREATE TEMP TABLE `figure_sets` AS
  SELECT s.`id` AS set_id, (SELECT max(f.`id`) FROM `imports` f WHERE f.`set_id` = s.`id`) AS last_file
  FROM `import_sets` s
  WHERE s.`undone_at` IS NULL AND EXISTS (SELECT 1 FROM `imports` f WHERE f.`set_id` = s.`id` AND f.`inserted` + f.`updated` > 0);--> statement-breakpoint
INSERT INTO `import_figures` (`set_id`, `agent_external_id`, `live_sips`, `monthly_active`, `failing`, `credited`, `won_annual`, `computed_later`)
SELECT set_id, agent, sum(live), sum(monthly), sum(failing), sum(credited), sum(won), 1 FROM (
  SELECT fs.set_id, coalesce(s.`agent_external_id`, '') AS agent, 1 AS live,
    CASE WHEN h.`is_active` = 1 THEN h.`amount` * max(1, coalesce(json_array_length(s.`sip_days`), 0)) ELSE 0 END AS monthly,
    (h.`is_active` = 1 AND h.`current_sip_status` = 'Failed') AS failing, 0 AS credited, 0 AS won
  FROM figure_sets fs JOIN `sips` s JOIN `sip_history` h ON h.`sip_meta_id` = s.`sip_meta_id` AND h.`snapshot_at` = (
    SELECT max(h2.`snapshot_at`) FROM `sip_history` h2 WHERE h2.`sip_meta_id` = s.`sip_meta_id` AND h2.`import_id` <= fs.last_file)
  WHERE NOT (coalesce(s.`deleted`, 0) = 1 AND s.`import_id` <= fs.last_file)
  UNION ALL
  SELECT c.`set_id`, c.`agent_external_id`, 0, 0, 0, count(*), 0 FROM `opportunity_changes` c JOIN figure_sets fs ON fs.set_id = c.`set_id`
  WHERE c.`follow_up` = 'credited' GROUP BY 1, 2
  UNION ALL
  -- ₹ won per agent: each credited client at its largest credited opportunity (the SIPs behind it are no longer kept).
  SELECT w.`set_id`, w.`agent_external_id`, 0, 0, 0, 0, sum(w.top) FROM (
    SELECT c.`set_id`, c.`agent_external_id`, max(c.`annual_value`) AS top FROM `opportunity_changes` c JOIN figure_sets fs ON fs.set_id = c.`set_id`
    WHERE c.`follow_up` = 'credited' GROUP BY c.`set_id`, c.`agent_external_id`, c.`user_id`) w
  GROUP BY 1, 2
) GROUP BY set_id, agent;--> statement-breakpoint
UPDATE `import_figures` SET
  `final_warnings` = (SELECT count(c.`final_warning_date`) FROM `client_stakes` c WHERE c.`agent_external_id` = `import_figures`.`agent_external_id`),
  `at_stake` = (SELECT coalesce(sum(c.`at_stake`), 0) FROM `client_stakes` c WHERE c.`agent_external_id` = `import_figures`.`agent_external_id`)
WHERE `set_id` = (SELECT max(set_id) FROM figure_sets) AND EXISTS (SELECT 1 FROM `client_stakes`);--> statement-breakpoint
DROP TABLE figure_sets;
