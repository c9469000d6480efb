package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"chancery/internal/account"
	"chancery/internal/content"
	"chancery/internal/editorial"
)

// articleBy writes a draft as u, who holds role on s, and, when publish,
// publishes it as the fixture's editor.
func (f *fixture) articleBy(u account.User, role account.Role, s content.Site, lang, title string) content.Article {
	f.t.Helper()
	actor := editorial.Actor{User: u, Roles: map[int64]account.Role{s.ID: role}}
	a, _, err := f.ed.Save(context.Background(), actor, editorial.Draft{SiteID: s.ID, SectionID: f.firstSection(s), Language: lang,
		Kind: content.KindNews, Title: title, Body: "Text of " + title + "."})
	if err != nil {
		f.t.Fatalf("draft by %s: %v", u.Email, err)
	}
	return a
}

func (f *fixture) publishAs(u account.User, s content.Site, id int64) {
	f.t.Helper()
	actor := editorial.Actor{User: u, Roles: map[int64]account.Role{s.ID: account.RoleEditor}}
	latest, err := f.st.Accounts().LatestRevision(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.ed.Publish(context.Background(), actor, id, editorial.PublishOptions{Revision: latest.ID}); err != nil {
		f.t.Fatalf("publish %d: %v", id, err)
	}
}

func (f *fixture) translationOf(u account.User, s content.Site, src content.Article, lang string) content.Article {
	f.t.Helper()
	actor := editorial.Actor{User: u, Roles: map[int64]account.Role{s.ID: account.RoleEditor}}
	a, _, err := f.ed.Save(context.Background(), actor, editorial.Draft{SiteID: s.ID, Language: lang, Title: "Translation of " + src.Title,
		Body: "Translated.", TranslationOf: src.ID})
	if err != nil {
		f.t.Fatalf("translation: %v", err)
	}
	return a
}

// TestRoleMatrix checks every action of the back office for every role,
// through HTTP as a browser sends it, against account.Can: allowed actions
// succeed, others are refused (403), and a person with no role on a site
// learns nothing of it (404).
func TestRoleMatrix(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		editor := f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		people := map[account.Role]account.User{
			account.RoleAdmin:      f.user("admin@un.example.org", f.un.ID, account.RoleAdmin),
			account.RoleEditor:     editor,
			account.RoleAuthor:     f.user("author@un.example.org", f.un.ID, account.RoleAuthor),
			account.RoleTranslator: f.user("translator@un.example.org", f.un.ID, account.RoleTranslator),
			"":                     f.user("editor@embassy.example.org", f.emb.ID, account.RoleEditor),
		}
		section := strconv.FormatInt(f.firstSection(f.un), 10)
		type check struct {
			name string
			// allowed says whether the role may; do acts as u and
			// returns the answer.
			allowed func(role account.Role, u account.User) bool
			do      func(b *browser, u account.User) answer
		}
		edit := func(b *browser, id int64, title string) answer {
			b.edit(f.un, id)
			return b.post(articlePath(f.un, id, ""), url.Values{"title": {title}, "body": {"Changed."}, "section": {section},
				"kind": {"news"}, "base": {b.edit(f.un, id).value("base")}, "note": {"Changed."}, "do": {"save"}})
		}
		checks := []check{
			{"list articles", func(r account.Role, _ account.User) bool { return account.Can(r, account.ViewArticles) },
				func(b *browser, _ account.User) answer { return b.get("/admin/sites/un/") }},
			{"create an article", func(r account.Role, _ account.User) bool { return account.Can(r, account.WriteArticle) },
				func(b *browser, _ account.User) answer {
					b.get("/admin/sites/un/")
					return b.post("/admin/sites/un/articles/new", url.Values{"language": {"en"}, "title": {"New one"}, "body": {"Text."},
						"section": {section}, "kind": {"news"}, "do": {"save"}})
				}},
			{"edit own draft", func(r account.Role, _ account.User) bool { return account.Can(r, account.WriteArticle) },
				func(b *browser, u account.User) answer {
					role := account.RoleEditor
					if r, ok := rolesOf(f, u)[f.un.ID]; ok {
						role = r
					}
					if !account.Can(role, account.WriteArticle) {
						role = account.RoleEditor // someone else's then: refused
					}
					a := f.articleBy(u, role, f.un, "en", "Own draft")
					return edit(b, a.ID, "Own draft, edited")
				}},
			{"edit another's draft", func(r account.Role, _ account.User) bool {
				return account.CanEdit(r, 1, account.Edits{CreatedBy: 2})
			}, func(b *browser, _ account.User) answer {
				a := f.articleBy(editor, account.RoleEditor, f.un, "en", "Editor's draft")
				return edit(b, a.ID, "Editor's draft, edited")
			}},
			{"edit a translation", func(r account.Role, _ account.User) bool {
				return account.CanEdit(r, 1, account.Edits{Translation: true, CreatedBy: 2})
			}, func(b *browser, _ account.User) answer {
				src := f.articleBy(editor, account.RoleEditor, f.un, "en", "Source")
				tr := f.translationOf(editor, f.un, src, "zh")
				b.edit(f.un, tr.ID)
				return b.post(articlePath(f.un, tr.ID, ""), url.Values{"title": {"译文"}, "para": {"译文。"}, "section": {section},
					"kind": {"news"}, "base": {b.edit(f.un, tr.ID).value("base")}, "do": {"save"}})
			}},
			{"translate", func(r account.Role, _ account.User) bool { return account.Can(r, account.Translate) },
				func(b *browser, _ account.User) answer {
					src := f.articleBy(editor, account.RoleEditor, f.un, "en", "To translate")
					b.get(fmt.Sprintf("/admin/sites/un/articles/%d/translate/zh", src.ID))
					return b.post("/admin/sites/un/articles/new", url.Values{"language": {"zh"}, "of": {strconv.FormatInt(src.ID, 10)},
						"title": {"待译"}, "para": {"译文。"}, "do": {"save"}})
				}},
			{"publish", func(r account.Role, _ account.User) bool { return account.Can(r, account.Publish) },
				func(b *browser, _ account.User) answer {
					a := f.articleBy(editor, account.RoleEditor, f.un, "en", "To publish")
					latest, _ := f.st.Accounts().LatestRevision(context.Background(), a.ID)
					b.get("/admin/sites/un/")
					return b.post(articlePath(f.un, a.ID, "publish"), url.Values{"do": {"now"}, "revision": {strconv.FormatInt(latest.ID, 10)}})
				}},
			{"withdraw", func(r account.Role, _ account.User) bool { return account.Can(r, account.Withdraw) },
				func(b *browser, _ account.User) answer {
					a := f.articleBy(editor, account.RoleEditor, f.un, "en", "To withdraw")
					f.publishAs(editor, f.un, a.ID)
					b.get("/admin/sites/un/")
					return b.post(articlePath(f.un, a.ID, "withdraw"), url.Values{"reason": {"Test."}})
				}},
			{"people", func(r account.Role, _ account.User) bool { return account.Can(r, account.ManageUsers) },
				func(b *browser, _ account.User) answer { return b.get("/admin/sites/un/people") }},
			{"give a role", func(r account.Role, _ account.User) bool { return account.Can(r, account.ManageUsers) },
				func(b *browser, _ account.User) answer {
					b.get("/admin/sites/un/")
					return b.post("/admin/sites/un/people", url.Values{"email": {"new@un.example.org"}, "role": {"author"}})
				}},
			{"settings", func(r account.Role, _ account.User) bool { return account.Can(r, account.ManageSite) },
				func(b *browser, _ account.User) answer {
					b.get("/admin/sites/un/")
					return b.post("/admin/sites/un/settings", url.Values{})
				}},
			{"audit log", func(r account.Role, _ account.User) bool { return account.Can(r, account.ViewAudit) },
				func(b *browser, _ account.User) answer { return b.get("/admin/sites/un/audit") }},
		}
		parent := f.t
		for _, role := range []account.Role{account.RoleAdmin, account.RoleEditor, account.RoleAuthor, account.RoleTranslator, ""} {
			u := people[role]
			b := f.browser()
			b.signIn(u.Email)
			name := string(role)
			if role == "" {
				name = "other site's editor"
			}
			for _, c := range checks {
				t.Run(name+"/"+c.name, func(t *testing.T) {
					b.t, f.t = t, t
					defer func() { f.t = parent }()
					a := c.do(b, u)
					switch {
					case role == "":
						if a.status != http.StatusNotFound {
							t.Fatalf("someone of another site: %d, want 404\n%s", a.status, a.text())
						}
					case c.allowed(role, u):
						if a.status != http.StatusOK {
							t.Fatalf("allowed, but %d at %s\n%s", a.status, a.url, a.text())
						}
					default:
						if a.status != http.StatusForbidden {
							t.Fatalf("not allowed, but %d at %s\n%s", a.status, a.url, a.text())
						}
					}
				})
			}
		}
		// Nothing of the other site changed: its settings and people are
		// as they were.
		emb, err := f.st.SiteByKey(context.Background(), "embassy")
		if err != nil || emb.RequireReview {
			t.Fatalf("embassy after the matrix: %+v, %v", emb, err)
		}
	})
}

func rolesOf(f *fixture, u account.User) map[int64]account.Role {
	roles, err := f.st.Accounts().Roles(context.Background(), u.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return roles
}
