package site

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPagesAreValidHTML runs the Nu HTML Checker (the W3C validator) over
// one page of every kind, in both languages: home, section, later page,
// month and year archives, article, 404, network index and unknown host.
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
	h, _ := demoHandler(t)
	pages := []struct{ host, path string }{
		{"localhost", "/"},
		{"nowhere.localhost", "/"},
		{"un.localhost", "/en/"},
		{"un.localhost", "/zh/"},
		{"un.localhost", "/en/meetings-statements/"},
		{"un.localhost", "/zh/hyyfy/"},
		{"un.localhost", "/en/meetings-statements/page/2/"},
		{"un.localhost", "/en/meetings-statements/2025/"},
		{"un.localhost", "/en/meetings-statements/2025/05/"},
		{"un.localhost", "/en/meetings-statements/security-council/open-debates/2025/05/statement-by-ambassador-mara-lindqvist-oduya-at-the-security-council-open"},
		{"un.localhost", "/zh/hyyfy/alh/gkblh/2025/05/2"},
		{"un.localhost", "/en/no-such-page"},
		{"un.localhost", "/zh/no-such-page"},
		{"embassy.localhost", "/en/"},
		{"embassy.localhost", "/zh/"},
		{"un.localhost", "/en/search/"},
		{"un.localhost", "/en/search/?q=water+security&sort=date"},
		{"un.localhost", "/zh/search/?q=%E5%A4%A7%E4%BD%BF&lang=all"},
		{"un.localhost", "/en/search/?q=-water&from=bad"},
	}
	dir := t.TempDir()
	var files []string
	for i, p := range pages {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://"+p.host+p.path, nil))
		if w.Code != http.StatusOK && w.Code != http.StatusNotFound {
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
