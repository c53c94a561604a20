// Package apione serves the apione API dialect.
package apione

import (
	"net/http"

	"github.com/enrichd/enrichd/httpapi/kit"
)

// NewHandler returns the apione API: a mux over its own routes, each protected by s.Kit.
func NewHandler(s *kit.Services) http.Handler {
	mux := http.NewServeMux()
	return mux
}
