package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseSettings(t *testing.T) {
	good := `# Chancery settings
addr = 127.0.0.1:8080

  smtp-host=mail.example.org   
--theme = /srv/theme
smtp-from = "News <news@example.org> # not a comment"
db = postgres://chancery@db.example.org/chancery?sslmode=require
`
	got, err := parseSettings(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]setting{
		"addr":      {"127.0.0.1:8080", 2},
		"smtp-host": {"mail.example.org", 4},
		"theme":     {"/srv/theme", 5},
		"smtp-from": {"News <news@example.org> # not a comment", 6},
		"db":        {"postgres://chancery@db.example.org/chancery?sslmode=require", 7},
	}
	if len(got) != len(want) {
		t.Fatalf("parsed %v; want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %+v; want %+v", k, got[k], v)
		}
	}
	for _, c := range []struct{ text, want string }{
		{"addr 127.0.0.1", "line 1: \"addr 127.0.0.1\" is not a setting"},
		{"# x\n= value", "line 2: \"= value\" is not a setting"},
		{"addr = a\naddr = b", "line 2: addr is set already on line 1"},
		{`smtp-from = "unclosed`, "line 1: the value of smtp-from starts with a quote but is not a quoted string"},
	} {
		if _, err := parseSettings(strings.NewReader(c.text)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v; want %q", c.text, err, c.want)
		}
	}
}

func FuzzParseSettings(f *testing.F) {
	f.Add("addr = 127.0.0.1:8080\n# comment\nsmtp-from = \"a b\"\n")
	f.Add("=\n==\n\"\"=\"")
	f.Fuzz(func(t *testing.T, text string) {
		got, err := parseSettings(strings.NewReader(text))
		if err != nil {
			return
		}
		for name, s := range got {
			if name == "" || name != strings.TrimSpace(name) || strings.HasPrefix(name, "#") || s.line < 1 {
				t.Fatalf("accepted setting %q = %+v from %q", name, s, text)
			}
		}
	})
}

// TestSettingsFileAndEnvironment: a command takes its settings from the
// file named by --config or $CHANCERY_CONFIG, the environment wins over
// the file and the command line over both; settings of other commands are
// accepted, unknown names and per-run flags refused with the line.
func TestSettingsFileAndEnvironment(t *testing.T) {
	data := t.TempDir()
	if _, _, err := run(t, "init", "--data", data); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "chancery.conf")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// smtp-host is serve's; site list ignores it.
	write("# the network\ndata = " + data + "\nsmtp-host = mail.example.org\n")
	out, _, err := run(t, "site", "list", "--config", conf)
	if err != nil || !strings.Contains(out, "un.localhost") {
		t.Fatalf("site list with data from --config: %q, %v", out, err)
	}
	t.Setenv(configEnv, conf)
	if out, _, err := run(t, "site", "list"); err != nil || !strings.Contains(out, "un.localhost") {
		t.Fatalf("site list with data from $%s: %q, %v", configEnv, out, err)
	}

	empty := t.TempDir()
	t.Setenv("CHANCERY_DATA", empty)
	if _, _, err := run(t, "site", "list"); err == nil || !strings.Contains(err.Error(), empty) {
		t.Fatalf("site list with $CHANCERY_DATA over the file: %v; want the environment's (empty) directory", err)
	}
	if out, _, err := run(t, "site", "list", "--data", data); err != nil || !strings.Contains(out, "un.localhost") {
		t.Fatalf("site list with --data over the environment: %q, %v", out, err)
	}
	os.Unsetenv("CHANCERY_DATA")

	// Settings are not changes: site edit with nothing of the site to
	// change says so, whatever the file and environment hold.
	if _, _, err := run(t, "site", "edit", "un", "--config", conf); err == nil || !strings.Contains(err.Error(), "nothing to change") {
		t.Fatalf("site edit with only settings: %v; want nothing to change", err)
	}
	// --data on the command line wins over a database URL set elsewhere.
	t.Setenv(databaseEnv, "postgres://nobody@127.0.0.1:1/none")
	if out, _, err := run(t, "site", "list", "--data", data); err != nil || !strings.Contains(out, "un.localhost") {
		t.Fatalf("site list --data with $%s set: %q, %v", databaseEnv, out, err)
	}
	os.Unsetenv(databaseEnv)

	t.Setenv("CHANCERY_SEARCH_RATE", "many")
	if _, _, err := run(t, "serve", "--data", data, "--addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "$CHANCERY_SEARCH_RATE") {
		t.Fatalf("serve with a bad $CHANCERY_SEARCH_RATE: %v; want it named", err)
	}
	os.Unsetenv("CHANCERY_SEARCH_RATE")

	for text, want := range map[string]string{
		"data = " + data + "\nsmtp-hots = x\n": "line 2: no command has a setting \"smtp-hots\"",
		"withdraw = true\n":                    "line 1: withdraw says what one run acts on",
		"page-memory = lots\n":                 "line 1: page-memory = \"lots\" is not a usable --page-memory",
		"data\n":                               "line 1: \"data\" is not a setting",
	} {
		write(text)
		_, _, err := run(t, "serve", "--addr", "127.0.0.1:0")
		if err == nil || !strings.Contains(err.Error(), conf) || !strings.Contains(err.Error(), want) {
			t.Errorf("settings %q: %v; want %q", text, err, want)
		}
	}
	t.Setenv(configEnv, filepath.Join(t.TempDir(), "missing.conf"))
	if _, _, err := run(t, "version"); err == nil || !strings.Contains(err.Error(), "cannot read the settings file") {
		t.Errorf("a missing settings file: %v", err)
	}
}

// TestKnownSettings: the settings are every command's flags but those
// naming what one run acts on.
func TestKnownSettings(t *testing.T) {
	known := knownSettings()
	for _, name := range []string{"addr", "data", "db", "smtp-host", "smtp-timeout", "page-memory", "brotli-quality", "trusted-proxy"} {
		if !slices.Contains(known, name) {
			t.Errorf("%s is not a setting: %v", name, known)
		}
	}
	for name := range perRun {
		if slices.Contains(known, name) {
			t.Errorf("%s, a per-run flag, is a setting", name)
		}
	}
}
