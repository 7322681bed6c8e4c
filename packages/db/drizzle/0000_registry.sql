CREATE TABLE "dje_backups" (
	"table_name" varchar(63) PRIMARY KEY NOT NULL,
	"namespace" varchar(50) NOT NULL,
	"source_table" varchar(63) NOT NULL,
	"reason" varchar(50) NOT NULL,
	"dimensions" integer NOT NULL,
	"provider" varchar(100) NOT NULL,
	"model" varchar(255) NOT NULL,
	"index_type" varchar(20) NOT NULL,
	"index_params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"row_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dje_namespaces" (
	"namespace" varchar(50) PRIMARY KEY NOT NULL,
	"table_name" varchar(63) NOT NULL,
	"dimensions" integer NOT NULL,
	"provider" varchar(100) NOT NULL,
	"model" varchar(255) NOT NULL,
	"index_type" varchar(20) NOT NULL,
	"index_params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"index_threshold" integer DEFAULT 10000 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dje_namespaces_table_name_unique" UNIQUE("table_name")
);
