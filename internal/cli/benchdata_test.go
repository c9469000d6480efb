package cli

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestBenchData(t *testing.T) {
	data := filepath.Join(t.TempDir(), "bench")
	out, _, err := run(t, "bench-data", "--data", data, "--articles", "150")
	if err != nil {
		t.Fatalf("bench-data: %v", err)
	}
	for _, want := range []string{"generated 150 of 150 articles", "Generated 150 articles", "in English", "in Chinese", "chancery serve --data " + data, "http://bench.localhost:8080/"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench-data output lacks %q:\n%s", want, out)
		}
	}
	if list, _, _ := run(t, "site", "list", "--data", data); !strings.Contains(list, "bench.localhost") {
		t.Fatalf("site list after bench-data: %q", list)
	}
	if _, _, err := run(t, "bench-data", "--data", data, "--articles", "10"); err == nil || !strings.Contains(err.Error(), "already holds a network") {
		t.Fatalf("bench-data into a full network: %v", err)
	}

	var usage *UsageError
	for name, args := range map[string][]string{
		"no --articles":  {},
		"zero":           {"--articles", "0"},
		"too many":       {"--articles", "2000001"},
		"French":         {"--articles", "10", "--languages", "en,fr"},
		"twice":          {"--articles", "10", "--languages", "en,en"},
		"stray argument": {"--articles", "10", "extra"},
		"not a number":   {"--articles", "ten"},
	} {
		empty := filepath.Join(t.TempDir(), "empty")
		if _, _, err := run(t, append([]string{"bench-data", "--data", empty}, args...)...); !errors.As(err, &usage) {
			t.Errorf("%s: %v; want a usage error", name, err)
		}
	}
	if out, _, err := run(t, "bench-data", "--help"); err != nil || !strings.Contains(out, "--articles") {
		t.Fatalf("help: %q, %v", out, err)
	}
}
