package postgres

import (
	"context"
	"fmt"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/searchql"
)

// SearchPeople runs a filtered, sorted, keyset-paged search compiled by
// searchql. Returns EINVALID naming any unknown field, operator, bad value,
// sort or cursor.
func (s *PersonService) SearchPeople(ctx context.Context, search enrichd.PersonSearch) (*enrichd.PersonPage, error) {
	q, err := searchql.Compile(search)
	if err != nil {
		return nil, err
	}
	stmt, args := q.SelectSQL("p.doc")
	rows, err := s.db.pool.Query(ctx, searchql.Rebind(stmt), args...)
	if err != nil {
		return nil, fmt.Errorf("search people: %w", FormatError(err))
	}
	defer rows.Close()
	var out []*searchql.Row
	for rows.Next() {
		r := q.NewRow()
		if err := rows.Scan(r.Dest()...); err != nil {
			return nil, fmt.Errorf("search people: scan: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search people: %w", FormatError(err))
	}
	total := -1
	if q.TotalCount {
		stmt, args := q.CountSQL()
		if err := s.db.pool.QueryRow(ctx, searchql.Rebind(stmt), args...).Scan(&total); err != nil {
			return nil, fmt.Errorf("search people: count: %w", FormatError(err))
		}
	}
	return q.Page(out, total)
}
