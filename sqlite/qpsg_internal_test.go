package sqlite

import (
	"context"
	"testing"
)

// Ensure every connection opened after Open plans without bound values, and
// that statements whose plan used to depend on them still answer by them.
func TestQPSG(t *testing.T) {
	ctx := context.Background()
	db := mustOpenFile(t)
	if on, err := qpsgOnNewConn(); err != nil {
		t.Fatal(err)
	} else if !on {
		t.Fatal("query planner stability guarantee off on a new connection")
	}
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO person_keys (key, person_id) VALUES ('k', 'a'), ('k', 'b'), ('k', 'c'), ('j', 'd')`); err != nil {
		t.Fatal(err)
	}
	const q = `SELECT COUNT(*) FROM (SELECT person_id FROM person_keys WHERE key = ? ORDER BY person_id LIMIT ?)`
	tests := []struct {
		key   string
		limit int
		want  int
	}{{"k", 1, 1}, {"k", 2, 2}, {"k", 0, 0}, {"k", 10, 3}, {"j", 10, 1}, {"x", 10, 0}}
	for _, tt := range tests {
		st, err := db.stmt(ctx, q) // the same prepared statement, re-bound
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := st.QueryRowContext(ctx, tt.key, tt.limit).Scan(&n); err != nil {
			t.Fatal(err)
		} else if n != tt.want {
			t.Errorf("key %q limit %d: %d rows, want %d", tt.key, tt.limit, n, tt.want)
		}
	}
}
