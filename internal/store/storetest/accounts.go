package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"chancery/internal/account"
	"chancery/internal/content"
	"chancery/internal/store"
)

// accountsT0 is a time with microseconds, which the store keeps.
var accountsT0 = time.Date(2026, 4, 2, 9, 30, 15, 123456000, time.UTC)

func mustUser(t *testing.T, q store.Queries, email string) account.User {
	t.Helper()
	u, err := q.Accounts().CreateUser(context.Background(), account.User{Email: email, Name: "User " + email, CreatedAt: accountsT0})
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

// hash is the SHA-256 of a secret, as sessions and tokens are kept.
func hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// testUsers stores users whole, normalized, unique by e-mail address in
// any case, and finds them by ID and by address.
func testUsers(t *testing.T, s store.Store) {
	ctx := context.Background()
	aq := s.Accounts()
	if n, err := aq.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("CountUsers of a new network = %d, %v; want 0", n, err)
	}
	if users, err := aq.Users(ctx); err != nil || len(users) != 0 {
		t.Fatalf("Users of a new network = %v, %v; want none", users, err)
	}
	full := account.User{Email: "  Chargé@Example.ORG ", Name: " Ana   Lima ", PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
		TOTPSecret: []byte("12345678901234567890"), TOTPStep: 59_000_001, RecoveryCodes: []string{"hash-1", "hash-2"},
		NetworkAdmin: true, Language: "zh", CreatedAt: accountsT0, UpdatedAt: accountsT0.Add(time.Second)}
	ana, err := aq.CreateUser(ctx, full)
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	want := full
	want.ID, want.Email, want.Name = ana.ID, "chargé@example.org", "Ana Lima"
	if ana.ID == 0 || !reflect.DeepEqual(ana, want) {
		t.Fatalf("CreateUser returned %+v; want %+v", ana, want)
	}
	if got, err := aq.User(ctx, ana.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("User(%d) = %+v, %v; want %+v", ana.ID, got, err, want)
	}
	if got, err := aq.UserByEmail(ctx, " CHARGÉ@example.org"); err != nil || got.ID != ana.ID {
		t.Fatalf("UserByEmail in another case = %+v, %v; want user %d", got, err, ana.ID)
	}

	// A bare user: no second factor, no recovery codes, English, stamped
	// now.
	before := time.Now().Add(-time.Second)
	bo, err := aq.CreateUser(ctx, account.User{Email: "bo@example.org"})
	if err != nil {
		t.Fatalf("CreateUser(bare): %v", err)
	}
	got, err := aq.User(ctx, bo.ID)
	if err != nil || got.TOTPSecret != nil || got.RecoveryCodes != nil || got.TwoFactor() || got.Language != "en" ||
		got.NetworkAdmin || got.Disabled || got.PasswordHash != "" {
		t.Fatalf("bare user read back as %+v, %v", got, err)
	}
	if got.CreatedAt.Before(before) || !got.UpdatedAt.Equal(got.CreatedAt) || got.CreatedAt.Location() != time.UTC ||
		!reflect.DeepEqual(got, bo) {
		t.Fatalf("bare user stamped %v/%v; want now, in UTC, as CreateUser returned (%+v)", got.CreatedAt, got.UpdatedAt, bo)
	}
	if bo.ID <= ana.ID {
		t.Fatalf("user IDs %d then %d; want them rising", ana.ID, bo.ID)
	}

	if _, err := aq.CreateUser(ctx, account.User{Email: "CHARGÉ@example.org"}); !errors.Is(err, content.ErrConflict) {
		t.Fatalf("CreateUser with a taken address = %v; want ErrConflict", err)
	}
	if _, err := aq.CreateUser(ctx, account.User{Email: "not an address"}); !errors.Is(err, account.ErrInvalid) {
		t.Fatalf("CreateUser with a bad address = %v; want ErrInvalid", err)
	}
	if _, err := aq.CreateUser(ctx, account.User{Email: "c@example.org", RecoveryCodes: []string{"a\nb"}}); err == nil {
		t.Fatal("CreateUser with a recovery code holding a line break succeeded")
	}
	// A conflict leaves the transaction usable (PostgreSQL ends one on a
	// failed statement).
	err = s.InTx(ctx, func(q store.Queries) error {
		if _, err := q.Accounts().CreateUser(ctx, account.User{Email: "bo@example.org"}); !errors.Is(err, content.ErrConflict) {
			return fmt.Errorf("taken address in a transaction: %v; want ErrConflict", err)
		}
		taken := bo
		taken.Email = "chargé@example.org"
		if err := q.Accounts().UpdateUser(ctx, taken); !errors.Is(err, content.ErrConflict) {
			return fmt.Errorf("UpdateUser to a taken address in a transaction: %v; want ErrConflict", err)
		}
		_, err := q.Accounts().CreateUser(ctx, account.User{Email: "cy@example.org"})
		return err
	})
	if err != nil {
		t.Fatalf("InTx: %v", err)
	}
	if n, err := aq.CountUsers(ctx); err != nil || n != 3 {
		t.Fatalf("CountUsers = %d, %v; want 3", n, err)
	}

	for _, err := range []error{
		func() error { _, err := aq.User(ctx, 999_999); return err }(),
		func() error { _, err := aq.UserByEmail(ctx, "nobody@example.org"); return err }(),
		aq.UpdateUser(ctx, account.User{ID: 999_999, Email: "nobody@example.org"}),
	} {
		if !errors.Is(err, content.ErrNotFound) {
			t.Errorf("a missing user: %v; want ErrNotFound", err)
		}
	}

	// An update replaces everything but CreatedAt, and moves UpdatedAt
	// on even when given the time read.
	upd := ana
	upd.Email, upd.Name, upd.PasswordHash = "Ana@Example.org", "Ana Lima-Souza", "new-hash"
	upd.TOTPSecret, upd.TOTPStep, upd.RecoveryCodes = nil, 0, nil
	upd.NetworkAdmin, upd.Disabled, upd.Language = false, true, "en"
	upd.CreatedAt = accountsT0.Add(time.Hour)
	if err := aq.UpdateUser(ctx, upd); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	got, err = aq.User(ctx, ana.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.UpdatedAt.After(ana.UpdatedAt) {
		t.Errorf("UpdatedAt after an update = %v; want later than %v", got.UpdatedAt, ana.UpdatedAt)
	}
	want = upd
	want.Email, want.CreatedAt, want.UpdatedAt = "ana@example.org", ana.CreatedAt, got.UpdatedAt
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after UpdateUser, User = %+v; want %+v", got, want)
	}
	later := got.UpdatedAt.Add(time.Hour)
	got.UpdatedAt = later
	if err := aq.UpdateUser(ctx, got); err != nil {
		t.Fatal(err)
	}
	if again, _ := aq.User(ctx, ana.ID); !again.UpdatedAt.Equal(later) {
		t.Errorf("UpdatedAt given later than the stored one = %v; want it kept (%v)", again.UpdatedAt, later)
	}
	if _, err := aq.UserByEmail(ctx, "chargé@example.org"); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("the old address still finds the user: %v", err)
	}
	// Keeping one's own address is no conflict.
	if err := aq.UpdateUser(ctx, bo); err != nil {
		t.Errorf("UpdateUser keeping the address: %v", err)
	}

	users, err := aq.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	for _, u := range users {
		emails = append(emails, u.Email)
	}
	if want := []string{"ana@example.org", "bo@example.org", "cy@example.org"}; !slices.Equal(emails, want) {
		t.Errorf("Users = %v; want %v", emails, want)
	}
}

// testRoles gives, replaces and takes away roles, and lists a site's
// members by address.
func testRoles(t *testing.T, s store.Store) {
	ctx := context.Background()
	aq := s.Accounts()
	un := mustSite(t, s, newSite("un", "un.example.org"))
	gva := mustSite(t, s, newSite("gva", "gva.example.org"))
	zoe, ana := mustUser(t, s, "zoe@example.org"), mustUser(t, s, "ana@example.org")
	if roles, err := aq.Roles(ctx, zoe.ID); err != nil || roles == nil || len(roles) != 0 {
		t.Fatalf("Roles of a user with none = %v, %v; want an empty map", roles, err)
	}
	if members, err := aq.Members(ctx, un.ID); err != nil || len(members) != 0 {
		t.Fatalf("Members of a site with none = %v, %v", members, err)
	}
	for _, r := range []struct {
		user, site int64
		role       account.Role
	}{
		{zoe.ID, un.ID, account.RoleAuthor}, {zoe.ID, gva.ID, account.RoleTranslator},
		{ana.ID, un.ID, account.RoleEditor}, {zoe.ID, un.ID, account.RoleAdmin},
	} {
		if err := aq.SetRole(ctx, r.user, r.site, r.role); err != nil {
			t.Fatalf("SetRole(%d, %d, %s): %v", r.user, r.site, r.role, err)
		}
	}
	if roles, err := aq.Roles(ctx, zoe.ID); err != nil ||
		!reflect.DeepEqual(roles, map[int64]account.Role{un.ID: account.RoleAdmin, gva.ID: account.RoleTranslator}) {
		t.Fatalf("Roles = %v, %v; want admin on un (replaced), translator on gva", roles, err)
	}
	members, err := aq.Members(ctx, un.ID)
	if err != nil || len(members) != 2 || !reflect.DeepEqual(members[0].User, ana) || members[0].Role != account.RoleEditor ||
		members[1].User.ID != zoe.ID || members[1].Role != account.RoleAdmin {
		t.Fatalf("Members(un) = %+v, %v; want ana the editor, then zoe the admin", members, err)
	}

	if err := aq.SetRole(ctx, zoe.ID, un.ID, ""); err != nil {
		t.Fatalf("SetRole to none: %v", err)
	}
	if err := aq.SetRole(ctx, zoe.ID, un.ID, ""); err != nil {
		t.Fatalf("SetRole to none twice: %v", err)
	}
	if roles, _ := aq.Roles(ctx, zoe.ID); !reflect.DeepEqual(roles, map[int64]account.Role{gva.ID: account.RoleTranslator}) {
		t.Fatalf("Roles after taking one away = %v", roles)
	}
	if members, _ := aq.Members(ctx, un.ID); len(members) != 1 || members[0].User.ID != ana.ID {
		t.Fatalf("Members(un) after taking zoe's role away = %+v", members)
	}

	if err := aq.SetRole(ctx, zoe.ID, un.ID, "boss"); err == nil {
		t.Error("SetRole with an unknown role succeeded")
	}
	if err := aq.SetRole(ctx, 999_999, un.ID, account.RoleEditor); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("SetRole for a missing user = %v; want ErrNotFound", err)
	}
	if err := aq.SetRole(ctx, zoe.ID, 999_999, account.RoleEditor); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("SetRole on a missing site = %v; want ErrNotFound", err)
	}
}

// testSessions stores, updates and ends sessions, one or all of a user's
// but the current one, and forgets expired ones.
func testSessions(t *testing.T, s store.Store) {
	ctx := context.Background()
	aq := s.Accounts()
	ana, bo := mustUser(t, s, "ana@example.org"), mustUser(t, s, "bo@example.org")
	sess := func(secret string, user int64, expires time.Time) store.Session {
		return store.Session{Hash: hash(secret), UserID: user, CreatedAt: accountsT0, SeenAt: accountsT0, ExpiresAt: expires,
			Address: "192.0.2.7", UserAgent: "Firefox/140.0"}
	}
	one := sess("one", ana.ID, accountsT0.Add(time.Hour))
	for _, x := range []store.Session{one, sess("two", ana.ID, accountsT0.Add(time.Hour)), sess("three", ana.ID, accountsT0.Add(time.Hour)),
		sess("bo", bo.ID, accountsT0.Add(time.Hour)), sess("stale", bo.ID, accountsT0.Add(-time.Minute))} {
		if err := aq.CreateSession(ctx, x); err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
	}
	if err := aq.CreateSession(ctx, one); err == nil {
		t.Fatal("CreateSession with a hash already stored succeeded")
	}
	got, err := aq.Session(ctx, hash("one"))
	if err != nil || !reflect.DeepEqual(got, one) {
		t.Fatalf("Session = %+v, %v; want %+v", got, err, one)
	}
	if _, err := aq.Session(ctx, hash("none")); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("Session(unknown) = %v; want ErrNotFound", err)
	}
	// An expired session is still returned: the caller checks.
	if got, err := aq.Session(ctx, hash("stale")); err != nil || !got.ExpiresAt.Before(accountsT0) {
		t.Fatalf("Session(expired) = %+v, %v", got, err)
	}

	one.Verified, one.SeenAt, one.ExpiresAt = true, accountsT0.Add(time.Minute), accountsT0.Add(2*time.Hour)
	one.Address, one.UserAgent = "ignored", "ignored"
	if err := aq.UpdateSession(ctx, one); err != nil {
		t.Fatalf("UpdateSession: %v", err)
	}
	got, _ = aq.Session(ctx, hash("one"))
	if !got.Verified || !got.SeenAt.Equal(one.SeenAt) || !got.ExpiresAt.Equal(one.ExpiresAt) || got.Address != "192.0.2.7" ||
		got.UserAgent != "Firefox/140.0" || !got.CreatedAt.Equal(accountsT0) {
		t.Fatalf("after UpdateSession, Session = %+v; want SeenAt, ExpiresAt and Verified changed, nothing else", got)
	}
	if err := aq.UpdateSession(ctx, store.Session{Hash: hash("none")}); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("UpdateSession(unknown) = %v; want ErrNotFound", err)
	}

	if err := aq.DeleteSession(ctx, hash("two")); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	if err := aq.DeleteSession(ctx, hash("two")); err != nil {
		t.Fatalf("DeleteSession of one gone: %v", err)
	}
	if _, err := aq.Session(ctx, hash("two")); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("Session after DeleteSession = %v; want ErrNotFound", err)
	}
	if err := aq.CreateSession(ctx, sess("four", ana.ID, accountsT0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	// Ana signs out everywhere else: three and four end, one stays, and
	// bo's sessions are not hers.
	if n, err := aq.DeleteSessions(ctx, ana.ID, hash("one")); err != nil || n != 2 {
		t.Fatalf("DeleteSessions(keep one) = %d, %v; want 2", n, err)
	}
	for secret, alive := range map[string]bool{"one": true, "three": false, "four": false, "bo": true, "stale": true} {
		if _, err := aq.Session(ctx, hash(secret)); (err == nil) != alive {
			t.Errorf("after DeleteSessions, session %s: %v; want alive %t", secret, err, alive)
		}
	}
	if n, err := aq.DeleteSessions(ctx, ana.ID, nil); err != nil || n != 1 {
		t.Fatalf("DeleteSessions(keep none) = %d, %v; want 1", n, err)
	}
	if n, err := aq.DeleteSessions(ctx, ana.ID, nil); err != nil || n != 0 {
		t.Fatalf("DeleteSessions with none left = %d, %v; want 0", n, err)
	}

	if err := aq.DeleteExpired(ctx, accountsT0); err != nil {
		t.Fatalf("DeleteExpired: %v", err)
	}
	if _, err := aq.Session(ctx, hash("stale")); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("an expired session after DeleteExpired: %v; want ErrNotFound", err)
	}
	if _, err := aq.Session(ctx, hash("bo")); err != nil {
		t.Errorf("a live session after DeleteExpired: %v", err)
	}

	// Sessions lists a user's sessions, newest first (of two begun at
	// the same moment, the one of the lower hash first), and only hers.
	if got, err := aq.Sessions(ctx, ana.ID); err != nil || len(got) != 0 {
		t.Fatalf("Sessions of a user with none = %+v, %v; want none", got, err)
	}
	var listed []store.Session
	for i, minutes := range []int{2, 5, 1, 3, 3} {
		x := sess(fmt.Sprintf("listed-%d", i), ana.ID, accountsT0.Add(time.Hour))
		x.CreatedAt = accountsT0.Add(time.Duration(minutes) * time.Minute)
		x.SeenAt, x.Verified, x.Address = x.CreatedAt.Add(time.Second), i%2 == 0, fmt.Sprintf("192.0.2.%d", 10+i)
		if err := aq.CreateSession(ctx, x); err != nil {
			t.Fatal(err)
		}
		listed = append(listed, x)
	}
	same := []store.Session{listed[3], listed[4]}
	if bytes.Compare(same[0].Hash, same[1].Hash) > 0 {
		same[0], same[1] = same[1], same[0]
	}
	want := []store.Session{listed[1], same[0], same[1], listed[0], listed[2]}
	if got, err := aq.Sessions(ctx, ana.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Sessions = %+v, %v; want ana's five, newest first: %+v", got, err, want)
	}
	if got, err := aq.Sessions(ctx, bo.ID); err != nil || len(got) != 1 || !bytes.Equal(got[0].Hash, hash("bo")) {
		t.Fatalf("Sessions of bo = %+v, %v; want only bo's own", got, err)
	}
	if got, err := aq.Sessions(ctx, 999_999); err != nil || len(got) != 0 {
		t.Fatalf("Sessions of a missing user = %+v, %v; want none", got, err)
	}
}

// testAccountTokens reads tokens until they expire, uses them once (of
// many racing, one wins), deletes them by user or article, and forgets
// expired ones.
func testAccountTokens(t *testing.T, s store.Store) {
	ctx := context.Background()
	aq := s.Accounts()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xinwen"))
	art := mustArticle(t, s, article(site, news, "en", "Draft", accountsT0))
	admin, ana := mustUser(t, s, "admin@example.org"), mustUser(t, s, "ana@example.org")
	expires := accountsT0.Add(time.Hour)
	tok := func(secret, purpose string, user, article int64) store.Token {
		return store.Token{Hash: hash(secret), Purpose: purpose, UserID: user, ArticleID: article, CreatedBy: admin.ID,
			CreatedAt: accountsT0, ExpiresAt: expires}
	}
	reset, preview := tok("reset", store.TokenPassword, ana.ID, 0), tok("preview", store.TokenPreview, 0, art.ID)
	setup := store.Token{Hash: hash("setup"), Purpose: store.TokenSetup, CreatedAt: accountsT0, ExpiresAt: expires}
	for _, x := range []store.Token{reset, preview, setup} {
		if err := aq.CreateToken(ctx, x); err != nil {
			t.Fatalf("CreateToken(%s): %v", x.Purpose, err)
		}
	}
	if err := aq.CreateToken(ctx, store.Token{Hash: hash("x"), ExpiresAt: expires}); err == nil {
		t.Fatal("CreateToken without a purpose succeeded")
	}

	// A preview link is read many times until it expires.
	for range 2 {
		if got, err := aq.Token(ctx, store.TokenPreview, hash("preview"), accountsT0); err != nil || !reflect.DeepEqual(got, preview) {
			t.Fatalf("Token(preview) = %+v, %v; want %+v", got, err, preview)
		}
	}
	if got, err := aq.Token(ctx, store.TokenSetup, hash("setup"), accountsT0); err != nil || !reflect.DeepEqual(got, setup) {
		t.Fatalf("Token(setup) = %+v, %v; want %+v (no user, article or giver)", got, err, setup)
	}
	for _, c := range []struct {
		name, purpose, secret string
		now                   time.Time
	}{
		{"at its expiry", store.TokenPreview, "preview", expires},
		{"after its expiry", store.TokenPreview, "preview", expires.Add(time.Second)},
		{"for another purpose", store.TokenPassword, "preview", accountsT0},
		{"unknown", store.TokenPreview, "nothing", accountsT0},
	} {
		if _, err := aq.Token(ctx, c.purpose, hash(c.secret), c.now); !errors.Is(err, content.ErrNotFound) {
			t.Errorf("Token %s = %v; want ErrNotFound", c.name, err)
		}
		if _, err := aq.UseToken(ctx, c.purpose, hash(c.secret), c.now); !errors.Is(err, content.ErrNotFound) {
			t.Errorf("UseToken %s = %v; want ErrNotFound", c.name, err)
		}
	}

	// A password link works once.
	if got, err := aq.UseToken(ctx, store.TokenPassword, hash("reset"), accountsT0); err != nil || !reflect.DeepEqual(got, reset) {
		t.Fatalf("UseToken = %+v, %v; want %+v", got, err, reset)
	}
	if _, err := aq.UseToken(ctx, store.TokenPassword, hash("reset"), accountsT0); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("UseToken twice = %v; want ErrNotFound", err)
	}
	if _, err := aq.Token(ctx, store.TokenPassword, hash("reset"), accountsT0); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("Token after UseToken = %v; want ErrNotFound", err)
	}

	// Requests racing with one token: exactly one gets it.
	const racers = 8
	for round := range 3 {
		secret := fmt.Sprintf("race-%d", round)
		if err := aq.CreateToken(ctx, tok(secret, store.TokenPassword, ana.ID, 0)); err != nil {
			t.Fatal(err)
		}
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			won      int
			failures []error
		)
		start := make(chan struct{})
		for range racers {
			wg.Go(func() {
				<-start
				_, err := aq.UseToken(ctx, store.TokenPassword, hash(secret), accountsT0)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case !errors.Is(err, content.ErrNotFound):
					failures = append(failures, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if won != 1 || len(failures) > 0 {
			t.Fatalf("round %d: %d of %d racing UseToken calls got the token (errors %v); want exactly one", round, won, racers, failures)
		}
	}

	// DeleteTokens: a user's reset links, an article's previews, 0
	// matching any.
	for _, x := range []store.Token{tok("ana-1", store.TokenPassword, ana.ID, 0), tok("ana-2", store.TokenPassword, ana.ID, 0),
		tok("admin-1", store.TokenPassword, admin.ID, 0), tok("preview-2", store.TokenPreview, 0, art.ID)} {
		if err := aq.CreateToken(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	alive := func(purpose string, secrets ...string) []string {
		var out []string
		for _, sec := range secrets {
			if _, err := aq.Token(ctx, purpose, hash(sec), accountsT0); err == nil {
				out = append(out, sec)
			} else if !errors.Is(err, content.ErrNotFound) {
				t.Fatal(err)
			}
		}
		return out
	}
	if err := aq.DeleteTokens(ctx, store.TokenPassword, ana.ID, 0); err != nil {
		t.Fatalf("DeleteTokens(user): %v", err)
	}
	if got := alive(store.TokenPassword, "ana-1", "ana-2", "admin-1"); !slices.Equal(got, []string{"admin-1"}) {
		t.Errorf("password tokens after deleting ana's = %v; want admin-1", got)
	}
	if err := aq.DeleteTokens(ctx, store.TokenPassword, 0, art.ID); err != nil {
		t.Fatal(err)
	}
	if got := alive(store.TokenPreview, "preview", "preview-2"); len(got) != 2 {
		t.Errorf("previews after deleting another purpose's tokens of the article = %v; want both", got)
	}
	if err := aq.DeleteTokens(ctx, store.TokenPreview, 0, art.ID); err != nil {
		t.Fatalf("DeleteTokens(article): %v", err)
	}
	if got := alive(store.TokenPreview, "preview", "preview-2"); len(got) != 0 {
		t.Errorf("previews after deleting the article's = %v; want none", got)
	}
	if err := aq.DeleteTokens(ctx, store.TokenPassword, 0, 0); err != nil {
		t.Fatal(err)
	}
	if got := alive(store.TokenPassword, "admin-1"); len(got) != 0 || len(alive(store.TokenSetup, "setup")) != 1 {
		t.Errorf("DeleteTokens(purpose) left %v, or took another purpose's", got)
	}

	// DeleteExpired forgets tokens expired at now, and only those.
	if err := aq.CreateToken(ctx, tok("later", store.TokenPreview, 0, art.ID)); err != nil {
		t.Fatal(err)
	}
	if err := aq.CreateToken(ctx, store.Token{Hash: hash("old"), Purpose: store.TokenPreview, CreatedAt: accountsT0,
		ExpiresAt: accountsT0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := aq.DeleteExpired(ctx, accountsT0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := alive(store.TokenPreview, "later", "old"); !slices.Equal(got, []string{"later"}) {
		t.Errorf("previews after DeleteExpired = %v; want only the live one", got)
	}
	if err := aq.DeleteExpired(ctx, accountsT0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := aq.CreateToken(ctx, store.Token{Hash: hash("old"), Purpose: store.TokenPreview, ExpiresAt: expires}); err != nil {
		t.Errorf("an expired token's hash is not free again after DeleteExpired: %v", err)
	}
}

// testSignInFailures counts failures per key within a window.
func testSignInFailures(t *testing.T, s store.Store) {
	ctx := context.Background()
	aq := s.Accounts()
	const key, other = "user:ana@example.org", "addr:192.0.2.7"
	if n, latest, err := aq.SignInFailures(ctx, key, accountsT0); err != nil || n != 0 || !latest.IsZero() {
		t.Fatalf("SignInFailures of none = %d, %v, %v; want 0 and no time", n, latest, err)
	}
	for i := range 3 {
		at := accountsT0.Add(time.Duration(i) * time.Minute)
		if n, err := aq.SignInFailure(ctx, key, at, accountsT0.Add(-time.Hour)); err != nil || n != i+1 {
			t.Fatalf("failure %d: SignInFailure = %d, %v; want %d", i+1, n, err, i+1)
		}
	}
	if n, err := aq.SignInFailure(ctx, other, accountsT0, accountsT0.Add(-time.Hour)); err != nil || n != 1 {
		t.Fatalf("SignInFailure under another key = %d, %v; want 1", n, err)
	}
	n, latest, err := aq.SignInFailures(ctx, key, accountsT0.Add(-time.Hour))
	if err != nil || n != 3 || !latest.Equal(accountsT0.Add(2*time.Minute)) || latest.Location() != time.UTC {
		t.Fatalf("SignInFailures = %d, %v, %v; want 3, the latest at %v", n, latest, err, accountsT0.Add(2*time.Minute))
	}
	if n, _, _ := aq.SignInFailures(ctx, key, accountsT0.Add(time.Minute)); n != 2 {
		t.Fatalf("SignInFailures since the second = %d; want 2", n)
	}
	// A failure with a later window counts only what is in it, and the
	// failures before the window are gone for good.
	if n, err := aq.SignInFailure(ctx, key, accountsT0.Add(3*time.Minute), accountsT0.Add(2*time.Minute)); err != nil || n != 2 {
		t.Fatalf("SignInFailure with a later window = %d, %v; want 2", n, err)
	}
	if n, _, _ := aq.SignInFailures(ctx, key, accountsT0.Add(-time.Hour)); n != 2 {
		t.Fatalf("SignInFailures over the old window after a later one = %d; want 2 (older ones forgotten)", n)
	}
	if err := aq.ClearSignInFailures(ctx, key); err != nil {
		t.Fatalf("ClearSignInFailures: %v", err)
	}
	if n, latest, _ := aq.SignInFailures(ctx, key, accountsT0.Add(-time.Hour)); n != 0 || !latest.IsZero() {
		t.Fatalf("SignInFailures after clearing = %d, %v; want none", n, latest)
	}
	if n, _, _ := aq.SignInFailures(ctx, other, accountsT0.Add(-time.Hour)); n != 1 {
		t.Fatalf("clearing one key cleared another: %d left; want 1", n)
	}
	// A failure withdrawn (an attempt that succeeded) no longer counts.
	before, _, _ := aq.SignInFailures(ctx, other, accountsT0.Add(-time.Hour))
	if _, err := aq.SignInFailure(ctx, other, accountsT0.Add(5*time.Second), accountsT0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := aq.WithdrawSignInFailure(ctx, other, accountsT0.Add(5*time.Second)); err != nil {
		t.Fatalf("WithdrawSignInFailure: %v", err)
	}
	if n, _, _ := aq.SignInFailures(ctx, other, accountsT0.Add(-time.Hour)); n != before {
		t.Fatalf("failures after withdrawing one = %d; want %d", n, before)
	}
	// Forgetting old failures, under every key, keeps the later ones.
	if _, err := aq.SignInFailure(ctx, key, accountsT0.Add(time.Hour), accountsT0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := aq.ForgetSignInFailures(ctx, accountsT0.Add(time.Minute)); err != nil {
		t.Fatalf("ForgetSignInFailures: %v", err)
	}
	if n, _, _ := aq.SignInFailures(ctx, other, accountsT0.Add(-time.Hour)); n != 0 {
		t.Fatalf("an old failure survived ForgetSignInFailures: %d", n)
	}
	if n, _, _ := aq.SignInFailures(ctx, key, accountsT0.Add(-time.Hour)); n != 1 {
		t.Fatalf("a later failure was forgotten: %d left; want 1", n)
	}
}

// testAuditLog appends entries and reads them newest first, by site, for
// the network, by user, a page at a time.
func testAuditLog(t *testing.T, s store.Store) {
	ctx := context.Background()
	aq := s.Accounts()
	if entries, err := aq.AuditLog(ctx, store.AuditQuery{}); err != nil || entries == nil || len(entries) != 0 {
		t.Fatalf("AuditLog of none = %v, %v; want an empty list", entries, err)
	}
	if err := aq.Audit(ctx, store.AuditEntry{UserID: 1}); err == nil {
		t.Fatal("Audit without an action succeeded")
	}
	const siteA, siteB, siteC = 11, 12, 13 // the log keeps numbers, not references
	var added []store.AuditEntry
	add := func(e store.AuditEntry) {
		t.Helper()
		e.At = accountsT0.Add(time.Duration(len(added)) * time.Second)
		if err := aq.Audit(ctx, e); err != nil {
			t.Fatalf("Audit(%s): %v", e.Action, err)
		}
		added = append(added, e)
	}
	add(store.AuditEntry{UserID: 1, Email: "ana@example.org", Action: "sign-in", Address: "192.0.2.7"})
	add(store.AuditEntry{Email: "ghost@example.org", Action: "sign-in-failed", Detail: "unknown address", Address: "192.0.2.8"})
	add(store.AuditEntry{UserID: 1, Email: "ana@example.org", SiteID: siteA, Action: "publish", ArticleID: 42, Detail: "now"})
	add(store.AuditEntry{UserID: 2, Email: "bo@example.org", SiteID: siteB, Action: "withdraw", ArticleID: 43, Detail: "wrong figures"})
	add(store.AuditEntry{SiteID: siteC, Action: "import", Detail: "command line"})
	add(store.AuditEntry{UserID: 2, Email: "bo@example.org", SiteID: siteA, Action: "role", Detail: "editor"})

	all, err := aq.AuditLog(ctx, store.AuditQuery{})
	if err != nil || len(all) != len(added) {
		t.Fatalf("AuditLog = %d entries, %v; want %d", len(all), err, len(added))
	}
	for i, e := range all {
		w := added[len(added)-1-i]
		w.ID = e.ID
		if !reflect.DeepEqual(e, w) {
			t.Errorf("AuditLog[%d] = %+v; want %+v", i, e, w)
		}
		if i > 0 && e.ID >= all[i-1].ID {
			t.Errorf("AuditLog not newest first: ID %d after %d", e.ID, all[i-1].ID)
		}
	}
	actions := func(q store.AuditQuery) []string {
		t.Helper()
		entries, err := aq.AuditLog(ctx, q)
		if err != nil {
			t.Fatalf("AuditLog(%+v): %v", q, err)
		}
		out := []string{}
		for _, e := range entries {
			out = append(out, e.Action)
		}
		return out
	}
	for _, c := range []struct {
		q    store.AuditQuery
		want []string
	}{
		{store.AuditQuery{SiteIDs: []int64{siteA}}, []string{"role", "publish"}},
		{store.AuditQuery{SiteIDs: []int64{siteA, siteC}}, []string{"role", "import", "publish"}},
		{store.AuditQuery{Network: true}, []string{"sign-in-failed", "sign-in"}},
		{store.AuditQuery{SiteIDs: []int64{siteB}, Network: true}, []string{"withdraw", "sign-in-failed", "sign-in"}},
		{store.AuditQuery{UserID: 2}, []string{"role", "withdraw"}},
		{store.AuditQuery{UserID: 1, Network: true}, []string{"sign-in"}},
		{store.AuditQuery{SiteIDs: []int64{999}}, []string{}},
		{store.AuditQuery{Limit: 2}, []string{"role", "import"}},
		{store.AuditQuery{Before: all[1].ID, Limit: 2}, []string{"withdraw", "publish"}},
		{store.AuditQuery{Before: all[3].ID}, []string{"sign-in-failed", "sign-in"}},
		{store.AuditQuery{SiteIDs: []int64{siteA, siteB}, Before: all[0].ID, Limit: 1}, []string{"withdraw"}},
	} {
		if got := actions(c.q); !slices.Equal(got, c.want) {
			t.Errorf("AuditLog(%+v) = %v; want %v", c.q, got, c.want)
		}
	}

	// Paging through more than a default page.
	err = s.InTx(ctx, func(q store.Queries) error {
		for i := range 120 {
			if err := q.Accounts().Audit(ctx, store.AuditEntry{SiteID: siteB, Action: fmt.Sprintf("bulk-%d", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	page, err := aq.AuditLog(ctx, store.AuditQuery{SiteIDs: []int64{siteB}})
	if err != nil || len(page) != 100 || page[0].Action != "bulk-119" || page[99].Action != "bulk-20" {
		t.Fatalf("AuditLog without a limit = %d entries (%v); want the newest 100", len(page), err)
	}
	if page[0].At.Before(accountsT0) {
		t.Errorf("an entry without a time was stamped %v; want now", page[0].At)
	}
	rest := actions(store.AuditQuery{SiteIDs: []int64{siteB}, Before: page[99].ID})
	if len(rest) != 21 || rest[19] != "bulk-0" || rest[20] != "withdraw" {
		t.Fatalf("the next page = %d entries, ending %v; want 21, down to the withdrawal", len(rest), rest[max(0, len(rest)-2):])
	}
}

// testRevisions keeps every save of an article and returns them newest
// first.
func testRevisions(t *testing.T, s store.Store) {
	ctx := context.Background()
	aq := s.Accounts()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xinwen"))
	en := mustArticle(t, s, article(site, news, "en", "Statement", accountsT0))
	zhArt := article(site, news, "zh", "声明", accountsT0)
	zhArt.TranslationGroup = en.TranslationGroup
	zh := mustArticle(t, s, zhArt)
	editor := mustUser(t, s, "editor@example.org")

	if _, err := aq.LatestRevision(ctx, en.ID); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("LatestRevision of an article with none = %v; want ErrNotFound", err)
	}
	if revs, err := aq.Revisions(ctx, en.ID); err != nil || len(revs) != 0 {
		t.Fatalf("Revisions of an article with none = %v, %v", revs, err)
	}
	if _, err := aq.Revision(ctx, 999_999); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("Revision(missing) = %v; want ErrNotFound", err)
	}
	first, err := aq.AddRevision(ctx, store.Revision{ArticleID: en.ID, CreatedAt: accountsT0, SectionID: news.ID,
		Kind: content.KindStatement, Title: "Statement", Summary: "A summary.", Body: "First body."})
	if err != nil {
		t.Fatalf("AddRevision: %v", err)
	}
	second, err := aq.AddRevision(ctx, store.Revision{ArticleID: en.ID, UserID: editor.ID, SectionID: news.ID,
		Kind: content.KindNews, Title: "Statement, corrected", Body: "Second body.", Note: "Corrected a figure.", Public: true})
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == 0 || second.ID <= first.ID {
		t.Fatalf("revision IDs %d then %d; want them rising", first.ID, second.ID)
	}
	if second.CreatedAt.Before(time.Now().Add(-time.Minute)) || second.CreatedAt.Location() != time.UTC {
		t.Fatalf("a revision without a time was stamped %v; want now, in UTC", second.CreatedAt)
	}
	translated, err := aq.AddRevision(ctx, store.Revision{ArticleID: zh.ID, UserID: editor.ID, CreatedAt: accountsT0, SectionID: news.ID,
		Kind: content.KindStatement, Title: "声明", Body: "正文。", Source: second.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []store.Revision{first, second, translated} {
		if got, err := aq.Revision(ctx, want.ID); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Revision(%d) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
	revs, err := aq.Revisions(ctx, en.ID)
	if err != nil || !reflect.DeepEqual(revs, []store.Revision{second, first}) {
		t.Fatalf("Revisions = %+v, %v; want the two of the English version, newest first", revs, err)
	}
	if latest, err := aq.LatestRevision(ctx, en.ID); err != nil || !reflect.DeepEqual(latest, second) {
		t.Fatalf("LatestRevision = %+v, %v; want %+v", latest, err, second)
	}
	if latest, err := aq.LatestRevision(ctx, zh.ID); err != nil || latest.ID != translated.ID || latest.Source != second.ID {
		t.Fatalf("LatestRevision(zh) = %+v, %v; want the translation, from revision %d", latest, err, second.ID)
	}
	// A revision saved in a transaction that fails is not kept.
	err = s.InTx(ctx, func(q store.Queries) error {
		if _, err := q.Accounts().AddRevision(ctx, store.Revision{ArticleID: en.ID, SectionID: news.ID, Kind: content.KindNews,
			Title: "Never saved"}); err != nil {
			return err
		}
		return errors.New("refused")
	})
	if err == nil {
		t.Fatal("InTx did not return fn's error")
	}
	if latest, _ := aq.LatestRevision(ctx, en.ID); latest.ID != second.ID {
		t.Fatalf("a rolled-back revision is the latest: %+v", latest)
	}
}
