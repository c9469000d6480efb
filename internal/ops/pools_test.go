package ops_test

import (
	"database/sql"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"chancery/internal/ops"
)

func TestPoolCollector(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(ops.PoolCollector(func() map[string]sql.DBStats {
		return map[string]sql.DBStats{"write": {MaxOpenConnections: 1, InUse: 1, Idle: 0, WaitCount: 7, WaitDuration: 1500 * time.Millisecond}}
	}))
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			key := f.GetName()
			for _, l := range m.GetLabel() {
				key += " " + l.GetName() + "=" + l.GetValue()
			}
			got[key] = m.GetGauge().GetValue() + m.GetCounter().GetValue()
		}
	}
	for key, want := range map[string]float64{
		"chancery_db_connections pool=write state=in_use": 1,
		"chancery_db_connections pool=write state=idle":   0,
		"chancery_db_connections_max pool=write":          1,
		"chancery_db_waits_total pool=write":              7,
		"chancery_db_wait_seconds_total pool=write":       1.5,
	} {
		if v, ok := got[key]; !ok || v != want {
			t.Errorf("%s = %v (present %v); want %v", key, v, ok, want)
		}
	}
	if len(got) != 5 {
		t.Errorf("gathered %v; want five series", got)
	}
}
