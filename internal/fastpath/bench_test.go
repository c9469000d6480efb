package fastpath

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"
)

// BenchmarkServe asks for a stored page (the brotli variant, through the
// security headers) over keep-alive connections, from clients in the same
// process, with net/http alone and with the fast loop in front of it.
//
//	go test ./internal/fastpath -bench Serve -cpu 2
func BenchmarkServe(b *testing.B) {
	for _, tc := range []struct {
		name string
		fast func(*http.Request) bool
	}{{"net-http", nil}, {"fastpath", always}} {
		b.Run(tc.name, func(b *testing.B) {
			addr, _ := start(b, handler(), tc.fast, nil)
			req := []byte("GET /page HTTP/1.1\r\nHost: example.org\r\nAccept-Encoding: gzip, deflate, br\r\nUser-Agent: bench\r\n\r\n")
			b.SetParallelism(16)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					b.Error(err)
					return
				}
				defer c.Close()
				r := bufio.NewReaderSize(c, 16<<10)
				for pb.Next() {
					if _, err := c.Write(req); err != nil {
						b.Error(err)
						return
					}
					if err := readAnswer(r); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// readAnswer reads one answer with a Content-Length, cheaply: the
// client's cost is the same for both servers, and small.
func readAnswer(r *bufio.Reader) error {
	length := -1
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) == 2 {
			break
		}
		if v, ok := bytes.CutPrefix(line, []byte("Content-Length: ")); ok {
			length, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
		}
	}
	if length < 0 {
		return io.ErrUnexpectedEOF
	}
	_, err := r.Discard(length)
	return err
}
