-- The application's own tables: the user's api_data, its row-count procedure, and the chunk ledger that makes the
-- bulk insert exactly-once (a chunk's rows and its ledger row commit together, so a re-run skips what is done).
-- Hangfire's tables are the storage's business (sql/hangfire/); nothing here refers to them.
-- Statements are separated by lines reading "-- go": procedure bodies contain semicolons.

CREATE TABLE IF NOT EXISTS api_data (
  id      BIGINT      NOT NULL AUTO_INCREMENT,
  name    VARCHAR(64) NOT NULL,
  project VARCHAR(64) COLLATE utf8mb4_bin NOT NULL DEFAULT '', -- exact, like the concurrency key that guards it
  job_id  BIGINT      NULL,
  seq     BIGINT      NULL,
  PRIMARY KEY (id),
  KEY ix_api_data_project (project, job_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
-- go

-- Keyed by the Hangfire job id of the bulk insert that wrote the chunk.
CREATE TABLE IF NOT EXISTS api_data_chunk (
  job_id     BIGINT      NOT NULL,
  chunk_no   INT         NOT NULL,
  row_count  INT         NOT NULL,
  written_at DATETIME(6) NOT NULL,
  PRIMARY KEY (job_id, chunk_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
-- go

DROP PROCEDURE IF EXISTS selectCountData
-- go

-- The user counted rows with this procedure; NULL counts every project. utf8mb4_bin pads with spaces when it
-- compares, so 'p1' would count the rows of 'p1 ': the first comparison finds the rows through the index, the
-- second, on the bytes, keeps only the exact project.
CREATE PROCEDURE selectCountData(IN p_project VARCHAR(64))
BEGIN
  IF p_project IS NULL THEN
    SELECT COUNT(*) AS row_count FROM api_data;
  ELSE
    SELECT COUNT(*) AS row_count
    FROM api_data
    WHERE project = p_project
      AND CAST(project AS BINARY) = CAST(p_project AS BINARY);
  END IF;
END
