ALTER TABLE "dje_namespaces" ADD COLUMN "recall_target" double precision DEFAULT 0.95 NOT NULL;--> statement-breakpoint
ALTER TABLE "dje_namespaces" ADD COLUMN "search_tuning" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "dje_namespaces" ADD COLUMN "table_version" integer DEFAULT 1 NOT NULL;