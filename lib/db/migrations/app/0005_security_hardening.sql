CREATE TABLE `audit_prune_guard` (
	`id` integer PRIMARY KEY NOT NULL,
	`cutoff` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sign_in_failures` (
	`address` text NOT NULL,
	`account_key` text NOT NULL,
	`window_start` integer NOT NULL,
	`attempts` integer NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`address`, `account_key`, `window_start`)
);
--> statement-breakpoint
CREATE INDEX `sign_in_failures_account_idx` ON `sign_in_failures` (`account_key`,`window_start`);--> statement-breakpoint
CREATE INDEX `sign_in_failures_last_idx` ON `sign_in_failures` (`last_at`);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `request_hash` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `last_seen_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `is_demo` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Sessions stored before idle timeouts existed count as last seen when they were created.
UPDATE `sessions` SET `last_seen_at` = `created_at` WHERE `last_seen_at` = 0;
--> statement-breakpoint
-- Retention (issue 11 item 7): the audit log stays append-only, except that rows older than the cutoff
-- may be deleted while the retention path holds a guard row in the same transaction
-- (lib/audit/retention.ts). Updates stay refused by audit_log_no_update (0001).
DROP TRIGGER `audit_log_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
WHEN NOT EXISTS (SELECT 1 FROM `audit_prune_guard` WHERE old.`at` < `cutoff`)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
