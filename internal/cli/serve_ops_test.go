package cli

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"chancery/internal/store/sqlite"
)

// TestServeHealthAndMetrics serves the demo network with --metrics-addr,
// probes the health endpoints under a host no site has, reads a page and
// finds it counted in the metrics, then stops the server.
func TestServeHealthAndMetrics(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"}, out, &syncBuffer{})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Press Ctrl+C") {
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no addresses: %q", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	health := regexp.MustCompile(`Health: http://(127\.0\.0\.1:\d+)/healthz`).FindStringSubmatch(out.String())
	metrics := regexp.MustCompile(`Metrics: http://(127\.0\.0\.1:\d+)/metrics`).FindStringSubmatch(out.String())
	if health == nil || metrics == nil {
		t.Fatalf("serve output lacks the health or metrics address: %q", out.String())
	}
	addr, metricsAddr := health[1], metrics[1]
	if addr == metricsAddr {
		t.Fatalf("metrics share the main address %s", addr)
	}

	get := func(addr, host, path string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatalf("GET %s%s: %v", host, path, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if path == "/healthz" || path == "/readyz" {
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("GET %s Cache-Control = %q; want no-store", path, cc)
			}
		}
		return resp.StatusCode, string(body)
	}
	for _, host := range []string{"no-such-site.example", addr} {
		if code, body := get(addr, host, "/healthz"); code != http.StatusOK || body != "ok\n" {
			t.Errorf("/healthz on host %s = %d %q; want 200 ok", host, code, body)
		}
		if code, body := get(addr, host, "/readyz"); code != http.StatusOK || body != "ready\n" {
			t.Errorf("/readyz on host %s = %d %q; want 200 ready", host, code, body)
		}
	}
	if code, _ := get(addr, "un.localhost", "/en/"); code != http.StatusOK {
		t.Fatalf("the UN mission's home = %d; want 200", code)
	}
	if code, _ := get(addr, "un.localhost", "/metrics"); code != http.StatusNotFound {
		t.Errorf("/metrics on the main address = %d; want 404", code)
	}
	code, text := get(metricsAddr, "localhost", "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics = %d", code)
	}
	for _, want := range []string{
		`chancery_http_requests_total{code="200",route="home"} 1`,
		`chancery_http_requests_total{code="200",route="health"} 4`,
		`chancery_http_requests_total{code="404",route="other"} 1`,
		`chancery_http_request_duration_seconds_count{route="home"} 1`,
		"process_start_time_seconds",
		`chancery_pages_answered_total{source="rendered"} 2`, // the home, and /metrics asked of a site (404)
		"chancery_pages_memory_bytes",
		`chancery_outbox_messages{state="queued"} 0`,
		`chancery_db_connections_max{pool="write"} 1`,
		`chancery_db_connections{pool="read",state="idle"}`,
		`chancery_db_waits_total{pool="read"}`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s:\n%s", want, text)
		}
	}
	if strings.Contains(text, "/en/") || strings.Contains(text, "un.localhost") {
		t.Error("metrics contain a raw path or host")
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after Ctrl+C: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := net.DialTimeout("tcp", metricsAddr, time.Second); err == nil {
		t.Error("the metrics address still answers after the server stopped")
	}
}

func TestServeMetricsAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, _, err = run(t, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--metrics-addr", ln.Addr().String())
	if err == nil || !strings.Contains(err.Error(), ln.Addr().String()) || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), "--metrics-addr") {
		t.Fatalf("serve with a busy --metrics-addr: %v; want a message naming it and the flag", err)
	}
}

// TestServeBehindProxy: behind a TLS proxy, absolute addresses say https
// and no port, and the proxy's X-Forwarded-For names the client.
func TestServeBehindProxy(t *testing.T) {
	addr := startServe(t, "--data", t.TempDir(), "--public-scheme", "https", "--public-port", "443", "--trusted-proxy", "127.0.0.1")
	_, home := do(t, addr, http.MethodGet, "un.localhost", "/en/", nil)
	if !strings.Contains(home, `<link rel="canonical" href="https://un.localhost/en/">`) {
		t.Fatal("the home page's canonical address is not https://un.localhost/en/")
	}
	_, robots := do(t, addr, http.MethodGet, "un.localhost", "/robots.txt", nil)
	if !strings.Contains(robots, "Sitemap: https://un.localhost/sitemap.xml") {
		t.Fatalf("robots.txt:\n%s", robots)
	}
	if _, _, err := run(t, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--trusted-proxy", "10.0.0.0/99"); err == nil || !strings.Contains(err.Error(), "--trusted-proxy") {
		t.Fatalf("a bad --trusted-proxy = %v", err)
	}
	if _, _, err := run(t, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--public-scheme", "ftp"); err == nil || !strings.Contains(err.Error(), "--public-scheme") {
		t.Fatalf("a bad --public-scheme = %v", err)
	}
}

// TestServeReadyzSchema: a newer binary migrating the database under a
// running server makes the server unready (it would write to tables it
// does not know), and ready again once the schema is its own.
func TestServeReadyzSchema(t *testing.T) {
	dir := t.TempDir()
	addr := startServe(t, "--data", dir)
	ready := func() (int, string) {
		resp, body := do(t, addr, http.MethodGet, "localhost", "/readyz", nil)
		return resp.StatusCode, body
	}
	if code, body := ready(); code != http.StatusOK {
		t.Fatalf("/readyz = %d %q; want 200", code, body)
	}
	db, err := sql.Open("sqlite", "file:"+dir+"/chancery.db?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	setVersion := func(v int) {
		t.Helper()
		if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
			t.Fatal(err)
		}
	}
	setVersion(sqlite.SchemaVersion() + 1)
	if code, body := ready(); code != http.StatusServiceUnavailable || body != "database schema differs from this binary's\n" {
		t.Fatalf("/readyz after a newer migration = %d %q; want 503 naming the schema", code, body)
	}
	setVersion(sqlite.SchemaVersion())
	if code, body := ready(); code != http.StatusOK {
		t.Fatalf("/readyz once the schema is back = %d %q; want 200", code, body)
	}
}
