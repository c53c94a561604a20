package searchql

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/doccodec"
)

// cursor is the decoded form of an opaque page cursor: the sort keys and id
// of the last row served, and the hash of the search that served it.
//
// NOTE: keyset pagination rather than offsets, so that a page costs the same
// however deep it is and rows inserted meanwhile neither repeat nor vanish.
type cursor struct {
	Hash string `json:"h"`
	Keys []any  `json:"k,omitempty"`
	ID   string `json:"i"`
}

func errBadCursor() error {
	return enrichd.InvalidFields("cursor is not valid for this search: pass the next_cursor of the previous page, with the same filters and sorts",
		map[string]string{"cursor": "invalid or belongs to another search"})
}

func (q *Query) applyCursor(s string) error {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return errBadCursor()
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var cur cursor
	if err := dec.Decode(&cur); err != nil || cur.Hash != q.hash || cur.ID == "" || len(cur.Keys) != len(q.SortExprs) {
		return errBadCursor()
	}
	keys := make([]any, len(cur.Keys))
	for i, k := range cur.Keys {
		switch q.sortKinds[i] {
		case kindInt:
			n, ok := k.(json.Number)
			if !ok {
				return errBadCursor()
			}
			v, err := n.Int64()
			if err != nil {
				return errBadCursor()
			}
			keys[i] = v
		default:
			v, ok := k.(string)
			if !ok {
				return errBadCursor()
			}
			keys[i] = v
		}
	}

	// (k0 > v0) OR (k0 = v0 AND k1 > v1) OR … OR (all equal AND id > last id),
	// with < for descending keys.
	exprs := append(append([]string(nil), q.SortExprs...), "id")
	keys = append(keys, cur.ID)
	var ors []string
	var args []any
	for i := range exprs {
		var ands []string
		for j := 0; j < i; j++ {
			ands = append(ands, exprs[j]+" = ?")
			args = append(args, keys[j])
		}
		op := ">"
		if i < len(q.desc) && q.desc[i] {
			op = "<"
		}
		ands = append(ands, exprs[i]+" "+op+" ?")
		args = append(args, keys[i])
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	q.Keyset = strings.Join(ors, " OR ")
	q.KeysetArgs = args
	return nil
}

// Row is one result row as a store scans it: call Dest for the Scan targets
// of a SelectSQL row.
type Row struct {
	ID   string
	Doc  []byte
	keys []any // *string or *int64, one per sort expression
}

// NewRow returns a row ready to scan a SelectSQL result into.
func (q *Query) NewRow() *Row {
	r := &Row{keys: make([]any, len(q.SortExprs))}
	for i, k := range q.sortKinds {
		if k == kindInt {
			r.keys[i] = new(int64)
		} else {
			r.keys[i] = new(string)
		}
	}
	return r
}

// Dest returns the Scan targets, in SelectSQL's column order.
func (r *Row) Dest() []any {
	return append([]any{&r.ID, &r.Doc}, r.keys...)
}

// Page decodes up to Limit of rows (SelectSQL fetches one more, to know that
// another page follows) into a PersonPage with its next cursor. total is
// used only when the search asked for it.
func (q *Query) Page(rows []*Row, total int) (*enrichd.PersonPage, error) {
	page := &enrichd.PersonPage{Total: -1, People: make([]*enrichd.Person, 0, min(len(rows), q.Limit))}
	if q.TotalCount {
		page.Total = total
	}
	more := len(rows) > q.Limit
	if more {
		rows = rows[:q.Limit]
	}
	for _, r := range rows {
		p := new(enrichd.Person)
		if err := doccodec.DecodePerson(r.Doc, p); err != nil {
			return nil, fmt.Errorf("decode person %s: %w", r.ID, err)
		}
		p.ID = r.ID
		page.People = append(page.People, p)
	}
	if more && len(rows) > 0 {
		last := rows[len(rows)-1]
		cur := cursor{Hash: q.hash, ID: last.ID, Keys: make([]any, len(last.keys))}
		for i, k := range last.keys {
			switch v := k.(type) {
			case *int64:
				cur.Keys[i] = *v
			case *string:
				cur.Keys[i] = *v
			}
		}
		b, err := json.Marshal(cur)
		if err != nil {
			return nil, fmt.Errorf("encode cursor: %w", err)
		}
		page.NextCursor = base64.RawURLEncoding.EncodeToString(b)
	}
	return page, nil
}
