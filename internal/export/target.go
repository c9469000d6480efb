package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// CheckTarget refuses, before anything is written, an output path an
// export cannot or must not replace: a regular file, a directory that
// holds files (an export leaves a symbolic link there, so a directory with
// content is not one of ours), and a path inside the data directory
// dataDir or containing it (dataDir "" skips that check, as on
// PostgreSQL). Whether the place is writable shows when the export makes
// its first directory, before any file is written.
//
// Beside out, in out.versions, an export keeps its versions and deletes
// old ones: a link there, or a directory holding anything an export did
// not make, is refused too.
func CheckTarget(out, dataDir string) error {
	if strings.TrimSpace(out) == "" {
		return errors.New("no output directory: give one with --out DIR")
	}
	given := out
	out = filepath.Clean(out) // "site/" and "site/." are the link at site
	switch filepath.Base(out) {
	case ".", "..", string(filepath.Separator):
		return fmt.Errorf("--out %s names a directory that exists for other reasons (an export replaces --out with a symbolic link to its files). Give the name of a new directory, such as --out %s", given, filepath.Join(out, "site"))
	}
	if dataDir != "" {
		if err := outsideData(out, dataDir); err != nil {
			return err
		}
	}
	if err := checkVersions(out); err != nil {
		return err
	}
	fi, err := os.Lstat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("cannot use --out %s: %w", out, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		// A previous export (or a link the operator made): replaced.
	case fi.Mode().IsRegular():
		return fmt.Errorf("--out %s is a file, not a directory. Give the path of a directory to create (or of an earlier export), such as --out %s-site", out, strings.TrimSuffix(out, filepath.Ext(out)))
	case fi.IsDir():
		entries, err := os.ReadDir(out)
		if err != nil {
			return fmt.Errorf("cannot read --out %s: %w", out, err)
		}
		if len(entries) > 0 {
			return fmt.Errorf("--out %s is a directory that already holds files, so it is not an earlier export (an export leaves a symbolic link at --out). Give a new path, or an empty directory", out)
		}
	default:
		return fmt.Errorf("--out %s is not a directory (%s)", out, fi.Mode().Type())
	}
	return nil
}

// checkVersions refuses an out.versions that an export did not make: a
// symbolic link (the versions would be written, and old ones deleted,
// wherever it points) or a directory holding other files.
func checkVersions(out string) error {
	versions := versionsDir(out)
	fi, err := os.Lstat(versions)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("cannot use --out %s: %w", out, err)
	case !fi.IsDir():
		return fmt.Errorf("--out %s: %s, where an export keeps its versions, is %s, not a directory an export made. Move it away, or choose another --out", out, versions, describe(fi.Mode()))
	}
	entries, err := os.ReadDir(versions)
	if err != nil {
		return fmt.Errorf("cannot read %s, where the export of --out %s keeps its versions: %w", versions, out, err)
	}
	for _, e := range entries {
		if !ours(e.Name()) {
			return fmt.Errorf("--out %s: %s, where an export keeps its versions and deletes old ones, holds %s, which no export made. Move it away, or choose another --out", out, versions, e.Name())
		}
	}
	return nil
}

// describe names a file's type for a message.
func describe(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsRegular():
		return "a file"
	}
	return "a " + m.Type().String() + " file"
}

// stampPattern is the name of an export's version directory: the time of
// the export, and a count when two began in the same second.
var stampPattern = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z(-[0-9]+)?$`)

// ours reports whether a name in out.versions is one an export makes: a
// version, the temporary tree of a run in progress or cut short, the
// lock file.
func ours(name string) bool {
	return name == lockFile || stampPattern.MatchString(name) || stampPattern.MatchString(strings.TrimPrefix(name, tmpPrefix))
}

// outsideData refuses an output path inside the data directory or
// containing it, comparing real paths (links resolved).
func outsideData(out, dataDir string) error {
	o, err := resolve(out)
	if err != nil {
		return fmt.Errorf("cannot use --out %s: %w", out, err)
	}
	d, err := filepath.EvalSymlinks(dataDir)
	if err == nil {
		d, err = filepath.Abs(d)
	} else {
		d, err = resolve(dataDir)
	}
	if err != nil {
		return fmt.Errorf("cannot use --data %s: %w", dataDir, err)
	}
	switch {
	case within(o, d):
		return fmt.Errorf("--out %s is inside the data directory %s; an export there would be copied into backups and could replace the database's neighbours. Choose a directory outside it, such as --out /srv/chancery/export", out, dataDir)
	case within(d, o) || within(d, o+".versions"):
		return fmt.Errorf("--out %s contains the data directory %s, which the export would replace. Choose a directory outside it, such as --out /srv/chancery/export", out, dataDir)
	}
	return nil
}

// resolve makes p absolute with symbolic links resolved, as far as it
// exists; p's own last element is kept as is when it is a link, since
// that link is what an export replaces.
func resolve(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	dir, rest := filepath.Dir(abs), []string{filepath.Base(abs)}
	for {
		real, err := filepath.EvalSymlinks(dir)
		if err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs, nil
		}
		rest = append([]string{filepath.Base(dir)}, rest...)
		dir = parent
	}
}

// within reports whether p is dir or lies below it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)))
}
