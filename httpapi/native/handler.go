// Package native serves the native API dialect.
package native

import (
	"net/http"

	"github.com/enrichd/enrichd/httpapi/kit"
)

// NewHandler returns the native API: a mux over its own routes, each protected by s.Kit.
func NewHandler(s *kit.Services) http.Handler {
	mux := http.NewServeMux()
	return mux
}
