package enrichd

import (
	"context"
	"encoding/json"
	"time"
)

// Company is the golden record of one organisation.
type Company struct {
	ID            string   `json:"id,omitempty"`
	Name          string   `json:"name,omitempty"`
	LegalName     string   `json:"legal_name,omitempty"`
	Domain        string   `json:"domain,omitempty"` // registrable domain, lower case
	OtherDomains  []string `json:"other_domains,omitempty"`
	LinkedInURL   string   `json:"linkedin_url,omitempty"` // canonical: https://www.linkedin.com/company/<slug>
	Industry      string   `json:"industry,omitempty"`
	EmployeeRange string   `json:"employee_range,omitempty"` // e.g. "51-200"
	EmployeeCount int      `json:"employee_count,omitempty"`
	RevenueRange  string   `json:"revenue_range,omitempty"` // e.g. "1M-10M"
	FoundedYear   int      `json:"founded_year,omitempty"`
	HQ            Location `json:"hq,omitzero"`
	Phone         string   `json:"phone,omitempty"` // E.164 where known
	Description   string   `json:"description,omitempty"`

	// EmailPattern is the dominant address pattern at Domain (e.g. "{first}.{last}"),
	// maintained by the matcher's email finder; empty when unknown.
	EmailPattern string `json:"email_pattern,omitempty"`

	Extra     map[string]json.RawMessage `json:"extra,omitempty"`
	Sources   []Provenance               `json:"sources,omitempty"`
	CreatedAt time.Time                  `json:"created_at,omitzero"`
	UpdatedAt time.Time                  `json:"updated_at,omitzero"`
}

// CompanyService reads companies. Implemented by sqlite.CompanyService and postgres.CompanyService.
type CompanyService interface {
	// FindCompanyByID returns the company. Returns ENOTFOUND if there is none.
	FindCompanyByID(ctx context.Context, id string) (*Company, error)
	// FindCompaniesByIDs returns the companies that exist among ids, in the order of ids.
	FindCompaniesByIDs(ctx context.Context, ids []string) ([]*Company, error)
	// FindCompanyIDsByKeys returns, for each key that indexes at least one company,
	// the ids of the companies under it (at most limitPerKey each).
	FindCompanyIDsByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]string, error)
	// FindEmailsAtDomain returns up to limit stored business email addresses at
	// domain, with the owner's first and last name, for email-pattern inference.
	FindEmailsAtDomain(ctx context.Context, domain string, limit int) ([]NamedEmail, error)
}

// NamedEmail is an address together with its owner's name.
type NamedEmail struct {
	Address   string
	FirstName string
	LastName  string
}
