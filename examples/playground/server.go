package main

import (
	"embed"
	"io/fs"
	"net"
	"net/http"
	"path/filepath"
)

// web holds the page: index.html, app.js and style.css.
//
//go:embed web
var web embed.FS

// security are the headers of every answer. The policy lets the page load its own
// files and run WebAssembly, and nothing else: it fetches nothing from anywhere.
var security = map[string]string{
	"Content-Security-Policy": "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	"X-Content-Type-Options":  "nosniff",
	"Referrer-Policy":         "no-referrer",
	"Cache-Control":           "no-store",
}

// handler serves the page's files and the engine built into dir. It answers GET and
// HEAD only, and only requests addressed to a loopback host, so that a page elsewhere
// cannot reach it through a name that resolves to this machine.
func handler(dir string) http.Handler {
	page, _ := fs.Sub(web, "web") // web/ is embedded: it exists
	files := http.FileServerFS(page)
	built := map[string]string{
		"/engine.wasm":  filepath.Join(dir, "engine.wasm"),
		"/wasm_exec.js": filepath.Join(dir, "wasm_exec.js"),
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range security {
			w.Header().Set(k, v)
		}
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		switch {
		case !isLoopback(host):
			http.Error(w, "the playground answers on a loopback address only", http.StatusMisdirectedRequest)
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		case built[r.URL.Path] != "":
			if filepath.Ext(r.URL.Path) == ".wasm" {
				w.Header().Set("Content-Type", "application/wasm")
			}
			http.ServeFile(w, r, built[r.URL.Path])
		default:
			files.ServeHTTP(w, r)
		}
	})
}
