package publish

import (
	"bytes"
	"compress/gzip"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"

	"chancery/internal/store"
	"chancery/internal/web"
)

// Compression levels of stored pages: a page is compressed once and sent
// many times, but a publish compresses some thirty pages, so both stay
// below the slowest settings, whose last percent costs milliseconds a page
// (brotli above 6 also allocates and clears megabytes for each page).
const (
	gzipLevel     = gzip.BestCompression
	brotliQuality = 6
)

// Writers are reused: making one allocates its tables afresh.
var (
	gzipWriters   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzipLevel); return w }}
	brotliWriters = sync.Pool{New: func() any { return brotli.NewWriterLevel(nil, brotliQuality) }}
)

// minCompress is the size under which a compressed variant is not kept.
const minCompress = 512

// compressible reports whether a content type is text worth compressing.
func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "xml") || strings.Contains(ct, "javascript")
}

// NewPage makes a stored page of a rendered body, with its strong ETag and
// its gzip and brotli variants (each kept only when smaller).
func NewPage(siteID int64, path, contentType string, body []byte, at time.Time) store.StoredPage {
	p := store.StoredPage{SiteID: siteID, Path: path, ContentType: contentType, ETag: web.ETag(body), Body: body, RenderedAt: at}
	if !compressible(contentType) || len(body) < minCompress {
		return p
	}
	var gz bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&gz)
	zw.Write(body)
	zw.Close()
	gzipWriters.Put(zw)
	if gz.Len() < len(body) {
		p.Gzip = gz.Bytes()
	}
	var br bytes.Buffer
	bw := brotliWriters.Get().(*brotli.Writer)
	bw.Reset(&br)
	bw.Write(body)
	bw.Close()
	brotliWriters.Put(bw)
	if br.Len() < len(body) {
		p.Brotli = br.Bytes()
	}
	return p
}
