package publish

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"

	"chancery/internal/store"
	"chancery/internal/web"
)

// Compression levels of stored pages: a page is compressed once and sent
// many times, but every page of a first export, a first visit and a
// publish is compressed twice, so both stay below the slowest settings.
// On the pages of a 10,000-article site (bench/RESULTS.md), klauspost's
// gzip at its default level takes 40% of the standard library's best
// compression's time for files 3% larger (gzip is what clients without
// brotli get, a few of them); brotli at quality 5 takes seven eighths of
// quality 6's time for files of the same size (above 6 it also allocates
// and clears megabytes for each page).
const (
	gzipLevel = gzip.DefaultCompression
	// BrotliQuality is also the static export's default, so that an
	// export writes the stored variants as they are.
	BrotliQuality = 5
)

// Writers are reused: making one allocates (and clears) its tables, some
// megabytes for brotli. A sync.Pool would drop them at every garbage
// collection, so the first pages after each one paid that again; these
// pools keep a few for good.
var (
	gzipWriters   = newWriterPool(func() compressor { w, _ := gzip.NewWriterLevel(nil, gzipLevel); return w })
	brotliWriters = newWriterPool(func() compressor { return brotli.NewWriterLevel(nil, BrotliQuality) })
)

// writerPool keeps up to two writers per CPU.
type writerPool struct {
	idle  chan compressor
	fresh func() compressor
}

func newWriterPool(fresh func() compressor) *writerPool {
	return &writerPool{idle: make(chan compressor, 2*runtime.GOMAXPROCS(0)), fresh: fresh}
}

func (p *writerPool) get() compressor {
	select {
	case w := <-p.idle:
		return w
	default:
		return p.fresh()
	}
}

func (p *writerPool) put(w compressor) {
	select {
	case p.idle <- w:
	default:
	}
}

// minCompress is the size under which a compressed variant is not kept.
const minCompress = 512

// Compressible reports whether a content type is text worth compressing.
func Compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "xml") || strings.Contains(ct, "javascript")
}

// NewPage makes a stored page of a rendered body, with its strong ETag and
// its gzip and brotli variants (each kept only when smaller).
func NewPage(siteID int64, path, contentType string, body []byte, at time.Time) store.StoredPage {
	p := store.StoredPage{SiteID: siteID, Path: path, ContentType: contentType, ETag: web.ETag(body), Body: body, RenderedAt: at}
	if !Compressible(contentType) || len(body) < minCompress {
		return p
	}
	p.Gzip = compress(gzipWriters, body)
	p.Brotli = compress(brotliWriters, body)
	return p
}

// Gzip and Brotli compress a body as stored pages are compressed, with
// the same reused writers; nil when that is not smaller or the body is
// under minCompress.
func Gzip(body []byte) []byte {
	if len(body) < minCompress {
		return nil
	}
	return compress(gzipWriters, body)
}

func Brotli(body []byte) []byte {
	if len(body) < minCompress {
		return nil
	}
	return compress(brotliWriters, body)
}

// compressor is what gzip and brotli writers both offer.
type compressor interface {
	Reset(io.Writer)
	Write([]byte) (int, error)
	Close() error
}

// compress compresses body with a writer from pool; nil when that is not
// smaller.
func compress(pool *writerPool, body []byte) []byte {
	var buf bytes.Buffer
	w := pool.get()
	w.Reset(&buf)
	w.Write(body)
	w.Close()
	pool.put(w)
	if buf.Len() >= len(body) {
		return nil
	}
	return buf.Bytes()
}
