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
	"sync/atomic"
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
// .tar.gz archive, or a single file. Files are read when asked for, so
// that a large source is never held in memory whole; close releases what
// the source holds open (a zip file, a tar archive's unpacked copy).
func openSource(src string, lim Limits) (files []sourceFile, problems []problem, close func(), err error) {
	info, err := os.Stat(src)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("source %s: %w", src, err)
	}
	nothing := func() {}
	if info.IsDir() {
		files, problems, err := dirFiles(src, lim)
		return files, problems, nothing, err
	}
	lower := strings.ToLower(src)
	switch {
	case strings.HasSuffix(lower, ".zip"):
		return zipFiles(src, lim)
	case strings.HasSuffix(lower, ".tar.gz"), strings.HasSuffix(lower, ".tgz"):
		return tarFiles(src, lim)
	}
	if info.Size() > lim.MaxFile {
		return nil, []problem{{filepath.Base(src), tooBig(info.Size(), lim)}}, nothing, nil
	}
	return []sourceFile{{name: filepath.Base(src), size: info.Size(), read: func() ([]byte, error) { return os.ReadFile(src) }}}, nil, nothing, nil
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

// archive checks an archive's entries against the limits: their names,
// their kind, their number, and the bytes they expand to, counted as
// they are read (what a header claims is not trusted).
type archive struct {
	lim      Limits
	files    []sourceFile
	problems []problem
	entries  int
	used     atomic.Int64
}

// admit checks an entry before it is read: its name must stay inside the
// archive and it must be a regular file. It returns the clean name, "" for
// an entry refused (reported), and whether the next entries may be read.
func (a *archive) admit(raw string, regular bool) (string, bool) {
	if a.entries++; a.entries > a.lim.MaxFiles {
		a.problems = append(a.problems, problem{raw, fmt.Sprintf("the archive holds more than %d entries; the rest are not read", a.lim.MaxFiles)})
		return "", false
	}
	name, why := entryName(raw)
	if why != "" {
		a.problems = append(a.problems, problem{raw, "refused: " + why})
		return "", true
	}
	if !regular {
		a.problems = append(a.problems, problem{name, "refused: not a regular file (a link or device)"})
		return "", true
	}
	return name, true
}

// copy copies an entry's bytes to w, up to the per-file limit and what is
// left of the archive's total; it returns why it stopped short, or "".
func (a *archive) copy(w io.Writer, r io.Reader) string {
	allowed := min(a.lim.MaxFile, a.lim.MaxTotal-a.used.Load())
	n, err := io.Copy(w, io.LimitReader(r, allowed+1))
	a.used.Add(n)
	if n > allowed {
		if allowed < a.lim.MaxFile {
			return fmt.Sprintf("the archive expands to more than %d bytes in all; the rest of it is not read", a.lim.MaxTotal)
		}
		return fmt.Sprintf("expands to more than the limit of %d bytes for one file (raise --max-file to import it)", a.lim.MaxFile)
	}
	if err != nil {
		return "cannot be read: " + err.Error()
	}
	return ""
}

func (a *archive) result() []sourceFile {
	slices.SortFunc(a.files, func(x, y sourceFile) int { return strings.Compare(x.name, y.name) })
	return a.files
}

// zipFiles lists a zip archive's entries, each read from the archive when
// asked for, within the limits.
func zipFiles(src string, lim Limits) ([]sourceFile, []problem, func(), error) {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s is not a readable zip archive: %w", src, err)
	}
	a := &archive{lim: lim}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		name, more := a.admit(f.Name, f.Mode().IsRegular())
		if !more {
			break
		}
		if name == "" {
			continue
		}
		a.files = append(a.files, sourceFile{name: name, size: int64(f.UncompressedSize64), read: func() ([]byte, error) {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			var buf bytes.Buffer
			if why := a.copy(&buf, rc); why != "" {
				return nil, errors.New(why)
			}
			return buf.Bytes(), nil
		}})
	}
	return a.result(), a.problems, func() { zr.Close() }, nil
}

// tarFiles unpacks a gzip-compressed tar archive (which can only be read
// in order) into a temporary directory, within the limits, and lists its
// files there.
func tarFiles(src string, lim Limits) ([]sourceFile, []problem, func(), error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s is not a gzip-compressed tar archive: %w", src, err)
	}
	dir, err := os.MkdirTemp("", "chancery-import-")
	if err != nil {
		return nil, nil, nil, err
	}
	remove := func() { os.RemoveAll(dir) }
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
		name, more := a.admit(h.Name, h.Typeflag == tar.TypeReg)
		if !more {
			break
		}
		if name == "" {
			continue
		}
		why, err := a.unpack(filepath.Join(dir, filepath.FromSlash(name)), tr)
		if err != nil {
			remove()
			return nil, nil, nil, fmt.Errorf("unpack %s from %s: %w", name, src, err)
		}
		if why != "" {
			a.problems = append(a.problems, problem{name, why})
			if a.used.Load() > lim.MaxTotal {
				break
			}
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(name))
		a.files = append(a.files, sourceFile{name: name, size: h.Size, read: func() ([]byte, error) { return os.ReadFile(path) }})
	}
	return a.result(), a.problems, remove, nil
}

// unpack writes one entry to path: a reason the entry was refused, or an
// error of the disk (which stops the import).
func (a *archive) unpack(path string, r io.Reader) (string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return "the archive holds this name twice; the first was read", nil
	}
	if err != nil {
		return "", err
	}
	why := a.copy(out, r)
	if err := out.Close(); err != nil {
		return "", err
	}
	if why != "" {
		os.Remove(path)
	}
	return why, nil
}
