package kit

import (
	"slices"
	"strconv"
	"strings"

	"github.com/enrichd/enrichd"
)

// PriceBook maps "api:item" to credits. Items are chosen by each dialect.
type PriceBook map[string]int64

// DefaultPrices follows each vendor's documented rules.
//
// NOTE: Clodura charges 2 for a full person, 1 when only the organisation
// resolves, 0 for no match. ApiOne charges 4 per success and 1 per not-found.
// Ocean charges 3 per enrichment plus each revealed email and phone. Crustdata
// charges a base per profile plus add-ons per contact section; preview is free.
func DefaultPrices() PriceBook {
	return PriceBook{
		"clodura:person":       2,
		"clodura:organisation": 1,
		"clodura:none":         0,

		"apione:success":   4,
		"apione:not_found": 1,

		"ocean:enrich": 3,
		"ocean:email":  1,
		"ocean:phone":  1,

		"crustdata:base":           1,
		"crustdata:business_email": 1,
		"crustdata:personal_email": 2,
		"crustdata:phone":          2,
		"crustdata:dev_platform":   1,
		"crustdata:preview":        0,
		"crustdata:search_result":  0, // Crustdata bills 0.03/result; credits here are whole numbers

		"native:match":   1,
		"native:miss":    0,
		"native:company": 1,
		"native:search":  0,
	}
}

// Price returns the credits for name, 0 when unknown.
func (p PriceBook) Price(name string) int64 { return p[name] }

// With returns a copy of p with overrides applied.
func (p PriceBook) With(overrides PriceBook) PriceBook {
	out := make(PriceBook, len(p)+len(overrides))
	for k, v := range p {
		out[k] = v
	}
	for k, v := range overrides {
		out[k] = v
	}
	return out
}

// ParsePrices reads price overrides written "api:item=N,api:item=N" (as a
// server flag or environment variable would carry them), e.g.
// "native:match=2,clodura:person=1". Returns EINVALID naming the bad entry.
func ParsePrices(s string) (PriceBook, error) {
	out := PriceBook{}
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		name, n, ok := strings.Cut(entry, "=")
		name = strings.TrimSpace(name)
		credits, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64)
		api, item, named := strings.Cut(name, ":")
		if !ok || err != nil || credits < 0 || !named || !slices.Contains(enrichd.AllAPIs, api) || item == "" {
			return nil, enrichd.Errorf(enrichd.EINVALID, "Invalid price %q: want api:item=N with N ≥ 0 and api one of %s.", entry, strings.Join(enrichd.AllAPIs, ", "))
		}
		out[name] = credits
	}
	return out, nil
}
