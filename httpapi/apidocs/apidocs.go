// Package apidocs serves the OpenAPI 3.1 document of every API enrichd offers
// (the native API, the four vendor dialects, the admin API and the operational
// endpoints) at GET /openapi.json, and a readable reference rendered from it
// at GET /docs. Both come from the binary: no CDN, no JavaScript.
//
// NOTE: openapi.json is the source of truth and is edited by hand. Tests load
// it with kin-openapi and check that every route mounted in httpapi appears
// in it, so that the document cannot silently drift from the server.
package apidocs

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

//go:embed openapi.json
var spec []byte

//go:embed docs.css
var css string

// Spec returns the OpenAPI document as JSON. The caller must not modify it.
func Spec() []byte { return spec }

// SpecHandler serves the OpenAPI document.
func SpecHandler() http.Handler {
	etag := strconv.Quote(fmt.Sprintf("%x", len(spec)) + "-" + checksum(spec))
	return staticHandler("application/json; charset=utf-8", spec, etag)
}

// DocsHandler serves the API reference page rendered from the OpenAPI
// document. The page is rendered once, when the handler is built.
func DocsHandler() http.Handler {
	page, err := Render(spec)
	if err != nil {
		// The embedded document is checked by tests; this only guards a broken build.
		msg := []byte(`{"error":{"code":"internal","message":"The API reference could not be rendered; /openapi.json has the document."}}` + "\n")
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write(msg)
		})
	}
	return staticHandler("text/html; charset=utf-8", page, strconv.Quote(checksum(page)))
}

// staticHandler serves body with caching headers that let clients revalidate cheaply.
func staticHandler(contentType string, body []byte, etag string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", contentType)
		h.Set("ETag", etag)
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		if match := r.Header.Get("If-None-Match"); match != "" && match == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(body)
		}
	})
}

// checksum is a short FNV-1a hash, enough to tell document versions apart.
func checksum(b []byte) string {
	var h uint64 = 14695981039346656037
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return strconv.FormatUint(h, 36)
}

// Document is the part of an OpenAPI document the reference page shows.
type Document struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Title       string `json:"title"`
		Version     string `json:"version"`
		Summary     string `json:"summary"`
		Description string `json:"description"`
	} `json:"info"`
	Tags []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"tags"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas         map[string]*Schema         `json:"schemas"`
		Responses       map[string]*Response       `json:"responses"`
		Headers         map[string]json.RawMessage `json:"headers"`
		Parameters      map[string]*Parameter      `json:"parameters"`
		SecuritySchemes map[string]*SecurityScheme `json:"securitySchemes"`
	} `json:"components"`
}

// Operation is one method on one path.
type Operation struct {
	OperationID string                `json:"operationId"`
	Tags        []string              `json:"tags"`
	Summary     string                `json:"summary"`
	Description string                `json:"description"`
	Security    []map[string][]string `json:"security"`
	Parameters  []*Parameter          `json:"parameters"`
	RequestBody *struct {
		Required bool                  `json:"required"`
		Content  map[string]*MediaType `json:"content"`
	} `json:"requestBody"`
	Responses map[string]*Response `json:"responses"`
}

// Parameter is an operation parameter, or a reference to one.
type Parameter struct {
	Ref         string  `json:"$ref"`
	Name        string  `json:"name"`
	In          string  `json:"in"`
	Required    bool    `json:"required"`
	Description string  `json:"description"`
	Schema      *Schema `json:"schema"`
}

// Response is one documented answer, or a reference to one.
type Response struct {
	Ref         string                     `json:"$ref"`
	Description string                     `json:"description"`
	Headers     map[string]json.RawMessage `json:"headers"`
	Content     map[string]*MediaType      `json:"content"`
}

// MediaType holds a body schema and its examples.
type MediaType struct {
	Schema   *Schema         `json:"schema"`
	Example  json.RawMessage `json:"example"`
	Examples map[string]struct {
		Summary string          `json:"summary"`
		Value   json.RawMessage `json:"value"`
	} `json:"examples"`
}

// SecurityScheme is how a caller authenticates.
type SecurityScheme struct {
	Type        string `json:"type"`
	Scheme      string `json:"scheme"`
	In          string `json:"in"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Schema is the subset of JSON Schema the page renders.
type Schema struct {
	Ref                  string             `json:"$ref"`
	Type                 json.RawMessage    `json:"type"` // a string, or an array of them in 3.1
	Title                string             `json:"title"`
	Description          string             `json:"description"`
	Format               string             `json:"format"`
	Enum                 []any              `json:"enum"`
	Properties           map[string]*Schema `json:"properties"`
	Required             []string           `json:"required"`
	Items                *Schema            `json:"items"`
	OneOf                []*Schema          `json:"oneOf"`
	AnyOf                []*Schema          `json:"anyOf"`
	AllOf                []*Schema          `json:"allOf"`
	AdditionalProperties json.RawMessage    `json:"additionalProperties"`
	Minimum              *float64           `json:"minimum"`
	Maximum              *float64           `json:"maximum"`
	MinItems             *int               `json:"minItems"`
	MaxItems             *int               `json:"maxItems"`
	MaxLength            *int               `json:"maxLength"`
	Pattern              string             `json:"pattern"`
}

// Parse decodes an OpenAPI document for rendering.
func Parse(data []byte) (*Document, error) {
	var doc Document
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse openapi document: %w", err)
	}
	return &doc, nil
}
