package ops

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes every series Chancery exports.
const Namespace = "chancery"

// LatencyBuckets are the request duration histogram's bounds in seconds:
// a cached page takes about a millisecond, a broad search tens of them.
var LatencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Metrics holds the server's Prometheus series in a registry of its own,
// never the global one, so that tests and several servers in one process
// do not mix. Later parts (the page store, publishing, outboxes, the
// database pools) add their collectors with Register.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration map[string]prometheus.Observer
}

// NewMetrics returns a registry with the request series and the Go
// runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by route class and status code.",
		}, []string{"route", "code"}),
		duration: make(map[string]prometheus.Observer, len(Routes)),
	}
	hist := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Subsystem: "http", Name: "request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route class.",
		Buckets: LatencyBuckets,
	}, []string{"route"})
	for _, r := range Routes {
		m.duration[r] = hist.WithLabelValues(r)
	}
	m.reg.MustRegister(m.requests, hist,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Register adds collectors to the registry, such as
// collectors.NewDBStatsCollector for a database pool. It panics on a
// duplicate series, a programming mistake.
func (m *Metrics) Register(cs ...prometheus.Collector) { m.reg.MustRegister(cs...) }

// Registry returns the registry, for tests and for collectors that need
// more than Register.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Instrument counts and times every request next answers, by route class
// (see Route) and status code. A request whose handler panics counts as
// a 500 before the panic goes on to the recovering middleware.
func (m *Metrics) Instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusWriter{ResponseWriter: w}
		route := Route(r.URL.Path)
		defer func() {
			p := recover()
			status := rec.status
			if p != nil || status == 0 {
				status = http.StatusInternalServerError
				if p == nil {
					status = http.StatusOK // wrote nothing: net/http sends 200
				}
			}
			m.duration[route].Observe(time.Since(start).Seconds())
			m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
			if p != nil {
				panic(p)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// statusWriter remembers the status a handler sent.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 && code >= 200 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
