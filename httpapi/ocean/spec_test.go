package ocean_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// specPath is Ocean's official OpenAPI document, kept with the vendor docs.
var specPath = filepath.Join("..", "..", "..", "shared", "vendor-specs", "ocean-openapi.json")

// spec validates bodies against the /v2/enrich/person operation.
type spec struct {
	op *openapi3.Operation
}

// loadSpec loads and validates Ocean's document; it skips the test when the
// document is not available next to the repository.
func loadSpec(tb testing.TB) *spec {
	tb.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(specPath)
	if err != nil {
		tb.Skipf("Ocean's OpenAPI document not available: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		tb.Fatalf("invalid OpenAPI document: %v", err)
	}
	item := doc.Paths.Value("/v2/enrich/person")
	if item == nil || item.Post == nil {
		tb.Fatal("no POST /v2/enrich/person in Ocean's document")
	}
	return &spec{op: item.Post}
}

// validateResponse checks body against the schema documented for status.
//
// NOTE: kin-openapi's default validator is used, which honours the
// document's "nullable" keyword; the JSON Schema 2020-12 mode ignores it,
// and Ocean's 3.1 document relies on it throughout (see DECISIONS.md).
func (s *spec) validateResponse(status int, body []byte) error {
	ref := s.op.Responses.Status(status)
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("status %d is not documented", status)
	}
	mt := ref.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return fmt.Errorf("status %d has no JSON schema", status)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return mt.Schema.Value.VisitJSON(v)
}

// validateRequest checks a request body against MatchPersonBody.
func (s *spec) validateRequest(body []byte) error {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return s.op.RequestBody.Value.Content.Get("application/json").Schema.Value.VisitJSON(v)
}

// TestSpec_DocExamples ensures the document's own examples pass the
// validator, so that a failure elsewhere is ours, not the validator's.
func TestSpec_DocExamples(t *testing.T) {
	s := loadSpec(t)
	example := []byte(`{"id":"e9447c74eafa8a19","domain":"google.com","name":"John Doe","seniorities":["C-Level","Manager"],
		"phone":{"numbers":["+4512345678"],"status":"verified"},"email":{"address":"example.jonas@ocean.io","status":"verified"},"creditsUsed":3}`)
	if err := s.validateResponse(200, example); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`{"id":"x","creditsUsed":3}`, `{"id":"x","domain":"d","creditsUsed":3,"seniorities":["Boss"]}`} {
		if err := s.validateResponse(200, []byte(bad)); err == nil {
			t.Errorf("validator accepts %s", bad)
		}
	}
	if err := s.validateResponse(404, []byte(`{"detail":"Nothing here"}`)); err == nil {
		t.Error("validator accepts a 404 detail outside the enum")
	}
}
