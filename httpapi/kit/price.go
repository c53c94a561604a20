package kit

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
