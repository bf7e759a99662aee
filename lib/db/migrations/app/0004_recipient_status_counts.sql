CREATE TABLE `campaign_status_counts` (
	`campaign_id` text NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `status`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `recipients_delivery_idx` ON `campaign_recipients` (`campaign_id`,`delivery_status`) WHERE "campaign_recipients"."delivery_status" is not null;--> statement-breakpoint
INSERT INTO `campaign_status_counts` (`campaign_id`, `status`, `n`)
  SELECT `campaign_id`, `status`, count(*) FROM `campaign_recipients` GROUP BY `campaign_id`, `status`;
--> statement-breakpoint
CREATE TRIGGER `recipients_count_update` AFTER UPDATE OF `status` ON `campaign_recipients` WHEN old.`status` IS NOT new.`status` BEGIN
  UPDATE `campaign_status_counts` SET `n` = `n` - 1 WHERE `campaign_id` = old.`campaign_id` AND `status` = old.`status`;
  INSERT INTO `campaign_status_counts` (`campaign_id`, `status`, `n`) VALUES (new.`campaign_id`, new.`status`, 1)
    ON CONFLICT (`campaign_id`, `status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `recipients_count_delete` AFTER DELETE ON `campaign_recipients` BEGIN
  UPDATE `campaign_status_counts` SET `n` = `n` - 1 WHERE `campaign_id` = old.`campaign_id` AND `status` = old.`status`;
END;
