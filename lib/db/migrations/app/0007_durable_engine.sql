CREATE TABLE `engine_workers` (
	`id` text PRIMARY KEY NOT NULL,
	`started_at` integer NOT NULL,
	`seen_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `campaign_batches` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `campaign_batches` ADD `lease_expires_at` integer;--> statement-breakpoint
CREATE INDEX `batches_status_idx` ON `campaign_batches` (`status`,`campaign_id`);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `pause_reason` text;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `pause_code` integer;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `paused_at` integer;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `refusals_in_row` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `cancel_requested_at` integer;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `check_owner` text;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `check_expires_at` integer;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `delivery_next_check_at` integer;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `delivery_interval_ms` integer;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `auto_checked_at` integer;--> statement-breakpoint
CREATE INDEX `campaigns_status_idx` ON `campaigns` (`status`);--> statement-breakpoint
CREATE INDEX `campaigns_delivery_due_idx` ON `campaigns` (`delivery_next_check_at`) WHERE "campaigns"."delivery_next_check_at" is not null;--> statement-breakpoint
-- Campaigns a stopped process left "interrupted" go back to the engine, which goes on with them by
-- itself. Batches still "sending" have no lease (the process that sent them is gone): unknown, to be
-- looked up at the gateway before anything is sent again (lib/campaign/lifecycle.ts).
UPDATE `campaign_batches` SET `status` = 'unknown', `error_kind` = 'lease_expired',
  `error_message` = 'The server stopped while this batch was being sent.'
  WHERE `status` = 'sending';--> statement-breakpoint
UPDATE `campaign_recipients` SET `status` = 'unknown', `error_message` = 'The server stopped while this batch was being sent.'
  WHERE `status` = 'pending' AND (`campaign_id`, `batch_seq`) IN
    (SELECT `campaign_id`, `seq` FROM `campaign_batches` WHERE `status` = 'unknown' AND `error_kind` = 'lease_expired');--> statement-breakpoint
UPDATE `campaigns` SET `status` = 'sending' WHERE `status` = 'interrupted';--> statement-breakpoint
-- Delivery statuses are now asked for by the server: campaigns with messages still on their way get a first check.
UPDATE `campaigns` SET `delivery_next_check_at` = 0 WHERE `test` = 0 AND `status` IN ('completed', 'partial', 'scheduled');
