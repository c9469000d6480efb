package cli

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestPublishCommandReachesServers withdraws an article from the command
// line while serve runs on the same data directory: within a couple of
// seconds the server shows the notice and its listings drop the article.
func TestPublishCommandReachesServers(t *testing.T) {
	data := t.TempDir()
	addr := startServe(t, "--data", data)
	_, feed := do(t, addr, http.MethodGet, "un.localhost", "/en/feed.json", nil)
	m := regexp.MustCompile(`"id":\s*"tag:un\.localhost,[0-9-]+:article/(\d+)",\s*"url":\s*"http://un\.localhost:\d+(/[^"]+)",\s*"title":\s*"([^"]+)"`).FindStringSubmatch(feed)
	if m == nil {
		t.Fatalf("no entry in the feed:\n%.500s", feed)
	}
	id, path, title := m[1], m[2], m[3]
	if _, home := do(t, addr, http.MethodGet, "un.localhost", "/en/", nil); !strings.Contains(home, title) {
		t.Fatalf("the home does not list %q", title)
	}
	out, _, err := run(t, "publish", id, "--withdraw", "--reason", "Issued in error.", "--data", data)
	if err != nil || !strings.Contains(out, "Withdrew") {
		t.Fatalf("publish --withdraw = %q, %v", out, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, page := do(t, addr, http.MethodGet, "un.localhost", path, nil)
		_, home := do(t, addr, http.MethodGet, "un.localhost", "/en/", nil)
		if strings.Contains(page, "withdrawn") && !strings.Contains(home, title) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("five seconds after the withdrawal, the server still shows the article as published")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, _, err := run(t, "publish", id, "--withdraw", "--reason", "Issued in error.", "--data", data); err == nil || !strings.Contains(err.Error(), "not published") {
		t.Fatalf("withdrawing twice = %v", err)
	}
	// A withdrawn article stays withdrawn, as in the back office; the
	// withdrawal is recorded with its reason, which readers see.
	if _, _, err := run(t, "publish", id, "--data", data); err == nil || !strings.Contains(err.Error(), "stays withdrawn") {
		t.Fatalf("publishing a withdrawn article = %v; want a refusal", err)
	}
	if _, page := do(t, addr, http.MethodGet, "un.localhost", path, nil); !strings.Contains(page, "Issued in error.") {
		t.Fatal("the withdrawn article's page does not give the reason")
	}
	if _, _, err := run(t, "publish", id, "--withdraw", "--data", data); err == nil || !strings.Contains(err.Error(), "--reason") {
		t.Fatalf("--withdraw without --reason = %v", err)
	}
	if _, _, err := run(t, "publish", "999999", "--data", data); err == nil || !strings.Contains(err.Error(), "no article 999999") {
		t.Fatalf("publishing a missing article = %v", err)
	}
	if _, _, err := run(t, "publish", "--data", data); err == nil {
		t.Fatal("publish without an article number succeeded")
	}
}
