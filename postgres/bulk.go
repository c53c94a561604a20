package postgres

import (
	"context"
	"fmt"

	"github.com/enrichd/enrichd"
	"github.com/jackc/pgx/v5"
)

var _ enrichd.BulkIngester = (*IngestService)(nil)

// BeginBulk drops the non-unique indexes of people (the search indexes of
// 0003_search and the linkedin_url and company_id ones) and records them in
// bulk_indexes for EndBulk to re-create: building an index once from sorted
// rows is far cheaper than maintaining it row by row during a large import.
// Searches meanwhile stay correct but scan. If the process dies before
// EndBulk, the next Migrate re-creates the indexes.
func (s *IngestService) BeginBulk(ctx context.Context) error {
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT indexname, indexdef FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename = 'people' AND indexdef NOT LIKE 'CREATE UNIQUE%'`)
		if err != nil {
			return err
		}
		type index struct{ name, sql string }
		var indexes []index
		for rows.Next() {
			var ix index
			if err := rows.Scan(&ix.name, &ix.sql); err != nil {
				rows.Close()
				return err
			}
			indexes = append(indexes, ix)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, ix := range indexes {
			if _, err := tx.Exec(ctx, `INSERT INTO bulk_indexes (name, sql) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET sql = EXCLUDED.sql`, ix.name, ix.sql); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{ix.name}.Sanitize()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("begin bulk: %w", FormatError(err))
	}
	return nil
}

// EndBulk re-creates the indexes BeginBulk dropped, in one transaction.
func (s *IngestService) EndBulk(ctx context.Context) error {
	return s.db.finishBulk(ctx)
}

// finishBulk re-creates every index recorded in bulk_indexes; a no-op when
// no bulk load is pending.
func (db *DB) finishBulk(ctx context.Context) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT name, sql FROM bulk_indexes ORDER BY name FOR UPDATE`)
		if err != nil {
			return err
		}
		var names, stmts []string
		for rows.Next() {
			var name, stmt string
			if err := rows.Scan(&name, &stmt); err != nil {
				rows.Close()
				return err
			}
			names, stmts = append(names, name), append(stmts, stmt)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for i, name := range names {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, name).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				if _, err := tx.Exec(ctx, stmts[i]); err != nil {
					return fmt.Errorf("create %s: %w", name, err)
				}
			}
		}
		_, err = tx.Exec(ctx, `DELETE FROM bulk_indexes`)
		return err
	})
	if err != nil {
		return fmt.Errorf("end bulk: %w", FormatError(err))
	}
	return nil
}
