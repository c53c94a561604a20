package httpapi

import (
	"net/http"

	"github.com/enrichd/enrichd/httpapi/apione"
	"github.com/enrichd/enrichd/httpapi/clodura"
	"github.com/enrichd/enrichd/httpapi/crustdata"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/httpapi/native"
	"github.com/enrichd/enrichd/httpapi/ocean"
)

// routes lists the entire HTTP surface. Each vendor dialect owns its paths
// under the vendor's own layout, so that a client switches by base URL only.
func routes(mux *http.ServeMux, s *kit.Services) {
	native := native.NewHandler(s)
	mux.Handle("/v1/", native)

	crust := crustdata.NewHandler(s)
	mux.Handle("/person/", crust)

	mux.Handle("/api/v1/cleanup/", clodura.NewHandler(s))
	mux.Handle("/v2/enrich/", ocean.NewHandler(s))
	mux.Handle("/api/v1/people/", apione.NewHandler(s))
}
