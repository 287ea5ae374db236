-- The chunk ledger of the Hangfire bulk-insert job (JobServer/HangfireJobs), the twin of api_data_chunk. Its own
-- table because it is keyed by the job id, and Hangfire's ids (hf_job) and the old engine's (js_job) both count from
-- 1: in a shared ledger, Hangfire job 7 would find old job 7's chunks, skip them, and insert too few rows.

CREATE TABLE IF NOT EXISTS api_data_hangfire_chunk (
  job_id     BIGINT      NOT NULL,
  chunk_no   INT         NOT NULL,
  row_count  INT         NOT NULL,
  written_at DATETIME(6) NOT NULL,
  PRIMARY KEY (job_id, chunk_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
