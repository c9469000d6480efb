package mail_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"chancery/internal/content"
	"chancery/internal/mail"
	"chancery/internal/mail/mailtest"
	"chancery/internal/store"
	"chancery/internal/testdb"
)

// t0 is when the tests' messages are queued.
var t0 = time.Date(2026, 3, 5, 9, 30, 0, 0, time.UTC)

// clock is the workers' fake time: it moves only when a test moves it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const siteFrom = "noreply@embassy.example.org"

// sender returns a Config that sends through srv.
func sender(srv *mailtest.Server) mail.Config {
	return mail.Config{Host: srv.Host, Port: srv.Port, Security: mail.SecurityNone, From: siteFrom, Timeout: 5 * time.Second}
}

func addSite(t *testing.T, st store.Store) content.Site {
	t.Helper()
	site, err := st.CreateSite(context.Background(), content.Site{
		Key: "embassy", Names: map[string]string{"en": "Embassy of Testland"}, Hosts: []string{"embassy.example.org"},
		Languages: []string{"en"}, DefaultLanguage: "en", TimeZone: "UTC",
	})
	if err != nil {
		t.Fatalf("CreateSite: %v", err)
	}
	return site
}

// queue composes n suggestions, to friend0@example.net and on, with
// Message-IDs <m0@embassy.example.org> and on, and queues them at t0.
func queue(t *testing.T, st store.Store, site content.Site, n int) []store.Mail {
	t.Helper()
	var out []store.Mail
	for i := range n {
		s := mail.Suggestion{
			Language: "en", SiteName: "Embassy of Testland", SenderName: "Alex Chen",
			Title: fmt.Sprintf("Article %d", i), Summary: "A summary.", URL: fmt.Sprintf("https://embassy.example.org/en/news/%d", i),
		}
		if i%2 == 1 {
			s.Language, s.Title = "zh", fmt.Sprintf("文章 %d", i)
		}
		to := fmt.Sprintf("friend%d@example.net", i)
		msg, err := s.Compose(mail.Address{Name: "Embassy of Testland", Addr: siteFrom}, to, t0, fmt.Sprintf("m%d@embassy.example.org", i))
		if err != nil {
			t.Fatal(err)
		}
		m, err := st.Mail().QueueMail(context.Background(), store.Mail{SiteID: site.ID, ArticleID: int64(i + 1), Client: "client",
			From: siteFrom, To: to, Message: msg, CreatedAt: t0})
		if err != nil {
			t.Fatalf("QueueMail: %v", err)
		}
		out = append(out, m)
	}
	return out
}

func counts(t *testing.T, st store.Store, siteID int64) store.MailCounts {
	t.Helper()
	c, err := st.Mail().MailCounts(context.Background(), siteID)
	if err != nil {
		t.Fatalf("MailCounts: %v", err)
	}
	return c
}

func wantCounts(t *testing.T, st store.Store, siteID int64, want store.MailCounts) {
	t.Helper()
	if got := counts(t, st, siteID); got != want {
		t.Fatalf("MailCounts = %+v, want %+v", got, want)
	}
}

func messageID(t *testing.T, data []byte) string {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("received message does not parse: %v", err)
	}
	return m.Header.Get("Message-Id")
}

// eachDatabase runs fn on a new database of every engine, for the tests
// that reopen it or read its table directly.
func eachDatabase(t *testing.T, fn func(t *testing.T, e testdb.Engine, db string)) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, e, e.New(t)) })
	}
}

// lastError reads a message's last error from the table: the store has no
// read for one message of the outbox.
func lastError(t *testing.T, e testdb.Engine, db string, id int64) string {
	t.Helper()
	conn, err := sql.Open(e.Driver, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var s string
	if err := conn.QueryRow(fmt.Sprintf(`SELECT last_error FROM mail_outbox WHERE id = %d`, id)).Scan(&s); err != nil {
		t.Fatalf("read last_error: %v", err)
	}
	return s
}

var (
	greylisted = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "greylisted, try later"}
	noSuchUser = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
)

func TestBackoff(t *testing.T) {
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute,
		32 * time.Minute, 64 * time.Minute, 2 * time.Hour, 2 * time.Hour, 2 * time.Hour}
	var total time.Duration
	for i, w := range want {
		n := i + 1
		if got := mail.Backoff(n); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, w)
		}
	}
	for n := 1; n < 12; n++ {
		total += mail.Backoff(n)
	}
	// MaxAttempts' default of 12 is documented as about 10 hours.
	if total < 10*time.Hour || total > 10*time.Hour+15*time.Minute {
		t.Errorf("12 attempts span %v", total)
	}
	for _, n := range []int{0, -1} {
		if got := mail.Backoff(n); got != time.Minute {
			t.Errorf("Backoff(%d) = %v, want 1m", n, got)
		}
	}
	if got := mail.Backoff(1 << 40); got != 2*time.Hour {
		t.Errorf("Backoff(2^40) = %v, want the 2h cap", got)
	}
}

func TestWorkerDelivers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		site := addSite(t, st)
		queued := queue(t, st, site, 2)
		srv := mailtest.Start(t, mailtest.Options{})
		w := &mail.Worker{Store: st, Sender: sender(srv), Now: newClock().Now}
		if n := w.Drain(ctx); n != 2 {
			t.Fatalf("Drain = %d, want 2", n)
		}
		got := srv.Messages()
		if len(got) != 2 {
			t.Fatalf("server received %d messages, want 2", len(got))
		}
		for i, m := range got {
			if !bytes.Equal(m.Data, queued[i].Message) {
				t.Errorf("message %d arrived as\n%q\nwant\n%q", i, m.Data, queued[i].Message)
			}
			if m.From != siteFrom || len(m.To) != 1 || m.To[0] != queued[i].To {
				t.Errorf("message %d: envelope from %q to %q", i, m.From, m.To)
			}
		}
		wantCounts(t, st, site.ID, store.MailCounts{Delivered: 2})
		if n := w.Drain(ctx); n != 0 || len(srv.Messages()) != 2 {
			t.Fatalf("a second Drain claimed %d and the server has %d messages; want nothing more", n, len(srv.Messages()))
		}
	})
}

// TestWorkerRetriesThroughAnOutage follows one message through a refusal
// (451), a server that is down, and a restart of the process, to its
// delivery: it is never tried before its backoff has passed, always after.
func TestWorkerRetriesThroughAnOutage(t *testing.T) {
	eachDatabase(t, func(t *testing.T, e testdb.Engine, db string) {
		ctx := context.Background()
		st := e.OpenAt(t, db)
		site := addSite(t, st)
		m := queue(t, st, site, 1)[0]
		srv := mailtest.Start(t, mailtest.Options{})
		srv.SetRcptErr(greylisted)
		clk := newClock()
		w := &mail.Worker{Store: st, Sender: sender(srv), Now: clk.Now}

		due, attempt := t0, 0
		// try moves the clock to just before the message is due, checks
		// that the worker leaves it, then to when it is due.
		try := func(w *mail.Worker) {
			t.Helper()
			if attempt > 0 {
				clk.Set(due.Add(-time.Second))
				if n := w.Drain(ctx); n != 0 {
					t.Fatalf("attempt %d was made a second before its backoff ended", attempt+1)
				}
			}
			clk.Set(due)
			if n := w.Drain(ctx); n != 1 {
				t.Fatalf("attempt %d: Drain = %d once its backoff ended, want 1", attempt+1, n)
			}
			attempt++
			due = due.Add(mail.Backoff(attempt))
		}

		try(w)
		try(w)
		if srv.Rcpts() != 2 || len(srv.Messages()) != 0 {
			t.Fatalf("after two refusals the server saw %d RCPTs and %d messages", srv.Rcpts(), len(srv.Messages()))
		}
		wantCounts(t, st, site.ID, store.MailCounts{Retrying: 1})
		if le := lastError(t, e, db, m.ID); !strings.Contains(le, "451") || !strings.Contains(le, "greylisted") {
			t.Errorf("last error = %q, want the 451 reply", le)
		}

		srv.Stop() // connection refused
		try(w)
		wantCounts(t, st, site.ID, store.MailCounts{Retrying: 1})
		if le := lastError(t, e, db, m.ID); !strings.Contains(le, "connect") {
			t.Errorf("last error = %q, want the refused connection", le)
		}

		// The process restarts: a new store on the same database, a new
		// worker; the server is back and accepts.
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		st = e.OpenAt(t, db)
		srv.Restart(t)
		srv.SetRcptErr(nil)
		w = &mail.Worker{Store: st, Sender: sender(srv), Now: clk.Now}
		try(w)
		got := srv.Messages()
		if len(got) != 1 || !bytes.Equal(got[0].Data, m.Message) {
			t.Fatalf("after the outage the server has %d messages; want the queued one, intact", len(got))
		}
		wantCounts(t, st, site.ID, store.MailCounts{Delivered: 1})
		clk.Add(24 * time.Hour)
		if n := w.Drain(ctx); n != 0 || len(srv.Messages()) != 1 {
			t.Fatal("a delivered message was tried again")
		}
	})
}

func TestWorkerGivesUp(t *testing.T) {
	eachDatabase(t, func(t *testing.T, e testdb.Engine, db string) {
		ctx := context.Background()
		st := e.OpenAt(t, db)
		site := addSite(t, st)
		srv := mailtest.Start(t, mailtest.Options{})
		clk := newClock()

		t.Run("550 at once", func(t *testing.T) {
			m := queue(t, st, site, 1)[0]
			srv.SetRcptErr(noSuchUser)
			w := &mail.Worker{Store: st, Sender: sender(srv), Now: clk.Now}
			if n := w.Drain(ctx); n != 1 {
				t.Fatalf("Drain = %d", n)
			}
			wantCounts(t, st, site.ID, store.MailCounts{Failed: 1})
			if le := lastError(t, e, db, m.ID); !strings.Contains(le, "550") || !strings.Contains(le, "no such user") {
				t.Errorf("last error = %q, want the 550 reply", le)
			}
			clk.Add(3 * time.Hour)
			if n := w.Drain(ctx); n != 0 || srv.Rcpts() != 1 {
				t.Fatalf("a failed message was tried again (Drain = %d, %d RCPTs)", n, srv.Rcpts())
			}
		})

		t.Run("MaxAttempts", func(t *testing.T) {
			m := queue(t, st, site, 1)[0]
			clk.Set(t0)
			srv.SetRcptErr(greylisted)
			before := srv.Rcpts()
			w := &mail.Worker{Store: st, Sender: sender(srv), Now: clk.Now, MaxAttempts: 3}
			for i := 1; i <= 3; i++ {
				if n := w.Drain(ctx); n != 1 {
					t.Fatalf("attempt %d: Drain = %d", i, n)
				}
				clk.Add(mail.Backoff(i))
			}
			if got := srv.Rcpts() - before; got != 3 {
				t.Fatalf("%d attempts reached the server, want 3", got)
			}
			wantCounts(t, st, site.ID, store.MailCounts{Failed: 2})
			if le := lastError(t, e, db, m.ID); !strings.Contains(le, "451") {
				t.Errorf("last error = %q, want the last 451 reply", le)
			}
			clk.Add(24 * time.Hour)
			srv.SetRcptErr(nil)
			if n := w.Drain(ctx); n != 0 || len(srv.Messages()) != 0 {
				t.Fatal("a message that had failed for good was tried again")
			}
		})
	})
}

// TestWorkersDeliverOnce drains one outbox with three workers at once:
// two on the same store, one on a second connection to the database, as
// another process would have.
func TestWorkersDeliverOnce(t *testing.T) {
	eachDatabase(t, func(t *testing.T, e testdb.Engine, db string) {
		st := e.OpenAt(t, db)
		other := e.OpenAt(t, db)
		site := addSite(t, st)
		const n = 40
		queue(t, st, site, n)
		srv := mailtest.Start(t, mailtest.Options{})
		clk := newClock()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var wg sync.WaitGroup
		for _, s := range []store.Store{st, st, other} {
			w := &mail.Worker{Store: s, Sender: sender(srv), Now: clk.Now, Poll: 10 * time.Millisecond}
			wg.Go(func() { w.Run(ctx) })
		}
		srv.WaitFor(t, n, 30*time.Second)
		// Let the workers poll a few more times before stopping them.
		time.Sleep(100 * time.Millisecond)
		cancel()
		wg.Wait()

		got := srv.Messages()
		seen := map[string]int{}
		for _, m := range got {
			seen[messageID(t, m.Data)]++
		}
		for i := range n {
			id := fmt.Sprintf("<m%d@embassy.example.org>", i)
			if seen[id] != 1 {
				t.Errorf("%s arrived %d times", id, seen[id])
			}
		}
		if len(got) != n {
			t.Errorf("server received %d messages, want %d", len(got), n)
		}
		wantCounts(t, st, site.ID, store.MailCounts{Delivered: n})
	})
}

// silentServer accepts connections and never answers, like a filtered or
// overloaded server; accepted receives each connection.
func silentServer(t *testing.T) (port int, accepted <-chan struct{}) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan struct{}, 100)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			ch <- struct{}{}
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().(*net.TCPAddr).Port, ch
}

func TestWorkerRunStops(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		site := addSite(t, st)

		t.Run("idle", func(t *testing.T) {
			w := &mail.Worker{Store: st, Sender: mail.Config{}, Poll: time.Hour}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { w.Run(ctx); close(done) }()
			time.Sleep(20 * time.Millisecond)
			cancel()
			select {
			case <-done:
			case <-time.After(2 * time.Second):
				t.Fatal("Run did not return within 2s of its context ending")
			}
		})

		// A send in progress is cut, and the message goes back to the
		// queue due at once: a shutdown is no failure, even on the last
		// attempt allowed.
		t.Run("mid-send", func(t *testing.T) {
			queue(t, st, site, 1)
			port, accepted := silentServer(t)
			cfg := mail.Config{Host: "127.0.0.1", Port: port, Security: mail.SecurityNone, From: siteFrom, Timeout: time.Minute}
			clk := newClock()
			w := &mail.Worker{Store: st, Sender: cfg, Now: clk.Now, Poll: time.Hour, MaxAttempts: 1}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { w.Run(ctx); close(done) }()
			select {
			case <-accepted:
			case <-time.After(5 * time.Second):
				t.Fatal("the worker never connected")
			}
			cancel()
			start := time.Now()
			select {
			case <-done:
			case <-time.After(2 * time.Second):
				t.Fatal("Run did not return within 2s of its context ending mid-send")
			}
			t.Logf("Run returned %v after cancel", time.Since(start))
			wantCounts(t, st, site.ID, store.MailCounts{Retrying: 1})

			srv := mailtest.Start(t, mailtest.Options{})
			w = &mail.Worker{Store: st, Sender: sender(srv), Now: clk.Now}
			if n := w.Drain(context.Background()); n != 1 || len(srv.Messages()) != 1 {
				t.Fatalf("after the restart Drain = %d and %d messages arrived; want the interrupted one, at once", n, len(srv.Messages()))
			}
			wantCounts(t, st, site.ID, store.MailCounts{Delivered: 1})
		})
	})
}

// TestWorkerLease checks that no send outlives the lease of its batch
// (another worker may claim the message then), and that the messages of a
// batch not begun within half the lease go back to the queue unsent.
func TestWorkerLease(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		site := addSite(t, st)

		t.Run("send cut at the lease end", func(t *testing.T) {
			queue(t, st, site, 1)
			port, _ := silentServer(t)
			cfg := mail.Config{Host: "127.0.0.1", Port: port, Security: mail.SecurityNone, From: siteFrom, Timeout: time.Minute}
			// The fake clock stands still: the send is cut after the
			// lease's 300ms of real time.
			w := &mail.Worker{Store: st, Sender: cfg, Now: newClock().Now, Lease: 300 * time.Millisecond}
			start := time.Now()
			if n := w.Drain(context.Background()); n != 1 {
				t.Fatalf("Drain = %d", n)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("a send with a 300ms lease took %v", d)
			}
			wantCounts(t, st, site.ID, store.MailCounts{Retrying: 1})
		})

		t.Run("rest of a slow batch released", func(t *testing.T) {
			site2, err := st.CreateSite(context.Background(), content.Site{
				Key: "consulate", Names: map[string]string{"en": "Consulate"}, Hosts: []string{"consulate.example.org"},
				Languages: []string{"en"}, DefaultLanguage: "en", TimeZone: "UTC",
			})
			if err != nil {
				t.Fatal(err)
			}
			srv := mailtest.Start(t, mailtest.Options{})
			clk := newClock()
			clk.Set(t0.Add(24 * time.Hour)) // past the first subtest's backoff
			queue(t, st, site2, 3)
			// The first send takes (on the fake clock) more than half the
			// lease.
			slow := slowSender{Sender: sender(srv), clk: clk, by: 3 * time.Minute}
			w := &mail.Worker{Store: st, Sender: slow, Now: clk.Now, Lease: 5 * time.Minute}
			if n := w.Drain(context.Background()); n != 4 {
				t.Fatalf("Drain = %d, want 4 (the first subtest's message and three)", n)
			}
			if srv.Rcpts() != 1 {
				t.Fatalf("%d sends were begun after half the lease had passed; want only the first", srv.Rcpts()-1)
			}
			c := counts(t, st, 0)
			if c.Delivered != 1 || c.Retrying != 3 {
				t.Fatalf("MailCounts = %+v; want one delivered and three back in the queue", c)
			}
			w.Sender = sender(srv)
			if n := w.Drain(context.Background()); n != 3 || len(srv.Messages()) != 4 {
				t.Fatalf("the released messages were not due at once: Drain = %d, %d delivered", n, len(srv.Messages()))
			}
		})
	})
}

// slowSender moves the fake clock forward by `by` on every send, as a slow
// server would.
type slowSender struct {
	mail.Sender
	clk *clock
	by  time.Duration
}

func (s slowSender) Send(ctx context.Context, from, to string, msg []byte) error {
	s.clk.Add(s.by)
	return s.Sender.Send(ctx, from, to, msg)
}

func TestWorkerWake(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		site := addSite(t, st)
		srv := mailtest.Start(t, mailtest.Options{})
		clk := newClock()
		w := &mail.Worker{Store: st, Sender: sender(srv), Now: clk.Now, Poll: time.Hour}
		w.Wake() // before Run: kept, harmless
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { w.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()

		// The first message shows that Run has read the outbox once and
		// is waiting; the second arrives only because of Wake.
		queue(t, st, site, 1)
		w.Wake()
		srv.WaitFor(t, 1, 5*time.Second)
		time.Sleep(50 * time.Millisecond) // any wake still pending is used up
		m, err := st.Mail().QueueMail(context.Background(), store.Mail{SiteID: site.ID, ArticleID: 9, Client: "client",
			From: siteFrom, To: "late@example.net", Message: []byte("Subject: late\r\n\r\nlate\r\n"), CreatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		if len(srv.Messages()) != 1 {
			t.Fatal("the second message went before Wake; the test proves nothing")
		}
		start := time.Now()
		w.Wake()
		got := srv.WaitFor(t, 2, 5*time.Second)
		if !bytes.Equal(got[1].Data, m.Message) {
			t.Fatalf("second message = %q", got[1].Data)
		}
		t.Logf("delivered %v after Wake", time.Since(start))
	})
}
