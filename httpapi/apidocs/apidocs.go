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

// document is the part of an OpenAPI document the reference page shows.
type document struct {
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
		Schemas         map[string]*schema         `json:"schemas"`
		Responses       map[string]*response       `json:"responses"`
		Headers         map[string]json.RawMessage `json:"headers"`
		Parameters      map[string]*parameter      `json:"parameters"`
		SecuritySchemes map[string]*securityScheme `json:"securitySchemes"`
	} `json:"components"`
}

// operation is one method on one path.
type operation struct {
	OperationID string                `json:"operationId"`
	Tags        []string              `json:"tags"`
	Summary     string                `json:"summary"`
	Description string                `json:"description"`
	Security    []map[string][]string `json:"security"`
	Parameters  []*parameter          `json:"parameters"`
	RequestBody *struct {
		Required bool                  `json:"required"`
		Content  map[string]*mediaType `json:"content"`
	} `json:"requestBody"`
	Responses map[string]*response `json:"responses"`
}

// parameter is an operation parameter, or a reference to one.
type parameter struct {
	Ref         string  `json:"$ref"`
	Name        string  `json:"name"`
	In          string  `json:"in"`
	Required    bool    `json:"required"`
	Description string  `json:"description"`
	Schema      *schema `json:"schema"`
}

// response is one documented answer, or a reference to one.
type response struct {
	Ref         string                     `json:"$ref"`
	Description string                     `json:"description"`
	Headers     map[string]json.RawMessage `json:"headers"`
	Content     map[string]*mediaType      `json:"content"`
}

// mediaType holds a body schema and its examples.
type mediaType struct {
	Schema   *schema         `json:"schema"`
	Example  json.RawMessage `json:"example"`
	Examples map[string]struct {
		Summary string          `json:"summary"`
		Value   json.RawMessage `json:"value"`
	} `json:"examples"`
}

// securityScheme is how a caller authenticates.
type securityScheme struct {
	Type        string `json:"type"`
	Scheme      string `json:"scheme"`
	In          string `json:"in"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// schema is the subset of JSON schema the page renders.
type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 json.RawMessage    `json:"type"` // a string, or an array of them in 3.1
	Title                string             `json:"title"`
	Description          string             `json:"description"`
	Format               string             `json:"format"`
	Enum                 []any              `json:"enum"`
	Properties           map[string]*schema `json:"properties"`
	Required             []string           `json:"required"`
	Items                *schema            `json:"items"`
	OneOf                []*schema          `json:"oneOf"`
	AnyOf                []*schema          `json:"anyOf"`
	AllOf                []*schema          `json:"allOf"`
	AdditionalProperties json.RawMessage    `json:"additionalProperties"`
	Minimum              *float64           `json:"minimum"`
	Maximum              *float64           `json:"maximum"`
	MinItems             *int               `json:"minItems"`
	MaxItems             *int               `json:"maxItems"`
	MaxLength            *int               `json:"maxLength"`
	Pattern              string             `json:"pattern"`
}

// parse decodes an OpenAPI document for rendering.
func parse(data []byte) (*document, error) {
	var doc document
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse openapi document: %w", err)
	}
	return &doc, nil
}
