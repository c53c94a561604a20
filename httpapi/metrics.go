package httpapi

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/enrichd/enrichd/httpapi/kit"
)

var _ kit.Metrics = (*Metrics)(nil)

// Metrics is the server's Prometheus instrumentation. It has its own registry
// (no global state), so that several servers can live in one test process.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
	matches  *prometheus.CounterVec
	credits  *prometheus.CounterVec

	// children caches the per-(route, status) series: looking a child up by
	// label values hashes every label on each call.
	children sync.Map // routeStatus → *routeSeries
	// outcomes and charges cache the metering series the same way: each
	// enrichment reports one of each.
	outcomes sync.Map // [3]string{api, endpoint, outcome} → prometheus.Counter
	charges  sync.Map // [2]string{api, endpoint} → prometheus.Counter
}

type routeStatus struct {
	route  string
	status int
}

type routeSeries struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

// NewMetrics returns metrics registered on a fresh registry, with the Go
// runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "enrichd_http_requests_total",
			Help: "HTTP requests answered, by route pattern and status code.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "enrichd_http_request_duration_seconds",
			Help: "HTTP request latency, by route pattern.",
			// Identifier look-ups take well under a millisecond; batches take seconds.
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "enrichd_http_requests_in_flight",
			Help: "HTTP requests being served.",
		}),
		matches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "enrichd_match_outcomes_total",
			Help: "Enrichment outcomes, by API, endpoint and outcome.",
		}, []string{"api", "endpoint", "outcome"}),
		credits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "enrichd_credits_charged_total",
			Help: "Credits charged, by API and endpoint.",
		}, []string{"api", "endpoint"}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.inFlight, m.matches, m.credits,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Registry returns the registry, for tests and for extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// ObserveMatch implements kit.Metrics.
func (m *Metrics) ObserveMatch(api, endpoint, outcome string) {
	k := [3]string{api, endpoint, outcome}
	c, ok := m.outcomes.Load(k)
	if !ok {
		c, _ = m.outcomes.LoadOrStore(k, m.matches.WithLabelValues(api, endpoint, outcome))
	}
	c.(prometheus.Counter).Inc()
}

// ObserveCredits implements kit.Metrics. Grants (negative amounts) are not
// charges and are ignored: a Prometheus counter only goes up.
func (m *Metrics) ObserveCredits(api, endpoint string, credits int64) {
	if credits <= 0 {
		return
	}
	k := [2]string{api, endpoint}
	c, ok := m.charges.Load(k)
	if !ok {
		c, _ = m.charges.LoadOrStore(k, m.credits.WithLabelValues(api, endpoint))
	}
	c.(prometheus.Counter).Add(float64(credits))
}

func (m *Metrics) observeRequest(route string, status int, d time.Duration) {
	k := routeStatus{route, status}
	v, ok := m.children.Load(k)
	if !ok {
		label := "other"
		if status >= 0 && status < len(statusText) {
			label = statusText[status]
		}
		v, _ = m.children.LoadOrStore(k, &routeSeries{
			requests: m.requests.WithLabelValues(route, label),
			duration: m.duration.WithLabelValues(route),
		})
	}
	rs := v.(*routeSeries)
	rs.requests.Inc()
	rs.duration.Observe(d.Seconds())
}
