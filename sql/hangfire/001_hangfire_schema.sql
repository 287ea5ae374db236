-- Hangfire's tables for JobServer.Storage.MySql. Forward-only and re-runnable: every statement is guarded with
-- IF NOT EXISTS; the storage applies the scripts in order under a named lock and records each in hf_schema_version.
-- UTC times in DATETIME(6), BIGINT ids, utf8mb4 throughout. The installer replaces utf8mb4_bin with the server's
-- no-pad binary collation (MariaDB utf8mb4_nopad_bin, MySQL 8 utf8mb4_0900_bin): keys differing in a trailing space
-- stay distinct, as in Hangfire's other storages. Portable to MySQL 8 (no RETURNING, no sequences).

CREATE TABLE IF NOT EXISTS hf_job (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  state_id        BIGINT       NULL,
  state_name      VARCHAR(20)  NULL,
  invocation_data LONGTEXT     NOT NULL,
  arguments       LONGTEXT     NOT NULL,
  created_at      DATETIME(6)  NOT NULL,
  expire_at       DATETIME(6)  NULL,
  PRIMARY KEY (id),
  -- Every per-state list and count of the dashboard is a range of this index, newest id first.
  KEY ix_hf_job_state (state_name, id),
  KEY ix_hf_job_expire (expire_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every state a job went through; hf_job.state_id points at the current one. No foreign keys: their shared locks on
-- hf_job would make two state changes of one job deadlock; expiration deletes a job's states and parameters with it.
CREATE TABLE IF NOT EXISTS hf_state (
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  job_id     BIGINT       NOT NULL,
  name       VARCHAR(20)  NOT NULL,
  reason     VARCHAR(100) NULL,
  created_at DATETIME(6)  NOT NULL,
  data       LONGTEXT     NULL,
  PRIMARY KEY (id),
  KEY ix_hf_state_job (job_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS hf_job_parameter (
  job_id BIGINT      NOT NULL,
  name   VARCHAR(40) NOT NULL,
  value  LONGTEXT    NULL,
  PRIMARY KEY (job_id, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The hot path: only enqueued and fetched jobs live here, so fetching never reads a history-sized table.
-- A fetched row carries the owner (one storage instance, i.e. one process) and a fencing token: only the holder
-- of the token can acknowledge or requeue it, and the owner's keep-alive refreshes fetched_at while it runs.
CREATE TABLE IF NOT EXISTS hf_job_queue (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  job_id      BIGINT       NOT NULL,
  queue       VARCHAR(50)  NOT NULL,
  fetched_at  DATETIME(6)  NULL,
  fetched_by  VARCHAR(100) NULL,
  fetch_token CHAR(32)     NULL,
  PRIMARY KEY (id),
  -- Fetch reads (queue, fetched_at IS NULL) in id order; recovery reads fetched rows by age.
  KEY ix_hf_job_queue_fetch (queue, fetched_at, id),
  KEY ix_hf_job_queue_fetched_at (fetched_at),
  KEY ix_hf_job_queue_owner (fetched_by),
  KEY ix_hf_job_queue_job (job_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS hf_server (
  id             VARCHAR(200) NOT NULL,
  owner          VARCHAR(100) NULL,
  data           LONGTEXT     NULL,
  last_heartbeat DATETIME(6)  NOT NULL,
  PRIMARY KEY (id),
  KEY ix_hf_server_owner (owner)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Sets: scores are DOUBLE, exact for the integer Unix timestamps Hangfire schedules by (FLOAT would round them).
CREATE TABLE IF NOT EXISTS hf_set (
  `key`     VARCHAR(100) NOT NULL,
  value     VARCHAR(256) NOT NULL,
  score     DOUBLE       NOT NULL,
  expire_at DATETIME(6)  NULL,
  PRIMARY KEY (`key`, value),
  KEY ix_hf_set_score (`key`, score),
  KEY ix_hf_set_expire (expire_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS hf_hash (
  `key`     VARCHAR(100) NOT NULL,
  field     VARCHAR(100) NOT NULL,
  value     LONGTEXT     NULL,
  expire_at DATETIME(6)  NULL,
  PRIMARY KEY (`key`, field),
  KEY ix_hf_hash_expire (expire_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Lists: the newest item (highest id) is index 0, as in Hangfire's other storages.
CREATE TABLE IF NOT EXISTS hf_list (
  id        BIGINT       NOT NULL AUTO_INCREMENT,
  `key`     VARCHAR(100) NOT NULL,
  value     LONGTEXT     NULL,
  expire_at DATETIME(6)  NULL,
  PRIMARY KEY (id),
  KEY ix_hf_list_key (`key`, id),
  KEY ix_hf_list_expire (expire_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Counters are append-only: every increment is a row of its own, so concurrent workers never queue on one hot row.
-- The aggregator folds them into hf_aggregated_counter; a counter's value is the sum over both tables.
CREATE TABLE IF NOT EXISTS hf_counter (
  id        BIGINT       NOT NULL AUTO_INCREMENT,
  `key`     VARCHAR(100) NOT NULL,
  value     BIGINT       NOT NULL,
  expire_at DATETIME(6)  NULL,
  PRIMARY KEY (id),
  KEY ix_hf_counter_key (`key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS hf_aggregated_counter (
  `key`     VARCHAR(100) NOT NULL,
  value     BIGINT       NOT NULL,
  expire_at DATETIME(6)  NULL,
  PRIMARY KEY (`key`),
  KEY ix_hf_aggregated_counter_expire (expire_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
