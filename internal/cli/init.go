package cli

import (
	"context"
	"fmt"
)

var initCommand = command{
	name:    "init",
	summary: "create a data directory, with the demo network unless --empty",
	usage:   "[flags]",
	long: `Create the data directory and its database, applying every migration.
Unless --empty is given, a new database receives the demo network. An
existing database is only brought up to date: nothing in it is replaced.`,
	run: runInit,
}

func runInit(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	data := dataFlag(fs)
	empty := fs.Bool("empty", false, "create the database without the demo network")
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	st, err := data.open(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	sites, err := st.Sites(ctx)
	if err != nil {
		return err
	}
	if len(sites) > 0 {
		fmt.Fprintf(e.stdout, "%s already holds a network of %d site(s); its schema is up to date and nothing was replaced.\n", st.Name, len(sites))
		return nil
	}
	if err := fillDemo(ctx, st, !*empty, e.stdout); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Created %s. Start the server with: chancery serve %s\n", st.Name, data.args())
	return nil
}
