package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"chancery/internal/mail"
	"chancery/internal/site"
)

// mailFlags configure how "suggest to a friend" sends mail. Each has an
// environment variable that stands in for it when the flag is not given,
// so that a password need never be typed on a command line.
type mailFlags struct {
	host, security, user, passwordFile, from *string
	port                                     *int
	timeout                                  *time.Duration
	perClient, perRecipient, perSite         *int
}

// passwordEnv holds the SMTP password itself, for hosts that hand secrets
// to processes in the environment.
const passwordEnv = "CHANCERY_SMTP_PASSWORD"

func addMailFlags(fs *flag.FlagSet) *mailFlags {
	env := func(name string) string { return " ($" + envName(name) + ")" }
	return &mailFlags{
		host:         fs.String("smtp-host", "", "SMTP server `host` that sends \"suggest to a friend\" messages; empty offers readers a mailto: link instead"+env("smtp-host")),
		port:         fs.Int("smtp-port", 0, "SMTP server `port`; 0 means 587 for starttls, 465 for tls, 25 for none"+env("smtp-port")),
		security:     fs.String("smtp-security", mail.SecuritySTARTTLS, "`how` to protect the SMTP connection: starttls, tls, or none (loopback only)"+env("smtp-security")),
		user:         fs.String("smtp-user", "", "SMTP `user` name, when the server asks for one"+env("smtp-user")),
		passwordFile: fs.String("smtp-password-file", "", "`file` holding the SMTP password (or set $"+passwordEnv+")"+env("smtp-password-file")),
		from:         fs.String("smtp-from", "", "`address` the messages come from, such as news@embassy.example.org"+env("smtp-from")),
		timeout:      fs.Duration("smtp-timeout", mail.DefaultTimeout, "`time` one delivery may take, connection included; a server that dies while sending leaves its messages to the others after ten times this"+env("smtp-timeout")),
		perClient:    fs.Int("share-per-client", 10, "`number` of suggestion messages one client network may send per hour"+env("share-per-client")),
		perRecipient: fs.Int("share-per-recipient", 3, "`number` of suggestion messages one address may receive from a site per hour"+env("share-per-recipient")),
		perSite:      fs.Int("share-per-site", 200, "`number` of suggestion messages a site may send per hour"+env("share-per-site")),
	}
}

// config returns the SMTP configuration and the share form's options;
// ok is false when no SMTP host is set.
func (m *mailFlags) config() (cfg mail.Config, share site.ShareOptions, ok bool, err error) {
	for name, n := range map[string]int{"share-per-client": *m.perClient, "share-per-recipient": *m.perRecipient, "share-per-site": *m.perSite} {
		if n < 1 {
			return cfg, share, false, usageErr("--%s must be 1 or more (it is %d)", name, n)
		}
	}
	share = site.ShareOptions{PerClient: *m.perClient, PerRecipient: *m.perRecipient, PerSite: *m.perSite}
	if *m.host == "" {
		if *m.from != "" || *m.user != "" {
			return cfg, share, false, usageErr("--smtp-from and --smtp-user need --smtp-host: give the SMTP server that sends the messages")
		}
		return cfg, share, false, nil
	}
	password := os.Getenv(passwordEnv)
	if *m.passwordFile != "" {
		b, err := os.ReadFile(*m.passwordFile)
		if err != nil {
			return cfg, share, false, fmt.Errorf("cannot read the SMTP password: %w. Give a readable file with --smtp-password-file, or set $%s", err, passwordEnv)
		}
		password = strings.TrimRight(string(b), "\r\n")
	}
	if *m.timeout <= 0 {
		return cfg, share, false, usageErr("--smtp-timeout %s: give a positive time such as 30s", *m.timeout)
	}
	cfg = mail.Config{Host: *m.host, Port: *m.port, Security: *m.security, Username: *m.user, Password: password, From: *m.from, Timeout: *m.timeout}
	if err := cfg.Validate(); err != nil {
		return cfg, share, false, usageErr("%v", err)
	}
	share.From = cfg.From
	return cfg, share, true, nil
}

// describe says where mail goes, for the start-up message.
func describeMail(cfg mail.Config, ok bool) string {
	if !ok {
		return "Mail: off; \"suggest to a friend\" opens the reader's own mail program (set --smtp-host to send it from here)"
	}
	port := ""
	if cfg.Port != 0 {
		port = ":" + strconv.Itoa(cfg.Port)
	}
	return fmt.Sprintf("Mail: suggestions are sent from %s through %s%s (%s)", cfg.From, cfg.Host, port, cfg.Security)
}

// startWorker runs the outbox worker until ctx ends; the returned
// function waits for it to stop.
func startWorker(ctx context.Context, w *mail.Worker) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	return func() { <-done }
}
