package sqlite

import (
	"context"
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

// bulkMmapBytes is how much of the file the connection that ends a bulk load
// maps (SQLite's compile-time cap is 2 GB).
const bulkMmapBytes = 2 << 30

// BeginBulk drops the secondary indexes of people and records them in
// bulk_indexes for EndBulk to re-create.
//
// NOTE: a new person is inserted into every index of people at a position
// that a batch of a thousand scatters over as many pages; CREATE INDEX sorts
// once instead. Worth it when an import adds more than about a tenth of the
// store: rebuilding costs about a second per index per million people.
// Searches meanwhile stay correct but scan. If the process dies before
// EndBulk, the next Migrate re-creates the indexes.
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

// EndBulk re-creates the indexes BeginBulk dropped, in one transaction.
func (s *IngestService) EndBulk(ctx context.Context) error {
	s.bulk.Store(false)
	return s.db.finishBulk(ctx)
}

// finishBulk re-creates every index recorded in bulk_indexes. It is a no-op
// when no bulk load is pending.
func (db *DB) finishBulk(ctx context.Context) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	defer conn.Close()
	// Sorting a million index entries wants more than the default cache.
	// Every CREATE INDEX scans people, which outgrows the cache: read through
	// a memory map, those scans cost no copies and almost no kernel time.
	// NOTE: PRAGMA threads (sorter helper threads) made CREATE INDEX slower here.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d; PRAGMA mmap_size = %d`, bulkCacheKiB, bulkMmapBytes)); err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	// The connection goes back to the pool unmapped (sqlite/db.go, connector).
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA mmap_size = 0`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	defer tx.Rollback()
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
	if len(names) == 0 {
		return nil
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
