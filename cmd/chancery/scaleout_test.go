package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/mail/mailtest"
	"chancery/internal/store/postgres"
	"chancery/internal/testdb"
)

// TestThreeProcesses runs three chancery serve processes on one
// PostgreSQL database and shows that they act as one network:
//   - a publish made by another process (chancery publish) is served by
//     all three at once, although each held the old page in memory;
//   - "suggest to a friend" messages taken by any of them are delivered
//     exactly once, whichever process's worker claims them;
//   - an article scheduled for a time is published by one of them within
//     a second of it, and shown by all three;
//   - a process killed in the middle of a delivery loses nothing: the
//     others deliver its messages once its claim runs out.
func TestThreeProcesses(t *testing.T) {
	dbURL := testdb.PostgresURL(t)
	if out, err := exec.Command(binary, "init", "--db", dbURL).CombinedOutput(); err != nil {
		t.Fatalf("chancery init: %v\n%s", err, out)
	}
	smtp := mailtest.Start(t, mailtest.Options{Hold: 700 * time.Millisecond})
	args := []string{"--db", dbURL, "--smtp-host", smtp.Host, "--smtp-port", strconv.Itoa(smtp.Port), "--smtp-security", "none",
		"--smtp-from", "news@un.example.org", "--smtp-timeout", "2s", "--share-per-client", "1000"}
	var servers []*server
	var metrics []string
	for range 3 {
		m := "127.0.0.1:" + freePort(t)
		metrics = append(metrics, m)
		servers = append(servers, startServer(t, append(slices.Clone(args), "--metrics-addr", m)...))
	}

	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id int64
	var path string
	if err := db.QueryRow(`SELECT a.id, a.path FROM articles a JOIN site_hosts h ON h.site_id = a.site_id
		WHERE h.host = 'un.localhost' AND a.language = 'en' AND a.status = 'published'
		ORDER BY a.published_at DESC LIMIT 1`).Scan(&id, &path); err != nil {
		t.Fatal(err)
	}
	get := func(s *server, p string) (int, string) {
		t.Helper()
		resp, err := s.client.Get("http://un.localhost" + p)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	t.Run("publish", func(t *testing.T) {
		const notice = "This article has been withdrawn."
		for i, s := range servers {
			// Twice: the second answer comes from the process's memory.
			for range 2 {
				if code, body := get(s, path); code != http.StatusOK || strings.Contains(body, notice) {
					t.Fatalf("process %d: %s = %d before the withdrawal", i, path, code)
				}
			}
		}
		if out, err := exec.Command(binary, "publish", strconv.FormatInt(id, 10), "--withdraw", "--reason", "Issued in error.", "--db", dbURL).CombinedOutput(); err != nil {
			t.Fatalf("chancery publish --withdraw: %v\n%s", err, out)
		}
		done := time.Now()
		for i, s := range servers {
			for {
				if _, body := get(s, path); strings.Contains(body, notice) {
					t.Logf("process %d shows the withdrawal %s after the command ended", i, time.Since(done).Round(time.Millisecond))
					break
				}
				// Epochs are read every ten seconds on PostgreSQL: only the
				// notification makes it sooner.
				if time.Since(done) > 5*time.Second {
					t.Fatalf("process %d still serves the article as published", i)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
	})

	// The article is withdrawn now; share the newest one still published.
	if err := db.QueryRow(`SELECT a.id FROM articles a JOIN site_hosts h ON h.site_id = a.site_id
		WHERE h.host = 'un.localhost' AND a.language = 'en' AND a.status = 'published'
		ORDER BY a.published_at DESC LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	share := func(to []string, on func(i int) *server) {
		t.Helper()
		tokens := make([]string, len(to))
		for i := range to {
			code, body := get(on(i), fmt.Sprintf("/en/share/%d/", id))
			m := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(body)
			if code != http.StatusOK || m == nil {
				t.Fatalf("share form = %d, no token", code)
			}
			tokens[i] = m[1]
		}
		time.Sleep(3100 * time.Millisecond) // a person takes at least this long
		var wg sync.WaitGroup
		for i, addr := range to {
			wg.Go(func() {
				form := url.Values{"token": {tokens[i]}, "to": {addr}, "name": {"Ana"}}
				resp, err := on(i).client.PostForm(fmt.Sprintf("http://un.localhost/en/share/%d/", id), form)
				if err != nil {
					t.Errorf("share to %s: %v", addr, err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `class="done" role="status"`) {
					t.Errorf("share to %s = %d: %.300s", addr, resp.StatusCode, b)
				}
			})
		}
		wg.Wait()
	}
	delivered := func() map[string]int {
		n := map[string]int{}
		for _, m := range smtp.Messages() {
			for _, to := range m.To {
				n[to]++
			}
		}
		return n
	}

	t.Run("mail exactly once", func(t *testing.T) {
		var to []string
		for i := range 9 {
			to = append(to, fmt.Sprintf("reader%d@example.org", i))
		}
		share(to, func(i int) *server { return servers[i%3] })
		smtp.WaitFor(t, len(to), 60*time.Second)
		time.Sleep(2 * time.Second) // a second delivery would come now
		got := delivered()
		for _, addr := range to {
			if got[addr] != 1 {
				t.Errorf("%s received %d messages; want 1", addr, got[addr])
			}
		}
	})

	t.Run("scheduled publishing once", func(t *testing.T) {
		// An article due in two seconds, scheduled from the command line.
		st, err := postgres.Open(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var siteID, sectionID int64
		if err := db.QueryRow(`SELECT a.site_id, a.section_id FROM articles a WHERE a.id = $1`, id).Scan(&siteID, &sectionID); err != nil {
			t.Fatal(err)
		}
		due := time.Now().Add(2 * time.Second)
		a, err := st.CreateArticle(context.Background(), content.Article{SiteID: siteID, SectionID: sectionID, Language: "en",
			Kind: content.KindStatement, Status: content.StatusDraft, Title: "Statement Due at Midnight", BodyHTML: "<p>Due.</p>", PublishedAt: due})
		if err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(binary, "publish", strconv.FormatInt(a.ID, 10), "--db", dbURL).CombinedOutput(); err != nil || !strings.Contains(string(out), "Scheduled") {
			t.Fatalf("chancery publish (scheduled): %v\n%s", err, out)
		}
		if _, home := get(servers[0], "/en/"); strings.Contains(home, a.Title) {
			t.Fatal("the home shows the article before its time")
		}
		for i, s := range servers {
			for {
				if _, home := get(s, "/en/"); strings.Contains(home, a.Title) {
					t.Logf("process %d shows the scheduled article %s after its time", i, time.Since(due).Round(time.Millisecond))
					break
				}
				if time.Since(due) > 5*time.Second {
					t.Fatalf("process %d does not show the article five seconds after its time", i)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		// Summed over the processes: each counts what it did.
		sum := func(name string) int {
			total := 0
			for _, m := range metrics {
				resp, err := http.Get("http://" + m + "/metrics")
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				match := regexp.MustCompile(`(?m)^` + name + ` (\d+)$`).FindSubmatch(b)
				if match == nil {
					t.Fatalf("%s/metrics has no %s", m, name)
				}
				n, _ := strconv.Atoi(string(match[1]))
				total += n
			}
			return total
		}
		if n := sum("chancery_scheduled_published_total"); n != 1 {
			t.Errorf("the processes published the scheduled article %d times; want once", n)
		}
		publishes := sum("chancery_publish_duration_seconds_count")
		if publishes != 1 {
			t.Errorf("publish durations recorded %d times; want the one publication", publishes)
		}
	})

	t.Run("killed mid-delivery", func(t *testing.T) {
		before := len(smtp.Messages())
		var to []string
		for i := range 4 {
			to = append(to, fmt.Sprintf("late%d@example.org", i))
		}
		// The first process takes the forms, and its worker claims them
		// at once (the others read the outbox every few seconds).
		share(to, func(int) *server { return servers[0] })
		deadline := time.Now().Add(30 * time.Second)
		for smtp.Holding() == 0 {
			if time.Now().After(deadline) {
				t.Fatal("no delivery under way")
			}
			time.Sleep(5 * time.Millisecond)
		}
		if err := servers[0].cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		killed := time.Now()
		// Its claim lasts ten times --smtp-timeout; then the others
		// deliver what it had not.
		smtp.WaitFor(t, before+len(to), 60*time.Second)
		t.Logf("every message delivered %s after the kill", time.Since(killed).Round(100*time.Millisecond))
		time.Sleep(2 * time.Second)
		got := delivered()
		for _, addr := range to {
			if got[addr] != 1 {
				t.Errorf("%s received %d messages; want 1", addr, got[addr])
			}
		}
		for i, s := range servers[1:] {
			if code, _ := get(s, "/en/"); code != http.StatusOK {
				t.Errorf("process %d after the kill: home = %d", i+1, code)
			}
		}
	})
}
