package admin

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"chancery/internal/account"
	"chancery/internal/content"
	"chancery/internal/pages"
	"chancery/internal/store"
)

type sectionsView struct {
	formView
	Rows  []sectionRow
	Langs []string
	// Parents are the sections a section can be put under.
	Parents []option
	// Editing is the section whose form is open; 0 for a new one.
	Editing int64
}

type sectionRow struct {
	ID          int64
	Depth       int
	Indent      string
	Names       []langValue
	InNav       bool
	Top         bool
	First, Last bool
}

type langValue struct{ Lang, Name, Slug, URL string }

func (h *Handler) sections(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.refuse(w, r, v, account.ManageSections, "manage sections") {
		return
	}
	sv := sectionsView{formView: newForm()}
	if id, err := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64); err == nil {
		sv.Editing = id
	}
	if r.URL.Query().Get("done") == "saved" {
		v.page.Flash = v.page.T("Saved.")
	}
	if res, ok := resumedForm(r); ok && res.Path == r.URL.Path && res.Values.Get("do") == "save" {
		for k := range res.Values {
			sv.Values[k] = res.Values.Get(k)
		}
		sv.Editing = formIntOf(res.Values, "id")
		v.page.Flash = v.page.T("This is what you sent, not yet done. Check it and send it again.")
	}
	h.showSections(w, r, v, sv, http.StatusOK)
}

func (h *Handler) showSections(w http.ResponseWriter, r *http.Request, v *visit, sv sectionsView, status int) {
	p := v.page
	s := *p.Site
	secs, err := h.opt.Store.Sections(r.Context(), s.ID)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	tree := content.NewTree(secs)
	sv.Langs = s.Languages
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		kids := tree.Children(parent)
		for i, sec := range kids {
			row := sectionRow{ID: sec.ID, Depth: depth, Indent: strings.Repeat("— ", depth), InNav: sec.InNav, Top: parent == 0,
				First: i == 0, Last: i == len(kids)-1}
			for _, l := range s.Languages {
				row.Names = append(row.Names, langValue{Lang: l, Name: sec.Name(l), Slug: sec.Slugs[l], URL: content.SectionPath(l, tree.Slugs(sec.ID, l))})
			}
			sv.Rows = append(sv.Rows, row)
			walk(sec.ID, depth+1)
		}
	}
	walk(0, 0)
	if sv.Editing != 0 {
		sec, ok := tree.Section(sv.Editing)
		if !ok {
			h.fail(w, r, p, fmt.Errorf("section %d: %w", sv.Editing, content.ErrNotFound))
			return
		}
		if len(sv.Values) == 0 {
			for _, l := range s.Languages {
				sv.Values["name_"+l], sv.Values["slug_"+l] = sec.Name(l), sec.Slugs[l]
			}
			sv.Values["parent"] = strconv.FormatInt(sec.ParentID, 10)
			if sec.InNav {
				sv.Values["in_nav"] = "on"
			}
		}
	}
	sv.Parents = []option{{Value: "0", Label: p.T("(top level)"), Selected: sv.Values["parent"] == "0" || sv.Values["parent"] == ""}}
	for _, o := range sectionOptions(tree, p.Lang, 0) {
		id, _ := strconv.ParseInt(o.Value, 10, 64)
		if sv.Editing != 0 && slices.Contains(tree.Subtree(sv.Editing), id) {
			continue // not below itself
		}
		o.Selected = o.Value == sv.Values["parent"]
		sv.Parents = append(sv.Parents, o)
	}
	p.Title, p.Body = p.T("Sections and navigation"), sv
	h.render(w, status, "sections", p)
}

// saveSection creates, changes, moves or reorders a section. Addresses of
// articles never change (they are stored); a section's own pages that
// move get a permanent redirect from their old addresses, in every
// language, below it too.
func (h *Handler) saveSection(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.refuse(w, r, v, account.ManageSections, "manage sections") {
		return
	}
	ctx := r.Context()
	p := v.page
	s := *p.Site
	id := formInt(r, "id")
	sv := sectionsView{formView: newForm(), Editing: id}
	for k := range r.PostForm {
		sv.Values[k] = r.PostFormValue(k)
	}
	action := r.PostFormValue("do")
	_, err := h.opt.Editorial.Publisher.ChangeSite(ctx, s.ID, func(q store.Queries) (pages.Set, error) {
		secs, err := q.Sections(ctx, s.ID)
		if err != nil {
			return nil, err
		}
		oldTree := content.NewTree(secs)
		var old, sec content.Section
		if id != 0 {
			var ok bool
			if old, ok = oldTree.Section(id); !ok {
				return nil, fmt.Errorf("section %d: %w", id, content.ErrNotFound)
			}
			sec = old
			sec.Names, sec.Slugs = maps.Clone(old.Names), maps.Clone(old.Slugs)
		} else {
			sec = content.Section{SiteID: s.ID, Names: map[string]string{}, Slugs: map[string]string{}}
		}
		switch action {
		case "up", "down":
			sibs := oldTree.Children(old.ParentID)
			i := slices.IndexFunc(sibs, func(x content.Section) bool { return x.ID == id })
			j := i - 1
			if action == "down" {
				j = i + 1
			}
			if i < 0 || j < 0 || j >= len(sibs) {
				return pages.Set{}, nil
			}
			// Number the siblings afresh in their new order.
			sibs[i], sibs[j] = sibs[j], sibs[i]
			set := pages.Set{}
			for pos, x := range sibs {
				if x.Position == pos*10 {
					continue
				}
				before := x
				x.Position = pos * 10
				if err := q.UpdateSection(ctx, x); err != nil {
					return nil, err
				}
				for pg := range pages.ForSection(s, oldTree, oldTree, before, x) {
					set[pg] = struct{}{}
				}
			}
			return set, h.auditSection(ctx, q, v, r, s.ID, "section-moved", old.Name(s.DefaultLanguage)+" "+action)
		case "save":
			for _, l := range s.Languages {
				sec.Names[l] = strings.TrimSpace(r.PostFormValue("name_" + l))
				slug := strings.ToLower(strings.TrimSpace(r.PostFormValue("slug_" + l)))
				if slug == "" {
					slug = content.Slugify(sec.Names[l])
				}
				if slug == "" {
					slug = content.Slugify(r.PostFormValue("name_" + s.DefaultLanguage))
				}
				sec.Slugs[l] = slug
			}
			sec.ParentID = formInt(r, "parent")
			sec.InNav = r.PostFormValue("in_nav") == "on"
			if id == 0 || sec.ParentID != old.ParentID {
				sec.Position = (len(oldTree.Children(sec.ParentID)) + 1) * 10
			}
			if id == 0 {
				if sec, err = q.CreateSection(ctx, sec); err != nil {
					return nil, err
				}
			} else if err := q.UpdateSection(ctx, sec); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("section action %q: %w", action, content.ErrNotFound)
		}
		secs, err = q.Sections(ctx, s.ID)
		if err != nil {
			return nil, err
		}
		newTree := content.NewTree(secs)
		if id != 0 {
			if err := keepSectionAddresses(ctx, q, s, oldTree, newTree, id); err != nil {
				return nil, err
			}
		}
		what := "section-created"
		if id != 0 {
			what = "section-changed"
		}
		if err := h.auditSection(ctx, q, v, r, s.ID, what, sec.Name(s.DefaultLanguage)); err != nil {
			return nil, err
		}
		return pages.ForSection(s, oldTree, newTree, old, sec), nil
	})
	var verr *content.ValidationError
	switch {
	case errors.As(err, &verr):
		for k, msg := range verr.Fields {
			sv.Errors[k] = p.Explain(msg)
		}
		p.Problem = p.T("The section was not saved: correct what is marked below.")
		v.page = p
		h.showSections(w, r, v, sv, http.StatusUnprocessableEntity)
		return
	case errors.Is(err, content.ErrConflict):
		p.Problem = conflictProblem(p.Lang, err)
		v.page = p
		h.showSections(w, r, v, sv, http.StatusConflict)
		return
	case err != nil:
		h.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, "/admin/sites/"+s.Key+"/sections?done=saved", http.StatusSeeOther)
}

// keepSectionAddresses makes every address of the section and of the
// sections below it that changed answer with a redirect to the new one.
func keepSectionAddresses(ctx context.Context, q store.Queries, s content.Site, oldTree, newTree content.Tree, id int64) error {
	for _, sub := range oldTree.Subtree(id) {
		for _, l := range s.Languages {
			before := content.SectionPath(l, oldTree.Slugs(sub, l))
			after := content.SectionPath(l, newTree.Slugs(sub, l))
			if before == after {
				continue
			}
			if err := q.Imports().PutRedirect(ctx, store.Redirect{SiteID: s.ID, OldPath: before, SectionID: sub, Language: l}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (h *Handler) auditSection(ctx context.Context, q store.Queries, v *visit, r *http.Request, siteID int64, action, detail string) error {
	return q.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: v.user.ID, Email: v.user.Email, SiteID: siteID,
		Action: action, Detail: detail, Address: clientAddress(r)})
}
