-- Core job tables. Forward-only and re-runnable: every statement is guarded with IF NOT EXISTS.
-- All times are UTC, DATETIME(6). Job history grows to millions of rows; the hot path never reads it.

CREATE TABLE IF NOT EXISTS js_job (
  id             BIGINT       NOT NULL AUTO_INCREMENT,
  type           VARCHAR(100) NOT NULL,
  queue          VARCHAR(50)  NOT NULL,
  args           MEDIUMTEXT   NOT NULL,
  state          VARCHAR(20)  NOT NULL,
  attempts       INT          NOT NULL DEFAULT 0,
  -- Incremented by every claim and never reset: the fence that tells one claim of a job from any later one.
  lease          BIGINT       NOT NULL DEFAULT 0,
  server_id      VARCHAR(200) NULL,
  created_at     DATETIME(6)  NOT NULL,
  started_at     DATETIME(6)  NULL,
  finished_at    DATETIME(6)  NULL,
  expire_at      DATETIME(6)  NULL,
  progress_done  BIGINT       NULL,
  progress_total BIGINT       NULL,
  result         MEDIUMTEXT   NULL,
  parent_id      BIGINT       NULL, -- the job a continuation follows
  PRIMARY KEY (id),
  KEY ix_job_parent (parent_id),
  KEY ix_job_state (state, id),
  -- The dashboard pages through one state at a time (keyset on id), optionally filtered by queue or type.
  KEY ix_job_state_queue (state, queue, id),
  KEY ix_job_state_type (state, type, id),
  KEY ix_job_expire (expire_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only: one row per state transition, with the exception when there was one.
CREATE TABLE IF NOT EXISTS js_job_history (
  id                BIGINT       NOT NULL AUTO_INCREMENT,
  job_id            BIGINT       NOT NULL,
  state             VARCHAR(20)  NOT NULL,
  at                DATETIME(6)  NOT NULL,
  server_id         VARCHAR(200) NULL,
  reason            VARCHAR(1000) NULL,
  exception_type    VARCHAR(500) NULL,
  exception_message TEXT         NULL,
  exception_details MEDIUMTEXT   NULL,
  PRIMARY KEY (id),
  KEY ix_history_job (job_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The hot path: one small row per Enqueued or Processing job. A row with claimed_by NULL is ready;
-- fetching reads ix_queue_ready with FOR UPDATE SKIP LOCKED and never touches js_job's history-sized indexes.
CREATE TABLE IF NOT EXISTS js_queue (
  job_id     BIGINT       NOT NULL,
  queue      VARCHAR(50)  NOT NULL,
  claimed_by VARCHAR(200) NULL,
  claimed_at DATETIME(6)  NULL,
  PRIMARY KEY (job_id),
  KEY ix_queue_ready (queue, claimed_by, job_id),
  KEY ix_queue_claimed_by (claimed_by)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Scheduled jobs (delayed, and retries waiting for their backoff) until their time comes.
CREATE TABLE IF NOT EXISTS js_schedule (
  job_id BIGINT      NOT NULL,
  queue  VARCHAR(50) NOT NULL,
  run_at DATETIME(6) NOT NULL,
  PRIMARY KEY (job_id),
  KEY ix_schedule_due (run_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS js_server (
  id           VARCHAR(200)  NOT NULL,
  queues       VARCHAR(2000) NOT NULL,
  workers      INT           NOT NULL,
  busy         INT           NOT NULL DEFAULT 0,
  started_at   DATETIME(6)   NOT NULL,
  heartbeat_at DATETIME(6)   NOT NULL,
  PRIMARY KEY (id),
  KEY ix_server_heartbeat (heartbeat_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Counters for the states that grow without bound (Succeeded, Failed, Deleted). Transitions append a delta row
-- (no hot row, so concurrent workers never queue on one counter); the aggregator folds deltas into js_stat.
CREATE TABLE IF NOT EXISTS js_stat (
  name  VARCHAR(100) NOT NULL,
  value BIGINT       NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS js_stat_delta (
  id    BIGINT       NOT NULL AUTO_INCREMENT,
  name  VARCHAR(100) NOT NULL,
  delta BIGINT       NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
