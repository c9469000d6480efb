package ops

import (
	"database/sql"

	"github.com/prometheus/client_golang/prometheus"
)

// PoolCollector reports the database connection pools that pools returns
// by name (SQLite has a read and a write pool, PostgreSQL one): the
// connections in use and idle, the most allowed, and how often and how
// long requests waited for a connection, which is the first sign of a pool
// too small for the load.
func PoolCollector(pools func() map[string]sql.DBStats) prometheus.Collector {
	return &poolCollector{
		pools: pools,
		conns: prometheus.NewDesc(Namespace+"_db_connections", "Open database connections, by pool and state (in_use, idle).",
			[]string{"pool", "state"}, nil),
		max: prometheus.NewDesc(Namespace+"_db_connections_max", "Most connections the pool may open.",
			[]string{"pool"}, nil),
		waits: prometheus.NewDesc(Namespace+"_db_waits_total", "Times a request waited for a free connection.",
			[]string{"pool"}, nil),
		waited: prometheus.NewDesc(Namespace+"_db_wait_seconds_total", "Time spent waiting for a free connection.",
			[]string{"pool"}, nil),
	}
}

type poolCollector struct {
	pools                     func() map[string]sql.DBStats
	conns, max, waits, waited *prometheus.Desc
}

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.conns
	ch <- c.max
	ch <- c.waits
	ch <- c.waited
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	for name, s := range c.pools() {
		ch <- prometheus.MustNewConstMetric(c.conns, prometheus.GaugeValue, float64(s.InUse), name, "in_use")
		ch <- prometheus.MustNewConstMetric(c.conns, prometheus.GaugeValue, float64(s.Idle), name, "idle")
		ch <- prometheus.MustNewConstMetric(c.max, prometheus.GaugeValue, float64(s.MaxOpenConnections), name)
		ch <- prometheus.MustNewConstMetric(c.waits, prometheus.CounterValue, float64(s.WaitCount), name)
		ch <- prometheus.MustNewConstMetric(c.waited, prometheus.CounterValue, s.WaitDuration.Seconds(), name)
	}
}
