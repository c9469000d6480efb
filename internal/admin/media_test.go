package admin

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"chancery/internal/account"
)

// tinyPNG is a 1×1 PNG.
var tinyPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

// tinyPDF is the start of a PDF file, which is what typing looks at.
var tinyPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func TestMediaUploadAndAttach(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.signIn("editor@un.example.org")
		b.get("/admin/sites/un/media")
		texts := url.Values{"title_en": {"Position paper"}, "title_zh": {"立场文件"}}

		// The type comes from the content: a text file named .pdf is
		// refused, the titles typed are kept.
		a := b.upload("/admin/sites/un/media", texts, "paper.pdf", []byte("just some text, not a PDF"))
		if a.status != http.StatusUnsupportedMediaType || a.fieldError("file") == "" || a.value("title_zh") != "立场文件" {
			t.Fatalf("text named .pdf: %d, %q, kept %q", a.status, a.fieldError("file"), a.value("title_zh"))
		}
		// Too large: refused with the limit in the message.
		a = b.upload("/admin/sites/un/media", texts, "big.pdf", append(append([]byte{}, tinyPDF...), bytes.Repeat([]byte("x"), testMaxUpload)...))
		if a.status != http.StatusRequestEntityTooLarge || !strings.Contains(a.text(), "256 KB") {
			t.Fatalf("oversized upload: %d: %s", a.status, a.text())
		}
		if a = b.upload("/admin/sites/un/media", texts, "", nil); a.status == http.StatusOK {
			t.Fatal("an upload without a file was accepted")
		}
		// A PDF (named without an extension) and a PNG are stored.
		if a = b.upload("/admin/sites/un/media", texts, "position paper", tinyPDF); a.status != http.StatusOK || !strings.Contains(a.text(), "position-paper.pdf") {
			t.Fatalf("PDF upload: %d: %s", a.status, a.text())
		}
		if a = b.upload("/admin/sites/un/media", url.Values{"alt_en": {"The ambassador speaks"}, "alt_zh": {"大使发言"}}, "photo.png", tinyPNG); a.status != http.StatusOK {
			t.Fatalf("PNG upload: %d", a.status)
		}
		files, err := f.st.Imports().MediaList(ctx, f.un.ID)
		if err != nil || len(files) != 2 || files[0].ContentType != "application/pdf" || files[1].ContentType != "image/png" {
			t.Fatalf("stored files: %+v, %v", files, err)
		}
		pdf, png := files[0], files[1]
		// The same bytes again are stored once, and uploading them without
		// titles keeps the titles they had.
		b.upload("/admin/sites/un/media", url.Values{}, "again.pdf", tinyPDF)
		if again, _ := f.st.Imports().MediaList(ctx, f.un.ID); len(again) != 2 {
			t.Fatalf("the same file twice: %d stored", len(again))
		}
		if kept, _ := f.st.Accounts().MediaTexts(ctx, []int64{pdf.ID}); kept[pdf.ID]["zh"].Title != "立场文件" {
			t.Fatalf("uploading a file again erased its titles: %+v", kept[pdf.ID])
		}

		// An article: the image inserted into its body, the document
		// listed on its page.
		id := b.newArticle(f.un, "en", "Statement with a paper", "Opening words.")
		e := b.edit(f.un, id)
		a = b.post(articlePath(f.un, id, ""), url.Values{"title": {"Statement with a paper"}, "body": {e.value("body")}, "section": {e.value("section")},
			"kind": {"news"}, "base": {e.value("base")}, "image": {png.Key}, "do": {"insert"}})
		want := "![The ambassador speaks](" + png.Path() + ")"
		if a.status != http.StatusOK || !strings.Contains(a.value("body"), want) {
			t.Fatalf("insert image: %d, body %q", a.status, a.value("body"))
		}
		a = b.post(articlePath(f.un, id, ""), url.Values{"title": {"Statement with a paper"}, "body": {a.value("body")}, "section": {e.value("section")},
			"kind": {"news"}, "base": {e.value("base")}, "do": {"save"}})
		if a.status != http.StatusOK {
			t.Fatalf("save with the image: %d", a.status)
		}
		if a = b.post(articlePath(f.un, id, "attach"), url.Values{"media": {pdf.Key}}); a.status != http.StatusOK {
			t.Fatalf("attach: %d: %s", a.status, a.text())
		}
		b.post(articlePath(f.un, id, "publish"), url.Values{"do": {"now"}})
		art, _ := f.st.Article(ctx, id)
		p := b.public("un.localhost", art.Path)
		if !strings.Contains(p.body, `src="`+png.Path()+`"`) || !strings.Contains(p.body, `alt="The ambassador speaks"`) {
			t.Fatalf("public page without the image:\n%s", p.body)
		}
		if !strings.Contains(p.text(), "Position paper (PDF,") || !strings.Contains(p.body, `href="`+pdf.Path()+`"`) {
			t.Fatalf("public page without the document:\n%s", p.text())
		}
		// A new title shows on the page at once.
		b.get("/admin/sites/un/media")
		b.post("/admin/sites/un/media/"+pdf.Key, url.Values{"title_en": {"Position paper (revised)"}, "title_zh": {"立场文件"}})
		if p = b.public("un.localhost", art.Path); !strings.Contains(p.text(), "Position paper (revised)") {
			t.Fatalf("the new title is not shown:\n%s", p.text())
		}
		// Files are served at their addresses.
		if got := b.public("un.localhost", pdf.Path()); got.status != http.StatusOK || got.body != string(tinyPDF) {
			t.Fatalf("file address: %d", got.status)
		}
		// Taking it off the page.
		b.edit(f.un, id)
		b.post(articlePath(f.un, id, "attach"), url.Values{"media": {pdf.Key}, "do": {"detach"}})
		if p = b.public("un.localhost", art.Path); strings.Contains(p.text(), "Position paper") {
			t.Fatal("a removed document is still listed")
		}
		// An author may not attach to a published article, nor retitle a
		// file a published article lists.
		f.user("author@un.example.org", f.un.ID, account.RoleAuthor)
		au := f.browser()
		au.signIn("author@un.example.org")
		if a = au.post(articlePath(f.un, id, "attach"), url.Values{"media": {pdf.Key}}); a.status != http.StatusForbidden {
			t.Fatalf("author attaching to a published article: %d", a.status)
		}
		b.post(articlePath(f.un, id, "attach"), url.Values{"media": {pdf.Key}})
		au.get("/admin/sites/un/media")
		if a = au.post("/admin/sites/un/media/"+pdf.Key, url.Values{"title_en": {"Defaced"}}); a.status != http.StatusForbidden {
			t.Fatalf("author retitling a published document: %d", a.status)
		}
		if p = b.public("un.localhost", art.Path); strings.Contains(p.text(), "Defaced") {
			t.Fatal("an author changed what readers see")
		}
	})
}
