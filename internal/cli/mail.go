package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"chancery/internal/mail"
)

var mailCommand = command{
	name:    "mail",
	summary: "see the outbox of \"suggest to a friend\" and test the SMTP settings",
	usage:   "status|test [flags]",
	long: `Look after the mail that readers' "suggest to a friend" forms send.

  chancery mail status             messages queued, retrying, delivered and
                                   failed, per site
  chancery mail test --to ADDRESS  send one message now through the SMTP
                                   settings serve would use (the same
                                   --smtp-* flags and $CHANCERY_SMTP_*)`,
	run: runMail,
}

func runMail(ctx context.Context, c command, e *env, args []string) error {
	return runSubcommands(ctx, c, e, args, []subcommand{
		{"status", "[flags]", "Show each site's outbox: messages queued, retrying after a failed attempt, delivered, and failed for good.", mailStatus},
		{"test", "--to ADDRESS [flags]", "Send one short message to ADDRESS through the SMTP settings, and say what the server answered.", mailTest},
	})
}

func mailStatus(ctx context.Context, c command, e *env, args []string) error {
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
	sites, err := st.Sites(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tQUEUED\tRETRYING\tDELIVERED\tFAILED")
	for _, s := range sites {
		n, err := st.Mail().MailCounts(ctx, s.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", s.Key, n.Queued, n.Retrying, n.Delivered, n.Failed)
	}
	return tw.Flush()
}

func mailTest(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	to := fs.String("to", "", "`address` to send the test message to (required)")
	mailing := addMailFlags(fs)
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	rcpt, err := mail.ParseAddress(*to)
	if err != nil {
		return usageErr("--to %q: %v; give one address such as you@example.org", *to, err)
	}
	cfg, _, ok, err := mailing.config()
	if err != nil {
		return err
	}
	if !ok {
		return usageErr("no SMTP server: give --smtp-host and --smtp-from (or $CHANCERY_SMTP_HOST and $CHANCERY_SMTP_FROM)")
	}
	b := make([]byte, 12)
	rand.Read(b)
	_, domain, _ := strings.Cut(cfg.From, "@")
	msg, err := mail.Suggestion{Language: "en", SiteName: "Chancery", SenderName: "Chancery",
		Title: "Test message from chancery mail test", URL: "https://" + domain + "/"}.Compose(
		mail.Address{Name: "Chancery", Addr: cfg.From}, rcpt, time.Now(), hex.EncodeToString(b)+"@"+domain)
	if err != nil {
		return err
	}
	if err := cfg.Send(ctx, cfg.From, rcpt, msg); err != nil {
		if mail.Permanent(err) {
			return fmt.Errorf("the SMTP server refused the message: %w", err)
		}
		return fmt.Errorf("the message could not be sent (a server would retry this): %w", err)
	}
	fmt.Fprintf(e.stdout, "Sent a test message to %s through %s.\n", rcpt, cfg.Host)
	return nil
}
