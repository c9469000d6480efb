package cli

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"chancery/internal/account"
	"chancery/internal/admin"
	"chancery/internal/auth"
	"chancery/internal/content"
	"chancery/internal/store"
	"chancery/internal/store/postgres"
	"chancery/internal/store/sqlite"
)

// userNet is a network with two sites, paris and tokyo, and no user, on
// one engine, with a store open on it to look at what the user commands
// wrote.
type userNet struct {
	db          database
	st          store.Store
	paris, tkyo content.Site
}

// newUserNet makes the network with the command line and opens a store
// on it.
func newUserNet(t *testing.T, db database) *userNet {
	t.Helper()
	if _, _, err := run(t, append([]string{"init", "--empty"}, db.args...)...); err != nil {
		t.Fatal(err)
	}
	for _, s := range [][]string{
		{"--key", "paris", "--host", "paris.example.org", "--name", "en=Embassy in Paris"},
		{"--key", "tokyo", "--host", "tokyo.example.org", "--name", "en=Embassy in Tokyo"},
	} {
		if _, _, err := run(t, append(append([]string{"site", "add"}, s...), db.args...)...); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	var (
		st  store.Store
		err error
	)
	switch db.args[0] {
	case "--data":
		st, err = sqlite.Open(ctx, filepath.Join(db.args[1], dbFile))
	case "--db":
		st, err = postgres.Open(ctx, db.args[1])
	default:
		t.Fatalf("unknown location %v", db.args)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	n := &userNet{db: db, st: st}
	if n.paris, err = st.SiteByKey(ctx, "paris"); err != nil {
		t.Fatal(err)
	}
	if n.tkyo, err = st.SiteByKey(ctx, "tokyo"); err != nil {
		t.Fatal(err)
	}
	return n
}

// user runs "chancery user args…" on the network.
func (n *userNet) user(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, _, err := run(t, append(append([]string{"user"}, args...), n.db.args...)...)
	return out, err
}

// mustUser runs a user command that must succeed.
func (n *userNet) mustUser(t *testing.T, args ...string) string {
	t.Helper()
	out, err := n.user(t, args...)
	if err != nil {
		t.Fatalf("user %v: %v", args, err)
	}
	return out
}

func (n *userNet) byEmail(t *testing.T, email string) account.User {
	t.Helper()
	u, err := n.st.Accounts().UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	return u
}

func (n *userNet) roles(t *testing.T, u account.User) map[int64]account.Role {
	t.Helper()
	r, err := n.st.Accounts().Roles(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// audit returns the whole audit log, oldest first.
func (n *userNet) audit(t *testing.T) []store.AuditEntry {
	t.Helper()
	log, err := n.st.Accounts().AuditLog(context.Background(), store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(log)-1; i < j; i, j = i+1, j-1 {
		log[i], log[j] = log[j], log[i]
	}
	return log
}

// lastAudit checks the newest audit entry: written by the command line,
// with the action, site and detail given.
func (n *userNet) lastAudit(t *testing.T, action string, siteID int64, detail string) {
	t.Helper()
	log := n.audit(t)
	if len(log) == 0 {
		t.Fatalf("no audit entry; want %s", action)
	}
	e := log[len(log)-1]
	if e.Action != action || e.Email != cliAudit || e.UserID != 0 || e.SiteID != siteID || e.Detail != detail {
		t.Fatalf("last audit entry = %+v; want %s by %s on site %d: %q", e, action, cliAudit, siteID, detail)
	}
	if time.Since(e.At) > time.Minute || time.Until(e.At) > time.Minute {
		t.Fatalf("audit entry at %v; want now", e.At)
	}
}

// linkPattern finds the one-time password address in a command's output.
var linkPattern = regexp.MustCompile(`(?m)^  (\S+)/admin/password/([A-Za-z0-9_-]+)$`)

// passwordLink returns the base and the secret of the address printed.
func passwordLink(t *testing.T, out string) (base, secret string) {
	t.Helper()
	m := linkPattern.FindAllStringSubmatch(out, -1)
	if len(m) != 1 {
		t.Fatalf("want one password address in %q", out)
	}
	if !auth.ValidTokenShape(m[0][2]) {
		t.Fatalf("the address's token %q is not one auth.NewToken makes", m[0][2])
	}
	return m[0][1], m[0][2]
}

// tokenFor reports whether the password token secret is valid now, and
// for whom.
func (n *userNet) tokenFor(t *testing.T, secret string) (int64, bool) {
	t.Helper()
	tok, err := n.st.Accounts().Token(context.Background(), store.TokenPassword, auth.HashToken(secret), time.Now())
	if errors.Is(err, content.ErrNotFound) {
		return 0, false
	}
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(tok.ExpiresAt); d < 23*time.Hour || d > 25*time.Hour {
		t.Fatalf("the password address expires in %v; want 24 hours", d)
	}
	return tok.UserID, true
}

// session gives the user a session, as a sign-in would, and returns its
// hash.
func (n *userNet) session(t *testing.T, u account.User) []byte {
	t.Helper()
	_, hash := auth.NewToken()
	now := time.Now()
	if err := n.st.Accounts().CreateSession(context.Background(), store.Session{Hash: hash, UserID: u.ID, Verified: true,
		CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(time.Hour), Address: "192.0.2.1", UserAgent: "test"}); err != nil {
		t.Fatal(err)
	}
	return hash
}

func (n *userNet) sessions(t *testing.T, u account.User) int {
	t.Helper()
	s, err := n.st.Accounts().Sessions(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return len(s)
}

// backOffice is the back office on the network, reached as a browser
// would with a cookie jar, without following redirects.
type backOffice struct {
	srv    *httptest.Server
	client *http.Client
}

func (n *userNet) backOffice(t *testing.T) *backOffice {
	t.Helper()
	h, err := admin.New(admin.Options{Store: n.st})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &backOffice{srv: srv, client: newBrowser(t)}
}

func newBrowser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (b *backOffice) do(t *testing.T, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp, string(page)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// choosePassword opens a password address in the back office and sets
// the password there, failing unless the person ends signed in.
func (b *backOffice) choosePassword(t *testing.T, secret, email, password string) {
	t.Helper()
	path := "/admin/password/" + secret
	resp, page := b.do(t, http.MethodGet, path, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Choose a password") {
		t.Fatalf("GET the password address = %d; want the form for %s:\n%.600s", resp.StatusCode, email, page)
	}
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the password form has no csrf field:\n%.600s", page)
	}
	resp, page = b.do(t, http.MethodPost, path, url.Values{"csrf": {m[1]}, "password": {password}, "password2": {password}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/" {
		t.Fatalf("POST the password = %d to %q; want 303 to /admin/:\n%.600s", resp.StatusCode, resp.Header.Get("Location"), page)
	}
	resp, page = b.do(t, http.MethodGet, "/admin/account", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, email) {
		t.Fatalf("after choosing a password, /admin/account = %d; want the account of %s", resp.StatusCode, email)
	}
}

// refusesLink checks that the back office refuses a password address.
func (b *backOffice) refusesLink(t *testing.T, secret string) {
	t.Helper()
	resp, page := b.do(t, http.MethodGet, "/admin/password/"+secret, nil)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "reset-password") {
		t.Fatalf("GET a spent password address = %d; want 404 with advice:\n%.600s", resp.StatusCode, page)
	}
}

const testPassword = "a long enough pass phrase"

func TestUserHelp(t *testing.T) {
	out, _, err := run(t, "user", "--help")
	if err != nil || !strings.Contains(out, "Usage: chancery user") {
		t.Fatalf("user --help = %q, %v", out, err)
	}
	for _, sub := range []string{"add", "list", "set-role", "reset-password", "disable", "enable"} {
		out, _, err := run(t, "user", sub, "--help")
		if err != nil || !strings.Contains(out, "Usage: chancery user "+sub) || !strings.Contains(out, "--data") {
			t.Errorf("user %s --help = %q, %v", sub, out, err)
		}
	}
	var usage *UsageError
	if _, _, err := run(t, "user"); !errors.As(err, &usage) || !strings.Contains(err.Error(), "add, list, set-role, reset-password, disable, enable") {
		t.Fatalf("user without a subcommand: %v; want a usage error listing them", err)
	}
	if _, _, err := run(t, "user", "remove"); !errors.As(err, &usage) || !strings.Contains(err.Error(), "set-role") {
		t.Fatalf("unknown subcommand: %v; want a usage error listing them", err)
	}
}

// TestUserAdd adds people with and without a role, and as network
// administrators, and follows the printed address to choose a password.
func TestUserAdd(t *testing.T) {
	for _, db := range databases(t) {
		t.Run(db.name, func(t *testing.T) {
			n := newUserNet(t, db)
			ctx := context.Background()

			out := n.mustUser(t, "list")
			if !strings.Contains(out, "No one has an account yet") || !strings.Contains(out, "chancery serve") || !strings.Contains(out, "chancery user add") {
				t.Fatalf("list of no one = %q", out)
			}

			// With a role on a site, given by key; the address is trimmed
			// and kept in lower case, the name's spaces tidied.
			out = n.mustUser(t, "add", "--email", " Press@Paris.Example.org ", "--name", " Li   Wei ", "--site", "paris", "--role", "Editor")
			if !strings.HasPrefix(out, "Added press@paris.example.org.\n") || !strings.Contains(out, "within 24 hours") {
				t.Fatalf("add = %q", out)
			}
			base, pressLink := passwordLink(t, out)
			if base != "http://localhost:8080" {
				t.Fatalf("address printed on %q; want the default http://localhost:8080", base)
			}
			press := n.byEmail(t, "press@paris.example.org")
			if press.Name != "Li Wei" || press.NetworkAdmin || press.Disabled || press.PasswordHash != "" || press.Language != "en" {
				t.Fatalf("added user = %+v", press)
			}
			if r := n.roles(t, press); len(r) != 1 || r[n.paris.ID] != account.RoleEditor {
				t.Fatalf("roles = %v; want editor of paris", r)
			}
			if id, ok := n.tokenFor(t, pressLink); !ok || id != press.ID {
				t.Fatalf("token of the printed address: user %d, %v; want user %d", id, ok, press.ID)
			}
			n.lastAudit(t, "user-added", n.paris.ID, "press@paris.example.org, editor of paris")

			// A network administrator, with the address of a real server
			// and the back office in Chinese.
			out = n.mustUser(t, "add", "--email", "Chief@Example.org", "--network-admin", "--language", "zh", "--admin-url", "https://chancery.example.org/")
			base, chiefLink := passwordLink(t, out)
			if base != "https://chancery.example.org" {
				t.Fatalf("address printed on %q; want --admin-url without its slash", base)
			}
			chief := n.byEmail(t, "chief@example.org")
			if !chief.NetworkAdmin || chief.Language != "zh" || chief.Name != "" {
				t.Fatalf("network administrator = %+v", chief)
			}
			if r := n.roles(t, chief); len(r) != 0 {
				t.Fatalf("network administrator's roles = %v; want none", r)
			}
			if id, ok := n.tokenFor(t, chiefLink); !ok || id != chief.ID {
				t.Fatal("the network administrator's address has no token")
			}
			n.lastAudit(t, "user-added", 0, "chief@example.org, network administrator")

			// No role at all; a site given by one of its hosts.
			n.mustUser(t, "add", "--email", "nobody@example.org")
			if r := n.roles(t, n.byEmail(t, "nobody@example.org")); len(r) != 0 {
				t.Fatalf("roles = %v; want none", r)
			}
			n.lastAudit(t, "user-added", 0, "nobody@example.org")
			n.mustUser(t, "add", "--email", "translator@example.org", "--site", "TOKYO.example.org", "--role", "translator")
			if r := n.roles(t, n.byEmail(t, "translator@example.org")); len(r) != 1 || r[n.tkyo.ID] != account.RoleTranslator {
				t.Fatalf("roles = %v; want translator of tokyo", r)
			}
			n.lastAudit(t, "user-added", n.tkyo.ID, "translator@example.org, translator of tokyo")

			// A second add of the same address, in another case and with
			// another role, is refused and writes nothing: not the role,
			// not a new address (the first one still works), not the log.
			before := len(n.audit(t))
			_, err := n.user(t, "add", "--email", "PRESS@paris.example.org", "--name", "Someone Else", "--site", "tokyo", "--role", "admin", "--network-admin")
			if err == nil || !strings.Contains(err.Error(), "press@paris.example.org has an account already") ||
				!strings.Contains(err.Error(), "chancery user set-role") || !strings.Contains(err.Error(), "Nothing was written") {
				t.Fatalf("second add of an address: %v; want a refusal pointing to set-role", err)
			}
			if again := n.byEmail(t, "press@paris.example.org"); again.Name != "Li Wei" || again.NetworkAdmin {
				t.Fatalf("the refused add changed the user: %+v", again)
			}
			if r := n.roles(t, press); len(r) != 1 || r[n.paris.ID] != account.RoleEditor {
				t.Fatalf("the refused add changed the roles: %v", r)
			}
			if users, _ := n.st.Accounts().CountUsers(ctx); users != 4 {
				t.Fatalf("%d users; want 4", users)
			}
			if len(n.audit(t)) != before {
				t.Fatalf("the refused add was logged: %+v", n.audit(t)[before:])
			}
			if _, ok := n.tokenFor(t, pressLink); !ok {
				t.Fatal("the refused add spent the first password address")
			}

			// The printed address works, once.
			b := n.backOffice(t)
			b.choosePassword(t, pressLink, "press@paris.example.org", testPassword)
			if u := n.byEmail(t, "press@paris.example.org"); u.PasswordHash == "" {
				t.Fatal("no password after choosing one")
			}
			if _, ok := n.tokenFor(t, pressLink); ok {
				t.Fatal("the password address still works after its use")
			}
			newBrowserOn(b, t).refusesLink(t, pressLink)
		})
	}
}

// newBrowserOn is the same back office in another browser.
func newBrowserOn(b *backOffice, t *testing.T) *backOffice {
	return &backOffice{srv: b.srv, client: newBrowser(t)}
}

// TestUserList lists people with their roles, second factor and state.
func TestUserList(t *testing.T) {
	for _, db := range databases(t) {
		t.Run(db.name, func(t *testing.T) {
			n := newUserNet(t, db)
			ctx := context.Background()
			n.mustUser(t, "add", "--email", "chief@example.org", "--name", "The Chief", "--network-admin", "--site", "paris", "--role", "admin")
			n.mustUser(t, "add", "--email", "press@example.org", "--name", "Li Wei", "--site", "paris", "--role", "editor")
			n.mustUser(t, "set-role", "--email", "press@example.org", "--site", "tokyo", "--role", "author")
			n.mustUser(t, "add", "--email", "away@example.org")
			n.mustUser(t, "add", "--email", "active@example.org", "--site", "tokyo", "--role", "translator")
			n.mustUser(t, "disable", "--email", "away@example.org")
			active := n.byEmail(t, "active@example.org")
			active.PasswordHash = "$argon2id$v=19$m=65536,t=1,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g"
			active.TOTPSecret = []byte("0123456789abcdefghij")
			if err := n.st.Accounts().UpdateUser(ctx, active); err != nil {
				t.Fatal(err)
			}

			out := n.mustUser(t, "list")
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			if len(lines) != 5 {
				t.Fatalf("list = %q; want a header and four people", out)
			}
			want := [][]string{
				{"EMAIL", "NAME", "ROLES", "TWO-FACTOR", "STATE"},
				{"active@example.org", "tokyo=translator", "on", "active"},
				{"away@example.org", "-", "off", "disabled"},
				{"chief@example.org", "The Chief", "network administrator,paris=admin", "off", "no password yet"},
				{"press@example.org", "Li Wei", "paris=editor,tokyo=author", "off", "no password yet"},
			}
			for i, w := range want {
				fields := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(lines[i]), -1)
				if strings.Join(fields, "|") != strings.Join(w, "|") {
					t.Errorf("line %d = %q; want the columns %q", i, lines[i], w)
				}
			}
			if _, err := n.user(t, "list", "--bogus"); err == nil {
				t.Fatal("list with an unknown flag succeeded")
			}
		})
	}
}

// TestUserSetRole gives, replaces and takes away roles.
func TestUserSetRole(t *testing.T) {
	for _, db := range databases(t) {
		t.Run(db.name, func(t *testing.T) {
			n := newUserNet(t, db)
			n.mustUser(t, "add", "--email", "press@example.org", "--site", "paris", "--role", "editor")
			press := n.byEmail(t, "press@example.org")

			out := n.mustUser(t, "set-role", "--email", "Press@Example.org", "--site", "paris", "--role", "author")
			if out != "press@example.org is now author on paris.\n" {
				t.Fatalf("set-role = %q", out)
			}
			if r := n.roles(t, press); len(r) != 1 || r[n.paris.ID] != account.RoleAuthor {
				t.Fatalf("roles = %v; want author of paris only (replaced)", r)
			}
			n.lastAudit(t, "role", n.paris.ID, "press@example.org: author")

			n.mustUser(t, "set-role", "--email", "press@example.org", "--site", "tokyo.example.org", "--role", "ADMIN")
			if r := n.roles(t, press); len(r) != 2 || r[n.paris.ID] != account.RoleAuthor || r[n.tkyo.ID] != account.RoleAdmin {
				t.Fatalf("roles = %v; want author of paris, admin of tokyo", r)
			}
			n.lastAudit(t, "role", n.tkyo.ID, "press@example.org: admin")

			out = n.mustUser(t, "set-role", "--email", "press@example.org", "--site", "paris", "--role", "none")
			if out != "press@example.org no longer has a role on paris.\n" {
				t.Fatalf("set-role none = %q", out)
			}
			if r := n.roles(t, press); len(r) != 1 || r[n.tkyo.ID] != account.RoleAdmin {
				t.Fatalf("roles = %v; want admin of tokyo only", r)
			}
			n.lastAudit(t, "role", n.paris.ID, "press@example.org: none")
			// Taking away a role the person does not have is no error.
			n.mustUser(t, "set-role", "--email", "press@example.org", "--site", "paris", "--role", "none")
			if r := n.roles(t, press); len(r) != 1 {
				t.Fatalf("roles = %v", r)
			}
		})
	}
}

// TestUserResetPassword ends the person's sessions and replaces their
// password address with a new one.
func TestUserResetPassword(t *testing.T) {
	for _, db := range databases(t) {
		t.Run(db.name, func(t *testing.T) {
			n := newUserNet(t, db)
			out := n.mustUser(t, "add", "--email", "press@example.org", "--site", "paris", "--role", "editor")
			_, first := passwordLink(t, out)
			out = n.mustUser(t, "add", "--email", "other@example.org")
			_, other := passwordLink(t, out)
			press, otherUser := n.byEmail(t, "press@example.org"), n.byEmail(t, "other@example.org")
			n.session(t, press)
			n.session(t, press)
			n.session(t, otherUser)
			press.PasswordHash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
			if err := n.st.Accounts().UpdateUser(context.Background(), press); err != nil {
				t.Fatal(err)
			}

			out = n.mustUser(t, "reset-password", "--email", "PRESS@example.org", "--admin-url", "https://chancery.example.org")
			if !strings.HasPrefix(out, "press@example.org is signed out everywhere and their old password no longer works.") || !strings.Contains(out, "within 24 hours") {
				t.Fatalf("reset-password = %q", out)
			}
			base, second := passwordLink(t, out)
			if base != "https://chancery.example.org" {
				t.Fatalf("address printed on %q", base)
			}
			if s := n.sessions(t, press); s != 0 {
				t.Fatalf("%d sessions after reset-password; want none", s)
			}
			if u := n.byEmail(t, "press@example.org"); u.PasswordHash != "" {
				t.Fatal("the old password still works after reset-password")
			}
			if s := n.sessions(t, otherUser); s != 1 {
				t.Fatalf("reset-password ended another person's sessions: %d left", s)
			}
			if _, ok := n.tokenFor(t, first); ok {
				t.Fatal("the earlier password address still works")
			}
			if id, ok := n.tokenFor(t, second); !ok || id != press.ID {
				t.Fatal("the new password address has no token")
			}
			if _, ok := n.tokenFor(t, other); !ok {
				t.Fatal("reset-password spent another person's address")
			}
			n.lastAudit(t, "password-reset", 0, "press@example.org")

			b := n.backOffice(t)
			b.refusesLink(t, first)
			b.choosePassword(t, second, "press@example.org", testPassword)

			// Signed in with the chosen password, the person is signed
			// out by the next reset, and that browser's session ends.
			n.mustUser(t, "reset-password", "--email", "press@example.org")
			if s := n.sessions(t, press); s != 0 {
				t.Fatalf("%d sessions after the second reset; want none", s)
			}
			if resp, _ := b.do(t, http.MethodGet, "/admin/account", nil); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("the browser signed in before the reset gets /admin/account = %d; want 401", resp.StatusCode)
			}
			newBrowserOn(b, t).refusesLink(t, second)
		})
	}
}

// TestUserDisableEnable stops a person signing in and lets them again.
func TestUserDisableEnable(t *testing.T) {
	for _, db := range databases(t) {
		t.Run(db.name, func(t *testing.T) {
			n := newUserNet(t, db)
			out := n.mustUser(t, "add", "--email", "press@example.org", "--site", "paris", "--role", "editor")
			_, link := passwordLink(t, out)
			n.mustUser(t, "add", "--email", "other@example.org")
			press, other := n.byEmail(t, "press@example.org"), n.byEmail(t, "other@example.org")
			b := n.backOffice(t)
			b.choosePassword(t, link, "press@example.org", testPassword)
			n.session(t, press)
			n.session(t, other)

			out = n.mustUser(t, "disable", "--email", "Press@example.org")
			if out != "press@example.org can no longer sign in; their sessions have ended. What they wrote stays.\n" {
				t.Fatalf("disable = %q", out)
			}
			u := n.byEmail(t, "press@example.org")
			if !u.Disabled || u.PasswordHash == "" {
				t.Fatalf("after disable: %+v; want disabled, password kept", u)
			}
			if s := n.sessions(t, press); s != 0 {
				t.Fatalf("%d sessions after disable; want none", s)
			}
			if s := n.sessions(t, other); s != 1 {
				t.Fatalf("disable ended another person's sessions: %d left", s)
			}
			if r := n.roles(t, press); r[n.paris.ID] != account.RoleEditor {
				t.Fatalf("disable took the roles away: %v", r)
			}
			n.lastAudit(t, "user-disabled", 0, "press@example.org")
			if resp, _ := b.do(t, http.MethodGet, "/admin/account", nil); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("a disabled person's browser gets /admin/account = %d; want 401", resp.StatusCode)
			}
			if signIn(t, newBrowserOn(b, t), "press@example.org", testPassword) {
				t.Fatal("a disabled person signed in")
			}

			out = n.mustUser(t, "enable", "--email", "press@example.org")
			if out != "press@example.org can sign in again.\n" {
				t.Fatalf("enable = %q", out)
			}
			if u := n.byEmail(t, "press@example.org"); u.Disabled {
				t.Fatal("still disabled after enable")
			}
			n.lastAudit(t, "user-enabled", 0, "press@example.org")
			if !signIn(t, newBrowserOn(b, t), "press@example.org", testPassword) {
				t.Fatal("an enabled person cannot sign in with their password")
			}
		})
	}
}

// signIn signs in through the back office's form and reports whether it
// worked.
func signIn(t *testing.T, b *backOffice, email, password string) bool {
	t.Helper()
	resp, page := b.do(t, http.MethodGet, "/admin/sign-in", nil)
	m := csrfInput.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("GET /admin/sign-in = %d:\n%.600s", resp.StatusCode, page)
	}
	resp, page = b.do(t, http.MethodPost, "/admin/sign-in", url.Values{"csrf": {m[1]}, "email": {email}, "password": {password}})
	switch resp.StatusCode {
	case http.StatusSeeOther:
		return true
	case http.StatusUnauthorized:
		return false
	}
	t.Fatalf("POST /admin/sign-in = %d:\n%.600s", resp.StatusCode, page)
	return false
}

// TestUserBadInput gives each subcommand what it cannot use: each is
// refused with a message saying what to do, and nothing is written.
func TestUserBadInput(t *testing.T) {
	for _, db := range databases(t) {
		t.Run(db.name, func(t *testing.T) {
			n := newUserNet(t, db)
			n.mustUser(t, "add", "--email", "press@example.org", "--site", "paris", "--role", "editor")
			press := n.byEmail(t, "press@example.org")
			before := len(n.audit(t))

			type refusal struct {
				args  []string
				usage bool     // a *UsageError (exit status 2)
				want  []string // in the message
			}
			cases := map[string]refusal{
				"add without --email":      {[]string{"add", "--name", "Li Wei"}, true, []string{"e-mail address is empty"}},
				"add with a bad --email":   {[]string{"add", "--email", "press at example.org"}, true, []string{"press at example.org", "name@example.org"}},
				"add with a named --email": {[]string{"add", "--email", "Li Wei <li@example.org>"}, true, []string{"name@example.org"}},
				"add, unknown role":        {[]string{"add", "--email", "a@example.org", "--site", "paris", "--role", "boss"}, true, []string{"--role", "boss", "admin, editor, author or translator"}},
				"add, --site alone":        {[]string{"add", "--email", "a@example.org", "--site", "paris"}, true, []string{"--site and --role together"}},
				"add, --role alone":        {[]string{"add", "--email", "a@example.org", "--role", "editor"}, true, []string{"--site and --role together"}},
				"add, unknown site":        {[]string{"add", "--email", "a@example.org", "--site", "berlin", "--role", "editor"}, false, []string{"berlin", "paris.example.org", "Nothing was written"}},
				"add, bad language":        {[]string{"add", "--email", "a@example.org", "--language", "fr"}, true, []string{"en or zh"}},
				"add, unknown flag":        {[]string{"add", "--email", "a@example.org", "--password", "x"}, true, []string{"--help"}},
				"set-role without --site":  {[]string{"set-role", "--email", "press@example.org", "--role", "author"}, true, []string{"--email, --site and --role"}},
				"set-role without --role":  {[]string{"set-role", "--email", "press@example.org", "--site", "paris"}, true, []string{"--email, --site and --role"}},
				"set-role, unknown role":   {[]string{"set-role", "--email", "press@example.org", "--site", "paris", "--role", "owner"}, true, []string{"owner", "admin, editor, author or translator", "none"}},
				"set-role, unknown site":   {[]string{"set-role", "--email", "press@example.org", "--site", "berlin", "--role", "author"}, false, []string{"berlin", "paris.example.org", "Nothing was written"}},
				"set-role, unknown user":   {[]string{"set-role", "--email", "ghost@example.org", "--site", "paris", "--role", "author"}, false, []string{"ghost@example.org", "chancery user list", "chancery user add"}},
				"set-role without --email": {[]string{"set-role", "--site", "paris", "--role", "author"}, true, []string{"--email"}},
			}
			for _, sub := range []string{"reset-password", "disable", "enable"} {
				cases[sub+" without --email"] = refusal{[]string{sub}, true, []string{"--email"}}
				cases[sub+" with a bad --email"] = refusal{[]string{sub, "--email", "press@"}, true, []string{"--email", "name@example.org"}}
				cases[sub+", unknown user"] = refusal{[]string{sub, "--email", "ghost@example.org"}, false, []string{"ghost@example.org", "chancery user list", "chancery user add"}}
			}
			for name, c := range cases {
				out, err := n.user(t, c.args...)
				if err == nil {
					t.Errorf("%s: succeeded with %q", name, out)
					continue
				}
				var usage *UsageError
				if errors.As(err, &usage) != c.usage {
					t.Errorf("%s: %v is a usage error: %v; want %v", name, err, !c.usage, c.usage)
				}
				for _, w := range c.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("%s: %q; want it to say %q", name, err, w)
					}
				}
				if strings.Contains(out, "/admin/password/") {
					t.Errorf("%s: printed a password address: %q", name, out)
				}
			}
			if users, _ := n.st.Accounts().CountUsers(context.Background()); users != 1 {
				t.Fatalf("%d users after refusals; want 1", users)
			}
			if r := n.roles(t, press); len(r) != 1 || r[n.paris.ID] != account.RoleEditor {
				t.Fatalf("roles after refusals = %v", r)
			}
			if log := n.audit(t); len(log) != before {
				t.Fatalf("refusals were logged: %+v", log[before:])
			}
		})
	}
}

// TestUserNeedsNetwork checks that the commands that change people do not
// make a network where there is none (a mistyped --data).
func TestUserNeedsNetwork(t *testing.T) {
	for _, args := range [][]string{
		{"set-role", "--email", "a@example.org", "--site", "paris", "--role", "author"},
		{"reset-password", "--email", "a@example.org"},
		{"disable", "--email", "a@example.org"},
		{"enable", "--email", "a@example.org"},
	} {
		data := filepath.Join(t.TempDir(), "typo")
		_, _, err := run(t, append(append([]string{"user"}, args...), "--data", data)...)
		if err == nil || !strings.Contains(err.Error(), "chancery init") {
			t.Errorf("%v on a missing data directory: %v; want advice to run init", args, err)
		}
		if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%v made the data directory %s", args, data)
		}
	}
}

// TestUserAddNamesEmailFlag checks that add without --email names the
// flag to give, as the other subcommands do.
func TestUserAddNamesEmailFlag(t *testing.T) {
	_, _, err := run(t, "user", "add", "--name", "Li Wei", "--data", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "--email") {
		t.Fatalf("add without --email: %v; want a message naming --email", err)
	}
}

// TestPasswordFormNamesAccount checks that the form of a password
// address says whose password it sets.
func TestPasswordFormNamesAccount(t *testing.T) {
	n := newUserNet(t, databases(t)[0])
	_, secret := passwordLink(t, n.mustUser(t, "add", "--email", "press@example.org"))
	resp, page := n.backOffice(t).do(t, http.MethodGet, "/admin/password/"+secret, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "<strong>press@example.org</strong>") {
		t.Fatalf("GET the password address = %d; want it to name press@example.org:\n%.1500s", resp.StatusCode, page)
	}
}

// TestUserResetPasswordOfDisabled checks that reset-password does not
// print, for a disabled person, an address the back office refuses.
func TestUserResetPasswordOfDisabled(t *testing.T) {
	n := newUserNet(t, databases(t)[0])
	n.mustUser(t, "add", "--email", "press@example.org")
	n.mustUser(t, "disable", "--email", "press@example.org")
	out, err := n.user(t, "reset-password", "--email", "press@example.org")
	if err == nil || !strings.Contains(err.Error(), "chancery user enable") || strings.Contains(out, "/admin/password/") {
		t.Fatalf("reset-password of a disabled person = %q, %v; want a refusal pointing to enable", out, err)
	}
}
