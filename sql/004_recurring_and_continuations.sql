-- Recurring job definitions, their fired occurrences, and continuations (jobs that wait for a parent job).

CREATE TABLE IF NOT EXISTS js_recurring (
  id          VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
  cron        VARCHAR(100) NOT NULL,
  time_zone   VARCHAR(64)  NOT NULL,
  type        VARCHAR(100) NOT NULL,
  args        MEDIUMTEXT   NOT NULL,
  queue       VARCHAR(50)  NOT NULL,
  misfire     VARCHAR(20)  NOT NULL,
  paused      TINYINT(1)   NOT NULL DEFAULT 0,
  next_run_at DATETIME(6)  NOT NULL,
  last_run_at DATETIME(6)  NULL,
  last_job_id BIGINT       NULL,
  created_at  DATETIME(6)  NOT NULL,
  updated_at  DATETIME(6)  NOT NULL,
  PRIMARY KEY (id),
  KEY ix_recurring_due (paused, next_run_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per fired occurrence. The due-check already claims the definition with SKIP LOCKED and moves next_run_at
-- in the same transaction; this key makes a second job for the same occurrence impossible even so.
CREATE TABLE IF NOT EXISTS js_recurring_run (
  recurring_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
  run_at       DATETIME(6)  NOT NULL,
  job_id       BIGINT       NOT NULL,
  PRIMARY KEY (recurring_id, run_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Awaiting children of a parent job; moved to their queue (or deleted) in the transaction that ends the parent.
CREATE TABLE IF NOT EXISTS js_continuation (
  job_id             BIGINT      NOT NULL,
  parent_id          BIGINT      NOT NULL,
  queue              VARCHAR(50) NOT NULL,
  on_any_final_state TINYINT(1)  NOT NULL,
  PRIMARY KEY (job_id),
  KEY ix_continuation_parent (parent_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
