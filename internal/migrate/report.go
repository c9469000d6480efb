package migrate

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Outcome is what became of one item of a source.
type Outcome string

// The outcomes, in the order the report counts them.
const (
	Imported  Outcome = "imported"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	Skipped   Outcome = "skipped"
	Failed    Outcome = "failed"
)

var outcomes = []Outcome{Imported, Updated, Unchanged, Skipped, Failed}

// Line is the report of one item, or of a file that gave none.
type Line struct {
	Outcome Outcome `json:"outcome"`
	Source  string  `json:"source"`
	File    string  `json:"file"`
	Key     string  `json:"key,omitempty"`
	Title   string  `json:"title,omitempty"`
	// Address is the article's address on the site now.
	Address      string   `json:"address,omitempty"`
	OldAddresses []string `json:"old_addresses,omitempty"`
	ArticleID    int64    `json:"article_id,omitempty"`
	// Reason says why an item was skipped or failed.
	Reason string `json:"reason,omitempty"`
	// Notes are lesser problems of an imported item: an attachment not
	// found in the source, a translation link that could not be made.
	Notes []string `json:"notes,omitempty"`
	// order is the entry's place in its batch, as the source had it.
	order int
}

// Report is the whole account of an import, printed at its end and
// written as JSON.
type Report struct {
	Site     string          `json:"site"`
	Sources  []string        `json:"sources"`
	Started  time.Time       `json:"started"`
	Finished time.Time       `json:"finished"`
	Counts   map[Outcome]int `json:"counts"`
	// Sections are the sections the import created.
	Sections []string `json:"sections_created,omitempty"`
	// Files counts the images and documents stored; Redirects the old
	// addresses recorded.
	Files     int    `json:"files_stored"`
	Redirects int    `json:"redirects_recorded"`
	Lines     []Line `json:"items"`
}

func (r *Report) add(l Line) {
	if r.Counts == nil {
		r.Counts = map[Outcome]int{}
	}
	r.Counts[l.Outcome]++
	r.Lines = append(r.Lines, l)
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WriteText writes the report for a person: the counts, then every item
// that was skipped or failed, with its reason, and notes on the others.
func (r *Report) WriteText(w io.Writer) {
	var counts []string
	for _, o := range outcomes {
		counts = append(counts, fmt.Sprintf("%d %s", r.Counts[o], o))
	}
	fmt.Fprintf(w, "Import into site %q: %s.\n", r.Site, strings.Join(counts, ", "))
	fmt.Fprintf(w, "%d sections created, %d files stored, %d old addresses recorded, in %s.\n",
		len(r.Sections), r.Files, r.Redirects, r.Finished.Sub(r.Started).Round(time.Millisecond))
	for _, o := range []Outcome{Failed, Skipped} {
		for _, l := range r.Lines {
			if l.Outcome == o {
				fmt.Fprintf(w, "  %s %s: %s\n", o, l.where(), l.Reason)
			}
		}
	}
	for _, l := range r.Lines {
		for _, n := range l.Notes {
			fmt.Fprintf(w, "  note %s: %s\n", l.where(), n)
		}
	}
}

func (l Line) where() string {
	if l.Key != "" && !strings.HasSuffix(l.Key, l.File) && !strings.HasSuffix(l.File, strings.TrimPrefix(l.Key, "/")) {
		return l.File + " (" + l.Key + ")"
	}
	return l.File
}
