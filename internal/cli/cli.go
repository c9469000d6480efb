// Package cli is the chancery command line: one file per subcommand, each
// with its own flag set and --help. Run is a plain function so that every
// subcommand can be tested without starting a process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	// usage is the argument synopsis after the command's name.
	usage string
	// long describes the command in --help.
	long string
	run  func(ctx context.Context, c command, e *env, args []string) error
}

// env is what every command writes to.
type env struct {
	stdout, stderr io.Writer
	// collect, when set, is given each command's flag set instead of
	// running the command (knownSettings lists the flags this way).
	collect func(*flag.FlagSet)
}

// UsageError is returned for words the command line does not understand;
// main exits with status 2 for it.
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

func usageErr(format string, args ...any) error {
	return &UsageError{msg: fmt.Sprintf(format, args...)}
}

func commands() []command {
	return []command{serveCommand, initCommand, siteCommand, reindexCommand, searchCheckCommand, versionCommand, benchDataCommand, backupCommand, restoreCommand, mailCommand, publishCommand, exportCommand, importCommand, dbCommand, userCommand}
}

// Run runs the subcommand named by args[0] with the rest of args.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			return Run(ctx, []string{args[1], "--help"}, stdout, stderr)
		}
		printOverview(stdout)
		if len(args) == 0 {
			return usageErr("no command given")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, c, e, args[1:])
		}
	}
	return usageErr("unknown command %q; run \"chancery help\" for the list", args[0])
}

func printOverview(w io.Writer) {
	fmt.Fprintln(w, "chancery publishes the bilingual websites of a network of diplomatic missions.")
	fmt.Fprintln(w, "\nUsage: chancery <command> [flags]\n\nCommands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"chancery <command> --help\" for a command's flags.")
}

// flagSet makes a command's flag set whose --help prints the command's
// description and flags to stdout.
func flagSet(c command, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("chancery "+c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: chancery %s %s\n\n%s\n", c.name, c.usage, strings.TrimSpace(c.long))
		has := false
		fs.VisitAll(func(*flag.Flag) { has = true })
		if has {
			// The flag package prints -name; people type --name.
			var defaults strings.Builder
			fs.SetOutput(&defaults)
			fs.PrintDefaults()
			fs.SetOutput(w)
			fmt.Fprint(w, "\nFlags:\n"+strings.ReplaceAll("\n"+defaults.String(), "\n  -", "\n  --")[1:])
			fmt.Fprintf(w, "\nSettings may also be given in the environment (CHANCERY_ and the flag's name in capitals,\nsuch as CHANCERY_DATA) or in the --config file; the command line wins, then the environment.\nFlags naming what one run acts on (--site, --out, --to, --withdraw…) are command-line only.\n")
		}
	}
	fs.String("config", "", "settings `file`: name = value lines for any command's flags (see docs/configuration.md) (default $"+configEnv+")")
	return fs
}

// parse parses args, printing help to stdout for --help (a success) and
// turning other mistakes into a UsageError.
func parse(fs *flag.FlagSet, e *env, args []string) (help bool, err error) {
	if e.collect != nil {
		e.collect(fs)
		return true, nil
	}
	fs.SetOutput(io.Discard)
	// Flags count wherever they stand: "publish 5 --data DIR" must not
	// act on ./chancery-data because the flag package stops at the first
	// argument that is not a flag. The arguments are gathered and handed
	// back as fs.Args().
	var rest []string
	for {
		err = fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return true, nil
		}
		if err != nil {
			return false, usageErr("%v; run \"%s --help\" for the flags", err, fs.Name())
		}
		left := fs.Args()
		if len(left) < len(args) && args[len(args)-len(left)-1] == "--" {
			rest = append(rest, left...) // everything after "--" is an argument
			break
		}
		i := 0
		for i < len(left) && (left[i] == "-" || !strings.HasPrefix(left[i], "-")) {
			i++
		}
		rest = append(rest, left[:i]...)
		if i == len(left) {
			break
		}
		args = left[i:]
	}
	if err := fs.Parse(append([]string{"--"}, rest...)); err != nil {
		return false, err
	}
	return false, applySettings(fs)
}

// parseFlags is parse for a command that takes only flags: an argument
// is a mistake (a value whose flag was forgotten, or a typo), refused
// before anything is done.
func parseFlags(fs *flag.FlagSet, e *env, args []string) (help bool, err error) {
	if help, err = parse(fs, e, args); help || err != nil {
		return help, err
	}
	if fs.NArg() > 0 {
		return false, usageErr("unexpected argument %q: %s takes only flags; run \"%s --help\" for them", fs.Arg(0), fs.Name(), fs.Name())
	}
	return false, nil
}

// listFlag collects a flag given several times or as a comma list.
type listFlag struct {
	values []string
	set    bool
}

func (l *listFlag) String() string { return strings.Join(l.values, ",") }

func (l *listFlag) Set(s string) error {
	l.set = true
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			l.values = append(l.values, v)
		}
	}
	return nil
}

// namesFlag collects lang=text pairs.
type namesFlag struct {
	values map[string]string
}

func (n *namesFlag) String() string {
	var parts []string
	for k, v := range n.values {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func (n *namesFlag) Set(s string) error {
	lang, text, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(lang) == "" || strings.TrimSpace(text) == "" {
		return fmt.Errorf("%q should be LANG=NAME, such as en=\"Embassy of Example\"", s)
	}
	if n.values == nil {
		n.values = map[string]string{}
	}
	n.values[strings.TrimSpace(lang)] = strings.TrimSpace(text)
	return nil
}

// subcommand is one of a command's subcommands ("site add").
type subcommand struct {
	name, usage, long string
	run               func(ctx context.Context, c command, e *env, args []string) error
}

// runSubcommands runs the subcommand args[0] names, or prints the
// command's help when there is none.
func runSubcommands(ctx context.Context, c command, e *env, args []string, subs []subcommand) error {
	var names []string
	for _, s := range subs {
		names = append(names, s.name)
	}
	if e.collect != nil {
		for _, s := range subs {
			s.run(ctx, command{name: c.name + " " + s.name, usage: s.usage, long: s.long}, e, nil)
		}
		return nil
	}
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fs := flagSet(c, e)
		fs.SetOutput(e.stdout)
		fs.Usage()
		if len(args) == 0 {
			return usageErr("%s needs one of: %s", c.name, strings.Join(names, ", "))
		}
		return nil
	}
	for _, s := range subs {
		if s.name == args[0] {
			return s.run(ctx, command{name: c.name + " " + s.name, usage: s.usage, long: s.long}, e, args[1:])
		}
	}
	return usageErr("unknown %s command %q; use %s", c.name, args[0], strings.Join(names, ", "))
}
