package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"chancery/internal/store/postgres"
	"chancery/internal/store/sqlite"
)

// Version is set at build time with -ldflags "-X chancery/internal/cli.Version=v1.2.3".
var Version = "dev"

var versionCommand = command{
	name:    "version",
	summary: "print the version of this binary",
	usage:   "",
	long:    `Print the version, the commit it was built from when known, the Go version and the database schema version this binary knows.`,
	run: func(ctx context.Context, c command, e *env, args []string) error {
		fs := flagSet(c, e)
		if help, err := parseFlags(fs, e, args); help || err != nil {
			return err
		}
		commit := ""
		if info, ok := debug.ReadBuildInfo(); ok {
			for _, s := range info.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					commit = " (" + s.Value[:12] + ")"
				}
			}
		}
		fmt.Fprintf(e.stdout, "chancery %s%s, %s, schema %d (SQLite), %d (PostgreSQL)\n", Version, commit, runtime.Version(), sqlite.SchemaVersion(), postgres.SchemaVersion())
		return nil
	},
}
