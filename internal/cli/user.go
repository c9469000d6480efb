package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"chancery/internal/account"
	"chancery/internal/admin"
	"chancery/internal/content"
	"chancery/internal/store"
)

var userCommand = command{
	name:    "user",
	summary: "add, list and manage the back office's people",
	usage:   "add|list|set-role|reset-password|disable|enable [flags]",
	long: `Manage the people who use the back office at /admin.

  chancery user add --email press@paris.example.org --name "Li Wei" \
      --site embassy-paris --role editor
  chancery user list
  chancery user set-role --email press@paris.example.org --site embassy-paris --role author
  chancery user reset-password --email press@paris.example.org
  chancery user disable --email press@paris.example.org

No password is ever given on the command line: add and reset-password
print a one-time address (valid 24 hours) where the person chooses theirs.
Roles are per site: admin, editor, author, translator.`,
	run: runUser,
}

func runUser(ctx context.Context, c command, e *env, args []string) error {
	return runSubcommands(ctx, c, e, args, []subcommand{
		{"add", "--email ADDRESS [--name NAME] [--site SITE --role ROLE] [--network-admin]", `Add a person and print the address where they choose a password.
--site and --role give them a role on one site (more with set-role);
--network-admin makes them an administrator of every site.`, userAdd},
		{"list", "[flags]", "List every person with their roles.", userList},
		{"set-role", "--email ADDRESS --site SITE --role ROLE|none", "Give a person a role on a site, replacing the one they had there; none takes it away.", userSetRole},
		{"reset-password", "--email ADDRESS", `End the person's sessions, stop their password working, and print an
address where they choose a new one; earlier such addresses stop working.`, userResetPassword},
		{"disable", "--email ADDRESS", "Stop a person from signing in, and end their sessions. Their work stays.", userDisable},
		{"enable", "--email ADDRESS", "Let a disabled person sign in again.", userEnable},
	})
}

// userFlags are the flags the user subcommands share.
type userFlags struct {
	data  location
	email *string
	base  *string
}

func newUserFlags(fs *flag.FlagSet) userFlags {
	return userFlags{
		data:  dataFlag(fs),
		email: fs.String("email", "", "the person's e-mail `address`, with which they sign in"),
		base:  fs.String("admin-url", "http://localhost:8080", "`address` at which people reach the server, for the printed links"),
	}
}

// cliAudit is how the audit log names the command line.
const cliAudit = "(command line)"

func (f userFlags) user(ctx context.Context, q store.Queries) (account.User, error) {
	email, err := account.NormalizeEmail(*f.email)
	if err != nil {
		return account.User{}, usageErr("--email: %s", strings.TrimPrefix(err.Error(), account.ErrInvalid.Error()+": "))
	}
	u, err := q.Accounts().UserByEmail(ctx, email)
	if errors.Is(err, content.ErrNotFound) {
		return account.User{}, fmt.Errorf("no one has the address %s: see \"chancery user list\", or add them with \"chancery user add\"", email)
	}
	return u, err
}

func (f userFlags) link(path string) string { return strings.TrimRight(*f.base, "/") + path }

func userAdd(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	f := newUserFlags(fs)
	name := fs.String("name", "", "the person's `name`, as colleagues know it")
	siteName := fs.String("site", "", "`site` (key or host) on which to give a role")
	roleName := fs.String("role", "", "`role` on --site: admin, editor, author or translator")
	networkAdmin := fs.Bool("network-admin", false, "make the person an administrator of every site, who also manages people")
	lang := fs.String("language", "en", "the back office's `language` for the person: en or zh")
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if _, err := account.NormalizeEmail(*f.email); err != nil {
		return usageErr("--email: %s; give the person's address, such as name@example.org", strings.TrimPrefix(err.Error(), account.ErrInvalid.Error()+": "))
	}
	u := account.User{Email: *f.email, Name: *name, NetworkAdmin: *networkAdmin, Language: *lang}
	if err := u.Normalize(); err != nil {
		return usageErr("%s", strings.TrimPrefix(err.Error(), account.ErrInvalid.Error()+": "))
	}
	var role account.Role
	if (*siteName == "") != (*roleName == "") {
		return usageErr("give --site and --role together, or neither")
	}
	if *roleName != "" {
		var err error
		if role, err = account.ParseRole(*roleName); err != nil {
			return usageErr("--role: %v", err)
		}
	}
	st, err := f.data.open(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	var s content.Site
	if *siteName != "" {
		if s, err = findSite(ctx, st, *siteName); err != nil {
			return err
		}
	}
	var path string
	err = st.InTx(ctx, func(q store.Queries) error {
		created, err := q.Accounts().CreateUser(ctx, u)
		if errors.Is(err, content.ErrConflict) {
			return fmt.Errorf("%s has an account already: change their roles with \"chancery user set-role\". Nothing was written", u.Email)
		}
		if err != nil {
			return err
		}
		u = created
		if role != "" {
			if err := q.Accounts().SetRole(ctx, u.ID, s.ID, role); err != nil {
				return err
			}
		}
		if path, err = admin.PasswordAddress(ctx, q, u.ID, time.Now()); err != nil {
			return err
		}
		detail := u.Email
		if role != "" {
			detail += fmt.Sprintf(", %s of %s", role, s.Key)
		}
		if u.NetworkAdmin {
			detail += ", network administrator"
		}
		return q.Accounts().Audit(ctx, store.AuditEntry{At: time.Now(), Email: cliAudit, SiteID: s.ID, Action: "user-added", Detail: detail})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Added %s.\n", u.Email)
	fmt.Fprintf(e.stdout, "They choose their password at this address, once, within 24 hours:\n  %s\n", f.link(path))
	return nil
}

func userList(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	data := dataFlag(fs)
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	st, err := data.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	users, err := st.Accounts().Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(e.stdout, "No one has an account yet. Start \"chancery serve\": it prints the address where the first administrator sets up theirs, or use \"chancery user add\".")
		return nil
	}
	sites, err := st.Sites(ctx)
	if err != nil {
		return err
	}
	keys := map[int64]string{}
	for _, s := range sites {
		keys[s.ID] = s.Key
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tROLES\tTWO-FACTOR\tSTATE")
	for _, u := range users {
		roles, err := st.Accounts().Roles(ctx, u.ID)
		if err != nil {
			return err
		}
		var list []string
		if u.NetworkAdmin {
			list = append(list, "network administrator")
		}
		for id, r := range roles {
			list = append(list, keys[id]+"="+string(r))
		}
		slices.Sort(list)
		if len(list) == 0 {
			list = []string{"-"}
		}
		tf, state := "off", "active"
		if u.TwoFactor() {
			tf = "on"
		}
		if u.Disabled {
			state = "disabled"
		} else if u.PasswordHash == "" {
			state = "no password yet"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Name, strings.Join(list, ","), tf, state)
	}
	return tw.Flush()
}

func userSetRole(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	f := newUserFlags(fs)
	siteName := fs.String("site", "", "`site` (key or host)")
	roleName := fs.String("role", "", "`role`: admin, editor, author, translator, or none to take it away")
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if *siteName == "" || *roleName == "" {
		return usageErr("give --email, --site and --role")
	}
	var role account.Role
	if *roleName != "none" {
		var err error
		if role, err = account.ParseRole(*roleName); err != nil {
			return usageErr("--role: %v, or none to take the role away", err)
		}
	}
	st, err := f.data.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := findSite(ctx, st, *siteName)
	if err != nil {
		return err
	}
	var u account.User
	err = st.InTx(ctx, func(q store.Queries) error {
		if u, err = f.user(ctx, q); err != nil {
			return err
		}
		if err := q.Accounts().SetRole(ctx, u.ID, s.ID, role); err != nil {
			return err
		}
		return q.Accounts().Audit(ctx, store.AuditEntry{At: time.Now(), Email: cliAudit, SiteID: s.ID, Action: "role", Detail: u.Email + ": " + roleOrNone(role)})
	})
	if err != nil {
		return err
	}
	if role == "" {
		fmt.Fprintf(e.stdout, "%s no longer has a role on %s.\n", u.Email, s.Key)
	} else {
		fmt.Fprintf(e.stdout, "%s is now %s on %s.\n", u.Email, role, s.Key)
	}
	return nil
}

func roleOrNone(r account.Role) string {
	if r == "" {
		return "none"
	}
	return string(r)
}

func userResetPassword(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	f := newUserFlags(fs)
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	st, err := f.data.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	var (
		u    account.User
		path string
	)
	err = st.InTx(ctx, func(q store.Queries) error {
		if u, err = f.user(ctx, q); err != nil {
			return err
		}
		if u.Disabled {
			return fmt.Errorf("%s is disabled: enable them first with \"chancery user enable --email %s\". Nothing was written", u.Email, u.Email)
		}
		// The old password stops working at once: a reset is also what
		// is done when it may be known to someone else.
		u.PasswordHash = ""
		if err := q.Accounts().UpdateUser(ctx, u); err != nil {
			return err
		}
		if _, err := q.Accounts().DeleteSessions(ctx, u.ID, nil); err != nil {
			return err
		}
		if path, err = admin.PasswordAddress(ctx, q, u.ID, time.Now()); err != nil {
			return err
		}
		return q.Accounts().Audit(ctx, store.AuditEntry{At: time.Now(), Email: cliAudit, Action: "password-reset", Detail: u.Email})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s is signed out everywhere and their old password no longer works. They choose a new one at this address, once, within 24 hours:\n  %s\n", u.Email, f.link(path))
	return nil
}

func userDisable(ctx context.Context, c command, e *env, args []string) error {
	return userSetDisabled(ctx, c, e, args, true)
}

func userEnable(ctx context.Context, c command, e *env, args []string) error {
	return userSetDisabled(ctx, c, e, args, false)
}

func userSetDisabled(ctx context.Context, c command, e *env, args []string, disabled bool) error {
	fs := flagSet(c, e)
	f := newUserFlags(fs)
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	st, err := f.data.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	var u account.User
	err = st.InTx(ctx, func(q store.Queries) error {
		if u, err = f.user(ctx, q); err != nil {
			return err
		}
		u.Disabled = disabled
		if err := q.Accounts().UpdateUser(ctx, u); err != nil {
			return err
		}
		action := "user-enabled"
		if disabled {
			action = "user-disabled"
			if _, err := q.Accounts().DeleteSessions(ctx, u.ID, nil); err != nil {
				return err
			}
		}
		return q.Accounts().Audit(ctx, store.AuditEntry{At: time.Now(), Email: cliAudit, Action: action, Detail: u.Email})
	})
	if err != nil {
		return err
	}
	if disabled {
		fmt.Fprintf(e.stdout, "%s can no longer sign in; their sessions have ended. What they wrote stays.\n", u.Email)
	} else {
		fmt.Fprintf(e.stdout, "%s can sign in again.\n", u.Email)
	}
	return nil
}
