package cli

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Every setting (a flag of any command but the perRun ones) can also be
// given in the environment, as CHANCERY_ and the flag's name in capitals
// with underscores (--smtp-host: CHANCERY_SMTP_HOST; --db keeps its
// CHANCERY_DATABASE_URL), and in a settings file named by --config or
// CHANCERY_CONFIG, one "name = value" a line. A flag on the command line wins over the
// environment, which wins over the file. One file serves every command:
// each takes the settings that are its flags, and a name that is no
// command's flag is refused, so that a misspelling is not silently
// ignored. docs/configuration.md describes it.

// configEnv names the settings file when --config is not given.
const configEnv = "CHANCERY_CONFIG"

// perRun are the flags that say what one run acts on (a site, an article,
// a file, an address to test), not how the program is set up: they are
// taken from the command line only, so that a setting left in the
// environment or the file cannot make every "chancery publish" withdraw or
// every "chancery backup" overwrite.
var perRun = map[string]bool{
	"config": true, "to": true, "from": true, "key": true, "name": true, "host": true, "site": true, "out": true,
	"force": true, "withdraw": true, "reason": true, "empty": true, "languages": true, "default-language": true, "time-zone": true,
	"feed": true, "articles": true, "seed": true, "samples": true, "addresses": true, "channels": true,
	"format": true, "report": true, "email": true, "role": true, "network-admin": true, "language": true,
}

// envName is the environment variable of a flag.
func envName(flagName string) string {
	if flagName == "db" {
		return databaseEnv
	}
	return "CHANCERY_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// setting is one line of a settings file.
type setting struct {
	value string
	line  int
}

// parseSettings reads a settings file: blank lines and lines starting
// with # are skipped; every other line is name = value, the value taken
// as it is after trimming spaces, or as a Go-quoted string when it starts
// with a double quote (for values with spaces at their ends or a #).
func parseSettings(r io.Reader) (map[string]setting, error) {
	settings := map[string]setting{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" {
			return nil, fmt.Errorf("line %d: %q is not a setting; write name = value, such as addr = 127.0.0.1:8080", n, clipText(line, 60))
		}
		name = strings.TrimPrefix(name, "--")
		if strings.HasPrefix(value, `"`) {
			v, err := strconv.Unquote(value)
			if err != nil {
				return nil, fmt.Errorf("line %d: the value of %s starts with a quote but is not a quoted string: %s", n, name, clipText(value, 60))
			}
			value = v
		}
		if prev, dup := settings[name]; dup {
			return nil, fmt.Errorf("line %d: %s is set already on line %d; keep one", n, name, prev.line)
		}
		settings[name] = setting{value: value, line: n}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return settings, nil
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// everyCommand is commands, set in init: the commands' run functions
// reach knownSettings, which must not make their variables' initialization
// depend on themselves.
var everyCommand func() []command

func init() { everyCommand = commands }

// knownSettings returns the names of every command's flags, asked of the
// commands themselves (see env.collect).
var knownSettings = sync.OnceValue(func() []string {
	names := map[string]bool{}
	e := &env{stdout: io.Discard, stderr: io.Discard, collect: func(fs *flag.FlagSet) {
		fs.VisitAll(func(f *flag.Flag) {
			if !perRun[f.Name] {
				names[f.Name] = true
			}
		})
	}}
	for _, c := range everyCommand() {
		c.run(context.Background(), c, e, nil)
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	slices.Sort(list)
	return list
})

// applySettings gives every flag not on the command line its value from
// the environment or, failing that, from the settings file.
func applySettings(fs *flag.FlagSet) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var file map[string]setting
	path := ""
	if f := fs.Lookup("config"); f != nil {
		path = f.Value.String()
	}
	if path == "" {
		path = strings.TrimSpace(os.Getenv(configEnv))
	}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return usageErr("cannot read the settings file: %v. Give a readable file with --config or $%s", err, configEnv)
		}
		if file, err = parseSettings(bytes.NewReader(b)); err != nil {
			return usageErr("settings file %s, %v", path, err)
		}
		known := knownSettings()
		for name, s := range file {
			if perRun[name] {
				return usageErr("settings file %s, line %d: %s says what one run acts on; give it on the command line (--%s)", path, s.line, name, name)
			}
			if !slices.Contains(known, name) {
				return usageErr("settings file %s, line %d: no command has a setting %q. The settings are: %s", path, s.line, name, strings.Join(known, ", "))
			}
		}
	}
	// --data on the command line names the network: a db setting in the
	// environment or the file (or --db's own default, $CHANCERY_DATABASE_URL)
	// must not send the command to another one.
	dataGiven := given["data"] && !given["db"]
	if f := fs.Lookup("db"); f != nil && dataGiven {
		if err := f.Value.Set(""); err != nil {
			return err
		}
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || given[f.Name] || perRun[f.Name] || (f.Name == "db" && dataGiven) {
			return
		}
		if v, ok := os.LookupEnv(envName(f.Name)); ok && strings.TrimSpace(v) != "" {
			if e := fs.Set(f.Name, strings.TrimSpace(v)); e != nil {
				err = usageErr("$%s=%q is not a usable --%s: %v", envName(f.Name), v, f.Name, e)
			}
			return
		}
		if s, ok := file[f.Name]; ok {
			if e := fs.Set(f.Name, s.value); e != nil {
				err = usageErr("settings file %s, line %d: %s = %q is not a usable --%s: %v", path, s.line, f.Name, s.value, f.Name, e)
			}
		}
	})
	return err
}
