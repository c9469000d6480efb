package site

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/internal/theme"
)

// TestPagesAreValidHTML runs the Nu HTML Checker (the W3C validator) over
// one page of every kind, in both languages: home, section, later page,
// month and year archives, article, 404, network index, unknown host,
// search, and the share form (blank, refused, sent, and as a mailto: page
// where the site sends no mail).
// It needs java and vnu.jar; .ci/run installs both.
func TestPagesAreValidHTML(t *testing.T) {
	jar := os.Getenv("CHANCERY_VNU_JAR")
	if jar == "" {
		t.Skip("set CHANCERY_VNU_JAR to the Nu HTML Checker's vnu.jar to check HTML validity " +
			"(npm install vnu-jar, then node_modules/vnu-jar/build/dist/vnu.jar; it needs java: apt-get install default-jre-headless); .ci/run does this")
	}
	java, err := exec.LookPath("java")
	if err != nil {
		t.Fatal("CHANCERY_VNU_JAR is set but java is missing: apt-get install default-jre-headless")
	}
	h, st := demoHandler(t)
	th, err := theme.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	mailing := New(Options{Store: st, Theme: th, Now: func() time.Time { return demoNow }, Share: ShareOptions{From: "news@un.localhost"}})
	pages := []struct {
		host, path string
		// form, when set, is posted (to the handler that sends mail).
		form url.Values
		// noMail serves a share page from a handler that sends no mail.
		noMail bool
	}{
		{"localhost", "/", nil, false},
		{"nowhere.localhost", "/", nil, false},
		{"un.localhost", "/en/", nil, false},
		{"un.localhost", "/zh/", nil, false},
		{"un.localhost", "/en/meetings-statements/", nil, false},
		{"un.localhost", "/zh/hyyfy/", nil, false},
		{"un.localhost", "/en/meetings-statements/page/2/", nil, false},
		{"un.localhost", "/en/meetings-statements/2025/", nil, false},
		{"un.localhost", "/en/meetings-statements/2025/05/", nil, false},
		{"un.localhost", "/zh/hyyfy/2026/03/", nil, false},
		{"un.localhost", "/zh/hyyfy/2026/", nil, false},
		{"un.localhost", "/en/meetings-statements/security-council/open-debates/2025/05/statement-by-ambassador-mara-lindqvist-oduya-at-the-security-council-open", nil, false},
		{"un.localhost", "/zh/hyyfy/alh/gkblh/2025/05/2", nil, false},
		{"un.localhost", "/en/no-such-page", nil, false},
		{"un.localhost", "/zh/no-such-page", nil, false},
		{"embassy.localhost", "/en/", nil, false},
		{"embassy.localhost", "/zh/", nil, false},
		{"un.localhost", "/en/search/", nil, false},
		{"un.localhost", "/en/search/?q=water+security&sort=date", nil, false},
		{"un.localhost", "/zh/search/?q=%E5%A4%A7%E4%BD%BF&lang=all", nil, false},
		{"un.localhost", "/en/search/?q=-water&from=bad", nil, false},
		{"un.localhost", "/en/share/1/", nil, false},
		{"un.localhost", "/zh/share/2/", nil, false},
		{"un.localhost", "/en/share/1/?sent=2", nil, false},
		{"un.localhost", "/zh/share/2/", nil, true},
		{"un.localhost", "/zh/share/2/", url.Values{"to": {"bad address"}, "name": {"王小明"}}, false},
	}
	dir := t.TempDir()
	var files []string
	for i, p := range pages {
		w := httptest.NewRecorder()
		switch {
		case p.form != nil:
			r := httptest.NewRequest(http.MethodPost, "http://"+p.host+p.path, strings.NewReader(p.form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			mailing.ServeHTTP(w, r)
		case strings.Contains(p.path, "/share/") && !p.noMail:
			mailing.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://"+p.host+p.path, nil))
		default:
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://"+p.host+p.path, nil))
		}
		if strings.Contains(p.path, "/share/") && w.Code != http.StatusOK && (p.form == nil || w.Code != http.StatusBadRequest) {
			t.Fatalf("%s%s = %d; the share pages must exist to be checked", p.host, p.path, w.Code)
		}
		if w.Code != http.StatusOK && w.Code != http.StatusNotFound && w.Code != http.StatusBadRequest {
			t.Fatalf("%s%s = %d", p.host, p.path, w.Code)
		}
		body, _ := io.ReadAll(w.Body)
		name := filepath.Join(dir, fmt.Sprintf("%02d-%s.html", i, strings.NewReplacer("/", "_", ".", "_", "?", "_", "&", "_", "=", "_", "%", "_", "+", "_").Replace(p.host+p.path)))
		if err := os.WriteFile(name, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	cmd := exec.Command(java, append([]string{"-jar", jar, "--errors-only", "--format", "text"}, files...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the Nu HTML Checker found errors:\n%s", out)
	}
}
