-- api_data.project is utf8mb4_bin, which pads with spaces when it compares (in MariaDB and MySQL alike): 'p1'
-- counted the rows of 'p1 ' as its own. The first comparison finds the rows through ix_api_data_project; the
-- second, on the bytes, keeps only the exact project.

DROP PROCEDURE IF EXISTS selectCountData;

DELIMITER //
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
END //
DELIMITER ;
