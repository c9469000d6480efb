package store

import (
	"bytes"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
)

// The types of files stored (Media): decided from their bytes, with names
// that end as their type's files do, so that a static server types them
// right.

// FileType decides a file's type from its bytes, never its name alone:
// images and PDF by their signatures, office documents by their container
// (OLE or zip) and then their name.
func FileType(name string, data []byte) (string, bool) {
	ct := http.DetectContentType(data)
	switch ct {
	case "image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf":
		return ct, true
	}
	ext := strings.ToLower(path.Ext(name))
	if bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
		switch ext {
		case ".doc":
			return "application/msword", true
		case ".xls":
			return "application/vnd.ms-excel", true
		case ".ppt":
			return "application/vnd.ms-powerpoint", true
		}
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		switch ext {
		case ".docx":
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document", true
		case ".xlsx":
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true
		case ".pptx":
			return "application/vnd.openxmlformats-officedocument.presentationml.presentation", true
		case ".odt":
			return "application/vnd.oasis.opendocument.text", true
		case ".zip":
			return "application/zip", true
		}
	}
	return ct, false
}

// extensions are the file name endings of the types kept, the first the
// one given to a file whose name has none of them: a static server (an
// export behind nginx, a CDN) types files by their name.
var extensions = map[string][]string{
	"image/jpeg": {".jpg", ".jpeg"}, "image/png": {".png"}, "image/gif": {".gif"}, "image/webp": {".webp"},
	"application/pdf": {".pdf"}, "application/msword": {".doc"}, "application/vnd.ms-excel": {".xls"},
	"application/vnd.ms-powerpoint":                                             {".ppt"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   {".docx"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         {".xlsx"},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
	"application/vnd.oasis.opendocument.text":                                   {".odt"},
	"application/zip": {".zip"},
}

// FileName is a stored file's name for its address: the source's base
// name with anything but letters, digits, dots, hyphens and underscores
// turned into hyphens, ending as its type's files do.
func FileName(name, ctype string) string {
	s := safeName(name)
	exts := extensions[ctype]
	if len(exts) > 0 && !slices.Contains(exts, strings.ToLower(path.Ext(s))) {
		s += exts[0]
	}
	return s
}

func safeName(name string) string {
	clean := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
				b.WriteRune(r)
			default:
				b.WriteByte('-')
			}
		}
		return strings.Trim(b.String(), "-")
	}
	base := path.Base(name)
	ext := path.Ext(base)
	stem, ext := clean(strings.TrimSuffix(base, ext)), clean(strings.TrimPrefix(ext, "."))
	if stem == "" {
		stem = "file"
	}
	if ext == "" {
		return stem
	}
	return stem + "." + ext
}

// typeNames are the short names readers know the stored types by.
var typeNames = map[string]string{
	"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WebP", "application/pdf": "PDF",
	"application/msword": "Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
	"application/vnd.ms-excel": "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
	"application/vnd.ms-powerpoint": "PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
	"application/vnd.oasis.opendocument.text": "OpenDocument", "application/zip": "ZIP",
}

// TypeName is a file type's short name ("PDF"), or the type itself.
func TypeName(ctype string) string {
	if n, ok := typeNames[ctype]; ok {
		return n
	}
	return ctype
}

// HumanSize writes a size as readers read it: 240 KB, 1.5 MB.
func HumanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	return fmt.Sprintf("%d B", n)
}
