package ops

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"chancery/internal/store"
)

// outboxCollector reports the outbox of every site, read at each scrape.
type outboxCollector struct {
	counts func(context.Context) (store.MailCounts, error)
	desc   *prometheus.Desc
	up     *prometheus.Desc
}

// OutboxCollector exports how many "suggest to a friend" messages are
// queued, retrying, delivered and failed, from counts (the store's
// MailCounts for every site).
func OutboxCollector(counts func(context.Context) (store.MailCounts, error)) prometheus.Collector {
	return &outboxCollector{
		counts: counts,
		desc: prometheus.NewDesc(Namespace+"_outbox_messages", "Messages in the mail outbox, by state.",
			[]string{"state"}, nil),
		up: prometheus.NewDesc(Namespace+"_outbox_readable", "1 when the outbox could be read at this scrape, 0 when not.", nil, nil),
	}
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc; ch <- c.up }

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, err := c.counts(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	for state, v := range map[string]int{"queued": n.Queued, "retrying": n.Retrying, "delivered": n.Delivered, "failed": n.Failed} {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(v), state)
	}
}
