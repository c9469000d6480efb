package migrate

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits bound what one source may make the importer read, so that an
// archive built to expand into something absurd is refused item by item
// instead of filling memory.
type Limits struct {
	// MaxFile is the largest file read, in bytes (after decompression).
	MaxFile int64
	// MaxTotal is the most an archive may expand to, in bytes.
	MaxTotal int64
	// MaxFiles is the most entries an archive may hold.
	MaxFiles int
}

// DefaultLimits suit the saved sites of missions: pages are small, a
// document rarely passes a few tens of megabytes.
var DefaultLimits = Limits{MaxFile: 64 << 20, MaxTotal: 8 << 30, MaxFiles: 1_000_000}

// sourceFile is one file of a source, read when asked for.
type sourceFile struct {
	// name is slash-separated, relative to the source's root.
	name string
	size int64
	read func() ([]byte, error)
}

// problem is a file of a source that cannot be read at all; it is
// reported, and the rest of the source goes on.
type problem struct {
	name, reason string
}

// openSource lists the files of one source: a directory, a .zip or
// .tar.gz archive, or a single file.
func openSource(src string, lim Limits) ([]sourceFile, []problem, error) {
	info, err := os.Stat(src)
	if err != nil {
		return nil, nil, fmt.Errorf("source %s: %w", src, err)
	}
	if info.IsDir() {
		return dirFiles(src, lim)
	}
	lower := strings.ToLower(src)
	switch {
	case strings.HasSuffix(lower, ".zip"):
		return zipFiles(src, lim)
	case strings.HasSuffix(lower, ".tar.gz"), strings.HasSuffix(lower, ".tgz"):
		return tarFiles(src, lim)
	}
	if info.Size() > lim.MaxFile {
		return nil, []problem{{filepath.Base(src), tooBig(info.Size(), lim)}}, nil
	}
	return []sourceFile{{name: filepath.Base(src), size: info.Size(), read: func() ([]byte, error) { return os.ReadFile(src) }}}, nil, nil
}

func tooBig(size int64, lim Limits) string {
	return fmt.Sprintf("file of %d bytes is larger than the limit of %d (raise --max-file to import it)", size, lim.MaxFile)
}

func dirFiles(root string, lim Limits) ([]sourceFile, []problem, error) {
	var files []sourceFile
	var problems []problem
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		name := filepath.ToSlash(rel)
		if err != nil {
			problems = append(problems, problem{name, "cannot be read: " + err.Error()})
			if d != nil && d.IsDir() && p != root {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir // .git and the like
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil // links are not followed out of the source
		}
		info, err := d.Info()
		if err != nil {
			problems = append(problems, problem{name, "cannot be read: " + err.Error()})
			return nil
		}
		if info.Size() > lim.MaxFile {
			problems = append(problems, problem{name, tooBig(info.Size(), lim)})
			return nil
		}
		files = append(files, sourceFile{name: name, size: info.Size(), read: func() ([]byte, error) { return os.ReadFile(p) }})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return files, problems, nil
}

// validNames writes file names that are not UTF-8 (an archive made on a
// machine that names files in GBK) with their stray bytes percent-encoded,
// so that every key and address made of them is text.
func validNames(files []sourceFile) []sourceFile {
	for i, f := range files {
		if utf8.ValidString(f.name) {
			continue
		}
		var b strings.Builder
		for len(f.name) > 0 {
			r, n := utf8.DecodeRuneInString(f.name)
			if r == utf8.RuneError && n <= 1 {
				fmt.Fprintf(&b, "%%%02X", f.name[0])
			} else {
				b.WriteString(f.name[:n])
			}
			f.name = f.name[n:]
		}
		files[i].name = b.String()
	}
	return files
}

// withoutHostDir drops the top directory every file shares when it is a
// host name: a mirroring tool saves https://www.embassy.example/eng/… as
// www.embassy.example/eng/…, and the old addresses are what follows it.
func withoutHostDir(files []sourceFile) []sourceFile {
	if len(files) == 0 {
		return files
	}
	top, _, ok := strings.Cut(files[0].name, "/")
	if !ok || !strings.Contains(top, ".") {
		return files
	}
	for _, f := range files {
		if !strings.HasPrefix(f.name, top+"/") {
			return files
		}
	}
	out := make([]sourceFile, len(files))
	for i, f := range files {
		f.name = strings.TrimPrefix(f.name, top+"/")
		out[i] = f
	}
	return out
}

// entryName checks an archive entry's name: relative, inside the archive,
// without ".." or an absolute or drive-letter start. It returns the clean
// name, or a reason to refuse the entry.
func entryName(name string) (string, string) {
	n := strings.ReplaceAll(name, "\\", "/")
	if strings.HasPrefix(n, "/") || (len(n) > 1 && n[1] == ':') {
		return "", "its name is an absolute path, which would write outside the import"
	}
	for _, seg := range strings.Split(n, "/") {
		if seg == ".." {
			return "", "its name climbs out of the archive (\"..\"), which would write outside the import"
		}
	}
	if strings.ContainsRune(n, 0) {
		return "", "its name holds a NUL byte"
	}
	return path.Clean(n), ""
}

// readLimited reads r up to the per-file limit and what is left of the
// total, whatever the entry's header claimed.
func readLimited(r io.Reader, lim Limits, used *int64) ([]byte, string) {
	allowed := min(lim.MaxFile, lim.MaxTotal-*used)
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, allowed+1))
	*used += n
	if n > allowed {
		if allowed < lim.MaxFile {
			return nil, fmt.Sprintf("the archive expands to more than %d bytes in all; the rest of it is not read", lim.MaxTotal)
		}
		return nil, fmt.Sprintf("expands to more than the limit of %d bytes for one file (raise --max-file to import it)", lim.MaxFile)
	}
	if err != nil {
		return nil, "cannot be read: " + err.Error()
	}
	return buf.Bytes(), ""
}

// archive collects an archive's entries within the limits.
type archive struct {
	lim      Limits
	files    []sourceFile
	problems []problem
	used     int64
	entries  int
}

// add reads one entry into memory, or refuses it: a name that escapes
// the archive, a link or device, a size beyond the limits. It reports
// whether the archive's next entries may be read.
func (a *archive) add(raw string, regular bool, open func() (io.ReadCloser, error)) bool {
	if a.entries++; a.entries > a.lim.MaxFiles {
		a.problems = append(a.problems, problem{raw, fmt.Sprintf("the archive holds more than %d entries; the rest are not read", a.lim.MaxFiles)})
		return false
	}
	name, why := entryName(raw)
	if why != "" {
		a.problems = append(a.problems, problem{raw, "refused: " + why})
		return true
	}
	if !regular {
		a.problems = append(a.problems, problem{name, "refused: not a regular file (a link or device)"})
		return true
	}
	rc, err := open()
	if err != nil {
		a.problems = append(a.problems, problem{name, "cannot be read: " + err.Error()})
		return true
	}
	data, why := readLimited(rc, a.lim, &a.used)
	rc.Close()
	if why != "" {
		a.problems = append(a.problems, problem{name, why})
		return a.used <= a.lim.MaxTotal
	}
	a.files = append(a.files, memFile(name, data))
	return true
}

func (a *archive) result() ([]sourceFile, []problem, error) {
	slices.SortFunc(a.files, func(x, y sourceFile) int { return strings.Compare(x.name, y.name) })
	return a.files, a.problems, nil
}

// zipFiles reads a zip archive's entries into memory, one at a time and
// within the limits; entries whose names escape the archive are refused.
func zipFiles(src string, lim Limits) ([]sourceFile, []problem, error) {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return nil, nil, fmt.Errorf("%s is not a readable zip archive: %w", src, err)
	}
	defer zr.Close()
	a := &archive{lim: lim}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if !a.add(f.Name, f.Mode().IsRegular(), f.Open) {
			break
		}
	}
	return a.result()
}

func memFile(name string, data []byte) sourceFile {
	return sourceFile{name: name, size: int64(len(data)), read: func() ([]byte, error) { return data, nil }}
}

// tarFiles reads a gzip-compressed tar archive like zipFiles.
func tarFiles(src string, lim Limits) ([]sourceFile, []problem, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s is not a gzip-compressed tar archive: %w", src, err)
	}
	tr := tar.NewReader(gz)
	a := &archive{lim: lim}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			a.problems = append(a.problems, problem{filepath.Base(src), "the archive is damaged or cut short (" + err.Error() + "); the entries before that were read"})
			break
		}
		if h.Typeflag == tar.TypeDir {
			continue
		}
		if !a.add(h.Name, h.Typeflag == tar.TypeReg, func() (io.ReadCloser, error) { return io.NopCloser(tr), nil }) {
			break
		}
	}
	return a.result()
}
