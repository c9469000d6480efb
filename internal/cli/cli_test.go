package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"chancery/internal/site"
	"chancery/internal/store/sqlite"
	"chancery/internal/theme"
)

// run runs the command line and returns what it printed.
func run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = Run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func TestHelp(t *testing.T) {
	out, _, err := run(t, "help")
	if err != nil || !strings.Contains(out, "serve") || !strings.Contains(out, "site") || !strings.Contains(out, "version") || !strings.Contains(out, "init") {
		t.Fatalf("help = %q, %v", out, err)
	}
	for _, cmd := range [][]string{{"serve", "--help"}, {"init", "-h"}, {"site", "--help"}, {"site", "add", "--help"}, {"site", "edit", "--help"}, {"site", "list", "--help"}, {"version", "--help"}} {
		out, _, err := run(t, cmd...)
		if err != nil || !strings.Contains(out, "Usage: chancery "+cmd[0]) {
			t.Errorf("%v: %q, %v", cmd, out, err)
		}
		if !strings.Contains(out, "--data") && cmd[0] != "version" && !(cmd[0] == "site" && len(cmd) == 2) {
			t.Errorf("%v does not document --data: %q", cmd, out)
		}
	}
	var usage *UsageError
	if _, _, err := run(t, "publish-everything"); !errors.As(err, &usage) {
		t.Fatalf("unknown command: %v; want a usage error", err)
	}
	if _, _, err := run(t, "serve", "--no-such-flag"); !errors.As(err, &usage) {
		t.Fatalf("unknown flag: %v; want a usage error", err)
	}
}

func TestVersion(t *testing.T) {
	out, _, err := run(t, "version")
	if err != nil || !strings.HasPrefix(out, "chancery ") || !strings.Contains(out, fmt.Sprintf("schema %d", sqlite.SchemaVersion())) {
		t.Fatalf("version = %q, %v", out, err)
	}
}

func TestInitAndSites(t *testing.T) {
	data := filepath.Join(t.TempDir(), "net")
	if _, _, err := run(t, "site", "list", "--data", data); err == nil || !strings.Contains(err.Error(), "chancery init") {
		t.Fatalf("site list before init: %v; want advice to run init", err)
	}
	out, _, err := run(t, "init", "--data", data, "--empty")
	if err != nil || !strings.Contains(out, "Created") {
		t.Fatalf("init: %q, %v", out, err)
	}
	out, _, err = run(t, "site", "list", "--data", data)
	if err != nil || !strings.Contains(out, "no sites") {
		t.Fatalf("site list on an empty network: %q, %v", out, err)
	}
	_, _, err = run(t, "site", "add", "--data", data, "--key", "paris", "--host", "Paris.Example.org,www.paris.example.org",
		"--languages", "fr,en,zh", "--name", "fr=Ambassade à Paris", "--name", "en=Embassy in Paris", "--name", "zh=驻巴黎大使馆",
		"--time-zone", "Europe/Paris")
	if err != nil {
		t.Fatalf("site add: %v", err)
	}
	out, _, _ = run(t, "site", "list", "--data", data)
	for _, want := range []string{"paris", "paris.example.org,www.paris.example.org", "fr*,en,zh", "Europe/Paris", "Ambassade à Paris"} {
		if !strings.Contains(out, want) {
			t.Fatalf("site list = %q; missing %q", out, want)
		}
	}

	refused := map[string][]string{
		"duplicate host": {"--key", "other", "--host", "www.PARIS.example.org", "--name", "en=Other"},
		"unknown zone":   {"--key", "mars", "--host", "mars.example.org", "--name", "en=Mars", "--time-zone", "Mars/Olympus"},
		"unknown tag":    {"--key", "xx", "--host", "xx.example.org", "--languages", "en,xx", "--name", "en=X", "--name", "xx=X"},
		"missing name":   {"--key", "noname", "--host", "noname.example.org", "--languages", "en,zh", "--name", "en=Only English"},
		"bad host":       {"--key", "badhost", "--host", "https://bad.example.org/", "--name", "en=Bad"},
	}
	for name, args := range refused {
		_, _, err := run(t, append([]string{"site", "add", "--data", data}, args...)...)
		if err == nil || !strings.Contains(err.Error(), "nothing was written") {
			t.Errorf("%s: %v; want a refusal saying nothing was written", name, err)
		}
	}
	_, _, err = run(t, "site", "add", "--data", data, "--key", "mars", "--host", "mars.example.org", "--name", "en=Mars", "--time-zone", "Mars/Olympus")
	if err == nil || !strings.Contains(err.Error(), "--time-zone") || !strings.Contains(err.Error(), "Mars/Olympus") {
		t.Fatalf("unknown zone message = %v; want it to name the flag and the value", err)
	}
	out, _, _ = run(t, "site", "list", "--data", data)
	if strings.Count(out, "\n") != 3 { // header, paris, footnote
		t.Fatalf("refused sites were written: %q", out)
	}

	if _, _, err := run(t, "site", "edit", "paris", "--data", data, "--time-zone", "Asia/Tokyo", "--host", "tokyo.example.org"); err != nil {
		t.Fatalf("site edit: %v", err)
	}
	out, _, _ = run(t, "site", "list", "--data", data)
	if !strings.Contains(out, "Asia/Tokyo") || !strings.Contains(out, "tokyo.example.org") || strings.Contains(out, "paris.example.org") {
		t.Fatalf("after edit: %q", out)
	}
	if _, _, err := run(t, "site", "edit", "nowhere", "--data", data, "--time-zone", "UTC"); err == nil || !strings.Contains(err.Error(), "no site with key") {
		t.Fatalf("edit of an unknown site: %v", err)
	}
	if _, _, err := run(t, "site", "edit", "paris", "--data", data, "--languages", "en,qq"); err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("edit with a bad tag: %v", err)
	}
}

// TestRefusesForeignData checks the messages for a data directory whose
// database Chancery cannot use, and that the file is left alone.
func TestRefusesForeignData(t *testing.T) {
	for name, c := range map[string]struct {
		content []byte
		want    string
	}{
		"damaged":   {[]byte("definitely not SQLite"), "damaged or is not a database"},
		"truncated": {append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{1}, 200)...), "damaged or is not a database"},
	} {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			path := filepath.Join(data, dbFile)
			if err := os.WriteFile(path, c.content, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"serve", "--addr", "127.0.0.1:0"}, {"site", "list"}, {"init"}} {
				_, _, err := run(t, append(args, "--data", data)...)
				if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "not changed") {
					t.Errorf("%v: %v; want a message naming %s", args, err, path)
				}
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, c.content) {
				t.Fatal("the file was changed")
			}
		})
	}
}

func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, _, err = run(t, "serve", "--data", t.TempDir(), "--addr", ln.Addr().String())
	if err == nil || !strings.Contains(err.Error(), ln.Addr().String()) || !strings.Contains(err.Error(), "already in use") {
		t.Fatalf("serve on a busy address: %v; want a message naming it", err)
	}
}

// TestServeStartsAndStops serves the demo network on a free port, checks
// that the addresses are printed and a page answers, then stops it the way
// Ctrl+C does.
func TestServeStartsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0"}, out, &syncBuffer{})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Press Ctrl+C") {
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no addresses: %q", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{"loaded the demo network", "http://localhost:", "http://un.localhost:", "http://embassy.localhost:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve output lacks %q: %q", want, out.String())
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after Ctrl+C: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestExplainOpenPermission: a database file this user may not read is
// named once, with what to do (as root the refusal cannot be made for
// real, so the error is the one os.Open returns).
func TestExplainOpenPermission(t *testing.T) {
	name := filepath.Join("srv", "chancery", dbFile)
	err := explainOpen(name, &fs.PathError{Op: "open", Path: name, Err: syscall.EACCES}).Error()
	if strings.Count(err, name) != 1 || !strings.Contains(err, "permission denied") || !strings.Contains(err, "owns the data directory") {
		t.Errorf("got %q; want the file named once, the cause and the remedy", err)
	}
}

// TestRenderFingerprint: every setting that changes the bytes of a page
// changes the fingerprint its stored pages carry, so serve started with
// another one drops them instead of serving them stale (pages link the
// share form only when mail is set up).
func TestRenderFingerprint(t *testing.T) {
	th, err := theme.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	https := site.PublicOrigin{Scheme: "https", Port: 443}
	base, err := renderFingerprint(th, https, "localhost", false)
	if err != nil {
		t.Fatal(err)
	}
	for name, other := range map[string]func() (string, error){
		"share form": func() (string, error) { return renderFingerprint(th, https, "localhost", true) },
		"scheme": func() (string, error) {
			return renderFingerprint(th, site.PublicOrigin{Scheme: "http", Port: 80}, "localhost", false)
		},
		"port": func() (string, error) {
			return renderFingerprint(th, site.PublicOrigin{Scheme: "https", Port: 8443}, "localhost", false)
		},
		"network": func() (string, error) { return renderFingerprint(th, https, "network.example.org", false) },
	} {
		if f, err := other(); err != nil || f == base {
			t.Errorf("another %s: fingerprint %q (%v), the same as %q", name, f, err, base)
		}
	}
	if again, _ := renderFingerprint(th, https, "localhost", false); again != base {
		t.Errorf("the same settings give %q and %q", base, again)
	}
}

// TestFlagsAfterArguments: a flag after an argument counts (the flag
// package alone stops at the first argument, so "publish 5 --data DIR"
// withdrew article 5 of ./chancery-data instead), and an argument a
// command does not take is refused, not ignored.
func TestFlagsAfterArguments(t *testing.T) {
	here, there := t.TempDir(), filepath.Join(t.TempDir(), "there")
	t.Chdir(here)
	if _, _, err := run(t, "init"); err != nil { // ./chancery-data
		t.Fatal(err)
	}
	if _, _, err := run(t, "init", "--data", there); err != nil {
		t.Fatal(err)
	}
	zone := func(dir string) string {
		out, _, err := run(t, "site", "list", "--data", dir)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := zone("chancery-data")
	if _, _, err := run(t, "site", "edit", "--time-zone", "America/Lima", "un", "--data", there); err != nil {
		t.Fatal(err)
	}
	if zone("chancery-data") != before || !strings.Contains(zone(there), "America/Lima") {
		t.Errorf("site edit with --data after the key changed ./chancery-data, or not %s", there)
	}
	for _, args := range [][]string{
		{"publish", "5", "6", "--data", there},
		{"site", "edit", "un", "embassy", "--data", there},
		{"site", "list", "--data", there, "un"},
		{"user", "list", "--data", there, "everyone"},
		{"reindex", "now", "--data", there},
	} {
		if _, _, err := run(t, args...); err == nil || !strings.Contains(err.Error(), "unexpected argument") {
			t.Errorf("%q: %v; want the extra argument refused", args, err)
		}
	}
}

// TestLanguageWithArticlesStays: a site edit that would remove a language
// its articles are written in is refused, changing nothing; a language
// without articles may go.
func TestLanguageWithArticlesStays(t *testing.T) {
	data := filepath.Join(t.TempDir(), "net")
	if _, _, err := run(t, "init", "--data", data); err != nil { // the demo network
		t.Fatal(err)
	}
	before, _, _ := run(t, "site", "list", "--data", data)
	_, _, err := run(t, "site", "edit", "un", "--languages", "en", "--data", data)
	if err == nil || !strings.Contains(err.Error(), `article(s) in "zh"`) || !strings.Contains(err.Error(), "Nothing was changed") {
		t.Fatalf("removing a language with articles: %v; want a refusal", err)
	}
	if after, _, _ := run(t, "site", "list", "--data", data); after != before {
		t.Fatalf("a refused edit changed the sites:\n%s\n%s", before, after)
	}
	if _, _, err := run(t, "site", "edit", "un", "--languages", "en,zh,fr", "--name", "fr=Mission", "--data", data); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "site", "edit", "un", "--languages", "en,zh", "--data", data); err != nil {
		t.Fatalf("removing a language without articles: %v", err)
	}
}
