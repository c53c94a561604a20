package enrichd

import "context"

// Keyer derives the index keys of records. The matching engine implements it
// (match.Keyer); the stores only store and look up the strings it returns.
//
// NOTE: identity keys decide which records are the same person or company at
// ingest (canonical LinkedIn URL, business email; company domain, LinkedIn
// company URL, normalised name). Blocking keys find candidates at match time
// and may be shared by many records. Keys are namespaced strings such as
// "li:https://www.linkedin.com/in/jdoe" or "cln:acme|smith" so that one
// (key, id) index serves them all.
type Keyer interface {
	PersonIdentityKeys(p *Person) []string
	PersonBlockingKeys(p *Person) []string
	CompanyIdentityKeys(c *Company) []string
	CompanyBlockingKeys(c *Company) []string
}

// IngestRecord is one input record: a person, a company, or a person with
// their current employer.
type IngestRecord struct {
	Person  *Person  // may be nil for a company-only record
	Company *Company // the person's current employer, or a company-only record; may be nil
}

// Ingest outcomes.
const (
	OutcomeNew       = "new"
	OutcomeMerged    = "merged"
	OutcomeUnchanged = "unchanged"
)

// IngestResult reports what saving one IngestRecord did.
type IngestResult struct {
	PersonID       string
	PersonOutcome  string // OutcomeNew, OutcomeMerged, OutcomeUnchanged, or "" when no person
	CompanyID      string
	CompanyOutcome string
}

// IngestService writes records, merging each into its golden record.
type IngestService interface {
	// Ingest saves a batch in one transaction: each record's company is merged
	// by its identity keys, linked from the person's current employment, and
	// the person is merged by theirs using MergePerson. Re-ingesting the same
	// record reports OutcomeUnchanged and writes nothing. Returns EINVALID if a
	// record has no identity key.
	Ingest(ctx context.Context, batch []IngestRecord) ([]IngestResult, error)
}
