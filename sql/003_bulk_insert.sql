-- The user's table for the bulk-insert workload, its row-count procedure, and the chunk ledger that makes the
-- bulk insert exactly-once: a chunk's rows and its ledger row commit together, so a resumed job skips what is done.

CREATE TABLE IF NOT EXISTS api_data (
  id      BIGINT      NOT NULL AUTO_INCREMENT,
  name    VARCHAR(64) NOT NULL,
  project VARCHAR(64) COLLATE utf8mb4_bin NOT NULL DEFAULT '', -- exact, like the concurrency key that guards it
  job_id  BIGINT      NULL,
  seq     BIGINT      NULL,
  PRIMARY KEY (id),
  KEY ix_api_data_project (project, job_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS api_data_chunk (
  job_id     BIGINT      NOT NULL,
  chunk_no   INT         NOT NULL,
  row_count  INT         NOT NULL,
  written_at DATETIME(6) NOT NULL,
  PRIMARY KEY (job_id, chunk_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The user counted rows with this procedure; NULL counts every project.
DROP PROCEDURE IF EXISTS selectCountData;

DELIMITER //
CREATE PROCEDURE selectCountData(IN p_project VARCHAR(64))
BEGIN
  IF p_project IS NULL THEN
    SELECT COUNT(*) AS row_count FROM api_data;
  ELSE
    SELECT COUNT(*) AS row_count FROM api_data WHERE project = p_project;
  END IF;
END //
DELIMITER ;
