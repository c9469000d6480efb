package cli

import (
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/internal/testdb"
)

// outageProxy stands between a server and PostgreSQL on a fixed port;
// Cut drops every connection and refuses new ones, as a database that
// went away does, and Restore lets them through again.
type outageProxy struct {
	t      *testing.T
	addr   string // 127.0.0.1:port, the same across Cut and Restore
	target string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

func startOutageProxy(t *testing.T, target string) *outageProxy {
	p := &outageProxy{t: t, target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.Cut)
	return p
}

func (p *outageProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			if p.ln != ln { // cut meanwhile
				p.mu.Unlock()
				c.Close()
				up.Close()
				continue
			}
			p.conns[c], p.conns[up] = true, true
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

// Cut closes the listener and every connection through it.
func (p *outageProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// Restore listens again on the same address.
func (p *outageProxy) Restore() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("listen again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// TestPostgresOutage runs serve on PostgreSQL through a proxy and takes the
// database away: pages the server keeps go on being served, a page it must
// read answers 503 with a clear message, /readyz says the database is
// unreachable; when the database is back everything recovers by itself,
// including the notifications of other processes' publishes.
func TestPostgresOutage(t *testing.T) {
	dbURL := testdb.PostgresURL(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := startOutageProxy(t, u.Host)
	u.Host = proxy.addr
	viaProxy := u.String()
	addr := startServe(t, "--db", viaProxy)

	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var paths []string
	var ids []int64
	rows, err := db.Query(`SELECT a.id, a.path FROM articles a JOIN site_hosts h ON h.site_id = a.site_id
		WHERE h.host = 'un.localhost' AND a.language = 'en' AND a.status = 'published' ORDER BY a.id LIMIT 3`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			t.Fatal(err)
		}
		ids, paths = append(ids, id), append(paths, p)
	}
	if rows.Close(); len(paths) != 3 {
		t.Fatalf("found %d articles", len(paths))
	}
	get := func(path string) (int, string) {
		resp, body := do(t, addr, http.MethodGet, "un.localhost", path, nil)
		return resp.StatusCode, body
	}
	for _, p := range []string{"/en/", paths[0], paths[0]} { // kept in memory
		if code, _ := get(p); code != http.StatusOK {
			t.Fatalf("%s = %d before the outage", p, code)
		}
	}

	proxy.Cut()
	for _, p := range []string{"/en/", paths[0]} {
		if code, _ := get(p); code != http.StatusOK {
			t.Errorf("%s = %d while the database is away; want it from memory", p, code)
		}
	}
	code, body := get(paths[1])
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "try again") {
		t.Errorf("an article not in memory = %d while the database is away; want 503 asking to try again:\n%.500s", code, body)
	}
	if code, body := get("/readyz"); code != http.StatusServiceUnavailable || body != "database unreachable\n" {
		t.Errorf("/readyz = %d %q while the database is away", code, body)
	}
	if code, body := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d %q while the database is away; the process is alive", code, body)
	}

	proxy.Restore()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, _ := get(paths[1])
		ready, _ := get("/readyz")
		if code == http.StatusOK && ready == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the database came back: article %d, /readyz %d", code, ready)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Another process's publish reaches the server again: its listening
	// connection was lost with the others and is made again (and the
	// reading of epochs every ten seconds would heal a missed notice).
	if _, _, err := run(t, "publish", strconv.FormatInt(ids[0], 10), "--withdraw", "--reason", "Issued in error.", "--db", dbURL); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(15 * time.Second)
	for {
		if _, body := get(paths[0]); strings.Contains(body, "This article has been withdrawn.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a publish after the outage never reaches the server")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
