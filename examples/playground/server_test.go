package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestREADMECommands runs each command of the README that starts the playground, as
// main does: it prints the page's address, serves the page there, and stops with status
// 0 when interrupted.
func TestREADMECommands(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starting the playground builds the engine")
	}
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	var commands [][]string
	for _, l := range strings.Split(string(readme), "\n") {
		if rest, ok := strings.CutPrefix(l, "    go run ./examples/playground"); ok {
			commands = append(commands, strings.Fields(rest))
		}
	}
	require.Len(t, commands, 2, "the README starts the playground with and without -addr")
	for _, args := range commands {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		printed := make(chan string, 1)
		var stderr bytes.Buffer
		done := make(chan int, 1)
		go func() { done <- run(ctx, args, lineWriter(printed), &stderr) }()
		select {
		case line := <-printed:
			url, ok := strings.CutPrefix(strings.TrimSpace(line), "playground: ")
			require.True(t, ok, "the first line gives the address: %q", line)
			assert.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), url)
			resp, err := http.Get(url)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
		case code := <-done:
			t.Fatalf("playground %v stopped with status %d: %s", args, code, stderr.String())
		}
		cancel()
		assert.Equal(t, 0, <-done, "playground %v stops with 0 when interrupted", args)
	}
}

// lineWriter sends what is written to it, the first time, on c.
type lineWriter chan string

func (w lineWriter) Write(p []byte) (int, error) {
	select {
	case w <- string(p):
	default:
	}
	return len(p), nil
}
