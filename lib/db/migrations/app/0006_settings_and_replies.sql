CREATE TABLE `app_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `inbound_replies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedupe_key` text NOT NULL,
	`source` text NOT NULL,
	`phone` text NOT NULL,
	`text` text NOT NULL,
	`received_at` integer NOT NULL,
	`stored_at` integer NOT NULL,
	`message_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_replies_dedupe_idx` ON `inbound_replies` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `inbound_replies_received_idx` ON `inbound_replies` (`received_at`);