// Package crustdata serves the crustdata API dialect.
package crustdata

import (
	"net/http"

	"github.com/enrichd/enrichd/httpapi/kit"
)

// NewHandler returns the crustdata API: a mux over its own routes, each protected by s.Kit.
func NewHandler(s *kit.Services) http.Handler {
	mux := http.NewServeMux()
	return mux
}
