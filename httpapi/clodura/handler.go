// Package clodura serves the clodura API dialect.
package clodura

import (
	"net/http"

	"github.com/enrichd/enrichd/httpapi/kit"
)

// NewHandler returns the clodura API: a mux over its own routes, each protected by s.Kit.
func NewHandler(s *kit.Services) http.Handler {
	mux := http.NewServeMux()
	return mux
}
