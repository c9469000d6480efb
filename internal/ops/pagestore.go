package ops

import "github.com/prometheus/client_golang/prometheus"

// PageStoreStats is what the page store's server reports.
type PageStoreStats struct {
	FromMemory, FromStore, Rendered uint64
	MemoryBytes                     int64
}

// PageStoreCollectors export how public pages were answered — from
// memory, from the page store in the database, or rendered — and how many
// bytes of pages the process keeps in memory.
func PageStoreCollectors(stats func() PageStoreStats) []prometheus.Collector {
	answered := func(source string, v func(PageStoreStats) uint64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: Namespace, Subsystem: "pages", Name: "answered_total",
			Help: "Public page requests answered, by where the page came from.", ConstLabels: prometheus.Labels{"source": source}},
			func() float64 { return float64(v(stats())) })
	}
	return []prometheus.Collector{
		answered("memory", func(s PageStoreStats) uint64 { return s.FromMemory }),
		answered("store", func(s PageStoreStats) uint64 { return s.FromStore }),
		answered("rendered", func(s PageStoreStats) uint64 { return s.Rendered }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: Namespace, Subsystem: "pages", Name: "memory_bytes",
			Help: "Bytes of rendered pages kept in this process's memory."}, func() float64 { return float64(stats().MemoryBytes) }),
	}
}

// ScheduledCollector counts the scheduled articles this process published
// when their time came (summed over a network's processes, each article
// once).
func ScheduledCollector(published func() int64) prometheus.Collector {
	return prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: Namespace, Subsystem: "scheduled", Name: "published_total",
		Help: "Scheduled articles this process published when their time came."}, func() float64 { return float64(published()) })
}

// PublishDurations is the histogram of how long publications made by this
// process took, the pages they show on rendered included.
func PublishDurations() prometheus.Histogram {
	return prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: Namespace, Subsystem: "publish", Name: "duration_seconds",
		Help:    "Time to publish an article in this process (store write and pages rendered), scheduled publications included.",
		Buckets: []float64{.002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5}})
}
