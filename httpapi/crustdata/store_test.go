package crustdata_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/crustdata"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/mock"
	"github.com/enrichd/enrichd/sqlite"
)

// Ensure the doc's search request works end to end on a real store: the
// filter language compiles, cursors page through every match exactly once,
// and total_count counts them all.
func TestPersonSearch_SQLite(t *testing.T) {
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "crust.db"))
	if err := db.Open(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := newFixture()
	var batch []enrichd.IngestRecord
	for _, p := range f.people {
		cp := *p
		cp.ID = ""
		batch = append(batch, enrichd.IngestRecord{Person: &cp})
	}
	for _, title := range []string{"VP Sales", "Director of Engineering", "Head of Design", "Engineer"} {
		batch = append(batch, enrichd.IngestRecord{
			Person: &enrichd.Person{FullName: "Retool " + title, Title: title,
				Social:     enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/retool-" + title[:3]},
				Employment: []enrichd.Employment{{CompanyName: "Retool", Title: title, Current: true}}},
			Company: &enrichd.Company{Name: "Retool", Domain: "retool.com"},
		})
	}
	if _, err := sqlite.NewIngestService(db, match.NewKeyer()).Ingest(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	h := &harness{handler: crustdata.NewHandler(&kit.Services{
		People: sqlite.NewPersonService(db), Companies: sqlite.NewCompanyService(db),
		Kit: &kit.Kit{Prices: kit.DefaultPrices(), Accounts: &mock.AccountService{
			AuthenticateFn: func(context.Context, string) (*enrichd.APIKey, error) {
				return &enrichd.APIKey{ID: "k", Plan: enrichd.DefaultPlan()}, nil
			},
			ChargeFn: func(context.Context, enrichd.Charge) (int64, error) { return 0, nil },
		}},
	})}

	seen := map[string]bool{}
	cursor := ""
	for page := 0; ; page++ {
		body := map[string]any{
			"filters": map[string]any{"op": "and", "conditions": []any{
				map[string]any{"field": "experience.employment_details.current.company_name", "type": "in", "value": []any{"Retool"}},
				map[string]any{"field": "experience.employment_details.current.title", "type": "(.)", "value": "VP|Director|Head of"},
			}},
			"limit":  2,
			"sorts":  []any{map[string]any{"field": "basic_profile.name", "order": "asc"}},
			"fields": []string{"basic_profile.name", "experience"},
		}
		if cursor != "" {
			body["cursor"] = cursor
		}
		raw, _ := json.Marshal(body)
		w := h.do(http.MethodPost, "/person/search", keyOK, "", raw)
		if w.Code != http.StatusOK {
			t.Fatalf("status=%d: %s", w.Code, w.Body)
		}
		var resp struct {
			Profiles []struct {
				BasicProfile struct {
					Name string `json:"name"`
				} `json:"basic_profile"`
				Experience struct {
					EmploymentDetails struct {
						Current []struct {
							CompanyID            *int64 `json:"company_id"`
							CompanyWebsiteDomain string `json:"company_website_domain"`
						} `json:"current"`
					} `json:"employment_details"`
				} `json:"experience"`
			} `json:"profiles"`
			NextCursor *string `json:"next_cursor"`
			TotalCount *int    `json:"total_count"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatal(err)
		}
		if resp.TotalCount == nil || *resp.TotalCount != 3 {
			t.Fatalf("want total_count 3 (not David Hsu, Founder & CEO, nor the Engineer): %s", w.Body)
		}
		for _, p := range resp.Profiles {
			if seen[p.BasicProfile.Name] {
				t.Fatalf("%s served twice", p.BasicProfile.Name)
			}
			seen[p.BasicProfile.Name] = true
			cur := p.Experience.EmploymentDetails.Current
			if len(cur) != 1 || cur[0].CompanyID == nil || cur[0].CompanyWebsiteDomain != "retool.com" {
				t.Fatalf("%s: current job %+v, want Retool's id and domain from the store", p.BasicProfile.Name, cur)
			}
		}
		if resp.NextCursor == nil {
			break
		}
		cursor = *resp.NextCursor
		if page > 5 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != 3 {
		t.Fatalf("found %v, want the VP, the Director and the Head of", seen)
	}
}
