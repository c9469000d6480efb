package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestReindex(t *testing.T) {
	data := filepath.Join(t.TempDir(), "net")
	if _, _, err := run(t, "reindex", "--data", data); err == nil || !strings.Contains(err.Error(), "chancery init") {
		t.Fatalf("reindex without a network: %v", err)
	}
	if _, _, err := run(t, "init", "--data", data); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "reindex", "--data", data)
	if err != nil {
		t.Fatalf("reindex: %v", err)
	}
	m := regexp.MustCompile(`Indexed (\d+) articles .* Text [\d.]+ MB, index [\d.]+ MB \(([\d.]+) × the text\)`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" || m[2] == "0.00" {
		t.Fatalf("reindex output = %q", out)
	}
	if !strings.Contains(out, "indexed") || !strings.Contains(out, "of "+m[1]) {
		t.Fatalf("no progress in %q", out)
	}
}
