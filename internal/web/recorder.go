package web

import (
	"bytes"
	"net/http"
)

// Recorder keeps what a handler writes, for pages rendered in process
// (by a publish, on a page store miss, by the export).
type Recorder struct {
	// Status is the status written; 200 when the handler wrote a body
	// without one; 0 when it wrote nothing.
	Status int
	Head   http.Header
	Body   bytes.Buffer
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{Head: http.Header{}} }

// Header returns the header the handler sets.
func (r *Recorder) Header() http.Header { return r.Head }

// Write keeps b, answering 200 when no status was written.
func (r *Recorder) Write(b []byte) (int, error) {
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	return r.Body.Write(b)
}

// WriteHeader keeps the first status written.
func (r *Recorder) WriteHeader(code int) {
	if r.Status == 0 {
		r.Status = code
	}
}
