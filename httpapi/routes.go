package httpapi

import (
	"net/http"

	"github.com/enrichd/enrichd/httpapi/admin"
	"github.com/enrichd/enrichd/httpapi/apidocs"
	"github.com/enrichd/enrichd/httpapi/apione"
	"github.com/enrichd/enrichd/httpapi/clodura"
	"github.com/enrichd/enrichd/httpapi/crustdata"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/httpapi/native"
	"github.com/enrichd/enrichd/httpapi/ocean"
)

// routes lists the entire HTTP surface. Each vendor dialect owns its paths
// under the vendor's own layout, so that a client switches by base URL only.
// The operational endpoints (/healthz, /readyz, /metrics, /) are in server.go.
//
// NOTE: mount handlers directly, never through http.StripPrefix: the
// middleware labels metrics with the innermost matched pattern, which muxes
// record on the request they were given.
func routes(mux *http.ServeMux, s *kit.Services, cfg Config) {
	native := native.NewHandler(s)
	mux.Handle("/v1/", native)

	crust := crustdata.NewHandler(s)
	mux.Handle("/person/", crust)

	mux.Handle("/api/v1/cleanup/", clodura.NewHandler(s))
	mux.Handle("/v2/enrich/", ocean.NewHandler(s))
	mux.Handle("/api/v1/people/", apione.NewHandler(s))

	mux.Handle(admin.Prefix, admin.NewHandler(s, cfg.AdminToken))

	mux.Handle("GET /openapi.json", apidocs.SpecHandler())
	mux.Handle("GET /docs", apidocs.DocsHandler())
}
