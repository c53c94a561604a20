package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/enrichd/enrichd"
)

var _ enrichd.BulkIngester = (*IngestService)(nil)

// bulkIndexesQuery selects the indexes a bulk load defers: every explicitly
// created, non-unique index of people (the search indexes of 0003_search and
// the linkedin_url and company_id ones) and of person_keys (its person_id
// index: meanwhile ingest derives a changed person's old keys from their
// stored doc, storeplan.Options.OldKeysFromDoc). The primary keys of the key
// and term tables stay: ingest looks identity keys up between batches.
const bulkIndexesQuery = `SELECT name, sql FROM sqlite_master
	WHERE type = 'index' AND tbl_name IN ('people', 'person_keys') AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'`

// BeginBulk drops the secondary indexes of people and records them in
// bulk_indexes for EndBulk to re-create. Until EndBulk, ingest appends the
// blocking keys and terms of people to staging tables (0005_bulk_staging.sql)
// instead of inserting them into person_keys and person_terms; identity and
// provenance keys, which ingest looks up, still go to person_keys.
//
// NOTE: a new person is inserted into every index of people at a position
// that a batch of a thousand scatters over as many pages; CREATE INDEX sorts
// once instead. Worth it when an import adds more than about a tenth of the
// store: rebuilding costs about a second per index per million people.
// Searches meanwhile scan, and miss the staged rows (a blocking key, a
// skill) of people loaded since BeginBulk. If the process dies before
// EndBulk, the next Migrate merges the staged rows and re-creates the
// indexes.
//
// NOTE: staging turns the ~11 inserts a new person makes at random pages of
// the key and term b-trees (every commit then rewrote most of their pages to
// the WAL, a cost that grew with the store) into appends, and EndBulk merges
// them sorted, writing each b-tree once.
func (s *IngestService) BeginBulk(ctx context.Context) error {
	s.bulk.Store(true)
	tx, err := s.db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin bulk: %w", FormatError(err))
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, bulkIndexesQuery)
	if err != nil {
		return fmt.Errorf("begin bulk: %w", FormatError(err))
	}
	type index struct{ name, sql string }
	var indexes []index
	for rows.Next() {
		var ix index
		if err := rows.Scan(&ix.name, &ix.sql); err != nil {
			rows.Close()
			return fmt.Errorf("begin bulk: %w", err)
		}
		indexes = append(indexes, ix)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("begin bulk: %w", FormatError(err))
	}
	for _, ix := range indexes {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO bulk_indexes (name, sql) VALUES (?, ?)`, ix.name, ix.sql); err != nil {
			return fmt.Errorf("begin bulk: %w", FormatError(err))
		}
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+ix.name+`"`); err != nil {
			return fmt.Errorf("begin bulk: drop %s: %w", ix.name, FormatError(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("begin bulk: %w", FormatError(err))
	}
	return nil
}

// EndBulk merges the staged rows and re-creates the indexes BeginBulk
// dropped, in one transaction.
func (s *IngestService) EndBulk(ctx context.Context) error {
	s.bulk.Store(false)
	return s.db.finishBulk(ctx)
}

// finishBulk merges the staged keys and terms of a bulk load into
// person_keys and person_terms, then re-creates every index recorded in
// bulk_indexes, in one transaction. It is a no-op when no bulk load is
// pending.
func (db *DB) finishBulk(ctx context.Context) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	defer conn.Close()
	var pending bool
	if pending, err = stagingPending(ctx, conn); err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM bulk_indexes`).Scan(&n); err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	if !pending && n == 0 {
		return nil
	}
	// Sorting a million index entries wants more than the default cache.
	// NOTE: PRAGMA threads (sorter helper threads) made CREATE INDEX slower here.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, bulkCacheKiB)); err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	defer tx.Rollback()
	if err := mergeStaged(ctx, tx); err != nil {
		return fmt.Errorf("end bulk: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM bulk_indexes ORDER BY name`)
	if err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	var names, stmts []string
	for rows.Next() {
		var name, stmt string
		if err := rows.Scan(&name, &stmt); err != nil {
			rows.Close()
			return fmt.Errorf("end bulk: %w", err)
		}
		names, stmts = append(names, name), append(stmts, stmt)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	for i, name := range names {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?`, name).Scan(&exists); err != nil {
			return fmt.Errorf("end bulk: %w", FormatError(err))
		}
		if exists == 0 {
			if _, err := tx.ExecContext(ctx, stmts[i]); err != nil {
				return fmt.Errorf("end bulk: create %s: %w", name, FormatError(err))
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM bulk_indexes`); err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	return nil
}

// mergeStaged moves the rows of the staging tables (0005_bulk_staging.sql)
// into person_keys and person_terms and empties them.
//
// NOTE: the staged rows go in sorted, so each b-tree is written once from
// left to right (as CREATE INDEX does) instead of at a random page per row.
// A tombstone then removes its row unless the same row was staged again after
// it (rowid > seq); tombstones are rare (a person merged with a changed value
// during the load), and the index that finds those rows is built only then.
func mergeStaged(ctx context.Context, tx *sql.Tx) error {
	for _, t := range []struct{ live, stage, cols, match string }{
		{"person_keys", "bulk_person_keys", "key, person_id", "b.key = d.key AND b.person_id = d.person_id"},
		{"person_terms", "bulk_person_terms", "field, value, person_id", "b.field = d.field AND b.value = d.value AND b.person_id = d.person_id"},
	} {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO `+t.live+` (`+t.cols+`) SELECT `+t.cols+` FROM `+t.stage+` ORDER BY `+t.cols); err != nil {
			return fmt.Errorf("merge %s: %w", t.stage, FormatError(err))
		}
		var tombs int
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+t.stage+`_del)`).Scan(&tombs); err != nil {
			return fmt.Errorf("merge %s: %w", t.stage, FormatError(err))
		}
		if tombs != 0 {
			if _, err := tx.ExecContext(ctx, `CREATE INDEX `+t.stage+`_idx ON `+t.stage+` (`+t.cols+`)`); err != nil {
				return fmt.Errorf("merge %s: %w", t.stage, FormatError(err))
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.live+` WHERE (`+t.cols+`) IN (SELECT `+t.cols+` FROM `+t.stage+`_del d
				WHERE NOT EXISTS (SELECT 1 FROM `+t.stage+` b WHERE `+t.match+` AND b.rowid > d.seq))`); err != nil {
				return fmt.Errorf("merge %s: %w", t.stage, FormatError(err))
			}
			if _, err := tx.ExecContext(ctx, `DROP INDEX `+t.stage+`_idx`); err != nil {
				return fmt.Errorf("merge %s: %w", t.stage, FormatError(err))
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.stage+`; DELETE FROM `+t.stage+`_del`); err != nil {
			return fmt.Errorf("merge %s: %w", t.stage, FormatError(err))
		}
	}
	return nil
}
