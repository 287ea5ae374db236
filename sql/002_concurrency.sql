-- Concurrency limits by key (e.g. one bulk insert per project), enforced in the database so they hold across servers.
-- Keys compare exactly (utf8mb4_bin): "P1", "p1" and "p1 " are three keys, as they are three strings to the caller.

-- One row per key ever used: the row lock that serializes taking and giving back the key's leases.
CREATE TABLE IF NOT EXISTS js_concurrency_key (
  concurrency_key VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
  PRIMARY KEY (concurrency_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A lease per job holding a key: taken when the job is created, given back in the same transaction that moves the
-- job to a final state (Succeeded, Failed, Deleted). A dead server's jobs are requeued, so they keep their lease.
CREATE TABLE IF NOT EXISTS js_concurrency_lease (
  concurrency_key VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
  job_id          BIGINT       NOT NULL,
  PRIMARY KEY (concurrency_key, job_id),
  UNIQUE KEY ux_lease_job (job_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Jobs of "wait" types that found their key's leases all taken: Awaiting, in creation order per key. A released
-- lease passes straight to the oldest of them, so waiting never needs polling and never fails a job.
CREATE TABLE IF NOT EXISTS js_concurrency_wait (
  job_id          BIGINT       NOT NULL,
  concurrency_key VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
  queue           VARCHAR(50)  NOT NULL,
  run_at          DATETIME(6)  NULL,
  PRIMARY KEY (job_id),
  KEY ix_wait_key (concurrency_key, job_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
