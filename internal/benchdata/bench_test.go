package benchdata

import (
	"context"
	"path/filepath"
	"testing"

	"chancery/internal/store/sqlite"
)

// BenchmarkGenerate writes 2,000 pieces into a fresh SQLite store per
// iteration: go test -run '^$' -bench Generate -cpuprofile cpu.out ./internal/benchdata
func BenchmarkGenerate(b *testing.B) {
	const pieces = 2000
	for b.Loop() {
		b.StopTimer()
		st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "chancery.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := Generate(context.Background(), st, Options{Articles: pieces}, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(pieces)*float64(b.N)/b.Elapsed().Seconds(), "pieces/s")
}

// BenchmarkCompose composes pieces without rendering or storing them.
func BenchmarkCompose(b *testing.B) {
	o, _ := Options{Articles: 100000}.normalize()
	c := newComposer()
	i := 0
	for b.Loop() {
		c.build(&o, i%o.Articles, o.Articles)
		i++
	}
}

// BenchmarkRender renders the bodies of composed pieces.
func BenchmarkRender(b *testing.B) {
	o, _ := Options{Articles: 100000}.normalize()
	c := newComposer()
	ps := make([]piece, 100)
	for i := range ps {
		ps[i] = c.build(&o, i*997, o.Articles)
	}
	i := 0
	for b.Loop() {
		pc := ps[i%len(ps)]
		pc.render()
		i++
	}
}
