// Package ocean serves the ocean API dialect.
package ocean

import (
	"net/http"

	"github.com/enrichd/enrichd/httpapi/kit"
)

// NewHandler returns the ocean API: a mux over its own routes, each protected by s.Kit.
func NewHandler(s *kit.Services) http.Handler {
	mux := http.NewServeMux()
	return mux
}
