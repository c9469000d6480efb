package cli

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// listTree names every file and directory under dir, links not followed.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestExportHelp(t *testing.T) {
	out, _, err := run(t, "export", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Usage: chancery export --site HOST --out DIR", "--incremental", "--data", "--db", "--brotli-quality", "--scheme", "symbolic link", "nginx-export.conf"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}

// TestExport exports the demo site, then again incrementally: nothing
// changed, so every page is reused.
func TestExport(t *testing.T) {
	data := filepath.Join(t.TempDir(), "net")
	if _, _, err := run(t, "init", "--data", data); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "export", "embassy")
	stdout, _, err := run(t, "export", "--data", data, "--site", "embassy.localhost", "--out", out, "--brotli-quality", "4")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`Exported embassy \(embassy\.localhost\), en, zh, to .+ in .+: \d+ addresses, \d+ files, [\d.]+ MB\.`).MatchString(stdout) {
		t.Errorf("output:\n%s", stdout)
	}
	for _, f := range []string{"en/index.html", "zh/index.html", "en/feed.xml", "en/feed.xml.gz", "en/feed.xml.br", "robots.txt", "sitemap.xml", "404.html", "zh/404.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	robots, _ := os.ReadFile(filepath.Join(out, "robots.txt"))
	if !strings.Contains(string(robots), "Sitemap: https://embassy.localhost/sitemap.xml") {
		t.Errorf("robots.txt:\n%s", robots)
	}
	stdout, _, err = run(t, "export", "--data", data, "--site", "embassy.localhost", "--out", out, "--incremental", "--brotli-quality", "4")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`Incremental: 0 pages written, \d+ reused from the previous export\.`).MatchString(stdout) {
		t.Errorf("incremental output:\n%s", stdout)
	}
	// --incremental without a previous export writes everything.
	stdout, _, err = run(t, "export", "--data", data, "--site", "un.localhost", "--out", filepath.Join(t.TempDir(), "un"), "--incremental", "--brotli-quality", "0", "--scheme", "http")
	if err != nil || !strings.Contains(stdout, "there was no previous export") {
		t.Errorf("first incremental export: %v\n%s", err, stdout)
	}
}

// TestExportRefuses gives every kind of bad input: each is refused with a
// sentence saying what to do, and nothing is written.
func TestExportRefuses(t *testing.T) {
	data := filepath.Join(t.TempDir(), "net")
	if _, _, err := run(t, "init", "--data", data); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "site.html")
	if err := os.WriteFile(file, []byte("not an export"), 0o644); err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(dir, "full")
	os.MkdirAll(full, 0o755)
	os.WriteFile(filepath.Join(full, "index.html"), []byte("someone's site"), 0o644)
	before := listTree(t, dir)
	beforeData := listTree(t, data)
	for _, c := range []struct {
		name  string
		args  []string
		want  []string
		usage bool
	}{
		{"no --site", []string{"--out", filepath.Join(dir, "x")}, []string{"--site HOST"}, true},
		{"no --out", []string{"--site", "un.localhost"}, []string{"--out DIR"}, true},
		{"neither", nil, []string{"--site HOST", "--out DIR"}, true},
		{"unknown site", []string{"--site", "nope.example.org", "--out", filepath.Join(dir, "x")},
			[]string{`no site answers on "nope.example.org"`, "un.localhost", "embassy.localhost", "Nothing was written"}, false},
		{"out is a file", []string{"--site", "un.localhost", "--out", file}, []string{"is a file, not a directory", "Nothing was written"}, false},
		{"out holds files", []string{"--site", "un.localhost", "--out", full}, []string{"already holds files"}, false},
		{"out is the data directory", []string{"--site", "un.localhost", "--out", data}, []string{"inside the data directory"}, false},
		{"out inside the data directory", []string{"--site", "un.localhost", "--out", filepath.Join(data, "export")}, []string{"inside the data directory", "outside"}, false},
		{"out inside, by another path", []string{"--site", "un.localhost", "--out", filepath.Join(data, "..", filepath.Base(data), "export")}, []string{"inside the data directory"}, false},
		{"bad scheme", []string{"--site", "un.localhost", "--out", filepath.Join(dir, "x"), "--scheme", "ftp"}, []string{"https or http"}, true},
		{"bad brotli quality", []string{"--site", "un.localhost", "--out", filepath.Join(dir, "x"), "--brotli-quality", "12"}, []string{"1 to 11"}, true},
		{"missing data directory", []string{"--data", filepath.Join(dir, "none"), "--site", "un.localhost", "--out", filepath.Join(dir, "x")}, []string{"no Chancery network"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"export", "--data", data}, c.args...)
			_, _, err := run(t, args...)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			var u *UsageError
			if errors.As(err, &u) != c.usage {
				t.Errorf("usage error: %v, want %v", errors.As(err, &u), c.usage)
			}
			if after := listTree(t, dir); strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Errorf("files were written:\n%s", strings.Join(after, "\n"))
			}
			for _, p := range listTree(t, data) {
				if !strings.HasPrefix(filepath.Base(p), "chancery.db") && !contains(beforeData, p) {
					t.Errorf("%s was written in the data directory", p)
				}
			}
		})
	}

	t.Run("not writable", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("running as root, which may write in a read-only directory; run the tests as another user to check this case")
		}
		ro := filepath.Join(t.TempDir(), "ro")
		os.MkdirAll(ro, 0o555)
		t.Cleanup(func() { os.Chmod(ro, 0o755) })
		_, _, err := run(t, "export", "--data", data, "--site", "un.localhost", "--out", filepath.Join(ro, "un"))
		if err == nil || !strings.Contains(err.Error(), "permission denied") || !strings.Contains(err.Error(), "--out") {
			t.Fatalf("err = %v", err)
		}
		if entries, _ := os.ReadDir(ro); len(entries) != 0 {
			t.Errorf("wrote %v", entries)
		}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
