package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"chancery/internal/admin"
	"chancery/internal/content"
	"chancery/internal/demo"
	"chancery/internal/editorial"
	"chancery/internal/fastpath"
	"chancery/internal/mail"
	"chancery/internal/ops"
	"chancery/internal/publish"
	"chancery/internal/site"
	"chancery/internal/store"
	"chancery/internal/theme"
	"chancery/internal/web"
)

var serveCommand = command{
	name:    "serve",
	summary: "serve the network's public sites",
	usage:   "[flags]",
	long: `Serve every site of the network on one address, each on its own host
names, and an index of the sites on the network's own host (--network-host).

With no flags it uses ./chancery-data, creating it when missing; an empty
database is filled with the demo network (two sites of the Republic of
Example, in English and Chinese) unless --demo=false.`,
	run: runServe,
}

func runServe(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	data := dataFlag(fs)
	addr := fs.String("addr", ":8080", "`address` to listen on, host:port")
	networkHost := fs.String("network-host", "localhost", "host `name` that shows the index of the network's sites")
	themeDir := fs.String("theme", "", "`directory` whose templates/ and static/ files override the built-in theme")
	loadDemo := fs.Bool("demo", true, "load the demo network into an empty database")
	searchRate := fs.Int("search-rate", 60, "`number` of searches one client address may make per minute, in bursts of up to a third of that; 0 for no limit")
	debug := fs.Bool("debug", false, "log every request")
	metricsAddr := fs.String("metrics-addr", "", "`address` (host:port) on which to serve Prometheus metrics at /metrics, apart from the sites; empty for none")
	var proxies listFlag
	fs.Var(&proxies, "trusted-proxy", "`addresses` or networks of reverse proxies in front of this server (comma-separated), whose X-Forwarded-For names the client for rate limits")
	publicScheme := fs.String("public-scheme", "http", "`scheme` readers use to reach the sites, for absolute addresses in pages, feeds and mail: http, or https behind a TLS proxy")
	publicPort := fs.Int("public-port", 0, "`port` readers use to reach the sites; 0 means the port serve listens on (80 and 443 are left out of addresses)")
	pageMemory := fs.Int("page-memory", 64, "`megabytes` of rendered pages each process keeps in memory, besides the page store in the database")
	maxUpload := fs.Int("max-upload", admin.DefaultMaxUpload>>20, "`megabytes` of the largest image or document the back office accepts")
	mailing := addMailFlags(fs)
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	smtp, share, sending, err := mailing.config()
	if err != nil {
		return err
	}
	trusted, err := web.ParsePrefixes(proxies.values)
	if err != nil {
		return usageErr("--trusted-proxy: %v; give addresses or networks such as 127.0.0.1 or 10.0.0.0/8", err)
	}
	if *publicScheme != "http" && *publicScheme != "https" {
		return usageErr("--public-scheme %q: use http or https", *publicScheme)
	}
	if *maxUpload < 1 || *maxUpload > 1024 {
		return usageErr("--max-upload must be 1 to 1024 (megabytes)")
	}
	if *pageMemory < 1 {
		return usageErr("--page-memory must be at least 1 (megabyte)")
	}
	if *publicPort < 0 || *publicPort > 65535 {
		return usageErr("--public-port %d: use 1 to 65535, or 0 for the port serve listens on", *publicPort)
	}
	if *searchRate < 0 {
		return usageErr("--search-rate must be 0 (no limit) or more")
	}
	log := newLogger(e.stderr, *debug)

	st, err := data.open(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := fillDemo(ctx, st, *loadDemo, e.stdout); err != nil {
		return err
	}
	th, err := theme.Load(*themeDir, nil)
	if err != nil {
		return err
	}
	ln, err := listen(*addr)
	if err != nil {
		return err
	}
	var limit *web.Limiter
	if *searchRate > 0 {
		limit = web.NewLimiter(*searchRate, max(3, *searchRate/3))
	}
	// /healthz and /readyz answer on every host. The store applied its
	// migrations when it opened, before the listener was opened, so a
	// server that answers has a current schema; readiness checks that the
	// database still answers.
	// Suggestions wait in the outbox, in the database, until the worker
	// has handed them to the SMTP server: a restart or an outage of the
	// server loses none.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	waitWork := func() {}
	if sending {
		// A claim outlives every send it covers (mail.Worker.Lease); when
		// its server dies, the others take its messages after that.
		worker := mail.NewWorker(mail.Worker{Store: st, Sender: smtp, Log: log, Lease: 10 * smtp.Timeout})
		share.Wake = worker.Wake
		share.Limit = web.NewLimiter(30, 10)
		waitWork = startWorker(workCtx, worker)
	}
	public := site.PublicOrigin{Scheme: *publicScheme, Port: *publicPort}
	if public.Port == 0 {
		public.Port = ln.Addr().(*net.TCPAddr).Port
	}
	// Pages are kept rendered in the database; pages rendered by another
	// binary, theme or public address are dropped first.
	fingerprint, err := renderFingerprint(th, public, *networkHost, share.From != "")
	if err != nil {
		ln.Close()
		return err
	}
	if n, err := publish.Prepare(ctx, st, fingerprint, time.Now()); err != nil {
		ln.Close()
		return fmt.Errorf("prepare the page store: %w", err)
	} else if n > 0 {
		log.Info("page store: pages of an earlier binary, theme or address dropped; they are rendered again as readers ask", "sites", n)
	}
	sites := site.New(site.Options{Store: st, Theme: th, NetworkHost: *networkHost, Log: log, SearchLimit: limit, Share: share, Public: public})
	pagesServer := publish.NewServer(publish.ServerOptions{Store: st.Store, NetworkHost: content.NormalizeHost(*networkHost), Log: log,
		MemoryBytes: int64(*pageMemory) << 20, Next: sites, Fingerprint: fingerprint})
	go pagesServer.Run(workCtx)
	// The back office publishes through the same page store; scheduled
	// articles and editions are published when their time comes, by one of
	// the network's processes, with the pages they show on rendered.
	publisher := &publish.Publisher{Store: st.Store, Theme: th, NetworkHost: *networkHost, Public: public, Server: pagesServer, Fingerprint: fingerprint}
	editor := &editorial.Service{Store: st.Store, Publisher: publisher}
	backOffice, err := admin.New(admin.Options{Store: st.Store, Editorial: editor, Site: sites, Log: log, Secure: public.Scheme == "https",
		MaxUpload: int64(*maxUpload) << 20})
	if err != nil {
		ln.Close()
		return err
	}
	scheduler := &publish.Scheduler{Log: log, Publisher: publisher, Editions: editor}
	routes := http.NewServeMux()
	routes.Handle("/admin/", backOffice)
	routes.Handle("/", pagesServer)
	var handler http.Handler = ops.Health(web.SecurityHeaders(routes),
		ops.Check{Reason: "database unreachable", Run: st.Ping},
		ops.Check{Reason: "database schema differs from this binary's", Run: st.CheckSchema})
	var (
		metricsLn  net.Listener
		metricsSrv *http.Server
	)
	if *metricsAddr != "" {
		if metricsLn, err = listenFor("--metrics-addr", *metricsAddr, "127.0.0.1:9090", "127.0.0.1:9091", "127.0.0.1:9090"); err != nil {
			ln.Close()
			return err
		}
		metrics := ops.NewMetrics()
		metrics.Register(ops.OutboxCollector(func(ctx context.Context) (store.MailCounts, error) { return st.Mail().MailCounts(ctx, 0) }))
		if p, ok := st.Store.(store.PoolReporter); ok {
			metrics.Register(ops.PoolCollector(p.Pools))
		}
		metrics.Register(ops.ScheduledCollector(scheduler.Published))
		durations := ops.PublishDurations()
		metrics.Register(durations)
		scheduler.Observe = func(d time.Duration) { durations.Observe(d.Seconds()) }
		metrics.Register(ops.PageStoreCollectors(func() ops.PageStoreStats {
			s := pagesServer.Stats()
			return ops.PageStoreStats{FromMemory: s.FromMemory, FromStore: s.FromStore, Rendered: s.Rendered, MemoryBytes: s.MemoryBytes}
		})...)
		handler = metrics.Instrument(handler)
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metrics.Handler())
		metricsSrv = &http.Server{
			Handler:           mux,
			ReadHeaderTimeout: 10 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       2 * time.Minute,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}
	}
	// Ended sessions, used tokens and old sign-in failures are removed
	// every hour.
	go func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			if err := admin.Tidy(workCtx, st.Store, time.Now()); err != nil && workCtx.Err() == nil {
				log.Warn("back office: cannot remove ended sessions; trying again in an hour", "err", err)
			}
			select {
			case <-workCtx.Done():
				return
			case <-t.C:
			}
		}
	}()
	scheduled := make(chan struct{})
	go func() {
		defer close(scheduled)
		scheduler.Run(workCtx)
	}()
	handler = web.FromProxies(trusted, web.Log(log, handler))
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	var metricsAt net.Addr
	if metricsLn != nil {
		metricsAt = metricsLn.Addr()
	}
	if setup, err := admin.SetupAddress(ctx, st.Store, time.Now()); err != nil {
		ln.Close()
		if metricsLn != nil {
			metricsLn.Close()
		}
		return fmt.Errorf("back office: %w", err)
	} else if setup != "" {
		fmt.Fprintf(e.stdout, "No one can sign in to the back office yet. Set up the first administrator, once, within 24 hours:\n  http://%s%s\n",
			hostPort(ln.Addr()), setup)
	}
	if err := printAddresses(ctx, e.stdout, st, ln.Addr(), metricsAt, *networkHost, describeMail(smtp, sending)); err != nil {
		ln.Close()
		if metricsLn != nil {
			metricsLn.Close()
		}
		return err
	}
	log.Info("serving", "addr", ln.Addr().String(), "database", st.Name)

	// Pages of the sites (most requests) are answered on the fast path:
	// the same handler, without net/http's per-request cost; every other
	// request, and anything unusual, goes to srv.
	front := &fastpath.Server{HTTP: srv, Fast: func(r *http.Request) bool {
		return !strings.HasPrefix(r.URL.Path, "/admin/") && pagesServer.Keeps(r)
	}}
	done := make(chan error, 2)
	go func() { done <- front.Serve(ln) }()
	if metricsSrv != nil {
		log.Info("serving metrics", "addr", metricsLn.Addr().String())
		go func() { done <- metricsSrv.Serve(metricsLn) }()
	}
	var stopped error
	select {
	case err := <-done:
		stopped = fmt.Errorf("server stopped: %w", err)
	case <-ctx.Done():
		log.Info("shutting down: finishing requests in flight")
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var errs []error
	if metricsSrv != nil {
		errs = append(errs, metricsSrv.Shutdown(shutdown))
	}
	errs = append(errs, front.Shutdown(shutdown))
	// The worker finishes the message in hand and records its outcome,
	// and the scheduler the publication in progress.
	stopWork()
	waitWork()
	<-scheduled
	if stopped != nil {
		return stopped
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// fillDemo loads the demo network into an empty database.
func fillDemo(ctx context.Context, st store.Store, load bool, out io.Writer) error {
	empty, err := st.Empty(ctx)
	if err != nil || !empty || !load {
		return err
	}
	if err := demo.Load(ctx, st, demo.Build()); err != nil {
		return fmt.Errorf("load the demo network: %w", err)
	}
	fmt.Fprintln(out, "The database was empty: loaded the demo network of the Republic of Example.")
	return nil
}

// listen opens addr, explaining the common failures in words a person can
// act on.
func listen(addr string) (net.Listener, error) {
	return listenFor("--addr", addr, ":8080", ":8081", ":8080 or 127.0.0.1:8080")
}

// listenFor is listen for the address given by flag, suggesting example,
// other when the address is busy, and forms when it is malformed.
func listenFor(flag, addr, example, other, forms string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case err == nil:
		return ln, nil
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("cannot listen on %s: the address is already in use by another program. Stop that program, or choose another address with %s (for example %s %s)", addr, flag, flag, other)
	case errors.Is(err, syscall.EACCES):
		return nil, fmt.Errorf("cannot listen on %s: permission denied (ports below 1024 need privileges). Choose a port above 1024 with %s, such as %s", addr, flag, example)
	default:
		return nil, fmt.Errorf("cannot listen on %s: %w. Give %s as host:port, such as %s", addr, err, flag, forms)
	}
}

// printAddresses tells a person which addresses to open.
func printAddresses(ctx context.Context, w io.Writer, st store.Store, addr, metrics net.Addr, networkHost, mailing string) error {
	sites, err := st.Sites(ctx)
	if err != nil {
		return err
	}
	port := ""
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.Port != 80 {
		port = fmt.Sprintf(":%d", tcp.Port)
	}
	fmt.Fprintf(w, "Chancery is serving %d site(s) on %s. Open:\n", len(sites), addr)
	fmt.Fprintf(w, "  %-40s http://%s%s/\n", "Index of the network's sites", networkHost, port)
	for _, s := range sites {
		if len(s.Hosts) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %-40s http://%s%s/\n", s.Key+" ("+s.Name(s.DefaultLanguage)+")", s.Hosts[0], port)
	}
	fmt.Fprintf(w, "Health: http://%s/healthz and /readyz, on any host name\n", hostPort(addr))
	if metrics != nil {
		fmt.Fprintf(w, "Metrics: http://%s/metrics\n", hostPort(metrics))
	}
	fmt.Fprintln(w, mailing)
	fmt.Fprintln(w, "Press Ctrl+C to stop.")
	return nil
}

// hostPort is addr as a person can open it: a wildcard address becomes
// localhost.
func hostPort(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return addr.String()
	}
	return net.JoinHostPort("localhost", strconv.Itoa(tcp.Port))
}

// newLogger writes text to a terminal and JSON elsewhere.
func newLogger(w io.Writer, debug bool) *slog.Logger {
	level := slog.LevelInfo
	if debug {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	if isTerminal(w) {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// renderFingerprint names how pages are rendered: by this very binary (its
// commit, or a hash of the executable when it was built from changed or
// unversioned sources, so a new build drops pages an old one rendered),
// with this theme, for this public address and network host, with or
// without the share form (pages link it, or a mailto: address).
func renderFingerprint(th *theme.Theme, public site.PublicOrigin, networkHost string, shareForm bool) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%d|%s|%t|", th.Fingerprint(), public.Scheme, public.Port, networkHost, shareForm)
	// A build from a clean checkout names its commit: that is enough, and
	// saves reading the whole executable.
	if info, ok := debug.ReadBuildInfo(); ok {
		var rev, modified string
		for _, kv := range info.Settings {
			switch kv.Key {
			case "vcs.revision":
				rev = kv.Value
			case "vcs.modified":
				modified = kv.Value
			}
		}
		if rev != "" && modified == "false" {
			fmt.Fprintf(h, "rev %s", rev)
			return hex.EncodeToString(h.Sum(nil)[:16]), nil
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find this program's file: %w", err)
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("read this program's file: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read this program's file: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}
