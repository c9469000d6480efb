package feed

import (
	"bytes"
	"encoding/json"
)

// jsonVersion identifies JSON Feed 1.1.
const jsonVersion = "https://jsonfeed.org/version/1.1"

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonItem struct {
	ID            string   `json:"id"`
	URL           string   `json:"url,omitempty"`
	Title         string   `json:"title,omitempty"`
	Summary       string   `json:"summary,omitempty"`
	ContentHTML   string   `json:"content_html,omitempty"`
	ContentText   *string  `json:"content_text,omitempty"` // a pointer: present, even empty, when there is no HTML
	DatePublished string   `json:"date_published"`
	DateModified  string   `json:"date_modified"`
	Tags          []string `json:"tags,omitempty"`
}

// JSON returns f as a JSON Feed 1.1 document.
//
// Each item carries content_html when the entry has HTML and otherwise the
// summary as content_text, so that every item has the content the format
// requires; the category, when set, is the item's only tag.
func JSON(f Feed) []byte {
	doc := jsonFeed{
		Version:     jsonVersion,
		Title:       clean(f.Title),
		HomePageURL: clean(f.HomeURL),
		FeedURL:     clean(f.JSONURL),
		Description: clean(f.Description),
		Language:    clean(f.Language),
		Items:       make([]jsonItem, 0, len(f.Entries)),
	}
	if name := publisher(f); name != "" {
		doc.Authors = []jsonAuthor{{Name: name}}
	}
	for _, e := range f.Entries {
		published, updated := entryDates(e)
		it := jsonItem{
			ID:            entryID(e),
			URL:           clean(e.URL),
			Title:         clean(e.Title),
			Summary:       clean(e.Summary),
			DatePublished: rfc3339(published),
			DateModified:  rfc3339(updated),
		}
		if it.ContentHTML = clean(e.HTML); it.ContentHTML == "" {
			text := it.Summary
			it.ContentText = &text
		}
		if e.Category != "" {
			it.Tags = []string{clean(e.Category)}
		}
		doc.Items = append(doc.Items, it)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		panic("feed: encoding JSON: " + err.Error())
	}
	return buf.Bytes()
}
