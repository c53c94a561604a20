package enrichd

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// UsageLine totals the ledger entries of one key, API, endpoint and outcome.
type UsageLine struct {
	KeyID    string `json:"key_id"`
	API      string `json:"api"`
	Endpoint string `json:"endpoint"`
	Outcome  string `json:"outcome"`
	Requests int64  `json:"requests"`
	Credits  int64  `json:"credits"` // positive debits, negative grants
}

// UsageSummary totals ledger entries for reports (CLI `enrichd usage`, admin API).
type UsageSummary struct {
	Lines    []UsageLine `json:"lines"`
	Requests int64       `json:"requests"` // API calls (grants excluded)
	Debited  int64       `json:"debited"`  // credits spent
	Granted  int64       `json:"granted"`  // credits granted (net of take-backs)
}

// SummarizeUsage totals entries per key, API, endpoint and outcome, sorted.
func SummarizeUsage(entries []Charge) UsageSummary {
	idx := map[UsageLine]int{}
	s := UsageSummary{Lines: []UsageLine{}}
	for _, e := range entries {
		k := UsageLine{KeyID: e.KeyID, API: e.API, Endpoint: e.Endpoint, Outcome: e.Outcome}
		i, ok := idx[k]
		if !ok {
			i = len(s.Lines)
			idx[k] = i
			s.Lines = append(s.Lines, k)
		}
		s.Lines[i].Requests++
		s.Lines[i].Credits += e.Credits
		if e.Outcome == OutcomeGrant && e.API == LedgerAPIAdmin {
			s.Granted -= e.Credits
		} else {
			s.Requests++
			s.Debited += e.Credits
		}
	}
	sort.Slice(s.Lines, func(i, j int) bool {
		a, b := s.Lines[i], s.Lines[j]
		if a.KeyID != b.KeyID {
			return a.KeyID < b.KeyID
		} else if a.API != b.API {
			return a.API < b.API
		} else if a.Endpoint != b.Endpoint {
			return a.Endpoint < b.Endpoint
		}
		return a.Outcome < b.Outcome
	})
	return s
}

// ParseSince reads the start of a report period: an RFC 3339 time, a date
// (2026-11-01, UTC), or an age before now such as "90m", "24h" or "7d".
// Returns EINVALID otherwise.
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, Errorf(EINVALID, "Invalid time %q: use RFC 3339 (2026-11-01T00:00:00Z), a date (2026-11-01) or an age (24h, 7d).", s)
}
