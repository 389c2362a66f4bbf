package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHandler(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "engine.wasm"), []byte("\x00asm"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "wasm_exec.js"), []byte("// go"), 0o644))
	h := handler(dir)
	tests := []struct {
		name, reason, method, host, path string
		code                             int
		contentType                      string
	}{
		{"page", "the page itself", "GET", "127.0.0.1:8080", "/", 200, "text/html; charset=utf-8"},
		{"script", "the page's script", "GET", "localhost:8080", "/app.js", 200, "text/javascript; charset=utf-8"},
		{"engine", "WebAssembly is served as such, for instantiateStreaming", "GET", "[::1]:8080", "/engine.wasm", 200, "application/wasm"},
		{"loader", "the toolchain's wasm_exec.js", "HEAD", "127.0.0.1:8080", "/wasm_exec.js", 200, "text/javascript; charset=utf-8"},
		{"nothing else", "no other file", "GET", "127.0.0.1:8080", "/main.go", 404, ""},
		{"other host", "a request through another name is refused (DNS rebinding)", "GET", "evil.example:8080", "/", 421, ""},
		{"post", "the page only reads", "POST", "127.0.0.1:8080", "/", 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, "http://"+tt.host+tt.path, nil)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			assert.Equal(t, tt.code, w.Code, "%s %s (%s)", tt.method, tt.path, tt.reason)
			if tt.contentType != "" {
				assert.Equal(t, tt.contentType, w.Header().Get("Content-Type"))
			}
			assert.Contains(t, w.Header().Get("Content-Security-Policy"), "default-src 'none'", "every answer carries the policy")
		})
	}
}

func TestAddressMustBeLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:80", "example.org:80", "nonsense"} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"-addr", addr}, &stdout, &stderr)
		assert.Equal(t, 2, code, "-addr %s", addr)
		assert.Empty(t, stdout.String())
		assert.Contains(t, stderr.String(), "-addr "+addr)
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:8080", "[::1]:0"} {
		assert.NoError(t, checkLoopback(addr), addr)
	}
}
