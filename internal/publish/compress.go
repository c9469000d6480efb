package publish

import (
	"bytes"
	"compress/gzip"
	"strings"
	"time"

	"github.com/andybalholm/brotli"

	"chancery/internal/store"
	"chancery/internal/web"
)

// Compression levels of stored pages: a page is compressed once and sent
// many times, so both are high, but below the slowest settings, whose last
// percent would cost a publish tens of milliseconds.
const (
	gzipLevel     = gzip.BestCompression
	brotliQuality = 9
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
	zw, _ := gzip.NewWriterLevel(&gz, gzipLevel)
	zw.Write(body)
	zw.Close()
	if gz.Len() < len(body) {
		p.Gzip = gz.Bytes()
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotliQuality)
	bw.Write(body)
	bw.Close()
	if br.Len() < len(body) {
		p.Brotli = br.Bytes()
	}
	return p
}
