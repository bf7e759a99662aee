CREATE TABLE `sandbox_files` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`content_type` text NOT NULL,
	`sha256` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sandbox_files_id_unique` ON `sandbox_files` (`id`);--> statement-breakpoint
CREATE INDEX `sandbox_files_type_idx` ON `sandbox_files` (`type`,`created_at`);--> statement-breakpoint
CREATE TABLE `sandbox_messages` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`phone` text NOT NULL,
	`title` text NOT NULL,
	`file_ids` text NOT NULL,
	`text` text,
	`status` text NOT NULL,
	`queued_at` integer NOT NULL,
	`scheduled_for` integer,
	`send_at` integer NOT NULL,
	`planned_status` text NOT NULL,
	`planned_reason` text,
	`send_call` integer NOT NULL,
	`request_id` text NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sandbox_messages_id_unique` ON `sandbox_messages` (`id`);--> statement-breakpoint
CREATE INDEX `sandbox_messages_queued_at_idx` ON `sandbox_messages` (`queued_at`);--> statement-breakpoint
CREATE TABLE `sandbox_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`mms_credit` integer NOT NULL,
	`send_mms_calls` integer DEFAULT 0 NOT NULL,
	`send_mms_test_calls` integer DEFAULT 0 NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`clock_offset_ms` integer DEFAULT 0 NOT NULL
);
