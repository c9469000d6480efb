package migrate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
)

// Format is one kind of source the importer reads.
type Format struct {
	// Name is what --format calls it.
	Name string
	// Detect reports whether a file is of this format, from its name and
	// its first bytes (nil when only the name is known yet).
	Detect func(name string, head []byte) bool
	// Parse reads one file.
	Parse func(File) []Entry
}

// Options say what to import and how.
type Options struct {
	// Site is the site the articles go to.
	Site content.Site
	// Formats are the readers to choose from, in order of precedence.
	Formats []Format
	// Format, when set, reads every file with the reader of that name
	// instead of detecting.
	Format string
	Limits Limits
	// Progress, when set, is told how many files have been imported out
	// of how many there are.
	Progress func(done, total int)
	// Now gives the time of the import (time.Now when nil).
	Now func() time.Time
}

// headSize is how much of a file the readers see to recognise it: a
// WordPress export opens with about 1,200 bytes of comment before <rss>.
const headSize = 4096

// parsed is one file of a source with what its reader made of it,
// there once ready is closed.
type parsed struct {
	source  string
	file    sourceFile
	files   map[string]sourceFile
	entries []Entry
	ready   chan struct{}
}

// Run imports every source into opt.Site and reports what became of each
// item. Each item is written in its own transaction: an item that fails
// leaves the ones before it imported and changes nothing itself. Run
// returns an error only when it cannot go on at all (a source that does
// not exist, a format that is not known).
func Run(ctx context.Context, st store.Store, sources []string, opt Options) (*Report, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Limits == (Limits{}) {
		opt.Limits = DefaultLimits
	}
	if opt.Format != "" && !slices.ContainsFunc(opt.Formats, func(f Format) bool { return f.Name == opt.Format }) {
		return nil, fmt.Errorf("unknown format %q: use one of %s", opt.Format, formatNames(opt.Formats))
	}
	rep := &Report{Site: opt.Site.Key, Sources: sources, Started: opt.Now().UTC()}
	var work []*parsed
	for _, src := range sources {
		files, problems, closeSource, err := openSource(src, opt.Limits)
		if err != nil {
			return nil, err
		}
		defer closeSource()
		files = withoutHostDir(validNames(files))
		for _, p := range problems {
			rep.add(Line{Outcome: Failed, Source: src, File: p.name, Reason: p.reason})
		}
		byName := make(map[string]sourceFile, len(files))
		for _, f := range files {
			byName[f.name] = f
		}
		for _, f := range files {
			if !opt.claims(f.name) {
				continue // an asset (styles, scripts, images), read only when an article links it
			}
			work = append(work, &parsed{source: src, file: f, files: byName, ready: make(chan struct{})})
		}
	}
	im, err := newImporter(ctx, st, opt, rep)
	if err != nil {
		return nil, err
	}
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	// The parsers run at most a window of files ahead of the writer, so
	// that a large source is not held in memory whole.
	slots := make(chan struct{}, 4*batchSize)
	go parseAll(pctx, work, opt, slots)
	err = im.write(ctx, work, opt.Progress, slots)
	rep.Finished = opt.Now().UTC()
	return rep, err
}

func formatNames(fs []Format) string {
	var names []string
	for _, f := range fs {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

// claims reports whether some format may read the file, by its name.
func (opt Options) claims(name string) bool {
	for _, f := range opt.Formats {
		if (opt.Format == "" || f.Name == opt.Format) && f.Detect(name, nil) {
			return true
		}
	}
	return false
}

// parseAll reads and parses the files on every core, in order, while the
// importer writes those already parsed; each file takes a slot, which the
// writer frees once it has written it.
func parseAll(ctx context.Context, work []*parsed, opt Options, slots chan struct{}) {
	next := make(chan *parsed)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for w := range next {
				w.entries = opt.safeParse(w.file)
				close(w.ready)
			}
		})
	}
	for _, w := range work {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		next <- w
	}
	close(next)
	wg.Wait()
}

// safeParse parses a file; a reader that panics (a bug) fails that file
// instead of the whole import.
func (opt Options) safeParse(f sourceFile) (entries []Entry) {
	defer func() {
		if v := recover(); v != nil {
			entries = []Entry{{File: f.name, Err: fmt.Errorf("the reader failed on this file (a bug in Chancery; please report it): %v", v)}}
		}
	}()
	return opt.parse(f)
}

// parse reads one file with the format that recognises it.
func (opt Options) parse(f sourceFile) []Entry {
	data, err := f.read()
	if err != nil {
		return []Entry{{File: f.name, Err: fmt.Errorf("cannot be read: %w", err)}}
	}
	head := data[:min(len(data), headSize)]
	for _, fm := range opt.Formats {
		if opt.Format != "" && fm.Name != opt.Format {
			continue
		}
		if opt.Format != "" || fm.Detect(f.name, head) {
			return fm.Parse(File{Name: f.name, Data: data})
		}
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return []Entry{{File: f.name, Err: errors.New("binary data, not a page of any format the importer reads (" + formatNames(opt.Formats) + ")")}}
	}
	return []Entry{{File: f.name, Skip: "not a file of any format the importer reads (" + formatNames(opt.Formats) + ")"}}
}

// digest identifies an item's content, so that a second import of an
// unchanged item changes nothing.
func digest(it *Item) string {
	b, _ := json.Marshal(it)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// summaryOf is the first words of an article's text, for listings, when
// the source gives no summary.
func summaryOf(bodyHTML string) string {
	text := strings.Join(strings.Fields(html.UnescapeString(stripTags(bodyHTML, 4*summaryLimit))), " ")
	const limit = summaryLimit
	runes := []rune(text)
	if len(runes) <= limit {
		return text
	}
	cut := string(runes[:limit])
	if i := strings.LastIndexAny(cut, " 。，,;；"); i > limit/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;，；") + "…"
}

// summaryLimit is the length of a summary made from the text, in
// characters.
const summaryLimit = 200

// stripTags is the text of sanitised HTML, each tag read as a space, up
// to about max bytes: enough for a summary without parsing the page.
func stripTags(s string, max int) string {
	var b strings.Builder
	inTag := false
	for i := 0; i < len(s) && b.Len() < max; i++ {
		switch c := s[i]; {
		case c == '<':
			inTag = true
			b.WriteByte(' ')
		case c == '>':
			inTag = false
		case !inTag:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// wallClock reads a time the source gave without a zone as a time in loc.
func wallClock(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc).UTC()
}

// errItem is a reason an item was not imported.
type errItem struct{ reason string }

func (e *errItem) Error() string { return e.reason }

func refuse(format string, args ...any) error { return &errItem{fmt.Sprintf(format, args...)} }

// reasonOf turns a store error into a sentence for the report.
func reasonOf(err error) string {
	var ei *errItem
	if errors.As(err, &ei) {
		return ei.reason
	}
	var ve *content.ValidationError
	if errors.As(err, &ve) {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(ve.Fields)) {
			parts = append(parts, k+": "+ve.Fields[k])
		}
		return "not a valid article: " + strings.Join(parts, "; ")
	}
	return err.Error()
}
