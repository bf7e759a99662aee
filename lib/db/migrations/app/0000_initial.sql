CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` integer,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `campaign_batches` (
	`campaign_id` text NOT NULL,
	`seq` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`error_kind` text,
	`error_code` integer,
	`error_message` text,
	`queued` integer DEFAULT 0 NOT NULL,
	`unsent` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`campaign_id`, `seq`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `campaign_recipients` (
	`campaign_id` text NOT NULL,
	`position` integer NOT NULL,
	`batch_seq` integer NOT NULL,
	`phone` text NOT NULL,
	`status` text NOT NULL,
	`message_id` text,
	`error_code` integer,
	`error_message` text,
	`delivery_status` text,
	`delivery_reason` text,
	`delivery_checked_at` integer,
	`delivered_at` text,
	PRIMARY KEY(`campaign_id`, `position`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `recipients_batch_idx` ON `campaign_recipients` (`campaign_id`,`batch_seq`);--> statement-breakpoint
CREATE INDEX `recipients_message_idx` ON `campaign_recipients` (`message_id`);--> statement-breakpoint
CREATE INDEX `recipients_status_idx` ON `campaign_recipients` (`campaign_id`,`status`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`idempotency_key` text NOT NULL,
	`created_by` integer,
	`created_by_email` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	`title` text NOT NULL,
	`text` text,
	`file_ids` text NOT NULL,
	`test` integer NOT NULL,
	`scheduled_for` integer,
	`schedule_sent` text,
	`status` text NOT NULL,
	`batch_size` integer NOT NULL,
	`concurrency` integer NOT NULL,
	`recipient_count` integer NOT NULL,
	`batch_count` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaigns_idem_idx` ON `campaigns` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `campaigns_created_idx` ON `campaigns` (`created_at`);--> statement-breakpoint
CREATE TABLE `media_files` (
	`gateway_id` text PRIMARY KEY NOT NULL,
	`sha256` text,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`kind` text NOT NULL,
	`size` integer NOT NULL,
	`has_bytes` integer DEFAULT false NOT NULL,
	`has_thumbnail` integer DEFAULT false NOT NULL,
	`source` text NOT NULL,
	`source_url` text,
	`uploaded_by` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `media_sha_idx` ON `media_files` (`sha256`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	`disabled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);