package account

import (
	"errors"
	"strings"
	"testing"
)

func TestCanEdit(t *testing.T) {
	const me, other = 7, 8
	for _, c := range []struct {
		role Role
		a    Edits
		want bool
	}{
		{RoleAdmin, Edits{Public: true, CreatedBy: other}, true},
		{RoleEditor, Edits{Translation: true, Public: true}, true},
		{RoleAuthor, Edits{CreatedBy: me}, true},
		{RoleAuthor, Edits{CreatedBy: other}, false},
		{RoleAuthor, Edits{CreatedBy: me, Public: true}, false},
		{RoleAuthor, Edits{CreatedBy: me, Translation: true}, false},
		{RoleTranslator, Edits{Translation: true, Public: true}, true},
		{RoleTranslator, Edits{CreatedBy: me}, false},
		{"", Edits{CreatedBy: me}, false},
	} {
		if got := CanEdit(c.role, me, c.a); got != c.want {
			t.Errorf("CanEdit(%q, %+v) = %v, want %v", c.role, c.a, got, c.want)
		}
	}
	if CanEdit(RoleAuthor, 0, Edits{}) {
		t.Error("an author without an ID may edit what the command line made")
	}
}

func TestMatrix(t *testing.T) {
	for _, a := range Actions {
		if !Can(RoleAdmin, a) {
			t.Errorf("an administrator may not %s", a)
		}
		if Can("", a) {
			t.Errorf("no role may %s", a)
		}
	}
	for _, a := range []Action{Publish, ForcePublish, Withdraw, ManageUsers} {
		if Can(RoleAuthor, a) || Can(RoleTranslator, a) {
			t.Errorf("an author or translator may %s", a)
		}
	}
	if Can(RoleEditor, ManageUsers) || Can(RoleEditor, ManageSite) || Can(RoleEditor, ViewAudit) {
		t.Error("an editor may manage the site")
	}
}

func TestParseRole(t *testing.T) {
	if r, err := ParseRole(" Editor "); err != nil || r != RoleEditor {
		t.Fatalf("ParseRole(Editor) = %q, %v", r, err)
	}
	if _, err := ParseRole("owner"); err == nil || !strings.Contains(err.Error(), "admin, editor, author or translator") {
		t.Fatalf("ParseRole(owner) = %v", err)
	}
}

func TestNormalize(t *testing.T) {
	u := User{Email: "  Li.Wei@Paris.Example.ORG ", Name: "  Li   Wei "}
	if err := u.Normalize(); err != nil || u.Email != "li.wei@paris.example.org" || u.Name != "Li Wei" || u.Language != "en" {
		t.Fatalf("Normalize = %+v, %v", u, err)
	}
	for _, bad := range []string{"", "li", "Li Wei <li@example.org>", "li@localdomain", strings.Repeat("a", 250) + "@example.org"} {
		if _, err := NormalizeEmail(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("NormalizeEmail(%q) = %v, want ErrInvalid", bad, err)
		}
	}
	if err := (&User{Email: "a@example.org", Language: "fr"}).Normalize(); !errors.Is(err, ErrInvalid) {
		t.Errorf("language fr: %v", err)
	}
}

func TestCheckPassword(t *testing.T) {
	for pw, ok := range map[string]bool{
		"short":                            false,
		"correct horse battery staple":     true,
		"li@example.org":                   false,
		strings.Repeat("x", MaxPassword):   true,
		strings.Repeat("x", MaxPassword+1): false,
		"\xff\xfe invalid bytes here":      false,
	} {
		if err := CheckPassword(pw, "li@example.org"); (err == nil) != ok {
			t.Errorf("CheckPassword(%.20q) = %v, want ok %v", pw, err, ok)
		}
	}
}
